"""h57-07 (ECS Python service OOM crash loop) and h57-11 (ALB + ECS Node.js flash-sale surge)."""
from __future__ import annotations

from .common import GRID, Scenario, diurnal, ramp, bump
from .runtimes import gunicorn, jline
from .s05_s14_rds import _alb, _ecs

# =========================================================================== h57-07
T_BATCH, T_TRAINER = -2400, -2460
LIMIT_MB = 2048


def _simulate_tasks(sc):
    """Per-task memory % per minute; returns (tasks, kills). tasks: list of dicts."""
    rng = sc.rng
    slots = []
    tasks = []
    for i in range(3):
        t = {"id": sc.hexid(32), "start": -30000 - i * 700, "mem": {}, "end": None}
        tasks.append(t)
        slots.append(t)
    level = {id(t): lv for t, lv in zip(tasks, (44.0, 52.0, 60.0))}
    base = dict(level)
    # stagger the first OOM kills so the service never recovers between waves
    rate = {id(t): (100 - lv) / (secs / 60) for t, lv, secs in zip(tasks, (44.0, 52.0, 60.0), (1380, 900, 480))}
    pending = [None, None, None]  # replacement start times
    for m in GRID:
        for k in range(3):
            cur = slots[k]
            if cur is None:
                if pending[k] is not None and m >= pending[k] - 59:
                    nt = {"id": sc.hexid(32), "start": pending[k], "mem": {}, "end": None}
                    tasks.append(nt)
                    slots[k], pending[k] = nt, None
                    level[id(nt)] = 33 + rng.uniform(0, 3)
                    rate[id(nt)] = rng.uniform(4.2, 5.4)
                continue
            lv = level[id(cur)]
            if m >= T_BATCH:
                lv += rate[id(cur)] * rng.uniform(0.85, 1.15)
            else:
                lv += rng.gauss(0, 0.4) - (lv - base[id(cur)]) * 0.1
            if lv >= 100:
                kill = m + rng.uniform(5, 55)
                cur["end"], cur["mem"][m] = kill, 100.0
                slots[k] = None
                pending[k] = kill + rng.uniform(70, 110)
                continue
            level[id(cur)] = lv
            cur["mem"][m] = round(lv, 2)
    return tasks


def build_reco() -> Scenario:
    sc = Scenario(7, "reco-api-oom-crashloop", "Recommendations widget blank for many users; reco ALB "
                  "5XX alarm paged the personalisation team.", "sa-east-1", 5707, "2026-09-03T23:05:00+00:00")
    rng = sc.rng
    alb, cl = "app/reco-alb/2c3d4e5f6a7b8c9d", "reco"
    sc.resource("ecs", f"{cl}/reco-api", cluster=cl, service="reco-api", launch_type="FARGATE", cpu=1024,
                memory=LIMIT_MB, desired_count=3, runtime="python 3.12 / gunicorn + uvicorn workers (4)",
                load_balancer=alb, log_groups=["/ecs/reco-api", "/aws/events/ecs-task-state"])
    sc.resource("ecs", f"{cl}/reco-trainer", cluster=cl, service="reco-trainer", launch_type="FARGATE",
                cpu=4096, memory=16384, desired_count=1)
    sc.resource("alb", alb, name="reco-alb")
    tasks = _simulate_tasks(sc)
    svc_mem, running = [], []
    for m in GRID:
        vals = [t["mem"][m] for t in tasks if m in t["mem"]]
        svc_mem.append(round(sum(vals) / len(vals), 3) if vals else None)
        running.append(float(sum(1 for t in tasks if t["start"] <= m + 30 and (t["end"] is None or t["end"] > m + 30))))
    kills = [t["end"] for t in tasks if t["end"] is not None]
    hot = lambda m: any(m in t["mem"] and t["mem"][m] > 90 for t in tasks)
    e5 = []
    for m in GRID:
        n = sum(rng.randint(22, 38) for k in kills if m <= k < m + 60)
        n += sum(rng.randint(4, 9) for k in kills if m - 60 <= k < m)
        n += rng.randint(5, 12) if hot(m) else 0
        e5.append(float(n))
    req = sc.series(lambda t: 900 * diurnal(sc, t, 22, 0.25), integer=True)
    d = _alb(sc, alb, req, sc.series(lambda t: 0.085 + 0.05 * ramp(t, T_BATCH, T_BATCH + 300), noise=0.1),
             [float(rng.random() < 0.3) for _ in GRID], e5, 3)
    sc.metrics = [x for x in sc.metrics if x["name"] not in ("HealthyHostCount", "UnHealthyHostCount")]
    sc.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", running)
    sc.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", [0.0] * len(GRID))
    _ecs(sc, cl, "reco-api", sc.series(lambda t: 38 + 14 * ramp(t, T_BATCH, T_BATCH + 300), noise=0.08),
         svc_mem, running)
    for t in tasks:
        pts = [(m, v) for m, v in sorted(t["mem"].items())]
        if pts:
            sc.metric("ECS/ContainerInsights", "MemoryUtilized",
                      {"ClusterName": cl, "TaskDefinitionFamily": "reco-api", "TaskId": t["id"]}, "Megabytes",
                      [round(v * LIMIT_MB / 100, 1) for _, v in pts], [m for m, _ in pts])
    _ecs(sc, cl, "reco-trainer", sc.series(lambda t: 4 + bump(t, -9600, -7800, 86), noise=0.08),
         sc.series(lambda t: 22 + bump(t, -9600, -7800, 51), noise=0.02), [1.0] * len(GRID))

    grp = "/ecs/reco-api"
    ev_grp, ev_stream = "/aws/events/ecs-task-state", "ecs-task-state-change"
    arn = f"arn:aws:ecs:sa-east-1:{sc.account}"
    for t in tasks:
        st, end = f"ecs/reco-api/{t['id']}", t["end"] if t["end"] is not None else 0
        if t["start"] > -10800:
            boot = t["start"]
            for k, msg in enumerate(["Starting gunicorn 22.0.0", "Listening at: http://0.0.0.0:8000 (1)",
                                     "Using worker: uvicorn.workers.UvicornWorker"] +
                                    [f"Booting worker with pid: {7 + w}" for w in range(4)]):
                sc.log(grp, st, boot + k * 0.2, gunicorn(sc, boot + k * 0.2, 1, "INFO", msg))
            sc.log(grp, st, boot + 9.5, f"{_py(sc, boot + 9.5)} INFO [reco.model] loaded embeddings reco-emb-2026-09-01 "
                                        "(1.2M items, 512 dims) in 8.4 s")
        m0 = max(-10800, (int(t["start"]) // 60 + 1) * 60)
        for m in range(m0, int(end) if end else 0, 60):
            if m not in t["mem"]:
                continue
            lv = t["mem"][m]
            lvl = "WARNING" if lv > 85 else "INFO"
            sc.log(grp, st, m + 2, f"{_py(sc, m + 2)} {lvl} [reco.memwatch] rss={int(lv * LIMIT_MB / 100)}MB limit="
                   f"{LIMIT_MB}MB ({int(lv)}%) workers=4")
            for _ in range(4):
                tt = m + rng.uniform(3, 59)
                if tt < end or not end:
                    sc.log(grp, st, tt, f'INFO:     {sc.ip("10.30")}:{rng.randint(30000, 60000)} - "GET /v1/recommendations?'
                           f'user_id=u_{rng.randint(10 ** 5, 10 ** 7)}&n=20 HTTP/1.1" 200 OK')
            for _ in range(2):  # pre-existing loud error
                tt = m + rng.uniform(3, 59)
                if tt < end or not end:
                    sc.log(grp, st, tt, f"{_py(sc, tt)} ERROR [reco.features] feature store lookup failed for user "
                           f"u_{rng.randint(10 ** 5, 10 ** 7)}: KeyError('segment_v3'); falling back to popularity model")
            if m >= T_BATCH:
                for _ in range(2):
                    tt = m + rng.uniform(3, 59)
                    if end and tt >= end:
                        continue
                    sc.log(grp, st, tt, f"{_py(sc, tt)} WARNING [reco.api] batch request client=partner-lumen "
                           f"users=5000 payload_bytes={rng.randint(38_000_000, 44_000_000)} scoring 5000x512 embedding matrix")
                    sc.log(grp, st, tt + 2.4, f'INFO:     {sc.ip("10.30")}:{rng.randint(30000, 60000)} - "POST '
                           '/v1/recommendations/batch HTTP/1.1" 200 OK')
            if lv > 92 and rng.random() < 0.5:
                tt = m + rng.uniform(3, 59)
                if not end or tt < end:
                    sc.log(grp, st, tt, gunicorn(sc, tt, 1, "ERROR", f"Worker (pid:{rng.randint(8, 60)}) was sent SIGKILL! "
                                                                    "Perhaps out of memory?"))
        if t["end"] is not None:
            sc.log(ev_grp, ev_stream, t["end"] + 3, jline({
                "version": "0", "id": sc.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                "account": sc.account, "time": sc.iso(t["end"] + 3, 0), "region": "sa-east-1",
                "detail": {"clusterArn": f"{arn}:cluster/{cl}", "group": "service:reco-api",
                           "taskArn": f"{arn}:task/{cl}/{t['id']}", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                           "stopCode": "EssentialContainerExited",
                           "stoppedReason": "Essential container in task exited",
                           "containers": [{"name": "reco-api", "exitCode": 137, "lastStatus": "STOPPED",
                                           "reason": "OutOfMemoryError: Container killed due to memory usage"}]}}))
    lead = tasks[0]
    sc.log(grp, f"ecs/reco-api/{lead['id']}", T_BATCH + 1, f"{_py(sc, T_BATCH + 1)} INFO [reco.api] new API client "
           "partner-lumen (key ak_live_****9f2) first request to /v1/recommendations/batch")
    tr = f"ecs/reco-trainer/{sc.hexid(32)}"
    for k, msg in enumerate(["reco-trainer 3.8.0 starting", "next training run scheduled for 04:00 UTC"]):
        sc.log("/ecs/reco-trainer", tr, T_TRAINER + 80 + k, f"{_py(sc, T_TRAINER + 80 + k)} INFO [trainer] {msg}")
    sc.change(T_TRAINER - 8, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "reco-trainer:17", "ci-deployer")
    sc.change(T_TRAINER, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/reco-trainer", "ci-deployer")
    sc.alarm("reco-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Sum", 300, 2, 15,
             "GreaterThanThreshold", "reco-alb 5xx generated by the load balancer")
    sc.expect = {"alarm": "reco-alb-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/reco-api", "reco-api"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": "reco-api"}}]}
    sc.meta = {
        "alarm_on": "front (ALB reco-alb); origin is the ECS service",
        "decoys": "reco-trainer task-definition deploy 60 s before onset; reco-trainer CPU/memory spike "
                  "(training run) about 2 h earlier; loud pre-existing feature-store KeyError with fallback",
        "story": "From -2400 s a new API client (partner-lumen) sends 5000-user batch requests. Every "
                 "reco-api task's memory then climbs ~4 %/min (memwatch WARNINGs, per-task "
                 "MemoryUtilized reaching the 2048 MB limit), gunicorn reports workers `sent SIGKILL! "
                 "Perhaps out of memory?`, and ECS stops the tasks with `OutOfMemoryError: Container "
                 "killed due to memory usage` (exit 137). Replacements start at ~34 % and are killed "
                 "again ~15 minutes later, so the service crash-loops and the ALB returns bursts of "
                 "502s. Traffic volume and CPU are unremarkable. The reco-trainer deploy is a separate "
                 "batch service. OOM kills with memory at the limit are memory_exhaustion in reco-api.",
    }
    return sc


def _py(sc, t):
    d = sc.at(t)
    return f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d}"


# =========================================================================== h57-11
T_PUSH, T_ADMIN = -1680, -1740


def build_storefront() -> Scenario:
    sc = Scenario(11, "storefront-flash-sale-surge", "Shop pages slow and intermittently failing during "
                  "the evening; storefront ALB latency alarm fired.", "eu-west-2", 5711,
                  "2026-02-12T20:10:00+00:00")
    rng = sc.rng
    alb, cl = "app/storefront-alb/5e6f7a8b9c0d1e2f", "shop"
    sc.resource("alb", alb, name="storefront-alb", target_group="storefront-web-tg")
    sc.resource("ecs", f"{cl}/storefront-web", cluster=cl, service="storefront-web", launch_type="FARGATE",
                cpu=2048, memory=4096, desired_count=6, autoscaling="min 3 / max 6 on CPU 60 %",
                runtime="node 20 (fastify + under-pressure)", load_balancer=alb, log_groups=["/ecs/storefront-web"])
    sc.resource("ecs", f"{cl}/admin-portal", cluster=cl, service="admin-portal", launch_type="FARGATE",
                desired_count=2, log_groups=["/ecs/admin-portal"])
    sc.resource("rds", "shop-db", engine="postgres", instance_class="db.r6g.2xlarge", max_connections=1700,
                allocated_storage_gb=800)
    surge = lambda t: ramp(t, T_PUSH, T_PUSH + 180) * (1 - 0.25 * ramp(t, T_PUSH + 600, 0))
    req = sc.series(lambda t: 1100 * diurnal(sc, t, 20, 0.3) * (1 + 4.2 * surge(t)), integer=True)
    over = lambda t: max(0.0, surge(t) - 0.1)
    d = _alb(sc, alb, req, sc.series(lambda t: 0.09 + 1.55 * over(t), noise=0.1),
             [float(max(0, round(45 * over(t) + rng.gauss(0, 5) * over(t)))) + float(rng.random() < 0.3) for t in GRID],
             [float(max(0, round(110 * over(t) + rng.gauss(0, 12) * over(t)))) for t in GRID], 6)
    sc.metric("AWS/ApplicationELB", "ActiveConnectionCount", d, "Count",
              sc.series(lambda t: 5200 * diurnal(sc, t, 20, 0.3) * (1 + 3.6 * surge(t)), integer=True))
    _ecs(sc, cl, "storefront-web", sc.series(lambda t: 36 * diurnal(sc, t, 20, 0.3) + 45 * surge(t), noise=0.05, cap=88),
         sc.series(lambda t: 52 + 8 * surge(t), noise=0.02), [6.0] * len(GRID))
    _ecs(sc, cl, "admin-portal", sc.series(lambda t: 7 + bump(t, T_ADMIN + 30, T_ADMIN + 150, 20, 30), noise=0.1),
         sc.series(lambda t: 31, noise=0.02),
         [4.0 if T_ADMIN + 20 <= t < T_ADMIN + 200 else 2.0 for t in GRID])
    rd = {"DBInstanceIdentifier": "shop-db"}
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent", sc.series(lambda t: 27 + 17 * surge(t), noise=0.07))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count", sc.series(lambda t: 118 + 42 * surge(t), integer=True))
    sc.metric("AWS/RDS", "ReadLatency", rd, "Seconds", sc.series(lambda t: 0.0009 + 0.0004 * surge(t), noise=0.2, digits=5))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes", sc.series(lambda t: 4.41e11, noise=0.0003, digits=0))

    tasks = [sc.hexid(32) for _ in range(6)]
    hosts = {tid: f"ip-10-12-{rng.randint(1, 15)}-{rng.randint(2, 250)}.eu-west-2.compute.internal" for tid in tasks}
    pages = ["/", "/c/knitwear", "/p/merino-crew-navy", "/p/linen-shirt-white", "/c/denim", "/basket", "/api/stock?sku=SKU-"]
    for t in range(-10800, 0, 60):
        s = surge(t)
        for tid in tasks:
            st = f"ecs/storefront-web/{tid}"

            def pino(tt, level, msg, **kw):
                return jline({"level": level, "time": sc.epoch_ms(tt), "pid": 1, "hostname": hosts[tid], **kw, "msg": msg})
            for _ in range(3 + round(4 * s)):
                tt = t + rng.uniform(0, 59)
                promo = rng.random() < 0.8 * s
                url = "/sale/winter-drop?utm_source=push&utm_campaign=wd26" if promo else rng.choice(pages)
                if url.endswith("SKU-"):
                    url += str(rng.randint(10000, 99999))
                code = 200
                rt = rng.uniform(20, 140) if s < 0.2 else rng.uniform(600, 3800)
                if s > 0.2 and rng.random() < 0.08:
                    code, rt = 503, rng.uniform(0.2, 2)
                    sc.log("/ecs/storefront-web", st, tt, pino(tt, 40, "load shedding: rejecting request",
                           reqId=f"req-{sc.hexid(6)}", reason="eventLoopDelay", eventLoopDelayMs=rng.randint(420, 1900),
                           inflight=rng.randint(480, 900)))
                sc.log("/ecs/storefront-web", st, tt + rt / 1000, pino(tt + rt / 1000, 30, "request completed",
                       reqId=f"req-{sc.hexid(6)}", req={"method": "GET", "url": url}, res={"statusCode": code},
                       responseTime=round(rt, 1)))
            if rng.random() < 0.5:  # pre-existing loud error, independent of load
                tt = t + rng.uniform(0, 59)
                sc.log("/ecs/storefront-web", st, tt, pino(tt, 50, "failed to fetch recommendations widget",
                       err={"type": "Error", "message": "getaddrinfo ENOTFOUND recs.legacy.internal",
                            "code": "ENOTFOUND"}))
            if s > 0.3 and rng.random() < 0.5:
                tt = t + rng.uniform(0, 59)
                sc.log("/ecs/storefront-web", st, tt, pino(tt, 40, "event loop delay high", eventLoopDelayMs=rng.randint(300, 1600)))
    for k in range(2):
        st = f"ecs/admin-portal/{sc.hexid(32)}"
        for j, msg in enumerate(["admin-portal 4.2.0 listening on :3000", "connected to shop-db (pool max=5)"]):
            tt = T_ADMIN + 60 + k * 20 + j
            sc.log("/ecs/admin-portal", st, tt, jline({"level": 30, "time": sc.epoch_ms(tt), "pid": 1, "msg": msg}))
    sc.change(T_ADMIN - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "admin-portal:63", "ci-deployer")
    sc.change(T_ADMIN, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/admin-portal", "ci-deployer")
    sc.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "Storefront average response time above 1 s")
    sc.alarm("shop-db-cpu-high", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "storefront-alb-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": ["storefront-alb", alb, f"{cl}/storefront-web", "storefront-web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (ALB storefront-alb, where the surge enters)",
        "decoys": "admin-portal task-definition deploy 60 s before the surge; loud pre-existing "
                  "ENOTFOUND recommendations-widget error; CPU high but not pinned (<= 88 %); shop-db "
                  "load rises modestly (alarm stays OK)",
        "story": "At -1680 s request volume jumps to about five times its evening level; the new "
                 "traffic is almost entirely `/sale/winter-drop?utm_source=push&utm_campaign=wd26`, "
                 "i.e. a push-notification campaign. storefront-web is already at its autoscaling "
                 "maximum of 6 tasks; its CPU rises to ~80-88 % (not pinned), the Node event loop "
                 "lags, fastify under-pressure sheds load with 503s and the ALB adds 503/504s, and "
                 "latency goes from 0.09 s to ~1.6 s. No fault appears anywhere else: the database "
                 "is moderately busier, hosts are healthy, and the admin-portal deploy is an internal "
                 "tool. Volume far above usual with no other fault is traffic_surge, entering through "
                 "storefront-alb into storefront-web.",
    }
    return sc


BUILDERS = [build_reco, build_storefront]
