"""Scenarios 05-08."""
import random

from .lib import (LOG_START, alarm, alb_metrics, apigw_metrics, change, clock, counts, diurnal,
                  ec2_metrics, ecs_metrics, hexid, iso, lambda_logs, lambda_metrics, lookup,
                  poisson_times, rds_metrics, rid, scenario, series, smooth, stream)


def _pg(t, host, pid, msg, user="ledger@ledger"):
    return "%s UTC:%s:%s:[%d]:%s" % (clock(t), host, user, pid, msg)


def s05():
    """Lambda deploy changes lock ordering; Postgres deadlocks."""
    r = random.Random(3305)
    reg, fn, db = "eu-central-1", "ledger-poster", "ledger-pg"
    dep = -2700
    onset = dep + 60
    inv = counts(r, lambda t: 18 * diurnal(t))
    err = [[t, float(sum(1 for _ in range(int(v)) if t >= onset and r.random() < 0.3))] for t, v in inv]
    dur = series(lambda t: r.gauss(340, 40) + (900 if t >= onset else 0))
    pg_ev = []

    def handler(t, q, fail, r):
        n = r.randint(5, 25)
        lines = [(0.003, "[INFO]\t%s\t%s\tposting batch of %d journal entries from sqs" % (iso(t), q, n))]
        if fail:
            a, b = r.randint(20000, 29999), r.randint(20000, 29999)
            x1, x2 = r.randint(9900000, 9999999), r.randint(9900000, 9999999)
            d = r.gauss(1300, 200)
            lines.append((d / 1000 - 0.01, "[ERROR] DeadlockDetected: deadlock detected\nDETAIL:  Process %d waits for ShareLock on transaction %d; blocked by process %d.\n"
                          "Process %d waits for ShareLock on transaction %d; blocked by process %d.\nHINT:  See server log for query details.\n"
                          "CONTEXT:  while updating tuple (%d,%d) in relation \"account_balances\"\n"
                          "Traceback (most recent call last):\n  File \"/var/task/poster/handler.py\", line 37, in handler\n    post_batch(conn, entries)\n"
                          "  File \"/var/task/poster/journal.py\", line 92, in post_batch\n    cur.execute(UPDATE_BALANCE, (e.amount, e.account_id))\n"
                          "psycopg2.errors.DeadlockDetected: deadlock detected" % (a, x1, b, b, x2, a, r.randint(100, 9999), r.randint(1, 60))))
            pg_ev.append((t + d / 1000 - 0.05, _pg(t + d / 1000 - 0.05, "10.30.%d.%d(%d)" % (r.randint(1, 6), r.randint(2, 250), r.randint(30000, 60000)), a,
                          "ERROR:  deadlock detected")))
            pg_ev.append((t + d / 1000 - 0.049, _pg(t + d / 1000 - 0.049, "10.30.2.17(41822)", a,
                          "DETAIL:  Process %d waits for ShareLock on transaction %d; blocked by process %d.\n\tProcess %d waits for ShareLock on transaction %d; blocked by process %d.\n"
                          "\tProcess %d: UPDATE account_balances SET balance = balance + $1 WHERE account_id = $2\n\tProcess %d: UPDATE account_balances SET balance = balance + $1 WHERE account_id = $2" % (a, x1, b, b, x2, a, a, b))))
            return lines, d, r.randint(95, 110), None
        d = max(120, r.gauss(340 if t < onset else 1250, 50))
        lines.append((d / 1000 - 0.01, "[INFO]\t%s\t%s\tposted %d entries, %d accounts touched" % (iso(t), q, n, r.randint(2, n))))
        return lines, d, r.randint(95, 110), None
    extra = [(dep + 50, "INIT_START Runtime Version: python:3.11.v45\tRuntime Version ARN: arn:aws:lambda:eu-central-1::runtime:77ab"),
             (dep + 50.5, "[INFO]\t%s\tledger-poster 3.8.0 (git 91d0e3f) starting; batch_size=25 isolation=READ COMMITTED" % iso(dep + 50.5))]
    logs = lambda_logs(r, fn, inv, err, handler, memory=512, extra=extra)
    for t in range(-21000, 0, 600):  # pre-existing loud-ish checkpoint warnings at a steady rate
        pg_ev.append((t + 3, "%s UTC::@:[412]:LOG:  checkpoints are occurring too frequently (%d seconds apart)" % (clock(t + 3), r.randint(18, 26))))
        pg_ev.append((t + 3.1, "%s UTC::@:[412]:HINT:  Consider increasing the configuration parameter \"max_wal_size\"." % clock(t + 3.1)))
        pg_ev.append((t + 40, "%s UTC::@:[%d]:LOG:  automatic vacuum of table \"ledger.public.journal_entries\": index scans: 1" % (clock(t + 40), r.randint(20000, 30000))))
    logs.append(stream("/aws/rds/instance/%s/postgresql" % db, "%s.0" % db, pg_ev))
    mets = lambda_metrics(fn, inv, err, dur)
    mets += rds_metrics(db, series(lambda t: r.gauss(22, 2), integer=True), series(lambda t: r.gauss(24, 3) + (4 if t >= onset else 0)),
                        series(lambda t: 171e9 - 1.5e6 * (t + 21600) / 60), series(lambda t: r.gauss(6.2e9, 4e7)))
    mets += rds_metrics("analytics-pg", series(lambda t: r.gauss(9, 1), integer=True), series(lambda t: r.gauss(12, 3)),
                        series(lambda t: 602e9), series(lambda t: r.gauss(12.1e9, 5e7)))
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.11", "timeout": 60, "memory_size": 512, "event_source": "sqs:ledger-journal"}},
           {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "15.7", "instance_class": "db.r6g.large", "max_connections": 1600, "allocated_storage_gb": 200}},
           {"type": "rds", "id": "analytics-pg", "properties": {"engine": "postgres", "instance_class": "db.r6g.xlarge", "allocated_storage_gb": 800}}]
    chg = [change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-ledger"),
           change(dep + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "ci-ledger"),
           change(dep + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "ci-ledger"),
           change(-5400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "analytics-pg", "dba-oncall")]
    al = [alarm("ledger-poster-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
                "GreaterThanThreshold", "ALARM", onset + 240, "ledger poster failures")]
    doc = scenario("h33-05-lambda-deploy-pg-deadlocks", "Journal postings failing and retrying; ledger-poster Errors alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "ledger-poster-errors", "root_cause": {"category": "bad_deployment", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    return ("h33-05-lambda-deploy-pg-deadlocks.yaml", doc,
            (reg, "ledger-poster-errors (Lambda Errors)", "bad_deployment", fn, "origin",
             "analytics-pg ModifyDBInstance 1.5 h before; steady checkpoint/autovacuum Postgres LOG lines; new INFO version banner"),
            "ledger-poster 3.8.0 was deployed (code + version + alias) 45 min ago. One minute later `psycopg2.errors.DeadlockDetected` "
            "tracebacks start in ~30 % of batches and ledger-pg's log shows matching `ERROR: deadlock detected` on concurrent "
            "`UPDATE account_balances` statements; none in the hours before. The database itself is healthy (22 connections, "
            "CPU ~25 %, storage ample), so it is not a dependency fault: the new release's write ordering makes concurrent batches "
            "deadlock. The checkpoint warnings are periodic and old; the analytics-pg change is another instance. bad_deployment on the function.")


def s06():
    """Aurora failover: Lambda keeps pooled connections to the demoted writer -> read-only errors."""
    r = random.Random(3306)
    reg, fn, api = "eu-west-1", "cart-writer", "cart-api"
    w1, w2, cluster = "cart-aurora-instance-1", "cart-aurora-instance-2", "cart-aurora"
    fo = -1800
    onset = fo + 35
    inv = counts(r, lambda t: 20 * diurnal(t))
    err = [[t, float(sum(1 for _ in range(int(v)) if t >= onset and r.random() < 0.55))] for t, v in inv]
    dur = series(lambda t: r.gauss(95, 12) if t < fo or t > fo + 40 else 2400)

    def handler(t, q, fail, r):
        lines = [(0.002, "[INFO]\t%s\t%s\tPUT /cart/%s items=%d" % (iso(t), q, hexid(r, 10), r.randint(1, 8)))]
        if r.random() < 0.04:
            lines.append((0.06, "[WARNING]\t%s\t%s\tslow cart merge for user u_%d: %d ms" % (iso(t), q, r.randint(1, 10 ** 6), r.randint(600, 900))))
        if fail:
            lines.append((0.02, "[ERROR] ReadOnlySqlTransaction: cannot execute UPDATE in a read-only transaction\n"
                          "Traceback (most recent call last):\n  File \"/var/task/cart/handler.py\", line 51, in handler\n    repo.save(cart)\n"
                          "  File \"/var/task/cart/repo.py\", line 77, in save\n    cur.execute(UPSERT_CART_ITEM, row)\n"
                          "psycopg2.errors.ReadOnlySqlTransaction: cannot execute UPDATE in a read-only transaction"))
            return lines, r.gauss(30, 5), r.randint(88, 96), None
        d = max(30, r.gauss(95, 15))
        lines.append((d / 1000 - 0.005, "[INFO]\t%s\t%s\tcart saved (%d ms)" % (iso(t), q, d)))
        return lines, d, r.randint(88, 96), None
    logs = lambda_logs(r, fn, inv, err, handler, memory=256)
    e1 = [(t, "%s UTC::@:[%d]:LOG:  checkpoint starting: time" % (clock(t), 560)) for t in range(-10790, 0, 300)]
    e1 += [(fo + 2, "%s UTC::@:[560]:LOG:  received fast shutdown request" % clock(fo + 2)),
           (fo + 3, "%s UTC::@:[560]:LOG:  aborting any active transactions" % clock(fo + 3)),
           (fo + 14, "%s UTC::@:[31822]:LOG:  database system is ready to accept read-only connections" % clock(fo + 14))]
    e1 += [(t, "%s UTC:10.12.%d.%d(%d):cart@cart:[%d]:ERROR:  cannot execute UPDATE in a read-only transaction" % (
        clock(t), r.randint(1, 4), r.randint(2, 250), r.randint(30000, 60000), r.randint(31900, 33000))) for t in poisson_times(r, 5, start=onset)]
    e2 = [(t, "%s UTC::@:[611]:LOG:  checkpoint starting: time" % clock(t)) for t in range(-10650, 0, 300)]
    e2 += [(fo + 9, "%s UTC::@:[611]:LOG:  received promote request" % clock(fo + 9)),
           (fo + 10, "%s UTC::@:[611]:LOG:  database system is ready to accept connections" % clock(fo + 10))]
    logs += [stream("/aws/rds/cluster/%s/postgresql" % cluster, w1, e1), stream("/aws/rds/cluster/%s/postgresql" % cluster, w2, e2)]
    e5 = [[t, v] for t, v in err]
    mets = lambda_metrics(fn, inv, err, dur)
    mets += apigw_metrics(api, inv, counts(r, lambda t: 1.2), e5, series(lambda t: r.gauss(120, 15)))
    mets += rds_metrics(w1, series(lambda t: r.gauss(46, 3) if t < fo else (None if t < fo + 60 else r.gauss(38, 3)), integer=True),
                        series(lambda t: r.gauss(31, 3) if t < fo else r.gauss(9, 2)), series(lambda t: 0.0 + 1),
                        series(lambda t: r.gauss(7.4e9, 5e7)))
    mets += rds_metrics(w2, series(lambda t: r.gauss(6, 1) if t < fo else r.gauss(11, 2), integer=True),
                        series(lambda t: r.gauss(8, 2) if t < fo else r.gauss(12, 2)), series(lambda t: 1.0),
                        series(lambda t: r.gauss(7.6e9, 5e7)))
    rinv = counts(r, lambda t: 3)
    mets += lambda_metrics("cart-reminder", rinv, [[t, 0.0] for t, _ in rinv], series(lambda t: r.gauss(800, 90)))
    for m in mets:
        if m["name"] == "FreeStorageSpace":
            m["name"] = "FreeLocalStorage"
            m["points"] = [[t, 31e9] for t, _ in m["points"]]
    res = [{"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 6, "memory_size": 256, "db_endpoint": "cart-aurora.cluster-c3xk9.eu-west-1.rds.amazonaws.com"}},
           {"type": "lambda", "id": "cart-reminder", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
           {"type": "rds", "id": w1, "properties": {"engine": "aurora-postgresql", "cluster": cluster, "instance_class": "db.r6g.large", "role": "reader (was writer)"}},
           {"type": "rds", "id": w2, "properties": {"engine": "aurora-postgresql", "cluster": cluster, "instance_class": "db.r6g.large", "role": "writer"}},
           {"type": "apigateway", "id": api, "properties": {"stage": "prod"}}]
    chg = [change(-2400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "cart-reminder", "sdixon"),
           change(-7800, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "cart-api/prod", "sdixon")]
    al = [alarm("cart-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 2, 5,
                "GreaterThanThreshold", "ALARM", onset + 120, "cart API 5XX")]
    doc = scenario("h33-06-apigw-5xx-aurora-readonly-failover", "Add-to-cart failing; cart-api 5XX alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "cart-api-5xx", "root_cause": {"category": "dependency_failure", "resource": [w1, cluster, w2]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]})
    return ("h33-06-apigw-5xx-aurora-readonly-failover.yaml", doc,
            (reg, "cart-api-5xx (API GW 5XXError)", "dependency_failure", "cart-aurora-instance-1, cart-aurora, cart-aurora-instance-2", "front",
             "cart-reminder config change 10 min before; API stage update 2 h before; pre-existing slow-merge WARN"),
            "At -30 min the Aurora cluster cart-aurora failed over: instance-1 logs a fast shutdown and comes back `ready to accept "
            "read-only connections`, instance-2 is promoted. cart-writer's warm containers keep pooled connections to the old "
            "writer, so from 35 s later about half of cart updates fail with `psycopg2.errors.ReadOnlySqlTransaction: cannot "
            "execute UPDATE in a read-only transaction` (mirrored in instance-1's log). Connections are far below any limit; "
            "the database role change is the fault, not an exhausted resource and not a code change. The cart-reminder "
            "configuration change is another function with clean metrics. dependency_failure on the Aurora cluster.")


def _dotnet(t, lvl, cat, msg):
    return "%s %s: %s[0]\n      %s" % (iso(t), lvl, cat, msg.replace("\n", "\n      "))


def s07():
    """RDS MySQL allocated storage fills; InnoDB errno 28; .NET ECS writers fail."""
    r = random.Random(3307)
    reg, db, cl = "us-east-1", "orderevents-mysql", "orders"
    svc = "order-events-api"
    full = -1500
    free = series(lambda t: max(0.0, 41e9 - 41e9 * smooth(t, -21600, full) ** 1.15 + r.gauss(0, 4e7)) if t < full else r.uniform(0, 3e6))
    conns = series(lambda t: r.gauss(38, 3), integer=True)
    mets = rds_metrics(db, conns, series(lambda t: r.gauss(35, 4) if t < full else r.gauss(19, 3)), free,
                       series(lambda t: r.gauss(9.8e9, 5e7)))
    mets += [{"namespace": "AWS/RDS", "name": "WriteIOPS", "dimensions": {"DBInstanceIdentifier": db}, "unit": "Count/Second",
              "points": series(lambda t: r.gauss(820, 60) if t < full else r.gauss(40, 10))}]
    mets += ecs_metrics(cl, svc, series(lambda t: r.gauss(36, 4)), series(lambda t: r.gauss(52, 1)))
    mets += ecs_metrics(cl, "order-search", series(lambda t: r.gauss(22, 3)), series(lambda t: r.gauss(41, 1) + (3 if t > -3000 else 0)))
    tasks = [hexid(r), hexid(r), hexid(r)]
    ev = {k: [] for k in tasks}
    for m in range(LOG_START, 0, 60):
        for i in range(6):
            t = m + r.uniform(0, 59)
            if m < full:
                msg = _dotnet(t, "info", "OrderEvents.Api.Controllers.EventsController", "Appended %d events for order %d in %d ms" % (r.randint(1, 6), r.randint(10 ** 7, 10 ** 8), r.randint(4, 30)))
            else:
                msg = _dotnet(t, "fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                              "An unhandled exception has occurred while executing the request.\n"
                              "MySqlConnector.MySqlException (0x80004005): The table 'order_events' is full\n"
                              "   at MySqlConnector.Core.ServerSession.ReceiveReplyAsync(IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894\n"
                              "   at MySqlConnector.Core.ResultSet.ReadResultSetHeaderAsync(IOBehavior ioBehavior) in /_/src/MySqlConnector/Core/ResultSet.cs:line 37\n"
                              "   at MySqlConnector.MySqlCommand.ExecuteNonQueryAsync(IOBehavior ioBehavior, CancellationToken cancellationToken)\n"
                              "   at Microsoft.EntityFrameworkCore.Storage.RelationalCommand.ExecuteNonQueryAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken)\n"
                              "   at OrderEvents.Api.Store.EventStore.AppendAsync(Int64 orderId, IReadOnlyList`1 events) in /src/OrderEvents.Api/Store/EventStore.cs:line 58\n"
                              "   at OrderEvents.Api.Controllers.EventsController.Post(Int64 orderId, EventBatch batch) in /src/OrderEvents.Api/Controllers/EventsController.cs:line 31")
            ev[r.choice(tasks)].append((t, msg))
        for i in range(2):
            t = m + r.uniform(0, 59)
            ev[r.choice(tasks)].append((t, _dotnet(t, "warn", "Microsoft.EntityFrameworkCore.Query",
                "Compiling a query which loads related collections for more than one collection navigation, either via 'Include' or through projection, "
                "but no 'QuerySplittingBehavior' has been configured. By default, Entity Framework will use 'QuerySplittingBehavior.SingleQuery', which can potentially result in slow query performance.")))
    logs = [stream("/ecs/order-events-api", "api/order-events-api/%s" % k, ev[k]) for k in tasks]
    mev = [(t, "%s 0 [Note] [MY-010914] [Server] Aborted connection %d to db: 'orders' user: 'oe_app' host: '10.0.%d.%d' (Got timeout reading communication packets)." % (
        iso(t), r.randint(10 ** 5, 10 ** 6), r.randint(1, 9), r.randint(2, 250))) for t in poisson_times(r, 0.5)]
    for t in poisson_times(r, 3, start=full):
        mev.append((t, "%s 14 [ERROR] [MY-012639] [InnoDB] Write to file ./orders/order_events.ibd failed at offset %d, 16384 bytes should have been written, only 0 were written. "
                       "Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded." % (iso(t), r.randint(10 ** 10, 10 ** 11))))
        mev.append((t + 0.001, "%s 14 [ERROR] [MY-012640] [InnoDB] Error number 28 means 'No space left on device'" % iso(t + 0.001)))
        mev.append((t + 0.002, "%s 14 [ERROR] [MY-013132] [Server] The table 'order_events' is full!" % iso(t + 0.002)))
    logs.append(stream("/aws/rds/instance/%s/error" % db, db, mev))
    sev = [(t, _dotnet(t, "info", "OrderSearch.Indexer", "indexed %d documents" % r.randint(20, 200))) for t in poisson_times(r, 2)]
    sev += [(-2990, _dotnet(-2990, "info", "Microsoft.Hosting.Lifetime", "Application started. Hosting environment: Production; Content root path: /app"))]
    logs.append(stream("/ecs/order-search", "api/order-search/%s" % hexid(r), sev))
    res = [{"type": "rds", "id": db, "properties": {"engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.large", "allocated_storage_gb": 500, "storage_autoscaling": False, "max_connections": 1000}},
           {"type": "ecs", "id": "%s/%s" % (cl, svc), "properties": {"launch_type": "FARGATE", "desired_count": 3, "log_groups": ["/ecs/order-events-api"]}},
           {"type": "ecs", "id": "%s/order-search" % cl, "properties": {"launch_type": "FARGATE", "desired_count": 2, "log_groups": ["/ecs/order-search"]}}]
    chg = [change(-3030, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "%s/order-search" % cl, "codepipeline"),
           change(-3040, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "order-search:88", "codepipeline")]
    al = [alarm("orderevents-mysql-free-storage", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}, "Minimum", 300, 1, 5e9,
                "LessThanThreshold", "ALARM", -3600, "orderevents-mysql free storage below 5 GB")]
    doc = scenario("h33-07-rds-mysql-storage-full", "order-events writes failing; RDS free storage alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "orderevents-mysql-free-storage", "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]})
    return ("h33-07-rds-mysql-storage-full.yaml", doc,
            (reg, "orderevents-mysql-free-storage (RDS FreeStorageSpace)", "storage_exhaustion", db, "origin",
             "order-search ECS deploy 50 min before; EF Core query-splitting WARN at constant rate; aborted-connection notes"),
            "orderevents-mysql (500 GB, no storage autoscaling) loses free space steadily for six hours and reaches ~0 at -25 min. "
            "From then InnoDB logs `Operating system error number 28 ... No space left on device` and `The table 'order_events' is full`, "
            "order-events-api's .NET tasks fail every write with `MySqlConnector.MySqlException: The table 'order_events' is full`, "
            "and WriteIOPS collapses. The order-search deploy is a different service with normal behaviour; the EF Core WARN "
            "is constant. storage_exhaustion on the database.")


def _gunicorn(t, lvl, msg):
    return "[%s +0000] [%d] [%s] %s" % (clock(t), 4121, lvl, msg)


def s08():
    """EC2 root volume fills with orphaned upload temp files; nginx + Flask ENOSPC; ALB 5xx."""
    r = random.Random(3308)
    reg = "us-west-2"
    lb = "app/media-alb/9a8b7c6d5e4f3a21"
    i1, i2 = ("i-0f3a6c9e2b8d1f457", "media-api-1"), ("i-02d8e6b4a1c7f9035", "media-api-2")
    full = -1320
    req = counts(r, lambda t: 260 * diurnal(t))
    t5 = [[t, float(r.randint(0, 1) + (int(v * 0.47) if t >= full else 0))] for t, v in req]
    mets = alb_metrics(lb, req, t5, counts(r, lambda t: 0.1), series(lambda t: r.gauss(0.31, 0.04)),
                       series(lambda t: 2, nd=0), series(lambda t: 0, nd=0))
    mets += ec2_metrics(i1[0], series(lambda t: r.gauss(29, 4)), series(lambda t: r.gauss(48, 1)),
                        series(lambda t: min(100.0, 71 + 29 * smooth(t, -21600, full)) if t < full else 100.0))
    mets += ec2_metrics(i2[0], series(lambda t: r.gauss(27, 4) + (12 if -7200 < t < -6900 else 0)), series(lambda t: r.gauss(47, 1)),
                        series(lambda t: 38 + 0.3 * smooth(t, -21600, 0)))
    l5 = lookup(t5)
    ev = {i1[0]: [], i2[0]: []}
    ng = []
    for m in range(LOG_START, 0, 60):
        for iid in (i1[0], i2[0]):
            for i in range(4):
                t = m + r.uniform(0, 59)
                ev[iid].append((t, _gunicorn(t, "INFO", "POST /v1/uploads 201 %d KB stored s3://media-prod/%s in %d ms" % (r.randint(100, 9000), hexid(r, 12), r.randint(120, 600)))))
            t = m + r.uniform(0, 59)
            ev[iid].append((t, _gunicorn(t, "WARNING", "urllib3.connectionpool: Connection pool is full, discarding connection: media-prod.s3.us-west-2.amazonaws.com. Connection pool size: 10")))
        if m >= full:
            for i in range(min(8, int(l5(m)))):
                t = m + r.uniform(0, 59)
                name = hexid(r, 12)
                if r.random() < 0.5:
                    ev[i1[0]].append((t, _gunicorn(t, "ERROR", "Exception on /v1/uploads [POST]\nTraceback (most recent call last):\n"
                        "  File \"/opt/media/venv/lib/python3.11/site-packages/flask/app.py\", line 1463, in wsgi_app\n    response = self.full_dispatch_request()\n"
                        "  File \"/opt/media/app/uploads.py\", line 88, in create_upload\n    with open(tmp_path, \"wb\") as fh:\n"
                        "OSError: [Errno 28] No space left on device: '/var/tmp/media/upload-%s.part'" % name)))
                else:
                    ng.append((t, "%s [crit] 1123#1123: *%d pwrite() \"/var/lib/nginx/tmp/client_body/00000%05d\" failed (28: No space left on device), client: 10.8.%d.%d, server: _, request: \"POST /v1/uploads HTTP/1.1\", host: \"media.example.com\"" % (
                        clock(t, "%Y/%m/%d %H:%M:%S"), r.randint(10 ** 5, 10 ** 6), r.randint(0, 99999), r.randint(0, 9), r.randint(2, 250))))
    for t in range(-10800, 0, 900):
        ev[i1[0]].append((t + 5, _gunicorn(t + 5, "INFO", "housekeeping: %d upload parts in /var/tmp/media older than 1h (cleanup disabled on this host: lock held)" % (2000 + (t + 10800) // 30))))
    logs = [stream("/media/api/app", iid, ev[iid]) for iid in ev]
    logs.append(stream("/media/nginx/error", i1[0], ng))
    res = [{"type": "ec2", "id": i1[0], "properties": {"name": i1[1], "instance_type": "c6i.xlarge", "root_volume_gb": 50, "log_groups": ["/media/api/app", "/media/nginx/error"]}},
           {"type": "ec2", "id": i2[0], "properties": {"name": i2[1], "instance_type": "c6i.xlarge", "root_volume_gb": 50, "log_groups": ["/media/api/app"]}},
           {"type": "alb", "id": lb, "properties": {"name": "media-alb"}}]
    chg = [change(-7260, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", i2[0], "patch-manager")]
    al = [alarm("media-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 15,
                "GreaterThanThreshold", "ALARM", full + 180)]
    doc = scenario("h33-08-alb-5xx-ec2-disk-full", "Uploads failing for about half of users; media-alb 5xx alarm.",
                   reg, res, mets, logs, al, chg,
                   {"alarm": "media-alb-target-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [i1[0], i1[1]]},
                    "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": {"InstanceId": i1[0], "path": "/", "fstype": "xfs"}}]})
    return ("h33-08-alb-5xx-ec2-disk-full.yaml", doc,
            (reg, "media-alb-target-5xx (ALB target 5xx)", "storage_exhaustion", "i-0f3a6c9e2b8d1f457, media-api-1", "front",
             "patch SendCommand on media-api-2 2 h before (CPU blip); urllib3 pool-full WARN on both hosts at constant rate"),
            "media-api-1's root volume climbs steadily (orphaned upload parts in /var/tmp/media, cleanup not running there) and "
            "hits 100 % 22 min ago. From that minute the Flask app raises `OSError: [Errno 28] No space left on device` and nginx "
            "logs `pwrite() ... failed (28: No space left on device)`; about half of uploads (the ones routed to this host) fail. "
            "media-api-2 is at 38 % disk and error-free; its patching run is two hours old. storage_exhaustion on media-api-1.")
