"""h47-15 (Docker Hub pull rate limit keeps render-proxy from replacing Spot-reclaimed tasks) and h47-16 (BI
dashboard queries pin crm-db's CPU under accounts-api)."""
from __future__ import annotations

import json
from datetime import datetime

from . import aws, fmt
from .core import (LOG_START, Clock, Rng, Stream, alarm, arrivals, change, diurnal, every, metric, ok_alarm, ramp,
                   scenario, series)

C = aws.C
DOCKERHUB = ("toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating "
             "and upgrading: https://www.docker.com/increase-rate-limit")


def build_15():
    rng = Rng(4715)
    region, acct = "eu-central-1", "443322110099"
    clk = Clock(datetime(2026, 3, 24, 7, 35, 0))
    lb, tg = "app/edge-render/6c8e0a2b4d1f3579", "targetgroup/render-proxy-tg/0b2d4f6a8c1e3579"
    notice, gone, joined = -2300, -2180, -2060
    old = [("i-01a3c5e7f9b2d4680", "edge-euc1-1", True), ("i-02b4d6f8a0c3e5791", "edge-euc1-2", False),
           ("i-03c5e7a9b1d4f6802", "edge-euc1-3", True), ("i-04d6f8b0c2e5a7913", "edge-euc1-4", False)]
    new = [("i-05e7a9c1d3f6b8024", "edge-euc1-5"), ("i-06f8b0d2e4a7c9135", "edge-euc1-6")]
    running = lambda t: 8 if t < gone else 4  # noqa: E731
    hot = lambda t: 1.0 if t >= gone else 0.0  # noqa: E731
    ecr = f"{acct}.dkr.ecr.{region}.amazonaws.com"
    resources = [
        aws.ecs_resource("edge-euc1", "render-proxy", launch_type="EC2", td="render-proxy:73", image=f"{ecr}/render-app:4.3.1",
                         cpu=1024, memory=1536, desired=8, log_group="/ecs/edge-euc1/render-proxy", tg=tg, container="nginx",
                         port=80, extra={"runtime": "nginx sidecar + go1.22 app",
                                         "nginx_access_log": "1 % sample (split_clients)",
                                         "containers": [{"name": "nginx", "image": "nginx:1.25-alpine (Docker Hub, "
                                                         "anonymous pull)"}, {"name": "app", "image": f"{ecr}/render-app:4.3.1"}],
                                         "capacity": "EC2 Spot Auto Scaling group edge-euc1-spot (4 instances)"}),
        aws.ecs_resource("edge-euc1", "geoip-updater", launch_type="EC2", td="geoip-updater:12",
                         image=f"{ecr}/geoip-updater:0.6.0", cpu=128, memory=256, desired=1,
                         log_group="/ecs/edge-euc1/geoip-updater", container="geoip-updater", extra={"runtime": "python3.12"}),
        {"type": "alb", "id": lb, "properties": {"name": "edge-render", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "target_type": "instance",
                                                                    "registered_by": "ecs service edge-euc1/render-proxy"}]}},
    ]
    for iid, nm, *_ in old + new:
        resources.append({"type": "ec2", "id": iid, "properties": {
            "name": nm, "instance_type": "m6i.large", "lifecycle": "spot", "ecs_cluster": "edge-euc1",
            "state": "terminated" if (iid, nm, False) in old else "running",
            "log_groups": ["/ecs/edge-euc1/ecs-agent"]}})
    req = lambda t: 4200 * diurnal(t, 0.3, -25000)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "edge-euc1", "render-proxy", cpu=lambda t: 37 * diurnal(t, 0.3, -25000) * (1.9 if hot(t) else 1),
                               mem=C(42.0), running=running, desired=C(8),
                               pending=lambda t: rng.choice([0, 2, 3, 4]) if t >= joined else 0, task_cpu=1024, task_mem=1536)
    metrics += aws.ecs_service(rng, "edge-euc1", "geoip-updater", cpu=C(2.0), mem=C(30.0),
                               running=lambda t: 2 if -3000 <= t < -2900 else 1, desired=C(1), task_cpu=128, task_mem=256)
    for iid, nm, survives in old:
        ms = aws.ec2(rng, iid, cpu=lambda t, s=survives: (31 if not s else 33) * diurnal(t, 0.3, -25000) * (1.8 if hot(t) else 1),
                     mem=C(58.0), disk=C(34.0))
        if not survives:
            for m in ms:
                m["points"] = [p for p in m["points"] if p[0] < gone]
        metrics += ms
    for iid, nm in new:
        ms = aws.ec2(rng, iid, cpu=lambda t: 3.5, mem=C(14.0), disk=C(22.0))
        for m in ms:
            m["points"] = [p for p in m["points"] if p[0] >= -2130]
        metrics += ms
    metrics += aws.alb_lb(rng, lb, req=req, rt=lambda t: 0.031 + 0.19 * hot(t), t5xx=lambda t: 0.3 + 5 * hot(t),
                          elb5xx=C(0.1))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=lambda t: 0.031 + 0.19 * hot(t), t5xx=lambda t: 0.3 + 5 * hot(t),
                     healthy=running)
    metrics += tgm

    grp = "/ecs/edge-euc1/render-proxy"
    ev = Stream("/aws/events/ecs", "ecs-events")
    spot = Stream("/aws/events/ec2-spot", "ec2-spot-events")
    agent = {iid: Stream("/ecs/edge-euc1/ecs-agent", iid) for iid, *_ in old + new}
    svc = dict(region=region, account=acct, cluster="edge-euc1", service="render-proxy")
    tasks = []
    for iid, nm, survives in old:
        for _ in range(2):
            tid = rng.hexid(32)
            tasks.append((tid, Stream(grp, f"ecs/nginx/{tid}"), Stream(grp, f"ecs/app/{tid}"), survives))
        if not survives:
            spot.add(notice, json.dumps({"version": "0", "id": rng.uuid(), "detail-type": "EC2 Spot Instance Interruption Warning",
                                         "source": "aws.ec2", "account": acct, "time": clk.iso(notice, 0)[:19] + "Z",
                                         "region": region, "resources": [f"arn:aws:ec2:{region}:{acct}:instance/{iid}"],
                                         "detail": {"instance-id": iid, "instance-action": "terminate"}},
                                        separators=(",", ":")))
            for tid, *_r in tasks[-2:]:
                ev.add(notice + 25, aws.task_state_event(
                    clk, rng, notice + 25, td="render-proxy:73", task_id=tid, container="nginx", exit_code=0,
                    launch_type="EC2", stop_code="ServiceSchedulerInitiated",
                    stopped_reason="Task stopped because the container instance is DRAINING (EC2 Spot interruption)", **svc))
    for tid, s_ng, s_app, survives in tasks:
        end = -1 if survives else notice + 20
        for t in arrivals(rng, lambda t: 0.0 if t >= end else (5.2 * (1.9 if hot(t) else 1)), t0=LOG_START, t1=end):
            rt = rng.lognormvariate(-3.6, 0.5) * (6 if hot(t) else 1)
            st = 502 if hot(t) and rng.random() < 0.012 else 200
            z, x, y = rng.randint(6, 15), rng.randint(0, 9000), rng.randint(0, 9000)
            s_ng.add(t, fmt.nginx_access(clk, t, rng.ip("10.40"), "GET", f"/tiles/v2/{z}/{x}/{y}.webp", st,
                                         0 if st == 502 else rng.randint(3000, 40000), rt, rng.choice(fmt.UAS[:4]),
                                         urt=rt - 0.001))
        for t in arrivals(rng, lambda t: 0.0 if t >= end else 1.5, t0=LOG_START, t1=end):
            s_app.add(t, fmt.logfmt(clk, t, "error", "failed to fetch tile", err="s3: NoSuchKey",
                                    key=f"tiles/v2/{rng.randint(14, 15)}/{rng.randint(0, 16000)}/{rng.randint(0, 16000)}.webp"))
        for t in every(LOG_START, end, 60, jitter=2, rng=rng):
            s_app.add(t, fmt.logfmt(clk, t, "info", "cache stats", hit_ratio=round(rng.uniform(0.91, 0.95), 3),
                                    entries=rng.randint(180000, 220000)))
    # replacements land on the new instances and cannot pull the Docker Hub sidecar
    t = joined + 10
    while t < -5:
        for iid, nm in new:
            for _ in range(2):
                tid = rng.hexid(32)
                tt = t + rng.uniform(0, 20)
                agent[iid].add(tt, f'level=info time={clk.iso(tt, 0)[:19]}Z msg="Pulling image" image="nginx:1.25-alpine" '
                                   f'taskARN="arn:aws:ecs:{region}:{acct}:task/edge-euc1/{tid}" containerName="nginx"')
                agent[iid].add(tt + 1.2, f'level=error time={clk.iso(tt + 1.2, 0)[:19]}Z msg="Error while pulling image; will '
                                         f'try to run anyway" image="nginx:1.25-alpine" containerName="nginx" '
                                         f'taskARN="arn:aws:ecs:{region}:{acct}:task/edge-euc1/{tid}" error="{DOCKERHUB}"')
                ev.add(tt + 3, aws.task_state_event(
                    clk, rng, tt + 3, td="render-proxy:73", task_id=tid, container="nginx", launch_type="EC2",
                    reason=f"CannotPullContainerError: Error response from daemon: {DOCKERHUB}",
                    stop_code="TaskFailedToStart",
                    stopped_reason=f"CannotPullContainerError: Error response from daemon: {DOCKERHUB}", **svc))
        t += rng.uniform(150, 260)
    new_ids, dead = {n[0] for n in new}, {o[0] for o in old if not o[2]}
    for iid in [o[0] for o in old] + [n[0] for n in new]:
        alive0 = -2130 if iid in new_ids else LOG_START
        alive1 = gone if iid in dead else -1
        for t in every(alive0, alive1, 900, jitter=30, rng=rng):
            agent[iid].add(t, f'level=info time={clk.iso(t, 0)[:19]}Z msg="Managed task event" module=task_manager.go '
                              f'status=RUNNING')
    ev.add(joined + 200, aws.service_event(clk, rng, joined + 200, detail_type="ECS Service Action", event_type="WARN",
                                           event_name="SERVICE_TASK_START_IMPAIRED", **svc))
    geo = Stream("/ecs/edge-euc1/geoip-updater", f"ecs/geoip-updater/{rng.hexid(32)}")
    for t in every(LOG_START, -5, 900, jitter=10, rng=rng):
        geo.add(t, fmt.pylog(clk, t, "INFO", "geoip", f"GeoLite2-City up to date (build {'2026-03-22' if t > -2950 else '2026-03-18'})"))
    alarms = [alarm("render-proxy-healthy-hosts", tgm[3], "Minimum", 60, 3, 6, "LessThanThreshold",
                    "render-proxy healthy targets below 6")]
    changes = [change(-3030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "geoip-updater:12",
                      "gitlab-edge"),
               change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "edge-euc1/geoip-updater",
                      "gitlab-edge")]
    streams = [s for _, a, b, _s in tasks for s in (a, b)] + [ev, spot, geo] + [a for a in agent.values() if a.events]
    doc = scenario("h47-15-render-proxy-pull-rate-limit", "Map tiles slow; render-proxy healthy-host alarm on the edge "
                   "ALB.", region, resources, metrics, streams, alarms, changes,
                   {"alarm": "render-proxy-healthy-hosts",
                    "root_cause": {"category": "throttling", "resource": ["edge-euc1/render-proxy", "render-proxy"]},
                    "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HealthyHostCount",
                                   "dimensions": {"LoadBalancer": lb, "TargetGroup": tg}}]})
    meta = {"region": region, "alarm": "render-proxy-healthy-hosts", "category": "throttling",
            "resources": ["edge-euc1/render-proxy", "render-proxy"], "position": "front (target group)",
            "decoys": "geoip-updater deploy 50 min before (clean); steady `s3: NoSuchKey` tile errors in the app "
                      "container; the Spot interruption itself (routine capacity event that should have self-healed)",
            "story": "Two Spot container instances were reclaimed 38 min ago, taking 4 of render-proxy's 8 tasks. The "
                     "Auto Scaling group replaced them within minutes, but every task ECS places on the new instances "
                     "fails to start: the nginx sidecar is pulled anonymously from Docker Hub and the pull is refused "
                     "(`CannotPullContainerError ... toomanyrequests: You have reached your pull rate limit`). The "
                     "service stays at 4 healthy targets (the alarm), which run hot but serve. A registry rate limit "
                     "keeps the service from recovering: throttling on render-proxy. The Spot reclaim is the routine "
                     "trigger, not the fault."}
    return doc, meta


# =====================================================================================================
# h47-16
# =====================================================================================================

BI_SQL = ("SELECT date_trunc('day', ae.created_at) AS day, a.segment, count(*) AS events, count(DISTINCT ae.contact_id) "
          "AS contacts FROM activity_events ae JOIN accounts a ON a.id = ae.account_id WHERE ae.created_at >= now() - "
          "interval '{d} days' AND ae.kind = ANY($1) GROUP BY 1, 2 ORDER BY 1")


def build_16():
    rng = Rng(4716)
    region, acct = "ca-central-1", "990011223344"
    clk = Clock(datetime(2026, 3, 26, 15, 10, 0))
    lb, tg = "app/crm-public/9a1c3e5b7d0f2468", "targetgroup/accounts-api-tg/5d7f9b1a3c0e2468"
    onset = -2000
    busy = lambda t: ramp(t, onset, onset + 240, 0.0, 1.0)  # noqa: E731
    resources = [
        aws.ecs_resource("crm", "accounts-api", launch_type="FARGATE", td="accounts-api:301",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/accounts-api:8.14.0", cpu=1024, memory=2048,
                         desired=6, log_group="/ecs/crm/accounts-api", tg=tg, container="accounts-api",
                         extra={"runtime": "java21 (Spring Boot 3.2, HikariCP pool 15)", "db_statement_timeout": "5s",
                                "request_log_sampling": "1 in 30"}),
        aws.ecs_resource("crm", "notes-api", launch_type="FARGATE", td="notes-api:45",
                         image=f"{acct}.dkr.ecr.{region}.amazonaws.com/notes-api:1.22.0", cpu=256, memory=512, desired=2,
                         log_group="/ecs/crm/notes-api", container="notes-api", extra={"runtime": "nodejs20"}),
        {"type": "alb", "id": lb, "properties": {"name": "crm-public", "scheme": "internet-facing",
                                                 "target_groups": [{"name": tg, "registered_by": "ecs service crm/accounts-api"}]}},
        {"type": "rds", "id": "crm-db", "properties": {"engine": "postgres", "engine_version": "15.5",
                                                       "instance_class": "db.m6g.large", "vcpu": 2, "max_connections": 830,
                                                       "allocated_storage_gb": 1200, "log_min_duration_statement_ms": 1000,
                                                       "read_replicas": "none (BI tool connects to the primary as metabase_ro)"}},
        {"type": "rds", "id": "crm-audit-db", "properties": {"engine": "postgres", "engine_version": "15.5",
                                                             "instance_class": "db.t4g.medium", "max_connections": 410,
                                                             "allocated_storage_gb": 500}},
    ]
    req = lambda t: 980 * diurnal(t, 0.15, -6000)  # noqa: E731
    metrics = []
    metrics += aws.ecs_service(rng, "crm", "accounts-api", cpu=lambda t: 29 * diurnal(t, 0.15, -6000) - 11 * busy(t),
                               mem=C(55.0), running=C(6), desired=C(6))
    metrics += aws.ecs_service(rng, "crm", "notes-api", cpu=C(9.0), mem=C(36.0),
                               running=lambda t: 4 if -3600 <= t < -3420 else 2, desired=C(2), task_cpu=256, task_mem=512)
    rt = lambda t: 0.048 + 2.7 * busy(t)  # noqa: E731
    t5 = lambda t: 0.2 + 19 * busy(t)  # noqa: E731
    metrics += aws.alb_lb(rng, lb, req=req, rt=rt, t5xx=t5, elb5xx=C(0.05))
    tgm = aws.alb_tg(rng, lb, tg, req=req, rt=rt, t5xx=t5, healthy=C(6))
    metrics += tgm
    metrics += aws.rds(rng, "crm-db", cpu=lambda t: min(99.5, 27 * diurnal(t, 0.15, -6000) + 72 * busy(t)),
                       conns=lambda t: 71 + 24 * busy(t), free_mem=lambda t: 2.3e9 - 4.0e8 * busy(t), free_storage=C(4.1e11),
                       read_lat=lambda t: 0.0014 + 0.0041 * busy(t), read_iops=lambda t: 420 + 2300 * busy(t),
                       queue=lambda t: 0.5 + 3.5 * busy(t))
    metrics.append(metric("AWS/RDS", "DBLoadCPU", {"DBInstanceIdentifier": "crm-db"}, "None",
                          series(rng, lambda t: 0.5 + 13.5 * busy(t), noise=0.1, rel=True, lo=0)))
    metrics += aws.rds(rng, "crm-audit-db", cpu=C(6.0), conns=C(12), free_mem=C(1.1e9), free_storage=C(3.3e11))
    rds_cpu_audit = next(m for m in metrics if m["name"] == "CPUUtilization"
                         and m["dimensions"].get("DBInstanceIdentifier") == "crm-audit-db")

    ts = aws.TaskSet(rng, "/ecs/crm/accounts-api", "accounts-api", 6, LOG_START)
    th = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"  # noqa: E731
    for t in arrivals(rng, lambda t: 19 * busy(t)):
        k = ts.pick(t)
        k["stream"].add(t, fmt.spring(clk, t, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                      "[Request processing failed: org.springframework.dao.QueryTimeoutException: "
                                      "PreparedStatementCallback; SQL [select c.id, c.name, c.email, c.updated_at from contacts c "
                                      "where c.account_id = ? order by c.updated_at desc limit ?]; ERROR: canceling statement due to "
                                      "statement timeout] with root cause\n" + fmt.jtrace(
                                          "org.postgresql.util.PSQLException: ERROR: canceling statement due to statement timeout",
                                          ["org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                                           "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                                           "org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:134)",
                                           "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)",
                                           "org.springframework.jdbc.core.JdbcTemplate$1.doInPreparedStatement(JdbcTemplate.java:732)",
                                           "com.northstar.crm.accounts.repo.ContactRepository.findRecent(ContactRepository.java:54)"])))
    for t in arrivals(rng, lambda t: req(t) / 30):  # RequestLogFilter samples 1 request in 30
        k = ts.pick(t)
        b = busy(t)
        acc = f"ACC-{rng.randint(100000, 999999)}"
        ms = int(rng.lognormvariate(3.4, 0.5) + b * rng.uniform(600, 4800))
        k["stream"].add(t, fmt.spring(clk, t, "INFO", th(), "c.n.crm.web.RequestLogFilter",
                                      f"{rng.choice(['GET /v1/accounts/' + acc, 'GET /v1/accounts/' + acc + '/contacts', 'PUT /v1/accounts/' + acc, 'GET /v1/accounts?owner=' + str(rng.randint(100, 999))])} 200 {ms}ms"))
    for t in arrivals(rng, lambda t: 1.3):
        ts.pick(t)["stream"].add(t, fmt.spring(clk, t, "WARN", th(), "o.s.w.s.m.s.DefaultHandlerExceptionResolver",
                                               "Resolved [org.springframework.web.HttpMediaTypeNotAcceptableException: "
                                               "No acceptable representation]"))
    pgs = Stream("/aws/rds/instance/crm-db/postgresql", "crm-db.0")
    for t in every(LOG_START, -20, 300, jitter=10, rng=rng):
        pgs.add(t, fmt.pg(clk, t, None, None, None, 611, "LOG", f"checkpoint complete: wrote {rng.randint(800, 3000)} buffers "
                                                               f"({rng.uniform(0.4, 1.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))
    for t in arrivals(rng, lambda t: 0.2):  # occasional slow report before, too
        pgs.add(t, fmt.pg(clk, t, f"10.50.{rng.randint(1, 3)}.{rng.randint(10, 250)}({rng.randint(32768, 60999)})", "crm_app",
                          "crm", rng.randint(9000, 30000), "LOG", f"duration: {rng.uniform(1000, 1900):.3f} ms  execute <unnamed>: "
                                                                  "select * from accounts where owner_id = $1 order by updated_at desc"))
    bi_ip = "10.50.9.31"
    for t in every(onset, -5, 60, jitter=3, rng=rng):
        for j in range(6):
            tt = t + rng.uniform(40, 95)
            if tt > -1:
                continue
            pgs.add(tt, fmt.pg(clk, tt, f"{bi_ip}({rng.randint(32768, 60999)})", "metabase_ro", "crm", rng.randint(40000, 60000),
                               "LOG", f"duration: {rng.uniform(38000, 96000):.3f} ms  execute <unnamed>: "
                                      + BI_SQL.format(d=rng.choice([30, 90, 180]))))
    for t in arrivals(rng, lambda t: 9 * busy(t)):
        pgs.add(t, fmt.pg(clk, t, f"10.50.{rng.randint(1, 3)}.{rng.randint(10, 250)}({rng.randint(32768, 60999)})", "crm_app",
                          "crm", rng.randint(9000, 30000), "LOG", f"duration: {rng.uniform(1100, 4990):.3f} ms  execute <unnamed>: "
                                                                  "select c.id, c.name, c.email, c.updated_at from contacts c where "
                                                                  "c.account_id = $1 order by c.updated_at desc limit $2"))
    for t in arrivals(rng, lambda t: 19 * busy(t)):
        pid = rng.randint(9000, 30000)
        pgs.add(t, fmt.pg(clk, t, f"10.50.{rng.randint(1, 3)}.{rng.randint(10, 250)}({rng.randint(32768, 60999)})", "crm_app",
                          "crm", pid, "ERROR", "canceling statement due to statement timeout"))
    notes_old = Stream("/ecs/crm/notes-api", f"ecs/notes-api/{rng.hexid(32)}")
    notes_new = Stream("/ecs/crm/notes-api", f"ecs/notes-api/{rng.hexid(32)}")
    for t in arrivals(rng, lambda t: 4):
        (notes_old if t < -3440 else notes_new).add(t, fmt.pino(clk, t, 30, "note saved", "ip-10-50-2-14.ca-central-1.compute.internal",
                                                                 accountId=f"ACC-{rng.randint(100000, 999999)}", ms=rng.randint(8, 40)))
    alarms = [alarm("accounts-api-latency", tgm[1], "Average", 60, 3, 1.5, "GreaterThanThreshold",
                    "accounts-api response time above 1.5 s"),
              ok_alarm("crm-audit-db-cpu", rds_cpu_audit, "Average", 300, 3, 80, "GreaterThanThreshold")]
    changes = [change(-10800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "crm-audit-db", "a.tremblay"),
               change(-3630, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notes-api:45",
                      "gha-crm"),
               change(-3600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "crm/notes-api", "gha-crm")]
    doc = scenario("h47-16-crm-db-cpu-pinned", "CRM account pages slow and some failing; accounts-api latency alarm.",
                   region, resources, metrics, ts.streams() + [pgs, notes_old, notes_new], alarms, changes,
                   {"alarm": "accounts-api-latency", "root_cause": {"category": "cpu_saturation", "resource": ["crm-db"]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                   "dimensions": {"DBInstanceIdentifier": "crm-db"}}]})
    meta = {"region": region, "alarm": "accounts-api-latency", "category": "cpu_saturation", "resources": ["crm-db"],
            "position": "front (target group)",
            "decoys": "notes-api deploy 1 h before (clean); ModifyDBInstance on crm-audit-db 3 h before (other DB, "
                      "OK alarm); steady HttpMediaTypeNotAcceptable warnings; a few slow app queries before onset",
            "story": "33 min ago a Metabase dashboard started refreshing six heavy aggregate queries every minute as "
                     "metabase_ro against the primary (there is no replica). Each runs 40-95 s over activity_events; "
                     "crm-db (2 vCPU) goes from ~27 % to 99 % CPU (DBLoadCPU ~14). accounts-api's ordinary point queries "
                     "now take 1-5 s and some hit the 5 s statement_timeout (`canceling statement due to statement "
                     "timeout`) -> latency alarm and 5xx. Connections (~95 of 830) and storage latency stay far from "
                     "limits; accounts-api had no change. The database's CPU is saturated: cpu_saturation on crm-db."}
    return doc, meta
