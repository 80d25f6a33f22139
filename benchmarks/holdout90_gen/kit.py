"""Set-90 additions to the holdout57 helpers: the dinner-rush load curve, Poisson log streams,
per-service metric bundles (Lambda, API Gateway, ALB, ECS, RDS, EC2) and a few log formats the
shared runtimes module lacks (API Gateway access logs, ECS agent events, structlog JSON)."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

LOG_START = -10800      # logs cover the last three hours; metrics the full six
SYD = "ap-southeast-2"
USE = "us-east-1"


class H90(Scenario):
    prefix = "h90"


def rush(t: float) -> float:
    """Dinner-rush load factor: tail of lunch six hours ago, an afternoon lull, then a climb to
    the evening peak that is on now (1.0)."""
    lunch = 0.22 * math.exp(-((t + 21000) / 2700.0) ** 2)
    return 0.5 + lunch + 0.5 * ramp(t, -9600, -900)


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


def binom(rng, n: int, p: float) -> int:
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n * p > 25 and n * (1 - p) > 25:
        return max(0, min(n, int(round(rng.gauss(n * p, math.sqrt(n * p * (1 - p)))))))
    return sum(1 for _ in range(n) if rng.random() < p)


def sround(rng, x: float) -> int:
    """Stochastic rounding (keeps rare events when logs are sampled)."""
    lo = math.floor(x)
    return int(lo + (1 if rng.random() < x - lo else 0))


# --------------------------------------------------------------------------- log streams
def stream(sc: Scenario, group: str, name: str, rate, line, start: float = LOG_START,
           end: float = 0) -> None:
    """Poisson events: rate(minute) per minute, text line(t) (a str, or a list of (dt, str))."""
    for minute in range(int(start), int(end), 60):
        n = poisson(sc.rng, rate(minute))
        for s in sorted(sc.rng.uniform(minute, minute + 60) for _ in range(n)):
            out = line(s)
            if isinstance(out, str):
                sc.log(group, name, s, out)
            else:
                for dt, text in out:
                    sc.log(group, name, s + dt, text)


def every(sc: Scenario, group: str, name: str, period: float, line, start: float = LOG_START,
          end: float = 0, jitter: float = 1.5, offset: float = 0.0) -> None:
    t = start + offset
    while t < end:
        s = t + sc.rng.uniform(0, jitter)
        out = line(s)
        if out:
            sc.log(group, name, s, out)
        t += period


def task_ids(sc: Scenario, n: int) -> list:
    return [sc.hexid(32) for _ in range(n)]


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


def apigw_access(sc: Scenario, t: float, method: str, path: str, status: int, lat_ms: float,
                 ip: str, integ: int | None = None) -> str:
    return jline({"requestId": sc.uuid(), "ip": ip, "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                  "httpMethod": method, "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
                  "responseLength": str(sc.rng.randint(90, 2400) if status < 400 else 36),
                  "responseLatency": str(int(lat_ms)),
                  "integrationStatus": str(integ if integ is not None else status),
                  "integrationLatency": str(max(0, int(lat_ms) - sc.rng.randint(3, 14)))})


def structlog(sc: Scenario, t: float, level: str, event: str, logger: str, **kv) -> str:
    obj = {"timestamp": sc.iso(t, 6), "level": level, "logger": logger, "event": event}
    obj.update(kv)
    return jline(obj)


def ecs_event(svc: str, msg: str) -> str:
    return f"(service {svc}) {msg}"


# --------------------------------------------------------------------------- metric bundles
def ints(sc: Scenario, fn, noise: float = 0.05) -> list:
    return sc.series(fn, noise=noise, integer=True)


def lambda_fn(sc: Scenario, name: str, runtime: str, memory: int, timeout: int, rate, err_p=None,
              dur=None, throttles=None, reserved: int | None = None, conc_cap: float | None = None,
              burst=(1.3, 1.9), exact: bool = False, **props) -> dict:
    """Resource + AWS/Lambda series. rate(t): invocations/min demand; err_p(t): error probability;
    dur(t): mean duration ms; throttles(t, demand): throttled count; burst: peak-to-mean concurrency range.
    Returns the value lists."""
    p = {"runtime": runtime, "memory_size": memory, "timeout": timeout}
    if reserved is not None:
        p["reserved_concurrency"] = reserved
    p.update(props)
    sc.resource("lambda", name, **p)
    dims = {"FunctionName": name}
    demand = [float(round(rate(t))) for t in GRID] if exact else ints(sc, rate)  # exact: scheduled invocations
    thr = [float(min(d, max(0, round(throttles(t, d))))) if throttles else 0.0 for t, d in zip(GRID, demand)]
    inv = [d - th for d, th in zip(demand, thr)]
    errs = [float(binom(sc.rng, int(n), (err_p or (lambda _t: 0.0))(t))) for t, n in zip(GRID, inv)]
    durs = sc.series(dur or (lambda _t: 120.0), noise=0.07, floor=1.0, digits=2,
                     cap=timeout * 1000.0)
    conc = []
    for t, n, d in zip(GRID, inv, durs):
        c = n / 60.0 * d / 1000.0 * sc.rng.uniform(*burst) + (1 if n else 0)
        cap = conc_cap or reserved
        conc.append(float(min(cap, round(c))) if cap else float(round(c)))
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", dims, "Count", errs)
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", durs)
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", thr)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
    return {"inv": inv, "err": errs, "dur": durs, "thr": thr, "demand": demand}


def lambda_logs(sc: Scenario, ll: LambdaLogs, vals: dict, body, sample: float = 1.0,
                start: float = LOG_START) -> None:
    """Run `ll` over the log window for a sample of the metric's invocations and errors."""
    inv, err = {}, {}
    for t, n, e in zip(GRID, vals["inv"], vals["err"]):
        if t < start:
            continue
        ne = sround(sc.rng, e * sample)
        inv[t] = max(ne, sround(sc.rng, n * sample))
        err[t] = ne
    ll.run(inv, err, body)


def apigw(sc: Scenario, api: str, count: list, e4: list, e5: list, lat, integ_lat=None, **props) -> None:
    sc.resource("apigateway", api, **props)
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(lat, noise=0.08, digits=1))
    il = integ_lat or (lambda t: max(1.0, lat(t) - 18))
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", sc.series(il, noise=0.08, digits=1))


def alb(sc: Scenario, lb: str, req: list, t5: list, t4: list, e5: list, trt, healthy, unhealthy=None,
        **props) -> None:
    sc.resource("alb", lb, name=lb.split("/")[1], **props)
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
              sc.series(trt, noise=0.08, digits=4))
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", [float(healthy(t)) for t in GRID])
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
              [float((unhealthy or (lambda _t: 0))(t)) for t in GRID])


def ecs(sc: Scenario, cluster: str, service: str, cpu, mem, running, **props) -> None:
    sc.resource("ecs", f"{cluster}/{service}", **props)
    d = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.06, cap=100.0))
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", sc.series(mem, noise=0.015, cap=100.0))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", [float(running(t)) for t in GRID])


def rds(sc: Scenario, db: str, cpu, conns, free_gb, rlat=None, wlat=None, queue=None,
        free_mem_gb: float = 6.0, **props) -> None:
    sc.resource("rds", db, **props)
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.07, cap=100.0))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", sc.series(conns, noise=0.04, integer=False, digits=0,
                                                                      cap=float(props.get("max_connections", 1e9))))
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              sc.series(lambda t: free_gb(t) * 1024 ** 3, noise=0.0005, digits=0))
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", sc.series(rlat or (lambda t: 0.0011), noise=0.12, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", sc.series(wlat or (lambda t: 0.0016), noise=0.12, digits=5))
    sc.metric("AWS/RDS", "DiskQueueDepth", d, "Count", sc.series(queue or (lambda t: 0.4), noise=0.2, digits=3))
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              sc.series(lambda t: free_mem_gb * 1024 ** 3, noise=0.01, digits=0))


def ec2(sc: Scenario, iid: str, name: str, itype: str, cpu, net_in, status=None, mem=None, disk=None,
        status_system=None, **props) -> None:
    sc.resource("ec2", iid, name=name, instance_type=itype, **props)
    d = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.06, cap=100.0))
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", sc.series(net_in, noise=0.1, digits=0))
    st = status or (lambda _t: 0)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [float(st(t)) for t in GRID])
    if status_system:
        sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", [float(status_system(t)) for t in GRID])
        sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", [0.0 for _ in GRID])
    sc.metric("CWAgent", "mem_used_percent", d, "Percent", sc.series(mem or (lambda _t: 48.0), noise=0.02))
    sc.metric("CWAgent", "disk_used_percent", d, "Percent", sc.series(disk or (lambda _t: 41.0), noise=0.002))


def expect(sc: Scenario, alarm: str, category: str, resources: list, anomalies: list) -> None:
    sc.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                 "anomalies": [{"namespace": ns, "name": n, "dimensions": d} for ns, n, d in anomalies]}


def describe(sc: Scenario, *, front: str, decoys: str, story: str, services: str, judgement: str = "") -> None:
    sc.meta.update(front=front, decoys=decoys, story=story, services=services, judgement=judgement)
