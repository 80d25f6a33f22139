"""h62-01 (Kinesis consumer poison record) and h62-02 (Aurora PG writer out of connection slots)."""
from __future__ import annotations

import json

from .common import Scenario, bump, diurnal, ramp
from .kit import (LOG_START, ecs_metrics, emit, hourly, kinesis_metrics, lambda_metrics, log_plan,
                  rds_metrics, sqs_metrics)
from .runtimes import LambdaLogs, pg


# =========================================================================== 01
def s01() -> tuple:
    T0 = -2820
    sc = Scenario(1, "clickstream-sessionizer-stuck-shard",
                  "Sessionizer iterator age alarm; session dashboards stopped updating for part of traffic.",
                  "eu-west-1", 6201, "2026-04-09T07:52:00+00:00")
    fn, enr, cmp_ = "sessionizer", "clickstream-enricher", "parquet-compactor"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1024,
                event_source="kinesis:clickstream-raw", batch_size=500, shards=4,
                maximum_retry_attempts=-1, bisect_batch_on_function_error=False)
    sc.resource("lambda", enr, runtime="python3.12", timeout=30, memory_size=512)
    sc.resource("lambda", cmp_, runtime="python3.12", timeout=900, memory_size=3008)

    day = lambda t: diurnal(sc, t, peak_hour=11, amp=0.3)
    m = lambda_metrics(
        sc, fn, inv=lambda t: 46 * day(t) - ramp(t, T0, T0 + 60),
        errors=lambda t: 7.5 * ramp(t, T0, T0 + 60),
        dur=lambda t: 860 - 120 * ramp(t, T0, T0 + 60),
        iter_age=lambda t: 650 + max(0.0, t - T0) * 1000 * ramp(t, T0, T0 + 30))
    kinesis_metrics(sc, "clickstream-raw", incoming=lambda t: 17800 * day(t),
                    iter_age_ms=lambda t: 700 + max(0.0, t - T0) * 1000 * ramp(t, T0, T0 + 30))
    kinesis_metrics(sc, "sessions-out", incoming=lambda t: 2400 * day(t),
                    write_exc=lambda t: 4.0)
    lambda_metrics(sc, enr, inv=lambda t: 31 * day(t), dur=lambda t: 210, errors=lambda t: 0.05)
    lambda_metrics(sc, cmp_, inv=lambda t: 1.0 if hourly(sc, t, 5, 1, 1) else 0.0,
                   dur=lambda t: 236000 if hourly(sc, t, 5, 4, 1) else 0.0)

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 60, mem_used=(310, 25), prewarm=LOG_START + 120)
    bad_seq = "49650817333128945310442718302711250944729120384601948178"
    first_seq = "49650817333128945310442718301983019344231650829127598098"

    def pt(t):
        d = sc.at(t)
        return d.strftime("%Y-%m-%d %H:%M:%S,") + f"{d.microsecond // 1000:03d}+0000"

    def j(t, reqid, level, loc, msg, **kw):
        o = {"level": level, "location": loc, "message": msg, "timestamp": pt(t),
             "service": "sessionizer", "cold_start": False, "function_name": fn,
             "function_memory_size": "1024", "function_request_id": reqid}
        o.update(kw)
        return json.dumps(o)

    def body(ll_, s, reqid, is_err, cold):
        rng = sc.rng
        if is_err:
            tb = ("Traceback (most recent call last):\n"
                  "  File \"/var/task/sessionizer/handler.py\", line 92, in handler\n"
                  "    evt = parse_event(rec)\n"
                  "  File \"/var/task/sessionizer/parse.py\", line 41, in parse_event\n"
                  "    ts = datetime.fromisoformat(body[\"event_time\"])\n"
                  "ValueError: Invalid isoformat string: '2026-04-09T06:65:12+00:00'")
            lines = [(0.02, j(s, reqid, "INFO", "handler:71", "received batch",
                               shard_id="shardId-000000000001", records=500,
                               first_sequence_number=first_seq)),
                     (0.61, j(s + 0.61, reqid, "ERROR", "handler:97",
                               "Unhandled exception while processing batch",
                               shard_id="shardId-000000000001", record_index=217,
                               sequence_number=bad_seq, exception=tb, exception_name="ValueError")),
                     (0.62, "[ERROR] ValueError: Invalid isoformat string: '2026-04-09T06:65:12+00:00'\n" + tb)]
            return {"dur": rng.gauss(640, 60), "lines": lines}
        shard = f"shardId-00000000000{rng.choice([0, 2, 3] if s >= T0 else [0, 1, 2, 3])}"
        n = rng.randint(380, 500)
        lines = [(0.02, j(s, reqid, "INFO", "handler:71", "received batch", shard_id=shard, records=n))]
        if rng.random() < 0.3:
            lines.append((0.2, j(s + 0.2, reqid, "WARNING", "parse_event:58",
                                 "event missing optional field, defaulting",
                                 field="referrer", count=rng.randint(1, 9))))
        if rng.random() < 0.22:
            lines.append((0.5, j(s + 0.5, reqid, "WARNING", "_put_sessions:141",
                                 "PutRecords partially throttled, retrying failed records",
                                 stream="sessions-out", error_code="ProvisionedThroughputExceededException",
                                 failed_record_count=rng.randint(1, 14), attempt=1)))
        dur = rng.gauss(860, 110)
        lines.append((dur / 1000 - 0.01, j(s + dur / 1000, reqid, "INFO", "handler:110", "batch processed",
                                           shard_id=shard, records=n, sessions_closed=rng.randint(20, 90))))
        return {"dur": dur, "lines": lines}

    li, le = log_plan(sc, m["inv"], m["err"], lambda t: 3 if t < T0 else 4)
    ll.run(li, le, body)

    el = LambdaLogs(sc, enr, "python3.12", 512, 30, prewarm=LOG_START + 120,
                    retire=[T0 - 360])
    em = {t: 1 for t in range(LOG_START, 0, 120)}
    el.run(em, {}, lambda l_, s, r, e, c: {"dur": sc.rng.gauss(210, 30), "lines": [
        (0.05, l_.fmt(s, r, "INFO", f"enriched {sc.rng.randint(200, 480)} events (geo hits {sc.rng.randint(70, 99)}%)"))]})
    cl = LambdaLogs(sc, cmp_, "python3.12", 3008, 900, prewarm=LOG_START - 4000)
    cm = {t: 1 for t in range(LOG_START, 0, 60) if hourly(sc, t, 5, 1, 1)}
    cl.run(cm, {}, lambda l_, s, r, e, c: {"dur": sc.rng.gauss(236000, 9000), "lines": [
        (0.1, l_.fmt(s, r, "INFO", f"compacting s3://lake-raw/clickstream/dt={sc.at(s):%Y-%m-%d}/hour={sc.at(s - 3600):%H}/")),
        (180.0, l_.fmt(s + 180, r, "INFO", f"wrote {sc.rng.randint(10, 16)} parquet files from {sc.rng.randint(1700, 1900)} objects"))]})

    # ---------------------------------------------------------------- alarms/changes
    sc.alarm("sessionizer-iterator-age", "AWS/Lambda", "IteratorAge", {"FunctionName": fn},
             "Maximum", 60, 5, 300000, "GreaterThanThreshold",
             "Sessionizer is falling behind clickstream-raw")
    sc.alarm("sessionizer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn},
             "Sum", 60, 3, 3, "GreaterThanThreshold")
    sc.alarm("clickstream-enricher-errors", "AWS/Lambda", "Errors", {"FunctionName": enr},
             "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.change(T0 - 360, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", enr, "m.okafor")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gha-dataplatform-deploy")
    sc.change(-16200, "kinesis.amazonaws.com", "IncreaseStreamRetentionPeriod",
              "AWS::Kinesis::Stream", "clickstream-raw", "terraform-dataplatform")
    sc.expect = {"alarm": "sessionizer-iterator-age",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "IteratorAge",
                                "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="sessionizer-iterator-age", category="application_error", resources=[fn],
                where="origin", services="Lambda, Kinesis",
                decoys="config change on clickstream-enricher 6 min before onset; hourly parquet-compactor run "
                       "starting at onset; old PutRecords throttling and missing-field warnings; second Errors alarm",
                story=(
                    "The Kinesis consumer `sessionizer` (Python, Powertools JSON logs, infinite retries, no "
                    "bisect-on-error) starts failing at about -47 min. Every failing invocation logs the same "
                    "shard (`shardId-000000000001`), the same `sequence_number` and the same `ValueError: Invalid "
                    "isoformat string` from `parse_event`; the other three shards keep processing. IteratorAge "
                    "grows one second per second while Invocations stay flat: a poison record blocking one shard. "
                    "The function's last deploy was 5.5 h earlier with hours of clean processing after it. The "
                    "config change on `clickstream-enricher` 6 min before onset touches another function whose "
                    "metrics never move; the hourly `parquet-compactor` run that coincides with onset runs every "
                    "hour; the `ProvisionedThroughputExceededException` retry warnings on `sessions-out` and the "
                    "missing `referrer` warnings are at the same rate for the whole three hours of logs."),
                judgement=("A bad record written by a producer could be called a data problem upstream, but "
                           "no producer resource is faulty and nothing changed: the consumer's unhandled "
                           "exception with no preceding change is `application_error` on `sessionizer`."))
    return sc, info


# =========================================================================== 02
def s02() -> tuple:
    T0 = -3180
    sc = Scenario(2, "settlement-queue-backlog",
                  "settlement-events queue is backing up; oldest message age alarm paged the payments data team.",
                  "us-east-2", 6202, "2026-06-17T14:26:00+00:00")
    cl, svc, other = "ingest", "settlement-writer", "statement-renderer"
    w, r = "pgcore-1", "pgcore-2"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=6,
                log_group=f"/ecs/{svc}", image="settlement-writer:2.14.1", consumes="sqs:settlement-events")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    sc.resource("rds", w, engine="aurora-postgresql", engine_version="15.6", instance_class="db.r6g.xlarge",
                max_connections=400, cluster="pgcore", role="writer")
    sc.resource("rds", r, engine="aurora-postgresql", engine_version="15.6", instance_class="db.r6g.xlarge",
                max_connections=400, cluster="pgcore", role="reader")
    sc.resource("lambda", "recon-export", runtime="python3.12", timeout=900, memory_size=2048)

    day = lambda t: diurnal(sc, t, peak_hour=15, amp=0.2)
    full = lambda t: ramp(t, T0 - 900, T0)
    nightly = lambda t: bump(t, -6900, -5100, 1.0, 240)
    rds_metrics(sc, w, cpu=lambda t: 31 * day(t) + 6 * full(t), conns=lambda t: 168 + 232 * full(t) - 3 * ramp(t, T0, T0 + 60),
                write_lat=lambda t: 0.0021 + 0.0009 * full(t), aurora=True)
    rds_metrics(sc, r, cpu=lambda t: 18 + 71 * nightly(t), conns=lambda t: 34 + 40 * nightly(t), aurora=True,
                read_lat=lambda t: 0.0011 + 0.006 * nightly(t))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 38 * day(t) - 20 * ramp(t, T0, T0 + 120),
                mem=lambda t: 46 + 3 * full(t))
    ecs_metrics(sc, cl, other, cpu=lambda t: 22 + 8 * ramp(t, T0 - 240, T0 - 120), mem=lambda t: 51)
    drain = lambda t: 1 - 0.82 * ramp(t, T0, T0 + 120)
    sqs_metrics(sc, "settlement-events", sent=lambda t: 610 * day(t), deleted=lambda t: 610 * day(t) * drain(t),
                visible=lambda t: 25 + 500 * max(0.0, t - T0) / 60 * ramp(t, T0, T0 + 120),
                age=lambda t: 6 + max(0.0, t - T0) * 0.97 * ramp(t, T0, T0 + 120))
    lambda_metrics(sc, "recon-export", inv=lambda t: 1.0 if -6900 <= t < -6840 else 0.0,
                   dur=lambda t: 0.0 if t < -6900 or t > -6840 else 880000)

    # ---------------------------------------------------------------- logs
    tasks = [sc.hexid(32) for _ in range(6)]
    grp = f"/ecs/{svc}"

    def ts(t):
        return sc.iso(t, 6)

    def wline(t):
        rng = sc.rng
        task = rng.choice(tasks)
        st = f"ecs/{svc}/{task}"
        if t >= T0 and rng.random() < 0.8:
            if rng.random() < 0.6:
                txt = (f'time={ts(t)} level=error msg="commit batch failed" queue=settlement-events '
                       f'batch={rng.randint(1, 10)} attempt={rng.randint(1, 5)} err="failed to connect to '
                       f'`host=pgcore.cluster-cx81kq2vprlm.us-east-2.rds.amazonaws.com user=settlement database=ledger`: '
                       f'server error (FATAL: remaining connection slots are reserved for non-replication '
                       f'superuser connections (SQLSTATE 53300))"')
            else:
                txt = (f'time={ts(t)} level=error msg="acquire conn" pool=pgxpool err="failed to connect to '
                       f'`host=pgcore.cluster-cx81kq2vprlm.us-east-2.rds.amazonaws.com user=settlement database=ledger`: '
                       f'server error (FATAL: sorry, too many clients already (SQLSTATE 53300))" wait_ms={rng.randint(900, 5000)}')
            return st, txt
        if rng.random() < 0.12:
            return st, (f'time={ts(t)} level=warn msg="duplicate message skipped" queue=settlement-events '
                        f'settlement_id=stl_{rng.randint(10 ** 7, 10 ** 8)} receive_count={rng.randint(2, 4)}')
        if rng.random() < 0.05:
            return st, (f'time={ts(t)} level=error msg="commit batch failed" queue=settlement-events '
                        f'err="ERROR: deadlock detected (SQLSTATE 40P01)" attempt=1 will_retry=true')
        return st, (f'time={ts(t)} level=info msg="batch committed" queue=settlement-events '
                    f'msgs={rng.randint(6, 10)} rows={rng.randint(20, 80)} dur_ms={rng.randint(40, 190)}')
    emit(sc, grp, LOG_START, 0, lambda t: 5, wline)

    def pgl(t):
        rng = sc.rng
        if t >= T0 - 60 and rng.random() < 0.75:
            return pg(sc, t, "FATAL", "remaining connection slots are reserved for non-replication superuser connections",
                      client=f"10.40.{rng.randint(10, 60)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
                      user="settlement", db="ledger")
        if rng.random() < 0.3:
            return pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(900, 3000)} buffers; "
                                    f"write={rng.uniform(20, 30):.3f} s, sync=0.002 s", pid=612)
        return pg(sc, t, "LOG", "connection authorized: user=settlement database=ledger application_name=settlement-writer SSL enabled",
                  client=f"10.40.{rng.randint(10, 60)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})",
                  user="settlement", db="ledger")
    emit(sc, f"/aws/rds/cluster/pgcore/postgresql", LOG_START, 0,
         lambda t: 2 + 2 * full(t), pgl, stream=w)
    emit(sc, "/aws/rds/cluster/pgcore/postgresql", LOG_START, 0, lambda t: 1 + 3 * nightly(t),
         lambda t: pg(sc, t, "LOG", (f"duration: {sc.rng.uniform(4000, 38000):.3f} ms  statement: SELECT s.merchant_id, "
                                     "sum(s.amount) FROM settlements s JOIN payouts p USING (payout_id) WHERE s.settled_on = $1 GROUP BY 1")
                      if nightly(t) > 0.5 else "checkpoint starting: time", user="recon" if nightly(t) > 0.5 else "",
                      db="ledger" if nightly(t) > 0.5 else ""),
         stream=r)
    old_t, new_t = [sc.hexid(32) for _ in range(2)], [sc.hexid(32) for _ in range(2)]
    emit(sc, f"/ecs/{other}", LOG_START, 0, 1,
         lambda t: (f"ecs/{other}/{sc.rng.choice(old_t if t < T0 - 150 else new_t)}",
                    json.dumps({"ts": sc.iso(t), "lvl": "info", "msg": "rendered statement", "pages": sc.rng.randint(1, 6)})))

    # ---------------------------------------------------------------- alarms/changes
    sc.alarm("settlement-events-oldest-message", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "settlement-events"}, "Maximum", 60, 5, 600, "GreaterThanThreshold",
             "Settlements not being written to the ledger")
    sc.alarm("pgcore-1-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": w},
             "Maximum", 60, 3, 360, "GreaterThanThreshold")
    sc.alarm("pgcore-2-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": r},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.change(T0 - 250, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}",
              "gha-statements-deploy")
    sc.change(T0 - 262, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{other}:88", "gha-statements-deploy")
    sc.change(-7000, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "recon-export-nightly", "terraform-payments")
    sc.expect = {"alarm": "settlement-events-oldest-message",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [w]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": w}}]}
    info = dict(alarm="settlement-events-oldest-message", category="db_connection_exhaustion", resources=[w],
                where="front (SQS queue of the ECS worker)", services="ECS, SQS, Aurora PostgreSQL, Lambda",
                decoys="deploy of ingest/statement-renderer 4 min before onset; nightly recon-export pinning the "
                       "reader (and its CPU alarm) 1 h earlier; old deadlock and duplicate-message log lines",
                story=(
                    "The Go worker `ingest/settlement-writer` (logfmt) drains `settlement-events` into the Aurora "
                    "PostgreSQL writer `pgcore-1`. Over 15 minutes DatabaseConnections on the writer climb from "
                    "~170 to its `max_connections` of 400 and stay there; from then on every commit fails with "
                    "`FATAL: remaining connection slots are reserved ...` / `sorry, too many clients already "
                    "(SQLSTATE 53300)`, which the writer's PostgreSQL log repeats. Deletes drop, the queue and "
                    "its oldest-message age grow and the SQS alarm fires. The deploy of `statement-renderer` 4 "
                    "minutes before onset is another service with its own healthy logs; the reader `pgcore-2` "
                    "spiked (and alarmed) an hour earlier during the nightly `recon-export` and is back to OK; "
                    "deadlock retries and duplicate skips are at their usual rate."),
                judgement=None)
    return sc, info
