"""Held-out incident scenarios, set 9 (hard decoys, sparse metadata). Run: python -m benchmarks.holdout9_gen"""
