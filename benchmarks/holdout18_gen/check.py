"""Consistency checks for a generated scenario (our own, independent of the bot)."""
from __future__ import annotations

CATEGORIES = {"bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion", "throttling",
              "function_timeout", "traffic_surge", "application_error", "unknown"}
BANNED = ("decoy", "root-cause", "root cause", "culprit", "red herring", "injected", "scenario")


def _names(res: dict) -> set[str]:
    """A resource's id and its natural alternate names (Name tag, ALB short name, ECS service, role, groups)."""
    out = {res["id"]}
    props = res.get("properties") or {}
    for key in ("name", "role", "parameter_group"):
        if isinstance(props.get(key), str):
            out.add(props[key])
    if res["type"] == "ecs" and "/" in res["id"]:
        out.add(res["id"].split("/", 1)[1])
    return out


def check(doc: dict) -> list[str]:
    problems = []
    exp = doc["expect"]
    alarms = {a["name"]: a for a in doc["alarms"]}
    if exp["alarm"] not in alarms:
        problems.append(f"expect.alarm {exp['alarm']} not among alarms")
    elif alarms[exp["alarm"]]["state"] != "ALARM":
        problems.append("expected alarm is not in ALARM")
    if exp["root_cause"]["category"] not in CATEGORIES:
        problems.append(f"unknown category {exp['root_cause']['category']}")
    names = set()
    for r in doc["resources"]:
        names |= _names(r)
    for rid in exp["root_cause"]["resource"]:
        if rid not in names:
            problems.append(f"accepted resource {rid} is neither a resource id nor a natural alternate")
    metric_keys = {(m["namespace"], m["name"], tuple(sorted(m["dimensions"].items()))) for m in doc["metrics"]}
    for a in doc["alarms"]:
        if (a["namespace"], a["metric"], tuple(sorted(a["dimensions"].items()))) not in metric_keys:
            problems.append(f"alarm {a['name']} has no metric series")
        if a["state"] == "ALARM" and not -21600 < a["state_changed"] < 0:
            problems.append(f"alarm {a['name']} changed outside the window")
    for m in doc["metrics"]:
        ts = [p[0] for p in m["points"]]
        if ts != sorted(ts) or (ts and (ts[0] < -21600 or ts[-1] >= 0)):
            problems.append(f"metric {m['namespace']}/{m['name']} times out of order or range")
    for lg in doc["logs"]:
        ts = [e[0] for e in lg["events"]]
        if ts != sorted(ts) or ts[-1] >= 0 or any(not e[1] for e in lg["events"]):
            problems.append(f"log {lg['group']} events out of order, in the future or empty")
        if len(lg["events"]) > 15000:
            problems.append(f"log stream {lg['group']} has {len(lg['events'])} events")
    text = " ".join([doc["name"], doc["description"]] + [r["id"] for r in doc["resources"]]
                    + [a["name"] for a in doc["alarms"]] + [str(c) for c in doc["changes"]]).lower()
    for lg in doc["logs"]:
        text += " " + lg["group"].lower() + " " + lg["stream"].lower() + " " + " ".join(e[1].lower() for e in lg["events"])
    for word in BANNED:
        if word in text:
            problems.append(f"banned word '{word}' appears")
    return problems
