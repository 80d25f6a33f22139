"""h14-06: a full tariff recalculation (triggered by a published price index) pins the CPU of
tariff-api-1; requests routed to it slow down and the tariff ALB latency alarm fires."""
from __future__ import annotations

import datetime as dt

import numpy as np

from .common import N, T, Ctx, alarm, between, bump, change, metric, ok_alarm, scenario, spread, stream
from .logfmt import dotnet

META = {
    "file": "h14-06-tariff-api-cpu.yaml", "region": "eu-central-1", "alarm": "tariff-alb-latency",
    "category": "cpu_saturation", "resources": ["i-0c4f1e9a27b3d5860", "tariff-api-1"],
    "position": "front (ALB in front of the instance)",
    "decoys": "SSM patch run on the other instance (tariff-api-2) 4 min before onset; benign CPU spike on "
              "tariff-api-2 3.3 h earlier; constant 'postcode not in grid' warnings",
    "story": "29 minutes ago tariff-api-1 (the instance holding the recalculation lease) received a new price index "
             "and began a full recalculation of 48,210 contracts with parallelism 4 on a 4-vCPU instance. Its "
             "CPUUtilization goes from ~25 % to 97-100 % and stays there; Kestrel logs heartbeat warnings, and requests "
             "served by tariff-api-1 take 2-4 s while tariff-api-2 stays at ~80 ms, so the ALB's average "
             "TargetResponseTime crosses 1 s. No deploy or configuration change touched tariff-api-1, memory and "
             "disk are flat, the DB is quiet. The patch run on tariff-api-2 shortly before only shows a small CPU "
             "bump on that (healthy) instance.",
}

REGION = "eu-central-1"
ALB = "app/tariff-alb/91c0e7b25a4d3f18"
I1, I2 = "i-0c4f1e9a27b3d5860", "i-09a2d7e4c1b6f3058"
ONSET = -1740.0
PATCH = -1980.0
LOG_START = -7200.0
CONTRACTS = 48210


def _finished(ctx, rel, method, path, status, size, ms):
    return dotnet("info", "Microsoft.AspNetCore.Hosting.Diagnostics", 2,
                  f"Request finished HTTP/1.1 {method} http://tariff-api.internal{path} - {status} {size} application/json; "
                  f"charset=utf-8 {ms:.4f}ms")


def build(seed: int) -> dict:
    ctx = Ctx(seed, dt.datetime(2026, 3, 17, 13, 20, tzinfo=dt.timezone.utc), 1.0, REGION)
    rng = ctx.rng
    shape = ctx.diurnal(peak=14.0, amp=0.3)
    req = ctx.poisson(62 * shape)
    busy = T >= ONSET + 40
    ev = {I1: [], I2: []}
    rt = np.zeros(N)
    t5 = np.zeros(N)
    t4 = np.zeros(N)
    for i in range(N):
        rts = []
        for rel in spread(ctx, i, req[i]):
            inst = I1 if rng.random() < 0.5 else I2
            slow = inst == I1 and busy[i]
            ms = float(rng.lognormal(np.log(2600 if slow else 70), 0.35 if slow else 0.4))
            r = rng.random()
            if r < 0.55:
                method, path, size = "GET", f"/api/v1/tariffs/DE-{ctx.pick(['BE', 'BY', 'HH', 'NW', 'SN', 'HE'])}-{ctx.randint(1000, 9999)}", ctx.randint(900, 2600)
            elif r < 0.9:
                method, path, size = "POST", "/api/v1/quotes", ctx.randint(400, 1200)
            else:
                method, path, size = "GET", f"/api/v1/contracts/{ctx.randint(100000, 999999)}/tariff", ctx.randint(700, 1800)
            status = 200
            lines = []
            if method == "POST" and rng.random() < 0.03:
                pc = ctx.randint(1000, 99999)
                lines.append(dotnet("warn", "Tariffs.Api.Controllers.QuoteController", 0,
                                    f"Postcode {pc:05d} not in grid area table, using fallback zone DE-00"))
            if rng.random() < 0.006:
                status, size = 404, 0
                t4[i] += 1
            if ms > 20000:
                ms = 20000.0
            rts.append(ms / 1000)
            if rel >= LOG_START:
                ev[inst].append((rel, dotnet("info", "Microsoft.AspNetCore.Hosting.Diagnostics", 1,
                                             f"Request starting HTTP/1.1 {method} http://tariff-api.internal{path} - "
                                             f"{'application/json' if method == 'POST' else '-'} {size if method == 'POST' else '-'}")))
                for k, text in enumerate(lines):
                    ev[inst].append((rel + ms / 2000 + 0.001 * k, text))
                ev[inst].append((rel + ms / 1000, _finished(ctx, rel, method, path, status, size, ms)))
        rt[i] = np.mean(rts) if rts else np.nan
    # recalculation progress and Kestrel heartbeat on the busy instance
    done = 0
    for rel in np.arange(ONSET, 0, 60.0):
        if rel == ONSET:
            ev[I1].append((rel, dotnet("info", "Tariffs.Recalc.PriceIndexListener", 0,
                                       "Price index DE-GAS-2026-03 published by index provider (revision 2); lease tariff-recalc held by "
                                       "tariff-api-1")))
            ev[I1].append((rel + 0.4, dotnet("info", "Tariffs.Recalc.TariffRecalculationService", 0,
                                             f"Starting full recalculation for {CONTRACTS} contracts (parallelism=4, batch=500)")))
            continue
        done = min(CONTRACTS - 1, done + ctx.randint(1150, 1350))
        ev[I1].append((rel + ctx.uni(0, 5), dotnet("info", "Tariffs.Recalc.TariffRecalculationService", 0,
                                                   f"Recalculated {done}/{CONTRACTS} contracts ({done / CONTRACTS:.0%}), "
                                                   f"elapsed {int(rel - ONSET)}s")))
    for rel in ctx.sparse_events(0.9, ONSET + 60, 0.0):
        hb = ctx.uni(1.2, 4.8)
        ev[I1].append((rel, dotnet("warn", "Microsoft.AspNetCore.Server.Kestrel", 22,
                                   f'As of "{ctx.at(rel).strftime("%m/%d/%Y %H:%M:%S")} +00:00", the heartbeat has been running for '
                                   f'"00:00:0{int(hb)}.{int((hb % 1) * 1e7):07d}" which is longer than "00:00:01". This could be caused '
                                   "by thread pool starvation.")))
    # nightly job on both instances, earlier and unremarkable
    for inst in (I1, I2):
        for rel in np.arange(LOG_START + 300, 0, 900.0):
            ev[inst].append((rel + ctx.uni(0, 30), dotnet("info", "Tariffs.Api.Cache.GridCacheRefresher", 0,
                                                          f"Grid cache refreshed: {ctx.randint(8900, 9100)} areas in {ctx.randint(180, 420)} ms")))
    logs = [stream("/tariff/api", I1, ev[I1]), stream("/tariff/api", I2, ev[I2])]

    # patch run on tariff-api-2 via SSM (agent log)
    ssm = []
    for rel, msg in [(PATCH + 3, "INFO [ssm-agent-worker] [MessagingDeliveryService] Sending reply for command run-patch-baseline"),
                     (PATCH + 5, "INFO [ssm-agent-worker] Starting AWS-RunPatchBaseline (Operation: Install, RebootOption: NoReboot)"),
                     (PATCH + 95, "INFO [ssm-agent-worker] Patch summary: installed=3 (libssh2, openssl-libs, tzdata), failed=0, reboot required=no"),
                     (PATCH + 98, "INFO [ssm-agent-worker] Command run-patch-baseline completed with status Success")]:
        ssm.append((rel, f"{ctx.at(rel).strftime('%Y-%m-%d %H:%M:%S')} {msg}"))
    logs.append(stream("/ssm/amazon-ssm-agent", I2, ssm))

    lb = {"LoadBalancer": ALB}
    cpu1 = ctx.gauge(24 * shape, 0.07, lo=3)
    cpu1 = np.where(busy, np.clip(98.5 + ctx.rng.normal(0, 0.9, N), 94, 100), cpu1)
    cpu1 = np.where(between(ONSET, ONSET + 40), 70, cpu1)
    cpu2 = ctx.gauge(23 * shape, 0.07, lo=3) + bump(PATCH + 45, 90, 22) + bump(-13800, 240, 58)
    metrics = [
        metric("AWS/ApplicationELB", "RequestCount", lb, "Count", req),
        metric("AWS/ApplicationELB", "TargetResponseTime", lb, "Seconds", rt),
        metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "Count", t5),
        metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", lb, "Count", t4),
        metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, "Count", np.zeros(N)),
        metric("AWS/ApplicationELB", "HealthyHostCount", lb, "Count", np.full(N, 2.0)),
        metric("AWS/ApplicationELB", "UnHealthyHostCount", lb, "Count", np.zeros(N)),
    ]
    for inst, cpu, name in ((I1, cpu1, "tariff-api-1"), (I2, cpu2, "tariff-api-2")):
        d = {"InstanceId": inst}
        metrics += [
            metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu),
            metric("AWS/EC2", "NetworkIn", d, "Bytes", ctx.gauge(1.9e6 * shape, 0.1), decimals=0),
            metric("AWS/EC2", "NetworkOut", d, "Bytes", ctx.gauge(3.4e6 * shape, 0.1), decimals=0),
            metric("AWS/EC2", "StatusCheckFailed", d, "Count", np.zeros(N)),
            metric("CWAgent", "mem_used_percent", d, "Percent", ctx.gauge(52 if inst == I1 else 49, 0.015)
                   + (np.where(busy, 4, 0) if inst == I1 else 0)),
            metric("CWAgent", "disk_used_percent", {"InstanceId": inst, "path": "/", "fstype": "xfs"}, "Percent",
                   ctx.gauge(37, 0.002, jitter=0.001)),
        ]
    db = {"DBInstanceIdentifier": "tariff-db"}
    metrics += [
        metric("AWS/RDS", "CPUUtilization", db, "Percent", ctx.gauge(14, 0.08, lo=2) + np.where(busy, 3, 0)),
        metric("AWS/RDS", "DatabaseConnections", db, "Count", np.round(ctx.gauge(34, 0.03))),
        metric("AWS/RDS", "ReadLatency", db, "Seconds", ctx.gauge(0.0008, 0.1, lo=0.0003), decimals=5),
    ]
    alarms = [
        alarm(ctx, "tariff-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, rt, "Average", 60, 3, 1.0,
              description="Tariff API average response time above 1s"),
        ok_alarm("tariff-api-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": I1}, "Maximum", 60, 2, 0.0),
        ok_alarm("tariff-api-2-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": I2}, "Maximum", 60, 2, 0.0),
    ]
    changes = [
        change(PATCH, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", I2, "patch-manager"),
    ]
    resources = [
        {"type": "alb", "id": ALB, "properties": {"name": "tariff-alb", "scheme": "internal", "target_groups": ["tariff-api-tg"]}},
        {"type": "ec2", "id": I1, "properties": {"name": "tariff-api-1", "instance_type": "c6i.xlarge", "vcpus": 4,
                                                  "log_groups": ["/tariff/api"], "private_ip": "10.12.3.41"}},
        {"type": "ec2", "id": I2, "properties": {"name": "tariff-api-2", "instance_type": "c6i.xlarge", "vcpus": 4,
                                                  "log_groups": ["/tariff/api", "/ssm/amazon-ssm-agent"], "private_ip": "10.12.4.18"}},
        {"type": "rds", "id": "tariff-db", "properties": {"engine": "postgres", "instance_class": "db.m6g.large",
                                                           "max_connections": 800, "allocated_storage_gb": 200}},
    ]
    return scenario("h14-06-tariff-api-cpu",
                    "Tariff API slow for partners (quotes timing out on their side); ALB latency alarm fired.",
                    REGION, resources, metrics, logs, alarms, changes,
                    {"alarm": META["alarm"], "root_cause": {"category": META["category"], "resource": META["resources"]},
                     "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": I1}}]})
