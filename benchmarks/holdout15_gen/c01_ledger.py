"""h15-01: Go ledger service on ECS (zap JSON, awslogs without multiline) rolls out a
build whose new code path dereferences a nil pointer; alarm on the ALB target group."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, bump, change, ramp, scenario, window
from .logfmt import init_start, zap

REGION = "us-west-2"
CLUSTER, SERVICE = "prod-core", "ledger-api"
LB = "app/pub-edge-prod/7f3c1a9e2b4d6058"
TG = "targetgroup/tg-ldg-8080/3e1f0a9b7c2d4e61"
TG_WEB = "targetgroup/tg-web-3000/a41c07d2e9b35f18"
DEPLOY, ROLL = -1985.0, -1920.0     # UpdateService, first new task serving
OLD_V, NEW_V = "v2.40.3", "v2.41.0"

PATHS = [("GET", "/v1/accounts/{a}/balance", 0.34), ("GET", "/v1/accounts/{a}/entries", 0.22),
         ("POST", "/v1/transfers", 0.16), ("GET", "/v1/transfers/{t}", 0.12),
         ("POST", "/v1/holds", 0.08), ("GET", "/healthz", 0.08)]

RECOVER_STACK = (
    "github.com/lumenpay/ledger/internal/httpx.Recover.func1.1\n\t/src/internal/httpx/recover.go:41\n"
    "panic({0x9a7e40?, 0xf1c2a0?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x124\n"
    "github.com/lumenpay/ledger/internal/account.(*Account).AvailableBalance(0xc0004e2a80, {0xb81f48, 0xc0003c2f00})\n"
    "\t/src/internal/account/balance.go:57 +0x2c\n"
    "github.com/lumenpay/ledger/internal/api.(*Handler).getBalance(0xc0001b6000, {0xb7f0c0, 0xc0002a61c0}, 0xc0003d4b40)\n"
    "\t/src/internal/api/accounts.go:112 +0x1f4\n"
    "net/http.HandlerFunc.ServeHTTP(0xc0004c0a00?, {0xb7f0c0?, 0xc0002a61c0?}, 0x4d3a05?)\n"
    "\t/usr/local/go/src/net/http/server.go:2166 +0x29\n"
    "github.com/go-chi/chi/v5.(*Mux).routeHTTP(0xc0000f2360, {0xb7f0c0, 0xc0002a61c0}, 0xc0003d4b40)\n"
    "\t/go/pkg/mod/github.com/go-chi/chi/v5@v5.0.12/mux.go:459 +0x2c2")

CRASH = """panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x30 pc=0x8a1f2c]
goroutine 214 [running]:
github.com/lumenpay/ledger/internal/snapshot.(*Worker).flush(0xc0001a2b40, {0xb7e2c8, 0xc000392000})
\t/src/internal/snapshot/worker.go:118 +0x8c
github.com/lumenpay/ledger/internal/snapshot.(*Worker).Run(0xc0001a2b40, {0xb7e2c8, 0xc000392000})
\t/src/internal/snapshot/worker.go:74 +0x1d4
created by main.main in goroutine 1
\t/src/cmd/ledger-api/main.go:96 +0x8e5
goroutine 1 [IO wait]:
internal/poll.runtime_pollWait(0x7f3a2c1e8e80, 0x72)
\t/usr/local/go/src/runtime/netpoll.go:345 +0x85
internal/poll.(*pollDesc).waitRead(...)
\t/usr/local/go/src/internal/poll/fd_poll_runtime.go:89
net.(*netFD).accept(0xc000196080)
\t/usr/local/go/src/net/fd_unix.go:172 +0x29
net/http.(*Server).Serve(0xc0001d4000, {0xb7c3a0, 0xc0000a6040})
\t/usr/local/go/src/net/http/server.go:3260 +0x33e
main.main()
\t/src/cmd/ledger-api/main.go:131 +0xb25
goroutine 37 [select]:
github.com/jackc/pgx/v5/pgxpool.(*Pool).backgroundHealthCheck(0xc0002be000)
\t/go/pkg/mod/github.com/jackc/pgx/v5@v5.5.5/pgxpool/pool.go:405 +0xc5
created by github.com/jackc/pgx/v5/pgxpool.NewWithConfig in goroutine 1
\t/go/pkg/mod/github.com/jackc/pgx/v5@v5.5.5/pgxpool/pool.go:296 +0x6a5""".split("\n")


class Task:
    def __init__(self, ctx: Ctx, t0: float, version: str):
        self.s = Stream(f"/ecs/{SERVICE}", f"{SERVICE}/{SERVICE}/{ctx.hex(32)}")
        self.t0, self.version, self.end = t0, version, 0.0
        commit = "9f2c1e7" if version == NEW_V else "51ab0d3"
        self.s.add(t0, zap(ctx, t0, "info", "cmd/ledger-api/main.go:58", "starting ledger-api",
                           version=version, commit=commit, go="go1.22.5"))
        self.s.add(t0 + 0.4, zap(ctx, t0 + 0.4, "info", "db/pool.go:33", "postgres pool ready",
                                 host="core-pg-01.cj3q8rz1xk2v.us-west-2.rds.amazonaws.com", max_conns=20))
        self.s.add(t0 + 0.6, zap(ctx, t0 + 0.6, "info", "cmd/ledger-api/main.go:122", "listening", addr=":8080"))


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 3, 10, 17, 42), utc_offset_h=-7)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(14.0, 0.3)
    live = ramp(t, ROLL, 240)                       # share of traffic on new tasks
    req = ctx.poisson(610 * shape * (1 + ctx.ar(0.05)))
    bad_rate = 0.085 * live
    crash_minutes = np.zeros(ctx.n)
    crash_times = sorted(float(x) for x in rng.uniform(ROLL + 300, -60, 13))
    for ct in crash_times:
        crash_minutes[int((ct + 21600) // 60)] += 1
    t5 = ctx.poisson(req * bad_rate) + (rng.random(ctx.n) < 0.06) * rng.integers(1, 3, ctx.n)
    e5 = crash_minutes * rng.integers(6, 15, ctx.n) + (rng.random(ctx.n) < 0.01)
    healthy = 6 - np.minimum(crash_minutes, 1) + 6 * window(t, ROLL - 60, ROLL + 200)
    rt = 0.046 * (1 + ctx.ar(0.08)) + 0.012 * live
    web_req = ctx.poisson(980 * shape * (1 + ctx.ar(0.05)))

    metrics = []
    metrics += aws.alb_lb(ctx, LB, req + web_req, t5xx=t5 + ctx.poisson(np.full(ctx.n, 0.05)), e5xx=e5,
                          rt=(rt * req + 0.09 * web_req) / (req + web_req))
    metrics += aws.alb_tg(ctx, LB, TG, req, t5xx=t5, healthy=healthy, unhealthy=np.zeros(ctx.n), rt=rt)
    metrics += aws.alb_tg(ctx, LB, TG_WEB, web_req, healthy=np.full(ctx.n, 4), unhealthy=np.zeros(ctx.n),
                          rt=0.09 * (1 + ctx.ar(0.07)))
    running = 6 + 6 * window(t, ROLL - 60, ROLL + 200) - np.minimum(crash_minutes, 1)
    metrics += aws.ecs(ctx, CLUSTER, SERVICE, 31 * shape + ctx.ar(2.5) + 4 * bump(t, ROLL - 60, ROLL + 200),
                       44 + ctx.ar(1.2) - 6 * live, running)
    metrics += aws.ecs(ctx, CLUSTER, "web-portal", 22 * shape + ctx.ar(2), 51 + ctx.ar(1), np.full(ctx.n, 4))
    fx_inv = (np.arange(ctx.n) % 5 == 0).astype(float)
    fx_dur = 2400 + ctx.ar(300) + 900 * (t > -2290)
    metrics += aws.lam(ctx, "fx-rates-sync", fx_inv, np.zeros(ctx.n), fx_dur, fx_inv)
    metrics += aws.rds(ctx, "core-pg-01", cpu=18 * shape + ctx.ar(2), conns=64 + ctx.ar(3),
                       free_gb=212.4 - 0.00004 * (t + 21600) + ctx.ar(0.02), freemem_gb=9.1 + ctx.ar(0.1),
                       rlat=0.0011 + np.abs(ctx.ar(0.0002)), wlat=0.0019 + np.abs(ctx.ar(0.0003)))

    # ---- logs: tasks of the old and the new revision --------------------------
    log_from = -19300.0
    tasks = [Task(ctx, -19395 + i * 7 + float(rng.uniform(0, 5)), OLD_V) for i in range(6)]
    for tk in tasks:
        tk.end = ROLL + 120 + float(rng.uniform(0, 120))
    new_tasks = [Task(ctx, ROLL - 45 + i * 9 + float(rng.uniform(0, 4)), NEW_V) for i in range(6)]
    for tk in new_tasks:
        tk.end = 0.0
    for ct in crash_times:
        victim = min((tk for tk in new_tasks if tk.end == 0.0 and tk.t0 < ct - 120),
                     key=lambda tk: tk.t0, default=None)
        if victim is None:
            continue
        victim.s.lines(ct, [zap(ctx, ct - 0.8, "info", "snapshot/worker.go:69", "snapshot flush started",
                                accounts=int(rng.integers(8000, 14000)))] + CRASH, 0.0005)
        victim.end = ct
        repl = Task(ctx, ct + float(rng.uniform(55, 95)), NEW_V)
        repl.end = 0.0
        new_tasks.append(repl)
    all_tasks = tasks + new_tasks

    def serving(ts: float):
        cand = [tk for tk in all_tasks if tk.t0 + 1 < ts and (tk.end == 0.0 or ts < tk.end)]
        new = [tk for tk in cand if tk.version == NEW_V]
        old = [tk for tk in cand if tk.version == OLD_V]
        if new and (not old or rng.random() < live[int((ts + 21600) // 60)]):
            return new[int(rng.integers(len(new)))]
        return (old or new)[int(rng.integers(len(old or new)))]

    i0 = int((log_from + 21600) // 60)
    for i in range(i0, ctx.n):
        m0 = t[i]
        n_info = rng.binomial(int(req[i]), 0.012)
        for ts in sorted(m0 + rng.uniform(0, 60, n_info)):
            tk = serving(ts)
            meth, path, _ = PATHS[int(rng.choice(len(PATHS), p=[p[2] for p in PATHS]))]
            path = path.format(a=f"acc_{ctx.hex(12)}", t=f"trf_{ctx.hex(14)}")
            lat = float(rng.lognormal(np.log(0.02), 0.5))
            tk.s.add(ts, zap(ctx, ts, "info", "httpx/log.go:27", "request completed", method=meth, path=path,
                             status=201 if meth == "POST" else 200, latency=round(lat, 6),
                             request_id=ctx.hex(20)))
        for ts in sorted(m0 + rng.uniform(0, 60, int(t5[i]))):
            tk = serving(ts)
            rid, acc = ctx.hex(20), f"acc_{ctx.hex(12)}"
            if tk.version == NEW_V and rng.random() < 0.93:
                tk.s.add(ts, zap(ctx, ts, "error", "httpx/recover.go:41", "panic recovered", request_id=rid,
                                 method="GET", path=f"/v1/accounts/{acc}/balance",
                                 panic="runtime error: invalid memory address or nil pointer dereference",
                                 stacktrace=RECOVER_STACK))
            else:
                tk.s.add(ts, zap(ctx, ts, "error", "api/transfers.go:88", "transfer insert failed",
                                 request_id=rid, error='ERROR: duplicate key value violates unique constraint '
                                 '"ledger_transfers_idempotency_key_key" (SQLSTATE 23505)'))
        if rng.random() < 0.22:
            ts = m0 + float(rng.uniform(0, 60))
            serving(ts).s.add(ts, zap(ctx, ts, "warn", "db/trace.go:52", "slow query",
                                      duration=f"{int(rng.integers(250, 900))}ms", query="select_entries_page"))
        if rng.random() < 0.05:
            ts = m0 + float(rng.uniform(0, 60))
            serving(ts).s.add(ts, zap(ctx, ts, "error", "httpx/server.go:77", "write response failed",
                                      error="write tcp 10.20.4.17:8080->10.20.1.9:43122: write: broken pipe"))
    for tk in tasks:
        tk.s.add(tk.end - 0.5, zap(ctx, tk.end - 0.5, "info", "cmd/ledger-api/main.go:140",
                                   "received signal, draining", signal="terminated"))
        tk.s.add(tk.end, zap(ctx, tk.end, "info", "cmd/ledger-api/main.go:151", "shutdown complete"))

    fx = Stream("/aws/lambda/fx-rates-sync", f"{ctx.day()}/[$LATEST]{ctx.hex(32)}")
    fx_new = Stream("/aws/lambda/fx-rates-sync", f"{ctx.day()}/[$LATEST]{ctx.hex(32)}")
    for i in np.nonzero(fx_inv)[0]:
        ts = float(t[i]) + float(rng.uniform(0.5, 2))
        if ts < -10800:
            continue
        s = fx_new if ts > -2290 else fx
        rid = ctx.uuid()
        d = float(fx_dur[i])
        if not s.events:
            s.add(ts - 0.6, init_start(ctx, "python3.12", REGION))
        s.add(ts, f"START RequestId: {rid} Version: $LATEST")
        s.add(ts + 0.3, f"[INFO]\t{ctx.iso(ts + 0.3)}\t{rid}\tFetched 168 rates from ecb; 0 stale")
        if ts > -2290:
            s.add(ts + 0.35, f"[INFO]\t{ctx.iso(ts + 0.35)}\t{rid}\tWriting rates with new batch writer")
        s.add(ts + d / 1000, f"END RequestId: {rid}")
        s.add(ts + d / 1000 + 0.001, f"REPORT RequestId: {rid}\tDuration: {d:.2f} ms\tBilled Duration: "
              f"{int(d) + 1} ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB")

    resources = [
        {"type": "ecs", "id": f"{CLUSTER}/{SERVICE}", "properties": {
            "launch_type": "FARGATE", "desired_count": 6, "task_definition": f"{SERVICE}:119",
            "image": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/{SERVICE}:{NEW_V}",
            "log_groups": [f"/ecs/{SERVICE}"], "target_group": TG, "container_port": 8080,
            "environment": {"DB_HOST": "core-pg-01.cj3q8rz1xk2v.us-west-2.rds.amazonaws.com",
                            "SNAPSHOT_INTERVAL": "10m", "LOG_LEVEL": "info"}}},
        {"type": "ecs", "id": f"{CLUSTER}/web-portal", "properties": {
            "launch_type": "FARGATE", "desired_count": 4, "task_definition": "web-portal:311",
            "target_group": TG_WEB}},
        {"type": "alb", "id": LB, "properties": {"name": "pub-edge-prod", "scheme": "internet-facing",
                                                 "target_groups": [TG, TG_WEB]}},
        {"type": "lambda", "id": "fx-rates-sync", "properties": {"runtime": "python3.12", "timeout": 60,
                                                                "memory_size": 256}},
        {"type": "rds", "id": "core-pg-01", "properties": {"engine": "postgres", "engine_version": "16.2",
                                                          "instance_class": "db.r6g.xlarge",
                                                          "max_connections": 1000, "allocated_storage_gb": 300}},
    ]
    changes = [
        change(-19480, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               f"{SERVICE}:118", "github-actions-deploy"),
        change(-19455, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}",
               "github-actions-deploy"),
        change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "fx-rates-sync", "gha-treasury-deployer"),
        change(-2284, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
               "fx-rates-sync", "gha-treasury-deployer"),
        change(DEPLOY - 25, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
               f"{SERVICE}:119", "github-actions-deploy"),
        change(DEPLOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CLUSTER}/{SERVICE}",
               "github-actions-deploy"),
    ]
    tg5 = next(m for m in metrics if m["name"] == "HTTPCode_Target_5XX_Count" and "TargetGroup" in m["dimensions"])
    lb5 = next(m for m in metrics if m["name"] == "HTTPCode_ELB_5XX_Count")
    pgcpu = next(m for m in metrics if m["name"] == "CPUUtilization" and "DBInstanceIdentifier" in m["dimensions"])
    alarms = [
        alarm(tg5, "ledger-api-target-5xx", "Sum", 60, 3, 15, "GreaterThanThreshold", rng=rng,
              description="ledger-api returning 5xx through pub-edge-prod"),
        alarm(lb5, "pub-edge-prod-elb-5xx", "Sum", 300, 1, 100, "GreaterThanThreshold", rng=rng),
        alarm(pgcpu, "core-pg-01-cpu-high", "Average", 300, 3, 80, "GreaterThanThreshold", rng=rng),
    ]
    logs = [tk.s for tk in all_tasks if tk.s.events] + [fx, fx_new]
    doc = scenario(
        "h15-01-ledger-go-panic", "PagerDuty: ledger-api-target-5xx. Ledger API returning 500s to the mobile app.",
        REGION, resources, metrics, logs, alarms, changes,
        {"alarm": "ledger-api-target-5xx",
         "root_cause": {"category": "bad_deployment", "resource": [f"{CLUSTER}/{SERVICE}", SERVICE]},
         "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                        "dimensions": {"TargetGroup": TG, "LoadBalancer": LB}}]})
    meta = {"alarm_on": "front (ALB target group)",
            "decoys": "fx-rates-sync Lambda deploy 5 min earlier; old ledger-api deploy 5.4 h ago; "
                      "constant duplicate-key errors and broken-pipe noise; ELB 502s from crashing tasks",
            "story": "Task definition ledger-api:119 (image v2.41.0) was rolled out at about -33 min. Only the "
                     "new tasks (their startup line says v2.41.0) log `panic recovered ... nil pointer "
                     "dereference` in `(*Account).AvailableBalance`, and a background snapshot goroutine in "
                     "the same build crashes the process (Go panic with goroutine dump split line by line by "
                     "awslogs), which restarts tasks and adds ELB 502s. Target-group 5xx rise exactly as "
                     "traffic shifts to the new revision. The fx-rates-sync deploy five minutes earlier is "
                     "on an unrelated scheduled Lambda whose logs stay clean; the duplicate-key errors exist "
                     "at the same low rate before and after."}
    return doc, meta
