"""Scenarios 06-08: compactor reaching its timeout; a late batch holding row locks; DB_HOST pointed at a replica."""
from __future__ import annotations

import json

from .blocks import GB, apigw, ec2, ecs, rds, sqs
from .core import HIST, Scn, auto_alarm, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, node, pg, pg_background, poisson_times, py


def s06() -> Scn:
    sc = Scn("h45-06-partition-compactor-timeouts", 4506, "us-east-2", "2026-03-18T14:10:00",
             "Data-lake compaction Lambda erroring since the morning ramp; Errors alarm fired.", tz=-4)
    FN, CO, AUD, DB = "s3-partition-compactor", "compaction-coordinator", "lake-audit-export", "lake-catalog-db"
    sc.res("lambda", FN, runtime="python3.12", timeout=300, memory_size=2048, invoked_by=CO)
    sc.res("lambda", CO, runtime="python3.12", timeout=60, memory_size=256, schedule="rate(5 minutes)")
    sc.res("lambda", AUD, runtime="python3.12", timeout=120, memory_size=512, schedule="rate(15 minutes)")
    sc.res("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.t4g.medium", max_connections=410,
           parameter_group="lake-catalog-pg15", parameter_apply_status="pending-reboot")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    tenants = [("t-1001", 63500), ("t-1002", 50500), ("t-1040", 20000), ("t-1107", 9200), ("t-1213", 4600),
               ("t-1300", 2500), ("t-1322", 1400), ("t-1410", 900), ("t-1502", 500), ("t-1550", 250)]

    def draw(t):
        if (t // 60) % 5 != 0:
            return []
        out = []
        for name, base in tenants:
            objs = int(base * (d(t) - 0.18) * (1 + sc.g(0.04)))
            dur = 900 + objs * 15.2 * (1 + sc.g(0.03))
            inv = Inv(dur >= 300000, min(dur, 300000.0), "timeout" if dur >= 300000 else "ok",
                      sc.rng.randint(700, 980))
            inv.kind = f"{inv.kind}|{name}|{objs}"
            out.append(inv)
        return out
    fm = LambdaModel(sc, FN, 2048, draw)
    fm.metrics(duration_stat="max")

    def body(ts, rid, inv):
        kind, name, objs = inv.kind.split("|")
        objs = int(objs)
        hr = sc.at(ts - 3600).strftime("%H")
        pre = f"s3://lake-raw-use2/events/tenant={name}/dt={sc.day(ts - 3600)}/hr={hr}/"
        out = [(0.02, py(sc, ts, "INFO", rid, f"compacting {pre} objects={objs} bytes={objs * 118 / 1024:.1f}MiB"))]
        if sc.rng.random() < 0.3:
            out.append((0.4, py(sc, ts, "WARNING", rid, f"skipping zero-byte object {pre}_SUCCESS")))
        step = 5000
        for k in range(step, objs, step):
            off = 0.9 + k * 15.2 / 1000
            if off < inv.dur / 1000 - 0.5:
                out.append((off, py(sc, ts, "INFO", rid, f"merged {k}/{objs} objects")))
        if not kind.startswith("timeout"):
            end = inv.dur / 1000
            out += [(end - 0.6, py(sc, ts, "INFO", rid, f"wrote s3://lake-curated-use2/events/tenant={name}/dt="
                                                      f"{sc.day(ts - 3600)}/hr={hr}/part-00000.zstd.parquet "
                                                      f"({max(1, objs * 31 // 1024)} MiB)")),
                    (end - 0.2, py(sc, ts, "INFO", rid, f"registered partition in {DB}; deleted {objs} source objects"))]
        return out
    fm.logs(body, streams=4, start=-9000)
    cm = LambdaModel(sc, CO, 256, lambda t: [Inv(False, 640 + sc.g(60), "ok", 88)] if (t // 60) % 5 == 0 else [])
    cm.metrics()
    cm.logs(lambda ts, rid, inv: [(0.2, py(sc, ts, "INFO", rid, f"dispatched {len(tenants)} tenant partitions for hr="
                                                                f"{sc.at(ts - 3600).strftime('%H')} to {FN}"))],
            streams=1, start=-9000)
    am = LambdaModel(sc, AUD, 512, lambda t: [Inv(False, 4100 + sc.g(400), "ok", 140)] if (t // 60) % 15 == 3 else [])
    am.metrics()
    am.logs(lambda ts, rid, inv: [(0.3, py(sc, ts, "INFO", rid, f"exported {sc.rng.randint(200, 900)} audit rows"
                                                                + (" (format=jsonl.gz)" if ts > -3400 else "")))],
            streams=1, start=-9000)
    rds(sc, DB, cpu=lambda t: 6 + 4 * d(t) + sc.g(0.8), conns=lambda t: 14 + sc.g(1.5),
        free_storage=lambda t: 61 * GB + sc.g(0.02 * GB), freeable=lambda t: 1.3 * GB + sc.g(0.02 * GB),
        read_lat=lambda t: 0.0008 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0011 + abs(sc.g(0.0001)),
        read_iops=lambda t: 30 + sc.g(4), write_iops=lambda t: 45 + sc.g(5))
    sc.change(-5400, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "lake-catalog-pg15",
              "dba-kim")
    sc.change(-3400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AUD, "data-ci")
    auto_alarm(sc, "s3-partition-compactor-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 2, 0,
               "GreaterThanThreshold", "Compaction Lambda errors")
    sc.expect("s3-partition-compactor-errors", "function_timeout", [FN], [
        {"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="origin (Lambda Errors)", decoys="parameter-group edit on lake-catalog-db pending reboot; "
                   "deploy of lake-audit-export; steady zero-byte-object WARNING")
    return sc


def s07() -> Scn:
    sc = Scn("h45-07-shipments-api-5xx-lock-waits", 4507, "eu-west-2", "2026-03-19T08:55:00",
             "Shipments API 5xx: drivers cannot update delivery status; API Gateway 5XX alarm fired.")
    API, FN, DB, CL, SV, EC, AX = ("shipments-api", "shipments-handler", "shipping-mysql", "batch", "route-optimizer",
                                   "i-0a8f2e61c9d4b7035", "shipments-analytics-export")
    TX = -2520
    sc.res("apigateway", API, type="REST", stage="prod", integration=FN)
    sc.res("lambda", FN, runtime="nodejs20.x", timeout=29, memory_size=1024)
    sc.res("rds", DB, engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large", max_connections=683,
           innodb_lock_wait_timeout=20, slow_query_log=1, long_query_time=2,
           log_groups=[f"/aws/rds/instance/{DB}/error", f"/aws/rds/instance/{DB}/slowquery"])
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", desired_count=1,
           log_groups=["/ecs/route-optimizer"])
    sc.res("ec2", EC, name="report-builder-1", instance_type="m6i.xlarge", cron="30 1 * * * build_daily_reports")
    sc.res("lambda", AX, runtime="python3.12", timeout=300, memory_size=1024)
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    r0, r1 = local_t(sc, 1.5), local_t(sc, 2.7)

    def draw(t):
        out = []
        for _ in range(sc.poisson(6 + 40 * d(t))):
            write = sc.rng.random() < 0.5
            if write and t >= TX + 30 and sc.rng.random() < 0.62:
                out.append(Inv(True, 20000 + sc.rng.uniform(40, 400), "lockwait", sc.rng.randint(150, 170)))
            else:
                out.append(Inv(False, max(25.0, 70 + sc.g(25)), "write" if write else "read", sc.rng.randint(140, 165)))
        return out
    fm = LambdaModel(sc, FN, 1024, draw)
    fm.metrics()
    rows = fm.rows
    apigw(sc, API, count=lambda t: len(rows[t]), e4=lambda t: sc.poisson(0.8),
          e5=lambda t: sum(1 for i in rows[t] if i.err),
          lat=lambda t: (sum(i.dur for i in rows[t]) / len(rows[t]) + 18) if rows[t] else 20.0,
          integ=lambda t: (sum(i.dur for i in rows[t]) / len(rows[t]) + 6) if rows[t] else 8.0)

    def body(ts, rid, inv):
        sid = sc.rng.randint(88000000, 88999999)
        if inv.kind == "read":
            return [(0.01, node(sc, ts, "INFO", rid, f"GET /shipments/{sid} 200 {int(inv.dur)}ms"))]
        if inv.kind == "write":
            return [(0.01, node(sc, ts, "INFO", rid, f"PATCH /shipments/{sid}/status OUT_FOR_DELIVERY 200 {int(inv.dur)}ms"))]
        err = {"errorType": "Error", "errorMessage": "Lock wait timeout exceeded; try restarting transaction",
               "code": "ER_LOCK_WAIT_TIMEOUT", "errno": 1205, "sqlState": "HY000",
               "sqlMessage": "Lock wait timeout exceeded; try restarting transaction",
               "sql": f"UPDATE shipments SET status = 'OUT_FOR_DELIVERY', updated_at = NOW(6) WHERE id = {sid}",
               "stack": ["Error: Lock wait timeout exceeded; try restarting transaction",
                         "    at PromisePool.query (/var/task/node_modules/mysql2/promise.js:356:22)",
                         "    at updateStatus (/var/task/src/shipments/repository.js:88:31)",
                         "    at async handler (/var/task/src/index.js:41:18)"]}
        return [(inv.dur / 1000 - 0.01, node(sc, ts + inv.dur / 1000, "ERROR", rid, "Invoke Error \t" + json.dumps(err, separators=(",", ":"))))]
    fm.logs(body, streams=3, start=-7200, cold_every=250)
    rds(sc, DB, cpu=lambda t: 12 + 14 * d(t) + (15 if t >= TX else 0) + sc.g(1.6),
        conns=lambda t: 38 + 24 * d(t) + (2 + min(28, (t - TX) / 40) if t >= TX else 0) + sc.g(2),
        free_storage=lambda t: 212 * GB - 0.0015 * GB * (t - HIST) / 60 + sc.g(0.03 * GB),
        freeable=lambda t: 2.4 * GB + sc.g(0.03 * GB), read_lat=lambda t: 0.0008 + abs(sc.g(0.0001)),
        write_lat=lambda t: 0.0012 + (0.0006 if t >= TX else 0) + abs(sc.g(0.0002)),
        read_iops=lambda t: 180 + 160 * d(t) + (700 if t >= TX else 0) + sc.g(15),
        write_iops=lambda t: 140 + 120 * d(t) + (1500 if t >= TX else 0) + sc.g(15))
    ecs(sc, CL, SV, cpu=lambda t: 1.5 + abs(sc.g(0.4)) + (34 + sc.g(3) if t >= TX - 60 else 0),
        mem=lambda t: 9 + (31 if t >= TX - 60 else 0) + sc.g(0.5), running=lambda t: 1)
    ec2(sc, EC, cpu=lambda t: 4 + 81 * bump(t, r0, r1, 1.0, 300) + abs(sc.g(1.2)),
        net_in=lambda t: 3e5 + 9e8 * bump(t, r0, r1, 1.0, 300) + abs(sc.g(4e4)),
        net_out=lambda t: 2e5 + 1.6e9 * bump(t, r0, r1, 1.0, 300) + abs(sc.g(4e4)),
        mem=lambda t: 31 + 40 * bump(t, r0, r1, 1.0, 300) + sc.g(0.6), step=300)
    ax = LambdaModel(sc, AX, 1024, lambda t: [Inv(False, 9100 + sc.g(900), "ok", 260)] if (t // 60) % 10 == 4 else [])
    ax.metrics()

    ev = []
    t = TX - 128
    stamp = lambda t: sc.logback(t).replace(".", ",")  # noqa: E731
    for w in every(sc, HIST + 20, t, 900, 5):
        ev.append((w, f"{stamp(w)} INFO optimizer: carrier manifest for {sc.day()} not yet available; sleeping 900s"))
    ev += [(t, f"{stamp(t)} INFO optimizer: carrier manifest for {sc.day()} arrived at {sc.at(t - 70).strftime('%H:%M:%S')}Z "
               f"(expected by 02:00Z); starting run"),
           (TX - 4, f"{stamp(TX - 4)} INFO optimizer: computed 1906227 route assignments across 214 depots"),
           (TX, f"{stamp(TX)} INFO optimizer: applying assignments to {DB}.shipments (transaction mode=single, "
                f"isolation=REPEATABLE-READ)")]
    for i, w in enumerate(every(sc, TX + 60, 0, 120, 3)):
        ev.append((w, f"{stamp(w)} INFO optimizer: updated {(i + 1) * 61200}/1906227 rows; transaction open "
                      f"{int(w - TX)}s; not yet committed"))
    sc.log("/ecs/route-optimizer", f"route-optimizer/route-optimizer/{sc.hexid()}", ev)
    ev = []
    for t in poisson_times(sc, HIST, 0, lambda m: 0.3):
        ev.append((t, f"{sc.iso6(t)} {sc.rng.randint(30000, 99000)} [Note] [MY-010914] [Server] Aborted connection "
                      f"{sc.rng.randint(100000, 999999)} to db: 'shipping' user: 'shipments_app' host: '{sc.ip('10.8')}' "
                      "(Got an error reading communication packets)."))
    sc.log(f"/aws/rds/instance/{DB}/error", f"{DB}", ev)
    ev = []
    for row_t, row in rows.items():
        for inv in row:
            if inv.kind == "lockwait" and sc.rng.random() < 0.5:
                t = row_t + sc.rng.uniform(20, 79)
                ev.append((t, f"# Time: {sc.iso6(t)}\n# User@Host: shipments_app[shipments_app] @  [{sc.ip('10.8')}]  "
                              f"Id: {sc.rng.randint(80000, 99000)}\n# Query_time: {inv.dur / 1000:.6f}  Lock_time: "
                              f"{inv.dur / 1000 - 0.0004:.6f} Rows_sent: 0  Rows_examined: 0\nSET timestamp="
                              f"{int(sc.epoch(t))};\nUPDATE shipments SET status = 'OUT_FOR_DELIVERY', updated_at = "
                              f"NOW(6) WHERE id = {sc.rng.randint(88000000, 88999999)};"))
    for t in poisson_times(sc, HIST, 0, lambda m: 0.06):
        q = sc.rng.uniform(2.1, 4.8)
        ev.append((t, f"# Time: {sc.iso6(t)}\n# User@Host: reporting[reporting] @  [10.8.9.14]  Id: "
                      f"{sc.rng.randint(1000, 9000)}\n# Query_time: {q:.6f}  Lock_time: 0.000210 Rows_sent: 214  "
                      f"Rows_examined: {sc.rng.randint(400000, 900000)}\nSET timestamp={int(sc.epoch(t))};\nSELECT depot_id, "
                      "count(*) FROM shipments WHERE created_at >= CURDATE() GROUP BY depot_id;"))
    sc.log(f"/aws/rds/instance/{DB}/slowquery", f"{DB}", ev)
    sc.change(-2900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AX, "analytics-ci")
    auto_alarm(sc, "shipments-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 300, 1, 10,
               "GreaterThanThreshold", "Shipments API 5XX responses")
    sc.expect("shipments-api-5xx", "dependency_failure", [DB], [
        {"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": API}},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="front (API Gateway)", decoys="analytics export Lambda deploy 7 min before onset; "
                   "report-builder-1's usual 01:30 CPU peak; steady Aborted-connection notes and reporting slow queries")
    return sc


def s08() -> Scn:
    sc = Scn("h45-08-order-export-dlq-replica-host", 4508, "ca-central-1", "2026-03-20T15:30:00",
             "Order export dead-letter queue filling; DLQ depth alarm fired.", tz=-4)
    FN, P, R, Q, DLQ, AN = ("order-export-writer", "commerce-pg", "commerce-pg-ro-1", "order-export", "order-export-dlq",
                            "order-analytics-rollup")
    CH = -2640
    host = "c8k2xq1v9zt4.ca-central-1.rds.amazonaws.com"
    sc.res("lambda", FN, runtime="python3.12", timeout=60, memory_size=512, event_source=f"sqs:{Q}", batch_size=5,
           environment={"DB_NAME": "commerce", "DB_PORT": "5432", "DB_HOST": f"{R}.{host}", "EXPORT_SCHEMA": "export"})
    sc.res("rds", P, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge", max_connections=1700,
           log_groups=[f"/aws/rds/instance/{P}/postgresql"])
    sc.res("rds", R, engine="postgres", engine_version="15.5", instance_class="db.r6g.large", read_replica_source=P,
           max_connections=850, log_groups=[f"/aws/rds/instance/{R}/postgresql"])
    sc.res("lambda", AN, runtime="python3.12", timeout=120, memory_size=512)
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    v0, v1 = local_t(sc, 4.0), local_t(sc, 4.6)

    def draw(t):
        n = sc.poisson(3 + 16 * d(t) + (9 if t >= CH else 0))
        return [Inv(t >= CH, (120 + sc.g(20)) if t >= CH else max(80.0, 260 + sc.g(60)), "ro" if t >= CH else "ok",
                    sc.rng.randint(88, 104)) for _ in range(n)]
    fm = LambdaModel(sc, FN, 512, draw)
    fm.metrics()
    rows = fm.rows
    dlq, dv, vis, age = 0, {}, {}, {}
    for t in range(HIST, 0, 60):
        if t >= CH + 180:
            dlq += sum(1 for i in rows[t] if i.err) * 5 // 3
        dv[t] = dlq + 2
        vis[t] = (sc.rng.randint(0, 20) if t < CH else 40 + (t - CH) / 60 * 30 * 0.6)
        age[t] = sc.rng.uniform(2, 40) if t < CH + 120 else min(t - CH, 900) * 0.9
    sqs(sc, Q, sent=lambda t: (3 + 16 * d(t)) * 5 + sc.g(4), received=lambda t: len(rows[t]) * 5,
        deleted=lambda t: 0 if t >= CH else len(rows[t]) * 5, visible=vis.__getitem__, age=age.__getitem__)
    sqs(sc, DLQ, sent=lambda t: 0, received=lambda t: 0, deleted=lambda t: 0, visible=dv.__getitem__,
        age=lambda t: 86400 * 3 + t + 28800)
    vac = lambda t: bump(t, v0, v1, 1.0, 300)  # noqa: E731
    for ident, base in ((P, 1.0), (R, 0.6)):
        rds(sc, ident, cpu=lambda t, b=base: (14 + 20 * d(t)) * b + 25 * vac(t) + sc.g(1.5),
            conns=lambda t, b=base: (70 + 50 * d(t)) * b + sc.g(3),
            free_storage=lambda t: 420 * GB + sc.g(0.05 * GB), freeable=lambda t: 11 * GB + sc.g(0.05 * GB),
            read_lat=lambda t: 0.0009 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0012 + 0.002 * vac(t) + abs(sc.g(0.0002)),
            read_iops=lambda t, b=base: (300 + 300 * d(t)) * b + 1500 * vac(t) + sc.g(20),
            write_iops=lambda t: 260 + 200 * d(t) + 1200 * vac(t) + sc.g(20),
            extra=[("ReplicaLag", "Seconds", lambda t: abs(sc.g(0.4)) + 95 * vac(t))] if ident == R else None)

    def body(ts, rid, inv):
        oid = sc.rng.randint(4100000, 4999999)
        if inv.kind == "ok":
            return [(0.01, py(sc, ts, "INFO", rid, f"exporting 5 orders (first={oid}) to export.order_snapshots")),
                    (inv.dur / 1000 - 0.02, py(sc, ts, "INFO", rid, "committed 5 rows"))]
        return [(0.01, py(sc, ts, "INFO", rid, f"exporting 5 orders (first={oid}) to export.order_snapshots")),
                (0.09, f"[ERROR] ReadOnlySqlTransaction: cannot execute INSERT in a read-only transaction\n"
                       f"Traceback (most recent call last):\n  File \"/var/task/exporter/handler.py\", line 64, in handler\n"
                       f"    writer.write_batch(records)\n  File \"/var/task/exporter/writer.py\", line 112, in write_batch\n"
                       f"    cur.executemany(INSERT_SNAPSHOT, rows)\npsycopg2.errors.ReadOnlySqlTransaction: cannot execute "
                       f"INSERT in a read-only transaction")]
    arn = f"arn:aws:lambda:ca-central-1::runtime:{sc.hexid(64)}"

    def prelude(target):
        return lambda t0: [f"INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: {arn}",
                           py(sc, t0, "INFO", "-", f"db target host={target}.{host} port=5432 db=commerce (from DB_HOST)")]
    fm.logs(body, streams=2, start=-7200, end=CH, prelude=prelude(P))
    fm.logs(body, streams=2, start=CH, prelude=prelude(R))
    ev = pg_background(sc, HIST, 0, ["order_snapshots", "orders"], "commerce", lambda t: 1 + 3 * vac(t))
    for t in poisson_times(sc, CH, 0, lambda m: 10.0):
        ev.append((t, pg(sc, t, "ERROR", "cannot execute INSERT in a read-only transaction\nSTATEMENT:  INSERT INTO "
                                         "export.order_snapshots (order_id, status, total_cents, snapshot_at) VALUES "
                                         "($1, $2, $3, now())", client=f"{sc.ip('10.30')}({sc.rng.randint(30000, 60000)})",
                         user="exporter", db="commerce")))
    for t in every(sc, v0, v1, 400, 30):
        ev.append((t, pg(sc, t, "LOG", "recovery restart point at 1A4/3C0F2E10\nDETAIL:  Last completed transaction was at "
                                       f"log time {sc.pgts(t - 80)}.", pid=401)))
    sc.log(f"/aws/rds/instance/{R}/postgresql", f"{R}.0", ev)
    sc.change(-6000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", P, "backup-automation")
    sc.change(-4800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AN, "analytics-ci")
    sc.change(CH, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN,
              "priya.nair")
    first = min(t for t, v in dv.items() if v > 25)
    sc.alarm("order-export-dlq-visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": DLQ}, "Maximum",
             60, 2, 25, "GreaterThanThreshold", first + 120, "Messages in order-export DLQ")
    sc.expect("order-export-dlq-visible", "config_change", [FN], [
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}},
        {"namespace": "AWS/SQS", "name": "ApproximateNumberOfMessagesVisible", "dimensions": {"QueueName": DLQ}}])
    sc.meta = dict(origin="victim (DLQ depth)", decoys="snapshot of commerce-pg; analytics rollup deploy 36 min before; "
                   "replica lag spike during the 04:00 vacuum window")
    return sc
