"""h16-16: a bigint id sequence passes 2^31-1 and the application still reads it into a 32-bit int."""
from __future__ import annotations

import datetime as dt

import numpy as np

from . import aws
from .kit import N, TIMES, Scenario, counts, daily, hourly_bumps, jitter, step, window
from .logfmt import alb_line, poisson_times

META = {
    "file": "h16-16-points-id-passes-int32",
    "postmortem": "integer overflow when an identifier crosses 2,147,483,647 (the Y2K22-style int32 bug, with no "
                  "change on the day)",
    "side": "front (public ALB target 5XX; origin is the application on the two EC2 instances)",
    "decoys": "patching and reboot of loyalty-batch-1 15 min before; hourly vacuum CPU bumps on loyalty-db; "
              "steady client-disconnect warnings and rare Npgsql read timeouts",
    "story": (
        "The loyalty API (.NET 8 on two EC2 instances) logs every points transaction it records; the ids climb "
        "through 2,147,48x,xxx during the morning. At 12:04 the database sequence (bigint) hands out 2,147,483,648 "
        "and every earn/redeem request from then on fails with 'System.OverflowException: Value was either too "
        "large or too small for an Int32' at Convert.ToInt32(Int64) in PointsRepository.InsertTransactionAsync, "
        "and history pages of members with new transactions fail in the same way. The ALB's target 5XX alarm "
        "fires. There is no deploy (the last was nine days ago), no configuration change to the API, and CPU, "
        "memory, the database and the load balancer are healthy. Unhandled exceptions with no preceding change "
        "and no resource or dependency fault: application_error in the loyalty app on loyalty-app-1/2. The "
        "patching of the batch host and the database's hourly vacuum bumps are unrelated."),
}

ALB = "app/loyalty-web/0a1b2c3d4e5f6071"
APP = {"i-07a8b9c0d1e2f3a45": "loyalty-app-1", "i-08b9c0d1e2f3a4b56": "loyalty-app-2"}
BATCH = ("i-09c0d1e2f3a4b5c67", "loyalty-batch-1")
TG = "arn:aws:elasticloadbalancing:eu-north-1:310845527719:targetgroup/loyalty-api/7f6e5d4c3b2a1908"
LIMIT = 2147483647


def _dn(level: str, category: str, event: int, msg: str) -> str:
    return f"{level}: {category}[{event}]\n      " + msg.replace("\n", "\n      ")


def _overflow(kind: str) -> str:
    frames = {
        "earn": ["Loyalty.Data.PointsRepository.InsertTransactionAsync(PointsTransaction tx, CancellationToken ct) in "
                 "/src/Loyalty.Data/PointsRepository.cs:line 88",
                 "Loyalty.Api.Services.PointsService.EarnAsync(EarnRequest request, CancellationToken ct) in "
                 "/src/Loyalty.Api/Services/PointsService.cs:line 57",
                 "Loyalty.Api.Controllers.PointsController.Earn(EarnRequest request, CancellationToken ct) in "
                 "/src/Loyalty.Api/Controllers/PointsController.cs:line 34"],
        "history": ["Loyalty.Data.Mapping.TransactionMapper.Map(NpgsqlDataReader reader) in "
                    "/src/Loyalty.Data/Mapping/TransactionMapper.cs:line 21",
                    "Loyalty.Data.PointsRepository.GetHistoryAsync(String memberId, Int32 take, CancellationToken ct) "
                    "in /src/Loyalty.Data/PointsRepository.cs:line 131",
                    "Loyalty.Api.Controllers.MembersController.History(String id, CancellationToken ct) in "
                    "/src/Loyalty.Api/Controllers/MembersController.cs:line 47"]}[kind]
    lines = ["An unhandled exception has occurred while executing the request.",
             "System.OverflowException: Value was either too large or too small for an Int32.",
             "   at System.Convert.ThrowInt32OverflowException()", "   at System.Convert.ToInt32(Int64 value)"]
    lines += [f"   at {f}" for f in frames]
    lines += ["   at lambda_method12(Closure, Object)",
              "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.AwaitableObjectResultExecutor."
              "Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, "
              "Object controller, Object[] arguments)",
              "   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0("
              "ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)"]
    return "\n".join(lines)


def build(seed: int) -> Scenario:
    sc = Scenario("h16-16-points-id-passes-int32",
                  "Members cannot earn or redeem points (HTTP 500); loyalty-web target 5XX alarm.",
                  "eu-north-1", seed, dt.datetime(2026, 1, 14, 12, 40))
    O = -2160.0
    on = step(O)
    day = daily(sc, peak_hour=12, depth=0.5)
    sc.resource("alb", ALB, name="loyalty-web", scheme="internet-facing", target_groups=["loyalty-api"])
    for iid, name in APP.items():
        sc.resource("ec2", iid, name=name, instance_type="m6i.large", log_groups=["/loyalty/api/app"])
    sc.resource("ec2", BATCH[0], name=BATCH[1], instance_type="r6i.large", log_groups=["/loyalty/batch/app"])
    sc.resource("rds", "loyalty-db", engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=250)

    req = counts(sc, 410 * day)
    writes = np.round(req * 0.34 * jitter(sc, 1, 0.05))
    hist_fail = np.round(req * 0.3 * np.clip((TIMES - O) / 2400, 0, 0.25))
    t5 = counts(sc, 0.5) + np.round(writes * on) + hist_fail
    aws.alb_metrics(sc, ALB, req, t5, jitter(sc, 0.058, 0.07), healthy=2, t4xx=counts(sc, 6 * day))
    for iid in APP:
        aws.ec2_metrics(sc, iid, jitter(sc, 12 + 16 * day, 0.08), 2.4 * day, mem_pct=jitter(sc, 51, 0.01),
                        disk_pct=jitter(sc, 29, 0.001))
    patch = window(O - 900, O - 640)
    bcpu = jitter(sc, 9, 0.15) + patch * 55
    bcpu[(TIMES >= O - 700) & (TIMES < O - 640)] = np.nan
    aws.ec2_metrics(sc, BATCH[0], bcpu, 0.6, mem_pct=jitter(sc, 33, 0.02), disk_pct=jitter(sc, 61, 0.001))
    vac = hourly_bumps(sc, 15, 4, 1.0) - 1
    aws.rds_metrics(sc, "loyalty-db", jitter(sc, 11 + 9 * day, 0.07) + vac * 34, 46 + sc.rng.normal(0, 2, N), 171.3,
                    jitter(sc, 5.2, 0.004), read_iops=520 * day + vac * 1400, write_iops=240 * day)

    # --- application logs --------------------------------------------------------------------------------------
    first_bad = None
    streams: dict[str, list] = {iid: [] for iid in APP}
    reqs = [(t, sc.rng.random(), int(sc.rng.integers(1, 4))) for t in poisson_times(sc, req * 0.3, -5400)]
    seq = LIMIT - sum(step_ for t, r, step_ in reqs if r < 0.34 and t < O)
    for t, r, step_ in reqs:
        iid = sc.pick(list(APP))
        ev = streams[iid]
        ms = sc.rng.gamma(4, 9)
        if r < 0.34:
            seq += step_
            kind = sc.pick(["earn", "earn", "redeem"])
            member = f"M-{int(sc.rng.integers(10 ** 6, 10 ** 7)):07d}"
            if seq > LIMIT:
                first_bad = first_bad or t
                ev.append((t + ms / 1000, _dn("fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", 1,
                                             _overflow("earn"))))
                ev.append((t + ms / 1000 + 0.001, _dn("info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                                     f"Request finished HTTP/1.1 POST http://loyalty-api/api/points/"
                                                     f"{kind} - 500 0 - {ms:.4f}ms")))
                continue
            pts = int(sc.rng.integers(10, 900))
            ev.append((t + ms / 1000, _dn("info", "Loyalty.Api.Services.PointsService", 0,
                                         f"Recorded points transaction {seq} ({kind} {pts}) for member {member}")))
        elif r < 0.64 and t >= O and sc.rng.random() < min(0.25, (t - O) / 2400):
            ev.append((t + ms / 1000, _dn("fail", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", 1,
                                         _overflow("history"))))
        elif sc.rng.random() < 0.25:
            path = sc.pick(["/api/members/M-%07d/history" % sc.rng.integers(10 ** 6, 10 ** 7), "/api/rewards",
                            "/api/members/M-%07d" % sc.rng.integers(10 ** 6, 10 ** 7)])
            ev.append((t + ms / 1000, _dn("info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                         f"Request finished HTTP/1.1 GET http://loyalty-api{path} - 200 - "
                                         f"application/json;+charset=utf-8 {ms:.4f}ms")))
    for iid, ev in streams.items():
        for t in poisson_times(sc, 0.25, -5400):
            ev.append((t, _dn("warn", "Loyalty.Api.Middleware.RequestAbortedLogger", 0,
                              "Client disconnected before the response completed (TaskCanceledException: "
                              "A task was canceled.)")))
        for t in poisson_times(sc, 0.04, -5400):
            ev.append((t, _dn("warn", "Loyalty.Data.Retry", 0, "Transient database error, retrying (1/3): "
                                                              "Npgsql.NpgsqlException (0x80004005): Exception while "
                                                              "reading from stream ---> System.TimeoutException: "
                                                              "Timeout during reading attempt")))
        sc.log("/loyalty/api/app", iid, ev)
    ev = []
    for t in poisson_times(sc, 0.4, -7200):
        if O - 700 <= t < O - 640:
            continue
        ev.append((t, _dn("info", "Loyalty.Batch.TierRecalc", 0, f"Recalculated tiers for "
                                                                 f"{int(sc.rng.integers(100, 900))} members")))
    ev.append((O - 640, _dn("info", "Microsoft.Hosting.Lifetime", 0, "Application started. Press Ctrl+C to shut down.")))
    sc.log("/loyalty/batch/app", BATCH[0], ev)
    alb_ev = []
    for t in poisson_times(sc, req / 40.0, -5400):
        w = sc.rng.random() < 0.34
        bad = (w and t >= (first_bad or O)) or (not w and t >= O and sc.rng.random() < 0.3 * min(0.25, (t - O) / 2400))
        st = 500 if bad else 200
        path = sc.pick(["/api/points/earn", "/api/points/redeem"]) if w else "/api/members/M-%07d/history" % \
            sc.rng.integers(10 ** 6, 10 ** 7)
        alb_ev.append((t, alb_line(sc, t, ALB, f"10.50.{int(sc.rng.integers(1, 3))}.{int(sc.rng.integers(9, 250))}:5000",
                                   "POST" if w else "GET", f"https://api.nordpoints.se:443{path}", st, st, 0.001,
                                   sc.rng.gamma(4, 0.012), 0.0, TG, sc.pick(["NordPoints/5.2 (iOS 18.2)",
                                                                            "NordPoints/5.2 (Android 14)",
                                                                            "pos-terminal/3.8"]),
                                   int(sc.rng.integers(200, 1200)), int(sc.rng.integers(90, 3000)))))
    sc.log("/alb/loyalty-web/access", "loyalty-web", alb_ev)
    sc.change(-86400 * 9, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "loyalty-api-prod", "gitlab-release")
    sc.change(O - 900, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", BATCH[0], "patch-manager")
    sc.change(O - 700, "ec2.amazonaws.com", "RebootInstances", "AWS::EC2::Instance", BATCH[0], "patch-manager")
    lb = {"LoadBalancer": ALB}
    sc.alarm_on("loyalty-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, t5, "Sum", 60, 3,
                20, "GreaterThanThreshold", description="loyalty API returning 5XX")
    accepted = []
    for iid, name in APP.items():
        accepted += [iid, name]
    sc.set_expect("loyalty-web-target-5xx", "application_error", accepted,
                  [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb)])
    return sc
