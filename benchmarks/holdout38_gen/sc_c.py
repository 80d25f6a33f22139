"""Scenarios 09-12."""
from __future__ import annotations

from .common import (LOG_START, Scn, anomaly, hexid, poisson, py_line, ramp, rid, simulate_lambda,
                     stamp)
from .services import alb, apigw, const, ecs, rds, traffic

GB = 1024 ** 3


def _metric(s: Scn, name: str, fn: str) -> dict:
    for m in s.doc["metrics"]:
        if m["name"] == name and m["dimensions"].get("FunctionName") == fn:
            return m
    raise KeyError(name)


# ------------------------------------------------------------------------------------------
def s09() -> Scn:
    s = Scn("h38-09-bookings-api-429-reserved-concurrency", "ap-south-1",
            "Hotel bookings API failing for many users in the evening peak; bookings-api 4XX alarm.")
    rng = s.rng
    fn, api, mailer = "booking-handler", "bookings-api", "booking-confirmation-mailer"
    cap_c = 10
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=1024, reserved_concurrency=cap_c)
    s.resource("lambda", mailer, runtime="python3.12", timeout=20, memory_size=256)
    s.resource("apigateway", api, stage="prod", api_id="q2w9e7r1t5", integration="lambda-proxy")
    rate = lambda t: 28 * (1 + 0.25 * max(0.0, 1 - abs(t + 15000) / 2400)) + ramp(t, -3600, -1800, 0, 36)   # noqa: E731
    per_min = lambda t: cap_c * 60 / 12.0   # ~50 invocations per minute at 12 s each   # noqa: E731

    def book(r, t):
        hotel = f"HTL{r.randint(10000, 99999)}"
        d = r.uniform(10500, 13500)
        lines = [py_line("INFO", f"availability search hotel={hotel} nights={r.randint(1, 6)} rooms={r.randint(1, 3)}", 0.01),
                 py_line("INFO", f"partner inventory responded in {int(d - 400)} ms; {r.randint(2, 14)} rates returned", (d - 300) / 1000)]
        return {"dur": d, "mem": r.randint(210, 260), "lines": lines}
    simulate_lambda(s, fn, rate, book, 1024, 30, cap=lambda t: int(per_min(t)), log_start=-5400)
    inv = {p[0]: p[1] for p in _metric(s, "Invocations", fn)["points"]}
    thr = {p[0]: p[1] for p in _metric(s, "Throttles", fn)["points"]}
    _metric(s, "ConcurrentExecutions", fn)["points"] = [
        [t, float(cap_c if thr[t] > 0 else min(cap_c, round(v * 12 / 60 + rng.uniform(0, 2))))] for t, v in inv.items()]

    def mail(r, t):
        lines = [py_line("INFO", f"sending confirmation for booking BK{r.randint(1000000, 9999999)}", 0.01)]
        if r.random() < 0.3:   # long-standing failure on unverified sandbox addresses, steady all day
            lines.append(py_line("ERROR", "botocore.errorfactory.MessageRejected: An error occurred (MessageRejected) when calling the SendEmail operation: "
                                 "Email address is not verified. The following identities failed the check in region AP-SOUTH-1: noreply@stage-bookings.example", 0.3))
            return {"dur": r.uniform(300, 500), "mem": 88, "lines": lines, "err": True}
        return {"dur": r.uniform(250, 450), "mem": 88, "lines": lines}
    simulate_lambda(s, mailer, traffic(4), mail, 256, 20, streams=1)
    throttled = lambda t: thr.get(t - t % 60, 0)   # noqa: E731
    apigw(s, api, lambda t: rate(t), lambda t: 2.0 + throttled(t), const(0.05),
          lambda t: 11900 if throttled(t) == 0 else 9000, lambda t: 11850 if throttled(t) == 0 else 8950)
    ev = []
    for t0, n in thr.items():
        if t0 < -5400:
            continue
        for _ in range(int(n)):
            t = t0 + rng.uniform(0, 60)
            r = rid(rng)
            ev.append((t, f"({r}) Lambda invocation failed with status: 429. Lambda request id: {rid(rng)}"))
            ev.append((t + 0.001, f"({r}) Execution failed due to configuration error: Rate Exceeded."))
            ev.append((t + 0.002, f"({r}) Method completed with status: 429"))
    s.log("API-Gateway-Execution-Logs_q2w9e7r1t5/prod", "q2w9e7r1t5-prod", ev)
    s.change(-2050, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mailer, "jenkins-bookings")
    d = {"ApiName": api}
    s.alarm("bookings-api-4xx", "AWS/ApiGateway", "4XXError", d, "Sum", 60, 3, 10, "GreaterThanThreshold", "ALARM", -1620,
            "Bookings API client errors")
    s.alarm("booking-confirmation-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": mailer}, "Sum", 300, 1, 2,
            "GreaterThanThreshold", "ALARM", -20400, "Mailer failures")
    s.expect("bookings-api-4xx", "throttling", [fn],
             [anomaly("AWS/Lambda", "Throttles", {"FunctionName": fn}), anomaly("AWS/ApiGateway", "4XXError", d)])
    return s


# ------------------------------------------------------------------------------------------
def s10() -> Scn:
    s = Scn("h38-10-statement-builder-timeouts", "eu-north-1",
            "Monthly account statements not delivered; statement-builder Errors alarm.")
    fn, other, db = "statement-builder", "statement-notifier", "ledger-ro"
    onset = -2460
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=2048, trigger="sqs:statement-jobs")
    s.resource("lambda", other, runtime="nodejs20.x", timeout=10, memory_size=256)
    s.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.xlarge", max_connections=1200,
               allocated_storage_gb=1000)

    def build(r, t):
        acct = f"SE{r.randint(10 ** 9, 10 ** 10 - 1)}"
        big = t > onset and r.random() < 0.42
        rows = r.randint(60000, 140000) if big else r.randint(300, 9000)
        secs = 1.2 + rows * 0.00031 + r.uniform(0, 1.5)
        lines = [py_line("INFO", f"building statement account={acct} period=2026-02 corporate={'yes' if big else 'no'}", 0.01),
                 py_line("INFO", f"fetched {rows} transactions from ledger-ro in {r.randint(180, 900)} ms", 1.0)]
        if secs >= 30:
            for k in (1, 2, 3):
                done = int(rows * k * 0.2)
                lines.append(py_line("INFO", f"rendering pages: {done}/{rows} rows, {int(done / 38)} pages", 1.0 + 9.0 * k))
            return {"dur": 30000.0, "mem": r.randint(900, 1200), "lines": lines, "err": True, "kind": "timeout"}
        lines.append(py_line("INFO", f"statement {acct} rendered: {int(rows / 38) + 1} pages, uploaded to s3://acme-statements/2026-02/{acct}.pdf", secs - 0.2))
        return {"dur": secs * 1000, "mem": r.randint(300, 700), "lines": lines}
    simulate_lambda(s, fn, lambda t: 9.0 if t > onset - 600 else 5.5, build, 2048, 30)

    def notify(r, t):
        return {"dur": r.uniform(90, 200), "mem": 72,
                "lines": [(0.01, "{ts}\t{rid}\tINFO\tnotification queued channel=" + r.choice(["email", "app"]) + f" customer=c_{r.randint(10000, 99999)}")]}
    simulate_lambda(s, other, traffic(5), notify, 256, 10, streams=1)
    rds(s, db, traffic(27, 0.1), lambda t: 180 + s.rng.randint(-8, 8), const(612 * GB), const(0.0008),
        const(21 * GB), write_lat=const(0.0009))
    s.change(-2640, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "ci-statements")
    d = {"FunctionName": fn}
    s.alarm("statement-builder-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 1, "GreaterThanThreshold", "ALARM",
            onset + 240, "Statement builder failures")
    s.alarm("statement-notifier-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 60, 3, 2,
            "GreaterThanThreshold", "OK", -2500)
    s.expect("statement-builder-errors", "function_timeout", [fn],
             [anomaly("AWS/Lambda", "Errors", d), anomaly("AWS/Lambda", "Duration", d)])
    return s


# ------------------------------------------------------------------------------------------
def s11() -> Scn:
    s = Scn("h38-11-promo-alb-latency-flash-sale", "us-east-1",
            "Promo site slow during spring sale; promo-alb target response time alarm.")
    rng = s.rng
    lb, svc = "app/promo-alb/91e27c5b0d3a84f2", "web/promo-web"
    onset = -1920
    s.resource("alb", lb, name="promo-alb", target_groups=["promo-web-tg"])
    s.resource("ecs", svc, cluster="web", service="promo-web", launch_type="FARGATE", desired_count=6,
               autoscaling="target-tracking CPU 60%, max 24", log_groups=["/ecs/web/promo-web"])
    s.resource("ecs", "web/promo-admin", cluster="web", service="promo-admin", desired_count=2)
    base = traffic(2300, 0.12)
    mult = lambda t: 1 + ramp(t, onset, onset + 420, 0, 5.2) if t > onset else 1.0   # noqa: E731
    req = lambda t: base(t) * mult(t)   # noqa: E731
    tasks = lambda t: 6 if t < onset + 240 else min(18, 6 + int((t - onset - 240) / 150) * 2)   # noqa: E731
    alb(s, lb, req, lambda t: 0.085 if t < onset else 0.085 + ramp(t, onset, onset + 420, 0, 1.7) * (6 / tasks(t)) ** 0.8 + 0.35,
        lambda t: 0.3 + (4 if t > onset + 300 else 0), lambda t: 0 if t < onset + 300 else req(t) * 0.004,
        lambda t: tasks(t), const(0), t4xx=lambda t: req(t) * 0.012)
    ecs(s, "web", "promo-web", lambda t: 31 if t < onset else min(86.0, 31 + ramp(t, onset, onset + 420, 0, 52)),
        lambda t: 44 if t < onset else 52, running=tasks,
        desired=lambda t: 6 if t < onset + 200 else min(18, 6 + int((t - onset - 200) / 150) * 2))
    ecs(s, "web", "promo-admin", const(9), const(30), running=lambda t: 3 if -3100 < t < -2850 else 2, desired=const(2))
    ev = []
    paths = ["/deals/spring-sale", "/deals/spring-sale?utm_source=tv&utm_campaign=spring26", "/product/{}", "/cart", "/static/app.{}.js"]
    for m in range(LOG_START, 0, 60):
        n = 6 if m < onset else 30
        for _ in range(poisson(rng, n)):
            t = m + rng.uniform(0, 60)
            p = rng.choice(paths if m > onset else paths[2:]).format(rng.randint(1000, 9999))
            rt = rng.uniform(0.02, 0.15) if m < onset else rng.uniform(0.4, 2.6)
            ev.append((t, f"10.{rng.randint(0, 3)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - [{stamp(t, '%d/%b/%Y:%H:%M:%S')} +0000] \"GET {p} HTTP/1.1\" 200 {rng.randint(900, 48000)} "
                          f"\"-\" \"Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X)\" rt={rt:.3f} uct=0.000 urt={rt - 0.001:.3f}"))
        if rng.random() < 0.4:   # long-standing 404 noise from an old bookmarked URL
            t = m + rng.uniform(0, 60)
            ev.append((t, f"10.1.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - [{stamp(t, '%d/%b/%Y:%H:%M:%S')} +0000] \"GET /deals/black-friday-2025 HTTP/1.1\" 404 153 \"-\" \"Mozilla/5.0\" rt=0.002 uct=0.000 urt=0.002"))
    s.log("/ecs/web/promo-web", f"nginx/nginx/{hexid(rng)}", ev)
    s.change(-3160, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/promo-admin", "deploy-bot")
    d = {"LoadBalancer": lb}
    s.alarm("promo-alb-target-response-time", "AWS/ApplicationELB", "TargetResponseTime", d, "Average", 60, 3, 1.0,
            "GreaterThanThreshold", "ALARM", onset + 300, "Promo site latency")
    s.expect("promo-alb-target-response-time", "traffic_surge", [lb, "promo-alb", svc, "promo-web"],
             [anomaly("AWS/ApplicationELB", "RequestCount", d), anomaly("AWS/ApplicationELB", "TargetResponseTime", d)])
    return s


# ------------------------------------------------------------------------------------------
def s12() -> Scn:
    s = Scn("h38-12-tax-calculator-zero-quantity-lines", "sa-east-1",
            "Checkout tax calculation failing for some orders; tax-calculator Errors alarm.")
    fn, other = "tax-calculator", "invoice-pdf"
    onset = -2040
    s.resource("lambda", fn, runtime="python3.12", timeout=10, memory_size=512)
    s.resource("lambda", other, runtime="python3.12", timeout=60, memory_size=1536)

    def calc(r, t):
        order = f"PED-{r.randint(10 ** 7, 10 ** 8 - 1)}"
        src = r.choice(["web", "app", "mkp-magalu", "mkp-amazon"])
        bad = (t > onset and src == "mkp-magalu" and r.random() < 0.7) or r.random() < 0.0012
        lines = [py_line("INFO", f"calculating ICMS/PIS/COFINS order={order} channel={src} uf={r.choice(['SP', 'RJ', 'MG', 'PR', 'RS'])} lines={r.randint(1, 8)}", 0.005)]
        if r.random() < 0.2:   # long-standing, same rate all day
            lines.append(py_line("WARNING", f"NCM code missing for SKU {r.randint(100000, 999999)}; default 8471.30.12 applied", 0.01))
        if bad:
            lines.append((0.03, "[ERROR] {ts} {rid} ".replace(" ", "\t", 3) + "InvalidOperation: [<class 'decimal.DivisionUndefined'>]\nTraceback (most recent call last):\n"
                          '  File "/var/task/app.py", line 37, in handler\n    breakdown = calculate(order)\n'
                          '  File "/var/task/tax/engine.py", line 88, in calculate\n    unit_base = prorate_discount(line)\n'
                          '  File "/var/task/tax/engine.py", line 142, in prorate_discount\n    return (line.discount / line.quantity).quantize(CENTS)\n'
                          "decimal.InvalidOperation: [<class 'decimal.DivisionUndefined'>]"))
            return {"dur": r.uniform(30, 60), "mem": r.randint(90, 100), "lines": lines, "err": True}
        lines.append(py_line("INFO", f"order={order} tax_total=R$ {r.uniform(3, 400):.2f}", 0.04))
        return {"dur": r.uniform(40, 90), "mem": r.randint(90, 100), "lines": lines}
    simulate_lambda(s, fn, traffic(24, 0.18), calc, 512, 10)

    def pdf(r, t):
        return {"dur": r.uniform(2500, 4200), "mem": r.randint(500, 640),
                "lines": [py_line("INFO", f"DANFE rendered for NF-e {r.randint(10 ** 8, 10 ** 9)}")]}
    simulate_lambda(s, other, traffic(3), pdf, 1536, 60, streams=1)
    s.change(-2280, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gitlab-ci")
    s.change(-2270, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", other, "gitlab-ci")
    d = {"FunctionName": fn}
    s.alarm("tax-calculator-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 2, "GreaterThanThreshold", "ALARM",
            onset + 200, "Tax calculation failures")
    s.alarm("invoice-pdf-duration", "AWS/Lambda", "Duration", {"FunctionName": other}, "Average", 300, 1, 20000,
            "GreaterThanThreshold", "OK", -2000)
    s.expect("tax-calculator-errors", "application_error", [fn], [anomaly("AWS/Lambda", "Errors", d)])
    return s
