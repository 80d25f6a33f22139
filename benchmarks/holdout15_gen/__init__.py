"""Held-out scenario set 15: how real accounts' telemetry looks (structured JSON logs from
common libraries, sparse and absent-when-zero metrics, p99 and LessThan alarms, decoys
that look alarming on a dashboard). Run ``python -m benchmarks.holdout15_gen``."""
