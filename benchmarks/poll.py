"""Benchmark one poll of N metric series: AWS API calls and the bot's CPU time.

A real boto3 client (through the bot's own ClientFactory) is answered at the
botocore boundary by a ``before-call`` event hook with synthetic responses shaped
like the documented GetMetricData / DescribeAlarms output, so no network and no
emulator is involved (moto is far too slow at this size). Every call is counted
there. Target for 5,000 series: ceil(5000 / 500) = 10 GetMetricData calls and
<= 2 s of process CPU for the poll, detection included.

    .venv/bin/python -m benchmarks.poll [--series 5000] [--points 180]
"""
from __future__ import annotations

import argparse
import math
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np

from analyzers.model import ResourceRef
from bot.aws import ClientFactory, GatewayProvider
from bot.config import Config
from bot.poller import Poller

REGION = "us-east-1"
METRICS_PER_FUNCTION = 5  # the catalog's Lambda metrics
PLANTED = ("checkout-api", "checkout-worker", "billing-cron")


class SyntheticCloudWatch:
    """Answers GetMetricData / DescribeAlarms from pre-generated series and counts every call."""

    def __init__(self, functions: list[str], now: datetime, points: int, seed: int = 7):
        self.calls: Counter[str] = Counter()
        self._pending: dict[str, Any] = {}
        end = now.replace(second=0, microsecond=0)
        self.timestamps = [end - timedelta(minutes=points - i) for i in range(points)]
        rng = np.random.default_rng(seed)
        self.values: dict[tuple[str, str], list[float]] = {}
        for name in functions:
            invocations = rng.poisson(100, points).astype(float)
            errors = rng.poisson(0.2, points).astype(float)
            if name in PLANTED:  # errors jump to ~30% of traffic 20 minutes ago
                errors[-20:] = rng.poisson(30, 20)
            self.values[(name, "Invocations")] = invocations.tolist()
            self.values[(name, "Errors")] = errors.tolist()
            self.values[(name, "Throttles")] = np.zeros(points).tolist()
            self.values[(name, "Duration")] = rng.normal(200, 20, points).round(1).tolist()
            self.values[(name, "ConcurrentExecutions")] = rng.poisson(5, points).astype(float).tolist()

    def hooks(self) -> list[tuple[str, Any]]:
        return [("provide-client-params.cloudwatch.GetMetricData", self._remember),
                ("before-call", self._answer)]

    def _remember(self, params: dict[str, Any], **_: Any) -> None:
        self._pending = params

    def _answer(self, model: Any, **_: Any) -> Any:
        self.calls[model.name] += 1
        if model.name == "DescribeAlarms":
            return _Http(), {"MetricAlarms": [], "CompositeAlarms": []}
        if model.name != "GetMetricData":
            raise AssertionError(f"unexpected call {model.name}")
        results = []
        for query in self._pending["MetricDataQueries"]:
            metric = query["MetricStat"]["Metric"]
            function = metric["Dimensions"][0]["Value"]
            results.append({"Id": query["Id"], "Label": metric["MetricName"], "StatusCode": "Complete",
                            "Timestamps": self.timestamps,
                            "Values": self.values[(function, metric["MetricName"])]})
        return _Http(), {"MetricDataResults": results, "Messages": []}


class _Http:
    status_code = 200
    headers: dict[str, str] = {}


def run(series: int, points: int) -> dict[str, Any]:
    functions = [*PLANTED, *(f"fn-{i:05d}" for i in range(series // METRICS_PER_FUNCTION - len(PLANTED)))]
    now = datetime.now(timezone.utc)
    fake = SyntheticCloudWatch(functions, now, points)
    factory = ClientFactory(static_credentials={"aws_access_key_id": "bench", "aws_secret_access_key": "bench"},
                            event_hooks=fake.hooks())
    factory.client("cloudwatch", REGION)  # client creation (service model load) is start-up, not a poll
    config = Config.model_validate({"aws": {"regions": [REGION]},
                                    "monitoring": {"services": {"lambda": {"enabled": True}}}})
    poller = Poller((config, GatewayProvider(factory, [REGION])),
                    resources=[ResourceRef("lambda", name, REGION) for name in functions])
    wall = time.perf_counter()
    cpu = time.process_time()
    incidents = poller.poll(now)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    return {"series": poller.last_stats.series, "derived_series": poller.last_stats.derived,
            "points_per_series": points, "get_metric_data_calls": fake.calls["GetMetricData"],
            "expected_calls": math.ceil(poller.last_stats.series / 500), "api_calls_total": sum(fake.calls.values()),
            "calls_by_operation": dict(fake.calls), "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3),
            "signals": poller.last_stats.signals, "incidents": [i.key for i in incidents]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=5000)
    parser.add_argument("--points", type=int, default=180, help="one-minute points per series (3 h)")
    args = parser.parse_args(argv)
    result = run(args.series, args.points)
    for key, value in result.items():
        print(f"{key:24} {value}")
    ok = result["get_metric_data_calls"] == result["expected_calls"] and result["cpu_seconds"] <= 2.0
    print(f"{'target met':24} {ok} (calls == ceil(series/500), cpu <= 2 s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
