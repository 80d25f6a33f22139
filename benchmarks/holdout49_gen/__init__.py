"""Holdout-49 scenario set: incidents seen through imperfect telemetry.

Run: python -m benchmarks.holdout49_gen  (writes benchmarks/scenarios_holdout49/)."""
