"""Set-76 additions to the holdout57 helpers: per-service metric bundles, sparse event
scattering, ECS task streams and the PHP / Laravel / nginx-error log styles the shared
runtimes module lacks. Everything draws from the scenario's seeded rng."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import HISTORY, Scenario
from benchmarks.holdout57_gen.runtimes import jline

LOG_START = -10800  # Lambda invocation logs cover the last three hours


class H76(Scenario):
    prefix = "h76"


def make(num: int, slug: str, description: str, region: str, now_iso: str) -> H76:
    return H76(num, slug, description, region, seed=760000 + num * 37, now_iso=now_iso)


# --------------------------------------------------------------------------- randomness
def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def scatter(sc: Scenario, rate, emit, start: float = -HISTORY, end: float = 0) -> None:
    """Call emit(t) at Poisson(rate(minute)) random instants in every minute of [start, end)."""
    m = int(start // 60 * 60)
    while m < end:
        n = poisson(sc.rng, rate(m))
        for t in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            if start <= t < end:
                emit(t)
        m += 60


def every(sc: Scenario, period: float, emit, start: float = -HISTORY, end: float = 0,
          jitter: float = 2.0) -> None:
    t = start + sc.rng.uniform(0, period)
    while t < end:
        emit(t + sc.rng.uniform(0, jitter))
        t += period


# --------------------------------------------------------------------------- ids
def instance_id(sc: Scenario) -> str:
    return "i-0" + sc.hexid(16)


def alb_id(sc: Scenario, name: str) -> str:
    return f"app/{name}/{sc.hexid(16)}"


class TaskStreams:
    """ECS awslogs streams `prefix/container/taskid`; a deployment at time d replaces the tasks
    over `roll` seconds."""

    def __init__(self, sc: Scenario, prefix: str, container: str, count: int, deploys=(),
                 roll: float = 240.0):
        self.sc, self.roll = sc, roll
        self.epochs = [(-10 ** 9, self._tasks(prefix, container, count))]
        for d in sorted(deploys):
            self.epochs.append((d, self._tasks(prefix, container, count)))

    def _tasks(self, prefix, container, count):
        return [f"{prefix}/{container}/{self.sc.hexid(32)}" for _ in range(count)]

    def epoch(self, t: float) -> int:
        """Index of the task set serving at t (during a roll, new tasks take over gradually)."""
        idx = 0
        for i, (d, _) in enumerate(self.epochs):
            if t >= d + self.sc.rng.uniform(0, self.roll):
                idx = i
        return idx

    def stream(self, t: float, idx: int | None = None) -> str:
        idx = self.epoch(t) if idx is None else idx
        return self.sc.rng.choice(self.epochs[idx][1])


# --------------------------------------------------------------------------- metric bundles
def _m(sc, ns, name, dims, unit, fn, **kw):
    return sc.metric(ns, name, dims, unit, sc.series(fn, **kw))


def alb(sc: Scenario, lb: str, name: str, req, rt, t5xx=lambda t: 0.3, e5xx=lambda t: 0.0,
        hosts: int = 3, unhealthy=lambda t: 0.0, t4xx=None, internal: bool = False) -> dict:
    sc.resource("alb", lb, name=name, scheme="internal" if internal else "internet-facing")
    d = {"LoadBalancer": lb}
    out = {"req": _m(sc, "AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)}
    out["rt"] = _m(sc, "AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, noise=0.08,
                   digits=4)
    out["t5"] = _m(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx,
                   integer=True)
    if t4xx:
        _m(sc, "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, integer=True)
    out["e5"] = _m(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx,
                   integer=True)
    _m(sc, "AWS/ApplicationELB", "HealthyHostCount", d, "Count",
       lambda t: hosts - unhealthy(t), noise=0, digits=0)
    _m(sc, "AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, noise=0, digits=0)
    return out


def ec2(sc: Scenario, iid: str, name: str, itype: str, cpu, mem=None, disk=None, net=None,
        status=None, **props) -> None:
    sc.resource("ec2", iid, name=name, instance_type=itype, **props)
    d = {"InstanceId": iid}
    _m(sc, "AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.06, abs_noise=0.8, cap=100.0)
    _m(sc, "AWS/EC2", "NetworkIn", d, "Bytes", net or (lambda t: 4.0e6), noise=0.12, digits=0)
    _m(sc, "AWS/EC2", "StatusCheckFailed", d, "Count", status or (lambda t: 0.0), noise=0,
       digits=0)
    if mem:
        _m(sc, "CWAgent", "mem_used_percent", d, "Percent", mem, noise=0.015, cap=100.0)
    if disk:
        _m(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "device": "nvme0n1p1",
                                                "fstype": "xfs"}, "Percent", disk, noise=0.002,
           cap=100.0)


def lam(sc: Scenario, fn: str, runtime: str, memory: int, timeout: int, inv, err, dur,
        conc=None, thr=None, dur_cap=None, conc_noise: float = 0.05, **props) -> tuple:
    sc.resource("lambda", fn, runtime=runtime, memory_size=memory, timeout=timeout, **props)
    d = {"FunctionName": fn}
    iv = _m(sc, "AWS/Lambda", "Invocations", d, "Count", inv, integer=True)
    ev = [min(a, b) for a, b in zip(sc.series(err, integer=True), iv)]
    sc.metric("AWS/Lambda", "Errors", d, "Count", ev)
    _m(sc, "AWS/Lambda", "Throttles", d, "Count", thr or (lambda t: 0.0), integer=True)
    _m(sc, "AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.08, digits=2,
       cap=dur_cap or timeout * 1000.0)
    _m(sc, "AWS/Lambda", "ConcurrentExecutions", d, "Count",
       conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0)), noise=conc_noise,
       integer=conc_noise > 0, digits=0, floor=1.0,
       cap=props.get("reserved_concurrency"))
    return iv, ev


def rds(sc: Scenario, db: str, engine: str, cls: str, max_conn: int, storage_gb: int, cpu,
        conns, free_gb, read_lat=lambda t: 0.0012, write_lat=lambda t: 0.0021,
        freeable_gb=lambda t: 5.5, **props) -> None:
    sc.resource("rds", db, engine=engine, instance_class=cls, max_connections=max_conn,
                allocated_storage_gb=storage_gb, **props)
    d = {"DBInstanceIdentifier": db}
    _m(sc, "AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.07, abs_noise=0.5, cap=100.0)
    _m(sc, "AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.03, integer=True,
       cap=float(max_conn))
    _m(sc, "AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free_gb(t) * 1e9, noise=0.0005,
       digits=0)
    _m(sc, "AWS/RDS", "ReadLatency", d, "Seconds", read_lat, noise=0.15, digits=5)
    _m(sc, "AWS/RDS", "WriteLatency", d, "Seconds", write_lat, noise=0.15, digits=5)
    _m(sc, "AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: freeable_gb(t) * 1e9, noise=0.01,
       digits=0)


def ecs(sc: Scenario, cluster: str, service: str, cpu, mem, desired: int, running=None,
        **props) -> str:
    rid = f"{cluster}/{service}"
    sc.resource("ecs", rid, desired_count=desired, **props)
    d = {"ClusterName": cluster, "ServiceName": service}
    _m(sc, "AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, abs_noise=0.5, cap=100.0)
    _m(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)
    _m(sc, "ECS/ContainerInsights", "RunningTaskCount", d, "Count",
       running or (lambda t: float(desired)), noise=0, digits=0)
    return rid


def apigw(sc: Scenario, api: str, count, e4, e5, latency, integ=None, stage: str = "prod") -> dict:
    sc.resource("apigateway", api, stage=stage, endpoint_type="REGIONAL")
    d = {"ApiName": api}
    out = {"count": _m(sc, "AWS/ApiGateway", "Count", d, "Count", count, integer=True)}
    out["e4"] = _m(sc, "AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
    out["e5"] = _m(sc, "AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
    _m(sc, "AWS/ApiGateway", "Latency", d, "Milliseconds", latency, noise=0.1, digits=2)
    _m(sc, "AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
       integ or (lambda t: max(1.0, latency(t) - 18.0)), noise=0.1, digits=2)
    return out


# --------------------------------------------------------------------------- log styles
def php_log(sc: Scenario, t: float, kind: str, msg: str) -> str:
    """PHP error_log line: kind is 'Warning', 'Notice', 'Deprecated', 'Fatal error'."""
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {kind}:  {msg}"


def fpm_log(sc: Scenario, t: float, level: str, msg: str) -> str:
    d = sc.at(t)
    return f"[{d.strftime('%d-%b-%Y %H:%M:%S')}.{d.microsecond // 1000:03d}] {level}: {msg}"


def nginx_error(sc: Scenario, t: float, level: str, msg: str, client: str, server: str,
                request: str, upstream: str | None = None, host: str | None = None) -> str:
    d = sc.at(t)
    pid = 1000 + sc.rng.randint(0, 40)
    s = (f"{d.strftime('%Y/%m/%d %H:%M:%S')} [{level}] {pid}#{pid}: *{sc.rng.randint(10 ** 5, 10 ** 7)} "
         f"{msg}, client: {client}, server: {server}, request: \"{request}\"")
    if upstream:
        s += f", upstream: \"{upstream}\""
    return s + f", host: \"{host or server}\""


def monolog(sc: Scenario, t: float, level: str, msg: str, channel: str = "production",
            **context) -> str:
    lv = {"DEBUG": 100, "INFO": 200, "NOTICE": 250, "WARNING": 300, "ERROR": 400,
          "CRITICAL": 500}[level]
    d = sc.at(t)
    return jline({"message": msg, "context": context, "level": lv, "level_name": level,
                  "channel": channel,
                  "datetime": d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond:06d}+00:00",
                  "extra": {}})

