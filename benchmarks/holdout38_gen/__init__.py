"""Holdout set 38 ("an evaluator's set"): sixteen independently authored RCA scenarios."""
