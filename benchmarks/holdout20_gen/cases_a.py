"""Scenarios 01-02: a release that came after the errors began; a setting changed after a release."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn

ACCOUNT = "123456789012"


# ---------------------------------------------------------------------------------------------
def h20_01() -> tuple[dict, dict]:
    s = Scn("h20-01-invoice-renderer-errors-before-release", 2001, "us-east-1", "2026-11-20T16:20:00",
            "Invoice PDFs failing for part of the customers; the invoice-renderer Errors alarm paged billing on-call.")
    fn, other, db = "invoice-renderer", "billing-webhooks", "billing-db"
    onset, deploy = -3180, -3000
    s.res("lambda", fn, runtime="python3.12", timeout=60, memory_size=1024, handler="app.handler",
          alias="live", environment={"TEMPLATE_BUCKET": "northwind-billing-templates",
                                     "BILLING_DB_HOST": f"{db}.cx1a2b3c4d5e.us-east-1.rds.amazonaws.com",
                                     "LOG_LEVEL": "INFO"})
    s.res("lambda", other, runtime="python3.12", timeout=15, memory_size=256, handler="webhooks.handler")
    s.res("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
          max_connections=1600, allocated_storage_gb=200)

    day = s.daily(0.25, 15.5)
    inv = s.counts(14 * day)
    p_bad = 0.45 * s.step(onset)
    err = s.binom(inv, p_bad)
    dur = s.gauge(1350 - 520 * p_bad, 60, lo=200)
    kit.lambda_metrics(s, fn, inv, err, dur)

    def version(t: float) -> str:
        return "42" if t >= deploy + 25 else "41"

    def ok(t: float, rid: str):
        inv_no = f"INV-2026-11-{int(s.rng.integers(40000, 52000)):07d}"
        acct = f"acct_{s.hexs(6)}"
        n = int(s.rng.integers(1, 9))
        d = float(s.rng.normal(1350, 260))
        body = [(0.004, lf.py(s, t, "INFO", rid, f"Rendering invoice {inv_no} account={acct} "
                              f"country={s.pick(['US', 'US', 'US', 'CA', 'GB', 'DE', 'FR'])} lines={n} tax_mode=standard"))]
        if s.rng.random() < 0.012:
            body.append((0.9, lf.py(s, t + 0.9, "WARNING", rid, "S3 GetObject templates/invoice_v7.html took 1.94 s "
                                    "(SlowDown), retrying with backoff")))
        if s.rng.random() < 0.006:
            body.append((0.2, lf.py(s, t + 0.2, "ERROR", rid, f"Invoice {inv_no} skipped: account {acct} is closed "
                                    "(status=closed_by_customer)")))
            return body, float(s.rng.normal(140, 20)), int(s.rng.integers(290, 330)), None
        key = f"s3://northwind-billing-invoices/2026/11/{inv_no}.pdf"
        body.append((d / 1000 - 0.03, lf.py(s, t + d / 1000 - 0.03, "INFO", rid,
                                             f"Stored {key} ({int(s.rng.integers(38, 160))} KiB, {n} pages)")))
        return body, d, int(s.rng.integers(330, 430)), None

    frames = [("/var/task/app.py", 64, "handler", "pdf_key = render_and_store(invoice)"),
              ("/var/task/renderer/pipeline.py", 88, "render_and_store",
               'totals = compute_totals(invoice["lines"], invoice["currency"])'),
              ("/var/task/renderer/totals.py", 41, "compute_totals",
               'tax = (net * line["vat_rate"]).quantize(CENT, rounding=ROUND_HALF_UP)')]

    def bad(t: float, rid: str):
        inv_no = f"INV-2026-11-{int(s.rng.integers(40000, 52000)):07d}"
        body = [(0.004, lf.py(s, t, "INFO", rid, f"Rendering invoice {inv_no} account=acct_{s.hexs(6)} "
                              f"country={s.pick(['DE', 'NL', 'FR', 'IE', 'AT', 'BE'])} "
                              f"lines={int(s.rng.integers(1, 6))} tax_mode=reverse_charge")),
                (0.11, lf.py_unhandled("TypeError", "unsupported operand type(s) for *: 'decimal.Decimal' and 'NoneType'",
                                       frames))]
        return body, float(s.rng.normal(125, 15)), int(s.rng.integers(300, 340)), "error"

    def banner(t: float, rid: str, ver: str) -> str:
        return lf.py(s, t, "INFO", rid, f"invoice-renderer {'2.18.1' if ver == '42' else '2.18.0'} cold start "
                     "(weasyprint 61.2, 14 fonts cached)")

    kit.lambda_logs(s, fn, inv, err, 0.22, ok, bad, "python3.12", 1024, version, envs=3, banner=banner)

    # the webhook receiver: steady, with its usual handled signature failures
    w_inv = s.counts(9 * day)
    kit.lambda_metrics(s, other, w_inv, np.zeros_like(w_inv), s.gauge(85, 9, lo=30))

    def w_ok(t: float, rid: str):
        body = [(0.003, lf.py(s, t, "INFO", rid, f"Received invoice.finalized evt_{s.hexs(14)}; queued for rendering"))]
        if s.rng.random() < 0.02:
            body = [(0.003, lf.py(s, t, "ERROR", rid, f"Signature verification failed for evt_{s.hexs(14)}: "
                                  "timestamp outside tolerance (412 s); responding 400"))]
        return body, float(s.rng.normal(85, 12)), int(s.rng.integers(88, 96)), None

    kit.lambda_logs(s, other, w_inv, np.zeros_like(w_inv), 0.25, w_ok, w_ok, "python3.12", 256, envs=2)

    kit.rds_metrics(s, db, s.gauge(22 * day, 2.5, lo=3), s.gauge(48 * day, 3, lo=5), s.gauge(141.2, 0.05),
                    s.gauge(9.4, 0.08), s.gauge(0.0011, 0.0002, lo=0.0004), s.gauge(0.0019, 0.0003, lo=0.0005))
    pg_events = []
    for t in np.arange(-21570, 0, 300.0):
        pg_events.append((t, lf.pg(s, t, "LOG", "checkpoint starting: time", pid=571)))
        pg_events.append((t + 27.3, lf.pg(s, t + 27.3, "LOG", f"checkpoint complete: wrote {int(s.rng.integers(600, 2400))} "
                                         f"buffers ({s.rng.uniform(0.4, 1.8):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; "
                                         f"write=26.912 s, sync=0.004 s, total=26.941 s", pid=571)))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", pg_events)

    s.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-billing")
    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gh-actions-billing")
    s.change(deploy + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, "gh-actions-billing")
    s.change(deploy + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, "gh-actions-billing")

    s.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
            description="invoice-renderer Lambda errors (billing on-call)", not_before=onset)
    doc = s.build(f"{fn}-errors", "application_error", [fn],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta = {"front": "origin", "decoys": "release of the same function (v42) 3 min after the first error; "
                     "handled 'account closed' errors and S3 SlowDown warnings all along; webhook receiver noise",
            "text": "Reverse-charge (EU B2B) invoices started arriving and `compute_totals` multiplies by a null "
                    "`vat_rate`, raising an unhandled TypeError for exactly those invoices. A new release of the same "
                    "function was published about three minutes after the first failure and just before the alarm, which "
                    "invites a bad_deployment call. It is not: the identical TypeError is already logged by version 41 "
                    "(START lines say `Version: 41`) before the alias moved to 42, the error ratio does not change across "
                    "the release, every failing invoice has `tax_mode=reverse_charge`, and the database is quiet. No change "
                    "precedes the onset and no resource or dependency is at fault, so the label is application_error on "
                    "invoice-renderer."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_02() -> tuple[dict, dict]:
    s = Scn("h20-02-session-broker-ttl-setting", 2002, "eu-west-1", "2026-11-20T09:10:00",
            "Logins and session refreshes failing for part of the users; session-broker Errors alarm in ALARM.")
    fn, janitor, api, api_id = "session-broker", "session-janitor", "auth-api", "q7w2e9r4t1"
    deploy, cfg = -3480, -2760
    s.res("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=256, handler="src/index.handler",
          environment={"SESSION_TABLE": "sessions-prod", "SESSION_TTL_SECONDS": "30m",
                       "REFRESH_GRACE_SECONDS": "120", "LOG_LEVEL": "info"})
    s.res("lambda", janitor, runtime="nodejs20.x", timeout=120, memory_size=256, handler="src/janitor.handler",
          environment={"SESSION_TABLE": "sessions-prod"})
    s.res("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL")

    day = s.daily(0.35, 11.0)
    req = s.counts(62 * day)
    writes = s.binom(req, 0.56)          # POST /sessions and /sessions/refresh read the TTL
    err = np.where(s.t >= cfg + 15, writes, 0.0)
    err = err + s.counts(0.015 * np.ones_like(s.t))   # the odd DynamoDB throttle that outlives its retries
    dur = s.gauge(38, 4, lo=12) * (1 + 0.03 * s.step(deploy))
    kit.lambda_metrics(s, fn, req, err, np.where(s.t >= cfg + 15, dur * 0.62, dur))
    kit.apigw_metrics(s, api, req + s.counts(4 * day), s.counts(1.8 * day), err, s.gauge(58, 6, lo=20),
                      s.gauge(44, 5, lo=12))

    def path_ok(t: float):
        return s.pick(["GET /sessions/validate", "POST /sessions", "POST /sessions/refresh"], [0.44, 0.26, 0.30])

    def ok(t: float, rid: str):
        route = path_ok(t)
        d = float(s.rng.gamma(6, 6.5))
        user = f"u_{s.hexs(10)}"
        if route.startswith("GET"):
            msg = f"session valid user={user} expires_in={int(s.rng.integers(30, 1790))}s"
        elif route.endswith("refresh"):
            msg = f"session refreshed user={user} ttl=1800s"
        else:
            msg = f"session created user={user} ttl=1800s mfa={s.pick(['none', 'totp', 'webauthn'])}"
        body = [(0.002, lf.node(s, t, "INFO", rid, f"{route} {msg}"))]
        if s.rng.random() < 0.01:
            body.append((0.003, lf.node(s, t, "WARN", rid, f"DynamoDB retry 1/3 for sessions-prod "
                                        "(ProvisionedThroughputExceededException on GSI user-index, absorbed by retry)")))
        return body, d, int(s.rng.integers(78, 92)), None

    stack = ["    at parseSeconds (/var/task/src/config.js:27:11)",
             "    at getSessionTtl (/var/task/src/config.js:44:10)",
             "    at issueSession (/var/task/src/sessions.js:63:19)",
             "    at Runtime.handler (/var/task/src/index.js:38:16)"]

    def bad(t: float, rid: str):
        if t < cfg + 15:
            emsg = ("Rate of requests exceeds the allowed throughput. (Service: DynamoDB, Status Code: 400, "
                    "Request ID: " + s.hexs(20).upper() + ")")
            return [(0.31, lf.node_invoke_error(s, t + 0.31, rid, "ProvisionedThroughputExceededException", emsg,
                                                ["    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/smithy-client/dist-cjs/index.js:838:20)",
                                                 "    at async putSession (/var/task/src/store.js:52:5)",
                                                 "    at async Runtime.handler (/var/task/src/index.js:41:7)"]))], \
                float(s.rng.normal(330, 30)), int(s.rng.integers(80, 92)), "error"
        emsg = 'SESSION_TTL_SECONDS must be a whole number of seconds, got "30m"'
        return [(0.004, lf.node_invoke_error(s, t + 0.004, rid, "RangeError", emsg, stack))], \
            float(s.rng.gamma(4, 3)), int(s.rng.integers(78, 90)), "error"

    def mixed_ok(t: float, rid: str):
        if t >= cfg + 15:  # after the change only reads succeed
            d = float(s.rng.gamma(6, 6.5))
            return [(0.002, lf.node(s, t, "INFO", rid, f"GET /sessions/validate session valid user=u_{s.hexs(10)} "
                                    f"expires_in={int(s.rng.integers(30, 1790))}s"))], d, int(s.rng.integers(78, 92)), None
        return ok(t, rid)

    def banner(t: float, rid: str, ver: str) -> str:
        build = "5.8.0" if t >= deploy + 20 else "5.7.3"
        return lf.node(s, t, "INFO", rid, f"session-broker {build} (node v20.18.0) cold start; "
                       "table=sessions-prod region=eu-west-1")

    kit.lambda_logs(s, fn, req, err, 0.055, mixed_ok, bad, "nodejs20.x", 256, envs=2, banner=banner,
                    recycle=(deploy + 20, cfg + 10))

    # janitor: every 5 minutes, with a long-standing conditional-check warning
    j_inv = np.where((s.t % 300) == 0, 1.0, 0.0)
    kit.lambda_metrics(s, janitor, j_inv, np.zeros_like(j_inv), np.where(j_inv > 0, s.gauge(2400, 300, lo=900), 0))

    def j_ok(t: float, rid: str):
        n = int(s.rng.integers(300, 2200))
        body = [(0.01, lf.node(s, t, "INFO", rid, f"sweeping expired sessions older than 1800s")),
                (2.1, lf.node(s, t + 2.1, "INFO", rid, f"deleted {n} expired sessions in 21 batches"))]
        if s.rng.random() < 0.4:
            body.append((2.0, lf.node(s, t + 2.0, "WARN", rid, f"{int(s.rng.integers(1, 7))} deletes skipped: "
                                      "ConditionalCheckFailedException (session refreshed during sweep)")))
        return body, float(s.rng.normal(2400, 250)), int(s.rng.integers(96, 120)), None

    kit.lambda_logs(s, janitor, j_inv, np.zeros_like(j_inv), 1.0, j_ok, j_ok, "nodejs20.x", 256, envs=1)

    # API Gateway access log (sampled)
    acc = []
    n_log, n_bad = s.sample_minutes(req, err, 0.05)
    for i, (n, b) in enumerate(zip(n_log, n_bad)):
        for k in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            failed = k < b
            route = s.pick(["POST /sessions", "POST /sessions/refresh"]) if failed else path_ok(tt)
            m, p = route.split(" ")
            acc.append((tt, lf.apigw_access(s, tt, s.uuid(), s.ip("81.2"), m, p, 502 if failed else 200,
                                            int(s.rng.integers(20, 90)), "200", str(int(s.rng.integers(10, 70))),
                                            "Internal server error" if failed else "-")))
    s.log(f"/aws/apigateway/{api}/access", "prod", acc)

    s.change(-15800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", janitor, "terraform-cloud")
    s.change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "github-actions-identity")
    s.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "m.kovacs")

    s.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
            description="session-broker unhandled errors", not_before=cfg)
    doc = s.build(f"{fn}-errors", "config_change", [fn],
                  [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    meta = {"front": "origin", "decoys": "code release of the same function 12 min earlier (served cleanly); "
                     "janitor's standing ConditionalCheckFailed warnings; old janitor config change",
            "text": "A new build of session-broker (5.8.0) went out and served for twelve minutes with no new "
                    "errors. Then an engineer edited the function's environment and set `SESSION_TTL_SECONDS` to `30m`; "
                    "from the next invocation every session create/refresh throws a RangeError that names that setting and "
                    "that value, while validations keep working. Both a deployment and a configuration change sit before "
                    "the onset; the errors begin with the configuration change and name the setting, and the format's "
                    "tie-break says a config change beats a deployment. Label: config_change on session-broker."}
    return doc, meta
