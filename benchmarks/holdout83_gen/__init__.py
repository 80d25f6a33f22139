"""Held-out RCA scenario set 83: exam season on a learning-management platform."""
