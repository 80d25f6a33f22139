"""Independent held-out RCA scenario set 50: classic EC2 estates behind ALBs.

Run with ``python -m benchmarks.holdout50_gen``; writes benchmarks/scenarios_holdout50/.
"""
