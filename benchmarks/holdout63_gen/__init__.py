"""Holdout set 63: healthcare and public-sector incidents (see scenarios_holdout63/README.md)."""
