"""Deterministic generator of aiops-scenario/v1 incident scenarios for the root-cause benchmark.

Run ``python -m benchmarks.scenario_gen --out benchmarks/scenarios [--seed N]``.
"""
