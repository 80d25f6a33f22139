"""Independent held-out scenario set 56: event-driven and night-time incidents.

Run ``python -m benchmarks.holdout56_gen`` from the repository root; it writes
``benchmarks/scenarios_holdout56/*.yaml`` and a README describing each case.
Everything is seeded, so two runs produce byte-identical files.
"""
