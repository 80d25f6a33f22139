"""h49-06: search-2 pins its CPU when a weekly full index rebuild (cron) starts on it while
it is serving; EC2 has only 5-minute basic metrics and no CloudWatch agent (memory
alarm INSUFFICIENT_DATA). Logs are shipped by fluent-bit and stamped in Sydney time."""
from __future__ import annotations

from .common import Clock, Rng, alarm, change, diurnal, expect, log_stream, metric, pts, scenario

NOW = "2026-03-14T03:30:00"
REGION = "ap-southeast-2"
TZ = 11  # AEDT
S1, S2 = "i-0f1e2d3c4b5a69788", "i-09e3b4c5d6a7f8012"
ALB = "app/search-alb/9c2d7e4f1a3b5068"
CRON = -2460
LOG_FROM = -7200
HOSTS = {S1: "ip-10-0-2-17", S2: "ip-10-0-3-45"}


def build():
    rng = Rng(4906)
    clock = Clock(NOW)
    five = dict(start=-21600, end=-300, step=300)

    def cpu2(t):
        if t + 300 <= CRON:
            return rng.noise(34, 2.5) * diurnal(t, 0.12, 50000)
        frac = min(1.0, (t + 300 - CRON) / 300.0)
        return (1 - frac) * 34 + frac * rng.uniform(98.6, 99.9)

    m_cpu1 = metric("AWS/EC2", "CPUUtilization", {"InstanceId": S1}, "Percent",
                    pts(lambda t: rng.noise(82, 3) if -16200 <= t < -15600 else rng.noise(33, 2.5) * diurnal(t, 0.12, 50000), **five))
    m_cpu2 = metric("AWS/EC2", "CPUUtilization", {"InstanceId": S2}, "Percent", pts(cpu2, hi=100, **five))
    net = lambda iid: [
        metric("AWS/EC2", "NetworkIn", {"InstanceId": iid}, "Bytes", pts(lambda t: rng.noise(1.9e8, 1.2e7) * diurnal(t, 0.12, 50000), nd=0, **five)),
        metric("AWS/EC2", "NetworkOut", {"InstanceId": iid}, "Bytes",
               pts(lambda t: rng.noise(1.15e9, 6e7) * (0.7 if iid == S2 and t >= CRON else 1) * diurnal(t, 0.12, 50000), nd=0, **five)),
        metric("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Count", pts(lambda t: 0.0)),
    ]
    alb = {"LoadBalancer": ALB}
    slow = lambda t: t >= CRON + 60
    m_req = metric("AWS/ApplicationELB", "RequestCount", alb, "Count",
                   pts(lambda t: rng.pois(1480 * diurnal(t, 0.15, 50000)), integer=True))
    m_rt = metric("AWS/ApplicationELB", "TargetResponseTime", alb, "Seconds",
                  pts(lambda t: rng.noise(0.112, 0.01) + (rng.uniform(1.1, 2.3) if slow(t) else 0), nd=4))
    e502 = {t: (rng.pois(9) if slow(t) else rng.pois(0.05)) for t in range(-21600, 0, 60)}
    m_e5 = metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb, "Count", pts(lambda t: e502[t], integer=True))
    m_t5 = metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb, "Count", pts(lambda t: rng.pois(0.2), integer=True))
    m_t4 = metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb, "Count", pts(lambda t: rng.pois(17), integer=True))
    unh = {t: (1 if slow(t) and rng.random() < 0.3 else 0) for t in range(-21600, 0, 60)}
    m_hh = metric("AWS/ApplicationELB", "HealthyHostCount", alb, "Count", pts(lambda t: 2 - unh[t], integer=True))
    m_uh = metric("AWS/ApplicationELB", "UnHealthyHostCount", alb, "Count", pts(lambda t: unh[t], integer=True))
    sm = {"FunctionName": "sitemap-builder"}
    m_sm = [metric("AWS/Lambda", "Invocations", sm, "Count", pts(lambda t: 1.0 if t % 900 == 0 else 0.0)),
            metric("AWS/Lambda", "Errors", sm, "Count", pts(lambda t: 0.0))]

    # --------------------------------------------------------------- logs (Sydney local time)
    gt = lambda t: clock.fmt(t, "[%Y-%m-%d %H:%M:%S %z]", TZ)
    app = {S1: [], S2: []}
    sysl = {S1: [], S2: []}
    for iid in (S1, S2):
        ev = app[iid]
        workers = [rng.randint(3000, 9000) for _ in range(8)]
        t = LOG_FROM
        while t < 0:  # max_requests recycling of gunicorn workers: routine noise
            t += rng.expovariate(1 / 140.0)
            k = rng.randrange(8)
            old, new = workers[k], workers[k] + rng.randint(1, 400)
            ev.append([t, "%s [%d] [INFO] Autorestarting worker after current request." % (gt(t), old)])
            ev.append([t + 0.3, "%s [%d] [INFO] Worker exiting (pid: %d)" % (gt(t + 0.3), old, old)])
            ev.append([t + 0.35, "%s [1187] [INFO] Booting worker with pid: %d" % (gt(t + 0.35), new)])
            workers[k] = new
        for t in range(LOG_FROM + 7, 0, 60):
            ev.append([t, "%s [%d] [INFO] search.index: snapshot refreshed (generation %d, 2.1M docs) in %d ms"
                       % (gt(t), rng.choice(workers), 88000 + (t + 21600) // 60, rng.randint(260, 480))])
        for t in range(LOG_FROM + 1800, 0, 3600):
            ev.append([t, "%s [%d] [INFO] search.synonyms: reloaded 14211 synonym rules" % (gt(t), rng.choice(workers))])
        if iid == S2:
            t = CRON + 70
            while t < 0:  # CPU starved: slow queries and worker timeouts
                t += rng.expovariate(1 / 9.0)
                w = rng.choice(workers)
                if rng.random() < 0.45:
                    ev.append([t, "%s [1187] [CRITICAL] WORKER TIMEOUT (pid:%d)" % (gt(t), w)])
                    ev.append([t + 0.6, "%s [%d] [INFO] Worker exiting (pid: %d)" % (gt(t + 0.6), w, w)])
                    new = w + rng.randint(1, 300)
                    ev.append([t + 0.7, "%s [1187] [INFO] Booting worker with pid: %d" % (gt(t + 0.7), new)])
                    workers[workers.index(w)] = new
                else:
                    ev.append([t, "%s [%d] [WARNING] search.api: slow query q=%r took %d ms (budget 800 ms)"
                               % (gt(t), w, rng.choice(["running shoes", "usb-c hub", "garden hose 30m", "kids bike",
                                                        "noise cancelling", "standing desk"]), rng.randint(2500, 14000))])
        # syslog (local time, classic format)
        st = lambda t: clock.fmt(t, "%b %d %H:%M:%S", TZ)
        for t in range(LOG_FROM + 1, 0, 600):
            sysl[iid].append([t, "%s %s CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
                              % (st(t), HOSTS[iid], rng.randint(2000, 60000))])
        for t in range(LOG_FROM + 1020, 0, 3600):
            sysl[iid].append([t, "%s %s CRON[%d]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)"
                              % (st(t), HOSTS[iid], rng.randint(2000, 60000))])
            sysl[iid].append([t + 31, "%s %s fluent-bit[812]: [ info] [output:cloudwatch_logs:cloudwatch_logs.0] "
                              "Sent %d events to CloudWatch" % (st(t + 31), HOSTS[iid], rng.randint(900, 1600))])
    sysl[S2].append([CRON, "%s %s CRON[41877]: (search) CMD (/opt/search/bin/rebuild-suggest-index --full "
                     ">> /var/log/search/rebuild.log 2>&1)" % (clock.fmt(CRON, "%b %d %H:%M:%S", TZ), HOSTS[S2])])
    sysl[S2].append([CRON + 1.2, "%s %s systemd[1]: Started session-c812.scope - Session c812 of User search."
                     % (clock.fmt(CRON + 1.2, "%b %d %H:%M:%S", TZ), HOSTS[S2])])
    logs = []
    for iid in (S1, S2):
        logs.append(log_stream("/search/app", iid, app[iid]))
        logs.append(log_stream("/search/syslog", iid, sysl[iid]))

    metrics = [m_cpu1, m_cpu2] + net(S1) + net(S2) + [m_req, m_rt, m_e5, m_t5, m_t4, m_hh, m_uh] + m_sm
    alarms = [
        alarm("search-2-cpu-high", m_cpu2, "Average", 300, 3, 85.0, "GreaterThanThreshold", clock, "ALARM",
              "search-2 CPU above 85% for 15 minutes"),
        alarm("search-2-mem-high", None, "Average", 300, 2, 90.0, "GreaterThanThreshold", clock,
              "INSUFFICIENT_DATA", "search-2 memory (CloudWatch agent)", namespace="CWAgent",
              metric_name="mem_used_percent", dims={"InstanceId": S2}, insufficient_since=-7776000),
        alarm("search-alb-latency", m_rt, "Average", 60, 3, 1.0, "GreaterThanThreshold", clock, "ALARM"),
        alarm("search-1-cpu-high", m_cpu1, "Average", 300, 3, 85.0, "GreaterThanThreshold", clock, "OK"),
    ]
    changes = [
        change(-6000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "sitemap-builder", "bitbucket-pipelines"),
        change(-19500, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
               "search-alb/https-443", "t.nguyen"),
    ]
    resources = [
        {"type": "ec2", "id": S2, "properties": {
            "name": "search-2", "instance_type": "c6g.xlarge", "vcpus": 4, "monitoring": "basic",
            "cloudwatch_agent": "not installed", "log_shipper": "fluent-bit",
            "log_groups": ["/search/app", "/search/syslog"]}},
        {"type": "ec2", "id": S1, "properties": {
            "name": "search-1", "instance_type": "c6g.xlarge", "vcpus": 4, "monitoring": "basic",
            "log_groups": ["/search/app", "/search/syslog"]}},
        {"type": "alb", "id": ALB, "properties": {"name": "search-alb", "targets": [S1, S2]}},
        {"type": "lambda", "id": "sitemap-builder", "properties": {"runtime": "nodejs20.x", "timeout": 600,
                                                                   "memory_size": 1024}},
    ]
    data = scenario("h49-06-ec2-search-cpu-pinned",
                    "search-2 CPU alarm, search latency alarm too; shoppers say search is slow.",
                    REGION, resources, metrics, logs, alarms, changes,
                    expect("search-2-cpu-high", "cpu_saturation", [S2, "search-2"], [m_cpu2]))
    meta = {
        "slug": "ec2-search-cpu-pinned", "region": REGION, "alarm": "search-2-cpu-high",
        "category": "cpu_saturation", "resources": [S2, "search-2"], "alarm_on": "origin (EC2)",
        "decoys": "search-1 CPU spike 4.5 h earlier; sitemap-builder Lambda deploy; an old ALB listener change; "
                  "routine gunicorn worker recycling noise; CWAgent memory alarm INSUFFICIENT_DATA",
        "paragraph": (
            "search-2 runs the search API under gunicorn behind search-alb. About 41 minutes ago (13:49 "
            "Sydney time in its syslog) cron started `rebuild-suggest-index --full` on it, and its 5-minute "
            "basic CPUUtilization goes from ~34 % to 99-100 % and stays there; its alarm needs 3 datapoints "
            "of 5 minutes, so it fired 15+ minutes after the onset. Following the CPU: WORKER TIMEOUTs and "
            "multi-second slow queries on search-2 only, ALB 502s (ELB 5XX), intermittent unhealthy target "
            "and average response time up. Request volume is flat; search-1 is normal; memory cannot be "
            "seen (no agent, INSUFFICIENT_DATA). The Lambda deploy, the listener change hours ago and "
            "search-1's earlier spike are unrelated. CPU pinned with latency/errors following, no deploy "
            "or config change: cpu_saturation of search-2, alarm on the origin."),
    }
    return data, meta
