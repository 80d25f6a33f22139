"""Independent held-out RCA scenario set 96: airline operations."""
