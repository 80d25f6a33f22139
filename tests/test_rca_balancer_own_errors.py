"""A balancer that names none of its targets returns 5xx of its own: a host whose CPU rose then is only
blamed when the balancer's targets answered slower (or failed), end to end on the sandbox."""
from __future__ import annotations

from typing import Any

from bot.config import Config
from bot.engine import InvestigationRequest, Investigator
from bot.store import Store
from tests.conftest import ALARM_AT, ONSET, START, write_scenario

LB = "app/mall-edge/5e8b1d0c7a3f2946"
HOST = "i-0b6f4a2c8e1d3957a"


def _scenario(target_seconds_after_onset: float) -> dict[str, Any]:
    def points(before, after):
        return [[rel, before(rel) if rel < ONSET else after(rel)] for rel in range(START, 1, 60)]

    def steady_requests(rel: int) -> float:
        return 2200.0 + (rel // 60) % 7 * 10

    def alb(name: str, unit: str, before, after) -> dict[str, Any]:
        return {"namespace": "AWS/ApplicationELB", "name": name, "dimensions": {"LoadBalancer": LB}, "unit": unit,
                "points": points(before, after)}

    return {
        "format": "aiops-scenario/v1", "name": "balancer-own-5xx", "region": "ap-southeast-1",
        "resources": [
            {"type": "alb", "id": LB, "properties": {"name": "mall-edge"}},
            {"type": "ec2", "id": HOST, "properties": {"name": "batch-1"}},
        ],
        "metrics": [
            alb("HTTPCode_ELB_5XX_Count", "Count", lambda rel: 0.0, lambda rel: 25.0 + (rel // 60) % 4),
            alb("RequestCount", "Count", steady_requests, steady_requests),
            alb("TargetResponseTime", "Seconds", lambda rel: 0.040 + (rel // 60) % 3 * 0.002,
                lambda rel: target_seconds_after_onset + (rel // 60) % 3 * 0.002),
            {"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": HOST}, "unit": "Percent",
             "points": points(lambda rel: 12.0 + (rel // 60) % 3, lambda rel: 90.0 + (rel // 60) % 3)},
        ],
        "logs": [],
        "alarms": [{"name": "mall-edge-elb-5xx", "namespace": "AWS/ApplicationELB", "metric": "HTTPCode_ELB_5XX_Count",
                    "dimensions": {"LoadBalancer": LB}, "statistic": "Sum", "period": 60, "evaluation_periods": 3,
                    "threshold": 10, "comparison": "GreaterThanThreshold", "state": "ALARM",
                    "state_reason": "Threshold Crossed", "state_changed": ALARM_AT}],
        "changes": [],
    }


def _top(tmp_path, scenario: dict[str, Any]) -> tuple[str, str]:
    from bot.sandbox import Sandbox

    box = Sandbox.start(write_scenario(tmp_path, scenario))
    try:
        report = Investigator(Config(), box.provider(), Store(memory=True)).investigate(
            InvestigationRequest("mall-edge-elb-5xx"))
    finally:
        box.stop()
    top = report["hypotheses"][0]
    return top["category"], top["resource"]["id"]


def test_a_host_pinned_while_the_balancers_targets_answer_as_fast_as_ever_is_not_its_cause(tmp_path):
    # GIVEN a balancer naming no targets whose own 5xx begin at onset while its target response time stays at
    # ~40 ms, and a host (a batch box, nobody says whether it is a target) whose CPU is pinned from then on
    # WHEN the balancer's alarm is investigated
    category, resource = _top(tmp_path, _scenario(target_seconds_after_onset=0.040))
    # THEN the busy host is not named: no evidence links it to the balancer's errors
    assert (category, resource) == ("unknown", LB)


def test_a_host_pinned_while_the_balancers_targets_slow_down_is_its_cause(tmp_path):
    # GIVEN the same, but the balancer's targets answer in 2.5 s from onset
    # WHEN the balancer's alarm is investigated
    category, resource = _top(tmp_path, _scenario(target_seconds_after_onset=2.5))
    # THEN the pinned host is the likely origin behind the blind balancer
    assert (category, resource) == ("cpu_saturation", HOST)
