"""Per-service simulators: Lambda invocations+logs, ECS services, ALB target groups, RDS, DynamoDB."""
import math

from .lib import LOG_FROM, MINUTES, hexid, iso, poisson, rid, ms_stamp, stamp


def _fmt(runtime, level, t, r, msg):
    if runtime == 'node':
        return '%s\t%s\t%s\t%s' % (iso(t), r, level, msg)
    if runtime == 'java':
        return '%s %s %s %s' % (iso(t), r, level.ljust(5), msg)
    return '[%s]\t%s\t%s\t%s' % (level, iso(t), r, msg)


def lambda_fn(sc, name, rate, handle, memory=512, timeout=30, runtime='py', mem_used=(140, 190),
              conc_cap=None, throttle=None, log_from=LOG_FROM, version='$LATEST', version_from=None,
              extra_metrics=True):
    """Simulate a Lambda function.

    rate(t) -> expected invocations per minute (attempts).
    throttle(t, n) -> number of those attempts that are throttled (not run, no logs).
    handle(t, rng) -> (status, duration_ms, [(level, msg)]) with status ok|error|timeout.
    version_from: list of (t, version) to change the START line version label.
    Returns per-minute dict of stats.
    """
    rng = sc.rng
    inv, err, thr, dur, conc = {}, {}, {}, {}, {}
    events = []
    stream = '2026/11/20/[%s]%s' % ('$LATEST', hexid(rng))
    for m in MINUTES:
        n = poisson(rng, max(0.0, rate(m)))
        th = min(n, throttle(m, n)) if throttle else 0
        n -= th
        e, ds = 0, []
        for _ in range(n):
            t = m + rng.random() * 60
            status, d, lines = handle(t, rng)
            if status == 'timeout':
                d = timeout * 1000.0 + rng.uniform(5, 80)
            d = min(d, timeout * 1000.0 + 80)
            ds.append(d)
            if status != 'ok':
                e += 1
            if t >= log_from:
                r = rid(rng)
                ver = version
                for vt, vv in (version_from or []):
                    if t >= vt:
                        ver = vv
                events.append((t, 'START RequestId: %s Version: %s' % (r, ver)))
                step = min(d, 50.0) / 1000.0 / (len(lines) + 1)
                for i, (lvl, msg) in enumerate(lines):
                    tt = t + 0.008 + (i + 1) * step if status != 'ok' or i == 0 else t + d / 1000.0 * (i + 1) / (len(lines) + 1)
                    events.append((tt, _fmt(runtime, lvl, tt, r, msg)))
                te = t + d / 1000.0
                if status == 'timeout':
                    events.append((te, '%s %s Task timed out after %.2f seconds' % (iso(te), r, d / 1000.0)))
                events.append((te + 0.001, 'END RequestId: %s' % r))
                used = int(rng.uniform(*mem_used))
                rep = 'REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB' % (
                    r, d, int(math.ceil(d)), memory, min(used, memory))
                if rng.random() < 0.02:
                    rep += '\tInit Duration: %.2f ms' % rng.uniform(280, 900)
                events.append((te + 0.002, rep))
        inv[m], err[m], thr[m] = n, e, th
        dur[m] = (sum(ds) / len(ds)) if ds else None
        c = sum(ds) / 60000.0 * 1.25 + (1 if n else 0)
        if conc_cap is not None:
            c = min(conc_cap(m) if callable(conc_cap) else conc_cap, c)
        conc[m] = round(c)
    d = {'FunctionName': name}
    sc.series('AWS/Lambda', 'Invocations', d, 'Count', inv)
    sc.series('AWS/Lambda', 'Errors', d, 'Count', err)
    sc.series('AWS/Lambda', 'Throttles', d, 'Count', thr)
    sc.series('AWS/Lambda', 'Duration', d, 'Milliseconds', {k: v for k, v in dur.items() if v is not None})
    sc.series('AWS/Lambda', 'ConcurrentExecutions', d, 'Count', conc)
    sc.log('/aws/lambda/' + name, stream, events)
    return {'inv': inv, 'err': err, 'thr': thr, 'conc': conc, 'dur': dur}


def ecs_metrics(sc, cluster, service, cpu, mem, tasks=None, noise=0.05):
    d = {'ClusterName': cluster, 'ServiceName': service}
    sc.metric('AWS/ECS', 'CPUUtilization', d, 'Percent', cpu, noise=noise, cap=100.0)
    sc.metric('AWS/ECS', 'MemoryUtilization', d, 'Percent', mem, noise=noise / 3, cap=100.0)
    if tasks is not None:
        sc.metric('ECS/ContainerInsights', 'RunningTaskCount', d, 'Count', tasks, integer=True)


def tg_metrics(sc, lb, tg, req, rt, t5xx, healthy, unhealthy=0.0, t4xx=None):
    d = {'LoadBalancer': lb, 'TargetGroup': tg}
    sc.metric('AWS/ApplicationELB', 'RequestCount', d, 'Count', req, noise=0.06, integer=True)
    sc.metric('AWS/ApplicationELB', 'TargetResponseTime', d, 'Seconds', rt, noise=0.08)
    sc.metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', d, 'Count',
              lambda t: poisson(sc.rng, t5xx(t) if callable(t5xx) else t5xx), integer=True)
    if t4xx is not None:
        sc.metric('AWS/ApplicationELB', 'HTTPCode_Target_4XX_Count', d, 'Count',
                  lambda t: poisson(sc.rng, t4xx(t) if callable(t4xx) else t4xx), integer=True)
    sc.metric('AWS/ApplicationELB', 'HealthyHostCount', d, 'Count', healthy, integer=True)
    sc.metric('AWS/ApplicationELB', 'UnHealthyHostCount', d, 'Count', unhealthy, integer=True)


def rds_metrics(sc, db, cpu, conns, free_storage, freeable_mem=3.1e9, read_lat=0.0018, write_lat=0.0025,
                read_iops=None, write_iops=None):
    d = {'DBInstanceIdentifier': db}
    sc.metric('AWS/RDS', 'CPUUtilization', d, 'Percent', cpu, noise=0.07, cap=100.0)
    sc.metric('AWS/RDS', 'DatabaseConnections', d, 'Count', conns, noise=0.03, integer=True)
    sc.metric('AWS/RDS', 'FreeStorageSpace', d, 'Bytes', free_storage, noise=0.0005, digits=0)
    sc.metric('AWS/RDS', 'FreeableMemory', d, 'Bytes', freeable_mem, noise=0.01, digits=0)
    sc.metric('AWS/RDS', 'ReadLatency', d, 'Seconds', read_lat, noise=0.1, digits=4)
    sc.metric('AWS/RDS', 'WriteLatency', d, 'Seconds', write_lat, noise=0.1, digits=4)
    if read_iops is not None:
        sc.metric('AWS/RDS', 'ReadIOPS', d, 'Count/Second', read_iops, noise=0.08)
    if write_iops is not None:
        sc.metric('AWS/RDS', 'WriteIOPS', d, 'Count/Second', write_iops, noise=0.08)


def ddb_metrics(sc, table, rcu, wcu, prov_r=None, prov_w=None, read_thr=0.0, write_thr=0.0, get_lat=4.0, put_lat=6.0):
    d = {'TableName': table}
    sc.metric('AWS/DynamoDB', 'ConsumedReadCapacityUnits', d, 'Count', rcu, noise=0.06)
    sc.metric('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', d, 'Count', wcu, noise=0.06)
    if prov_r is not None:
        sc.metric('AWS/DynamoDB', 'ProvisionedReadCapacityUnits', d, 'Count', prov_r)
    if prov_w is not None:
        sc.metric('AWS/DynamoDB', 'ProvisionedWriteCapacityUnits', d, 'Count', prov_w)
    sc.metric('AWS/DynamoDB', 'ReadThrottleEvents', d, 'Count', read_thr, integer=True)
    sc.metric('AWS/DynamoDB', 'WriteThrottleEvents', d, 'Count', write_thr, integer=True)
    sc.metric('AWS/DynamoDB', 'SuccessfulRequestLatency', dict(d, Operation='GetItem'), 'Milliseconds', get_lat, noise=0.1)
    sc.metric('AWS/DynamoDB', 'SuccessfulRequestLatency', dict(d, Operation='PutItem'), 'Milliseconds', put_lat, noise=0.1)


def ec2_metrics(sc, iid, cpu, mem=None, net_in=None, disk=None):
    d = {'InstanceId': iid}
    sc.metric('AWS/EC2', 'CPUUtilization', d, 'Percent', cpu, noise=0.06, cap=100.0)
    sc.metric('AWS/EC2', 'StatusCheckFailed', d, 'Count', 0.0)
    if net_in is not None:
        sc.metric('AWS/EC2', 'NetworkIn', d, 'Bytes', net_in, noise=0.08, digits=0)
    if mem is not None:
        sc.metric('CWAgent', 'mem_used_percent', d, 'Percent', mem, noise=0.005, cap=100.0)
    if disk is not None:
        sc.metric('CWAgent', 'disk_used_percent', dict(d, path='/', fstype='xfs'), 'Percent', disk, noise=0.001)


def logback(t, level, thread, logger, msg):
    return '%s %-5s 1 --- [%s] %s : %s' % (ms_stamp(t), level, thread, logger, msg)


def pg(t, rng, who, pid, level, msg):
    return '%s UTC:%s:[%d]:%s:  %s' % (stamp(t), who, pid, level, msg)


def pg_checkpoints(sc, db_host_pid=412, every=300, t0=LOG_FROM):
    rng = sc.rng
    out = []
    t = t0 + 7
    while t < 0:
        b = rng.randint(900, 4200)
        out.append((t, pg(t, rng, '@:', db_host_pid, 'LOG', 'checkpoint starting: time')))
        w = rng.uniform(20, 120)
        out.append((t + w, pg(t + w, rng, '@:', db_host_pid, 'LOG',
                              'checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; write=%.3f s, sync=%.3f s, total=%.3f s' % (
                                  b, b / 1310.72, rng.randint(1, 4), w - 0.4, rng.uniform(0.002, 0.05), w))))
        t += every
    return out


def nginx(t, rng, ip, method, path, status, size, rt, ua='Go-http-client/1.1'):
    return '%s - - [%s +0000] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f uct="0.000" urt="%.3f"' % (
        ip, stamp(t, '%d/%b/%Y:%H:%M:%S'), method, path, status, size, ua, rt, rt)


def ip(rng, net='10.0'):
    return '%s.%d.%d' % (net, rng.randint(1, 30), rng.randint(2, 250))


def task_id(rng):
    return hexid(rng, 32)
