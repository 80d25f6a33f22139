"""Core scenario builder for holdout set 43 ("busy accounts").

Times are seconds relative to load time (negative = past).  Metric history is
six hours of one-minute datapoints (-21600 .. -60).  Everything is driven by a
per-scenario random.Random so output is deterministic.
"""
import datetime as _dt
import math
import random
import re

START = -21600
STEP = 60
TIMES = list(range(START, 0, STEP))


# ----------------------------------------------------------------- shapes
def ramp(t, t0, t1):
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def bump(t, t0, t1, rise=300, fall=300):
    """Trapezoid: 0 outside [t0, t1+fall], 1 on [t0+rise, t1]."""
    return min(ramp(t, t0, t0 + rise), 1.0 - ramp(t, t1, t1 + fall))


def wave(t, amp=0.1, period=86400.0, phase=0.0):
    """Slow diurnal factor around 1.0 (six hours is a quarter of a day)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t / period + phase))


# ----------------------------------------------------------------- noise
def poisson(rng, lam):
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


def jit(rng, v, rel):
    return v * (1.0 + rng.gauss(0.0, rel))


def rid(rng):
    return "%08x-%04x-4%03x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48))


def hexs(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def alnum(rng, n):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


_TOKEN = re.compile(r"\{(\w+)\}")


def fill(rng, tpl, extra=None):
    """Fill {tokens} in a log template with plausible random values."""
    def sub(m):
        k = m.group(1)
        if extra and k in extra:
            v = extra[k]
            return str(v(rng) if callable(v) else v)
        if k == "n":
            return str(rng.randint(1, 60))
        if k == "small":
            return str(rng.randint(1, 9))
        if k == "big":
            return str(rng.randint(200, 9000))
        if k == "ms":
            return str(rng.randint(3, 180))
        if k == "hex":
            return hexs(rng, 8)
        if k == "uuid":
            return rid(rng)
        if k == "ip":
            return "10.%d.%d.%d" % (rng.randint(0, 3) * 16, rng.randint(0, 15), rng.randint(2, 250))
        if k == "pct":
            return "%.1f" % rng.uniform(5, 60)
        if k == "id6":
            return str(rng.randint(100000, 999999))
        if k == "usd":
            return "%.2f" % rng.uniform(4, 400)
        return m.group(0)
    return _TOKEN.sub(sub, tpl)


# ----------------------------------------------------------------- scenario
_CMP = {
    "GreaterThanThreshold": (lambda v, x: v > x, "greater than"),
    "GreaterThanOrEqualToThreshold": (lambda v, x: v >= x, "greater than or equal to"),
    "LessThanThreshold": (lambda v, x: v < x, "less than"),
    "LessThanOrEqualToThreshold": (lambda v, x: v <= x, "less than or equal to"),
}


class Scenario:
    def __init__(self, num, slug, region, description, seed, anchor):
        self.num = num
        self.slug = slug
        self.name = "h43-%02d-%s" % (num, slug)
        self.region = region
        self.description = description
        self.rng = random.Random(seed)
        self.anchor = anchor  # naive UTC datetime that corresponds to t = 0
        self.account = str(100000000000 + random.Random(seed * 7).randint(0, 899999999999))
        self.resources = []
        self.metrics = []
        self.series = {}
        self.logs = {}
        self.alarms = []
        self.changes = []
        self.expect = None
        self.meta = {}

    # ---- time rendering (embedded timestamps inside log text)
    def at(self, t):
        return self.anchor + _dt.timedelta(seconds=t)

    def iso(self, t):
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    def iso6(self, t):
        return self.at(t).strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"

    def pgts(self, t):
        return self.at(t).strftime("%Y-%m-%d %H:%M:%S UTC")

    def clf(self, t):
        return self.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")

    def epoch(self, t):
        return (self.at(t) - _dt.datetime(1970, 1, 1)).total_seconds()

    def day(self):
        return self.anchor.strftime("%Y/%m/%d")

    # ---- resources
    def res(self, rtype, rid_, **props):
        r = {"type": rtype, "id": rid_}
        if props:
            r["properties"] = props
        self.resources.append(r)
        return rid_

    # ---- metrics
    def put(self, ns, name, dims, unit, values, nd=3):
        pts = []
        for t, v in zip(TIMES, values):
            if v is None:
                continue
            pts.append([t, round(float(v), nd)])
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims),
                             "unit": unit, "points": pts})
        self.series[(ns, name, tuple(sorted(dims.items())))] = {t: v for t, v in pts}
        return values

    def gen(self, fn, rel=0.05, sd=0.0, lo=0.0, hi=None, count=False):
        """Sample fn(t) (mean, or None for no data) with noise at every minute."""
        out = []
        for t in TIMES:
            m = fn(t)
            if m is None:
                out.append(None)
                continue
            if count:
                v = float(poisson(self.rng, m))
            elif hi is not None and m > 0.95 * hi:     # pinned at a ceiling: small jitter only
                v = m + self.rng.gauss(0, 0.005 * hi)
            else:
                v = m * (1.0 + self.rng.gauss(0, rel)) + (self.rng.gauss(0, sd) if sd else 0.0)
            if lo is not None:
                v = max(lo, v)
            if hi is not None:
                v = min(hi, v)
            out.append(v)
        return out

    # ---- logs
    def ev(self, group, stream, t, text):
        if t > -0.2:
            return
        self.logs.setdefault((group, stream), []).append([round(t, 3), text])

    # ---- cloudtrail
    def change(self, t, source, name, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": name,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    # ---- alarms: state and state_changed are derived from the data
    def alarm(self, name, ns, metric, dims, stat, period, evals, threshold, cmp,
              want, desc=None):
        key = (ns, metric, tuple(sorted(dims.items())))
        pts = self.series[key]
        test, words = _CMP[cmp]

        def agg(lo, hi):
            xs = [v for t, v in pts.items() if lo <= t < hi]
            if not xs:
                return None
            if stat == "Sum":
                return sum(xs)
            if stat == "Average":
                return sum(xs) / len(xs)
            if stat == "Maximum":
                return max(xs)
            if stat == "Minimum":
                return min(xs)
            raise ValueError(stat)

        state, changed, last_vals, chg_vals = None, None, None, None
        te = START + period * evals
        while te <= 0:
            vals = [agg(te - (k + 1) * period, te - k * period) for k in range(evals)]
            if all(v is not None for v in vals):
                s = "ALARM" if all(test(v, threshold) for v in vals) else "OK"
                if s != state:
                    state, changed, chg_vals = s, te, vals
                last_vals = vals
            te += STEP
        if state != want:
            raise AssertionError("%s: alarm %s computed %s, wanted %s (last %s)"
                                 % (self.name, name, state, want, last_vals))
        te_c = changed
        if changed == START + period * evals:      # never transitioned inside the window
            changed = te_c = -self.rng.randint(2, 9) * 86400 - self.rng.randint(0, 86399) // 60 * 60
        changed = min(changed, -30) - 20
        n = evals
        shown = ", ".join("%s (%s)" % (_fmt(v), self.at(te_c - (i + 1) * period).strftime("%d/%m/%y %H:%M:%S"))
                          for i, v in enumerate(chg_vals))
        if state == "ALARM":
            reason = ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold "
                      "(%s) (minimum %d datapoints for OK -> ALARM transition)."
                      % (n, n, shown, words, _fmt(threshold), n))
        else:
            reason = ("Threshold Crossed: 1 out of the last %d datapoints [%s] was not %s the threshold "
                      "(%s) (minimum 1 datapoint for ALARM -> OK transition)."
                      % (n, shown, words, _fmt(threshold)))
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": evals,
             "threshold": threshold, "comparison": cmp, "state": state,
             "state_reason": reason, "state_changed": int(changed)}
        if desc:
            a["description"] = desc
        self.alarms.append(a)
        return a

    def set_expect(self, alarm, category, resources, anomalies):
        names = {a["name"]: a for a in self.alarms}
        assert alarm in names and names[alarm]["state"] == "ALARM", (self.name, alarm)
        ids = set()
        for r in self.resources:
            ids.add(r["id"])
            for v in (r.get("properties") or {}).values():
                if isinstance(v, str):
                    ids.add(v)
        for r in resources:
            assert r in ids, (self.name, r)
        for a in anomalies:
            key = (a["namespace"], a["name"], tuple(sorted(a["dimensions"].items())))
            assert key in self.series, (self.name, key)
        self.expect = {"alarm": alarm,
                       "root_cause": {"category": category, "resource": list(resources)},
                       "anomalies": anomalies}

    def doc(self):
        logs = []
        for (g, s), evs in self.logs.items():
            evs.sort(key=lambda e: e[0])
            logs.append({"group": g, "stream": s, "events": evs})
        logs.sort(key=lambda l: (l["group"], l["stream"]))
        changes = sorted(self.changes, key=lambda c: c["time"])
        return {"format": "aiops-scenario/v1", "name": self.name,
                "description": self.description, "region": self.region,
                "resources": self.resources, "metrics": self.metrics, "logs": logs,
                "alarms": self.alarms, "changes": changes, "expect": self.expect}


def _fmt(v):
    if abs(v - round(v)) < 1e-9:
        return "%.1f" % v
    return ("%.4f" % v).rstrip("0")


def anomaly(ns, name, **dims):
    return {"namespace": ns, "name": name, "dimensions": dims}
