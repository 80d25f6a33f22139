"""Independent held-out RCA scenario set 62: data platforms and streaming."""
