"""Independent held-out RCA scenario set 86: a multiplayer gaming backend."""
