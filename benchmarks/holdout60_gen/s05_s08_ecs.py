"""Scenarios 05 (break-glass hotfix during the freeze) and 08 (export service runs out of heap)."""
from __future__ import annotations

from .common import HISTORY, Scenario, bump, diurnal, ramp
from .kit import (GRID, alb_id, alb_metrics, const, counts, ecs_metrics, ecs_tasks, gauge, pino,
                  rds_metrics, share)
from .runtimes import serilog


# ============================================================================ 05
def s05() -> Scenario:
    sc = Scenario(5, "disbursement-hotfix", "Payout requests failing on the last day of the "
                  "quarter; internal payments ALB 5XX alarm.", "eu-west-2", 6005,
                  "2026-09-30T11:30:00+00:00")
    TREG, TDEP, TD = -2495, -2460, -2420
    T0 = TDEP + 70
    cl, svc, lbn = "pay-core", "disbursements", "pay-core-int"
    lb = alb_id(sc, lbn)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4,
                runtime=".NET 8 (ASP.NET Core)", task_definition="disbursements:88")
    sc.resource("ecs", f"{cl}/ledger-writer", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name=lbn, scheme="internal")
    sc.resource("rds", "paycore-sql", engine="sqlserver-se", engine_version="16.00",
                instance_class="db.r6i.xlarge", allocated_storage_gb=1000)

    new = lambda t: ramp(t, TDEP + 50, TDEP + 170)
    req = counts(sc, lambda t: 780 * diurnal(sc, t, 11, 0.25))
    t5 = share(sc, req, lambda t: 0.0008 + 0.21 * new(t))
    alb_metrics(sc, lb, req, t5, share(sc, req, lambda t: 0.0003 + 0.01 * bump(t, TDEP + 60, TDEP + 180, 1, 30)),
                gauge(sc, lambda t: 0.085 + 0.03 * new(t), noise=0.08, digits=4),
                [4.0 + (4.0 if TDEP + 60 <= t < TDEP + 200 else 0.0) for t in GRID], const(0),
                t4xx=share(sc, req, lambda t: 0.012))
    ecs_metrics(sc, cl, svc, gauge(sc, lambda t: 24 * diurnal(sc, t, 11) + bump(t, TDEP + 60, TDEP + 200, 18, 30),
                                   abs_noise=2),
                gauge(sc, lambda t: 38 + 4 * new(t), abs_noise=1),
                [4.0 + (4.0 if TDEP + 60 <= t < TDEP + 200 else 0.0) for t in GRID])
    ecs_metrics(sc, cl, "ledger-writer", gauge(sc, lambda t: 31 * diurnal(sc, t, 11), abs_noise=2),
                gauge(sc, lambda t: 52, abs_noise=1), const(2))
    fails = share(sc, req, lambda t: 0.001 + 0.19 * new(t))
    sc.metric("Paycore/Disbursements", "PayoutsFailed", {"Service": svc}, "Count", fails)
    rds_metrics(sc, "paycore-sql", gauge(sc, lambda t: 34 * diurnal(sc, t, 11), abs_noise=2),
                counts(sc, lambda t: 120), gauge(sc, lambda t: 611, noise=0.0005),
                gauge(sc, lambda t: 0.0014, noise=0.2, digits=5),
                gauge(sc, lambda t: 0.0022, noise=0.2, digits=5))

    grp = f"/ecs/{svc}"
    rails = ["FasterPayments", "BACS", "SEPA-CT", "SEPA-INST", "CHAPS"]

    def line(t, st, build_new):
        r = sc.rng.random()
        po = f"PO-{sc.rng.randint(10 ** 7, 10 ** 8)}"
        if build_new and r < 0.21:
            return serilog(sc, t, "ERR", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
                           "An unhandled exception has occurred while executing the request.\n"
                           "System.InvalidOperationException: Nullable object must have a value.\n"
                           "   at System.Nullable`1.get_Value()\n"
                           "   at Paycore.Disbursements.Routing.RailSelector.Select(PayoutRequest "
                           "request) in /src/Disbursements/Routing/RailSelector.cs:line 118\n"
                           "   at Paycore.Disbursements.Api.PayoutsController.Create(CreatePayout "
                           "cmd, CancellationToken ct) in /src/Disbursements/Api/PayoutsController.cs:line 57")
        if r < 0.26:
            return serilog(sc, t, "WRN", "Paycore.Disbursements.Data.PayoutRepository",
                           "Transaction (Process ID " f"{sc.rng.randint(51, 140)}) was deadlocked on "
                           "lock resources with another process and has been chosen as the deadlock "
                           "victim. Rerun the transaction. Retry 1/3 succeeded")
        if r < 0.33:
            return serilog(sc, t, "ERR", "Paycore.Disbursements.Webhooks.StatusNotifier",
                           f"Webhook delivery for {po} to https://hooks.acme-payroll.example/paycore "
                           "failed: 410 (Gone); giving up after 5 attempts")
        return serilog(sc, t, "INF", "Paycore.Disbursements.Api.PayoutsController",
                       f"Payout {po} accepted rail={sc.rng.choice(rails)} "
                       f"amount={sc.rng.uniform(10, 90000):.2f} GBP cutoff=2026-09-30T15:00Z")

    def start(build):
        return lambda t, st: [
            serilog(sc, t, "INF", "Paycore.Disbursements.Program", f"Build {build} starting; "
                    "environment=Production; cutoff calendar UK-2026Q3"),
            serilog(sc, t + 1.8, "INF", "Microsoft.Hosting.Lifetime",
                    "Now listening on: http://[::]:8080")]
    old = [(-HISTORY - 9000, TDEP + 200 + 20 * i) for i in range(3)]
    ecs_tasks(sc, grp, "ecs", svc, old, lambda t: 2.2, lambda t, st: line(t, st, False),
              start_lines=start("2026.09.24.1 (commit 41c07de)"),
              end_lines=lambda t, st: [serilog(sc, t, "INF", "Microsoft.Hosting.Lifetime",
                                               "Application is shutting down...")])
    newt = [(TDEP + 45 + 6 * i, 0) for i in range(3)]
    ecs_tasks(sc, grp, "ecs", svc, newt, lambda t: 2.4, lambda t, st: line(t, st, True),
              start_lines=start("2026.09.30-hotfix.2 (commit 9f3ab2c)"))

    bg = "AWSReservedSSO_BreakGlassDeploy_2f7d9a1c0b3e5f64/t.okafor"
    sc.change(-15300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cl}/ledger-writer", "azure-devops-deploy")
    sc.change(TREG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "disbursements:88", bg)
    sc.change(TDEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", bg)
    sc.change(TD, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", "ledger-writer-task",
              "AWSReservedSSO_AuditReadOnly_c4e1f0a9b8d7e6f5/r.patel")

    sc.alarm("ledger-writer-cpu", "AWS/ECS", "CPUUtilization",
             {"ClusterName": cl, "ServiceName": "ledger-writer"}, "Average", 300, 2, 80,
             "GreaterThanThreshold")
    sc.alarm("disbursements-payouts-failed", "Paycore/Disbursements", "PayoutsFailed",
             {"Service": svc}, "Sum", 300, 1, 20, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "Internal payments ALB target 5XX")
    sc.expect = {"alarm": f"{lbn}-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB → ECS)",
        services="ALB, ECS Fargate (.NET 8, Serilog), RDS SQL Server, IAM",
        decoys="auditor DeleteRolePolicy on another service's role between the deploy and the "
               "onset; old SQL deadlock WARNs and webhook 410 ERRORs; payouts-failed alarm",
        story=(
            "Quarter-end deploy freeze is on, but a break-glass SSO session registers "
            "`disbursements:88` and updates `pay-core/disbursements` (.NET 8 on Fargate behind "
            "the internal ALB). New tasks log `Build 2026.09.30-hotfix.2` and, as soon as they "
            "take traffic, about a fifth of payout requests fail with a new signature: "
            "`System.InvalidOperationException: Nullable object must have a value` at "
            "`RailSelector.Select ... RailSelector.cs:line 118`. The old tasks (build "
            "2026.09.24.1) never logged it; target 5XX and the custom PayoutsFailed metric jump "
            "together while CPU, memory, DB and request volume are normal. Decoys: an auditor "
            "session deletes an inline policy on `ledger-writer-task` 40 s after the deploy, "
            "closer to onset, but ledger-writer shows no errors or AccessDenied; SQL Server "
            "deadlock-retry WARNs and webhook `410 (Gone)` ERRORs run at the same rate in old and "
            "new tasks for hours."),
    )
    return sc


# ============================================================================ 08
def s08() -> Scenario:
    sc = Scenario(8, "statement-exports", "Customers' statement downloads failing with 502s at "
                  "August close; public ALB 5XX alarm.", "ap-northeast-1", 6008,
                  "2026-08-31T02:50:00+00:00")
    TX, T0, TD = -3300, -2160, -2290
    cl, svc, lbn = "stmts", "export-svc", "stmt-public"
    lb = alb_id(sc, lbn)
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024,
                memory=2048, runtime="nodejs20 (fastify, --max-old-space-size=1792)")
    sc.resource("ecs", f"{cl}/doc-render", launch_type="FARGATE", desired_count=3)
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")

    # per-task heap: grows from TX, the first task dies at T0, replacements die every ~7-10 min
    kills = [T0, T0 + 310, T0 + 640, T0 + 900, T0 + 1260, T0 + 1530, T0 + 1820, T0 + 2050]
    load = lambda t: ramp(t, TX, TX + 600)

    def mem(t):
        if t < T0:
            return 44 + 48 * ramp(t, TX, T0)
        last = max(k for k in kills if k <= t)
        nxt = min([k for k in kills if k > t], default=last + 300)
        v = 86 + 10 * (t - last) / max(60, nxt - last)
        return v - (12 if t < last + 80 else 0)
    memv = gauge(sc, mem, noise=0.015, cap=100)
    running = [4.0 - (1.0 if any(k <= t < k + 80 for k in kills) else 0.0) for t in GRID]
    ecs_metrics(sc, cl, svc, gauge(sc, lambda t: 28 * diurnal(sc, t, 3) + 14 * load(t), abs_noise=2),
                memv, running)
    ecs_metrics(sc, cl, "doc-render", gauge(sc, lambda t: 35 + bump(t, TD + 40, TD + 220, 25, 40),
                                            abs_noise=2),
                gauge(sc, lambda t: 49, abs_noise=1), [3.0 + (3.0 if TD + 40 <= t < TD + 200 else 0.0)
                                                       for t in GRID])
    req = counts(sc, lambda t: 520 * diurnal(sc, t, 3, 0.3) * (1 + 0.18 * load(t)))
    hit = lambda t: 1.0 if any(k <= t < k + 80 for k in kills) else 0.0
    e5 = share(sc, req, lambda t: 0.0006 + 0.14 * hit(t) + 0.025 * ramp(t, T0 - 60, T0))
    t5 = share(sc, req, lambda t: 0.001 + 0.02 * hit(t))
    alb_metrics(sc, lb, req, t5, e5, gauge(sc, lambda t: 0.42 + 0.9 * load(t) * (1 if t > T0 - 600 else 0.4),
                                            noise=0.1, digits=4),
                [4.0 - hit(t) for t in GRID], [hit(t) for t in GRID])

    grp, host = f"/ecs/{svc}", "ip-10-32-{}-{}.ap-northeast-1.compute.internal"

    def line(t, st):
        h = host.format(int(st[-2:], 16) % 16, int(st[-4:-2], 16))
        r = sc.rng.random()
        if r < 0.06:
            return pino(sc, t, 50, "doc-render returned 409 Conflict, retrying", h,
                        reqId=f"req-{sc.hexid(6)}", attempt=1)
        big = sc.rng.random() < load(t) * 0.4
        url = (f"/v2/exports/{sc.uuid()}?format={'pdf' if big else 'csv'}&period="
               f"{'2026-08' if big else '2026-08-2' + str(sc.rng.randint(0, 9))}")
        return pino(sc, t, 30, "request completed", h, reqId=f"req-{sc.hexid(6)}",
                    res={"statusCode": 200}, url=url,
                    responseTime=round(sc.rng.uniform(900, 9000) if big else sc.rng.uniform(40, 400), 3),
                    rows=sc.rng.randint(8000, 61000) if big else sc.rng.randint(10, 900))

    def died(t, st):
        return ["<--- Last few GCs --->",
                f"[1:0x6a8f2c0] {sc.rng.randint(900000, 5000000)} ms: Mark-Compact 1781.4 (1815.2) -> "
                "1779.9 (1816.0) MB, 1642.18 / 0.00 ms  (average mu = 0.141, current mu = 0.022) "
                "allocation failure; scavenge might not succeed",
                "<--- JS stacktrace --->",
                "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                " 1: 0xb8d0a3 node::Abort() [node]",
                " 2: 0xa9a7b6  [node]",
                " 3: 0xd5f8e0 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, "
                "v8::OOMDetails const&) [node]"]

    def born(t, st):
        h = host.format(int(st[-2:], 16) % 16, int(st[-4:-2], 16))
        return [pino(sc, t, 30, "Server listening at http://0.0.0.0:8080", h),
                pino(sc, t + 0.2, 30, "export workers ready", h, maxRows=250000,
                     buffer="in-memory")]
    k = sorted(kills)
    lifetimes = [(-HISTORY - 5000, k[0]), (-HISTORY - 5000, k[1]), (-HISTORY - 5000, k[2]),
                 (-HISTORY - 5000, k[3])]
    lifetimes += [(k[0] + 75, k[4]), (k[1] + 75, k[5]), (k[2] + 75, k[6]), (k[3] + 75, k[7]),
                  (k[4] + 75, 0), (k[5] + 75, 0), (k[6] + 75, 0), (k[7] + 75, 0)]
    ecs_tasks(sc, grp, "export", svc, lifetimes, lambda t: 1.6 + 0.8 * load(t), line,
              start_lines=born, end_lines=died)
    ecs_tasks(sc, "/ecs/doc-render", "render", "doc-render", [(-HISTORY - 100, TD + 200),
                                                               (TD + 60, 0)],
              lambda t: 1.0, lambda t, st: pino(sc, t, 30, "rendered document", "ip-10-32-9-12",
                                                 pages=sc.rng.randint(1, 40)))

    sc.change(-19800, "iam.amazonaws.com", "TagRole", "AWS::IAM::Role", "export-svc-task",
              "AWSReservedSSO_AuditReadOnly_77a3e9c1d0b2f4e6/h.sato")
    sc.change(TD - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "doc-render:64", "github-actions-oidc")
    sc.change(TD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/doc-render",
              "github-actions-oidc")

    sc.alarm(f"{svc}-memory-high", "AWS/ECS", "MemoryUtilization",
             {"ClusterName": cl, "ServiceName": svc}, "Average", 300, 3, 85, "GreaterThanThreshold")
    sc.alarm(f"{lbn}-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 300, 1, 40, "GreaterThanThreshold", "Statement site 5XX from the load balancer")
    sc.expect = {"alarm": f"{lbn}-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    sc.meta = dict(
        front="front (ALB → ECS)",
        services="ALB, ECS Fargate (Node.js, pino JSON), IAM",
        decoys="doc-render deploy 2 min before the first kill; old doc-render 409 ERRORs in the "
               "app log; auditor TagRole on the task role 5 h earlier",
        story=(
            "`export-svc` (Node.js/fastify on Fargate, 2 GB tasks) builds statement exports in "
            "memory. When month-end PDF exports of the whole of August start (~19 min before "
            "the first failure) MemoryUtilization climbs steadily from ~45 %; at onset the first "
            "task dies with `FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap "
            "out of memory`, its replacement starts (`Server listening`) and the cycle repeats "
            "every 5-8 minutes across the four tasks. Each death drops RunningTaskCount, flags an "
            "unhealthy host and produces a burst of ALB-generated 502s. Request volume is only "
            "~15 % above normal and CPU moderate. Decoys: `doc-render` is redeployed two minutes "
            "before the first crash (its metrics settle in minutes); the `doc-render returned "
            "409 Conflict` ERRORs are there all day; an auditor tagged the task role hours ago."),
    )
    return sc
