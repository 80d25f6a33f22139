"""h70-11 (EPG schedule API: PHP fatal on a zero-length slot) and h70-12 (poster API: internal errors, no cause)."""
from __future__ import annotations


from .common import Scenario, bump, diurnal, ramp
from .kit import (jdump, LOG_FROM, alb_metrics, apigw_metrics, at_rate, dmap, ecs_deploy, ecs_metrics, emit,
                  lambda_config, lambda_metrics, meta, pick, rds_metrics)
from .runtimes import nginx, pg


# =========================================================================== h70-11
def build_11() -> Scenario:
    sc = Scenario(11, "epg-public-5xx", "TV guide rows empty for some channels; 5XX alarm on the "
                  "public EPG load balancer.", "ap-south-1", 7011, "2026-03-17T13:20:00+00:00")
    lb = "app/epg-public/0c6d2e9f8a1b4735"
    cluster, svc = "epg", "schedule-api"
    db = "epg-pg-aps1"
    sc.resource("alb", lb, name="epg-public")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
                containers=["nginx", "php-fpm (PHP 8.3)"], task_definition="schedule-api:88 (registered 6 days ago)")
    sc.resource("ecs", f"{cluster}/rails-recs", launch_type="FARGATE", desired_count=2)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=100)
    onset = -2400
    reidx0, reidx1 = -18000, -16800
    req = sc.series(lambda t: 900 * diurnal(sc, t, 13.5, 0.25), integer=True)
    share = lambda t: 0.055 * ramp(t, onset - 30, onset + 30)  # requests that touch the broken channel row
    t5 = sc.series(lambda t: 0.3 + at_rate(req, t) * share(t), integer=True)
    rt = sc.series(lambda t: 0.061, noise=0.08)
    alb_metrics(sc, lb, req, t5, rt, t4xx=sc.series(lambda t: at_rate(req, t) * 0.01, integer=True))
    ecs_metrics(sc, cluster, svc, sc.series(lambda t: 24 * diurnal(sc, t, 13.5, 0.25), noise=0.05),
                sc.series(lambda t: 39, noise=0.02))
    ecs_metrics(sc, cluster, "rails-recs", sc.series(lambda t: 30 + 8 * ramp(t, -2470, -2400), noise=0.05),
                sc.series(lambda t: 52, noise=0.02))
    rds_metrics(sc, db, sc.series(lambda t: 14 + 62 * bump(t, reidx0, reidx1, 1, 200), noise=0.06),
                sc.series(lambda t: 38, noise=0.05, digits=0),
                sc.series(lambda t: 71.2 - 0.01 * (t + 21600) / 3600, noise=0.0003),
                read_lat=sc.series(lambda t: 0.0009 + 0.003 * bump(t, reidx0, reidx1, 1, 200), noise=0.1, digits=5))

    group = f"/ecs/{svc}"
    chans = [f"ch-{n}" for n in ["star-gold", "cricket-live", "news-hindi", "kids-toon", "movies-hd", "music-beats"]]
    for k in range(3):
        task = sc.hexid(32)
        ng, fp = f"nginx/{svc}/{task}", f"php-fpm/{svc}/{task}"

        def acc(t):
            bad = sc.rng.random() < share(t)
            ch = "ch-cricket-live" if bad else pick(sc, chans)
            day = sc.at(t).strftime("%Y-%m-%d")
            path = f"/v3/schedule/{ch}?date={day}&tz=Asia/Kolkata"
            if bad:
                return nginx(sc, t, sc.ip("10.20"), "GET", path, 500, 0, sc.rng.uniform(0.02, 0.06),
                             ua="okhttp/4.12.0")
            st = 304 if sc.rng.random() < 0.2 else 200
            return nginx(sc, t, sc.ip("10.20"), "GET", path, st, 0 if st == 304 else sc.rng.randint(4000, 26000),
                         sc.rng.uniform(0.02, 0.12), ua=pick(sc, ["okhttp/4.12.0", "CFNetwork/1496.0.7", "Dalvik/2.1.0"]))

        emit(sc, group, ng, LOG_FROM, 0, lambda t: 4.0, acc)

        def fpm(t, stamp=True):
            d = sc.at(t).strftime("%d-%b-%Y %H:%M:%S")
            r = sc.rng.random()
            if r < 0.55:
                return (f"[{d}] WARNING: [pool www] child {sc.rng.randint(20, 90)} said into stderr: \"NOTICE: PHP message: "
                        "PHP Deprecated:  Creation of dynamic property App\\Dto\\Slot::$ladderHint is deprecated in "
                        "/var/www/app/src/Dto/Slot.php on line 41\"")
            if r < 0.85:
                return (f"[{d}] WARNING: [pool www] child {sc.rng.randint(20, 90)} said into stderr: \"NOTICE: PHP message: "
                        f"PHP Warning:  Undefined array key \"artwork\" in /var/www/app/src/Schedule/RowBuilder.php on line 112\"")
            return f"[{d}] NOTICE: [pool www] child {sc.rng.randint(100, 999)} started"

        emit(sc, group, fp, LOG_FROM, 0, lambda t: 0.9, fpm)
        emit(sc, group, fp, onset, 0, lambda t: at_rate(t5, t) / 3 * 0.25, lambda t: (
            f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child {sc.rng.randint(20, 90)} said into stderr: "
            "\"NOTICE: PHP message: PHP Fatal error:  Uncaught DivisionByZeroError: Modulo by zero in "
            "/var/www/app/src/Schedule/SlotCalculator.php:57\nStack trace:\n#0 /var/www/app/src/Schedule/RowBuilder.php(88): "
            "App\\Schedule\\SlotCalculator->gridOffset(Object(App\\Dto\\Slot))\n#1 /var/www/app/src/Http/ScheduleController.php(34): "
            "App\\Schedule\\RowBuilder->build('ch-cricket-live', Object(DateTimeImmutable))\n#2 {main}\n  thrown in "
            "/var/www/app/src/Schedule/SlotCalculator.php on line 57\""))
        sc.log(group, fp, onset - 25.4, (
            f"[{sc.at(onset - 25.4).strftime('%d-%b-%Y %H:%M:%S')}] WARNING: [pool www] child 31 said into stderr: "
            "\"NOTICE: PHP message: [epg.ingest] slot upserted channel=ch-cricket-live id=slot_88213 title='LIVE: Toss & "
            "pre-match (TBC)' duration_min=0 source=feed-partner-sportz\""))
    pl, ps = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.3, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: SELECT s.* FROM slots s WHERE "
        "s.channel_id = $1 AND s.starts_at < $2 ORDER BY s.starts_at", client=sc.ip("10.20"), user="epg_app", db="epg"))
    emit(sc, pl, ps, LOG_FROM, 0, lambda t: 0.08, lambda t: pg(
        sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(200, 3000)} buffers ({sc.rng.uniform(0.1, 2):.1f}%); "
        "0 WAL file(s) added, 0 removed, 1 recycled"))
    ecs_deploy(sc, -2470, cluster, "rails-recs", "rails-recs", "buildkite-epg")
    sc.change(reidx0 - 60, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "epg-pg-aps1-replica",
              "dba-ravi")
    sc.alarm("epg-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 15, "GreaterThanThreshold", "EPG API 5XX")
    sc.alarm("epg-pg-aps1-read-latency", "AWS/RDS", "ReadLatency", {"DBInstanceIdentifier": db}, "Average", 300, 1, 0.02,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "epg-public-target-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    meta(sc, "front (ALB); origin is the ECS service",
         "deploy of another ECS service 70 s before the onset; PHP Deprecated/Warning noise at a constant rate; "
         "DB re-index CPU spike 5 h ago; slow-query log lines",
         "`epg-public` target 5XX start at -2400, about 5 % of requests, all `GET /v3/schedule/ch-cricket-live` "
         "returning 500. `schedule-api`'s php-fpm logs `PHP Fatal error:  Uncaught DivisionByZeroError: Modulo by "
         "zero in SlotCalculator.php:57` for each, right after the feed upserted a slot with `duration_min=0` for "
         "that channel. The task definition is six days old; nothing changed on the service. CPU, memory, DB "
         "connections and latency are normal. The `rails-recs` deploy at -2470 is the nearest change but that "
         "service is not behind this ALB. The Deprecated/Undefined-array-key lines run at the same rate all day, "
         "and the DB CPU spike five hours ago was a re-index. Verdict: application error (unhandled exception on a "
         "data edge case) in the ECS service.")
    return sc


# =========================================================================== h70-12
def build_12() -> Scenario:
    sc = Scenario(12, "poster-api-5xx", "Some posters and title cards not loading; 5XX alarm on the "
                  "poster API.", "sa-east-1", 7012, "2026-03-18T22:15:00+00:00")
    api, fn = "poster-api", "poster-render"
    api_id = "k3v9q1x7ta"
    sc.resource("apigateway", api, stage="prod", rest_api_id=api_id, integration=f"lambda:{fn}",
                execution_logging="ERROR")
    sc.resource("lambda", fn, runtime="python3.12", timeout=20, memory_size=1536,
                logging="JSON, application log level WARNING, system log level WARN")
    sc.resource("lambda", "artwork-sync", runtime="python3.12", timeout=300, memory_size=1024)
    onset = -2100
    cdn0, cdn1 = -12600, -11700
    cnt = sc.series(lambda t: 240 * diurnal(sc, t, 23.0, 0.25) * (1 + bump(t, cdn0, cdn1, 1.6, 150)), integer=True)
    e4 = sc.series(lambda t: at_rate(cnt, t) * 0.025, integer=True)
    frac = lambda t: 0.07 * ramp(t, onset - 60, onset + 60) * (0.8 + 0.4 * ((t // 300) % 2))
    e5i = sc.series(lambda t: at_rate(cnt, t) * frac(t), integer=True)
    e5m = sc.series(lambda t: 0.07, integer=True)  # malformed proxy responses, long-standing
    e5 = [a + b for a, b in zip(e5i, e5m)]
    lat = sc.series(lambda t: 180 * (1 + 0.2 * bump(t, cdn0, cdn1, 1)), noise=0.08)
    apigw_metrics(sc, api, cnt, e4, e5, lat, [round(v - 11, 3) for v in lat])
    inv = [float(c - a - b) for c, a, b in zip(cnt, e4, e5i)]
    lambda_metrics(sc, fn, inv, [0.0] * len(inv), sc.series(lambda t: 160 * (1 + 0.2 * bump(t, cdn0, cdn1, 1)), noise=0.08))
    ainv = sc.series(lambda t: 0.2, integer=True)
    lambda_metrics(sc, "artwork-sync", ainv, sc.series(lambda t: 0.0, noise=0.0), sc.series(lambda t: 95000, noise=0.1))

    eg = f"API-Gateway-Execution-Logs_{api_id}/prod"
    streams = [sc.hexid(32) for _ in range(4)]
    for i, st in enumerate(streams):
        def internal(t):
            rid = sc.uuid()
            return [(0.0, f"({rid}) Execution failed due to an internal error"),
                    (0.002, f"({rid}) Method completed with status: 500")]

        def malformed(t):
            rid = sc.uuid()
            return [(0.0, f"({rid}) Execution failed due to configuration error: Malformed Lambda proxy response"),
                    (0.002, f"({rid}) Method completed with status: 502")]

        for m, v in dmap(e5i).items():
            if m < LOG_FROM:
                continue
            for _ in range(int(v) // 4 + (1 if sc.rng.random() < (v % 4) / 4 else 0)):
                t = sc.rng.uniform(m, m + 60)
                for dt, txt in internal(t):
                    sc.log(eg, st, t + dt, txt)
        for m, v in dmap(e5m).items():
            if m >= LOG_FROM and v and sc.rng.random() < 0.25:
                t = sc.rng.uniform(m, m + 60)
                for dt, txt in malformed(t):
                    sc.log(eg, st, t + dt, txt)
    # JSON log format, application and system log level WARN: no START/END/REPORT, only warnings and errors
    lg = f"/aws/lambda/{fn}"
    lstreams = [f"2026/03/18/[$LATEST]{sc.hexid(32)}" for _ in range(4)]
    ids = [f"{sc.rng.randint(100000, 999999)}" for _ in range(100)]

    def jl(t, level, msg):
        return jdump({"timestamp": sc.iso(t), "level": level, "message": msg, "logger": "poster.render",
                           "requestId": sc.uuid()})

    for st in lstreams:
        emit(sc, lg, st, LOG_FROM, 0, lambda t: 0.9, lambda t: jl(
            t, "WARNING", f"source art for title={pick(sc, ids)} below ladder rung 780x1170; upscaled"))
        emit(sc, lg, st, LOG_FROM, 0, lambda t: 0.35, lambda t: jl(
            t, "WARNING", f"cache miss storm guard: {sc.rng.randint(3, 9)} concurrent renders for title={pick(sc, ids)}"))
        emit(sc, lg, st, LOG_FROM, 0, lambda t: 0.018, lambda t: jl(
            t, "ERROR", f"handler returned bytes body without isBase64Encoded for title={pick(sc, ids)}"))
    lambda_config(sc, -2160, "artwork-sync", "felipe.costa")
    sc.change(-9000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod", "felipe.costa")
    sc.alarm("poster-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5, "GreaterThanThreshold",
             "Poster API 5XX")
    sc.alarm("poster-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1, 25, "GreaterThanThreshold")
    sc.expect = {"alarm": "poster-api-5xx",
                 "root_cause": {"category": "unknown", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    meta(sc, "origin unknown; alarm on the API (accepted as the location)",
         "config change on another function 60 s before the onset; stage update 2 h earlier; long-standing "
         "malformed-proxy-response 502s; CDN refill spike 3 h ago",
         "`poster-api` 5XX rise to about 7 % of requests from -2100. API Gateway's execution log shows only "
         "`Execution failed due to an internal error` / `status: 500` for them, and those requests never reach "
         "`poster-render`: the function's invocations drop by exactly the failing count while its Errors, Throttles, "
         "Duration and memory stay flat, and IntegrationLatency is unchanged. Traffic is at its usual level. Nothing "
         "changed on the API or the function in the window (the stage update is two hours older and the first errors "
         "do not follow it); the `artwork-sync` configuration change at -2160 is on a function that is not behind "
         "the API. The rare `Malformed Lambda proxy response` 502s are long-standing. None of the categories is "
         "supported by the evidence; this looks like a service-side problem. Verdict: unknown, located at the API.")
    return sc


BUILDERS = [build_11, build_12]
