"""h30-07 (billing-pg-prod at max_connections, db_connection_exhaustion) and h30-08 (Redis host fails status checks, dependency_failure)."""
from __future__ import annotations

from . import fleet, kit
from . import logfmt as L
from .core import GRID, Scenario, diurnal, ramp, sig

ELB = "AWS/ApplicationELB"


def s07():
    R = "us-east-1"
    sc = Scenario(7, "billing-pg-connections-maxed", R,
                  "billing-pg-prod connections alarm; invoice and reconciliation calls failing intermittently.",
                  3007, kit.now(2026, 3, 14, 16, 45))
    db = "billing-pg-prod"
    host = f"{db}.cx1b9qk0zr7e.us-east-1.rds.amazonaws.com"
    lb = "app/billing-alb/1f3b5d7e9a2c4e6b"
    tgid = "targetgroup/invoice-api-tg/4d6f8b0a2c4e6d8f"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
                max_connections=400, parameter_group="billing-pg15", allocated_storage_gb=400,
                log_groups=[f"/aws/rds/instance/{db}/postgresql"])
    sc.resource("ecs", "billing/invoice-api", launch_type="FARGATE", task_definition="invoice-api:158",
                image=f"{img}/invoice-api:4.9.2", desired_count=10, runtime="java17 (Spring Boot 3.1, HikariCP max 20)",
                log_groups=["/ecs/billing/invoice-api"])
    sc.resource("ecs", "billing/payment-reconciler", launch_type="FARGATE", task_definition="payment-reconciler:77",
                image=f"{img}/payment-reconciler:2.3.0", desired_count=3, runtime="python3.12 (SQLAlchemy 2.0)",
                log_groups=["/ecs/billing/payment-reconciler"])
    sc.resource("ecs", "billing/statement-worker", launch_type="FARGATE", task_definition="statement-worker:31",
                image=f"{img}/statement-worker:1.6.4", desired_count=4, runtime="go1.21",
                log_groups=["/ecs/billing/statement-worker"])
    sc.resource("alb", lb, name="billing-alb", scheme="internal", target_groups=["invoice-api-tg"])
    sc.resource("rds", "reporting-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
                parameter_group="reporting-pg15")

    T0, TF = -3600, -2400
    full = lambda t: sig(t, TF, 60)
    conns = lambda t: 226 * diurnal(t, 0.05) + 171 * ramp(t, T0, TF)
    req = sc.counts(lambda t: 1300 * diurnal(t, 0.08))
    t5 = kit.frac(sc, req, lambda t: 0.0007 + 0.045 * full(t))
    rt = lambda t: 0.11 + 1.9 * full(t)
    fleet.tg(sc, lb, tgid, req, rt, t5, lambda t: 10, lambda t: 0)
    fleet.alb(sc, lb, req, rt, t5, [float(sc.poisson(0.05)) for _ in GRID])
    fleet.rds(sc, db, lambda t: 35 + 8 * ramp(t, T0, TF), lambda t: min(396.0, conns(t)), lambda t: 221.0,
              lambda t: 3.1 - 1.45 * ramp(t, T0, TF), read_iops=lambda t: 540, write_iops=lambda t: 380)
    fleet.rds(sc, "reporting-pg", lambda t: 18, lambda t: 22, lambda t: 640.0, lambda t: 11.0)
    fleet.ecs(sc, "billing", "invoice-api", lambda t: 31 * diurnal(t, 0.08), lambda t: 57, lambda t: 10, lambda t: 10,
              mem_reserved_mb=2048)
    fleet.ecs(sc, "billing", "payment-reconciler", lambda t: 18 + 15 * (-14400 < t < -14200), lambda t: 41,
              lambda t: 3 + 3 * (-14380 < t < -14220), lambda t: 3, mem_reserved_mb=1024)
    fleet.ecs(sc, "billing", "statement-worker", lambda t: 12 + 30 * ramp(t, T0, TF), lambda t: 28, lambda t: 4,
              lambda t: 4, mem_reserved_mb=1024)

    app = "invoice-api"

    def inv_ok(t):
        return L.spring(sc, t, "INFO", "c.a.billing.invoice.InvoiceService",
                        f"Issued invoice INV-{sc.rng.randint(10**7, 10**8)} account={sc.rng.randint(10**5, 10**6)} "
                        f"lines={sc.rng.randint(1, 30)} took={sc.rng.randint(20, 180)}ms",
                        thread=f"http-nio-8080-exec-{sc.rng.randint(1, 50)}", app=app)

    def hik_fail(t):
        return L.spring(sc, t, "WARN", "com.zaxxer.hikari.pool.PoolBase",
                        "HikariPool-1 - Failed to create/setup connection: FATAL: remaining connection slots are reserved "
                        "for non-replication superuser connections", thread="HikariPool-1 connection adder", app=app)

    def hik_timeout(t):
        tot = sc.rng.randint(5, 9)
        return (L.spring(sc, t, "ERROR", "c.a.billing.web.ApiExceptionHandler",
                         "Request failed: GET /v1/invoices/{id}", thread=f"http-nio-8080-exec-{sc.rng.randint(1, 50)}", app=app)
                + "\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
                  f"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
                  f"timed out after 30000ms (total={tot}, active={tot}, idle=0, waiting={sc.rng.randint(8, 40)})\n"
                  "Caused by: org.postgresql.util.PSQLException: FATAL: remaining connection slots are reserved for "
                  "non-replication superuser connections")

    for k in range(10):
        ev = kit.events(sc, L.times(sc, -10800, -1, 2.2), inv_ok)
        ev += kit.events(sc, L.times(sc, TF - 120, -1, 1.1), hik_fail)
        ev += kit.events(sc, L.times(sc, TF, -1, 1.6), hik_timeout)
        sc.log("/ecs/billing/invoice-api", f"invoice/invoice-api/{kit.task_id(sc)}", ev)
    for k in range(3):
        ev = kit.events(sc, L.times(sc, -10800, -1, 3), lambda t: L.pylog(
            sc, t, "INFO", "reconciler", f"matched {sc.rng.randint(5, 80)} settlements for batch "
                                         f"b_{sc.hexid(8)} in {sc.rng.randint(50, 900)} ms"))
        ev += kit.events(sc, L.times(sc, TF, -1, 1.2), lambda t: L.pylog(
            sc, t, "ERROR", "reconciler",
            'batch failed: sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at '
            f'"{host}" (10.0.12.88), port 5432 failed: FATAL:  remaining connection slots are reserved for '
            "non-replication superuser connections\n(Background on this error at: https://sqlalche.me/e/20/e3q8)"))
        if k == 0:
            ev.append((-14300, L.pylog(sc, -14300, "INFO", "reconciler", "payment-reconciler 2.3.0 started (pool_size=10, max_overflow=20)")))
        sc.log("/ecs/billing/payment-reconciler", f"recon/payment-reconciler/{kit.task_id(sc)}", ev)
    for k in range(4):
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 1.5 + 6 * ramp(t, T0, TF)), lambda t: L.slog(
            sc, t, "INFO", "statement rendered", account=sc.rng.randint(10**5, 10**6), pages=sc.rng.randint(1, 12),
            ms=sc.rng.randint(40, 400)))
        sc.log("/ecs/billing/statement-worker", f"stmt/statement-worker/{kit.task_id(sc)}", ev)

    users = [("invoice_api", "10.0.21"), ("reconciler", "10.0.22"), ("statement_worker", "10.0.23")]

    def pgl(t, level, msg, who=None):
        u, net = who or sc.rng.choice(users)
        return L.pg(sc, t, f"{net}.{sc.rng.randint(5, 250)}({sc.rng.randint(30000, 65000)})", f"{u}@billing",
                    sc.rng.randint(1000, 60000), level, msg)
    pl = []
    for t in L.every(sc, -21600, -1, 300, 0.5):
        pid = sc.rng.randint(400, 600)
        pl.append((t, L.pg(sc, t, "", "@", pid, "LOG", "checkpoint starting: time").replace("UTC::@", "UTC::@")))
        pl.append((t + 28, L.pg(sc, t + 28, "", "@", pid, "LOG",
                               f"checkpoint complete: wrote {sc.rng.randint(900, 3000)} buffers ({sc.rng.uniform(0.7, 2.3):.1f}%); "
                               "0 WAL file(s) added, 0 removed, 1 recycled; write=26.912 s, sync=0.004 s, total=26.944 s")))
    pl += kit.events(sc, L.times(sc, -21600, -1, 0.5), lambda t: pgl(t, "WARNING", "there is no transaction in progress",
                                                                       ("reconciler", "10.0.22")))
    pl += kit.events(sc, L.times(sc, TF - 60, -1, 9), lambda t: pgl(
        t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections"))
    pl += kit.events(sc, L.times(sc, TF + 300, -1, 0.8), lambda t: pgl(t, "FATAL", "sorry, too many clients already"))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pl)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-14460, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "payment-reconciler:77", gh)
    sc.change(-14420, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/payment-reconciler", gh)
    sc.change(-10800, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reporting-pg15",
              "assumed-role/AWSReservedSSO_DBA/p.ramirez")

    sc.alarm("billing-alb-invoice-5xx", ELB, "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", expect_state="ALARM")
    dims = {"DBInstanceIdentifier": db}
    a = sc.alarm("billing-pg-prod-connections-high", "AWS/RDS", "DatabaseConnections", dims, "Maximum", 60, 3, 360,
                 "GreaterThanThreshold", desc="billing-pg-prod connections > 90 % of max_connections (400)",
                 expect_state="ALARM")
    res = [db]
    sc.expect(a["name"], "db_connection_exhaustion", res, [("AWS/RDS", "DatabaseConnections", dims)])
    kit.meta(sc, a["name"], "db_connection_exhaustion", res, "origin (RDS)",
             "parameter-group change on reporting-pg15 (another DB) 3 h earlier; payment-reconciler deploy 4 h earlier; "
             "constant 'there is no transaction in progress' warnings; the ALB 5XX alarm is a symptom",
             "DatabaseConnections on billing-pg-prod climbs from ~225 to 397 over twenty minutes and pins at "
             "max_connections=400 (minus the superuser reserve). From then PostgreSQL rejects new sessions ('remaining "
             "connection slots are reserved for non-replication superuser connections', later 'sorry, too many clients "
             "already') and every client fails the same way: Hikari in invoice-api cannot add connections and times "
             "out after 30 s, the reconciler's psycopg2 connects fail. CPU and storage are fine, no change touched this "
             "database or its parameter group. Connections at the limit with too-many-connections errors: "
             "db_connection_exhaustion on billing-pg-prod.")
    return sc


def s08():
    R = "ap-northeast-1"
    sc = Scenario(8, "session-gateway-5xx-redis-host-impaired", R,
                  "web-edge ALB 5XX alarm; logged-in users bounced to the sign-in page or shown errors.",
                  3008, kit.now(2026, 3, 15, 3, 20))
    lb = "app/web-edge-alb/5b7d9f1a3c5e7b9d"
    tg_s = "targetgroup/session-gateway-tg/0e2a4c6e8a0c2e4a"
    tg_r = "targetgroup/static-renderer-tg/7c9e1b3d5f7a9c1e"
    redis = "i-0e5f6a7b8c9d0e1f2"
    batch = "i-0b4c6d8e0f2a4b6c8"
    img = f"{kit.ACCOUNT}.dkr.ecr.{R}.amazonaws.com"
    sc.resource("ec2", redis, name="session-redis-1", instance_type="r6g.large", private_ip="10.40.12.87",
                runtime="redis 7.2.4 (standalone, AOF off, RDB save 300 10)",
                log_groups=["/ec2/session-redis/redis", "/ec2/session-redis/messages"])
    sc.resource("ec2", batch, name="batch-etl-2", instance_type="c6g.2xlarge")
    sc.resource("ecs", "web/session-gateway", launch_type="FARGATE", task_definition="session-gateway:73",
                image=f"{img}/session-gateway:3.4.1", desired_count=8, runtime="go1.22 (go-redis v9)",
                log_groups=["/ecs/web/session-gateway"])
    sc.resource("ecs", "web/static-renderer", launch_type="FARGATE", task_definition="static-renderer:220",
                image=f"{img}/static-renderer:2026.03.15-2", desired_count=4, runtime="nodejs20",
                log_groups=["/ecs/web/static-renderer"])
    sc.resource("alb", lb, name="web-edge-alb", scheme="internet-facing",
                target_groups=["session-gateway-tg", "static-renderer-tg"])

    T0 = -2460
    down = lambda t: 1.0 if t >= T0 else 0.0
    s_req = sc.counts(lambda t: 2200 * diurnal(t, 0.15, -20000))
    r_req = sc.counts(lambda t: 1400 * diurnal(t, 0.15, -20000))
    s5 = kit.frac(sc, s_req, lambda t: 0.0006 + 0.52 * sig(t, T0 + 45, 25))
    r5 = kit.frac(sc, r_req, lambda t: 0.0004)
    s_rt = lambda t: 0.021 + 1.2 * sig(t, T0 + 45, 25)
    fleet.tg(sc, lb, tg_s, s_req, s_rt, s5, lambda t: 8, lambda t: 0)
    fleet.tg(sc, lb, tg_r, r_req, lambda t: 0.14 + 0.05 * (-5400 < t < -5160), r5, lambda t: 4, lambda t: 0)
    fleet.alb(sc, lb, [a + b for a, b in zip(s_req, r_req)], lambda t: 0.07 + 0.7 * sig(t, T0 + 45, 25),
              [a + b for a, b in zip(s5, r5)], [float(sc.poisson(0.1)) for _ in GRID])
    fleet.ecs(sc, "web", "session-gateway", lambda t: 26 - 8 * down(t), lambda t: 33, lambda t: 8, lambda t: 8,
              mem_reserved_mb=512)
    fleet.ecs(sc, "web", "static-renderer", lambda t: 35 + 20 * (-5400 < t < -5100), lambda t: 48,
              lambda t: 4 + 4 * (-5380 < t < -5140), lambda t: 4, mem_reserved_mb=1024)
    fleet.ec2(sc, redis, lambda t: 2.1 if t >= T0 else 14 * diurnal(t, 0.15, -20000),
              mem=lambda t: None if t >= T0 else 61.5, disk=lambda t: None if t >= T0 else 22.4,
              netin=lambda t: 2.4e5 if t >= T0 else 4.1e7, status=lambda t: down(t - 120),
              status_inst=lambda t: down(t - 120))
    fleet.ec2(sc, batch, lambda t: 22 + 75 * (t > -10600), mem=lambda t: 70, disk=lambda t: 55.0, netin=lambda t: 6e6)

    def gw_ok(t):
        return L.gojson(sc, t, "INFO", "request", method="GET", path=sc.rng.choice(["/api/me", "/api/cart", "/api/orders"]),
                        status=200, dur_ms=round(sc.rng.uniform(3, 30), 1), session_hit=True)

    def gw_expired(t):
        return L.gojson(sc, t, "WARN", "jwt validation failed", err="token is expired", status=401)

    def gw_fail(t):
        dial = sc.rng.random() < 0.55
        err = ("dial tcp 10.40.12.87:6379: i/o timeout" if dial else
               f"read tcp 10.40.{sc.rng.randint(1, 9)}.{sc.rng.randint(5, 250)}:{sc.rng.randint(32768, 60999)}->10.40.12.87:6379: i/o timeout")
        return L.gojson(sc, t, "ERROR", "session lookup failed", err=err, store="redis://session-redis-1.internal:6379/0",
                        path=sc.rng.choice(["/api/me", "/api/cart", "/api/orders"]), status=503,
                        dur_ms=round(sc.rng.uniform(3000, 3010), 1))

    for k in range(8):
        ev = kit.events(sc, L.times(sc, -10800, -1, lambda t: 5 * (1 - 0.5 * down(t))), gw_ok)
        ev += kit.events(sc, L.times(sc, -10800, -1, 0.4), gw_expired)
        ev += kit.events(sc, L.times(sc, T0 + 5, -1, 6), gw_fail)
        sc.log("/ecs/web/session-gateway", f"gw/session-gateway/{kit.task_id(sc)}", ev)
    rr = [(-5330, L.pino(sc, -5330, "info", "static-renderer 2026.03.15-2 listening on :3000", "ip-10-40-6-18.ap-northeast-1.compute.internal"))]
    rr += kit.events(sc, L.times(sc, -5320, -1, 4), lambda t: L.pino(
        sc, t, "info", "rendered", "ip-10-40-6-18.ap-northeast-1.compute.internal", route="/lp/" + sc.rng.choice(["spring", "app", "help"]),
        ms=sc.rng.randint(30, 200)))
    sc.log("/ecs/web/static-renderer", f"renderer/static-renderer/{kit.task_id(sc)}", rr)

    rl = []
    for t in L.every(sc, -21600, T0 - 20, 300, 0.3):
        pid = sc.rng.randint(20000, 40000)
        d = sc.dt(t)
        stamp = f"{d.day:02d} {d.strftime('%b %Y %H:%M:%S')}.{d.microsecond // 1000:03d}"
        rl.append((t, f"1:M {stamp} * {sc.rng.randint(10, 400)} changes in 300 seconds. Saving..."))
        rl.append((t + 0.01, f"1:M {stamp} * Background saving started by pid {pid}"))
        rl.append((t + 4.2, f"{pid}:C {stamp} * DB saved on disk"))
        rl.append((t + 4.3, f"1:M {stamp} * Background saving terminated with success"))
    sc.log("/ec2/session-redis/redis", redis, rl)
    h = "ip-10-40-12-87"
    ms = kit.events(sc, L.every(sc, -21600, T0 - 200, 900), lambda t: L.syslog(
        sc, t, h, "systemd[1]", "Finished sysstat-collect.service - system activity accounting tool."))
    ms += [(T0 - 190, L.syslog(sc, T0 - 190, h, "kernel", "nvme nvme1: I/O 231 QID 2 timeout, aborting")),
           (T0 - 160, L.syslog(sc, T0 - 160, h, "kernel", "nvme nvme1: I/O 231 QID 2 timeout, reset controller")),
           (T0 - 130, L.syslog(sc, T0 - 130, h, "kernel", "nvme nvme0: I/O 88 QID 1 timeout, aborting")),
           (T0 - 40, L.syslog(sc, T0 - 40, h, "kernel", "INFO: task redis-server:1187 blocked for more than 122 seconds.")),
           (T0 - 39, L.syslog(sc, T0 - 39, h, "kernel", 'Not tainted 6.1.79-99.164.amzn2023.aarch64 #1 "echo 0 > '
                                                        '/proc/sys/kernel/hung_task_timeout_secs" disables this message.')),
           (T0 - 38, L.syslog(sc, T0 - 38, h, "kernel", "INFO: task jbd2/nvme0n1p1-8:412 blocked for more than 122 seconds."))]
    sc.log("/ec2/session-redis/messages", redis, ms)

    gh = "assumed-role/github-actions-deploy/GitHubActions"
    sc.change(-5440, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "static-renderer:220", gh)
    sc.change(-5400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/static-renderer", gh)

    sc.alarm("batch-etl-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": batch}, "Average", 300, 2, 90,
             "GreaterThanThreshold", expect_state="ALARM")
    sc.alarm("session-redis-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": redis}, "Maximum", 60, 2, 0,
             "GreaterThanThreshold", expect_state="ALARM")
    dims = {"LoadBalancer": lb}
    a = sc.alarm("web-edge-alb-target-5xx", ELB, "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3, 50,
                 "GreaterThanThreshold", desc="web-edge targets returning 5XX", expect_state="ALARM")
    res = [redis, "session-redis-1"]
    sc.expect(a["name"], "dependency_failure", res,
              [("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": redis}), (ELB, "HTTPCode_Target_5XX_Count", dims)])
    kit.meta(sc, a["name"], "dependency_failure", res, "front (ALB)",
             "static-renderer deploy 1.5 h earlier; batch-etl-2 CPU alarm (ALARM, unrelated); constant JWT-expired "
             "warnings",
             "At -41 min session-redis-1 stopped answering: its kernel logged NVMe I/O timeouts and hung tasks "
             "(redis-server, jbd2), then went silent; the instance status check has failed ever since, its network "
             "traffic collapsed and the CloudWatch agent stopped reporting. session-gateway (unchanged) cannot reach "
             "10.40.12.87:6379 ('dial tcp ... i/o timeout' and read timeouts) and answers 503 for every call that needs "
             "a session, so the edge ALB's 5XX jumps. Redis is not exhausted, it is unreachable: dependency_failure "
             "with the origin on session-redis-1. The static-renderer release is older and healthy; batch-etl-2's CPU "
             "alarm is its own batch job.")
    return sc
