"""Independent held-out RCA scenario set 67: multi-region active-active e-commerce."""
