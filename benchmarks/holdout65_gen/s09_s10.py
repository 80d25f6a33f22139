"""h65-09 (.NET scheduled Lambda hits its timeout) and h65-10 (newsletter surge on a two-task Node service)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import alb, alb_id, binom, counts, ecs, rds, request_times, run_lambda, smooth, tg_id
from .runtimes import LambdaLogs, pg


# --------------------------------------------------------------------------- 09
def s09() -> Scenario:
    sc = Scenario(9, "recon-batch-timeout", "Errors alarm on the scheduled reconciliation function; finance "
                  "reports the settlement view is stale.", "us-west-2", seed=6509, now_iso="2026-06-30T22:35:00")
    fn, db = "recon-batch", "ledgerdb"
    decoy = -1900
    sc.resource("lambda", fn, runtime="dotnet8", timeout=30, memory_size=1536, schedule="rate(5 minutes)")
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.t4g.medium",
                max_connections=410, allocated_storage_gb=100)
    rng = sc.rng
    rows = lambda t: int(5200 + 21400 * ((t + 21600) / 21600) ** 1.6)
    parse_ms = lambda n: n * 1.12
    inv = {m: (1 if (m // 60) % 5 == 2 else 0) for m in GRID}
    err = {m: 1 for m in GRID if inv[m] and 1800 + parse_ms(rows(m)) + 1400 > 30000}
    ll = LambdaLogs(sc, fn, "dotnet8", 1536, 30, mem_used=(260, 30))

    def body(l, t, rid, is_err, cold):
        n = rows(t) + rng.randint(-120, 120)
        dl = rng.gauss(380, 60)
        ps = parse_ms(n) * rng.uniform(0.97, 1.03)
        wr = rng.gauss(820, 90)
        lines = [(0.004, l.fmt(t, rid, "INFO", f"Recon.Batch.Function: run started window=2026-06-30 cursor={sc.hexid(12)}")),
                 (dl / 1000, l.fmt(t + dl / 1000, rid, "INFO", f"Recon.Batch.Feed: downloaded settlements.csv size={n * 212} bytes in {dl:.0f} ms")),
                 (dl / 1000 + 0.01, l.fmt(t + dl / 1000, rid, "WARN", "CsvHelper.Configuration: header 'memo2' is not mapped and will be ignored"))]
        if is_err:
            lines.append((dl / 1000 + 0.02, l.fmt(t, rid, "INFO", f"Recon.Batch.Matcher: matching {n} rows against open ledger entries")))
            return {"dur": 30000, "status": "timeout", "lines": lines,
                    "mem": int(rng.gauss(300 + n * 0.03, 10))}
        tot = dl + ps + wr + rng.gauss(300, 50)
        lines += [(dl / 1000 + 0.02, l.fmt(t, rid, "INFO", f"Recon.Batch.Matcher: matching {n} rows against open ledger entries")),
                  ((dl + ps) / 1000, l.fmt(t + (dl + ps) / 1000, rid, "INFO", f"Recon.Batch.Matcher: matched {n - rng.randint(0, 40)} rows in {ps:.0f} ms")),
                  ((dl + ps + wr) / 1000, l.fmt(t + (dl + ps + wr) / 1000, rid, "INFO", f"Recon.Batch.Store: upserted settlement marks in {wr:.0f} ms")),
                  (tot / 1000 - 0.01, l.fmt(t + tot / 1000, rid, "INFO", f"Recon.Batch.Function: run finished in {tot:.0f} ms"))]
        return {"dur": tot, "lines": lines, "mem": int(rng.gauss(240 + n * 0.03, 10))}

    run_lambda(sc, ll, inv, err, body)
    rds(sc, db, smooth(sc, lambda t: 6 + bump(t, decoy + 60, decoy + 900, 34, 60), noise=0.12),
        smooth(sc, lambda t: 22, noise=0.08, digits=0), free_gb=smooth(sc, lambda t: 61.4, noise=0.0002),
        read_lat=smooth(sc, lambda t: 0.0011 + bump(t, decoy + 60, decoy + 900, 0.004, 60), noise=0.15, digits=5),
        write_iops=smooth(sc, lambda t: 14 + bump(t, decoy + 60, decoy + 900, 190, 60), noise=0.15))
    g = f"/aws/rds/instance/{db}/postgresql"
    for t in range(-21600, 0, 600):
        tt = t + rng.uniform(0, 590)
        sc.log(g, db, tt, pg(sc, tt, "LOG", f"checkpoint complete: wrote {rng.randint(100, 600)} buffers "
                             f"({rng.uniform(0.5, 3):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled"))
    sc.log(g, db, decoy + 5, pg(sc, decoy + 5, "LOG", "received SIGHUP, reloading configuration files"))
    sc.log(g, db, decoy + 5.01, pg(sc, decoy + 5, "LOG", "parameter \"log_min_duration_statement\" changed to \"500\""))
    for t in range(decoy + 90, decoy + 900, 95):
        sc.log(g, db, t, pg(sc, t, "LOG", f"duration: {rng.uniform(510, 2400):.3f} ms  statement: REINDEX INDEX "
                            "CONCURRENTLY ledger_entries_booked_at_idx", user="dba", db="ledger"))
    sc.change(-18800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "ci-bot")
    sc.change(decoy, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "ledgerdb-pg15", "tomas.r")
    sc.alarm("recon-batch-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 900, 1, 2,
             "GreaterThanOrEqualToThreshold", "Reconciliation run failures (15 min)")
    sc.alarm("recon-batch-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Maximum", 900, 1, 25000,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "recon-batch-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        where="origin", services="Lambda (scheduled), RDS PostgreSQL", runtime=".NET 8 Lambda text logs; PostgreSQL log",
        decoys="DB parameter-group change and a REINDEX with a CPU/IOPS bump on the ledger DB 2 min before the first "
               "timeout; a code deploy of the function 5 h earlier; a CsvHelper warning on every run",
        story="A .NET 8 function runs every five minutes, so its metrics arrive only once in five minutes. Each run "
              "matches a settlements file that grows all day, from about 5,000 to 26,000 rows. Its logs show "
              "download (about 0.4 s) and upsert (about 0.8 s) staying flat while the matching phase grows with the row "
              "count, and `Duration` climbs steadily to the 30 s limit. From -28 min every run ends with `Task timed out "
              "after 30.00 seconds` and no exception or dependency error. The DBA's parameter change and REINDEX "
              "on the ledger DB just before the first timeout look tempting, but the upsert phase, the only "
              "part that touches the DB, never slows, and the code deploy five hours earlier was followed by "
              "hours of clean runs. The answer is `function_timeout` on `recon-batch`.")
    return sc


# --------------------------------------------------------------------------- 10
def s10() -> Scenario:
    sc = Scenario(10, "site-newsletter-burst", "Response time alarm on the storefront load balancer; pages "
                  "time out for some visitors.", "eu-west-2", seed=6510, now_iso="2026-11-26T12:40:00")
    lbname, cluster, svc, worker = "site-alb", "prod", "site", "worker"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "site-web")
    onset, decoy = -2000, -2150
    sc.resource("alb", lb, name=lbname)
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024,
                runtime="nodejs20 (fastify)", autoscaling="none", log_groups=[f"/ecs/{svc}"])
    sc.resource("ecs", f"{cluster}/{worker}", launch_type="FARGATE", desired_count=1, cpu=256, memory=512)
    rng = sc.rng
    surge = lambda t: ramp(t, onset - 60, onset + 240) * (1 - 0.25 * ramp(t, -900, 0))
    base = counts(sc, lambda t: 9 * diurnal(sc, t, 13, 0.25), times=GRID)
    extra = counts(sc, lambda t: 150 * surge(t))
    req = {m: base[m] + extra[m] for m in GRID}
    load = lambda t: 1 + 14 * surge(t)
    rt = smooth(sc, lambda t: 0.07 * (1 + 30 * surge(t) ** 2), noise=0.12)
    t5 = {m: 0 for m in GRID}
    elb = binom(sc, req, lambda t: 0.035 * surge(t))
    alb(sc, lb, tg, req, t5, rt, elb5xx=elb, healthy={m: 2.0 for m in GRID}, unhealthy={m: 0.0 for m in GRID})
    ecs(sc, cluster, svc, smooth(sc, lambda t: min(82.0, 5.5 * load(t)), noise=0.06, cap=88),
        smooth(sc, lambda t: 34 + 9 * surge(t), noise=0.02))
    ecs(sc, cluster, worker, smooth(sc, lambda t: 3 + bump(t, decoy, decoy + 300, 30, 30), noise=0.2),
        smooth(sc, lambda t: 25 + bump(t, decoy, decoy + 300, 6, 30), noise=0.02))
    g, tasks = f"/ecs/{svc}", (sc.hexid(32), sc.hexid(32))
    pages = ["/", "/products/%s", "/collections/%s", "/cart", "/api/stock/%s"]
    hot = "/drops/spring-capsule"
    for t in request_times(sc, base, start=-14400):
        p = rng.choice(pages)
        p = p % rng.choice(["linen-shirt", "wool-scarf", "tote", "basics"]) if "%s" in p else p
        dur = max(4, rng.gauss(55, 20)) * (1 + 30 * surge(t) ** 2)
        sc.log(g, f"site/site/{rng.choice(tasks)}", t + dur / 1000, json.dumps(
            {"level": 30, "time": sc.epoch_ms(t + dur / 1000), "reqId": f"req-{sc.hexid(6)}",
             "req": {"method": "GET", "url": p, "remoteAddress": sc.ip()}, "res": {"statusCode": 200},
             "responseTime": round(dur, 1), "msg": "request completed"}, separators=(",", ":")))
    for t in request_times(sc, extra):
        dur = max(4, rng.gauss(70, 20)) * (1 + 30 * surge(t) ** 2)
        url = f"{hot}?utm_source=newsletter&utm_medium=email&utm_campaign=nov-drop" if rng.random() < 0.7 else \
            rng.choice([hot, "/products/capsule-coat", "/products/capsule-knit", "/cart"])
        sc.log(g, f"site/site/{rng.choice(tasks)}", t + dur / 1000, json.dumps(
            {"level": 30, "time": sc.epoch_ms(t + dur / 1000), "reqId": f"req-{sc.hexid(6)}",
             "req": {"method": "GET", "url": url, "remoteAddress": sc.ip("172.16")}, "res": {"statusCode": 200},
             "responseTime": round(dur, 1), "msg": "request completed"}, separators=(",", ":")))
    for t in range(-14400, 0, 600):
        tt = t + rng.uniform(0, 590)
        sc.log(g, f"site/site/{tasks[0]}", tt, json.dumps({"level": 40, "time": sc.epoch_ms(tt), "msg":
               "stripe webhook: signature header missing, ignoring", "path": "/webhooks/stripe"}, separators=(",", ":")))
    for t in range(onset + 200, 0, 180):
        tt = t + rng.uniform(0, 170)
        sc.log(g, f"site/site/{rng.choice(tasks)}", tt, json.dumps({"level": 40, "time": sc.epoch_ms(tt),
               "msg": "event loop utilization high", "elu": round(rng.uniform(0.82, 0.95), 2),
               "lagMs": rng.randint(180, 900)}, separators=(",", ":")))
    wg = f"/ecs/{worker}"
    for t in range(-21600, 0, 300):
        sc.log(wg, "worker/worker/8e41c0d2b7a94f3e9c5d6a7b8c9d0e1f" if t < decoy + 60 else
               "worker/worker/1f2e3d4c5b6a79880a1b2c3d4e5f6a7b", t + 2,
               f'{{"level":30,"time":{sc.epoch_ms(t + 2)},"msg":"abandoned-cart sweep","sent":{rng.randint(0, 4)}}}')
    sc.change(decoy - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "worker:71", "gh-actions")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{worker}", "gh-actions")
    sc.alarm("site-alb-slow", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 300, 2,
             1.0, "GreaterThanThreshold", "Storefront average response time > 1 s")
    sc.alarm("site-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "site-alb-slow",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, lbname, f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        where="origin (ALB and the service behind it)", services="ALB, ECS Fargate", runtime="Node.js 20, pino JSON",
        decoys="deploy of the worker service 2.5 min before onset, with its own CPU blip; stripe-webhook warnings "
               "all along; a second (ELB 5XX) alarm",
        story="A two-task Node storefront usually serves about nine requests a minute. At -33 min `RequestCount` "
              "jumps about seventeenfold, and 70 % of the new requests carry `utm_source=newsletter` for "
              "`/drops/spring-capsule` from new client addresses. Service CPU rises to about 80 % but never "
              "pins. Response time climbs past a second, event-loop-utilisation warnings appear and the ALB "
              "returns a few 504s. The task logs contain no exceptions and no dependency errors. The worker deploy 2.5 min "
              "before onset is the nearest change, but it is another service with its own quiet logs. "
              "This is `traffic_surge`. The ALB and the storefront service are both accepted as the resource.")
    return sc
