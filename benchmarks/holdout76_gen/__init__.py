"""Independent held-out RCA scenario set 76: media / news publishing."""
