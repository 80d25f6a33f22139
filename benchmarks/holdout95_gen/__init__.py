"""Independent held-out RCA scenario set 95: grocery-chain retail point of sale."""
