"""The benchmark's scenario list: (recipe, region) pairs covering every root-cause category."""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from . import incidents_code as code
from . import incidents_data as data
from . import incidents_ec2 as ec2
from . import incidents_ecs as ecs
from . import incidents_limits as limits
from .builder import Scenario

Recipe = Callable[[Scenario], None]
US, EU = "us-east-1", "eu-west-1"

CATALOG: list[tuple[str, Recipe, str]] = [
    ("lambda", code.bad_deployment_lambda, US),
    ("lambda+apigateway", partial(code.bad_deployment_lambda, with_api=True), EU),
    ("ecs+alb", ecs.bad_deployment_ecs, US),
    ("lambda", code.config_change_lambda, US),
    ("lambda", code.config_change_lambda, EU),
    ("ecs+alb", ecs.config_change_ecs, EU),
    ("lambda+rds", data.config_rds_parameter, US),
    ("lambda", code.permission_denied_lambda, US),
    ("lambda", code.permission_denied_lambda, EU),
    ("ecs+alb", ecs.permission_denied_ecs, US),
    ("lambda+rds", data.dependency_rds, US),
    ("lambda+rds", data.dependency_rds, EU),
    ("lambda", data.dependency_http, US),
    ("lambda", data.dependency_http, EU),
    ("lambda+rds", data.connection_exhaustion_lambda, US),
    ("lambda+rds", data.connection_exhaustion_lambda, EU),
    ("ec2+alb", partial(ec2.cpu_ec2, alarm_on_latency=False), US),
    ("ec2+alb", partial(ec2.cpu_ec2, alarm_on_latency=True), EU),
    ("ecs+alb", ecs.cpu_ecs, US),
    ("lambda", limits.memory_lambda, US),
    ("ecs+alb", ecs.memory_ecs, EU),
    ("ec2+alb", ec2.memory_ec2, US),
    ("lambda+rds", data.storage_rds, US),
    ("lambda+rds", data.storage_rds, EU),
    ("ec2+alb", ec2.storage_ec2, EU),
    ("lambda+apigateway", partial(limits.throttling_concurrency, with_api=True), US),
    ("lambda", partial(limits.throttling_concurrency, with_api=False), EU),
    ("lambda", limits.throttling_dynamodb, US),
    ("lambda", limits.function_timeout, US),
    ("lambda", limits.function_timeout, EU),
    ("lambda+apigateway", limits.traffic_surge_api, US),
    ("ec2+alb", ec2.traffic_surge_alb, EU),
    ("ec2+alb", ec2.traffic_surge_alb, US),
    ("lambda", code.application_error_lambda, US),
    ("lambda", code.application_error_lambda, EU),
    ("ecs+alb", ecs.application_error_ecs, US),
]


def build(index: int, seed: int) -> Scenario:
    """Build catalogue entry ``index`` reproducibly from ``seed``."""
    services, recipe, region = CATALOG[index]
    sc = Scenario(name="", region=region, rng=np.random.default_rng([seed, index]))
    recipe(sc)
    sc.variant = services
    sc.name = f"gen-{index + 1:02d}-{sc.expect['alarm']}"
    return sc
