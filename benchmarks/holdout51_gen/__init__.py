"""Held-out RCA scenario set 51, written by an independent author.

Run ``python -m benchmarks.holdout51_gen`` from the repo root to (re)write
``benchmarks/scenarios_holdout51/*.yaml`` and its README. Deterministic: every
scenario draws from its own seeded ``random.Random``.
"""
