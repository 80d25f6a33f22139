"""h57-02 (Node.js config change) and h57-03 (Java IAM/KMS permission denied)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, counts_per_minute, diurnal, bump
from .runtimes import LambdaLogs


def _lambda_metrics(sc, fn, inv, err, dur, thr=None, conc=None):
    d = {"FunctionName": fn}
    sc.metric("AWS/Lambda", "Invocations", d, "Count", inv)
    sc.metric("AWS/Lambda", "Errors", d, "Count", err)
    sc.metric("AWS/Lambda", "Throttles", d, "Count", thr or [0.0 for _ in GRID])
    sc.metric("AWS/Lambda", "Duration", d, "Milliseconds", dur)
    if conc is None:
        conc = [float(max(1 if i else 0, round(i * (x or 0) / 60000 + sc.rng.uniform(0, 0.8))))
                for i, x in zip(inv, dur)]
    sc.metric("AWS/Lambda", "ConcurrentExecutions", d, "Count", conc)
    return d


# =========================================================================== h57-02
T_CFG, T_MAILER = -1980, -1935


def build_quote() -> Scenario:
    sc = Scenario(2, "quote-engine-pricing-mode", "Insurance quote API failing for a share of "
                  "brokers; quote-engine Errors alarm in ALARM.",
                  "ap-southeast-2", 5702, "2026-05-19T02:10:00+00:00")
    rng = sc.rng
    sc.resource("lambda", "quote-engine", runtime="nodejs20.x", timeout=10, memory_size=1024,
                handler="src/handler.handler")
    sc.resource("lambda", "quote-pdf-mailer", runtime="nodejs20.x", timeout=60, memory_size=512)
    sc.resource("apigateway", "quotes-api", stage="prod", api_id="q7x2m4k9ab")
    inv = sc.series(lambda t: 14 * diurnal(sc, t, 2, 0.3), integer=True)
    err = [float(sum(rng.random() < 0.4 for _ in range(int(i)))) if t >= T_CFG + 20 else 0.0
           for t, i in zip(GRID, inv)]
    dur = sc.series(lambda t: 180 if t < T_CFG else 122, noise=0.09)
    d = _lambda_metrics(sc, "quote-engine", inv, err, dur)
    minv = sc.series(lambda t: 3.2 * diurnal(sc, t, 2, 0.3), integer=True)
    _lambda_metrics(sc, "quote-pdf-mailer", minv, [0.0 for _ in GRID],
                    sc.series(lambda t: 2400 if t < T_MAILER else 2290, noise=0.1))
    a4 = [float(max(0, round(rng.gauss(0.6, 0.8)))) for _ in GRID]
    adims = {"ApiName": "quotes-api"}
    sc.metric("AWS/ApiGateway", "Count", adims, "Count", [i + x for i, x in zip(inv, a4)])
    sc.metric("AWS/ApiGateway", "4XXError", adims, "Count", a4)
    sc.metric("AWS/ApiGateway", "5XXError", adims, "Count", err)
    sc.metric("AWS/ApiGateway", "Latency", adims, "Milliseconds",
              [round(x + rng.gauss(28, 4), 3) for x in dur])

    rates = {"consumer": "flat", "business": "tiered"}

    def init_lines(mode):
        return [(0.05, "@TS@\tundefined\tINFO\tconfig loaded " + json.dumps(
            {"PRICING_MODE": mode, "RATE_CARD_TABLE": "rate-cards-prod", "FX_SOURCE": "rba",
             "LOG_LEVEL": "info"}, separators=(",", ":")))]

    def body(ll, t, reqid, is_err, cold):
        after = t >= T_CFG
        seg = "business" if is_err or (not after and rng.random() < 0.4) else "consumer"
        qid = f"q_{sc.hexid(10)}"
        partner = rng.choice(["brokerhub", "brokerhub", "coverwise", "direct", "insurely"])
        lines = [(0.003, ll.fmt(t + 0.003, reqid, "INFO", "quote request received " + json.dumps(
            {"quoteId": qid, "segment": seg, "partner": partner, "items": rng.randint(1, 6)},
            separators=(",", ":"))))]
        if partner == "brokerhub":  # pre-existing, same share before and after
            lines.append((0.006, ll.fmt(t + 0.006, reqid, "WARN",
                                        "partner payload uses deprecated field 'postcodeStr'; mapped to "
                                        f"'postcode' {{\"partner\":\"brokerhub\",\"quoteId\":\"{qid}\"}}")))
        if is_err:
            dur = rng.gauss(34, 6)
            msg = "Unsupported PRICING_MODE 'tiered-v2' (expected one of: flat, tiered, tiered_v2)"
            payload = {"errorType": "ConfigError", "errorMessage": msg, "name": "ConfigError",
                       "stack": [f"ConfigError: {msg}",
                                 "    at resolvePricingStrategy (/var/task/src/pricing/index.js:27:11)",
                                 "    at computeBusinessQuote (/var/task/src/quote/business.js:64:20)",
                                 "    at async Runtime.handler (/var/task/src/handler.js:41:28)"]}
            lines.append((dur / 1000 - 0.002, ll.fmt(t + dur / 1000 - 0.002, reqid, "ERROR",
                                                     "Invoke Error \t" + json.dumps(payload, separators=(",", ":")))))
        else:
            dur = rng.gauss(180, 25)
            lines.append((dur / 1000 - 0.002, ll.fmt(t + dur / 1000 - 0.002, reqid, "INFO", "quote computed " + json.dumps(
                {"quoteId": qid, "segment": seg, "pricingMode": rates[seg],
                 "total": f"{rng.uniform(180, 4800):.2f}", "currency": "AUD", "ms": int(dur - 8)},
                separators=(",", ":")))))
        res = {"dur": dur, "lines": lines}
        if cold:
            res["init_lines"] = [(dt, x.replace("@TS@", sc.iso(t - 0.2))) for dt, x in
                                 init_lines("tiered-v2" if after else "tiered")]
        return res

    ll = LambdaLogs(sc, "quote-engine", "nodejs20.x", 1024, 10, mem_used=(168, 12), retire=[T_CFG])
    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)

    ml = LambdaLogs(sc, "quote-pdf-mailer", "nodejs20.x", 512, 60, mem_used=(210, 15), retire=[T_MAILER])

    def mbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(2400 if t < T_MAILER else 2290, 240)
        q = f"q_{sc.hexid(10)}"
        return {"dur": dur, "lines": [
            (0.01, ll.fmt(t + 0.01, reqid, "INFO", f"rendering quote PDF {q}")),
            (dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                                        f"sent quote {q} to broker via SES (MessageId 0108018f{sc.hexid(8)})"))]}
    ml.run(counts_per_minute(minv, -10800, 0), {}, mbody)

    sc.change(-14100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "quote-engine", "ci-deployer")
    sc.change(T_CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "quote-engine", "mhenderson")
    sc.change(T_MAILER, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "quote-pdf-mailer", "ci-deployer")
    sc.alarm("quote-engine-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "quote-engine Lambda errors")
    sc.expect = {"alarm": "quote-engine-errors",
                 "root_cause": {"category": "config_change", "resource": ["quote-engine"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (quote-engine Errors)",
        "decoys": "quote-pdf-mailer code deploy between the configuration update and the first error (closer than the cause); "
                  "quote-engine code deploy 3.9 h earlier with no error change; loud pre-existing "
                  "deprecated-field WARN on a quarter of requests",
        "story": "mhenderson updated quote-engine's configuration at -1980 s. Every execution "
                 "environment started after that logs `config loaded {\"PRICING_MODE\":\"tiered-v2\"}` "
                 "where earlier cold starts logged `\"tiered\"`, and from then on every business-"
                 "segment quote fails with `ConfigError: Unsupported PRICING_MODE 'tiered-v2' "
                 "(expected one of: flat, tiered, tiered_v2)` (about 40 % of invocations); consumer "
                 "quotes, which use flat pricing, keep working. The quote-pdf-mailer deploy at -1935 s "
                 "is a different function with unchanged errors; quote-engine's own code deploy 3.9 h "
                 "earlier was followed by hours of clean traffic. An environment-variable change "
                 "shortly before onset with errors naming the invalid setting is config_change.",
    }
    return sc


# =========================================================================== h57-03
T_DEL, T_PUT, T_RECON = -2205, -2200, -2175
ROLE = "statement-exporter-role"


def build_statements() -> Scenario:
    sc = Scenario(3, "statement-exporter-kms-denied", "Monthly account statements are not being "
                  "delivered; statement-exporter Errors alarm fired.",
                  "us-west-2", 5703, "2026-06-02T17:40:00+00:00")
    rng = sc.rng
    sc.resource("lambda", "statement-exporter", runtime="java21", timeout=300, memory_size=1536,
                role=ROLE, trigger="sqs:statement-export-requests")
    sc.resource("lambda", "ledger-reconciler", runtime="java21", timeout=120, memory_size=1024)
    sc.resource("rds", "statements-db", engine="postgres", engine_version="16.3",
                instance_class="db.r6g.large", max_connections=1600, allocated_storage_gb=300)
    kms = f"arn:aws:kms:us-west-2:{sc.account}:key/{sc.uuid()}"
    inv = sc.series(lambda t: 6 if t < T_PUT else 8.2, integer=True)
    err = [float(i) if t >= T_PUT + 10 else 0.0 for t, i in zip(GRID, inv)]
    dur = sc.series(lambda t: 5200 if t < T_PUT else 4800, noise=0.12)
    d = _lambda_metrics(sc, "statement-exporter", inv, err, dur)
    rinv = sc.series(lambda t: 2, integer=True)
    _lambda_metrics(sc, "ledger-reconciler", rinv, [0.0 for _ in GRID],
                    sc.series(lambda t: 3100 if t < T_RECON else 2950, noise=0.1))
    rd = {"DBInstanceIdentifier": "statements-db"}
    sc.metric("AWS/RDS", "CPUUtilization", rd, "Percent",
              sc.series(lambda t: 18 + bump(t, -9600, -8400, 68), noise=0.1))
    sc.metric("AWS/RDS", "DatabaseConnections", rd, "Count", sc.series(lambda t: 24, integer=True))
    sc.metric("AWS/RDS", "FreeStorageSpace", rd, "Bytes",
              sc.series(lambda t: 2.11e11 - (t + 21600) * 9e3, noise=0.0005, digits=0))
    sc.metric("AWS/RDS", "ReadLatency", rd, "Seconds", sc.series(lambda t: 0.0012, noise=0.2, digits=5))

    def body(ll, t, reqid, is_err, cold):
        acc = rng.randint(100000, 999999)
        sid = f"stmt_2026_05_acc_{acc}"
        pages = rng.randint(3, 28)
        render = rng.gauss(3900, 500)
        lines = [
            (0.02, ll.fmt(t + 0.02, reqid, "INFO", f"c.a.s.StatementExportHandler - Received export request "
                                                   f"{sid} (account acc_{acc}, period 2026-05)")),
            (0.4, ll.fmt(t + 0.4, reqid, "WARN", "o.a.p.pdmodel.font.PDType1Font - Using fallback font "
                                                 "LiberationSans-Italic for Helvetica-Oblique")),
            (render / 1000, ll.fmt(t + render / 1000, reqid, "INFO",
                                   f"c.a.s.render.PdfRenderer - Rendered {pages} pages in {int(render)} ms")),
        ]
        if not is_err:
            dur = render + rng.gauss(1200, 200)
            lines.append((dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                                                    f"c.a.s.store.S3StatementStore - Uploaded s3://acme-statements-prod/"
                                                    f"2026/05/acc_{acc}.pdf ({rng.randint(90, 900)} KB, SSE-KMS)")))
            return {"dur": dur, "lines": lines}
        dur = render + rng.gauss(700, 80)
        rid, xid = sc.hexid(16).upper(), sc.hexid(56)
        msg = (f"User: arn:aws:sts::{sc.account}:assumed-role/{ROLE}/statement-exporter is not authorized "
               f"to perform: kms:GenerateDataKey on resource: {kms} because no identity-based policy "
               f"allows the kms:GenerateDataKey action (Service: S3, Status Code: 403, Request ID: {rid}, "
               f"Extended Request ID: {xid})")
        trace = [
            "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse(CombinedResponseHandler.java:125)",
            "software.amazon.awssdk.core.internal.http.pipeline.stages.RetryableStage.execute(RetryableStage.java:63)",
            "software.amazon.awssdk.services.s3.DefaultS3Client.putObject(DefaultS3Client.java:10896)",
            "com.acme.statements.store.S3StatementStore.put(S3StatementStore.java:58)",
            "com.acme.statements.StatementExportHandler.handleRequest(StatementExportHandler.java:71)",
            "com.acme.statements.StatementExportHandler.handleRequest(StatementExportHandler.java:24)"]
        lines.append((dur / 1000 - 0.02, ll.fmt(t + dur / 1000 - 0.02, reqid, "ERROR",
                                                f"c.a.s.StatementExportHandler - Export failed for {sid}\n"
                                                f"software.amazon.awssdk.services.s3.model.S3Exception: {msg}\n"
                                                + "\n".join("\tat " + x for x in trace))))
        lines.append((dur / 1000 - 0.005, json.dumps({
            "errorMessage": msg, "errorType": "software.amazon.awssdk.services.s3.model.S3Exception",
            "stackTrace": trace}, separators=(",", ":"))))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, "statement-exporter", "java21", 1536, 300, mem_used=(610, 40), life=(5400, 9000))
    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)

    rl = LambdaLogs(sc, "ledger-reconciler", "java21", 1024, 120, mem_used=(380, 20), retire=[T_RECON])

    def rbody(ll, t, reqid, is_err, cold):
        dur = rng.gauss(3100 if t < T_RECON else 2950, 300)
        n = rng.randint(200, 1400)
        return {"dur": dur, "lines": [
            (0.01, ll.fmt(t + 0.01, reqid, "INFO", f"c.a.l.ReconcileHandler - Reconciling batch of {n} ledger lines")),
            (dur / 1000 - 0.01, ll.fmt(t + dur / 1000 - 0.01, reqid, "INFO",
                                        f"c.a.l.ReconcileHandler - Reconciled {n} lines, 0 mismatches"))]}
    rl.run(counts_per_minute(rinv, -10800, 0), {}, rbody)

    sc.change(T_DEL, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci")
    sc.change(T_PUT, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "terraform-ci")
    sc.change(T_RECON, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "ledger-reconciler", "ci-deployer")
    sc.change(T_RECON + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "ledger-reconciler", "ci-deployer")
    sc.alarm("statement-exporter-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 2, 5,
             "GreaterThanThreshold", "Statement export failures")
    sc.alarm("statements-db-cpu-high", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "statement-exporter-errors",
                 "root_cause": {"category": "permission_denied", "resource": ["statement-exporter", ROLE]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    sc.meta = {
        "alarm_on": "origin (statement-exporter Errors)",
        "decoys": "ledger-reconciler deploy 25 s after the IAM change, right before the first failure; statements-db "
                  "CPU spike (with its own alarm cycling ALARM->OK) 2 h earlier; loud fallback-font WARN on every "
                  "invocation",
        "story": "terraform-ci deleted and re-put the inline policy of statement-exporter-role at "
                 "-2205/-2200 s. From the next invocation on, every export renders its PDF and then "
                 "fails on the S3 upload with `S3Exception: User: ...assumed-role/statement-exporter-"
                 "role/statement-exporter is not authorized to perform: kms:GenerateDataKey ... (Status "
                 "Code: 403)`; SQS redelivery lifts invocations slightly. The ledger-reconciler deploy "
                 "is another function that keeps reconciling with zero errors; the statements-db CPU "
                 "spike ended two hours before. AccessDenied after an IAM change is permission_denied; "
                 "the failing function (and its role) is where it originates.",
    }
    return sc


BUILDERS = [build_quote, build_statements]
