"""Scenarios 09-10."""
from __future__ import annotations

import datetime as dt
import json
import math

from . import comp
from .comp import GB
from .core import Scenario, TS, diurnal, ramp
from .fmt import LambdaLog, apigw_access, bucketed, every, per_minute, pg, pino, zap
from .sc01 import binom

UTC = dt.timezone.utc


# ====================================================================== 09
def s09():
    s = Scenario(9, "exports-front-errors-pdf-render-timeout", "ap-northeast-1",
                 "Statement exports failing for large accounts; paged by the exports-front Lambda Errors alarm.",
                 3409, dt.datetime(2026, 3, 31, 6, 20, tzinfo=UTC))
    TO = 15.0
    s.res("apigateway", "exports-api", stage="prod", integration="AWS_PROXY lambda exports-front")
    s.res("lambda", "exports-front", runtime="nodejs20.x", timeout=29, memory_size=512,
          environment={"RENDER_FUNCTION": "pdf-render", "LOG_LEVEL": "info"})
    s.res("lambda", "pdf-render", runtime="ruby3.3", timeout=int(TO), memory_size=2048,
          environment={"TEMPLATE_BUCKET": "acme-statement-templates-apne1"})
    s.res("lambda", "exports-status", runtime="nodejs20.x", timeout=10, memory_size=256)

    # quarter-end: statements get longer through the morning; render time scales with pages
    mean_s = lambda t: 5.6 + 9.6 * ramp(t, -14400, -1800) ** 1.3
    req = s.series(lambda t: s.p(7 * diurnal(t, 0.25, 30000)), integer=True)
    durs = []
    for t, n in zip(TS, req):
        durs.append([min(TO * 1000, 1000 * mean_s(t) * math.exp(s.n(0, 0.22))) for _ in range(int(n))])
    to = [sum(1 for d in ds if d >= TO * 1000) for ds in durs]
    inv_dur = [round(sum(ds) / len(ds), 2) if ds else None for ds in durs]
    comp.lambda_(s, "pdf-render", req, to, lambda t: 0, inv_dur, [max(1, round(n / 60 * (d or 6000) / 1000 + 0.5)) for n, d in zip(req, inv_dur)])
    comp.lambda_(s, "exports-front", req, to, lambda t: 0, [round(d + 140, 2) if d else None for d in inv_dur],
                 [max(1, round(n / 60 * (d or 6000) / 1000 + 0.5)) for n, d in zip(req, inv_dur)])
    st = s.series(lambda t: s.p(22), integer=True)
    comp.apigw(s, "exports-api", [a + b for a, b in zip(req, st)], lambda t: s.p(0.4), to,
               [round(((d or 0) * n + 60 * m) / max(1, n + m) + 25, 2) for d, n, m in zip(inv_dur, req, st)])
    comp.lambda_(s, "exports-status", st, lambda t: 0, lambda t: 0, lambda t: 45 + s.n(0, 8), lambda t: 1)

    # ---- pdf-render (Ruby)
    lr = LambdaLog(s, "pdf-render", "ruby", 2048)
    lf = LambdaLog(s, "exports-front", "node", 512)
    front_ev, render_ev = [], []
    for i, (t0, ds) in enumerate(zip(TS, durs)):
        if t0 < -7200:
            continue
        for d in ds:
            t = t0 + s.rng.random() * 59
            acct = f"ACC-{s.rng.randint(10**6, 10**7)}"
            pages = int(d / 1000 * 33 + s.rng.randint(-8, 8))
            txn = pages * 3 + s.rng.randint(0, 40)
            body = [("INFO", f"rendering statement {acct} period=2026-Q1 transactions={txn} est_pages={pages}"),
                    ("INFO", f"fetched template bundle statement-v9 from s3://acme-statement-templates-apne1 in {s.rng.randint(30, 70)}ms")]
            rid = s.uid()
            timed = d >= TO * 1000
            if not timed:
                body.append(("INFO", f"rendered {pages} pages in {d / 1000 - 0.2:.1f}s, uploaded exports/{acct}/2026-Q1.pdf ({pages * 41} KB)"))
                render_ev += lr.invoke(t + 0.05, d, body, 700 + pages, rid=rid)
            else:
                body.append(("INFO", f"layout pass 2/3 done ({int(pages * 0.7)} pages)"))
                render_ev += lr.invoke(t + 0.05, TO * 1000, body, 900 + pages, rid=rid, timeout_s=TO + 0.02)
            fb = [("INFO", f"POST /v1/exports account={acct} format=pdf")]
            if s.rng.random() < 0.04:
                fb.insert(0, ("WARN", "query parameter 'fmt' is deprecated, use 'format'"))
            if timed:
                fb.append(("ERROR", 'Invoke Error \t{"errorType":"RenderFailedError","errorMessage":"pdf-render returned FunctionError=Unhandled: '
                                    f'{s.iso(t + TO)} {rid} Task timed out after {TO + 0.02:.2f} seconds","stack":["RenderFailedError: pdf-render returned FunctionError=Unhandled",'
                                    '"    at renderStatement (/var/task/src/render.js:48:11)","    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",'
                                    '"    at async Runtime.handler (/var/task/src/index.js:22:20)"]}'))
            else:
                fb.append(("INFO", f"export ready exports/{acct}/2026-Q1.pdf"))
            front_ev += lf.invoke(t, d + 140, fb, 96)
    s.log("/aws/lambda/pdf-render", lr.stream(), render_ev)
    s.log("/aws/lambda/exports-front", lf.stream(), front_ev)
    ls = LambdaLog(s, "exports-status", "node", 256)
    s.log("/aws/lambda/exports-status", ls.stream(), per_minute(s, st, None, -3600, lambda t, b: ls.invoke(
        t, 40 + s.rng.random() * 20, [("INFO", f"GET /v1/exports/{s.hexid(8)}/status -> {s.pick(['READY', 'RUNNING', 'READY'])}")], 71), scale=0.5))

    s.change(-9000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "exports-front", "y.sato")
    s.change(-4300, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "exports-api", "y.sato")
    s.alarm("exports-front-errors", "AWS/Lambda", "Errors", {"FunctionName": "exports-front"}, "Sum", 300, 1, 10,
            "GreaterThanThreshold", "exports-front: unhandled errors")
    s.expect_("exports-front-errors", "function_timeout", ["pdf-render"],
              [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": "pdf-render"}},
               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "exports-front"}}])
    s.info = dict(front="front alarm (edge Lambda exports-front), origin 1 hop down (synchronous Invoke of pdf-render)",
                  decoys="API Gateway CreateDeployment on exports-api 18 min before the alarm but after the first timeouts; exports-front config change 2.5 h earlier; constant deprecated-param WARN",
                  text="Quarter-end statements grow through the morning, so pdf-render's (Ruby) duration climbs steadily from ~6 s "
                       "to its configured 15 s timeout; more and more invocations end with 'Task timed out after 15.02 seconds' "
                       "after a normal template fetch (S3 in ~40 ms) and no dependency error. exports-front (Node) raises "
                       "RenderFailedError for each, its Errors alarm fires and the API returns 5XX. The API Gateway deployment "
                       "came after the first timeouts (and only adds a status route) and the front function's code and configuration are unchanged since "
                       "hours. function_timeout on pdf-render.")
    return s


# ====================================================================== 10
def s10():
    s = Scenario(10, "tickets-latency-onsale-surge", "eu-west-2",
                 "Ticket site very slow, some users get errors; paged by the tickets-web ALB response-time alarm.",
                 3410, dt.datetime(2026, 4, 2, 9, 25, tzinfo=UTC))
    ON = -1500
    pub = "app/tickets-web/5b3d7f1a9c0e2468"
    sin = "app/seat-inventory-internal/2c4e6a8b0d1f3579"
    sdns = "internal-seat-inventory-internal-88120934.eu-west-2.elb.amazonaws.com"
    s.res("alb", pub, name="tickets-web", scheme="internet-facing", target_group="tg-tickets-web -> ecs tickets/tickets-web")
    s.res("ecs", "tickets/tickets-web", cluster="tickets", service="tickets-web", launch_type="FARGATE", desired_count=12,
          task_definition="tickets-web:418", runtime="node 20 (fastify, pino)", log_groups=["/ecs/tickets-web"])
    s.res("alb", sin, name="seat-inventory-internal", scheme="internal", dns_name=sdns,
          target_group="tg-seat-inventory -> ecs tickets/seat-inventory")
    s.res("ecs", "tickets/seat-inventory", cluster="tickets", service="seat-inventory", launch_type="FARGATE", desired_count=8,
          task_definition="seat-inventory:97", runtime="go1.22", log_groups=["/ecs/seat-inventory"])
    s.res("rds", "tickets-db", engine="postgres", engine_version="16.1", instance_class="db.r6g.2xlarge", max_connections=1500,
          allocated_storage_gb=500)
    s.res("lambda", "presale-mailer", runtime="python3.12", timeout=900, memory_size=1024)

    surge = lambda t: 0.0 if t < ON else (6.8 if t < ON + 600 else 6.8 - 1.6 * ramp(t, ON + 600, 0))
    sg = lambda t: 1.0 + surge(t) * ramp(t, ON - 30, ON + 90)
    req = s.series(lambda t: s.p(1500 * diurnal(t, 0.15, -20000) * sg(t)), integer=True)
    load = lambda t: (sg(t) - 1) / 6.8
    e5 = [binom(s, r, 0.004 * load(t)) + s.p(0.4) for t, r in zip(TS, req)]
    comp.alb(s, pub, req, e5, lambda t: s.p(0.1) + (s.p(3) if t > ON else 0),
             lambda t: 0.12 + 0.03 * s.rng.random() + load(t) * (2.3 + 0.5 * s.rng.random()), lambda t: 12, lambda t: 0,
             t4=lambda t: s.p(25))
    comp.ecs(s, "tickets", "tickets-web", lambda t: 21 + s.n(0, 2) + 57 * load(t) + s.n(0, 2) * load(t), lambda t: 48 + s.n(0, 1) + 11 * load(t),
             lambda t: 12)
    sreq = [int(r * 0.55) for r in req]
    comp.alb(s, sin, sreq, lambda t: s.p(0.1), lambda t: 0, lambda t: 0.018 + 0.005 * s.rng.random() + 0.21 * load(t),
             lambda t: 8, lambda t: 0)
    comp.ecs(s, "tickets", "seat-inventory", lambda t: 17 + s.n(0, 2) + 49 * load(t), lambda t: 36 + s.n(0, 1) + 6 * load(t), lambda t: 8)
    comp.rds(s, "tickets-db", lambda t: 19 + s.n(0, 2) + 38 * load(t), lambda t: 180 + s.n(0, 6) + 260 * load(t),
             lambda t: 402 * GB - (t + 21600) * 5000, lambda t: 0.0008 + abs(s.n(0, 0.0001)) + 0.0015 * load(t),
             lambda t: 0.0014 + abs(s.n(0, 0.0002)) + 0.002 * load(t), lambda t: 38 * GB - 4 * GB * load(t) + s.n(0, 1e8))
    pm = s.series(lambda t: 1 if -1980 <= t < -1860 else 0, integer=True)
    comp.lambda_(s, "presale-mailer", pm, lambda t: 0, lambda t: 0,
                 lambda t: 118000 + s.n(0, 5000) if -1980 <= t < -1860 else None, lambda t: 1 if -1980 <= t < -1860 else 0)

    # ---- tickets-web (Node/pino): sampled request logs, event-loop lag once busy
    def tw(t, b):
        host = f"ip-10-30-{s.rng.randint(1, 9)}-{s.rng.randint(2, 250)}.eu-west-2.compute.internal"
        path = s.pick(["/events/ev-88213/seats", "/events/ev-88213", "/basket", "/events/ev-88213/seats", "/", "/checkout"]) if t > ON \
            else s.pick(["/", "/events", "/events/ev-7712", "/basket", "/account"])
        lt = (110 + s.rng.random() * 90) * (1 + 20 * load(t) * s.rng.random())
        code = 503 if b else 200
        return [(t, pino(s, t, "INFO" if not b else "ERROR", "request completed", host, reqId=f"req-{s.hexid(5)}",
                         req={"method": "GET", "url": path}, res={"statusCode": code}, responseTime=round(lt, 1)))]
    w, bk = bucketed(s, 2, tw)
    per_minute(s, req, e5, -5400, w, scale=0.004)
    for k, part in enumerate(bk):
        part += every(s, ON + 60, 30, lambda t: [(t, pino(s, t, "WARN", "event loop delay high", f"ip-10-30-4-{40 + k}",
                                                          p99ms=s.rng.randint(180, 460), activeHandles=s.rng.randint(900, 2400)))])
        part += every(s, -5400, 300, lambda t: [(t, pino(s, t, "INFO", "seatmap cache warm", f"ip-10-30-4-{40 + k}",
                                                         events=s.rng.randint(40, 60), hitRatio=round(0.9 + 0.09 * s.rng.random(), 3)))])
        part += [(ON + k, pino(s, ON + k, "INFO", "on-sale window opened for ev-88213 (Stadium tour, 2 dates)", f"ip-10-30-4-{40 + k}",
                                    waitingRoom=False))]
        s.log("/ecs/tickets-web", f"ecs/tickets-web/{s.hexid()}", part)

    def si(t, _):
        return [(t, zap(s, t, "INFO", "api/holds.go:64", "hold placed", event="ev-88213" if t > ON else "ev-7712",
                        seats=s.rng.randint(1, 6), duration_ms=round((8 + 12 * s.rng.random()) * (1 + 9 * load(t)), 1)))]
    w, bk = bucketed(s, 2, si)
    per_minute(s, sreq, None, -5400, w, scale=0.004)
    for part in bk:
        part += [(-5990 + s.rng.random() * 20, zap(s, -5990, "INFO", "cmd/seat-inventory/main.go:41", "starting seat-inventory", version="v1.48.2"))]
        s.log("/ecs/seat-inventory", f"ecs/seat-inventory/{s.hexid()}", part)
    lm = LambdaLog(s, "presale-mailer", "python", 1024)
    s.log("/aws/lambda/presale-mailer", lm.stream(), lm.invoke(-1975, 118000, [("INFO", "sending 'on sale in 10 minutes' campaign to 412,880 subscribers"),
                                                                               ("INFO", "SES bulk send complete: 412,880 accepted, 0 rejected")], 310))
    s.log("/aws/rds/instance/tickets-db/postgresql", "tickets-db.0",
          every(s, -10800, 300, lambda t: [(t, pg(s, t, "", 511, "LOG", f"checkpoint complete: wrote {s.rng.randint(2000, 9000)} buffers ({s.rng.random() * 3:.1f}%); 0 WAL file(s) added, 0 removed, 2 recycled"))]))

    s.change(-6000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tickets/seat-inventory", "github-actions-deploy")
    s.alarm("tickets-web-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": pub}, "Average", 60, 3, 1.5,
            "GreaterThanThreshold", "tickets-web: average response time above 1.5 s")
    s.expect_("tickets-web-latency", "traffic_surge", ["tickets-web", pub, "tickets/tickets-web"],
              [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": pub}},
               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": pub}}])
    s.info = dict(front="front alarm, cause at the front (request volume entering through tickets-web)",
                  decoys="seat-inventory deploy 75 min before; presale-mailer spike (benign campaign send) 8 min before; downstream CPU/connection rises that follow the load",
                  text="At -25 min an on-sale opens for a stadium tour; tickets-web's RequestCount jumps from ~1.5 k to ~10 k "
                       "per minute (about 7x) and stays far above normal. Every tier's CPU and latency rise with it but none is "
                       "pinned or at a limit (tickets-web ~80 % CPU, tickets-db ~55 % CPU and 440 of 1500 connections), "
                       "there is no deploy or config change at onset and no new error signature, only slow requests and a "
                       "trickle of 503s, plus event-loop-lag warnings. The presale mailer finished before the rush and the "
                       "seat-inventory deploy is 75 min old with steady behaviour. traffic_surge at the front door.")
    return s
