"""h18-12: orders ALB 5xx; order-api relays 500s from fulfillment-svc, which throws on a destination it cannot rate."""
from __future__ import annotations

import json

import numpy as np

from .common import N, T, Scn
from .logfmt import TaskLog, pg_background, poisson_times
from . import svc

PUB = "app/orders-alb/1f5b9d3e7a2c4068"
INT = "app/fulfillment-internal-alb/7c3e1a9f5d2b8064"
INT_DNS = "internal-fulfillment-internal-alb-771203954.eu-central-1.elb.amazonaws.com"


def _net(s, t, level, category, msg, exc=None, **state):
    d = {"Timestamp": s.iso(t), "EventId": 1 if exc else 0, "LogLevel": level, "Category": category, "Message": msg}
    if exc:
        d["Exception"] = exc
    d["State"] = {"Message": msg, **state}
    return json.dumps(d, separators=(",", ":"))


def build():
    s = Scn("h18-12-orders-5xx-fulfillment-exception", 1812, "eu-central-1", "2026-03-24T13:15:00", 1.0)
    s.res("alb", PUB, name="orders-alb", scheme="internet-facing", target_groups=["order-api-tg"])
    s.res("ecs", "orders/order-api", desired_count=4, launch_type="FARGATE", awslogs_groups=["/ecs/order-api"],
          environment={"FULFILLMENT_URL": f"http://{INT_DNS}", "DB_HOST": "orders-db.cm2r8t4y6u1i.eu-central-1.rds"
                                                                          ".amazonaws.com"})
    s.res("alb", INT, name="fulfillment-internal-alb", scheme="internal", dns_name=INT_DNS,
          target_groups=["fulfillment-svc-tg"])
    s.res("ecs", "orders/fulfillment-svc", desired_count=3, launch_type="FARGATE",
          awslogs_groups=["/ecs/fulfillment-svc"], image="fulfillment-svc:8.3.1")
    s.res("ecs", "orders/email-svc", desired_count=1, launch_type="FARGATE", awslogs_groups=["/ecs/email-svc"])
    s.res("rds", "orders-db", engine="postgres", engine_version="16.1", instance_class="db.r6g.large",
          allocated_storage_gb=400, max_connections=800)

    onset = -1980.0
    shape = s.diurnal(peak=13.0, depth=0.65)
    req = s.pois(1550 * shape * (1 + s.ar(0.04)))
    places = s.pois(req * 0.058)
    is_share = 0.17 * s.win(onset, rise=240)
    fails = np.array([s.rng.binomial(int(n), p) for n, p in zip(places, is_share)], dtype=float)
    t5_int = fails + s.pois(np.full(N, 0.03))
    t5_pub = fails + s.pois(np.full(N, 0.35))
    svc.alb(s, PUB, req, s.gauge(0.095 + 0.02 * shape, 0.006, lo=0.03), t5=t5_pub, t4=s.pois(req * 0.012),
            healthy=np.full(N, 4.0))
    svc.alb(s, INT, places, s.gauge(np.full(N, 0.14), 0.01, lo=0.04), t5=t5_int, t4=s.pois(places * 0.004),
            healthy=np.full(N, 3.0))
    svc.ecs(s, "orders", "order-api", s.gauge(24 * shape + 5, 1.6, lo=2), s.gauge(np.full(N, 36.0), 0.5))
    svc.ecs(s, "orders", "fulfillment-svc", s.gauge(13 * shape + 5, 1.2, lo=2), s.gauge(np.full(N, 49.0), 0.6))
    dep = onset - 260
    dep_w = s.win(dep + 30, dep + 220, fall=60)
    svc.ecs(s, "orders", "email-svc", s.gauge(np.full(N, 7.0), 1, lo=1) + 22 * dep_w, s.gauge(np.full(N, 30.0), 0.4),
            running=1 + np.round(dep_w))
    svc.rds(s, "orders-db", s.gauge(14 + 20 * shape, 1.8, lo=3), s.gauge(70 + 30 * shape, 3, lo=20),
            s.gauge(np.full(N, 232.0), 0.05), 9.5, load=shape)

    # ---- fulfillment-svc -------------------------------------------------------------
    fl = TaskLog(s, "/ecs/fulfillment-svc", "fulfillment-svc", "fulfillment-svc", 3)
    cat_a = "Northwind.Fulfillment.Allocation.AllocationService"
    exc = ("System.InvalidOperationException: Sequence contains no matching element\n"
           "   at System.Linq.ThrowHelper.ThrowNoMatchException()\n"
           "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source, Func`2 predicate)\n"
           "   at Northwind.Fulfillment.Shipping.RateTable.RateFor(String countryCode, Decimal weightKg) in "
           "/src/Fulfillment/Shipping/RateTable.cs:line 57\n"
           "   at Northwind.Fulfillment.Allocation.AllocationService.AllocateAsync(AllocationRequest request, "
           "CancellationToken ct) in /src/Fulfillment/Allocation/AllocationService.cs:line 112\n"
           "   at Northwind.Fulfillment.Api.AllocationsController.Create(AllocationRequest request, CancellationToken "
           "ct) in /src/Fulfillment/Api/AllocationsController.cs:line 38\n"
           "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute("
           "ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object "
           "controller, Object[] arguments)\n"
           "   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0("
           "ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)")
    for i in np.nonzero(T >= -9000)[0]:
        n_ok = int(places[i]) - int(fails[i])
        for _ in range(n_ok):
            t = T[i] + float(s.rng.uniform(0, 60))
            if s.rng.random() < 0.25:
                dest = s.pick(["DE", "DE", "AT", "NL", "SE", "DK", "FR", "PL", "NO"])
                fl.add(t, _net(s, t, "Information", cat_a, f"Allocated order ORD-{int(s.rng.integers(10**7, 10**8))} "
                                                          f"to warehouse {s.pick(['LEJ1', 'HAM2', 'WRO1'])} "
                                                          f"destination={dest}"))
        for _ in range(int(fails[i])):
            t = T[i] + float(s.rng.uniform(0, 60))
            oid = f"ORD-{int(s.rng.integers(10 ** 7, 10 ** 8))}"
            fl.add(t, _net(s, t, "Information", cat_a, f"Allocating order {oid} channel=nordic-marketplace "
                                                      f"destination=IS weight={s.rng.uniform(0.3, 9.0):.1f}kg",
                           OrderId=oid))
            fl.add(t + 0.004, _net(s, t + 0.004, "Error", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                                   "An unhandled exception has occurred while executing the request.", exc,
                                   RequestPath="/v1/allocations"))
    for t in poisson_times(s, 0.3):
        fl.add(t, _net(s, t, "Warning", "Northwind.Fulfillment.Carriers.DhlExpressClient",
                       f"Carrier quote API slow ({int(s.rng.integers(1800, 4200))} ms), using cached rate"))
    fl.flush()

    # ---- order-api (Go slog) ---------------------------------------------------------
    ol = TaskLog(s, "/ecs/order-api", "order-api", "order-api", 4)
    for t in np.arange(-21600, 0, 60.0):
        i = int((t + 21600) // 60)
        for task in ol.live(t):
            tt = t + float(s.rng.uniform(0, 10))
            ol.add(tt, json.dumps({"time": s.iso(tt), "level": "INFO", "msg": "http stats", "requests": int(req[i] / 4),
                                   "orders_placed": int(places[i] / 4), "p95_ms": int(s.rng.integers(150, 280))}), task)
    for t in poisson_times(s, 0.35):
        ol.add(t, json.dumps({"time": s.iso(t), "level": "WARN", "msg": "idempotency key reused with different body",
                              "key": s.hexs(16), "status": 422}))
    for i in np.nonzero(fails > 0)[0]:
        for _ in range(int(fails[i])):
            t = T[i] + float(s.rng.uniform(0.2, 60))
            ol.add(t, json.dumps({"time": s.iso(t), "level": "ERROR", "msg": "fulfillment allocation failed",
                                  "order_id": f"ORD-{int(s.rng.integers(10 ** 7, 10 ** 8))}", "status": 500,
                                  "upstream": f"http://{INT_DNS}/v1/allocations", "channel": "nordic-marketplace",
                                  "response_status": 500}))
    ol.flush()

    el = TaskLog(s, "/ecs/email-svc", "email-svc", "email-svc", 1)
    old = el.tasks[0]
    nt = el.start_task(dep + 35)
    el.add(dep + 40, json.dumps({"time": s.iso(dep + 40), "level": "INFO", "msg": "email-svc 3.2.0 listening on :8080"}),
           nt)
    el.add(dep + 180, json.dumps({"time": s.iso(dep + 180), "level": "INFO", "msg": "received SIGTERM, draining"}), old)
    el.stop_task(old, dep + 181)
    for t in poisson_times(s, 3.0 * shape):
        el.add(t, json.dumps({"time": s.iso(t), "level": "INFO", "msg": "sent",
                              "template": s.pick(["order_confirmation", "shipping_update"]), "provider": "ses"}))
    el.flush()

    s.stream("/aws/rds/instance/orders-db/postgresql", "orders-db.0",
             pg_background(s, t_from=-10800, tables=("orders", "order_lines", "payments"), dbname="orders"))

    s.change(-14500, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/order-api", "argo-deployer")
    s.change(-14530, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "order-api:311",
             "argo-deployer")
    s.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "email-svc:58",
             "argo-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "orders/email-svc", "argo-deployer")
    first = float(T[int(np.argmax(fails > 0))])
    s.alarm("orders-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": PUB}, "Sum", 60, 3,
            5, desc="Order placement 5xx", after=first, before=first + 900)
    s.alarm("fulfillment-internal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": INT},
            "Sum", 300, 1, 10, after=first)
    s.alarm("orders-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "orders-db"}, "Average", 300, 3,
            80, want="OK")
    doc = s.doc("Some orders fail at checkout with a 500; orders ALB 5xx alarm in ALARM.",
                "orders-alb-5xx", "application_error", ["orders/fulfillment-svc", "fulfillment-svc"],
                [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                  "dimensions": {"LoadBalancer": INT}}])
    meta = {"alarm_on": "front (public ALB of order-api; origin behind the internal ALB)",
            "decoys": "email-svc deploy 4 min before onset; order-api deploy 3.5 h earlier; constant "
                      "idempotency-key and carrier-latency warnings",
            "story": (
                "A marketplace channel starts sending orders to Iceland. fulfillment-svc's rate table has no entry "
                "for IS and `RateTable.RateFor` throws `System.InvalidOperationException: Sequence contains no "
                "matching element` for each such order; the internal ALB returns 500, order-api logs 'fulfillment "
                "allocation failed' and returns 500 to the shopper, and the orders ALB 5xx alarm fires. No deploy, "
                "config or resource change on fulfillment-svc; CPU, memory and the database are normal. Deciding "
                "evidence: the unhandled exception in fulfillment-svc preceding each upstream failure, only "
                "destination=IS failing; the email-svc deploy is not on the order path.")}
    return doc, meta
