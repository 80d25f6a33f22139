"""Metric families for EC2, RDS, ECS, ALB and API Gateway, plus non-Lambda log formats."""
from .common import metric, series, clock, iso_ms, sql_ts, periodic, poisson_times, rid, hexid


def ec2_metrics(iid, cpu, netin, mem, disk, status=None, region=None, disk_path='/', fstype='xfs'):
    d = {'InstanceId': iid}
    status = status or (lambda t: 0.0)
    return [metric('AWS/EC2', 'CPUUtilization', d, 'Percent', series(cpu, hi=100.0), region),
            metric('AWS/EC2', 'NetworkIn', d, 'Bytes', series(netin, nd=1), region),
            metric('AWS/EC2', 'StatusCheckFailed', d, 'Count', series(status, nd=0), region),
            metric('CWAgent', 'mem_used_percent', d, 'Percent', series(mem, hi=100.0), region),
            metric('CWAgent', 'disk_used_percent', dict(d, path=disk_path, fstype=fstype), 'Percent',
                   series(disk, hi=100.0), region)]


def rds_metrics(db, cpu, conns, free_storage, read_lat, write_lat, freeable, region=None, extra=()):
    d = {'DBInstanceIdentifier': db}
    out = [metric('AWS/RDS', 'CPUUtilization', d, 'Percent', series(cpu, hi=100.0), region),
           metric('AWS/RDS', 'DatabaseConnections', d, 'Count', series(conns, nd=0), region),
           metric('AWS/RDS', 'FreeStorageSpace', d, 'Bytes', series(free_storage, nd=0), region),
           metric('AWS/RDS', 'ReadLatency', d, 'Seconds', series(read_lat, nd=4), region),
           metric('AWS/RDS', 'WriteLatency', d, 'Seconds', series(write_lat, nd=4), region),
           metric('AWS/RDS', 'FreeableMemory', d, 'Bytes', series(freeable, nd=0), region)]
    for name, unit, fn in extra:
        out.append(metric('AWS/RDS', name, d, unit, series(fn), region))
    return out


def ecs_metrics(cluster, service, cpu, mem, region=None, running=None):
    d = {'ClusterName': cluster, 'ServiceName': service}
    out = [metric('AWS/ECS', 'CPUUtilization', d, 'Percent', series(cpu, hi=100.0), region),
           metric('AWS/ECS', 'MemoryUtilization', d, 'Percent', series(mem, hi=100.0), region)]
    if running:
        out.append(metric('ECS/ContainerInsights', 'RunningTaskCount', d, 'Count', series(running, nd=0), region))
    return out


def alb_metrics(lb, requests, rt, t5xx, e5xx, healthy, unhealthy, region=None, t4xx=None):
    d = {'LoadBalancer': lb}
    out = [metric('AWS/ApplicationELB', 'RequestCount', d, 'Count', series(requests, nd=0), region),
           metric('AWS/ApplicationELB', 'TargetResponseTime', d, 'Seconds', series(rt, nd=4), region),
           metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', d, 'Count', series(t5xx, nd=0), region),
           metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', d, 'Count', series(e5xx, nd=0), region),
           metric('AWS/ApplicationELB', 'HealthyHostCount', d, 'Count', series(healthy, nd=0), region),
           metric('AWS/ApplicationELB', 'UnHealthyHostCount', d, 'Count', series(unhealthy, nd=0), region)]
    if t4xx:
        out.append(metric('AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count', d, 'Count', series(t4xx, nd=0), region))
    return out


def apigw_metrics(api, count, e4xx, e5xx, latency, integ=None, region=None, stage=None):
    d = {'ApiName': api}
    if stage:
        d['Stage'] = stage
    out = [metric('AWS/ApiGateway', 'Count', d, 'Count', series(count, nd=0), region),
           metric('AWS/ApiGateway', '4XXError', d, 'Count', series(e4xx, nd=0), region),
           metric('AWS/ApiGateway', '5XXError', d, 'Count', series(e5xx, nd=0), region),
           metric('AWS/ApiGateway', 'Latency', d, 'Milliseconds', series(latency, nd=2), region)]
    if integ:
        out.append(metric('AWS/ApiGateway', 'IntegrationLatency', d, 'Milliseconds', series(integ, nd=2), region))
    return out


def stream(group, name, events, region=None):
    s = {'group': group, 'stream': name, 'events': events}
    if region:
        s['region'] = region
    return s


# ---- text formats -------------------------------------------------------------------------

def spring(t, level, thread, logger, msg, app=None):
    """Spring Boot 3 default console pattern."""
    app_part = '[%s] ' % app if app else ''
    return '%s %5s 1 --- %s[%15s] %-40s : %s' % (iso_ms(t).replace('Z', '+00:00'), level, app_part,
                                                thread[-15:], logger[-40:], msg)


def nginx(rng, t, ip, method, path, status, size, rt, ua='okhttp/4.12.0'):
    c = clock(t)
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct="0.000" urt="%.3f"' % (
        ip, c.strftime('%d/%b/%Y:%H:%M:%S +0000'), method, path, status, size, ua, rt, max(0.0, rt - 0.001))


def pg(t, pid, level, msg, user='app', db='app', ip='10.0.2.15'):
    """RDS PostgreSQL log_line_prefix: %t:%r:%u@%d:[%p]:"""
    c = clock(t)
    prefix = '%s UTC:%s(%d):%s@%s:[%d]:' % (c.strftime('%Y-%m-%d %H:%M:%S'), ip, 40000 + pid % 20000, user, db, pid) \
        if user else '%s UTC::@:[%d]:' % (c.strftime('%Y-%m-%d %H:%M:%S'), pid)
    return '%s%s:  %s' % (prefix, level, msg)


def mysql_err(t, thread, prio, code, msg):
    return '%sZ %d [%s] [%s] [Server] %s' % (clock(t).strftime('%Y-%m-%dT%H:%M:%S.%f'), thread, prio, code, msg)


def pg_checkpoints(rng, start, end, every=300):
    def mk(t):
        n = rng.randint(900, 4200)
        w, sy = rng.uniform(20, 90), rng.uniform(0.002, 0.05)
        return pg(t, 412, 'LOG', 'checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=%.3f s, sync=%.3f s, total=%.3f s' % (
            n, n / 1310.72, rng.randint(0, 3), w, sy, w + sy + 0.004), user=None)
    return periodic(rng, start, end, every, mk, jitter=0.02)


def json_line(t, level, msg, **kw):
    import json
    d = {'ts': iso_ms(t), 'level': level, 'msg': msg}
    d.update(kw)
    return json.dumps(d)


def events(rng, start, end, rate, make):
    """Poisson events at rate(t)/min; make(t) -> text or None."""
    out = []
    for t in poisson_times(rng, start, end, rate):
        x = make(t)
        if x:
            out.append([t, x])
    return out
