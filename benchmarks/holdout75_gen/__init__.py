"""Independent held-out RCA scenario set 75: banking core and payments ledger."""
