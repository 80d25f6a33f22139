"""Held-out RCA scenario set 55: "the first ten minutes of a real on-call shift at a mid-size company".

Run ``python -m benchmarks.holdout55_gen`` from the repository root; it writes
``benchmarks/scenarios_holdout55/h55-NN-<slug>.yaml`` and a README describing each scenario.
"""
