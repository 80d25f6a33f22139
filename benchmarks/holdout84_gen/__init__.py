"""Held-out RCA scenario set 84: insurance claims processing (see README in scenarios_holdout84)."""
