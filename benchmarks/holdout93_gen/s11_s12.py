"""h93-11 (outage-map tiles when a storm link goes viral) and h93-12 (crew assignment after a storm)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import gunicorn, pg, zap

from . import kit
from .kit import emit, every


def build_11():
    sc = kit.new(11, "storm-tiles-evening", "Outage map tiles loading slowly during the storm; the ALB "
                 "response-time alarm fired.", "us-east-2", "2026-11-19T22:30:00+00:00")
    lb = "app/outage-web/9c3f7a1e5b2d8046"
    cl, svc, sync = "outage", "tile-server", "incident-sync"
    surge, decoy = -3000, -3060
    sc.resource("alb", lb, name="outage-web")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=6,
                autoscaling_max=12, runtime="go1.22")
    sc.resource("ecs", f"{cl}/{sync}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2)

    def req(t):
        return 900 * diurnal(sc, t, 23.0, 0.2) * (1 + 7.0 * ramp(t, surge, surge + 600))

    def tasks(t):
        return 6 + 2 * (t >= -2880) + 2 * (t >= -2700) + 2 * (t >= -2520)

    def cpu(t):
        return 12 + 13 * req(t) / 900 * 6 / tasks(t)

    def rt(t):
        return 0.07 + 1.55 * ramp(t, surge, surge + 600) * (0.85 + 0.15 * ramp(t, -2520, -2000))

    kit.alb_metrics(sc, lb, req, lambda t: 0.0004 * req(t), lambda t: 0.3 + 0.005 * req(t) * ramp(t, surge, surge + 600),
                    rt, t4=lambda t: 0.012 * req(t))
    kit.ecs_metrics(sc, cl, svc, cpu, lambda t: 38 + 9 * ramp(t, surge, surge + 600))
    kit.ecs_metrics(sc, cl, sync, lambda t: 15 + bump(t, decoy, decoy + 120, 30, edge=40), lambda t: 33.0)

    grp = f"/ecs/{svc}"
    tids = [sc.hexid(32) for _ in range(6)]
    news = "https://www.ohio-valley-news.example/live/storm-outages"

    def acc(t):
        z = sc.rng.randint(8, 13)
        path = f"/tiles/outages/{z}/{sc.rng.randint(0, 2 ** z)}/{sc.rng.randint(0, 2 ** z)}.pbf"
        hot = t >= surge
        if sc.rng.random() < 0.012:
            return zap(sc, t, "info", "request", "httpx/log.go:41", method="GET", path=path, status=404, bytes=19,
                       dur_ms=1, referer="-")
        if hot and sc.rng.random() < 0.05:
            return zap(sc, t, "warn", "render queue backlog", "render/pool.go:77", depth=sc.rng.randint(150, 600),
                       workers=16)
        d = max(5, sc.rng.lognormvariate(3.9, 0.5) + (sc.rng.uniform(500, 3000) if hot else 0))
        ref = news if hot and sc.rng.random() < 0.7 else "https://outages.example-energy.com/map"
        return zap(sc, t, "info", "request", "httpx/log.go:41", method="GET", path=path, status=200,
                   bytes=sc.rng.randint(2000, 90000), dur_ms=round(d), referer=ref)
    for tid in tids:
        emit(sc, grp, f"ecs/{svc}/{tid}", lambda t: 1.6 * req(t) / 900 * 6 / tasks(t) if t >= surge else 1.6, acc)
    for k, at in enumerate((-2880, -2700, -2520)):
        for j in range(2):
            tid = sc.hexid(32)
            sc.log(grp, f"ecs/{svc}/{tid}", at + 40 + j, zap(sc, at + 40 + j, "info", "tile server listening",
                                                         "cmd/tiles/main.go:58", addr=":8080", version="3.14.2"))
            emit(sc, grp, f"ecs/{svc}/{tid}", lambda t: 1.6 * req(t) / 900 * 6 / tasks(t), acc, start=at + 42)
    emit(sc, f"/ecs/{sync}", f"ecs/{sync}/{sc.hexid(32)}", 1.0, lambda t: zap(
        sc, t, "info", "incidents synced", "sync/run.go:92", incidents=sc.rng.randint(800, 1900),
        customers_out=sc.rng.randint(40000, 160000)))

    sc.change(decoy - 5, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", sync,
              "codebuild-outage")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{sync}", "codebuild-outage")
    for at in (-2880, -2700, -2520):
        sc.change(at, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
                  "ecs.application-autoscaling.amazonaws.com")
    sc.alarm("outage-web-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "Outage map tile latency")
    sc.alarm(f"{svc}-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average",
             60, 3, 70, "GreaterThanThreshold")
    sc.expect = {"alarm": "outage-web-response-time", "root_cause": {
        "category": "traffic_surge", "resource": [f"{cl}/{svc}", svc, lb, "outage-web"]}}
    sc.meta = dict(
        alarm_on="front (ALB)", services="ALB, ECS Fargate (Go)",
        decoys=f"`{sync}` deploy 60 s before the surge; three autoscaling UpdateService events on the "
               "tile service itself; CPU alarm on the tile service (a consequence, below 85 %); steady 404s",
        story=f"A local news live page links the outage map at -3000 s; ALB requests go from ~900 to ~7,200 "
              f"per minute within ten minutes, and the tile-server access log shows the news site as referer. "
              f"Application Auto Scaling doubles `{svc}` to its maximum of 12 tasks, CPU peaks around 75-80 % "
              "(not pinned), render-queue backlog warnings appear and the average response time goes from 70 ms "
              "to ~1.6 s with a trickle of ELB 5XX. There is no error signature, no deploy on the tile service "
              "and no resource at a limit except the service's task ceiling.")
    sc.meta["judgement"] = ("Accepted resources include the ALB as well as the ECS service: the surge arrives "
                            "through the ALB and lands on the service; neither is faulty on its own. The "
                            "autoscaling UpdateService calls are reactions, not configuration changes.")
    return sc


def build_12():
    sc = kit.new(12, "crew-assign-after-storm", "Dispatchers cannot assign crews to some storm work orders; "
                 "the ALB target 5XX alarm fired.", "eu-south-1", "2026-11-22T07:45:00+00:00")
    lb = "app/crew-dispatch/4e8a2c6f0b1d3957"
    cl, svc, gis, db = "dispatch", "crew-assign", "gis-proxy", "dispatch-pg"
    onset, decoy = -1800, -1900
    sc.resource("alb", lb, name="crew-dispatch")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3,
                runtime="python3.11 (gunicorn/Flask)")
    sc.resource("ecs", f"{cl}/{gis}", launch_type="FARGATE", cpu=256, memory=512, desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.m6g.large",
                max_connections=800, allocated_storage_gb=200)

    def req(t):
        return 260 * diurnal(sc, t, 9.0, 0.4) * (1 + 0.3 * ramp(t, -5000, -3000))

    def share(t):
        return 0.12 * ramp(t, onset, onset + 600) if t >= onset else 0.0

    kit.alb_metrics(sc, lb, req, lambda t: 0.2 + req(t) * 0.4 * share(t) * 2.5, lambda t: 0.1,
                    lambda t: 0.15 + 0.01 * ramp(t, onset, 0))
    kit.ecs_metrics(sc, cl, svc, lambda t: 18 * diurnal(sc, t, 9.0, 0.4), lambda t: 47.0)
    kit.ecs_metrics(sc, cl, gis, lambda t: 10 + bump(t, decoy, decoy + 150, 20, edge=40), lambda t: 30.0)
    kit.rds_metrics(sc, db, lambda t: 14 + bump(t, -6300, -5700, 60, edge=120), lambda t: 42.0,
                    lambda t: 143.0, lambda t: 3.4, lambda t: 0.0011, lambda t: 0.0017)

    grp = f"/ecs/{svc}"
    for k in range(3):
        stream = f"ecs/{svc}/{sc.hexid(32)}"
        pid = sc.rng.randint(8, 40)

        def line(t, pid=pid):
            r = sc.rng.random()
            ip = sc.ip("10.50")
            if r < 0.4:
                kind = sc.rng.choice(["VEG_STORM", "VEG_STORM", "LINE_DOWN"]) if t >= onset else "LINE_DOWN"
                fail = t >= onset and kind == "VEG_STORM" and sc.rng.random() < share(t) * 3.75
                wo = f"WO-{sc.rng.randint(10**6, 10**7 - 1)}"
                d = sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
                if fail:
                    tb = ("Traceback (most recent call last):\n"
                          '  File "/usr/local/lib/python3.11/site-packages/flask/app.py", line 1463, in wsgi_app\n'
                          "    response = self.full_dispatch_request()\n"
                          '  File "/app/crew_assign/views.py", line 88, in create_assignment\n'
                          "    crew = matcher.best_crew(order)\n"
                          '  File "/app/crew_assign/matcher.py", line 41, in best_crew\n'
                          "    skills = SKILL_MATRIX[order.work_type]\n"
                          f"KeyError: '{kind}'")
                    return [gunicorn(sc, t, pid, "ERROR", f"Exception on /api/v1/assignments [POST] order={wo}\n{tb}"),
                            f'{ip} - - [{d}] "POST /api/v1/assignments HTTP/1.1" 500 265 "-" "dispatch-console/4.2"']
                return f'{ip} - - [{d}] "POST /api/v1/assignments HTTP/1.1" 201 512 "-" "dispatch-console/4.2"'
            if r < 0.43:
                return gunicorn(sc, t, pid, "ERROR", "weather overlay fetch failed: requests.exceptions.ReadTimeout: "
                                "HTTPSConnectionPool(host='api.meteo-feed.example', port=443): Read timed out. "
                                "(read timeout=3)")
            if r < 0.47:
                return gunicorn(sc, t, pid, "WARNING", f"crew C-{sc.rng.randint(100, 999)} GPS position stale "
                                f"({sc.rng.randint(16, 80)} min)")
            d = sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000")
            path = sc.rng.choice(["/api/v1/orders/open", "/api/v1/crews", "/healthz", "/api/v1/crews/positions"])
            return f'{ip} - - [{d}] "GET {path} HTTP/1.1" 200 {sc.rng.randint(200, 30000)} "-" "dispatch-console/4.2"'
        emit(sc, grp, stream, lambda t: 3.0 * req(t) / 260, line)
    every(sc, f"/aws/rds/instance/{db}/postgresql", f"{db}.0", 300, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(300, 2000)} buffers (0.3%); 0 WAL file(s) added",
        pid=533))
    emit(sc, f"/ecs/{gis}", f"ecs/{gis}/{sc.hexid(32)}", 1.0, lambda t: kit.jline(
        {"time": sc.iso(t), "level": "INFO", "msg": "wms tile proxied", "layer": "feeders", "ms": sc.rng.randint(20, 90)}))

    sc.change(-13000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "ecs.application-autoscaling.amazonaws.com")
    sc.change(decoy - 6, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", gis,
              "argo-deployer")
    sc.change(decoy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{gis}", "argo-deployer")
    sc.alarm("crew-dispatch-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 6, "GreaterThanThreshold", "Crew dispatch 5XX")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 70,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "crew-dispatch-target-5xx", "root_cause": {
        "category": "application_error", "resource": [f"{cl}/{svc}", svc]}}
    sc.meta = dict(
        alarm_on="front (ALB)", services="ALB, ECS Fargate (Python/gunicorn), RDS PostgreSQL",
        decoys=f"`{gis}` deploy 100 s before onset; steady weather-feed ReadTimeout ERROR lines; "
               f"`{db}` CPU spike two hours earlier; storm traffic +30 %; an autoscaling event hours ago",
        story=f"Overnight storm damage produces vegetation work orders of type `VEG_STORM`. From -1800 s, "
              f"`POST /api/v1/assignments` for those orders fails in `{svc}` with an unhandled "
              "`KeyError: 'VEG_STORM'` from the skill-matrix lookup and returns 500, growing as more such "
              "orders arrive; other order types keep returning 201. No change touched the service, its CPU and "
              "memory are normal, the database is quiet, and the weather-feed timeouts are handled and as "
              "frequent as before.")
    return sc


BUILDERS = [build_11, build_12]
