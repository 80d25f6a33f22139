"""Scenarios 11-12: timeouts that are really a full connection table; a release beside a settings change
on another service."""
from __future__ import annotations

import numpy as np

from . import kit
from . import logfmt as lf
from .common import Scn


# ---------------------------------------------------------------------------------------------
def h20_11() -> tuple[dict, dict]:
    s = Scn("h20-11-loyalty-5xx-connection-slots", 2011, "eu-west-3", "2026-11-20T13:50:00",
            "Points accrual failing at lunchtime peak; loyalty-alb 5XX alarm.")
    lb, lb_name = "app/loyalty-alb/0f1e2d3c4b5a6978", "loyalty-alb"
    cluster, api, worker, db, digest = "loyalty", "points-api", "campaign-worker", "loyalty-db", "loyalty-email-digest"
    host = f"{db}.c1x2y3z4w5v6.eu-west-3.rds.amazonaws.com"
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_group="points-api-tg")
    s.res("ecs", f"{cluster}/{api}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=8,
          environment={"DATABASE_URL": f"postgres://points_app@{host}:5432/loyalty", "DB_MAX_CONNS": "55",
                       "DB_ACQUIRE_TIMEOUT": "5s"})
    s.res("ecs", f"{cluster}/{worker}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
          environment={"DATABASE_URL": f"postgres://campaign@{host}:5432/loyalty", "DB_MAX_CONNS": "20"})
    s.res("rds", db, engine="postgres", engine_version="15.7", instance_class="db.r6g.large", max_connections=500,
          allocated_storage_gb=250, parameter_group="loyalty-pg15")
    s.res("lambda", digest, runtime="python3.12", timeout=300, memory_size=512)

    day = s.daily(0.38, 12.6)
    lunch = s.step(-4200, ramp=1800)
    req = s.counts(1650 * day * (1 + 0.18 * lunch))
    demand = 330 * day + 75 * lunch            # pooled connections wanted by all clients
    cap = 497.0
    conns = np.minimum(s.gauge(demand, 6, lo=40), s.gauge(cap, 1.2, hi=cap))
    over = np.clip((demand - cap) / demand, 0, None)
    onset = float(s.t[np.argmax(demand > cap)])
    fail = s.binom(req, np.clip(over * 1.6, 0, 0.5))
    t5 = fail + s.counts(0.3 * np.ones_like(s.t))
    rt = s.gauge(0.062, 0.006, lo=0.02) + over * 9.0
    kit.alb_metrics(s, lb, req, rt, t5, s.counts(0.05 * np.ones_like(s.t)), np.full_like(req, 8.0),
                    np.zeros_like(req), t4xx=s.counts(req * 0.03))
    kit.ecs_metrics(s, cluster, api, s.gauge(33 * day, 2, lo=5), s.gauge(41, 0.6), np.full_like(req, 8.0))
    kit.ecs_metrics(s, cluster, worker, s.gauge(18, 2, lo=2), s.gauge(36, 0.6), np.full_like(req, 4.0))
    kit.rds_metrics(s, db, s.gauge(24 + 30 * (req / 1650 - 0.6), 2.5, lo=5, hi=70), conns, s.gauge(176.4, 0.04),
                    s.gauge(6.1, 0.06) - conns * 0.0025, s.gauge(0.0012, 0.0002, lo=0.0004),
                    s.gauge(0.0021, 0.0003, lo=0.0006))
    kit.lambda_metrics(s, digest, np.where((s.t % 3600) == 0, 1.0, 0.0), np.zeros_like(s.t),
                       np.where((s.t % 3600) == 0, s.gauge(48000, 4000, lo=20000), 0.0))

    tasks = kit.Tasks(s, api)
    for _ in range(8):
        tasks.add(-150000 - float(s.rng.uniform(0, 9000)))
    n_log, n_bad = s.sample_minutes(req, fail, 0.0035)
    for i, (n, b) in enumerate(zip(n_log, n_bad)):
        for k in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            rid = s.hexs(16)
            route = s.pick(["POST /v1/points/accrue", "GET /v1/members/{id}/balance", "POST /v1/points/redeem"],
                           [0.55, 0.35, 0.10])
            if k < b:
                if s.rng.random() < 0.5:
                    err = (f"failed to connect to `host={host} user=points_app database=loyalty`: server error "
                           "(FATAL: remaining connection slots are reserved for non-replication superuser connections "
                           "(SQLSTATE 53P00))" if s.rng.random() < 0.5 else
                           f"failed to connect to `host={host} user=points_app database=loyalty`: server error "
                           "(FATAL: sorry, too many clients already (SQLSTATE 53300))")
                else:
                    err = "acquire conn: context deadline exceeded"
                tasks.emit(tt, lf.go_json(s, tt, "error", "store/pg.go:88", "request failed", route=route,
                                          request_id=rid, status=503, error=err, duration_ms=int(s.rng.uniform(20, 5010))))
                continue
            if s.rng.random() < 0.02:
                tasks.emit(tt, lf.go_json(s, tt, "warn", "http/members.go:57", "member not found", route=route,
                                          request_id=rid, status=404))
                continue
            tasks.emit(tt, lf.go_json(s, tt, "info", "http/middleware.go:41", "request", route=route, request_id=rid,
                                      status=200, duration_ms=int(s.rng.gamma(3, 14) + over[i] * 2400)))
    for tt in np.arange(-21590, 0, 60.0):  # pool stats every minute from one task
        j = int((tt + 21600) // 60)
        acq = int(min(55, conns[j] * 0.8 / 8 + s.rng.normal(0, 2)))
        tasks.emit(tt + 5, lf.go_json(s, tt + 5, "debug" if over[j] == 0 else "warn", "store/pool.go:30", "pool stats",
                                      acquired=acq, idle=max(0, 55 - acq - int(over[j] * 90)), max=55,
                                      empty_acquire_waits=int(over[j] * 4000 * s.rng.uniform(0.8, 1.2))),
                   tasks.tasks[0][0])
    tasks.flush(f"/ecs/{api}")

    ev = []
    for t in np.arange(-21550, 0, 300.0):
        ev.append((t, lf.pg(s, t, "LOG", "checkpoint starting: time", pid=402)))
        ev.append((t + 26.1, lf.pg(s, t + 26.1, "LOG", f"checkpoint complete: wrote {int(s.rng.integers(900, 4000))} buffers; "
                                     "0 WAL file(s) added, 0 removed, 1 recycled", pid=402)))
    for t in s.arrivals(s.counts(over * 60)):
        cli = f"10.42.{int(s.rng.integers(1, 8))}.{int(s.rng.integers(2, 250))}({int(s.rng.integers(32768, 60999))})"
        msg = s.pick(["remaining connection slots are reserved for non-replication superuser connections",
                      "sorry, too many clients already"])
        ev.append((t, lf.pg(s, t, "FATAL", msg, cli, "points_app@loyalty", int(s.rng.integers(10000, 60000)))))
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)

    s.change(onset - 240, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", digest, "gitlab-ci")
    s.change(-17500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{api}", "gitlab-ci")

    s.alarm(f"{lb_name}-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 40,
            description="loyalty API 5XX", not_before=onset)
    doc = s.build(f"{lb_name}-5xx", "db_connection_exhaustion", [db],
                  [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db})])
    meta = {"front": "front (ALB of the service whose pool waits)",
            "decoys": "half the errors are 'context deadline exceeded' timeouts; unrelated Lambda release 4 min before "
                      "onset; service release 5 h earlier; standing 404 warnings",
            "text": "Lunchtime traffic fills points-api's pools (8 tasks x 55 connections) and, with campaign-worker's "
                    "own pool, the cluster wants more than loyalty-db's 500 slots. DatabaseConnections climbs with "
                    "traffic and then sits flat at ~497; PostgreSQL refuses new sessions with `sorry, too many clients "
                    "already` / `remaining connection slots are reserved`, and requests that wait on the pool give up "
                    "with `context deadline exceeded`. The timeouts read like a slow dependency, but the dependency is "
                    "not slow: its CPU is moderate and its latency flat; its connection table is full. The Lambda released "
                    "four minutes before onset never touches the database. Label: db_connection_exhaustion on loyalty-db."}
    return doc, meta


# ---------------------------------------------------------------------------------------------
def h20_12() -> tuple[dict, dict]:
    s = Scn("h20-12-shop-5xx-checkout-release", 2012, "us-east-1", "2026-11-20T19:25:00",
            "Checkout returning 500 for some carts; shop-alb 5XX alarm.")
    lb, lb_name = "app/shop-alb/7a6b5c4d3e2f1a09", "shop-alb"
    cluster, co, se = "shop", "checkout-svc", "search-svc"
    tg_co, tg_se = "targetgroup/checkout-svc-tg/4f3e2d1c0b9a8877", "targetgroup/search-svc-tg/9a8b7c6d5e4f3322"
    regtd, upd, param = -2940, -2910, -2870
    s.res("alb", lb, name=lb_name, scheme="internet-facing", target_groups=["checkout-svc-tg", "search-svc-tg"])
    s.res("ecs", f"{cluster}/{co}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
          environment={"PROMO_ENGINE": "v2", "PAYMENTS_URL": "https://payments.internal.shop.example"})
    s.res("ecs", f"{cluster}/{se}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3,
          environment={"SYNONYMS_PARAM": "/shop/prod/search/SYNONYMS_ENABLED", "OPENSEARCH_URL": "https://search.internal.shop.example"})

    day = s.daily(0.3, 20.0)
    # new tasks come up one by one and take traffic while the old ones drain
    new_share = np.clip((s.t - (upd + 60)) / 240.0, 0, 1)
    co_req = s.counts(340 * day)
    promo = s.binom(co_req, 0.31)
    bad = s.binom(promo, new_share)
    se_req = s.counts(2100 * day)
    co5 = bad + s.counts(0.1 * np.ones_like(s.t))
    se5 = s.counts(0.2 * np.ones_like(s.t))
    req = co_req + se_req
    kit.alb_metrics(s, lb, req, s.gauge(0.085, 0.006, lo=0.03), co5 + se5, s.counts(0.03 * np.ones_like(s.t)),
                    np.full_like(req, 7.0), np.zeros_like(req), t4xx=s.counts(req * 0.01))
    for tg, r, e in ((tg_co, co_req, co5), (tg_se, se_req, se5)):
        d = {"LoadBalancer": lb, "TargetGroup": tg}
        s.metric("AWS/ApplicationELB", "RequestCount", d, "Count", r, 0)
        s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", e, 0)
    kit.ecs_metrics(s, cluster, co, s.gauge(28 * day, 2, lo=3), s.gauge(44, 0.8), s.gauge(4 + 4 * ((s.t > upd + 40) & (s.t < upd + 330)), 0, lo=4))
    kit.ecs_metrics(s, cluster, se, s.gauge(35 * day, 2, lo=3), s.gauge(58, 0.8), np.full_like(req, 3.0))

    tasks = kit.Tasks(s, co)
    old = [tasks.add(-90000) for _ in range(4)]
    for k, tid in enumerate(old):
        for row in tasks.tasks:
            if row[0] == tid:
                row[2] = upd + 150 + 60 * k + 30
    new = [tasks.add(upd + 60 + 60 * k) for k in range(4)]
    for k, tid in enumerate(new):
        a = upd + 60 + 60 * k
        tasks.emit(a + 1, "INFO:     Started server process [1]", tid)
        tasks.emit(a + 1.1, "INFO:     Waiting for application startup.", tid)
        tasks.emit(a + 1.4, f"INFO:     checkout-svc 4.31.0 (git 8c1d2e7) starting; promo engine v2", tid)
        tasks.emit(a + 1.6, "INFO:     Application startup complete.", tid)
        tasks.emit(a + 1.7, "INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)", tid)
    for tid in old:
        tasks.emit(-89990, "INFO:     checkout-svc 4.30.2 (git 51aa09c) starting; promo engine v2", tid)
    trace = ("ERROR:    Exception in ASGI application\nTraceback (most recent call last):\n"
             '  File "/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py", line 409, in run_asgi\n'
             "    result = await app(  # type: ignore[func-returns-value]\n"
             '  File "/usr/local/lib/python3.12/site-packages/fastapi/routing.py", line 301, in app\n'
             "    raw_response = await run_endpoint_function(\n"
             '  File "/app/checkout/api.py", line 142, in place_order\n'
             "    totals = pricing.totals(cart, promos)\n"
             '  File "/app/checkout/pricing.py", line 88, in totals\n'
             "    return CartTotals(subtotal_cents=sub, discount_cents=disc, tax_cents=tax)\n"
             "pydantic_core._pydantic_core.ValidationError: 1 validation error for CartTotals\ndiscount_cents\n"
             "  Input should be a valid integer, got a number with a fractional part [type=int_from_float, "
             "input_value={v}, input_type=float]\n    For further information visit https://errors.pydantic.dev/2.9/v/int_from_float")
    n_log, n_bad = s.sample_minutes(co_req, bad, 0.04)
    for i, (n, b) in enumerate(zip(n_log, n_bad)):
        for k in range(int(n)):
            tt = s.t[i] + float(s.rng.uniform(0, 59))
            live = tasks.running(tt)
            newlive = [x for x in live if x in new]
            if k < b and newlive:
                tid = newlive[int(s.rng.integers(len(newlive)))]
                tasks.emit(tt, trace.replace("{v}", f"{int(s.rng.integers(100, 5000))}.5"), tid)
                tasks.emit(tt + 0.001, f'INFO:     {s.ip("10.0")}:{int(s.rng.integers(30000, 60000))} - "POST /checkout/orders '
                                       'HTTP/1.1" 500 Internal Server Error', tid)
                continue
            tid = live[int(s.rng.integers(len(live)))]
            if s.rng.random() < 0.03:
                tasks.emit(tt, f"WARNING:  payment declined by provider: card_declined ({s.pick(['insufficient_funds', 'do_not_honor', 'expired_card'])}) "
                               f"order=o_{s.hexs(10)}", tid)
                tasks.emit(tt + 0.001, f'INFO:     {s.ip("10.0")}:{int(s.rng.integers(30000, 60000))} - "POST /checkout/orders '
                                       'HTTP/1.1" 402 Payment Required', tid)
                continue
            path = s.pick(["POST /checkout/orders", "GET /checkout/cart", "POST /checkout/cart/items"], [0.4, 0.35, 0.25])
            code = "201 Created" if path == "POST /checkout/orders" else "200 OK"
            tasks.emit(tt, f'INFO:     {s.ip("10.0")}:{int(s.rng.integers(30000, 60000))} - "{path} HTTP/1.1" {code}', tid)
    tasks.flush(f"/ecs/{co}")

    st = kit.Tasks(s, se)
    for _ in range(3):
        st.add(-200000)
    for tt in s.arrivals(s.binom(se_req, 0.0012)):
        st.emit(tt, f'INFO:     {s.ip("10.0")}:{int(s.rng.integers(30000, 60000))} - "GET /search?q='
                    f'{s.pick(["sofa", "lamp", "rug", "desk", "oak+table"])}&page=1 HTTP/1.1" 200 OK')
    for tid in [r[0] for r in st.tasks]:
        tt = param + float(s.rng.uniform(20, 60))
        st.emit(tt, "INFO:     reloaded /shop/prod/search/SYNONYMS_ENABLED from SSM: enabled=true (412 synonym sets)", tid)
    st.flush(f"/ecs/{se}")

    s.change(-15000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{se}", "codepipeline-shop")
    s.change(regtd, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", co, "codepipeline-shop")
    s.change(upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{co}", "codepipeline-shop")
    s.change(param, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/shop/prod/search/SYNONYMS_ENABLED", "r.ahmed")

    s.alarm(f"{lb_name}-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 15,
            description="shop ALB target 5XX", not_before=upd)
    doc = s.build(f"{lb_name}-5xx", "bad_deployment", [f"{cluster}/{co}", co],
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    meta = {"front": "front (shared ALB of two services)",
            "decoys": "SSM parameter change for search-svc between the release and the first error (config-beats-deploy "
                      "bait on the wrong resource); standing payment-declined warnings; old search release",
            "text": "codepipeline released checkout-svc 4.31.0; as its new tasks take traffic, carts with percentage "
                    "promotions fail with a pydantic `ValidationError` (`discount_cents` got 1249.5) that only the new "
                    "tasks raise, and the checkout target group's 5XX climbs with the share of new tasks. Forty seconds "
                    "after the release started, and just before the first new task served, an engineer flipped "
                    "`/shop/prod/search/SYNONYMS_ENABLED`, a setting of search-svc, which reloaded it and kept serving "
                    "cleanly (its target group has no 5XX). The tie-break 'a "
                    "config change beats a deployment' only applies when both could explain the fault; this config "
                    "change is on another service and cannot. New error signature only after the release: "
                    "bad_deployment on shop/checkout-svc."}
    return doc, meta
