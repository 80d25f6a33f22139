"""h14-12: a carrier starts sending STATUS_PING webhooks with "events": null; carrier-webhook
crashes on them with a TypeError (no change to the function) and its Errors alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LambdaLog, apigw_access, node, node_invoke_error

META = {
    "file": "h14-12-carrier-webhook-typeerror.yaml", "region": "eu-west-2", "alarm": "carrier-webhook-errors",
    "category": "application_error", "resources": ["carrier-webhook"],
    "position": "origin (Lambda)",
    "decoys": "label-printer Lambda code deploy 2.5 min before onset; carrier-hooks-api stage deployment 3 h "
              "earlier; constant 'unknown status code' and signature-mismatch warnings",
    "story": "About 33 minutes ago carrier SwiftParcel began sending STATUS_PING webhooks whose body has "
             "\"events\": null. carrier-webhook logs 'Received webhook carrier=swiftparcel type=STATUS_PING' and then "
             "throws TypeError: Cannot read properties of null (reading 'map') at normalizeEvents "
             "(src/carriers/swiftparcel.js:41) as an unhandled Invoke Error; about a quarter to a third of invocations fail and the "
             "API answers 502. carrier-webhook itself had no deploy or configuration change; nothing it depends on "
             "failed (EventBridge puts for other carriers succeed). The label-printer deploy just before is a "
             "different function not behind this API, and the API stage deployment is three hours old.",
}

REGION = "eu-west-2"
API, API_ID, STAGE = "carrier-hooks-api", "c4r7h00k5x", "live"
FN = "carrier-webhook"
ONSET = -1980.0
LABEL_DEPLOY = -2130.0
STAGE_DEPLOY = -10900.0
LOG_START = -4500.0
FRAMES = ["normalizeEvents (/var/task/src/carriers/swiftparcel.js:41:27)",
          "Object.parse (/var/task/src/carriers/swiftparcel.js:18:20)",
          "handleWebhook (/var/task/src/handler.js:57:31)",
          "Runtime.handler (/var/task/src/index.js:12:10)"]


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 26, 15, 20, tzinfo=dt.timezone.utc), 0.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=13.0, amp=0.3)
    inv = ctx.poisson(38 * shape)
    wl = LambdaLog(ctx, FN, "nodejs20.x", 256, envs=3, start=LOG_START)
    err = np.zeros(N)
    dur = np.zeros(N)
    four = np.zeros(N)
    lat = np.zeros(N)
    puts = np.zeros(N)
    access = []
    for i in range(N):
        ds, ls = [], []
        for rel in spread(ctx, i, inv[i]):
            rid = ctx.uuid()
            carrier = ctx.pick(["swiftparcel", "dpdx", "royalpost"], [0.36, 0.40, 0.24])
            if carrier == "swiftparcel":
                etype = "STATUS_PING" if (rel >= ONSET and rng.random() < 0.8) else "TRACKING_UPDATE"
            else:
                etype = "tracking.update" if carrier == "dpdx" else "ShipmentEvent"
            n_sh = 0 if etype == "STATUS_PING" else ctx.randint(1, 6)
            body = [(0.003, node(ctx, rel + 0.003, rid, "INFO", f"Received webhook carrier={carrier} type={etype} "
                                                                 f"shipments={n_sh if n_sh else '?'} bytes={ctx.randint(180, 4200)}"))]
            status = 200
            if etype == "STATUS_PING":
                d = ctx.uni(6, 19)
                body.append((d / 1000 - 0.001, node_invoke_error(ctx, rel + d / 1000 - 0.001, rid, "TypeError",
                                                                 "Cannot read properties of null (reading 'map')", FRAMES)))
                err[i] += 1
                status = 502
            elif carrier == "royalpost" and rng.random() < 0.03:
                d = ctx.uni(4, 10)
                body.append((d / 1000 - 0.001, node(ctx, rel + d / 1000 - 0.001, rid, "WARN",
                                                    "Signature mismatch for carrier royalpost (x-rp-signature); rejecting with 401")))
                status = 401
                four[i] += 1
            else:
                d = float(np.clip(rng.lognormal(np.log(38), 0.35), 9, 400))
                if carrier == "dpdx" and rng.random() < 0.05:
                    body.append((0.005, node(ctx, rel + 0.005, rid, "WARN", "Unknown status code 'XQ' from carrier dpdx, mapping to IN_TRANSIT")))
                body.append((d / 1000 - 0.002, node(ctx, rel + d / 1000 - 0.002, rid, "INFO",
                                                    f"Published {n_sh} tracking events to EventBridge bus shipping-events")))
                puts[i] += n_sh
            ds.append(d)
            lt = d + ctx.uni(12, 30)
            ls.append(lt)
            if rel >= LOG_START:
                wl.invoke(rel, body, d, ctx.randint(88, 104), rid=rid)
                access.append((rel + lt / 1000, apigw_access(ctx, rel, ctx.uuid(), ctx.public_ip(), "POST", f"/{STAGE}/hooks/{carrier}",
                                                             "/hooks/{carrier}", status, 2 if status == 200 else 36, int(lt), int(d + 4),
                                                             error="Internal server error" if status == 502 else None,
                                                             agent=f"{carrier}-webhooks/2.1")))
        dur[i] = np.mean(ds) if ds else np.nan
        lat[i] = np.mean(ls) if ls else np.nan

    # label-printer: deployed minutes before onset, unrelated (invoked by the warehouse app)
    pl = LambdaLog(ctx, "label-printer", "nodejs20.x", 512, envs=2, start=LOG_START)
    p_inv = ctx.poisson(8 * shape)
    p_dur = np.zeros(N)
    done = False
    for i in range(N):
        if T[i] >= LABEL_DEPLOY and not done:
            pl.redeploy(LABEL_DEPLOY + 7)
            done = True
        ds = []
        for rel in spread(ctx, i, p_inv[i]):
            d = ctx.uni(300, 900)
            ds.append(d)
            if rel >= LOG_START:
                rid = ctx.uuid()
                pl.invoke(rel, [(d / 1000 - 0.01, node(ctx, rel + d / 1000 - 0.01, rid, "INFO",
                                                       f"Rendered ZPL label for parcel GB{ctx.digits(9)} (printer wh2-zebra-{ctx.randint(1, 8)})"))],
                          d, ctx.randint(130, 170), rid=rid)
        p_dur[i] = np.mean(ds) if ds else np.nan
    # tracking-notifier: EventBridge consumer, fewer events for swiftparcel now
    nl = LambdaLog(ctx, "tracking-notifier", "nodejs20.x", 256, envs=2, start=LOG_START)
    n_inv = np.maximum(0, np.round(puts / 8 + ctx.ar1(0.8)))
    for i in range(N):
        for rel in spread(ctx, i, n_inv[i]):
            if rel >= LOG_START:
                rid = ctx.uuid()
                d = ctx.uni(40, 160)
                nl.invoke(rel, [(d / 1000 - 0.005, node(ctx, rel + d / 1000 - 0.005, rid, "INFO",
                                                        f"Notified customer for shipment {ctx.pick(['SP', 'DX', 'RP'])}{ctx.digits(10)} (email)"))],
                          d, ctx.randint(80, 96), rid=rid)
    logs = wl.logs() + pl.logs() + nl.logs() + [stream(f"/aws/apigateway/{API}/{STAGE}", f"{API_ID}-{STAGE}", access)]

    f = {"FunctionName": FN}
    p = {"FunctionName": "label-printer"}
    nn = {"FunctionName": "tracking-notifier"}
    api = {"ApiName": API}
    metrics = [
        metric("AWS/Lambda", "Invocations", f, "Count", inv),
        metric("AWS/Lambda", "Errors", f, "Count", err),
        metric("AWS/Lambda", "Throttles", f, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", f, "Milliseconds", dur),
        metric("AWS/Lambda", "ConcurrentExecutions", f, "Count", np.maximum(1, np.round(rng.random(N) * 1.4))),
        metric("AWS/ApiGateway", "Count", api, "Count", inv),
        metric("AWS/ApiGateway", "5XXError", api, "Count", err),
        metric("AWS/ApiGateway", "4XXError", api, "Count", four),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/Lambda", "Invocations", p, "Count", p_inv),
        metric("AWS/Lambda", "Errors", p, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", p, "Milliseconds", p_dur),
        metric("AWS/Lambda", "Invocations", nn, "Count", n_inv),
        metric("AWS/Lambda", "Errors", nn, "Count", np.zeros(N)),
        metric("AWS/Events", "PutEventsApproximateSuccessCount", {"EventBusName": "shipping-events"}, "Count", puts),
    ]
    alarms = [
        alarm(ctx, "carrier-webhook-errors", "AWS/Lambda", "Errors", f, err, "Sum", 60, 3, 3.0,
              description="carrier-webhook Lambda errors (carrier updates being dropped)"),
        ok_alarm("carrier-hooks-api-latency", "AWS/ApiGateway", "Latency", api, "p95", 300, 2, 3000.0),
        ok_alarm("label-printer-errors", "AWS/Lambda", "Errors", p, "Sum", 60, 3, 3.0),
    ]
    changes = [
        change(STAGE_DEPLOY, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", API, "terraform"),
        change(LABEL_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "label-printer", "circleci"),
        change(LABEL_DEPLOY + 11, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "label-printer", "circleci"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {"api_id": API_ID, "stage": STAGE, "routes": {"POST /hooks/{carrier}": FN}}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256,
                                                    "environment": {"EVENT_BUS": "shipping-events", "CARRIERS": "swiftparcel,dpdx,royalpost"}}},
        {"type": "lambda", "id": "label-printer", "properties": {"runtime": "nodejs20.x", "timeout": 15, "memory_size": 512}},
        {"type": "lambda", "id": "tracking-notifier", "properties": {"runtime": "nodejs20.x", "timeout": 10, "memory_size": 256,
                                                                     "event_source": "eventbridge:shipping-events"}},
    ]
    return scenario("h14-12-carrier-webhook-typeerror",
                    "Tracking updates from one carrier missing; carrier-webhook Errors alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": f}]})
