"""Independent held-out RCA scenario set 54 (theme: multi-tenant B2B SaaS).

Run:  python -m benchmarks.holdout54_gen
"""
