"""Independent held-out RCA scenario set 26: bread-and-butter on-call pages."""
