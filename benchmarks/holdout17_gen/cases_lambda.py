"""Cases whose fault originates in a Lambda function (01-03)."""
from __future__ import annotations

import json

import numpy as np

from .core import Case
from .families import Call, apigw_metrics, lambda_metrics, per_minute, simulate, rds_metrics
from .logfmt import (LambdaLogs, apigw_access, java_line, node_invoke_error, node_line, py_line, py_unhandled,
                     timeout_line)

LOG_FROM = -10800  # logs cover the last three hours, as in the public examples


def _lambda_deploy(c: Case, t: float, fn: str, user: str, alias: str | None = None) -> None:
    c.change(t, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, user)
    c.change(t + 14, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn, user)
    if alias:
        c.change(t + 27, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", fn, user)


# ---------------------------------------------------------------- 01
def case01() -> Case:
    c = Case(1, "bookings-api-5xx", "ap-southeast-2", 1701, "2026-03-17T03:40:00",
             "Bookings API 5XX alarm paged on-call; a few guests say the booking page shows 'Something went wrong'.")
    api, api_id = "bookings-api", "k7x2m9q4ab"
    c.resource("apigateway", api, api_id=api_id, stage="prod", endpoint_type="REGIONAL")
    c.resource("lambda", "booking-create", runtime="nodejs20.x", timeout=10, memory_size=1024, alias="live",
               handler="src/handler.create")
    c.resource("lambda", "booking-search", runtime="nodejs20.x", timeout=6, memory_size=512)
    c.resource("lambda", "availability-sync", runtime="python3.12", timeout=120, memory_size=512,
               schedule="rate(5 minutes)")
    alias_flip = -2160
    _lambda_deploy(c, -17487, "booking-create", "gha-bookings-deploy", alias="live")
    _lambda_deploy(c, alias_flip - 27, "booking-create", "gha-bookings-deploy", alias="live")
    c.change(-2830, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "availability-sync", "r.chen")

    base = c.diurnal(15.0, 0.45, peak_hour=4.5) * (1 + 0.05 * c.walk(len(c.t), 1.0))
    plans = ["BAR", "ADV", "CORP", "GOV", "PKG"]
    props = [f"P-{n}" for n in (1042, 1077, 1103, 1188, 2231, 2240, 3012, 3090)]

    def create(t: float) -> Call:
        plan = c.pick(plans, p=[0.52, 0.14, 0.2, 0.06, 0.08])
        if c.rng.random() < 0.035:
            return Call(t, float(c.rng.uniform(35, 70)), kind="invalid", data={"plan": plan})
        if t >= alias_flip and plan in ("CORP", "GOV"):
            return Call(t, float(c.rng.uniform(60, 140)), True, "typeerror", {"plan": plan})
        return Call(t, float(c.rng.lognormal(np.log(205), 0.3)), data={"plan": plan})

    def search(t: float) -> Call:
        return Call(t, float(c.rng.lognormal(np.log(88), 0.35)), kind="404" if c.rng.random() < 0.012 else "ok")

    creates = simulate(c, base, create)
    searches = simulate(c, base * 4.1, search)
    ca, sa = per_minute(c, creates), per_minute(c, searches)
    lambda_metrics(c, "booking-create", ca)
    lambda_metrics(c, "booking-search", sa)

    # availability-sync: every five minutes; one run in nine fails against the channel manager (long-standing)
    syncs = []
    for k, t in enumerate(np.arange(-21600 + 2.0, -1, 300)):
        bad = (k % 9) == 4
        syncs.append(Call(float(t), float(c.rng.uniform(31000, 52000)), bad, "cm503" if bad else "ok"))
    lambda_metrics(c, "availability-sync", per_minute(c, syncs))

    n = len(c.t)
    count = ca["Invocations"] + sa["Invocations"] + c.poisson(0.6)
    e4 = np.array([0.0] * n)
    e5 = c.poisson(0.03)
    lat_sum, lat_n = np.zeros(n), np.zeros(n)
    for k in creates + searches:
        i = int((k.t - c.t[0]) // 60)
        e4[i] += k.kind in ("invalid", "404")
        e5[i] += k.error
        lat_sum[i] += k.duration_ms
        lat_n[i] += 1
    e4 += c.poisson(0.6)  # unauthenticated calls rejected by the authorizer
    integ = lat_sum / np.maximum(lat_n, 1)
    apigw_metrics(c, api, count, e4, e5, integ + c.rng.uniform(9, 16, n), integ + c.rng.uniform(2, 5, n))

    # ---- logs
    ll = LambdaLogs(c, "booking-create", 1024)
    access: list[tuple[float, str]] = []
    for k in creates:
        if k.t < LOG_FROM:
            continue
        ver = "57" if k.t >= alias_flip else "56"
        if ver == "57":
            ll.retire("56")
        plan = k.data["plan"]
        prop = c.pick(props)
        nights = int(c.rng.integers(1, 8))
        req = json.dumps({"propertyId": prop, "checkIn": f"2026-04-{int(c.rng.integers(1, 29)):02d}",
                          "nights": nights, "ratePlan": plan, "channel": c.pick(["web", "ios", "android"])})
        if c.rng.random() < 0.3:
            def body(rid, s, k=k, req=req, nights=nights):
                out = [(0.004, node_line(c, s + 0.004, rid, "INFO", f"Creating booking {req}"))]
                if k.kind == "invalid":
                    out.append((0.02, node_line(c, s + 0.02, rid, "WARN",
                                                "Validation failed for booking request: checkOut must be after checkIn")))
                elif k.error:
                    out.append((k.duration_ms / 1000 - 0.005, node_invoke_error(
                        c, s + k.duration_ms / 1000 - 0.005, rid, "TypeError",
                        "Cannot read properties of undefined (reading 'currency')",
                        ["    at applyPromotion (/var/task/src/pricing/promotions.js:48:31)",
                         "    at priceBooking (/var/task/src/pricing/index.js:112:18)",
                         "    at async createBooking (/var/task/src/bookings/create.js:57:17)",
                         "    at async Runtime.create [as handler] (/var/task/src/handler.js:37:21)"])))
                else:
                    total = nights * float(c.rng.uniform(140, 420))
                    ref = "BK-" + c.hex(6).upper()
                    out.append((k.duration_ms / 1000 - 0.01, node_line(
                        c, s + k.duration_ms / 1000 - 0.01, rid, "INFO", f"Booking {ref} confirmed total={total:.2f} AUD")))
                return out
            ll.invoke(k.t, body, k.duration_ms, int(c.rng.integers(148, 189)), version=ver)
        if c.rng.random() < 0.06:
            status = 400 if k.kind == "invalid" else (502 if k.error else 201)
            access.append((k.t + k.duration_ms / 1000 + 0.01, apigw_access(
                c, k.t, c.uuid(), c.ip("203.0"), "POST", "/bookings", status, 36 if k.error else 412,
                int(k.duration_ms) + 2, int(k.duration_ms) + 11, "Internal server error" if k.error else "-")))
    ll.flush()
    sl = LambdaLogs(c, "booking-search", 512)
    for k in searches:
        if k.t < LOG_FROM:
            continue
        if c.rng.random() < 0.045:
            q = f"?propertyId={c.pick(props)}&from=2026-04-{int(c.rng.integers(1, 29)):02d}&nights={int(c.rng.integers(1, 6))}"
            msg = (f"No availability found for {q}" if k.kind == "404" else
                   f"Search {q} returned {int(c.rng.integers(1, 14))} rate plans")
            sl.invoke(k.t, lambda rid, s, msg=msg: [(0.003, node_line(c, s + 0.003, rid, "INFO", msg))],
                      k.duration_ms, int(c.rng.integers(96, 121)))
        if c.rng.random() < 0.015:
            st = 404 if k.kind == "404" else 200
            access.append((k.t + k.duration_ms / 1000 + 0.01, apigw_access(
                c, k.t, c.uuid(), c.ip("203.0"), "GET", "/availability", st, 2300, int(k.duration_ms) + 2,
                int(k.duration_ms) + 10)))
    sl.flush()
    al = LambdaLogs(c, "availability-sync", 512)
    for k in syncs:
        if k.t < LOG_FROM:
            continue

        def sbody(rid, s, k=k):
            out = [(0.01, py_line(c, s + 0.01, rid, "INFO", "Pulling availability from channel manager for 8 properties"))]
            if k.error:
                out.append((k.duration_ms / 1000 - 0.2, py_unhandled(
                    "ChannelManagerError", "SiteMinder returned HTTP 503 for property P-2231 (attempt 3/3)",
                    [("/var/task/app.py", 31, "handler", "sync_property(p)"),
                     ("/var/task/sync/channel.py", 88, "sync_property", "raise ChannelManagerError(msg)")])))
            else:
                out.append((k.duration_ms / 1000 - 0.2, py_line(
                    c, s + k.duration_ms / 1000 - 0.2, rid, "INFO",
                    f"Synced 8 properties, {int(c.rng.integers(300, 900))} inventory rows updated")))
            return out
        al.invoke(k.t, sbody, k.duration_ms, int(c.rng.integers(210, 260)))
    al.flush()
    c.log(f"/aws/apigateway/{api}/prod/access", c.hex(32), access)

    c.alarm("bookings-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3,
            description="Bookings API server errors", want="ALARM")
    c.alarm("booking-create-duration", "AWS/Lambda", "Duration", {"FunctionName": "booking-create"}, "Average",
            300, 2, 2500, want="OK")
    c.alarm("availability-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "availability-sync"}, "Sum",
            900, 2, 1, comparison="GreaterThanOrEqualToThreshold", want="OK")
    c.set_expect("bookings-api-5xx", "bad_deployment", ["booking-create"],
                 [("AWS/Lambda", "Errors", {"FunctionName": "booking-create"}),
                  ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    c.meta = dict(front="front door (API Gateway)", decoys=(
        "older deploy of booking-create 4.3 h earlier with no errors after it; config change on availability-sync "
        "11 min before the deploy; availability-sync's long-standing channel-manager failures; steady 400s"),
        story=(
        "A CI deploy published booking-create v57 and moved the `live` alias at about -36 min. From then, corporate "
        "and government rate-plan bookings fail with a new Node `TypeError: Cannot read properties of undefined "
        "(reading 'currency')` in `applyPromotion`; API Gateway returns 502, so its 5XXError alarm fires. The error "
        "signature exists only in the v57 log streams; the earlier v56 deploy had no such errors, availability-sync's "
        "config change and its periodic 503 failures don't touch the booking path, and the 400 validation warnings "
        "run at the same rate throughout."))
    return c


# ---------------------------------------------------------------- 02
def case02() -> Case:
    c = Case(2, "statement-renderer-errors", "eu-central-1", 1702, "2026-03-31T21:50:00",
             "Statement rendering errors alarm is firing during the month-end run.")
    fn = "statement-renderer"
    c.resource("lambda", fn, runtime="java17", timeout=60, memory_size=2048, handler=
               "com.kontor.statements.StatementHandler::handleRequest", event_source="sqs:statement-render-jobs",
               sqs_maximum_concurrency=4)
    c.resource("lambda", "fx-rates-poller", runtime="python3.12", timeout=30, memory_size=256,
               schedule="rate(1 minute)")
    c.resource("rds", "ledger-db", engine="postgres", engine_version="15.6", instance_class="db.r6g.xlarge",
               max_connections=1700, allocated_storage_gb=800)
    _lambda_deploy(c, -2950, "fx-rates-poller", "jenkins-treasury")

    # month-end queue worked largest-last by four SQS pollers; on-demand statements from the app in between
    calls: list[Call] = []
    for w in range(4):
        t = -21600 + float(c.rng.uniform(0, 20))
        while t < -1:
            pages = int(max(3, c.rng.lognormal(np.log(38 * np.exp((t + 21600) / 6700)), 0.22)))
            d = 1400 + pages * float(c.rng.uniform(82, 96))
            if c.rng.random() < 0.0045:
                calls.append(Call(t, float(c.rng.uniform(700, 1100)), True, "noledger", {"pages": 0, "w": w}))
                t += 1.3
                continue
            if d >= 60000:
                calls.append(Call(t, 60000.0 + float(c.rng.uniform(10, 70)), True, "timeout", {"pages": pages}))
                t += 60.2 + float(c.rng.uniform(0.05, 0.4))
            else:
                calls.append(Call(t, d, data={"pages": pages}))
                t += d / 1000 + float(c.rng.uniform(0.05, 0.4))
    calls += simulate(c, c.diurnal(0.9, 0.5, peak_hour=18),
                      lambda t: Call(t, float(c.rng.uniform(1900, 5200)), kind="ondemand",
                                     data={"pages": int(c.rng.integers(3, 14))}))
    calls.sort(key=lambda k: k.t)
    lambda_metrics(c, fn, per_minute(c, calls))
    fx = simulate(c, np.full(len(c.t), 1.0), lambda t: Call(t, float(c.rng.uniform(300, 700))))
    lambda_metrics(c, "fx-rates-poller", per_minute(c, fx))
    n = len(c.t)
    wob = c.walk(n, 0.8)
    rds_metrics(c, "ledger-db", c.diurnal(21, 0.15, 18) + wob + c.rng.normal(0, 1.5, n),
                np.round(c.diurnal(180, 0.1, 18) + c.rng.normal(0, 6, n)), np.full(n, 412.7e9) - np.arange(n) * 2.1e6,
                np.full(n, 11.2e9) + c.rng.normal(0, 1.1e8, n), np.abs(c.rng.normal(0.0011, 0.0002, n)),
                np.abs(c.rng.normal(0.0019, 0.0003, n)), c.diurnal(820, 0.2, 18) + c.rng.normal(0, 40, n))

    ll = LambdaLogs(c, fn, 2048)
    for k in calls:
        if k.t < LOG_FROM or c.rng.random() > 0.42:
            continue
        acct = f"A{int(c.rng.integers(10000, 99999))}"
        pages = k.data.get("pages", 0)
        kind = "ON_DEMAND" if k.kind == "ondemand" else "MONTH_END"

        def body(rid, s, k=k, acct=acct, pages=pages, kind=kind):
            J = lambda dt, lvl, lg, m: (dt, java_line(c, s + dt, rid, lvl, lg, m))  # noqa: E731
            out = [J(0.02, "INFO", "StatementHandler", "Received 1 message(s) from statement-render-jobs"),
                   J(0.03, "INFO", "StatementHandler",
                     f"Rendering statement stmt_2026_03_{acct} account={acct} period=2026-03 type={kind}")]
            if k.kind == "noledger":
                out.append(J(0.6, "ERROR", "StatementHandler", f"No ledger entries for account {acct} in period 2026-03"))
                out.append((0.61, f"java.lang.IllegalStateException: No ledger entries for account {acct} in period "
                            "2026-03\n\tat com.kontor.statements.LedgerClient.load(LedgerClient.java:88)\n\tat "
                            "com.kontor.statements.StatementHandler.handleRequest(StatementHandler.java:54)"))
                return out
            entries = pages * int(c.rng.integers(28, 36))
            load = 0.05 + entries / 21000
            out.append(J(0.1 + load, "INFO", "LedgerClient", f"Loaded {entries} ledger entries from ledger-db in {load:.2f} s"))
            out.append(J(0.2 + load, "WARN", "FontMapper",
                         "Font 'Helvetica-Oblique' not embedded, substituting LiberationSans-Italic"))
            total = k.duration_ms / 1000
            step = 100
            for p in range(step, pages, step):
                at = 0.3 + load + p * (total - 1.4) / pages
                if at >= total - 0.2:
                    break
                out.append(J(at, "INFO", "PdfRenderer", f"Rendered page {p}/{pages} (elapsed {at:.1f} s)"))
            if k.kind == "timeout":
                out.append((total - 0.01, timeout_line(c, s + total - 0.01, rid, total)))
            else:
                out.append(J(total - 0.3, "INFO", "PdfRenderer", f"Rendered {pages} pages in {total - 1.2:.2f} s"))
                out.append(J(total - 0.05, "INFO", "StatementStore",
                             f"Uploaded s3://kontor-statements-eu/2026/03/{acct}.pdf ({pages * 61} KB)"))
            return out
        used = int(min(1710, 420 + pages * 1.3 + c.rng.integers(0, 40)))
        ll.invoke(k.t, body, k.duration_ms, used, status="timeout" if k.kind == "timeout" else None,
                  init_ms=(2600, 3900))
    ll.flush()
    fl = LambdaLogs(c, "fx-rates-poller", 256)
    for k in fx:
        if k.t >= -5400 and c.rng.random() < 0.5:
            fl.invoke(k.t, lambda rid, s: [(0.2, py_line(c, s + 0.2, rid, "INFO",
                      f"ECB reference rates fetched: 31 currencies, EURUSD={c.rng.uniform(1.081, 1.086):.4f}"))],
                      k.duration_ms, int(c.rng.integers(71, 84)))
    fl.flush()
    pg = []
    for t in np.arange(-21600 + 37.0, -1, 300):
        pg.append((float(t), f"{c.stamp(float(t), '%Y-%m-%d %H:%M:%S')} UTC::@:[611]:LOG:  checkpoint starting: time"))
        pg.append((float(t) + 41, f"{c.stamp(float(t) + 41, '%Y-%m-%d %H:%M:%S')} UTC::@:[611]:LOG:  checkpoint complete: "
                   f"wrote {int(c.rng.integers(900, 4200))} buffers ({c.rng.uniform(0.1, 0.6):.1f}%); 0 WAL file(s) added, "
                   f"{int(c.rng.integers(0, 3))} removed, {int(c.rng.integers(1, 4))} recycled"))
    c.log("/aws/rds/instance/ledger-db/postgresql", "ledger-db.0", pg)

    c.alarm("statement-renderer-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2,
            description="statement-renderer failed invocations", want="ALARM")
    c.alarm("fx-rates-poller-errors", "AWS/Lambda", "Errors", {"FunctionName": "fx-rates-poller"}, "Sum", 300, 1, 0,
            want="OK")
    c.alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-db"}, "Average",
            300, 3, 80, want="OK")
    c.set_expect("statement-renderer-errors", "function_timeout", [fn],
                 [("AWS/Lambda", "Errors", {"FunctionName": fn}), ("AWS/Lambda", "Duration", {"FunctionName": fn})])
    c.meta = dict(front="origin (the function's own Errors alarm)", decoys=(
        "fx-rates-poller code deploy near onset; rare long-standing IllegalStateException errors; ledger-db present "
        "and loaded but healthy; constant font-substitution warnings"), story=(
        "The month-end statement queue is worked in size order by four SQS pollers, so render times climb all "
        "evening. Once statements pass ~650 pages the Java function runs into its 60 s limit: `Task timed out after "
        "60.0x seconds`, REPORT `Status: timeout`, REPORT durations of 60000 ms and average Duration near the limit, memory well below 2048 MB. Ledger "
        "loads from ledger-db stay under 3 s and the database metrics are healthy, so no dependency is at fault; "
        "volume is not up (invocations fall as each job gets longer). The fx-rates-poller deploy is on an unrelated function that keeps succeeding."))
    return c


# ---------------------------------------------------------------- 03
def case03() -> Case:
    c = Case(3, "invoice-archiver-errors", "ca-central-1", 1703, "2026-03-18T15:25:00",
             "invoice-archiver Errors alarm; finance ops say archived invoices stopped appearing.")
    fn, role = "invoice-archiver", "invoice-archiver-role"
    c.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=256, role=role,
               event_source="eventbridge:invoice.finalized", async_max_retry_attempts=0,
               on_failure_destination="sqs:invoice-archiver-dlq")
    c.resource("lambda", "invoice-pdf", runtime="python3.12", timeout=60, memory_size=1024, role="invoice-pdf-role")
    iam_change = -1290
    c.change(iam_change, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    _lambda_deploy(c, -2105, "invoice-pdf", "terraform-ci")
    fail_from = iam_change + 24

    rate = c.diurnal(11.0, 0.5, peak_hour=17) * (1 + 0.04 * c.walk(len(c.t), 1))

    def arch(t: float) -> Call:
        if t >= fail_from:
            return Call(t, float(c.rng.uniform(260, 420)), True, "denied")
        return Call(t, float(c.rng.lognormal(np.log(310), 0.25)),
                    kind="retry" if c.rng.random() < 0.006 else ("dupe" if c.rng.random() < 0.02 else "ok"))
    calls = simulate(c, rate, arch)
    lambda_metrics(c, fn, per_minute(c, calls))
    pdf = simulate(c, rate * 1.02, lambda t: Call(t, float(c.rng.lognormal(np.log(2300), 0.3))))
    lambda_metrics(c, "invoice-pdf", per_minute(c, pdf))

    ll = LambdaLogs(c, fn, 256)
    for k in calls:
        if k.t < LOG_FROM or c.rng.random() > 0.55:
            continue
        inv = f"INV-20260318-{int(c.rng.integers(1000, 99999)):05d}"
        cust = f"C-{int(c.rng.integers(10000, 99999))}"

        def body(rid, s, k=k, inv=inv, cust=cust):
            d = k.duration_ms / 1000
            out = [(0.004, py_line(c, s + 0.004, rid, "INFO", f"Received invoice.finalized for {inv} (customer {cust})")),
                   (d * 0.6, py_line(c, s + d * 0.6, rid, "INFO",
                    f"Copied s3://northwind-billing-invoices/2026/03/18/{inv}.pdf to "
                    f"s3://northwind-billing-archive/2026/03/{inv}.pdf ({int(c.rng.integers(90, 400))} KB)"))]
            if k.kind == "dupe":
                out.append((d - 0.01, py_line(c, s + d - 0.01, rid, "WARNING", f"{inv} already archived, skipping")))
            elif k.kind == "retry":
                out.append((d * 0.8, py_line(c, s + d * 0.8, rid, "WARNING",
                            "PutItem throttled (ProvisionedThroughputExceededException), retrying in 0.2 s")))
                out.append((d - 0.01, py_line(c, s + d - 0.01, rid, "INFO", f"Archived {inv} (retention=7y)")))
            elif k.error:
                out.append((d - 0.01, py_unhandled(
                    "ClientError", "An error occurred (AccessDeniedException) when calling the PutItem operation: "
                    f"User: arn:aws:sts::123456789012:assumed-role/{role}/{fn} is not authorized to perform: "
                    "dynamodb:PutItem on resource: arn:aws:dynamodb:ca-central-1:123456789012:table/invoice-archive "
                    "because no identity-based policy allows the dynamodb:PutItem action",
                    [("/var/task/archiver/handler.py", 41, "handler", "record_archive(invoice, key)"),
                     ("/var/task/archiver/store.py", 27, "record_archive", "_table.put_item(Item=item)"),
                     ("/var/lang/lib/python3.12/site-packages/boto3/resources/factory.py", 581, "do_action",
                      "response = action(self, *args, **kwargs)"),
                     ("/var/lang/lib/python3.12/site-packages/botocore/client.py", 1023, "_make_api_call",
                      "raise error_class(parsed_response, operation_name)")])))
            else:
                out.append((d - 0.01, py_line(c, s + d - 0.01, rid, "INFO", f"Archived {inv} (retention=7y)")))
            return out
        ll.invoke(k.t, body, k.duration_ms, int(c.rng.integers(88, 104)))
    ll.flush()
    pl = LambdaLogs(c, "invoice-pdf", 1024)
    for k in pdf:
        if k.t < LOG_FROM or c.rng.random() > 0.12:
            continue
        ver = "19" if k.t >= -2078 else "18"
        pl.invoke(k.t, lambda rid, s, k=k: [(k.duration_ms / 1000 - 0.02, py_line(
            c, s + k.duration_ms / 1000 - 0.02, rid, "INFO", f"Rendered invoice PDF ({int(c.rng.integers(1, 5))} pages)"))],
            k.duration_ms, int(c.rng.integers(301, 388)), version=ver)
    pl.flush()

    c.alarm("invoice-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 2, 5,
            description="invoice-archiver failures (events go to the DLQ)", want="ALARM")
    c.alarm("invoice-pdf-errors", "AWS/Lambda", "Errors", {"FunctionName": "invoice-pdf"}, "Sum", 60, 3, 2, want="OK")
    c.set_expect("invoice-archiver-errors", "permission_denied", [fn, role],
                 [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    c.meta = dict(front="origin (the function's Errors alarm)", decoys=(
        "deploy of invoice-pdf 14 min before the IAM change; long-standing throttled-and-retried PutItem warnings "
        "and duplicate-skip warnings"), story=(
        "terraform-ci rewrote the inline policy of invoice-archiver-role (PutRolePolicy). Within half a minute every "
        "invocation fails at the DynamoDB write with `AccessDeniedException ... is not authorized to perform: "
        "dynamodb:PutItem ... because no identity-based policy allows` — the S3 copy before it still succeeds. "
        "invoice-pdf's deploy is on another function with another role and it stays error-free; the occasional "
        "throttled-then-retried PutItem warning is old and always succeeds."))
    return c


CASES = [case01, case02, case03]
