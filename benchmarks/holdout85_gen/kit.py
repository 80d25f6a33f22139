"""Set 85 helpers on top of holdout57_gen.common / runtimes: the set's Scenario subclass, metric
families for the six resource types, sparse log emitters and CloudTrail change shorthands."""
from __future__ import annotations

import math

from benchmarks.holdout57_gen.common import GRID, Scenario, bump, ramp, step

__all__ = ["GRID", "bump", "ramp", "step"]  # re-exported for the sNN_sMM modules

LOG_START = -14400   # server-style streams start four hours back (baseline visible for hours)
LAMBDA_START = -10800


class H85(Scenario):
    prefix = "h85"

    def __init__(self, num, slug, description, region, seed, now_iso, meta):
        super().__init__(num, slug, description, region, seed, now_iso)
        self.meta = meta

    def expect_(self, alarm: str, category: str, resources: list, anomalies: list) -> None:
        self.expect = {"alarm": alarm, "root_cause": {"category": category, "resource": resources},
                       "anomalies": [{"namespace": ns, "name": n, "dimensions": d}
                                     for ns, n, d in anomalies]}


# --------------------------------------------------------------------------- randomness
def poisson(rng, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def pick(rng, weighted):
    """weighted: [(weight, value)] -> value."""
    total = sum(w for w, _ in weighted)
    x = rng.uniform(0, total)
    for w, v in weighted:
        x -= w
        if x <= 0:
            return v
    return weighted[-1][1]


def sample(sc, values: list, frac: float, start: float = LAMBDA_START) -> dict:
    """{minute: count} of a per-minute series scaled by `frac` (stochastic rounding), from start."""
    out = {}
    for t, v in zip(GRID, values):
        if t < start or v is None:
            continue
        x = v * frac
        n = int(x) + (1 if sc.rng.random() < x - int(x) else 0)
        if n:
            out[t] = n
    return out


# --------------------------------------------------------------------------- logs
def emit(sc, group: str, stream: str, rate, line, start: float = LOG_START, end: float = 0) -> None:
    """Poisson events: rate(t) events per minute, line(t) -> text (None skips)."""
    for m in range(int(start), int(end), 60):
        n = poisson(sc.rng, rate(m))
        for s in sorted(sc.rng.uniform(m, m + 60) for _ in range(n)):
            txt = line(s)
            if txt:
                sc.log(group, stream, s, txt)


def periodic(sc, group: str, stream: str, every: float, line, start: float = LOG_START,
             end: float = 0, jitter: float = 1.5) -> None:
    t = start + sc.rng.uniform(0, every)
    while t < end:
        txt = line(t)
        if txt:
            sc.log(group, stream, t, txt)
        t += every + sc.rng.uniform(-jitter, jitter)


def go_std(sc, t: float, msg: str) -> str:
    """Go standard library `log` with LstdFlags|Lmicroseconds."""
    d = sc.at(t)
    return f"{d.strftime('%Y/%m/%d %H:%M:%S')}.{d.microsecond:06d} {msg}"


def ecs_task_id(sc) -> str:
    return sc.hexid(32)


# --------------------------------------------------------------------------- metric families
def _val(x):
    return x if callable(x) else (lambda t, _x=x: _x)


def lambda_metrics(sc, fn: str, inv, err=0, dur=200.0, thr=0, conc=None, conc_cap=None) -> dict:
    d = {"FunctionName": fn}
    inv, err, dur, thr = _val(inv), _val(err), _val(dur), _val(thr)
    I = sc.series(inv, integer=True)
    E = [min(e, i) for e, i in zip(sc.series(err, integer=True), I)]
    T = sc.series(thr, integer=True)
    D = sc.series(dur, noise=0.07, digits=2)
    conc = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0 * 1.4))
    C = sc.series(_val(conc), noise=0.06, integer=True, floor=1, cap=conc_cap)
    out = {}
    for name, unit, vals in (("Invocations", "Count", I), ("Errors", "Count", E),
                             ("Throttles", "Count", T), ("Duration", "Milliseconds", D),
                             ("ConcurrentExecutions", "Count", C)):
        out[name] = sc.metric("AWS/Lambda", name, d, unit, vals)
    return out


def alb_metrics(sc, lb: str, req, t5=0, e5=0, rt=0.12, healthy=2, unhealthy=0, t4=None) -> dict:
    d = {"LoadBalancer": lb}
    out = {}
    R = sc.series(_val(req), integer=True)
    out["RequestCount"] = sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", R)
    out["TargetResponseTime"] = sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds",
                                          sc.series(_val(rt), noise=0.08, digits=4))
    for name, fn in (("HTTPCode_Target_5XX_Count", t5), ("HTTPCode_ELB_5XX_Count", e5),
                     ("HTTPCode_Target_4XX_Count", t4)):
        if fn is None:
            continue
        vals = [min(v, r) for v, r in zip(sc.series(_val(fn), integer=True), R)]
        out[name] = sc.metric("AWS/ApplicationELB", name, d, "Count", vals)
    out["HealthyHostCount"] = sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count",
                                        sc.series(_val(healthy), noise=0.0))
    out["UnHealthyHostCount"] = sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count",
                                          sc.series(_val(unhealthy), noise=0.0))
    return out


def apigw_metrics(sc, api: str, count, e4=0, e5=0, lat=80.0, ilat=None) -> dict:
    d = {"ApiName": api}
    C = sc.series(_val(count), integer=True)
    out = {"Count": sc.metric("AWS/ApiGateway", "Count", d, "Count", C)}
    for name, fn in (("4XXError", e4), ("5XXError", e5)):
        vals = [min(v, c) for v, c in zip(sc.series(_val(fn), integer=True), C)]
        out[name] = sc.metric("AWS/ApiGateway", name, d, "Count", vals)
    out["Latency"] = sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds",
                               sc.series(_val(lat), noise=0.08, digits=2))
    ilat = ilat or (lambda t: _val(lat)(t) * 0.85)
    out["IntegrationLatency"] = sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds",
                                          sc.series(_val(ilat), noise=0.08, digits=2))
    return out


def rds_metrics(sc, db: str, cpu, conns, free_gb, mem_gb, rlat=0.0015, wlat=0.002, wiops=None,
                max_conns=None) -> dict:
    d = {"DBInstanceIdentifier": db}
    out = {}
    out["CPUUtilization"] = sc.metric("AWS/RDS", "CPUUtilization", d, "Percent",
                                      sc.series(_val(cpu), noise=0.06, cap=100.0, digits=2))
    out["DatabaseConnections"] = sc.metric("AWS/RDS", "DatabaseConnections", d, "Count",
                                           sc.series(_val(conns), noise=0.025, digits=0, cap=max_conns))
    free = _val(free_gb)
    out["FreeStorageSpace"] = sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes",
                                        sc.series(lambda t: free(t) * 1e9, noise=0.0005, digits=0))
    mem = _val(mem_gb)
    out["FreeableMemory"] = sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes",
                                      sc.series(lambda t: mem(t) * 1e9, noise=0.02, digits=0))
    out["ReadLatency"] = sc.metric("AWS/RDS", "ReadLatency", d, "Seconds",
                                   sc.series(_val(rlat), noise=0.15, digits=5))
    out["WriteLatency"] = sc.metric("AWS/RDS", "WriteLatency", d, "Seconds",
                                    sc.series(_val(wlat), noise=0.15, digits=5))
    if wiops is not None:
        out["WriteIOPS"] = sc.metric("AWS/RDS", "WriteIOPS", d, "Count/Second",
                                     sc.series(_val(wiops), noise=0.08, digits=1))
    return out


def ecs_metrics(sc, cluster: str, service: str, cpu, mem, running) -> dict:
    d = {"ClusterName": cluster, "ServiceName": service}
    return {
        "CPUUtilization": sc.metric("AWS/ECS", "CPUUtilization", d, "Percent",
                                    sc.series(_val(cpu), noise=0.06, cap=100.0, digits=2)),
        "MemoryUtilization": sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent",
                                       sc.series(_val(mem), noise=0.015, cap=100.0, digits=2)),
        "RunningTaskCount": sc.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count",
                                      sc.series(_val(running), noise=0.0, digits=0)),
    }


def ec2_metrics(sc, iid: str, cpu, net_in, mem=None, disk=None, status=0) -> dict:
    d = {"InstanceId": iid}
    out = {"CPUUtilization": sc.metric("AWS/EC2", "CPUUtilization", d, "Percent",
                                       sc.series(_val(cpu), noise=0.06, cap=100.0, digits=2)),
           "NetworkIn": sc.metric("AWS/EC2", "NetworkIn", d, "Bytes",
                                  sc.series(_val(net_in), noise=0.08, digits=0)),
           "StatusCheckFailed": sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
                                          sc.series(_val(status), noise=0.0))}
    if mem is not None:
        out["mem_used_percent"] = sc.metric("CWAgent", "mem_used_percent", d, "Percent",
                                            sc.series(_val(mem), noise=0.01, digits=2))
    if disk is not None:
        dd = dict(d, path="/", fstype="xfs")
        out["disk_used_percent"] = sc.metric("CWAgent", "disk_used_percent", dd, "Percent",
                                             sc.series(_val(disk), noise=0.002, digits=2))
    return out


# --------------------------------------------------------------------------- CloudTrail shorthands
_CT = {
    "lambda_code": ("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function"),
    "lambda_config": ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                      "AWS::Lambda::Function"),
    "lambda_publish": ("lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function"),
    "lambda_alias": ("lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias"),
    "ecs_taskdef": ("ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition"),
    "ecs_service": ("ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service"),
    "iam_put": ("iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role"),
    "iam_detach": ("iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role"),
    "rds_modify": ("rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance"),
    "rds_params": ("rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup"),
    "rds_snapshot": ("rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot"),
    "elb_rule": ("elasticloadbalancing.amazonaws.com", "ModifyRule",
                 "AWS::ElasticLoadBalancingV2::ListenerRule"),
    "elb_tg": ("elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
               "AWS::ElasticLoadBalancingV2::TargetGroup"),
    "sg_ingress": ("ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup"),
    "codedeploy": ("codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup"),
    "apigw_stage": ("apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage"),
    "apigw_deploy": ("apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment"),
    "ssm_put": ("ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter"),
    "autoscale": ("ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service"),
}


def ct(sc, t: float, kind: str, name: str, user: str) -> None:
    src, event, rtype = _CT[kind]
    sc.change(t, src, event, rtype, name, user)


def ecs_deploy(sc, t: float, cluster: str, service: str, family: str, rev: int, user: str) -> None:
    ct(sc, t, "ecs_taskdef", f"{family}:{rev}", user)
    ct(sc, t + sc.rng.randint(8, 25), "ecs_service", f"{cluster}/{service}", user)


def lambda_deploy(sc, t: float, fn: str, user: str, publish: bool = True) -> None:
    ct(sc, t, "lambda_code", fn, user)
    if publish:
        ct(sc, t + sc.rng.randint(3, 12), "lambda_publish", fn, user)
