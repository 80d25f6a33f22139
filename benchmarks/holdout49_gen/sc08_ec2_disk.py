"""h49-08: the root volume of ingest-1 fills up with spooled batches; nginx can no longer
buffer request bodies and the app cannot spool, so API Gateway (HTTP proxy in front)
returns 5XX. The CloudWatch agent on the box collects memory only, so the disk alarm
that should have warned is INSUFFICIENT_DATA; EC2 metrics are 5-minute."""
from __future__ import annotations

import json

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, ramp, scenario

NOW = "2026-03-14T13:20:00"
REGION = "eu-west-2"
INST = "i-0a7b3c9d2e1f40568"
API = "ingest-api"
FULL = -1500
LOG_FROM = -7200
HOST = "ip-10-1-4-22"


def build():
    rng = Rng(4908)
    clock = Clock(NOW)
    J = lambda d: json.dumps(d, separators=(",", ":"))
    epoch = lambda t: int(clock.at(t).timestamp() * 1000)
    full = lambda t: t >= FULL
    five = dict(start=-21600, end=-300, step=300)
    # --------------------------------------------------------------- API Gateway (front)
    cnt, e5, e4, lat = {}, {}, {}, {}
    for t in range(-21600, 0, 60):
        n = rng.pois(310 * diurnal(t, 0.2, 10000))
        bad = sum(1 for _ in range(n) if rng.random() < 0.43) if full(t) else rng.pois(0.05)
        cnt[t], e5[t], e4[t] = n, bad, rng.pois(6)
        lat[t] = rng.noise(44, 4) if not full(t) else rng.noise(31, 4)
    dims = {"ApiName": API}
    m_cnt = metric("AWS/ApiGateway", "Count", dims, "Count", pts(lambda t: cnt[t] + e4[t], integer=True))
    m_5 = metric("AWS/ApiGateway", "5XXError", dims, "Count", pts(lambda t: e5[t], integer=True))
    m_4 = metric("AWS/ApiGateway", "4XXError", dims, "Count", pts(lambda t: e4[t], integer=True))
    m_lat = metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", pts(lambda t: lat[t], nd=2))
    m_il = metric("AWS/ApiGateway", "IntegrationLatency", dims, "Milliseconds", pts(lambda t: lat[t] - 6, nd=2))
    # --------------------------------------------------------------- EC2 (5-minute basic) + agent memory only
    i = {"InstanceId": INST}
    m_cpu = metric("AWS/EC2", "CPUUtilization", i, "Percent", pts(lambda t: rng.noise(18, 1.8) * diurnal(t, 0.2, 10000), **five))
    m_nin = metric("AWS/EC2", "NetworkIn", i, "Bytes", pts(lambda t: rng.noise(6.1e8, 4e7) * diurnal(t, 0.2, 10000), nd=0, **five))
    m_nout = metric("AWS/EC2", "NetworkOut", i, "Bytes",
                    pts(lambda t: rng.noise(4.2e8, 3e7) * (0.55 if full(t + 300) else 1), nd=0, **five))
    m_ebsw = metric("AWS/EC2", "EBSWriteBytes", i, "Bytes",
                    pts(lambda t: rng.noise(9.4e8, 6e7) if not full(t + 300) else rng.noise(2.1e7, 4e6), nd=0, **five))
    m_sc = metric("AWS/EC2", "StatusCheckFailed", i, "Count", pts(lambda t: 0.0))
    m_mem = metric("CWAgent", "mem_used_percent", i, "Percent", pts(lambda t: rng.noise(41, 1.2)))
    au = {"FunctionName": "ingest-authorizer"}
    m_au = [metric("AWS/Lambda", "Invocations", au, "Count", pts(lambda t: rng.pois(22), integer=True)),
            metric("AWS/Lambda", "Errors", au, "Count", pts(lambda t: 0.0)),
            metric("AWS/Lambda", "Duration", au, "Milliseconds", pts(lambda t: rng.noise(14 if t >= -7200 else 19, 2)))]

    # --------------------------------------------------------------- logs
    ng, app = [], []
    nt = lambda t: clock.fmt(t, "%Y/%m/%d %H:%M:%S")
    conn, body = [884000], [31000]
    t = LOG_FROM
    while t < 0:
        t += rng.expovariate(1 / (9.0 if not full(t) else 4.0))
        conn[0] += rng.randint(20, 200)
        body[0] += 1
        cli = "10.20.%d.%d" % (rng.randint(1, 6), rng.randint(2, 250))
        tail = ', client: %s, server: ingest.internal, request: "POST /v1/events HTTP/1.1", host: "ingest.internal.acme.io"' % cli
        if full(t) and rng.random() < 0.45:
            ng.append([t, '%s [crit] 1187#1187: *%d pwrite() "/var/lib/nginx/body/%010d" failed (28: No space left on device)%s'
                       % (nt(t), conn[0], body[0], tail)])
        else:
            ng.append([t, "%s [warn] 1187#1187: *%d a client request body is buffered to a temporary file /var/lib/nginx/body/%010d%s"
                       % (nt(t), conn[0], body[0], tail)])
    for t in range(LOG_FROM + 2, 0, 3600):
        ng.append([t, "%s [notice] 1187#1187: signal 1 (SIGHUP) received from 40211, reconfiguring" % nt(t)])
    base = {"pid": 2211, "hostname": HOST}
    t = LOG_FROM
    while t < 0:  # shipper: one batch to S3 roughly every 20 s while the spool works
        t += rng.expovariate(1 / 20.0)
        if full(t) and rng.random() < 0.6:
            continue
        b = "b_" + rng.hx(10)
        ev = rng.randint(1400, 2300)
        app.append([t, J(dict(level=30, time=epoch(t), **base, msg="shipped batch", batch=b, events=ev,
                              bytes=ev * rng.randint(1050, 1250), s3key="raw/2026/03/14/%s/%s.ndjson.gz" % (clock.fmt(t, "%H"), b)))])
    used0 = 34.2
    for t in range(LOG_FROM + 240, 0, 600):  # housekeeping every 10 minutes
        used = min(48.9, ramp(t, LOG_FROM, FULL, used0, 48.9))
        files = int(12000 + used * 160)
        app.append([t, J(dict(level=30, time=epoch(t), **base, msg="spool housekeeping", spool_dir="/var/spool/ingest",
                              used_gib=round(used, 1), fs_size_gib=48.9, files=files, removed=0, retention_h=6,
                              oldest_age_h=round(15.2 + (t - LOG_FROM) / 3600, 1)))])
    for t in range(FULL + 20, 0, 60):  # rate-limited error log: one line per minute with a count
        app.append([t, J(dict(level=50, time=epoch(t), **base, msg="spool write failed (repeated %d times in last 60s)"
                              % rng.randint(90, 160),
                              err={"type": "Error", "message": "ENOSPC: no space left on device, write", "errno": -28,
                                   "code": "ENOSPC", "syscall": "write"}, path="/var/spool/ingest/%s.ndjson" % rng.hx(12)))])
    for t in range(LOG_FROM + 15, 0, 300):
        app.append([t, J(dict(level=30, time=epoch(t), **base, msg="health", inflight=rng.randint(3, 19),
                              rss_mb=rng.randint(380, 420), event_loop_lag_ms=round(rng.uniform(0.4, 2.2), 1)))])
    logs = [log_stream("/ingest/nginx-error", INST, ng), log_stream("/ingest/app", INST, app)]

    metrics = [m_cnt, m_5, m_4, m_lat, m_il, m_cpu, m_nin, m_nout, m_ebsw, m_sc, m_mem] + m_au
    alarms = [
        alarm("ingest-api-5xx", m_5, "Sum", 60, 3, 20.0, "GreaterThanThreshold", clock, "ALARM",
              "ingest-api 5XX responses"),
        alarm("ingest-1-root-disk-80pct", None, "Maximum", 300, 1, 80.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "root volume of ingest-1 above 80%", namespace="CWAgent",
              metric_name="disk_used_percent",
              dims={"InstanceId": INST, "path": "/", "device": "nvme0n1p1", "fstype": "xfs"},
              insufficient_since=-9331200),
        alarm("ingest-1-mem-high", m_mem, "Average", 300, 2, 90.0, "GreaterThanThreshold", clock, "OK"),
        alarm("ingest-api-4xx", m_4, "Sum", 300, 1, 100.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-7300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "ingest-authorizer", "github-actions"),
        change(-20100, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment",
               API, "github-actions"),
    ]
    resources = [
        {"type": "ec2", "id": INST, "properties": {
            "name": "ingest-1", "instance_type": "m6i.large", "monitoring": "basic", "root_volume_gib": 50,
            "cloudwatch_agent": "installed (metrics: mem only)", "log_groups": ["/ingest/nginx-error", "/ingest/app"]}},
        {"type": "apigateway", "id": API, "properties": {
            "stage": "v1", "integration": "HTTP_PROXY via VPC link to ingest-1:443", "authorizer": "ingest-authorizer"}},
        {"type": "lambda", "id": "ingest-authorizer", "properties": {"runtime": "nodejs20.x", "timeout": 5,
                                                                     "memory_size": 256}},
    ]
    data = scenario("h49-08-ec2-root-volume-full",
                    "ingest-api 5XX alarm: producers report intermittent 500/503 on POST /v1/events.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("ingest-api-5xx", "storage_exhaustion", [INST, "ingest-1"], [m_5]))
    meta = {
        "slug": "ec2-root-volume-full", "region": REGION, "alarm": "ingest-api-5xx",
        "category": "storage_exhaustion", "resources": [INST, "ingest-1"], "alarm_on": "front (API Gateway)",
        "decoys": "ingest-authorizer Lambda deploy 2 h earlier; an API deployment 5.5 h earlier; steady 4XX "
                  "(bad API keys); nginx 'buffered to a temporary file' warnings; disk alarm INSUFFICIENT_DATA",
        "paragraph": (
            "ingest-1 spools incoming events to /var/spool/ingest before shipping them to S3, and its "
            "housekeeping job removes nothing (`removed: 0`, oldest file 15+ h old with a 6 h retention). "
            "The app's 10-minute housekeeping lines show the spool growing to the 48.9 GiB file system size; "
            "25 minutes ago nginx starts logging `pwrite() ... failed (28: No space left on device)` among its "
            "usual 'buffered to a temporary file' warnings and the app logs a rate-limited `ENOSPC: no space "
            "left on device, write` once a minute. About 43 % of POSTs then fail and API Gateway's 5XX alarm "
            "fires. The CloudWatch agent collects memory only, so the disk alarm has never had data; EC2's "
            "5-minute EBSWriteBytes collapses at the same time. The authorizer deploy was two hours earlier "
            "and 4XX is unchanged. Disk full with ENOSPC: storage_exhaustion of ingest-1; alarm on the API "
            "in front."),
    }
    return data, meta
