"""Holdout set 28 ("timing and degrees"): 16 independent RCA scenarios.

Run: python -m benchmarks.holdout28_gen
"""
