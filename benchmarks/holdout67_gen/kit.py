"""Metric-family and log helpers shared by the set-67 scenarios.

Every builder takes mean-value functions of relative time `t` and an optional
region; values are sampled with the scenario's seeded noise, so output is
deterministic. Builders return the sampled series so logs can follow them.
"""
from __future__ import annotations

import math

from .common import GRID, Scenario, counts_per_minute, diurnal  # noqa: F401

REGION_HOUR = {"us-east-1": -5, "us-west-2": -8, "eu-west-1": 0, "ap-southeast-1": 8}
ZERO = (lambda t: 0.0)


def load(sc: Scenario, region: str, amp: float = 0.3, peak_local: float = 20.0):
    """Shopping load curve in the region's local evening."""
    peak = (peak_local - REGION_HOUR[region]) % 24
    return lambda t: diurnal(sc, t, peak_hour=peak, amp=amp)


def poisson(sc: Scenario, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(sc.rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= sc.rng.random()
        if p <= L:
            return k
        k += 1


def sprinkle(sc: Scenario, group: str, stream: str, rate, text, start: float = -10800,
             end: float = 0, region: str | None = None) -> None:
    """Poisson events at rate(t) per minute; text(t) -> str (or None to skip)."""
    for m in GRID:
        if m < start or m >= end:
            continue
        for _ in range(poisson(sc, rate(m))):
            t = m + sc.rng.uniform(0, 60)
            if t < start or t >= end:
                continue
            line = text(t)
            if line:
                sc.log(group, stream, t, line, region=region)


def every(sc: Scenario, group: str, stream: str, period: float, text, start: float = -21600,
          end: float = 0, region: str | None = None, jitter: float = 2.0) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        line = text(t)
        if line:
            sc.log(group, stream, t + sc.rng.uniform(0, jitter), line, region=region)
        t += period


# --------------------------------------------------------------------------- metric families
def lam(sc: Scenario, fn: str, inv, dur, err=ZERO, thr=ZERO, conc=None, region=None,
        cap_conc: int | None = None, ratio=None) -> dict:
    """ratio(t): error fraction of invocations (binomial); otherwise err(t) is a count."""
    d = {"FunctionName": fn}
    inv_v = sc.series(inv, integer=True)
    if ratio is not None:
        err_v = [float(sum(sc.rng.random() < ratio(t) for _ in range(int(i))))
                 for t, i in zip(GRID, inv_v)]
    else:
        err_v = [min(e, i) for e, i in zip(sc.series(err, integer=True), inv_v)]
    thr_v = sc.series(thr, integer=True)
    dur_v = sc.series(dur, noise=0.07)
    if conc is None:
        conc_v = [max(1.0, float(math.ceil(i * dv / 60000.0 * 1.6))) for i, dv in zip(inv_v, dur_v)]
    elif cap_conc:
        conc_v = [float(cap_conc) if conc(t) >= cap_conc else
                  float(max(1, min(cap_conc, round(conc(t) + sc.rng.gauss(0, 1)))))
                  for t in GRID]
    else:
        conc_v = sc.series(conc, integer=True, floor=1)
    if cap_conc:
        conc_v = [min(float(cap_conc), c) for c in conc_v]
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv_v, region=region)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err_v, region=region)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr_v, region=region)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur_v, region=region)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc_v, region=region)
    return {"inv": inv_v, "err": err_v, "thr": thr_v, "dur": dur_v, "conc": conc_v}


def alb(sc: Scenario, lb: str, req, rt, t5=ZERO, e5=ZERO, healthy=None, unhealthy=ZERO,
        region=None, t4=None) -> dict:
    d = {"LoadBalancer": lb}
    req_v = sc.series(req, integer=True)
    out = {"req": req_v}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req_v, region=region)
    out["rt"] = sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
                          sc.series(rt, noise=0.08), region=region)
    out["t5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count",
                          sc.series(t5, integer=True), region=region)
    out["e5"] = sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
                          sc.series(e5, integer=True), region=region)
    if t4 is not None:
        out["t4"] = sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count",
                              sc.series(t4, integer=True), region=region)
    if healthy is not None:
        sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
                  [float(round(healthy(t))) for t in GRID], region=region)
        sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
                  [float(round(unhealthy(t))) for t in GRID], region=region)
    return out


def ecs(sc: Scenario, cluster: str, service: str, cpu, mem, tasks=None, region=None) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    out = {"cpu": sc.metric("AWS/ECS", "CPUUtilization", d, "Percent",
                            sc.series(cpu, noise=0.06, cap=100.0), region=region),
           "mem": sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent",
                            sc.series(mem, noise=0.02, cap=100.0), region=region)}
    if tasks is not None:
        out["tasks"] = sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
                                 [float(round(tasks(t))) for t in GRID], region=region)
    return out


GB = 1024 ** 3


def rds(sc: Scenario, db: str, cpu, conns, free_gb, rlat=None, wlat=None, freemem_gb=None,
        region=None, extra=None, max_conns: int | None = None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {"cpu": sc.metric("AWS/RDS", "CPUUtilization", d, "Percent",
                            sc.series(cpu, noise=0.08, cap=100.0), region=region),
           "conns": sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
                              sc.series(conns, integer=True, cap=max_conns), region=region)}
    free = [round(free_gb(t) * GB + sc.rng.gauss(0, 2e6)) for t in GRID]
    out["free"] = sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                            [float(max(0, v)) for v in free], region=region)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds",
              sc.series(rlat or (lambda t: 0.0012), noise=0.15, digits=5), region=region)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds",
              sc.series(wlat or (lambda t: 0.0021), noise=0.15, digits=5), region=region)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [float(round((freemem_gb or (lambda t: 5.8))(t) * GB * (1 + sc.rng.gauss(0, 0.01))))
               for t in GRID], region=region)
    for name, unit, fn, kw in (extra or []):
        out[name] = sc.metric("AWS/RDS", name, d, unit, sc.series(fn, **kw), region=region)
    return out


def apigw(sc: Scenario, api: str, count, lat, e4=ZERO, e5=ZERO, ilat=None, region=None) -> dict:
    d = {"ApiName": api}
    out = {"count": sc.metric("AWS/ApiGateway", "Count", d, "Count",
                              sc.series(count, integer=True), region=region)}
    out["e4"] = sc.metric("AWS/ApiGateway", "4XXError", d, "Count",
                          sc.series(e4, integer=True), region=region)
    out["e5"] = sc.metric("AWS/ApiGateway", "5XXError", d, "Count",
                          sc.series(e5, integer=True), region=region)
    out["lat"] = sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds",
                           sc.series(lat, noise=0.08), region=region)
    if ilat is not None:
        sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
                  sc.series(ilat, noise=0.08), region=region)
    return out


def ec2(sc: Scenario, iid: str, cpu, net, mem, disk, status=ZERO, region=None) -> dict:
    d = {"InstanceId": iid}
    out = {"cpu": sc.metric("AWS/EC2", "CPUUtilization", d, "Percent",
                            sc.series(cpu, noise=0.06, cap=100.0), region=region)}
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", sc.series(net, noise=0.12), region=region)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
              [float(round(status(t))) for t in GRID], region=region)
    out["mem"] = sc.metric("CWAgent", "mem_used_percent", d, "Percent",
                           sc.series(mem, noise=0.01, cap=100.0), region=region)
    sc.metric("CWAgent", "disk_used_percent", {**d, "path": "/", "fstype": "xfs"}, "Percent",
              sc.series(disk, noise=0.002, cap=100.0), region=region)
    return out


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def instance_id(sc: Scenario) -> str:
    return f"i-0{sc.hexid(16)}"


def task_id(sc: Scenario) -> str:
    return sc.hexid(32)


def pick(sc: Scenario, items):
    return items[sc.rng.randrange(len(items))]


def weighted(sc: Scenario, pairs):
    tot = sum(w for _, w in pairs)
    x = sc.rng.uniform(0, tot)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]
