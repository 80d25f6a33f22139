"""Shared helpers for the holdout40 scenario generators (stdlib + pyyaml only)."""
import datetime
import math
import random
import uuid

import yaml

START, END, STEP = -21600, -60, 60          # 6 h of one-minute metrics
LOG_START = -7200                            # 2 h of logs
WALL = datetime.datetime(2026, 3, 17, 14, 0, 0)  # wall clock used inside rendered log lines


# ---------------------------------------------------------------- time / ids
def wall(t):
    return WALL + datetime.timedelta(seconds=t)


def iso(t):
    return wall(t).strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (wall(t).microsecond // 1000)


def ts(t, fmt='%Y-%m-%d %H:%M:%S'):
    return wall(t).strftime(fmt)


def ms(t):
    return '%03d' % (wall(t).microsecond // 1000)


def rid(r):
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def hx(r, n):
    return ''.join(r.choice('0123456789abcdef') for _ in range(n))


def ip(r, net='10.0'):
    return '%s.%d.%d' % (net, r.randint(1, 12), r.randint(2, 250))


# ---------------------------------------------------------------- shapes
def ramp(t, t0, t1, a, b):
    if t <= t0:
        return a
    if t >= t1:
        return b
    return a + (b - a) * (t - t0) / float(t1 - t0)


def step(t, t0, a, b):
    return a if t < t0 else b


def day(t, amp=0.15, phase=0):
    """Gentle diurnal factor (period 24 h)."""
    return 1.0 + amp * math.sin(2 * math.pi * (t + phase) / 86400.0)


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= r.random()
        if p <= L:
            return k
        k += 1


def series(r, f, noise=0.06, nd=3, count=False, lo=0.0, hi=None, start=START, end=END):
    pts = []
    for t in range(start, end + 1, STEP):
        m = f(t)
        if m is None:
            continue
        if count:
            v = float(poisson(r, m))
        else:
            v = m * (1 + r.gauss(0, noise)) if noise else m
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


def const(v):
    return lambda t: v


# ---------------------------------------------------------------- metric sets
def lambda_metrics(r, fn, inv, err=const(0), thr=const(0), dur=const(100), conc=None, cap=None):
    conc = conc or (lambda t: max(1.0, inv(t) * dur(t) / 60000.0))
    d = {'FunctionName': fn}
    return [metric('AWS/Lambda', 'Invocations', d, 'Count', series(r, inv, count=True)),
            metric('AWS/Lambda', 'Errors', d, 'Count', series(r, err, count=True)),
            metric('AWS/Lambda', 'Throttles', d, 'Count', series(r, thr, count=True)),
            metric('AWS/Lambda', 'Duration', d, 'Milliseconds', series(r, dur, noise=0.12, nd=2, hi=cap)),
            metric('AWS/Lambda', 'ConcurrentExecutions', d, 'Count',
                   series(r, conc, noise=0.1, nd=0, lo=0, hi=None))]


def alb_metrics(r, lb, req, rt, t5=const(0.3), e5=const(0), healthy=const(4), unhealthy=const(0), t4=None):
    d = {'LoadBalancer': lb}
    t4 = t4 or (lambda t: req(t) * 0.012)
    return [metric('AWS/ApplicationELB', 'RequestCount', d, 'Count', series(r, req, count=True)),
            metric('AWS/ApplicationELB', 'TargetResponseTime', d, 'Seconds', series(r, rt, noise=0.08)),
            metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', d, 'Count', series(r, t5, count=True)),
            metric('AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count', d, 'Count', series(r, t4, count=True)),
            metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', d, 'Count', series(r, e5, count=True)),
            metric('AWS/ApplicationELB', 'HealthyHostCount', d, 'Count', series(r, healthy, noise=0, nd=0)),
            metric('AWS/ApplicationELB', 'UnHealthyHostCount', d, 'Count', series(r, unhealthy, noise=0, nd=0))]


def ec2_metrics(r, iid, cpu, mem=const(45), disk=const(40), status=const(0), net=const(4e6),
                path='/', fstype='xfs', start=START, end=END, sys_status=None):
    d = {'InstanceId': iid}
    kw = dict(start=start, end=end)
    out = [metric('AWS/EC2', 'CPUUtilization', d, 'Percent', series(r, cpu, noise=0.08, hi=100, **kw)),
           metric('AWS/EC2', 'NetworkIn', d, 'Bytes', series(r, net, noise=0.15, **kw)),
           metric('AWS/EC2', 'StatusCheckFailed', d, 'Count', series(r, status, noise=0, nd=0, **kw)),
           metric('CWAgent', 'mem_used_percent', d, 'Percent', series(r, mem, noise=0.02, hi=100, **kw)),
           metric('CWAgent', 'disk_used_percent', dict(d, path=path, fstype=fstype), 'Percent',
                  series(r, disk, noise=0.002, hi=100, **kw))]
    if sys_status:
        out.append(metric('AWS/EC2', 'StatusCheckFailed_System', d, 'Count',
                          series(r, sys_status, noise=0, nd=0, **kw)))
    return out


def ecs_metrics(r, cluster, svc, cpu, mem, running):
    d = {'ClusterName': cluster, 'ServiceName': svc}
    return [metric('AWS/ECS', 'CPUUtilization', d, 'Percent', series(r, cpu, noise=0.07, hi=100)),
            metric('AWS/ECS', 'MemoryUtilization', d, 'Percent', series(r, mem, noise=0.015, hi=100)),
            metric('ECS/ContainerInsights', 'RunningTaskCount', d, 'Count', series(r, running, noise=0, nd=0))]


def rds_metrics(r, db, cpu, conns, free_gb, rlat=const(0.0012), wlat=const(0.0018), free_mem_gb=const(3.1),
                extra=(), max_conn=None):
    d = {'DBInstanceIdentifier': db}
    out = [metric('AWS/RDS', 'CPUUtilization', d, 'Percent', series(r, cpu, noise=0.08, hi=100)),
           metric('AWS/RDS', 'DatabaseConnections', d, 'Count', series(r, conns, noise=0.04, nd=0, hi=max_conn)),
           metric('AWS/RDS', 'FreeStorageSpace', d, 'Bytes',
                  series(r, lambda t: free_gb(t) * 1e9, noise=0.0005, nd=0)),
           metric('AWS/RDS', 'ReadLatency', d, 'Seconds', series(r, rlat, noise=0.15, nd=5)),
           metric('AWS/RDS', 'WriteLatency', d, 'Seconds', series(r, wlat, noise=0.15, nd=5)),
           metric('AWS/RDS', 'FreeableMemory', d, 'Bytes',
                  series(r, lambda t: free_mem_gb(t) * 1e9, noise=0.01, nd=0))]
    for name, unit, f in extra:
        out.append(metric('AWS/RDS', name, d, unit, series(r, f, noise=0.08)))
    return out


def apigw_rest_metrics(r, api, count, e4, e5, lat, ilat):
    d = {'ApiName': api}
    return [metric('AWS/ApiGateway', 'Count', d, 'Count', series(r, count, count=True)),
            metric('AWS/ApiGateway', '4XXError', d, 'Count', series(r, e4, count=True)),
            metric('AWS/ApiGateway', '5XXError', d, 'Count', series(r, e5, count=True)),
            metric('AWS/ApiGateway', 'Latency', d, 'Milliseconds', series(r, lat, noise=0.1, nd=2)),
            metric('AWS/ApiGateway', 'IntegrationLatency', d, 'Milliseconds', series(r, ilat, noise=0.1, nd=2))]


def apigw_http_metrics(r, api_id, stage, count, e4, e5, lat, ilat):
    d = {'ApiId': api_id, 'Stage': stage}
    return [metric('AWS/ApiGateway', 'Count', d, 'Count', series(r, count, count=True)),
            metric('AWS/ApiGateway', '4xx', d, 'Count', series(r, e4, count=True)),
            metric('AWS/ApiGateway', '5xx', d, 'Count', series(r, e5, count=True)),
            metric('AWS/ApiGateway', 'Latency', d, 'Milliseconds', series(r, lat, noise=0.1, nd=2)),
            metric('AWS/ApiGateway', 'IntegrationLatency', d, 'Milliseconds', series(r, ilat, noise=0.1, nd=2))]


# ---------------------------------------------------------------- logs
def events(r, rate, gen, start=LOG_START, end=-1):
    """Poisson events per minute; gen(t, r) -> str | list[(dt, str)] | None."""
    out = []
    for m0 in range(start, end, 60):
        for _ in range(poisson(r, rate(m0))):
            t = m0 + r.random() * 60
            if t > end:
                continue
            g = gen(t, r)
            if g is None:
                continue
            if isinstance(g, str):
                out.append([round(t, 3), g])
            else:
                out.extend([round(t + dt, 3), s] for dt, s in g)
    return out


def every(period, gen, start=LOG_START, end=-1, r=None, jitter=0.0):
    out = []
    t = start
    while t < end:
        tt = t + (r.random() * jitter if r else 0)
        g = gen(tt)
        if g:
            out.append([round(tt, 3), g])
        t += period
    return out


def merge(*lists):
    out = [e for l in lists for e in l]
    out.sort(key=lambda e: e[0])
    return out


def log(group, stream, evs, region=None):
    d = {'group': group, 'stream': stream, 'events': sorted(evs, key=lambda e: e[0])}
    if region:
        d['region'] = region
    return d


def lambda_invocations(r, rate, body, mem, timeout_s, start=LOG_START, end=-1):
    """body(t, rid, r) -> (lines[(dt, msg)], duration_ms, max_mem_mb, status) status in ok|error|timeout."""
    out = []
    for m0 in range(start, end, 60):
        for _ in range(poisson(r, rate(m0))):
            t = m0 + r.random() * 60
            q = rid(r)
            lines, dur, used, status = body(t, q, r)
            if status == 'timeout':
                dur = timeout_s * 1000.0
                lines = [x for x in lines if x[0] * 1000 < dur] + [
                    (dur / 1000.0 + 0.01, '%s %s Task timed out after %.2f seconds' % (iso(t + dur / 1000.0), q, timeout_s + r.random() * 0.08))]
            if t + dur / 1000.0 > end:
                continue
            ev = [[round(t, 3), 'START RequestId: %s Version: $LATEST' % q]]
            ev += [[round(t + dt, 3), s] for dt, s in lines]
            te = t + dur / 1000.0 + 0.02
            ev.append([round(te, 3), 'END RequestId: %s' % q])
            rep = 'REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB' % (
                q, dur, math.ceil(dur), mem, used)
            if status == 'timeout':
                rep += '\tStatus: timeout'
            ev.append([round(te + 0.001, 3), rep])
            out.extend(ev)
    return out


def lambda_stream_name(r, t):
    return '%s/[$LATEST]%s' % (ts(t, '%Y/%m/%d'), hx(r, 32))


def split_streams(group, evs, cuts, r, region=None, namer=lambda_stream_name):
    """Split events of one log group into successive streams at the given times (new containers/tasks)."""
    bounds = [LOG_START - 1] + sorted(cuts) + [10 ** 9]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        part = [e for e in evs if a <= e[0] < b]
        if part:
            out.append(log(group, namer(r, part[0][0]), part, region))
    return out


# ---------------------------------------------------------------- alarms / changes / resources
def alarm(name, ns, met, dims, stat, period, evals, thr, cmp, changed, desc=None, state='ALARM'):
    word = {'GreaterThanThreshold': 'greater than', 'GreaterThanOrEqualToThreshold': 'greater than or equal to',
            'LessThanThreshold': 'less than', 'LessThanOrEqualToThreshold': 'less than or equal to'}[cmp]
    if state == 'ALARM':
        reason = 'Threshold Crossed: %d datapoints were %s the threshold (%s).' % (evals, word, float(thr))
    else:
        reason = 'Threshold Crossed: %d datapoints were not %s the threshold (%s).' % (evals, word, float(thr))
    a = {'name': name, 'namespace': ns, 'metric': met, 'dimensions': dict(dims), 'statistic': stat,
         'period': period, 'evaluation_periods': evals, 'threshold': thr, 'comparison': cmp,
         'state': state, 'state_reason': reason, 'state_changed': changed}
    if desc:
        a['description'] = desc
    return a


def change(t, src, name, rtype, rname, user, region=None):
    c = {'time': t, 'event_source': src, 'event_name': name, 'resource_type': rtype,
         'resource_name': rname, 'username': user}
    if region:
        c['region'] = region
    return c


def res(type_, id_, **props):
    d = {'type': type_, 'id': id_}
    if props:
        d['properties'] = props
    return d


def scenario(name, desc, region, resources, metrics, logs, alarms, changes, expect, meta):
    return {'format': 'aiops-scenario/v1', 'name': name, 'description': desc, 'region': region,
            'resources': resources, 'metrics': metrics, 'logs': logs, 'alarms': alarms,
            'changes': sorted(changes, key=lambda c: c['time']), 'expect': expect, '_meta': meta}


def expect(alarm_name, category, resources, anomalies):
    return {'alarm': alarm_name, 'root_cause': {'category': category, 'resource': list(resources)},
            'anomalies': [{'namespace': a[0], 'name': a[1], 'dimensions': dict(a[2])} for a in anomalies]}


# ---------------------------------------------------------------- yaml
class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def _list_rep(dumper, data):
    flow = all(not isinstance(x, (list, dict)) for x in data) and len(data) <= 4
    return dumper.represent_sequence('tag:yaml.org,2002:seq', data, flow_style=flow)


_Dumper.add_representer(list, _list_rep)


def dump(doc, path):
    with open(path, 'w') as f:
        yaml.dump(doc, f, Dumper=_Dumper, sort_keys=False, width=100000, allow_unicode=True)


def epoch_ms(t):
    return int(((WALL - datetime.datetime(1970, 1, 1)).total_seconds() + t) * 1000)
