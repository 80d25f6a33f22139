"""Held-out RCA scenario set 72: internal developer platform incidents."""
