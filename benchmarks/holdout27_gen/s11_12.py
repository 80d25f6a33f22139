"""h27-11 (spool volume full on one EC2 instance) and h27-12 (feature flag flipped in Parameter Store)."""
from __future__ import annotations

import json
import math
import random

from .common import (Clock, alarm, alarm_on, change, daily, expect, hexid, metric, minutes, noisy, pois, ramp,
                     scenario, stream)
from .lambda_sim import spread
from .svc import Acc, alb_metrics, ec2_metrics, ecs_metrics, spring, task_id


def _serilog(ck, t, mt, level=None, exc=None, **props):
    d = {"@t": ck.iso(t)[:-1] + "0000Z", "@mt": mt}
    if level:
        d["@l"] = level
    if exc:
        d["@x"] = exc
    d.update(props)
    return json.dumps(d, separators=(",", ":"))


ENOSPC = ("System.IO.IOException: No space left on device : '/var/lib/pos-sync/spool/{day}/rcpt_{rid}.json'\n"
          "   at System.IO.RandomAccess.WriteAtOffset(SafeFileHandle handle, ReadOnlySpan`1 buffer, Int64 fileOffset)\n"
          "   at System.IO.Strategies.OSFileStreamStrategy.Write(ReadOnlySpan`1 buffer)\n"
          "   at System.IO.Strategies.BufferedFileStreamStrategy.Flush(Boolean flushToDisk)\n"
          "   at PosSync.Receipts.ReceiptSpool.WriteAsync(Receipt receipt, CancellationToken ct) in "
          "/src/PosSync/Receipts/ReceiptSpool.cs:line 57\n"
          "   at PosSync.Api.Controllers.ReceiptsController.Post(ReceiptDto dto, CancellationToken ct) in "
          "/src/PosSync.Api/Controllers/ReceiptsController.cs:line 33")


# =========================================================================== 11 ===
def build_11():
    rng = random.Random(271111)
    ck = Clock("2026-11-20T13:15:00Z")
    region = "eu-central-1"
    LB = "app/pos-alb/0e6b3c8d1f2a7459"
    TG = f"arn:aws:elasticloadbalancing:{region}:482193305716:targetgroup/pos-sync-tg/6d2f8a1c3b5e7094"
    hosts = [("i-0f3a7c2e9b1d45806", "pos-sync-1"), ("i-08e1b5d3c7a2f9640", "pos-sync-2")]
    T_TG, T_PARAM = -4200, -2400
    FULL = -1860
    spool = {hosts[0][0]: lambda m: 58.0 + (m + 21600) * 0.00022,
             hosts[1][0]: lambda m: min(100.0, 100.0 - (FULL - m) * 0.00135) if m < FULL else 100.0}
    acc = Acc()
    ev = {h: [] for h, _ in hosts}
    ts = list(minutes(-21600))
    for m in ts:
        n = pois(rng, 90 * daily(ck.hour(m, 1), 0.1))
        for _ in range(n):
            iid, _name = rng.choice(hosts)
            t = m + rng.uniform(0, 59.9)
            store = f"{rng.randint(1, 640):04d}"
            rcpt = hexid(rng, 16)
            full = iid == hosts[1][0] and m >= FULL
            if full:
                status, rt = 500, rng.uniform(0.006, 0.02)
                if t >= -7200:
                    ev[iid].append((t, _serilog(ck, t, "Failed to persist receipt {ReceiptId} for store {StoreId}",
                                                "Error", ENOSPC.format(day=ck.at(t).strftime("%Y-%m-%d"), rid=rcpt),
                                                ReceiptId=rcpt, StoreId=store,
                                                SourceContext="PosSync.Api.Controllers.ReceiptsController",
                                                RequestPath="/v1/receipts")))
            else:
                status, rt = 201, rng.lognormvariate(math.log(0.035), 0.35)
                if t >= -7200 and rng.random() < 0.5:
                    ev[iid].append((t + rt, _serilog(ck, t + rt, "Stored receipt {ReceiptId} for store {StoreId} "
                                                                 "({Bytes} bytes)", ReceiptId=rcpt, StoreId=store,
                                                     Bytes=rng.randint(900, 4200),
                                                     SourceContext="PosSync.Receipts.ReceiptSpool")))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
        for _ in range(pois(rng, n * 0.4)):         # GETs of sync status
            acc.add("req", m)
            acc.add("rt_sum", m, rng.uniform(0.004, 0.012))
        acc.set("healthy", m, 2)
        acc.set("unhealthy", m, 0)
        if m >= -7200:
            for iid, _name in hosts:
                if rng.random() < 0.12:
                    t = m + rng.uniform(0, 59)
                    ev[iid].append((t, _serilog(ck, t, "Printer heartbeat missing for store {StoreId} "
                                                       "(last seen {Minutes} min ago)", "Warning",
                                                StoreId=rng.choice(["0412", "0077", "0519"]),
                                                Minutes=rng.randint(6, 300),
                                                SourceContext="PosSync.Devices.HeartbeatMonitor")))
                if m % 900 == 0:
                    t = m + 1.5
                    ev[iid].append((t, _serilog(ck, t, "Uploaded {Count} receipts to central ledger in {Elapsed} ms",
                                                Count=rng.randint(300, 900), Elapsed=rng.randint(800, 3000),
                                                SourceContext="PosSync.Upload.LedgerUploader")))
                if m % 3600 == 600:
                    t = m + 0.3
                    if iid == hosts[1][0]:
                        ev[iid].append((t, _serilog(ck, t, "Spool janitor skipped: lock {Lock} held by pid {Pid}",
                                                    "Warning", Lock="/var/lib/pos-sync/spool/.janitor.lock", Pid=1123,
                                                    SourceContext="PosSync.Receipts.SpoolJanitor")))
                    else:
                        ev[iid].append((t, _serilog(ck, t, "Spool janitor removed {Files} files older than 7 days",
                                                    Files=rng.randint(4000, 6000),
                                                    SourceContext="PosSync.Receipts.SpoolJanitor")))
    metrics = alb_metrics(LB, ts, acc)
    for iid, _name in hosts:
        metrics += ec2_metrics(iid, ts, lambda m: noisy(rng, 6 + 14 * daily(ck.hour(m, 1), 0.1), 0.1),
                               mem=lambda m: noisy(rng, 52, 0.02), disk=lambda m: noisy(rng, 41.5, 0.002),
                               net_in=lambda m: noisy(rng, 2.4e6 * daily(ck.hour(m, 1), 0.1), 0.1))
        metrics.append(metric("CWAgent", "disk_used_percent",
                              {"InstanceId": iid, "path": "/var/lib/pos-sync", "fstype": "xfs"}, "Percent",
                              [(m, spool[iid](m)) for m in ts]))
    logs = [stream("/pos-sync/app", iid, e) for iid, e in ev.items()]
    resources = [
        {"type": "ec2", "id": hosts[0][0], "properties": {"name": hosts[0][1], "instance_type": "c6i.large",
                                                          "runtime": ".NET 8 (Kestrel)", "log_groups": ["/pos-sync/app"],
                                                          "volumes": {"/": "gp3 30 GiB", "/var/lib/pos-sync": "gp3 200 GiB"}}},
        {"type": "ec2", "id": hosts[1][0], "properties": {"name": hosts[1][1], "instance_type": "c6i.large",
                                                          "runtime": ".NET 8 (Kestrel)", "log_groups": ["/pos-sync/app"],
                                                          "volumes": {"/": "gp3 30 GiB", "/var/lib/pos-sync": "gp3 200 GiB"}}},
        {"type": "alb", "id": LB, "properties": {"name": "pos-alb", "target_groups": ["pos-sync-tg"],
                                                 "targets": [hosts[0][1], hosts[1][1]]}},
    ]
    changes = [
        change(T_TG, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
               "AWS::ElasticLoadBalancingV2::TargetGroup", TG, "platform.keller@sso"),
        change(T_PARAM, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/prod/pos-sync/receipt-footer-text",
               "retail.marketing@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "pos-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3,
                       5, "GreaterThanThreshold", FULL - 120, "POS receipt sync 5xx"),
              alarm("pos-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", dims, "Maximum", 60, 2, 0,
                    "GreaterThanThreshold", "OK", -1200000)]
    return scenario(
        "h27-11-pos-sync-spool-volume-full",
        "Stores report that about half of the receipts fail to sync; POS ALB 5xx alarm fired at lunchtime.",
        region, resources, metrics, logs, alarms, changes,
        expect("pos-alb-5xx", "storage_exhaustion", [hosts[1][0], hosts[1][1]],
               [("CWAgent", "disk_used_percent", {"InstanceId": hosts[1][0], "path": "/var/lib/pos-sync",
                                                  "fstype": "xfs"}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))


# =========================================================================== 12 ===
ISE = ("java.lang.IllegalStateException: ranking.vector-enabled=true but ranking.vector.endpoint is not configured")
ISE_TRACE = "\n".join([
    "", "", ISE,
    "\tat com.acme.search.ranking.VectorRankingClient.requireEndpoint(VectorRankingClient.java:71)",
    "\tat com.acme.search.ranking.VectorRankingClient.rerank(VectorRankingClient.java:48)",
    "\tat com.acme.search.ranking.RankingPipeline.apply(RankingPipeline.java:93)",
    "\tat com.acme.search.service.SearchService.search(SearchService.java:140)",
    "\tat com.acme.search.web.SearchController.search(SearchController.java:58)",
    "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)",
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)"])


def build_12():
    rng = random.Random(271212)
    ck = Clock("2026-11-18T15:05:00Z")
    region = "eu-west-1"
    LB = "app/search-alb/4a8c2e6f0b3d5179"
    T_TD, T_UPD, T_SG, T_FLAG, T_OTHER = -14430, -14400, -3600, -1560, -1260
    tasks = [task_id(rng) for _ in range(3)]
    refresh = {tid: T_FLAG + rng.uniform(8, 58) for tid in tasks}
    ev = {tid: [] for tid in tasks}
    acc = Acc()
    ts = list(minutes(-21600))
    app = "search-api"
    for m in ts:
        n = pois(rng, 160 * daily(ck.hour(m), 0.12))
        for t in spread(rng, m, n):
            tid = rng.choice(tasks)
            th = f"nio-8080-exec-{rng.randint(1, 50)}"
            v2 = rng.random() < 0.55
            if v2 and t >= refresh[tid]:
                status, rt = 500, rng.uniform(0.006, 0.02)
                if t >= -9000:
                    ev[tid].append((t + rt, spring(ck, t + rt, "error", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                                   "Servlet.service() for servlet [dispatcherServlet] in context with "
                                                   f"path [] threw exception [Request processing failed: {ISE}] with "
                                                   "root cause" + ISE_TRACE, app)))
            else:
                status, rt = 200, rng.lognormvariate(math.log(0.062), 0.4)
                if t >= -9000 and rng.random() < 0.12:
                    q = rng.choice(["running shoes", "usb-c hub", "winter jacket", "espresso", "lego", "desk lamp",
                                    "yoga mat", "headphones", "air fryer"])
                    ev[tid].append((t + rt, spring(ck, t + rt, "info", th, "c.a.search.service.SearchService",
                                                   f"q=\"{q}\" api={'v2' if v2 else 'v1'} hits={rng.randint(0, 4000)} "
                                                   f"ranker=bm25 took={rt * 1000:.0f}ms", app)))
            acc.add("req", m)
            acc.add("rt_sum", m, rt)
            if status >= 500:
                acc.add("t5", m)
            elif rng.random() < 0.01:
                acc.add("t4", m)
        acc.set("healthy", m, 3)
        acc.set("unhealthy", m, 0)
        if m >= -9000:
            for tid in tasks:
                t = m + rng.uniform(0, 59)
                if rng.random() < 0.2:
                    ev[tid].append((t, spring(ck, t, "info", "scheduling-1", "c.a.search.index.IndexHealth",
                                              f"opensearch cluster green, index products-v41 docs="
                                              f"{2841000 + rng.randint(0, 9000)}", app)))
    for tid in tasks:
        t = refresh[tid]
        ev[tid].append((t, spring(ck, t, "info", "param-refresh-1", "i.a.c.p.ParameterStorePropertySource",
                                  "Refreshed 1 property from /prod/search-api/: [ranking.vector-enabled]", app)))
        ev[tid].append((t + 0.02, spring(ck, t + 0.02, "info", "param-refresh-1", "c.a.search.ranking.RankingPipeline",
                                         "ranking pipeline rebuilt: stages=[bm25, vector-rerank]", app)))
    t0 = T_UPD + 40
    for tid in tasks:
        ev[tid].append((t0, spring(ck, t0, "info", "main", "c.a.search.SearchApplication",
                                   "Started SearchApplication in 24.117 seconds (process running for 25.9)", app)))
    metrics = alb_metrics(LB, ts, acc)
    metrics += ecs_metrics("prod-search", "search-api", ts,
                           lambda m: noisy(rng, 8 + 30 * daily(ck.hour(m), 0.12), 0.07), lambda m: noisy(rng, 66, 0.02),
                           lambda m: 3)
    logs = [stream("/ecs/search-api", f"ecs/search-api/{tid}", [e for e in ev[tid] if e[0] >= -9000 or e[0] < -14000])
            for tid in tasks]
    resources = [
        {"type": "ecs", "id": "prod-search/search-api",
         "properties": {"cluster": "prod-search", "service": "search-api", "task_definition": "search-api:77",
                        "desired_count": 3, "running_count": 3, "log_groups": ["/ecs/search-api"],
                        "config_source": "SSM Parameter Store /prod/search-api/ (refreshed every 60 s)",
                        "deployments": [{"status": "PRIMARY", "task_definition": "search-api:77",
                                         "rollout_state": "COMPLETED", "created_at": T_UPD,
                                         "updated_at": T_UPD + 300}]}},
        {"type": "alb", "id": LB, "properties": {"name": "search-alb", "targets": "ECS service prod-search/search-api"}},
    ]
    changes = [
        change(T_TD, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "search-api:77",
               "jenkins-deploy"),
        change(T_UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "prod-search/search-api",
               "jenkins-deploy"),
        change(T_SG, "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
               "sg-0b5d7f9a1c3e2d684", "netops.byrne@sso"),
        change(T_FLAG, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
               "/prod/search-api/ranking.vector-enabled", "pm.flags@sso"),
        change(T_OTHER, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
               "/prod/notifications/digest-batch-size", "notify.team@sso"),
    ]
    dims = {"LoadBalancer": LB}
    alarms = [alarm_on(metrics, "search-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60,
                       3, 10, "GreaterThanThreshold", T_FLAG - 60, "Search API 5xx")]
    return scenario(
        "h27-12-search-vector-flag-parameter",
        "Half of the searches on the website return an error page; search ALB 5xx alarm is firing.",
        region, resources, metrics, logs, alarms, changes,
        expect("search-alb-5xx", "config_change",
               ["prod-search/search-api", "search-api", "/prod/search-api/ranking.vector-enabled"],
               [("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims)]))
