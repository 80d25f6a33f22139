"""Helpers shared by the set-63 scenarios: event emission, metric shorthands,
compliance-scanner noise and night change windows."""
from __future__ import annotations

import math

from .common import GRID, Scenario
from .runtimes import LambdaLogs

LOG_START = -10800  # server and function logs cover the last three hours


def partition(sc: Scenario) -> str:
    return "aws-us-gov" if sc.region.startswith("us-gov") else "aws"


def arn(sc: Scenario, service: str, resource: str, region: bool = True) -> str:
    reg = sc.region if region else ""
    return f"arn:{partition(sc)}:{service}:{reg}:{sc.account}:{resource}"


def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def emit(sc: Scenario, group: str, stream: str, start: float, end: float, rate, line) -> None:
    """rate(t): expected events per minute; line(t): str, [(dt, str)], or None."""
    rng = sc.rng
    for m in range(int(start), int(end), 60):
        n = poisson(rng, rate(m))
        for t in sorted(rng.uniform(m, m + 60) for _ in range(n)):
            out = line(t)
            if out is None:
                continue
            if isinstance(out, str):
                sc.log(group, stream, t, out)
            else:
                for dt, txt in out:
                    sc.log(group, stream, t + dt, txt)


def periodic(sc: Scenario, group: str, stream: str, start: float, end: float, every: float,
             line, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, every)
    while t < end:
        out = line(t)
        if isinstance(out, str):
            sc.log(group, stream, t, out)
        elif out:
            for dt, txt in out:
                sc.log(group, stream, t + dt, txt)
        t += every + sc.rng.uniform(-jitter, jitter)


def M(sc: Scenario, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def part(sc: Scenario, totals: list, p_fn) -> list:
    """Binomial share of a count series; p_fn(t) is the probability per unit."""
    out = []
    for t, n in zip(GRID, totals):
        p = max(0.0, min(1.0, p_fn(t)))
        if n is None:
            out.append(None)
            continue
        k = int(n)
        if k > 60:
            v = round(sc.rng.gauss(k * p, math.sqrt(k * p * (1 - p)) + 1e-9))
        else:
            v = sum(1 for _ in range(k) if sc.rng.random() < p)
        out.append(float(max(0, min(k, v))))
    return out


def sample(sc: Scenario, totals: list, errors: list | None, start: float = LOG_START,
           cap: int = 3) -> tuple:
    """Per-minute invocation/error counts to write logs for, capped to keep files small;
    the error share of each minute is preserved."""
    inv, err = {}, {}
    for i, t in enumerate(GRID):
        if t < start or totals[i] is None:
            continue
        n = int(totals[i])
        e = int(errors[i]) if errors else 0
        k = min(n, cap)
        if n == 0:
            continue
        ke = e * k / n
        ke = int(ke) + (1 if sc.rng.random() < ke - int(ke) else 0)
        if e > 0 and ke == 0 and sc.rng.random() < 0.5:
            ke = 1
        inv[t], err[t] = k, min(k, ke)
    return inv, err


def lambda_set(sc: Scenario, fn: str, inv: list, err: list, dur: list,
               thr: list | None = None, conc: list | None = None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    if thr is not None:
        sc.metric("AWS/Lambda", "Throttles", d, "Count", thr)
    if conc is not None:
        sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


# --------------------------------------------------------------------------- compliance noise
SCAN_TARGETS = [
    ("s3", "GetBucketPolicy", "arn:{p}:s3:::{b}"),
    ("s3", "GetBucketAcl", "arn:{p}:s3:::{b}"),
    ("kms", "GetKeyPolicy", "arn:{p}:kms:{r}:{a}:key/{k}"),
    ("kms", "GetKeyRotationStatus", "arn:{p}:kms:{r}:{a}:key/{k}"),
    ("secretsmanager", "GetResourcePolicy", "arn:{p}:secretsmanager:{r}:{a}:secret:{s}"),
    ("iam", "GetAccountPasswordPolicy", "arn:{p}:iam::{a}:root"),
    ("logs", "DescribeResourcePolicies", "arn:{p}:logs:{r}:{a}:*"),
]


def scanner(sc: Scenario, fn: str, role: str, buckets: list, secrets: list,
            every: int = 300, runtime: str = "python3.12") -> None:
    """A scheduled compliance scanner that logs AccessDenied on every sweep, all day long.

    Its errors are handled (findings), so its Lambda Errors metric stays at zero."""
    sc.resource("lambda", fn, runtime=runtime, timeout=120, memory_size=256,
                description="scheduled compliance evidence collector")
    keys = [sc.uuid() for _ in range(3)]
    p, r, a = partition(sc), sc.region, sc.account
    runs = {}
    t = -21600 + sc.rng.randint(0, every - 60)
    while t < 0:
        runs[(t // 60) * 60] = 1
        t += every
    inv = [1.0 if t in runs else None for t in GRID]
    dur = [round(sc.rng.uniform(21000, 34000), 2) if v else None for v in inv]
    sc.metric("AWS/Lambda", "Invocations", {"FunctionName": fn}, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": fn}, "Count",
              [0.0 if v else None for v in inv])
    sc.metric("AWS/Lambda", "Duration", {"FunctionName": fn}, "Milliseconds", dur)
    ll = LambdaLogs(sc, fn, runtime, 256, 120, mem_used=(118, 9), life=(7200, 14000))

    def body(_ll, s, reqid, is_err, cold):
        lines = [(0.05, _ll.fmt(s, reqid, "INFO", f"sweep started controls={sc.rng.randint(180, 240)} "
                                                   f"scope=account:{a}"))]
        dt = 0.4
        for _ in range(sc.rng.randint(5, 9)):
            svc, op, tmpl = sc.rng.choice(SCAN_TARGETS)
            res = tmpl.format(p=p, r=r, a=a, b=sc.rng.choice(buckets), k=sc.rng.choice(keys),
                              s=sc.rng.choice(secrets))
            code = "AccessDeniedException" if svc in ("kms", "secretsmanager", "logs") else "AccessDenied"
            msg = (f"control check failed: An error occurred ({code}) when calling the {op} operation: "
                   f"User: arn:{p}:sts::{a}:assumed-role/{role}/{fn} is not authorized to perform: "
                   f"{svc}:{op} on resource: {res} with an explicit deny in a service control policy")
            lines.append((dt, _ll.fmt(s + dt, reqid, "ERROR", msg)))
            dt += sc.rng.uniform(0.8, 4.0)
        lines.append((dt + 0.2, _ll.fmt(s + dt, reqid, "INFO",
                                        f"sweep finished findings={len(lines) - 1} exported=securityhub")))
        return {"lines": lines, "dur": dur_of(s)}

    def dur_of(s):
        return sc.rng.uniform(21000, 34000)

    ll.run({t: 1 for t in runs if t >= LOG_START}, {}, body)


def night_window(sc: Scenario, start: float, end: float, items: list) -> None:
    """Harmless change-window events spread between start and end.

    items: (event_source, event_name, resource_type, resource_name, username)."""
    n = len(items)
    for i, (src, ev, rt, rn, user) in enumerate(items):
        t = start + (end - start) * (i + sc.rng.uniform(0.1, 0.9)) / n
        sc.change(t, src, ev, rt, rn, user)


def alarm_desc(text: str) -> str:
    return text


# --------------------------------------------------------------------------- metric families
RDS_UNITS = {"CPUUtilization": "Percent", "DatabaseConnections": "Count", "FreeableMemory": "Bytes",
             "FreeStorageSpace": "Bytes", "ReadLatency": "Seconds", "WriteLatency": "Seconds",
             "DiskQueueDepth": "Count", "ReadIOPS": "Count/Second", "WriteIOPS": "Count/Second",
             "TransactionLogsDiskUsage": "Bytes", "OldestReplicationSlotLag": "Bytes"}


def rds(sc: Scenario, db: str, **series) -> None:
    for name, vals in series.items():
        sc.metric("AWS/RDS", name, {"DBInstanceIdentifier": db}, RDS_UNITS[name], vals)


def alb(sc: Scenario, lb: str, req: list, t5xx: list, rt: list, e5xx: list | None = None,
        unhealthy: list | None = None, tg: str | None = None) -> None:
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt)
    if e5xx is not None:
        sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx)
    if unhealthy is not None:
        sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb, "TargetGroup": tg},
                  "Count", unhealthy)


def apigw(sc: Scenario, api: str, stage: str, count: list, e5: list, e4: list, lat: list,
          integ: list | None = None) -> None:
    d = {"ApiName": api, "Stage": stage}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat)
    if integ is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", integ)


def ecs(sc: Scenario, cluster: str, svc: str, cpu: list, mem: list) -> None:
    d = {"ClusterName": cluster, "ServiceName": svc}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem)


def task_ids(sc: Scenario, n: int) -> list:
    return [sc.hexid(32) for _ in range(n)]


def add(*lists) -> list:
    return [sum(v for v in vals if v is not None) for vals in zip(*lists)]


def apigw_exec(sc: Scenario, api_id: str, stage: str, t: float, lines: list) -> None:
    """Execution-log lines for one request: lines = [(dt, text)], prefixed with the request id."""
    rid = sc.uuid()
    streams = sc.meta.setdefault(("gw", api_id), [sc.hexid(32) for _ in range(3)])
    stream = sc.rng.choice(streams)
    for dt, text in lines:
        sc.log(f"API-Gateway-Execution-Logs_{api_id}/{stage}", stream, t + dt, f"({rid}) {text}")
