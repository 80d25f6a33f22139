"""What set 91 adds to the shared holdout57 helpers: the h91 file prefix, per-service metric
bundles (Lambda, ALB, API Gateway, ECS, RDS, EC2, SQS), Poisson event streams for sparse logs,
API Gateway access-log lines and the README metadata each scenario carries."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, diurnal
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline

LOG_FROM = -14400  # application logs cover the last four hours (metrics cover six)


class S91(Scenario):
    prefix = "h91"

    def __init__(self, num, slug, description, region, seed, now_iso):
        super().__init__(num, slug, description, region, seed, now_iso)

    # ------------------------------------------------------------------ README metadata
    def card(self, *, alarm_on: str, decoys: str, story: str, services: str, runtime: str,
             log_style: str, judgement: str | None = None) -> None:
        self.meta.update(alarm_on=alarm_on, decoys=decoys, story=story, services=services,
                         runtime=runtime, log_style=log_style, judgement=judgement)

    def truth(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    # ------------------------------------------------------------------ event streams
    def poisson(self, lam: float) -> int:
        if lam <= 0:
            return 0
        if lam > 30:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def events(self, start: float, end: float, rate, emit) -> None:
        """emit(t) for a Poisson number (mean rate(minute)) of random instants in each minute."""
        for minute in GRID:
            if minute < start or minute >= end:
                continue
            for _ in range(self.poisson(rate(minute))):
                emit(minute + self.rng.uniform(0.0, 59.9))

    def every(self, start: float, end: float, period: float, emit, jitter: float = 0.4) -> None:
        t = start + self.rng.uniform(0, period)
        while t < end:
            emit(t + self.rng.uniform(0, jitter))
            t += period

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def wpick(self, pairs):
        """pairs: [(item, weight), ...]"""
        total = sum(w for _, w in pairs)
        x = self.rng.uniform(0, total)
        for item, w in pairs:
            x -= w
            if x <= 0:
                return item
        return pairs[-1][0]

    # ------------------------------------------------------------------ metric bundles
    def put(self, ns: str, name: str, dims: dict, unit: str, fn, **kw) -> list:
        return self.metric(ns, name, dims, unit, self.series(fn, **kw))

    def lambda_fn(self, name: str, runtime: str, memory: int, timeout: int, inv, err, dur,
                  throttles=None, conc=None, exact: bool = False, **props) -> dict:
        props = dict(runtime=runtime, memory_size=memory, timeout=timeout, **props)
        self.resource("lambda", name, **props)
        d = {"FunctionName": name}
        out = {"dims": d}
        kw = {"noise": 0.0, "digits": 0} if exact else {"integer": True}
        out["inv"] = self.put("AWS/Lambda", "Invocations", d, "Count", inv, **kw)
        out["err"] = self.put("AWS/Lambda", "Errors", d, "Count", err, integer=True)
        out["dur"] = self.put("AWS/Lambda", "Duration", d, "Milliseconds", dur, noise=0.08,
                              cap=timeout * 1000.0, digits=2)
        out["thr"] = self.put("AWS/Lambda", "Throttles", d, "Count", throttles or (lambda t: 0),
                              integer=True)
        if conc is None:
            res = props.get("reserved_concurrency") or 10 ** 6
            conc_vals = [None if dd is None else
                         float(min(res, round(max(1.0, i * dd / 60000.0 * self.rng.uniform(1.1, 1.5)))))
                         for i, dd in zip(out["inv"], out["dur"])]
            out["conc"] = self.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc_vals)
        else:
            out["conc"] = self.put("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc,
                                   noise=0.04, digits=0, cap=props.get("reserved_concurrency"))
        return out

    def alb(self, name: str, req, t5xx, e5xx, rt, healthy: float, unhealthy=None,
            t4xx=None) -> dict:
        lb = f"app/{name}/{self.hexid(16)}"
        self.resource("alb", lb, name=name, scheme="internet-facing")
        d = {"LoadBalancer": lb}
        out = {"id": lb, "dims": d}
        out["req"] = self.put("AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True)
        out["t5xx"] = self.put("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx,
                               integer=True)
        if t4xx is not None:
            self.put("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, integer=True)
        out["e5xx"] = self.put("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx,
                               integer=True)
        out["rt"] = self.put("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt,
                             noise=0.1, digits=4)
        un = unhealthy or (lambda t: 0.0)
        self.put("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", un, noise=0.0, digits=0)
        self.put("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
                 lambda t: max(0.0, healthy - un(t)), noise=0.0, digits=0)
        return out

    def apigw(self, name: str, count, e4, e5, lat, ilat=None, stage: str = "prod") -> dict:
        api_id = "".join(self.pick("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))
        self.resource("apigateway", name, api_id=api_id, stage=stage, endpoint_type="REGIONAL")
        d = {"ApiName": name}
        out = {"dims": d, "api_id": api_id, "stage": stage}
        out["count"] = self.put("AWS/ApiGateway", "Count", d, "Count", count, integer=True)
        out["e4"] = self.put("AWS/ApiGateway", "4XXError", d, "Count", e4, integer=True)
        out["e5"] = self.put("AWS/ApiGateway", "5XXError", d, "Count", e5, integer=True)
        out["lat"] = self.put("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, noise=0.08, digits=1)
        if ilat is not None:
            out["ilat"] = self.put("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat,
                                   noise=0.08, digits=1)
        return out

    def ecs(self, cluster: str, service: str, cpu, mem, tasks, **props) -> dict:
        self.resource("ecs", f"{cluster}/{service}", launch_type="FARGATE", **props)
        d = {"ClusterName": cluster, "ServiceName": service}
        out = {"dims": d, "id": f"{cluster}/{service}"}
        out["cpu"] = self.put("AWS/ECS", "CPUUtilization", d, "Percent", cpu, noise=0.06, cap=100.0)
        out["mem"] = self.put("AWS/ECS", "MemoryUtilization", d, "Percent", mem, noise=0.02, cap=100.0)
        out["tasks"] = self.put("ECS/ContainerInsights", "RunningTaskCount", d, "Count", tasks,
                                noise=0.0, digits=0)
        return out

    def rds(self, db: str, engine: str, klass: str, max_conn: int, storage_gb: int, cpu, conns,
            free_storage=None, freeable_mem=None, read_lat=None, write_lat=None) -> dict:
        self.resource("rds", db, engine=engine, instance_class=klass, max_connections=max_conn,
                      allocated_storage_gb=storage_gb, multi_az=True)
        d = {"DBInstanceIdentifier": db}
        out = {"dims": d}
        out["cpu"] = self.put("AWS/RDS", "CPUUtilization", d, "Percent", cpu, noise=0.08, cap=100.0)
        out["conn"] = self.put("AWS/RDS", "DatabaseConnections", d, "Count", conns, noise=0.03,
                               integer=False, digits=0, cap=float(max_conn))
        gb = 1024 ** 3
        out["free"] = self.put("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                               free_storage or (lambda t: storage_gb * gb * 0.58), noise=0.0005,
                               digits=0)
        self.put("AWS/RDS", "FreeableMemory", d, "Bytes", freeable_mem or (lambda t: 5.1 * gb),
                 noise=0.01, digits=0)
        self.put("AWS/RDS", "ReadLatency", d, "Seconds", read_lat or (lambda t: 0.0011), noise=0.15,
                 digits=5)
        self.put("AWS/RDS", "WriteLatency", d, "Seconds", write_lat or (lambda t: 0.0019), noise=0.15,
                 digits=5)
        return out

    def ec2(self, iid: str, name: str, itype: str, cpu, mem=None, disk=None, status=None,
            netin=None, log_groups=()) -> dict:
        props = {"name": name, "instance_type": itype}
        if log_groups:
            props["log_groups"] = list(log_groups)
        self.resource("ec2", iid, **props)
        d = {"InstanceId": iid}
        out = {"dims": d}
        out["cpu"] = self.put("AWS/EC2", "CPUUtilization", d, "Percent", cpu, noise=0.07, cap=100.0)
        self.put("AWS/EC2", "NetworkIn", d, "Bytes", netin or (lambda t: 4.2e7 * diurnal(self, t)),
                 noise=0.1, digits=0)
        st = status or (lambda t: 0.0)
        self.put("AWS/EC2", "StatusCheckFailed", d, "Count", st, noise=0.0, digits=0)
        out["status_sys"] = self.put("AWS/EC2", "StatusCheckFailed_System", d, "Count", st, noise=0.0,
                                     digits=0)
        out["mem"] = self.put("CWAgent", "mem_used_percent", d, "Percent",
                              mem or (lambda t: 48.0), noise=0.02, cap=100.0)
        dd = {"InstanceId": iid, "path": "/", "fstype": "xfs"}
        out["disk_dims"] = dd
        out["disk"] = self.put("CWAgent", "disk_used_percent", dd, "Percent",
                               disk or (lambda t: 41.0), noise=0.002, cap=100.0)
        return out

    def sqs(self, queue: str, age, visible, sent) -> dict:
        d = {"QueueName": queue}
        out = {"dims": d}
        out["age"] = self.put("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds", age,
                              noise=0.1, digits=0)
        out["visible"] = self.put("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count",
                                  visible, noise=0.08, digits=0)
        out["sent"] = self.put("AWS/SQS", "NumberOfMessagesSent", d, "Count", sent, integer=True)
        return out

    # ------------------------------------------------------------------ Lambda logs
    def lambda_run(self, ll: LambdaLogs, inv: list, err: list, body, per_min: float = 3.0,
                   start: float = LOG_FROM, end: float = 0.0, base_err=None,
                   new_err_per_min: float = 2.0) -> None:
        """Log a thinned sample of the invocations: about `per_min` a minute, with the error share of
        each minute kept (at least ~`new_err_per_min` of the new errors once they exceed 5 a minute).
        `base_err(minute)`: the rate of errors that were there all along; those are logged unthinned
        (so their hours-old rate stays readable) and `self.is_base(t)` tells the body
        whether an error it is asked for is one of them."""
        invs, errs = {}, {}
        rng = self.rng
        self._base_share = {}
        for t, n, e in zip(GRID, inv, err):
            if t < start or t >= end or n is None:
                continue
            e = e or 0.0
            b = base_err(t) if base_err else 0.0
            f = min(1.0, per_min / max(n, 1.0))
            k = int(n * f + rng.random())
            en = max(0.0, e - b)
            fe = min(1.0, max(f, new_err_per_min / max(en, 1.0)))
            ke = int(en * (fe if en > 5.0 else f) + rng.random())
            kb = self.poisson(b) if b else 0
            invs[t], errs[t] = max(k, ke + kb), ke + kb
            self._base_share[t] = kb / (ke + kb) if ke + kb else 0.0
        ll.run(invs, errs, body)

    def is_base(self, t: float) -> bool:
        return self.rng.random() < self._base_share.get((int(t) // 60) * 60, 0.0)

    # ------------------------------------------------------------------ API Gateway access log
    def apigw_access(self, group: str, t: float, method: str, path: str, status: int, lat_ms: float,
                     ilat_ms: float | None, ip: str, size: int, istatus: str = "-",
                     err: str = "-") -> None:
        d = self.at(t)
        rec = {"requestId": self.uuid(), "ip": ip,
               "requestTime": d.strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": method,
               "resourcePath": path, "status": str(status), "protocol": "HTTP/1.1",
               "responseLength": str(size), "responseLatency": str(int(lat_ms)),
               "integrationLatency": "-" if ilat_ms is None else str(int(ilat_ms)),
               "integrationStatus": istatus, "errorMessage": err}
        self.log(group, "access", t, jline(rec))


def task_ids(sc: S91, n: int) -> list:
    return [sc.hexid(32) for _ in range(n)]


def ecs_stream(container: str, task: str, prefix: str = "ecs") -> str:
    return f"{prefix}/{container}/{task}"


def dotnet_trace(frames: list) -> str:
    return "\n".join(f"   at {f}" for f in frames)


def java_trace(frames: list) -> str:
    return "\n".join(f"\tat {f}" for f in frames)


def ips(sc: S91, n: int, prefix: str) -> list:
    return [sc.ip(prefix) for _ in range(n)]
