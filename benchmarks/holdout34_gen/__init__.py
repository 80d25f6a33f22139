"""Independent held-out scenario set 34 ("deep chains") for the RCA benchmark.

Run: python -m benchmarks.holdout34_gen  -> benchmarks/scenarios_holdout34/*.yaml + README.md
"""
