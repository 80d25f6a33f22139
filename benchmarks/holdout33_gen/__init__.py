"""Held-out RCA scenario set 33: "what the logs alone say"."""
