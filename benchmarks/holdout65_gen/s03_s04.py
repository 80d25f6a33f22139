"""h65-03 (Java Lambda loses s3:PutObject) and h65-04 (PHP on EC2, MySQL out of connections)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal, ramp
from .kit import (EC2_GRID, alb, alb_id, binom, counts, ec2, emit, instance_id, rds, request_times,
                  run_lambda, smooth, tg_id)
from .runtimes import LambdaLogs, mysql, nginx


# --------------------------------------------------------------------------- 03
def s03() -> Scenario:
    sc = Scenario(3, "statement-pdf-writer", "Document rendering errors alarm; customers' monthly "
                  "statements are not showing up in the portal.", "eu-central-1",
                  seed=6503, now_iso="2026-02-02T08:40:00")
    fn, notify = "doc-render", "doc-notify"
    iam, decoy, old_deploy = -3060, -2990, -16200
    sc.resource("lambda", fn, runtime="java21", timeout=60, memory_size=1024, role="doc-render-exec")
    sc.resource("lambda", notify, runtime="python3.12", timeout=10, memory_size=128)
    rng = sc.rng
    inv = counts(sc, lambda t: 0.55 * diurnal(sc, t, 9, 0.4))
    err = binom(sc, inv, lambda t: 0.97 if t >= iam + 20 else 0.012)
    ll = LambdaLogs(sc, fn, "java21", 1024, 60, epochs=((-10 ** 9, "$LATEST"),),
                    mem_used=(310, 25), retire=(old_deploy + 10,))
    bucket, acct = "mk-docs-prod-eu", sc.account
    log = ll.fmt

    def body(l, t, rid, is_err, cold):
        cust = f"C{rng.randint(100000, 999999)}"
        key = f"statements/2026/01/{cust}.pdf"
        lines = [(0.05, log(t + 0.05, rid, "INFO", f"c.m.docs.RenderHandler - rendering statement customer={cust} pages={rng.randint(1, 6)}")),
                 (0.4, log(t + 0.4, rid, "WARN", "o.a.pdfbox.pdmodel.font.PDType1Font - Using fallback font LiberationSans for Helvetica-Oblique"))]
        if is_err and t >= iam + 20:
            d = rng.gauss(1900, 250)
            rq = sc.hexid(16).upper()
            msg = (f"User: arn:aws:sts::{acct}:assumed-role/doc-render-exec/{fn} is not authorized to perform: "
                   f"s3:PutObject on resource: \"arn:aws:s3:::{bucket}/{key}\" because no identity-based policy "
                   f"allows the s3:PutObject action (Service: S3, Status Code: 403, Request ID: {rq})")
            lines.append((d / 1000 - 0.05, log(t + d / 1000, rid, "ERROR",
                          f"c.m.docs.RenderHandler - upload failed key={key}: S3Exception: {msg}")))
            lines.append((d / 1000 - 0.01, json.dumps({
                "errorMessage": msg, "errorType": "software.amazon.awssdk.services.s3.model.S3Exception",
                "stackTrace": ["software.amazon.awssdk.services.s3.model.S3Exception: " + msg[:60] + "...",
                               "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
                               "com.mk.docs.Store.put(Store.java:58)",
                               "com.mk.docs.RenderHandler.handleRequest(RenderHandler.java:71)"]})))
            return {"dur": d, "lines": lines}
        if is_err:
            d = rng.gauss(420, 60)
            msg = f"Template 'statement-{rng.choice(['de', 'at', 'ch'])}-legacy.ftl' not found"
            lines.append((d / 1000, log(t + d / 1000, rid, "ERROR", f"c.m.docs.RenderHandler - {msg}")))
            lines.append((d / 1000 + 0.002, json.dumps({"errorMessage": msg,
                          "errorType": "freemarker.template.TemplateNotFoundException",
                          "stackTrace": ["freemarker.template.Configuration.getTemplate(Configuration.java:2869)",
                                         "com.mk.docs.RenderHandler.handleRequest(RenderHandler.java:49)"]})))
            return {"dur": d, "lines": lines}
        d = rng.gauss(2300, 400) + (2500 if cold else 0)
        lines.append((d / 1000 - 0.02, log(t + d / 1000, rid, "INFO", f"c.m.docs.Store - stored s3://{bucket}/{key} bytes={rng.randint(40000, 390000)}")))
        return {"dur": d, "lines": lines}

    run_lambda(sc, ll, inv, err, body)
    ok = {m: inv[m] - err[m] for m in GRID}
    inv2 = {m: (ok[m] if m < iam + 20 else 0) + (1 if rng.random() < 0.02 else 0) for m in GRID}
    ll2 = LambdaLogs(sc, notify, "python3.12", 128, 10, mem_used=(61, 3), retire=(decoy + 5,))
    run_lambda(sc, ll2, inv2, {}, lambda l, t, rid, e, c: {
        "dur": rng.gauss(180, 30), "lines": [(0.01, l.fmt(t, rid, "INFO", f"sent statement-ready mail to customer C{rng.randint(100000, 999999)}"))]})
    dlq = {"QueueName": "doc-render-dlq"}
    depth, acc = {}, 0.0
    for m in GRID:
        if m >= iam + 20:
            acc += err[m] * 0.33  # after three receives a message lands in the DLQ
        depth[m] = float(int(acc) + (2 if m > -19000 else 1))
    emit(sc, "AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Count",
         {m: v for m, v in depth.items() if (m // 60) % 5 == 0})
    sc.change(old_deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "jenkins")
    sc.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "doc-render-exec", "terraform-ci")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", notify, "jenkins")
    sc.alarm("doc-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 600, 1, 2,
             "GreaterThanThreshold", "Statement renderer errors over 10 minutes")
    sc.alarm("doc-render-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", dlq, "Maximum",
             300, 1, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "doc-render-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        where="origin", services="Lambda, SQS metric", runtime="Java 21 (Lambda text), JSON error objects; Python 3.12",
        decoys="code deploy of the downstream mail function 70 s after the IAM change; the renderer's own deploy "
               "4.5 h earlier; hourly TemplateNotFound errors and constant PDFBox font warnings; DLQ alarm",
        story="A Java 21 renderer builds about one PDF statement every two minutes and uploads it to S3. At -51 min "
              "the Terraform pipeline rewrites the inline policy of its execution role (`PutRolePolicy` on "
              "`doc-render-exec`). From the next invocation on, almost every run ends in `S3Exception ... is not "
              "authorized to perform: s3:PutObject ... (Status Code: 403)`, and the DLQ starts filling. "
              "A Jenkins deploy of the mail function 70 s later is the change nearest onset, but that function "
              "simply gets fewer invocations because no statements finish. The renderer's own deploy was 4.5 h "
              "earlier, with hours of clean runs after it. The old TemplateNotFound errors keep their hourly "
              "rate. The AccessDenied text after an IAM change makes this `permission_denied` on `doc-render`.")
    return sc


# --------------------------------------------------------------------------- 04
def s04() -> Scenario:
    sc = Scenario(4, "shop-mysql-connections", "Target 5XX alarm on the shop load balancer; checkout "
                  "pages intermittently return 500.", "us-east-2", seed=6504, now_iso="2026-07-18T19:05:00")
    web, lbname, db, exporter = instance_id(sc), "shop-lb", "shopdb", "feed-export"
    lb, tg = alb_id(sc, lbname), tg_id(sc, "shop-web")
    grow0, full, decoy = -4300, -2580, -2460
    sc.resource("ec2", web, name="web-a", instance_type="t3.small",
                log_groups=["/shop/nginx/access", "/shop/php-fpm/error"])
    sc.resource("alb", lb, name=lbname)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.39", instance_class="db.t3.micro",
                max_connections=60, allocated_storage_gb=20)
    sc.resource("lambda", exporter, runtime="python3.12", timeout=300, memory_size=256)
    rng = sc.rng
    conns = smooth(sc, lambda t: 14 + 46 * ramp(t, grow0, full), noise=0.04, digits=0)
    conns = {m: min(60.0, v) for m, v in conns.items()}
    req = counts(sc, lambda t: 4.2 * diurnal(sc, t, 20, 0.25))
    p_fail = lambda t: 0.0 if t < full - 120 else (0.55 if t >= full else 0.2)
    dbhits = binom(sc, req, lambda t: 0.8)
    fails = binom(sc, dbhits, p_fail)
    t5 = {m: fails[m] + (1 if rng.random() < 0.006 else 0) for m in GRID}
    rt = smooth(sc, lambda t: 0.19 + 0.9 * ramp(t, full - 600, full), noise=0.15)
    alb(sc, lb, tg, req, t5, rt, healthy={m: 1.0 for m in GRID}, unhealthy={m: 0.0 for m in GRID})
    ec2(sc, web, smooth(sc, lambda t: 11 * diurnal(sc, t, 20, 0.25) + 3 * ramp(t, full - 600, full),
                        noise=0.1, times=EC2_GRID))
    rds(sc, db, smooth(sc, lambda t: 7.5, noise=0.12), conns,
        free_gb=smooth(sc, lambda t: 13.1 - (t + 21600) / 21600 * 0.02, noise=0.0005),
        freeable_mb=smooth(sc, lambda t: 212 - 38 * ramp(t, grow0, full), noise=0.01))
    # access log (combined + rt) and php-fpm/app error log
    acc, errg = "/shop/nginx/access", "/shop/php-fpm/error"
    pages = ["/", "/product/%d", "/cart", "/checkout", "/category/%s", "/wp-json/shop/v1/stock/%d"]
    fail_left = dict(fails)
    for t in request_times(sc, req):
        m = int(t // 60 * 60)
        p = rng.choice(pages)
        p = p % (rng.randint(100, 999) if "%d" in p else rng.choice(["tea", "mugs", "gifts"])) if "%" in p else p
        st, rtm = 200, max(0.02, rng.gauss(0.18, 0.05))
        if fail_left.get(m, 0) > 0 and p != "/":
            fail_left[m] -= 1
            st, rtm = 500, rng.uniform(0.01, 0.05)
            sc.log(errg, web, t + rtm - 0.005, f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP Fatal error:  "
                   f"Uncaught PDOException: SQLSTATE[HY000] [1040] Too many connections in "
                   f"/var/www/shop/app/Db/Connection.php:31")
        elif rng.random() < 0.05:
            st = 404
        sc.log(acc, web, t + rtm, nginx(sc, t, sc.ip(), "GET", p, st, rng.randint(900, 48000) if st == 200 else 512, rtm,
                                        ua="Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X)"))
    for t in range(-21600, 0, 240):
        tt = t + rng.uniform(0, 200)
        sc.log(errg, web, tt, f"[{sc.at(tt).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP Warning:  Undefined array key "
               f"\"utm_source\" in /var/www/shop/app/Http/Tracking.php on line 42")
    dbg = f"/aws/rds/instance/{db}/error"
    for t in range(-21600, 0, 600):
        tt = t + rng.uniform(0, 590)
        sc.log(dbg, db, tt, mysql(sc, tt, rng.randint(3000, 9000), "Note", "MY-010914",
                                  f"Aborted connection {rng.randint(30000, 99999)} to db: 'shop' user: 'shop_app' host: "
                                  f"'{sc.ip()}' (Got timeout reading communication packets)."))
    # exporter lambda runs every 15 minutes, fine throughout
    inv = {m: (1 if (m // 60) % 15 == 0 else 0) for m in GRID}
    ll = LambdaLogs(sc, exporter, "python3.12", 256, 300, mem_used=(88, 4))

    def exp_body(l, t, rid, is_err, cold):
        if is_err:
            return {"dur": rng.gauss(140, 20), "lines": [
                (0.1, f"[ERROR] OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                      f"  File \"/var/task/export.py\", line 22, in handler\n    conn = pymysql.connect(**DB)\n"
                      f"pymysql.err.OperationalError: (1040, 'Too many connections')")]}
        return {"dur": rng.gauss(4100, 500), "lines": [
            (0.2, l.fmt(t + 0.2, rid, "INFO", f"exported {rng.randint(380, 420)} products to feed.xml"))]}
    run_lambda(sc, ll, inv, {m: 1 for m in GRID if m >= full}, exp_body)
    sc.change(-20100, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", web, "priya.s")
    sc.change(decoy, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", tg.split("/")[1], "priya.s")
    sc.alarm("shop-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 2, 4, "GreaterThanThreshold", "Shop 5xx from the web instance")
    sc.alarm("shopdb-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 3, 50, "GreaterThanThreshold")
    sc.expect = {"alarm": "shop-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        where="front (ALB, then EC2) → origin RDS", services="ALB, EC2, RDS MySQL, Lambda",
        runtime="PHP-FPM + nginx access log; MySQL error log; Python 3.12",
        decoys="target-group stickiness change 2 min after the DB hit its limit and nearest the alarm; "
               "constant PHP 'Undefined array key' warnings; routine aborted-connection notes",
        story="A small shop runs one t3.small PHP instance behind an ALB at about four requests a minute, on a "
              "db.t3.micro MySQL with max_connections=60. Over the last 70 minutes `DatabaseConnections` climbs from "
              "about 14 to exactly 60 and stays there. From then on, about half the database-backed requests die "
              "with `PDOException: SQLSTATE[HY000] [1040] Too many connections`, and the quarter-hourly feed "
              "exporter fails its connect with the same error 1040. A stickiness change on the target group two minutes later is "
              "the only recent change and sits nearest the alarm, but it cannot produce error 1040. The PHP "
              "warnings and aborted-connection notes run at the same rate all six hours. DB CPU stays at about "
              "7 %. The answer is `db_connection_exhaustion` on `shopdb`, although the alarm is on the ALB.")
    return sc
