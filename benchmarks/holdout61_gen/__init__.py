"""Holdout set 61: consumer apps with spiky traffic (generator)."""
