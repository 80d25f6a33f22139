"""Held-out RCA scenario set 53: "infrastructure wear and slow burns" (see README in scenarios_holdout53)."""
