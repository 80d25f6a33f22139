"""db_connection_exhaustion scenarios: RDS MySQL behind a Spring/Hikari ECS
service (alarm on the ALB), and RDS PostgreSQL used by a Node.js Lambda
(alarm on the database's connection count)."""
from __future__ import annotations

import json

from .common import Scn, clamp, diurnal, ramp, window
from .lambda_sim import LambdaFn
from .services import S, alb, ecs, ecs_deploy, java_stack, lambda_deploy, mysql, pg, rds, spring

GB = 1024 ** 3


def ledger_mysql():
    s = Scn("h51-08-ledger-mysql-too-many-connections", 5108, "ca-central-1", "2026-11-21T15:40:00",
            "Card payments are timing out at the ledger step; ALB 5XX alarm for the ledger API.")
    app, on, full = "ledger-api", -2760, -2160
    sat = lambda t: ramp(t, full - 60, full + 120, 0.0, 1.0)
    req = S(s, lambda t: s.poisson(diurnal(t, 310, 55, -6000)))
    t5 = [float(s.poisson(0.4) + s.binom(r, 0.27 * sat(t))) for t, r in zip(s.times, req)]
    lb = alb(s, "ledger-alb", "2d7f9a4c6e1b3085", req,
             S(s, lambda t: s.gauss(0.071, 0.005) + 9.6 * sat(t) * s.gauss(1, 0.08)), t5,
             S(s, lambda t: float(s.poisson(0.05))), [6.0] * len(s.times), [0.0] * len(s.times),
             scheme="internal", target_group="ledger-api-tg")
    ecs(s, "payments-prod", app, S(s, lambda t: clamp(diurnal(t, 31, 6, -6000) - 9 * sat(t) + s.gauss(0, 2), 0, 100)),
        S(s, lambda t: 62 + s.gauss(0, 0.9) + 4 * sat(t)), [6.0] * len(s.times),
        launch_type="FARGATE", desired_count=6, task_definition="ledger-api:203",
        runtime="java17 / Spring Boot 3.1 / HikariCP (maximumPoolSize=40)")
    conns = S(s, lambda t: float(min(300, round(ramp(t, on, full, 0, 150) + diurnal(t, 148, 12, -6000)
                                                 + s.gauss(0, 3)))) if t < full else float(s.rng.randint(297, 300)))

    rds(s, "ledger-mysql", S(s, lambda t: clamp(diurnal(t, 27, 5, -6000) + 5 * sat(t) + s.gauss(0, 2), 0, 100)),
        conns, S(s, lambda t: 214 * GB - (t + 21600) * 900 + s.gauss(0, 2e6)),
        S(s, lambda t: max(0.0002, s.gauss(0.0009, 0.0002))), S(s, lambda t: max(0.0003, s.gauss(0.0021, 0.0003))),
        S(s, lambda t: 3.1 * GB - ramp(t, on, full, 0, 0.35 * GB) + s.gauss(0, 3e7)),
        engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large", max_connections=300,
        allocated_storage_gb=400, multi_az=True)

    tasks = [s.hex(32) for _ in range(6)]
    logs = {tid: [] for tid in tasks}
    th = lambda: f"nio-8080-exec-{s.rng.randint(1, 200)}"
    acct = lambda: f"acct_{s.hex(10)}"
    mysql_ex = ("java.sql.SQLNonTransientConnectionException",
                'Data source rejected establishment of connection,  message from server: "Too many connections"',
                ["com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:111)",
                 "com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:828)",
                 "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:359)",
                 "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)"])
    for t0, r, e in zip(s.times, req, t5):
        if t0 < -10800:
            continue
        for _ in range(s.poisson(12)):
            t = t0 + s.rng.random() * 60
            tid = s.pick(tasks)
            if s.chance(0.04):
                logs[tid].append((t, spring(s, t, "WARN", th(), "c.a.ledger.fx.FxRateCache",
                                            "FX rate for XOF stale (age 3h12m), using cached value", app)))
            logs[tid].append((t, spring(s, t, "INFO", th(), "c.a.ledger.web.PostingController",
                                        f"posted txn {s.uuid()} account={acct()} amount={s.rng.randint(100, 90000)} "
                                        f"CAD in {s.rng.randint(12, 70)}ms", app)))
        if sat(t0) > 0:
            for _ in range(int(e)):
                t = t0 + s.rng.random() * 60
                tid = s.pick(tasks)
                if s.chance(0.55):
                    w = s.rng.randint(30, 70)
                    logs[tid].append((t - 0.001, spring(s, t, "WARN", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                                        "SQL Error: 0, SQLState: null", app)))
                    logs[tid].append((t, spring(s, t, "ERROR", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                                f"HikariPool-1 - Connection is not available, request timed out "
                                                f"after {30000 + s.rng.randint(0, 9)}ms (total=40, active=40, "
                                                f"idle=0, waiting={w})", app)))
                else:
                    stack = java_stack(mysql_ex[0], mysql_ex[1], mysql_ex[2])
                    logs[tid].append((t, spring(
                        s, t, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                        "[Request processing failed: org.springframework.transaction.CannotCreateTransactionException: "
                        "Could not open JPA EntityManager for transaction] with root cause\n\n" + stack, app)))
    for tid, ev in logs.items():
        s.log("/ecs/ledger-api", f"ledger/ledger-api/{tid}", ev)
    err_ev = []
    for t in range(-21600 + 40, 0, 900):
        err_ev.append((t, mysql(s, t, 0, "Note", "MY-010914", f"Aborted connection {s.rng.randint(40000, 90000)} "
                                                             f"to db: 'ledger' user: 'bi_reader' host: '10.30.9.14' "
                                                             f"(Got timeout reading communication packets).")))
    for t0 in s.times:
        if t0 >= full:
            for _ in range(s.poisson(1.2)):
                t = t0 + s.rng.random() * 60
                tid = s.rng.randint(90000, 99999)
                err_ev.append((t, mysql(s, t, tid, "Note", "MY-010914",
                                        f"Aborted connection {tid} to db: 'ledger' user: 'ledger_app' host: "
                                        f"'10.30.4.{s.rng.randint(10, 90)}' (Got an error reading communication packets).")))
    s.log("/aws/rds/instance/ledger-mysql/error", "ledger-mysql", err_ev)

    fx = ecs(s, "payments-prod", "fx-quoter",
             S(s, lambda t: clamp((84 if window(t, -7800, -7200) else 17) + s.gauss(0, 2.5), 0, 100)),
             S(s, lambda t: 38 + s.gauss(0, 1)), [2.0] * len(s.times), launch_type="FARGATE",
             task_definition="fx-quoter:44")
    ecs_deploy(s, -12600, "payments-prod", "fx-quoter", "spinnaker")
    s.alarm("fx-quoter-cpu-high", "AWS/ECS", "CPUUtilization", fx, "Average", 300, 1, 75)
    s.alarm("ledger-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
            "Sum", 60, 3, 15, description="Ledger API 5XX")
    doc = s.to_dict({
        "alarm": "ledger-alb-target-5xx",
        "root_cause": {"category": "db_connection_exhaustion", "resource": ["ledger-mysql"]},
        "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                       "dimensions": {"DBInstanceIdentifier": "ledger-mysql"}},
                      {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                       "dimensions": {"LoadBalancer": lb}}]})
    meta = dict(
        alarm="ledger-alb-target-5xx", category="db_connection_exhaustion", resources=["ledger-mysql"],
        on="front (ALB)",
        decoys=["fx-quoter deployed 3.5 h earlier", "steady 'FX rate stale' WARN and bi_reader aborted-connection notes",
                "fx-quoter CPU spike 2 h ago", "fx-quoter-cpu-high alarm (fired and recovered)"],
        text="ledger-mysql's DatabaseConnections climbs from its usual ~150 to the instance's "
             "max_connections of 300 over ten minutes and sits there. From then on ledger-api's six "
             "tasks log `HikariPool-1 - Connection is not available, request timed out after 30000ms "
             "(total=40, active=40, idle=0 ...)` and `SQLNonTransientConnectionException ... \"Too many "
             "connections\"`, requests take ~10 s and about 27 % end in 5XX at the ALB. The database's "
             "CPU, latency, memory and storage are healthy and nothing was deployed or reconfigured on "
             "the ledger path. fx-quoter (deploy, CPU spike, recovered alarm) does not touch MySQL; the "
             "FX-stale warning and the BI user's aborted connections are steady background. "
             "Connections pinned at the limit with too-many-connections errors: "
             "db_connection_exhaustion, origin ledger-mysql (the alarm is on the ALB).")
    return doc, meta


# ----------------------------------------------------------------------------
def notify_pg():
    s = Scn("h51-09-notify-pg-connection-slots", 5109, "ap-south-1", "2026-11-23T12:10:00",
            "Push notifications delayed; the database connection alarm on notify-pg fired.")
    on, full = -3300, -2400
    sat = lambda t: ramp(t, full - 120, full + 60, 0.0, 1.0)
    fn = LambdaFn(s, "notification-fanout", "nodejs18.x", 512, 30, mem_used=(101, 133),
                  event_source="sqs:notification-fanout", environment={
                      "PGHOST": "notify-pg.c7v2k1m9x0aa.ap-south-1.rds.amazonaws.com", "PG_POOL_MAX": "5"})
    inv = S(s, lambda t: s.poisson(diurnal(t, 17, 4, -12000)))
    err = [s.binom(i, 0.55 * sat(t)) for t, i in zip(s.times, inv)]
    dur = S(s, lambda t: s.gauss(380, 25) if sat(t) == 0 else s.gauss(360, 40))
    conc = S(s, lambda t: float(round(ramp(t, on, full, 2, 41) + s.gauss(0, 1.2))) if t >= on
             else float(max(1, round(s.gauss(2.2, 0.8)))))
    fn.metrics(inv, err, dur, conc=conc)
    conns = S(s, lambda t: float(min(200, round(ramp(t, on, full, 62, 200) + s.gauss(0, 2.5))))
              if t < full else float(s.rng.randint(196, 200)))

    rds(s, "notify-pg", S(s, lambda t: clamp(diurnal(t, 18, 4, -12000) + 7 * sat(t) + s.gauss(0, 1.5), 0, 100)),
        conns, S(s, lambda t: 71.5 * GB - (t + 21600) * 300 + s.gauss(0, 1e6)),
        S(s, lambda t: max(0.0002, s.gauss(0.0008, 0.0002))), S(s, lambda t: max(0.0003, s.gauss(0.0014, 0.0002))),
        S(s, lambda t: 4.4 * GB - ramp(t, on, full, 0, 0.9 * GB) + s.gauss(0, 2e7)),
        engine="postgres", engine_version="16.4", instance_class="db.t4g.large", max_connections=200,
        allocated_storage_gb=100, rds_proxy=False)

    def body(c):
        cmp_id = f"cmp_{s.hex(8)}"
        out = []
        if s.chance(0.07):
            out.append((0.09, "WARN", f"FCM responded NotRegistered for token …{s.hex(4)}; pruning device dev_{s.hex(10)}"))
        if c.failed:
            c.outcome, c.duration_ms = "error", s.gauss(41, 6)
            msg = s.pick(["sorry, too many clients already",
                          "remaining connection slots are reserved for roles with the SUPERUSER attribute"])
            payload = {"errorType": "error", "errorMessage": msg, "length": 97, "name": "error", "severity": "FATAL",
                       "code": "53300", "file": "proc.c" if "clients" in msg else "postinit.c",
                       "routine": "InitProcess" if "clients" in msg else "InitPostgres",
                       "stack": [f"error: {msg}",
                                 "    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:283:98)",
                                 "    at Parser.handlePacket (/var/task/node_modules/pg-protocol/dist/parser.js:122:29)",
                                 "    at Parser.parse (/var/task/node_modules/pg-protocol/dist/parser.js:35:38)",
                                 "    at TLSSocket.<anonymous> (/var/task/node_modules/pg-protocol/dist/index.js:11:42)"]}
            out.append((0.04, "RAW", f"{s.iso(c.t + 0.04)}\t{c.rid}\tERROR\tInvoke Error \t"
                                     f"{json.dumps(payload, separators=(',', ':'), ensure_ascii=False)}"))
            return out
        n = s.rng.randint(5, 25)
        out.append((c.duration_ms / 1000 - 0.01, "INFO",
                    f"fan-out campaign={cmp_id} batch={n} sent={n} failed=0 db_ms={s.rng.randint(4, 30)}"))
        return out

    fn.simulate(body)
    ev = []
    for t in range(-21600 + 120, 0, 300):
        ev.append((t, pg(s, t, "", "@", 612, "LOG", "checkpoint starting: time")))
        ev.append((t + 27.1, pg(s, t + 27.1, "", "@", 612, "LOG",
                                f"checkpoint complete: wrote {s.rng.randint(300, 1400)} buffers ({s.uniform(0.2, 1.0):.1f}%); "
                                f"0 WAL file(s) added, 0 removed, 1 recycled; write=26.9{s.rng.randint(10, 99)} s, "
                                f"sync=0.0{s.rng.randint(10, 60)} s, total=27.0{s.rng.randint(10, 99)} s")))
    for t0, e in zip(s.times, err):
        for _ in range(int(e) + (s.poisson(2) if sat(t0) else 0)):
            t = t0 + s.rng.random() * 60
            ip = f"10.60.{s.rng.randint(16, 31)}.{s.rng.randint(2, 250)}({s.rng.randint(32768, 60999)})"
            msg = s.pick(["sorry, too many clients already",
                          "remaining connection slots are reserved for roles with the SUPERUSER attribute"])
            ev.append((t, pg(s, t, ip, "fanout@notify", s.rng.randint(10000, 40000), "FATAL", msg)))
    s.log("/aws/rds/instance/notify-pg/postgresql", "notify-pg.0", ev)

    db = LambdaFn(s, "digest-builder", "nodejs18.x", 1024, 120, mem_used=(300, 460))
    hourly = lambda t: (t % 3600) < 420
    di = S(s, lambda t: s.poisson(11 if hourly(t) else 0.3))
    db.metrics(di, [0] * len(di), S(s, lambda t: s.gauss(6400 if hourly(t) else 1400, 300)))
    db.simulate(lambda c: [(c.duration_ms / 1000 - 0.02, "INFO",
                            f"built digest for segment seg_{s.hex(4)} from s3://acme-notify-aps1/events/ "
                            f"({s.rng.randint(200, 9000)} events)")])
    lambda_deploy(s, -13000, "digest-builder", "gha-notify", version=True)
    s.change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "digest-builder", "r.iyer")
    s.alarm("notify-pg-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "notify-pg"},
            "Maximum", 60, 3, 180, description="notify-pg connections above 90% of max_connections")
    doc = s.to_dict({
        "alarm": "notify-pg-connections-high",
        "root_cause": {"category": "db_connection_exhaustion", "resource": ["notify-pg"]},
        "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                       "dimensions": {"DBInstanceIdentifier": "notify-pg"}},
                      {"namespace": "AWS/Lambda", "name": "Errors",
                       "dimensions": {"FunctionName": "notification-fanout"}}]})
    meta = dict(
        alarm="notify-pg-connections-high", category="db_connection_exhaustion", resources=["notify-pg"],
        on="origin (RDS)",
        decoys=["digest-builder deployed 3.6 h earlier", "steady FCM NotRegistered WARN",
                "digest-builder hourly bursts",
                "UpdateFunctionConfiguration on digest-builder during the climb, 10 min before the limit"],
        text="notification-fanout's concurrent executions creep from ~2 to ~40 and, with a 5-connection "
             "pg pool per execution environment and no RDS Proxy, notify-pg's DatabaseConnections "
             "climb from ~60 to its max_connections of 200 and stay there. PostgreSQL logs `FATAL: sorry, "
             "too many clients already` / `remaining connection slots are reserved ...` and the Lambda "
             "fails with the same errors (SQLSTATE 53300). The database's CPU, latency and storage are "
             "fine; invocations are at their normal level. digest-builder (deploy, configuration "
             "change while the connections were climbing, hourly bursts) only reads S3 and never connects to the "
             "database; the FCM warning is constant. Connections at the limit with too-many-clients "
             "errors: db_connection_exhaustion, origin notify-pg (its own alarm fired).")
    return doc, meta
