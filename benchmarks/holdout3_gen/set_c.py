"""Scenarios h3-10 .. h3-14."""
from __future__ import annotations

from .blocks import Outcome, Series, alb_block, apigw_block, ec2_block, ecs_block, lambda_block, rds_block
from .common import Scenario, diurnal, iso, pg, poisson, smooth_step, spaced, stamp


def h3_10_catalog_plan_flip_cpu() -> Scenario:
    s = Scenario("catalog-latency-use1", "us-east-1", "Catalog search slow on web and app; API p99 latency alarm.", 310)
    r, onset = s.rng, -2340
    api, fn, db = "catalog-api", "catalog-search", "catalog-pg"
    s.resource("apigateway", api, endpoint_type="REGIONAL", stage="prod")
    s.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=1024)
    s.resource("lambda", "catalog-indexer", runtime="python3.12", timeout=900, memory_size=2048)
    s.resource("rds", db, engine="postgres", engine_version="16.1", instance_class="db.r6g.xlarge", allocated_storage_gb=400,
               max_connections=1600)
    hot = lambda t: smooth_step(t, onset, 240)
    rds_block(s, db, cpu=lambda t: min(99.8, 24 + r.gauss(0, 3) + 75 * hot(t) + (r.gauss(0, 0.6) if hot(t) else 0)),
              conns=lambda t: 42 + r.randint(-4, 4) + int(38 * hot(t)), free_storage=lambda t: 2.38e11 - (t + 21600) * 900,
              freeable=lambda t: 1.41e10 + r.gauss(0, 5e7), read_lat=lambda t: 0.0008 + r.random() * 2e-4 + 0.004 * hot(t),
              write_lat=lambda t: 0.0014 + r.random() * 3e-4, write_iops=lambda t: 80 + r.gauss(0, 10),
              read_iops=lambda t: 350 + r.gauss(0, 40) + 5200 * hot(t))

    def invoke(t: int, rid: str) -> Outcome:
        q = r.choice(["running shoes", "rain jacket", "kids backpack", "wool socks", "trail 2", "linen shirt"])
        cdn = [f"[ERROR]\t{iso(t)}\t{rid}\timage CDN HEAD failed for sku {r.randint(100000, 999999)}: 404"] if r.random() < 0.3 else []
        if t >= onset + 120:
            if r.random() < 0.16:
                tail = [f"[ERROR] QueryCanceled: canceling statement due to statement timeout\rTraceback (most recent call last):\r  "
                        f"File \"/var/task/search/handler.py\", line 36, in handler\r    rows = repo.search(q, facets)\r  File "
                        f"\"/var/task/search/repo.py\", line 74, in search\r    cur.execute(SEARCH_SQL, params)\r  File "
                        f"\"/opt/python/psycopg/cursor.py\", line 732, in execute\r    raise ex.with_traceback(None)"]
                return Outcome(r.uniform(10020, 10400), [f"[INFO]\t{iso(t)}\t{rid}\tsearch q=\"{q}\" page=1"] + cdn, error=True, tail=tail)
            d = r.uniform(3500, 9800)
            return Outcome(d, [f"[INFO]\t{iso(t)}\t{rid}\tsearch q=\"{q}\" page=1"] + cdn +
                           [f"[WARNING]\t{iso(t)}\t{rid}\tslow query {d / 1000 - 0.05:.2f}s search q=\"{q}\""])
        return Outcome(r.uniform(90, 260), [f"[INFO]\t{iso(t)}\t{rid}\tsearch q=\"{q}\" page=1"] + cdn +
                       [f"[INFO]\t{iso(t)}\t{rid}\t{r.randint(8, 48)} hits in {r.randint(20, 90)} ms"])

    lambda_block(s, fn, lambda t: 7 * diurnal(t, 0.2), invoke, 1024, log_from=-4800, base_mem=150)
    pts = next(m for m in s.metrics if m["name"] == "Duration")["points"]
    dmap, imap = dict((t, v) for t, v in pts), dict((t, v) for t, v in next(m for m in s.metrics if m["name"] == "Invocations")["points"])
    emap = dict((t, v) for t, v in next(m for m in s.metrics if m["name"] == "Errors")["points"])
    apigw_block(s, api, count=lambda t: imap[t], e4=lambda t: poisson(r, 0.3), e5=lambda t: emap[t],
                latency=lambda t: (dmap[t] * r.uniform(1.05, 1.4) + 12) if t in dmap else None,
                integ=lambda t: (dmap[t] + 8) if t in dmap else None)
    idx = lambda t: -2500 <= t < -2100
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "catalog-indexer"}, "Count", lambda t: 6 if idx(t) else (1 if t % 900 == 0 else 0), 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "catalog-indexer"}, "Milliseconds",
             lambda t: r.uniform(400000, 700000) if idx(t) else (r.uniform(40000, 60000) if t % 900 == 0 else None), 1)
    ev = []
    for t in range(-10800, 0, 60):
        if r.random() < 0.06:   # nightly/BI slow queries at a constant trickle
            at = t + r.random() * 60
            ev.append((at, f"{pg(at)}:10.0.{r.randint(1, 9)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):bi_reader@catalog:"
                           f"[{r.randint(1000, 30000)}]:LOG:  duration: {r.uniform(1100, 2600):.3f} ms  statement: SELECT "
                           f"date_trunc('day', created_at), count(*) FROM product_views GROUP BY 1"))
        if t % 300 == 0:
            ev.append((t + 3, f"{pg(t + 3)}::@:[588]:LOG:  checkpoint complete: wrote {r.randint(300, 900)} buffers (0.{r.randint(1, 9)}%); "
                              f"0 WAL file(s) added, 0 removed, 1 recycled"))
    ev.append((onset - 30, f"{pg(onset - 30)}::@:[30418]:LOG:  automatic analyze of table \"catalog.public.product_variants\" "
                           f"system usage: CPU: user: 3.91 s, system: 0.22 s, elapsed: 6.48 s"))
    for t in range(onset + 60, 0, 60):
        for _ in range(poisson(r, 9)):
            at = t + r.random() * 60
            ev.append((at, f"{pg(at)}:10.0.{r.randint(20, 29)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):catalog_search@catalog:"
                           f"[{r.randint(1000, 30000)}]:LOG:  duration: {r.uniform(3400, 9900):.3f} ms  execute <unnamed>: SELECT "
                           f"v.id, v.sku, v.price FROM product_variants v JOIN products p ON p.id = v.product_id WHERE "
                           f"p.search_vector @@ plainto_tsquery($1) AND v.attrs @> $2 ORDER BY p.rank DESC LIMIT 48"))
        if r.random() < 0.5:
            at = t + r.random() * 60
            ev.append((at, f"{pg(at)}:10.0.{r.randint(20, 29)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):catalog_search@catalog:"
                           f"[{r.randint(1000, 30000)}]:ERROR:  canceling statement due to statement timeout"))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(-2520, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "catalog-indexer", "buildkite")
    s.change(-2515, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "catalog-indexer", "buildkite")
    s.change(-12600, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba.r.silva")
    s.alarm("catalog-api-p99-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "p99", 300, 1, 5000, "GreaterThanThreshold")
    s.expect = {"alarm": "catalog-api-p99-latency", "root_cause": {"category": "cpu_saturation", "resource": [db]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": db}}]}
    return s


def h3_11_statement_render_timeouts() -> Scenario:
    s = Scenario("statement-render-aps1", "ap-south-1", "Monthly statements not generated for many accounts; duration alarm.", 311)
    r, onset = s.rng, -2100
    fn = "statement-render"
    s.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=2048)
    s.resource("lambda", "statement-dispatch", runtime="dotnet8", timeout=60, memory_size=256,
               environment={"BATCH_TIER_ORDER": "retail,sme,corporate"})
    s.resource("lambda", "kyc-check", runtime="python3.12", timeout=30, memory_size=512)

    def invoke(t: int, rid: str) -> Outcome:
        acct = f"ACC{r.randint(10 ** 7, 10 ** 8 - 1)}"
        tier = "corporate" if t >= onset else r.choice(["retail", "retail", "sme"])
        txns = r.randint(4000, 60000) if tier == "corporate" else r.randint(20, 900)
        lines = [f"{iso(t)}\t{rid}\tinfo\tStatementRender.Function[0] rendering statement acct={acct} tier={tier} period=2026-02 "
                 f"txn_count={txns} pages={max(1, txns // 44)}"]
        if r.random() < 0.5:
            lines.append(f"{iso(t)}\t{rid}\tfail\tStatementRender.Fonts[0] Glyph U+20B9 missing in font 'Inter'; falling back to "
                         f"'Noto Sans'")
        cost = 600 + txns * 0.42 + r.uniform(0, 400)
        if cost >= 15000:
            return Outcome(15000 + r.uniform(5, 40), lines + [f"{iso(t)}\t{rid}\tinfo\tStatementRender.Pdf[0] layout pass "
                                                               f"{r.randint(2, 5)} of 6 ({r.randint(20, 80)}%)"],
                           timeout=True, tail=[f"{iso(t + 15)} {rid} Task timed out after 15.02 seconds"], max_mem=r.randint(900, 1700))
        return Outcome(cost, lines + [f"{iso(t)}\t{rid}\tinfo\tStatementRender.Function[0] uploaded statements/2026-02/{acct}.pdf"],
                       max_mem=r.randint(300, 1100))

    lambda_block(s, fn, lambda t: 5 if t >= -9000 else 0.4, invoke, 2048, log_from=-4500, base_mem=300,
                 duration_max=True)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "statement-dispatch"}, "Count", lambda t: 1 if t % 300 == 0 else 0, 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "statement-dispatch"}, "Count", lambda t: 0, 0)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "kyc-check"}, "Count",
             lambda t: poisson(r, 14 + (120 if -2900 <= t < -2600 else 0)), 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "kyc-check"}, "Count", lambda t: poisson(r, 0.4), 0)
    s.change(-2300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "statement-dispatch",
             "a.iyer")
    s.change(-9100, "events.amazonaws.com", "EnableRule", "AWS::Events::Rule", "statement-month-end", "a.iyer")
    s.alarm("statement-render-duration-max", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Maximum", 300, 1, 14000,
            "GreaterThanOrEqualToThreshold")
    s.expect = {"alarm": "statement-render-duration-max", "root_cause": {"category": "function_timeout", "resource": [fn]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    return s


def h3_12_spring_sale_email_blast() -> Scenario:
    s = Scenario("shop-latency-use1", "us-east-1", "Shop pages slow after 14:30; ALB latency alarm.", 312)
    r, onset = s.rng, -1800
    lb = "app/shop-web-alb/9c2e7a15b3d04f68"
    webs = ["i-05a3c8e1f7b29d460", "i-0e7d1b94c6a3f2158", "i-09f2a6d3e8c1b7045"]
    s.resource("alb", lb, name="shop-web-alb", targets=webs)
    for i, w in enumerate(webs):
        s.resource("ec2", w, name=f"shop-web-{'abc'[i]}", instance_type="c6i.xlarge")
    s.resource("lambda", "newsletter-sender", runtime="python3.12", timeout=900, memory_size=512)
    s.resource("rds", "shop-pg", engine="postgres", instance_class="db.r6g.large", allocated_storage_gb=250, max_connections=800)
    surge = lambda t: 1 + 4.2 * smooth_step(t, onset, 300) * (1 - 0.15 * smooth_step(t, -600, 600))
    req = Series(lambda t: poisson(r, 1900 * diurnal(t, 0.1) * surge(t)))
    lat = Series(lambda t: 0.11 + r.random() * 0.03 if t < onset + 240 else r.uniform(1.3, 2.9))
    alb_block(s, lb, requests=req, latency=lat, target_5xx=lambda t: poisson(r, 0.5 if t < onset + 240 else 24),
              elb_5xx=lambda t: poisson(r, 0.1 if t < onset + 240 else 6), target_4xx=lambda t: poisson(r, req(t) * 0.012),
              healthy=lambda t: 3, unhealthy=lambda t: 0)
    for w in webs:
        ec2_block(s, w, cpu=lambda t: 24 * diurnal(t, 0.1) + r.gauss(0, 2.5) + 52 * smooth_step(t, onset, 300),
                  mem=lambda t: 48 + r.gauss(0, 0.8) + 9 * smooth_step(t, onset, 300), disk=lambda t: 33.1 + r.gauss(0, 0.05),
                  net_in=lambda t: 9.5e6 * diurnal(t, 0.1) * surge(t) + r.gauss(0, 4e5))
    rds_block(s, "shop-pg", cpu=lambda t: 21 + r.gauss(0, 3) + 14 * smooth_step(t, onset, 300),
              conns=lambda t: 120 + r.randint(-8, 8) + int(60 * smooth_step(t, onset, 300)),
              free_storage=lambda t: 1.61e11 - (t + 21600) * 400, freeable=lambda t: 6.8e9 + r.gauss(0, 5e7),
              read_lat=lambda t: 0.0007 + r.random() * 2e-4, write_lat=lambda t: 0.0012 + r.random() * 3e-4,
              write_iops=lambda t: 210 + r.gauss(0, 20))
    sender = lambda t: -2050 <= t < -1860
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "newsletter-sender"}, "Count", lambda t: 40 if sender(t) else 0, 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "newsletter-sender"}, "Milliseconds",
             lambda t: r.uniform(50000, 90000) if sender(t) else None, 1)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "newsletter-sender"}, "Count", lambda t: 0 if sender(t) else None, 0)
    for i, w in enumerate(webs):
        ev, host = [], f"ip-10-0-{i + 1}-{17 + i * 9}"
        for t in range(-5400, 0, 60):
            if r.random() < 0.7:
                at = t + r.random() * 60
                ev.append((at, f"{stamp(at, '%Y/%m/%d %H:%M:%S')} [error] 1290#1290: *{r.randint(10 ** 6, 10 ** 7)} open() "
                               f"\"/var/www/shop/static/{r.choice(['wp-login.php', '.env', 'xmlrpc.php', 'phpmyadmin/index.php'])}\" "
                               f"failed (2: No such file or directory), client: {r.randint(40, 220)}.{r.randint(0, 255)}."
                               f"{r.randint(0, 255)}.{r.randint(1, 254)}, server: shop.example.com"))
            if t % 60 == 0:
                busy = 16 if t >= onset + 240 else min(16, int(3 + 11 * smooth_step(t, onset, 240)) + r.randint(0, 2))
                backlog = r.randint(120, 480) if t >= onset + 240 else 0
                ev.append((t + 30, f"{spaced(t + 30)} INFO shop.stats rps={req(t) / 180:.1f} workers_busy={busy}/16 "
                                   f"backlog={backlog} top_path={'/sale/spring?utm_campaign=spring_sale_email' if t >= onset else '/'}"))
            if t >= onset + 240:
                for _ in range(poisson(r, 4)):
                    at = t + r.random() * 60
                    ev.append((at, f"{stamp(at, '%Y/%m/%d %H:%M:%S')} [error] 1290#1290: *{r.randint(10 ** 6, 10 ** 7)} upstream "
                                   f"timed out (110: Connection timed out) while reading response header from upstream, client: "
                                   f"10.0.{r.randint(1, 3)}.{r.randint(2, 250)}, server: shop.example.com, request: \"GET "
                                   f"/sale/spring?utm_campaign=spring_sale_email HTTP/1.1\", upstream: \"http://unix:/run/gunicorn.sock:"
                                   f"/sale/spring?utm_campaign=spring_sale_email\", host: \"shop.example.com\""))
            for _ in range(poisson(r, req(t) / 3 / 1000)):
                at = t + r.random() * 60
                slow = t >= onset + 240
                path = "/sale/spring?utm_campaign=spring_sale_email" if t >= onset and r.random() < 0.8 else r.choice(["/", "/c/men", "/cart"])
                code = 504 if slow and r.random() < 0.02 else 200
                rt = r.uniform(1.0, 4.5) if slow else r.uniform(0.04, 0.2)
                ev.append((at, f"10.0.{r.randint(1, 3)}.{r.randint(2, 250)} - - [{stamp(at, '%d/%b/%Y:%H:%M:%S +0000')}] \"GET {path} "
                               f"HTTP/1.1\" {code} {r.randint(800, 40000)} \"-\" \"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X)\" "
                               f"rt={rt:.3f} urt={rt - 0.001:.3f} sampled=1/1000"))
        s.log("/shop/web/nginx-and-app", f"{w}/{host}", ev)
    s.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "newsletter-sender", "marketing-ci")
    s.change(-2100, "events.amazonaws.com", "PutRule", "AWS::Events::Rule", "spring-sale-send", "l.brooks")
    s.alarm("shop-web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
            "GreaterThanThreshold")
    s.expect = {"alarm": "shop-web-alb-latency", "root_cause": {"category": "traffic_surge", "resource": [lb, "shop-web-alb"] + webs},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    return s


def h3_13_webhook_new_event_shape() -> Scenario:
    s = Scenario("webhooks-5xx-sae1", "sa-east-1", "Payment provider dashboard shows failing webhook deliveries; API 5XX alarm.", 313)
    r, onset = s.rng, -1700
    api, fn = "webhooks-api", "invoice-webhook"
    s.resource("apigateway", api, endpoint_type="REGIONAL", stage="live")
    s.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=256)
    s.resource("lambda", "invoice-mailer", runtime="python3.12", timeout=60, memory_size=256)
    types = ["invoice.paid", "invoice.finalized", "customer.updated", "charge.succeeded"]

    def invoke(t: int, rid: str) -> Outcome:
        evt = f"evt_{s.hexid(16)}"
        if r.random() < 0.12:
            return Outcome(r.uniform(4, 9), [f"[ERROR]\t{iso(t)}\t{rid}\tsignature verification failed: No signatures found matching "
                                             f"the expected signature for payload (source_ip=177.{r.randint(0, 255)}.{r.randint(0, 255)}."
                                             f"{r.randint(1, 254)})"])
        kind = "invoice.payment_action_required" if t >= onset and r.random() < 0.5 else r.choice(types)
        head = [f"[INFO]\t{iso(t)}\t{rid}\treceived {evt} type={kind} api_version=2025-10-29"]
        if kind == "invoice.payment_action_required":
            tail = [f"[ERROR] KeyError: 'customer'\rTraceback (most recent call last):\r  File \"/var/task/app/handler.py\", line 44, in "
                    f"lambda_handler\r    return route(event_type, payload)\r  File \"/var/task/app/router.py\", line 19, in route\r    "
                    f"return HANDLERS[event_type](payload)\r  File \"/var/task/app/invoices.py\", line 72, in on_invoice_event\r    "
                    f"customer_id = payload[\"data\"][\"object\"][\"customer\"]"]
            return Outcome(r.uniform(30, 80), head, error=True, tail=tail)
        return Outcome(r.uniform(40, 160), head + [f"[INFO]\t{iso(t)}\t{rid}\thandled {evt} in {r.randint(20, 120)} ms"])

    lambda_block(s, fn, lambda t: 7 * diurnal(t, 0.15), invoke, 256, log_from=-3900, base_mem=78)
    imap = dict((t, v) for t, v in next(m for m in s.metrics if m["name"] == "Invocations")["points"])
    emap = dict((t, v) for t, v in next(m for m in s.metrics if m["name"] == "Errors")["points"])
    apigw_block(s, api, count=lambda t: imap[t], e4=lambda t: round(imap[t] * 0.12), e5=lambda t: emap[t],
                latency=lambda t: r.uniform(60, 190), integ=lambda t: r.uniform(40, 160))
    acc = []
    for t in range(-3900, 0, 60):
        n, e = imap[t], emap[t]
        codes = ["502"] * e + ["400" if r.random() < 0.12 else "200" for _ in range(max(0, n - e))]
        for code in codes:
            at = t + r.random() * 60
            acc.append((at, '{"requestId":"%s","ip":"54.187.%d.%d","requestTime":"%s","httpMethod":"POST","resourcePath":"/provider",'
                            '"status":"%s","protocol":"HTTP/1.1","responseLength":"%d","integrationStatus":"200",'
                            '"integrationLatency":"%d","errorMessage":"%s"}'
                        % (s.uid(), r.randint(0, 255), r.randint(1, 254), stamp(at, "%d/%b/%Y:%H:%M:%S +0000"), code,
                           36 if code == "502" else 2, r.randint(30, 160), "Internal server error" if code == "502" else "-")))
    s.log("/aws/apigateway/webhooks-api/live/access", "access", acc)
    mail = lambda t: -1900 <= t < -1600
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "invoice-mailer"}, "Count", lambda t: poisson(r, 3), 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "invoice-mailer"}, "Milliseconds",
             lambda t: r.uniform(6000, 11000) if mail(t) else r.uniform(700, 1300), 1)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "invoice-mailer"}, "Count", lambda t: 0, 0)
    s.change(-1900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-mailer", "gh-actions-billing")
    s.change(-1850, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "invoice-mailer-role", "gh-actions-billing", "us-east-1")
    s.alarm("webhooks-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 8, "GreaterThanThreshold")
    s.expect = {"alarm": "webhooks-api-5xx", "root_cause": {"category": "application_error", "resource": [fn]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    return s


def h3_14_partner_gateway_elb_502() -> Scenario:
    s = Scenario("partner-gw-502-cac1", "ca-central-1", "Partners see sporadic 502 Bad Gateway; ELB 5XX alarm on partner-gw-alb.", 314)
    r, onset = s.rng, -1500
    lb = "app/partner-gw-alb/2f7a9c4e81b6d053"
    s.resource("alb", lb, name="partner-gw-alb")
    s.resource("alb", "app/partner-admin-alb/8e1d3a6c5f0b2947", name="partner-admin-alb")
    s.resource("ecs", "partner/gateway", launch_type="FARGATE", desired_count=4, task_definition="partner-gateway:77")
    s.resource("ecs", "partner/admin", launch_type="FARGATE", desired_count=1, task_definition="partner-admin:19")
    s.resource("lambda", "partner-usage-rollup", runtime="python3.12", timeout=300, memory_size=1024)
    req = Series(lambda t: poisson(r, 1150 * diurnal(t, 0.1)))
    alb_block(s, lb, requests=req, latency=lambda t: 0.085 + r.random() * 0.03, target_5xx=lambda t: poisson(r, 1.2),
              elb_5xx=lambda t: (poisson(r, 16) if r.random() < 0.8 else poisson(r, 3)) if t >= onset else poisson(r, 0.15),
              target_4xx=lambda t: poisson(r, 20), healthy=lambda t: 4, unhealthy=lambda t: 0)
    alb_block(s, "app/partner-admin-alb/8e1d3a6c5f0b2947", requests=lambda t: poisson(r, 6), latency=lambda t: 0.04 + r.random() * 0.02,
              target_5xx=lambda t: 0, elb_5xx=lambda t: 0, target_4xx=lambda t: poisson(r, 0.2), healthy=lambda t: 1,
              unhealthy=lambda t: 0)
    ecs_block(s, "partner", "gateway", cpu=lambda t: 34 * diurnal(t, 0.1) + r.gauss(0, 3), mem=lambda t: 41 + r.gauss(0, 1))
    ecs_block(s, "partner", "admin", cpu=lambda t: 62 + r.gauss(0, 6) if -1650 <= t < -1450 else 5 + r.gauss(0, 1),
              mem=lambda t: 30 + r.gauss(0, 1))
    roll = lambda t: -2400 <= t < -2000
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "partner-usage-rollup"}, "Milliseconds",
             lambda t: r.uniform(180000, 260000) if roll(t) else (r.uniform(30000, 40000) if t % 900 == 0 else None), 1)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "partner-usage-rollup"}, "Count",
             lambda t: 1 if roll(t) or t % 900 == 0 else 0, 0)
    for k in range(4):
        ev = []
        for t in range(-4800, 0, 60):
            for _ in range(poisson(r, 3)):
                at = t + r.random() * 60
                ev.append((at, f"time={iso(at)} level=info msg=\"request (sampled 1/100)\" method={r.choice(['GET', 'GET', 'POST'])} "
                               f"path={r.choice(['/v2/shipments', '/v2/rates', '/v2/labels', '/v2/tracking'])} status=200 "
                               f"dur={r.randint(20, 140)}ms partner=p-{r.randint(100, 999):04d}"))
            if r.random() < 0.45:
                at = t + r.random() * 60
                ev.append((at, f"time={iso(at)} level=error msg=\"quota check failed, allowing request\" error=\"rpc error: code = "
                               f"Unavailable desc = quota-svc.internal:7443: connection reset by peer\" partner=p-{r.randint(100, 999):04d}"))
        s.log("/ecs/partner/gateway", f"gateway/partner-gateway/{s.hexid(32)}", ev)
    s.change(-1710, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "partner-admin:19", "ci-partner")
    s.change(-1700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "partner/admin", "ci-partner")
    s.change(-1650, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "partner-usage-rollup-role", "ci-partner", "us-east-1")
    s.alarm("partner-gw-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 5, 5,
            "GreaterThanOrEqualToThreshold", datapoints_to_alarm=3)
    s.expect = {"alarm": "partner-gw-elb-5xx", "root_cause": {"category": "unknown", "resource": [lb, "partner-gw-alb"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}]}
    return s
