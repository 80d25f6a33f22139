"""h66-15 (order entry vs SQL Server maintenance failover) and h66-16 (eMAR vs a lowered limit)."""
from __future__ import annotations

from .common import bump, diurnal, ramp
from .kit import M, jl, meta, minutes, new_scenario, sprinkle, sqlserver
from .runtimes import pg, spring


def build_15():
    sc = new_scenario(15, "cpoe-maintenance-window", "Order entry failing for night staff; ALB target "
                      "5xx alarm.", "eu-central-1", 6615, "2026-03-22T03:14:00+00:00")
    T0, UP = -720, -560  # 03:02 failover starts, 03:04:40 instance back (recovery still running)
    lb, svc, db = "app/cpoe-web/5d0e8a3b9c17f242", "orders/cpoe-api", "mssql-orders-01"
    sc.resource("alb", lb, name="cpoe-web", scheme="internal")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096)
    sc.resource("ecs", "orders/pharmacy-verify", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="sqlserver-se", engine_version="15.00.4365.2.v1",
                instance_class="db.m5.2xlarge", multi_az=True, max_connections=32767,
                allocated_storage_gb=1000, preferred_maintenance_window="sun:03:00-sun:03:30")
    down = lambda t: 1.0 if t >= T0 else 0.0
    gap = lambda t: T0 <= t < UP
    idx = lambda t: bump(t, -4320, -2100, 1.0, edge=120)
    dl = {"LoadBalancer": lb}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 150 * diurnal(sc, t, 14, 0.4),
      integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count", lambda t: 0.5 + 55 * down(t),
      integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dl, "Count",
      lambda t: 9 * bump(t, T0 + 90, T0 + 330, 1.0, edge=30), integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds", lambda t: 0.09 + 6 * down(t) *
      (1 if gap(t) else 0.25), noise=0.12)
    M(sc, "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": lb, "TargetGroup":
      "targetgroup/cpoe-api-tg/0c2e7f1a9b3d5e64"}, "Count",
      lambda t: 3 * bump(t, T0 + 90, T0 + 330, 1.0, edge=30), noise=0.0, digits=0)
    de = {"ClusterName": "orders", "ServiceName": "cpoe-api"}
    M(sc, "AWS/ECS", "CPUUtilization", de, "Percent", lambda t: 11 - 4 * down(t), noise=0.1)
    M(sc, "AWS/ECS", "MemoryUtilization", de, "Percent", lambda t: 52, noise=0.02)
    dd = {"DBInstanceIdentifier": db}
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent",
      lambda t: None if gap(t) else 9 + 55 * idx(t) + 22 * down(t), noise=0.08)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count",
      lambda t: None if gap(t) else (90 if t < T0 else 14), integer=True)
    M(sc, "AWS/RDS", "ReadIOPS", dd, "Count/Second",
      lambda t: None if gap(t) else 240 + 2600 * idx(t) + 3100 * down(t), noise=0.1)
    M(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes",
      lambda t: None if gap(t) else (2.1e10 if t < T0 else 2.9e10), noise=0.01, digits=0)
    # ---- API logs (ASP.NET default console formatter)
    g = "/ecs/cpoe-api"
    st = [f"ecs/cpoe-api/{sc.hexid(32)}" for _ in range(3)]
    host = f"{db}.c7k2m9x1p4qa.eu-central-1.rds.amazonaws.com,1433"

    def req(s):
        stream = st[sc.rng.randrange(3)]
        p = sc.rng.choice(["POST /api/orders", "GET /api/orders/pending", "POST /api/orders/sign",
                           "GET /api/patients/{id}/allergies"])
        if s >= T0 and sc.rng.random() < 0.85:
            if s < UP:
                err = ("Microsoft.Data.SqlClient.SqlException (0x80131904): A network-related or "
                       "instance-specific error occurred while establishing a connection to SQL Server. "
                       "The server was not found or was not accessible. (provider: TCP Provider, error: "
                       "40 - Could not open a connection to SQL Server)")
            else:
                err = ("Microsoft.Data.SqlClient.SqlException (0x80131904): Cannot open database \"cpoe\" "
                       "requested by the login. The login failed.\n      Login failed for user 'cpoe_app'. "
                       "Error Number:4060,State:1,Class:11")
            sc.log(g, stream, s, (f"fail: Microsoft.EntityFrameworkCore.Database.Connection[20004]\n      "
                                  f"An error occurred using the connection to database 'cpoe' on server "
                                  f"'{host}'."))
            sc.log(g, stream, s + 0.002, (f"fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]\n"
                                          f"      An unhandled exception has occurred while executing the request. "
                                          f"{p}\n      {err}\n         at Microsoft.Data.SqlClient."
                                          "SqlInternalConnection.OnError(SqlException exception, Boolean "
                                          "breakConnection, Action`1 wrapCloseInAction)"))
        else:
            sc.log(g, stream, s, (f"info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished "
                                  f"HTTP/1.1 {p} - 200 - application/json {sc.rng.uniform(20, 160):.4f}ms"))
    sprinkle(sc, -21600, 0, lambda t: 2.5 * diurnal(sc, t, 14, 0.4), req)
    sprinkle(sc, -21600, 0, lambda t: 0.6, lambda s: sc.log(g, st[sc.rng.randrange(3)], s, (
        "warn: Cpoe.Orders.DrugInteractionClient[0]\n      Interaction service returned partial result "
        f"for order {sc.rng.randint(10 ** 6, 10 ** 7)} (2 of 3 knowledge bases answered)")))
    sprinkle(sc, -21600, 0, lambda t: 0.4, lambda s: sc.log(g, st[sc.rng.randrange(3)], s, (
        f"info: Cpoe.Audit[0]\n      AUDIT order.viewed user=md{sc.rng.randint(100, 999)} "
        f"patient={sc.rng.randint(10 ** 7, 10 ** 8)}")))
    # ---- SQL Server error log
    eg = f"/aws/rds/instance/{db}/error"
    sprinkle(sc, -21600, T0, lambda t: 0.08, lambda s: sc.log(eg, db, s, sqlserver(
        sc, s, "Logon", "Login failed for user 'nagios_probe'. Reason: Password did not match that "
        "for the login provided. [CLIENT: 10.31.0.19]")))
    for s, msg in [(-4318, "spid71      DBCC CHECKDB (cpoe) WITH no_infomsgs executed by NT AUTHORITY\\SYSTEM"),
                   (-4300, "spid71      Index maintenance job 'IndexOptimize - USER_DATABASES' started"),
                   (-2110, "spid71      Index maintenance job 'IndexOptimize - USER_DATABASES' completed (2207 s)"),
                   (T0 - 5, "spid9s      SQL Server is terminating in response to a 'stop' request from Service Control Manager. This is an informational message only."),
                   (UP - 20, "Server      Microsoft SQL Server 2019 (RTM-CU26) (KB5035123) - 15.0.4365.2 (X64)"),
                   (UP - 12, "Server      SQL Server is starting at normal priority base (=7). This is an informational message only."),
                   (UP, "spid22s     Starting up database 'cpoe'.")]:
        sc.log(eg, db, s, sqlserver(sc, s, msg.split()[0], msg[len(msg.split()[0]):].strip()))
    k = 0
    for s in range(UP + 30, -5, 45):
        k += 1
        pct = min(94, 3 + k * 8)
        sc.log(eg, db, s, sqlserver(sc, s, "spid22s", f"Recovery of database 'cpoe' (5) is {pct}% complete "
                                    f"(approximately {max(20, 560 - k * 46)} seconds remain). Phase 2 of 3. "
                                    "This is an informational message only. No user action is required."))
        sc.log(eg, db, s + 3, sqlserver(sc, s + 3, "Logon", "Login failed for user 'cpoe_app'. Reason: "
                                        "Failed to open the explicitly specified database 'cpoe'. [CLIENT: 10.31.4.22]"))
    sc.alarm("cpoe-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Sum", 60, 2,
             10, "GreaterThanThreshold", "Order entry 5xx")
    sc.change(-3200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "octopus-deploy")
    sc.change(T0 - 70, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "orders/pharmacy-verify", "octopus-deploy")
    sc.expect = {"alarm": "cpoe-web-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": dd}]}
    meta(sc, alarm_pos="front (ALB)", services=["ALB", "ECS Fargate (.NET)", "RDS SQL Server"],
         decoys=["pharmacy-verify deploy 70 s before onset", "cpoe-api deploy 41 min before (clean since)",
                 "Sunday 02:00 index maintenance DB CPU/IOPS spike", "drug-interaction warnings all night"],
         story=(
             "At 03:02, inside the DB's Sunday maintenance window, SQL Server on `mssql-orders-01` "
             "stops (`terminating in response to a 'stop' request`). RDS metrics go missing for "
             "three minutes. The instance comes back but database `cpoe` is still in crash recovery "
             "(`Recovery of database 'cpoe' ... is N% complete`). The API's errors move from `error: 40 - Could not "
             "open a connection to SQL Server` to `Cannot open database \"cpoe\" ... Error Number:4060`, "
             "and the ALB's target 5xx follow. The DB is not exhausted: few connections, CPU "
             "moderate. The deploys are 70 s earlier on another service and 41 min earlier on "
             "cpoe-api (clean until 03:02). The 02:00 index job was the expected weekly load."),
         judgement=("There was no CloudTrail change: the restart is AWS's maintenance in the "
                    "window. The downstream database is unavailable, not saturated, so the label is "
                    "dependency_failure on the DB."))
    return sc


def build_16():
    sc = new_scenario(16, "emar-shift-connections", "eMAR medication screens failing at the 07:00 "
                      "round; ALB target 5xx alarm.", "us-east-2", 6616, "2026-03-23T07:21:00+00:00")
    PG, REBOOT, T0 = -16200, -4860, -1140  # 02:51 param change, 05:59 reboot, 07:02 limit reached
    lb, svc, db = "app/emar-web/18c4f7e2a09b3d61", "meds/emar-api", "pg-meds-01"
    sc.resource("alb", lb, name="emar-web", scheme="internal")
    sc.resource("ecs", svc, launch_type="FARGATE", desired_count=6, cpu=2048, memory=4096)
    sc.resource("ecs", "meds/formulary-ui", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.2xlarge",
                max_connections=200, parameter_group="meds-pg16-params", allocated_storage_gb=800,
                preferred_maintenance_window="mon:06:00-mon:06:30")
    night = lambda t: bump(t, -19200, -16800, 1.0, edge=300)  # 02:00 MAR reconciliation
    shift = lambda t: bump(t, -1500, 0, 1.0, edge=300)
    load = lambda t: diurnal(sc, t, 13, 0.45) * (1 + 0.35 * shift(t))
    out = lambda t: ramp(t, T0 - 60, T0 + 120)
    gap = lambda t: REBOOT + 30 <= t < REBOOT + 150
    dd = {"DBInstanceIdentifier": db}
    conn = sc.series(lambda t: None if gap(t) else min(198.0 if t >= REBOOT else 5000.0,
                                                       95 * load(t) + 205 * night(t) + 120 * shift(t)),
                     noise=0.015, digits=0)
    sc.metric("AWS/RDS", "DatabaseConnections", dd, "Count",
              [None if v is None else (min(v, 200.0) if t >= REBOOT else v) for t, v in zip(minutes(-21600), conn)])
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: None if gap(t) else
      14 * load(t) + 25 * night(t) + 12 * shift(t), noise=0.07)
    M(sc, "AWS/RDS", "FreeableMemory", dd, "Bytes", lambda t: None if gap(t) else
      (3.6e10 if t < REBOOT else 4.9e10), noise=0.01, digits=0)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: None if gap(t) else 0.0009, noise=0.15,
      digits=5)
    dl = {"LoadBalancer": lb}
    M(sc, "AWS/ApplicationELB", "RequestCount", dl, "Count", lambda t: 520 * load(t), integer=True)
    M(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Count", lambda t: 0.4 + 70 * out(t) +
      30 * (REBOOT <= t < REBOOT + 160), integer=True)
    M(sc, "AWS/ApplicationELB", "TargetResponseTime", dl, "Seconds", lambda t: 0.13 + 0.9 * out(t),
      noise=0.12)
    de = {"ClusterName": "meds", "ServiceName": "emar-api"}
    M(sc, "AWS/ECS", "CPUUtilization", de, "Percent", lambda t: 24 * load(t), noise=0.07)
    M(sc, "AWS/ECS", "MemoryUtilization", de, "Percent", lambda t: 63, noise=0.02)
    # ---- emar-api (Spring Boot)
    g = "/ecs/emar-api"
    st = [f"ecs/emar-api/{sc.hexid(32)}" for _ in range(3)]

    def req(s):
        stream = st[sc.rng.randrange(3)]
        th = f"http-nio-8080-exec-{sc.rng.randint(1, 200)}"
        if sc.rng.random() < 0.6 * out(s):
            sc.log(g, stream, s, spring(sc, s, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", (
                "Servlet.service() for servlet [dispatcherServlet] threw exception\norg.springframework.jdbc."
                "CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\nCaused by: org.postgresql."
                "util.PSQLException: FATAL: sorry, too many clients already\n\tat org.postgresql.core.v3."
                "ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:698)"), "emar-api"))
        else:
            sc.log(g, stream, s, spring(sc, s, "INFO", th, "h.c.emar.web.AdministrationController",
                                        f"MAR fetched ward={sc.rng.choice(['4B', '6C', 'ICU1', 'CCU'])} "
                                        f"patients={sc.rng.randint(8, 30)} in {sc.rng.randint(30, 220)} ms",
                                        "emar-api"))
    sprinkle(sc, -21600, 0, lambda t: 2.4 * load(t), req)
    sprinkle(sc, -21600, 0, lambda t: 0.5, lambda s: sc.log(g, st[sc.rng.randrange(3)], s, spring(
        sc, s, "WARN", f"http-nio-8080-exec-{sc.rng.randint(1, 200)}", "c.u.f.narrative.NarrativeGenerator",
        "HAPI-FHIR narrative generation failed for MedicationAdministration; using fallback text", "emar-api")))
    sprinkle(sc, -21600, 0, lambda t: 0.4, lambda s: sc.log(g, st[sc.rng.randrange(3)], s, spring(
        sc, s, "INFO", "audit-1", "h.c.emar.audit.AuditPublisher",
        f"AUDIT mar.viewed user=rn{sc.rng.randint(1000, 9999)} patient={sc.rng.randint(10 ** 7, 10 ** 8)}",
        "emar-api")))
    # ---- postgres log
    pgg = f"/aws/rds/instance/{db}/postgresql"
    sprinkle(sc, -21600, 0, lambda t: 0.0 if gap(t) else 0.2, lambda s: sc.log(pgg, db, s, pg(
        sc, s, "LOG", "checkpoint starting: time")))
    sc.log(pgg, db, PG + 40, pg(sc, PG + 40, "LOG", "received SIGHUP, reloading configuration files", pid=3889))
    sc.log(pgg, db, PG + 40.01, pg(sc, PG + 40.01, "LOG", 'parameter "max_connections" cannot be changed '
                                   "without restarting the server", pid=3889))
    sc.log(pgg, db, PG + 40.02, pg(sc, PG + 40.02, "LOG", "configuration file \"/rdsdbdata/config/"
                                   "postgresql.conf\" contains errors; unaffected changes were applied", pid=3889))
    for dt, m in [(2, "received fast shutdown request"), (3, "aborting any active transactions"),
                  (9, "database system is shut down"),
                  (95, "starting PostgreSQL 16.3 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 10.5.0, 64-bit"),
                  (97, "database system is ready to accept connections")]:
        sc.log(pgg, db, REBOOT + dt, pg(sc, REBOOT + dt, "LOG", m, pid=3889 if dt < 90 else 412))
    sprinkle(sc, T0 - 30, 0, lambda t: 8 * out(t), lambda s: sc.log(pgg, db, s, pg(
        sc, s, "FATAL", sc.rng.choice(["sorry, too many clients already",
                                        "remaining connection slots are reserved for non-replication superuser connections"]),
        client=sc.ip("10.44"), user="emar_app", db="meds")))
    jg, js = "/ecs/mar-reconcile", f"ecs/mar-reconcile/{sc.hexid(32)}"
    for s, m in [(-19198.0, "MAR reconciliation starting: 61 wards, pool=160"),
                 (-16830.0, "MAR reconciliation done: 61 wards, 0 failures")]:
        sc.log(jg, js, s, jl({"ts": sc.iso(s), "level": "info", "msg": m}))
    sc.alarm("emar-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dl, "Sum", 60, 3,
             20, "GreaterThanThreshold", "eMAR 5xx")
    sc.change(-19205, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition", "mar-reconcile:33",
              "eventbridge-ecs-scheduler")
    sc.change(PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              "meds-pg16-params", "p.richter")
    sc.change(REBOOT, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", db, "p.richter")
    sc.change(T0 - 150, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "meds/formulary-ui",
              "gha-meds")
    sc.expect = {"alarm": "emar-web-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [db, "meds-pg16-params"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": dd}]}
    meta(sc, alarm_pos="front (ALB)", services=["ALB", "ECS Fargate (Java/Spring)", "RDS Postgres"],
         decoys=["formulary-ui deploy 2.5 min before onset", "07:00 shift-change traffic (1.35x)",
                 "02:00 MAR reconciliation reaching ~260 connections without errors",
                 "FHIR narrative warnings all night"],
         story=(
             "At 02:51 `p.richter` modifies `meds-pg16-params`. Postgres logs `parameter "
             "\"max_connections\" cannot be changed without restarting the server`, so the change "
             "stays pending until the 05:59 reboot in the maintenance window. Before that, the 02:00 "
             "MAR reconciliation pushed `DatabaseConnections` to ~260 with no errors. After the reboot "
             "the instance reports max_connections 200. At the 07:00 round connections flatten at "
             "~198, and Postgres and the Spring service log `FATAL: sorry, too many clients already`. "
             "The ALB 5xx alarm fires. The formulary-ui deploy 2.5 min earlier is another service. "
             "Shift-change traffic is only 1.35x."),
         judgement=("Both db_connection_exhaustion and config_change fit. The format's tie-break (the "
                    "more specific trigger wins) makes it config_change: the connection limit was "
                    "lowered by a parameter-group change applied at the reboot, and the 02:00 job's "
                    "~260 connections fit under the old limit. The accepted resources are the DB instance and its "
                    "parameter group."))
    return sc


BUILDERS = [build_15, build_16]
