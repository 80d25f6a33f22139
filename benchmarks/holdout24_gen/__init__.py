"""holdout24: independent held-out RCA scenarios (messy incident shapes)."""
