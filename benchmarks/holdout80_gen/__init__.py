"""Held-out RCA scenario set 80: healthcare records integration (HL7/FHIR engines, consent and
eligibility functions, PostgreSQL clinical stores, overnight claims batches).

`python -m benchmarks.holdout80_gen [NN ...]` writes benchmarks/scenarios_holdout80/."""
