"""Small helpers on top of common.py / runtimes.py used by every h66 scenario."""
from __future__ import annotations

import json
import math

from .common import GRID, HISTORY, Scenario

__all__ = ["GRID", "HISTORY", "Scenario", "M", "poisson", "sprinkle", "minutes",
           "laravel", "logfmt", "jl", "sqlserver", "apigw_access", "meta", "hourly",
           "ecs_stream", "new_scenario"]


def new_scenario(num, slug, description, region, seed, now_iso) -> Scenario:
    return Scenario(num, slug, description, region, seed, now_iso)


def M(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> dict:
    """Emit one metric series sampled from fn(t); returns {t: value}."""
    vals = sc.series(fn, **kw)
    sc.metric(ns, name, dims, unit, vals)
    return {t: v for t, v in zip(GRID, vals) if v is not None}


def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    lim, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= sc.rng.random()
        if p <= lim:
            return k
        k += 1


def minutes(start: float, end: float = 0) -> list:
    return [t for t in GRID if start <= t < end]


def sprinkle(sc: Scenario, start: float, end: float, rate, emit) -> None:
    """For every minute in [start, end): draw Poisson(rate(t)) events and call emit(t)."""
    for m in minutes(start, end):
        n = poisson(sc, rate(m))
        for s in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            if s < end:
                emit(s)


def hourly(t: float, sc: Scenario, minute: int, length_min: float) -> bool:
    """True while an hourly job that starts at :minute is running."""
    d = sc.at(t)
    into = (d.minute - minute) % 60 + d.second / 60.0
    return into < length_min


# ----------------------------------------------------------------- log formats
def laravel(sc: Scenario, t: float, level: str, msg: str, ctx: dict | None = None) -> str:
    d = sc.at(t)
    extra = " " + json.dumps(ctx, separators=(",", ":")) if ctx else " []"
    return f"[{d.strftime('%Y-%m-%d %H:%M:%S')}] production.{level.upper()}: {msg}{extra}"


def logfmt(sc: Scenario, t: float, level: str, msg: str, **kv) -> str:
    parts = [f"time={sc.iso(t)}", f"level={level}", f'msg="{msg}"']
    for k, v in kv.items():
        s = str(v)
        parts.append(f'{k}="{s}"' if (" " in s or "=" in s or not s) else f"{k}={s}")
    return " ".join(parts)


def jl(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":"))


def sqlserver(sc: Scenario, t: float, spid: str, msg: str) -> str:
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')}.{d.microsecond // 10000:02d} {spid:<11}{msg}"


def apigw_access(sc: Scenario, t: float, method: str, path: str, status: int, lat_ms: int,
                 integ_ms: int | None, integ_status: str | int = "-", length: int = 0,
                 ip: str | None = None) -> str:
    d = sc.at(t)
    return jl({"requestId": sc.uuid(), "ip": ip or sc.ip("172.31"),
               "requestTime": d.strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": method,
               "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
               "responseLength": str(length), "integrationStatus": str(integ_status),
               "integrationLatency": "-" if integ_ms is None else str(integ_ms),
               "responseLatency": str(lat_ms)})


def ecs_stream(sc: Scenario, prefix: str, container: str) -> str:
    return f"{prefix}/{container}/{sc.hexid(32)}"


def meta(sc: Scenario, *, alarm_pos: str, decoys: list, story: str, services: list,
         judgement: str | None = None) -> None:
    sc.meta.update(alarm_pos=alarm_pos, decoys=decoys, story=story, services=services,
                   judgement=judgement)
