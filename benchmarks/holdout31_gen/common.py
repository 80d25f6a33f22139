"""Shared helpers for the holdout31 scenario generators (stdlib + pyyaml only).

Every scenario is built in a `Ctx`: one seeded RNG, a notional wall clock used
only to print realistic timestamps inside log lines, and the lists that become
the aiops-scenario/v1 document.  Times are seconds relative to load time.
"""
import datetime as _dt
import math
import random

import yaml

START, END, STEP = -21600, -60, 60          # 6 h of one-minute metrics
LOG_FROM = -10800                           # 3 h of logs
MINUTES = range(START, END + 1, STEP)


class Flow(list):
    """A list emitted in YAML flow style: [t, v]."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


_Dumper.add_representer(
    Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def dump(doc):
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)


def ramp(t, t0, t1):
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def diurnal(t, amp=0.15, phase_h=0.0):
    """Slow daily wave around 1.0 (6 h of history shows a gentle trend)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t / 3600.0 + phase_h) / 24.0)


class Ctx:
    def __init__(self, seed, now, region):
        self.rng = random.Random(seed)
        self.now = _dt.datetime.fromisoformat(now)
        self.region = region
        self.resources, self.metrics, self.logs = [], [], []
        self.alarms, self.changes = [], []
        self.index = {}

    # ---- clock -----------------------------------------------------------
    def at(self, t):
        return self.now + _dt.timedelta(seconds=t)

    def iso(self, t):
        d = self.at(t)
        return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)

    def epoch(self, t):
        return self.at(t).replace(tzinfo=_dt.timezone.utc).timestamp()

    def iso_us(self, t):
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f")

    def stamp(self, t, fmt="%Y-%m-%d %H:%M:%S"):
        return self.at(t).strftime(fmt)

    def ms_stamp(self, t):
        d = self.at(t)
        return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (d.microsecond // 1000)

    # ---- randomness ------------------------------------------------------
    def uid(self):
        r = self.rng.getrandbits
        return "%08x-%04x-4%03x-%04x-%012x" % (
            r(32), r(16), r(12), 0x8000 | r(14), r(48))

    def hexs(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n):
        return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))

    def pick(self, seq):
        return self.rng.choice(seq)

    def chance(self, p):
        return self.rng.random() < p

    def uni(self, a, b):
        return self.rng.uniform(a, b)

    def gauss(self, mu, sd):
        return self.rng.gauss(mu, sd)

    def noisy(self, base, rel=0.08):
        return max(0.0, base * (1.0 + self.rng.gauss(0, rel)))

    def poisson(self, lam):
        if lam <= 0:
            return 0
        if lam > 40:
            return max(0, int(round(self.rng.gauss(lam, math.sqrt(lam)))))
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def binom(self, n, p):
        return sum(1 for _ in range(int(n)) if self.rng.random() < p)

    def ip(self, prefix="10.0"):
        return "%s.%d.%d" % (prefix, self.rng.randint(1, 12), self.rng.randint(2, 250))

    # ---- series ----------------------------------------------------------
    def ser(self, fn):
        return {t: fn(t) for t in MINUTES}

    def metric(self, ns, name, dims, unit, ser, nd=3, integer=False, region=None):
        pts = []
        for t in sorted(ser):
            v = ser[t]
            if v is None:
                continue
            v = max(0.0, float(v))
            v = float(round(v)) if integer else round(v, nd)
            pts.append(Flow([t, v]))
        entry = {"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit}
        if region:
            entry["region"] = region
        entry["points"] = pts
        self.metrics.append(entry)
        self.index[(ns, name, tuple(sorted(dims.items())))] = {p[0]: p[1] for p in pts}
        return ser

    def log(self, group, stream, events, region=None):
        evs = sorted((e for e in events if e[0] <= 0), key=lambda e: e[0])
        entry = {"group": group, "stream": stream}
        if region:
            entry["region"] = region
        entry["events"] = [Flow([round(t, 3), m]) for t, m in evs]
        self.logs.append(entry)

    # ---- inventory -------------------------------------------------------
    def resource(self, rtype, rid, **props):
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)

    def change(self, t, source, name, rtype, rname, user, region=None):
        c = {"time": t, "event_source": source, "event_name": name,
             "resource_type": rtype, "resource_name": rname, "username": user}
        if region:
            c["region"] = region
        self.changes.append(c)

    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold, state, changed,
              comparison="GreaterThanThreshold", description=None):
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": comparison, "state": state,
             "state_reason": None, "state_changed": changed}
        if description:
            a["description"] = description
        self.alarms.append(a)

    # ---- alarm evaluation (used for reasons and self-checks) --------------
    def datapoints(self, a, upto):
        raw = self.index.get((a["namespace"], a["metric"], tuple(sorted(a["dimensions"].items()))))
        if raw is None:
            raise KeyError("alarm %s has no metric series" % a["name"])
        p = a["period"]
        w_end = (upto // p) * p
        out = []
        for i in range(a["evaluation_periods"], 0, -1):
            w0 = w_end - i * p
            vals = [v for t, v in raw.items() if w0 <= t < w0 + p]
            if not vals:
                out.append((w0, None))
                continue
            s = a["statistic"]
            agg = (sum(vals) if s == "Sum" else max(vals) if s == "Maximum"
                   else min(vals) if s == "Minimum" else sum(vals) / len(vals))
            out.append((w0, agg))
        return out

    @staticmethod
    def breaches(a, v):
        if v is None:
            return False
        th, c = a["threshold"], a["comparison"]
        return {"GreaterThanThreshold": v > th, "GreaterThanOrEqualToThreshold": v >= th,
                "LessThanThreshold": v < th, "LessThanOrEqualToThreshold": v <= th}[c]

    def finish_alarms(self):
        words = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold":
                 "greater than or equal to", "LessThanThreshold": "less than",
                 "LessThanOrEqualToThreshold": "less than or equal to"}
        for a in self.alarms:
            at = a["state_changed"]
            if at < START + (a["evaluation_periods"] + 1) * a["period"]:
                at = START + (a["evaluation_periods"] + 1) * a["period"]
            dps = self.datapoints(a, at)
            now_dps = self.datapoints(a, 0)
            n = a["evaluation_periods"]
            hit = [self.breaches(a, v) for _, v in dps]
            hit_now = [self.breaches(a, v) for _, v in now_dps]
            if a["state"] == "ALARM":
                if not (all(hit) and all(hit_now)):
                    raise ValueError("alarm %s: data does not support ALARM %s %s" % (a["name"], dps, now_dps))
            elif a["state"] == "OK" and all(hit_now):
                raise ValueError("alarm %s: data says ALARM but state OK %s" % (a["name"], now_dps))
            shown = ", ".join("%s (%s)" % (round(v, 3) if v is not None else "null",
                                           self.stamp(w, "%d/%m/%y %H:%M:%S")) for w, v in dps)
            if a["state"] == "ALARM":
                verb = "were" if n > 1 else "was"
                a["state_reason"] = (
                    "Threshold Crossed: %d out of the last %d datapoints [%s] %s %s the threshold "
                    "(%s) (minimum %d datapoints for OK -> ALARM transition)."
                    % (n, n, shown, verb, words[a["comparison"]], float(a["threshold"]), n))
            else:
                a["state_reason"] = (
                    "Threshold Crossed: %d datapoint%s [%s] %s not %s the threshold (%s) "
                    "(minimum 1 datapoint for ALARM -> OK transition)."
                    % (n, "s" if n > 1 else "", shown, "were" if n > 1 else "was",
                       words[a["comparison"]], float(a["threshold"])))

    def doc(self, name, description, expect):
        self.finish_alarms()
        self.changes.sort(key=lambda c: c["time"])
        return {"format": "aiops-scenario/v1", "name": name, "description": description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": self.logs, "alarms": self.alarms, "changes": self.changes,
                "expect": expect}


def events_per_minute(ctx, start, end, rate, gen):
    """Background log events: `rate(t)` events per minute, `gen(t)` -> text or [(dt, text)]."""
    out = []
    t = (start // 60) * 60
    while t < end:
        for _ in range(ctx.poisson(rate(t))):
            te = t + ctx.uni(0, 59.9)
            if te >= end:
                continue
            g = gen(te)
            if g is None:
                continue
            if isinstance(g, str):
                out.append((te, g))
            else:
                out.extend((te + dt, m) for dt, m in g if te + dt < 0)
        t += 60
    return out


def every(start, end, period, gen, jitter_ctx=None):
    """One event (or several) every `period` seconds."""
    out, t = [], start
    while t < end:
        te = t + (jitter_ctx.uni(0, 2) if jitter_ctx else 0)
        g = gen(te)
        if g:
            if isinstance(g, str):
                out.append((te, g))
            else:
                out.extend((te + dt, m) for dt, m in g)
        t += period
    return out
