"""Independent held-out RCA scenario set 42: "logs in the formats real teams write".

Run `python -m benchmarks.holdout42_gen` from the repo root; writes
benchmarks/scenarios_holdout42/*.yaml and README.md.  Seeded and deterministic.
"""
