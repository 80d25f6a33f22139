"""h42-11 (Phoenix on ECS, push-notification traffic surge) and h42-12 (Python SQS consumer, chained
exception on a supplier's number format, no change)."""
from __future__ import annotations

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, arrivals, at, change, ecs_metrics, expect, iso_ms,
                     lambda_invoke, lambda_metrics, lambda_stream_name, ramp, rds_metrics, scenario_doc, series, wave)

GB = 1024 ** 3


# ------------------------------------------------------------------ h42-11
def h42_11():
    rng = Rng(4211)
    anchor = anchor_dt(2026, 11, 27, 1, 30)
    region = "us-west-2"
    lb = "app/live-alb/6c1f3e8a0d2b5974"
    t_push = -1860

    def mult(t):
        if t < t_push:
            return 1.0
        if t < t_push + 240:
            return ramp(t, t_push, t_push + 240, 1.0, 6.4)
        return 6.4 - 1.9 * min(1.0, (t - t_push - 240) / 1500)

    rpm = lambda t: 3800 * wave(t, 10800, 0.1, 4.0) * mult(t)  # noqa: E731
    busy = lambda t: max(0.0, mult(t) - 2.5) / 3.9  # noqa: E731  0..1 overload factor
    trt = series(rng, lambda t: 0.034 + 1.7 * busy(t), noise=0.1, nd=4)
    metrics = alb_metrics(lb, series(rng, rpm, integer=True), trt,
                          series(rng, lambda t: 0.3 + 18 * busy(t), integer=True),
                          series(rng, lambda t: 0.1 + 310 * busy(t), integer=True),
                          series(rng, lambda t: 40 * wave(t, 3600, 0.2), integer=True),
                          series(rng, lambda t: 4, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    metrics += ecs_metrics("live", "live-scores-api", series(rng, lambda t: 27 * wave(t, 10800, 0.1, 4.0) * (1 + 0.78 * (mult(t) - 1) / 5.4) + 28 * busy(t),
                                                            noise=0.04, hi=91.0),
                           series(rng, lambda t: 48 + 6 * busy(t), noise=0.02))
    metrics += ecs_metrics("live", "live-admin", series(rng, lambda t: 6 + (20 if -6060 <= t < -5940 else 0), noise=0.1),
                           series(rng, lambda t: 31, noise=0.02))
    metrics += rds_metrics("live-pg", series(rng, lambda t: 19 + 6 * min(1, mult(t) - 1), noise=0.08),
                           series(rng, lambda t: 84, integer=True), series(rng, lambda t: 77 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0006, noise=0.15, nd=5), series(rng, lambda t: 0.0011, noise=0.15, nd=5),
                           series(rng, lambda t: 5.8 * GB, noise=0.01, nd=0))

    st = Stream("/ecs/live-scores-api", f"web/live-scores-api/{rng.hexs(32)}")
    hm = lambda x: at(anchor, x).strftime("%H:%M:%S.%f")[:-3]  # noqa: E731
    for t in arrivals(rng, -7200, 0, lambda t: rpm(t) / 60 / 4 * 0.05):
        rid = "F" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(19))
        r = rng.random()
        if t >= t_push and r < 0.8:
            path = "GET /api/matches/8812/live?utm_source=push&utm_campaign=ucl_final_kickoff"
        elif r < 0.45:
            path = f"GET /api/matches/{rng.choice([8812, 8807, 8803, 8815])}/live"
        elif r < 0.7:
            path = f"GET /api/competitions/{rng.choice(['ucl', 'epl', 'mls'])}/fixtures"
        elif r < 0.99:
            path = f"GET /api/teams/{rng.randint(100, 999)}/form"
        else:
            p = rng.choice(["/wp-login.php", "/.env", "/actuator/env", "/.git/HEAD"])
            st.add(t, f"{hm(t)} request_id={rid} [info] GET {p}")
            st.add(t + 0.001, f"{hm(t + 0.001)} request_id={rid} [info] Sent 404 in 412\u00b5s")
            continue
        d = rng.lognormvariate(1.0, 0.5) * (1 + 60 * busy(t))
        st.add(t, f"{hm(t)} request_id={rid} [info] {path}")
        st.add(t + d / 1000, f"{hm(t + d / 1000)} request_id={rid} [info] Sent 200 in {d:.0f}ms" if d >= 1 else
               f"{hm(t + d / 1000)} request_id={rid} [info] Sent 200 in {d * 1000:.0f}\u00b5s")
    for t in arrivals(rng, -7200, 0, lambda t: 1 / 50):
        st.add(t, f"{hm(t)} [error] Postgrex.Protocol (#PID<0.{rng.randint(2200, 2400)}.0>) disconnected: ** (DBConnection.ConnectionError) "
                  f"client #PID<0.{rng.randint(9000, 99999)}.0> exited")
    for t in range(-7200, 0, 60):
        tt = t + rng.uniform(0, 5)
        st.add(tt, f"{hm(tt)} [info] [telemetry] vm.total_run_queue_lengths total={int(rng.uniform(0, 3) + 190 * busy(tt))} "
                   f"cpu={int(rng.uniform(0, 2) + 170 * busy(tt))} io=0 schedulers_online=2")
    adm = Stream("/ecs/live-admin", f"web/live-admin/{rng.hexs(32)}")
    adm.add(-5990, f"{hm(-5990)} [info] Running LiveAdminWeb.Endpoint with Bandit 1.5.7 at :::4000 (http)")
    adm.add(-5989.5, f"{hm(-5989.5)} [info] Access LiveAdminWeb.Endpoint at https://admin.live.acme-sports.tv")
    for t in arrivals(rng, -5980, 0, lambda t: 1 / 30):
        rid = "F" + rng.hexs(19)
        adm.add(t, f"{hm(t)} request_id={rid} [info] GET /admin/matches/8812")
        adm.add(t + 0.01, f"{hm(t + 0.01)} request_id={rid} [info] Sent 200 in {rng.randint(4, 19)}ms")
    logs = [st, adm]

    changes = [change(-6090, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "live-admin", "github-actions"),
               change(-6070, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "live/live-admin", "github-actions")]
    al = alarm("live-alb-latency-high", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.5,
               "GreaterThanThreshold", trt, anchor, "Live scores API latency above 500 ms")
    resources = [
        {"type": "ecs", "id": "live/live-scores-api", "properties": {"runtime": "elixir 1.17 / phoenix 1.7 (bandit)", "desired_count": 4,
                                                                      "task_cpu": 1024, "autoscaling": "none", "log_groups": ["/ecs/live-scores-api"]}},
        {"type": "ecs", "id": "live/live-admin", "properties": {"desired_count": 1, "log_groups": ["/ecs/live-admin"]}},
        {"type": "alb", "id": lb, "properties": {"name": "live-alb"}},
        {"type": "rds", "id": "live-pg", "properties": {"engine": "postgres", "instance_class": "db.r6g.large", "max_connections": 1600}},
    ]
    acc = ["live/live-scores-api", "live-scores-api", lb, "live-alb"]
    doc = scenario_doc("h42-11-live-scores-push-surge",
                       "Live scores slow and timing out during the final; ALB latency alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "traffic_surge", acc,
                              [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
                               ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "traffic_surge", "resources": acc,
            "where": "front = ALB (ALB and service both accepted)",
            "decoys": "live-admin deploy 100 min earlier; steady Postgrex 'disconnected ... client exited' [error] lines; "
                      "scanner 404s; DB metrics flat",
            "story": "A kickoff push notification sends fans to one match page: ALB RequestCount jumps ~6x within four minutes "
                     "and most Phoenix request lines now carry `utm_source=push&utm_campaign=ucl_final_kickoff`. With four "
                     "fixed tasks and no autoscaling, the BEAM run queues grow (telemetry lines), ECS CPU roughly doubles "
                     "(peaking near 80%) but is not pinned, latency goes from 35 ms to ~1.7 s and the ALB starts returning 5xx. Nothing "
                     "changed on the service, the database is flat and no error signature precedes the surge -> traffic_surge."}
    return "h42-11-live-scores-push-surge", doc, meta


# ------------------------------------------------------------------ h42-12
def _parse_tb(ts, rid, inv, sup, raw):
    return (f"[ERROR]\t{ts}\t{rid}\tfailed to ingest invoice {inv} from supplier {sup}\n"
            "Traceback (most recent call last):\n"
            '  File "/var/task/invoice_ingest/parsing.py", line 64, in parse_amount\n'
            "    return Decimal(raw)\n"
            "           ^^^^^^^^^^^^\n"
            "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]\n\n"
            "During handling of the above exception, another exception occurred:\n\n"
            "Traceback (most recent call last):\n"
            '  File "/var/task/invoice_ingest/handler.py", line 38, in handler\n'
            "    invoice = parse_invoice(body)\n"
            "              ^^^^^^^^^^^^^^^^^^^\n"
            '  File "/var/task/invoice_ingest/parsing.py", line 112, in parse_invoice\n'
            '    lines = [parse_line(n, item) for n, item in enumerate(doc["lines"], 1)]\n'
            "             ^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/var/task/invoice_ingest/parsing.py", line 97, in parse_line\n'
            '    amount = parse_amount(item["amount"])\n'
            "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/var/task/invoice_ingest/parsing.py", line 66, in parse_amount\n'
            '    raise InvoiceParseError(f"amount {raw!r} is not a valid decimal")\n'
            f"invoice_ingest.errors.InvoiceParseError: amount '{raw}' is not a valid decimal")


def h42_12():
    rng = Rng(4212)
    anchor = anchor_dt(2026, 11, 28, 13, 5)
    region = "eu-west-1"
    fn = "invoice-ingest"
    onset = -2450
    base = lambda t: 9 * wave(t, 10800, 0.2, 5.0)  # noqa: E731  batches / minute
    bad = lambda t: 2.6 if t >= onset else 0.0  # noqa: E731  batches containing a SUP-20931 invoice (incl. redrives)
    err = series(rng, lambda t: bad(t) + 0.02, integer=True)
    metrics = lambda_metrics(fn, series(rng, lambda t: base(t) + bad(t), integer=True), err,
                             series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 2300, noise=0.1, nd=2),
                             series(rng, lambda t: (base(t) + bad(t)) * 2.3 / 60 + 0.4, integer=True))
    metrics += lambda_metrics("invoice-notifier", series(rng, lambda t: base(t) * 0.8, integer=True),
                              series(rng, lambda t: 0.02, integer=True), series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 420 if t < -2650 else 380, noise=0.1, nd=2),
                              series(rng, lambda t: 1, integer=True))
    metrics += rds_metrics("ap-ledger", series(rng, lambda t: 14 * wave(t, 10800, 0.1), noise=0.08),
                           series(rng, lambda t: 23, integer=True), series(rng, lambda t: 188 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0009, noise=0.15, nd=5), series(rng, lambda t: 0.0015, noise=0.15, nd=5),
                           series(rng, lambda t: 3.3 * GB, noise=0.01, nd=0))

    g = f"/aws/lambda/{fn}"
    streams = [Stream(g, lambda_stream_name(anchor, rng)) for _ in range(3)]
    sups = ["SUP-1002", "SUP-1417", "SUP-3380", "SUP-5521", "SUP-7719", "SUP-8840", "SUP-9003"]
    bad_invs = [f"INV-2026-{rng.randint(118000, 119999)}" for _ in range(6)]
    jobs = [(t, False) for t in arrivals(rng, -7800, 0, lambda t: base(t) / 60 * 0.4)]
    jobs += [(t, True) for t in arrivals(rng, onset, 0, lambda t: bad(t) / 60 * 0.4)]
    for t, is_bad in sorted(jobs):
        st = rng.choice(streams)
        rid = rng.uuid()
        ts = lambda x: iso_ms(anchor, t + x)  # noqa: E731
        body = [(0.003, f"[INFO]\t{ts(0.003)}\t{rid}\treceived {rng.randint(3, 10)} messages from supplier-invoices")]
        if rng.random() < 0.15:
            body.append((0.4, f"[WARNING]\t{ts(0.4)}\t{rid}\tPDF has no text layer; falling back to OCR for "
                              f"INV-2026-{rng.randint(100000, 119999)} ({rng.choice(sups)})"))
        if rng.random() < 0.08:
            body.append((0.6, f"[ERROR]\t{ts(0.6)}\t{rid}\tduplicate invoice INV-2026-{rng.randint(100000, 119999)} from "
                              f"{rng.choice(sups)} ignored: duplicate key value violates unique constraint \"invoices_supplier_number_key\""))
        if is_bad:
            inv = rng.choice(bad_invs)
            raw = rng.choice(["1.234,50", "12.480,00", "389,90", "2.017,35"])
            body.append((0.31, _parse_tb(ts(0.31), rid, inv, "SUP-20931", raw)))
            body.append((0.312, f"[ERROR] InvoiceParseError: amount '{raw}' is not a valid decimal\nTraceback (most recent call last):\n"
                                f'  File "/var/task/invoice_ingest/handler.py", line 38, in handler\n    invoice = parse_invoice(body)\n'
                                f'  File "/var/task/invoice_ingest/parsing.py", line 112, in parse_invoice\n'
                                f'    lines = [parse_line(n, item) for n, item in enumerate(doc["lines"], 1)]\n'
                                f'  File "/var/task/invoice_ingest/parsing.py", line 97, in parse_line\n    amount = parse_amount(item["amount"])\n'
                                f'  File "/var/task/invoice_ingest/parsing.py", line 66, in parse_amount\n'
                                f'    raise InvoiceParseError(f"amount {{raw!r}} is not a valid decimal")'))
            lambda_invoke(st, t, rid, rng.uniform(320, 420), 512, rng.randint(120, 140), body)
            continue
        d = rng.uniform(1500, 3100)
        body.append((d / 1000 - 0.02, f"[INFO]\t{ts(d / 1000 - 0.02)}\t{rid}\tingested {rng.randint(3, 10)} invoices "
                                      f"(suppliers={','.join(sorted(rng.sample(sups, 2)))}) into ap-ledger"))
        lambda_invoke(st, t, rid, d, 512, rng.randint(118, 139), body)
    ns = Stream("/aws/lambda/invoice-notifier", lambda_stream_name(anchor, rng))
    ns2 = Stream("/aws/lambda/invoice-notifier", lambda_stream_name(anchor, rng))
    for t in arrivals(rng, -7800, 0, lambda t: base(t) * 0.8 / 60 * 0.3):
        rid = rng.uuid()
        lambda_invoke(ns if t < -2650 else ns2, t, rid, rng.uniform(300, 480), 256, rng.randint(70, 80),
                      [(0.2, f"[INFO]\t{iso_ms(anchor, t + 0.2)}\t{rid}\temailed approver for INV-2026-{rng.randint(100000, 119999)}")])
    logs = streams + [ns, ns2]

    changes = [change(-2660, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "invoice-notifier",
                      "github-actions-ap"),
               change(-2645, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "invoice-notifier",
                      "github-actions-ap")]
    al = alarm("invoice-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
               "GreaterThanThreshold", err, anchor, "Supplier invoice ingestion failing")
    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512,
                                                    "trigger": "sqs:supplier-invoices (batch 10, no partial batch response)"}},
        {"type": "lambda", "id": "invoice-notifier", "properties": {"runtime": "python3.12", "timeout": 15, "memory_size": 256}},
        {"type": "rds", "id": "ap-ledger", "properties": {"engine": "postgres", "instance_class": "db.t4g.large", "max_connections": 450}},
    ]
    doc = scenario_doc("h42-12-invoice-ingest-decimal-format",
                       "Accounts-payable invoices not appearing; invoice-ingest Errors alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "application_error", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})]))
    meta = {"region": region, "alarm": al["name"], "category": "application_error", "resources": [fn],
            "where": "origin (Lambda)",
            "decoys": "invoice-notifier code deploy 3 min before onset (different function, healthy); pre-existing handled "
                      "duplicate-invoice [ERROR] lines and OCR WARNINGs at a steady rate",
            "story": "Supplier SUP-20931 starts sending invoices with European decimal amounts ('1.234,50'). invoice-ingest, "
                     "unchanged, logs a chained traceback (decimal.InvalidOperation, 'During handling of the above exception, "
                     "another exception occurred', InvoiceParseError) and the runtime's own unhandled-error line; SQS "
                     "redrives the same batches, so the same invoice numbers repeat. No change on invoice-ingest, no resource "
                     "or database fault; the deploy that lands just before is on invoice-notifier, whose metrics are flat "
                     "-> application_error."}
    return "h42-12-invoice-ingest-decimal-format", doc, meta
