"""h14-16: unfiltered facet queries from one tenant blow up gunicorn workers on search-api-1;
the kernel OOM killer takes them out one after another and search-alb's 5xx alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, bump, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import syslog

META = {
    "file": "h14-16-search-api-oom-killer.yaml", "region": "us-east-1", "alarm": "search-alb-5xx",
    "category": "memory_exhaustion", "resources": ["i-0f7c3a9e5d1b2c480", "search-api-1"],
    "position": "front (ALB in front of the instance)",
    "decoys": "CodeDeploy to admin-portal 6 min before onset; CodeDeploy of search-api itself 5.5 h earlier with "
              "memory flat for hours after; search-indexer-1 CPU spike 2 h earlier; routine syslog noise",
    "story": "From 35 minutes ago tenant t_0931 sends unfiltered facet queries ('facet aggregation over 1.8M docs ... "
             "(no filter)'). On search-api-1 (the only target of search-alb) mem_used_percent climbs from ~55 % to "
             "~97 % within minutes and then saw-tooths: the kernel logs 'Out of memory: Killed process ... (gunicorn)' "
             "and gunicorn reports 'Worker (pid:...) was sent SIGKILL! Perhaps out of memory?' before booting a new "
             "worker. Each kill drops in-flight requests, so the ALB returns 502s (HTTPCode_ELB_5XX_Count) and the "
             "alarm fires. CPU is moderate, disk flat; the search-api deploy was 5.5 hours ago with memory flat until "
             "these queries began, and the admin-portal deploy is on another instance.",
}

REGION = "us-east-1"
ALB = "app/search-alb/7e3a9c1f5b2d8046"
API1, IDX, ADMIN = "i-0f7c3a9e5d1b2c480", "i-0a5d8e2f6c9b1e734", "i-0c6e8a1b3d5f7a902"
HOST = "ip-10-0-12-87"
ONSET = -2100.0
ADMIN_DEPLOY = -2460.0
OLD_DEPLOY = -19800.0
LOG_START = -7200.0


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 4, 1, 18, 10, tzinfo=dt.timezone.utc), -4.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=14.0, amp=0.3)
    req = ctx.poisson(140 * shape)
    # OOM kills: first ~6 min after onset, then every 1.5-4 min
    kills = []
    t = ONSET + ctx.uni(330, 420)
    while t < -20:
        kills.append(t)
        t += ctx.uni(90, 240)
    mem = ctx.gauge(54.5, 0.008, jitter=0.004)
    for i in range(N):
        x = float(T[i]) + 30
        if x < ONSET:
            continue
        last = max([k for k in kills if k <= x], default=None)
        if last is None:
            mem[i] = 55 + 42 * min(1.0, (x - ONSET) / 360.0) + rng.normal(0, 0.5)
        else:
            mem[i] = min(98.6, 86 + 11.5 * min(1.0, (x - last) / 70.0) + rng.normal(0, 0.6))
    e502 = np.zeros(N)
    for k in kills:
        j = int((k + 21600) // 60)
        e502[j] += ctx.randint(14, 26)
        if j + 1 < N:
            e502[j + 1] += ctx.randint(2, 6)
    e502 += ctx.poisson(np.where(T >= ONSET + 300, 1.2, 0.02))
    # the alarm needs sustained 5xx: requests queued behind dying workers also fail
    e502 += np.where(T >= ONSET + 360, ctx.poisson(11), 0)
    rt = np.where(T >= ONSET, ctx.gauge(0.42, 0.15, lo=0.1), ctx.gauge(0.085, 0.08, lo=0.03))

    app, sysl, gun = [], [], []
    for i in range(N):
        for rel in spread(ctx, i, req[i]):
            if rel < LOG_START:
                continue
            tenant = ctx.pick(["t_0112", "t_0457", "t_0931", "t_1208", "t_0077", "t_0664"])
            if tenant == "t_0931" and rel >= ONSET and rng.random() < 0.55:
                docs = ctx.randint(1_700_000, 1_900_000)
                app.append((rel + 0.2, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} WARNING search.facets: "
                                       f"facet aggregation over {docs} docs for tenant t_0931 (no filter); fields=brand,category,price_band,colour"))
            elif rng.random() < 0.08:
                ms = ctx.randint(20, 300)
                app.append((rel + ms / 1000, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} INFO search.api: "
                                             f"tenant={tenant} q_len={ctx.randint(3, 40)} hits={ctx.randint(0, 4000)} took_ms={ms}"))
    for rel in ctx.sparse_events(0.05, LOG_START, 0.0):
        app.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} WARNING search.synonyms: "
                         f"synonym set '{ctx.pick(['fr-CA', 'es-MX'])}' missing, falling back to en-US"))
    master = 2211
    pid = 5100
    boot = [(OLD_DEPLOY + 2, f"[{master}] [INFO] Starting gunicorn 21.2.0"),
            (OLD_DEPLOY + 2.1, f"[{master}] [INFO] Listening at: http://0.0.0.0:8000 ({master})"),
            (OLD_DEPLOY + 2.2, f"[{master}] [INFO] Using worker: sync")]
    for w in range(3):
        boot.append((OLD_DEPLOY + 2.4 + 0.1 * w, f"[{pid + w}] [INFO] Booting worker with pid: {pid + w}"))
    for rel, msg in boot:
        gun.append((rel, f"[{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')} +0000] {msg}"))
    for k in kills:
        victim = pid + ctx.randint(1, 90)
        rss = ctx.randint(4_600_000, 5_300_000)
        sysl.append((k, syslog(ctx, k, HOST, "kernel", f"gunicorn invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0")))
        sysl.append((k + 0.01, syslog(ctx, k + 0.01, HOST, "kernel", f"Out of memory: Killed process {victim} (gunicorn) total-vm:{rss + 310_000}kB, "
                                                                    f"anon-rss:{rss}kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:{ctx.randint(9000, 10800)}kB oom_score_adj:0")))
        sysl.append((k + 0.2, syslog(ctx, k + 0.2, HOST, "systemd[1]", "search-api.service: A process of this unit has been killed by the OOM killer.")))
        gun.append((k + 0.4, f"[{ctx.at(k + 0.4).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{master}] [ERROR] Worker (pid:{victim}) was sent SIGKILL! Perhaps out of memory?"))
        pid += ctx.randint(100, 400)
        gun.append((k + 0.9, f"[{ctx.at(k + 0.9).strftime('%Y-%m-%d %H:%M:%S')} +0000] [{pid}] [INFO] Booting worker with pid: {pid}"))
    for rel in np.arange(LOG_START, 0, 600.0) + ctx.uni(0, 90):
        sysl.append((rel, syslog(ctx, rel, HOST, "systemd[1]", f"Started Session {ctx.randint(1000, 9999)} of User ec2-user.")))
        sysl.append((rel + 3, syslog(ctx, rel + 3, HOST, "chronyd[612]", f"Selected source 169.254.169.123")))
    for rel in ctx.sparse_events(0.1, LOG_START, 0.0):
        sysl.append((rel, syslog(ctx, rel, HOST, "dhclient[744]", f"XMT: Solicit on eth0, interval {ctx.randint(100000, 130000)}ms.")))
    logs = [stream("/search-api/app", API1, app), stream("/search-api/gunicorn", API1, gun), stream("/ec2/syslog", API1, sysl)]
    cd = []
    for rel, msg in [(ADMIN_DEPLOY + 20, "[INFO] Received command: d-8R2KQW71C, lifecycle event ApplicationStop"),
                     (ADMIN_DEPLOY + 45, "[INFO] Lifecycle event BeforeInstall succeeded"),
                     (ADMIN_DEPLOY + 70, "[INFO] Lifecycle event ApplicationStart succeeded"),
                     (ADMIN_DEPLOY + 95, "[INFO] Lifecycle event ValidateService succeeded; deployment d-8R2KQW71C complete")]:
        cd.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')} {msg}"))
    logs.append(stream("/codedeploy/agent", ADMIN, cd))

    lb = {"LoadBalancer": ALB}
    d1 = {"InstanceId": API1}
    unhealthy = np.zeros(N)
    for k in kills[::3]:
        unhealthy[int((k + 21600) // 60)] = 1
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", e502),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", lb, "Count", e502),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", ctx.poisson(0.05)),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", 1 - unhealthy),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", unhealthy),
        metric("AWS/EC2", "CPUUtilization", d1, "Percent", ctx.gauge(26 * shape, 0.07, lo=3) + np.where(T >= ONSET, 14, 0)),
        metric("AWS/EC2", "StatusCheckFailed", d1, "Count", np.zeros(N)),
        metric("CWAgent", "mem_used_percent", d1, "Percent", mem),
        metric("CWAgent", "swap_used_percent", d1, "Percent", np.zeros(N)),
        metric("CWAgent", "disk_used_percent", {"InstanceId": API1, "path": "/", "fstype": "xfs"}, "Percent", ctx.gauge(41, 0.002, jitter=0.001)),
        metric("AWS/EC2", "CPUUtilization", {"InstanceId": IDX}, "Percent", ctx.gauge(18, 0.1, lo=2) + bump(-7300, 480, 70)),
        metric("CWAgent", "mem_used_percent", {"InstanceId": IDX}, "Percent", ctx.gauge(61, 0.01)),
        metric("AWS/EC2", "CPUUtilization", {"InstanceId": ADMIN}, "Percent", ctx.gauge(6, 0.15, lo=1) + bump(ADMIN_DEPLOY + 60, 90, 30)),
    ]
    alarms = [
        alarm(ctx, "search-alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, e502, "Sum", 60, 3, 3.0,
              description="search-alb returning 5xx (internal search API)"),
        ok_alarm("search-api-1-cpu", "AWS/EC2", "CPUUtilization", d1, "Average", 300, 3, 90.0),
        ok_alarm("search-api-1-disk", "CWAgent", "disk_used_percent", {"InstanceId": API1, "path": "/", "fstype": "xfs"}, "Maximum", 300, 1, 85.0),
    ]
    changes = [
        change(OLD_DEPLOY, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "search-api-prod", "ci-release"),
        change(ADMIN_DEPLOY, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "admin-portal-prod", "ci-release"),
    ]
    resources = [
        {"type": "alb", "id": ALB, "properties": {"name": "search-alb", "scheme": "internal", "target_groups": ["search-api-tg"]}},
        {"type": "ec2", "id": API1, "properties": {"name": "search-api-1", "instance_type": "r6i.large", "memory_gib": 16,
                                                    "gunicorn_workers": 3, "codedeploy_group": "search-api-prod",
                                                    "log_groups": ["/search-api/app", "/search-api/gunicorn", "/ec2/syslog"]}},
        {"type": "ec2", "id": IDX, "properties": {"name": "search-indexer-1", "instance_type": "m6i.xlarge"}},
        {"type": "ec2", "id": ADMIN, "properties": {"name": "admin-portal-1", "instance_type": "t3.medium",
                                                     "codedeploy_group": "admin-portal-prod", "log_groups": ["/codedeploy/agent"]}},
    ]
    return scenario("h14-16-search-api-oom-killer",
                    "Site search failing intermittently with 502s; search-alb 5xx alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": d1}]})
