"""cpu_saturation (Python/gunicorn service on ECS pinned at 100 % CPU) and
memory_exhaustion (Java service on EC2 repeatedly OOM-killed by the kernel)."""
from __future__ import annotations

from .common import Scn, clamp, diurnal, ramp, window
from .services import S, alb, ec2, ecs, ecs_deploy, gunicorn, spring, syslog


def _pylog(s, t, level, logger, msg):
    return f"{s.fmt(t, '%Y-%m-%d %H:%M:%S')},{s.ms(t)} {level} {logger}: {msg}"


def report_api_cpu():
    s = Scn("h51-10-report-api-cpu-pinned", 5110, "us-east-1", "2026-11-24T14:30:00",
            "Analytics dashboards load very slowly or time out; ALB latency alarm for the report API.")
    on = -1980
    hot = lambda t: ramp(t, on, on + 180, 0.0, 1.0)
    req = S(s, lambda t: s.poisson(diurnal(t, 235, 40, -4000)))
    e5 = [float(s.poisson(0.05 + 7.5 * hot(t))) for t in s.times]
    lb = alb(s, "report-alb", "9e3c1a5f7b2d4068", req,
             S(s, lambda t: max(0.05, s.gauss(0.34, 0.03) + 5.8 * hot(t) * s.gauss(1, 0.12))),
             S(s, lambda t: float(s.poisson(0.3 + 2.5 * hot(t)))), e5, [3.0] * len(s.times),
             [0.0] * len(s.times), t4xx=S(s, lambda t: float(s.poisson(6))), scheme="internet-facing",
             target_group="report-api-tg")
    svc = ecs(s, "analytics-prod", "report-api",
              S(s, lambda t: clamp((1 - hot(t)) * (diurnal(t, 38, 7, -4000) + s.gauss(0, 2.2))
                                   + hot(t) * (98.2 + s.gauss(0, 0.9)), 0, 100)),
              S(s, lambda t: 46 + s.gauss(0, 0.9)), [3.0] * len(s.times), launch_type="FARGATE",
              task_cpu=1024, task_memory=4096, desired_count=3, task_definition="report-api:76",
              runtime="python3.12 / gunicorn 22 (4 sync workers, timeout 30) / Flask / pandas")
    tasks = [s.hex(32) for _ in range(3)]
    logs = {tid: [] for tid in tasks}
    tenants = [f"tn_{s.rng.randint(1000, 9999)}" for _ in range(40)]
    big = ["tn_4471", "tn_0932"]
    kinds = ["retention", "funnel", "cohort", "revenue", "usage"]
    pids = {tid: [s.rng.randint(8, 40) for _ in range(4)] for tid in tasks}
    for t0 in s.times:
        if t0 < -10800:
            continue
        for _ in range(s.poisson(10)):
            t = t0 + s.rng.random() * 60
            tid = s.pick(tasks)
            rt = abs(s.gauss(0.33, 0.12)) + 5.9 * hot(t) * s.gauss(1, 0.3)
            ten, kind = s.pick(tenants), s.pick(kinds)
            if s.chance(0.05):
                logs[tid].append((t, _pylog(s, t, "WARNING", "report_api.auth",
                                            f"rejected token for client_id=dash-embed-{s.hex(6)}: Signature has expired")))
                logs[tid].append((t + 0.002, f"10.0.{s.rng.randint(1, 6)}.{s.rng.randint(2, 250)} - - "
                                             f"[{s.fmt(t, '%d/%b/%Y:%H:%M:%S +0000')}] \"GET /api/v1/reports/{kind}"
                                             f"?tenant={ten} HTTP/1.1\" 401 61 \"-\" \"Mozilla/5.0\""))
                continue
            logs[tid].append((t + rt, _pylog(s, t + rt, "INFO", "report_api.views",
                                             f"served {kind} report tenant={ten} in {int(rt * 1000)}ms")))
            logs[tid].append((t + rt + 0.001, f"10.0.{s.rng.randint(1, 6)}.{s.rng.randint(2, 250)} - - "
                                              f"[{s.fmt(t, '%d/%b/%Y:%H:%M:%S +0000')}] \"GET /api/v1/reports/{kind}"
                                              f"?tenant={ten} HTTP/1.1\" 200 {s.rng.randint(2000, 90000)} \"-\" \"Mozilla/5.0\""))
        if hot(t0) > 0.3:
            for tid in tasks:
                if s.chance(0.55):
                    t = t0 + s.rng.random() * 60
                    logs[tid].append((t, _pylog(s, t, "WARNING", "report_api.render",
                                                f"cohort pivot tenant={s.pick(big)} rows={s.rng.randint(1500000, 2400000)} "
                                                f"took {s.uniform(28, 58):.1f}s (cpu-bound)")))
            for tid in tasks:
                if s.chance(0.5):
                    t = t0 + s.rng.random() * 58
                    old = s.pick(pids[tid])
                    new = s.rng.randint(60, 900)
                    pids[tid][pids[tid].index(old)] = new
                    logs[tid] += [(t, gunicorn(s, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{old})")),
                                  (t + 0.02, gunicorn(s, t + 0.02, old, "INFO", f"Worker exiting (pid: {old})")),
                                  (t + 0.3, gunicorn(s, t + 0.3, 1, "ERROR", f"Worker (pid:{old}) exited with code 1")),
                                  (t + 0.35, gunicorn(s, t + 0.35, new, "INFO", f"Booting worker with pid: {new}"))]
    for tid, ev in logs.items():
        s.log("/ecs/report-api", f"report-api/report-api/{tid}", ev)

    iw = ecs(s, "analytics-prod", "ingest-worker",
             S(s, lambda t: clamp((91 if window(t, -10200, -9300) else 26) + s.gauss(0, 3), 0, 100)),
             S(s, lambda t: 55 + s.gauss(0, 1)), [2.0] * len(s.times), launch_type="FARGATE",
             task_definition="ingest-worker:140")
    ecs_deploy(s, -15600, "analytics-prod", "ingest-worker", "github-actions-deploy")
    s.alarm("ingest-worker-cpu-high", "AWS/ECS", "CPUUtilization", iw, "Average", 300, 1, 85)
    s.alarm("report-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
            "Average", 60, 5, 2, description="Report API latency above 2 s")
    res = ["analytics-prod/report-api", "report-api"]
    doc = s.to_dict({
        "alarm": "report-alb-latency",
        "root_cause": {"category": "cpu_saturation", "resource": res},
        "anomalies": [{"namespace": "AWS/ECS", "name": "CPUUtilization", "dimensions": svc},
                      {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="report-alb-latency", category="cpu_saturation", resources=res, on="front (ALB)",
        decoys=["ingest-worker deployed 4.3 h earlier", "steady expired-token WARNING / 401s",
                "ingest-worker CPU spike 2.7 h ago", "ingest-worker-cpu-high alarm (fired and recovered)"],
        text="report-api's service CPU goes from ~35 % to a flat 97-100 % 33 minutes ago, with no "
             "deployment, no configuration change and request volume at its usual level. Within "
             "minutes the ALB's TargetResponseTime climbs from 0.3 s to ~6 s, gunicorn logs "
             "`WORKER TIMEOUT` and reboots workers (ELB 502s), and the app logs CPU-bound cohort "
             "pivots of 1.5-2.4 M rows taking 30-60 s. Memory is flat at 46 % and no downstream "
             "errors appear. The ingest-worker deploy, its old CPU spike and recovered alarm, and the "
             "expired-token 401s are unrelated background. CPU pinned near 100 % with latency "
             "following and no surge: cpu_saturation, origin analytics-prod/report-api.")
    return doc, meta


# ----------------------------------------------------------------------------
SVC1 = ("i-0f3a5c7e9b1d20468", "session-svc-1")
SVC2 = ("i-04b6d8f0a2c4e1357", "session-svc-2")
REP = ("i-09c1e3a5b7d9f2468", "reporting-1")


def session_svc_oom():
    s = Scn("h51-11-session-svc-oom-kills", 5111, "eu-north-1", "2026-11-25T09:15:00",
            "Users are logged out at random and logins fail intermittently; the session ALB's "
            "unhealthy-host alarm keeps firing.")
    kills = [-2640, -1320, -240]
    restart = 230

    def mem1(t):
        prev = max([k for k in kills if k <= t], default=None)
        if prev is None:
            return ramp(t, -21600, kills[0], 58, 98.2)
        if t < prev + restart:
            return 12 + (t - prev) / restart * 30
        return min(98.4, 54 + (t - prev - restart) / 1000 * 45)

    def down(t):
        return any(k <= t < k + restart for k in kills)

    req = S(s, lambda t: s.poisson(diurnal(t, 360, 120, -21600 + 5400 * 4)))
    e502 = [float(s.poisson(0.05) + (s.rng.randint(25, 60) if any(k <= t < k + 60 for k in kills) else 0))
            for t in s.times]
    unh = S(s, lambda t: 1.0 if down(t) else 0.0)
    lb = alb(s, "session-alb", "4f1a8c2e6d0b3957", req,
             S(s, lambda t: s.gauss(0.048, 0.004) + (0.09 if mem1(t) > 93 else 0)),
             S(s, lambda t: float(s.poisson(0.2 + (4 if mem1(t) > 95 else 0)))), e502,
             [2.0 - u for u in unh], unh, scheme="internet-facing", target_group="session-svc-tg")
    ec2(s, SVC1[0], SVC1[1], "m6i.large",
        S(s, lambda t: clamp((22 + 35 * max(0, mem1(t) - 90) / 8 if not down(t) else 6) + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: clamp(mem1(t) + s.gauss(0, 0.25), 0, 100)), S(s, lambda t: 33.1 + s.gauss(0, 0.03)),
        S(s, lambda t: (2e5 if down(t) else 2.4e6) * s.gauss(1, 0.07)),
        memory_gib=8, jvm_opts="-Xms2g -Xmx7g", target_group="session-svc-tg",
        log_groups=["/session-svc/app", "/session-svc/messages"])
    ec2(s, SVC2[0], SVC2[1], "m6i.large", S(s, lambda t: clamp(24 + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 61 + s.gauss(0, 0.4)), S(s, lambda t: 33.4 + s.gauss(0, 0.03)),
        S(s, lambda t: 2.4e6 * s.gauss(1, 0.07)), memory_gib=8, jvm_opts="-Xms2g -Xmx7g",
        target_group="session-svc-tg")
    ec2(s, REP[0], REP[1], "r6i.large", S(s, lambda t: clamp((94 if window(t, -9000, -8100) else 9) + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 44 + s.gauss(0, 0.6)), S(s, lambda t: 58.0 + s.gauss(0, 0.03)),
        S(s, lambda t: 6e5 * s.gauss(1, 0.1)))

    app = "session-svc"
    th = lambda: f"http-nio-8080-exec-{s.rng.randint(1, 80)}"
    pids1 = [2817, 3231, 3904, 4466]
    pid_at = lambda iid, t: 1942 if iid != SVC1[0] else pids1[sum(1 for k in kills if k <= t)]
    for iid, name in (SVC1, SVC2):
        ev, msgs = [], []
        h = f"ip-10-12-{s.rng.randint(1, 3)}-{s.rng.randint(10, 250)}"
        for t0 in s.times:
            if t0 < -10800:
                continue
            if iid == SVC1[0] and down(t0):
                continue
            for _ in range(s.poisson(6)):
                t = t0 + s.rng.random() * 60
                if s.chance(0.07):
                    ev.append((t, spring(s, t, "ERROR", th(), "c.a.session.web.TokenFilter",
                                         f"Invalid session token signature from 10.12.{s.rng.randint(0, 9)}."
                                         f"{s.rng.randint(2, 250)}", app, pid_at(iid, t))))
                else:
                    ev.append((t, spring(s, t, "INFO", th(), "c.a.session.web.SessionController",
                                         f"{s.pick(['created', 'refreshed', 'refreshed', 'validated'])} session "
                                         f"sid={s.hex(12)} user=u{s.rng.randint(100000, 999999)}", app,
                                         pid_at(iid, t))))
            if iid == SVC1[0] and t0 % 600 == 0:
                m = mem1(t0)
                ev.append((t0 + 1, spring(s, t0 + 1, "INFO", "cache-stats", "c.a.session.cache.SessionCache",
                                          f"session cache size={int(m * 21000)} entries, evictions=0", app,
                                          pid_at(iid, t0))))
        if iid == SVC1[0]:
            for k in kills:
                pid = pid_at(iid, k - 1)
                used = 7340032 + s.rng.randint(0, 90000)
                msgs += [(k - 0.4, syslog(s, k - 0.4, h, "kernel", f"[{s.rng.randint(900000, 2000000)}.{s.rng.randint(100000, 999999)}] "
                                                                     f"java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), "
                                                                     f"order=0, oom_score_adj=0")),
                         (k - 0.2, syslog(s, k - 0.2, h, "kernel", f"Out of memory: Killed process {pid} (java) "
                                                                     f"total-vm:{used + 2100000}kB, anon-rss:{used}kB, file-rss:0kB, "
                                                                     f"shmem-rss:0kB, UID:1001 pgtables:15112kB oom_score_adj:0")),
                         (k, syslog(s, k, h, "systemd[1]", "session-svc.service: Main process exited, code=killed, status=9/KILL")),
                         (k + 0.01, syslog(s, k + 0.01, h, "systemd[1]", "session-svc.service: Failed with result 'oom-kill'.")),
                         (k + 5, syslog(s, k + 5, h, "systemd[1]", f"session-svc.service: Scheduled restart job, restart counter is at {kills.index(k) + 1}.")),
                         (k + 5.1, syslog(s, k + 5.1, h, "systemd[1]", "Started session-svc.service - Session service."))]
                pid = pid_at(iid, k)
                ev.append((k + 9, spring(s, k + 9, "INFO", "main", "c.a.session.SessionServiceApplication",
                                         f"Starting SessionServiceApplication v4.12.3 using Java 17.0.13 with PID {pid}",
                                         app, pid)))
                ev.append((k + restart - 8, spring(s, k + restart - 8, "INFO", "main", "c.a.session.SessionServiceApplication",
                                                   f"Started SessionServiceApplication in {restart - 17.3:.1f} seconds "
                                                   f"(process running for {restart - 16:.1f})", app, pid)))
        for t in range(-10800, 0, 900):
            msgs.append((t + 3, syslog(s, t + 3, h, "systemd[1]", "Starting sysstat-collect.service - system activity accounting tool...")))
        s.log("/session-svc/app", iid, ev)
        s.log("/session-svc/messages", iid, msgs)

    s.change(-14400, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
             "reporting", "codepipeline-reporting")
    s.alarm("reporting-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": REP[0]}, "Average", 300, 1, 85)
    s.alarm("session-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb},
            "Maximum", 60, 2, 0, description="A session-svc target is unhealthy")
    res = [SVC1[0], SVC1[1]]
    doc = s.to_dict({
        "alarm": "session-alb-unhealthy-hosts",
        "root_cause": {"category": "memory_exhaustion", "resource": res},
        "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": SVC1[0]}},
                      {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="session-alb-unhealthy-hosts", category="memory_exhaustion", resources=res, on="front (ALB)",
        decoys=["CodeDeploy to the reporting group 4 h earlier", "steady 'Invalid session token signature' ERROR",
                "reporting-1 CPU spike 2.5 h ago", "reporting-1-cpu-high alarm (fired and recovered)"],
        text="session-svc-1's memory (CWAgent mem_used_percent) climbs all morning to ~98 % of its 8 GiB "
             "and the kernel OOM killer kills the JVM (`Out of memory: Killed process ... (java)`, "
             "systemd `Failed with result 'oom-kill'`) 44, 22 and 4 minutes ago; each time the target "
             "is unhealthy for ~4 minutes while Spring restarts, the ALB returns 502s, and memory "
             "climbs straight back. The app's own SessionCache line shows entries growing with "
             "evictions=0, and the JVM is allowed -Xmx7g on an 8 GiB host. session-svc-2 is flat at "
             "61 %, CPU is only elevated by GC near the top, and nothing changed on the service. The "
             "reporting box (deploy, spike, recovered alarm) and the invalid-token ERROR are "
             "unrelated. Memory at the limit with OOM kills: memory_exhaustion, origin session-svc-1.")
    return doc, meta
