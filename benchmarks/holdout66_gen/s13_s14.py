"""h66-13 (census snapshot month-end bug) and h66-14 (audit DB fills during the nightly rollup)."""
from __future__ import annotations

from .common import bump, ramp
from .kit import M, jl, meta, minutes, new_scenario, sprinkle
from .runtimes import LambdaLogs, pg


def build_13():
    sc = new_scenario(13, "census-month-end", "Ward census snapshots failing since midnight; Lambda "
                      "Errors alarm.", "us-east-2", 6613, "2026-03-31T00:52:00+00:00")
    T0 = -3120  # 00:00 on the 31st
    fn, db, other, exp = "census-snapshot", "pg-adt-01", "discharge-letter-gen", "audit-log-export"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=512,
                schedule="rate(5 minutes)")
    sc.resource("lambda", other, runtime="python3.12", timeout=120, memory_size=1024)
    sc.resource("lambda", exp, runtime="python3.12", timeout=900, memory_size=512,
                schedule="cron(0 0 * * ? *)")
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=800)
    runs = [t for t in minutes(-21600) if sc.at(t).minute % 5 == 0]
    dl = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", dl, "Count", [8.0] * len(runs), times=runs)
    sc.metric("AWS/Lambda", "Errors", dl, "Count", [8.0 if t >= T0 else 0.0 for t in runs], times=runs)
    sc.metric("AWS/Lambda", "Duration", dl, "Milliseconds",
              sc.series(lambda t: 210 if t >= T0 else 1900, noise=0.1, times=runs), times=runs)
    sc.metric("AWS/Lambda", "Throttles", dl, "Count", [0.0] * len(runs), times=runs)
    dd = {"DBInstanceIdentifier": db}
    vac = lambda t: bump(t, T0, T0 + 1500, 1.0, edge=60)
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 16 + 60 * vac(t), noise=0.06)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 52 + 5 * vac(t), integer=True)
    M(sc, "AWS/RDS", "WriteIOPS", dd, "Count/Second", lambda t: 300 + 1900 * vac(t), noise=0.1)
    M(sc, "AWS/RDS", "ReadLatency", dd, "Seconds", lambda t: 0.0009 + 0.0006 * vac(t), noise=0.15,
      digits=5)
    de = {"FunctionName": exp}
    M(sc, "AWS/Lambda", "Invocations", de, "Count", lambda t: 1 if t == T0 else None)
    M(sc, "AWS/Lambda", "Duration", de, "Milliseconds", lambda t: 655000 if t == T0 else None)
    M(sc, "AWS/Lambda", "Errors", de, "Count", lambda t: 0 if t == T0 else None)
    ll = LambdaLogs(sc, fn, "python3.12", 512, 60, prewarm=-21600)
    hosp = ["MAIN", "NORTH", "EAST", "CHILD", "REHAB", "ORTHO", "WOMEN", "PSYCH"]

    def body(ll, s, rid, is_err, cold):
        h = sc.rng.choice(hosp)
        day = sc.at(s).strftime("%Y-%m-%d")
        lines = [(0.002, ll.fmt(s, rid, "info", f"census snapshot site={h} date={day}"))]
        if sc.rng.random() < 0.5:
            lines.append((0.05, ll.fmt(s, rid, "warning", f"bed {sc.rng.choice(['7A', '3C', '5B'])}-"
                                       f"{sc.rng.randint(1, 30)} has no ward code; skipping")))
        if sc.rng.random() < 0.2:
            lines.append((0.06, ll.fmt(s, rid, "error", f"ADT A02 transfer for visit V{sc.rng.randint(10 ** 6, 10 ** 7)} "
                                       "arrived before admit; parked for replay")))
        if is_err:
            lines.append((0.15, (f"[ERROR] ValueError: day is out of range for month\nTraceback (most recent "
                                 "call last):\n  File \"/var/task/app.py\", line 38, in handler\n    forecast = "
                                 "build_forecast(site, snapshot_date)\n  File \"/var/task/census/forecast.py\", "
                                 "line 21, in build_forecast\n    target = same_day_next_month(d)\n  File "
                                 "\"/var/task/census/dates.py\", line 9, in same_day_next_month\n    return "
                                 "d.replace(month=d.month % 12 + 1)")))
            return {"lines": lines, "dur": sc.rng.uniform(150, 260)}
        d = sc.rng.uniform(1500, 2300)
        lines.append((d / 1000, ll.fmt(s + d / 1000, rid, "info", f"snapshot stored occupied="
                                       f"{sc.rng.randint(80, 400)} forecast_target=2026-04-{sc.at(s).day:02d}")))
        return {"lines": lines, "dur": d}
    ll.run({t: 8 for t in runs if t >= -14400}, {t: 8 for t in runs if t >= T0}, body)
    pgg = f"/aws/rds/instance/{db}/postgresql"
    sprinkle(sc, T0, T0 + 1500, lambda t: 1.2, lambda s: sc.log(pgg, db, s, pg(
        sc, s, "LOG", f'automatic vacuum of table "adt.public.{sc.rng.choice(["encounters", "bed_events", "census_snapshots"])}": '
        f"index scans: 1, pages: 0 removed, {sc.rng.randint(10 ** 4, 10 ** 5)} remain")))
    sprinkle(sc, -21600, 0, lambda t: 0.1, lambda s: sc.log(pgg, db, s, pg(sc, s, "LOG", "checkpoint starting: time")))
    el = LambdaLogs(sc, exp, "python3.12", 512, 900, prewarm=-21600)
    el.run({T0: 1}, {}, lambda ll, s, r, e, c: {"lines": [
        (0.1, ll.fmt(s, r, "info", "Exporting PHI access audit for 2026-03-30: 2.3M events")),
        (650, ll.fmt(s + 650, r, "info", "Export complete, 23 files"))], "dur": 655000})
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 300, 1, 3, "GreaterThanThreshold",
             "Census snapshot failures")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", dd, "Average", 300, 2, 70,
             "GreaterThanThreshold")
    sc.change(-15500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "gha-clinical-data")
    sc.change(T0 - 110, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "gha-clinical-docs")
    sc.change(T0 - 100, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              other, "gha-clinical-docs")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": dl}]}
    meta(sc, alarm_pos="origin", services=["Lambda (Python)", "RDS Postgres"],
         decoys=["discharge-letter deploy 2 min before midnight", "midnight vacuum DB CPU spike + alarm",
                 "census-snapshot deploy 4.3 h earlier (clean runs since)", "ADT parked errors all night"],
         story=(
             "The census snapshot runs every 5 minutes for 8 sites and was clean all evening, "
             "including 4 h after its own deploy. At 00:00 on 31 March every invocation fails: "
             "`ValueError: day is out of range for month` in `same_day_next_month` (31 April does not "
             "exist). Nothing changed on the function near midnight. The discharge-letter deploy is "
             "another function, and the DB CPU spike is the nightly vacuum, with no DB error in the "
             "traceback. The ADT parked errors and bed warnings were there all night."),
         judgement=("The calendar triggered a latent bug with no change, resource fault or dependency "
                    "fault before onset, so application_error. The deploy 4.3 h earlier is too far "
                    "back and was followed by about 40 clean runs, so it is not bad_deployment."))
    return sc


def build_14():
    sc = new_scenario(14, "audit-db-rollup", "PHI access-audit writes failing overnight; Lambda Errors "
                      "alarm on the writer.", "eu-west-2", 6614, "2026-03-21T01:40:00+00:00")
    JOB, FULL = -2400, -1320  # 01:00 rollup start, 01:18 storage full
    db, fn, rep = "pg-audit-02", "access-audit-writer", "pg-reporting"
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
                max_connections=1200, allocated_storage_gb=500, storage_autoscaling=False)
    sc.resource("rds", rep, engine="postgres", instance_class="db.r6g.large", allocated_storage_gb=800)
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=15, memory_size=256,
                trigger="kinesis:phi-access-events")
    full = lambda t: t >= FULL
    dd = {"DBInstanceIdentifier": db}
    free = lambda t: 0.0 if full(t) else max(0.0, 2.31e10 - 2.2e5 * (t + 21600) - 1.85e10 *
                                                   ramp(t, JOB, FULL) ** 1.2)
    M(sc, "AWS/RDS", "FreeStorageSpace", dd, "Bytes", lambda t: free(t) + (4.1e7 if full(t) else 0),
      noise=0.002, digits=0)
    M(sc, "AWS/RDS", "CPUUtilization", dd, "Percent", lambda t: 18 + 44 * ramp(t, JOB, JOB + 120) *
      (0.3 if full(t) else 1), noise=0.07)
    M(sc, "AWS/RDS", "WriteIOPS", dd, "Count/Second", lambda t: 900 + 4200 * ramp(t, JOB, JOB + 120) *
      (0.05 if full(t) else 1), noise=0.08)
    M(sc, "AWS/RDS", "WriteLatency", dd, "Seconds", lambda t: 0.0016 + 0.004 * ramp(t, JOB, JOB + 120),
      noise=0.15, digits=5)
    M(sc, "AWS/RDS", "DatabaseConnections", dd, "Count", lambda t: 140 + 10 * ramp(t, JOB, JOB + 60),
      integer=True)
    M(sc, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": rep}, "Bytes",
      lambda t: 3.1e11 + (2.0e11 if t >= -1400 + 900 else 0), noise=0.001, digits=0)
    dl = {"FunctionName": fn}
    inv = M(sc, "AWS/Lambda", "Invocations", dl, "Count", lambda t: 11, integer=True)
    errs = {t: min(v, round(v * 0.9)) if full(t) else 0 for t, v in inv.items()}
    sc.metric("AWS/Lambda", "Errors", dl, "Count", list(errs.values()))
    M(sc, "AWS/Lambda", "Duration", dl, "Milliseconds", lambda t: 85 + 40 * ramp(t, JOB, JOB + 120),
      noise=0.15)
    M(sc, "AWS/Lambda", "IteratorAge", dl, "Milliseconds", lambda t: 400 + (900 * (t - FULL) if full(t) else 0),
      noise=0.1)
    ll = LambdaLogs(sc, fn, "nodejs22.x", 256, 15, prewarm=-14400)

    def body(ll, s, rid, is_err, cold):
        n = sc.rng.randint(20, 100)
        lines = [(0.003, ll.fmt(s, rid, "info", jl({"msg": "batch", "records": n, "shard": "shardId-00000000000" + str(sc.rng.randint(0, 3))})))]
        if sc.rng.random() < 0.2:
            lines.append((0.01, ll.fmt(s, rid, "warn", "duplicate audit event id dropped")))
        if sc.rng.random() < 0.15:
            lines.append((0.02, ll.fmt(s, rid, "error", "Audit event rejected: missing actor.npi "
                                       "(sent to DLQ)")))
        if is_err:
            rel = sc.rng.choice(["base/16401/98231.41", "base/16401/98244", "base/16401/98231.42"])
            lines.append((0.04, ll.fmt(s, rid, "error", "Invoke Error \t" + jl({
                "errorType": "error", "errorMessage": f'could not extend file "{rel}": No space left on device',
                "code": "53100", "severity": "ERROR", "hint": "Check free disk space.",
                "stack": [f'error: could not extend file "{rel}": No space left on device',
                          "    at /var/task/node_modules/pg/lib/client.js:535:17",
                          "    at async insertBatch (/var/task/dist/writer.js:61:5)"]}))))
            return {"lines": lines, "dur": sc.rng.uniform(30, 90)}
        return {"lines": lines + [(0.08, ll.fmt(s, rid, "info", jl({"msg": "inserted", "rows": n})))],
                "dur": sc.rng.uniform(60, 160)}
    ll.run({t: v for t, v in inv.items() if t >= -14400}, errs, body)
    pgg = f"/aws/rds/instance/{db}/postgresql"
    sprinkle(sc, -21600, 0, lambda t: 0.2, lambda s: sc.log(pgg, db, s, pg(sc, s, "LOG", "checkpoint starting: time")))
    sprinkle(sc, -21600, JOB, lambda t: 0.3, lambda s: sc.log(pgg, db, s, pg(
        sc, s, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT count(*) FROM "
        "access_events WHERE actor_id = $1 AND ts > now() - interval '90 days'", user="compliance_ro",
        db="audit")))
    sc.log(pgg, db, JOB + 20, pg(sc, JOB + 20, "LOG", "statement: CREATE INDEX CONCURRENTLY "
                                 "access_events_2026_03_actor_ts_idx ON access_events_2026_03 (actor_id, ts)",
                                 user="rollup", db="audit"))
    sprinkle(sc, FULL, 0, lambda t: 6, lambda s: sc.log(pgg, db, s, pg(
        sc, s, "ERROR", 'could not extend file "base/16401/98231.41": No space left on device',
        user="audit_writer", db="audit")))
    sc.log(pgg, db, FULL + 5, pg(sc, FULL + 5, "ERROR", 'could not write to file "base/pgsql_tmp/'
                                 'pgsql_tmp9133.18": No space left on device', user="rollup", db="audit"))
    sc.log(pgg, db, FULL + 6, pg(sc, FULL + 6, "STATEMENT", "CREATE INDEX CONCURRENTLY "
                                 "access_events_2026_03_actor_ts_idx ON access_events_2026_03 (actor_id, ts)",
                                 user="rollup", db="audit"))
    jg, js = "/ecs/audit-rollup", f"ecs/audit-rollup/{sc.hexid(32)}"
    for i, (dt, m) in enumerate([(2, "rollup starting: month=2026-03 partitions=31"),
                                 (15, "merging daily partitions into access_events_2026_03"),
                                 (FULL - JOB + 8, "rollup failed: could not write to file base/pgsql_tmp: No space left on device")]):
        sc.log(jg, js, JOB + dt, jl({"ts": sc.iso(JOB + dt), "level": "error" if i == 2 else "info", "msg": m}))
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", dl, "Sum", 60, 3, 3, "GreaterThanThreshold",
             "Audit writer failing (compliance impact)")
    sc.alarm(f"{fn}-iterator-age", "AWS/Lambda", "IteratorAge", dl, "Maximum", 60, 5, 60000,
             "GreaterThanThreshold")
    sc.change(-20500, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup-audit")
    sc.change(JOB - 3, "ecs.amazonaws.com", "RunTask", "AWS::ECS::TaskDefinition", "audit-rollup:9",
              "eventbridge-ecs-scheduler")
    sc.change(-1400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", rep, "k.osei")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": dd}]}
    meta(sc, alarm_pos="front (calling Lambda)", services=["Lambda (Node.js 22)", "RDS Postgres", "ECS task"],
         decoys=["ModifyDBInstance on another DB 80 s before disk-full",
                 "01:00 rollup CPU/IOPS spike", "missing-NPI DLQ errors all night"],
         story=(
             "The audit DB's FreeStorageSpace drifts down slowly all evening (~23 GB free at the "
             "start). At 01:00 the monthly audit rollup starts a `CREATE INDEX CONCURRENTLY` on the "
             "month partition, and free space falls to zero at 01:18. From then Postgres logs `could "
             "not extend file ... No space left on device`, the writer Lambda fails with SQLSTATE "
             "53100, and Kinesis IteratorAge grows. The rollup itself dies on `pgsql_tmp`. Someone "
             "modified `pg-reporting` (a storage increase) 80 s before, but that is another DB, so "
             "it is a decoy. CPU only reaches ~60 %."))
    return sc


BUILDERS = [build_13, build_14]
