"""h14-13: a five-minute latency blip on wallet-api that nothing in the account explains: the
backend functions ran as fast as ever, nothing errored, throttled, cold-started or changed."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np

from .common import N, T, Ctx, alarm, between, bump, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import LambdaLog, py

META = {
    "file": "h14-13-wallet-api-latency-blip.yaml", "region": "ap-northeast-2", "alarm": "wallet-api-latency",
    "category": "unknown", "resources": ["wallet-api", "w4l1e7ap9z"],
    "position": "origin (API Gateway)",
    "decoys": "promo-banner Lambda configuration change 3 min before the blip (not behind wallet-api); wallet-history "
              "deploy 2.7 h earlier; wallet-db CPU spike 1.5 h earlier; constant 401s for expired tokens",
    "story": "For about five minutes (10 to 5 minutes ago) wallet-api's Latency and IntegrationLatency rose from "
             "~60 ms to ~700-900 ms and then returned to normal. Every request in the window still returned 200; the "
             "Lambda REPORT lines for the very same requests (matched by integrationRequestId) show the usual 10-40 ms "
             "durations, with no cold starts, throttles, errors or concurrency change; Count is normal, the DB is idle, "
             "and nothing changed on the API or its functions. The promo-banner change is on a function the API does "
             "not route to. No category's evidence is present, so the honest answer is unknown (a transient on the "
             "platform side between API Gateway and Lambda).",
}

REGION = "ap-northeast-2"
API, API_ID, STAGE = "wallet-api", "w4l1e7ap9z", "prod"
BLIP_A, BLIP_B = -600.0, -300.0
PROMO_CHANGE = -780.0
HISTORY_DEPLOY = -9600.0
LOG_START = -5400.0


def _slog(ctx, rel, level, msg, **kw):
    rec = {"time": ctx.iso(rel), "level": level, "msg": msg}
    rec.update(kw)
    return json.dumps(rec, separators=(",", ":"))


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 27, 5, 50, tzinfo=dt.timezone.utc), 9.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=13.0, amp=0.3)
    n_bal = ctx.poisson(27 * shape)
    n_his = ctx.poisson(12 * shape)
    n_bad = ctx.poisson(1.1)
    blip = between(BLIP_A, BLIP_B)
    bl = LambdaLog(ctx, "wallet-balance", "provided.al2023", 256, envs=3, start=LOG_START)
    hl = LambdaLog(ctx, "wallet-history", "python3.12", 512, envs=2, start=LOG_START)
    access = []
    lat = np.zeros(N)
    integ = np.zeros(N)
    b_dur = np.zeros(N)
    h_dur = np.zeros(N)
    for i in range(N):
        ls, its, bd, hd = [], [], [], []
        extra_min = 620 + 250 * np.sin((float(T[i]) - BLIP_A) / 300 * np.pi) if blip[i] else 0.0
        for kind, count in (("bal", n_bal[i]), ("his", n_his[i])):
            for rel in spread(ctx, i, count):
                rid = ctx.uuid()
                wallet = f"w_{ctx.hexs(12)}"
                if kind == "bal":
                    d = float(np.clip(rng.lognormal(np.log(14), 0.35), 3, 120))
                    body = [(d / 1000 - 0.001, _slog(ctx, rel + d / 1000 - 0.001, "INFO", "balance served", wallet=wallet, currency="KRW",
                                                     cache="hit" if rng.random() < 0.8 else "miss", ms=int(d)))]
                    bd.append(d)
                    log = bl
                    path, res = f"/{STAGE}/wallets/{wallet}/balance", "/wallets/{id}/balance"
                else:
                    d = float(np.clip(rng.lognormal(np.log(38), 0.35), 8, 400))
                    body = [(d / 1000 - 0.002, py(ctx, rel + d / 1000 - 0.002, "INFO", rid, f"history page for {wallet}: {ctx.randint(0, 50)} entries"))]
                    hd.append(d)
                    log = hl
                    path, res = f"/{STAGE}/wallets/{wallet}/history", "/wallets/{id}/history"
                extra = max(0.0, extra_min * ctx.uni(0.7, 1.5)) if blip[i] else 0.0
                it = d + ctx.uni(4, 11) + extra
                lt = it + ctx.uni(5, 12)
                its.append(it)
                ls.append(lt)
                if rel >= LOG_START:
                    log.invoke(rel + extra / 1000 * 0.5, body, d, ctx.randint(28, 36) if kind == "bal" else ctx.randint(82, 96), rid=rid)
                    rec = json.loads(_access(ctx, rel, path, res, 200, lt, it))
                    rec["integrationRequestId"] = rid
                    access.append((rel + lt / 1000, json.dumps(rec, separators=(",", ":"))))
        for rel in spread(ctx, i, n_bad[i]):
            ls.append(3.0)
            if rel >= LOG_START:
                access.append((rel, _access(ctx, rel, f"/{STAGE}/wallets/w_{ctx.hexs(12)}/balance", "/wallets/{id}/balance", 401, 3, None,
                                            error="Unauthorized")))
        lat[i] = np.mean(ls) if ls else np.nan
        integ[i] = np.mean(its) if its else np.nan
        b_dur[i] = np.mean(bd) if bd else np.nan
        h_dur[i] = np.mean(hd) if hd else np.nan

    # promo-banner: invoked by the marketing site, not by wallet-api
    pl = LambdaLog(ctx, "promo-banner", "nodejs20.x", 128, envs=1, start=LOG_START)
    p_inv = ctx.poisson(4 * shape)
    done = False
    for i in range(N):
        if T[i] >= PROMO_CHANGE and not done:
            pl.redeploy(PROMO_CHANGE + 4)
            done = True
        for rel in spread(ctx, i, p_inv[i]):
            if rel >= LOG_START:
                rid = ctx.uuid()
                d = ctx.uni(5, 20)
                pl.invoke(rel, [(d / 1000 - 0.001, f"{ctx.iso(rel)}\t{rid}\tINFO\tbanner=spring-cashback variant={ctx.pick(['A', 'B'])}")],
                          d, ctx.randint(60, 66), rid=rid)
    logs = bl.logs() + hl.logs() + pl.logs() + [stream(f"/aws/apigateway/{API}/{STAGE}-access", f"{API_ID}-{STAGE}", access)]

    api = {"ApiName": API}
    b = {"FunctionName": "wallet-balance"}
    h = {"FunctionName": "wallet-history"}
    pr = {"FunctionName": "promo-banner"}
    db = {"DBInstanceIdentifier": "wallet-db"}
    metrics = [
        metric("AWS/ApiGateway", "Count", api, "Count", n_bal + n_his + n_bad),
        metric("AWS/ApiGateway", "Latency", api, "Milliseconds", lat),
        metric("AWS/ApiGateway", "IntegrationLatency", api, "Milliseconds", integ),
        metric("AWS/ApiGateway", "4XXError", api, "Count", n_bad),
        metric("AWS/ApiGateway", "5XXError", api, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Invocations", b, "Count", n_bal),
        metric("AWS/Lambda", "Errors", b, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Throttles", b, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", b, "Milliseconds", b_dur),
        metric("AWS/Lambda", "ConcurrentExecutions", b, "Count", np.maximum(1, np.round(rng.random(N) * 1.6))),
        metric("AWS/Lambda", "Invocations", h, "Count", n_his),
        metric("AWS/Lambda", "Errors", h, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Throttles", h, "Count", np.zeros(N)),
        metric("AWS/Lambda", "Duration", h, "Milliseconds", h_dur),
        metric("AWS/Lambda", "Invocations", pr, "Count", p_inv),
        metric("AWS/Lambda", "Errors", pr, "Count", np.zeros(N)),
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(9, 0.1, lo=2) + bump(-5400, 360, 46)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(ctx.gauge(18, 0.05))),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0006, 0.1, lo=0.0002), decimals=5),
    ]
    alarms = [
        alarm(ctx, "wallet-api-latency", "AWS/ApiGateway", "Latency", api, lat, "Average", 300, 1, 400.0,
              description="wallet-api average latency above 400 ms (5 min)"),
        ok_alarm("wallet-api-5xx", "AWS/ApiGateway", "5XXError", api, "Sum", 60, 3, 3.0),
        ok_alarm("wallet-balance-errors", "AWS/Lambda", "Errors", b, "Sum", 60, 3, 3.0),
    ]
    changes = [
        change(HISTORY_DEPLOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "wallet-history", "codepipeline"),
        change(PROMO_CHANGE, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "promo-banner", "j.park"),
    ]
    resources = [
        {"type": "apigateway", "id": API, "properties": {"api_id": API_ID, "stage": STAGE, "endpoint": "REGIONAL",
                                                          "routes": {"GET /wallets/{id}/balance": "wallet-balance",
                                                                     "GET /wallets/{id}/history": "wallet-history"}}},
        {"type": "lambda", "id": "wallet-balance", "properties": {"runtime": "provided.al2023", "timeout": 5, "memory_size": 256,
                                                                  "provisioned_concurrency": 2}},
        {"type": "lambda", "id": "wallet-history", "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512}},
        {"type": "lambda", "id": "promo-banner", "properties": {"runtime": "nodejs20.x", "timeout": 3, "memory_size": 128,
                                                                "function_url": True}},
        {"type": "rds", "id": "wallet-db", "properties": {"engine": "postgres", "instance_class": "db.r6g.large", "max_connections": 1000}},
    ]
    return scenario("h14-13-wallet-api-latency-blip",
                    "wallet-api latency alarm fired; no customer reports so far.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Latency", "dimensions": api}]})


def _access(ctx, rel, path, res, status, lt, it, error=None):
    rec = {"requestId": ctx.uuid(), "ip": ctx.public_ip(), "requestTime": ctx.clf(rel), "httpMethod": "GET",
           "resourcePath": res, "path": path, "status": str(status), "protocol": "HTTP/1.1",
           "responseLength": str(ctx.randint(90, 2400) if status == 200 else 26), "responseLatency": str(int(lt)),
           "integrationLatency": "-" if it is None else str(int(it)), "errorMessage": error or "-"}
    return json.dumps(rec, separators=(",", ":"))
