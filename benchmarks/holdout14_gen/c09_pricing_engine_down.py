"""h14-09: the EC2 host of the legacy pricing engine fails its system status check; quote-pricing
(Lambda) times out connecting to it and its Errors alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, bump, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LAMBDA_WARNING, LambdaLog, py, py_unhandled

META = {
    "file": "h14-09-pricing-engine-host-down.yaml", "region": "us-west-2", "alarm": "quote-pricing-errors",
    "category": "dependency_failure", "resources": ["i-0e5b2c8d1a7f4e039", "pricing-engine-1"],
    "position": "consumer (Lambda calling the instance)",
    "decoys": "quote-email-sender code deploy 2 min before onset; batch-etl-1 CPU spike 2.2 h earlier; constant "
              "'unknown product code' ERROR lines and slow-response WARNINGs in quote-pricing",
    "story": "26 minutes ago pricing-engine-1 (10.40.12.57) stopped logging mid-stream; from the next minute "
             "StatusCheckFailed_System is 1, its CPU/network datapoints stop and the CloudWatch agent metrics go "
             "missing. quote-pricing, which calls http://10.40.12.57:8080/v3/price, fails every quote with "
             "requests ConnectTimeout after three 2 s attempts (Duration ~6 s, well under its 15 s timeout), so its "
             "Errors alarm fires. The dependency is down, not saturated; the quote-email-sender deploy minutes "
             "earlier touches a different function, and the pre-existing unknown-product ERRORs are handled 400s "
             "at a constant rate.",
}

REGION = "us-west-2"
ENGINE, ETL = "i-0e5b2c8d1a7f4e039", "i-03d9f6a2b8c1e7540"
ENGINE_IP = "10.40.12.57"
DOWN = -1560.0
MAIL_DEPLOY = -1680.0
LOG_START = -7200.0


def _timeout_trace(attempt_ip: str) -> str:
    msg = (f"HTTPConnectionPool(host='{attempt_ip}', port=8080): Max retries exceeded with url: /v3/price "
           f"(Caused by ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x7f{'3b2c1d5e50'}>, "
           f"'Connection to {attempt_ip} timed out. (connect timeout=2.0)'))")
    return py_unhandled("ConnectTimeout", msg, [
        ("/var/task/app.py", 73, "handler", "price = engine.quote(payload)"),
        ("/var/task/pricing/engine_client.py", 41, "quote", "resp = self.session.post(self.url + \"/v3/price\", json=body, timeout=(2.0, 8.0))"),
        ("/var/task/requests/sessions.py", 637, "post", "return self.request(\"POST\", url, data=data, json=json, **kwargs)"),
        ("/var/task/requests/sessions.py", 589, "request", "resp = self.send(prep, **send_kwargs)"),
        ("/var/task/requests/sessions.py", 703, "send", "r = adapter.send(request, **kwargs)"),
        ("/var/task/requests/adapters.py", 688, "send", "raise ConnectTimeout(e, request=request)"),
    ])


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 23, 21, 45, tzinfo=dt.timezone.utc), -7.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=14.0, amp=0.35)
    inv = ctx.poisson(19 * shape)
    down = T >= DOWN
    ql = LambdaLog(ctx, "quote-pricing", "python3.12", 512, envs=3, start=LOG_START)
    err = np.zeros(N)
    dur = np.zeros(N)
    eng = []
    for i in range(N):
        ds = []
        for rel in spread(ctx, i, inv[i]):
            rid = ctx.uuid()
            qid = f"q_{ctx.hexs(10)}"
            items = ctx.randint(1, 12)
            body = [(0.01, py(ctx, rel + 0.01, "INFO", rid, f"Pricing quote {qid} ({items} items, channel={ctx.pick(['web', 'web', 'broker', 'mobile'])})"))]
            if rng.random() < 0.02:  # pre-existing, handled -> 400
                d = ctx.uni(15, 40)
                body.append((0.012, py(ctx, rel + 0.012, "ERROR", rid, f"Unknown product code 'XC-{ctx.randint(10, 99)}-LEGACY' in quote {qid}; returning 400")))
            elif rel >= DOWN + 2:
                d = 3 * 2000 + ctx.uni(40, 160)
                body.append((d / 1000 - 0.006, LAMBDA_WARNING))
                body.append((d / 1000 - 0.005, _timeout_trace(ENGINE_IP)))
                err[i] += 1
            else:
                eng_ms = float(np.clip(rng.lognormal(np.log(140), 0.45), 30, 4000))
                if rng.random() < 0.012:  # occasional slow pricing runs, as on any day
                    eng_ms = ctx.uni(1500, 2900)
                d = eng_ms + ctx.uni(25, 60)
                if eng_ms > 1500:
                    body.append((d / 1000 - 0.02, py(ctx, rel + d / 1000 - 0.02, "WARNING", rid, f"pricing-engine slow response: {eng_ms:.0f} ms for {qid}")))
                body.append((d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid,
                                                  f"Quote {qid} priced total={rng.lognormal(7.5, 0.9):.2f} USD engine_ms={eng_ms:.0f}")))
                if rel >= LOG_START:
                    eng.append((rel + 0.03 + eng_ms / 1000, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} INFO  "
                                                            f"[qtp1391221-{ctx.randint(20, 60)}] c.a.pricing.api.PriceResource - "
                                                            f"priced {items} lines in {eng_ms:.0f} ms (ruleset 2026.03-r4)"))
            ds.append(d)
            if rel >= LOG_START:
                ql.invoke(rel, body, d, ctx.randint(88, 104) if not (rel >= DOWN) else ctx.randint(90, 98), rid=rid)
        dur[i] = np.mean(ds) if ds else np.nan
    # engine background lines (GC + cache refresh), all before the host failure
    for rel in ctx.sparse_events(0.5, LOG_START, DOWN):
        eng.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} INFO  [scheduler-1] "
                         f"c.a.pricing.cache.RateCache - refreshed {ctx.randint(11800, 12400)} carrier rates"))
    for rel in ctx.sparse_events(0.08, LOG_START, DOWN):
        eng.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')},{ctx.randint(0, 999):03d} WARN  [qtp1391221-{ctx.randint(20, 60)}] "
                         f"c.a.pricing.rules.RuleEngine - ruleset 2026.03-r4: surcharge table missing zone {ctx.randint(900, 999)}, using default"))
    eng = [e for e in eng if e[0] < DOWN - 0.5]

    # quote-email-sender: deployed just before the failure
    ml = LambdaLog(ctx, "quote-email-sender", "python3.12", 256, envs=2, start=LOG_START)
    m_inv = ctx.poisson(6 * shape)
    m_dur = np.zeros(N)
    switched = False
    for i in range(N):
        if T[i] >= MAIL_DEPLOY and not switched:
            ml.redeploy(MAIL_DEPLOY + 10)
            switched = True
        ds = []
        for rel in spread(ctx, i, m_inv[i]):
            d = ctx.uni(180, 420)
            ds.append(d)
            if rel >= LOG_START:
                rid = ctx.uuid()
                ml.invoke(rel, [(d / 1000 - 0.01, py(ctx, rel + d / 1000 - 0.01, "INFO", rid, f"Sent quote email q_{ctx.hexs(10)} via SES (MessageId 0101018e{ctx.hexs(8)})"))],
                          d, ctx.randint(68, 80), rid=rid)
        m_dur[i] = np.mean(ds) if ds else np.nan

    logs = ql.logs() + ml.logs() + [stream("/pricing-engine/app", ENGINE, eng)]
    q = {"FunctionName": "quote-pricing"}
    m = {"FunctionName": "quote-email-sender"}
    e = {"InstanceId": ENGINE}
    x = {"InstanceId": ETL}
    cpu_e = np.where(down, np.nan, ctx.gauge(31 * shape, 0.08, lo=5))
    metrics = [
        metric("AWS/Lambda", "Invocations", q, "Count", inv),
        metric("AWS/Lambda", "Errors", q, "Count", err),
        metric("AWS/Lambda", "Throttles", q, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", q, "Milliseconds", dur),
        metric("AWS/Lambda", "ConcurrentExecutions", q, "Count", np.maximum(1, np.round(inv * np.nan_to_num(dur, nan=200) / 60000 * 1.8 + rng.random(N)))),
        metric("AWS/Lambda", "Invocations", m, "Count", m_inv),
        metric("AWS/Lambda", "Errors", m, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", m, "Milliseconds", m_dur),
        metric("AWS/EC2", "CPUUtilization", e, "Percent", cpu_e),
        metric("AWS/EC2", "NetworkIn", e, "Bytes", np.where(down, np.nan, ctx.gauge(4.1e6 * shape, 0.1)), decimals=0),
        metric("AWS/EC2", "NetworkOut", e, "Bytes", np.where(down, np.nan, ctx.gauge(6.3e6 * shape, 0.1)), decimals=0),
        metric("AWS/EC2", "StatusCheckFailed", e, "Count", np.where(T >= DOWN + 60, 1.0, 0.0)),
        metric("AWS/EC2", "StatusCheckFailed_System", e, "Count", np.where(T >= DOWN + 60, 1.0, 0.0)),
        metric("AWS/EC2", "StatusCheckFailed_Instance", e, "Count", np.zeros(N)),
        metric("CWAgent", "mem_used_percent", e, "Percent", np.where(down, np.nan, ctx.gauge(63, 0.01))),
        metric("CWAgent", "disk_used_percent", {"InstanceId": ENGINE, "path": "/", "fstype": "xfs"}, "Percent",
               np.where(down, np.nan, ctx.gauge(48, 0.002, jitter=0.001))),
        metric("AWS/EC2", "CPUUtilization", x, "Percent", ctx.gauge(9, 0.15, lo=1) + bump(-7900, 420, 82)),
        metric("AWS/EC2", "NetworkIn", x, "Bytes", ctx.gauge(0.9e6, 0.2) + bump(-7900, 420, 40e6), decimals=0),
        metric("AWS/EC2", "StatusCheckFailed", x, "Count", np.zeros(N)),
    ]
    alarms = [
        alarm(ctx, "quote-pricing-errors", "AWS/Lambda", "Errors", q, err, "Sum", 60, 3, 8.0,
              description="quote-pricing Lambda errors (quotes failing)"),
        ok_alarm("quote-email-sender-errors", "AWS/Lambda", "Errors", m, "Sum", 300, 1, 3.0),
        ok_alarm("batch-etl-1-cpu", "AWS/EC2", "CPUUtilization", x, "Average", 900, 2, 95.0),
    ]
    changes = [
        change(MAIL_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "quote-email-sender", "github-actions"),
        change(MAIL_DEPLOY + 9, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "quote-email-sender", "github-actions"),
    ]
    resources = [
        {"type": "lambda", "id": "quote-pricing", "properties": {
            "runtime": "python3.12", "timeout": 15, "memory_size": 512, "vpc": "vpc-0a1c3e5f7b9d2e4f6",
            "environment": {"PRICING_ENGINE_URL": f"http://{ENGINE_IP}:8080", "ENGINE_CONNECT_TIMEOUT": "2", "ENGINE_RETRIES": "2"}}},
        {"type": "lambda", "id": "quote-email-sender", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
        {"type": "ec2", "id": ENGINE, "properties": {"name": "pricing-engine-1", "instance_type": "m5.xlarge",
                                                      "private_ip": ENGINE_IP, "log_groups": ["/pricing-engine/app"],
                                                      "state": "running"}},
        {"type": "ec2", "id": ETL, "properties": {"name": "batch-etl-1", "instance_type": "r6i.large", "private_ip": "10.40.14.9"}},
    ]
    return scenario("h14-09-pricing-engine-host-down",
                    "Insurance quotes failing on the website and broker portal; quote-pricing Errors alarm.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": e}]})
