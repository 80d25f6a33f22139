"""Database incidents, part A: rotated SSM password breaks MySQL auth; a connection leak fills max_connections."""
from __future__ import annotations

import numpy as np

from .common import N, T, Scenario, counts, noisy, ramp, wall, wave
from .stacks import alb, ecs, lambda_function, py, rds

# =========================================================================== h8-07 rotated secret (.NET on ECS)


def mysql_err(t: float, thread: int, level: str, code: str, msg: str) -> str:
    w = wall(t)
    return f"{w.strftime('%Y-%m-%dT%H:%M:%S')}.{w.microsecond:06d}Z {thread} [{level}] [{code}] [Server] {msg}"


def ssm_password_rotation(seed: int) -> Scenario:
    sc = Scenario("h8-07-orders-api-db-password", "ap-southeast-1",
                  "orders-alb 5XX alarm; order history and checkout failing for a growing share of users.", seed)
    r = sc.rng
    lb = "app/orders-alb/5b6c7d8e9f0a1b2c"
    change_t = -1980
    sc.resource("ecs", "orders/orders-api", cluster="orders", task_definition="orders-api:133", desired_count=3,
                cpu=512, memory=1024, launch_type="FARGATE", task_role="orders-api-task")
    sc.resource("ecs", "orders/orders-worker", cluster="orders", task_definition="orders-worker:58",
                desired_count=2, cpu=256, memory=512, launch_type="FARGATE")
    sc.resource("alb", lb, name="orders-alb", targets=["orders/orders-api"])
    sc.resource("rds", "orders-mysql", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300)
    # pooled connections live 15 min; as they expire the new ones use the new (wrong) password
    broken = ramp(change_t + 60, change_t + 960)
    req = counts(r, 520 * wave(r, 10800, 0.1))
    t5 = counts(r, 0.2 + req * 0.94 * broken)
    alb(sc, lb, requests=req, rt=noisy(r, 0.048 - 0.02 * broken, 0.1), t5xx=t5, e5xx=counts(r, 0.03),
        healthy=np.full(N, 3.0), unhealthy=np.zeros(N), t4xx=counts(r, 7.0))
    ecs(sc, "orders", "orders-api", cpu=noisy(r, 24 - 6 * broken, 0.08, 0, 100), mem=noisy(r, 38, 0.02),
        running=np.full(N, 3.0))
    ecs(sc, "orders", "orders-worker", cpu=noisy(r, 12 + 40 * ((T > -9000) & (T < -8700)), 0.12, 0, 100),
        mem=noisy(r, 33, 0.02), running=np.full(N, 2.0))
    conns = 96 * (1 - 0.72 * broken) + 6
    rds(sc, "orders-mysql", cpu=noisy(r, 21 - 9 * broken, 0.1), conns=np.round(noisy(r, conns, 0.04)),
        free_storage=np.round(noisy(r, 171e9, 0.0004), -6), read_lat=noisy(r, 0.0009, 0.2),
        write_lat=noisy(r, 0.0016, 0.2), freeable_mem=np.round(noisy(r, 6.1e9, 0.02), -6))
    tasks = [(r.hex(32), f"10.0.12.{r.i(10, 250)}") for _ in range(3)]
    err_log = []
    for tid, ip in tasks:
        ev = [(-21590 + r.u(0, 5), "info: Orders.Api.Secrets.SsmPasswordProvider[0]\n"
                                   "      Loaded /orders/prod/db-password (version 7)")]
        for t in np.arange(-21600 + r.u(0, 6), 0, 6.0):
            i = int((t + 21600) // 60)
            if r.u() < broken[i] * 0.94:
                ev.append((t, "fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]\n"
                              "      An unhandled exception has occurred while executing the request.\n"
                              f"      MySqlConnector.MySqlException (0x80004005): Access denied for user "
                              f"'orders_svc'@'{ip}' (using password: YES)\n"
                              "         at MySqlConnector.Core.ServerSession.ConnectAsync(ConnectionSettings cs, "
                              "MySqlConnection connection, Int64 startingTimestamp, ILoadBalancer loadBalancer, "
                              "Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in "
                              "/_/src/MySqlConnector/Core/ServerSession.cs:line 558\n"
                              "         at MySqlConnector.Core.ConnectionPool.ConnectSessionAsync(MySqlConnection "
                              "connection, Action`4 logMessage, Int64 startingTimestamp, ILoadBalancer loadBalancer, "
                              "IOBehavior ioBehavior, CancellationToken cancellationToken) in "
                              "/_/src/MySqlConnector/Core/ConnectionPool.cs:line 403\n"
                              "         at MySqlConnector.MySqlConnection.CreateSessionAsync(ConnectionPool pool, "
                              "Int64 startingTimestamp, Activity activity, Nullable`1 ioBehavior, CancellationToken "
                              "cancellationToken) in /_/src/MySqlConnector/MySqlConnection.cs:line 1018\n"
                              "         at Orders.Api.Data.OrderRepository.GetHistoryAsync(Guid customerId) in "
                              "/src/Orders.Api/Data/OrderRepository.cs:line 41"))
                if r.u() < 0.5:
                    tt = t + r.u(0, 0.02)
                    err_log.append((tt, mysql_err(tt, r.i(40000, 90000), "Note", "MY-010926",
                                                  f"Access denied for user 'orders_svc'@'{ip}' (using password: YES)")))
            else:
                ev.append((t, "info: Orders.Api.Controllers.OrdersController[0]\n"
                              f"      GET /v2/orders/history?customer={r.uuid()} -> 200 in {r.i(9, 60)} ms"))
            if r.u() < 0.03:
                ev.append((t + 1, "warn: Microsoft.AspNetCore.HttpsPolicy.HttpsRedirectionMiddleware[3]\n"
                                  "      Failed to determine the https port for redirect."))
            if change_t + 30 < t < change_t + 37 or change_t + 480 < t < change_t + 487:
                ev.append((t + 0.5, "info: Orders.Api.Secrets.SsmPasswordProvider[0]\n"
                                    "      Loaded /orders/prod/db-password (version 8)"))
        sc.log("/ecs/orders-api", f"orders-api/orders-api/{tid}", ev)
    for t in np.arange(-21600 + r.u(0, 400), 0, 400.0):
        err_log.append((t, mysql_err(t, r.i(40000, 90000), "Note", "MY-010914",
                                     f"Aborted connection {r.i(40000, 90000)} to db: 'orders' user: 'report_ro' host: "
                                     f"'10.0.9.12' (Got an error reading communication packets).")))
    sc.log("/aws/rds/instance/orders-mysql/error", "orders-mysql", err_log)
    wk = []
    for t in np.arange(-21600 + r.u(0, 30), 0, 30.0):
        wk.append((t, "info: Orders.Worker.OutboxPublisher[0]\n"
                      f"      Published {r.i(0, 14)} outbox messages to orders-events"))
    sc.log("/ecs/orders-worker", f"orders-worker/orders-worker/{r.hex(32)}", wk)
    sc.change(-9100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/orders-worker",
              "github-actions")
    sc.change(change_t, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/orders/prod/db-password",
              "r.tan")
    sc.alarm("orders-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             stat="Sum", period=60, evals=3, threshold=25, onset=change_t)
    sc.expect = {"alarm": "orders-alb-target-5xx",
                 "root_cause": {"category": "config_change",
                                "resource": ["orders/orders-api", "orders-api", "/orders/prod/db-password"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.readme = dict(
        category="config_change", accepted="orders/orders-api (parameter /orders/prod/db-password)",
        decoys="'Access denied' wording (looks like a permission problem); orders-worker deploy 2.5 h earlier; "
               "report_ro aborted connections all day; DB connections fall (symptom)",
        story="An engineer rotated the orders database password in SSM (PutParameter, version 8) but the MySQL "
              "user's password was never changed. orders-api (.NET 8) re-reads the parameter when its pooled "
              "connections expire (15 min lifetime), so over a quarter of an hour more and more new connections "
              "fail with MySqlException Access denied for user 'orders_svc' (using password: YES) until almost "
              "every request is a 500.")
    return sc


# =========================================================================== h8-11 connection leak


def logback(t: float, level: str, thread: str, logger: str, msg: str) -> str:
    w = wall(t)
    return f"{w.strftime('%Y-%m-%d %H:%M:%S')}.{w.microsecond // 1000:03d} [{thread}] {level:<5} {logger} - {msg}"


def connection_leak(seed: int) -> Scenario:
    sc = Scenario("h8-11-loyalty-db-connection-leak", "us-east-2",
                  "rewards-api Errors alarm; app shows 'points balance unavailable'.", seed)
    r = sc.rng
    host = "loyalty-db.c7hq2m4xv9ab.us-east-2.rds.amazonaws.com"
    leak_from, full = -13200, -1620
    sc.resource("lambda", "rewards-api", runtime="python3.12", timeout=10, memory_size=512,
                environment={"DB_HOST": host, "DB_NAME": "loyalty", "POOL": "none"})
    sc.resource("ecs", "loyalty/points-accrual", cluster="loyalty", task_definition="points-accrual:64",
                desired_count=2, cpu=1024, memory=2048, launch_type="FARGATE")
    sc.resource("rds", "loyalty-db", engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large",
                max_connections=300, allocated_storage_gb=150)
    base = 58 + 6 * np.sin(T / 2400.0)
    leak = 242 * ramp(leak_from, full) ** 1.15
    conns = np.minimum(300, base + leak + r.g.normal(0, 2.5, N))
    conns = np.where(T >= full, np.minimum(300, 297 + r.g.integers(0, 4, N)), conns)
    rds(sc, "loyalty-db", cpu=noisy(r, 19 + 6 * ramp(leak_from, full), 0.1), conns=np.round(conns),
        free_storage=np.round(noisy(r, 96e9, 0.0004), -6), read_lat=noisy(r, 0.0012, 0.2),
        write_lat=noisy(r, 0.0021, 0.2), freeable_mem=np.round(noisy(r, 3.9e9 - 0.6e9 * leak / 242, 0.015), -6))
    ecs(sc, "loyalty", "points-accrual", cpu=noisy(r, 17, 0.1, 0, 100), mem=noisy(r, 52 + 9 * ramp(leak_from, 0), 0.02),
        running=np.full(N, 2.0))
    at_limit = (conns >= 296).astype(float)
    inv = counts(r, 36 * wave(r, 9000, 0.12))
    err = np.array([r.g.binomial(int(n), 0.83 * a) for n, a in zip(inv, at_limit)], dtype=float)

    def ok(rng, rid, t, i):
        lines = [(0.01, py("INFO", rid, t, f"GET /v1/members/{rng.i(10 ** 7, 10 ** 8)}/balance"))]
        if rng.u() < 0.07:
            lines.append((0.02, py("WARNING", rid, t, "X-Client-Version header missing, assuming 5.x")))
        return lines, None, None

    def fail(rng, rid, t, i):
        tb = ("[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
              '  File "/var/task/app.py", line 27, in handler\n    conn = db.connect()\n'
              '  File "/var/task/loyalty/db.py", line 19, in connect\n'
              '    return pymysql.connect(host=os.environ["DB_HOST"], user=USER, password=_password(), '
              'database="loyalty", connect_timeout=3)\n'
              '  File "/var/task/pymysql/connections.py", line 361, in __init__\n    self.connect()\n'
              '  File "/var/task/pymysql/connections.py", line 669, in connect\n    self._request_authentication()\n'
              '  File "/var/task/pymysql/err.py", line 150, in raise_mysql_exception\n'
              '    raise errorclass(errno, errval)')
        return [(0.01, py("INFO", rid, t, f"GET /v1/members/{rng.i(10 ** 7, 10 ** 8)}/balance")),
                (0.03, "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
                       "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. For "
                       "functions using managed runtimes, runtime updates can be triggered by a function change, or "
                       "can be applied automatically. To determine if the runtime has been updated, check the "
                       "runtime version in the INIT_START log entry. If this error correlates with a change in the "
                       "runtime version, you may be able to mitigate this error by temporarily rolling back to the "
                       "previous runtime version. For more information, see "
                       "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"),
                (0.04, tb)], rng.u(25, 60), None

    lambda_function(sc, "rewards-api", inv=inv, err=err, dur_ms=85, ok=ok, fail=fail, memory_size=512,
                    mem_used=(72, 90), log_from=-7200, streams=3)
    ev = []
    for tid in (r.hex(32), r.hex(32)):
        for t in np.arange(-21600 + r.u(0, 20), 0, 20.0):
            i = int((t + 21600) // 60)
            ev_t = t
            ev.append((ev_t, logback(t, "INFO", f"sqs-listener-{r.i(1, 8)}", "c.l.a.AccrualConsumer",
                                     f"accrued {r.i(1, 40)} points member={r.i(10 ** 7, 10 ** 8)} "
                                     f"source=pos-{r.i(100, 999)}")))
            if T[i] >= leak_from and r.u() < 0.08:
                ev.append((t + 2, logback(t + 2, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.ProxyLeakTask",
                                       "Connection leak detection triggered for com.mysql.cj.jdbc.ConnectionImpl@"
                                       f"{r.hex(8)} on thread audit-writer-{r.i(1, 8)}, stack trace follows\n"
                                       "java.lang.Exception: Apparent connection leak detected\n"
                                       "\tat com.loyalty.accrual.audit.AuditWriter.write(AuditWriter.java:44)\n"
                                       "\tat com.loyalty.accrual.AccrualConsumer.onMessage(AccrualConsumer.java:91)")))
            if at_limit[i] and r.u() < 0.5:
                ev.append((t + 3, logback(t + 3, "ERROR", f"sqs-listener-{r.i(1, 8)}", "c.l.a.AccrualConsumer",
                                       "accrual failed, message returned to queue: java.sql."
                                       "SQLNonTransientConnectionException: Too many connections")))
        sc.log("/ecs/points-accrual", f"ecs/points-accrual/{tid}", ev)
        ev = []
    sc.change(-9300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "rewards-api", "github-actions")
    sc.alarm("rewards-api-errors", "AWS/Lambda", "Errors", {"FunctionName": "rewards-api"}, stat="Sum", period=60,
             evals=3, threshold=10, onset=full)
    sc.expect = {"alarm": "rewards-api-errors",
                 "root_cause": {"category": "db_connection_exhaustion",
                                "resource": ["loyalty-db", "loyalty/points-accrual", "points-accrual"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": "loyalty-db"}}]}
    sc.readme = dict(
        category="db_connection_exhaustion", accepted="loyalty-db (leak in loyalty/points-accrual)",
        decoys="rewards-api deploy 2.6 h earlier (healthy since); constant X-Client-Version WARNING; "
               "DB CPU barely moves",
        story="points-accrual (Java on ECS) leaks a MySQL connection per audit write (Hikari leak detection "
              "warns about it). Over ~3 h DatabaseConnections on loyalty-db climbed from ~60 to its "
              "max_connections of 300; since then the innocent rewards-api Lambda, which connects per request, "
              "fails with (1040, 'Too many connections').")
    return sc
