"""h52-08: huge synchronous XLSX exports OOM-kill quote-svc tasks; ALB 5XX alarm fires."""
from __future__ import annotations

import json

from .common import Scenario, alb_dims, ecs_pack, lambda_pack, rds_pack, tg_dims
from .logfmt import dotnet

ALB = "app/quotes-alb/6d1a9c3e7b5f2048"
TG = "targetgroup/quote-svc-tg/0b7e3d5a1c9f2468"
T_RA, T_TLS, T_SSM, T_QN, T_IAM, T_SCALE = -4000, -3000, -2600, -2200, -1500, -900
ON = -1800
CLUSTER_ARN = "arn:aws:ecs:eu-west-2:418295730164:cluster/pricing"


def simulate(s: Scenario):
    """Per-task lifecycle: exports arrive from two integration workers; most end in an OOM kill."""
    tasks = [{"id": s.hex(32), "start": -40000, "end": None, "exports": []} for _ in range(4)]
    desired = 4
    pending = []                                   # replacement start times
    t = ON + 10.0
    events = []
    while t < -30:
        events.append(t)
        t += s.rng.uniform(40, 62)
    for e in sorted(events):
        for p in [x for x in pending if x <= e]:
            tasks.append({"id": s.hex(32), "start": p, "end": None, "exports": []})
            pending.remove(p)
        if e >= T_SCALE + 70 and desired == 4:
            desired = 6
            for k in range(2):
                tasks.append({"id": s.hex(32), "start": T_SCALE + 60 + k * 5, "end": None, "exports": []})
        alive = [x for x in tasks if x["start"] <= e and (x["end"] is None or x["end"] > e)
                 and not any(a <= e < b for a, b, _ in x["exports"])]
        if not alive:
            continue
        task = s.rng.choice(alive)
        dur = s.rng.uniform(70, 110)
        killed = s.rng.random() < 0.78
        task["exports"].append((e, e + dur, killed))
        if killed:
            task["end"] = e + dur
            pending.append(e + dur + s.rng.uniform(55, 85))
    for p in pending:
        if p < 0:
            tasks.append({"id": s.hex(32), "start": p, "end": None, "exports": []})
    return tasks


def mem_of(task, t):
    for a, b, _ in task["exports"]:
        if a <= t < b:
            return 39 + 61 * (t - a) / (b - a)
    return 39.0


def build():
    s = Scenario(8, "quote-svc-export-oom", "eu-west-2", "2026-09-29T13:10:00",
                 "Brokers report intermittent 502 errors in the quoting portal; the quotes ALB 5XX alarm is firing.")
    s.resource("alb", ALB, name="quotes-alb", scheme="internet-facing", target_groups=["quote-svc-tg"])
    s.resource("ecs", "pricing/quote-svc", launch_type="FARGATE", cpu=1024, memory=2048, runtime=".NET 8 / ASP.NET Core",
               desired_count=4, log_groups=["/ecs/quote-svc", "/aws/events/ecs-task-state-change"])
    s.resource("ecs", "pricing/rules-admin", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)
    s.resource("rds", "quotes-db", engine="postgres", engine_version="15.7", instance_class="db.r6g.large",
               max_connections=1600, allocated_storage_gb=300)
    s.resource("lambda", "quote-notifier", runtime="python3.12", timeout=30, memory_size=256)

    tasks = simulate(s)
    req = s.series(lambda t: s.count(820 * s.diurnal(t, 13, 0.15)))
    mem, run, e5, t5, unh, trt = {}, {}, {}, {}, {}, {}
    for t in req:
        mid = t + 30
        alive = [x for x in tasks if x["start"] + 40 <= mid and (x["end"] is None or x["end"] > mid)]
        run[t] = float(len([x for x in tasks if x["start"] <= mid and (x["end"] is None or x["end"] > mid)]))
        mem[t] = (sum(mem_of(x, mid) for x in alive) / max(len(alive), 1)) + s.noise(0.8)
        kills = sum(1 for x in tasks for a, b, k in x["exports"] if k and t <= b < t + 60)
        mOOM = sum(1 for x in tasks for a, b, k in x["exports"] if not k and t <= b < t + 60)
        e5[t] = s.count(22 * kills) + (1.0 if s.rng.random() < 0.06 else 0.0)
        t5[t] = mOOM + (1.0 if s.rng.random() < 0.05 else 0.0)
        unh[t] = float(kills > 0 or any(x["start"] <= mid < x["start"] + 40 for x in tasks if x["start"] > ON))
        trt[t] = 0.072 + s.noise(0.006) + 0.5 * kills + 0.15 * mOOM
    s.metric("AWS/ApplicationELB", "RequestCount", alb_dims(ALB), "Count", req, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Count", e5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_502_Count", alb_dims(ALB), "Count", e5, integer=True)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb_dims(ALB), "Count", t5, integer=True)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", alb_dims(ALB), "Seconds", trt, nd=4)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", tg_dims(ALB, TG), "Count", unh, integer=True)
    s.metric("AWS/ApplicationELB", "HealthyHostCount", tg_dims(ALB, TG), "Count",
             {t: max(0.0, run[t] - unh[t]) for t in req}, integer=True)
    ecs_pack(s, "pricing", "quote-svc", {t: 24 + s.noise(2) + (mem[t] - 39) * 0.35 for t in req}, mem, run,
             {t: (6.0 if t >= T_SCALE else 4.0) for t in req})
    for task in tasks:                   # Container Insights task-level memory (enhanced observability)
        pts = {t: 2048 * mem_of(task, t + 30) / 100 + s.noise(12) for t in range(-10800, 0, 60)
               if task["start"] + 40 <= t + 30 and (task["end"] is None or task["end"] > t + 30)}
        if pts:
            s.metric("ECS/ContainerInsights", "MemoryUtilized", {"ClusterName": "pricing", "TaskDefinitionFamily":
                     "quote-svc", "TaskId": task["id"]}, "Megabytes", pts, hi=2048.0, nd=1)
    ecs_pack(s, "pricing", "rules-admin", s.series(lambda t: 8 + s.noise(1.5) + (25 if T_RA <= t < T_RA + 240 else 0)),
             s.series(lambda t: 33 + s.noise(1)), s.series(lambda t: 2.0 + (2 if T_RA <= t < T_RA + 240 else 0)),
             s.series(lambda t: 2.0))
    rds_pack(s, "quotes-db", {t: 18 + s.noise(2) + (9 if t >= ON else 0) for t in req}, s.series(lambda t: 64 + s.noise(3)),
             s.series(lambda t: 221.0e9 + s.noise(4e7)), s.series(lambda t: 9.1e9 + s.noise(8e7)),
             s.series(lambda t: 0.0011 + abs(s.noise(0.0002))))
    qn = s.series(lambda t: s.count(11))
    lambda_pack(s, "quote-notifier", qn, {t: 0.0 for t in qn}, s.series(lambda t: 310 + s.noise(30)))

    # ---- quote-svc logs
    for task in tasks:
        a = max(task["start"], -10800)
        b = task["end"] if task["end"] is not None else 0
        if b <= -10800:
            continue
        ev = []
        if task["start"] > -10800:
            ev += [(a + 3.1, dotnet("info", "Microsoft.Hosting.Lifetime", "Now listening on: http://[::]:8080", 14)),
                   (a + 3.2, dotnet("info", "Microsoft.Hosting.Lifetime", "Application started. Press Ctrl+C to shut down.")),
                   (a + 3.3, dotnet("info", "Quotes.Api.Startup", "quote-svc 6.4.1 (build 2026.09.15.3) GC heap hard limit "
                                    "1536 MB, DOTNET_gcServer=0"))]
        for t in range(int(a) // 60 * 60 + 60, int(b), 60):
            for _ in range(int(s.count(5))):
                tt = t + s.rng.uniform(0, 59.9)
                q = f"Q-{s.rng.randint(100000, 999999)}"
                ev.append((tt, dotnet("info", "Microsoft.AspNetCore.Hosting.Diagnostics",
                                      f"Request finished HTTP/1.1 GET http://quotes.internal/api/quotes/{q} - 200 "
                                      f"{s.rng.randint(900, 4000)} application/json;+charset=utf-8 {s.rng.uniform(8, 60):.4f}ms", 2)))
            if s.rng.random() < 0.4:
                tt = t + s.rng.uniform(0, 59.9)
                ev.append((tt, dotnet("warn", "Quotes.Api.Pricing.FxClient", "FX rate for TRY older than 24h, using cached value")))
            if t < ON and s.rng.random() < 0.03:
                tt = t + s.rng.uniform(0, 50)
                rows = s.rng.randint(1500, 40000)
                ten = s.rng.choice(["harbour-mutual", "pennine-re", "albion-direct"])
                ev.append((tt, dotnet("info", "Quotes.Api.Exports.ExportController",
                                      f"Export requested tenant={ten} format=xlsx rows_estimate={rows}")))
                ev.append((tt + rows / 9000, dotnet("info", "Quotes.Api.Exports.ExportController",
                                                    f"Export completed tenant={ten} rows={rows} bytes={rows * 140}")))
        for ea, eb, killed in task["exports"]:
            ev.append((ea, dotnet("info", "Quotes.Api.Exports.ExportController",
                                  "Export requested tenant=northwind-insurance format=xlsx from=2019-01-01 rows_estimate=1842211")))
            for k, frac in enumerate((0.35, 0.6, 0.85)):
                tt = ea + (eb - ea) * frac
                ev.append((tt, dotnet("warn", "Quotes.Api.Exports.WorkbookBuilder",
                                      f"Workbook buffer at {int(520 + frac * 1050):,} MB (rows written {int(frac * 1.1e6):,})")))
            if not killed:
                ev.append((eb, dotnet("fail", "Microsoft.AspNetCore.Server.Kestrel",
                                      f'Connection id "0HN6{s.hex(9).upper()}", Request id "0HN6{s.hex(9).upper()}:00000002": '
                                      "An unhandled exception was thrown by the application.\n"
                                      "      System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.\n"
                                      "         at System.IO.MemoryStream.set_Capacity(Int32 value)\n"
                                      "         at System.IO.MemoryStream.EnsureCapacity(Int32 value)\n"
                                      "         at System.IO.MemoryStream.Write(Byte[] buffer, Int32 offset, Int32 count)\n"
                                      "         at ClosedXML.Excel.XLWorkbook.SaveAs(Stream stream, SaveOptions options)\n"
                                      "         at Quotes.Api.Exports.WorkbookBuilder.Build(ExportRequest req) in /src/Quotes.Api/Exports/WorkbookBuilder.cs:line 88\n"
                                      "         at Quotes.Api.Exports.ExportController.Export(String tenant, ExportQuery q) in /src/Quotes.Api/Exports/ExportController.cs:line 41", 13)))
        s.log("/ecs/quote-svc", f"quote-svc/quote-svc/{task['id']}", ev)

    # ---- ECS task state change events (EventBridge -> CloudWatch Logs)
    ev = []

    def state_event(t, task_id, last, reason=None, exit_code=None, group="service:quote-svc", td="quote-svc:63"):
        d = {"clusterArn": CLUSTER_ARN, "taskArn": f"{CLUSTER_ARN.replace(':cluster/', ':task/')}/{task_id}",
             "taskDefinitionArn": f"arn:aws:ecs:eu-west-2:418295730164:task-definition/{td}",
             "group": group, "lastStatus": last, "desiredStatus": "STOPPED" if last == "STOPPED" else "RUNNING",
             "launchType": "FARGATE", "cpu": "1024", "memory": "2048"}
        if last == "STOPPED":
            d["stopCode"] = "EssentialContainerExited" if exit_code == 137 else "ServiceSchedulerInitiated"
            d["stoppedReason"] = reason
            d["containers"] = [{"name": group.split(":")[1], "lastStatus": "STOPPED", "exitCode": exit_code,
                                "reason": reason if exit_code == 137 else None}]
        return (t, json.dumps({"version": "0", "id": s.uuid(), "detail-type": "ECS Task State Change",
                               "source": "aws.ecs", "account": "418295730164", "time": s.iso(t, ms=False),
                               "region": "eu-west-2", "resources": [d["taskArn"]], "detail": d},
                              separators=(",", ":")))

    for k in range(2):
        old, new = s.hex(32), s.hex(32)
        ev.append(state_event(T_RA + 60 + k, new, "RUNNING", group="service:rules-admin", td="rules-admin:19"))
        ev.append(state_event(T_RA + 150 + k, old, "STOPPED", "Scaling activity initiated by (deployment ecs-svc/"
                              f"{s.rng.randint(10**18, 10**19)})", 0, group="service:rules-admin", td="rules-admin:18"))
    for task in tasks:
        if task["start"] > -10800:
            ev.append(state_event(task["start"] + 35, task["id"], "RUNNING"))
        if task["end"] is not None:
            ev.append(state_event(task["end"] + 2, task["id"], "STOPPED",
                                  "OutOfMemoryError: Container killed due to memory usage", 137))
    s.log("/aws/events/ecs-task-state-change", "events", ev)

    # ---- changes
    s.change(T_RA - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "rules-admin:19",
             "ci-deployer")
    s.change(T_RA, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pricing/rules-admin", "ci-deployer")
    s.change(T_TLS, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
             "app/quotes-alb/6d1a9c3e7b5f2048/9f3c1a7e5b2d4086", "secops-automation")
    s.change(T_SSM, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/rules-admin/prod/EnableBulkEdit",
             "po-h.begum")
    s.change(T_QN, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "quote-notifier",
             "ci-deployer")
    s.change(T_IAM, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "partner-sftp-transfer-role",
             "terraform-ci")
    s.change(T_SCALE, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "pricing/quote-svc", "oncall-r.shah")

    a = s.alarm("quotes-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", alb_dims(ALB), "Sum", 300, 1, 40,
                "GreaterThanThreshold", expect_state="ALARM", description="quotes ALB generating 5XX (502/503/504)")
    s.alarm("quotes-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "quotes-db"}, "Average", 300,
            3, 80, "GreaterThanThreshold", expect_state="OK")
    res = ["pricing/quote-svc", "quote-svc"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "memory_exhaustion", "resource": res},
                    "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                   "dimensions": {"ClusterName": "pricing", "ServiceName": "quote-svc"}},
                                  {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                   "dimensions": alb_dims(ALB)}]})
    meta = dict(alarm=a["name"], category="memory_exhaustion", resources=res,
                where="front (ALB; origin is the ECS service behind it)",
                decoys="rules-admin deploy (task events in the same log group); TLS policy ModifyListener on the "
                       "same ALB; SSM flag for rules-admin; quote-notifier deploy; IAM trust edit on an SFTP role; "
                       "on-call scale-out of quote-svc after onset; steady FxClient WARN",
                story="From -30 min the northwind-insurance integration keeps requesting a synchronous XLSX export "
                      "of 1.84 M quotes. Whichever quote-svc task receives it buffers the workbook in memory (the "
                      "log shows the buffer passing 1.1-1.4 GB against a 2 GB task) until the container is killed: "
                      "the task state events say `OutOfMemoryError: Container killed due to memory usage`, exit "
                      "code 137. A few requests instead end in a managed System.OutOfMemoryException. Each kill "
                      "resets in-flight connections, so the ALB emits bursts of 502s and RunningTaskCount keeps "
                      "dipping while MemoryUtilization saws up to the limit. Traffic is flat and the changes "
                      "belong to other services or are harmless (the TLS policy update came 20 min earlier, "
                      "the scale-out after onset). Label: memory_exhaustion on quote-svc.")
    return doc, meta
