"""h21-05 (Lambda reserved concurrency behind an HTTP API) and h21-06 (Lambda timeout behind ALB)."""
from __future__ import annotations

from .common import (LogSink, Rng, alarm, change, diurnal, iso, lambda_invocations, lambda_stream,
                     metric, ramp, scenario, times)
from .kits import alb_set, apigw_http_set, lambda_set, rds_set


def _py(level, t, rid, msg):
    return f"[{level}]\t{iso(t)}\t{rid}\t{msg}"


# ----------------------------------------------------------------------------- 05
def s05():
    rng = Rng(2105)
    region = "us-east-1"
    fn, api_id, reserved = "statement-render", "m4n8r2t6wa", 10
    dur_s = 10.4
    sink = LogSink()
    grp = f"/aws/lambda/{fn}"
    log_start = -5400
    cap = reserved * 60 / dur_s  # invocations per minute the reservation can serve

    def demand(t):
        return 44 * diurnal(t, 0.06, 2) * (1 + 0.27 * ramp(t, -5200, -2100))

    def thr_frac(t):
        conc = demand(t) * dur_s / 60
        return min(0.5, max(0.0, (conc - 8.6) / 5.0))

    per_min = {}
    for m in range(-21600, 0, 60):
        d = rng.poisson(demand(m))
        th = int(round(d * thr_frac(m) * rng.uniform(0.8, 1.2)))
        per_min[m] = (d - th, th)
    streams = [(lambda_stream(rng, -30000), -30000, 1) for _ in range(7)] + \
              [(lambda_stream(rng, -3000), -3300 + 300 * i, 1) for i in range(3)]

    def body(r, t, rid):
        acct = f"AC-{r.randint(1000000, 9999999)}"
        txns = r.randint(700, 2600)
        dur = dur_s * 1000 * r.uniform(0.8, 1.2)
        lines = [(0.01, _py("INFO", t, rid, f"rendering statement account={acct} period=2026-10 transactions={txns} locale=en_US"))]
        if r.random() < 0.07:
            lines.append((0.4, _py("WARNING", t + 0.4, rid, "font fallback: glyph U+2009 not in 'Inter-Regular', using 'DejaVuSans'")))
        lines.append((dur / 1000 - 0.05, _py("INFO", t + dur / 1000, rid,
                                             f"statement {acct}-2026-10.pdf pages={txns // 42 + 1} uploaded to s3://acme-statements-prod/2026/10/ in {dur / 1000:.2f}s")))
        return lines, dur, r.randint(610, 790), None

    stats = lambda_invocations(rng, sink, grp, streams, lambda m: per_min[m][0], body, 2048, log_start)
    metrics = lambda_set(rng, fn, inv=lambda t: per_min[t][0], err=lambda t: 0.0, dur=lambda t: dur_s * 1000,
                         conc=lambda t: min(reserved, per_min[t][0] * dur_s / 60 + 1.5), thr=lambda t: per_min[t][1],
                         stats=stats)
    for mt in metrics:
        if mt["name"] == "Throttles":
            mt["points"] = [[t, float(per_min[t][1])] for t, _ in mt["points"]]
        if mt["name"] == "Invocations":
            mt["points"] = [[t, float(per_min[t][0])] for t, _ in mt["points"]]
        if mt["name"] == "ConcurrentExecutions":
            mt["points"] = [[t, float(min(reserved, v))] for t, v in mt["points"]]
    metrics += apigw_http_set(rng, api_id, count=lambda t: sum(per_min[t]) + 0.0, e4xx=lambda t: 0.6,
                              e5xx=lambda t: per_min[t][1], latency=lambda t: dur_s * 1000 * (1 - 0.9 * per_min[t][1] / max(1, sum(per_min[t]))),
                              integ_latency=lambda t: dur_s * 1000)
    metrics += lambda_set(rng, "notify-dispatch", inv=lambda t: 130 * diurnal(t, 0.1, 2), err=lambda t: 0.05,
                          dur=lambda t: 210, conc=lambda t: 1 + 0.6 * diurnal(t, 0.5))
    metrics += lambda_set(rng, "statement-archiver", inv=lambda t: 12, err=lambda t: 1.1, dur=lambda t: 640, conc=lambda t: 1)
    arch_grp = "/aws/lambda/statement-archiver"
    arch_streams = [(lambda_stream(rng, -30000), -30000, 1)]

    def arch_body(r, t, rid):
        lines = [(0.01, _py("INFO", t, rid, f"archiving batch of {r.randint(20, 60)} statements"))]
        st = None
        if r.random() < 0.09:
            lines.append((0.5, f"[ERROR] ConditionalCheckFailedException: An error occurred (ConditionalCheckFailedException) when calling "
                               f"the PutItem operation: The conditional request failed\nTraceback (most recent call last):\n"
                               f"  File \"/var/task/archiver.py\", line 64, in handler\n    table.put_item(Item=item, ConditionExpression=\"attribute_not_exists(pk)\")"))
            st = "error"
        return lines, r.uniform(500, 800), r.randint(120, 150), st

    lambda_invocations(rng, sink, arch_grp, arch_streams, 12, arch_body, 256, log_start)
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 29, "memory_size": 2048,
                                                    "reserved_concurrency": reserved, "trigger": f"apigateway-http:{api_id}"}},
        {"type": "apigateway", "id": "statements-http", "properties": {"api_id": api_id, "protocol": "HTTP", "stage": "$default",
                                                                       "routes": ["GET /statements/{account}/{period}"],
                                                                       "integration": f"AWS_PROXY lambda:{fn}"}},
        {"type": "lambda", "id": "notify-dispatch", "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256}},
        {"type": "lambda", "id": "statement-archiver", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 256}},
    ]
    changes = [change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "notify-dispatch", "jpatel"),
               change(-19800, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "statement-archiver", "terraform")]
    alarms = [alarm("statement-render-throttles", "AWS/Lambda", "Throttles", {"FunctionName": fn}, "Sum", 60, 3, 5,
                    "GreaterThanThreshold", -1800, description="Statement renderer throttled")]
    doc = scenario("h21-05-statement-render-reserved-concurrency",
                   "Customers intermittently get 'Internal Server Error' downloading statements; Throttles alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "statement-render-throttles",
                    "root_cause": {"category": "throttling", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]})
    meta = {"placement": "origin (Lambda)",
            "decoys": "env-var change on notify-dispatch at -50 min (a few minutes after throttling began); statement-archiver's constant ConditionalCheckFailed errors; "
                      "old PutFunctionConcurrency on the archiver",
            "story": "statement-render takes ~10 s per PDF and has a reserved concurrency of 10. Late-morning demand rose "
                     "about 25 % (within normal business variation, not a surge), which pushes the average concurrency to "
                     "the reservation: ConcurrentExecutions sits flat at 10, Throttles appear and the HTTP API turns each "
                     "throttled call into a 500. Durations, errors and memory of the function are unchanged. Throttles at a "
                     "concurrency limit is throttling; origin the function."}
    return doc, meta


# ----------------------------------------------------------------------------- 06
def s06():
    rng = Rng(2106)
    region = "eu-west-2"
    fn, timeout = "invoice-pdf", 20
    lb, tg = "app/billing-alb/5d7f9b1c3e5a7d92", "targetgroup/invoice-pdf-tg/0c2e4a6b8d0f2b47"
    t_on = -2460
    sink = LogSink()
    grp = f"/aws/lambda/{fn}"
    log_start = -7200
    streams = [(lambda_stream(rng, -30000), -30000, 1) for _ in range(4)] + [(lambda_stream(rng, -2000), -2300, 1)]

    def body(r, t, rid):
        big = t >= t_on and r.random() < 0.45
        lines_n = r.randint(3000, 6200) if big else r.randint(20, 420)
        inv = f"INV-{r.randint(2025000, 2026999)}"
        out = [(0.005, _py("INFO", t, rid, f"GET /invoices/{inv}.pdf account=ACC-{r.randint(10000, 99999)} consolidated={'true' if big else 'false'}"))]
        q = r.uniform(0.02, 0.05) + lines_n * 0.00004
        out.append((0.02 + q, _py("INFO", t + q, rid, f"fetched {lines_n} invoice lines from billing-pg in {q * 1000:.0f} ms")))
        if r.random() < 0.05:
            out.append((0.05 + q, f"[WARNING]\t{iso(t + 0.06 + q)}\t{rid}\tfontTools.subset: missing glyph 'uni2009' in NotoSans-Regular; using fallback"))
        render = 0.9 + lines_n / 255.0 * r.uniform(0.9, 1.15)
        total = 0.05 + q + render
        mem = int(280 + lines_n * 0.11 + r.randint(0, 40))
        if total >= timeout:
            out.append((timeout + 0.015, f"{iso(t + timeout + 0.015)} {rid} Task timed out after {timeout}.02 seconds"))
            return out, timeout * 1000.0 + r.uniform(16, 24), mem, "timeout"
        pages = lines_n // 38 + 1
        out.append((total - 0.01, _py("INFO", t + total, rid, f"rendered {pages} pages for {inv} in {render:.2f}s; 200 application/pdf")))
        return out, total * 1000, mem, None

    stats = lambda_invocations(rng, sink, grp, streams, lambda m: rng.poisson(21 * diurnal(m, 0.1, 1)), body, 1536, log_start)
    by = {s[0]: s for s in stats}

    def elb5(t):
        return by[t][2] if t in by else 0.0

    metrics = lambda_set(rng, fn, inv=lambda t: 21 * diurnal(t, 0.1, 1), err=lambda t: 0.0, dur=lambda t: 3400,
                         conc=lambda t: 1.5 + (4 if t >= t_on else 0), stats=stats)
    metrics += alb_set(rng, lb, req=lambda t: (by[t][1] if t in by else 21 * diurnal(t, 0.1, 1)) + 160,
                       rt=lambda t: ((by[t][1] * by[t][3] / 1000 + 160 * 0.08) / (by[t][1] + 160)
                                     if t in by and by[t][3] else (21 * 3.4 + 160 * 0.08) / 181),
                       t5xx=lambda t: 0.0, t4xx=lambda t: 4, e502=elb5,
                       tgs=[(tg, lambda t: 1, lambda t: 0, lambda t: by[t][1] if t in by else 21 * diurnal(t, 0.1, 1))])
    metrics.append(metric("AWS/ApplicationELB", "LambdaUserError", {"TargetGroup": tg, "LoadBalancer": lb}, "Count",
                          [[t, float(elb5(t))] for t in times()], None))
    metrics += lambda_set(rng, "invoice-email", inv=lambda t: 6, err=lambda t: 0.0, dur=lambda t: 380 if t < -2700 else 350,
                          conc=lambda t: 1)
    metrics += rds_set(rng, "billing-pg", cpu=lambda t: 14, conns=lambda t: 38, free_storage_gb=lambda t: 77,
                       freeable_mem_gb=lambda t: 2.9)
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.11", "timeout": timeout, "memory_size": 1536,
                                                    "trigger": f"alb:{tg}"}},
        {"type": "lambda", "id": "invoice-email", "properties": {"runtime": "python3.11", "timeout": 30, "memory_size": 256}},
        {"type": "alb", "id": lb, "properties": {"name": "billing-alb", "target_groups": [tg, "targetgroup/billing-portal-tg/71a3c5e7f9b1d3a5"],
                                                 "lambda_targets": [fn]}},
        {"type": "rds", "id": "billing-pg", "properties": {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.t4g.large",
                                                           "max_connections": 900, "allocated_storage_gb": 100}},
    ]
    changes = [change(-2700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-email", "gitlab-ci"),
               change(-2690, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "invoice-email", "gitlab-ci"),
               change(-2680, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "invoice-email", "gitlab-ci")]
    alarms = [alarm("billing-alb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 5,
                    "GreaterThanThreshold", -2220, description="Billing ALB 5xx (invoice downloads)")]
    doc = scenario("h21-06-invoice-pdf-alb-lambda-timeout",
                   "Invoice PDF downloads fail with 502 Bad Gateway for some accounts; billing ALB 5xx alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "billing-alb-5xx",
                    "root_cause": {"category": "function_timeout", "resource": [fn]},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]})
    meta = {"placement": "front (ALB)",
            "decoys": "invoice-email deploy + alias shift 4 min before onset; constant fontTools WARNING; healthy billing-pg",
            "story": "From -41 min almost half of the invoice requests are consolidated invoices with 3,000-6,000 lines. The DB fetch "
                     "stays fast (logged at < 300 ms), but rendering takes longer than the 20 s timeout: the function logs "
                     "'Task timed out after 20.02 seconds', Duration maxes at 20,000 ms, and the ALB answers 502 "
                     "(LambdaUserError on the target group). The invoice-email deploy is a different function off this "
                     "path with clean metrics. A function hitting its configured timeout with no dependency error is "
                     "function_timeout, origin invoice-pdf."}
    return doc, meta
