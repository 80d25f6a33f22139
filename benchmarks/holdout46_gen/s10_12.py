"""Scenarios 10-12: Ruby Lambda hitting its timeout on oversized batches, marketing-email traffic surge on an
ECS/Node storefront behind an ALB, unhandled parse error in a Python webhook Lambda."""
from __future__ import annotations

import datetime as dt
import math

from .core import UTC, Scenario, ramp
from .infra import Streams, alb_metrics, ecs_metrics, pino
from .lam import LambdaFn, apigw_front, fn_minutes


def s10():
    s = Scenario(10, "invoice-sync-timeout", "us-west-2", dt.datetime(2026, 3, 21, 16, 5, tzinfo=UTC), 4610,
                 "Invoices not appearing in customers' accounting systems; invoice sync Errors alarm fired.")
    r = s.rng
    T = -2700
    fn = LambdaFn(s, "prod_invoice_sync", "ruby3.3", memory=512, timeout=120, mem_used=(150, 210), init_ms=(380, 700),
                  event_source="sqs:prod-invoice-sync", batch_size=1, sqs_visibility_timeout=150,
                  environment={"XERO_BATCH_SIZE": "50", "SYNC_MODE": "upsert"})
    nt = LambdaFn(s, "prod_invoice_notify", "ruby3.3", memory=256, timeout=30, mem_used=(90, 110),
                  generations=[(-2750, "$LATEST")], environment={"NOTIFY_DIGEST_HOUR": "7"})
    s.change(-2750, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "prod_invoice_notify", "AWSReservedSSO_Developer_3c9a/d.ruiz")
    big = {}            # tenant -> next retry time
    nxt_big = T

    def run(t, tenant, items, inv):
        calls = math.ceil(items / 50)
        per = r.uniform(0.165, 0.195)
        need = calls * per * 1000 + 350
        lines = [(5, "INFO", f"sync start tenant={tenant} invoices={inv} line_items={items} target=xero")]
        if tenant == "t_2231":
            lines.append((9, "WARN", "Deprecated field 'vat_id' present in payload for tenant t_2231; mapping to tax_number"))
        step = 5000 if items >= 10000 else None
        if step:
            for k in range(step, items, step):
                off = 300 + k / 50 * per * 1000
                if off > 119000:
                    break
                lines.append((off, "INFO", f"synced {k}/{items} line items (upsert batch {k // 50} of {calls}, last call 200 OK "
                                           f"in {per * 1000:.0f}ms)"))
        if need > 120000:
            fn.add(t, 0, "timeout", lines)
            return
        lines.append((need - 5, "INFO", f"sync complete tenant={tenant} line_items={items} calls={calls} in {need / 1000:.1f}s"))
        fn.add(t, need + r.uniform(3, 20), lines=lines)

    for m in s.minutes():
        for t in s.spread(m, s.pois(5.5 * s.diurnal(m, lo=0.3, peak=10))):
            items = int(math.exp(r.gauss(math.log(700), 0.8)))
            run(t, r.choice(["t_2231"] + [f"t_{r.randint(10000, 99999)}" for _ in range(30)]), max(items, 3),
                max(items, 3) // 6 + 1)
        while m <= nxt_big < m + 60:
            big[f"t_8{r.randint(1000, 9999)}"] = [nxt_big, r.randint(380, 470), r.randint(41000, 61000)]
            nxt_big += r.uniform(240, 480)
        for tenant, (when, inv, items) in list(big.items()):
            if m <= when < m + 60:
                run(when, tenant, items, inv)
                big[tenant][0] = when + 150 + r.uniform(0.5, 6)
        for t in s.spread(m, s.pois(1.2)):
            nt.add(t, s.jit(240, 0.2), lines=[(200, "INFO", f"queued invoice email inv_{s.hexs(10)} digest=false")])
    fn.finish()
    nt.finish()
    s.alarm("prod_invoice_sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "prod_invoice_sync"}, "Sum", 300, 2, 3,
            description="Invoice sync errors (5 min)")
    s.alarm("prod_invoice_notify-errors", "AWS/Lambda", "Errors", {"FunctionName": "prod_invoice_notify"}, "Sum", 300, 2, 3)
    s.readme = dict(pos="origin (Lambda Errors)", decoys="prod_invoice_notify configuration change at -2750 s (50 s before "
                    "onset) with its own alarm in OK; steady deprecated 'vat_id' WARN",
                    story="From -2700 s a few tenants' historical-invoice batches (40-61 k line items) arrive on the sync queue. "
                    "The function upserts 50 items per accounting-API call at a steady ~180 ms per call (every call returns 200), "
                    "so such a batch needs ~150 s: the progress log advances normally until 'Task timed out after 120.xx seconds' "
                    "and SQS redelivers the message every 150 s, timing out again. Ordinary batches keep completing in seconds and "
                    "there is no dependency error anywhere. The configuration change was on prod_invoice_notify, which stays "
                    "healthy. Reaching the configured timeout with no dependency errors: function_timeout on prod_invoice_sync.")
    return s.build("prod_invoice_sync-errors", "function_timeout", ["prod_invoice_sync"],
                   [("AWS/Lambda", "Errors", {"FunctionName": "prod_invoice_sync"}),
                    ("AWS/Lambda", "Duration", {"FunctionName": "prod_invoice_sync"})])


def s11():
    s = Scenario(11, "web-campaign-surge", "ap-southeast-2", dt.datetime(2026, 3, 23, 22, 12, tzinfo=UTC), 4611,
                 "Storefront very slow and some shoppers get 'Service Unavailable' right after the autumn sale email went "
                 "out; ALB latency alarm fired.", log_start=-5400)
    r = s.rng
    lb, cl, svc = "app/prod-web-alb/0a9b8c7d6e5f4a3b", "prod-web", "next-ssr"
    T = -1900
    s.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=10, load_balancer=lb,
               task_definition="next-ssr:311", log_groups=[f"/ecs/{cl}/{svc}"], autoscaling="target CPU 60 %, min 4, max 10")
    s.resource("alb", lb, name="prod-web-alb", scheme="internet-facing", targets=[f"{cl}/{svc}"])
    for t, n in ((-1770, "7"), (-1470, "10")):
        s.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.change(-1980, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "prod-web-image-optimizer", "buildkite-deploy")
    tasks = lambda t: 4 if t < -1690 else (7 if t < -1390 else 10)  # noqa: E731
    surge = lambda t: 1.0 if t < T else ramp(t, T, T + 480, 1.0, 6.4) - ramp(t, T + 480, 0, 0, 0.6)  # noqa: E731
    ids = [s.hexs(32) for _ in range(10)]
    logs = Streams(s, f"/ecs/{cl}/{svc}")
    rows, util_of = {}, {}
    opt = LambdaFn(s, "prod-web-image-optimizer", "nodejs20.x", memory=1536, timeout=30, mem_used=(300, 420),
                   generations=[(-1980, "$LATEST")])
    for m in s.minutes():
        req = s.pois(300 * s.diurnal(m, lo=0.15, peak=13) * surge(m))
        cap = tasks(m) * 135.0
        util = req / cap
        util_of[m] = util
        shed = s.pois(req * max(0.0, 1 - 1 / util) + req * 0.03 * max(0.0, util - 0.9)) if util > 0.9 else 0
        rt = 0.12 / max(0.045, 1 - min(util, 0.955))
        t4 = s.pois(req * 0.015)
        rows[m] = dict(req=req, rt=s.jit(rt, 0.06), t2=req - shed - t4, t4=t4, t5=shed,
                       e5=s.pois(req * 0.004) if util > 1 else s.pois(0.02), healthy=tasks(m), unhealthy=0)
        for t in s.spread(m, s.pois(req / 40)):
            opt.add(t, s.jit(380, 0.25), lines=[(360, "INFO", f"optimized /_next/image?url=/img/{s.hexs(8)}.jpg w=828 q=75 webp")])
        if m < s.log_start:
            continue
        live = ids[:tasks(m)]
        for tid in live:
            for k in range(2):
                t = m + 30 * k + r.uniform(0, 2)
                logs.add(f"ecs/{svc}/{tid}", t, pino(s, t, "info", "stats", f"ip-10-31-{r.randint(1, 254)}-{r.randint(2, 254)}",
                         rps=round(req / tasks(m) / 60 * r.uniform(0.9, 1.1), 1), inflight=min(256, int(util * 180 * r.uniform(0.9, 1.1))),
                         eventLoopDelayMs=round(8 + 60 * min(util, 1.1) ** 4 * r.uniform(0.8, 1.2), 1), rssMB=r.randint(690, 820)))
            if shed:
                for k in range(6):
                    t = m + 10 * k + r.uniform(0, 1)
                    logs.add(f"ecs/{svc}/{tid}", t, pino(s, t, "warn", "load shedding: max in-flight requests reached, "
                             "answering 503", f"ip-10-31-{r.randint(1, 254)}-{r.randint(2, 254)}", inflightLimit=256,
                             rejectedLast10s=max(1, int(shed / len(live) / 6 * r.uniform(0.7, 1.3)))))
        promo = 0.85 if m >= T else 0.05
        for t in s.spread(m, s.pois(req / 90)):
            path = "/promo/autumn-sale?utm_source=email&utm_campaign=autumn26" if r.random() < promo else \
                r.choice(["/", "/products/merino-crew", "/collections/new", "/api/cart"])
            ms = rt * 1000 * r.uniform(0.5, 1.6)
            logs.add(f"ecs/{svc}/{r.choice(live)}", t, pino(s, t, "info", "request completed", f"ip-10-31-{r.randint(1, 254)}-"
                     f"{r.randint(2, 254)}", req={"method": "GET", "url": path}, res={"statusCode": 200},
                     responseTime=round(ms, 1)))
        for t in s.spread(m, s.pois(0.8)):
            logs.add(f"ecs/{svc}/{r.choice(live)}", t, pino(s, t, "warn", "client beacon: Hydration failed because the initial UI "
                     "does not match what was rendered on the server.", "ip-10-31-7-19", route="/account/orders"))
    logs.flush()
    opt.finish()
    alb_metrics(s, lb, rows)
    ecs_metrics(s, cl, svc, cpu=lambda t: s.jit(min(79.0, 12 + 62 * min(util_of.get((t // 60) * 60, 0.3), 1.0)), 0.05),
                mem=lambda t: s.jit(52 + (6 if t >= T else 0), 0.02), running=tasks, desired=tasks)
    s.alarm("prod-web-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 1.0,
            description="Storefront ALB average response time above 1 s")
    s.readme = dict(pos="origin (the ALB receiving the surge; the ECS service behind it is accepted too)",
                    decoys="prod-web-image-optimizer deploy 80 s before the surge; Application Auto Scaling UpdateService events "
                    "(a reaction, not a cause); steady hydration-mismatch client beacons",
                    story="The autumn-sale email goes out at -1900 s: RequestCount climbs from ~230/min to ~1450/min (about 6x the "
                    "usual morning level) within eight minutes, and sampled request logs are dominated by "
                    "/promo/autumn-sale?utm_source=email. The four next-ssr tasks saturate their in-flight limit and shed load "
                    "with 503s; auto scaling adds tasks to the maximum of 10, which reduces the 503s but leaves "
                    "latency around 2.5 s. "
                    "CPU stays under 80 %, memory is flat, no deploy touched the service (the image optimizer is a separate Lambda "
                    "that handles its share of the surge without errors). Request volume far above normal with no other fault: "
                    "traffic_surge, at the ALB (and the service behind it).")
    return s.build("prod-web-alb-latency", "traffic_surge", [lb, "prod-web-alb", f"{cl}/{svc}", svc],
                   [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
                    ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])


STRP = ("Traceback (most recent call last):\n"
        '  File "/var/task/webhooks/handler.py", line 37, in handler\n    event_obj = parse_tracking_event(carrier, body)\n'
        '  File "/var/task/webhooks/carriers/common.py", line 88, in parse_tracking_event\n'
        '    eta = datetime.strptime(payload["estimated_delivery"], ISO_FMT)\n'
        '  File "/var/lang/lib/python3.12/_strptime.py", line 554, in _strptime_datetime\n'
        "    tt, fraction, gmtoff_fraction = _strptime(data_string, format)\n"
        '  File "/var/lang/lib/python3.12/_strptime.py", line 333, in _strptime\n'
        '    raise ValueError("time data %r does not match format %r" %')
SIG = ("Traceback (most recent call last):\n"
       '  File "/var/task/webhooks/handler.py", line 29, in handler\n    verify_signature(carrier, headers, raw)\n'
       '  File "/var/task/webhooks/security.py", line 51, in verify_signature\n'
       "    raise SignatureVerificationError(f\"webhook signature mismatch for carrier={carrier} (key id {kid})\")")


def s12():
    s = Scenario(12, "carrier-webhook-parse", "us-east-1", dt.datetime(2026, 3, 24, 19, 45, tzinfo=UTC), 4612,
                 "Shipment tracking updates stuck for some orders; carrier webhook Lambda Errors alarm fired.", log_start=-5400)
    r = s.rng
    T = -2100
    s.resource("apigateway", "svc-webhooks-ingest", stage="live", integrations=["svc-webhooks-carrier", "svc-webhooks-github"])
    fn = LambdaFn(s, "svc-webhooks-carrier", "python3.12", memory=256, timeout=10, mem_used=(72, 88))
    gh = LambdaFn(s, "svc-webhooks-github", "python3.12", memory=256, timeout=10, mem_used=(70, 80),
                  generations=[(-2160, "$LATEST")])
    s.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "svc-webhooks-github",
             "github-actions-deploy")
    s.change(-2150, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "svc-webhooks-github",
             "github-actions-deploy")
    for m in s.minutes():
        for t in s.spread(m, s.pois(40 * s.diurnal(m, lo=0.3, peak=14))):
            c = r.choices(["auspost", "sendle", "dhl", "fedex"], [28, 30, 24, 18])[0]
            trk = f"{c[:2].upper()}{r.randint(10 ** 9, 10 ** 10 - 1)}"
            status = r.choice(["in_transit", "out_for_delivery", "delivered", "in_transit"])
            lines = [(5, "INFO", f"webhook carrier={c} tracking={trk} status={status}")]
            if c == "sendle" and t >= T and status != "delivered":
                eta = s.stamp(t + r.randint(1, 4) * 86400, "%Y-%m-%dT17:00:00+11:00")
                lines.append((48, None, f"[ERROR] ValueError: time data '{eta}' does not match format '%Y-%m-%dT%H:%M:%SZ'\n{STRP}"))
                fn.add(t, s.jit(52, 0.2), "error", lines)
                continue
            lines.append((r.uniform(40, 90), "INFO", f"order ord_{s.hexs(10)} shipment updated ({status})"))
            fn.add(t, s.jit(95, 0.25), lines=lines)
        for t in s.spread(m, s.pois(0.8)):
            fn.add(t, s.jit(30, 0.2), "error", [(4, "INFO", "webhook carrier=legacy-dhl-sandbox"),
                                                (25, None, "[ERROR] SignatureVerificationError: webhook signature mismatch for "
                                                           f"carrier=legacy-dhl-sandbox (key id k_2019_01)\n{SIG}")])
        for t in s.spread(m, s.pois(6 * s.diurnal(m, lo=0.3, peak=14))):
            gh.add(t, s.jit(140, 0.2), lines=[(120, "INFO", f"github delivery {s.uid()} event={r.choice(['push', 'pull_request', 'check_suite'])} "
                                                             f"repo=acme/{r.choice(['web', 'api', 'infra'])} processed")])
    fn.finish()
    gh.finish()
    fm = fn_minutes(fn)
    for m, v in fn_minutes(gh).items():
        a = fm.get(m, (0, 0, 0, None))
        fm[m] = (a[0] + v[0], a[1] + v[1], a[2], a[3] if a[3] is not None else v[3])
    apigw_front(s, "svc-webhooks-ingest", fm)
    s.alarm("svc-webhooks-carrier-errors", "AWS/Lambda", "Errors", {"FunctionName": "svc-webhooks-carrier"}, "Sum", 60, 3, 4,
            description="Carrier webhook handler errors")
    s.readme = dict(pos="origin (Lambda Errors)", decoys="svc-webhooks-github (same API) deployed and published 60 s before "
                    "onset; an old SignatureVerificationError from a legacy sandbox sender firing at ~0.8/min all day",
                    story="From -2100 s one carrier (sendle) starts sending estimated_delivery with a UTC offset "
                    "('2026-03-26T17:00:00+11:00'). The handler's strptime with a hard-coded '...Z' format raises an unhandled "
                    "ValueError for every such webhook, ~10/min, on top of the old signature error that has fired at the same "
                    "rate for hours. svc-webhooks-carrier had no deploy or configuration change, nothing in the account is "
                    "saturated and no downstream call fails; the deploy was on the GitHub webhook function, which stays clean. "
                    "Unhandled exceptions with no preceding change and no resource/dependency fault: application_error on "
                    "svc-webhooks-carrier.")
    return s.build("svc-webhooks-carrier-errors", "application_error", ["svc-webhooks-carrier"],
                   [("AWS/Lambda", "Errors", {"FunctionName": "svc-webhooks-carrier"})])
