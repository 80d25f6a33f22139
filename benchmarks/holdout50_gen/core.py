"""Scenario container, time grid, series helpers, alarm evaluation and YAML output."""
import datetime as _dt
import math
import random

import yaml

GRID = list(range(-21600, 0, 60))          # 6 h of 1-minute datapoints, oldest first


class FlowList(list):
    """A list rendered in YAML flow style ([a, b])."""


def _flow_rep(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):        # no &id001 anchors: every entry stands alone
        return True


_Dumper.add_representer(FlowList, _flow_rep)


class Scn:
    """One scenario being built."""

    def __init__(self, num, slug, region, description, now, seed):
        self.num, self.slug, self.region = num, slug, region
        self.description = description
        self.now = now                                  # datetime of relative time 0 (log text only)
        self.rng = random.Random(seed)
        self.resources, self.metrics, self.alarms, self.changes = [], [], [], []
        self._logs = {}
        self.expect = None
        self.meta = {}

    # ---- clock / ids -------------------------------------------------
    def at(self, t):
        return self.now + _dt.timedelta(seconds=t)

    def hexid(self, n):
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def iid(self):
        return "i-0" + self.hexid(16)

    def uuid(self):
        h = self.hexid(32)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], self.rng.choice("89ab"), h[17:20], h[20:32])

    def ip(self, prefix):
        return "%s.%d.%d" % (prefix, self.rng.randint(0, 15), self.rng.randint(4, 250))

    # ---- content ------------------------------------------------------
    def res(self, rtype, rid, **props):
        r = {"type": rtype, "id": rid}
        if props:
            r["properties"] = props
        self.resources.append(r)

    def metric(self, ns, name, dims, unit, values, nd=3):
        """values: list aligned on GRID; None means no datapoint that minute."""
        pts = [FlowList([t, round(float(v), nd)]) for t, v in zip(GRID, values) if v is not None]
        self.metrics.append({"namespace": ns, "name": name, "dimensions": dict(dims), "unit": unit,
                             "points": pts})
        return values

    def values(self, name, **dims):
        """The GRID-aligned values of an already added metric (None where no datapoint)."""
        for m in self.metrics:
            if m["name"] == name and m["dimensions"] == dims:
                pts = {p[0]: p[1] for p in m["points"]}
                return [pts.get(t) for t in GRID]
        raise KeyError((name, dims))

    def log(self, group, stream, t, msg):
        if t > -0.5:            # not yet written at load time
            return
        self._logs.setdefault((group, stream), []).append((round(t, 3), msg))

    def change(self, t, source, event, rtype, rname, user):
        self.changes.append({"time": int(t), "event_source": source, "event_name": event,
                             "resource_type": rtype, "resource_name": rname, "username": user})

    def alarm(self, name, ns, metric, dims, stat, period, n, thr, cmp, values, desc=None,
              search_from=-21600, state=None):
        st, changed, reason = evaluate_alarm(self, values, stat, period, n, thr, cmp, search_from)
        if state is not None and state != st:
            raise ValueError("alarm %s evaluates to %s, wanted %s" % (name, st, state))
        a = {"name": name, "namespace": ns, "metric": metric, "dimensions": dict(dims),
             "statistic": stat, "period": period, "evaluation_periods": n, "threshold": thr,
             "comparison": cmp, "state": st, "state_reason": reason, "state_changed": int(changed)}
        if desc:
            a["description"] = desc
        self.alarms.append(a)
        return a

    def to_dict(self):
        logs = []
        for (g, s), ev in self._logs.items():
            ev.sort(key=lambda e: e[0])
            logs.append({"group": g, "stream": s, "events": [FlowList(e) for e in ev]})
        self.changes.sort(key=lambda c: c["time"])
        return {"format": "aiops-scenario/v1", "name": self.slug, "description": self.description,
                "region": self.region, "resources": self.resources, "metrics": self.metrics,
                "logs": logs, "alarms": self.alarms, "changes": self.changes, "expect": self.expect}

    def dump(self, path):
        with open(path, "w") as fh:
            yaml.dump(self.to_dict(), fh, Dumper=_Dumper, sort_keys=False, width=10000,
                      allow_unicode=True)


# ---- series helpers ----------------------------------------------------
def series(s, fn, noise=0.0, lo=0.0, hi=None, rel=False, alive=None):
    """fn(t) -> level; gaussian noise (absolute, or relative to level when rel)."""
    out = []
    for t in GRID:
        if alive and not (alive[0] <= t < alive[1]):
            out.append(None)
            continue
        v = fn(t)
        if v is None:
            out.append(None)
            continue
        sd = noise * (abs(v) if rel else 1.0)
        v = v + s.rng.gauss(0, sd) if sd else v
        v = max(lo, v) if lo is not None else v
        v = min(hi, v) if hi is not None else v
        out.append(v)
    return out


def counts(s, fn, alive=None):
    """Poisson-like integer counts around fn(t)."""
    out = []
    for t in GRID:
        if alive and not (alive[0] <= t < alive[1]):
            out.append(None)
            continue
        m = fn(t)
        if m is None:
            out.append(None)
            continue
        v = m + s.rng.gauss(0, math.sqrt(m)) if m > 0 else 0
        out.append(float(max(0, int(round(v)))))
    return out


def diurnal(s, t, amp=0.25, peak_hour=14.0):
    """Multiplicative daily shape around 1.0 using the scenario's wall clock."""
    d = s.at(t)
    h = d.hour + d.minute / 60.0
    return 1.0 + amp * math.cos((h - peak_hour) / 24.0 * 2 * math.pi)


def ramp(t, t0, t1, a, b):
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / float(t1 - t0)


def bump(t, t0, t1, h):
    """Smooth bump of height h between t0 and t1."""
    if t <= t0 or t >= t1:
        return 0.0
    return h * math.sin(math.pi * (t - t0) / float(t1 - t0))


# ---- alarm evaluation ----------------------------------------------------
_CMP = {"GreaterThanThreshold": lambda v, x: v > x,
        "GreaterThanOrEqualToThreshold": lambda v, x: v >= x,
        "LessThanThreshold": lambda v, x: v < x,
        "LessThanOrEqualToThreshold": lambda v, x: v <= x}
_WORD = {"GreaterThanThreshold": "greater than", "GreaterThanOrEqualToThreshold": "greater than or equal to",
         "LessThanThreshold": "less than", "LessThanOrEqualToThreshold": "less than or equal to"}


def _aggregate(values, stat, period):
    per = period // 60
    out = []
    for i in range(0, len(GRID), per):
        chunk = [v for v in values[i:i + per] if v is not None]
        if not chunk:
            out.append((GRID[i], None))
            continue
        if stat == "Sum":
            agg = sum(chunk)
        elif stat == "Maximum":
            agg = max(chunk)
        elif stat == "Minimum":
            agg = min(chunk)
        else:
            agg = sum(chunk) / len(chunk)
        out.append((GRID[i], agg))
    return out


def _fmt_pts(s, pts):
    return ", ".join("%s (%s)" % (round(v, 4), s.at(t).strftime("%d/%m/%y %H:%M:%S")) for t, v in pts)


def _reason(s, n, win, word, thr, trans):
    if n == 1:
        return "Threshold Crossed: 1 datapoint [%s] was %s the threshold (%s)." % (_fmt_pts(s, win), word, float(thr))
    return ("Threshold Crossed: %d out of the last %d datapoints [%s] were %s the threshold (%s) "
            "(minimum %d datapoints for %s transition)." % (n, n, _fmt_pts(s, win), word, float(thr), n, trans))


def evaluate_alarm(s, values, stat, period, n, thr, cmp, search_from):
    agg = _aggregate(values, stat, period)
    f = _CMP[cmp]
    fired = None
    for i in range(n - 1, len(agg)):
        if agg[i][0] < search_from:
            continue
        win = agg[i - n + 1:i + 1]
        if all(v is not None and f(v, thr) for _, v in win):
            fired = i
            break
    last = [p for p in agg if p[1] is not None][-n:]
    now_breach = all(f(v, thr) for _, v in last)
    if fired is not None and now_breach:
        win = list(reversed(agg[fired - n + 1:fired + 1]))
        changed = min(agg[fired][0] + period + 45, -30)
        reason = _reason(s, n, win, _WORD[cmp], thr, "OK -> ALARM")
        return "ALARM", changed, reason
    win = list(reversed(last))
    changed = -21000
    if fired is not None:
        for j in range(fired + 1, len(agg)):
            if agg[j][1] is not None and not f(agg[j][1], thr):
                changed = agg[j][0] + period + 45
                break
    reason = _reason(s, n, win, "not " + _WORD[cmp], thr, "ALARM -> OK")
    return "OK", changed, reason
