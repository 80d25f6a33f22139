"""Held-out RCA scenarios #25: incidents around shared infrastructure (DB, cache, ALB, Lambda pool, internal API, DynamoDB)."""
