"""Holdout set 37: "the database is involved -- or only looks involved" (RDS, Aurora, ElastiCache)."""
