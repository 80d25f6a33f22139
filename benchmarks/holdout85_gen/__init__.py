"""Held-out RCA scenario set 85: ride-hailing / mobility incidents (see scenarios_holdout85/README.md)."""
