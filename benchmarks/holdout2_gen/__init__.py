"""Second held-out RCA scenario set (aiops-scenario/v1), written independently of the product's rules.

Run ``python -m benchmarks.holdout2_gen [OUT_DIR]`` to (re)write ``benchmarks/scenarios_holdout2``.
"""
