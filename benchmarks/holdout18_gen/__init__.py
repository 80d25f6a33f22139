"""Held-out scenario set 18: cascades where the alarm fires one or two hops away from the origin.

Run ``python -m benchmarks.holdout18_gen`` from the project root; it writes
``benchmarks/scenarios_holdout18/*.yaml`` and ``README.md``. Deterministic (fixed seeds).
"""
