"""Held-out RCA scenario set 68: game studio backend on launch and event days."""
