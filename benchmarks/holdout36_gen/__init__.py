"""Held-out scenario set 36: one on-call week at a mid-size company (sixteen pages).

Run: ``python -m benchmarks.holdout36_gen`` (writes benchmarks/scenarios_holdout36/).
"""
