"""Shared building blocks for the holdout41 ("serverless estates") scenario set.

Everything is deterministic: each scenario owns a ``random.Random`` seeded from its number.
Times are seconds relative to load time (negative = past); metric points are one minute apart.
"""
from __future__ import annotations

import datetime as dt
import math
import random
import uuid

import yaml

START, END, STEP = -21600, -60, 60
MINUTES = list(range(START, END + 1, STEP))
ACCOUNT = "482910377215"


# ---------------------------------------------------------------- numeric helpers
def ramp(t: float, t0: float, t1: float) -> float:
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def wave(t: float, period: float = 14400.0, phase: float = 0.0) -> float:
    return math.sin(2 * math.pi * (t / period) + phase)


def pois(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 40:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def binom(rng: random.Random, n: int, p: float) -> int:
    if n <= 0 or p <= 0:
        return 0
    if p >= 1:
        return n
    if n < 60:
        return sum(1 for _ in range(n) if rng.random() < p)
    mu, sd = n * p, math.sqrt(n * p * (1 - p))
    return min(n, max(0, int(round(rng.gauss(mu, sd)))))


def jit(rng: random.Random, v: float, rel: float = 0.08) -> float:
    return max(0.0, v * (1.0 + rng.gauss(0, rel)))


def rid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexs(rng: random.Random, n: int = 32) -> str:
    return "%0*x" % (n, rng.getrandbits(4 * n))


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    def ignore_aliases(self, data):  # noqa: D401 - never emit &id001 anchors
        return True


# ---------------------------------------------------------------- scenario container
class Scenario:
    def __init__(self, num: int, slug: str, region: str, description: str, now: str):
        self.num, self.slug, self.region, self.description = num, slug, region, description
        self.rng = random.Random(41_000 + num * 7919)
        self.now = dt.datetime.fromisoformat(now).replace(tzinfo=dt.timezone.utc)
        self.resources: list[dict] = []
        self.metrics: list[dict] = []
        self.logs: list[dict] = []
        self.alarms: list[dict] = []
        self.changes: list[dict] = []
        self.expect: dict = {}
        self.meta: dict = {}
        self._series: dict = {}

    # -- time formatting
    def at(self, t: float) -> dt.datetime:
        return self.now + dt.timedelta(seconds=t)

    def iso(self, t: float) -> str:
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (self.at(t).microsecond // 1000)

    def stamp(self, t: float) -> str:
        d = self.at(t)
        return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)

    def day(self, t: float) -> str:
        return self.at(t).strftime("%Y/%m/%d")

    # -- content
    def res(self, rtype: str, rid_: str, **props) -> None:
        entry = {"type": rtype, "id": rid_}
        if props:
            entry["properties"] = props
        self.resources.append(entry)

    def metric(self, ns: str, name: str, dims: dict, unit: str, values, nd: int = 3) -> dict:
        """values: dict t->value or callable t->value (called once per minute, in order)."""
        pts = []
        for t in MINUTES:
            v = values(t) if callable(values) else values.get(t)
            if v is None:
                continue
            pts.append([t, round(float(v), nd)])
        m = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit, "points": pts}
        self.metrics.append(m)
        self._series[(ns, name, tuple(sorted(dims.items())))] = {p[0]: p[1] for p in pts}
        return m

    def series(self, ns: str, name: str, dims: dict) -> dict:
        return self._series[(ns, name, tuple(sorted(dims.items())))]

    def log(self, group: str, stream: str, events: list) -> None:
        if not events:
            return
        events = sorted((e for e in events if e[0] <= -0.05), key=lambda e: e[0])
        if not events:
            return
        self.logs.append({"group": group, "stream": stream,
                          "events": [[round(e[0], 3), e[1]] for e in events]})

    def change(self, t: int, source: str, name: str, rtype: str, rname: str, user: str) -> None:
        self.changes.append({"time": t, "event_source": source, "event_name": name,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def lambda_change(self, t: int, fn: str, name: str, user: str) -> None:
        self.change(t, "lambda.amazonaws.com", name, "AWS::Lambda::Function", fn, user)

    # -- alarms
    def alarm(self, name, ns, metric, dims, stat, period, evals, thr, *, cmp="GreaterThanThreshold",
              after=START, state=None, desc=None, state_changed=None) -> dict:
        """Derive state/state_changed from the series unless given explicitly."""
        ser = self.series(ns, metric, dims)
        buckets: dict[int, list] = {}
        for t, v in ser.items():
            buckets.setdefault(t - ((t - START) % period), []).append(v)
        agg = {}
        for b, vs in buckets.items():
            agg[b] = {"Sum": sum(vs), "Maximum": max(vs), "Minimum": min(vs),
                      "Average": sum(vs) / len(vs), "SampleCount": len(vs)}[stat]
        keys = sorted(agg)
        above = (lambda v: v > thr) if cmp == "GreaterThanThreshold" else (
            (lambda v: v >= thr) if cmp == "GreaterThanOrEqualToThreshold" else (lambda v: v < thr))
        word = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                "greater than or equal to", "LessThanThreshold": "less than"}[cmp]
        fired = None
        for i in range(evals - 1, len(keys)):
            win = keys[i - evals + 1:i + 1]
            if win[0] >= after and all(above(agg[k]) for k in win):
                fired = win
                break
        if state is None:
            state = "ALARM" if fired else "OK"
        if state == "ALARM" and fired:
            sc_t = fired[-1] + period + 20
            pts = ", ".join("%s (%s)" % (_num(agg[k]), self.at(k).strftime("%d/%m/%y %H:%M:%S"))
                            for k in reversed(fired))
            reason = ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold (%s) "
                      "(minimum %d datapoints for OK -> ALARM transition)." % (evals, evals, pts, word,
                                                                               _num(thr), evals))
        else:
            sc_t = state_changed if state_changed is not None else -14400
            last = keys[-1]
            reason = ("Threshold Crossed: 1 datapoint [%s (%s)] was not %s the threshold (%s)." %
                      (_num(agg[last]), self.at(last).strftime("%d/%m/%y %H:%M:%S"), word, _num(thr)))
        if state_changed is not None:
            sc_t = state_changed
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims), "statistic": stat,
             "period": period, "evaluation_periods": evals, "threshold": thr, "comparison": cmp,
             "state": state, "state_reason": reason, "state_changed": int(min(sc_t, -30))}
        if desc:
            a["description"] = desc
        self.alarms.append(a)
        return a

    def doc(self) -> dict:
        d = {"format": "aiops-scenario/v1", "name": "h41-%02d-%s" % (self.num, self.slug),
             "description": self.description, "region": self.region, "resources": self.resources,
             "metrics": self.metrics, "logs": self.logs, "alarms": self.alarms,
             "changes": sorted(self.changes, key=lambda c: c["time"]), "expect": self.expect}
        return d


def _num(v: float) -> str:
    return ("%.1f" % v) if abs(v - round(v)) < 1e-9 else ("%.3f" % v).rstrip("0")


def dump(doc: dict, path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=_Dumper, sort_keys=False, default_flow_style=None,
                  allow_unicode=True, width=100000)


# ---------------------------------------------------------------- metric families
def counts(rng, lam) -> dict:
    return {t: pois(rng, lam(t)) for t in MINUTES}


def lambda_metrics(sc: Scenario, fn: str, inv: dict, err: dict, dur, conc, thr=None) -> None:
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr if thr is not None else {t: 0 for t in MINUTES})
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur, nd=2)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)


def apigw_metrics(sc: Scenario, api: str, count: dict, e4: dict, e5: dict, lat, ilat) -> None:
    d = {"ApiName": api}
    sc.metric("AWS/ApiGateway", "Count", d, "Count", count)
    sc.metric("AWS/ApiGateway", "4XXError", d, "Count", e4)
    sc.metric("AWS/ApiGateway", "5XXError", d, "Count", e5)
    sc.metric("AWS/ApiGateway", "Latency", d, "Milliseconds", lat, nd=2)
    sc.metric("AWS/ApiGateway", "IntegrationLatency", d, "Milliseconds", ilat, nd=2)


def rds_metrics(sc: Scenario, db: str, cpu, conns, free_storage, freemem, rlat, wlat, extra=None) -> None:
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, nd=0)
    if free_storage is not None:  # Aurora reports FreeLocalStorage instead (pass it via ``extra``)
        sc.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0)
    sc.metric("AWS/RDS", "FreeableMemory", d, "Bytes", freemem, nd=0)
    sc.metric("AWS/RDS", "ReadLatency", d, "Seconds", rlat, nd=5)
    sc.metric("AWS/RDS", "WriteLatency", d, "Seconds", wlat, nd=5)
    for name, unit, vals in (extra or []):
        sc.metric("AWS/RDS", name, d, unit, vals)


def sqs_metrics(sc: Scenario, q: str, visible, age, sent, deleted) -> None:
    d = {"QueueName": q}
    sc.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", d, "Count", visible, nd=0)
    sc.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", d, "Seconds", age, nd=0)
    sc.metric("AWS/SQS", "NumberOfMessagesSent", d, "Count", sent, nd=0)
    sc.metric("AWS/SQS", "NumberOfMessagesDeleted", d, "Count", deleted, nd=0)


def alb_metrics(sc: Scenario, lb: str, req: dict, elb5: dict, tgt5: dict, trt, extra=None) -> None:
    d = {"LoadBalancer": lb}
    sc.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req)
    sc.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", elb5)
    sc.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", tgt5)
    sc.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", trt, nd=4)
    for name, unit, vals in (extra or []):
        sc.metric("AWS/ApplicationELB", name, d, unit, vals)


def ec2_metrics(sc: Scenario, iid: str, cpu, net_in, sc_sys=None, sc_inst=None) -> None:
    d = {"InstanceId": iid}
    zero = {t: 0 for t in MINUTES}
    sc.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, nd=0)
    sys_ = sc_sys or zero
    inst = sc_inst or zero
    sc.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
              {t: max(sys_.get(t, 0), inst.get(t, 0)) for t in MINUTES})
    sc.metric("AWS/EC2", "StatusCheckFailed_System", d, "Count", sys_)
    sc.metric("AWS/EC2", "StatusCheckFailed_Instance", d, "Count", inst)
