"""Held-out RCA scenario set 92: a real-estate listings portal (feeds, photos, search, mortgage
tools, lead capture, open-house weekends) in us-east-1 and ca-central-1. See README.md in
benchmarks/scenarios_holdout92 (written by `python -m benchmarks.holdout92_gen`)."""
