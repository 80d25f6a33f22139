"""Small shared helpers for the scenario modules."""
from __future__ import annotations

import datetime as _dt
import json

from .core import GRID

ACCOUNT = "482913775120"
UTC = _dt.timezone.utc


def now(y, mo, d, h, mi):
    return _dt.datetime(y, mo, d, h, mi, 0, tzinfo=UTC)


def task_id(sc):
    return sc.hexid(32)


def instance_id(sc):
    return "i-0" + sc.hexid(16)


def frac(sc, counts, frac_fn):
    """Per-minute counts of a fraction of `counts` (Poisson thinning)."""
    return [float(sc.poisson(c * max(0.0, frac_fn(t)))) for t, c in zip(GRID, counts)]


def at(values, t):
    """Value of a GRID-aligned list at relative time t."""
    i = max(0, min(len(GRID) - 1, int((t - GRID[0]) // 60)))
    return values[i]


def events(sc, ts, make):
    return [(t, make(t)) for t in ts]


def deployment_event(sc, t, region, cluster, service, name, dep_id, reason):
    ev = {"version": "0", "id": sc.uuid(), "detail-type": "ECS Deployment State Change", "source": "aws.ecs",
          "account": ACCOUNT, "time": sc.iso(t, ms=False), "region": region,
          "resources": [f"arn:aws:ecs:{region}:{ACCOUNT}:service/{cluster}/{service}"],
          "detail": {"eventType": "INFO" if "FAILED" not in name else "ERROR", "eventName": name,
                     "deploymentId": dep_id, "updatedAt": sc.iso(t), "reason": reason}}
    return json.dumps(ev, separators=(",", ":"))


def meta(sc, alarm, category, resources, where, decoys, story):
    sc.meta = {"alarm": alarm, "category": category, "resources": list(resources), "where": where,
               "decoys": decoys, "story": story}
