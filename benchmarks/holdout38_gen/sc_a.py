"""Scenarios 01-04."""
from __future__ import annotations

import json

from .common import (LOG_START, Scn, anomaly, hexid, iso, ms_stamp, node_line, periodic, poisson,
                     py_line, ramp, rid, simulate_lambda, stamp)
from .services import alb, apigw, const, ec2, ecs, traffic


def _spring(t: float, level: str, thread: str, logger: str, msg: str) -> str:
    return f"{ms_stamp(t)} {level:>5} 1 --- [{thread:>15}] {logger:<40} : {msg}"


# ------------------------------------------------------------------------------------------
def s01() -> Scn:
    s = Scn("h38-01-storefront-5xx-checkout-release", "eu-west-1",
            "Storefront ALB returning 5xx on checkout; target 5XX alarm paged the web on-call.")
    rng = s.rng
    lb = "app/storefront-alb/7f3c2a91d0e4b615"
    svc, cat = "storefront/checkout-svc", "storefront/catalog-svc"
    deploy = -2040
    onset = -1860
    s.resource("alb", lb, name="storefront-alb", scheme="internet-facing",
               target_groups=["checkout-tg", "catalog-tg"])
    s.resource("ecs", svc, cluster="storefront", service="checkout-svc", launch_type="FARGATE",
               task_definition="checkout-svc:143", desired_count=6, cpu=1024, memory=2048,
               log_groups=["/ecs/storefront/checkout-svc"])
    s.resource("ecs", cat, cluster="storefront", service="catalog-svc", launch_type="FARGATE",
               task_definition="catalog-svc:88", desired_count=4, cpu=512, memory=1024,
               log_groups=["/ecs/storefront/catalog-svc"])
    s.resource("lambda", "sitemap-builder", runtime="python3.12", timeout=120, memory_size=1024)
    req = traffic(1850, 0.15)
    alb(s, lb, req, lambda t: 0.145 + (0.02 if t > onset else 0),
        lambda t: 0.4 + (ramp(t, onset, onset + 300, 0, 44) if t > onset else 0),
        const(0.1), const(6), const(0), t4xx=lambda t: 14.0)
    ecs(s, "storefront", "checkout-svc", traffic(34, 0.1), lambda t: 52 + (4 if t > deploy else 0),
        running=lambda t: 9 if deploy + 60 < t < deploy + 420 else 6, desired=const(6))
    ecs(s, "storefront", "catalog-svc", traffic(28, 0.1), const(47), running=const(4), desired=const(4))
    simulate_lambda(s, "sitemap-builder", lambda t: 0.2, lambda r, t: {
        "dur": r.uniform(20000, 31000), "mem": r.randint(380, 460),
        "lines": [py_line("INFO", f"sitemap shard {r.randint(1, 40)} written: {r.randint(8000, 12000)} urls")]},
        memory=1024, timeout_s=120, streams=1)
    # checkout-svc logs: old tasks until the rollout, new tasks after
    old = [f"checkout-svc/checkout/{hexid(rng)}" for _ in range(3)]
    new = [f"checkout-svc/checkout/{hexid(rng)}" for _ in range(3)]
    streams = {k: [] for k in old + new}
    ctl = "c.s.checkout.web.CheckoutController"
    for sid in new:
        t0 = deploy + rng.uniform(70, 300)
        streams[sid] += [
            (t0, _spring(t0, "INFO", "main", "com.shop.checkout.CheckoutApplication",
                         "Starting CheckoutApplication v2.41.0 using Java 17.0.10 with PID 1")),
            (t0 + 13.8, _spring(t0 + 13.8, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                "Tomcat started on port(s): 8080 (http) with context path ''")),
            (t0 + 14.1, _spring(t0 + 14.1, "INFO", "main", "com.shop.checkout.CheckoutApplication",
                                f"Started CheckoutApplication in {rng.uniform(13, 15):.3f} seconds (JVM running for {rng.uniform(15, 17):.3f})"))]
    for sid in old:
        streams[sid].append((deploy + rng.uniform(380, 460), _spring(deploy + 400, "INFO", "SpringApplicationShutdownHook",
                             "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete")))
    npe = ('Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception '
           '[Request processing failed: java.lang.NullPointerException: Cannot invoke "com.shop.checkout.promo.PromoRule.discountFor(com.shop.checkout.cart.Cart)" '
           'because the return value of "com.shop.checkout.promo.PromoRegistry.lookup(String)" is null] with root cause\n'
           'java.lang.NullPointerException: Cannot invoke "com.shop.checkout.promo.PromoRule.discountFor(com.shop.checkout.cart.Cart)" '
           'because the return value of "com.shop.checkout.promo.PromoRegistry.lookup(String)" is null\n'
           '\tat com.shop.checkout.pricing.CartPricer.applyPromotions(CartPricer.java:118)\n'
           '\tat com.shop.checkout.pricing.CartPricer.price(CartPricer.java:64)\n'
           '\tat com.shop.checkout.web.CheckoutController.submit(CheckoutController.java:77)\n'
           '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
           '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)')
    for m in range(LOG_START, 0, 60):
        live = old if m < deploy + 300 else new
        for _ in range(poisson(rng, 7)):
            t = m + rng.uniform(0, 60)
            sid = rng.choice(live)
            th = f"http-nio-8080-exec-{rng.randint(1, 40)}"
            order = f"ord-{rng.randint(4100000, 4999999)}"
            streams[sid].append((t, _spring(t, "INFO", th, ctl,
                                 f"POST /api/checkout order={order} items={rng.randint(1, 6)} total={rng.uniform(9, 420):.2f} EUR status=201 took={rng.randint(80, 240)}ms")))
        for _ in range(poisson(rng, 1.6)):   # pre-existing, steady before and after
            t = m + rng.uniform(0, 60)
            streams[rng.choice(live)].append((t, _spring(t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 40)}",
                "c.s.checkout.client.InventoryClient",
                f"inventory reservation conflict sku=SKU-{rng.randint(10000, 99999)} (HTTP 409), retry 1/3")))
        if m > onset:
            for _ in range(poisson(rng, ramp(m, onset, onset + 300, 2, 40))):
                t = m + rng.uniform(0, 60)
                streams[rng.choice(new)].append((t, _spring(t, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 40)}",
                                                 "o.a.c.c.C.[.[.[/].[dispatcherServlet]", npe)))
    for sid, ev in streams.items():
        s.log("/ecs/storefront/checkout-svc", sid, ev)
    cat_ev = []
    for m in range(LOG_START, 0, 60):
        for _ in range(poisson(rng, 4)):
            t = m + rng.uniform(0, 60)
            cat_ev.append((t, _spring(t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 20)}", "c.s.catalog.web.ProductController",
                                      f"GET /api/products/{rng.randint(10000, 99999)} 200 took={rng.randint(8, 40)}ms")))
    s.log("/ecs/storefront/catalog-svc", f"catalog-svc/catalog/{hexid(rng)}", cat_ev)
    s.change(-9300, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "catalog-svc:88", "github-actions-deployer")
    s.change(-9280, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", cat, "github-actions-deployer")
    s.change(deploy - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-svc:143", "github-actions-deployer")
    s.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "github-actions-deployer")
    s.change(-1500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "sitemap-builder", "github-actions-deployer")
    d = {"LoadBalancer": lb}
    s.alarm("storefront-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 20,
            "GreaterThanThreshold", "ALARM", -1560, "Storefront targets returning 5xx")
    s.expect("storefront-alb-target-5xx", "bad_deployment", [svc, "checkout-svc"],
             [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d)])
    return s


# ------------------------------------------------------------------------------------------
def s02() -> Scn:
    s = Scn("h38-02-invoice-renderer-missing-env", "us-west-2",
            "Invoice PDFs not being generated; Lambda Errors alarm on invoice-renderer.")
    change = -2460
    s.resource("lambda", "invoice-renderer", runtime="nodejs20.x", timeout=60, memory_size=1536,
               environment_keys=["INVOICE_TEMPLATES_BUCKET", "OUTPUT_BUCKET", "LOG_LEVEL"])
    s.resource("lambda", "payment-webhook", runtime="nodejs20.x", timeout=10, memory_size=512)
    s.resource("lambda", "ledger-nightly-export", runtime="python3.12", timeout=900, memory_size=2048)

    def renderer(r, t):
        inv = f"INV-2026-{r.randint(100000, 999999)}"
        lines = [node_line("INFO", f"Rendering invoice {inv} for account acct_{r.randint(10000, 99999)} ({r.randint(1, 30)} line items)")]
        if r.random() < 0.11:   # long-standing noise, same rate all day
            lines.append(node_line("WARN", "Font 'Inter-SemiBold' not embedded in template, falling back to Helvetica", 0.2))
        if t > change + 8:
            err = {"errorType": "Error", "errorMessage": "Missing required environment variable: INVOICE_TEMPLATE_BUCKET",
                   "stack": ["Error: Missing required environment variable: INVOICE_TEMPLATE_BUCKET",
                             "    at requireEnv (/var/task/src/config.js:14:11)",
                             "    at loadTemplate (/var/task/src/templates.js:22:18)",
                             "    at Runtime.handler (/var/task/src/index.js:41:26)"]}
            lines.append(node_line("ERROR", "Invoke Error \t" + json.dumps(err), 0.05))
            return {"dur": r.uniform(40, 120), "mem": r.randint(140, 170), "lines": lines, "err": True}
        lines.append(node_line("INFO", f"Uploaded s3://acme-invoices-out/{inv}.pdf ({r.randint(40, 400)} KB)", 1.2))
        return {"dur": r.uniform(900, 2400), "mem": r.randint(300, 420), "lines": lines}
    simulate_lambda(s, "invoice-renderer", traffic(11, 0.2), renderer, 1536, 60)

    def webhook(r, t):
        return {"dur": r.uniform(60, 180), "mem": r.randint(90, 110),
                "lines": [node_line("INFO", f"stripe event evt_{hexid(r, 24)} type=payment_intent.succeeded acknowledged")]}
    simulate_lambda(s, "payment-webhook", traffic(6), webhook, 512, 10, streams=2)

    def export(r, t):
        return {"dur": r.uniform(600000, 720000), "mem": r.randint(1500, 1700),
                "lines": [py_line("INFO", "ledger export window 2026-03-16 rows=4418230 written")]}
    simulate_lambda(s, "ledger-nightly-export", lambda t: 1.0 if -20000 < t < -19940 else 0.0, export, 2048, 900, streams=1)
    s.change(-3120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "payment-webhook", "ci-deployer")
    s.change(change, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "invoice-renderer", "maria.okafor")
    d = {"FunctionName": "invoice-renderer"}
    s.alarm("invoice-renderer-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 5, "GreaterThanThreshold", "ALARM",
            change + 300, "Invoice renderer failures")
    s.alarm("ledger-nightly-export-duration", "AWS/Lambda", "Duration", {"FunctionName": "ledger-nightly-export"},
            "Maximum", 300, 1, 600000, "GreaterThanThreshold", "INSUFFICIENT_DATA", -18900, "Nightly export running long")
    s.expect("invoice-renderer-errors", "config_change", ["invoice-renderer"], [anomaly("AWS/Lambda", "Errors", d)])
    return s


# ------------------------------------------------------------------------------------------
def s03() -> Scn:
    s = Scn("h38-03-finance-api-5xx-export-kms-denied", "ap-southeast-2",
            "Finance reports API returning 5xx on ledger exports; API Gateway 5XX alarm.")
    iam = -2020
    api, fn = "finance-reports-api", "ledger-export"
    s.resource("apigateway", api, stage="prod", api_id="k7q2x9mz4d", integration="lambda-proxy")
    s.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1024, role="ledger-export-role")
    s.resource("lambda", "fx-rates-sync", runtime="python3.12", timeout=30, memory_size=256)
    acct = "412937715520"

    def export(r, t):
        rep = f"rpt_{hexid(r, 10)}"
        lines = [py_line("INFO", f"Export requested report={rep} entity=AU{r.randint(10, 99)} period=2026-02 format=xlsx", 0.01),
                 py_line("INFO", f"Query returned {r.randint(2000, 90000)} ledger rows", 0.9)]
        if t > iam + 30:
            msg = ("[ERROR]\t{ts}\t{rid}\tExport failed for " + rep + "\nTraceback (most recent call last):\n"
                   '  File "/var/task/export/handler.py", line 58, in lambda_handler\n    url = publish(report, key)\n'
                   '  File "/var/task/export/storage.py", line 31, in publish\n    s3.put_object(Bucket=BUCKET, Key=key, Body=body, ServerSideEncryption="aws:kms", SSEKMSKeyId=KMS_KEY)\n'
                   '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n'
                   "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: "
                   f"User: arn:aws:sts::{acct}:assumed-role/ledger-export-role/ledger-export is not authorized to perform: "
                   f"kms:GenerateDataKey on resource: arn:aws:kms:ap-southeast-2:{acct}:key/5e0c8a1b-93f2-4d1e-a7c4-2b9d61f0e3aa "
                   "because no identity-based policy allows the kms:GenerateDataKey action")
            lines.append((1.4, msg))
            return {"dur": r.uniform(1500, 2600), "mem": r.randint(260, 330), "lines": lines, "err": True}
        lines.append(py_line("INFO", f"Uploaded s3://acme-finance-exports/{rep}.xlsx; presigned URL issued (ttl=900s)", 1.6))
        return {"dur": r.uniform(1700, 2900), "mem": r.randint(280, 350), "lines": lines}
    rate = traffic(7, 0.15)
    simulate_lambda(s, fn, rate, export, 1024, 60)

    def fx(r, t):
        return {"dur": r.uniform(300, 700), "mem": r.randint(80, 95),
                "lines": [py_line("INFO", f"Fetched {r.randint(150, 170)} FX rates from ECB feed; cache updated")]}
    simulate_lambda(s, "fx-rates-sync", lambda t: 1.0, fx, 256, 30, streams=1)
    denied = lambda t: rate(t) * (1 if t > iam + 30 else 0)   # noqa: E731
    apigw(s, api, lambda t: rate(t) * 3.4, const(4.5), lambda t: 0.05 + denied(t),
          lambda t: 820.0, lambda t: 790.0)
    rng = s.rng
    ev = []
    for m in range(-3600, 0, 60):
        for _ in range(poisson(rng, 4.5)):
            t = m + rng.uniform(0, 60)
            ev.append((t, f"({rid(rng)}) Unauthorized request: JWT expired (exp claim in the past) for client app-{rng.choice(['portal', 'xero-sync', 'excel-addin'])}"))
        if m > iam + 30:
            for _ in range(poisson(rng, rate(m))):
                t = m + rng.uniform(0, 60)
                r = rid(rng)
                ev.append((t, f"({r}) Lambda execution failed with status 200 due to customer function error: "
                              "An error occurred (AccessDenied) when calling the PutObject operation: User: "
                              f"arn:aws:sts::{acct}:assumed-role/ledger-export-role/ledger-export is not authorized to perform: kms:GenerateDataKey. Lambda request id: {rid(rng)}"))
                ev.append((t + 0.001, f"({r}) Method completed with status: 502"))
    s.log("API-Gateway-Execution-Logs_k7q2x9mz4d/prod", "k7q2x9mz4d-prod", ev)
    s.change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "fx-rates-sync", "ci-deployer")
    s.change(iam, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ledger-export-role", "terraform-ci")
    d = {"ApiName": api}
    s.alarm("finance-reports-api-5xx", "AWS/ApiGateway", "5XXError", d, "Sum", 60, 3, 3, "GreaterThanThreshold",
            "ALARM", iam + 240, "Finance reports API server errors")
    s.expect("finance-reports-api-5xx", "permission_denied", [fn, "ledger-export-role"],
             [anomaly("AWS/ApiGateway", "5XXError", d), anomaly("AWS/Lambda", "Errors", {"FunctionName": fn})])
    return s


# ------------------------------------------------------------------------------------------
def s04() -> Scn:
    s = Scn("h38-04-quote-api-errors-pricing-host-down", "eu-central-1",
            "Quote API Lambda errors spiking; customers cannot get insurance quotes.")
    down = -1920
    iid, name = "i-0c4e81a27f9b3d506", "pricing-engine-1"
    s.resource("ec2", iid, name=name, instance_type="r6i.xlarge", private_ip="10.20.4.17",
               log_groups=["/app/pricing-engine"])
    s.resource("ec2", "i-05a9d3e7c1b24f880", name="batch-etl-1", instance_type="m6i.2xlarge")
    s.resource("lambda", "quote-api", runtime="python3.11", timeout=15, memory_size=768)
    gone = lambda t: t > down   # noqa: E731
    ec2(s, iid, lambda t: 41 * (1 + 0.1 * (t % 1800) / 1800), const(2.6e7), lambda t: 1 if t > down - 120 else 0,
        const(63.0), const(38.5))
    for m in s.doc["metrics"][-5:]:
        if m["name"] != "StatusCheckFailed":
            m["points"] = [p for p in m["points"] if not gone(p[0])]
    ec2(s, "i-05a9d3e7c1b24f880", lambda t: 12 + (80 if -4300 < t < -3400 else 0), const(4.0e6), const(0),
        const(44.0), const(52.0))

    def quote(r, t):
        q = f"Q-{r.randint(1000000, 9999999)}"
        lines = [py_line("INFO", f"quote request {q} product=motor postcode={r.randint(10, 99)}{r.randint(100, 999)}", 0.01)]
        if t > down:
            lines.append(py_line("ERROR", f"pricing call failed for {q}\nTraceback (most recent call last):\n"
                                 '  File "/var/task/quotes/pricing_client.py", line 44, in price\n    resp = self.session.post(f"{PRICING_URL}/v2/price", json=payload, timeout=(3, 8))\n'
                                 "requests.exceptions.ConnectTimeout: HTTPConnectionPool(host='pricing-engine-1.internal.acme', port=8080): "
                                 "Max retries exceeded with url: /v2/price (Caused by ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x7f3a1c2b9e50>, "
                                 "'Connection to pricing-engine-1.internal.acme timed out. (connect timeout=3)'))", 3.05))
            return {"dur": r.uniform(3040, 3180), "mem": r.randint(120, 140), "lines": lines, "err": True}
        if r.random() < 0.04:
            lines.append(py_line("WARNING", f"vehicle lookup cache miss for reg {r.choice('ABCDEFGH')}{r.randint(100, 999)}XYZ; using DVLA fallback", 0.05))
        lines.append(py_line("INFO", f"priced {q}: premium={r.uniform(280, 1900):.2f} EUR in {r.randint(120, 380)} ms", 0.4))
        return {"dur": r.uniform(250, 520), "mem": r.randint(120, 140), "lines": lines}
    simulate_lambda(s, "quote-api", traffic(14, 0.15), quote, 768, 15)
    rng = s.rng
    app = periodic(LOG_START, down - 5, 60, lambda t: f"{stamp(t, '%Y-%m-%dT%H:%M:%SZ')} level=info msg=\"pricing batch\" "
                   f"requests={rng.randint(600, 900)} p99_ms={rng.randint(90, 160)} model=motor-v7", rng=rng)
    s.log("/app/pricing-engine", iid, app)
    s.change(-9100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "quote-api", "lena.fischer")
    s.change(-4400, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", "i-05a9d3e7c1b24f880", "etl-scheduler")
    d = {"FunctionName": "quote-api"}
    s.alarm("quote-api-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 10, "GreaterThanThreshold", "ALARM",
            down + 210, "Quote API failures")
    s.alarm("pricing-engine-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}, "Maximum", 60, 2, 0,
            "GreaterThanThreshold", "ALARM", down - 30, "pricing-engine-1 status checks")
    s.alarm("batch-etl-1-high-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-05a9d3e7c1b24f880"}, "Average", 300, 1,
            85, "GreaterThanThreshold", "OK", -3300)
    s.expect("quote-api-errors", "dependency_failure", [iid, name],
             [anomaly("AWS/EC2", "StatusCheckFailed", {"InstanceId": iid}), anomaly("AWS/Lambda", "Errors", d)])
    return s
