"""Held-out RCA scenario set 4: seeded generator (``python -m benchmarks.holdout4_gen``).

Written independently of the bot's analyzers: realistic incidents with ground truth in ``expect``.
"""
