"""Holdout set 29 ("serverless shops"): 16 deterministic incident scenarios.

Run ``python -m benchmarks.holdout29_gen`` from the repository root.
"""
