"""Set-79 additions to the holdout57 helpers: the scenario class, metric shortcuts per service,
sparse log tickers, API Gateway access-log lines, syslog stamps and README metadata."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID, Scenario, counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

LOG_START = -10800       # log streams keep three hours, metrics six


class S79(Scenario):
    prefix = "h79"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> S79:
    return S79(num, slug, description, region, seed=79_000 + num * 17, now_iso=now_iso)


# --------------------------------------------------------------------------- metrics
def put(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    """Sample fn on the one-minute grid and store it as a metric series."""
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def binom(sc: Scenario, counts: list, pfn) -> list:
    """Per-minute failures among `counts`, each failing with probability pfn(t)."""
    out = []
    for t, n in zip(GRID, counts):
        if n is None:
            out.append(None)
            continue
        p = max(0.0, min(1.0, pfn(t)))
        out.append(float(sum(1 for _ in range(int(n)) if sc.rng.random() < p)))
    return out


def lambda_set(sc: Scenario, fn: str, inv: list, err: list, dur: list, conc: list | None = None,
               thr: list | None = None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    if thr is not None:
        sc.metric("AWS/Lambda", "Throttles", d, "Count", thr)
    if conc is not None:
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def cron_grid(every_min: int, offset_min: int = 0) -> set:
    """Grid minutes on which a rate(N minutes) schedule fires."""
    return {t for t in GRID if ((t // 60) - offset_min) % every_min == 0}


def run_lambda(sc: Scenario, ll: LambdaLogs, inv: list, err: list, body,
               start: float = LOG_START) -> None:
    ll.run(counts_per_minute(inv, start, 0), counts_per_minute(err, start, 0), body)


def ecs_dims(cluster: str, service: str) -> dict:
    return {"ClusterName": cluster, "ServiceName": service}


# --------------------------------------------------------------------------- logs
def ticks(sc: Scenario, rate_fn, start: float = LOG_START, end: float = 0.0) -> list:
    """Event times: about rate_fn(t) per minute, uniformly inside each minute."""
    out = []
    for m in GRID:
        if m < start or m >= end:
            continue
        r = max(0.0, rate_fn(m))
        n = int(r) + (1 if sc.rng.random() < r - int(r) else 0)
        out += [m + sc.rng.uniform(0, 60) for _ in range(n)]
    return sorted(out)


def task_id(sc: Scenario) -> str:
    return sc.hexid(32)


def apigw_access(sc: Scenario, t: float, ip: str, method: str, path: str, status: int,
                 lat_ms: int, ilat_ms, err: str = "-", key: str = "-") -> str:
    """API Gateway JSON access-log line ($context variables)."""
    d = sc.at(t)
    return jline({"requestId": sc.uuid(), "ip": ip, "requestTime": d.strftime("%d/%b/%Y:%H:%M:%S +0000"),
                  "httpMethod": method, "resourcePath": path, "status": str(status),
                  "protocol": "HTTP/1.1", "responseLatency": str(lat_ms),
                  "integrationLatency": "-" if ilat_ms is None else str(ilat_ms),
                  "apiKeyId": key, "errorMessage": err})


def syslog_ts(sc: Scenario, t: float) -> str:
    """RFC 3164 timestamp: the day is space-padded, the hour is not."""
    d = sc.at(t)
    return f"{d.strftime('%b')} {d.day:>2} {d.strftime('%H:%M:%S')}"


# --------------------------------------------------------------------------- README metadata
def meta(sc: Scenario, *, category: str, resources: list, front: str, decoys: str, story: str,
         services: str) -> None:
    sc.meta.update(category=category, resources=resources, front=front, decoys=decoys,
                   story=story, services=services)
