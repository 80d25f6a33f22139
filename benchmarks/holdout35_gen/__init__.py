"""Independent held-out scenario set 35 ("slow burns and quiet causes") for the RCA benchmark."""
