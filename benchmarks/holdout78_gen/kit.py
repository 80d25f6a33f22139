"""Set-78 additions to the holdout57 helpers: a region-aware Scenario subclass, metric bundles
for the six resource types, sparse log emission and Lambda log sampling."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, HISTORY, Scenario

ACCT_USERS = ("github-actions-deployer", "codepipeline-release", "terraform-ci")


class H78(Scenario):
    prefix = "h78"

    def __init__(self, num, slug, description, region, seed, now_iso):
        super().__init__(num, slug, description, region, seed, now_iso)
        self.log_region: dict = {}
        self.meta = {}

    # metrics / logs / changes in another region than the scenario's own
    def metric(self, namespace, name, dims, unit, values, times=None, region=None):
        out = super().metric(namespace, name, dims, unit, values, times)
        if region and region != self.region:
            m = self.metrics[-1]
            pts = m.pop("points")
            m["region"], m["points"] = region, pts
        return out

    def rlog(self, region, group, stream, t, text):
        if region and region != self.region:
            self.log_region[(group, stream)] = region
        self.log(group, stream, t, text)

    def change(self, t, source, event, rtype, rname, user, region=None):
        super().change(t, source, event, rtype, rname, user)
        if region and region != self.region:
            self.changes[-1]["region"] = region

    def resource(self, rtype, rid, region=None, **props):
        super().resource(rtype, rid, **props)
        if region and region != self.region:
            r = self.resources[-1]
            p = r.pop("properties", None)
            r["region"] = region
            if p:
                r["properties"] = p

    def to_dict(self):
        d = super().to_dict()
        for lg in d["logs"]:
            r = self.log_region.get((lg["group"], lg["stream"]))
            if r:
                ev = lg.pop("events")
                lg["region"], lg["events"] = r, ev
        return d


# --------------------------------------------------------------------------- sampling
def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def times(sc, rate, start=-HISTORY, end=0):
    """Event times: a Poisson number per minute with mean rate(minute)."""
    out = []
    for m in range(int(start), int(end), 60):
        for _ in range(poisson(sc.rng, rate(m))):
            out.append(m + sc.rng.uniform(0.05, 59.9))
    return sorted(out)


def pick(sc, weighted):
    """weighted: [(weight, value)] -> value."""
    tot = sum(w for w, _ in weighted)
    x = sc.rng.uniform(0, tot)
    for w, v in weighted:
        x -= w
        if x <= 0:
            return v
    return weighted[-1][1]


def lambda_sample(sc, inv_vals, err_vals, per_min: float, start=-HISTORY, end=0):
    """Scale a function's Invocations/Errors series down to `per_min` logged invocations a minute,
    keeping each minute's error fraction. Returns (invocations, errors) dicts for LambdaLogs.run."""
    inv, err = {}, {}
    rng = sc.rng
    for t, i, e in zip(GRID, inv_vals, err_vals):
        if not (start <= t < end) or not i:
            continue
        n = min(int(i), poisson(rng, per_min) or 1)
        frac = (e or 0) / i
        ne = sum(1 for _ in range(n) if rng.random() < frac)
        inv[t], err[t] = n, ne
    return inv, err


# --------------------------------------------------------------------------- metric bundles
def counts(sc, fn, noise=0.05):
    return sc.series(fn, noise=noise, integer=True)


def lambda_metrics(sc, fn, inv, err, dur, throttles=None, conc=None, region=None, conc_cap=None):
    I = counts(sc, inv)
    E = [min(i, e) for i, e in zip(I, counts(sc, err))]
    D = sc.series(dur, noise=0.06, digits=2)
    T = counts(sc, throttles or (lambda t: 0.0))
    if conc is None:
        C = [max(1.0, round(i * d / 60000.0 * 1.7 + sc.rng.uniform(0, 1.5))) for i, d in zip(I, D)]
    else:
        C = sc.series(conc, noise=0.04, integer=False, digits=0, cap=conc_cap)
    dims = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", I, region=region)
    sc.metric("AWS/Lambda", "Errors", dims, "Count", E, region=region)
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", T, region=region)
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", D, region=region)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", C, region=region)
    return {"inv": I, "err": E, "dur": D, "thr": T, "conc": C}


def apigw_metrics(sc, api, count, e4, e5, lat, integ=None, region=None):
    dims = {"ApiName": api}
    N = counts(sc, count)
    X4 = [min(n, x) for n, x in zip(N, counts(sc, e4))]
    X5 = [min(n, x) for n, x in zip(N, counts(sc, e5))]
    L = sc.series(lat, noise=0.07, digits=1)
    IL = sc.series(integ or (lambda t: max(1.0, lat(t) - 14)), noise=0.07, digits=1)
    sc.metric("AWS/ApiGateway", "Count", dims, "Count", N, region=region)
    sc.metric("AWS/ApiGateway", "4XXError", dims, "Count", X4, region=region)
    sc.metric("AWS/ApiGateway", "5XXError", dims, "Count", X5, region=region)
    sc.metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", L, region=region)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", IL, region=region)
    return {"count": N, "4xx": X4, "5xx": X5, "lat": L}


def alb_metrics(sc, lb, req, rt, t5, e5=None, healthy=None, unhealthy=None, t4=None, region=None):
    dims = {"LoadBalancer": lb}
    R = counts(sc, req)
    T5 = [min(r, x) for r, x in zip(R, counts(sc, t5))]
    E5 = [min(r, x) for r, x in zip(R, counts(sc, e5 or (lambda t: 0.05)))]
    T4 = [min(r, x) for r, x in zip(R, counts(sc, t4 or (lambda t: req(t) * 0.012)))]
    RT = sc.series(rt, noise=0.08, digits=4)
    sc.metric("AWS/ApplicationELB", "RequestCount", dims, "Count", R, region=region)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", dims, "Seconds", RT, region=region)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", dims, "Count", T4, region=region)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Count", T5, region=region)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dims, "Count", E5, region=region)
    H = sc.series(healthy or (lambda t: 2.0), noise=0.0, digits=0)
    U = sc.series(unhealthy or (lambda t: 0.0), noise=0.0, digits=0)
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", dims, "Count", H, region=region)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", dims, "Count", U, region=region)
    return {"req": R, "rt": RT, "t5": T5, "e5": E5}


GB = 1024 ** 3


def rds_metrics(sc, db, cpu, conns, free_gb, mem_gb=None, rlat=None, wlat=None, queue=None,
                region=None, max_conns=None):
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", dims, "Percent",
              sc.series(cpu, noise=0.08, cap=100.0, digits=2), region=region)
    sc.metric("AWS/RDS", "DatabaseConnections", dims, "Count",
              sc.series(conns, noise=0.03, digits=0, cap=max_conns), region=region)
    sc.metric("AWS/RDS", "FreeStorageSpace", dims, "Bytes",
              sc.series(lambda t: free_gb(t) * GB, noise=0.0005, digits=0), region=region)
    sc.metric("AWS/RDS", "FreeableMemory", dims, "Bytes",
              sc.series(lambda t: (mem_gb(t) if mem_gb else 5.1) * GB, noise=0.01, digits=0),
              region=region)
    sc.metric("AWS/RDS", "ReadLatency", dims, "Seconds",
              sc.series(rlat or (lambda t: 0.0011), noise=0.12, digits=5), region=region)
    sc.metric("AWS/RDS", "WriteLatency", dims, "Seconds",
              sc.series(wlat or (lambda t: 0.0019), noise=0.12, digits=5), region=region)
    sc.metric("AWS/RDS", "DiskQueueDepth", dims, "Count",
              sc.series(queue or (lambda t: 0.4), noise=0.2, digits=3), region=region)


def ecs_metrics(sc, cluster, service, cpu, mem, tasks=None, region=None):
    dims = {"ClusterName": cluster, "ServiceName": service}
    sc.metric("AWS/ECS", "CPUUtilization", dims, "Percent",
              sc.series(cpu, noise=0.07, cap=100.0, digits=2), region=region)
    sc.metric("AWS/ECS", "MemoryUtilization", dims, "Percent",
              sc.series(mem, noise=0.02, cap=100.0, digits=2), region=region)
    sc.metric("ECS/ContainerInsights", "RunningTaskCount", dims, "Count",
              sc.series(tasks or (lambda t: 3.0), noise=0.0, digits=0), region=region)


def ec2_metrics(sc, iid, cpu, mem=None, net=None, region=None):
    dims = {"InstanceId": iid}
    sc.metric("AWS/EC2", "CPUUtilization", dims, "Percent",
              sc.series(cpu, noise=0.06, cap=100.0, digits=3), region=region)
    sc.metric("AWS/EC2", "NetworkIn", dims, "Bytes",
              sc.series(net or (lambda t: 2.4e7), noise=0.1, digits=0), region=region)
    sc.metric("AWS/EC2", "StatusCheckFailed", dims, "Count",
              sc.series(lambda t: 0.0, noise=0.0, digits=0), region=region)
    sc.metric("CWAgent", "mem_used_percent", dims, "Percent",
              sc.series(mem or (lambda t: 46.0), noise=0.02, cap=100.0, digits=3), region=region)


# --------------------------------------------------------------------------- CloudTrail bundles
def lambda_deploy(sc, t, fn, user="github-actions-deployer", alias=True, region=None):
    sc.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, user, region)
    sc.change(t + 4, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              fn, user, region)
    if alias:
        sc.change(t + 7, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
                  fn, user, region)


def ecs_deploy(sc, t, cluster_service, family, user="codepipeline-release", region=None):
    sc.change(t, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              family, user, region)
    sc.change(t + 9, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", cluster_service,
              user, region)


def ecs_task_id(sc) -> str:
    return sc.hexid(32)
