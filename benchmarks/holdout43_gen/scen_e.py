"""Scenarios 09 (reserved-concurrency throttling seen from the caller) and 10 (feed builder hits its timeout)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, lambda_fn


# ====================================================================== 09
def s09():
    sc = Scenario(9, "statement-fanout-errors-builder-throttled", "ap-northeast-1",
                  "Billing-cycle statement run failing: statement-fanout Errors alarm; finance asking why statements are late.",
                  4309, dt.datetime(2026, 11, 19, 0, 40, 0))
    rng = sc.rng
    CAP, DUR = 40, 9000.0
    demand = lambda t: 160 * wave(t, 0.05) + 50 * bump(t, -18600, -16800, 600, 600) + 175 * ramp(t, -2100, -1850)
    capacity = CAP * 60000.0 / DUR * 0.985
    served = lambda t: min(demand(t), capacity)
    over = lambda t: max(0.0, demand(t) - capacity)
    lambda_fn(sc, "statement-builder", "python3.12", 60, 2048, served, const(DUR), cap=CAP,
              thr=lambda t: over(t) * 1.6, invoked_by="statement-fanout (RequestResponse)")
    fan_rate = lambda t: demand(t) / 10.0
    fail = lambda t: min(0.95, over(t) / max(1.0, demand(t)) * 3.2)
    lambda_fn(sc, "statement-fanout", "java21", 120, 1024, fan_rate, lambda t: 9800 + 2500 * (over(t) > 0), err=fail,
              trigger="sqs:statement-batches")
    bl = L.LambdaLog(sc, "statement-builder", "python3.12", 2048, 60, pools=[(-10 ** 9, "$LATEST", 8)], mem_used=(420, 40))

    def bh(t):
        d = rng.gauss(DUR, 900)
        acc = "acc_%s" % hexs(rng, 8)
        return (lambda t0, r: [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Building statement for %s cycle=2026-11" % acc)),
                               (d / 1000 - 0.01, L.py(sc, t0 + d / 1000, r, "INFO", "Statement for %s written: %d pages, %d lines (%.1f s)"
                                                      % (acc, rng.randint(1, 18), rng.randint(10, 900), d / 1000)))]), d, "ok"
    bl.run(-10800, 0, lambda t: 3.0, bh)
    fl = L.LambdaLog(sc, "statement-fanout", "java21", 1024, 120, pools=[(-10 ** 9, "$LATEST", 4)], mem_used=(310, 20))
    nb = [1500]

    def fh(t):
        nb[0] += 1
        b = nb[0]
        bad = rng.random() < fail(t)
        d = rng.gauss(9800, 800) + (2500 if bad else 0)

        def lines(t0, r):
            out = [(0.02, L.javal(sc, t0 + 0.02, r, "INFO", "c.a.billing.FanoutHandler",
                                  "Dispatching batch %d (10 accounts, cycle 2026-11) to statement-builder" % b))]
            if bad:
                k = rng.randint(1, 6)
                out.append((d / 1000 - 0.05, L.javal(sc, t0 + d / 1000 - 0.05, r, "WARN", "c.a.billing.FanoutHandler",
                                                     "%d of 10 statement-builder invocations throttled after 3 attempts" % k)))
                out.append((d / 1000 - 0.01, L.javal(
                    sc, t0 + d / 1000 - 0.01, r, "ERROR", "c.a.billing.FanoutHandler",
                    "Batch %d failed; returning to queue\nsoftware.amazon.awssdk.services.lambda.model.TooManyRequestsException: "
                    "Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: %s)\n"
                    "\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)\n"
                    "\tat software.amazon.awssdk.services.lambda.DefaultLambdaClient.invoke(DefaultLambdaClient.java:3154)\n"
                    "\tat com.acme.billing.FanoutHandler.invokeBuilder(FanoutHandler.java:112)" % (b, L.rid(rng)))))
            else:
                out.append((d / 1000 - 0.01, L.javal(sc, t0 + d / 1000, r, "INFO", "c.a.billing.FanoutHandler",
                                                     "Batch %d complete: 10/10 statements built" % b)))
            return out
        return lines, d, "ok"
    fl.run(-10800, 0, lambda t: 2.0, fh)
    sched = L.LambdaLog(sc, "billing-cycle-scheduler", "python3.12", 512, 300, pools=[(-10 ** 9, "$LATEST", 1)])
    lambda_fn(sc, "billing-cycle-scheduler", "python3.12", 300, 512, lambda t: 1.0 if -2160 <= t < -2100 else 0.0, const(48000))
    sched.invoke(-2150, lambda t0, r: [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Cycle 2026-11 (quarter-end): 412,380 accounts due (previous cycle 201,944)")),
                                       (47.0, L.py(sc, t0 + 47.0, r, "INFO", "Enqueued 41,238 batches to statement-batches"))], 48000.0)
    bg_lambda(sc, "pdf-archiver", "python3.12", lambda t: 22 * wave(t, 0.1), const(16000), ["Archived statement PDFs for {n} accounts to Glacier IR"],
              memory=1024, timeout=60, cap=15)
    bg_lambda(sc, "payment-reminder", "nodejs20.x", const(8), const(300), ["queued reminder for invoice INV-{id6}"])
    bg_ecs(sc, "billing-prod", "invoice-api", "spring", cpu=lambda t: 28 * wave(t, 0.1), mem=const(57),
           tasks=lambda t: 3 + 3 * bump(t, -4150, -3950, 60, 60), desired=const(3),
           msgs=[("INFO", "c.a.invoice.web.InvoiceController", "GET /invoices/INV-{id6} -> 200 ({ms} ms)")],
           per_min=2.0, target_group="tg-invoice-api", task_definition="invoice-api:219")
    bg_ecs(sc, "billing-prod", "usage-aggregator", "go", cpu=lambda t: 44 * wave(t, 0.1), mem=const(63), tasks=const(2),
           msgs=[("INFO", "agg/rollup.go:51", "rolled up {big} usage records for hour bucket")], per_min=1.0)
    alb(sc, "billing-alb", req=lambda t: 150 * wave(t, 0.1), rt=const(0.07), target_groups=["tg-invoice-api"], healthy=const(3))
    apigw(sc, "billing-portal-api", count=lambda t: 90 * wave(t, 0.1), lat=const(110), integration="http:billing-alb")
    bg_rds(sc, "billing-pg", "postgres", "15.8", "db.r6g.2xlarge", 3000, 1000, cpu=lambda t: 33 * wave(t, 0.1),
           conn=const(210), tables=("invoices", "statements", "usage"), dbname="billing")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "sftp-bank-gw", "t3.medium", cpu=const(5))
    pa_alarm_dims = {"FunctionName": "pdf-archiver"}

    sc.change(-4200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing-prod/invoice-api", "jenkins-deploy")
    sc.change(-3000, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "pdf-archiver", "h.sato")
    sc.change(-2400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "payment-reminder", "h.sato")
    sc.change(-900, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "billing-pg", "terraform-ci")

    sc.alarm("statement-fanout-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-fanout"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "ALARM", "Statement run failures")
    sc.alarm("statement-builder-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "statement-builder"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("pdf-archiver-duration", "AWS/Lambda", "Duration", pa_alarm_dims, "Average", 300, 3, 12000,
             "GreaterThanThreshold", "ALARM", "pdf-archiver slower than 12 s")
    sc.alarm("billing-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "billing-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("statement-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-builder"}, "Sum", 300, 1, 3,
             "GreaterThanThreshold", "OK")
    sc.set_expect("statement-fanout-errors", "throttling", ["statement-builder"],
                  [anomaly("AWS/Lambda", "Throttles", FunctionName="statement-builder"),
                   anomaly("AWS/Lambda", "Errors", FunctionName="statement-fanout")])
    sc.meta = dict(alarm_on="victim (calling Lambda)", decoys=[
        "PutFunctionConcurrency on pdf-archiver 50 min ago (different function)", "payment-reminder config change",
        "invoice-api deploy 70 min ago", "billing-pg ModifyDBInstance", "pdf-archiver Duration alarm open for hours"],
        story=("At 36 min ago the quarter-end billing cycle enqueued twice the usual number of accounts. statement-builder "
               "(reserved_concurrency 40, ~9 s per statement) needs ~50 concurrent executions for that rate: its "
               "ConcurrentExecutions flattens at exactly 40 and Throttles jumps from 0 to ~100/min while its own Errors "
               "stay at 0 (an earlier, smaller hump at -5 h peaked near 32 without throttling). The caller "
               "statement-fanout invokes it synchronously and fails batches with TooManyRequestsException 'Rate "
               "Exceeded' (429) after retries, which is what raised the alarm. The concurrency change was on "
               "pdf-archiver, not on the builder. Volume is only ~2x, and the failure mode is a concurrency limit "
               "being hit: throttling on statement-builder, alarm on the victim caller."))
    return sc


# ====================================================================== 10
def s10():
    sc = Scenario(10, "feed-builder-errors-timeouts", "eu-north-1",
                  "Shopping feed exports failing for the largest merchants; feed-builder Errors alarm plus other open alarms.",
                  4310, dt.datetime(2026, 11, 20, 4, 50, 0))
    rng = sc.rng
    TO = 120
    parts = {"p%02d" % i: 5000 + 2500 * i for i in range(8)}
    growth = lambda t: 1.0 + 0.18 * (t + 21600) / 21600.0
    k = 114.5 / (41200 * growth(-2700))
    for p, tc in (("p11", -2700), ("p10", -2350), ("p09", -2000), ("p08", -1600)):   # the four largest merchants
        parts[p] = int(114.5 / (k * growth(tc)))

    def pdur(p, t):
        return min(TO * 1000.0, (4.0 + parts[p] * growth(t) * k) * 1000.0)
    runs = []
    t = -21600 + 17
    while t < -5:
        for i, p in enumerate(parts):
            ts = t + i * 1.3 + rng.uniform(0, 0.4)
            if ts < -1:
                d = pdur(p, ts) * rng.uniform(0.99, 1.006)
                runs.append((ts, p, int(parts[p] * growth(ts) * rng.uniform(0.995, 1.005)), d, d >= TO * 1000.0 - 1500))
        t += 300
    sc.res("lambda", "catalog-feed-builder", runtime="python3.12", timeout=TO, memory_size=3008,
           schedule="rate(5 minutes) x 12 partitions")
    dims = {"FunctionName": "catalog-feed-builder"}
    by = {}
    for ts, p, n, d, to in runs:
        by.setdefault(int((ts + 21600) // 60), []).append((d if not to else TO * 1000.0, to))
    inv = [float(len(by.get(i, []))) for i in range(360)]
    sc.put("AWS/Lambda", "Invocations", dims, "Count", inv)
    sc.put("AWS/Lambda", "Errors", dims, "Count", [float(sum(1 for _, to in by.get(i, []) if to)) for i in range(360)])
    sc.put("AWS/Lambda", "Throttles", dims, "Count", [0.0] * 360)
    sc.put("AWS/Lambda", "Duration", dims, "Milliseconds",
           [sum(d for d, _ in by[i]) / len(by[i]) if i in by else None for i in range(360)])
    conc = []
    for i in range(360):
        m0 = -21600 + 60 * i
        conc.append(float(sum(1 for ts, p, n, d, to in runs if ts < m0 + 60 and ts + d / 1000.0 > m0)))
    sc.put("AWS/Lambda", "ConcurrentExecutions", dims, "Count", conc)
    lg = L.LambdaLog(sc, "catalog-feed-builder", "python3.12", 3008, TO, pools=[(-10 ** 9, "$LATEST", 6)], mem_used=(1300, 150))
    for ts, p, n, d, timed_out in runs:
        if ts < -10800:
            continue

        def lines(t0, r, p=p, n=n, d=d, to=timed_out):
            out = [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Feed build start partition=%s merchants=%d" % (p, 3 + int(p[1:]) * 2))),
                   (2.9, L.py(sc, t0 + 2.9, r, "INFO", "Loaded %d products for partition %s from catalog-pg in %.1f s" % (n, p, rng.uniform(2.4, 3.3))))]
            done = 0
            step = 0.30 if not to else 0.22
            while True:
                done += int(n * step)
                at = 3.0 + (d / 1000.0 - 5.0) * done / n
                if done >= n or at > TO - 2:
                    break
                out.append((at, L.py(sc, t0 + at, r, "INFO", "Rendering feed %s: %d/%d items" % (p, done, n))))
            if not to:
                out.append((d / 1000 - 1.2, L.py(sc, t0 + d / 1000 - 1.2, r, "INFO",
                                                 "Uploaded feeds/%s/google.xml.gz (%.1f MiB) to s3://acme-feeds-prod in 1.1 s" % (p, n / 6100.0))))
            return out
        lg.invoke(ts, lines, d, "timeout" if timed_out else "ok")
    bg_lambda(sc, "catalog-feed-uploader", "python3.12", const(2.4), const(1800), ["Pushed feed {n} to merchant center (HTTP 200)"],
              pools=[(-10 ** 9, "$LATEST", 2), (-1880, "$LATEST", 2)])
    bg_lambda(sc, "catalog-import", "python3.12", const(1.0), const(22000), ["Imported merchant catalog delta: {big} products upserted"],
              memory=2048, timeout=300, pools=[(-10 ** 9, "$LATEST", 2), (-4480, "$LATEST", 2)])
    bg_lambda(sc, "price-watch", "nodejs20.x", const(12), const(900), ["price snapshot stored for sku {hex}"], err=const(0.25),
              err_msgs=["fetch failed for competitor page: HTTP 403 Forbidden (bot protection)"])
    bg_rds(sc, "catalog-pg", "postgres", "16.4", "db.r6g.xlarge", 1200, 500, cpu=lambda t: 27 * wave(t, 0.1) + 6 * (t % 300 < 60),
           conn=const(70), tables=("products", "offers", "merchants"), dbname="catalog", parameter_group="catalog-pg16")
    bg_ecs(sc, "shop-prod", "search-api", "go", cpu=lambda t: 35 * wave(t, 0.1), mem=const(51), tasks=lambda t: 4 + 4 * bump(t, -780, -560, 60, 60),
           desired=const(4), msgs=[("INFO", "search/handler.go:88", "query served hits={big} dur_ms={ms}")], per_min=2.0,
           target_group="tg-search-api", task_definition="search-api:65")
    bg_ecs(sc, "shop-prod", "merchant-portal", "node", cpu=const(16), mem=const(40), tasks=const(2),
           msgs=[("INFO", "portal", "request completed")], per_min=1.0, target_group="tg-merchant-portal")
    alb(sc, "shop-alb", req=lambda t: 900 * wave(t, 0.1), rt=const(0.06), target_groups=["tg-search-api", "tg-merchant-portal"], healthy=const(6))
    apigw(sc, "merchant-api", count=lambda t: 60 * wave(t, 0.1), lat=const(100), integration="http:shop-alb")
    ri = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, ri, "search-reindex-1", "c6i.4xlarge", cpu=lambda t: 10 + 80 * bump(t, -3000, 0, 240),
           groups={"/search/reindex": (0.5, lambda t: "%s INFO reindex offers: %d%% done" % (sc.iso(t), max(0, min(99, int((t + 3000) / 33)))) if t > -3000 else None)})
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "feed-qa-1", "t3.small", cpu=const(3))

    sc.change(-4500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-import", "gitlab-ci")
    sc.change(-3000, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "catalog-pg16", "e.lindqvist")
    sc.change(-1900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "catalog-feed-uploader", "e.lindqvist")
    sc.change(-800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop-prod/search-api", "gitlab-ci")

    sc.alarm("catalog-feed-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": "catalog-feed-builder"}, "Sum", 900, 1, 2,
             "GreaterThanThreshold", "ALARM", "Feed builder failures")
    sc.alarm("search-reindex-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": ri}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("catalog-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "catalog-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("catalog-feed-uploader-errors", "AWS/Lambda", "Errors", {"FunctionName": "catalog-feed-uploader"}, "Sum", 300, 1, 2,
             "GreaterThanThreshold", "OK")
    sc.set_expect("catalog-feed-builder-errors", "function_timeout", ["catalog-feed-builder"],
                  [anomaly("AWS/Lambda", "Errors", FunctionName="catalog-feed-builder"),
                   anomaly("AWS/Lambda", "Duration", FunctionName="catalog-feed-builder")])
    sc.meta = dict(alarm_on="origin (Lambda)", decoys=[
        "catalog-feed-uploader config change 32 min ago (sibling function, clean)", "catalog-pg parameter group change",
        "catalog-import deploy 75 min ago", "search-api deploy", "search-reindex-1 CPU alarm", "price-watch steady 403 errors"],
        story=("catalog-feed-builder runs 12 partitions every 5 minutes with a 120 s timeout. The largest partitions' "
               "product counts grow all day (Black-Friday catalogue growth) and their run time creeps from ~95 s "
               "towards the limit; from ~45 min ago p11, then p10, p09 and p08, end with 'Task timed out after 120.xx "
               "seconds' (REPORT Status: timeout) while still rendering items. Loading products from catalog-pg still takes "
               "~3 s, there are no connection, HTTP or throttling errors, and the uploader (config change 32 min ago) "
               "is never reached by the failing runs and has no errors of its own. The function hits its configured "
               "timeout with no dependency fault: function_timeout on catalog-feed-builder, alarm on the origin."))
    return sc
