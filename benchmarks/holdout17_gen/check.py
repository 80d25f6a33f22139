"""Consistency checks of a built case (also runnable on the written YAML files:
``python -m benchmarks.holdout17_gen.check``)."""
from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

import yaml

from .core import CATEGORIES

_ALT_KEYS = ("name", "api_id", "role", "target_groups")


def _names(resources: list[dict]) -> set[str]:
    ok: set[str] = set()
    for r in resources:
        ok.add(r["id"])
        if r["type"] == "ecs" and "/" in r["id"]:
            ok.add(r["id"].split("/", 1)[1])
        for k in _ALT_KEYS:
            v = (r.get("properties") or {}).get(k)
            if isinstance(v, str):
                ok.add(v)
    return ok


def check_dict(d: dict) -> list[str]:
    name = d.get("name", "?")
    out = []
    exp = d.get("expect") or {}
    alarms = {a["name"]: a for a in d.get("alarms", [])}
    if exp.get("alarm") not in alarms:
        out.append(f"{name}: expect.alarm {exp.get('alarm')} is not an alarm")
    elif alarms[exp["alarm"]]["state"] != "ALARM":
        out.append(f"{name}: expected alarm is not in ALARM")
    rc = exp.get("root_cause") or {}
    if rc.get("category") not in CATEGORIES:
        out.append(f"{name}: category {rc.get('category')} not in the table")
    names = _names(d.get("resources", []))
    for rid in rc.get("resource") or []:
        if rid not in names:
            out.append(f"{name}: accepted resource {rid} is not a resource id or alternate name")
    if not rc.get("resource"):
        out.append(f"{name}: no accepted resource")
    for a in d.get("alarms", []):
        if not any(m["namespace"] == a["namespace"] and m["name"] == a["metric"] and m["dimensions"] == a["dimensions"]
                   for m in d.get("metrics", [])):
            out.append(f"{name}: alarm {a['name']} has no metric data")
        if a["state_changed"] >= 0:
            out.append(f"{name}: alarm {a['name']} changed in the future")
    for lg in d.get("logs", []):
        if any(t >= 0 or not m for t, m in lg["events"]):
            out.append(f"{name}: {lg['group']} has a future or empty event")
    for m in d.get("metrics", []):
        if any(t >= 0 for t, _ in m["points"]):
            out.append(f"{name}: metric {m['name']} has a future point")
    text = json.dumps({k: d[k] for k in ("name", "description", "resources", "logs", "changes", "alarms")})
    for word in ("decoy", "root-cause", "root cause", "culprit"):
        if word in text.lower():
            out.append(f"{name}: the word '{word}' appears in the scenario")
    return out


def check_case(case) -> list[str]:
    return check_dict(case.to_dict())


def main() -> int:
    folder = Path(__file__).resolve().parent.parent / "scenarios_holdout17"
    bad = 0
    for p in sorted(glob.glob(str(folder / "*.yaml"))):
        with open(p) as fh:
            d = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        probs = check_dict(d)
        rc = d["expect"]["root_cause"]
        print(f"{Path(p).name}: {'OK' if not probs else 'PROBLEMS'}  {rc['category']} {rc['resource']}")
        for x in probs:
            print("   ", x)
        bad += bool(probs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
