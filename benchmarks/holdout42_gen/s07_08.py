"""h42-07 (Go tile server on ECS, out of memory) and h42-08 (Phoenix on ECS, Postgres storage full)."""
from __future__ import annotations

import json

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, arrivals, at, change, ecs_metrics, expect,
                     iso_ms, lambda_invoke, lambda_metrics, lambda_stream_name, ramp, rds_metrics,
                     scenario_doc, series, wave)

GB = 1024 ** 3


# ------------------------------------------------------------------ h42-07
def _go_oom_dump(rng):
    return ("fatal error: runtime: out of memory\n\n"
            "runtime stack:\n"
            "runtime.throw({0x9a4b1d?, 0x4000000?})\n"
            "\t/usr/local/go/src/runtime/panic.go:1067 +0x48 fp=0x7ffd2b1a3dd8 sp=0x7ffd2b1a3da8 pc=0x46c7a8\n"
            "runtime.sysMapOS(0xc03c000000, 0x4000000)\n"
            "\t/usr/local/go/src/runtime/mem_linux.go:167 +0x11b fp=0x7ffd2b1a3e18 sp=0x7ffd2b1a3dd8 pc=0x41579b\n"
            "runtime.(*mheap).grow(0xd6e1a0, 0x2000?)\n"
            "\t/usr/local/go/src/runtime/mheap.go:1516 +0x26f fp=0x7ffd2b1a3e90 sp=0x7ffd2b1a3e18 pc=0x42a46f\n"
            "runtime.(*mheap).allocSpan(0xd6e1a0, 0x2000, 0x0, 0x1)\n"
            "\t/usr/local/go/src/runtime/mheap.go:1246 +0x1b0 fp=0x7ffd2b1a3f30 sp=0x7ffd2b1a3e90 pc=0x429bb0\n\n"
            f"goroutine {rng.randint(40000, 99999)} gp=0xc0a1b2c380 m=7 mp=0xc000500008 [running]:\n"
            "runtime.systemstack_switch()\n"
            "\t/usr/local/go/src/runtime/asm_amd64.s:479 fp=0xc0007a3a10 sp=0xc0007a3a00 pc=0x471f60\n"
            "runtime.(*mheap).alloc(0x4000000?, 0x2000?, 0x0?)\n"
            "\t/usr/local/go/src/runtime/mheap.go:966 +0x5b fp=0xc0007a3a58 sp=0xc0007a3a10 pc=0x42931b\n"
            "runtime.mallocgc(0x4000000, 0x8a2e40, 0x1)\n"
            "\t/usr/local/go/src/runtime/malloc.go:1172 +0x5d7 fp=0xc0007a3ac0 sp=0xc0007a3a58 pc=0x41dd37\n"
            "github.com/acme/geo-tiles/internal/tilecache.(*Cache).Put(0xc0000f4000, {0xc01a2b3c40, 0x1c}, {0xc03bff8000, 0x47a1, 0x8000})\n"
            "\t/src/internal/tilecache/cache.go:88 +0x1a5 fp=0xc0007a3b48 sp=0xc0007a3ac0 pc=0x7c41a5\n"
            "github.com/acme/geo-tiles/internal/server.(*Server).serveTile(0xc0001b2000, {0xb12f40, 0xc02a1e40e0}, 0xc03a8e5200)\n"
            "\t/src/internal/server/tiles.go:142 +0x3e8 fp=0xc0007a3c80 sp=0xc0007a3b48 pc=0x7c9e28\n"
            "net/http.HandlerFunc.ServeHTTP(0xc000112340?, {0xb12f40?, 0xc02a1e40e0?}, 0x0?)\n"
            "\t/usr/local/go/src/net/http/server.go:2220 +0x29 fp=0xc0007a3ca8 sp=0xc0007a3c80 pc=0x6f2ac9\n"
            "net/http.serverHandler.ServeHTTP({0xc0001c6000?}, {0xb12f40?, 0xc02a1e40e0?}, 0x6?)\n"
            "\t/usr/local/go/src/net/http/server.go:3210 +0x8e fp=0xc0007a3cd8 sp=0xc0007a3ca8 pc=0x6f4b8e\n"
            "net/http.(*conn).serve(0xc02b8d6000, {0xb13a38, 0xc0001c4f00})\n"
            "\t/usr/local/go/src/net/http/server.go:2092 +0x5d0 fp=0xc0007a3fb8 sp=0xc0007a3cd8 pc=0x6f0f30\n"
            "created by net/http.(*Server).Serve in goroutine 1\n"
            "\t/usr/local/go/src/net/http/server.go:3360 +0x485\n\n"
            "goroutine 1 gp=0xc0000061c0 m=nil [IO wait, 214 minutes]:\n"
            "internal/poll.runtime_pollWait(0x7f3c1c5e8e18, 0x72)\n"
            "\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n"
            "net.(*netFD).accept(0xc000182080)\n"
            "\t/usr/local/go/src/net/fd_unix.go:172 +0x29\n"
            "net/http.(*Server).ListenAndServe(0xc0001c6000)\n"
            "\t/usr/local/go/src/net/http/server.go:3259 +0x71\n"
            "main.main()\n"
            "\t/src/cmd/geo-tiles/main.go:61 +0x4c5\n\n"
            "goroutine 18 gp=0xc000102a80 m=nil [select]:\n"
            "github.com/acme/geo-tiles/internal/tilecache.(*Cache).reportLoop(0xc0000f4000)\n"
            "\t/src/internal/tilecache/stats.go:31 +0x105\n"
            "created by github.com/acme/geo-tiles/internal/tilecache.New in goroutine 1\n"
            "\t/src/internal/tilecache/cache.go:44 +0x1d8")


def h42_07():
    rng = Rng(4207)
    anchor = anchor_dt(2026, 11, 23, 11, 45)
    region = "us-east-2"
    lb = "app/maps-alb/5e2c8a0f7b3d1946"
    t_lim = -2700
    per = 540  # restart cycle once the cache blows the limit

    c0 = t_lim + 95
    crashes = [c0 + k * per for k in range(20) if c0 + k * per < 0]
    crash_buckets = {int(c // 60) * 60 for c in crashes}

    def mem(t):
        if t < c0:
            return ramp(t, -21600, c0 - 420, 47, 94.6) if t < c0 - 420 else ramp(t, c0 - 420, c0, 94.6, 99.3)
        ph = (t - c0) % per
        return 96.1 + 3.7 * (ph / per)

    memp = series(rng, mem, noise=0.004, hi=100.0)
    rpm = lambda t: 5200 * wave(t, 10800, 0.12, 0.4)  # noqa: E731
    crash = lambda t: t in crash_buckets  # noqa: E731
    metrics = ecs_metrics("maps", "geo-tiles", series(rng, lambda t: 41 * wave(t, 10800, 0.12, 0.4) + (14 if t >= t_lim else 0), noise=0.07),
                          memp)
    metrics += ecs_metrics("maps", "geo-admin", series(rng, lambda t: 9 + (15 if -1930 <= t < -1800 else 0), noise=0.1),
                           series(rng, lambda t: 33 if t < -1860 else 29, noise=0.02))
    metrics += alb_metrics(lb, series(rng, rpm, integer=True),
                           series(rng, lambda t: 0.021 + (0.06 if t >= t_lim else 0), noise=0.1, nd=4),
                           series(rng, lambda t: 0.2, integer=True),
                           series(rng, lambda t: 0.1 + (140 if crash(t) else 4 if t >= t_lim else 0), integer=True),
                           series(rng, lambda t: 12, integer=True),
                           series(rng, lambda t: 2 if crash(t) else 3, noise=0, nd=0),
                           series(rng, lambda t: 1 if crash(t) else 0, noise=0, nd=0))
    runs = set(range(-21600 + 300, 0, 3600))
    metrics += lambda_metrics("tile-prewarm", series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 48000, noise=0.1, nd=2) if p[0] in runs],
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0))

    logs = []
    g = "/ecs/geo-tiles"
    task_def = "arn:aws:ecs:us-east-2:318273640519:task-definition/geo-tiles:57"
    ev = Stream("/aws/events/ecs-task-state-change", "ecs-events")
    lifetimes = [(-7200, c0)] + [(c + 40, c + per) for c in crashes]
    lifetimes = [(a, min(b, 10**9)) for a, b in lifetimes if a < 0]
    for i, (a, b) in enumerate(lifetimes):
        tid = rng.hexs(32)
        st = Stream(g, f"geo-tiles/geo-tiles/{tid}")
        end = min(b, 0)
        heap = 540 if i == 0 else 210
        if i > 0:
            st.add(a, json.dumps({"time": iso_ms(anchor, a), "level": "INFO", "msg": "geo-tiles starting",
                                  "build": {"version": "3.8.2", "commit": "a41f9e0", "go": "go1.23.3"},
                                  "cache": {"max_entries": 0, "eviction": "none"}, "listen": ":8080"}))
        for t in range(int(a) + 30, int(end), 60):
            frac = (t - a) / max(1, (b - a))
            h = heap + (930 - heap) * frac if i > 0 else ramp(t, -7200, t_lim, 905, 955)
            st.add(t, json.dumps({"time": iso_ms(anchor, t), "level": "INFO", "msg": "runtime stats",
                                  "mem": {"heap_alloc_mb": round(h), "heap_sys_mb": round(h * 1.06), "sys_mb": round(h * 1.07 + 18),
                                          "num_gc": 900 + int(t - a) // 9},
                                  "cache": {"entries": int(h * 760), "bytes_mb": round(h * 0.86)},
                                  "goroutines": rng.randint(180, 260)}, separators=(",", ":")))
        for t in arrivals(rng, a + 2, end, lambda t: 0.35):
            z = rng.choice([10, 11, 12, 12, 13, 14, 15])
            hit = rng.random() < 0.82
            rec = {"time": iso_ms(anchor, t), "level": "INFO", "msg": "request",
                   "http": {"method": "GET", "path": f"/tiles/v3/{z}/{rng.randint(0, 2 ** z)}/{rng.randint(0, 2 ** z)}.pbf",
                            "status": 200, "bytes": rng.randint(900, 48000)},
                   "dur_ms": round(rng.uniform(0.4, 3) if hit else rng.uniform(9, 60), 1), "cache": {"hit": hit}}
            if rng.random() < 0.04:
                rec = {"time": iso_ms(anchor, t), "level": "WARN", "msg": "elevation provider slow",
                       "provider": {"name": "srtm-s3", "p99_ms": rng.randint(700, 1100), "budget_ms": 500}}
            st.add(t, json.dumps(rec, separators=(",", ":")))
        if b <= 0:
            if i % 3 == 1:
                st.add(b - 0.01, _go_oom_dump(rng))
                code, reason = 2, "Essential container in task exited"
            else:
                code, reason = 137, "OutOfMemoryError: Container killed due to memory usage"
            detail = {"clusterArn": "arn:aws:ecs:us-east-2:318273640519:cluster/maps",
                      "containers": [{"name": "geo-tiles", "exitCode": code, "lastStatus": "STOPPED",
                                      "reason": reason if code == 137 else None, "memory": "1024"}],
                      "group": "service:geo-tiles", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
                      "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
                      "taskArn": f"arn:aws:ecs:us-east-2:318273640519:task/maps/{tid}", "taskDefinitionArn": task_def,
                      "cpu": "512", "memory": "1024", "launchType": "FARGATE"}
            if code != 137:
                detail["containers"][0].pop("reason")
            env = {"version": "0", "id": rng.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
                   "account": "318273640519", "time": at(anchor, b + 2).strftime("%Y-%m-%dT%H:%M:%SZ"), "region": region,
                   "resources": [detail["taskArn"]], "detail": detail}
            ev.add(b + 2, json.dumps(env, separators=(",", ":")))
        logs.append(st)
    logs.append(ev)
    adm = Stream("/ecs/geo-admin", f"geo-admin/geo-admin/{rng.hexs(32)}")
    for t in arrivals(rng, -1840, 0, lambda t: 0.05):
        adm.add(t, json.dumps({"time": iso_ms(anchor, t), "level": "INFO", "msg": "request",
                               "http": {"method": rng.choice(["GET", "POST"]), "path": rng.choice(["/admin/layers", "/admin/styles/street-v9"]),
                                        "status": 200}, "dur_ms": round(rng.uniform(3, 40), 1)}, separators=(",", ":")))
    logs.append(adm)

    changes = [change(-1940, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "geo-admin", "github-actions"),
               change(-1925, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "maps/geo-admin", "github-actions")]
    al = alarm("geo-tiles-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": "maps", "ServiceName": "geo-tiles"},
               "Maximum", 60, 3, 95, "GreaterThanThreshold", memp, anchor, "geo-tiles tasks near their 1 GiB memory limit")
    resources = [
        {"type": "ecs", "id": "maps/geo-tiles", "properties": {"launch_type": "FARGATE", "desired_count": 3, "task_cpu": 512,
                                                                "task_memory": 1024, "task_definition": "geo-tiles:57", "runtime": "go1.23",
                                                                "log_groups": ["/ecs/geo-tiles", "/aws/events/ecs-task-state-change"]}},
        {"type": "ecs", "id": "maps/geo-admin", "properties": {"launch_type": "FARGATE", "desired_count": 1, "task_memory": 512,
                                                                "log_groups": ["/ecs/geo-admin"]}},
        {"type": "alb", "id": lb, "properties": {"name": "maps-alb"}},
        {"type": "lambda", "id": "tile-prewarm", "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 512}},
    ]
    doc = scenario_doc("h42-07-geo-tiles-go-oom",
                       "Map tiles intermittently failing to load; geo-tiles memory alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "memory_exhaustion", ["maps/geo-tiles", "geo-tiles"],
                              [("AWS/ECS", "MemoryUtilization", {"ClusterName": "maps", "ServiceName": "geo-tiles"})]))
    meta = {"region": region, "alarm": al["name"], "category": "memory_exhaustion", "resources": ["maps/geo-tiles", "geo-tiles"],
            "where": "origin (ECS)",
            "decoys": "geo-admin deploy (same cluster) 32 min ago with flat metrics; steady 'elevation provider slow' WARN; "
                      "hourly tile-prewarm Lambda",
            "story": "The Go tile server's in-process cache has no eviction (`\"eviction\":\"none\"` in its start-up JSON). "
                     "MemoryUtilization climbs for hours until the tasks hit their 1 GiB limit 45 minutes ago; since then "
                     "tasks die every ~9 minutes: EventBridge ECS task-state events (nested JSON) show exit 137 "
                     "`OutOfMemoryError: Container killed due to memory usage`, and one task prints Go's `fatal error: "
                     "runtime: out of memory` with the full goroutine dump ending in tilecache.(*Cache).Put. ALB ELB 5xx "
                     "spike at each kill. The geo-admin deploy is on another service with flat metrics -> memory_exhaustion."}
    return "h42-07-geo-tiles-go-oom", doc, meta


# ------------------------------------------------------------------ h42-08
def _phx_disk_full(anchor, t, path, rel):
    ts = at(anchor, t).strftime("%H:%M:%S.%f")[:-3]
    return (f"{ts} [error] #PID<0.{rng_pid(t)}.0> running ClaimsWeb.Endpoint (connection #PID<0.{rng_pid(t) - 3}.0>, stream id 1) terminated\n"
            "Server: claims.acme-insure.co.uk:80 (http)\n"
            f"Request: {path}\n"
            "** (exit) an exception was raised:\n"
            f'    ** (Postgrex.Error) ERROR 53100 (disk_full) could not extend file "base/16401/{rel}": No space left on device\n\n'
            "    hint: Check free disk space.\n"
            "        (ecto_sql 3.12.1) lib/ecto/adapters/sql.ex:1096: Ecto.Adapters.SQL.raise_sql_call_error/1\n"
            "        (ecto 3.12.4) lib/ecto/repo/schema.ex:1000: Ecto.Repo.Schema.apply/4\n"
            "        (ecto 3.12.4) lib/ecto/repo/schema.ex:377: anonymous fn/15 in Ecto.Repo.Schema.do_insert/4\n"
            "        (claims 2.3.1) lib/claims/intake.ex:58: Claims.Intake.submit/2\n"
            "        (claims 2.3.1) lib/claims_web/controllers/claim_controller.ex:24: ClaimsWeb.ClaimController.create/2\n"
            "        (claims 2.3.1) lib/claims_web/controllers/claim_controller.ex:1: ClaimsWeb.ClaimController.action/2\n"
            "        (claims 2.3.1) lib/claims_web/controllers/claim_controller.ex:1: ClaimsWeb.ClaimController.phoenix_controller_pipeline/2\n"
            "        (phoenix 1.7.14) lib/phoenix/router.ex:484: Phoenix.Router.__call__/5")


def rng_pid(t):
    return 4000 + int(abs(t) * 7) % 90000


def h42_08():
    rng = Rng(4208)
    anchor = anchor_dt(2026, 11, 24, 9, 30)
    region = "eu-west-2"
    lb = "app/claims-alb/2d7e9a1c5f3b8064"
    db = "claims-pg"
    t_full = -2130
    free = lambda t: max(0.31 * GB, 14.2 * GB - (t + 21600) * (14.2 * GB / 19470))  # noqa: E731
    full = lambda t: t >= t_full  # noqa: E731
    rpm = lambda t: 640 * wave(t, 10800, 0.15, 2.2)  # noqa: E731
    write_share = 0.36
    t5 = series(rng, lambda t: 0.2 + (rpm(t) * write_share if full(t) else 0), integer=True)
    metrics = rds_metrics(db, series(rng, lambda t: 21 * wave(t, 10800, 0.1), noise=0.08),
                          series(rng, lambda t: 62, integer=True),
                          series(rng, free, noise=0.001, nd=0, lo=0.3 * GB),
                          series(rng, lambda t: 0.0011, noise=0.15, nd=5),
                          series(rng, lambda t: 0.0021 if not full(t) else 0.0009, noise=0.15, nd=5),
                          series(rng, lambda t: 2.4 * GB, noise=0.01, nd=0),
                          extra=[("TransactionLogsDiskUsage", "Bytes",
                                  series(rng, lambda t: min(16.1 * GB, 1.9 * GB + (t + 21600) * (14.2 * GB / 19470)), noise=0.002, nd=0)),
                                 ("OldestReplicationSlotLag", "Bytes",
                                  series(rng, lambda t: min(14.4 * GB, (t + 21600) * (14.2 * GB / 19470) + 0.2 * GB), noise=0.002, nd=0)),
                                 ("WriteIOPS", "Count/Second", series(rng, lambda t: 180 if not full(t) else 35, noise=0.1, nd=1))])
    metrics += alb_metrics(lb, series(rng, rpm, integer=True), series(rng, lambda t: 0.064, noise=0.1, nd=4), t5,
                           series(rng, lambda t: 0.05, integer=True), series(rng, lambda t: 9, integer=True),
                           series(rng, lambda t: 3, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    metrics += ecs_metrics("claims", "claims-api", series(rng, lambda t: 18 * wave(t, 10800, 0.15, 2.2), noise=0.08),
                           series(rng, lambda t: 38, noise=0.02))
    runs = set(range(-21600 + 120, 0, 900))
    metrics += lambda_metrics("claims-archiver", series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0),
                              [p for p in series(rng, lambda t: 21000, noise=0.1, nd=2) if p[0] in runs],
                              series(rng, lambda t: 1 if t in runs else 0, noise=0, nd=0))

    api = Stream("/ecs/claims-api", f"claims/claims-api/{rng.hexs(32)}")
    pgl = Stream(f"/aws/rds/instance/{db}/postgresql", f"{db}.0")
    for t in arrivals(rng, -6600, 0, lambda t: 0.3):
        hm = lambda x: at(anchor, x).strftime("%H:%M:%S.%f")[:-3]  # noqa: E731
        rid = "F" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(19))
        w = rng.random() < write_share
        path = rng.choice(["POST /api/claims", "POST /api/claims/:id/notes", "PATCH /api/claims/:id"]) if w else \
            rng.choice(["GET /api/claims/:id", "GET /api/policies/:id", "GET /api/claims?status=open"])
        path = path.replace(":id", str(rng.randint(100000, 999999)))
        api.add(t, f"{hm(t)} request_id={rid} [info] {path}")
        if w and full(t):
            api.add(t + 0.02, f"{hm(t + 0.02)} request_id={rid} [info] Sent 500 in {rng.randint(8, 30)}ms")
            api.add(t + 0.021, _phx_disk_full(anchor, t + 0.021, path, rng.choice([24588, 24588, 24611, 24702])))
        else:
            d = rng.lognormvariate(3.1, 0.4)
            code = 201 if path.startswith("POST") else 200
            api.add(t + d / 1000, f"{hm(t + d / 1000)} request_id={rid} [info] Sent {code} in {d:.0f}ms")
    for t in arrivals(rng, -6600, 0, lambda t: 1 / 45):
        hm = at(anchor, t).strftime("%H:%M:%S.%f")[:-3]
        api.add(t, f"{hm} [warning] [libcluster:ecs] unable to connect to :\"claims@10.0.{rng.randint(1, 9)}.{rng.randint(10, 250)}\": "
                   f"{rng.choice([':nxdomain', ':timeout'])}")
    sd = lambda x: at(anchor, x).strftime("%Y-%m-%d %H:%M:%S UTC")  # noqa: E731
    for t in range(-6600, 0, 300):
        tt = t + rng.uniform(0, 30)
        pgl.add(tt, f"{sd(tt)}::@:[573]:LOG:  checkpoint starting: time")
        pgl.add(tt + 27, f"{sd(tt + 27)}::@:[573]:LOG:  checkpoint complete: wrote {rng.randint(900, 3100)} buffers ({rng.uniform(0.4, 1.9):.1f}%); "
                         f"0 WAL file(s) added, 0 removed, {rng.randint(1, 3)} recycled; write=26.{rng.randint(100, 999)} s, sync=0.0{rng.randint(10, 99)} s, "
                         f"total=27.{rng.randint(100, 999)} s; sync files={rng.randint(20, 60)}, longest=0.00{rng.randint(1, 9)} s, average=0.001 s; "
                         f"distance={rng.randint(20000, 60000)} kB, estimate={rng.randint(30000, 60000)} kB; lsn=4A/{rng.hexs(8).upper()}, redo lsn=4A/{rng.hexs(8).upper()}")
    for t in arrivals(rng, t_full, 0, lambda t: 0.3 * write_share * 3):
        rel = rng.choice([24588, 24588, 24611, 24702])
        pgl.add(t, f"{sd(t)}:10.0.{rng.choice([11, 12, 13])}.{rng.randint(5, 250)}({rng.randint(32768, 60999)}):claims_app@claims:"
                   f"[{rng.randint(20000, 65000)}]:ERROR:  could not extend file \"base/16401/{rel}\": No space left on device")
        pgl.add(t + 0.001, f"{sd(t)}:10.0.12.{rng.randint(5, 250)}({rng.randint(32768, 60999)}):claims_app@claims:[{rng.randint(20000, 65000)}]:HINT:  Check free disk space.")
    for t in range(t_full + 40, 0, 240):
        pgl.add(t, f"{sd(t)}::@:[580]:LOG:  could not write to file \"pg_wal/xlogtemp.580\": No space left on device")
    arc = Stream("/aws/lambda/claims-archiver", lambda_stream_name(anchor, rng))
    for t in sorted(runs):
        if t < -10800:
            continue
        rid = rng.uuid()
        lambda_invoke(arc, t + 0.5, rid, rng.uniform(15000, 26000), 512, rng.randint(140, 170),
                      [(1.0, f"[INFO]\t{iso_ms(anchor, t + 1.5)}\t{rid}\tarchived {rng.randint(30, 90)} closed claims to s3://acme-claims-archive/2026/11/")])
    logs = [api, pgl, arc]

    changes = [change(-3010, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                      "claims-archiver", "s.ahmed")]
    al = alarm("claims-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
               15, "GreaterThanThreshold", t5, anchor, "Claims API 5xx")
    resources = [
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "15.8", "instance_class": "db.m6g.large",
                                                 "max_connections": 400, "allocated_storage_gb": 100, "max_allocated_storage_gb": None,
                                                 "logical_replication": True}},
        {"type": "ecs", "id": "claims/claims-api", "properties": {"runtime": "elixir 1.17 / phoenix 1.7", "desired_count": 3,
                                                                   "log_groups": ["/ecs/claims-api"]}},
        {"type": "alb", "id": lb, "properties": {"name": "claims-alb"}},
        {"type": "lambda", "id": "claims-archiver", "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 512}},
    ]
    doc = scenario_doc("h42-08-claims-pg-storage-full",
                       "Claim submissions failing while lookups still work; claims ALB 5xx alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "storage_exhaustion", [db],
                              [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}),
                               ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "storage_exhaustion", "resources": [db],
            "where": "front (ALB)",
            "decoys": "claims-archiver config change 50 min ago (healthy); steady libcluster 'unable to connect' warnings; "
                      "reads keep succeeding",
            "story": "An inactive logical replication slot (debezium_claims) has been retaining WAL all morning: "
                     "TransactionLogsDiskUsage and OldestReplicationSlotLag grow in lockstep while FreeStorageSpace on the "
                     "100 GB claims-pg (no storage autoscaling) falls to ~0.3 GB 35 minutes ago. From then on every write fails: "
                     "Postgres logs `could not extend file ... No space left on device` / `HINT: Check free disk space.`, and "
                     "the Phoenix service logs multi-line Cowboy crash reports with `** (Postgrex.Error) ERROR 53100 (disk_full)`. "
                     "Reads still return 200. -> storage_exhaustion on claims-pg."}
    return "h42-08-claims-pg-storage-full", doc, meta
