"""Held-out RCA scenario set 10 (serverless-heavy). Run: python -m benchmarks.holdout10_gen"""
