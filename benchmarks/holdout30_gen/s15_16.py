"""h30-15 (events-pg runs out of storage, storage_exhaustion) and h30-16 (target-group health-check path changed, config_change)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s15():
    R = "eu-west-2"
    sc = Scenario(15, "events-pg-storage-full", R,
                  "events-pg free-storage alarm; event ingestion returning errors.",
                  3015, kit.now(2026, 3, 22, 11, 15))
    db = "events-pg"
    lb = "app/events-alb/3b5d7f9b1d3f5b7d"
    tgid = "targetgroup/ingest-api-tg/9d1f3b5d7f9b1d3f"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("rds", db, engine="postgres", engine_version="14.10", instance_class="db.m6g.xlarge",
                allocated_storage_gb=200, storage_type="gp3", max_allocated_storage="none (storage autoscaling off)",
                max_connections=1700, parameter_group="events-pg14 (rds.logical_replication=1)",
                log_groups=[f"/aws/rds/instance/{db}/postgresql"])
    sc.resource("ecs", "events/ingest-api", launch_type="FARGATE", task_definition="ingest-api:301",
                image=f"{img}/ingest-api:2.44.0", desired_count=6, runtime="go1.22 (pgx v5)",
                log_groups=["/ecs/events/ingest-api"])
    sc.resource("ecs", "events/report-builder", launch_type="FARGATE", task_definition="report-builder:57",
                image=f"{img}/report-builder:1.3.9", desired_count=2, runtime="python3.12")
    sc.resource("alb", lb, name="events-alb", scheme="internet-facing", target_groups=["ingest-api-tg"])
    sc.resource("rds", "audit-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.t4g.large")

    T_FULL = -1500
    full = lambda t: sig(t, T_FULL, 30)
    free = lambda t: max(0.04, 21.6 - 21.56 * ramp(t, -21600, T_FULL)) if t < T_FULL + 60 else 0.04
    wal = lambda t: 18.2 + 21.5 * ramp(t, -21600, T_FULL)
    req = sc.counts(lambda t: 5200 * diurnal(t, 0.12, -2000))
    t5 = kit.frac(sc, req, lambda t: 0.0004 + 0.93 * full(t))
    rt = lambda t: 0.018 + 0.03 * full(t)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 6, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.1)) for _ in GRID])
    GB = 1e9
    fleet.rds(sc, db, lambda t: 26 - 14 * full(t), lambda t: 142 - 30 * full(t), free, lambda t: 7.6,
              read_iops=lambda t: 350, write_iops=lambda t: 2400 * (1 - 0.97 * full(t)), dqd=lambda t: 1.1,
              extra=[("TransactionLogsDiskUsage", "Bytes", lambda t: wal(t) * GB, {"rel": 0.002, "nd": 0}),
                     ("OldestReplicationSlotLag", "Bytes", lambda t: (wal(t) - 0.4) * GB, {"rel": 0.002, "nd": 0}),
                     ("TransactionLogsGeneration", "Bytes/Second", lambda t: 6.1e6 * (1 - 0.97 * full(t)), {"rel": 0.1, "nd": 0})])
    fleet.rds(sc, "audit-mysql", lambda t: 9, lambda t: 12, lambda t: 70.0, lambda t: 3.1)
    fleet.ecs(sc, "events", "ingest-api", lambda t: 41 * diurnal(t, 0.12, -2000) - 15 * full(t), lambda t: 29,
              lambda t: 6 + 6 * (-14400 < t < -14160), lambda t: 6, mem_reserved_mb=1024)
    fleet.ecs(sc, "events", "report-builder", lambda t: 15, lambda t: 40, lambda t: 2, lambda t: 2, mem_reserved_mb=2048)

    def ok(t):
        return L.slog(sc, t, "INFO", "batch stored", events=sc.rng.randint(20, 500), source=sc.rng.choice(["web", "ios", "android"]),
                      took_ms=sc.rng.randint(4, 40))

    def unknown(t):
        return L.slog(sc, t, "WARN", "dropping event with unknown schema", schema=f"com.acme.legacy.{sc.rng.choice(['PageView', 'Tap'])}/v0")

    def fail(t):
        rel = sc.rng.choice(["events_2026_03_22", "events_2026_03_22_attrs", "ingest_dedup"])
        if t > T_FULL + 120 and sc.rng.random() < 0.3:
            err = "FATAL: the database system is in recovery mode (SQLSTATE 57P03)"
        else:
            err = (f'ERROR: could not extend file "base/16401/{sc.rng.randint(2600000, 2700000)}.{sc.rng.randint(1, 9)}": '
                   "No space left on device (SQLSTATE 53100)")
        return L.slog(sc, t, "ERROR", "insert batch failed", table=rel, status=500, err=err)

    for k in range(6):
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 7 * (1 - 0.93 * full(t))), ok)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.4), unknown)
        ev += kit.events(sc, L.times(sc, T_FULL - 30, -1, lambda t: 9 * full(t)), fail)
        if k < 3:
            ev.append((-14300, L.slog(sc, -14300, "INFO", "starting ingest-api", version="2.44.0", commit="0c9d1aa")))
        sc.log("/ecs/events/ingest-api", f"ingest/ingest-api/{kit.task_id(sc)}", ev)

    pl = []
    for t in L.every(sc, -21600, T_FULL - 60, 300, 0.5):
        pl.append((t, L.pg(sc, t, "", "@", 611, "LOG", "checkpoint starting: time")))
        pl.append((t + 29, L.pg(sc, t + 29, "", "@", 611, "LOG",
                                f"checkpoint complete: wrote {sc.rng.randint(3000, 9000)} buffers "
                                f"({sc.rng.uniform(1.5, 4.5):.1f}%); 0 WAL file(s) added, 0 removed, 0 recycled; "
                                "write=26.981 s, sync=0.011 s, total=27.020 s")))
    seq = [(0, "LOG", 'could not write to file "pg_wal/xlogtemp.28114": No space left on device'),
           (0.4, "PANIC", 'could not write to file "pg_wal/xlogtemp.28114": No space left on device'),
           (0.9, "LOG", "server process (PID 28114) was terminated by signal 6: Aborted"),
           (0.95, "LOG", "terminating any other active server processes"),
           (2.1, "LOG", "all server processes terminated; reinitializing"),
           (2.4, "LOG", "database system was interrupted; last known up at 2026-03-22 10:46:21 UTC"),
           (3.0, "LOG", "database system was not properly shut down; automatic recovery in progress")]
    for cyc, base in enumerate(range(T_FULL - 20, -1, 240)):
        for dtt, lvl, msg in seq:
            pl.append((base + dtt, L.pg(sc, base + dtt, "", "@", 28114 + cyc * 7, lvl, msg)))
    pl += kit.events(sc, L.times(sc, T_FULL - 40, -1, 8), lambda t: L.pg(
        sc, t, f"10.44.{sc.rng.randint(1, 9)}.{sc.rng.randint(5, 250)}({sc.rng.randint(30000, 65000)})", "ingest@events",
        sc.rng.randint(20000, 60000), "ERROR", f'could not extend file "base/16401/{sc.rng.randint(2600000, 2700000)}.'
                                              f'{sc.rng.randint(1, 9)}": No space left on device'))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pl)
    sc.log("/aws/events/rds", "rds-events", [(T_FULL + 30, (
        '{"version":"0","detail-type":"RDS DB Instance Event","source":"aws.rds","region":"eu-west-2","detail":'
        '{"EventCategories":["low storage"],"SourceType":"DB_INSTANCE","SourceArn":"arn:aws:rds:eu-west-2:'
        f'{kit.ACCOUNT}:db:events-pg","Message":"Allocated storage has been exhausted. Allocate additional storage to '
        'resolve the issue.","SourceIdentifier":"events-pg","EventID":"RDS-EVENT-0007"}}'))])

    sc.change(-14440, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ingest-api:301",
              "assumed-role/github-actions-deploy/GitHubActions")
    sc.change(-14400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "events/ingest-api",
              "assumed-role/github-actions-deploy/GitHubActions")
    sc.change(-9000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "audit-mysql",
              "assumed-role/AWSReservedSSO_DBA/a.bright")

    sc.alarm("events-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 100,
             "GreaterThanThreshold", expect_state="ALARM")
    dims = {"DBInstanceIdentifier": db}
    a = sc.alarm("events-pg-free-storage-low", "AWS/RDS", "FreeStorageSpace", dims, "Minimum", 300, 1, 5e9,
                 "LessThanThreshold", desc="events-pg free storage below 5 GB", expect_state="ALARM")
    res = [db]
    sc.expect(a["name"], "storage_exhaustion", res, [("AWS/RDS", "FreeStorageSpace", dims),
                                                     ("AWS/RDS", "TransactionLogsDiskUsage", dims)])
    kit.meta(sc, a["name"], "storage_exhaustion", res, "origin (RDS)",
             "ingest-api deploy 4 h earlier; ModifyDBInstance on audit-mysql; constant unknown-schema warnings; "
             "the ALB 5XX alarm is a symptom",
             "events-pg's free storage has fallen in a straight line all morning (21.6 GB to zero) while "
             "TransactionLogsDiskUsage and OldestReplicationSlotLag grow by the same amount and checkpoints remove no "
             "WAL: a logical replication slot is retaining WAL. At -25 min the 200 GB volume (autoscaling off) filled: "
             "RDS-EVENT-0007 'Allocated storage has been exhausted', PostgreSQL PANICs writing pg_wal and loops through "
             "crash recovery, and ingest-api's inserts fail with 'could not extend file ... No space left on device' or "
             "'in recovery mode'. The ingest-api release is four hours older than any error. Storage full on the "
             "database: storage_exhaustion of events-pg.")
    return sc


def s16():
    R = "sa-east-1"
    sc = Scenario(16, "pix-api-unhealthy-healthcheck-path", R,
                  "pix-api unhealthy-hosts alarm on pagamentos-alb; PIX payments intermittently failing with 502/503.",
                  3016, kit.now(2026, 3, 23, 14, 20))
    lb = "app/pagamentos-alb/7d9f1b3d5f7b9d1f"
    tg_p = "targetgroup/pix-api-tg/2e4a6c8e0a2c4e6a"
    tg_b = "targetgroup/boleto-api-tg/4a6c8e0a2c4e6a8c"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("alb", lb, name="pagamentos-alb", scheme="internet-facing", target_groups=["pix-api-tg", "boleto-api-tg"],
                pix_api_tg_health_check="HTTP /healthz every 10 s, unhealthy after 3, matcher 200")
    sc.resource("ecs", "pagamentos/pix-api", launch_type="FARGATE", task_definition="pix-api:92",
                image=f"{img}/pix-api:3.15.2", desired_count=6, health_check_grace_period_s=60,
                runtime="kotlin/java21 (Spring Boot 3.2, actuator at /actuator/health)", target_group="pix-api-tg",
                log_groups=["/ecs/pagamentos/pix-api"])
    sc.resource("ecs", "pagamentos/boleto-api", launch_type="FARGATE", task_definition="boleto-api:40",
                image=f"{img}/boleto-api:1.22.0", desired_count=3, runtime="java21", target_group="boleto-api-tg",
                log_groups=["/ecs/pagamentos/boleto-api"])
    sc.resource("rds", "pagamentos-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1700)

    T_MOD = -1320
    bad = lambda t: sig(t, T_MOD + 45, 10)
    churn = lambda t: ((t // 60) % 4) if t > T_MOD + 120 else 0
    p_req = sc.counts(lambda t: 2600 * diurnal(t, 0.15, -9000))
    b_req = sc.counts(lambda t: 700 * diurnal(t, 0.15, -9000))
    p_e5 = kit.frac(sc, p_req, lambda t: 0.0002 + bad(t) * (0.06 + 0.05 * churn(t)))
    p_t5 = kit.frac(sc, p_req, lambda t: 0.0006 + 0.01 * bad(t))
    fleet.tg(sc, lb, tg_p, p_req, lambda t: 0.072 + 0.09 * bad(t), p_t5,
             lambda t: 6 if t < T_MOD + 40 else 0, lambda t: 0 if t < T_MOD + 40 else (6 - (churn(t) % 3)))
    fleet.tg(sc, lb, tg_b, b_req, lambda t: 0.11, [float(sc.poisson(0.2)) for _ in GRID], lambda t: 3, lambda t: 0)
    fleet.alb(sc, lb, [a + b for a, b in zip(p_req, b_req)], lambda t: 0.08 + 0.07 * bad(t),
              [a + sc.poisson(0.2) for a in p_t5], p_e5)
    fleet.ecs(sc, "pagamentos", "pix-api", lambda t: 33 + 8 * bad(t), lambda t: 47 - 4 * bad(t),
              lambda t: 6 if t < T_MOD + 100 else 3 + churn(t), lambda t: 6, mem_reserved_mb=2048)
    fleet.ecs(sc, "pagamentos", "boleto-api", lambda t: 21 + 20 * (-3600 < t < -3400), lambda t: 40,
              lambda t: 3 + 3 * (-3580 < t < -3420), lambda t: 3, mem_reserved_mb=2048)
    fleet.rds(sc, "pagamentos-pg", lambda t: 24 + 40 * (-8100 < t < -7700), lambda t: 180, lambda t: 402.0, lambda t: 6.9)

    app = "pix-api"

    def settled(t):
        return L.spring(sc, t, "INFO", "b.c.pagamentos.pix.PixSettlementService",
                        f"PIX {sc.uuid()[:8]} liquidado endToEndId=E{sc.rng.randint(10**16, 10**17)} "
                        f"valor={sc.rng.uniform(5, 3000):.2f} BRL took={sc.rng.randint(40, 240)}ms",
                        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 80)}", app=app)

    def dict_slow(t):
        return L.spring(sc, t, "WARN", "b.c.pagamentos.pix.dict.DictClient",
                        f"DICT lookup slow ({sc.rng.randint(800, 1900)} ms) for key type EVP; served from cache",
                        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 80)}", app=app)

    def hc(t, new_path):
        ip = f"10.61.{sc.rng.choice([1, 2, 3])}.{sc.rng.randint(10, 250)}"
        d = sc.dt(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
        if new_path:
            return f'{ip} - - [{d}] "GET /healthz HTTP/1.1" 404 124 "-" "ELB-HealthChecker/2.0" 2ms'
        return f'{ip} - - [{d}] "GET /actuator/health HTTP/1.1" 200 49 "-" "ELB-HealthChecker/2.0" 4ms'

    def task_stream(st, en, first):
        ev = []
        if not first:
            ev += [(st, L.spring(sc, st, "INFO", "b.c.pagamentos.PixApplication", "Starting PixApplication v3.15.2 using "
                                 "Java 21.0.2 with PID 1", thread="main", app=app)),
                   (st + 14, L.spring(sc, st + 14, "INFO", "b.c.pagamentos.PixApplication",
                                      "Started PixApplication in 13.82 seconds (process running for 14.6)", thread="main", app=app))]
        ev += kit.events(sc, L.times(sc, st + 15, en, 5), lambda t: settled(t))
        ev += kit.events(sc, L.times(sc, st + 15, en, 0.3), dict_slow)
        ev += [(t, hc(t, t > T_MOD + 8)) for t in L.every(sc, max(st + 15, -10800), en, 10 / 3.0, 0.4)
               if t > -3600 or sc.rng.random() < 0.15]
        if en < -2:
            ev.append((en, L.spring(sc, en, "INFO", "o.s.b.w.e.tomcat.GracefulShutdown",
                                    "Commencing graceful shutdown. Waiting for active requests to complete",
                                    thread="tomcat-shutdown", app=app)))
        sc.log("/ecs/pagamentos/pix-api", f"pix/pix-api/{kit.task_id(sc)}", ev)

    svc_ev, tse = [], []
    tgarn = f"arn:aws:elasticloadbalancing:{R}:{kit.ACCOUNT}:{tg_p}"
    for slot in range(6):
        st, first = -10800, True
        kill = T_MOD + 70 + slot * 25
        while st < -2:
            en = kill if kill < -2 else -1
            task_stream(st, en, first)
            if kill < -2:
                tid = kit.task_id(sc)
                tse.append((kill + 30, L.ecs_task_event(sc, kill + 30, R, kit.ACCOUNT, "pagamentos", "pix-api", tid, "pix-api:92",
                                                        "STOPPED", "STOPPED", "ServiceSchedulerInitiated",
                                                        f"Task failed ELB health checks in (target-group {tgarn})",
                                                        143, container="pix-api")))
                svc_ev.append((kill, f"(service pix-api) (port 8080) is unhealthy in (target-group {tgarn}) due to "
                                     "(reason Health checks failed with these codes: [404])."))
                svc_ev.append((kill + 1, f"(service pix-api) has stopped 1 running tasks: (task {tid})."))
                svc_ev.append((kill + 35, f"(service pix-api) has started 1 tasks: (task {kit.task_id(sc)})."))
            st, first = kill + 40, False
            kill = st + 60 + 40 + sc.rng.randint(0, 60)
    svc_ev.append((-3420, "(service boleto-api) has reached a steady state."))
    sc.log("/ecs/service-events/pagamentos", "service-events", svc_ev)
    sc.log("/aws/events/ecs/pagamentos", "ecs-task-state-change", tse)
    bo = [(-3500, L.spring(sc, -3500, "INFO", "b.c.pagamentos.BoletoApplication", "Started BoletoApplication in 11.2 seconds",
                           thread="main", app="boleto-api"))]
    bo += kit.events(sc, L.times(sc, -3490, -1, 2), lambda t: L.spring(
        sc, t, "INFO", "b.c.pagamentos.boleto.BoletoService", f"Boleto {sc.rng.randint(10**10, 10**11)} registrado",
        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 40)}", app="boleto-api"))
    sc.log("/ecs/pagamentos/boleto-api", f"boleto/boleto-api/{kit.task_id(sc)}", bo)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-3640, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "boleto-api:40", gh)
    sc.change(-3600, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pagamentos/boleto-api", gh)
    sc.change(T_MOD, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup",
              tg_p, "assumed-role/AWSReservedSSO_PlatformAdmin/carlos.souza")

    dims = {"TargetGroup": tg_p, "LoadBalancer": lb}
    a = sc.alarm("pix-api-tg-unhealthy-hosts", ELB, "UnHealthyHostCount", dims, "Maximum", 60, 3, 2,
                 "GreaterThanOrEqualToThreshold", desc="pix-api targets failing health checks", expect_state="ALARM")
    res = [lb, "pagamentos-alb", tg_p, "pix-api-tg"]
    sc.expect(a["name"], "config_change", res, [(ELB, "UnHealthyHostCount", dims), (ELB, "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    kit.meta(sc, a["name"], "config_change", res, "origin (ALB target group)",
             "boleto-api deploy 1 h earlier; constant DICT-lookup-slow warnings; pagamentos-pg CPU blip 2 h earlier",
             "22 minutes ago a platform admin modified pix-api-tg (ModifyTargetGroup). From the next health-check round "
             "the ALB asks the tasks for GET /healthz instead of /actuator/health and gets 404 (the pix-api access log "
             "shows the ELB-HealthChecker path change), so every target goes unhealthy; ECS then keeps killing tasks "
             "for 'failing ELB health checks ... codes: [404]' and starting replacements that fail the same way. The "
             "churn produces 502/503s and a fluctuating task count, although the application itself, its image and "
             "its database are fine. A settings change on the target group right before onset: config_change on "
             "pix-api-tg / pagamentos-alb.")
    return sc
