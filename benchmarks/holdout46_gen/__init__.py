"""Independent held-out RCA scenario set no. 46 (see scenarios_holdout46/README.md)."""
