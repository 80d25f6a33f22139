"""Shared helpers: time axis, series, alarms, changes, text timestamps, YAML output."""
import datetime
import math
import random
import uuid

START = -21600          # six hours of metric history
END = -60
STEP = 60
LOG_START = -10800      # three hours of logs
# Fictional wall clock used only inside log text (the loader shifts event times itself).
NOW_TEXT = datetime.datetime(2026, 11, 24, 15, 40, 0, tzinfo=datetime.timezone.utc)


def rng_for(seed):
    return random.Random(seed)


def times(start=START, end=END, step=STEP):
    return list(range(start, end + 1, step))


def clock(t):
    return NOW_TEXT + datetime.timedelta(seconds=t)


def iso_ms(t):
    return clock(t).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (clock(t).microsecond // 1000)


def iso_us(t):
    c = clock(t)
    return c.strftime('%Y-%m-%dT%H:%M:%S.') + '%06d' % c.microsecond


def sql_ts(t):
    c = clock(t)
    return c.strftime('%Y-%m-%d %H:%M:%S') + '.%03d' % (c.microsecond // 1000)


def rid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hexid(rng, n=32):
    return ''.join(rng.choice('0123456789abcdef') for _ in range(n))


def diurnal(t, amp=0.15, phase=0.0):
    """Slow daily-ish swell so baselines are not flat."""
    return 1.0 + amp * math.sin((t + phase) / 21600.0 * math.pi)


def ramp(t, t0, t1):
    """0 before t0, 1 after t1, linear in between."""
    if t <= t0:
        return 0.0
    if t >= t1:
        return 1.0
    return (t - t0) / float(t1 - t0)


def series(fn, nd=3, start=START, end=END, step=STEP, lo=0.0, hi=None):
    pts = []
    for t in times(start, end, step):
        v = fn(t)
        if v is None:
            continue
        v = max(lo, v)
        if hi is not None:
            v = min(hi, v)
        pts.append([t, round(v, nd)])
    return pts


def metric(ns, name, dims, unit, points, region=None):
    m = {'namespace': ns, 'name': name, 'dimensions': dict(dims), 'unit': unit, 'points': points}
    if region:
        m['region'] = region
    return m


def alarm(name, ns, metric_name, dims, statistic, period, evals, threshold, comparison,
          changed, description=None, state='ALARM', region=None):
    word = {'GreaterThanThreshold': 'greater than', 'LessThanThreshold': 'less than',
            'GreaterThanOrEqualToThreshold': 'greater than or equal to',
            'LessThanOrEqualToThreshold': 'less than or equal to'}[comparison]
    if state == 'ALARM':
        reason = 'Threshold Crossed: %d datapoint%s %s the threshold (%s).' % (
            evals, 's were' if evals > 1 else ' was', word, float(threshold))
    else:
        reason = 'Threshold Crossed: no datapoints were %s the threshold (%s).' % (word, float(threshold))
    a = {'name': name, 'namespace': ns, 'metric': metric_name, 'dimensions': dict(dims),
         'statistic': statistic, 'period': period, 'evaluation_periods': evals,
         'threshold': threshold, 'comparison': comparison, 'state': state,
         'state_reason': reason, 'state_changed': changed}
    if description:
        a['description'] = description
    if region:
        a['region'] = region
    return a


def change(t, source, event, rtype, rname, user, region=None):
    c = {'time': t, 'event_source': source, 'event_name': event, 'resource_type': rtype,
         'resource_name': rname, 'username': user}
    if region:
        c['region'] = region
    return c


def scenario(name, description, region, resources, metrics, logs, alarms, changes, expect):
    for lg in logs:
        lg['events'].sort(key=lambda e: e[0])
        lg['events'] = [[round(e[0], 3), e[1]] for e in lg['events']]
    return {'format': 'aiops-scenario/v1', 'name': name, 'description': description,
            'region': region, 'resources': resources, 'metrics': metrics, 'logs': logs,
            'alarms': alarms, 'changes': sorted(changes, key=lambda c: c['time']),
            'expect': expect}


def expect(alarm_name, category, resources, anomalies):
    return {'alarm': alarm_name, 'root_cause': {'category': category, 'resource': list(resources)},
            'anomalies': [{'namespace': a[0], 'name': a[1], 'dimensions': dict(a[2])} for a in anomalies]}


def periodic(rng, start, end, every, make, jitter=0.3):
    """Events roughly every `every` seconds between start and end; make(t) -> text or list."""
    out = []
    t = start + rng.uniform(0, every)
    while t < end:
        r = make(t)
        if r:
            if isinstance(r, str):
                out.append([t, r])
            else:
                out.extend(r)
        t += every * (1 + rng.uniform(-jitter, jitter))
    return out


def poisson_times(rng, start, end, rate_per_min):
    """Arrival times with a (possibly time-varying) per-minute rate function."""
    out = []
    t = float(start)
    while t < end:
        r = rate_per_min(t) if callable(rate_per_min) else rate_per_min
        if r <= 0:
            t += 60
            continue
        t += rng.expovariate(r / 60.0)
        if t < end:
            out.append(t)
    return out
