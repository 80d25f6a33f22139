"""Generator for the holdout69 RCA scenario set (B2B SaaS partner integrations)."""
