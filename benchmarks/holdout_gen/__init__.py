"""Hand-written hold-out RCA scenarios (independent of benchmarks.scenario_gen).

    python -m benchmarks.holdout_gen [OUT_DIR]   # default benchmarks/scenarios_holdout
"""
