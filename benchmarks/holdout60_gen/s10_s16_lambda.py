"""Scenarios 10 (month-end batches outgrow the timeout) and 16 (statement_timeout on the replica)."""
from __future__ import annotations

from .common import Scenario, bump, diurnal, ramp
from .kit import (LambdaLogs, counts, emit, gauge, lambda_block, lambda_metrics, lambda_run,
                  periodic, rds_metrics, share, sqs_metric)
from .runtimes import pg


# ============================================================================ 10
def s10() -> Scenario:
    sc = Scenario(10, "interest-accrual", "Interest accrual for November close not completing; "
                  "accrual worker Errors alarm.", "us-east-2", 6010, "2026-11-30T15:35:00+00:00")
    T0, TD = -2100, -2240
    fn = "interest-accrual-worker"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1024,
                trigger="SQS accrual-jobs (batch size 50)")
    sc.resource("lambda", "loan-events-publisher", runtime="dotnet8", timeout=15, memory_size=512)
    sc.resource("rds", "loans-pg", engine="postgres", engine_version="16.4",
                instance_class="db.r6g.xlarge", max_connections=1500, allocated_storage_gb=1200)

    me = lambda t: 1.0 if t >= T0 else 0.0
    inv = counts(sc, lambda t: 12 * (1 + 0.45 * ramp(t, T0, T0 + 600)))
    err = share(sc, inv, lambda t: 0.84 * me(t))
    dur = gauge(sc, lambda t: 7400 + 21000 * me(t), noise=0.07)
    dur = [min(30000.0, d) for d in dur]
    conc = counts(sc, lambda t: 1.6 + 6 * me(t), noise=0.05)
    lambda_metrics(sc, fn, inv, err, dur, conc=conc)
    sqs_metric(sc, "accrual-jobs", "ApproximateAgeOfOldestMessage", "Seconds",
               gauge(sc, lambda t: 40 + max(0, t - T0) * 0.9, noise=0.1))
    sqs_metric(sc, "accrual-jobs", "NumberOfMessagesSent", "Count",
               counts(sc, lambda t: 600 + 280 * me(t)))
    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 30)

    def body(ll, t, rid, is_err, cold):
        full = t >= T0
        mode = "MONTH_END_FULL" if full else "DAILY"
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Processing batch of 50 messages mode={mode} "
                               f"as_of=2026-11-30")),
                 (0.06, ll.fmt(t, rid, "INFO", f"Loaded 50 loans from loans-pg in "
                               f"{sc.rng.randint(18, 45)} ms"))]
        if sc.rng.random() < 0.2:
            lines.append((0.08, ll.fmt(t, rid, "WARN", "Rate table cache miss for product "
                                       f"HELOC-{sc.rng.randint(1, 9)}, loading")))
        if sc.rng.random() < 0.25:
            lines.append((0.1, ll.fmt(t, rid, "ERROR", f"Loan L-{sc.rng.randint(10 ** 6, 10 ** 7)} "
                                      "skipped: status ChargedOff is not accruable")))
        if full:
            step_ms = sc.rng.uniform(640, 980)
            for i in range(3):
                lines.append((0.1 + (i + 1) * step_ms / 1000, ll.fmt(
                    t + (i + 1) * step_ms / 1000, rid, "INFO",
                    f"Recomputed amortization schedule for loan L-{sc.rng.randint(10 ** 6, 10 ** 7)} "
                    f"(360 periods) in {step_ms:.0f} ms")))
            if is_err:
                return {"lines": lines, "dur": 30000, "status": "timeout"}
            d = sc.rng.uniform(21000, 29500)
            lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                          f"Batch complete accrued=50 schedules_rebuilt=50 elapsed_ms={d:.0f}")))
            return {"lines": lines, "dur": d}
        d = max(2500.0, sc.rng.gauss(7400, 1200))
        lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "INFO",
                      f"Batch complete accrued=50 schedules_rebuilt=0 elapsed_ms={d:.0f}")))
        return {"lines": lines, "dur": d}
    lambda_run(ll, inv, err, body, cap=3)

    def pub(ll, t, rid, is_err, cold):
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", f"Published {sc.rng.randint(1, 30)} loan "
                                        "events to EventBridge bus loans"))],
                "dur": sc.rng.uniform(60, 300)}
    lambda_block(sc, "loan-events-publisher", "dotnet8", 512, 15, lambda t: 5, lambda t: 150,
                 lambda t: 0.0, pub, cap=2, retire=(TD + 10,))
    rds_metrics(sc, "loans-pg", gauge(sc, lambda t: 26 * diurnal(sc, t, 15) + bump(t, -8100, -7300, 41)
                                      + 3 * me(t), abs_noise=2),
                counts(sc, lambda t: 180 + 8 * me(t)), gauge(sc, lambda t: 655, noise=0.0005),
                gauge(sc, lambda t: 0.0008, noise=0.15, digits=5),
                gauge(sc, lambda t: 0.0016, noise=0.15, digits=5))

    sc.change(-16500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "loan-events-publisher", "octopus-deploy")
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "loan-events-publisher", "octopus-deploy")

    sc.alarm("loans-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "loans-pg"},
             "Average", 300, 1, 60, "GreaterThanThreshold")
    sc.alarm("accrual-jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage",
             {"QueueName": "accrual-jobs"}, "Maximum", 300, 1, 600, "GreaterThanThreshold")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Interest accrual worker errors")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin",
        services="Lambda (.NET 8), SQS, RDS PostgreSQL",
        decoys="loan-events-publisher configuration update 2.3 min before onset; old 'ChargedOff' "
               "ERROR lines and cache-miss WARNs; RDS CPU spike and alarm 1.7 h earlier",
        story=(
            "`interest-accrual-worker` (.NET 8 Lambda, 30 s timeout, SQS batches of 50) normally "
            "finishes a DAILY batch in ~7 s. At 15:00 UTC on the last day of the month the jobs "
            "switch to `mode=MONTH_END_FULL`, which rebuilds each loan's 360-period amortization "
            "schedule at ~0.8 s a loan; most invocations now end with `Task timed out after "
            "30.00 seconds` (`Status: timeout` in REPORT, Duration pinned at 30,000 ms), "
            "retries raise Invocations and the queue age grows. There are no dependency errors: "
            "loans load from `loans-pg` in ~30 ms before and after, and the DB is healthy. "
            "Decoys: `loan-events-publisher` gets a configuration update 2.3 min before onset; "
            "the `skipped: status ChargedOff` ERROR lines have been there all day; the DB had a "
            "CPU spike (and alarm) almost two hours earlier."),
    )
    return sc


# ============================================================================ 16
def s16() -> Scenario:
    sc = Scenario(16, "regulatory-reports", "Quarter-end regulatory report runs failing; report "
                  "builder Errors alarm.", "eu-central-1", 6016, "2026-03-31T15:50:00+00:00")
    TC, TD = -2580, -2550
    T0 = TC + 50
    db, fn, pgroup = "rpt-replica-01", "reg-report-builder", "rpt-replica-pg16"
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
                max_connections=800, allocated_storage_gb=3000, parameter_group=pgroup,
                replica_of="core-pg-primary")
    sc.resource("rds", "core-pg-primary", engine="postgres", engine_version="16.2",
                instance_class="db.r6g.4xlarge", max_connections=2000, allocated_storage_gb=3000,
                parameter_group="core-pg16")
    sc.resource("lambda", fn, runtime="python3.12", timeout=900, memory_size=3008,
                trigger="Step Functions reg-reporting-q1")
    sc.resource("lambda", "report-archiver", runtime="nodejs20.x", timeout=120, memory_size=512)

    on = lambda t: 1.0 if t >= T0 else 0.0
    inv = counts(sc, lambda t: 3 * (1 + 0.5 * on(t)))
    err = share(sc, inv, lambda t: 0.72 * on(t))
    dur = gauge(sc, lambda t: 94000 - 62000 * on(t), noise=0.15)
    lambda_metrics(sc, fn, inv, err, dur, conc=counts(sc, lambda t: 5 - 2 * on(t), noise=0.05))
    ll = LambdaLogs(sc, fn, "python3.12", 3008, 900, retire=(-9040,))
    reports = ["COREP_C07.00", "COREP_C08.01", "FINREP_F18.00", "LCR_C72.00", "NSFR_C80.00",
               "AE_F32.01"]
    sql = ("SELECT e.entity_id, e.exposure_class, sum(e.ead) FROM regulatory.exposures e JOIN "
           "regulatory.counterparties c USING (cpty_id) WHERE e.as_of = '2026-03-31' GROUP BY 1, 2")

    def body(ll, t, rid, is_err, cold):
        rep = sc.rng.choice(reports)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"report={rep} entity=DE{sc.rng.randint(1, 9):02d} "
                               "period=2026-Q1 running query q_exposures"))]
        if is_err:
            d = 30000 + sc.rng.uniform(5, 90)
            lines.append((d / 1000, f"[ERROR] QueryCanceled: canceling statement due to statement "
                          "timeout\nTraceback (most recent call last):\n  File \"/var/task/builder/"
                          "handler.py\", line 71, in handler\n    rows = run_query(conn, spec.sql)\n"
                          "  File \"/var/task/builder/db.py\", line 40, in run_query\n    cur.execute"
                          "(sql)\npsycopg.errors.QueryCanceled: canceling statement due to statement "
                          "timeout"))
            return {"lines": lines, "dur": d + 40}
        d = sc.rng.uniform(4000, 29000) if t >= T0 else max(8000.0, sc.rng.gauss(94000, 40000))
        if t < T0 and sc.rng.random() < 0.08:
            lines.append((2.0, ll.fmt(t + 2, rid, "WARNING", "replica conflict, retrying (1/3): "
                                      "canceling statement due to conflict with recovery")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"report={rep} rows="
                      f"{sc.rng.randint(2000, 900000)} written s3://reg-reports-prod/2026Q1/{rep}"
                      f"/{sc.hexid(8)}.csv elapsed={d / 1000:.1f}s")))
        return {"lines": lines, "dur": d}
    lambda_run(ll, inv, err, body, cap=3)

    def arch(ll, t, rid, is_err, cold):
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", f"archived {sc.rng.randint(1, 12)} objects "
                                        "to Glacier IR"))], "dur": sc.rng.uniform(300, 1500)}
    lambda_block(sc, "report-archiver", "nodejs20.x", 512, 120, lambda t: 1, lambda t: 800,
                 lambda t: 0.0, arch, cap=2, retire=(TD + 10,), amp=0.0)

    rds_metrics(sc, db, gauge(sc, lambda t: 68 - 37 * on(t), abs_noise=4, cap=100),
                counts(sc, lambda t: 38 - 3 * on(t), noise=0.01), gauge(sc, lambda t: 1930, noise=0.0003),
                gauge(sc, lambda t: 0.0031 - 0.0012 * on(t), noise=0.15, digits=5),
                gauge(sc, lambda t: 0.0014, noise=0.15, digits=5),
                gauge(sc, lambda t: 21.5, noise=0.01),
                extra=[("ReplicaLag", "Seconds", gauge(sc, lambda t: 1.4, noise=0.3, digits=2))])
    rds_metrics(sc, "core-pg-primary", gauge(sc, lambda t: 44 * diurnal(sc, t, 14, 0.2)
                                             + bump(t, -6400, -5900, 30), abs_noise=3),
                counts(sc, lambda t: 610, noise=0.01), gauge(sc, lambda t: 1711, noise=0.0003),
                gauge(sc, lambda t: 0.0009, noise=0.15, digits=5),
                gauge(sc, lambda t: 0.0021, noise=0.15, digits=5))

    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    cli = lambda: f"10.70.{sc.rng.randint(16, 31)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})"
    periodic(sc, pgg, pgs, 300, lambda t: pg(sc, t, "LOG", "restartpoint complete: wrote "
             f"{sc.rng.randint(2000, 9000)} buffers ({sc.rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) "
             "added", pid=77))
    emit(sc, pgg, pgs, lambda t: 2.2 * (1 - on(t)), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(31000, 210000):.3f} ms  statement: {sql}",
        client=cli(), user="reg_reports", db="core"))
    emit(sc, pgg, pgs, lambda t: 0.12, lambda t: [
        pg(sc, t, "ERROR", "canceling statement due to conflict with recovery", client=cli(),
           user="reg_reports", db="core", pid=5150),
        pg(sc, t, "DETAIL", "User query might have needed to see row versions that must be "
           "removed.", client=cli(), user="reg_reports", db="core", pid=5150)])
    sc.log(pgg, pgs, TC + 14, pg(sc, TC + 14, "LOG", "received SIGHUP, reloading configuration "
                                 "files", pid=61))
    sc.log(pgg, pgs, TC + 14.01, pg(sc, TC + 14.01, "LOG", "parameter \"statement_timeout\" "
                                    "changed to \"30s\"", pid=61))
    emit(sc, pgg, pgs, lambda t: 2.0 * on(t), lambda t: [
        pg(sc, t, "ERROR", "canceling statement due to statement timeout", client=cli(),
           user="reg_reports", db="core", pid=6001),
        pg(sc, t, "STATEMENT", sql, client=cli(), user="reg_reports", db="core", pid=6001)],
        start=T0)

    dba = "AWSReservedSSO_DBAdmin_3b7e1d9f0a2c4e86/r.schmidt"
    sc.change(-9050, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "reg-ci")
    sc.change(-9040, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              fn, "reg-ci")
    sc.change(TC, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
              pgroup, dba)
    sc.change(TD, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "report-archiver", "reg-ci")

    sc.alarm(f"{db}-replica-lag", "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": db}, "Maximum",
             60, 5, 60, "GreaterThanThreshold")
    sc.alarm("core-pg-primary-cpu", "AWS/RDS", "CPUUtilization",
             {"DBInstanceIdentifier": "core-pg-primary"}, "Average", 300, 1, 65, "GreaterThanThreshold")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 4,
             "GreaterThanThreshold", "Regulatory report builder failures")
    sc.expect = {"alarm": f"{fn}-errors",
                 "root_cause": {"category": "config_change", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="front (caller Lambda → RDS replica)",
        services="Lambda (Python, Node.js), Step Functions, RDS PostgreSQL (primary + replica logs)",
        decoys="report-archiver deploy 30 s after the parameter change; builder deploy 1.8 h "
               "earlier; old 'conflict with recovery' cancellations on the same replica; primary "
               "CPU alarm from an earlier spike",
        story=(
            "`reg-report-builder` (Python Lambda, 900 s timeout) runs quarter-end COREP/FINREP "
            "queries on the read replica `rpt-replica-01`; they normally take 30-200 s. At "
            "onset-1 min a DBA SSO session runs `ModifyDBParameterGroup` on `rpt-replica-pg16`; "
            "the replica's log shows `received SIGHUP` and `parameter \"statement_timeout\" "
            "changed to \"30s\"`, and from then on most report queries end at exactly 30 s with "
            "`ERROR: canceling statement due to statement timeout` (`psycopg.errors."
            "QueryCanceled` in the Lambda). Replica CPU falls because the long queries are killed; "
            "lag, connections and storage are normal. Decoys: `report-archiver` is deployed "
            "30 s after the parameter change, closer to onset; the builder itself was deployed "
            "1.8 h earlier and ran cleanly; the replica has always had a trickle of `canceling "
            "statement due to conflict with recovery` errors (a different cancellation); the "
            "primary had a CPU spike earlier."),
    )
    return sc
