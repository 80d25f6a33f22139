"""h28-05: MySQL CPU pinned by the daily full-reconcile variant of an hourly job (plus its async retry)."""
from __future__ import annotations

import random

from .common import jd, HIST, LOGS, Clock, alarm, change, diurnal, hexid, log_stream, poisson, ramp, rid
from .logfmt import LambdaLog, Rec, dotnet_stack, mysql_err, mysql_slow

R = "eu-central-1"
DB, CL, SVC, REC, PRC = "inventory-mysql", "inventory", "stock-api", "stock-reconciler", "pricing-sync"
ALB = "app/stock-alb/9d2e41c7b0a6f385"


def build():
    rng = random.Random(2805)
    clk = Clock("2026-03-14T00:27:00")
    mid = clk.top_of_hour(0)                   # 00:00 UTC, daily full run
    tout, retry = mid + 902, mid + 966         # Lambda timeout, async retry start
    tops = [clk.top_of_hour(k) for k in range(6)]
    minutes = range(-HIST, 0, 60)
    db = Rec("AWS/RDS", {"DBInstanceIdentifier": DB})
    ecs = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": SVC})
    ci = Rec("ECS/ContainerInsights", {"ClusterName": CL, "ServiceName": SVC})
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})

    def load(t):
        """(cpu%, api latency s, api 5xx fraction)"""
        if t >= mid + 60:
            cpu = ramp(t, mid, mid + 180, 40, 97.5) + rng.uniform(-0.8, 1.5)
            lat = ramp(t, mid + 120, retry, 0.32, 0.78) if t < retry else ramp(t, retry, retry + 240, 0.9, 1.9)
            return min(99.6, cpu + (1.2 if t > retry else 0)), lat * rng.uniform(0.93, 1.07), 0.0 if t < retry else 0.006
        cpu = 27 * diurnal(t, 0.15, -20000) + rng.gauss(0, 1.5)
        for top in tops[1:]:
            if top <= t < top + 120:
                cpu += 19
        return cpu, 0.045 + abs(rng.gauss(0, 0.004)), 0.0

    for t in minutes:
        cpu, lat, f5 = load(t)
        hot = t >= mid + 60
        req = poisson(rng, 2100 * diurnal(t, 0.25, -20000))
        db.put(t, CPUUtilization=cpu, DatabaseConnections=(ramp(t, mid, 0, 180, 330) if hot else 152) + rng.gauss(0, 5),
               FreeableMemory=9.8e9 + rng.gauss(0, 6e7) - (3e8 if hot else 0), FreeStorageSpace=3.11e11 - (t + HIST) * 1e4,
               ReadIOPS=(5200 if hot else 1800) + rng.gauss(0, 150), WriteIOPS=610 + rng.gauss(0, 40),
               ReadLatency=(0.0014 if hot else 0.0006) + abs(rng.gauss(0, 0.0001)), WriteLatency=0.0011 + abs(rng.gauss(0, 0.0001)),
               DiskQueueDepth=(3.8 if hot else 0.9) + abs(rng.gauss(0, 0.3)))
        ecs.put(t, CPUUtilization=(26 if hot else 33) * diurnal(t, 0.2, -20000) + rng.gauss(0, 1.5),
                MemoryUtilization=48 + rng.gauss(0, 0.5))
        ci.put(t, RunningTaskCount=6)
        alb.put(t, RequestCount=req, TargetResponseTime=lat, HTTPCode_Target_5XX_Count=poisson(rng, req * f5 + 0.3),
                HTTPCode_Target_4XX_Count=poisson(rng, 14), HTTPCode_ELB_5XX_Count=poisson(rng, 0.05),
                HealthyHostCount=6, UnHealthyHostCount=0)

    # ---- stock-api logs (.NET JSON console formatter) ----
    tasks = [hexid(rng) for _ in range(6)]
    sl = {k: [] for k in tasks}
    slow = []

    def jl(ts, level, cat, eid, msg, exc=None):
        d = {"Timestamp": clk.iso(ts), "EventId": eid, "LogLevel": level, "Category": cat, "Message": msg}
        if exc:
            d["Exception"] = exc
        return jd(d)

    for t in range(-LOGS, 0, 60):
        cpu, lat, f5 = load(t)
        for _ in range(poisson(rng, 12)):
            ts = t + rng.uniform(0, 59)
            k = rng.choice(tasks)
            sku = f"SKU-{rng.randint(10000, 99999)}"
            ms = lat * 1000 * rng.uniform(0.5, 1.6)
            if f5 and rng.random() < 0.05:
                sl[k].append((ts, jl(ts, "Error", "Microsoft.EntityFrameworkCore.Database.Command", 20102,
                                     f"Failed executing DbCommand (30,0{rng.randint(10, 99)}ms) [Parameters=[@__sku_0='?' (Size = 32)], "
                                     "CommandType='Text', CommandTimeout='30']\nSELECT `s`.`sku`, `s`.`warehouse_id`, `s`.`on_hand`, "
                                     "`s`.`reserved` FROM `stock_levels` AS `s` WHERE `s`.`sku` = @__sku_0",
                                     dotnet_stack("MySqlConnector.MySqlException (0x80004005)", "The Command Timeout expired before the operation completed.",
                                                  ["MySqlConnector.Core.ServerSession.ReceiveReplyAsync(IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894",
                                                   "MySqlConnector.Core.ResultSet.ReadResultSetHeaderAsync(IOBehavior ioBehavior) in /_/src/MySqlConnector/Core/ResultSet.cs:line 37",
                                                   "Inventory.StockApi.Data.StockRepository.GetLevelsAsync(String sku, CancellationToken ct) in /src/Inventory.StockApi/Data/StockRepository.cs:line 52"],
                                                  inner="System.TimeoutException: The operation has timed out."))))
                continue
            sl[k].append((ts, jl(ts, "Information", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                                 f"Request finished HTTP/1.1 GET http://stock-api.inventory.internal/api/stock/{sku} - 200 - "
                                 f"application/json;+charset=utf-8 {ms:.4f}ms")))
            if ms > 1000 and rng.random() < 0.5:
                slow.append((ts, mysql_slow(clk, ts, "stock_api", f"10.0.{rng.randint(20, 23)}.{rng.randint(5, 250)}",
                                            rng.randint(700000, 800000), ms / 1000 * 0.95, 0.000021, rng.randint(1, 4), rng.randint(1, 40),
                                            f"SELECT `s`.`sku`, `s`.`warehouse_id`, `s`.`on_hand`, `s`.`reserved` FROM `stock_levels` AS `s` "
                                            f"WHERE `s`.`sku` = '{sku}';")))
        if rng.random() < 0.09:
            ts = t + rng.uniform(0, 59)
            sl[rng.choice(tasks)].append((ts, jl(ts, "Error", "Inventory.StockApi.Services.ReservationService", 5001,
                                                 f"Reservation failed for order SO-{rng.randint(100000, 999999)}, will retry",
                                                 dotnet_stack("MySqlConnector.MySqlException (0x80004005)",
                                                              "Deadlock found when trying to get lock; try restarting transaction",
                                                              ["MySqlConnector.Core.ServerSession.ReceiveReplyAsync(IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 894",
                                                               "Inventory.StockApi.Services.ReservationService.ReserveAsync(ReserveRequest req) in /src/Inventory.StockApi/Services/ReservationService.cs:line 88"]))))
    # ---- reconciler (hourly incremental, daily full at 00:00) ----
    rc = Rec("AWS/Lambda", {"FunctionName": REC})
    rl = LambdaLog(rng, clk, REC, "python3.12", 1024, streams=1)
    for top in sorted(tops[1:]):
        d = rng.uniform(17500, 24000)
        rc.put(int((top + 60 + d / 1000) // 60 * 60), Invocations=1, Errors=0, Throttles=0, Duration=d, ConcurrentExecutions=1)
        rows = rng.randint(380000, 460000)
        start = clk.at(top - 3600).strftime("%Y-%m-%dT%H:00Z")
        end = clk.at(top).strftime("%Y-%m-%dT%H:00Z")
        if top >= -LOGS:
            rl.invoke(top + 1.4, d, 212, [(0.02, "INFO", f"Starting reconcile mode=incremental window={start}..{end}"),
                                          (d / 1000 - 0.1, "INFO", f"Reconciled {rows:,} movements in {d / 1000:.1f} s")])
        if top < -LOGS:
            continue
        slow.append((top + 1.5 + d / 1000, mysql_slow(clk, top + 1.5 + d / 1000, "reconciler", "10.0.31.22", rng.randint(700000, 800000),
                                                      d / 1000 - 0.9, 0.000104, 0, rows,
                                                      "INSERT INTO stock_reconcile_diff SELECT m.sku, m.warehouse_id, SUM(m.qty) AS moved, "
                                                      "l.on_hand FROM stock_movements m JOIN stock_levels l USING (sku, warehouse_id) "
                                                      f"WHERE m.created_at >= '{start}' AND m.created_at < '{end}' GROUP BY m.sku, m.warehouse_id "
                                                      "HAVING moved <> l.on_hand;")))
    req_id = rid(rng)
    full_lines = [(0.02, "INFO", "Starting reconcile mode=full (daily 00:00 UTC run) window=2025-01-01T00:00Z..2026-03-14T00:00Z"),
                  (0.4, "INFO", "Executing full reconciliation query over stock_movements (est. 188M rows)")]
    rl.invoke(mid + 1.4, 900000.0, 231, full_lines, r=req_id, timeout_s=900.0)
    rl.invoke(retry, -retry * 1000 - 2000, 228, [(0.02, "INFO", "Starting reconcile mode=full (daily 00:00 UTC run) "
                                                                "window=2025-01-01T00:00Z..2026-03-14T00:00Z"),
                                                 (0.4, "INFO", "Executing full reconciliation query over stock_movements (est. 188M rows)")],
              r=req_id)
    rl.streams[next(iter(rl.streams))] = [e for e in rl.streams[next(iter(rl.streams))]
                                         if not (e[0] > retry + 1 and ("END" in e[1][:4] or "REPORT" in e[1][:7]))]
    rc.put(int(tout // 60 * 60), Invocations=1, Errors=1, Throttles=0, Duration=900000.0, ConcurrentExecutions=1)
    # ---- pricing-sync (decoy config change) ----
    ps = Rec("AWS/Lambda", {"FunctionName": PRC})
    pl = LambdaLog(rng, clk, PRC, "dotnet8", 512, streams=1)
    for t in range(-HIST, 0, 300):
        d = rng.gauss(3100, 200)
        ps.put(t + 60, Invocations=1, Errors=0, Throttles=0, Duration=d, ConcurrentExecutions=1)
        if t >= -LOGS:
            feed = "v2" if t > -1900 else "v1"
            pl.invoke(t + 2, d, 160, [(0.05, "INFO", f"Pulling price feed {feed} from https://prices.partner.example/{feed}/eu"),
                                      (d / 1000 - 0.05, "INFO", f"Upserted {rng.randint(300, 900)} price rows")])
    err = [(t, mysql_err(clk, t, 0, "Warning", "MY-010055", "Server",
                         f"IP address '10.0.{rng.randint(20, 40)}.{rng.randint(2, 250)}' could not be resolved: Name or service not known"))
           for t in sorted(rng.uniform(-LOGS, 0) for _ in range(14))]

    metrics = db.metrics() + ecs.metrics() + ci.metrics() + alb.metrics() + rc.metrics() + ps.metrics()
    alarms = [alarm(clk, "stock-alb-latency", alb.get("TargetResponseTime"), "Average", 60, 3, 1.0, after=mid,
                    description="Stock API p-avg latency above 1 s (warehouse scanners time out)")]
    changes = [
        change(-1900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", PRC, "a.keller"),
        change(-17100, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "stock-api:143", "github-actions"),
        change(-17040, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", "github-actions"),
    ]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-05-inventory-mysql-midnight-cpu",
        "description": "Warehouse scanners timing out on stock lookups; stock-alb latency alarm.",
        "region": R,
        "resources": [
            {"type": "rds", "id": DB, "properties": {"engine": "mysql", "engine_version": "8.0.36", "instance_class": "db.r6g.xlarge",
                                                   "max_connections": 2000, "allocated_storage_gb": 500}},
            {"type": "ecs", "id": f"{CL}/{SVC}", "properties": {"launch_type": "FARGATE", "desired_count": 6, "cpu": 1024, "memory": 2048,
                                                              "runtime": "dotnet8 (ASP.NET Core, EF Core + MySqlConnector)",
                                                              "task_definition": "stock-api:143", "log_groups": [f"/ecs/{SVC}"]}},
            {"type": "alb", "id": ALB, "properties": {"name": "stock-alb", "scheme": "internal"}},
            {"type": "lambda", "id": REC, "properties": {"runtime": "python3.12", "timeout": 900, "memory_size": 1024,
                                                       "schedule": "cron(0 * * * ? *)"}},
            {"type": "lambda", "id": PRC, "properties": {"runtime": "dotnet8", "timeout": 60, "memory_size": 512}},
        ],
        "metrics": metrics,
        "logs": [log_stream(f"/ecs/{SVC}", f"ecs/{SVC}/{k}", v) for k, v in sl.items()] + rl.logs() + pl.logs() + [
            log_stream(f"/aws/rds/instance/{DB}/slowquery", DB, slow), log_stream(f"/aws/rds/instance/{DB}/error", DB, err)],
        "alarms": alarms, "changes": changes,
        "expect": {"alarm": "stock-alb-latency",
                   "root_cause": {"category": "cpu_saturation", "resource": [DB]},
                   "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": DB}},
                                 {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime", "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "front (stock-alb)",
            "decoys": "pricing-sync config change 32 min ago; stock-api deploy 4.7 h ago; hourly incremental reconcile CPU bumps; "
                      "constant MySQL deadlock errors in stock-api; reconciler 'Task timed out' (a symptom, not the cause)",
            "story": (
                "stock-reconciler runs every hour at :00; its incremental runs lift inventory-mysql CPU to ~45 % for two minutes "
                "and show up in the slow log with ~400k rows examined. The 00:00 UTC run is the daily full reconcile: at midnight "
                "the DB CPU goes to 97-99 % and stays there. The Lambda times out after 900 s, but the query keeps running on "
                "the server and Lambda's async retry (same request id) starts a second full scan, so CPU stays pinned. Stock API "
                "latency degrades gradually (0.3-0.8 s) and only crosses the 1 s alarm threshold after the retry, 20 minutes "
                "after the fault began; its slow-log entries are single-row primary-key lookups taking seconds, the signature of "
                "CPU contention rather than a bad plan. Connections (330 of 2000), storage and memory are fine. Root cause: "
                "cpu_saturation on inventory-mysql. The pricing-sync configuration change and the 4.7-hour-old stock-api deploy "
                "do not line up with the onset, and the deadlock errors run at the same rate all night.")}
    return scen, meta
