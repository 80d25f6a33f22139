"""Set-77 additions to the shared holdout57 helpers: the set's Scenario subclass, metric bundles
per service (ECS, ALB, API Gateway, RDS, Lambda, EC2), sparse log emitters, ECS task streams,
CloudTrail shortcuts and a few log formats the shared runtimes module lacks."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import GRID, Scenario, diurnal, ramp, step, bump  # noqa: F401
from benchmarks.holdout57_gen.runtimes import (LambdaLogs, gunicorn, jline, logfmt_writer, mysql,  # noqa: F401
                                               nginx, pg, pino, serilog, spring, zap)

# re-exported shared helpers (the set's scenario modules import them from here) and the kit's own names
__all__ = ["GRID", "Scenario", "diurnal", "ramp", "step", "bump", "LambdaLogs", "gunicorn", "jline", "logfmt_writer",
           "mysql", "nginx", "pg", "pino", "serilog", "spring", "zap", "LOG_START", "S77", "Tasks", "lam_metrics",
           "ecs_metrics", "alb_metrics", "apigw_metrics", "rds_metrics", "ec2_metrics", "ecs_deploy", "lambda_deploy",
           "lambda_config", "pyjson", "uvicorn_access", "golog", "combined", "laravel", "task_event", "apigw_exec",
           "run_lambda", "lam"]

LOG_START = -15000  # app log streams start ~4 h before "now": hours of pre-onset baseline


class S77(Scenario):
    prefix = "h77"

    def __init__(self, num, slug, description, region, seed, now_iso):
        super().__init__(num, slug, description, region, seed, now_iso)
        self.meta = {"front": "", "decoys": "", "story": "", "judgement": "", "services": []}

    # ------------------------------------------------------------------ expectations
    def expect_root(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    # ------------------------------------------------------------------ sparse events
    def count(self, rate: float) -> int:
        """A Poisson-ish integer count with mean `rate`."""
        if rate <= 0:
            return 0
        n = int(rate)
        return n + (1 if self.rng.random() < rate - n else 0)

    def emit(self, group: str, stream, start: float, end: float, rate, line) -> None:
        """rate(t) events per minute (or a constant) in [start, end); line(t) -> text or None;
        stream is a name or a callable(t) -> name."""
        for minute in range(int(start) - int(start) % 60, int(end), 60):
            r = rate(minute) if callable(rate) else rate
            for _ in range(self.count(r)):
                t = minute + self.rng.uniform(0, 59.9)
                if t < start or t >= end:
                    continue
                text = line(t)
                if text is None:
                    continue
                st = stream(t) if callable(stream) else stream
                self.log(group, st, t, text)

    def every(self, group: str, stream: str, start: float, end: float, period: float, line,
              jitter: float = 2.0) -> None:
        t = start
        while t < end:
            text = line(t)
            if text:
                self.log(group, stream, t + self.rng.uniform(0, jitter), text)
            t += period

    def pick(self, items):
        return self.rng.choice(items)

    def ms(self, lo, hi) -> int:
        return int(self.rng.uniform(lo, hi))


# --------------------------------------------------------------------------- ECS tasks
class Tasks:
    """ECS task ids per service with start/stop times; awslogs streams prefix/container/taskid."""

    def __init__(self, sc: S77, prefix: str, container: str):
        self.sc, self.prefix, self.container = sc, prefix, container
        self.tasks: list = []

    def add(self, n: int, start: float, end: float = 1.0, tag: str = "") -> list:
        new = [{"id": self.sc.hexid(32), "start": start + i * self.sc.rng.uniform(5, 40),
                "end": end, "tag": tag} for i in range(n)]
        self.tasks += new
        return new

    def stream(self, task: dict) -> str:
        return f"{self.prefix}/{self.container}/{task['id']}"

    def live(self, t: float, tag: str | None = None) -> list:
        return [k for k in self.tasks if k["start"] <= t < k["end"] and (tag is None or k["tag"] == tag)]

    def at(self, t: float, tag: str | None = None):
        live = self.live(t, tag)
        return self.sc.rng.choice(live) if live else None


# --------------------------------------------------------------------------- metric bundles
def lam_metrics(sc: S77, fn: str, inv, err, dur, conc=None, thr=None, inv_noise=0.08, err_frac=None):
    """Lambda metrics; inv/err/dur/thr are callables of t (err_frac(t): a share of invocations
    that fail, added to err). Returns (inv, err) value lists."""
    d = {"FunctionName": fn}
    iv = sc.metric("AWS/Lambda", "Invocations", d, "Count", sc.series(inv, noise=inv_noise, integer=True))
    fr = [sum(sc.rng.random() < err_frac(t) for _ in range(int(i))) if err_frac else 0
          for t, i in zip(GRID, iv)]
    ev = sc.metric("AWS/Lambda", "Errors", d, "Count",
                   [float(min(i, e + f)) for i, e, f in zip(iv, sc.series(err, integer=True), fr)])
    sc.metric("AWS/Lambda", "Throttles", d, "Count", sc.series(thr or (lambda t: 0.0), integer=True))
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", sc.series(dur, noise=0.1))
    c = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0))
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", sc.series(c, noise=0.08, floor=1, integer=True))
    return iv, ev


def ecs_metrics(sc: S77, cluster: str, svc: str, cpu, mem, running, desired=None):
    d = {"ClusterName": cluster, "ServiceName": svc}
    sc.metric("AWS/ECS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.06, cap=100.0))
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", sc.series(mem, noise=0.02, cap=100.0))
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
              [float(round(running(t))) for t in GRID])
    sc.metric("ECS/ContainerInsights", "DesiredTaskCount", d, "Count",
              [float(round((desired or running)(t))) for t in GRID])


def alb_metrics(sc: S77, lb: str, req, rt, t5xx, e5xx=None, healthy=None, unhealthy=None):
    d = {"LoadBalancer": lb}
    rq = sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", sc.series(req, noise=0.05, integer=True))
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", sc.series(rt, noise=0.1, digits=4))
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", sc.series(t5xx, integer=True))
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count",
              sc.series(e5xx or (lambda t: 0.15), integer=True))
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
              [float(round((healthy or (lambda t: 4))(t))) for t in GRID])
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
              [float(round((unhealthy or (lambda t: 0))(t))) for t in GRID])
    return rq


def apigw_metrics(sc: S77, api: str, count, e4xx, e5xx, latency, integ=None):
    d = {"ApiName": api}
    c = sc.metric("AWS/ApiGateway", "Count", d, "Count", sc.series(count, noise=0.05, integer=True))
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", sc.series(e4xx, integer=True))
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", sc.series(e5xx, integer=True))
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", sc.series(latency, noise=0.1))
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
              sc.series(integ or (lambda t: latency(t) * 0.85), noise=0.1))
    return c


def rds_metrics(sc: S77, db: str, cpu, conns, free_gb, read_lat=None, write_lat=None,
                mem_gb=None, queue=None, max_conns=None):
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.07, cap=100.0))
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
              [float(round(v)) for v in sc.series(conns, noise=0.03, abs_noise=1.5, cap=max_conns)])
    sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
              [round(v * 1e9, -6) for v in sc.series(free_gb, noise=0.0005, digits=4)])
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", sc.series(read_lat or (lambda t: 0.0015), noise=0.15, digits=5))
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", sc.series(write_lat or (lambda t: 0.0025), noise=0.15, digits=5))
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
              [round(v * 1e9, -6) for v in sc.series(mem_gb or (lambda t: 5.2), noise=0.02, digits=4)])
    sc.metric("AWS/RDS", "DiskQueueDepth", d, "Count", sc.series(queue or (lambda t: 0.6), noise=0.2))


def ec2_metrics(sc: S77, iid: str, cpu, mem=None, disk=None, status=None, net_mb=None, times=None):
    d = {"InstanceId": iid}
    tm = times or GRID
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", sc.series(cpu, noise=0.05, cap=100.0, times=tm), tm)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
              sc.series(lambda t: _mul((net_mb or (lambda x: 40.0))(t), 1e6), noise=0.1, digits=0, times=tm), tm)
    st = status or (lambda t: 0.0)
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count", [float(st(t)) for t in GRID])
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", [float(st(t)) for t in GRID])
    sc.metric("CWAgent", "mem_used_percent", {"InstanceId": iid}, "Percent",
              sc.series(mem or (lambda t: 48.0), noise=0.01, cap=100.0, times=tm), tm)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
              sc.series(disk or (lambda t: 41.0), noise=0.002, cap=100.0, times=tm), tm)


def _mul(v, k):
    return None if v is None else v * k


# --------------------------------------------------------------------------- CloudTrail
def ecs_deploy(sc: S77, t: float, cluster: str, svc: str, family: str, rev: int, user: str) -> None:
    sc.change(t - sc.rng.uniform(40, 120), "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", f"{family}:{rev}", user)
    sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}", user)


def lambda_deploy(sc: S77, t: float, fn: str, user: str, alias: str | None = None) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    sc.change(t + sc.rng.uniform(8, 25), "lambda.amazonaws.com", "PublishVersion20150331",
              "AWS::Lambda::Function", fn, user)
    if alias:
        sc.change(t + sc.rng.uniform(30, 50), "lambda.amazonaws.com", "UpdateAlias20150331",
                  "AWS::Lambda::Function", fn, user)


def lambda_config(sc: S77, t: float, fn: str, user: str) -> None:
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, user)


# --------------------------------------------------------------------------- log formats
def pyjson(sc: S77, t: float, level: str, logger: str, msg: str, **kv) -> str:
    """python-json-logger style record."""
    obj = {"asctime": sc.iso(t).replace("T", " ").replace("Z", ""), "levelname": level,
           "name": logger, "message": msg}
    obj.update(kv)
    return json.dumps(obj, separators=(", ", ": "))


def uvicorn_access(sc: S77, ip: str, method: str, path: str, status: int) -> str:
    phrase = {200: "OK", 400: "Bad Request", 404: "Not Found", 422: "Unprocessable Entity",
              500: "Internal Server Error", 503: "Service Unavailable"}[status]
    return f'INFO:     {ip}:{sc.rng.randint(32768, 60999)} - "{method} {path} HTTP/1.1" {status} {phrase}'


def golog(sc: S77, t: float, msg: str) -> str:
    """Go standard library `log` with LstdFlags|Lmicroseconds."""
    d = sc.at(t)
    return f"{d.strftime('%Y/%m/%d %H:%M:%S')}.{d.microsecond:06d} {msg}"


def combined(sc: S77, t: float, ip: str, method: str, path: str, status: int, size: int,
             ua: str) -> str:
    """Apache combined log (gorilla/handlers CombinedLoggingHandler)."""
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "" "{ua}"')


def laravel(sc: S77, t: float, level: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{level.upper()}: {msg}"


def task_event(sc: S77, t: float, cluster: str, svc: str, task: dict, reason: str, exit_code: int,
               container: str) -> str:
    """EventBridge 'ECS Task State Change' delivered to CloudWatch Logs."""
    acct = sc.account
    return jline({
        "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": acct, "time": sc.iso(t, 0), "region": sc.region,
        "resources": [f"arn:aws:ecs:{sc.region}:{acct}:task/{cluster}/{task['id']}"],
        "detail": {"clusterArn": f"arn:aws:ecs:{sc.region}:{acct}:cluster/{cluster}",
                   "group": f"service:{svc}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                   "stopCode": "EssentialContainerExited", "stoppedReason": reason,
                   "containers": [{"name": container, "exitCode": exit_code, "lastStatus": "STOPPED",
                                   **({"reason": reason} if exit_code == 137 else {})}],
                   "taskArn": f"arn:aws:ecs:{sc.region}:{acct}:task/{cluster}/{task['id']}"}})


def apigw_exec(sc: S77, msg: str, rid: str | None = None) -> str:
    return f"({rid or sc.uuid()}) {msg}"


def run_lambda(ll: LambdaLogs, inv: list, err: list, body, ratio: float = 1.0,
               start: float = LOG_START, err_ratio: float | None = None) -> None:
    """Log a `ratio` sample of the minute counts `inv`/`err` (metric value lists on GRID); failed
    invocations are sampled at `err_ratio` (by default `ratio`) so rare errors stay visible."""
    sc = ll.sc
    er = ratio if err_ratio is None else err_ratio
    iv, ev = {}, {}
    for t, i, e in zip(GRID, inv, err):
        if t < start or i is None:
            continue
        k = sc.count((e or 0) * er) if e and e < i else 0
        n = sc.count((i - (e or 0)) * ratio) + k if e and e < i else sc.count(i * ratio)
        iv[t] = n
        ev[t] = n if e and e >= i else k
    ll.run(iv, ev, body)


def lam(sc: S77, fn: str, runtime: str, memory: int, timeout: int, **kw) -> LambdaLogs:
    kw.setdefault("prewarm", LOG_START + 400)
    return LambdaLogs(sc, fn, runtime, memory, timeout, **kw)
