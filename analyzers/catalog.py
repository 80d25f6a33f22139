"""The metric catalog: which CloudWatch metrics matter for each service, with their statistic.

Used by investigations (which series to pull for a resource) and by polling
(what to watch). Config can add metrics and override thresholds per resource.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .model import MetricKey, ResourceRef


@dataclass(frozen=True)
class MetricSpec:
    namespace: str
    name: str
    stat: str
    unit: str | None = None
    extra_dimensions: tuple[tuple[str, str], ...] = ()


CATALOG: dict[str, tuple[MetricSpec, ...]] = {
    "ec2": (MetricSpec("AWS/EC2", "CPUUtilization", "Average", "Percent"),
            MetricSpec("AWS/EC2", "StatusCheckFailed", "Maximum", "Count"),
            MetricSpec("AWS/EC2", "NetworkIn", "Sum", "Bytes"),
            MetricSpec("AWS/EC2", "CPUCreditBalance", "Minimum", "Count"),  # burstable: CPU capped at 0
            MetricSpec("CWAgent", "mem_used_percent", "Average", "Percent"),
            MetricSpec("CWAgent", "disk_used_percent", "Maximum", "Percent")),
    "lambda": (MetricSpec("AWS/Lambda", "Invocations", "Sum", "Count"),
               MetricSpec("AWS/Lambda", "Errors", "Sum", "Count"),
               MetricSpec("AWS/Lambda", "Throttles", "Sum", "Count"),
               MetricSpec("AWS/Lambda", "Duration", "Maximum", "Milliseconds"),
               MetricSpec("AWS/Lambda", "ConcurrentExecutions", "Maximum", "Count")),
    "rds": (MetricSpec("AWS/RDS", "CPUUtilization", "Average", "Percent"),
            MetricSpec("AWS/RDS", "DatabaseConnections", "Maximum", "Count"),
            MetricSpec("AWS/RDS", "FreeStorageSpace", "Minimum", "Bytes"),
            MetricSpec("AWS/RDS", "FreeableMemory", "Minimum", "Bytes"),
            MetricSpec("AWS/RDS", "ReadLatency", "Average", "Seconds"),
            MetricSpec("AWS/RDS", "WriteLatency", "Average", "Seconds"),
            MetricSpec("AWS/RDS", "BurstBalance", "Minimum", "Percent"),  # gp2 I/O credits: at 0, IOPS capped
            MetricSpec("AWS/RDS", "EBSIOBalance%", "Minimum", "Percent"),  # the instance's own EBS I/O burst
            MetricSpec("AWS/RDS", "ReplicaLag", "Maximum", "Seconds")),  # a read replica falling behind
    "ecs": (MetricSpec("AWS/ECS", "CPUUtilization", "Average", "Percent"),
            MetricSpec("AWS/ECS", "MemoryUtilization", "Average", "Percent"),
            MetricSpec("ECS/ContainerInsights", "RunningTaskCount", "Average", "Count")),
    "apigateway": (MetricSpec("AWS/ApiGateway", "Count", "Sum", "Count"),
                   MetricSpec("AWS/ApiGateway", "4XXError", "Sum", "Count"),
                   MetricSpec("AWS/ApiGateway", "5XXError", "Sum", "Count"),
                   MetricSpec("AWS/ApiGateway", "Latency", "Average", "Milliseconds")),
    # Resources outside the six services, known from their metrics (type "other", property "service")
    "dynamodb": (MetricSpec("AWS/DynamoDB", "ReadThrottleEvents", "Sum", "Count"),
                 MetricSpec("AWS/DynamoDB", "WriteThrottleEvents", "Sum", "Count"),
                 MetricSpec("AWS/DynamoDB", "ConsumedReadCapacityUnits", "Sum", "Count"),
                 MetricSpec("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", "Count")),
    "alb": (MetricSpec("AWS/ApplicationELB", "RequestCount", "Sum", "Count"),
            MetricSpec("AWS/ApplicationELB", "TargetResponseTime", "Average", "Seconds"),
            MetricSpec("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "Count"),
            MetricSpec("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", "Count"),
            MetricSpec("AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", "Count")),
}

# Metric names whose value is a count of bad things: zero is their healthy baseline.
ERROR_COUNT_METRICS = frozenset({"Errors", "Throttles", "4XXError", "5XXError", "HTTPCode_Target_5XX_Count",
                                 "HTTPCode_ELB_5XX_Count", "UnHealthyHostCount", "StatusCheckFailed",
                                 "ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests"})


def resource_dimensions(resource: ResourceRef) -> dict[str, str]:
    """The dimensions that identify a resource's metrics."""
    if resource.type == "lambda":
        return {"FunctionName": resource.id}
    if resource.type == "ec2":
        return {"InstanceId": resource.id}
    if resource.type == "rds":
        return {"DBInstanceIdentifier": resource.id}
    if resource.type == "ecs":
        cluster, _, service = resource.id.partition("/")
        return {"ClusterName": cluster, "ServiceName": service or cluster}
    if resource.type == "apigateway":
        return {"ApiName": resource.id}
    if resource.type == "alb":
        return {"LoadBalancer": resource.id}
    if catalog_kind(resource) == "dynamodb":
        return {"TableName": resource.id}
    return {}


def catalog_kind(resource: ResourceRef) -> str:
    """The catalog entry of a resource: its type, or for ``other`` the service it belongs to."""
    return str(resource.properties.get("service") or "other") if resource.type == "other" else resource.type


def target_group_keys(alarm_key: MetricKey | None) -> list[MetricKey]:
    """The balancer catalog metrics of the target group a per-target-group alarm watches (its requests,
    latency, 5xx, unhealthy hosts): that group's own story, which the balancer's totals blur."""
    dims = alarm_key.dimension_map if alarm_key is not None else {}
    if alarm_key is None or not {"LoadBalancer", "TargetGroup"} <= set(dims):
        return []
    wanted = {"LoadBalancer": dims["LoadBalancer"], "TargetGroup": dims["TargetGroup"]}
    return [MetricKey.of(spec.namespace, spec.name, wanted, spec.stat, alarm_key.region) for spec in CATALOG["alb"]]


def metric_keys(resource: ResourceRef, extra: dict[str, str] | None = None) -> list[tuple[MetricKey, str | None]]:
    """(key, unit) of every catalog metric for a resource; ``extra`` maps metric name -> statistic."""
    dims = resource_dimensions(resource)
    if not dims:
        return []
    out = []
    kind = catalog_kind(resource)
    for spec in CATALOG.get(kind, ()):
        all_dims = {**dims, **dict(spec.extra_dimensions)}
        out.append((MetricKey.of(spec.namespace, spec.name, all_dims, spec.stat, resource.region), spec.unit))
    namespace = CATALOG[kind][0].namespace if kind in CATALOG else None
    for name, stat in (extra or {}).items():
        if namespace and not any(k.name == name for k, _ in out):
            out.append((MetricKey.of(namespace, name, dims, stat, resource.region), None))
    return out


AGENT_NAMESPACE = "CWAgent"  # the CloudWatch agent adds its own dimensions (path, device, fstype...)


# A balancer's host counts exist only per target group (LoadBalancer + TargetGroup [+ AvailabilityZone]).
PER_TARGET_GROUP = frozenset({"UnHealthyHostCount", "HealthyHostCount"})


API_NAMESPACE = "AWS/ApiGateway"  # published per API and per stage (some accounts have only the latter)


_PERCENT_METRICS = frozenset((spec.namespace, spec.name) for specs in CATALOG.values() for spec in specs
                              if spec.unit == "Percent")


def is_percent(namespace: str, metric: str) -> bool:
    """A catalog metric measured in percent of a capacity (CPU, memory, disk used)."""
    return (namespace, metric) in _PERCENT_METRICS


def published_with_more_dimensions(namespace: str, metric: str) -> bool:
    """Whether CloudWatch publishes the metric with dimensions beyond the resource's own, so that its real
    dimension sets must be found with ListMetrics (the agent's disk path, a balancer's target group)."""
    return namespace in (AGENT_NAMESPACE, API_NAMESPACE) or metric in PER_TARGET_GROUP


def listed_dimension_sets(listed: Sequence[tuple[str, Mapping[str, str]]], metric: str,
                          dims: Mapping[str, str]) -> list[dict[str, str]]:
    """The real dimension sets (from ListMetrics: (name, dimensions)) of ``metric`` that include ``dims``
    (an instance's ``InstanceId``: one per disk path; a balancer's ``LoadBalancer``: one per target group,
    without the per-zone ones). Sorted, unique."""
    unique = {tuple(sorted(d.items())) for name, d in listed
              if name == metric and all(d.get(k) == v for k, v in dims.items())}
    found = [dict(d) for d in sorted(unique)]
    if metric in PER_TARGET_GROUP:
        return [d for d in found if "TargetGroup" in d and "AvailabilityZone" not in d]
    if "ApiName" in dims:  # a REST API's own series, else its stages' (not per method or resource)
        return [d for d in found if d == dict(dims)] or [d for d in found if set(d) <= {"ApiName", "Stage"}]
    return found


# ---------------------------------------------------------------------------------------------
# Watching: default thresholds, derived rates and per-config watch rules (used by the poller).

GT, LT = "GreaterThanThreshold", "LessThanThreshold"


@dataclass(frozen=True)
class DerivedRate:
    """A rate computed client-side: 100 * numerator / denominator on the same resource (percent).
    `over_attempts`: the denominator does not count the numerator's events (a throttled call is no
    invocation), so the rate is over both: 100 * numerator / (numerator + denominator), at most 100 %."""

    name: str
    numerator: str
    denominator: str
    unit: str = "Percent"
    over_attempts: bool = False


DERIVED_RATES: dict[str, tuple[DerivedRate, ...]] = {
    "lambda": (DerivedRate("ErrorRate", "Errors", "Invocations"),
               DerivedRate("ThrottleRate", "Throttles", "Invocations", over_attempts=True)),
    "apigateway": (DerivedRate("4XXRate", "4XXError", "Count"),
                   DerivedRate("5XXRate", "5XXError", "Count")),
    "alb": (DerivedRate("Target5XXRate", "HTTPCode_Target_5XX_Count", "RequestCount"),
            # RequestCount counts only requests the balancer found a target for: its own 503s (no healthy
            # target) are not in it, so the rate is over both (a total outage reads 100 %, not nothing)
            DerivedRate("ELB5XXRate", "HTTPCode_ELB_5XX_Count", "RequestCount", over_attempts=True)),
}

# Metrics whose bad side is low: a threshold configured for them without a comparison is a floor.
LOW_IS_BAD = frozenset({"FreeableMemory", "FreeStorageSpace", "BurstBalance", "EBSIOBalance%", "CPUCreditBalance",
                        "RunningTaskCount"})

# Sensible static thresholds per (service, metric): (threshold, comparison). Config overrides them.
DEFAULT_THRESHOLDS: dict[tuple[str, str], tuple[float, str]] = {
    ("ec2", "CPUUtilization"): (90.0, GT),
    ("ec2", "StatusCheckFailed"): (0.0, GT),
    ("ec2", "mem_used_percent"): (90.0, GT),
    ("ec2", "disk_used_percent"): (90.0, GT),
    ("lambda", "ErrorRate"): (5.0, GT),
    ("lambda", "ThrottleRate"): (1.0, GT),
    ("rds", "CPUUtilization"): (90.0, GT),
    ("ecs", "CPUUtilization"): (90.0, GT),
    ("ecs", "MemoryUtilization"): (90.0, GT),
    ("apigateway", "5XXRate"): (5.0, GT),
    ("alb", "Target5XXRate"): (5.0, GT),
    ("alb", "ELB5XXRate"): (5.0, GT),
    ("alb", "UnHealthyHostCount"): (0.0, GT),
}


@dataclass(frozen=True)
class WatchRule:
    """How one metric of a service is watched: statistic, period and an optional static threshold."""

    service: str
    namespace: str
    metric: str
    stat: str
    period: int = 60
    threshold: float | None = None
    comparison: str = GT
    per_resource: tuple[tuple[str, float], ...] = ()
    unit: str | None = None
    derived: DerivedRate | None = None

    def threshold_for(self, resource_id: str) -> float | None:
        """The resource's own threshold if configured, else the rule's."""
        return dict(self.per_resource).get(resource_id, self.threshold)


def watch_rules(service: str, overrides: dict[str, object] | None = None) -> list[WatchRule]:
    """Catalog metrics and derived rates of a service, with config ``overrides`` applied.

    ``overrides`` maps metric name -> an object with ``threshold``, ``comparison``, ``period``,
    ``statistic`` and ``resources`` ({resource id: threshold}) attributes (the config's MetricRule).
    A name not in the catalog adds a metric in the service's main namespace.
    """
    overrides = overrides or {}
    rules: list[WatchRule] = []
    specs = CATALOG.get(service, ())
    for spec in specs:
        rules.append(_apply(WatchRule(service, spec.namespace, spec.name, spec.stat, unit=spec.unit,
                                      **_default_threshold(service, spec.name)), overrides.get(spec.name)))
    for rate in DERIVED_RATES.get(service, ()):
        base = WatchRule(service, specs[0].namespace, rate.name, "Rate", unit=rate.unit, derived=rate,
                         **_default_threshold(service, rate.name))
        rules.append(_apply(base, overrides.get(rate.name)))
    known = {r.metric for r in rules}
    for name, override in overrides.items():
        if name not in known and specs:
            rules.append(_apply(WatchRule(service, specs[0].namespace, name, "Average"), override))
    return rules


def _default_threshold(service: str, metric: str) -> dict[str, object]:
    found = DEFAULT_THRESHOLDS.get((service, metric))
    if found:
        return {"threshold": found[0], "comparison": found[1]}
    return {"comparison": LT} if metric in LOW_IS_BAD else {}


def _apply(rule: WatchRule, override: object | None) -> WatchRule:
    if override is None:
        return rule
    threshold = getattr(override, "threshold", None)
    stat = getattr(override, "statistic", None)
    per_resource = getattr(override, "resources", None) or {}
    return WatchRule(
        rule.service, rule.namespace, rule.metric,
        stat if stat and rule.derived is None else rule.stat,
        int(getattr(override, "period", None) or rule.period),
        threshold if threshold is not None else rule.threshold,
        str(getattr(override, "comparison", None) or rule.comparison),
        tuple(sorted((str(k), float(v)) for k, v in per_resource.items())),
        rule.unit, rule.derived)
