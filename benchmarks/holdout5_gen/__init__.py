"""Held-out incident scenarios, set 5 (seeded generator). Run: python -m benchmarks.holdout5_gen"""
