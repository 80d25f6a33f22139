"""Held-out scenario set 65: small teams and sparse telemetry."""
