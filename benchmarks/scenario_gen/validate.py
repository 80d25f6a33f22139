"""Consistency checks for a scenario document (as loaded from YAML)."""
from __future__ import annotations

from typing import Any

CATEGORIES = {"bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"}
DIMENSION_OWNERS = {"FunctionName": "lambda", "DBInstanceIdentifier": "rds", "InstanceId": "ec2",
                    "ApiName": "apigateway", "LoadBalancer": "alb"}


def problems(doc: dict[str, Any]) -> list[str]:
    """Everything wrong with ``doc``; empty when it is consistent."""
    out: list[str] = []
    if doc.get("format") != "aiops-scenario/v1":
        out.append("format is not aiops-scenario/v1")
    ids = {(r["type"], r["id"]) for r in doc["resources"]}
    if len(ids) != len(doc["resources"]):
        out.append("duplicate resource ids")
    for m in doc["metrics"]:
        label = f"metric {m['namespace']}/{m['name']} {m['dimensions']}"
        times = [p[0] for p in m["points"]]
        if times != sorted(times) or len(set(times)) != len(times):
            out.append(f"{label}: points not strictly sorted")
        if any(t >= 0 for t in times):
            out.append(f"{label}: non-negative time")
        out += [f"{label}: {p}" for p in _dimension_problems(m["dimensions"], ids)]
    known_groups = _log_groups(doc["resources"])
    for log in doc["logs"]:
        times = [e[0] for e in log["events"]]
        if times != sorted(times):
            out.append(f"log {log['group']}/{log['stream']}: events not sorted")
        if any(t >= 0 for t in times):
            out.append(f"log {log['group']}: non-negative time")
        if log["group"] not in known_groups:
            out.append(f"log group {log['group']} belongs to no resource")
    changes = [c["time"] for c in doc["changes"]]
    if changes != sorted(changes) or any(t >= 0 for t in changes):
        out.append("changes not sorted or not in the past")
    alarms = {a["name"]: a for a in doc["alarms"]}
    for alarm in doc["alarms"]:
        out += [f"alarm {alarm['name']}: {p}" for p in _dimension_problems(alarm["dimensions"], ids)]
        if alarm["state_changed"] >= 0:
            out.append(f"alarm {alarm['name']}: state_changed not in the past")
    expect = doc.get("expect", {})
    if expect.get("alarm") not in alarms:
        out.append("expect.alarm is not an alarm")
    elif alarms[expect["alarm"]]["state"] != "ALARM":
        out.append("expected alarm is not in ALARM")
    if expect.get("root_cause", {}).get("category") not in CATEGORIES:
        out.append("expect.root_cause.category unknown")
    if not expect.get("root_cause", {}).get("resource"):
        out.append("expect.root_cause.resource empty")
    metric_keys = {(m["namespace"], m["name"], tuple(sorted(m["dimensions"].items()))) for m in doc["metrics"]}
    for anomaly in expect.get("anomalies", []):
        if (anomaly["namespace"], anomaly["name"], tuple(sorted(anomaly["dimensions"].items()))) not in metric_keys:
            out.append(f"expect anomaly {anomaly} is not a metric")
    return out


def _dimension_problems(dimensions: dict[str, str], ids: set[tuple[str, str]]) -> list[str]:
    out = []
    for key, value in dimensions.items():
        owner = DIMENSION_OWNERS.get(key)
        if owner and (owner, value) not in ids:
            out.append(f"dimension {key}={value} names no {owner} resource")
    if "ClusterName" in dimensions and ("ecs", f"{dimensions['ClusterName']}/{dimensions.get('ServiceName')}") not in ids:
        out.append("ECS dimensions name no ecs resource")
    return out


def _log_groups(resources: list[dict[str, Any]]) -> set[str]:
    groups = set()
    for r in resources:
        props = r.get("properties", {})
        groups.update(props.get("log_groups", []))
        if r["type"] == "lambda":
            groups.add(f"/aws/lambda/{r['id']}")
        elif r["type"] == "rds":
            groups.update({f"/aws/rds/instance/{r['id']}/postgresql", f"/aws/rds/instance/{r['id']}/error"})
        elif r["type"] == "apigateway" and props.get("api_id"):
            groups.add(f"API-Gateway-Execution-Logs_{props['api_id']}/prod")
    return groups
