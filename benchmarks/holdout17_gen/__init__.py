"""Held-out scenario set 17: sixteen incidents across EC2, Lambda, RDS, ECS, API Gateway and ALB.

Run ``python -m benchmarks.holdout17_gen`` to write ``benchmarks/scenarios_holdout17/``.
"""
