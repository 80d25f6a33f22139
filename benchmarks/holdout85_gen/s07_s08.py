"""h85-07 (sa-east-1, JVM ETA service out of memory behind an ALB) and h85-08 (us-east-1, MySQL
ledger runs out of storage; PHP receipts site behind an ALB fails)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import mysql, nginx, spring

from .kit import (H85, alb_metrics, bump, ct, ec2_metrics, ecs_deploy, ecs_metrics, emit, periodic,
                  ramp, rds_metrics)


def build_07() -> H85:
    sc = H85(7, "eta-5xx",
             "Rider app shows 'ETA unavailable' across Sao Paulo; ELB 5XX alarm on the ETA load balancer.",
             "sa-east-1", 8507, "2026-02-27T15:50:00+00:00", {
                 "front": "front (ALB -> ECS)", "runtime": "Kotlin / Spring Boot (plain)",
                 "decoys": "deploy of a sibling service 4 min before the first OOM; CPU alarm on the same "
                           "service (GC); pre-existing slow traffic-feed warnings",
             })
    lb = "app/eta-sp/6d5c4b3a29180f7e"
    cl, svc, sib = "routing", "eta-model", "geofence-sync"
    sc.resource("alb", lb, name="eta-sp", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=2048, memory=3072,
                image="eta-model:2.9.4", java_opts="-XX:MaxRAMPercentage=85 -XX:+ExitOnOutOfMemoryError")
    sc.resource("ecs", f"{cl}/{sib}", launch_type="FARGATE", desired_count=1, cpu=512, memory=1024)
    onset = -2280
    sc.meta["onset"] = onset

    def load(t):
        return 1.0 + 0.3 * ramp(t, -21600, -3000)

    def sick(t):
        return ramp(t, onset, onset + 420)

    def down(t):  # tasks missing / not yet healthy at this minute
        return round(sick(t) * (1 if (t // 60) % 3 else 2))

    alb_metrics(sc, lb, req=lambda t: 3900 * load(t), t5=lambda t: 0.5 + 18 * sick(t),
                e5=lambda t: 0.3 + 95 * sick(t), rt=lambda t: 0.14 + 0.05 * ramp(t, -9000, onset) + 0.9 * sick(t),
                healthy=lambda t: 4 - down(t), unhealthy=lambda t: round(sick(t)) if (t // 60) % 2 else 0)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 46 + 12 * ramp(t, -9000, onset) + 24 * sick(t),
                mem=lambda t: min(99.5, 61 + 33 * ramp(t, -21600, onset) + 5 * sick(t)),
                running=lambda t: 4 - down(t))
    ecs_metrics(sc, cl, sib, cpu=lambda t: 9 + bump(t, onset - 240, onset - 120, 30, 60), mem=38.0, running=1)

    rng = sc.rng
    app = "eta-model"
    g = f"/ecs/{svc}"
    zones = ["Pinheiros", "Moema", "Se", "Guarulhos", "Itaim Bibi", "Santana", "Vila Mariana"]

    def eta(t):
        return spring(sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 64)}", "b.c.r.eta.EtaController",
                      f"ETA {rng.choice(zones)} -> {rng.choice(zones)} etaSec={rng.randint(240, 2900)} "
                      f"cacheHit={str(rng.random() < 0.9).lower()}", app)

    def slow(t):
        return spring(sc, t, "WARN", "feed-poller-1", "b.c.r.eta.traffic.TrafficFeedClient",
                      f"Slow response from traffic-feed ({rng.randint(1100, 2400)} ms), using previous snapshot",
                      app)

    for slot in range(4):
        tid = sc.hexid(32)
        heap0 = 1.55 + 0.05 * slot
        end = onset + 60 + slot * rng.uniform(90, 160)

        def stats(t, heap0=heap0):
            used = min(2.58, heap0 + 1.0 * ramp(t, -21600, onset))
            return spring(sc, t, "INFO", "cache-stats", "b.c.r.eta.cache.RouteCache",
                          f"RouteCache stats: entries={int(used * 820000):,} heapUsed={used:.2f}GiB/2.55GiB "
                          f"evictions=0", app)

        def period(f, end=end):
            return lambda t: f(t) if t < end else 0.0

        emit(sc, g, f"ecs/{svc}/{tid}", period(lambda t: 3.0 * load(t)), eta)
        emit(sc, g, f"ecs/{svc}/{tid}", period(lambda t: 0.5), slow)
        periodic(sc, g, f"ecs/{svc}/{tid}", 600, stats, end=end)
        periodic(sc, g, f"ecs/{svc}/{tid}", 50, lambda t: spring(
            sc, t, "WARN", "gc-monitor", "b.c.r.eta.ops.GcMonitor",
            f"GC overhead {rng.randint(62, 96)}% over last 60s (old gen {rng.uniform(97.1, 99.9):.1f}% after full GC)",
            app), start=onset - 200 + slot * 40, end=end)
        t_oom = end - 3
        sc.log(g, f"ecs/{svc}/{tid}", t_oom, spring(
            sc, t_oom, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 64)}",
            "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            "Servlet.service() for servlet [dispatcherServlet] threw exception [Handler dispatch failed: "
            "java.lang.OutOfMemoryError: Java heap space] with root cause\njava.lang.OutOfMemoryError: "
            "Java heap space\n\tat java.base/java.util.HashMap.resize(HashMap.java:710)\n\tat "
            "b.c.r.eta.cache.RouteCache.put(RouteCache.kt:88)", app))
        sc.log(g, f"ecs/{svc}/{tid}", t_oom + 0.4, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        # replacements: start, preload the cache, die again within minutes
        t = end + rng.uniform(35, 70)
        while t < -30:
            nid = sc.hexid(32)
            life = rng.uniform(420, 780)
            s = f"ecs/{svc}/{nid}"
            sc.log(g, s, t, spring(sc, t, "INFO", "main", "b.c.r.eta.EtaModelApplicationKt",
                                   f"Started EtaModelApplicationKt in {rng.uniform(11, 16):.1f} seconds "
                                   f"(process running for {rng.uniform(12, 17):.1f})", app))
            sc.log(g, s, t + 2, spring(sc, t + 2, "INFO", "main", "b.c.r.eta.cache.RouteCache",
                                       "Preloading route cache for region=sp-metro from snapshot "
                                       "(2,118,406 segments)", app))
            die = t + life
            emit(sc, g, s, lambda x, die=die: 3.0 * load(x) if x < die else 0.0, eta, start=int(t // 60 * 60) + 60,
                 end=min(die, 0))
            periodic(sc, g, s, 55, lambda x: spring(
                sc, x, "WARN", "gc-monitor", "b.c.r.eta.ops.GcMonitor",
                f"GC overhead {rng.randint(55, 97)}% over last 60s (old gen {rng.uniform(96, 99.9):.1f}% after full GC)",
                app), start=t + life * 0.6, end=min(die, 0))
            if die < 0:
                sc.log(g, s, die, spring(
                    sc, die, "ERROR", f"http-nio-8080-exec-{rng.randint(1, 64)}", "b.c.r.eta.cache.RouteCache",
                    "Route cache refresh failed\njava.lang.OutOfMemoryError: Java heap space", app))
                sc.log(g, s, die + 0.3, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
            t = die + rng.uniform(35, 70)
    st = sc.hexid(32)
    periodic(sc, f"/ecs/{sib}", f"ecs/{sib}/{st}", 120, lambda t: spring(
        sc, t, "INFO", "scheduling-1", "b.c.r.geofence.SyncJob",
        f"Synced {rng.randint(3, 40)} geofences (airport/event zones)", "geofence-sync"))

    ecs_deploy(sc, onset - 240, cl, sib, "geofence-sync", 31, "gitlab-ci")
    ct(sc, -17500, "elb_tg", "eta-sp-tg/1a2b3c4d5e6f7081", "rafael.lima")

    sc.alarm("eta-sp-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 30, "GreaterThanThreshold", "ETA load balancer 5XX")
    sc.alarm("eta-model-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.expect_("eta-sp-elb-5xx", "memory_exhaustion", [f"{cl}/{svc}", svc],
               [("AWS/ECS", "MemoryUtilization", {"ClusterName": cl, "ServiceName": svc}),
                ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{cl}/{svc}` (Kotlin, 3 GiB tasks) keeps an in-memory route cache whose size it logs every ten "
        f"minutes: entries and heap climb all day, and service MemoryUtilization goes from ~61 % to the "
        f"high 90s. From about {-onset // 60} min ago the tasks log `GC overhead 90% ...`, then "
        f"`java.lang.OutOfMemoryError: Java heap space` and `Terminating due to java.lang.OutOfMemoryError`; "
        f"replacements preload the cache and die again within minutes, so RunningTaskCount and "
        f"HealthyHostCount dip and the ALB returns 502/503 (ELB 5XX). CPU rises to ~80 % from garbage "
        f"collection and trips a CPU alarm, but it is not pinned. `{sib}` was deployed four minutes "
        f"before the first OOM and is unrelated; the slow traffic-feed warnings are steady all day.")
    sc.meta["judgement"] = (
        "CPU alarm vs memory: CPU never pins and rises only with GC thrash once the heap is full; the "
        "OOM terminations and memory at the limit decide `memory_exhaustion`.")
    return sc


def build_08() -> H85:
    sc = H85(8, "receipts-5xx",
             "Drivers cannot download trip receipts / new receipts fail to save; receipts ALB 5XX alarm.",
             "us-east-1", 8508, "2026-01-30T16:25:00+00:00", {
                 "front": "front (ALB -> EC2 -> RDS)", "runtime": "PHP / Laravel + nginx access log, MySQL error log",
                 "decoys": "parameter-group change on another DB 4 min before onset; CodeDeploy to the web "
                           "hosts 1 h earlier; pre-existing PHP warnings and 404s; old web CPU alarm",
             })
    lb = "app/receipts-web/0e1f2a3b4c5d6e7f"
    db, other = "ledger-my-02", "promo-my-01"
    w1, w2 = "i-0d4c3b2a1f0e9d8c7", "i-0e6f5a4b3c2d1e0f9"
    sc.resource("alb", lb, name="receipts-web", scheme="internet-facing")
    for iid, nm in ((w1, "receipts-web-1"), (w2, "receipts-web-2")):
        sc.resource("ec2", iid, name=nm, instance_type="m6i.large",
                    log_groups=["/receipts/nginx/access", "/receipts/laravel"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                allocated_storage_gb=200, storage_autoscaling=False, max_connections=1000)
    sc.resource("rds", other, engine="mysql", engine_version="8.0.36", instance_class="db.t4g.medium",
                allocated_storage_gb=100)
    full = -2220
    sc.meta["onset"] = full
    deploy = -6000

    def free(t):
        return max(0.04, 21.0 * (full - t) / (full + 21600)) if t < full else 0.04 + 0.02 * ((t // 60) % 3)

    def bad(t):
        return ramp(t, full, full + 180)

    def req(t):
        return 1400 * (1 + 0.25 * ramp(t, -18000, -4000))

    alb_metrics(sc, lb, req, t5=lambda t: 0.6 + 0.31 * req(t) * bad(t), e5=0.2,
                rt=lambda t: 0.18 + 0.9 * bad(t), healthy=2, t4=lambda t: req(t) * 0.03)
    rds_metrics(sc, db, cpu=lambda t: 21 - 8 * bad(t), conns=lambda t: 64 + 40 * bad(t), free_gb=free,
                mem_gb=4.8, wlat=lambda t: 0.0024 + 0.02 * bad(t), wiops=lambda t: 420 * (1 - 0.9 * bad(t)))
    rds_metrics(sc, other, cpu=14.0, conns=22, free_gb=71.5, mem_gb=1.9)
    for iid, spike in ((w1, True), (w2, False)):
        ec2_metrics(sc, iid, cpu=lambda t, s=spike: 24 + (bump(t, -11400, -10800, 62, 120) if s else 0)
                    + bump(t, deploy, deploy + 90, 25, 30), net_in=lambda t: 1.1e7 * req(t) / 1400,
                    mem=52.0, disk=lambda t: 47 + 0.3 * ramp(t, -21600, 0))

    rng = sc.rng
    paths_r = ["/receipts/{id}", "/receipts/{id}/pdf", "/trips/{id}/summary"]
    for iid in (w1, w2):
        pid = rng.randint(900, 3000)

        def access(t):
            write = rng.random() < 0.31
            if write:
                st = 500 if rng.random() < bad(t) else 201
                return nginx(sc, t, sc.ip("10.30"), "POST", "/receipts", st, 312 if st == 500 else 188,
                             rng.uniform(0.05, 0.3) + (rng.uniform(0.5, 2.5) if st == 500 else 0),
                             ua="RidelaneDriver/7.12 (Android 14)")
            p = rng.choice(paths_r).replace("{id}", str(rng.randint(10 ** 7, 10 ** 8)))
            st = 404 if rng.random() < 0.03 else 200
            return nginx(sc, t, sc.ip("10.30"), "GET", p, st, rng.randint(900, 40000) if st == 200 else 162,
                         rng.uniform(0.03, 0.2), ua=rng.choice(["RidelaneDriver/7.12 (Android 14)",
                                                                  "RidelaneDriver/7.11 (iOS 17.2)"]))

        emit(sc, "/receipts/nginx/access", iid, lambda t: 4.0 * req(t) / 1400, access)

        def lv(t, level, msg):
            return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{level}: {msg}"

        emit(sc, "/receipts/laravel", iid, lambda t: 0.8, lambda t: lv(
            t, "WARNING", f"Undefined array key \"tip\" in /var/www/receipts/app/Pdf/ReceiptPresenter.php:88 "
                          f"{{\"trip\":\"TRP-{rng.randint(10 ** 7, 10 ** 8)}\"}}"))
        emit(sc, "/receipts/laravel", iid, lambda t: 1.3 * bad(t), lambda t: lv(
            t, "ERROR", "SQLSTATE[HY000]: General error: 1114 The table 'trip_receipts' is full (Connection: "
                        "mysql, SQL: insert into `trip_receipts` (`trip_id`, `driver_id`, `amount_cents`, "
                        f"`currency`, `created_at`) values (TRP-{rng.randint(10 ** 7, 10 ** 8)}, "
                        f"{rng.randint(10 ** 5, 10 ** 6)}, {rng.randint(700, 9000)}, USD, "
                        f"{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')})) {{\"exception\":\"[object] "
                        "(Illuminate\\\\Database\\\\QueryException(code: HY000))\"}}"))
        sc.log("/receipts/laravel", iid, deploy + 30 + pid % 60, lv(
            deploy + 30 + pid % 60, "INFO", "Application deployed: release 2026.01.30-2 (php 8.3.2, opcache reset)"))

    el = f"/aws/rds/instance/{db}/error"
    periodic(sc, el, db, 900, lambda t: mysql(sc, t, 0, "Note", "MY-010914", "Aborted connection "
             f"{rng.randint(10 ** 5, 10 ** 6)} to db: 'ledger' user: 'receipts' host: '10.30.{rng.randint(1, 9)}."
             f"{rng.randint(2, 250)}' (Got timeout reading communication packets).", "Server"))
    periodic(sc, el, db, 60, lambda t: mysql(
        sc, t, 0, "ERROR", "MY-000035", f"Disk is full writing '/rdsdbdata/log/binlog/mysql-bin-changelog."
        f"0{rng.randint(4410, 4414)}' (OS errno 28 - No space left on device). Waiting for someone to free "
        "space... Retry in 60 secs. Write failed.", "Server"), start=full + 20, jitter=0.5)
    emit(sc, el, db, lambda t: 1.5 * bad(t), lambda t: mysql(
        sc, t, rng.randint(40, 900), "ERROR", "MY-012639", "Write to file ./ledger/trip_receipts.ibd failed at "
        f"offset {rng.randint(10 ** 10, 2 * 10 ** 10)}, 16384 bytes should have been written, only 0 were "
        "written. Operating system error number 28. Check that your OS and file system support files of "
        "this size. Check also that the disk is not full or a disk quota exceeded.", "InnoDB"))

    ct(sc, full - 240, "rds_params", f"{other}-params", "sam.okafor")
    ct(sc, deploy - 60, "codedeploy", "receipts-web-prod", "jenkins-release")

    sc.alarm("receipts-web-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 20, "GreaterThanThreshold", "Receipts site 5XX")
    sc.alarm("receipts-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": w1}, "Average", 300, 1, 80,
             "GreaterThanThreshold")
    sc.expect_("receipts-web-target-5xx", "storage_exhaustion", [db],
               [("AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db}),
                ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"`{db}` (MySQL, 200 GB, no storage autoscaling) loses free space steadily all day - 21 GB six "
        f"hours ago, effectively zero {-full // 60} min ago. From that minute its error log repeats "
        f"`Disk is full writing '.../mysql-bin-changelog...' (OS errno 28 - No space left on device)` and "
        f"InnoDB `Write to file ./ledger/trip_receipts.ibd failed ... error number 28`; the PHP hosts log "
        f"`SQLSTATE[HY000]: General error: 1114 The table 'trip_receipts' is full` and every "
        f"`POST /receipts` returns 500 while GETs keep working, so target 5XX on `receipts-web` jumps "
        f"to about 30 % of requests. The web hosts' own disks are at 47 %. A parameter-group change on "
        f"`{other}` four minutes before onset, a CodeDeploy release to the web hosts an hour earlier "
        f"(clean for an hour) and the old `Undefined array key \"tip\"` warnings are decoys.")
    sc.meta["judgement"] = (
        "The failing writes come from the web tier but the fault is the database's storage; origin is "
        f"`{db}`.")
    return sc


BUILDERS = [build_07, build_08]
