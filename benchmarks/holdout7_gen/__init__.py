"""Held-out incident scenarios (set 7): generator package. Run ``python -m benchmarks.holdout7_gen``."""
