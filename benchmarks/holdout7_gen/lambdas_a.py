"""Lambda-origin incidents: alias deploy, env-var change behind API Gateway, stream throttling, timeouts."""
from __future__ import annotations

import json

import numpy as np

from .common import Scn, blip, counts, daily, flat, noisy, ramp, step
from .services import apigw_exec_log, apigw_metrics, lambda_metrics, rds_metrics, sim_lambda


def node_err(sc, t, rid, etype, emsg, stack):
    body = json.dumps({"errorType": etype, "errorMessage": emsg, "stack": [f"{etype}: {emsg}", *stack]})
    return f"{sc.iso(t)}\t{rid}\tERROR\tInvoke Error \t{body}"


def py_unhandled(etype, emsg, frames):
    tb = "".join(f'  File "{f}", line {ln}, in {fn}\n    {code}\n' for f, ln, fn, code in frames)
    return f"[ERROR] {etype}: {emsg}\nTraceback (most recent call last):\n{tb}{etype}: {emsg}"


# ------------------------------------------------------------------------------
def s01_ledger_alias_deploy():
    sc = Scn("h7-01-ledger-alias-deploy", "eu-west-1",
             "Ledger writer - errors (live) alarm paging #fin-platform; some journal postings failing.", 7101)
    fn, onset = "ledger-writer", -2460
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=20, memory_size=1024, reserved_concurrency=100,
                environment={"LEDGER_TABLE": "ledger-entries-prod", "FX_RATES_URL": "https://fx.internal/v2/rates",
                             "NODE_OPTIONS": "--enable-source-maps"})
    sc.resource("lambda", "statement-export", runtime="python3.12", timeout=300, memory_size=2048)
    inv = counts(sc, daily(21, 0.2))

    def h(sc, t, rid):
        cur = sc.rng.choice(["EUR", "EUR", "EUR", "GBP", "USD", "SEK", "XOF"])
        amt = sc.rng.uniform(3, 4000)
        lines = [(0.004, f"{sc.iso(t + 0.004)}\t{rid}\tINFO\tPosting journal entry je_{sc.rng.integers(1e7, 9e7)} "
                         f"lines={sc.rng.integers(2, 6)} amount={amt:.2f} {cur}")]
        if cur == "XOF":  # long-standing noisy handled error, same rate all day
            lines.append((0.02, f"{sc.iso(t + 0.02)}\t{rid}\tERROR\tFX rate cache miss for currency=XOF; "
                                f"falling back to ECB daily reference rate"))
        if t >= onset and cur != "EUR":
            emsg = "Cannot read properties of undefined (reading 'minorUnits')"
            lines.append((0.03, node_err(sc, t + 0.03, rid, "TypeError", emsg, [
                "    at normaliseAmount (/var/task/dist/ledger/money.js:58:31)",
                "    at buildEntry (/var/task/dist/ledger/entry.js:112:19)",
                "    at Runtime.handler (/var/task/dist/index.js:41:23)"])))
            return "error", float(sc.rng.uniform(35, 70)), sc.rng.uniform(150, 170), lines
        dur = float(sc.rng.gamma(6, 14))
        lines.append((dur / 1000 - 0.002, f"{sc.iso(t + dur / 1000)}\t{rid}\tINFO\tCommitted je in {dur:.0f} ms"))
        return "ok", dur, sc.rng.uniform(140, 165), lines

    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=1024, runtime="nodejs:20.v33",
                                versions=((-1e9, "41"), (onset, "42")), timeout_s=20)
    lambda_metrics(sc, fn, inv, err, dur, conc, alias="live")
    # statement-export: hourly batch, reconfigured earlier in the day
    inv2 = np.zeros(len(inv))
    inv2[::60] = 1
    inv2[30::60] = 1

    def h2(sc, t, rid):
        d = float(sc.rng.uniform(41000, 52000))
        return "ok", d, sc.rng.uniform(600, 900), [(0.01, f"[INFO]\t{sc.iso(t)}\t{rid}\tExporting statements for "
                                                   f"{sc.rng.integers(1800, 2300)} accounts to s3://fin-exports-prod/")]
    err2, dur2, conc2 = sim_lambda(sc, "statement-export", inv2, h2, mem=2048, streams=1, timeout_s=300)
    lambda_metrics(sc, "statement-export", inv2, err2, dur2, conc2)
    for tt, ev in ((-2530, "UpdateFunctionCode20150331v2"), (-2505, "PublishVersion20150331"),
                   (onset - 5, "UpdateAlias20150331")):
        sc.change(tt, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, "gha-ledger-deployer")
    sc.change(-6900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "statement-export", "m.okafor")
    name = "Ledger writer - errors (live)"
    sc.alarm(name, "AWS/Lambda", "Errors", {"FunctionName": fn, "Resource": f"{fn}:live"}, "Sum", 60, 5, 3.0,
             "GreaterThanThreshold", err, datapoints_to_alarm=3, description="Unhandled errors on the live alias")
    sc.alarm("statement-export duration", "AWS/Lambda", "Duration", {"FunctionName": "statement-export"},
             "Maximum", 300, 1, 240000.0, "GreaterThanThreshold", np.where(inv2 > 0, dur2, np.nan), expect_state="OK")
    sc.expect(name, "bad_deployment", [fn, f"{fn}:live"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn, "Resource": f"{fn}:live"}}],
              decoys="handled XOF FX-cache ERROR lines at a constant rate; statement-export config change 4.6 h earlier",
              story="CI published version 42 of ledger-writer and moved the `live` alias to it. The new build "
                    "reads `currency.minorUnits` from a lookup that only has EUR, so every non-EUR posting throws "
                    "a TypeError. Errors on the alias series climb from zero right at the alias update.")
    return sc


# ------------------------------------------------------------------------------
def s02_payments_env_change():
    sc = Scn("h7-02-payments-env-change", "us-east-2",
             "Checkout reports card payments failing with 502 from the Payments API.", 7102)
    api, api_id, fn, onset = "payments-api", "k7m2q9x4ab", "payment-intents", -1980
    sc.resource("apigateway", api, api_id=api_id, stages=["prod"])
    sc.resource("lambda", fn, runtime="python3.11", timeout=15, memory_size=512,
                environment={"PSP_BASE_URL": "https://api.psp-gateway.com/v1", "PSP_TIMEOUT_SECONDS": "8s",
                             "DB_HOST": "payments-db.cluster-c1x2y3z4.us-east-2.rds.amazonaws.com"})
    sc.resource("lambda", "payment-webhooks", runtime="python3.11", timeout=10, memory_size=256)
    inv = counts(sc, daily(27, 0.18))
    exec_log = []

    def h(sc, t, rid):
        post = sc.rng.random() < 0.64
        if post and t >= onset:
            frames = [("/var/task/app.py", 61, "handler", "return create_intent(json.loads(event['body']))"),
                      ("/var/task/payments/intents.py", 88, "create_intent", "resp = psp.post('/payment_intents', payload)"),
                      ("/var/task/payments/psp_client.py", 23, "post",
                       "timeout=float(os.environ['PSP_TIMEOUT_SECONDS']),")]
            msg = py_unhandled("ValueError", "could not convert string to float: '8s'", frames)
            exec_log.extend(apigw_exec_log(sc, api_id, "prod", t + 0.06, 502, [
                "Lambda execution failed with status 200 due to customer function error: could not convert string "
                f"to float: '8s'. Lambda request id: {rid}"]))
            return "error", float(sc.rng.uniform(2, 9)), 88, [(0.002, msg)]
        if post:
            d = float(sc.rng.gamma(8, 45))
            return "ok", d, 92, [(0.003, f"[INFO]\t{sc.iso(t)}\t{rid}\tcreated payment_intent "
                                         f"pi_{sc.hexid(14)} amount={sc.rng.integers(500, 40000)} currency=usd")]
        d = float(sc.rng.gamma(5, 9))
        return "ok", d, 90, [(0.003, f"[INFO]\t{sc.iso(t)}\t{rid}\tGET /intents/pi_{sc.hexid(14)} 200")]

    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=512, runtime="python:3.11.v44", timeout_s=15)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    scan = blip(-13200, -12540)  # credential-stuffing burst against /intents/{id}, answered 403 by the WAF/authorizer
    e4 = counts(sc, inv * 0.01 + scan * 160)
    apigw_metrics(sc, api, "prod", count=inv + e4 * scan.astype(bool), e4xx=e4, e5xx=err,
                  latency=noisy(sc, np.nan_to_num(dur) + 22, 0.05, 5), integ=noisy(sc, np.nan_to_num(dur) + 4, 0.05, 1))
    sc.log(f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32), exec_log)
    inv2 = counts(sc, daily(6))

    def h2(sc, t, rid):
        return "ok", float(sc.rng.gamma(4, 12)), 71, [
            (0.002, f"[INFO]\t{sc.iso(t)}\t{rid}\twebhook evt_{sc.hexid(16)} type=charge.succeeded acknowledged")]
    e2, d2, c2 = sim_lambda(sc, "payment-webhooks", inv2, h2, mem=256, runtime="python:3.11.v44", streams=1)
    lambda_metrics(sc, "payment-webhooks", inv2, e2, d2, c2)
    sc.change(-18400, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::RestApi", api, "terraform-ci")
    sc.change(onset - 40, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "priya.nair")
    sc.change(-9100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "payment-webhooks", "terraform-ci")
    name = "Payments API - 5XX errors (prod)"
    sc.alarm(name, "AWS/ApiGateway", "5XXError", {"ApiName": api, "Stage": "prod"}, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", err, description="5XX responses returned by the prod stage")
    sc.expect(name, "config_change", [fn],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}],
              decoys="403 burst (4XX) 3.5 h earlier; CreateDeployment on the API 5 h earlier; "
                     "payment-webhooks code update 2.5 h earlier",
              story="An engineer edited payment-intents' environment in the console and set "
                    "PSP_TIMEOUT_SECONDS to `8s` instead of `8`. Every POST /intents now fails parsing the timeout "
                    "(ValueError in psp_client.py) and API Gateway returns 502; GETs keep working.")
    return sc


# ------------------------------------------------------------------------------
def s05_sessionizer_ddb_throttle():
    sc = Scn("h7-05-sessionizer-ddb-throttle", "ap-northeast-1",
             "Clickstream sessionizer falling behind; IteratorAge alarm.", 7105)
    fn, onset = "clickstream-sessionizer", -2820
    sc.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024,
                environment={"SESSIONS_TABLE": "session-aggregates", "BATCH_WRITE_SIZE": "25"},
                event_source="kinesis:clickstream-events (4 shards, batch 500)")
    sc.resource("lambda", "geoip-refresh", runtime="python3.12", timeout=600, memory_size=512)
    inv = counts(sc, flat(24))  # four shards, 10 s batching window
    pressure = daily(1.0, 0.1) + 0.35 * ramp(onset - 600, onset + 300)

    def h(sc, t, rid):
        recs = int(sc.rng.integers(380, 500))
        lines = [(0.01, f"[INFO]\t{sc.iso(t)}\t{rid}\tprocessing {recs} records from shardId-00000000000"
                        f"{sc.rng.integers(0, 4)}")]
        if sc.rng.random() < 0.04:
            lines.append((0.05, f"[WARNING]\t{sc.iso(t)}\t{rid}\tdropped {sc.rng.integers(1, 4)} events with missing "
                                f"session_id"))
        p = pressure[min(int((t + 21600) // 60), len(pressure) - 1)]
        if p > 1.2 and sc.rng.random() < min(0.85, (p - 1.15) * 3.2):
            dur = float(sc.rng.uniform(9000, 16000))
            lines.append((2.5, f"[WARNING]\t{sc.iso(t + 2.5)}\t{rid}\tBatchWriteItem returned "
                               f"{sc.rng.integers(40, 200)} UnprocessedItems, backing off"))
            msg = py_unhandled(
                "ProvisionedThroughputExceededException",
                "An error occurred (ProvisionedThroughputExceededException) when calling the BatchWriteItem "
                "operation (reached max retries: 9): The level of configured provisioned throughput for the table "
                "was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
                [("/var/task/app.py", 44, "handler", "flush(aggregates)"),
                 ("/var/task/sessionizer/store.py", 71, "flush", "resp = ddb.batch_write_item(RequestItems=req)"),
                 ("/var/runtime/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)")])
            return "error", dur, sc.rng.uniform(300, 340), lines + [(dur / 1000 - 0.01, msg)]
        dur = float(sc.rng.gamma(9, 130) * p)
        lines.append((dur / 1000 - 0.01, f"[INFO]\t{sc.iso(t + dur / 1000)}\t{rid}\twrote {sc.rng.integers(60, 140)} session "
                                         f"aggregates"))
        return "ok", dur, sc.rng.uniform(280, 320), lines

    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=1024, streams=4, timeout_s=120)
    lambda_metrics(sc, fn, inv, err, dur, conc)
    age = noisy(sc, flat(900), 0.4, 50)
    lag = 0.0
    for i in range(len(age)):
        frac = err[i] / max(inv[i], 1)
        lag = max(0.0, lag + (60000 * frac * 1.6 if frac > 0.25 else -90000))
        age[i] += lag
    sc.metric("AWS/Lambda", "IteratorAge", {"FunctionName": fn}, "Milliseconds", age)
    inv2 = np.zeros(len(inv))
    inv2[::60] = 1

    def h2(sc, t, rid):
        return "ok", float(sc.rng.uniform(38000, 47000)), 300, [
            (0.5, f"[INFO]\t{sc.iso(t)}\t{rid}\tdownloaded GeoLite2-City.mmdb ({sc.rng.integers(68, 71)} MB)")]
    e2, d2, c2 = sim_lambda(sc, "geoip-refresh", inv2, h2, streams=1, timeout_s=600)
    lambda_metrics(sc, "geoip-refresh", inv2, e2, d2, c2)
    sc.change(-11200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "geoip-refresh", "deploy-bot")
    name = "clickstream-sessionizer IteratorAge"
    sc.alarm(name, "AWS/Lambda", "IteratorAge", {"FunctionName": fn}, "Maximum", 60, 5, 60000.0,
             "GreaterThanThreshold", age, datapoints_to_alarm=5)
    sc.expect(name, "throttling", [fn, "session-aggregates"],
              [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}],
              decoys="constant 'dropped events with missing session_id' warnings; geoip-refresh deploy 3 h earlier",
              story="Evening traffic pushed the sessionizer's writes past the provisioned write capacity of the "
                    "DynamoDB table session-aggregates (not modelled as a resource). BatchWriteItem keeps returning "
                    "UnprocessedItems and finally ProvisionedThroughputExceededException; failed batches are retried "
                    "from the shard, so IteratorAge climbs.")
    return sc


# ------------------------------------------------------------------------------
def s08_statement_timeout():
    sc = Scn("h7-08-statement-builder-timeout", "sa-east-1",
             "statement-builder p99 duration alarm; some customers missing monthly statements.", 7108)
    fn, db, onset = "statement-builder", "statements-db", -3300
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=1536)
    sc.resource("rds", db, engine="postgres", instance_class="db.r6g.large", max_connections=800,
                allocated_storage_gb=400)
    inv = counts(sc, daily(9, 0.1))
    big = 0.02 + 0.30 * step(onset)  # month-end: large merchant accounts enter the queue

    def h(sc, t, rid):
        large = sc.rng.random() < big[min(int((t + 21600) // 60), len(big) - 1)]
        n = int(sc.rng.integers(60000, 140000) if large else sc.rng.integers(200, 9000))
        acct = f"acct_{sc.rng.integers(1e6, 9e6)}"
        q = n / 42000.0
        lines = [(0.02, f"[INFO]\t{sc.iso(t)}\t{rid}\tbuilding statement {acct} period=2026-10"),
                 (0.05 + q, f"[INFO]\t{sc.iso(t + q)}\t{rid}\tfetched {n} transactions from {db} in {q:.2f}s")]
        est = 1.2 + q + n * 0.00058
        if est >= 60:
            pages = int(n / 2500)
            for k in range(1, pages, max(1, pages // 4)):
                tk = min(1 + q + k * 2500 * 0.00058, 59.5)
                lines.append((tk, f"[INFO]\t{sc.iso(t + tk)}\t{rid}\trendered page {k}/{pages}"))
            return "timeout", 60000.0, sc.rng.uniform(900, 1100), lines
        lines.append((est - 0.05, f"[INFO]\t{sc.iso(t + est)}\t{rid}\tuploaded s3://statements-prod/2026-10/{acct}.pdf"))
        return "ok", est * 1000, sc.rng.uniform(300, 700), lines

    err, dur, conc = sim_lambda(sc, fn, inv, h, mem=1536, timeout_s=60, streams=3)
    lambda_metrics(sc, fn, inv, err, dur, conc, alias="prod")
    vac = blip(-9300, -8700)
    rds_metrics(sc, db, cpu=noisy(sc, daily(21) + vac * 38, 0.1, 1, 100),
                conns=np.round(noisy(sc, flat(42) + conc, 0.05)), storage_gb=400, mem_gb=16)
    pglog = []
    for t in range(-21540, 0, 300):
        pglog.append((t + 3, f"{sc.stamp(t + 3)} UTC::@:[388]:LOG:  checkpoint starting: time"))
        pglog.append((t + 33, f"{sc.stamp(t + 33)} UTC::@:[388]:LOG:  checkpoint complete: wrote "
                              f"{sc.rng.integers(400, 3000)} buffers ({sc.rng.uniform(0.1, 1.5):.1f}%); 0 WAL file(s) "
                              f"added, 0 removed, 1 recycled"))
    pglog.append((-9290, f"{sc.stamp(-9290)} UTC::@:[21877]:LOG:  automatic vacuum of table "
                         f"\"statements.public.transactions\": index scans: 1"))
    sc.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pglog)
    sc.change(-14400, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "dba-automation")
    name = "statement-builder p99 duration"
    sc.alarm(name, "AWS/Lambda", "Duration", {"FunctionName": fn}, "p99", 300, 3, 20000.0,
             "GreaterThanThreshold", np.where(inv > 0, dur, np.nan), datapoints_to_alarm=2)
    sc.expect(name, "function_timeout", [fn, f"{fn}:prod"],
              [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}],
              decoys="statements-db autovacuum CPU bump 2.5 h earlier; ModifyDBInstance on statements-db 4 h earlier",
              story="Month-end statement generation reached the large merchant accounts. Rendering 60k-140k "
                    "transactions takes longer than the 60 s function timeout, so those invocations end with "
                    "'Task timed out after 60.03 seconds'. The database answers quickly throughout.")
    return sc


SCENARIOS = [s01_ledger_alias_deploy, s02_payments_env_change, s05_sessionizer_ddb_throttle, s08_statement_timeout]
