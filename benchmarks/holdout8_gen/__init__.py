"""Held-out incident scenarios, set 8 (independent of the analyzers). Run: python -m benchmarks.holdout8_gen"""
