"""Held-out RCA scenario set 82: e-commerce flash sales (see README in scenarios_holdout82)."""
