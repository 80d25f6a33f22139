"""Held-out RCA scenario set 23: hard decoys and multi-hop chains."""
