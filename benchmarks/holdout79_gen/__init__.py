"""Held-out RCA scenario set 79: an internal platform after a reorg.

Shared services (auth, notifications, feature flags) used by many teams, noisy neighbours,
cron-driven Lambdas and names that no longer say who owns what. Run
`python -m benchmarks.holdout79_gen` to write benchmarks/scenarios_holdout79/.
"""
