"""Lambda-origin incidents: bad deploy, DynamoDB throttling, OOM, IAM detach."""
from __future__ import annotations

import numpy as np

from .common import ACCOUNT, N, Scenario, alarm, change, counts, daily, gauss, hexid, lognorm, ramp, step
from .services import lambda_logs, lambda_set, node_line, py_error, py_info, py_warn


def _split_errors(rng, inv, rate):
    return np.array([rng.binomial(int(n), min(1.0, max(0.0, p))) for n, p in zip(inv, rate)], dtype=float)


def s02_invoice_deploy() -> Scenario:
    s = Scenario("h12-02-invoice-renderer-deploy", "eu-central-1",
                 "Invoice rendering failing for some customers; Lambda Errors alarm paged billing on-call.", 1202)
    rng = s.rng
    s.resource("lambda", "invoice-renderer", runtime="nodejs20.x", timeout=30, memory_size=1024)
    s.resource("lambda", "pdf-archiver", runtime="nodejs20.x", timeout=60, memory_size=512)
    deploy = -2400
    inv = counts(rng, daily(rng, 17))
    rate = 0.38 * step(deploy + 50)
    err = _split_errors(rng, inv, rate)
    dur = lognorm(rng, 420, 0.12) * (1 - 0.3 * step(deploy + 50) * (err / np.maximum(inv, 1)))
    m = lambda_set(s, "invoice-renderer", inv, err, dur=dur)

    def body(rng, t, r, failed, i):
        inv_no = f"INV-2026-{rng.integers(100000, 999999)}"
        lines = [(0.0, node_line(t, r, "INFO", f"Rendering invoice {inv_no} for tenant t-{rng.integers(100, 990)}"))]
        if failed:
            lines.append((0.15, node_line(t + 0.15, r, "ERROR", 'Invoke Error \t{"errorType":"TypeError",'
                          '"errorMessage":"Cannot read properties of undefined (reading \'lineItems\')",'
                          '"stack":["TypeError: Cannot read properties of undefined (reading \'lineItems\')",'
                          '"    at renderTotals (/var/task/src/render/totals.js:88:31)",'
                          '"    at renderInvoice (/var/task/src/render/index.js:41:5)",'
                          '"    at Runtime.handler (/var/task/index.js:27:18)"]}')))
            return lines, float(rng.uniform(140, 260)), rng.integers(150, 175), None
        d = float(rng.lognormal(np.log(420), 0.15))
        lines.append((d / 1000 - 0.02, node_line(t + d / 1000, r, "INFO",
                      f"Rendered {inv_no} pages={rng.integers(1, 5)} bytes={rng.integers(30000, 90000)}")))
        return lines, d, rng.integers(160, 210), None

    lambda_logs(s, "invoice-renderer", inv, err, 1024, body)
    # neighbour: chatty S3 retry warnings at a constant rate, a config change 10 minutes before the deploy
    inv2 = counts(rng, 6)
    err2 = counts(rng, 0.05)
    lambda_set(s, "pdf-archiver", inv2, err2, dur_ms=1800)

    def body2(rng, t, r, failed, i):
        lines = []
        if rng.random() < 0.35:
            lines.append((0.3, node_line(t + 0.3, r, "WARN", "S3 PutObject SlowDown: Please reduce your request rate. retrying attempt=1")))
        if failed:
            lines.append((1.2, node_line(t + 1.2, r, "ERROR", 'Invoke Error \t{"errorType":"NoSuchKey","errorMessage":"The specified key does not exist."}')))
        else:
            lines.append((1.5, node_line(t + 1.5, r, "INFO", f"Archived invoices/{hexid(rng, 12)}.pdf")))
        return lines, float(rng.lognormal(np.log(1800), 0.2)), rng.integers(120, 140), None

    lambda_logs(s, "pdf-archiver", inv2, err2, 512, body2)
    s.changes += [change(deploy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-renderer", "gitlab-ci"),
                  change(deploy + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "invoice-renderer", "gitlab-ci"),
                  change(deploy + 25, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "invoice-renderer", "gitlab-ci"),
                  change(-3000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "pdf-archiver", "j.keller"),
                  change(-16800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "pdf-archiver", "gitlab-ci")]
    s.alarms.append(alarm("invoice-renderer-errors", m["Errors"], "Sum", 60, 3, 3, description="Invoice renderer Lambda errors"))
    s.expect = {"alarm": "invoice-renderer-errors", "root_cause": {"category": "bad_deployment", "resource": ["invoice-renderer"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "invoice-renderer"}}]}
    s.meta = dict(front=False, decoys="pdf-archiver config change 10 min before the deploy; pdf-archiver S3 SlowDown warnings at a constant rate",
                  story="A new invoice-renderer build (UpdateFunctionCode + PublishVersion + UpdateAlias by gitlab-ci at -40 min) "
                        "reads `invoice.lineItems` from a field that older invoices do not carry; about 38 % of renders fail with a new "
                        "Node TypeError that never appeared before the deploy. The neighbouring pdf-archiver had a configuration change "
                        "ten minutes earlier and logs S3 SlowDown retries all day; neither changes after onset.")
    return s


def s07_session_ddb_throttle() -> Scenario:
    s = Scenario("h12-07-session-writer-ddb-throughput", "ap-northeast-1",
                 "Login sessions intermittently failing to persist; session-writer Errors alarm.", 1207)
    rng = s.rng
    s.resource("lambda", "session-writer", runtime="python3.11", timeout=10, memory_size=256,
               environment={"TABLE_NAME": "sessions", "LOG_LEVEL": "INFO"})
    s.resource("lambda", "session-sweeper", runtime="python3.11", timeout=300, memory_size=256)
    onset = -1860
    load = daily(rng, 22, 0.05) * (1 + 0.45 * ramp(-3300, -1500))     # Tokyo morning login peak
    inv = counts(rng, load)
    p = 0.33 * ramp(onset, onset + 400)
    err = _split_errors(rng, inv, p)
    dur = lognorm(rng, 38, 0.15) + (err / np.maximum(inv, 1)) * 2600 + p * 400
    m = lambda_set(s, "session-writer", inv, err, dur=dur)
    tb = ("Traceback (most recent call last):\n  File \"/var/task/app.py\", line 31, in handler\n    table.put_item(Item=item)\n"
          "  File \"/var/lang/lib/python3.11/site-packages/boto3/resources/factory.py\", line 580, in do_action\n"
          "    response = action(self, *args, **kwargs)\n"
          "  File \"/var/lang/lib/python3.11/site-packages/botocore/client.py\", line 1009, in _make_api_call\n"
          "    raise error_class(parsed_response, operation_name)\n")
    msg = ("botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred (ProvisionedThroughputExceededException) "
           "when calling the PutItem operation (reached max retries: 9): The level of configured provisioned throughput for the "
           "table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")

    def body(rng, t, r, failed, i):
        lines = [(0.0, py_info(r, f"Persisting session for user u{rng.integers(10**6, 10**7)} ttl=86400"))]
        if rng.random() < 0.12:
            lines.append((0.001, py_warn(r, "client did not send SameSite attribute on session cookie; defaulting to Lax")))
        if failed:
            lines.append((2.5, py_error(r, f"{msg}\n{tb}{msg}")))
            return lines, float(rng.uniform(2400, 3100)), rng.integers(88, 96), None
        d = float(rng.lognormal(np.log(38 + 400 * p[i]), 0.3))
        lines.append((d / 1000, py_info(r, "Session stored")))
        return lines, d, rng.integers(84, 92), None

    lambda_logs(s, "session-writer", inv, err, 256, body)
    inv2 = np.zeros(N)
    inv2[::5] = 1
    lambda_set(s, "session-sweeper", inv2, dur=np.where(inv2 > 0, lognorm(rng, 14000, 0.1), 0), conc=inv2.copy())

    def body2(rng, t, r, failed, i):
        d = float(rng.lognormal(np.log(14000), 0.1))
        return [(d / 1000 - 0.1, py_info(r, f"Swept {rng.integers(150, 320)} expired sessions (scan pages=3)"))], d, rng.integers(101, 110), None

    lambda_logs(s, "session-sweeper", inv2, np.zeros(N), 256, body2)
    s.changes += [change(-2580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "session-sweeper", "github-actions"),
                  change(-19500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "session-writer", "github-actions")]
    s.alarms.append(alarm("session-writer-errors", m["Errors"], "Sum", 60, 3, 5))
    s.expect = {"alarm": "session-writer-errors", "root_cause": {"category": "throttling", "resource": ["session-writer", "sessions"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "session-writer"}}]}
    s.meta = dict(front=False, decoys="session-sweeper code deploy 12 min before onset (its behaviour unchanged); SameSite cookie warnings at a constant rate; session-writer own deploy 5 h earlier",
                  story="The Tokyo morning login peak (+45 % invocations) pushes writes past the provisioned WCU of the DynamoDB "
                        "`sessions` table (not modelled as a resource). PutItem calls fail with ProvisionedThroughputExceededException "
                        "after botocore's retries, so Duration and Errors climb together. A deploy of session-sweeper twelve minutes "
                        "before onset is a real change on a neighbour; its output is identical before and after.")
    return s


def s12_report_oom() -> Scenario:
    s = Scenario("h12-12-report-export-heap", "us-west-2",
                 "CSV report exports failing for large tenants; report-export Errors alarm.", 1212)
    rng = s.rng
    s.resource("lambda", "report-export", runtime="nodejs20.x", timeout=120, memory_size=1024)
    s.resource("lambda", "report-scheduler", runtime="nodejs20.x", timeout=30, memory_size=256)
    onset = -2160
    inv = counts(rng, daily(rng, 4.0, 0.2) * (1 + 0.25 * ramp(-4000, -2500)))
    big = 0.45 * ramp(onset, onset + 300)             # month-end exports of the largest tenants
    err = _split_errors(rng, inv, big)
    dur = lognorm(rng, 9000, 0.15) * (1 + 0.8 * big)
    m = lambda_set(s, "report-export", inv, err, dur=dur)

    def body(rng, t, r, failed, i):
        tenant = rng.choice(["acme-global", "northwind", "contoso-eu", "globex", "initech"])
        rows = int(rng.integers(20000, 180000))
        lines = [(0.0, node_line(t, r, "INFO", f"Export started tenant={tenant} report=ledger-monthly"))]
        if rng.random() < 0.2:
            lines.append((0.5, node_line(t + 0.5, r, "WARN", "Slow query on exports_view took 2314ms")))
        if failed:
            d = float(rng.uniform(14000, 26000))
            lines += [(d / 1000 - 0.5, node_line(t + d / 1000, r, "INFO", f"Buffered {rows * 9} rows for tenant={tenant}")),
                      (d / 1000 - 0.05, "\n<--- Last few GCs --->\n\n[8:0x6e1c2b0]    21234 ms: Mark-Compact 1001.8 (1013.2) -> 998.4 (1012.7) MB, "
                       "1312.48 / 0.00 ms  (average mu = 0.121, current mu = 0.019) allocation failure; scavenge might not succeed\n\n"
                       "<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"),
                      (d / 1000 - 0.01, f"{node_line(t + d / 1000, r, 'ERROR', 'Error: Runtime exited with error: signal: aborted (core dumped)')}"
                       "\nRuntime.ExitError")]
            return lines, d, 1024, "oom"
        d = float(rng.lognormal(np.log(9000), 0.2))
        lines.append((d / 1000 - 0.05, node_line(t + d / 1000, r, "INFO", f"Export finished tenant={tenant} rows={rows} s3://exports-prod/{hexid(rng, 16)}.csv.gz")))
        return lines, d, int(min(1010, 260 + rows / 300 + rng.integers(0, 40))), None

    lambda_logs(s, "report-export", inv, err, 1024, body)
    inv2 = counts(rng, 1.0)
    lambda_set(s, "report-scheduler", inv2, dur_ms=350)

    def body2(rng, t, r, failed, i):
        lines = [(0.05, node_line(t, r, "WARN", "tenant timezone missing, defaulting to UTC"))] if rng.random() < 0.5 else []
        lines.append((0.2, node_line(t, r, "INFO", f"Enqueued {rng.integers(1, 6)} export jobs")))
        return lines, float(rng.lognormal(np.log(350), 0.2)), rng.integers(80, 90), None

    lambda_logs(s, "report-scheduler", inv2, np.zeros(N), 256, body2)
    s.changes += [change(-2760, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "report-scheduler", "m.ortega"),
                  change(-20400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "report-export", "codepipeline")]
    s.alarms.append(alarm("report-export-errors", m["Errors"], "Sum", 300, 2, 3, description="report-export failures"))
    s.expect = {"alarm": "report-export-errors", "root_cause": {"category": "memory_exhaustion", "resource": ["report-export"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "report-export"}}]}
    s.meta = dict(front=False, decoys="report-scheduler configuration change 10 min before onset; constant 'Slow query' and timezone warnings; report-export deploy 5.7 h earlier",
                  story="Month-end exports for the largest tenants buffer the whole CSV in memory; the Node heap reaches the "
                        "1024 MB function limit and the runtime aborts (`JavaScript heap out of memory`, REPORT `Status: error "
                        "Error Type: Runtime.OutOfMemory`, Max Memory Used 1024 MB). The report-scheduler configuration change "
                        "shortly before is real but unrelated; the code deploy was hours earlier with clean runs since.")
    return s


def s17_mailer_iam() -> Scenario:
    s = Scenario("h12-17-statement-mailer-iam", "eu-north-1",
                 "Monthly statements not being emailed; statement-mailer Errors alarm.", 1217)
    rng = s.rng
    s.resource("lambda", "statement-mailer", runtime="python3.12", timeout=30, memory_size=256)
    s.resource("lambda", "statement-builder", runtime="python3.12", timeout=120, memory_size=1024)
    iam_t = -1800
    inv = counts(rng, daily(rng, 12, 0.1))
    err = np.where(np.arange(N) >= (iam_t + 21600) // 60 + 1, inv, 0).astype(float)
    err = np.where(np.arange(N) == (iam_t + 21600) // 60, np.floor(inv * 0.5), err)
    m = lambda_set(s, "statement-mailer", inv, err, dur_ms=240)
    exc = (f"An error occurred (AccessDenied) when calling the SendRawEmail operation: User `arn:aws:sts::{ACCOUNT}:assumed-role/"
           f"statement-mailer-role/statement-mailer' is not authorized to perform `ses:SendRawEmail' on resource "
           f"`arn:aws:ses:eu-north-1:{ACCOUNT}:identity/statements.nordbank.example'")

    def body(rng, t, r, failed, i):
        acct = f"SE{rng.integers(10**9, 10**10)}"
        lines = [(0.0, py_info(r, f"Sending statement 2026-10 for account {acct}"))]
        if failed:
            lines.append((0.09, (f"[ERROR] ClientError: {exc}\nTraceback (most recent call last):\n"
                          "  File \"/var/task/mailer.py\", line 58, in handler\n    ses.send_raw_email(RawMessage={'Data': msg.as_bytes()})\n"
                          "  File \"/var/runtime/botocore/client.py\", line 565, in _api_call\n    return self._make_api_call(operation_name, kwargs)\n"
                          "  File \"/var/runtime/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)\n"
                          f"botocore.exceptions.ClientError: {exc}")))
            return lines, float(rng.uniform(90, 140)), rng.integers(90, 96), None
        d = float(rng.lognormal(np.log(240), 0.2))
        lines.append((d / 1000 - 0.01, py_info(r, f"Sent MessageId 0109019{hexid(rng, 10)}-{rid_short(rng)}-000000")))
        return lines, d, rng.integers(92, 99), None

    lambda_logs(s, "statement-mailer", inv, err, 256, body)
    inv2 = counts(rng, 3)
    err2 = counts(rng, 0.08)
    lambda_set(s, "statement-builder", inv2, err2, dur_ms=8500)

    def body2(rng, t, r, failed, i):
        lines = [(0.1, py_warn(r, "FX rate for SEK/NOK older than 24h; using cached value"))]
        if failed:
            lines.append((3.0, py_error(r, "ValueError: statement period 2026-10 has no closing balance for sub-account\n"
                          "Traceback (most recent call last):\n  File \"/var/task/builder.py\", line 140, in build\n"
                          "    raise ValueError(\"statement period %s has no closing balance for sub-account\" % period)")))
        else:
            lines.append((7.0, py_info(r, f"Built statement pdf size={rng.integers(40, 300)}KB")))
        return lines, float(rng.lognormal(np.log(8500), 0.15)), rng.integers(300, 420), None

    lambda_logs(s, "statement-builder", inv2, err2, 1024, body2)
    s.changes += [change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-builder", "github-actions"),
                  change(iam_t, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "statement-mailer-role", "terraform-ci"),
                  change(iam_t + 8, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "statement-mailer-role", "terraform-ci")]
    s.alarms.append(alarm("statement-mailer-errors", m["Errors"], "Sum", 60, 3, 5))
    s.expect = {"alarm": "statement-mailer-errors", "root_cause": {"category": "permission_denied",
                                                                     "resource": ["statement-mailer", "statement-mailer-role"]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "statement-mailer"}}]}
    s.meta = dict(front=False, decoys="statement-builder code deploy 6 min before the IAM change; builder's constant FX warnings and rare ValueErrors",
                  story="A Terraform refactor replaced the mailer role's inline SES policy with a managed policy that lacks "
                        "`ses:SendRawEmail` (DetachRolePolicy + AttachRolePolicy on statement-mailer-role). Every send now fails "
                        "with AccessDenied. statement-builder was deployed six minutes earlier and keeps working as before.")
    return s


def rid_short(rng):
    return f"{hexid(rng, 8)}-{hexid(rng, 4)}-{hexid(rng, 4)}"


CASES = [s02_invoice_deploy, s07_session_ddb_throttle, s12_report_oom, s17_mailer_iam]
