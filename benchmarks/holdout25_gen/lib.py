"""Shared helpers for the holdout25 scenario set (shared-infrastructure incidents)."""
import math
import random
import uuid
from datetime import datetime, timedelta, timezone

import yaml

BASE = datetime(2026, 11, 20, 15, 0, 0, tzinfo=timezone.utc)  # text timestamps only
START = -21600  # 6 h of metrics
LOG_FROM = -7200  # 2 h of logs
MINUTES = list(range(START, 0, 60))


def iso(t):
    return (BASE + timedelta(seconds=t)).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % int((t % 1) * 1000)


def stamp(t, fmt='%Y-%m-%d %H:%M:%S'):
    return (BASE + timedelta(seconds=t)).strftime(fmt)


def ms_stamp(t):
    return stamp(t) + '.%03d' % int((t % 1) * 1000)


def rid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng, n=32):
    return '%0*x' % (n, rng.getrandbits(4 * n))


def ramp(t, t0, t1, a, b):
    """a before t0, b after t1, linear between."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / (t1 - t0)


def step(t, t0, a, b):
    return a if t < t0 else b


def diurnal(t, amp=0.15, phase=0.0):
    return 1.0 + amp * math.sin(2 * math.pi * (t / 86400.0) + phase)


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


def poisson_times(rng, t0, t1, per_min):
    """Event times in [t0, t1) with a rate (events/minute) that may be a function of t."""
    out = []
    for m in range(int(t0), int(t1), 60):
        lam = per_min(m) if callable(per_min) else per_min
        for _ in range(poisson(rng, lam)):
            out.append(m + rng.random() * 60)
    return sorted(out)


class Scn:
    def __init__(self, slug, seed, region, description):
        self.slug = slug
        self.rng = random.Random(seed)
        self.region = region
        self.description = description
        self.resources, self.metrics, self.alarms, self.changes = [], [], [], []
        self._logs = {}
        self.expect = None
        self.meta = {}

    # -- building blocks -------------------------------------------------
    def resource(self, type_, id_, **props):
        self.resources.append({'type': type_, 'id': id_, 'properties': props})

    def metric(self, ns, name, dims, unit, fn, noise=0.0, floor=0.0, cap=None, digits=3, integer=False):
        pts = []
        for t in MINUTES:
            v = fn(t) if callable(fn) else fn
            if v is None:
                continue
            if noise:
                v = v * (1 + self.rng.gauss(0, noise))
            v = max(floor, v)
            if cap is not None:
                v = min(cap, v)
            v = float(int(round(v))) if integer else round(v, digits)
            pts.append([t, v])
        self.metrics.append({'namespace': ns, 'name': name, 'dimensions': dict(dims), 'unit': unit, 'points': pts})

    def series(self, ns, name, dims, unit, values):
        """values: dict t -> value (already computed)."""
        pts = [[t, float(round(values[t], 3))] for t in MINUTES if t in values]
        self.metrics.append({'namespace': ns, 'name': name, 'dimensions': dict(dims), 'unit': unit, 'points': pts})

    def log(self, group, stream, events):
        self._logs.setdefault((group, stream), []).extend(events)

    def alarm(self, name, ns, metric, dims, threshold, state_changed, statistic='Sum', period=60,
              evaluation_periods=3, comparison='GreaterThanThreshold', state='ALARM', description=None,
              datapoints=None):
        n = datapoints or evaluation_periods
        word = {'GreaterThanThreshold': 'greater than', 'LessThanThreshold': 'less than',
                'GreaterThanOrEqualToThreshold': 'greater than or equal to',
                'LessThanOrEqualToThreshold': 'less than or equal to'}[comparison]
        a = {'name': name, 'namespace': ns, 'metric': metric, 'dimensions': dict(dims), 'statistic': statistic,
             'period': period, 'evaluation_periods': evaluation_periods, 'threshold': threshold,
             'comparison': comparison, 'state': state, 'state_changed': state_changed}
        if state == 'ALARM':
            a['state_reason'] = 'Threshold Crossed: %d datapoint%s %s the threshold (%s).' % (
                n, 's were' if n > 1 else ' was', word, float(threshold))
        else:
            a['state_reason'] = 'Threshold Crossed: no datapoints were %s the threshold (%s).' % (word, float(threshold))
        if description:
            a['description'] = description
        self.alarms.append(a)

    def change(self, t, source, event, rtype, rname, user, **extra):
        c = {'time': t, 'event_source': source, 'event_name': event, 'resource_type': rtype,
             'resource_name': rname, 'username': user}
        c.update(extra)
        self.changes.append(c)

    def expect_(self, alarm, category, resources, anomalies):
        self.expect = {'alarm': alarm, 'root_cause': {'category': category, 'resource': list(resources)},
                       'anomalies': anomalies}

    # -- output ---------------------------------------------------------
    def to_dict(self):
        logs = []
        for (g, s), ev in self._logs.items():
            ev = sorted(ev, key=lambda e: e[0])
            logs.append({'group': g, 'stream': s, 'events': [[round(t, 3), m] for t, m in ev]})
        self.changes.sort(key=lambda c: c['time'])
        return {'format': 'aiops-scenario/v1', 'name': self.slug, 'description': self.description,
                'region': self.region, 'resources': self.resources, 'metrics': self.metrics, 'logs': logs,
                'alarms': self.alarms, 'changes': self.changes, 'expect': self.expect}

    def write(self, path):
        with open(path, 'w') as f:
            yaml.dump(self.to_dict(), f, Dumper=getattr(yaml, 'CSafeDumper', yaml.SafeDumper), sort_keys=False, width=100000, allow_unicode=True)


def periodic(rng, t0, t1, every, make, jitter=2.0):
    """Background lines every `every` seconds: make(t, rng) -> str or list of str."""
    out, t = [], t0 + rng.random() * every
    while t < t1:
        tt = t + rng.uniform(-jitter, jitter)
        r = make(tt, rng)
        for i, line in enumerate([r] if isinstance(r, str) else (r or [])):
            out.append((tt + i * 0.001, line))
        t += every
    return out


def sprinkle(rng, t0, t1, per_min, make):
    out = []
    for t in poisson_times(rng, t0, t1, per_min):
        r = make(t, rng)
        for i, line in enumerate([r] if isinstance(r, str) else (r or [])):
            out.append((t + i * 0.001, line))
    return out
