"""h69-09 (month-end ledger reconcile outgrows its timeout) and h69-10 (partner replays webhooks)."""
from __future__ import annotations

from .common import diurnal
from .kit import (LOG_START, LambdaLogs, Scenario, Tasks, bump, emit, lam_props, lambda_sampled,
                  meta, put, ramp, tenant)
from .runtimes import rails


# --------------------------------------------------------------------------- h69-09
def build09() -> Scenario:
    sc = Scenario(9, "ledger-reconcile-errors", "Month-end reconciliation runs failing for several "
                  "tenants; Errors alarm on the reconcile function.", "ca-central-1", 690909,
                  "2026-03-31T23:55:00")
    TO = 120
    sc.resource("lambda", "ledger-reconcile", **lam_props("dotnet8", TO, 1024,
                trigger="EventBridge Scheduler (per tenant, every 5 min)"))
    sc.resource("lambda", "fx-rates-pull", **lam_props("dotnet8", 30, 256))
    sc.resource("rds", "ledger-pg", engine="postgres", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=300)
    rng = sc.rng
    grow = lambda t: ramp(t, -19000, -2700)  # noqa: E731  month-end postings pile up
    mean_d = lambda t: 38000 + 62000 * grow(t) + 12000 * ramp(t, -2700, -1500)  # noqa: E731
    share = lambda t: 0.5 * ramp(t, -2700, -1800)  # noqa: E731  runs that need more than 120 s
    L = {"FunctionName": "ledger-reconcile"}
    inv = put(sc, "AWS/Lambda", "Invocations", L, "Count", lambda t: 12, integer=True)
    err = put(sc, "AWS/Lambda", "Errors", L, "Count", lambda t: inv.get(t, 0) * share(t), integer=True)
    put(sc, "AWS/Lambda", "Duration", L, "Milliseconds", lambda t: min(mean_d(t), 113000), noise=0.04)
    put(sc, "AWS/Lambda", "ConcurrentExecutions", L, "Count", lambda t: 12 * mean_d(t) / 60000,
        integer=True)
    put(sc, "AWS/Lambda", "Throttles", L, "Count", lambda t: 0.0, integer=True)
    F = {"FunctionName": "fx-rates-pull"}
    put(sc, "AWS/Lambda", "Invocations", F, "Count", lambda t: 1, integer=True)
    put(sc, "AWS/Lambda", "Errors", F, "Count", lambda t: 0.0, integer=True)
    put(sc, "AWS/Lambda", "Duration", F, "Milliseconds", lambda t: 640 - 90 * (t > -2520), noise=0.1)
    R = {"DBInstanceIdentifier": "ledger-pg"}
    put(sc, "AWS/RDS", "CPUUtilization", R, "Percent", lambda t: 24 + 8 * grow(t) +
        bump(t, -11000, -10500, 35, 90), noise=0.08)
    put(sc, "AWS/RDS", "ReadLatency", R, "Seconds", lambda t: 0.0012, noise=0.15, digits=5)
    put(sc, "AWS/RDS", "DatabaseConnections", R, "Count", lambda t: 70 + 12 * grow(t), integer=True)

    ll = LambdaLogs(sc, "ledger-reconcile", "dotnet8", 1024, TO, mem_used=(420, 25))

    def body(ll, t, rid, is_err, cold):
        ten = tenant(sc)
        d = min(117800, rng.gauss(mean_d(t), 7000)) if not is_err else TO * 1000 + 5
        entries = int(d * 4.1 + rng.randint(-2000, 2000))
        pages = entries // 500 + 1
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Reconciling {ten} period 2026-03 (journal entries: "
                               f"{entries:,}, pages: {pages})"))]
        step_s = (d / 1000) / pages
        for p in range(25, pages, max(25, pages // 6)):
            if p * step_s >= TO - 0.5:
                break
            lines.append((p * step_s, ll.fmt(t, rid, "INFO", f"Page {p}/{pages} matched "
                          f"{rng.randint(480, 500)} entries (partner GET /v2/ledger/entries {rng.randint(60, 110)}"
                          f" ms, db {rng.randint(3, 12)} ms)")))
            if rng.random() < 0.12:
                lines.append((p * step_s + 0.01, ll.fmt(t, rid, "WARN", f"Partner returned 409 "
                              f"Conflict for entry je_{sc.hexid(10)}: already reconciled; skipping")))
        if is_err:
            return {"lines": lines, "dur": d, "status": "timeout"}
        lines.append((d / 1000 - 0.05, ll.fmt(t, rid, "INFO", f"Reconciled {ten}: {entries:,} entries, "
                      f"{rng.randint(0, 14)} exceptions queued for review")))
        return {"lines": lines, "dur": d}
    lambda_sampled(ll, inv, err, body, cap=1.6)
    fl = LambdaLogs(sc, "fx-rates-pull", "dotnet8", 256, 30, mem_used=(92, 4), retire=(-2520,))

    def fbody(ll, t, rid, is_err, cold):
        return {"lines": [(0.4, ll.fmt(t, rid, "INFO", f"Stored {rng.randint(31, 33)} FX rates "
                                       "(base CAD) from ratesfeed"))], "dur": rng.gauss(620, 60)}
    lambda_sampled(fl, {t: 1 for t in range(LOG_START, 0, 120)}, {}, fbody, cap=1)
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "fx-rates-pull", "priya.raman")
    sc.change(-17200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "ledger-reconcile", "azure-devops-ledger")
    sc.alarm("ledger-reconcile-errors", "AWS/Lambda", "Errors", L, "Sum", 300, 2, 8,
             "GreaterThanThreshold", "Reconcile runs failing")
    sc.alarm("ledger-pg-cpu", "AWS/RDS", "CPUUtilization", R, "Average", 300, 1, 55, "GreaterThanThreshold")
    sc.expect = {"alarm": "ledger-reconcile-errors",
                 "root_cause": {"category": "function_timeout", "resource": ["ledger-reconcile"]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": L}]}
    meta(sc, alarm_on="origin (Lambda)",
         decoys="fx-rates-pull configuration update 2 min before errors start; steady partner 409 "
                "warnings; RDS CPU bump 2.4 h earlier; ledger-reconcile code deploy 4.8 h ago with "
                "no errors for hours after it",
         services="Lambda (.NET 8), RDS PostgreSQL",
         story="It is month end. The .NET function `ledger-reconcile` (timeout 120 s) walks each "
               "tenant's journal in 500-entry pages; entry counts have grown all evening and the "
               "average Duration has climbed from 38 s to over 110 s. From about 40 minutes ago "
               "runs stop mid-way (`Page 1180/1391 ...`) and end with `Task timed out after 120.00 "
               "seconds`. Every page call still reports the partner at 60-110 ms and the database "
               "at a few ms; there are no dependency errors, and the 409 Conflict warnings run at "
               "the same rate as hours ago. The `fx-rates-pull` configuration update shortly "
               "before is unrelated, and the last reconcile deploy was five hours earlier with "
               "clean runs after it.")
    return sc


# --------------------------------------------------------------------------- h69-10
ALB10 = "app/hook-ingress/e4a1f0c7d29b3856"


def build10() -> Scenario:
    sc = Scenario(10, "hook-ingress-latency", "Inbound webhook endpoint slow and returning 503/504; "
                  "latency alarm on the ingress load balancer.", "us-east-1", 691010,
                  "2026-05-06T17:25:00")
    T0 = -2700
    sc.resource("alb", ALB10, name="hook-ingress", scheme="internet-facing",
                target_groups=["tg-hook-receiver"])
    sc.resource("ecs", "edge/hook-receiver", launch_type="FARGATE", desired_count=6, cpu=1024,
                memory=2048, autoscaling="target CPU 60 %, 6-12 tasks", log_group="/ecs/hook-receiver")
    sc.resource("ecs", "edge/hook-dispatch", launch_type="FARGATE", desired_count=3, cpu=512,
                memory=1024, log_group="/ecs/hook-dispatch")
    rng = sc.rng
    dl = lambda t: diurnal(sc, t, 16, 0.2)  # noqa: E731
    surge = lambda t: ramp(t, T0 - 60, T0 + 90) * (1 - 0.25 * ramp(t, -1500, -200))  # noqa: E731
    scaled = lambda t: ramp(t, -2520, -2400)  # noqa: E731
    B = {"LoadBalancer": ALB10}
    req = put(sc, "AWS/ApplicationELB", "RequestCount", B, "Count", lambda t: 910 * dl(t) + 4800 * surge(t),
              integer=True)
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", B, "Seconds",
        lambda t: 0.055 + surge(t) * (3.1 - 1.2 * scaled(t)), noise=0.1, digits=4)
    put(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", B, "Count",
        lambda t: 0.2 + surge(t) * (95 - 45 * scaled(t)), integer=True)
    put(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", B, "Count",
        lambda t: 0.6 + surge(t) * (30 - 14 * scaled(t)), integer=True)
    S = {"ClusterName": "edge", "ServiceName": "hook-receiver"}
    put(sc, "AWS/ECS", "CPUUtilization", S, "Percent",
        lambda t: 27 * dl(t) + surge(t) * (50 - 16 * scaled(t)), noise=0.05)
    put(sc, "AWS/ECS", "MemoryUtilization", S, "Percent", lambda t: 54 + 8 * surge(t), noise=0.03)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", S, "Count", lambda t: 6 + 6 * scaled(t),
        noise=0.0, digits=0)
    D = {"ClusterName": "edge", "ServiceName": "hook-dispatch"}
    put(sc, "AWS/ECS", "CPUUtilization", D, "Percent",
        lambda t: 22 + bump(t, -2820, -2640, 40, 40) + 9 * surge(t), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", D, "Percent", lambda t: 41, noise=0.03)

    hr = Tasks(sc, "hook-receiver", "hook-receiver", 6)
    extra = [sc.hexid(32) for _ in range(6)]

    def rstream(t):
        ids = hr.ids(t) + (extra if t > -2430 else [])
        return f"ecs/hook-receiver/{rng.choice(ids)}"
    providers = [(0.45, "paystream"), (0.35, "crmhub"), (0.2, "mailgrid")]

    def req_lines(t):
        rid = sc.uuid()
        replay = rng.random() < 4800 * surge(t) / (910 * dl(t) + 4800 * surge(t))
        prov = "paystream" if replay else rng.choice(["paystream", "crmhub", "mailgrid"])
        ip = sc.ip("10.60")
        out = [(t, rails(sc, t, "INFO", f"Started POST \"/webhooks/{prov}\" for {ip} at "
                     f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')} +0000", rid))]
        if replay:
            orig = sc.at(t - rng.uniform(3600, 21000)).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.append((t + 0.002, rails(sc, t + 0.002, "INFO", f"Paystream event evt_{sc.hexid(14)} type="
                             f"{rng.choice(['charge.succeeded', 'invoice.paid', 'payout.paid'])} "
                             f"redelivery=true attempt={rng.randint(4, 9)} original_created={orig}", rid)))
        elif rng.random() < 0.05:
            out.append((t + 0.002, rails(sc, t + 0.002, "WARN", f"Unknown event type 'payout.reconciled' "
                                         f"from {prov}, ignoring", rid)))
        busy = surge(t) * (1 - 0.4 * scaled(t))
        if rng.random() < 0.07 * busy:
            out.append((t + 15, rails(sc, t + 15, "ERROR", "Rack::Timeout::RequestTimeoutException (Request "
                                      "ran for longer than 15000ms )", rid)))
            out.append((t + 15.001, rails(sc, t + 15.001, "INFO", "Completed 500 Internal Server Error in "
                                          "15002ms", rid)))
        else:
            ms = int(rng.uniform(8, 30) + busy * rng.uniform(600, 4200))
            out.append((t + ms / 1000, rails(sc, t + ms / 1000, "INFO", f"Completed 202 Accepted in {ms}ms "
                                             f"(ActiveRecord: {rng.uniform(1.5, 6):.1f}ms | Allocations: "
                                             f"{rng.randint(1800, 2600)})", rid)))
        return out

    for m in range(LOG_START, 0, 60):
        for _ in range(3 + int(4 * surge(m) + rng.random())):
            t = m + rng.uniform(0, 60)
            st = rstream(t)
            for tt, ln in req_lines(t):
                sc.log("/ecs/hook-receiver", st, tt, ln)
        st = rstream(m)
        bl = int(surge(m) * (320 - 200 * scaled(m)) + rng.randint(0, 3))
        sc.log("/ecs/hook-receiver", st, m + 30.5, rails(sc, m + 30.5, "INFO", f"[puma] stats "
               f"backlog={bl} running=16 pool_capacity={0 if bl > 5 else rng.randint(6, 14)} max_threads=16"))
    hd = Tasks(sc, "hook-dispatch", "hook-dispatch", 3, deploys=(-2820,))
    emit(sc, "/ecs/hook-dispatch", hd.stream, lambda t: 2 + 2 * surge(t),
         lambda t: rails(sc, t, "INFO", f"Dispatched {rng.randint(1, 30)} events for {tenant(sc)} "
                         f"(queue lag {rng.randint(1, 5) + int(40 * surge(t))}s)"))
    sc.change(-2832, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "hook-dispatch:203", "circleci-edge")
    sc.change(-2820, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "edge/hook-dispatch",
              "circleci-edge")
    sc.change(-2520, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "edge/hook-receiver",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("hook-ingress-latency", "AWS/ApplicationELB", "TargetResponseTime", B, "Average", 60, 3, 1.0,
             "GreaterThanThreshold", "Webhook ingress latency")
    sc.alarm("hook-ingress-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", B, "Sum", 60, 3, 20,
             "GreaterThanThreshold")
    sc.alarm("hook-receiver-cpu-high", "AWS/ECS", "CPUUtilization", S, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "hook-ingress-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [ALB10, "hook-ingress", "edge/hook-receiver", "hook-receiver"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": B}]}
    meta(sc, alarm_on="origin/front (the ALB that receives the surge; the service behind it is also accepted)",
         decoys="hook-dispatch deploy 2 min before onset; autoscaling UpdateService on hook-receiver "
                "3 min after onset; steady unknown-event-type warnings; CPU alarm that stays OK",
         services="ALB, ECS (Ruby on Rails/Puma)",
         story="After recovering from an outage, the payment partner redelivers hours of queued "
               "webhooks: ALB RequestCount jumps from ~900 to ~5,700 a minute, and most new requests "
               "in the Rails receiver log `redelivery=true attempt=N original_created=<hours ago>`. "
               "Puma stats show a backlog of ~300 with no free threads, responses take seconds, "
               "`Rack::Timeout` 500s and ELB 503/504s appear. CPU rises to ~75 % but is not pinned, "
               "memory is fine, and no deploy touched the receiver. The only receiver change is "
               "the autoscaling scale-out three minutes after onset, a response to the load; the "
               "`hook-dispatch` deploy before onset is downstream and unrelated.")
    return sc


BUILDERS = [build09, build10]
