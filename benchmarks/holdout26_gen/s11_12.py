"""h26-11 newsletter traffic surge on www (ALB latency alarm) and
h26-12 invoice-webhook TypeError on a new event shape, no change (own Errors alarm)."""
from __future__ import annotations

import datetime as dt
import json

from .common import (MINUTES, Scenario, alarm_transition, alb_metrics, apigw_metrics, diurnal,
                     ecs_metrics, gauss, lambda_metrics, poisson, ramp, simple_lambda_model)
from .logfmt import LambdaLogs, log_minutes, node, node_invoke_error, spread


# =========================================================================== 11
def build_11():
    sc = Scenario("h26-11-www-latency-newsletter-surge", 2611, "us-east-1",
                  "www-alb response time alarm on Black Friday morning; marketing pages slow, some 503/504.",
                  dt.datetime(2026, 11, 27, 14, 5, 0))
    rng = sc.rng
    lb = "app/www-alb/1c3e5a7b9d2f4e60"
    sc.resource("alb", lb, name="www-alb", scheme="internet-facing", target_groups=["marketing-site-tg", "blog-tg"])
    sc.resource("ecs", "web/marketing-site", cluster="web", service_name="marketing-site", launch_type="FARGATE",
                task_cpu=1024, task_memory=2048, desired_count=4, autoscaling="target tracking CPU 60 %, min 4, max 8",
                log_groups=["/ecs/marketing-site"])
    sc.resource("ecs", "web/blog", cluster="web", service_name="blog", launch_type="FARGATE", desired_count=2)

    onset = -1920
    scale = [(-1740, 6), (-1380, 8)]
    def tasks(t):
        n = 4
        for ts, k in scale:
            if t >= ts + 90:
                n = k
        return n
    def load(t):
        base = 1100 * diurnal(t, 0.35, phase_h=-8)
        if t < onset:
            return base
        return base + ramp(t, onset, onset + 180, 0, 6900) * (1 - 0.12 * min(1, (t - onset) / 1800.0))
    req, t5, e5, rt, hh, uh, t4 = {}, {}, {}, {}, {}, {}, {}
    cpu, rej = {}, {}
    for t in MINUTES:
        n = poisson(rng, load(t))
        k = tasks(t)
        cap = 700 * k
        over = max(0.0, n - cap) / max(1, n)
        req[t] = n
        rej[t] = int(n * over * 0.55)
        t5[t] = rej[t] + poisson(rng, 0.5)
        e5[t] = int(n * over * 0.12) + poisson(rng, 0.1)
        t4[t] = poisson(rng, 8 + n * 0.004)
        util = min(0.9, n / float(cap) * 0.8)
        cpu[t] = gauss(rng, 100 * util * 0.92, 2.5, 5, 92)
        rt[t] = gauss(rng, 0.11 + 2.0 * max(0.0, util - 0.55) ** 1.5 + 4.5 * over, 0.05, 0.06)
        hh[t], uh[t] = k + 2, 0
    alb_metrics(sc, lb, req, t5, e5, rt, hh, uh, t4)
    d = {"ClusterName": "web", "ServiceName": "marketing-site"}
    sc.series("AWS/ECS", "CPUUtilization", d, "Percent", cpu)
    sc.metric("AWS/ECS", "MemoryUtilization", d, "Percent", lambda t: gauss(rng, 43 if t < onset else 51, 1.5))
    ecs_metrics(sc, "web", "blog", lambda t: gauss(rng, 9, 2, 2) + (25 if -6000 <= t <= -5820 else 0), lambda t: gauss(rng, 33, 1))

    # ---- marketing-site logs: per-task summaries + load shedding
    streams = {}
    def stream_for(i):
        if i not in streams:
            streams[i] = ("ecs/marketing-site/" + sc.hexid(), [])
        return streams[i]
    for t in log_minutes():
        k = tasks(t)
        for i in range(k):
            name, ev = stream_for(i)
            if i >= 4 and all(t < ts + 90 for ts, kk in scale if kk > i):
                continue
            if i >= 4 and not any(e for e in ev):
                st = next(ts for ts, kk in scale if kk > i) + 60
                ev.append((st, json.dumps({"level": "info", "time": sc.iso(st), "msg": "marketing-site 8.3.0 ready on :3000 (next 14.2.3)"})))
            share = req[t] / k
            top = [["/black-friday?utm_source=newsletter&utm_campaign=bf26", int(share * 0.71)], ["/", int(share * 0.12)], ["/pricing", int(share * 0.05)]] if t >= onset else \
                  [["/", int(share * 0.38)], ["/pricing", int(share * 0.17)], ["/features", int(share * 0.1)]]
            ev.append((t + 59, json.dumps({"level": "info", "time": sc.iso(t + 59), "msg": "request summary", "window_s": 60, "requests": int(share),
                                           "inflight_max": min(256, int(share / 8)), "event_loop_lag_p99_ms": int(gauss(rng, 12, 3, 3) if t < onset else gauss(rng, 180, 40, 60)),
                                           "rejected_503": int(rej[t] / k), "top_paths": top})))
            if rej[t] > 0:
                ev.append((t + 30, json.dumps({"level": "warn", "time": sc.iso(t + 30), "msg": "load shedding: inflight limit reached, responding 503",
                                               "inflight": 256, "max_inflight": 256, "rejected_last_30s": int(rej[t] / k / 2)})))
            if rng.random() < 0.35:
                tt = t + rng.uniform(0, 50)
                ev.append((tt, json.dumps({"level": "warn", "time": sc.iso(tt), "msg": "Image optimization: upstream image returned 404", "url": "/img/legacy/%s.png" % sc.hexid(6)})))
    for name, ev in streams.values():
        sc.log("/ecs/marketing-site", name, ev)
    sc.log("/ecs/blog", "ecs/blog/" + sc.hexid(),
           [(-5940, json.dumps({"level": "info", "msg": "blog 1.19.0 ready on :3000"}))] +
           [(t + 44, json.dumps({"level": "info", "msg": "request summary", "window_s": 60, "requests": rng.randint(40, 120)})) for t in log_minutes()])

    sc.change(-6030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "blog", "github-actions-deploy")
    sc.change(-6000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/blog", "github-actions-deploy")
    for ts, k in scale:
        sc.change(ts, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web/marketing-site",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    ch = alarm_transition(rt, 60, 3, 1.0, "GreaterThanThreshold", "Average")
    sc.alarm("www-alb-target-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "ALARM", ch or -1500, "www average target response time above 1 s")
    sc.expect = {"alarm": "www-alb-target-response-time",
                 "root_cause": {"category": "traffic_surge", "resource": ["www-alb", lb, "web/marketing-site", "marketing-site"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(front="front (ALB; surge enters through it, ALB and service both accepted)", decoys="blog routine ECS deploy 1 h before; autoscaling UpdateService events on marketing-site after onset; pre-existing image-404 WARN",
                   story="At -32 min the Black Friday newsletter went out: www-alb RequestCount jumps from ~1,100 to ~7,000 a minute within three minutes, and the per-task summaries show ~70 % of traffic on /black-friday?utm_source=newsletter. The four marketing-site tasks saturate (event-loop lag, CPU in the 80s-90s, load shedding with 503, some ALB 504s) until target tracking scales the service to 6 and then 8 tasks; those UpdateService calls come from the autoscaling service role after the onset, so they are a response, not a cause. No deploy or config change touched marketing-site, and the blog deploy was an hour earlier. Judgement: traffic_surge arriving through www-alb onto web/marketing-site.")
    return sc


# =========================================================================== 12
def build_12():
    sc = Scenario("h26-12-invoice-webhook-typeerror", 2612, "eu-central-1",
                  "invoice-webhook Errors alarm; payment provider dashboard shows failing webhook deliveries.",
                  dt.datetime(2026, 11, 26, 7, 50, 0))
    rng = sc.rng
    fn, api = "invoice-webhook", "webhooks-api"
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512, last_modified="2026-11-17T10:02:11Z")
    sc.resource("lambda", "ledger-sync", runtime="nodejs20.x", timeout=60, memory_size=512)
    sc.resource("apigateway", api, api_id="w8e2p5s1kd", stage="prod", integration="Lambda proxy -> invoice-webhook")

    onset = -2280
    accts = ["acct_1N%s" % sc.hexid(10).upper() for _ in range(40)]
    bad_acct = "acct_1PQ7ZK2EHW4M"
    inv, err, thr, dur, conc, bad = {}, {}, {}, {}, {}, {}
    for t in MINUTES:
        b = poisson(rng, ramp(t, onset, onset + 1200, 4.5, 7.5)) if t >= onset else 0
        n = poisson(rng, 15 * diurnal(t, 0.3, phase_h=-2)) + b
        inv[t], err[t], thr[t], bad[t] = n, b, 0, b
        dur[t] = gauss(rng, 180, 25, 60)
        conc[t] = max(1, round(n * dur[t] / 60000 + rng.random()))
    lambda_metrics(sc, fn, inv, err, thr, dur, conc)
    ls = simple_lambda_model(rng, lambda t: 2, lambda t: gauss(rng, 4200, 500, 2000))
    lambda_metrics(sc, "ledger-sync", *ls)
    cnt = {t: inv[t] for t in MINUTES}
    apigw_metrics(sc, api, cnt, {t: poisson(rng, 0.3) for t in MINUTES}, {t: err[t] for t in MINUTES},
                  {t: dur[t] + 11 for t in MINUTES}, {t: dur[t] for t in MINUTES})

    ll = LambdaLogs(sc, fn, 512, init_ms=(180, 320))
    stack = ["    at normalizeCurrency (/var/task/src/money.js:14:22)", "    at toLedgerLine (/var/task/src/invoice.js:57:18)",
             "    at Array.map (<anonymous>)", "    at handleInvoiceEvent (/var/task/src/invoice.js:31:29)",
             "    at Runtime.handler (/var/task/index.js:22:12)"]
    types = ["invoice.paid", "invoice.paid", "invoice.finalized", "invoice.payment_failed", "invoice.voided"]
    for t in log_minutes():
        n_bad = bad[t]
        for i, tt in enumerate(spread(rng, t, inv[t])):
            ev_id = "evt_1Q%s" % sc.hexid(14).upper()
            d = gauss(rng, 180, 25, 60)
            if i < n_bad:
                lines = [(0.003, node("INFO", "Received %s type=invoice.upcoming account=%s livemode=true" % (ev_id, bad_acct))),
                         (0.02, node_invoke_error("TypeError", "Cannot read properties of undefined (reading 'toLowerCase')", stack))]
                d = gauss(rng, 45, 8, 15)
            else:
                ty = rng.choice(types)
                a = rng.choice(accts)
                amt = rng.randint(900, 250000)
                lines = [(0.003, node("INFO", "Received %s type=%s account=%s livemode=true" % (ev_id, ty, a)))]
                if rng.random() < 0.1:
                    lines.append((0.01, node("WARN", "Signature verified with secondary secret (rotation pending) for %s" % a)))
                lines.append((d / 1000 - 0.01, node("INFO", "Ledger line written for in_1Q%s amount=%d currency=%s" % (sc.hexid(12).upper(), amt, rng.choice(["eur", "eur", "gbp", "chf"])))))
            ll.invoke(tt, lines, d, rng.randint(96, 118))
    ll.emit()
    sl = LambdaLogs(sc, "ledger-sync", 512)
    for t in log_minutes():
        for tt in spread(rng, t, ls[0][t]):
            sl.invoke(tt, [(0.01, node("INFO", "Synced %d ledger lines to warehouse batch %s" % (rng.randint(10, 300), sc.hexid(8))))], gauss(rng, 4200, 500, 2000), 150)
    sl.emit()

    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "ledger-sync", "ci-deployer")
    sc.change(-3890, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "ledger-sync", "ci-deployer")
    sc.alarm("invoice-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "ALARM", None, "invoice-webhook unhandled errors")
    ch2 = alarm_transition(err, 300, 1, 15, "GreaterThanThreshold")
    sc.alarm("webhooks-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 15,
             "GreaterThanThreshold", "ALARM", ch2 or -1500)
    sc.expect = {"alarm": "invoice-webhook-errors",
                 "root_cause": {"category": "application_error", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(front="origin (Lambda)", decoys="ledger-sync routine Lambda deploy 27 min before onset; pre-existing 'secondary secret' WARN; webhooks-api 5XX alarm firing as a consequence",
                   story="From -38 min one connected merchant account started receiving invoice.upcoming webhooks (a notification type enabled on the provider's side). Those payloads carry no currency, and invoice-webhook fails on every one with an unhandled TypeError: Cannot read properties of undefined (reading 'toLowerCase') in normalizeCurrency; all other event types are processed normally. The function was last modified nine days ago, its duration, memory and concurrency are normal, and there is no dependency error. The ledger-sync deploy is a different function whose runs are clean, and the secondary-secret warning is constant. Judgement: application_error in invoice-webhook: an unhandled input case with no preceding change and no resource or dependency fault.")
    return sc
