"""Held-out RCA scenario set 94: a social/dating app on a Sunday evening (us-west-1, ap-southeast-1).

`python -m benchmarks.holdout94_gen` writes benchmarks/scenarios_holdout94/h94-XX-*.yaml and README.md.
"""
