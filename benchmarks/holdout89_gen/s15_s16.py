"""h89-15 (an end-of-day report pins the EU ledger Postgres CPU, alarm on the posting service's ALB) and
h89-16 (tax-lot export Lambda running out of memory on heavy traders' histories)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg, spring

from .kit import (alb_id, alb_metrics, apigw_metrics, ecs_metrics, emit, every, lambda_metrics, new,
                  rds_metrics, sample_lambda, tg_id)


def build_15():
    sc = new(15, "ledger-posting-latency",
             "Ledger postings slow; internal ledger load balancer latency alarm.",
             "eu-west-1", "2026-03-25T17:05:00+00:00")
    db, cl, svc = "ldg-eu-02", "ledger-eu", "posting-svc"
    lb, tg = alb_id(sc, "ledger-int"), tg_id(sc, "posting-8080")
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
                max_connections=1000, allocated_storage_gb=2000)
    sc.resource("rds", "ldg-eu-03", engine="postgres", instance_class="db.r6g.large", max_connections=500)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, runtime="java21")
    sc.resource("alb", lb, name="ledger-int", scheme="internal")
    ON = -2500
    hot = lambda t: ramp(t, ON, ON + 180)
    rds_metrics(sc, db, cpu=lambda t: 27 + 72 * hot(t) + bump(t, -15000, -14400, 18, 120),
                conns=lambda t: 182 + 74 * hot(t), free_gb=lambda t: 1140 - 0.000003 * (t + 21600),
                rlat=lambda t: 0.0021 + 0.0022 * hot(t), wlat=lambda t: 0.0024 + 0.001 * hot(t),
                mem_gb=lambda t: 21.5 - 1.2 * hot(t), queue=lambda t: 1.1 + 1.4 * hot(t))
    rds_metrics(sc, "ldg-eu-03", cpu=lambda t: 14 + bump(t, -2450, -2100, 25, 60), conns=lambda t: 40,
                free_gb=lambda t: 380, rlat=lambda t: 0.001, wlat=lambda t: 0.0014, mem_gb=lambda t: 5.1)
    req = lambda t: 3600 + 300 * ramp(t, -9000, -8000)
    alb_metrics(sc, lb, tg, req=lambda t: req(t) * (1 - 0.2 * hot(t)), t5=lambda t: 0.6 + 55 * hot(t),
                e5=lambda t: 0.1 + 9 * hot(t), rt=lambda t: 0.028 + 1.6 * hot(t), healthy=lambda t: 4,
                unhealthy=lambda t: 0)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 31 - 10 * hot(t), mem=lambda t: 63)
    g = f"/aws/rds/instance/{db}/postgresql"
    st = f"{db}.0"
    every(sc, g, st, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(2000, 9000)} "
                                                     f"buffers ({sc.rng.uniform(1, 5):.1f}%); 0 WAL file(s) added, "
                                                     f"0 removed, 2 recycled", pid=544))
    emit(sc, g, st, lambda t: 0.3, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 1900):.3f} ms  statement: SELECT * FROM postings WHERE "
                      f"account_id = $1 AND posted_at > $2 ORDER BY posted_at DESC LIMIT 500",
        client=sc.ip("10.60"), user="svc_posting", db="ledger"))
    sql = ("SELECT a.account_id, a.currency, sum(jl.amount) AS pnl FROM journal_lines jl JOIN accounts a ON "
           "a.id = jl.account_id WHERE jl.posted_at >= '2026-03-01' GROUP BY a.account_id, a.currency")
    sc.log(g, st, ON - 12.5, pg(sc, ON - 12.5, "LOG", "connection authorized: user=rpt_reader database=ledger "
                                                      "application_name=eod-pnl-report SSL enabled", client="10.60.9.41",
                                user="rpt_reader", db="ledger"))
    emit(sc, g, st, lambda t: 2.2 * hot(t), lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(21000, 95000):.3f} ms  statement: {sql}", client="10.60.9.41",
        user="rpt_reader", db="ledger"), start=ON + 60)
    emit(sc, g, st, lambda t: 3.0 * hot(t), lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", client=sc.ip("10.60"), user="svc_posting",
        db="ledger"), start=ON + 60)
    g2 = f"/ecs/{svc}"
    log = lambda t, lvl, th, lg, msg: spring(sc, t, lvl, th, lg, msg, svc)
    for k in range(4):
        s = f"ecs/posting/{sc.hexid(32)}"
        th = lambda: f"nio-8080-exec-{sc.rng.randint(1, 64)}"
        emit(sc, g2, s, lambda t: 1.0, lambda t: log(t, "INFO", th(), "c.k.ledger.api.PostingController",
                                                     f"posted batch={sc.hexid(8)} lines={sc.rng.randint(2, 40)} "
                                                     f"took={int(sc.rng.uniform(12, 40) + 1500 * hot(t))}ms"))
        emit(sc, g2, s, lambda t: 0.3, lambda t: log(t, "ERROR", th(), "c.k.ledger.api.PostingController",
                                                     f"posting rejected: duplicate idempotency key "
                                                     f"{sc.uuid()}"))
        emit(sc, g2, s, lambda t: 0.05, lambda t: log(t, "WARN", "HikariPool-1 housekeeper",
                                                      "com.zaxxer.hikari.pool.HikariPool",
                                                      "HikariPool-1 - Thread starvation or clock leap detected "
                                                      f"(housekeeper delta={sc.rng.randint(61, 75)}s)."))
        emit(sc, g2, s, lambda t: 3.5 * hot(t), lambda t: log(
            t, "ERROR", th(), "o.h.engine.jdbc.spi.SqlExceptionHelper",
            "ERROR: canceling statement due to statement timeout (SQLState 57014)"), start=ON + 60)
    sc.change(-2450, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "ldg-eu-03", "dba-ops")
    sc.change(-13000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions")
    sc.alarm("ledger-int-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60,
             3, 0.5, "GreaterThanThreshold", "Ledger posting latency above 500 ms")
    sc.alarm("ldg-eu-03-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ldg-eu-03"}, "Average", 300,
             1, 30, "GreaterThanThreshold")
    sc.expect = {"alarm": "ledger-int-latency", "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = {
        "front": "front (internal ALB)", "services": ["alb", "ecs", "rds"], "origin_type": "rds",
        "decoys": "ModifyDBInstance on another ledger database 50 s after onset, with its own CPU alarm; "
                  "posting-svc deploy 3.5 h earlier; duplicate-key ERRORs and Hikari housekeeper WARNs all along",
        "story": "ledger-int's mean response time goes from ~30 ms to ~1.6 s and posting-svc returns 5xx. "
                 "ldg-eu-02's CPU rises from ~27 % to ~99 % at onset and stays pinned: its log shows "
                 "rpt_reader connecting as application 'eod-pnl-report' and then month-to-date P&L "
                 "aggregations over journal_lines running 20-95 s each, followed by posting-svc statements "
                 "being cancelled by statement_timeout (SQLState 57014 in the service's log). Read latency, "
                 "disk queue, storage and connections (~260 of 1000) stay unremarkable. The ldg-eu-03 "
                 "modification and its CPU alarm concern a different instance; the duplicate-key ERRORs "
                 "and housekeeper WARNs are steady.",
        "judgement": "The caller sees statement timeouts, which alone would read as dependency_failure, but "
                     "the dependency is itself exhausted (CPU pinned), so cpu_saturation on the database.",
    }
    return sc


def build_16():
    sc = new(16, "tax-export-errors",
             "Tax report exports failing for some users; export function Errors alarm.",
             "ap-southeast-1", "2026-03-26T09:30:00+00:00")
    fn, api = "tax-lot-export", "reports-api"
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024)
    sc.resource("lambda", "tax-form-render", runtime="python3.12", timeout=60, memory_size=512)
    sc.resource("apigateway", api, stage="prod", api_id="h2x5r8k0pd")
    ON = -2100
    heavy = lambda t: 0.22 * ramp(t, ON, ON + 300)
    rate = lambda t: 34 + 10 * ramp(t, ON - 200, ON + 400)
    inv, err = lambda_metrics(sc, fn, inv=rate, err=lambda t: rate(t) * heavy(t),
                              dur=lambda t: 2400 + 9000 * heavy(t))
    lambda_metrics(sc, "tax-form-render", inv=lambda t: 30, err=lambda t: 0.0, dur=lambda t: 900)
    apigw_metrics(sc, api, count=lambda t: rate(t) + 50, e4=lambda t: 1.2, e5=lambda t: 0.05 + rate(t) * heavy(t),
                  lat=lambda t: 2500 + 4000 * heavy(t))

    def body(ll, t, reqid, is_err, cold):
        uid = sc.rng.randint(1_000_000, 9_999_999)
        lines = [(0.004, f"[INFO]\t{sc.iso(t)}\t{reqid}\texport user={uid} year=2025 method=FIFO")]
        if sc.rng.random() < 0.15:
            lines.append((0.2, f"[WARNING]\t{sc.iso(t)}\t{reqid}\tcost basis missing for deposit dep_{sc.hexid(8)}; "
                               f"using market price at deposit time"))
        if is_err:
            fills = sc.rng.randint(240_000, 700_000)
            d = sc.rng.uniform(6000, 19000)
            lines.append((1.5, f"[INFO]\t{sc.iso(t + 1.5)}\t{reqid}\tloaded {fills:,} fills; building lots"))
            lines.append((d / 1000 - 0.01, f"RequestId: {reqid} Error: Runtime exited with error: signal: killed"))
            return {"lines": lines, "dur": d, "status": "error", "error_type": "Runtime.OutOfMemory", "mem": 1024}
        fills = sc.rng.randint(30, 40_000)
        d = 300 + fills * 0.05 + sc.rng.gauss(1800, 500)
        lines.append((d / 1000 - 0.01, f"[INFO]\t{sc.iso(t + d / 1000)}\t{reqid}\texport done user={uid} "
                                       f"fills={fills} lots={fills // 3} csv=s3://tax-exports/2025/{uid}.csv"))
        return {"lines": lines, "dur": d, "mem": int(min(880, 180 + fills * 0.012 + sc.rng.gauss(0, 20)))}

    sample_lambda(LambdaLogs(sc, fn, "python3.12", 1024, 120, prewarm=-12480), inv, err, body, cap=3)
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "tax-form-render", "ci-deployer")
    sc.change(-2154, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "tax-form-render",
              "ci-deployer")
    sc.change(-17800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.alarm("tax-lot-export-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Tax export failures")
    sc.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 10,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "tax-lot-export-errors", "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin", "services": ["lambda", "apigateway"], "origin_type": "lambda",
        "decoys": "tax-form-render deploy 1 min before onset; the function's own deploy 5 h earlier; mild "
                  "(1.3x) request rise; cost-basis warnings all along; second alarm on the API",
        "story": "tax-lot-export's Errors rise to ~10 a minute and reports-api returns the same 5xx. The failing "
                 "invocations load 240k-700k fills, then end with 'Runtime exited with error: signal: killed' "
                 "and REPORT 'Max Memory Used: 1024 MB ... Status: error Error Type: Runtime.OutOfMemory', "
                 "while normal exports peak well under the 1024 MB limit. Requests rise only ~1.3x (more "
                 "heavy traders asking for their reports); nothing changed on the function since a deploy "
                 "five hours earlier, and the tax-form-render deploy just before onset is another function "
                 "with flat metrics.",
    }
    return sc


BUILDERS = [build_15, build_16]
