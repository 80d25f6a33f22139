"""h35-13: an engineer renames an environment variable on the notification dispatcher Lambda; every SMS
notification now fails with KeyError on the old name. Fast, origin alarm."""
import datetime as dt

from .lib import Scenario, LambdaLog, lambda_metrics, stream_name, first_breach

FILE = "h35-13-notify-lambda-env-config.yaml"
FN = "notification-dispatcher"
META = {
    "file": FILE, "region": "eu-north-1", "alarm": "notification-dispatcher-errors",
    "category": "config_change", "resources": [FN], "where": "origin", "shape": "fast",
    "decoys": "notification-preferences code deploy 50 min before; notification-dlq depth alarm red for 4 days; "
              "constant APNs 410 'Unregistered' ERROR lines (handled) in the dispatcher",
    "story": (
        "31 minutes ago an engineer called UpdateFunctionConfiguration on notification-dispatcher (python3.11, "
        "SQS-triggered); no code was published. All execution environments restart (a burst of Init Duration "
        "cold starts) and from then on every SMS notification fails with `missing required setting "
        "SMS_PROVIDER_URL` / `KeyError: 'SMS_PROVIDER_URL'` while push and email keep working: the variable "
        "was renamed to SMS_GATEWAY_URL in the configuration but the code still reads the old name. Errors "
        "jump to ~20 % of invocations (plus SQS redeliveries). The notification-preferences deploy is another "
        "function 20 minutes earlier with no errors; the DLQ alarm has been red for 4 days (it only starts "
        "growing faster now); the APNs 410 lines are handled and constant. Label: config_change on "
        "notification-dispatcher."),
}


def build():
    now = dt.datetime(2026, 5, 21, 8, 40, tzinfo=dt.timezone.utc)
    s = Scenario("h35-13-notify-lambda-env-config", "eu-north-1",
                 "Customers not receiving SMS codes; notification-dispatcher Errors alarm.",
                 seed=3513, now=now, window_h=6, tz_offset_h=2)
    s.resource("lambda", FN, runtime="python3.11", timeout=30, memory_size=512, handler="dispatch.handler",
               trigger="SQS notification-requests (batch size 1, maxReceiveCount 3)",
               environment_keys=["SMS_GATEWAY_URL", "EMAIL_FROM", "APNS_TOPIC", "FCM_PROJECT", "LOG_LEVEL"])
    s.resource("lambda", "notification-preferences", runtime="python3.11", timeout=10, memory_size=256)

    mins = list(range(s.start, 0, 60))
    cfg = -31 * 60
    base = {t: s.pois(240 * s.diurnal(t, 0.1, 12)) for t in mins}
    sms_fail = {t: s.pois(base[t] * 0.2) if t >= cfg + 20 else 0 for t in mins}
    redeliv = {}
    for t in mins:
        redeliv[t] = int(sms_fail.get(t - 120, 0) * 0.95 + sms_fail.get(t - 240, 0) * 0.9) if t >= cfg else 0
    inv = {t: base[t] + redeliv[t] for t in mins}
    err = {t: sms_fail[t] + redeliv[t] for t in mins}
    lambda_metrics(s, FN, lambda t: inv[t], lambda t: err[t], lambda t: 0,
                   lambda t: (340 + s.g(0, 20)) * (1 - 0.35 * err[t] / max(inv[t], 1)) + (250 if cfg <= t < cfg + 120 else 0),
                   lambda t: max(1, round(inv[t] * 0.34 / 60 * 1.2)))
    pdep = -50 * 60
    pi = {t: s.pois(70 * s.diurnal(t, 0.1, 12)) for t in mins}
    lambda_metrics(s, "notification-preferences", lambda t: pi[t], lambda t: s.pois(0.05), lambda t: 0,
                   lambda t: 45 + s.g(0, 4) + (300 if pdep <= t < pdep + 60 else 0), lambda t: max(1, round(pi[t] * 0.05 / 60 + 1)))
    dlq = {}
    depth = 1238
    for t in mins:
        depth += s.pois(0.02) + (int(redeliv.get(t - 240, 0) * 0.9 / 2) if t >= cfg + 240 else 0)
        dlq[t] = depth
    q = {"QueueName": "notification-dlq"}
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Count", lambda t: dlq[t], nd=0)
    s.metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", {"QueueName": "notification-requests"}, "Count",
             lambda t: s.pois(8) + (s.pois(err[t] * 0.5) if t >= cfg else 0), nd=0)

    # ---- logs ---------------------------------------------------------------------------------
    ll = LambdaLog(s, 512, runtime="python")
    for k in range(3):
        ev = []
        born = cfg + 2 + k * 3
        old = []
        for t in s.times(lambda t: 3.5 * s.diurnal(t, 0.1, 12), start=-3 * 3600):
            after = t >= born
            nid = f"ntf_{s.alnum(12, 'abcdefghijkmnopqrstuvwxyz0123456789')}"
            ch = s.pick(["push", "email", "sms"], [0.45, 0.35, 0.2])
            body = [(0.003, "info", f"dispatching {nid} channel={ch} template={s.pick(['otp', 'order_shipped', 'promo_weekly', 'password_reset'])}")]
            d = 300 + s.rng.random() * 90
            if ch == "push" and s.rng.random() < 0.07:
                body.append((0.2, "error", f"APNs rejected token (410 Unregistered) device=d_{s.hexid(10)}, removing "
                                           "token"))
            if ch == "sms" and after:
                body.append((0.004, "error", f"missing required setting SMS_PROVIDER_URL while dispatching {nid}"))
                _, blk = ll.invoke(t, 12 + s.rng.random() * 6, 96, body, after_end=[
                    "[ERROR] KeyError: 'SMS_PROVIDER_URL'\nTraceback (most recent call last):\n  File \"/var/task/"
                    "dispatch.py\", line 58, in handler\n    return CHANNELS[msg.channel](msg)\n  File \"/var/task/"
                    "channels/sms.py\", line 21, in send_sms\n    url = os.environ[\"SMS_PROVIDER_URL\"]\n  File \"<frozen "
                    "os>\", line 714, in __getitem__\nKeyError: 'SMS_PROVIDER_URL'"],
                    init_ms=(380 + s.rng.random() * 80) if (after and not old) else None)
            else:
                body.append((d / 1000 - 0.01, "info", f"{nid} delivered via {ch} in {int(d) - 12} ms"))
                _, blk = ll.invoke(t, d, 97, body, init_ms=(380 + s.rng.random() * 80) if (after and not old) else None)
            if after:
                old.append(1)
                ev.extend(blk)
            else:
                ev.extend(blk)
        pre = [e for e in ev if e[0] < born]
        post = [e for e in ev if e[0] >= born]
        s.log(f"/aws/lambda/{FN}", stream_name(s, -3 * 3600), pre)
        s.log(f"/aws/lambda/{FN}", stream_name(s, born), post)
    pl = LambdaLog(s, 256, runtime="python")
    ev = []
    for t in s.times(lambda t: 3 * s.diurnal(t, 0.1, 12), start=-2 * 3600):
        body = [(0.002, "info", f"preferences read user=u_{s.rng.randint(10 ** 6, 10 ** 7)} "
                                f"schema={'v4' if t >= pdep else 'v3'}")]
        _, blk = pl.invoke(t, 40 + s.rng.random() * 12, 71, body, version="$LATEST")
        ev.extend(blk)
    s.log("/aws/lambda/notification-preferences", stream_name(s, -2 * 3600), ev)

    s.change(pdep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "notification-preferences", "ci-deployer")
    s.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", FN,
             "AWSReservedSSO_PlatformAdmin_5e1f0b/jane.doe")
    when = first_breach(err, 60, 3, 10, ">")
    s.alarm("notification-dispatcher-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (10.0).",
            min(when or -1500, -60), description="notification dispatcher failures")
    s.alarm("notification-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible", q, "Maximum", 300, 1, 0,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 1 datapoint was greater than the threshold (0.0).",
            -4 * 86400 - 7000)
    s.expect = {"alarm": "notification-dispatcher-errors",
                "root_cause": {"category": "config_change", "resource": [FN]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return s
