"""Holdout set 32: siblings of the public examples, harder (16 scenarios)."""
