"""h58-11 (unhandled currency code after a DB maintenance reboot) and h58-12 (Java 21 image rollout)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import gunicorn, pg, spring


# =========================================================================== 11
def s11() -> Scenario:
    sc = Scenario(11, "invoice-api-currency", "Invoice API returning 500s; target 5XX alarm on the "
                  "payments front load balancer.", "eu-west-3", 5811, "2026-05-28T13:10:00+00:00")
    M = -1700            # pending maintenance applied (minor engine upgrade, reboot)
    R0, R1 = -1640, -1530
    K = -1380            # first KeyError
    lb, cl, svc, db = "app/pay-front/6a3d9f1c7e2b5084", "fin", "invoice-api", "fin-pg"
    sc.resource("alb", lb, name="pay-front", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", desired_count=4, launch_type="FARGATE", image="invoice-api:2026.05.2")
    sc.resource("rds", db, engine="postgres", engine_version="15.7", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=300)
    rb = lambda t: R0 <= t < R1  # noqa: E731
    req = sc.series(lambda t: 520 * diurnal(sc, t, 13), integer=True)
    t5 = sc.series(lambda t: 0.3 + (40 if rb(t) else 0) + 13 * ramp(t, K, K + 60), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.09 + (0.5 if rb(t) else 0), noise=0.1, digits=4), t5,
                  sc.series(lambda t: 0.2, integer=True), B.flat(4), B.flat(0))
    B.ecs_metrics(sc, cl, svc, sc.series(lambda t: 24 * diurnal(sc, t, 13), noise=0.07), sc.series(lambda t: 51, noise=0.02))
    conns = sc.series(lambda t: None if rb(t) else 46 - 30 * ramp(t, R1, R1 + 60) + 30 * ramp(t, R1 + 30, R1 + 200), integer=True)
    B.rds_metrics(sc, db, sc.series(lambda t: None if rb(t) else 17 + bump(t, R1, R1 + 120, 15, 30), noise=0.08),
                  [0.0 if (v is None and t < R1) else v for t, v in zip(GRID, conns)],
                  sc.series(lambda t: None if rb(t) else 188.0, noise=0.0003),
                  sc.series(lambda t: None if rb(t) else 0.0012, noise=0.1, digits=5),
                  sc.series(lambda t: None if rb(t) else (5.1 if t < R0 else 6.3), noise=0.01))

    lg = "/ecs/invoice-api"
    streams = [f"django/invoice-api/{B.ecs_task_id(sc)}" for _ in range(4)]
    tb = ("Internal Server Error: /api/v2/invoices\nTraceback (most recent call last):\n"
          '  File "/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py", line 55, in inner\n'
          "    response = get_response(request)\n"
          '  File "/usr/local/lib/python3.12/site-packages/django/core/handlers/base.py", line 197, in _get_response\n'
          "    response = wrapped_callback(request, *callback_args, **callback_kwargs)\n"
          '  File "/app/invoices/api/views.py", line 118, in create\n    totals = pricing.totals(invoice)\n'
          '  File "/app/invoices/services/pricing.py", line 44, in totals\n    eur = self.fx.to_eur(line.amount, invoice.currency)\n'
          '  File "/app/invoices/services/fx.py", line 61, in to_eur\n    rate = self._rates[currency]\n'
          "           ~~~~~~~~~~~^^^^^^^^^^\nKeyError: 'XCG'")

    def pylog(t, level, name, msg):
        return f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')},{sc.at(t).microsecond // 1000:03d} {level} {name} {msg}"

    def access(t, status, path="/api/v2/invoices", method="POST"):
        return (f'{sc.ip("10.50")} - - [{sc.at(t).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
                f'{status} {sc.rng.randint(90, 4000)} "-" "python-requests/2.32.3"')

    def line(t):
        r = sc.rng.random()
        if rb(t) and r < 0.6:
            return [(0, pylog(t, "ERROR", "django.request", "Internal Server Error: /api/v2/invoices\n"
                              "django.db.utils.OperationalError: connection to server at \"fin-pg.cx81mq2ha7de.eu-west-3.rds."
                              "amazonaws.com\" (10.50.8.21), port 5432 failed: Connection refused\n\tIs the server running on "
                              "that host and accepting TCP/IP connections?")), (0.001, access(t, 500))]
        if t >= K and r < 0.1:
            return [(0, pylog(t, "ERROR", "django.request", tb)), (0.001, access(t, 500))]
        if r > 0.94:
            return pylog(t, "ERROR", "django.security.DisallowedHost", f"Invalid HTTP_HOST header: '{sc.ip('13.38')}'. "
                         "You may need to add it to ALLOWED_HOSTS.")
        if r > 0.9:
            return [(0, pylog(t, "WARNING", "django.request", "Not Found: /.env")), (0.001, access(t, 404, "/.env", "GET"))]
        return access(t, sc.rng.choice([200, 201, 200]), sc.rng.choice(["/api/v2/invoices", "/api/v2/invoices/search"]),
                      sc.rng.choice(["POST", "GET"]))
    for st in streams:
        B.emit(sc, lg, st, lambda t: 3.0, line)
        B.every(sc, lg, st, 1800, lambda t: gunicorn(sc, t, 1, "INFO", f"Worker exiting (pid: {sc.rng.randint(20, 90)})"
                                                     " after max_requests, spawning replacement"))

    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    B.every(sc, rg, rs, 300, lambda t: None if rb(t) else pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(300, 2000)} "
                                                             f"buffers ({sc.rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added", pid=402))
    for dt, msg in [(0, "received fast shutdown request"), (0.4, "aborting any active transactions"),
                    (2.1, "background worker \"logical replication launcher\" (PID 611) exited with exit code 1"),
                    (3.5, "shutting down"), (5.2, "database system is shut down")]:
        sc.log(rg, rs, R0 + dt, pg(sc, R0 + dt, "LOG", msg, pid=398))
    for dt, msg in [(0, "starting PostgreSQL 15.7 on aarch64-unknown-linux-gnu, compiled by gcc (GCC) 7.3.1 20180712 (Red Hat 7.3.1-17), 64-bit"),
                    (0.2, "listening on IPv4 address \"0.0.0.0\", port 5432"),
                    (1.9, "database system was shut down at " + sc.at(R0 + 5).strftime("%Y-%m-%d %H:%M:%S") + " UTC"),
                    (2.4, "database system is ready to accept connections")]:
        sc.log(rg, rs, R1 - 10 + dt, pg(sc, R1 - 10 + dt, "LOG", msg, pid=402))

    sc.change(M, "rds.amazonaws.com", "ApplyPendingMaintenanceAction", "AWS::RDS::DBInstance", db, "dba-lefebvre")
    sc.change(-13900, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "gitlab-deployer")
    sc.alarm("pay-front-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Invoice API 5xx")
    sc.alarm("fin-pg-connections-low", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Minimum", 60, 1, 5,
             "LessThanThreshold")
    sc.expect = {"alarm": "pay-front-target-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc


# =========================================================================== 12
def s12() -> Scenario:
    sc = Scenario(12, "adjudication-jdk21", "Claims adjudication failing; target 5XX alarm on the "
                  "claims gateway.", "ca-central-1", 5812, "2026-03-24T17:35:00+00:00")
    D = -2700            # image with Java 21 base rolled out
    lb, cl, svc, db = "app/claims-gw/2b7e4c9a1f3d6058", "claims", "adjudication-svc", "claims-db"
    sc.resource("alb", lb, name="claims-gw", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", desired_count=4, launch_type="FARGATE", image="adjudication-svc:4.12.0")
    sc.resource("ecs", f"{cl}/doc-indexer", desired_count=3, launch_type="FARGATE", image="doc-indexer:1.3.9")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)
    share = lambda t: ramp(t, D + 60, D + 330)  # noqa: E731  fraction of tasks on the new image
    req = sc.series(lambda t: 610 * diurnal(sc, t, 17), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.21, noise=0.08, digits=4),
                  sc.series(lambda t: 0.6 + 46 * share(t), integer=True), sc.series(lambda t: 0.1, integer=True),
                  [4.0 + (1 if D + 60 <= t < D + 330 else 0) for t in GRID], B.flat(0))
    B.ecs_metrics(sc, cl, svc, sc.series(lambda t: 29 + bump(t, D + 60, D + 330, 20, 30), noise=0.07),
                  sc.series(lambda t: 55 - 7 * share(t), noise=0.02))
    B.ecs_metrics(sc, cl, "doc-indexer", sc.series(lambda t: 61 - 18 * ramp(t, -2450, -2300), noise=0.07),
                  sc.series(lambda t: 40, noise=0.02))
    B.rds_metrics(sc, db, sc.series(lambda t: 22 + bump(t, -6300, -5500, 45, 200), noise=0.08),
                  sc.series(lambda t: 120, integer=True), sc.series(lambda t: 231.0, noise=0.0003),
                  sc.series(lambda t: 0.0011, noise=0.1, digits=5), sc.series(lambda t: 11.0, noise=0.01))

    lg, app = "/ecs/adjudication-svc", "adjudication-svc"
    old = [f"svc/adjudication-svc/{B.ecs_task_id(sc)}" for _ in range(3)]
    new = [f"svc/adjudication-svc/{B.ecs_task_id(sc)}" for _ in range(3)]
    exc = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing "
           "failed: com.thoughtworks.xstream.converters.ConversionException: No converter available\n---- Debugging "
           "information ----\nmessage : No converter available\ntype : java.util.TreeMap\nconverter : "
           "com.thoughtworks.xstream.converters.reflection.ReflectionConverter\nmessage[1] : Unable to make field private "
           "final java.util.Comparator java.util.TreeMap.comparator accessible: module java.base does not \"opens "
           "java.util\" to unnamed module @5a2e4553\n-------------------------------] with root cause\n"
           "java.lang.reflect.InaccessibleObjectException: Unable to make field private final java.util.Comparator "
           "java.util.TreeMap.comparator accessible: module java.base does not \"opens java.util\" to unnamed module "
           "@5a2e4553\n\tat java.base/java.lang.reflect.AccessibleObject.throwInaccessibleObjectException(AccessibleObject.java:391)\n"
           "\tat com.thoughtworks.xstream.core.util.Fields.locate(Fields.java:40)\n"
           "\tat ca.claims.rules.RuleSnapshotCodec.decode(RuleSnapshotCodec.java:57)\n"
           "\tat ca.claims.adjudication.AdjudicationService.adjudicate(AdjudicationService.java:142)")

    def line(is_new):
        def f(t):
            th = f"http-nio-8080-exec-{sc.rng.randint(1, 60)}"
            r = sc.rng.random()
            cid = f"CLM-{sc.rng.randint(10 ** 6, 10 ** 7)}"
            if is_new and r < 0.09:
                return spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", exc, app)
            if r > 0.985:
                return spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] threw exception\norg.apache.catalina.connector."
                              "ClientAbortException: java.io.IOException: Broken pipe", app)
            if r > 0.95:
                return spring(sc, t, "WARN", th, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                              "SQL Warning Code: 1287, SQLState: HY000 ('VALUES function' is deprecated)", app)
            return spring(sc, t, "INFO", th, "c.c.adjudication.AdjudicationController",
                          f"{sc.rng.choice(['POST /claims/%s/adjudicate', 'GET /claims/%s', 'GET /claims/%s/documents'])}"
                          % cid + f" -> 200 ({sc.rng.randint(20, 240)} ms)", app)
        return f
    for i, st in enumerate(old):
        stop = D + 120 + 90 * i
        B.emit(sc, lg, st, lambda t: 3, line(False), t1=stop)
        sc.log(lg, st, stop, spring(sc, stop, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                                    "Commencing graceful shutdown. Waiting for active requests to complete", app))
    for i, st in enumerate(new):
        t0 = D + 60 + 90 * i
        sc.log(lg, st, t0, spring(sc, t0, "INFO", "main", "c.c.adjudication.AdjudicationApplication",
                                  "Starting AdjudicationApplication v4.12.0 using Java 21.0.4 with PID 1", app))
        sc.log(lg, st, t0 + 9, spring(sc, t0 + 9, "INFO", "main", "c.c.adjudication.AdjudicationApplication",
                                      "Started AdjudicationApplication in 8.904 seconds (process running for 9.6)", app))
        B.emit(sc, lg, st, lambda t: 3, line(True), t0=t0 + 10)

    ig = "/ecs/doc-indexer"
    for st in [f"idx/doc-indexer/{B.ecs_task_id(sc)}" for _ in range(2)]:
        B.emit(sc, ig, st, lambda t: 1.5, lambda t: f"{sc.iso(t)} INFO  indexed claim document "
                                                  f"{sc.hexid(16)}.pdf pages={sc.rng.randint(1, 30)}")

    B.ecs_deploy(sc, D, cl, svc, "gh-actions-deployer")
    sc.change(-2450, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/doc-indexer",
              "application-autoscaling.amazonaws.com")
    sc.change(-16200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/doc-indexer", "gh-actions-deployer")
    sc.alarm("claims-gw-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Claims gateway 5xx")
    sc.alarm("claims-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "claims-gw-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
