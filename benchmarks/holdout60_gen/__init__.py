"""Independent held-out RCA scenario set 60: a regulated fintech at month end."""
