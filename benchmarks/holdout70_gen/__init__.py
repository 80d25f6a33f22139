"""Held-out RCA scenario set 70: media streaming and video platforms."""
