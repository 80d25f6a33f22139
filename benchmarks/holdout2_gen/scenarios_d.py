"""Held-out-2 scenarios 12-14."""
from __future__ import annotations

import json

from .common import Builder, arrivals, bump, daily, hexid, ramp, stamp
from .services import (GB, alb_metrics, apigw_metrics, const, ec2_metrics, ecs_metrics, lambda_metrics,
                       lambda_stream, node_line, rds_metrics)


def s12_offer_rule_typeerror() -> tuple[str, dict]:
    b = Builder("offer-eligibility-errors", "Offers page shows 'something went wrong' for some baskets.",
                "ap-south-1", 212)
    r, onset = b.rng, -1720
    b.resource("apigateway", "offers-api", api_id="0ff3r5ap1x", stage="prod", integration="lambda:offer-eligibility")
    b.resource("lambda", "offer-eligibility", runtime="nodejs20.x", timeout=15, memory_size=512,
               environment={"CAMPAIGN_TABLE": "campaigns-prod", "NODE_OPTIONS": "--enable-source-maps"})
    b.resource("lambda", "receipt-ocr", runtime="python3.12", timeout=120, memory_size=3008)
    inv = daily(150, 0.3, -900)
    share = lambda t: 0.11 * ramp(t, onset, 90)  # noqa: E731 - baskets that match the new campaign
    lambda_metrics(b, "offer-eligibility", inv, err=lambda t: 2 + inv(t) * share(t), dur=const(48), conc=const(2))
    ro = lambda t: 5 + 25 * bump(t, -2050, -1800, 60)  # noqa: E731
    lambda_metrics(b, "receipt-ocr", ro, err=const(0.1), dur=lambda t: 6400 + 9000 * bump(t, -2050, -1800, 60),
                   conc=lambda t: 1 + ro(t) / 6)
    apigw_metrics(b, "offers-api", count=inv, e4=const(4), e5=lambda t: 2 + inv(t) * share(t), lat=const(95),
                  integ=const(70))
    b.change(-2010, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "receipt-ocr",
             "gha-deploy")
    b.change(-1995, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "receipt-ocr",
             "gha-deploy")
    b.change(-2150, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "receipt-ocr-role", "gha-deploy",
             region="us-east-1")
    state = {"announced": False}

    def body(t, req):
        lines = []
        if t > onset - 20 and not state["announced"]:
            state["announced"] = True
            lines.append((0.001, node_line("INFO", t, req, json.dumps(
                {"msg": "campaign cache refreshed", "active": 14, "added": ["HOLI26-BOGO"], "removed": []}))))
        if r.random() < 2 / 150:
            err = {"errorType": "ValidationError", "errorMessage": "basket.currency must be one of [INR]",
                   "stack": ["ValidationError: basket.currency must be one of [INR]",
                             "    at validateBasket (/var/task/validate.js:22:11)",
                             "    at Runtime.handler (/var/task/index.js:14:3)"]}
            lines.append((0.006, node_line("ERROR", t, req, "Invoke Error \t" + json.dumps(err))))
            return lines, "error", r.uniform(4, 9), 88
        if r.random() < share(t):
            err = {"errorType": "TypeError", "errorMessage": "Cannot read properties of undefined (reading 'minBasket')",
                   "stack": ["TypeError: Cannot read properties of undefined (reading 'minBasket')",
                             "    at evaluateRule (/var/task/rules/engine.js:88:41)",
                             "    at /var/task/rules/engine.js:61:22", "    at Array.filter (<anonymous>)",
                             "    at eligibleOffers (/var/task/rules/engine.js:60:6)",
                             "    at Runtime.handler (/var/task/index.js:19:24)"]}
            lines.append((0.02, node_line("ERROR", t, req, "Invoke Error \t" + json.dumps(err))))
            return lines, "error", r.uniform(20, 45), 91
        lines.append((0.03, node_line("INFO", t, req, json.dumps({"msg": "evaluated offers", "basketItems": r.randint(
            1, 30), "eligible": r.randint(0, 4), "campaigns": 13 if t < onset else 14}))))
        return lines, "ok", r.uniform(25, 80), r.randint(86, 95)
    b.log("/aws/lambda/offer-eligibility", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 512, arrivals(r, lambda t: 5.0, -6000, 0), body, "nodejs:20.v22"))
    b.alarm("offer-eligibility-errors", "AWS/Lambda", "Errors", {"FunctionName": "offer-eligibility"}, "Sum", 60, 3,
            10, -1560)
    b.expect("offer-eligibility-errors", "application_error", ["offer-eligibility"],
             [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "offer-eligibility"}}])
    return "h2-12-campaign-rule-typeerror", b.finish()


def s13_portal_elb_502_blip() -> tuple[str, dict]:
    b = Builder("nordic-portal-elb-5xx", "Short burst of 502s on the customer portal; ALB 5xx alarm.",
                "eu-north-1", 213)
    r = b.rng
    lb, web1, web2 = "app/nordic-portal/0b9e7d5c3a1f2e84", "i-0e5a2c7b9d1f3a468", "i-0f6b3d8c0e2a4b579"
    b.resource("alb", lb, name="nordic-portal")
    b.resource("ec2", web1, name="portal-web-1", instance_type="m7g.large")
    b.resource("ec2", web2, name="portal-web-2", instance_type="m7g.large")
    b.resource("lambda", "portal-thumbnailer", runtime="python3.12", timeout=60, memory_size=1024)
    req = daily(640, 0.3, -5400)
    alb_metrics(b, lb, req, trt=const(0.21), t5xx=const(0.3), e5xx=lambda t: 11 * ramp(t, -1500, 30),
                healthy=const(2), t4xx=const(11))
    ec2_metrics(b, web1, cpu=lambda t: daily(28, 0.3, -5400)(t) + 45 * bump(t, -2420, -2180, 40),
                netin=lambda t: daily(9e7, 0.3, -5400)(t) + 6e8 * bump(t, -2420, -2180, 40), mem=const(66.2),
                disk=lambda t: 58.4 + 0.6 * ramp(t, -2420, 240))
    ec2_metrics(b, web2, cpu=daily(27, 0.3, -5400), netin=daily(8.8e7, 0.3, -5400), mem=const(64.9), disk=const(57.1))
    lambda_metrics(b, "portal-thumbnailer", const(4), err=const(0), dur=const(2300), conc=const(1))
    b.change(-1800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "portal-thumbnailer", "platform-bot")
    b.change(-2700, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket", "portal-uploads-eun1",
             "platform-bot")
    for iid in (web1, web2):
        acc, app = [], []
        for t in arrivals(r, lambda t: 4.0, -5400, 0):
            path = r.choice(["/", "/account", "/invoices", "/invoices/{id}.pdf", "/api/session", "/static/app.js"])
            path = path.replace("{id}", str(r.randint(100000, 999999)))
            status = 200 if r.random() > 0.03 else r.choice([302, 304, 404])
            acc.append((t, f"10.70.{r.randint(0, 3)}.{r.randint(2, 250)} - - [{stamp(t, 'clf')}] \"GET {path} HTTP/1.1\""
                           f" {status} {r.randint(200, 90000)} \"-\" \"Mozilla/5.0\" rt={r.uniform(0.02, 0.4):.3f}"))
        for t in arrivals(r, lambda t: 0.7, -21600, 0):
            app.append((t, f"{stamp(t, 'java')} ERROR [saml-{r.randint(1, 8)}] o.s.s.saml2.Saml2Authentication - "
                           "SAML assertion expired (NotOnOrAfter in the past) for IdP https://idp.partner.example/"
                           f"saml; user={hexid(r, 6)}"))
        b.log("/portal/nginx/access", iid, acc)
        b.log("/portal/app", iid, app)
    b.alarm("nordic-portal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300,
            1, 30, -1200)
    b.expect("nordic-portal-elb-5xx", "unknown", [lb, "nordic-portal"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": {"LoadBalancer": lb}}])
    return "h2-13-portal-elb-502-burst", b.finish()


def s14_search_db_cpu() -> tuple[str, dict]:
    b = Builder("catalog-search-slow", "Catalog search timing out; p99 latency alarm on catalog-edge ALB.",
                "us-east-1", 214)
    r, onset = b.rng, -2100
    lb = "app/catalog-edge/3a5c7e9b1d2f4068"
    host = "catalog-search-pg.cwz1p7ak3d9e.us-east-1.rds.amazonaws.com"
    b.resource("alb", lb, name="catalog-edge", targets=["catalog/search-api", "catalog/image-proxy"])
    b.resource("ecs", "catalog/search-api", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
               environment={"PG_HOST": host, "PG_DATABASE": "catalog", "STATEMENT_TIMEOUT_MS": "8000"})
    b.resource("ecs", "catalog/image-proxy", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024)
    b.resource("rds", "catalog-search-pg", engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge",
               max_connections=1700, allocated_storage_gb=300)
    hot = lambda t: ramp(t, onset, 180)  # noqa: E731
    rds_metrics(b, "catalog-search-pg", cpu=lambda t: daily(31, 0.25, -1500)(t) + 68 * hot(t),
                conns=lambda t: 42 + 95 * hot(t), free_storage=const(171 * GB), read_lat=lambda t: 0.0008 + 0.002 * hot(t),
                write_lat=const(0.0011), freeable_mem=const(18.2 * GB),
                extra={"DBLoadCPU": ("Count", lambda t: 1.3 + 15 * hot(t)),
                       "ReadIOPS": ("Count/Second", lambda t: 350 + 2600 * hot(t))})
    ecs_metrics(b, "catalog", "search-api", cpu=lambda t: 34 - 14 * hot(t), mem=const(52), running=const(6))
    ecs_metrics(b, "catalog", "image-proxy", cpu=lambda t: 18 + 60 * bump(t, -1900, -1620, 60), mem=const(40),
                running=const(3))
    req = daily(3100, 0.25, -1500)
    alb_metrics(b, lb, req, trt=lambda t: 0.19 + 5.6 * hot(t), t5xx=lambda t: 0.5 + 24 * hot(t), e5xx=const(0.3),
                healthy=const(9), t4xx=const(30))
    b.change(-2320, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "image-proxy",
             "spinnaker")
    b.change(-2300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/image-proxy", "spinnaker")
    api = []
    for t in arrivals(r, lambda t: 6.0, -5400, 0):
        tenant = f"t{r.randint(100, 999)}"
        if r.random() < 0.45 * hot(t):
            api.append((t, json.dumps({"level": "error", "ts": stamp(t), "caller": "search/handler.go:133",
                                       "msg": "search failed", "tenant": tenant, "elapsed_ms": 8000 + r.randint(0, 40),
                                       "error": {"kind": "db", "detail": "pq: canceling statement due to statement "
                                                 "timeout", "sqlstate": "57014"}})))
        else:
            ms = int(r.uniform(15, 120) * (1 + 40 * hot(t)))
            api.append((t, json.dumps({"level": "info", "ts": stamp(t), "caller": "search/handler.go:141",
                                       "msg": "search ok", "tenant": tenant, "hits": r.randint(0, 48),
                                       "elapsed_ms": ms})))
    for t in range(-5390, 0, 60):
        api.append((t, json.dumps({"level": "error", "ts": stamp(t), "caller": "synonyms/reload.go:52",
                                   "msg": "synonyms reload failed",
                                   "error": {"kind": "fs", "detail": "open /etc/search/synonyms-de.txt: "
                                             "no such file or directory"}})))
    b.log("/ecs/catalog/search-api", "search-api/search-api/6a7b8c9d0e1f4a2b3c4d5e6f7a8b9c0d", api)
    ev = []
    for t in range(-21540, 0, 300):
        ev.append((t, f"{stamp(t, 'pg')}::@:[539]:LOG:  checkpoint complete: wrote {r.randint(300, 2400)} buffers "
                      f"({r.uniform(0.1, 1.2):.1f}%); 0 WAL file(s) added, 0 removed, {r.randint(2, 9)} recycled"))
    ev.append((onset - 70, f"{stamp(onset - 70, 'pg')}::@:[30211]:LOG:  automatic analyze of table "
                           "\"catalog.public.products\"\n\tavg read rate: 98.112 MB/s, avg write rate: 0.004 MB/s\n"
                           "\tsystem usage: CPU: user: 3.91 s, system: 0.52 s, elapsed: 6.11 s"))
    for t in arrivals(r, lambda t: 9 * hot(t), onset, 0):
        who = f"10.12.{r.randint(4, 7)}.{r.randint(2, 250)}({r.randint(30000, 65000)}):search_ro@catalog"
        pid = r.randint(3000, 60000)
        ms = r.uniform(2500, 8000)
        ev.append((t, f"{stamp(t, 'pg')}:{who}:[{pid}]:LOG:  duration: {ms:.3f} ms  execute <unnamed>: SELECT p.id, "
                      "p.title, p.price_cents, p.rank FROM products p WHERE p.tenant_id = $1 AND p.title ILIKE $2 "
                      "AND p.archived = false ORDER BY p.rank DESC LIMIT 48"))
        ev.append((t + 0.001, f"{stamp(t, 'pg')}:{who}:[{pid}]:DETAIL:  parameters: $1 = '{r.randint(100, 999)}', "
                              f"$2 = '%{r.choice(['shoe', 'lamp', 'usb c', 'jacket', 'mug'])}%'"))
    for t in arrivals(r, lambda t: 4 * hot(t), onset, 0):
        who = f"10.12.{r.randint(4, 7)}.{r.randint(2, 250)}({r.randint(30000, 65000)}):search_ro@catalog"
        ev.append((t, f"{stamp(t, 'pg')}:{who}:[{r.randint(3000, 60000)}]:ERROR:  canceling statement due to "
                      "statement timeout"))
    b.log("/aws/rds/instance/catalog-search-pg/postgresql", "catalog-search-pg.0", ev)
    b.alarm("catalog-edge-p99", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "p99", 60, 3, 2.5,
            -1900)
    b.expect("catalog-edge-p99", "cpu_saturation", ["catalog-search-pg"],
             [{"namespace": "AWS/RDS", "name": "CPUUtilization",
               "dimensions": {"DBInstanceIdentifier": "catalog-search-pg"}}])
    return "h2-14-search-db-plan-flip-cpu", b.finish()
