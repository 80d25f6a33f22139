"""Held-out RCA scenario set 31 ("two alarms at once")."""
