"""h65-13 (API → Go Lambda → Redis on a failed EC2 host) and h65-14 (Lambda env var breaks SMS sends)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, diurnal
from .kit import EC2_GRID, apigw, binom, counts, ec2, emit, minute, request_times, run_lambda, smooth
from .runtimes import LambdaLogs


# --------------------------------------------------------------------------- 13
def s13() -> Scenario:
    sc = Scenario(13, "tracking-store-host", "5XX alarm on the parcel tracking API; the tracking page "
                  "shows 'temporarily unavailable'.", "ap-southeast-1", seed=6513, now_iso="2026-12-03T05:45:00")
    api, fn, ingest = "tracking-api", "track-lookup", "track-ingest"
    host = "i-0" + sc.hexid(16)
    down, decoy = -2280, -2450
    sc.resource("apigateway", api, api_type="REST", stage="v1", integration=f"lambda:{fn}")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=128, architecture="arm64")
    sc.resource("lambda", ingest, runtime="provided.al2023", timeout=30, memory_size=256, architecture="arm64")
    sc.resource("ec2", host, name="kv-1", instance_type="r6g.medium", role="redis 7.2 (self-managed)",
                private_ip="10.0.12.40")
    rng = sc.rng
    req = counts(sc, lambda t: 3.1 * diurnal(sc, t, 6, 0.3))
    miss4 = binom(sc, req, lambda t: 0.08)
    fail = {m: (req[m] - miss4[m] if m >= down else 0) for m in GRID}
    ll = LambdaLogs(sc, fn, "provided.al2023", 128, 10, mem_used=(31, 2))
    lat, e5 = {}, {}

    def jl(t, lvl, msg, **kw):
        return json.dumps({"time": sc.iso(t, 6), "level": lvl, "msg": msg, **kw}, separators=(",", ":"))

    notfound = {m: miss4[m] for m in GRID}
    failing = dict(fail)

    def body(l, t, rid, is_err, cold):
        m = minute(t)
        pid = f"SG{rng.randint(10 ** 9, 10 ** 10 - 1)}"
        if failing.get(m, 0) > 0:
            failing[m] -= 1
            d = rng.gauss(2008, 4)
            e5[m] = e5.get(m, 0) + 1
            lat.setdefault(m, []).append(d + 22)
            return {"dur": d, "lines": [(d / 1000 - 0.002, jl(t + d / 1000, "ERROR", "store lookup failed", parcel=pid,
                    err="dial tcp 10.0.12.40:6379: i/o timeout", requestId=rid)),
                    (d / 1000 - 0.001, jl(t + d / 1000, "INFO", "response", status=503, requestId=rid))]}
        if notfound.get(m, 0) > 0:
            notfound[m] -= 1
            lat.setdefault(m, []).append(30.0)
            return {"dur": rng.gauss(6, 1.5), "lines": [(0.004, jl(t, "WARN", "parcel not found", parcel=pid, requestId=rid)),
                                                         (0.005, jl(t, "INFO", "response", status=404, requestId=rid))]}
        d = max(2.0, rng.gauss(7, 2))
        lat.setdefault(m, []).append(d + 24)
        return {"dur": d, "lines": [(d / 1000, jl(t + d / 1000, "INFO", "response", status=200, parcel=pid,
                                                  events=rng.randint(2, 14), requestId=rid))]}

    run_lambda(sc, ll, req, {}, body)
    apigw(sc, api, req, miss4, e5, {m: round(sum(v) / len(v), 1) for m, v in lat.items()},
          integ={m: round(sum(v) / len(v) - 18, 1) for m, v in lat.items()})
    cpu = smooth(sc, lambda t: 4.2, noise=0.12, times=EC2_GRID)
    ec2(sc, host, {m: (v if m < down - 60 else None) for m, v in cpu.items()},
        status={m: (1.0 if m >= down else 0.0) for m in GRID})
    emit(sc, "AWS/EC2", "StatusCheckFailed_System", {"InstanceId": host}, "Count",
         {m: (1.0 if m >= down else 0.0) for m in GRID})
    emit(sc, "AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": host}, "Count",
         {m: (1.0 if m >= down + 120 else 0.0) for m in GRID})
    inv2 = {m: (1 if (m // 60) % 2 == 0 else 0) for m in GRID}
    ll2 = LambdaLogs(sc, ingest, "provided.al2023", 256, 30, mem_used=(44, 3), retire=(decoy,))
    err2 = {m: 1 for m in GRID if m >= down and inv2[m]}

    def body2(l, t, rid, is_err, cold):
        if is_err:
            return {"dur": 2010, "lines": [(2.0, jl(t + 2, "WARN", "carrier batch buffered, store unreachable",
                                                    err="dial tcp 10.0.12.40:6379: i/o timeout", buffered=rng.randint(3, 40)))]}
        return {"dur": rng.gauss(140, 30), "lines": [(0.1, jl(t, "INFO", "carrier batch stored", carrier=rng.choice(
            ["ninjavan", "jnt", "singpost"]), events=rng.randint(5, 60)))]}
    run_lambda(sc, ll2, inv2, {}, lambda l, t, rid, e, c: body2(l, t, rid, minute(t) in err2, c))
    sc.change(-20000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", api, "weiling.t")
    sc.change(decoy - 15, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", ingest, "gitlab-runner")
    sc.change(decoy, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", ingest, "gitlab-runner")
    sc.alarm("tracking-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 2, 3,
             "GreaterThanThreshold", "Tracking API 5xx")
    sc.alarm("kv-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": host}, "Maximum", 300, 2, 0,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "tracking-api-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [host, "kv-1"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": host}}]}
    sc.meta = dict(
        where="front (API Gateway → Lambda) → origin EC2 instance", services="API Gateway REST, Lambda, EC2",
        runtime="Go (provided.al2023), slog JSON",
        decoys="code deploy of the ingest function 3 min before onset; the lookup function reports zero Errors "
               "(it handles the failure and returns 503); constant 404 parcel-not-found warnings",
        story="A REST API calls a Go lookup function about three times a minute, and the function reads parcel state from "
              "a self-managed Redis on one EC2 instance. At -38 min the instance fails its system status check, "
              "and its CPU series stops: basic monitoring has no data after that. From the same minute every "
              "lookup logs `dial tcp 10.0.12.40:6379: i/o timeout` after the 2 s dial timeout and answers 503, "
              "which API Gateway counts as `5XXError`. The ingest function starts buffering with the same dial "
              "error. Its deploy 3 min earlier is the change closest to onset, but it does not touch the lookup "
              "path, and both functions fail against the same host. The lookup function's `Errors` stays at zero "
              "because it handles the failure. The answer is `dependency_failure` on the Redis host kv-1.")
    return sc


# --------------------------------------------------------------------------- 14
def s14() -> Scenario:
    sc = Scenario(14, "notify-sender-id", "Errors alarm on the notification sender; a few customers got "
                  "no delivery SMS today.", "eu-west-3", seed=6514, now_iso="2026-05-19T14:20:00")
    fn, digest = "notify-send", "notify-digest"
    cfg, code, decoy = -2600, -9300, -2400
    sc.resource("lambda", fn, runtime="python3.13", timeout=20, memory_size=256,
                environment_keys=["SMS_PROVIDER_URL", "SMS_SENDER_ID", "EMAIL_FROM", "LOG_LEVEL"])
    sc.resource("lambda", digest, runtime="python3.13", timeout=120, memory_size=512)
    rng = sc.rng
    inv = counts(sc, lambda t: 1.5 * diurnal(sc, t, 15, 0.3))
    sms = binom(sc, inv, lambda t: 0.45)
    old = binom(sc, inv, lambda t: 0.012)
    err = {m: (sms[m] if m >= cfg else 0) + old[m] for m in GRID}
    ll = LambdaLogs(sc, fn, "python3.13", 256, 20, mem_used=(74, 3), retire=(code, cfg),
                    epochs=((-10 ** 9, "$LATEST"),))

    def kv(t, level, event, **kw):
        parts = [f"timestamp={sc.iso(t)}", f"level={level}", f'event="{event}"']
        parts += [f"{k}={v}" if " " not in str(v) else f'{k}="{v}"' for k, v in kw.items()]
        return " ".join(parts)

    left = dict(err)

    def body(l, t, rid, is_err, cold):
        m = minute(t)
        oid = f"CMD-{rng.randint(100000, 999999)}"
        lines = []
        if left.get(m, 0) > 0:
            left[m] -= 1
            if m >= cfg and rng.random() < 0.93:
                d = rng.gauss(310, 40)
                lines = [(0.003, kv(t, "info", "dispatch", order=oid, channel="sms")),
                         (d / 1000 - 0.01, kv(t + d / 1000, "error", "sms send failed", order=oid, status=400,
                          provider_error="Invalid 'From' parameter: sender ID 'MaisonBrioche' must be 3-11 alphanumeric characters (code 21212)")),
                         (d / 1000 - 0.005, "[ERROR] SmsRejected: provider returned 400 for sender_id=MaisonBrioche (SMS_SENDER_ID)\n"
                          "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 48, in handler\n"
                          "    sms.send(to, body, sender=settings.SMS_SENDER_ID)\n  File \"/var/task/notify/sms.py\", line 71, in send\n"
                          "    raise SmsRejected(resp.status_code, sender)")]
                return {"dur": d, "lines": lines}
            d = rng.gauss(15100, 50)
            return {"dur": d, "lines": [(0.003, kv(t, "info", "dispatch", order=oid, channel="email")),
                                        (d / 1000 - 0.01, "[ERROR] ReadTimeout: HTTPSConnectionPool(host='api.mailrelay.example', port=443): "
                                         "Read timed out. (read timeout=15)")]}
        ch = "sms" if rng.random() < 0.45 else "email"
        d = rng.gauss(260 if ch == "sms" else 180, 40)
        lines = [(0.003, kv(t, "info", "dispatch", order=oid, channel=ch)),
                 (d / 1000 - 0.01, kv(t + d / 1000, "info", "sent", order=oid, channel=ch, ms=int(d)))]
        if rng.random() < 0.05:
            lines.append((0.002, kv(t, "warning", "provider throttled, retried", attempt=2, channel=ch)))
        return {"dur": d, "lines": lines}

    run_lambda(sc, ll, inv, err, body)
    inv2 = {m: (1 if (m // 60) % 60 == 0 else 0) for m in GRID}
    ll2 = LambdaLogs(sc, digest, "python3.13", 512, 120, mem_used=(120, 8), retire=(decoy,))
    run_lambda(sc, ll2, inv2, {}, lambda l, t, rid, e, c: {"dur": rng.gauss(14000, 900), "lines": [
        (0.1, kv(t, "info", "digest built", recipients=rng.randint(40, 90)))]})
    sc.change(code, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "bitbucket-pipelines")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "claire.d")
    sc.change(decoy, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", digest, "bitbucket-pipelines")
    sc.alarm("notify-send-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 600, 1, 3,
             "GreaterThanOrEqualToThreshold", "Notification sender errors (10 min)")
    sc.expect = {"alarm": "notify-send-errors",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        where="origin", services="Lambda", runtime="Python 3.13, structlog logfmt + runtime tracebacks",
        decoys="code deploy of the digest function 3 min after the config update, nearest the alarm; the sender's "
               "own code deploy 2 h earlier; rare mail-relay ReadTimeouts and throttle retries all along",
        story="A notification sender handles about one and a half orders a minute, and a bit under half of messages go out by SMS. "
              "At -43 min an engineer updates its configuration (`UpdateFunctionConfiguration`). From then on, every "
              "SMS send fails with the provider's 400 `Invalid 'From' parameter: sender ID 'MaisonBrioche' must be "
              "3-11 alphanumeric characters` and `SmsRejected ... (SMS_SENDER_ID)`. E-mail sends carry on as "
              "before. The signal is small, about six errors per 10 minutes, but the error names an invalid setting "
              "right after a config change. The function's own code deploy two hours earlier was followed by clean "
              "SMS sends. The digest deploy is nearer the alarm but is another function. The rare mail-relay "
              "ReadTimeouts were there all along. The answer is `config_change` on `notify-send`.")
    return sc
