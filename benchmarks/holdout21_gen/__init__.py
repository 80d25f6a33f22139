"""Independent held-out RCA scenario set no. 21 (see scenarios_holdout21/README.md)."""
