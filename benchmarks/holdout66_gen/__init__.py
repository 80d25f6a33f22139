"""Independent held-out RCA scenario set 66: clinical SaaS with heavy scheduled work."""
