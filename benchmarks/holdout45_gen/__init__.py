"""Holdout set 45: data and batch platform incidents (independent author).

Run ``python -m benchmarks.holdout45_gen`` from the repository root; it writes
``benchmarks/scenarios_holdout45/h45-*.yaml`` and the set's README.
"""
