"""Held-out scenario set 20: judgement calls a senior SRE makes (see README in scenarios_holdout20)."""
