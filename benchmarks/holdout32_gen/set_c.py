"""Scenarios 09-12: Lambda .NET OOM, RDS storage full, Lambda Node timeout, ALB/ECS traffic surge."""
from . import common as c
from .set_b import py_line


def s09(seed=3209):
    r = c.rng_for(seed)
    reg = "ca-central-1"
    T0 = -2040
    big = lambda t: t >= T0
    inv = lambda t, rr: 48 + rr.gauss(0, 4)
    metrics = c.lambda_metrics(r, "statement-builder", inv, lambda t, rr: (inv(t, rr) * 0.6) if big(t) else 0,
                               lambda t, rr: (19000 + rr.gauss(0, 2500)) if big(t) else 2400 + rr.gauss(0, 200))
    metrics += c.lambda_metrics(r, "statement-mailer", lambda t, rr: 30 + rr.gauss(0, 3), lambda t, rr: 0,
                                lambda t, rr: 310 + rr.gauss(0, 20))
    metrics += c.lambda_metrics(r, "ledger-archiver", lambda t, rr: 12 + rr.gauss(0, 1), lambda t, rr: rr.gauss(4, 1),
                                lambda t, rr: 900 + rr.gauss(0, 60))

    def handler(t, rr, q):
        acct = f"CA-{rr.randint(10**6, 10**7)}"
        if big(t):
            n = rr.randint(38000, 95000)
            lines = [f"{c.iso(t)}\t{q}\tinfo\tBuilding statement account={acct} period=2026-11 transactions={n} format=PDF"]
            if rr.random() < 0.6:
                if rr.random() < 0.25:
                    lines.append(f"{c.iso(t + 8)}\t{q}\tfail\tSystem.OutOfMemoryException: Exception of type "
                                 "'System.OutOfMemoryException' was thrown.\n   at System.IO.MemoryStream.set_Capacity(Int32 value)\n"
                                 "   at System.IO.MemoryStream.EnsureCapacity(Int32 value)\n"
                                 "   at Statements.Pdf.StatementRenderer.Render(Statement s) in /src/Statements/Pdf/StatementRenderer.cs:line 118\n"
                                 "   at Statements.Function.FunctionHandler(SQSEvent evt, ILambdaContext ctx) in /src/Statements/Function.cs:line 52")
                    return lines, rr.uniform(9000, 20000), 1024, None
                return lines, rr.uniform(12000, 30000), 1024, "killed"
            lines.append(f"{c.iso(t)}\t{q}\tinfo\tStatement {acct} rendered pages={n // 60} bytes={n * 410}")
            return lines, rr.uniform(15000, 25000), rr.randint(880, 1010), None
        n = rr.randint(40, 2600)
        return ([f"{c.iso(t)}\t{q}\tinfo\tBuilding statement account={acct} period=2026-11 transactions={n} format=PDF",
                 f"{c.iso(t)}\t{q}\tinfo\tStatement {acct} rendered pages={max(1, n // 60)} bytes={n * 410}"],
                rr.uniform(1600, 3200), rr.randint(310, 470), None)
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.25, handler, 1024)
    ev.append([T0 - 60.0, f"{c.iso(T0 - 60)}\t-\tinfo\tSQS batch source switched to queue statements-monthly (month-end run)"])
    ev.sort(key=lambda e: e[0])

    def mailer(t, rr, q):
        return [py_line("INFO", q, f"sent statement e-mail to customer #{rr.randint(1, 99999)}")], rr.uniform(250, 380), 96, None
    m_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.12, mailer, 256)

    def archiver(t, rr, q):
        if rr.random() < 0.33:
            return [py_line("ERROR", q, "botocore.exceptions.ClientError: An error occurred (InvalidObjectState) when calling "
                                        "the GetObject operation: The operation is not valid for the object's storage class")], \
                rr.uniform(700, 1100), 140, None
        return [py_line("INFO", q, "archived 200 ledger rows to glacier tier")], rr.uniform(700, 1100), 140, None
    a_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.2, archiver, 512)
    logs = [c.log("/aws/lambda/statement-builder", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/lambda/statement-mailer", "2026/11/20/[$LATEST]" + c.hexid(r), m_ev),
            c.log("/aws/lambda/ledger-archiver", "2026/11/20/[$LATEST]" + c.hexid(r), a_ev)]
    res = [{"type": "lambda", "id": "statement-builder", "properties": {"runtime": "dotnet8", "timeout": 60, "memory_size": 1024}},
           {"type": "lambda", "id": "statement-mailer", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
           {"type": "lambda", "id": "ledger-archiver", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 512}}]
    changes = [c.change(-2340, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                        "statement-mailer", "cdk-deploy")]
    alarms = [c.alarm("statement-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-builder"}, "Sum", 60, 3, 5,
                      T0 + 180),
              c.alarm("ledger-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-archiver"}, "Sum", 300, 1, 10,
                      -17400, description="Archiver errors (known issue FIN-1907)")]
    exp = c.expect("statement-builder-errors", "memory_exhaustion", ["statement-builder"],
                   [c.anomaly("AWS/Lambda", "Errors", {"FunctionName": "statement-builder"})])
    return c.scenario("h32-09-lambda-dotnet-oom", "Month-end statements failing; statement-builder Errors alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s10(seed=3210):
    r = c.rng_for(seed)
    reg = "eu-west-2"
    T0 = -1620
    GB = 1024 ** 3
    full = lambda t: t >= T0
    free = lambda t, rr: 0 if full(t) else max(0.0, c.ramp(t, -21600, T0, 21.5 * GB, 0.0) + rr.gauss(0, 3e7))
    metrics = c.rds_metrics(r, "telemetry-pg", lambda t, rr: 41 + rr.gauss(0, 3) - (12 if full(t) else 0),
                            lambda t, rr: 62 + rr.gauss(0, 3), free,
                            lambda t, rr: 0.0019 + rr.gauss(0, 0.0002), lambda t, rr: 3.1e9 + rr.gauss(0, 2e7))
    metrics += c.rds_metrics(r, "billing-pg", lambda t, rr: 22 + rr.gauss(0, 2),
                             lambda t, rr: (140 + rr.gauss(0, 10)) if -1800 <= t < -1500 else 35 + rr.gauss(0, 3),
                             lambda t, rr: 160 * GB, lambda t, rr: 0.001, lambda t, rr: 6e9 + rr.gauss(0, 2e7))
    inv = lambda t, rr: 600 + rr.gauss(0, 20)
    metrics += c.lambda_metrics(r, "metrics-ingest", inv, lambda t, rr: (inv(t, rr) * 0.95) if full(t) else 0,
                                lambda t, rr: 140 + rr.gauss(0, 15))
    metrics += c.lambda_metrics(r, "dashboard-api", lambda t, rr: 200 + rr.gauss(0, 10), lambda t, rr: rr.choice([0, 0, 1]),
                                lambda t, rr: 90 + rr.gauss(0, 8))

    def handler(t, rr, q):
        dev = f"dev-{c.hexid(rr, 8)}"
        if full(t):
            rel = rr.randint(16401, 16420)
            return ([py_line("ERROR", q, f"ingest batch failed for {dev}: psycopg2.errors.DiskFull: could not extend file "
                                         f"\"base/16401/{rel}8.14\": No space left on device\nHINT:  Check free disk space.")],
                    rr.uniform(60, 160), 140, None)
        return [py_line("INFO", q, f"inserted {rr.randint(200, 500)} samples for {dev}")], rr.uniform(80, 200), 138, None
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.45, handler, 512)
    pg = c.periodic(c.H3, 0, 300, lambda t: f"{c.stamp(t)} UTC::@:[611]:LOG:  checkpoint complete: wrote 3120 buffers "
                                            "(2.4%); 0 WAL file(s) added, 0 removed, 2 recycled")
    pg += c.periodic(-5400, T0, 600, lambda t: f"{c.stamp(t)} UTC::@:[1733]:LOG:  automatic vacuum of table "
                                               "\"telemetry.public.samples\": index scans: 0, pages: 0 removed, 4113902 remain")
    pg += c.periodic(T0, 0, 6, lambda t: f"{c.stamp(t)} UTC:10.60.2.{int(t) % 50 + 10}(5{int(t) % 900 + 100}):ingest@telemetry:"
                                         f"[{int(t) % 7000 + 20000}]:ERROR:  could not extend file \"base/16401/164118.14\": "
                                         "No space left on device", r)
    pg += [[T0 + 30.0, f"{c.stamp(T0 + 30)} UTC::@:[611]:LOG:  could not write to file \"pg_wal/xlogtemp.611\": No space left on device"]]
    pg += [[T0 + 10.0, "RDS-EVENT-0007 Allocated storage has been exhausted. Allocate additional storage to resolve the issue."]]

    def dash(t, rr, q):
        return [py_line("INFO", q, f"GET /panels/{rr.randint(1, 80)} 200")], rr.uniform(40, 140), 120, None
    d_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.1, dash, 256)
    logs = [c.log("/aws/lambda/metrics-ingest", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/rds/instance/telemetry-pg/postgresql", "telemetry-pg.0", c.merge(pg)),
            c.log("/aws/lambda/dashboard-api", "2026/11/20/[$LATEST]" + c.hexid(r), d_ev)]
    res = [{"type": "rds", "id": "telemetry-pg", "properties": {"engine": "postgres", "instance_class": "db.r6g.large",
                                                               "max_connections": 800, "allocated_storage_gb": 200,
                                                               "max_allocated_storage_gb": 200}},
           {"type": "rds", "id": "billing-pg", "properties": {"engine": "postgres", "instance_class": "db.t4g.large",
                                                             "max_connections": 400, "allocated_storage_gb": 200}},
           {"type": "lambda", "id": "metrics-ingest", "properties": {"runtime": "python3.11", "timeout": 30, "memory_size": 512}},
           {"type": "lambda", "id": "dashboard-api", "properties": {"runtime": "python3.11", "timeout": 10, "memory_size": 256}}]
    changes = [c.change(-1980, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "dashboard-api",
                        "github-actions"),
               c.change(-9000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "billing-pg-params",
                        "dba-marta")]
    alarms = [c.alarm("metrics-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": "metrics-ingest"}, "Sum", 60, 3, 20,
                      T0 + 180)]
    exp = c.expect("metrics-ingest-errors", "storage_exhaustion", ["telemetry-pg"],
                   [c.anomaly("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "telemetry-pg"})])
    return c.scenario("h32-10-lambda-rds-storage-full", "Telemetry ingest failing; Errors alarm on the ingest function.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s11(seed=3211):
    r = c.rng_for(seed)
    reg = "sa-east-1"
    T0, TO = -2100, 15000.0
    slow = lambda t: t >= T0
    inv = lambda t, rr: 36 + rr.gauss(0, 3)
    frac = 0.7
    metrics = c.lambda_metrics(r, "report-renderer", inv, lambda t, rr: (inv(t, rr) * frac) if slow(t) else 0,
                               lambda t, rr: (13800 + rr.gauss(0, 500)) if slow(t) else 2100 + rr.gauss(0, 200),
                               conc_fn=lambda t, rr: (9 + rr.gauss(0, 1)) if slow(t) else 1.5 + rr.uniform(0, 1))
    metrics += c.lambda_metrics(r, "report-scheduler", lambda t, rr: 1 if t % 300 == 0 else 0, lambda t, rr: 0,
                                lambda t, rr: 800 if t % 300 == 0 else None)

    def handler(t, rr, q):
        rng = "365d" if slow(t) and rr.random() < 0.85 else rr.choice(["7d", "30d", "30d", "90d"])
        rows = {"7d": 9000, "30d": 38000, "90d": 110000, "365d": 460000}[rng] + rr.randint(0, 5000)
        lines = [f"{c.iso(t)}\t{q}\tINFO\trendering report tenant=br-{rr.randint(100, 999)} range={rng} rows={rows}"]
        if rr.random() < 0.3:
            lines.append(f"{c.iso(t)}\t{q}\tWARN\t(node:8) [DEP0005] DeprecationWarning: Buffer() is deprecated due to "
                         "security and usability issues.")
        if rng == "365d" and rr.random() < 0.82:
            lines.append(f"{c.iso(t + 2)}\t{q}\tINFO\tquery done rows={rows} in 1840ms; building pivot + xlsx (cpu bound)")
            return lines, TO + rr.uniform(0, 30), rr.randint(700, 900), "timeout"
        d = rows / 35.0 + rr.uniform(300, 700)
        lines.append(f"{c.iso(t + 2)}\t{q}\tINFO\tquery done rows={rows} in {rr.randint(200, 1800)}ms")
        lines.append(f"{c.iso(t + d / 1000)}\t{q}\tINFO\treport uploaded s3://br-reports/{c.hexid(rr, 12)}.xlsx")
        return lines, min(d, TO - 100), rr.randint(300, 700), None
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.3, handler, 1024)

    def sched(t, rr, q):
        return [f"{c.iso(t)}\t{q}\tINFO\tenqueued {rr.randint(3, 12)} scheduled reports"], rr.uniform(600, 1000), 90, None
    s_ev = c.lambda_events(r, c.H3, 0, lambda t: 1 / 300.0, sched, 256)
    s_ev.append([-2500.0, f"{c.iso(-2500)}\tINFO\treport-scheduler v3.2.0 cold start (feature: pt-BR holiday calendar)"])
    s_ev.sort(key=lambda e: e[0])
    logs = [c.log("/aws/lambda/report-renderer", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/lambda/report-scheduler", "2026/11/20/[$LATEST]" + c.hexid(r), s_ev)]
    res = [{"type": "lambda", "id": "report-renderer", "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 1024}},
           {"type": "lambda", "id": "report-scheduler", "properties": {"runtime": "nodejs20.x", "timeout": 30, "memory_size": 256}}]
    changes = [c.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "report-scheduler", "serverless-deploy"),
               c.change(-2510, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                        "report-scheduler", "serverless-deploy")]
    alarms = [c.alarm("report-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": "report-renderer"}, "Sum", 60, 3, 5,
                      T0 + 180)]
    exp = c.expect("report-renderer-errors", "function_timeout", ["report-renderer"],
                   [c.anomaly("AWS/Lambda", "Duration", {"FunctionName": "report-renderer"})])
    return c.scenario("h32-11-lambda-node-timeout", "Report exports failing in São Paulo; Errors alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s12(seed=3212):
    r = c.rng_for(seed)
    reg = "eu-west-3"
    lb = "app/tickets-alb/3f9a1c7e5b2d4068"
    T0 = -1500
    surge = lambda t: t >= T0
    req = lambda t, rr: (c.ramp(t, T0, T0 + 240, 3100, 17500) + rr.gauss(0, 500)) if surge(t) else 3100 * c.diurnal(t, 0.08) + rr.gauss(0, 90)
    metrics = c.alb_metrics(r, lb, req, lambda t, rr: (2.4 + rr.gauss(0, 0.4)) if surge(t) else 0.15 + rr.gauss(0, 0.015),
                            lambda t, rr: rr.choice([0, 1]) + (rr.gauss(260, 40) if surge(t) else 0),
                            lambda t, rr: (rr.gauss(900, 150)) if surge(t) else rr.choice([0, 0, 1]), healthy=6)
    metrics += c.ecs_metrics(r, "tickets", "booking-web", lambda t, rr: (68 + rr.gauss(0, 4)) if surge(t) else 24 + rr.gauss(0, 2),
                             lambda t, rr: (63 + rr.gauss(0, 2)) if surge(t) else 47 + rr.gauss(0, 1), lambda t, rr: 6)
    metrics += c.ecs_metrics(r, "tickets", "admin-portal", lambda t, rr: 8 + rr.gauss(0, 1), lambda t, rr: 30 + rr.gauss(0, 1),
                             lambda t, rr: 1)
    metrics += c.lambda_metrics(r, "tickets-mailer", lambda t, rr: (800 + rr.gauss(0, 40)) if -2400 <= t < -2100 else 40 + rr.gauss(0, 4),
                                lambda t, rr: 0, lambda t, rr: 210 + rr.gauss(0, 10))
    paths = ["/api/events/8841/availability", "/api/events/8841/seats", "/api/cart", "/api/events/8841"]

    def access(t, rr):
        ip = f"{rr.randint(2, 220)}.{rr.randint(0, 255)}.{rr.randint(0, 255)}.{rr.randint(1, 254)}"
        if surge(t):
            st = rr.choices([200, 503, 504], [0.86, 0.1, 0.04])[0]
            rt = rr.uniform(0.8, 5.0) if st == 200 else (rr.uniform(0.001, 0.01) if st == 503 else 10.0)
            ref = "https://www.tickets.example/fr/evenement/8841?utm_source=newsletter&utm_campaign=onsale_stade"
            path = rr.choice(paths)
        else:
            st, rt, ref = 200, rr.uniform(0.05, 0.3), "https://www.tickets.example/fr/"
            path = rr.choice(paths + ["/api/events", "/api/account"])
        return [f"{ip} - - [{c.stamp(t, '%d/%b/%Y:%H:%M:%S +0000')}] \"GET {path} HTTP/1.1\" {st} {rr.randint(300, 9000)} "
                f"\"{ref}\" \"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)\" rt={rt:.3f}"]
    acc = c.app_events(r, c.H3, 0, lambda t: 1.4 if surge(t) else 0.3, access)
    app = c.periodic(c.H3, 0, 60, lambda t: (f"{c.iso(t)} WARN  [gunicorn] worker pool saturated: 48/48 busy, backlog 2048 "
                                             "(full), rejecting with 503") if surge(t) else
                     f"{c.iso(t)} INFO  [gunicorn] workers busy {r.randint(6, 14)}/48, backlog 0")
    app += c.periodic(T0 + 30, 0, 120, lambda t: f"{c.iso(t)} INFO  [autoscaling] booking-web at max capacity 6/6; "
                                                 "scale-out not possible (maxCapacity=6)")
    adm = [[-1740.0, f"{c.iso(-1740)} INFO  admin-portal 2.7.1 started (django 5.1, 1 worker)"]]
    adm += c.periodic(c.H3, 0, 600, lambda t: f"{c.iso(t)} INFO  session cleanup removed 12 rows")
    logs = [c.log("/ecs/booking-web/nginx", "nginx/booking-web/4c1e9a7b2d3f", acc),
            c.log("/ecs/booking-web/app", "app/booking-web/4c1e9a7b2d3f", c.merge(app)),
            c.log("/ecs/admin-portal", "app/admin-portal/99aa10bc", c.merge(adm))]
    res = [{"type": "alb", "id": lb, "properties": {"name": "tickets-alb"}},
           {"type": "ecs", "id": "tickets/booking-web", "properties": {"cluster": "tickets", "service": "booking-web",
                                                                      "desired_count": 6, "autoscaling_max": 6}},
           {"type": "ecs", "id": "tickets/admin-portal", "properties": {"cluster": "tickets", "service": "admin-portal"}},
           {"type": "lambda", "id": "tickets-mailer", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}}]
    changes = [c.change(-1760, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tickets/admin-portal", "gitlab-ci")]
    alarms = [c.alarm("tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
                      1.0, T0 + 240, description="Tickets storefront latency")]
    exp = c.expect("tickets-alb-latency", "traffic_surge",
                   ["tickets-alb", lb, "tickets/booking-web", "booking-web"],
                   [c.anomaly("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb})])
    return c.scenario("h32-12-alb-ecs-traffic-surge", "Ticket site very slow, some 503/504; ALB latency alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)
