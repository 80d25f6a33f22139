"""Holdout set 27 ("the change that matters"): run ``python -m benchmarks.holdout27_gen``."""
