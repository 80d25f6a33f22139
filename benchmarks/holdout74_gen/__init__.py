"""Independent held-out RCA scenario set 74: logistics and delivery routing."""
