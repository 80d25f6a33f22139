"""Held-out scenario set 14: sixteen incident scenarios in the style of the public examples.

Run ``python -m benchmarks.holdout14_gen`` to write benchmarks/scenarios_holdout14/*.yaml and its README.
"""
