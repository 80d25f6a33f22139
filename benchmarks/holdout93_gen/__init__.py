"""Held-out scenario set 93: an energy utility's smart-meter, billing, outage-map and field-crew
systems (eu-west-3, eu-south-1, us-east-2). `python -m benchmarks.holdout93_gen` writes the set."""
