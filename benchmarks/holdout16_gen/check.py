"""Consistency checks of the generated set: ``python -m benchmarks.holdout16_gen.check [dir]``.

Checks every file without running any investigation: the expected alarm exists and is in ALARM,
accepted resources are resource ids (or a resource's ``name`` property), the category is from
the format's table, anomaly metrics exist, times are in the past, sizes and volumes are sane,
and no hint words leak into names, descriptions or logs. Prints the category/service mix.
"""
from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

import yaml

CATEGORIES = {"bad_deployment", "config_change", "permission_denied", "dependency_failure",
              "db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion",
              "throttling", "function_timeout", "traffic_surge", "application_error", "unknown"}
HINTS = re.compile(r"decoy|root[ _-]?cause|culprit|red herring|injected|ground truth", re.I)
SERVICES = ("ec2", "lambda", "rds", "ecs", "apigateway", "alb")
NS_SERVICE = {"AWS/EC2": "ec2", "CWAgent": "ec2", "AWS/Lambda": "lambda", "AWS/RDS": "rds", "AWS/ECS": "ecs",
              "ECS/ContainerInsights": "ecs", "AWS/ApiGateway": "apigateway", "AWS/ApplicationELB": "alb"}


def check_file(path: Path) -> tuple[list[str], dict]:
    errors: list[str] = []
    text = path.read_text()
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    exp = data.get("expect") or {}
    rc = exp.get("root_cause") or {}
    if data.get("format") != "aiops-scenario/v1":
        errors.append("format")
    if len(text) > 6_000_000:
        errors.append(f"size {len(text) / 1e6:.1f} MB")
    alarms = {a["name"]: a for a in data.get("alarms", [])}
    alarm = alarms.get(exp.get("alarm"))
    if alarm is None:
        errors.append(f"expect.alarm {exp.get('alarm')} not in alarms")
    elif alarm["state"] != "ALARM" or not -21600 < alarm["state_changed"] < 0:
        errors.append(f"expected alarm state {alarm['state']} at {alarm['state_changed']}")
    if rc.get("category") not in CATEGORIES:
        errors.append(f"category {rc.get('category')}")
    ids = {r["id"]: r for r in data.get("resources", [])}
    names = {str((r.get("properties") or {}).get("name")): r for r in data.get("resources", [])}
    names.update({r["id"].split("/", 1)[1]: r for r in data.get("resources", []) if r["type"] == "ecs"})
    origin_types = set()
    for rid in rc.get("resource") or []:
        res = ids.get(rid) or names.get(rid)
        if res is None:
            errors.append(f"accepted resource {rid} is not a resource id or name")
        else:
            origin_types.add(res["type"])
    metric_keys = {(m["namespace"], m["name"], tuple(sorted(m["dimensions"].items()))) for m in data["metrics"]}
    for a in data.get("alarms", []):
        key = (a["namespace"], a["metric"], tuple(sorted(a["dimensions"].items())))
        if key not in metric_keys:
            errors.append(f"alarm {a['name']} has no metric series")
    for an in exp.get("anomalies", []):
        key = (an["namespace"], an["name"], tuple(sorted(an["dimensions"].items())))
        if key not in metric_keys:
            errors.append(f"anomaly {an['name']} {an['dimensions']} has no metric series")
    for m in data["metrics"]:
        ts = [p[0] for p in m["points"]]
        if ts and (max(ts) >= 0 or min(ts) < -21600):
            errors.append(f"metric {m['name']} times out of range")
        if len(ts) < 300 and m["namespace"] != "AWS/SQS" and m["name"] != "Duration":
            errors.append(f"metric {m['namespace']} {m['name']} {m['dimensions']} has only {len(ts)} points")
    groups: dict[str, int] = collections.Counter()
    for s in data["logs"]:
        groups[s["group"]] += len(s["events"])
        if any(t >= 0 for t, _ in s["events"]):
            errors.append(f"log {s['group']} has future events")
        for _, msg in s["events"]:
            if HINTS.search(msg):
                errors.append(f"hint word in log {s['group']}: {msg[:80]}")
                break
    for where in [data.get("description", ""), data["name"]] + [r["id"] for r in data["resources"]] + list(alarms):
        if HINTS.search(str(where)):
            errors.append(f"hint word in {where}")
    for g, n in groups.items():
        if n > 20000:
            errors.append(f"log group {g} has {n} lines")
    alarm_type = None
    if alarm:
        alarm_type = NS_SERVICE.get(alarm["namespace"])
    info = {"category": rc.get("category"), "origin_types": origin_types, "alarm_type": alarm_type,
            "size": len(text), "region": data["region"], "changes": len(data.get("changes", [])),
            "groups": dict(groups)}
    return errors, info


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "scenarios_holdout16"
    files = sorted(folder.glob("*.yaml"))
    bad = 0
    cats: collections.Counter = collections.Counter()
    svc: collections.Counter = collections.Counter()
    total = 0
    for f in files:
        errors, info = check_file(f)
        total += info["size"]
        cats[info["category"]] += 1
        for t in info["origin_types"] | ({info["alarm_type"]} if info["alarm_type"] else set()):
            svc[t] += 1
        status = "ok" if not errors else "FAIL"
        print(f"{status:4} {f.name}: {info['category']} origin={sorted(info['origin_types'])} "
              f"alarm={info['alarm_type']} {info['size'] / 1e6:.2f} MB "
              f"max-group={max(info['groups'].values()) if info['groups'] else 0}")
        for e in errors:
            print(f"     - {e}")
        bad += bool(errors)
    print(f"\n{len(files)} files, {total / 1e6:.1f} MB; categories: {dict(cats)}")
    print(f"services as origin or alarm: {dict(svc)}")
    if len(cats) < 10 or cats.get("unknown", 0) > 1:
        print("category coverage below the target")
        bad += 1
    for s in SERVICES:
        if svc[s] < 2:
            print(f"service {s} appears fewer than twice")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
