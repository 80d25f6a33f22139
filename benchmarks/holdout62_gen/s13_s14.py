"""h62-13 (Go stream projector: new version fails items silently) and h62-14 (.NET converter OOM)."""
from __future__ import annotations

import json

from .common import Scenario, diurnal, ramp
from .kit import LOG_START, hourly, lambda_metrics, log_plan, sqs_metrics
from .runtimes import LambdaLogs


# =========================================================================== 13
def s13() -> tuple:
    DEP = -2900
    T0 = DEP + 20
    sc = Scenario(13, "stock-projection-lag",
                  "stock-projector iterator age alarm; storefront stock levels stale for some SKUs.",
                  "eu-west-3", 6213, "2026-06-02T11:05:00+00:00")
    fn, alerts, snap = "stock-projector", "stock-alerts", "inventory-snapshot"
    sc.resource("lambda", fn, runtime="provided.al2023", architecture="arm64", timeout=60, memory_size=256,
                event_source="dynamodb-stream:inventory", batch_size=200, alias="live",
                function_response_types=["ReportBatchItemFailures"])
    sc.resource("lambda", alerts, runtime="provided.al2023", timeout=30, memory_size=128)
    sc.resource("lambda", snap, runtime="provided.al2023", timeout=900, memory_size=1024)

    day = lambda t: diurnal(sc, t, peak_hour=12, amp=0.2)
    br = lambda t: ramp(t, T0, T0 + 30)
    m = lambda_metrics(sc, fn, inv=lambda t: 78 * day(t) + 34 * br(t), errors=lambda t: 0.0,
                       dur=lambda t: 46 + 4 * br(t),
                       iter_age=lambda t: 380 + max(0.0, t - T0) * 1000 * br(t))
    lambda_metrics(sc, alerts, inv=lambda t: 12 * day(t), dur=lambda t: 21)
    lambda_metrics(sc, snap, inv=lambda t: 1.0 if hourly(sc, t, 0, 1, 1) else 0.0, dur=lambda t: 402000)

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 60, mem_used=(41, 3), prewarm=LOG_START + 120,
                    epochs=[(-10 ** 9, "57"), (T0, "58")])
    shards = [f"shardId-00000001717{sc.rng.randint(10 ** 8, 10 ** 9)}-{sc.hexid(8)}" for _ in range(4)]

    def z(t, level, msg, **kw):
        o = {"level": level, "time": sc.iso(t, 3), "fn": fn}
        o.update(kw)
        o["message"] = msg
        return json.dumps(o)

    def body(l_, s, rid, is_err, cold):
        rng = sc.rng
        ver = "58" if s >= T0 else "57"
        sh = rng.choice(shards)
        n = rng.randint(20, 200)
        lines = []
        failed = 0
        if ver == "58" and rng.random() < 0.8:
            failed = max(1, int(n * rng.uniform(0.1, 0.35)))
            for k in range(min(2, failed)):
                lines.append((0.01 + k * 0.001, z(s, "error", "skip item", version=ver, shard=sh,
                                                  sku=f"SKU-{rng.randint(100000, 999999)}",
                                                  seq=f"{rng.randint(10 ** 20, 10 ** 21)}",
                                                  error="decode NewImage: attribute \"reserved_qty\": unsupported "
                                                        "AttributeValue type *types.AttributeValueMemberNULL")))
        if rng.random() < 0.15:
            lines.append((0.02, z(s, "warn", "conditional write rejected", version=ver, shard=sh,
                                  sku=f"SKU-{rng.randint(100000, 999999)}",
                                  error="ConditionalCheckFailedException: stale version, skipping")))
        d = rng.gauss(46, 8)
        lines.append((d / 1000, z(s + d / 1000, "info", "batch done", version=ver, shard=sh, records=n,
                                  projected=n - failed, batch_item_failures=failed)))
        return {"dur": max(5, d), "lines": lines}
    li, le = log_plan(sc, m["inv"], m["err"], 3)
    ll.run(li, le, body)
    al = LambdaLogs(sc, alerts, "provided.al2023", 128, 30, prewarm=LOG_START + 120, retire=[T0 - 8])
    al.run({t: 1 for t in range(LOG_START, 0, 120)}, {}, lambda l_, s, r, e, c: {"dur": sc.rng.gauss(21, 4), "lines": [
        (0.005, json.dumps({"level": "info", "time": sc.iso(s), "fn": alerts, "message": "threshold check",
                            "low_stock_skus": sc.rng.randint(0, 6)}))]})
    sl = LambdaLogs(sc, snap, "provided.al2023", 1024, 900, prewarm=LOG_START - 10)
    sl.run({t: 1 for t in range(LOG_START, 0, 60) if hourly(sc, t, 0, 1, 1)}, {},
           lambda l_, s, r, e, c: {"dur": sc.rng.gauss(402000, 9000), "lines": [
               (0.01, json.dumps({"level": "info", "time": sc.iso(s), "fn": snap, "message": "export started",
                                  "table": "inventory"})),
               (395.0, json.dumps({"level": "info", "time": sc.iso(s + 395), "fn": snap, "message": "export finished",
                                   "items": sc.rng.randint(1900000, 2100000)}))]})

    sc.alarm("stock-projector-iterator-age", "AWS/Lambda", "IteratorAge", {"FunctionName": fn}, "Maximum", 60, 3,
             180000, "GreaterThanThreshold", "Stock projection behind the inventory stream")
    sc.alarm("stock-projector-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 1,
             "GreaterThanThreshold")
    for dt, ev, rt in [(0, "UpdateFunctionCode20150331v2", "AWS::Lambda::Function"),
                       (8, "PublishVersion20150331", "AWS::Lambda::Function"),
                       (15, "UpdateAlias20150331", "AWS::Lambda::Alias")]:
        sc.change(DEP + dt, "lambda.amazonaws.com", ev, rt, fn, "gha-inventory")
    sc.change(T0 - 4, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              alerts, "c.moreau")
    sc.change(-13900, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", "inventory", "terraform-inventory")
    sc.expect = {"alarm": "stock-projector-iterator-age",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "IteratorAge", "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="stock-projector-iterator-age", category="bad_deployment", resources=[fn],
                where="origin", services="Lambda, DynamoDB Streams",
                decoys="config change on stock-alerts 4 s before onset (closer than the deploy); Errors metric and "
                       "its alarm stay at zero; old conditional-write warnings; hourly inventory-snapshot; table update 4 h earlier",
                story=(
                    f"The Go function `{fn}` consumes the `inventory` table stream through alias `live` and "
                    "reports partial batch failures. At -48 min CI updates the code, publishes version 58 and "
                    "moves the alias. From the first `Version: 58` invocation most batches log `skip item` "
                    "errors `decode NewImage: attribute \"reserved_qty\": unsupported AttributeValue type "
                    "...NULL` and finish with `batch_item_failures` > 0; version 57 never logged it. Because "
                    "failures are reported per item, the Errors metric stays at zero, but the stream re-delivers "
                    "from the first failed record, Invocations rise and IteratorAge grows steadily. The "
                    "`stock-alerts` configuration change seconds before onset belongs to a function whose "
                    "traffic and logs are unchanged."),
                judgement=("A lazy reading of 'Errors = 0' says the function is healthy; partial batch "
                           "failures are errors in the logs, new with version 58, so `bad_deployment`."))
    return sc, info


# =========================================================================== 14
def s14() -> tuple:
    EXP = -2400
    T0 = EXP + 240
    sc = Scenario(14, "statement-converter-errors",
                  "statement-converter errors during the nightly export; some merchant statements missing.",
                  "ap-northeast-2", 6214, "2026-04-27T17:40:00+00:00")
    fn, exp, mail = "statement-converter", "core-export", "statement-mailer"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=300, memory_size=1024,
                event_source="sqs:statement-files", batch_size=1)
    sc.resource("lambda", exp, runtime="dotnet8", timeout=900, memory_size=2048, schedule="cron(0 17 * * ? *)")
    sc.resource("lambda", mail, runtime="dotnet8", timeout=60, memory_size=512)

    batch = lambda t: ramp(t, EXP + 60, EXP + 180)
    big = lambda t: 0.18 * ramp(t, T0, T0 + 60)
    m = lambda_metrics(sc, fn, inv=lambda t: 1.6 + 38 * batch(t), err_frac=big,
                       dur=lambda t: 21000 * (1 - big(t)) + 41000 * big(t))
    lambda_metrics(sc, exp, inv=lambda t: 1.0 if EXP <= t < EXP + 60 else 0.0, dur=lambda t: 612000)
    lambda_metrics(sc, mail, inv=lambda t: 0.8 + 4 * batch(t), dur=lambda t: 900)
    sqs_metrics(sc, "statement-files", sent=lambda t: 1.6 + 38 * batch(t), deleted=lambda t: (1.6 + 38 * batch(t)) * (1 - big(t)),
                visible=lambda t: 1 + 260 * batch(t) * (1 - 0.5 * ramp(t, EXP + 600, EXP + 1800)) + 30 * big(t) / 0.18,
                age=lambda t: 5 + 400 * batch(t))

    ll = LambdaLogs(sc, fn, "dotnet8", 1024, 300, mem_used=(610, 60), prewarm=LOG_START + 120)

    def body(l_, s, rid, is_err, cold):
        rng = sc.rng
        mid = f"m-{rng.randint(10000, 99999)}"
        key = f"s3://stmt-exports/{sc.at(EXP):%Y-%m-%d}/{mid}.csv" if s >= EXP else f"s3://stmt-exports/adhoc/{mid}-{sc.hexid(6)}.csv"
        lines = []
        if is_err:
            gb = rng.uniform(1.6, 2.3)
            lines += [(0.01, l_.fmt(s, rid, "INFO", f"Converting {key} ({gb:.2f} GB)")),
                      (18.0, l_.fmt(s + 18, rid, "INFO", f"Loaded {rng.randint(5200, 7400)}k rows into StatementTable")),
                      (rng.uniform(35, 45), f"RequestId: {rid} Error: Runtime exited with error: signal: killed\nRuntime.ExitError")]
            return {"dur": rng.uniform(38000, 46000), "status": "error", "error_type": "Runtime.OutOfMemory",
                    "mem": 1024, "lines": lines}
        mb = rng.uniform(40, 420)
        lines.append((0.01, l_.fmt(s, rid, "INFO", f"Converting {key} ({mb:.1f} MB)")))
        if rng.random() < 0.25:
            lines.append((2.0, l_.fmt(s + 2, rid, "ERROR", f"Statement row {rng.randint(100, 90000)} has invalid IBAN "
                                                           f"checksum (merchant {mid}); row skipped")))
        d = rng.gauss(21000, 5000)
        lines.append((d / 1000, l_.fmt(s + d / 1000, rid, "INFO", f"Wrote s3://stmt-parquet/{mid}/{sc.at(s):%Y%m}.parquet "
                                                                  f"({int(mb * 11000)} rows)")))
        return {"dur": max(2000, d), "lines": lines, "mem": int(min(980, 300 + mb * 1.3))}
    li, le = log_plan(sc, m["inv"], m["err"], lambda t: 1.5 if t < EXP else 4)
    ll.run(li, le, body)
    el = LambdaLogs(sc, exp, "dotnet8", 2048, 900, prewarm=LOG_START - 10)
    el.run({EXP: 1}, {}, lambda l_, s, r, e, c: {"dur": 612000, "lines": [
        (0.05, l_.fmt(s, r, "INFO", "Nightly statement export started for business date " + f"{sc.at(s):%Y-%m-%d}")),
        (600.0, l_.fmt(s + 600, r, "INFO", f"Exported {sc.rng.randint(2400, 2600)} merchant files to s3://stmt-exports/"))]})
    ml = LambdaLogs(sc, mail, "dotnet8", 512, 60, prewarm=LOG_START + 120, retire=[T0 - 200])
    ml.run({t: 1 for t in range(LOG_START, 0, 150)}, {}, lambda l_, s, r, e, c: {"dur": sc.rng.gauss(900, 100), "lines": [
        (0.1, l_.fmt(s, r, "INFO", f"Queued statement e-mail for m-{sc.rng.randint(10000, 99999)}"))]})

    sc.alarm("statement-converter-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "Statement conversion failures")
    sc.alarm("statement-files-backlog", "AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "statement-files"},
             "Maximum", 300, 2, 400, "GreaterThanThreshold")
    sc.change(T0 - 200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", mail,
              "azure-devops-payments")
    sc.change(-14500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azure-devops-payments")
    sc.expect = {"alarm": "statement-converter-errors",
                 "root_cause": {"category": "memory_exhaustion", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    info = dict(alarm="statement-converter-errors", category="memory_exhaustion", resources=[fn],
                where="origin", services="Lambda, SQS",
                decoys="nightly core-export burst at onset; code deploy of statement-mailer 3 min before onset; "
                       "old 'invalid IBAN checksum' ERROR lines; deploy of the converter 4 h earlier",
                story=(
                    f"The .NET function `{fn}` (1024 MB) converts each exported merchant CSV into Parquet. The "
                    "nightly `core-export` (cron 17:00 UTC) drops ~2 500 files and raises invocations 20-fold, "
                    "which is its normal nightly shape. Four minutes in, some invocations fail: each starts on "
                    "a 1.6-2.3 GB file (others are tens to hundreds of MB), loads millions of rows, and ends "
                    "with `Runtime exited with error: signal: killed` and a REPORT showing `Max Memory Used: "
                    "1024 MB` and `Runtime.OutOfMemory`. The IBAN checksum ERROR lines are row-level "
                    "warnings present all evening; the mailer's deploy three minutes earlier touches another "
                    "function; the converter's own deploy was four hours earlier with clean ad-hoc runs after it."),
                judgement=("The load spike coincides with onset but is the scheduled nightly batch; what fails is "
                           "memory on the largest files (memory at its configured size, OOM kills), so "
                           "`memory_exhaustion`, not `traffic_surge`."))
    return sc, info
