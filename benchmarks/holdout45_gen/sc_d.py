"""Scenarios 09-11: a dynamic statement_timeout edit; a role policy losing KMS; a consumer image ahead of its schema."""
from __future__ import annotations

import json

from .blocks import GB, ec2, ecs, rds, sqs
from .core import HIST, LOGS, Scn, auto_alarm, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, pg, pg_background, poisson_times, py, py_unhandled


def s09() -> Scn:
    sc = Scn("h45-09-rollup-loader-errors-statement-timeout", 4509, "ap-northeast-1", "2026-03-24T02:40:00",
             "Hourly sales rollups failing; loader Errors alarm fired. BI dashboards show gaps since late morning.", tz=9)
    DB, PG, FN, CL, SV, OPS = ("warehouse-pg", "warehouse-pg16", "hourly-rollup-loader", "bi", "dash-api", "ops-mysql")
    CH = -2400
    sc.res("rds", DB, engine="postgres", engine_version="16.2", instance_class="db.r6i.2xlarge", max_connections=1000,
           parameter_group=PG, parameter_apply_status="in-sync", log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    sc.res("lambda", FN, runtime="python3.12", timeout=900, memory_size=1024, schedule="rate(5 minutes)", shards=8)
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", desired_count=3,
           log_groups=["/ecs/dash-api"])
    sc.res("rds", OPS, engine="mysql", engine_version="8.0.36", instance_class="db.t4g.medium", max_connections=300,
           parameter_group="ops-mysql8", parameter_apply_status="pending-reboot")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    n0, n1 = local_t(sc, 4.5), local_t(sc, 6.0)
    night = lambda t: bump(t, n0, n1, 1.0, 300)  # noqa: E731
    shards = [("apac-retail", 1.0), ("apac-online", 1.4), ("jp-stores", 1.9), ("jp-online", 1.2), ("kr-retail", 0.7),
              ("tw-retail", 0.5), ("sg-online", 0.8), ("au-retail", 1.1)]

    def draw(t):
        if (t // 60) % 5 != 1:
            return []
        out = []
        for name, w in shards:
            q = (8 + 26 * w * (0.4 + d(t))) * (1 + sc.g(0.06)) * 1000
            if t >= CH and q > 30000:
                inv = Inv(True, 30000 + 1200 + sc.rng.uniform(40, 300), "stmt_cancel", sc.rng.randint(180, 220))
            else:
                inv = Inv(False, q + 1500 + sc.rng.uniform(100, 600), "ok", sc.rng.randint(180, 220))
            inv.kind += "|" + name
            out.append(inv)
        return out
    fm = LambdaModel(sc, FN, 1024, draw)
    fm.metrics()

    def body(ts, rid, inv):
        kind, shard = inv.kind.split("|")
        hr = sc.at(ts + 9 * 3600 - 3600).strftime("%Y-%m-%d %H:00")
        out = [(0.05, py(sc, ts, "INFO", rid, f"shard={shard} window='{hr}' JST: INSERT INTO agg.hourly_sales ... SELECT "
                                              "from fact.sales_lines"))]
        if kind == "ok":
            out.append((inv.dur / 1000 - 0.3, py(sc, ts, "INFO", rid, f"shard={shard} upserted "
                                                                      f"{sc.rng.randint(3000, 42000)} rows in {inv.dur / 1000 - 1.5:.1f}s")))
            return out
        return out + [(inv.dur / 1000 - 0.05 + o, line) for o, line in py_unhandled(sc, ts, rid,
                      "QueryCanceled: canceling statement due to statement timeout", [
                          ("/var/task/loader/handler.py", 41, "handler", "rows = run_rollup(conn, shard, window)"),
                          ("/var/task/loader/rollup.py", 88, "run_rollup", "cur.execute(ROLLUP_SQL, params)")])]
    fm.logs(body, streams=3, start=-9000)
    rds(sc, DB, cpu=lambda t: 16 + 18 * d(t) + 50 * night(t) - (9 if t >= CH else 0) + sc.g(2),
        conns=lambda t: 60 + 30 * d(t) + 40 * night(t) + sc.g(3),
        free_storage=lambda t: 1210 * GB - 0.01 * GB * (t - HIST) / 60 - 6 * GB * min(1.0, max(0.0, (t - n0) / (n1 - n0)))
        + sc.g(0.1 * GB), freeable=lambda t: 21 * GB + sc.g(0.1 * GB),
        read_lat=lambda t: 0.0011 + 0.001 * night(t) + abs(sc.g(0.0002)),
        write_lat=lambda t: 0.0014 + 0.0015 * night(t) + abs(sc.g(0.0002)),
        read_iops=lambda t: 1400 + 900 * d(t) + 6000 * night(t) + sc.g(80),
        write_iops=lambda t: 500 + 200 * d(t) + 4800 * night(t) + sc.g(40))
    rds(sc, OPS, cpu=lambda t: 5 + 4 * d(t) + sc.g(0.8), conns=lambda t: 18 + sc.g(2),
        free_storage=lambda t: 44 * GB + sc.g(0.02 * GB), freeable=lambda t: 0.9 * GB + sc.g(0.02 * GB),
        read_lat=lambda t: 0.0007 + abs(sc.g(0.0001)), write_lat=lambda t: 0.001 + abs(sc.g(0.0001)),
        read_iops=lambda t: 20 + sc.g(3), write_iops=lambda t: 35 + sc.g(4))
    ecs(sc, CL, SV, cpu=lambda t: 9 + 12 * d(t) + sc.g(1.5), mem=lambda t: 38 + sc.g(0.8), running=lambda t: 3)

    ev = pg_background(sc, HIST, 0, ["sales_lines", "hourly_sales", "store_days"], "warehouse", lambda t: 1 + 6 * night(t))
    ev += [(CH + 21, pg(sc, CH + 21, "LOG", "received SIGHUP, reloading configuration files", pid=398)),
           (CH + 21.01, pg(sc, CH + 21.01, "LOG", 'parameter "statement_timeout" changed to "30000"', pid=398))]
    for row_t, row in fm.rows.items():
        for inv in row:
            if inv.err:
                t = row_t + sc.rng.uniform(30, 59)
                ev.append((t, pg(sc, t, "ERROR", "canceling statement due to statement timeout\nSTATEMENT:  INSERT INTO "
                                                 "agg.hourly_sales (shard, sale_hour, store_id, sku, units, net_amount) "
                                                 "SELECT $1, date_trunc('hour', s.sold_at), s.store_id, s.sku, sum(s.qty), "
                                                 "sum(s.net) FROM fact.sales_lines s WHERE s.shard = $1 AND s.sold_at >= $2 "
                                                 "AND s.sold_at < $3 GROUP BY 2, 3, 4 ON CONFLICT (shard, sale_hour, store_id, "
                                                 "sku) DO UPDATE SET units = EXCLUDED.units, net_amount = EXCLUDED.net_amount",
                                 client=f"{sc.ip('10.60')}({sc.rng.randint(30000, 60000)})", user="rollup_loader",
                                 db="warehouse")))
    for t in every(sc, n0 + 60, n1, 420, 30):
        ev.append((t, pg(sc, t, "LOG", f"duration: {sc.rng.uniform(90000, 400000):.3f} ms  statement: COPY fact.sales_lines "
                                       "FROM STDIN WITH (FORMAT csv)", client="10.60.2.9(41822)", user="etl_loader",
                         db="warehouse")))
    sc.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)
    dash = []
    for t in poisson_times(sc, LOGS, 0, lambda m: 4 + 5 * d(m)):
        dash.append((t, json.dumps({"level": "info", "ts": sc.iso(t), "msg": "dashboard rendered",
                                    "dashboard": sc.rng.choice(["daily-sales", "store-ranking", "sku-velocity"]),
                                    "query_ms": sc.rng.randint(40, 2200), "app_version": "4.9.0" if t > -4300 else "4.8.3"})))
    sc.log("/ecs/dash-api", f"dash-api/dash-api/{sc.hexid()}", dash)
    sc.change(-12600, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "ops-mysql8", "dba-ken")
    sc.change(-4360, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "dash-api", "bi-deployer")
    sc.change(-4300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}", "bi-deployer")
    sc.change(CH, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG, "dba-ken")
    auto_alarm(sc, "hourly-rollup-loader-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 2,
               "GreaterThanThreshold", "Hourly rollup loader errors")
    sc.expect("hourly-rollup-loader-errors", "config_change", [DB, PG], [
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="victim (loader Lambda Errors)", decoys="pending-reboot parameter edit on another DB (ops-mysql); "
                   "BI dash-api deploy 32 min before; warehouse's usual 04:30 load peak")
    return sc


def s10() -> Scn:
    sc = Scn("h45-10-finance-export-kms-denied", 4510, "us-east-1", "2026-03-25T18:05:00",
             "finance-export Lambda failing every run; Errors alarm fired.", tz=-4)
    FN, ROLE, DB, SYNC, EC = "finance-export", "finance-export-role", "finance-pg", "finance-ledger-sync", "i-05c1d9e7a3b2f4068"
    CH = -2280
    acct, key = "482913307716", "6f1c2b9e-7d3a-4c51-9e08-2a4b7c1d5e93"
    sc.res("lambda", FN, runtime="python3.12", timeout=120, memory_size=512, role=f"arn:aws:iam::{acct}:role/{ROLE}",
           environment={"EXPORT_BUCKET": "finance-exports-prod", "KMS_KEY_ALIAS": "alias/finance-exports"})
    sc.res("rds", DB, engine="postgres", engine_version="15.6", instance_class="db.r6g.large", max_connections=1700)
    sc.res("lambda", SYNC, runtime="python3.12", timeout=300, memory_size=512)
    sc.res("ec2", EC, name="gl-batch-1", instance_type="r6i.xlarge", monitoring="basic", cron="0 8 * * 1-5 gl_close")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    g0, g1 = local_t(sc, 8.0), local_t(sc, 9.2)

    def draw(t):
        return [Inv(t >= CH, (2300 + sc.g(300)) if t >= CH else max(900.0, 6400 + sc.g(1200)),
                    "denied" if t >= CH else "ok", sc.rng.randint(170, 230)) for _ in range(sc.poisson(2 + 6 * d(t)))]
    fm = LambdaModel(sc, FN, 512, draw)
    fm.metrics()

    def body(ts, rid, inv):
        led = sc.rng.choice(["US01", "US02", "CA01", "MX01", "UK01"])
        n = sc.rng.randint(300, 4000)
        key_name = f"journals/ledger={led}/dt={sc.day(ts)}/batch-{sc.hexid(8)}.parquet"
        out = [(0.03, py(sc, ts, "INFO", rid, f"ledger={led} fetched {n} journal lines from {DB}")),
               (0.9, py(sc, ts, "INFO", rid, f"ledger={led} uploading s3://finance-exports-prod/{key_name} (SSE-KMS "
                                             f"alias/finance-exports)"))]
        if inv.kind == "ok":
            return out + [(inv.dur / 1000 - 0.05, py(sc, ts, "INFO", rid, f"ledger={led} export complete rows={n}"))]
        msg = (f"An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::{acct}:"
               f"assumed-role/{ROLE}/{FN} is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:"
               f"us-east-1:{acct}:key/{key} because no identity-based policy allows the kms:GenerateDataKey action")
        return out + [(inv.dur / 1000 - 0.05 + o, line) for o, line in py_unhandled(sc, ts, rid, f"ClientError: {msg}", [
            ("/var/task/export/handler.py", 57, "handler", "uploader.put(key_name, body)"),
            ("/var/task/export/s3.py", 29, "put", "self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, **self._sse)"),
            ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call",
             "raise error_class(parsed_response, operation_name)")])]
    fm.logs(body, streams=2, start=-7200, cold_every=60)
    sm = LambdaModel(sc, SYNC, 512, lambda t: [Inv(False, 14000 + sc.g(1500), "ok", 240)] if (t // 60) % 10 == 2 else [])
    sm.metrics()
    sm.logs(lambda ts, rid, inv: [(0.2, py(sc, ts, "INFO", rid, f"synced {sc.rng.randint(40, 400)} journal headers from "
                                                                f"ERP (api v{'3' if ts > -3100 else '2'})"))],
            streams=1, start=-7200)
    rds(sc, DB, cpu=lambda t: 9 + 10 * d(t) + 22 * bump(t, g0, g1, 1.0, 300) + sc.g(1.2),
        conns=lambda t: 40 + 18 * d(t) + 16 * bump(t, g0, g1, 1.0, 300) + sc.g(2),
        free_storage=lambda t: 380 * GB + sc.g(0.05 * GB), freeable=lambda t: 5.4 * GB + sc.g(0.04 * GB),
        read_lat=lambda t: 0.0009 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0012 + abs(sc.g(0.0002)),
        read_iops=lambda t: 200 + 150 * d(t) + 900 * bump(t, g0, g1, 1.0, 300) + sc.g(15),
        write_iops=lambda t: 150 + 90 * d(t) + sc.g(10))
    ec2(sc, EC, cpu=lambda t: 3 + 88 * bump(t, g0, g1, 1.0, 300) + abs(sc.g(1.2)),
        net_in=lambda t: 2e5 + 7e8 * bump(t, g0, g1, 1.0, 300) + abs(sc.g(3e4)),
        net_out=lambda t: 1e5 + 3e8 * bump(t, g0, g1, 1.0, 300) + abs(sc.g(3e4)), step=300)
    sc.change(-9000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    sc.change(-3100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", SYNC, "ci-deployer")
    sc.change(CH, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci")
    auto_alarm(sc, "finance-export-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 5,
               "GreaterThanThreshold", "finance-export Lambda errors")
    sc.expect("finance-export-errors", "permission_denied", [FN, ROLE], [
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="origin (Lambda Errors)", decoys="finance-pg snapshot; finance-ledger-sync deploy 14 min before; "
                   "gl-batch-1's usual 08:00 close-batch CPU peak")
    return sc


def s11() -> Scn:
    sc = Scn("h45-11-ingest-queue-age-consumer-release", 4511, "sa-east-1", "2026-03-26T14:20:00",
             "ingest-events queue backing up; oldest-message age alarm fired.", tz=-3)
    CL, SV, Q, DB, DG = "ingest", "events-consumer", "ingest-events", "events-pg", "events-analytics-digest"
    TD, UP = -2220, -2160
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", desired_count=6, language="go",
           task_definition="events-consumer:143", log_groups=["/ecs/events-consumer"])
    sc.res("rds", DB, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge", max_connections=1700,
           parameter_group="events-pg15", parameter_apply_status="pending-reboot",
           log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    sc.res("lambda", DG, runtime="python3.12", timeout=300, memory_size=512, schedule="rate(10 minutes)")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    ROLL = UP + 150
    rate = {t: (900 + 2600 * (d(t) - 0.3) / 0.7) * (1 + sc.g(0.03)) for t in range(HIST, 0, 60)}
    vis, age, b = {}, {}, 0.0
    for t in range(HIST, 0, 60):
        ok = rate[t] * (1.0 if t < UP + 60 else max(0.0, 1 - (t - UP - 60) / 90))
        b += rate[t] - ok
        vis[t] = b + sc.rng.uniform(0, 60)
        age[t] = sc.rng.uniform(1, 12) if t < UP + 90 else t - (UP + 90) + sc.rng.uniform(30, 58)
    sqs(sc, Q, sent=rate.__getitem__, received=lambda t: rate[t] if t < UP + 60 else rate[t] * 1.1,
        deleted=lambda t: rate[t] * (1.0 if t < UP + 60 else max(0.0, 1 - (t - UP - 60) / 90)),
        visible=vis.__getitem__, age=age.__getitem__)
    ecs(sc, CL, SV, cpu=lambda t: 21 + 14 * d(t) - (8 if t >= ROLL else 0) + sc.g(1.5), mem=lambda t: 33 + sc.g(0.6),
        running=lambda t: 12 if UP + 30 <= t < ROLL else 6)
    rds(sc, DB, cpu=lambda t: 14 + 22 * d(t) - (10 if t >= ROLL else 0) + sc.g(1.5),
        conns=lambda t: 96 + 30 * d(t) + sc.g(3),
        free_storage=lambda t: 705 * GB - 0.02 * GB * (min(t, ROLL) - HIST) / 60 + sc.g(0.05 * GB), freeable=lambda t: 10.8 * GB + sc.g(0.05 * GB),
        read_lat=lambda t: 0.0009 + abs(sc.g(0.0001)), write_lat=lambda t: 0.0013 + abs(sc.g(0.0002)),
        read_iops=lambda t: 250 + 200 * d(t) + sc.g(15),
        write_iops=lambda t: (700 + 1600 * d(t)) * (0.15 if t >= ROLL else 1) + sc.g(25))
    dm = LambdaModel(sc, DG, 512, lambda t: [Inv(False, 8200 + sc.g(700), "ok", 210)] if (t // 60) % 10 == 6 else [])
    dm.metrics()
    dm.logs(lambda ts, rid, inv: [(0.2, py(sc, ts, "INFO", rid, f"digest built: {sc.rng.randint(20, 90)}k events, "
                                                                f"{sc.rng.randint(3, 12)} tenants"))], streams=1, start=-9000)

    def z(t, level, caller, msg, **kv):
        rec = {"level": level, "ts": sc.epoch(t), "caller": caller, "msg": msg}
        rec.update(kv)
        return json.dumps(rec, separators=(",", ":"))
    old = [sc.hexid() for _ in range(6)]
    new = [sc.hexid() for _ in range(6)]
    for tasks, ver, a, b_ in ((old, "v1.42.0", LOGS, ROLL), (new, "v1.43.0", UP + 40, 0)):
        for i, k in enumerate(tasks):
            ev = []
            t0 = a + (0 if a == LOGS else i * 18)
            if a != LOGS:
                ev.append((t0, z(t0, "info", "cmd/consumer/main.go:54", "starting events-consumer", version=ver,
                                 commit="9f2c1ab", queue=Q)))
            for t in poisson_times(sc, int(t0) + 1, b_, lambda m: 2.2 + 3 * d(m)):
                if ver == "v1.42.0":
                    ev.append((t, z(t, "info", "consumer/handler.go:171", "batch persisted", n=10,
                                    ms=sc.rng.randint(12, 60))))
                else:
                    ev.append((t, z(t, "error", "consumer/handler.go:188", "failed to persist batch", batch_size=10,
                                    error='pq: column "ingest_region" of relation "raw_events" does not exist',
                                    stacktrace="github.com/acme/ingest/consumer.(*Handler).Handle\n\t/src/consumer/"
                                               "handler.go:188\ngithub.com/acme/ingest/consumer.(*Loop).Run\n\t"
                                               "/src/consumer/loop.go:97")))
                if sc.rng.random() < 0.05:
                    ev.append((t + 0.1, z(t, "warn", "consumer/loop.go:121", "receive returned fewer messages than "
                                                                          "requested", want=10, got=sc.rng.randint(3, 9))))
            if ver == "v1.42.0" and a == LOGS:
                ev.append((ROLL - 20 + i * 3, z(ROLL - 20 + i * 3, "info", "cmd/consumer/main.go:88",
                                               "SIGTERM received, draining", version=ver)))
            sc.log("/ecs/events-consumer", f"events-consumer/events-consumer/{k}", ev)
    ev = pg_background(sc, HIST, 0, ["raw_events", "tenants"], "events", lambda t: 1.2 if t < ROLL else 0.4)
    for t in poisson_times(sc, UP + 60, 0, lambda m: 12.0):
        ev.append((t, pg(sc, t, "ERROR", 'column "ingest_region" of relation "raw_events" does not exist at character 84\n'
                                         "STATEMENT:  INSERT INTO raw_events (tenant_id, event_id, event_type, payload, "
                                         "ingest_region, received_at) VALUES ($1, $2, $3, $4, $5, $6)",
                         client=f"{sc.ip('10.70')}({sc.rng.randint(30000, 60000)})", user="ingest", db="events")))
    sc.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)
    sc.change(-10000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "events-pg15", "dba-lu")
    sc.change(-5000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", DG, "analytics-ci")
    sc.change(TD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "events-consumer",
              "github-actions-deployer")
    sc.change(UP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}", "github-actions-deployer")
    auto_alarm(sc, "ingest-events-oldest-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", {"QueueName": Q}, "Maximum",
               60, 3, 900, "GreaterThanThreshold", "Oldest message in ingest-events older than 15 minutes")
    sc.expect("ingest-events-oldest-age", "bad_deployment", [f"{CL}/{SV}", SV], [
        {"namespace": "AWS/SQS", "name": "ApproximateAgeOfOldestMessage", "dimensions": {"QueueName": Q}}])
    sc.meta = dict(origin="front (SQS queue age)", decoys="pending-reboot parameter edit on events-pg; analytics digest "
                   "Lambda deploy 47 min before; steady short-receive WARN")
    return sc
