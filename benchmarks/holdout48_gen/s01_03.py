"""Scenarios 01-03: Java memory cut (cold starts), Node env var, Go IAM policy detached."""
import json
import math

from .common import Ctx, Scenario, grid, diurnal, ramp
from .lam import Fn, drive, drive_async, apigw
from .rds import rds_metrics, pg_background


def ln(c, median, sigma):
    return c.r.lognormvariate(math.log(median), sigma)


def noise(c, times, base, sd, lo=0.0, f=None):
    return [max(lo, base * (f(t) if f else 1.0) + c.gauss(0, sd)) for t in times]


# --------------------------------------------------------------------------------------------
def s01():
    c = Ctx(4801)
    sc = Scenario(c, "h48-01-claims-memory-cut", "eu-west-1",
                  "Claims submission API returning 5xx; the claims-api 5XX alarm paged on-call.")
    T, CHG = grid(6), -2520
    sc.res("lambda", "claims-intake", runtime="java21", memory_size=512, timeout=6,
           handler="com.acme.claims.ClaimsIntakeHandler::handleRequest", architecture="arm64",
           last_modified_minutes_ago=42)
    sc.res("lambda", "claims-notifier", runtime="python3.12", memory_size=256, timeout=30,
           trigger="sqs:claims-notifications")
    sc.res("apigateway", "claims-api", stage="prod", integration="claims-intake")
    sc.res("rds", "claims-db", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
           max_connections=1700, allocated_storage_gb=500)
    sc.change(-2880, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "claims-notifier", "ci-deployer")
    sc.change(CHG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "claims-intake", "terraform-ci")

    fn = Fn(sc, "claims-intake", "java21", 2048, 6, log_from=-7800, logger="ClaimsIntakeHandler")
    fn.prewarm(T[0], 4)
    fn.reconfigure(CHG + 4, memory=512)
    api_errs = []

    def spec(t, cold, rid):
        small = fn.memory == 512
        pol = "POL-%s" % c.digits(7)
        clm = "CLM-2026-%s" % c.digits(6)
        init = ln(c, 7600 if small else 3600, 0.12)
        il = [(0, "INFO", "Starting ClaimsIntakeApplication v3.14.2 using Java 21.0.4 with PID 8", "ClaimsIntakeApplication"),
              (init * 0.35, "INFO", "HikariPool-1 - Starting...", "HikariDataSource"),
              (init * 0.62, "INFO", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@%s" % c.hex(7), "HikariPool"),
              (init * 0.97, "INFO", "Started ClaimsIntakeApplication in %.3f seconds (process running for %.3f)"
               % (init / 1000 * 0.93, init / 1000), "ClaimsIntakeApplication")]
        if small:
            timeout = c.r.random() < (0.72 if cold else 0.11)
            d = ln(c, 3900 if cold else 1350, 0.35)
            mem = c.r.randint(400, 472)
        else:
            timeout = False
            d = ln(c, 950 if cold else 175, 0.3)
            mem = c.r.randint(390, 520)
        lines = [(3, "INFO", "POST /v1/claims policy=%s channel=%s" % (pol, c.r.choice(["web", "web", "mobile", "broker"])))]
        if c.r.random() < 0.08:
            lines.append((d * 0.3, "WARN", "HHH90003004: firstResult/maxResults specified with collection fetch; "
                                            "applying in memory", "query"))
        if timeout:
            api_errs.append((t, rid, "timeout"))
            return {"duration": 0, "outcome": "timeout", "init": init, "init_lines": il, "mem": mem,
                    "lines": lines + [(900, "INFO", "Validating attachments for %s (%d files)" % (pol, c.r.randint(1, 6)))]}
        lines += [(d * 0.55, "INFO", "Inserted claim %s status=RECEIVED in %d ms" % (clm, d * 0.2), "ClaimRepository"),
                  (d - 2, "INFO", "201 Created %s (total %d ms)" % (clm, d))]
        return {"duration": d, "init": init, "init_lines": il, "mem": mem, "lines": lines, "status": 201}

    drive(fn, T, lambda t: 24 * diurnal(t, 0.15, 0.3), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "claims-api", T, [fn])
    gw = []
    for t, rid, _ in api_errs:
        if t < -7800:
            continue
        g = c.uuid()
        gw.append((t + 6.05, "(%s) Lambda execution failed with status 200 due to customer function error: "
                             "Task timed out after 6.00 seconds. Lambda request id: %s" % (g, rid)))
        gw.append((t + 6.06, "(%s) Method completed with status: 502" % g))
    sc.log("API-Gateway-Execution-Logs_7k2m9xq4ve/prod", "7k2m9xq4ve-prod-" + c.hex(8), gw)

    nt = Fn(sc, "claims-notifier", "python3.12", 256, 30, log_from=-9000)
    nt.prewarm(T[0], 1)
    nt.reconfigure(-2878)

    def nspec(t, cold, rid):
        d = ln(c, 420, 0.3)
        return {"duration": d, "mem": c.r.randint(78, 96), "lines": [
            (5, "INFO", "Processing 1 record(s) from claims-notifications"),
            (d - 3, "INFO", "Sent claim-received email template=claim_ack_v4 to ***@%s" % c.r.choice(
                ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"]))]}

    drive(nt, T, lambda t: 4 * diurnal(t, 0.15, 0.3), nspec)
    nt.flush_logs()
    nt.emit_metrics(T)

    conns = [38 + 14 * ramp(t, CHG, 240) + c.gauss(0, 2.5) for t in T]
    rds_metrics(sc, "claims-db", T, {
        "CPUUtilization": noise(c, T, 17, 2.2, f=lambda t: diurnal(t, 0.2, 0.3)),
        "DatabaseConnections": [round(max(0, v)) for v in conns],
        "FreeStorageSpace": [312e9 - (t + 21600) * 9000 + c.gauss(0, 4e7) for t in T],
        "FreeableMemory": noise(c, T, 9.1e9, 6e7),
        "ReadLatency": noise(c, T, 0.0011, 0.0002, 0.0003),
        "WriteLatency": noise(c, T, 0.0019, 0.0003, 0.0004)})
    sc.log("/aws/rds/instance/claims-db/postgresql", "claims-db.0",
           pg_background(c, -21600, 0, ["public.claims", "public.claim_documents", "public.audit_events"]))

    sc.alarm("claims-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "claims-api"}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Claims API 5XX responses")
    sc.set_expect("claims-api-5xx", "config_change", ["claims-intake"], [
        ("AWS/ApiGateway", "5XXError", {"ApiName": "claims-api"}),
        ("AWS/Lambda", "Errors", {"FunctionName": "claims-intake"}),
        ("AWS/Lambda", "Duration", {"FunctionName": "claims-intake"})])
    return sc, {
        "alarm_on": "front (API Gateway; origin is the Lambda)",
        "decoys": "claims-notifier code deploy 6 min earlier (healthy); steady Hibernate HHH90003004 WARN; "
                  "claims-db connections rise a little as new environments open pools (far from the limit)",
        "story": "Terraform applied a cost-optimisation change that cut claims-intake (Java 21) from 2048 MB to "
                 "512 MB 42 minutes ago. Every execution environment was recycled; the JVM now initialises in "
                 "~7.5 s instead of ~3.6 s and, with a quarter of the CPU, many first requests and some warm ones "
                 "exceed the 6 s function timeout (REPORT `Status: timeout`, `Task timed out after 6.00 seconds`). "
                 "Each timeout resets the sandbox, so the slow INIT keeps recurring; API Gateway returns 502. "
                 "There are no dependency errors and the database is healthy. The timeouts are the symptom; the "
                 "configuration change right before onset is the trigger, so the tie-break gives config_change on "
                 "the function, not function_timeout."}


# --------------------------------------------------------------------------------------------
def s02():
    c = Ctx(4802)
    sc = Scenario(c, "h48-02-fx-quote-env-var", "ap-southeast-2",
                  "FX quote endpoint failing for most requests; fx-quote Errors alarm is firing.")
    T, CHG = grid(6), -1980
    sc.res("lambda", "fx-quote", runtime="nodejs20.x", memory_size=256, timeout=6, handler="dist/handler.quote",
           environment_keys=["FX_API_BASE_URL", "FX_API_KEY_PARAM", "CACHE_TTL_SECONDS", "NODE_OPTIONS"])
    sc.res("lambda", "fx-rates-refresher", runtime="nodejs20.x", memory_size=512, timeout=60,
           schedule="rate(5 minutes)")
    sc.res("apigateway", "pricing-api", stage="prod", integration="fx-quote")
    sc.change(-9600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "fx-rates-refresher", "github-actions")
    sc.change(CHG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "fx-quote", "m.okafor")

    fn = Fn(sc, "fx-quote", "nodejs20.x", 256, 6, log_from=-9000)
    fn.prewarm(T[0], 3)
    fn.reconfigure(CHG + 3, broken=True)
    fn.broken = False
    pairs = ["AUD/USD", "AUD/NZD", "AUD/EUR", "AUD/GBP", "AUD/JPY", "AUD/SGD", "NZD/AUD"]

    def spec(t, cold, rid):
        base, quote = c.r.choice(pairs).split("/")
        amt = c.r.choice([100, 250, 500, 1000, 1200, 5000, 20000])
        init_lines = [(40, "INFO", "fx-quote starting: provider=%s region=ap-southeast-2 cacheTtl=60s"
                       % ("undefined" if fn.broken else "https://api.ratesfeed.io"))]
        if c.r.random() < 0.035:
            bad = c.r.choice(["XYZ", "AU", "usd ", "BTC"])
            return {"duration": ln(c, 6, 0.3), "status": 400, "mem": 88, "init_lines": init_lines,
                    "lines": [(2, "WARN", "400 unsupported currency '%s' in GET /v1/quote" % bad)]}
        lines = [(1, "INFO", "GET /v1/quote base=%s quote=%s amount=%d" % (base, quote, amt))]
        fresh = (not cold) and (not fn.broken) and c.r.random() < 0.8
        if fn.broken and not fresh:
            err = {"errorType": "TypeError", "errorMessage": "Invalid URL", "code": "ERR_INVALID_URL",
                   "input": "/v1/latest?base=%s" % base,
                   "stack": ["TypeError: Invalid URL", "    at new URL (node:internal/url:816:29)",
                             "    at ProviderClient.latest (/var/task/dist/provider.js:41:21)",
                             "    at RateCache.get (/var/task/dist/cache.js:27:39)",
                             "    at Runtime.quote [as handler] (/var/task/dist/handler.js:58:33)"]}
            return {"duration": ln(c, 9, 0.3), "outcome": "error", "mem": 91, "init_lines": init_lines,
                    "lines": lines + [(6, "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":")))]}
        d = ln(c, 14, 0.35) if fresh else ln(c, 180, 0.3)
        if not fresh:
            lines.append((d - 8, "INFO", "rates refreshed for %s from provider in %d ms" % (base, d - 12)))
        rate = c.r.uniform(0.55, 1.2)
        lines.append((d - 1, "INFO", "quote %s/%s rate=%.5f amount=%d result=%.2f cache=%s"
                      % (base, quote, rate, amt, amt * rate, "hit" if fresh else "miss")))
        return {"duration": d, "mem": c.r.randint(84, 97), "init_lines": init_lines, "lines": lines}

    drive(fn, T, lambda t: 30 * diurnal(t, 0.18, 0.55), spec)
    fn.flush_logs()
    fn.emit_metrics(T)
    apigw(sc, "pricing-api", T, [fn], extra_4xx=0.2)

    rf = Fn(sc, "fx-rates-refresher", "nodejs20.x", 512, 60, log_from=-9000)
    rf.reconfigure(-9598)

    def rspec(t, cold, rid, attempt, ev):
        d = ln(c, 2300, 0.2)
        lines = [(20, "INFO", "refreshing 38 currency pairs from https://api.ratesfeed.io/v1/latest"),
                 (d * 0.8, "WARN", "provider returned stale rate for ARS (age %ds), keeping previous" % c.r.randint(400, 900)),
                 (d - 5, "INFO", "wrote 37 rates to DynamoDB table fx-rates in %d ms" % (d * 0.15))]
        return {"duration": d, "mem": c.r.randint(120, 140), "lines": lines}

    drive_async(rf, [t + 2 + c.r.random() for t in T if t % 300 == 0], rspec)
    rf.flush_logs()
    rf.emit_metrics(T)
    sc.alarm("fx-rates-refresher-duration", "AWS/Lambda", "Duration", {"FunctionName": "fx-rates-refresher"},
             "Maximum", 300, 2, 20000, "GreaterThanThreshold", expect_state="OK")
    sc.alarm("fx-quote-errors", "AWS/Lambda", "Errors", {"FunctionName": "fx-quote"}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "fx-quote Lambda errors")
    sc.set_expect("fx-quote-errors", "config_change", ["fx-quote"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "fx-quote"}),
        ("AWS/ApiGateway", "5XXError", {"ApiName": "pricing-api"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "fx-rates-refresher code deploy 2h40m earlier with a steady stale-rate WARN; steady 400 "
                  "unsupported-currency warnings on fx-quote; fx-rates-refresher duration alarm (OK)",
        "story": "An engineer edited fx-quote's environment 33 minutes ago (renaming FX_PROVIDER_BASE_URL to "
                 "FX_API_BASE_URL while adding an API-key parameter); the code still reads the old name. New "
                 "environments log `provider=undefined` at init and every rate-cache miss throws "
                 "`TypeError: Invalid URL` (ERR_INVALID_URL) building the provider URL, so almost every request "
                 "fails. No deploy of fx-quote and no dependency fault: a configuration change right before onset "
                 "with errors pointing at a missing setting is config_change on fx-quote."}


# --------------------------------------------------------------------------------------------
def s03():
    c = Ctx(4803)
    sc = Scenario(c, "h48-03-invoice-exporter-iam", "us-west-2",
                  "Scheduled invoice export failing every run; invoice-exporter Errors alarm.")
    T, CHG = grid(6), -2700
    acct = "491822736204"
    sc.res("lambda", "invoice-exporter", runtime="provided.al2023", memory_size=512, timeout=120,
           handler="bootstrap", schedule="rate(5 minutes)", role="arn:aws:iam::%s:role/invoice-exporter-role" % acct)
    sc.res("lambda", "billing-api", runtime="python3.12", memory_size=512, timeout=15,
           role="arn:aws:iam::%s:role/billing-api-role" % acct)
    sc.res("apigateway", "billing-http-api", stage="prod", integration="billing-api")
    sc.res("rds", "billing-db", engine="postgres", engine_version="15.7", instance_class="db.m6g.large",
           max_connections=820, allocated_storage_gb=400)
    sc.change(-3000, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "billing-api-role", "j.lindqvist")
    sc.change(CHG, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "invoice-exporter-role", "j.lindqvist")
    sc.change(CHG + 40, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy", "legacy-billing-exports-rw",
              "j.lindqvist")

    fn = Fn(sc, "invoice-exporter", "provided.al2023", 512, 120, log_from=-10800)

    def spec(t, cold, rid, attempt, ev):
        start = c.stamp(t - 300 - (t % 300), "%Y-%m-%dT%H:%M:00Z")
        end_ = c.stamp(t - (t % 300), "%Y-%m-%dT%H:%M:00Z")
        n = c.r.randint(18, 140)
        key = "exports/%s/invoices-%s.csv" % (c.day(t), c.stamp(t - (t % 300), "%H%M"))
        lines = [(2, "INFO", ("export window", {"from": start, "to": end_, "attempt": attempt})),
                 (480, "INFO", ("fetched invoices", {"count": n, "db_ms": c.r.randint(220, 700)}))]
        if c.r.random() < 0.3:
            lines.append((520, "WARN", ("invoice has no PO number, exporting with empty column",
                                        {"invoice": "INV-%s" % c.digits(8)})))
        if t > CHG + 95:
            e = ("operation error S3: PutObject, https response error StatusCode: 403, RequestID: %s, HostID: %s, "
                 "api error AccessDenied: User: arn:aws:sts::%s:assumed-role/invoice-exporter-role/invoice-exporter "
                 "is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::acme-billing-exports/%s\" "
                 "because no identity-based policy allows the s3:PutObject action"
                 % (c.hex(16).upper(), c.hex(56), acct, key))
            d = ln(c, 1150, 0.15)
            return {"duration": d, "outcome": "error", "mem": c.r.randint(61, 70), "init": ln(c, 95, 0.2),
                    "lines": lines + [(d - 10, "ERROR", ("export failed", {"error": e, "key": key})),
                                      (d - 2, None, json.dumps({"errorMessage": e, "errorType": "OperationError"},
                                                               separators=(",", ":")))]}
        d = ln(c, 2600, 0.2)
        lines += [(d * 0.8, "INFO", ("uploaded export", {"bucket": "acme-billing-exports", "key": key,
                                                        "bytes": n * c.r.randint(480, 620), "sse": "aws:kms"})),
                  (d - 5, "INFO", ("marked invoices exported", {"count": n}))]
        return {"duration": d, "mem": c.r.randint(58, 72), "init": ln(c, 95, 0.2), "lines": lines}

    drive_async(fn, [t + 1.2 + c.r.random() for t in T if t % 300 == 0], spec)
    fn.flush_logs()
    fn.emit_metrics(T)

    api = Fn(sc, "billing-api", "python3.12", 512, 15, log_from=-10800)
    api.prewarm(T[0], 2)

    def aspec(t, cold, rid):
        d = ln(c, 95, 0.35)
        path = c.r.choice(["/v1/invoices", "/v1/invoices/INV-%s" % c.digits(8), "/v1/customers/%s/balance" % c.digits(6)])
        return {"duration": d, "mem": c.r.randint(110, 130),
                "lines": [(2, "INFO", "GET %s" % path), (d - 2, "INFO", "200 GET %s %dms" % (path, d))]}

    drive(api, T, lambda t: 12 * diurnal(t, 0.2, 0.4), aspec)
    api.flush_logs()
    api.emit_metrics(T)
    apigw(sc, "billing-http-api", T, [api])
    rds_metrics(sc, "billing-db", T, {
        "CPUUtilization": [14 + 45 * ramp(t, -5400, 60) * (1 - ramp(t, -4500, 120)) + c.gauss(0, 1.8) for t in T],
        "DatabaseConnections": [round(22 + c.gauss(0, 2)) for t in T],
        "FreeStorageSpace": [201e9 + c.gauss(0, 3e7) for t in T],
        "FreeableMemory": noise(c, T, 3.4e9, 4e7),
        "ReadLatency": noise(c, T, 0.0012, 0.0002, 0.0003)})
    sc.log("/aws/rds/instance/billing-db/postgresql", "billing-db.0",
           pg_background(c, -21600, 0, ["public.invoices", "public.invoice_lines", "public.payments"]))
    sc.alarm("invoice-exporter-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-exporter"}, "Sum", 300,
             2, 0, "GreaterThanThreshold", "Invoice export job failures")
    sc.set_expect("invoice-exporter-errors", "permission_denied", ["invoice-exporter", "invoice-exporter-role"], [
        ("AWS/Lambda", "Errors", {"FunctionName": "invoice-exporter"})])
    return sc, {
        "alarm_on": "origin (the Lambda)",
        "decoys": "AttachRolePolicy on billing-api-role by the same engineer 5 min earlier (billing-api healthy); "
                  "billing-db CPU bump 90 min ago; steady missing-PO WARN",
        "story": "During an IAM clean-up an engineer detached (then deleted) the policy that let "
                 "invoice-exporter-role write to the exports bucket. From the next 5-minute run on, the Go job "
                 "logs `api error AccessDenied ... is not authorized to perform: s3:PutObject`; the asynchronous "
                 "retries triple the invocation count and fail the same way. The same person attached a policy to "
                 "a different role shortly before, which changed nothing for billing-api. AccessDenied after an "
                 "IAM change: permission_denied on the function (its role is also accepted)."}
