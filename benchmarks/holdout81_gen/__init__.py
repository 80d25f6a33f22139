"""Held-out RCA scenario set 81: ad-tech real-time bidding (see README in scenarios_holdout81)."""
