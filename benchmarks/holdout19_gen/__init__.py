"""Held-out scenario set 19: sixteen incidents in the style of the four public examples.

Run ``python -m benchmarks.holdout19_gen`` from the project root; it writes
``benchmarks/scenarios_holdout19/*.yaml`` and a README. Deterministic (fixed seeds).
"""
