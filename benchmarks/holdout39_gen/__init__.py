"""Held-out scenario set 39: harmless changes on the guilty-looking resource."""
