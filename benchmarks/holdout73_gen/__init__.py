"""Holdout set 73: a legacy monolith being strangled (see README in scenarios_holdout73)."""
