"""h85-11 (us-east-1, scheduled Python rollup outgrows its timeout) and h85-12 (sa-east-1, Carnival
crowd floods the ride-request service behind an ALB)."""
from __future__ import annotations

import datetime as _dt

from benchmarks.holdout57_gen.runtimes import LambdaLogs, pino

from .kit import (GRID, H85, alb_metrics, bump, ct, ecs_deploy, ecs_metrics, emit, lambda_deploy,
                  lambda_metrics, ramp, rds_metrics, sample)


_EDT = _dt.timedelta(hours=4)


def build_11() -> H85:
    sc = H85(11, "heat-rollup-errors",
             "Driver heat map in the app frozen for New York; errors alarm on the rollup job.",
             "us-east-1", 8511, "2026-03-11T03:20:00+00:00", {
                 "front": "origin", "runtime": "Python 3.12 (Lambda plain text)",
                 "decoys": "DB modification 2 min before the first timeout; downstream publisher alarm "
                           "in ALARM; pre-existing statsd connection-refused errors",
             })
    fn, pub, db = "zone-heat-rollup", "heat-tiles-publish", "pricing-pg"
    sc.resource("lambda", fn, runtime="python3.12", memory_size=1024, timeout=60,
                schedule="rate(1 minute)")
    sc.resource("lambda", pub, runtime="nodejs22.x", memory_size=256, timeout=10)
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=300)

    def need_ms(t):  # work grows with the day-to-date ping volume
        return 24500 + 36500 * (t + 21600) / (21600 - 2650)

    first_to = next(t for t in GRID if need_ms(t) > 59800)
    sc.meta["onset"] = first_to

    def timed_out(t):
        return 1.0 if need_ms(t) > 59800 else 0.0

    lambda_metrics(sc, fn, inv=1.0, err=timed_out, dur=lambda t: min(60000.0, need_ms(t)),
                   conc=1.0)
    # the rollup runs once a minute: make Invocations exactly one, Errors exactly the timeouts
    for m in sc.metrics:
        if m["dimensions"].get("FunctionName") == fn and m["name"] in ("Invocations", "Errors", "Duration"):
            for p in m["points"]:
                t = p[0]
                p[1] = {"Invocations": 1.0, "Errors": timed_out(t),
                        "Duration": p[1] if not timed_out(t) else round(60000 + sc.rng.uniform(1, 40), 2)}[m["name"]]
    sc._series.clear()
    for m in sc.metrics:
        sc._series[(m["namespace"], m["name"], tuple(sorted(m["dimensions"].items())))] = m["points"]
    stale = lambda t: ramp(t, first_to + 240, first_to + 420)  # noqa: E731
    lambda_metrics(sc, pub, inv=2.0, err=lambda t: 2.0 * stale(t), dur=lambda t: 420 - 380 * stale(t))
    rds_metrics(sc, db, cpu=lambda t: 18 + bump(t, first_to - 120, first_to + 600, 6, 120), conns=96,
                free_gb=188.0, mem_gb=7.6)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 60, life=(5000, 9000))

    def body(ll, t, rid, is_err, cold):
        need = need_ms(t)
        pings = int(need * 61 + rng.uniform(-4e4, 4e4))
        cells = int(pings / 48)
        lines = [(0.02, ll.fmt(t + 0.02, rid, "info", "rollup start window=day-to-date "
                                                       f"(since {(sc.at(t) - _EDT).strftime('%Y-%m-%d')}T04:00:00Z) city=nyc")),
                 (0.3, ll.fmt(t + 0.3, rid, "error", "statsd flush failed: [Errno 111] Connection refused "
                                                     "(127.0.0.1:8125)")),
                 (need * 0.42 / 1000, ll.fmt(t + need * 0.42 / 1000, rid, "info",
                                             f"loaded {pings:,} pings from s3://rl-geo-raw/pings/nyc/ "
                                             f"({int(pings / 23000)} objects)")),
                 (need * 0.45 / 1000, ll.fmt(t + need * 0.45 / 1000, rid, "warning",
                                             f"skipped {rng.randint(80, 400)} pings with accuracy > 200m"))]
        if need <= 59800:
            lines.append((need * 0.8 / 1000, ll.fmt(t + need * 0.8 / 1000, rid, "info",
                                                    f"aggregated {cells:,} h3 cells at res 9")))
            lines.append((need / 1000 - 0.01, ll.fmt(t + need / 1000, rid, "info",
                                                     f"wrote {int(cells / 310)} tiles to s3://rl-heat-tiles/nyc/ "
                                                     f"elapsed={need / 1000:.1f}s")))
            return {"lines": lines, "dur": need, "mem": int(420 + pings / 20000)}
        return {"lines": lines, "dur": 60000, "status": "timeout", "mem": int(420 + pings / 20000)}

    ll.run({t: 1 for t in GRID if t >= -10800}, {}, body)

    pl = LambdaLogs(sc, pub, "nodejs22.x", 256, 10)

    def publish(ll, t, rid, is_err, cold):
        if is_err:
            age = int(t - first_to + 60)
            return {"lines": [(0.03, ll.fmt(t + 0.03, rid, "error", "Invoke Error \t{\"errorType\":\"StaleTilesError\","
                                                                     f"\"errorMessage\":\"newest tile is {age}s old (max 300s)\"}}"))],
                    "dur": 40, "status": "error", "error_type": "StaleTilesError"}
        return {"lines": [(0.35, ll.fmt(t + 0.35, rid, "info", f"published {rng.randint(120, 160)} tiles to CDN"))],
                "dur": rng.gauss(420, 50)}

    pl.run(sample(sc, list(sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": pub}).values()), 1.0),
           sample(sc, list(sc.value_at("AWS/Lambda", "Errors", {"FunctionName": pub}).values()), 1.0), publish)

    ct(sc, first_to - 120, "rds_modify", db, "mike.delgado")
    lambda_deploy(sc, -19800, fn, "gh-actions-deployer")

    sc.alarm("zone-heat-rollup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 2,
             "GreaterThanThreshold", "Heat map rollup failures")
    sc.alarm("heat-tiles-publish-errors", "AWS/Lambda", "Errors", {"FunctionName": pub}, "Sum", 300, 1, 3,
             "GreaterThanThreshold")
    sc.expect_("zone-heat-rollup-errors", "function_timeout", [fn],
               [("AWS/Lambda", "Duration", {"FunctionName": fn}), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        f"`{fn}` (Python 3.12, every minute, 60 s timeout) rebuilds the New York heat map from all pings "
        f"since local midnight, so its work grows all evening: Duration climbs steadily from ~25 s to the "
        f"60 s limit, and from {-first_to // 60} min ago every run ends `Task timed out after 60.00 seconds` "
        f"(REPORT `Status: timeout`) after logging how many pings it loaded - no exception, no dependency "
        f"error, memory well under its 1 GB. The downstream `{pub}` then fails with `StaleTilesError` and "
        f"has its own alarm; `{db}` had a ModifyDBInstance two minutes before the first timeout but the "
        f"rollup does not use it. Each run has logged `statsd flush failed: [Errno 111] Connection refused` "
        f"from the start of the window.")
    sc.meta["judgement"] = (
        "The statsd error is a refused connection, but it is logged by every run all day, including the "
        "successful ones, and is handled; it is not the cause, so this is `function_timeout`.")
    return sc


def build_12() -> H85:
    sc = H85(12, "ride-request-latency",
             "Riders in Sao Paulo cannot request rides - the app spins, then says 'try again'; booking "
             "ALB latency alarm.",
             "sa-east-1", 8512, "2026-02-15T02:40:00+00:00", {
                 "front": "origin (ALB receiving the surge)", "runtime": "Node.js (morgan access log + pino)",
                 "decoys": "config change to a coupon Lambda shortly before; autoscaling UpdateService "
                           "events after onset; CPU alarm (~85 %, not pinned); old deploy",
             })
    lb = "app/rider-book-sa/5e6f7a8b9c0d1e2f"
    cl, svc, coupon = "booking", "ride-request", "coupon-validate"
    sc.resource("alb", lb, name="rider-book-sa", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=8, cpu=1024, memory=2048,
                autoscaling="target CPU 60 %, min 8, max 12")
    sc.resource("lambda", coupon, runtime="nodejs20.x", memory_size=256, timeout=5)
    onset = -2640
    sc.meta["onset"] = onset

    def crowd(t):
        return ramp(t, onset, onset + 600)

    def req(t):
        return 1550 * (1 + 0.1 * ramp(t, -21600, -6000)) + 5200 * crowd(t)

    def tasks(t):
        return 8 + 2 * (t >= onset + 300) + 2 * (t >= onset + 900)

    def press(t):  # load per task relative to the baseline
        return req(t) / (1700 * tasks(t) / 8)

    alb_metrics(sc, lb, req, t5=lambda t: 0.6 + 0.006 * req(t) * crowd(t), e5=lambda t: 0.2 + 0.02 * req(t) * crowd(t),
                rt=lambda t: 0.12 + 0.78 * max(0.0, press(t) - 1.0), healthy=tasks)
    ecs_metrics(sc, cl, svc, cpu=lambda t: min(86.0, 32 + 29 * (press(t) - 1)), mem=lambda t: 47 + 9 * crowd(t),
                running=tasks)
    lambda_metrics(sc, coupon, inv=lambda t: 160 + 400 * crowd(t), dur=55.0)

    rng = sc.rng
    g = f"/ecs/{svc}"
    spots = [(-23.5152, -46.6276, "Anhembi")] * 1 + [(-23.561, -46.656, "Paulista"), (-23.587, -46.682, "Pinheiros"),
                                                      (-23.548, -46.636, "Centro"), (-23.600, -46.665, "Moema")]

    def spot(t):
        if rng.random() < 0.8 * crowd(t):
            return spots[0]
        return rng.choice(spots[1:])

    def access(t):
        lat, lng, _ = spot(t)
        d = sc.at(t)
        rt = max(8.0, rng.gauss(110, 30) + 600 * max(0.0, press(t) - 1.0) * rng.uniform(0.3, 1.7))
        st = 200 if rng.random() > 0.006 * crowd(t) else 504
        path = rng.choice(["/v1/rides/estimate", "/v1/rides/estimate", "/v1/rides", "/v1/rides/nearby-drivers"])
        meth = "GET" if "nearby" in path else "POST"
        ua = rng.choice(["Ridelane/8.3.1 (iPhone; iOS 17.3)", "Ridelane/8.3.0 (Android 14; SM-A546E)",
                         "Ridelane/8.2.9 (Android 13; moto g54)"])
        return (f"::ffff:{sc.ip('10.60')} - - [{d.strftime('%d/%b/%Y:%H:%M:%S')} +0000] \"{meth} {path}"
                f"?lat={lat + rng.uniform(-0.004, 0.004):.4f}&lng={lng + rng.uniform(-0.004, 0.004):.4f} HTTP/1.1\" "
                f"{st} {rng.randint(300, 1800) if st == 200 else 0} \"-\" \"{ua}\" {rt:.3f} ms")

    def app(t):
        _, _, area = spot(t)
        return pino(sc, t, "info", "estimate computed", f"ip-10-60-{rng.randint(1, 30)}-{rng.randint(2, 250)}",
                    pid=1, svc=svc, area=area, surge=round(1.0 + 1.4 * crowd(t) * rng.random(), 2),
                    etaMin=rng.randint(2, 9) + int(12 * crowd(t) * rng.random()))

    for k in range(2):
        s = f"ecs/{svc}/{sc.hexid(32)}"
        emit(sc, g, s, lambda t: 3.0 * req(t) / 1550 / (tasks(t) / 8), access)
        emit(sc, g, s, lambda t: 1.0, app)
        emit(sc, g, s, lambda t: 0.5, lambda t: pino(
            sc, t, "warn", "maps provider slow", f"ip-10-60-{rng.randint(1, 30)}-{rng.randint(2, 250)}",
            pid=1, svc=svc, provider="routes-v2", ms=rng.randint(800, 1600)))
        emit(sc, g, s, lambda t: 2.0 * crowd(t), lambda t: pino(
            sc, t, "warn", "event loop lag", f"ip-10-60-{rng.randint(1, 30)}-{rng.randint(2, 250)}",
            pid=1, svc=svc, lagMs=rng.randint(120, 480)))

    ct(sc, onset - 200, "lambda_config", coupon, "bruno.tavares")
    ecs_deploy(sc, -14500, cl, svc, "ride-request", 233, "github-actions-release")
    for dt in (300, 900):
        ct(sc, onset + dt - 40, "autoscale", f"{cl}/{svc}", "AWSServiceRoleForApplicationAutoScaling_ECSService")

    sc.alarm("rider-book-sa-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 5, 1.0, "GreaterThanThreshold", "Booking ALB latency")
    sc.alarm("ride-request-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.expect_("rider-book-sa-latency", "traffic_surge", [lb, "rider-book-sa", f"{cl}/{svc}", svc],
               [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
                ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"Just before midnight on a Carnival Saturday, RequestCount on `rider-book-sa` goes from ~1,700 "
        f"to ~6,900 a minute within ten minutes ({-onset // 60} min ago) and stays there; the access log "
        f"shows the new requests are ride estimates and requests with pickups around the Anhembi "
        f"Sambadrome. `{cl}/{svc}` (Node) logs `event loop lag` warnings, CPU rises to the mid-80s and "
        f"autoscaling adds tasks in two steps up to its maximum (8 -> 12), the UpdateService "
        f"events by the autoscaling role coming after the surge began. TargetResponseTime climbs past 1 s with a few 504/503s. No "
        f"error signature is new except lag/timeouts, nothing was deployed since four hours ago, and the "
        f"`{coupon}` configuration change just before the surge did not touch this path. The `maps "
        f"provider slow` warnings are steady all evening.")
    sc.meta["judgement"] = (
        "CPU reaches ~85 % and a CPU alarm fires, but it is not pinned and only follows a 4x request "
        "volume; the volume is the cause (`traffic_surge`). The ALB and the ECS service are both "
        "accepted as the resource where the surge lands.")
    return sc


BUILDERS = [build_11, build_12]
