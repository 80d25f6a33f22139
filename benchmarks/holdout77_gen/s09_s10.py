"""h77-09 (shard scorer pinned at its reserved concurrency) and h77-10 (drift monitor outgrows its timeout)."""
from __future__ import annotations

from .kit import (GRID, LOG_START, S77, bump, lam, lam_metrics, lambda_config, lambda_deploy, ramp,
                  rds_metrics, run_lambda, zap)


def s09() -> S77:
    sc = S77(9, "score-fanout-errors",
             "score-fanout Errors alarm; the 08:05 catalog scoring job is behind schedule.",
             "eu-north-1", 7709, "2026-03-17T08:32:00+00:00")
    fo, sh, er = "score-fanout", "shard-scorer", "embed-refresh"
    sc.resource("lambda", fo, runtime="provided.al2023", timeout=300, memory_size=512, language="go1.22",
                trigger="sqs:scoring-batches")
    sc.resource("lambda", sh, runtime="python3.12", timeout=120, memory_size=3008, reserved_concurrency=60)
    sc.resource("lambda", er, runtime="python3.12", timeout=600, memory_size=2048, reserved_concurrency=30)
    sc.resource("rds", "catalog-meta", engine="postgres", instance_class="db.t4g.medium", max_connections=410,
                allocated_storage_gb=50)
    cur0 = -1620
    jobs = [cur0 - 3600 * k for k in range(1, 6)]
    job = lambda t: sum(bump(t, j, j + 720, 1, 60) for j in jobs)  # noqa: E731 earlier hourly jobs: 5 catalogs
    cur = lambda t: ramp(t, cur0, cur0 + 90)  # noqa: E731 this job: 8 catalogs, still running
    demand = lambda t: 40 * job(t) + 92 * cur(t)  # noqa: E731
    conc = lambda t: min(60.0, demand(t))  # noqa: E731
    sat = lambda t: max(0.0, demand(t) - 60) / max(demand(t), 1)  # noqa: E731
    sv, se = lam_metrics(sc, sh, lambda t: 0.1 + conc(t) * 60 / 45, lambda t: 0.0, lambda t: 45000,
                         conc=lambda t: max(0.0, conc(t)), thr=lambda t: 1.5 * max(0.0, demand(t) - 60) * 60 / 45)
    fv, fe = lam_metrics(sc, fo, lambda t: 6 * job(t) + 9.5 * cur(t), lambda t: 0.0, lambda t: 52000 + 30000 * cur(t),
                         err_frac=lambda t: 0.85 * sat(t) * 1.4)
    ev, ee = lam_metrics(sc, er, lambda t: 0.4, lambda t: 0.0, lambda t: 210000, inv_noise=0.0)
    rds_metrics(sc, "catalog-meta", lambda t: 9 + 6 * job(t) + 7 * cur(t), lambda t: 14 + 4 * cur(t), lambda t: 31)
    # ---------------------------------------------------------------- fan-out (Go, zap JSON via custom runtime)
    fl = lam(sc, fo, "provided.al2023", 512, 300, retire=(-17900,), mem_used=(61, 3))
    cats_old = ["home", "fashion", "grocery", "electronics", "toys"]
    cats = cats_old + ["garden", "pharmacy", "books"]

    def fbody(ll, t, rid, err, cold):
        c = sc.pick(cats if t >= cur0 else cats_old)
        batch = sc.rng.randint(10, 12)
        lines = [(0.002, zap(sc, t, "info", "dispatching shard batch", "internal/fanout/dispatch.go:88", catalog=c,
                             shards=batch, job=f"score-{sc.at(t).strftime('%Y%m%dT%H')}05"))]
        if sc.rng.random() < 0.08:
            lines.append((1.2, zap(sc, t + 1.2, "warn", "shard returned no items", "internal/fanout/dispatch.go:131",
                                   catalog=c, shard=sc.rng.randint(0, 63))))
        if err:
            d = sc.rng.gauss(80000, 9000)
            lines.append((d / 1000 - 0.01, zap(
                sc, t + d / 1000, "error", "shard invoke failed", "internal/fanout/dispatch.go:104", catalog=c,
                shard=sc.rng.randint(0, 63), function=sh,
                error=f"operation error Lambda: Invoke, exceeded maximum number of attempts, 3, https response error "
                      f"StatusCode: 429, RequestID: {sc.uuid()}, TooManyRequestsException: Rate Exceeded.")))
            lines.append((d / 1000, f"{{\"errorMessage\":\"1 of {batch} shards failed: TooManyRequestsException: Rate "
                                    "Exceeded.\",\"errorType\":\"ShardDispatchError\"}"))
            return {"dur": d, "lines": lines, "status": "error", "error_type": "Runtime.ExitError"}
        d = sc.rng.gauss(52000, 6000) + 30000 * cur(t) * sc.rng.random()
        lines.append((d / 1000 - 0.01, zap(sc, t + d / 1000, "info", "batch complete", "internal/fanout/dispatch.go:117",
                                           catalog=c, scored_items=sc.rng.randint(40000, 90000))))
        return {"dur": d, "lines": lines}
    run_lambda(fl, fv, fe, fbody, ratio=0.5)
    for j in jobs + [cur0]:
        n = 8 if j == cur0 else 5
        fl.invoke(j - 30, False, lambda ll, t, rid, err, cold, n=n: {"dur": 900, "lines": [(0.01, zap(
            sc, t, "info", "planned scoring job", "internal/fanout/plan.go:40", catalogs=n, shards=n * 48,
            parallelism_per_catalog=8))]})
    sl = lam(sc, sh, "python3.12", 3008, 120, mem_used=(1900, 120))

    def sbody(ll, t, rid, err, cold):
        d = sc.rng.gauss(45000, 4000)
        return {"dur": d, "lines": [(0.01, ll.fmt(t, rid, "INFO", f"scoring shard {sc.rng.randint(0, 63)} "
                                                 f"items={sc.rng.randint(600, 1900)} model=ctr-dcn@v19")),
                                    (d / 1000 - 0.05, ll.fmt(t + d / 1000, rid, "INFO", "shard done"))]}
    run_lambda(sl, sv, se, sbody, ratio=0.05)
    # ---------------------------------------------------------------- changes, alarms
    lambda_deploy(sc, -17900, fo, "github-actions-ml")
    sc.change(-1680, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", er,
              "platform-admin")
    sc.alarm(f"{fo}-errors", "AWS/Lambda", "Errors", {"FunctionName": fo}, "Sum", 300, 2, 4,
             "GreaterThanThreshold", "Scoring fan-out failures")
    sc.alarm(f"{sh}-duration-high", "AWS/Lambda", "Duration", {"FunctionName": sh}, "Average", 300, 1, 90000,
             "GreaterThanThreshold")
    sc.expect_root(f"{fo}-errors", "throttling", [sh],
                   [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": sh}}])
    sc.meta.update(
        origin_type="lambda", front="front (calling function → throttled function)",
        decoys="PutFunctionConcurrency on embed-refresh 60 s before the job starts; fan-out's own deploy 5 h "
               "earlier; steady 'shard returned no items' WARNs",
        story="The hourly scoring job at -27 min plans 8 catalogs (384 shards) instead of the usual 5; with "
              "eight shards in flight per catalog, demand for shard-scorer reaches ~92 concurrent executions "
              "against its reserved concurrency of 60. ConcurrentExecutions sits flat at 60 (earlier jobs "
              "peaked near 40), Throttles jumps to ~70/min, and score-fanout's Go SDK gives up after three "
              "attempts with `StatusCode: 429 ... TooManyRequestsException: Rate Exceeded`, which is what "
              "its Errors alarm counts. The concurrency change a minute earlier was on embed-refresh, "
              "whose own reservation does not touch shard-scorer's.",
        judgement="Volume is ~1.6x the previous jobs, not far above usual, and the failure is the concurrency "
                  "limit itself: throttling on shard-scorer, not traffic_surge and not the alarmed caller.")
    return sc


def s10() -> S77:
    sc = S77(10, "drift-monitor-errors",
             "drift-monitor Errors alarm; the model drift dashboard has not refreshed since ~19:50.",
             "sa-east-1", 7710, "2026-03-18T20:30:00+00:00")
    fn, ar, db = "drift-monitor", "alert-router", "monitoring-pg"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=2048, schedule="rate(5 minutes)")
    sc.resource("lambda", ar, runtime="provided.al2023", timeout=30, memory_size=256, language="go1.22")
    sc.resource("rds", db, engine="postgres", instance_class="db.t4g.large", max_connections=800, allocated_storage_gb=200)
    cross = -2400
    dur = lambda t: 72000 + 48000 * (t + 21600) / (cross + 21600)  # noqa: E731 grows with rows since 00:00 UTC
    runs = [t for t in GRID if t % 300 == 0]
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", [1.0] * len(runs), runs)
    sc.metric("AWS/Lambda", "Errors", d, "Count", [1.0 if dur(t) >= 120000 else 0.0 for t in runs], runs)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", [0.0] * len(runs), runs)
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds",
              [round(min(120000.0 + sc.rng.uniform(1, 30), dur(t) * sc.rng.gauss(1, 0.015)), 2) for t in runs], runs)
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", [1.0] * len(runs), runs)
    av, ae = lam_metrics(sc, ar, lambda t: 3, lambda t: 0.0, lambda t: 85)
    rds_metrics(sc, db, lambda t: 18 + bump(t, -9300, -8700, 55, 120), lambda t: 40, lambda t: 122)
    ll = lam(sc, fn, "python3.12", 2048, 120, retire=(-20000,), mem_used=(1210, 40), life=(20000, 30000))

    def body(ll, t, rid, err, cold):
        rows = int(2.9e6 * (dur(t) / 1000) / 72 * sc.rng.gauss(1, 0.01))
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"loading prediction log window 2026-03-18T00:00Z..{sc.iso(t, 0)} "
                                               f"model=credit-limit-gbm@v7 rows={rows}")),
                 (6.5, ll.fmt(t + 6.5, rid, "INFO", "computing PSI/KS for 212 features over 24 segments")),
                 (7.0, ll.fmt(t + 7, rid, "WARNING", "feature 'device_os_version' has 14.2% nulls (threshold 10%)"))]
        dd = dur(t) * sc.rng.gauss(1, 0.015)
        if dd >= 120000:
            return {"dur": 0, "status": "timeout", "lines": lines + [(
                61.0, ll.fmt(t + 61, rid, "INFO", f"segment 13/24 done elapsed={61.0 + sc.rng.uniform(0, 2):.1f}s"))]}
        return {"dur": dd, "lines": lines + [
            (dd / 2000, ll.fmt(t + dd / 2000, rid, "INFO", f"segment 13/24 done elapsed={dd / 2000:.1f}s")),
            (dd / 1000 - 0.4, ll.fmt(t + dd / 1000, rid, "INFO", f"published drift report max_psi=0.0{sc.rng.randint(5, 9)} "
                                                     "alerts=0 s3://ml-monitoring-sae1/drift/credit-limit/"))]}
    ll.run({t: 1 for t in runs if t >= LOG_START}, {}, body)
    al = lam(sc, ar, "provided.al2023", 256, 30, retire=(-2460,), mem_used=(38, 2))
    run_lambda(al, av, ae, lambda ll, t, rid, err, cold: {"dur": sc.rng.gauss(85, 10), "lines": [(0.005, zap(
        sc, t, "info", "routed alert", "cmd/router/main.go:77", rule=sc.pick(["latency-p99", "psi-high", "nulls"]),
        target="pagerduty"))]}, ratio=0.5)
    lambda_config(sc, -20000, fn, "terraform-ci")
    lambda_deploy(sc, -2460, ar, "github-actions-ml")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 2, 1, "GreaterThanOrEqualToThreshold",
             "Drift monitor failures")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1, 60,
             "GreaterThanThreshold")
    sc.expect_root(f"{fn}-errors", "function_timeout", [fn],
                   [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": d}])
    sc.meta.update(
        origin_type="lambda", front="origin",
        decoys="alert-router deploy 60 s before the first timeout; drift-monitor's own configuration update "
               "5.5 h earlier; steady null-rate WARNINGs; a benign CPU spike on monitoring-pg (old alarm)",
        story="drift-monitor runs every five minutes over the prediction log since midnight UTC, so its row "
              "count and Duration grow all day (72 s at the start of the window). From -40 min Duration "
              "meets the 120 s timeout: every run logs its load and segment progress, then `Task timed out "
              "after 120.00 seconds`, with no error from S3, the database or any other dependency, and the "
              "Errors alarm fires. The alert-router deploy a minute before the first timeout is another "
              "function, and drift-monitor's configuration update 5.5 h ago was followed by hours of "
              "successful runs.",
        judgement="The input grows with the time of day, not with request volume; the function simply "
                  "reaches its configured timeout: function_timeout.")
    return sc


BUILDERS = [s09, s10]
