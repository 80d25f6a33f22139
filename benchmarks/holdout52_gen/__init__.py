"""Held-out scenario set 52: change-heavy organisation (see scenarios_holdout52/README.md)."""
