"""h44-11: statement PDF renderer hits its 30 s timeout on large business statements; no dependency errors."""
from __future__ import annotations

import math

from .common import TIMES, LambdaLog, Rng, Scenario, ramp, spread, wall
from .kit import py_info, sim_lambda

REGION = "eu-west-2"
FN = "statement-pdf-renderer"
T0 = -2700          # quarterly business statement batch starts flowing in


def _j(t, rid, level, logger, msg):
    return f"{wall(t).strftime('%Y-%m-%d %H:%M:%S')} {rid} {level:<5} {logger} - {msg}"


def build() -> dict:
    rng = Rng(4411)
    sc = Scenario("h44-11-statement-renderer-timeouts", REGION,
                  "Customers report missing PDF statements; statement-pdf-renderer Errors alarm fired.")
    sc.res("lambda", FN, runtime="java21", handler="com.acme.statements.RenderHandler::handleRequest", timeout=30,
           memory_size=1536, snap_start="PublishedVersions",
           environment={"LEDGER_API_URL": "https://ledger.internal.acme-bank.co.uk/v2", "OUTPUT_BUCKET": "acme-statements-prod",
                        "FONT_DIR": "/opt/fonts", "JAVA_TOOL_OPTIONS": "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"},
           vpc_config={"subnet_ids": ["subnet-0e2f4a6c8b0d13579", "subnet-0e2f4a6c8b0d13580"],
                       "security_group_ids": ["sg-0c4e6a8b0d2f13579 (statements-lambda-sg)"],
                       "s3_access": "gateway endpoint vpce-0a1c3e5b7d9f24680"},
           triggers=["sqs statement-render-jobs (batch size 1, visibility timeout 180 s, maxReceiveCount 3)"])
    sc.res("lambda", "statement-mailer", runtime="python3.12", timeout=60, memory_size=256,
           environment={"SES_CONFIGURATION_SET": "statements", "OUTPUT_BUCKET": "acme-statements-prod"})
    sc.res("lambda", "card-events-consumer", runtime="python3.12", timeout=120, memory_size=512,
           triggers=["kinesis card-events (batch 500)"])

    biz = lambda t: 0.62 * ramp(t, T0, 240)
    ll = LambdaLog(rng, 1536, runtime="java", streams=4)
    mp = {k: {} for k in ("inv", "err", "dur", "conc")}
    for t in TIMES:
        n = rng.poisson(19 + 6 * ramp(t, T0, 600))
        durs, errs = [], 0
        for ti in spread(rng, t, n):
            if rng.random() < biz(ti):
                kind, tx = "business", int(rng.lognormvariate(8.3, 0.6))
            else:
                kind, tx = "retail", int(rng.lognormvariate(4.0, 0.6))
            pages = max(2, tx // 48 + 2)
            d = 1800 + pages * rng.uniform(190, 230) + tx * 0.05
            timed_out = d > 30000
            if timed_out:
                d = 30000 + rng.uniform(5, 40)
                errs += 1
            durs.append(d)
            if ti < -5400:
                continue
            rid = rng.uid()
            acct = f"GB{rng.randint(10, 99)}ACME{rng.randint(10**13, 10**14)}"
            period = "2026-Q1" if kind == "business" else "2026-02"
            L = [(0.02, _j(ti, rid, "INFO", "RenderHandler", f"job stmt_{rng.hexs(10)} account={acct} type={kind} period={period}")),
                 (0.35, _j(ti, rid, "INFO", "LedgerClient", f"fetched {tx} transactions from ledger in {rng.randint(140, 420)} ms")),
                 (0.40, _j(ti, rid, "WARN", "FontResolver", "font 'Calibri' not installed; substituting 'Carlito'")),
                 (0.41, _j(ti, rid, "INFO", "PdfComposer", f"layout: {pages} pages, {tx} rows, template=statement-v7"))]
            if timed_out:
                d_full = 1800 + pages * 210 + tx * 0.05
                done = int(pages * min(0.97, 30000 / d_full))
                for k in range(50, done, 50):
                    off = 0.45 + (k / pages) * d_full / 1000
                    if off < 29.8:
                        L.append((off, _j(ti + off, rid, "INFO", "PdfComposer", f"rendered {k}/{pages} pages")))
                ll.timeout(ti, L, 30, rng.randint(640, 900), rid=rid)
            else:
                L += [(d / 1000 - 0.25, _j(ti + d / 1000, rid, "INFO", "S3Uploader",
                                          f"uploaded s3://acme-statements-prod/{period}/{acct}.pdf ({pages * rng.randint(38, 55)} KB) "
                                          f"in {rng.randint(60, 190)} ms")),
                      (d / 1000 - 0.01, _j(ti + d / 1000, rid, "INFO", "RenderHandler", f"done in {int(d)} ms"))]
                ll.invoke(ti, L, d, rng.randint(610, 760), rid=rid)
        mp["inv"][t], mp["err"][t] = n, errs
        if durs:
            mp["dur"][t] = round(sum(durs) / len(durs), 2)
        mp["conc"][t] = math.ceil(sum(durs) / 60000 * rng.uniform(1.2, 1.6))
    dims = {"FunctionName": FN}
    sc.metric("AWS/Lambda", "Invocations", dims, "Count", [[t, float(mp["inv"][t])] for t in TIMES])
    sc.metric("AWS/Lambda", "Errors", dims, "Count", [[t, float(mp["err"][t])] for t in TIMES])
    sc.metric("AWS/Lambda", "Throttles", dims, "Count", [[t, 0.0] for t in TIMES])
    sc.metric("AWS/Lambda", "Duration", dims, "Milliseconds", [[t, mp["dur"][t]] for t in TIMES if t in mp["dur"]])
    sc.metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count", [[t, float(mp["conc"][t])] for t in TIMES])
    ll.emit(sc, f"/aws/lambda/{FN}")

    def mail_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"sent {rng.randint(1, 30)} statement-ready emails via SES"))], None
    sim_lambda(sc, rng, "statement-mailer", rate=lambda t: 4.0, dur=lambda t, e: rng.gauss(700, 120), body=mail_body,
               memory=256, mem_used=(80, 92), log_from=-5400, streams=1)

    def card_body(t, rid, is_err, d):
        return [(0.01, py_info(t, rid, f"processed {rng.randint(300, 500)} card events shard=shardId-00000000000{rng.randint(0, 3)}"))], None
    sim_lambda(sc, rng, "card-events-consumer", rate=lambda t: 30.0 if (t % 3600) < 300 else 6.0,
               dur=lambda t, e: rng.gauss(2400, 400) if (t % 3600) < 300 else rng.gauss(600, 90), body=card_body,
               mem_used=(150, 190), log_from=-5400, streams=2)

    sc.change(-3000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-mailer", "jenkins-statements")
    sc.change(-2200, "ec2.amazonaws.com", "ModifyVpcEndpoint", "AWS::EC2::VPCEndpoint", "vpce-0b2d4f6a8c0e13579", "netops-terraform")
    sc.change(-15000, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "jenkins-statements")
    sc.alarm("statement-pdf-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "ALARM", T0 + 540, description="Statement rendering failures")
    sc.alarm("card-events-consumer-iterator-age", "AWS/Lambda", "Errors", {"FunctionName": "card-events-consumer"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "OK", -100000)
    sc.expect("statement-pdf-renderer-errors", "function_timeout", [FN],
              [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": FN}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    return sc.done()
