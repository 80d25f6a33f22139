"""Held-out-2 scenarios 08-11."""
from __future__ import annotations

import json

from .common import Builder, arrivals, bump, daily, hexid, ramp, stamp
from .services import (GB, alb_metrics, apigw_metrics, const, ec2_metrics, ecs_metrics, lambda_metrics,
                       lambda_stream, py_line, rds_metrics)


def _j(t: float, req: str, level: str, logger: str, msg: str) -> str:
    return f"{stamp(t, 'java')} {req} {level:<5} {logger} - {msg}"


def s08_loyalty_conn_leak() -> tuple[str, dict]:
    b = Builder("loyalty-accrual-errors", "Points not being credited after purchases; accrual Lambda errors.",
                "us-east-1", 208)
    r, leak, full = b.rng, -6600, -1500
    b.resource("lambda", "loyalty-accrual", runtime="java17", timeout=30, memory_size=1024,
               environment={"SECRET_ID": "prod/loyalty/app", "POOL_MAX": "10", "JAVA_TOOL_OPTIONS": "-XX:+UseSerialGC"})
    b.resource("rds", "loyalty-mysql-primary", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
               max_connections=420, allocated_storage_gb=500)
    b.resource("rds", "loyalty-mysql-replica", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
               max_connections=420, allocated_storage_gb=500, replica_of="loyalty-mysql-primary")
    conns = lambda t: 92 if t < leak else min(420, 92 + 328 * (t - leak) / (full - leak))  # noqa: E731
    rds_metrics(b, "loyalty-mysql-primary", cpu=daily(27, 0.25, -900), conns=conns, free_storage=const(312 * GB),
                read_lat=const(0.0007), write_lat=const(0.0013), freeable_mem=lambda t: 11.5 * GB - 0.4 * GB * ramp(
                    t, leak, full - leak))
    rds_metrics(b, "loyalty-mysql-replica", cpu=lambda t: 12 + 50 * bump(t, -2100, -1850, 60), conns=const(14),
                free_storage=const(312 * GB), read_lat=const(0.0006), write_lat=const(0.001),
                freeable_mem=const(12.3 * GB), gaps=((-2460, -2100),))
    inv = daily(44, 0.25, -900)
    broken = lambda t: 0.42 * ramp(t, full - 60, 240)  # noqa: E731
    lambda_metrics(b, "loyalty-accrual", inv, err=lambda t: 0.6 + inv(t) * broken(t),
                   dur=lambda t: 210 + 9800 * broken(t), conc=lambda t: 3 + 8 * broken(t) / 0.42)
    b.change(-2500, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "loyalty-mysql-replica",
             "dba-oncall")
    b.change(-2470, "rds.amazonaws.com", "RebootDBInstance", "AWS::RDS::DBInstance", "loyalty-mysql-replica",
             "dba-oncall")

    def body(t, req):
        member = r.randint(10 ** 7, 10 ** 8)
        lines = [(0.002, _j(t, req, "INFO", "c.l.accrual.AccrualHandler", f"accrual for member {member} "
                             f"order {hexid(r, 10)}"))]
        if r.random() < 0.02:
            lines.append((0.05, _j(t, req, "ERROR", "c.l.accrual.PartnerFeedClient", "partner feed 'airmiles-uk' "
                                   "returned HTTP 503 Service Unavailable, will retry next cycle")))
        if t > leak and r.random() < 0.05 * (1 + (t - leak) / 1500):
            lines.append((0.09, _j(t, req, "WARN", "com.zaxxer.hikari.pool.ProxyLeakTask", "Connection leak detection "
                                   f"triggered for com.mysql.cj.jdbc.ConnectionImpl@{hexid(r, 8)} on thread main, "
                                   "stack trace follows\njava.lang.Exception: Apparent connection leak detected\n"
                                   "\tat com.l.accrual.voucher.VoucherRedeemer.redeem(VoucherRedeemer.java:74)\n"
                                   "\tat com.l.accrual.AccrualHandler.handleRequest(AccrualHandler.java:52)")))
        if r.random() < broken(t):
            lines.append((10.003, _j(t + 10, req, "ERROR", "c.l.accrual.AccrualHandler", f"accrual failed for member "
                                     f"{member}\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is"
                                     " not available, request timed out after 10002ms.\n\tat com.zaxxer.hikari.pool."
                                     "HikariPool.createTimeoutException(HikariPool.java:696)\n\tat com.zaxxer.hikari."
                                     "pool.HikariPool.getConnection(HikariPool.java:197)\n\tat com.zaxxer.hikari."
                                     "HikariDataSource.getConnection(HikariDataSource.java:100)\n\tat com.l.accrual."
                                     "repo.PointsRepo.credit(PointsRepo.java:41)\nCaused by: java.sql."
                                     "SQLNonTransientConnectionException: Too many connections\n\tat com.mysql.cj.jdbc."
                                     "exceptions.SQLError.createSQLException(SQLError.java:111)\n\tat com.mysql.cj.jdbc."
                                     "ConnectionImpl.createNewIO(ConnectionImpl.java:819)")))
            return lines, "error", r.uniform(10005, 10090), r.randint(230, 260)
        lines.append((0.15, _j(t, req, "INFO", "c.l.accrual.AccrualHandler", f"credited {r.randint(5, 900)} points")))
        return lines, "ok", r.uniform(120, 320), r.randint(230, 260)
    b.log("/aws/lambda/loyalty-accrual", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 1024, arrivals(r, lambda t: 2.2, -7800, 0), body, "java:17.v29"))
    ev = []
    for t in arrivals(r, lambda t: 0.8, -21600, 0):
        ev.append((t, f"{stamp(t, 'mysql')} {r.randint(100000, 999999)} [Note] [MY-010914] [Server] Aborted connection "
                      f"{r.randint(100000, 999999)} to db: 'loyalty' user: 'reporting' host: '10.30.9.{r.randint(2, 90)}'"
                      " (Got timeout reading communication packets)."))
    b.log("/aws/rds/instance/loyalty-mysql-primary/error", "loyalty-mysql-primary", ev)
    b.alarm("loyalty-accrual-errors", "AWS/Lambda", "Errors", {"FunctionName": "loyalty-accrual"}, "Sum", 300, 1, 25,
            -1200, "Loyalty accrual failures")
    b.expect("loyalty-accrual-errors", "db_connection_exhaustion", ["loyalty-mysql-primary"],
             [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
               "dimensions": {"DBInstanceIdentifier": "loyalty-mysql-primary"}}])
    return "h2-08-loyalty-pool-leak", b.finish()


def s09_merchant_api_throttled() -> tuple[str, dict]:
    b = Builder("merchant-directory-429s", "Partners and the web app get 429 Too Many Requests from the merchant "
                "directory API.", "us-east-2", 209)
    r, onset, limit = b.rng, -1800, 2400.0
    api, api_id = "merchant-directory", "m3rch4ntd1"
    b.resource("apigateway", api, api_id=api_id, stage="v1", throttle_rate_limit=40, throttle_burst_limit=80,
               integration="lambda:merchant-lookup")
    b.resource("lambda", "merchant-lookup", runtime="python3.12", timeout=10, memory_size=512)
    b.resource("lambda", "merchant-onboarding", runtime="python3.12", timeout=60, memory_size=512)
    base = daily(1550, 0.18, -300)
    partner = lambda t: 1000 * ramp(t, onset, 240)  # noqa: E731 - partner catalogue sync
    total = lambda t: base(t) + partner(t)  # noqa: E731
    throttled = lambda t: max(0.0, total(t) - limit) * 0.97  # noqa: E731
    apigw_metrics(b, api, count=total, e4=lambda t: 18 + throttled(t), e5=const(0.3), lat=lambda t: 48 + 4 * ramp(
        t, onset, 240), integ=const(36), stage="v1")
    served = lambda t: total(t) - throttled(t)  # noqa: E731
    lambda_metrics(b, "merchant-lookup", served, err=const(0.1), dur=const(31), conc=lambda t: served(t) / 1900)
    ob = lambda t: 2 + 30 * bump(t, -2600, -2300, 60)  # noqa: E731
    lambda_metrics(b, "merchant-onboarding", ob, err=const(0.2), dur=const(2400), conc=lambda t: 1 + ob(t) / 20)
    b.change(-2150, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "merchant-onboarding", "terraform-cloud")
    b.change(-2000, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "merchant-onboarding-role",
             "terraform-cloud", region="us-east-1")
    ev = []
    for t in arrivals(r, lambda t: 5.0 * total(t) / 1550, -7200, 0):
        sync = r.random() < partner(t) / total(t)
        path = "/v1/merchants" if sync else r.choice(["/v1/merchants/{id}", "/v1/merchants/{id}",
                                                       "/v1/merchants/search", "/v1/categories"])
        ip = "18.221.40.17" if sync else f"{r.randint(20, 200)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        entry = {"requestId": str(__import__("uuid").UUID(int=r.getrandbits(128), version=4)), "ip": ip,
                 "requestTime": stamp(t, "clf"), "httpMethod": "GET", "resourcePath": path, "status": "200",
                 "protocol": "HTTP/1.1", "responseLength": str(r.randint(300, 9000)),
                 "integrationLatency": str(r.randint(15, 60)), "errorMessage": "-", "errorResponseType": "-"}
        if r.random() < throttled(t) / total(t):
            entry.update(status="429", integrationLatency="-", responseLength="29",
                         errorMessage="Too Many Requests", errorResponseType="THROTTLED")
        elif r.random() < 18 / 1550:
            entry.update(status="404", errorMessage="merchant not found", errorResponseType="-")
        ev.append((t, json.dumps(entry)))
    b.log(f"/aws/apigateway/{api}/v1/access", "access", ev)

    def body(t, req):
        if r.random() < 0.012:
            return ([(0.01, py_line("ERROR", t, req, f"MerchantNotFound: id=mch_{hexid(r, 10)} (returning 404)"))],
                    "ok", r.uniform(8, 20), 81)
        return [(0.01, py_line("INFO", t, req, "lookup ok"))], "ok", r.uniform(15, 60), r.randint(80, 86)
    b.log("/aws/lambda/merchant-lookup", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 512, arrivals(r, lambda t: 1.2, -5400, 0), body, "python:3.12.v38", cold_every=90))
    b.alarm("merchant-directory-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api, "Stage": "v1"}, "Sum", 300, 1,
            600, -1500, "merchant-directory v1 client errors")
    b.expect("merchant-directory-4xx", "throttling", [api],
             [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": {"ApiName": api, "Stage": "v1"}}])
    return "h2-09-directory-stage-throttle", b.finish()


def s10_invoice_render_timeout() -> tuple[str, dict]:
    b = Builder("nf-invoice-render-slow", "NF-e PDFs not generated for some customers; render Duration alarm.",
                "sa-east-1", 210)
    r, onset = b.rng, -2100
    b.resource("lambda", "nf-invoice-render", runtime="java21", timeout=30, memory_size=1536,
               environment={"FISCAL_DB_SECRET": "prod/fiscal/ro", "BUCKET": "nf-pdf-prod"})
    b.resource("lambda", "nf-status-poller", runtime="java21", timeout=60, memory_size=512)
    b.resource("rds", "fiscal-pg", engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
               max_connections=900, allocated_storage_gb=400)
    inv = daily(26, 0.3, -2000)
    big = lambda t: 0.16 * ramp(t, onset, 120)  # noqa: E731 - share of very large invoices
    lambda_metrics(b, "nf-invoice-render", inv, err=lambda t: inv(t) * big(t),
                   dur=lambda t: 6200 + 23800 * big(t) / 0.16, conc=lambda t: 2 + 6 * big(t) / 0.16,
                   timeout_ms=30000.0)
    sp = lambda t: 3 + 20 * bump(t, -2350, -2050, 60)  # noqa: E731
    lambda_metrics(b, "nf-status-poller", sp, err=const(0), dur=const(900), conc=lambda t: 1 + sp(t) / 15)
    rds_metrics(b, "fiscal-pg", cpu=daily(22, 0.2, -2000), conns=const(64), free_storage=const(240 * GB),
                read_lat=const(0.0012), write_lat=const(0.0021), freeable_mem=const(4.4 * GB))
    b.change(-2400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "nf-status-poller", "jenkins-deployer")
    b.change(-2250, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup",
             "fiscal-pg15-params", "dba-rafael")

    def body(t, req):
        heavy = r.random() < big(t)
        items = r.randint(3800, 5200) if heavy else r.randint(1, 180)
        pages = items // 11 + 1
        lines = [(0.01, _j(t, req, "INFO", "b.c.n.render.Handler", f"rendering NF-e 3526031234567800019055001"
                           f"{r.randint(10 ** 8, 10 ** 9)} cnpj={'12.345.678/0001-90' if heavy else '0' + str(r.randint(10 ** 12, 10 ** 13))}"
                           f" items={items}")),
                 (0.04, _j(t, req, "INFO", "b.c.n.repo.InvoiceRepo", f"loaded invoice from fiscal-pg in "
                           f"{r.randint(8, 45)} ms")),
                 (0.3, _j(t, req, "WARN", "o.a.p.pdmodel.font.FontMapperImpl", "Using fallback font "
                          "LiberationSans for Arial-BoldMT"))]
        if r.random() < 0.05:
            lines.append((0.2, _j(t, req, "ERROR", "b.c.n.sefaz.StatusClient", "SEFAZ-SP NfeStatusServico4 returned "
                              "cStat=108 (Servico Paralisado Momentaneamente); using cached authorization status")))
        if heavy:
            lines.append((12.0, _j(t + 12, req, "INFO", "b.c.n.render.PdfComposer",
                                   f"composed page {pages // 3}/{pages}")))
            return lines, "timeout", 30000.0, r.randint(980, 1180)
        dur = 900 + items * r.uniform(18, 30)
        lines.append((dur / 1000 - 0.05, _j(t, req, "INFO", "b.c.n.render.Handler", f"uploaded s3://nf-pdf-prod/"
                                            f"{hexid(r, 12)}.pdf pages={pages} in {dur:.0f} ms")))
        return lines, "ok", dur, r.randint(410, 620)
    b.log("/aws/lambda/nf-invoice-render", f"2026/03/14/[$LATEST]{hexid(r)}",
          lambda_stream(b, 1536, arrivals(r, lambda t: 2.6, -7200, 0), body, "java:21.v17", timeout_s=30))
    b.alarm("nf-invoice-render-duration-max", "AWS/Lambda", "Duration", {"FunctionName": "nf-invoice-render"},
            "Maximum", 60, 5, 28000, -1800, datapoints=3)
    b.expect("nf-invoice-render-duration-max", "function_timeout", ["nf-invoice-render"],
             [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "nf-invoice-render"}}])
    return "h2-10-nfe-render-timeouts", b.finish()


def s11_onsale_surge() -> tuple[str, dict]:
    b = Builder("tickets-web-latency", "Ticket on-sale: site slow, some 503s. Latency alarm on tickets-web.",
                "eu-west-2", 211)
    r, onset = b.rng, -1800
    lb, runner = "app/tickets-web/6d0a4c2e8f1b3a59", "i-0d2b7f4e9a6c1e835"
    b.resource("alb", lb, name="tickets-web")
    b.resource("ecs", "box-office/seat-api", launch_type="FARGATE", cpu=2048, memory=4096, desired_count=4,
               autoscaling={"min": 4, "max": 16, "target_cpu": 60})
    b.resource("ec2", runner, name="reporting-runner", instance_type="m6i.large")
    b.resource("lambda", "ticket-email-sender", runtime="nodejs20.x", timeout=30, memory_size=512)
    surge = lambda t: ramp(t, onset, 90)  # noqa: E731
    scaled = lambda t: ramp(t, -1500, 400)  # noqa: E731
    req = lambda t: daily(1100, 0.2, -3600)(t) * (1 + 7.5 * surge(t))  # noqa: E731
    alb_metrics(b, lb, req, trt=lambda t: 0.12 + surge(t) * (1.6 - 0.45 * scaled(t)),
                t5xx=lambda t: 0.4 + 12 * surge(t) * (1 - 0.6 * scaled(t)),
                e5xx=lambda t: 45 * surge(t) * (1 - 0.7 * scaled(t)), healthy=lambda t: 4 + 8 * scaled(t),
                t4xx=lambda t: 15 * (1 + 7.5 * surge(t)))
    ecs_metrics(b, "box-office", "seat-api", cpu=lambda t: 24 + surge(t) * (56 - 18 * scaled(t)),
                mem=lambda t: 38 + 9 * surge(t), running=lambda t: 4 + 8 * scaled(t))
    ec2_metrics(b, runner, cpu=lambda t: 9 + 80 * bump(t, -2600, -2200, 60), netin=const(2.1e7), mem=const(47),
                disk=const(63.2), path="/data", device="nvme1n1")
    lambda_metrics(b, "ticket-email-sender", lambda t: 3 + 30 * surge(t), err=const(0), dur=const(640),
                   conc=lambda t: 1 + 3 * surge(t))
    b.change(-2100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "ticket-email-sender", "circleci-deploy")
    for t, n in ((-1560, 8), (-1380, 12)):
        b.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "box-office/seat-api",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    ev = []
    for t in arrivals(r, lambda t: 3 * (1 + 2.5 * surge(t)), -5400, 0):
        slow = surge(t) * (1 - 0.6 * scaled(t))
        status = 200 if r.random() > 0.01 + 0.02 * slow else 503
        ev.append((t, json.dumps({"ts": stamp(t), "level": "info", "route": r.choice(
            ["/events/{id}/seats", "/events/{id}/seats", "/events/{id}", "/queue/position", "/basket/hold"]),
            "status": status, "dur_ms": int(r.uniform(40, 160) * (1 + 12 * slow)), "event": "EVT-LDN-26-0412"
            if surge(t) > 0.5 and r.random() < 0.9 else f"EVT-{r.randint(1000, 9999)}"})))
    for t in arrivals(r, lambda t: 1.0, -5400, 0):
        ev.append((t, json.dumps({"ts": stamp(t), "level": "error", "msg": "payment webhook signature mismatch",
                                  "provider": "adyen", "err": {"code": "HMAC_INVALID", "merchantAccount": "BOXOFFICE_UK"}})))
    for t in range(onset + 60, 0, 45):
        ev.append((t, json.dumps({"ts": stamp(t), "level": "warn", "msg": "http server queue depth high",
                                  "queued": int(400 * (1 - 0.7 * scaled(t)) + r.randint(0, 80)),
                                  "workers": 64})))
    b.log("/ecs/box-office/seat-api", "seat-api/seat-api/9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b", ev)
    b.alarm("tickets-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3,
            1.0, -1620)
    b.expect("tickets-web-latency", "traffic_surge", [lb, "tickets-web", "box-office/seat-api", "seat-api"],
             [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}])
    return "h2-11-onsale-traffic-surge", b.finish()
