"""h36-08 Wed 12:15 JST, bookings (CamelCase): BookingsHttpApi 5xx.

BookingSlotsQuery has reserved concurrency 5; the lunchtime load needs ~6-7 concurrent
executions, so Lambda throttles and the HTTP API answers 500 for the throttled calls.
"""
from __future__ import annotations

import json

from .common import Scenario, anomaly, smooth
from .infra import GB, apigw, rds
from .lam import Lambda, Outcome

API, API_ID = "BookingsHttpApi", "k3x9q2m1za"
FN, HOOK, DB = "BookingSlotsQuery", "BookingConfirmWebhook", "bookings-aurora-prd-instance-1"
T_HOOK = -2950

META = {
    "region": "ap-northeast-1", "category": "throttling", "front": "front (HTTP API)",
    "resources": [FN],
    "decoys": "UpdateFunctionConfiguration of BookingConfirmWebhook a few minutes before the "
              "first throttles; "
              "that webhook's steady HMAC-mismatch 401s; Aurora writer healthy",
    "story": (
        "BookingsHttpApi (HTTP API, ApiId k3x9q2m1za) pages on 5xx. Its Lambda integration "
        "BookingSlotsQuery has reserved concurrency 5: from the lunchtime climb onward "
        "ConcurrentExecutions sits flat at 5 while Throttles rises to 15-60 a minute, matching "
        "the API's 5xx. The function itself is healthy: no Errors, durations unchanged, Aurora "
        "idle. Traffic roughly doubles over the morning as it does every weekday, not a spike; "
        "what fails is the concurrency cap. The only change nearby is a log-level edit on a "
        "different function (BookingConfirmWebhook), whose 401s were there all morning. "
        "throttling, origin BookingSlotsQuery."),
}


def _pt(s, t, level, msg, **kw):
    w = s.wall(t)
    rec = {"level": level, "location": kw.pop("location", "handler:57"), "message": msg,
           "timestamp": w.strftime("%Y-%m-%d %H:%M:%S,") + f"{w.microsecond // 1000:03d}+0000",
           "service": kw.pop("service", "booking-slots")}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def build() -> Scenario:
    s = Scenario(8, "bookings-http-api-5xx-slots-throttled", 3608, "ap-northeast-1",
                 "Paged 12:15 JST by BookingsHttpApi-5xx; partner apps show 'no availability' "
                 "intermittently.", "2026-03-11T03:15:00", 9)
    r = s.rng
    s.resource("apigateway", API, protocol="HTTP", api_id=API_ID, stage="$default",
               routes=["GET /v1/slots", "POST /v1/bookings", "POST /v1/webhooks/confirm"])
    s.resource("lambda", FN, runtime="python3.12", timeout=10, memory_size=512, reserved_concurrency=5)
    s.resource("lambda", HOOK, runtime="python3.12", timeout=15, memory_size=256)
    s.resource("rds", DB, engine="aurora-mysql", engine_version="8.0.mysql_aurora.3.05.2",
               instance_class="db.r6g.large", cluster="bookings-aurora-prd", max_connections=1000)

    def demand(t):                       # partner traffic all morning plus the lunch rush
        h = s.local_hour(t)
        return 62 * s.diurnal(t, floor=0.5, peak=11, width=4) + 55 * 2.718 ** (-((h - 12.3) / 0.9) ** 2)

    def slots(t):
        dur = r.lognormvariate(7.93, 0.22)          # ~2.8 s: expanding recurring schedules
        venue = f"V-{r.randint(1000, 1400)}"
        lines = []
        if r.random() < 0.1:
            lines.append((dur / 1000 * 0.95, "INFO", venue))
        return Outcome("ok", dur, r.randint(160, 210), lines)

    fn = Lambda(s, FN, "python3.12", 512, 10, reserved=5, log_start=-3000, init_ms=(700, 1100))

    def line(t, level, rid, venue):
        return _pt(s, t, level, "slots computed", venue_id=venue, date="2026-03-11", party_size=r.randint(1, 8),
                   slots=r.randint(0, 40), function_request_id=rid,
                   xray_trace_id=f"1-{int(s.epoch(t)):08x}-{s.hexid(24)}", sampled=True)
    fn.line = line
    pts = fn.run(demand, slots)

    def hook(t):
        lines = [(0.005, None, _pt(s, t, "INFO", "confirm webhook received", service="booking-confirm",
                                   location="handler:31", partner=r.choice(["tablecheck", "omakase", "hotpepper"])))]
        if r.random() < 0.18:
            lines.append((0.01, None, _pt(s, t, "WARNING", "HMAC signature mismatch; responding 401",
                                          service="booking-confirm", location="verify:22", partner="omakase")))
        return Outcome("ok", r.uniform(30, 120), r.randint(80, 95), lines)
    hk = Lambda(s, HOOK, "python3.12", 256, 15, log_start=-7200,
                versions=[(-10 ** 9, "a", "$LATEST"), (T_HOOK + 5, "b", "$LATEST")])
    hk.run(lambda t: 9 * s.diurnal(t, 0.5, 12, 3.5), hook)

    thr = dict(map(tuple, pts["Throttles"]))
    inv = dict(map(tuple, pts["Invocations"]))
    dur = dict(map(tuple, pts["Duration"]))
    hinv = dict(map(tuple, hk.points["Invocations"]))
    book = lambda t: 0.06 * demand(t)
    dims = {"ApiId": API_ID, "Stage": "$default"}
    ilat: dict = {}
    api = apigw(s, dims, {
        "Count": lambda t: inv.get(t, 0) + thr.get(t, 0) + hinv.get(t, 0) + s.noise(book(t), 0.2),
        "5xx": lambda t: thr.get(t, 0) + (1 if r.random() < 0.02 else 0),
        "4xx": lambda t: s.noise(0.18 * hinv.get(t, 0) + 1.5, 0.3),
        "Latency": lambda t: ilat.setdefault(t, s.noise(dur.get(t, 2800) * 0.85 + 12, 0.04)) + r.uniform(18, 40),
        "IntegrationLatency": lambda t: ilat[t],
    })
    busy = lambda t: smooth(t, -9000, -1800)
    rds(s, DB, {"CPUUtilization": lambda t: s.noise(22 + 14 * busy(t), 0.08),
                "DatabaseConnections": lambda t: s.noise(38 + 10 * busy(t), 0.06),
                "FreeableMemory": lambda t: s.noise(5.3 * GB, 0.01),
                "ReadLatency": lambda t: s.noise(0.0007, 0.1), "WriteLatency": lambda t: s.noise(0.0011, 0.1)})

    s.change(T_HOOK, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             HOOK, "kenji.sato@bookingsjp.example")
    s.change(-17400, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGatewayV2::Stage",
             f"{API_ID}/$default", "cdk-bookings-deploy")

    s.alarm(f"{API}-5xx", "AWS/ApiGateway", "5xx", dims, api["5xx"], "Sum", 60, 3, 5,
            "GreaterThanThreshold", "BookingsHttpApi 5xx responses", to_alarm=2)
    s.quiet_alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
                  "GreaterThanThreshold", state="OK", changed=-250000)
    fdims = {"FunctionName": FN}
    s.expect(f"{API}-5xx", "throttling", META["resources"],
             [anomaly("AWS/Lambda", "Throttles", fdims), anomaly("AWS/ApiGateway", "5xx", dims)])
    s.meta = META
    return s
