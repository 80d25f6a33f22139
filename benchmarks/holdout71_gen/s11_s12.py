"""h71-11 trip rollup runs out of time on backlog uploads; h71-12 geofence alerts crash on a bad polygon."""
from __future__ import annotations

from .common import Scenario, ramp
from .kit import (GRID, alb_metrics, device_id, ecs_metrics, fleet_load, lam_metrics, lambda_logs,
                  rds_metrics, sprinkle, zeros)
from .runtimes import jline


def s11() -> Scenario:
    sc = Scenario(11, "trip-rollup-backlog",
                  "Trip rollup Lambda errors; trip summaries for the overnight shift are missing.",
                  "us-west-2", 7111, "2026-03-19T14:26:00")
    fn, db = "trip-rollup", "trips-pg"
    sc.resource("lambda", fn, runtime="dotnet8", timeout=60, memory_size=1024,
                event_source="sqs:trip-uploads", batch_size=1)
    sc.resource("lambda", "trip-export", runtime="dotnet8", timeout=300, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="16.1", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=400)
    on = -2400
    big = lambda t: 0.42 * ramp(t, on, on + 120)
    inv = sc.series(lambda t: 14 + (34 if sc.at(t).minute < 3 else 0) + 3 * ramp(t, on, on + 600),
                    noise=0.03, integer=True)
    err = [float(min(i, max(3 if t >= on + 120 else 0, round(i * big(t) + sc.rng.gauss(0, 0.8)))))
           if t >= on else 0.0 for t, i in zip(GRID, inv)]
    dur = [round((1 - big(t)) * sc.rng.gauss(9200, 900) + big(t) * 60000, 1) for t in GRID]
    lam_metrics(sc, fn, inv, err, dur)
    lam_metrics(sc, "trip-export", sc.series(lambda t: 0.6, noise=0.5, integer=True), zeros(),
                sc.series(lambda t: 31000, noise=0.1))
    rds_metrics(sc, db, sc.series(lambda t: 24 + (9 if sc.at(t).minute < 4 else 0), noise=0.07),
                sc.series(lambda t: 62, noise=0.04, integer=True),
                sc.series(lambda t: 188 - 0.00003 * (t + 21600), noise=0.0002),
                sc.series(lambda t: 6.1, noise=0.01),
                sc.series(lambda t: 0.0011, noise=0.1, digits=5),
                sc.series(lambda t: 0.0019, noise=0.1, digits=5))

    def body(ll, t, rid, is_err, cold):
        dev = device_id(sc, "TCU")
        depot = sc.rng.choice([3, 5, 11, 17, 21])
        lines = []
        if sc.rng.random() < 0.1:
            lines.append((0.3, ll.fmt(t + 0.3, rid, "WARN", f"Skipping {sc.rng.randint(2, 40)} points "
                                      f"with timestamp in the future for {dev} (device clock skew)")))
        if sc.rng.random() < 0.06:
            lines.append((0.4, ll.fmt(t + 0.4, rid, "WARN", f"Trip {sc.hexid(10)} for {dev} has no "
                                      "end event; closing at last point")))
        if is_err:
            mb = sc.rng.randint(380, 910)
            lines.insert(0, (0.01, ll.fmt(t, rid, "INFO", f"Processing s3://fleet-trip-uploads/depot-17/"
                                          f"{dev}/2026-03-19T0{sc.rng.randint(1, 6)}.ndjson.gz "
                                          f"size={mb} MB")))
            for k in range(1, 6):
                lines.append((k * 11.0, ll.fmt(t + k * 11.0, rid, "INFO",
                                               f"Parsed {k * sc.rng.randint(380, 450) * 1000} points "
                                               f"({k * 17}% of file)")))
            return {"lines": lines, "dur": 60000, "status": "timeout", "mem": sc.rng.randint(610, 780)}
        mb = sc.rng.uniform(1.5, 9)
        d = sc.rng.gauss(9200, 1800)
        lines.insert(0, (0.01, ll.fmt(t, rid, "INFO", f"Processing s3://fleet-trip-uploads/depot-{depot}/"
                                      f"{dev}/2026-03-19T{sc.at(t).hour:02d}.ndjson.gz size={mb:.1f} MB")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"Rolled up {sc.rng.randint(1, 9)} "
                                       f"trips, {int(mb * 21000)} points, upserted in "
                                       f"{sc.rng.randint(40, 300)} ms")))
        return {"lines": lines, "dur": d}

    lambda_logs(sc, fn, "dotnet8", 1024, 60, inv, err, body, k=2)
    sc.change(-2450, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "trip-export", "octopus-deploy")
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "octopus-deploy")
    sc.alarm("trip-rollup-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "Trip rollup errors")
    sc.expect = {"alarm": "trip-rollup-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]}}
    sc.meta = dict(where="alarm on origin (Lambda)",
                   decoys="trip-export deploy 50 s before onset; a release of the function itself "
                          "4.5 h earlier with no change in behaviour; hourly upload bursts; "
                          "clock-skew and open-trip warnings all day; healthy RDS",
                   services="Lambda (.NET), RDS")
    return sc


def s12() -> Scenario:
    sc = Scenario(12, "fleet-events-500s",
                  "Fleet events endpoint returning 500s; ALB target 5xx alarm fired.",
                  "eu-central-1", 7112, "2026-03-20T12:03:00")
    lb, tg = "app/fleet-events/2b7e4c9a1d0f3856", "targetgroup/geofence-alerts/71c3e9a5f0b2d684"
    svc = "alerts/geofence-alerts"
    sc.resource("alb", lb, name="fleet-events", scheme="internal")
    sc.resource("ecs", svc, desired_count=4, runtime="python3.12 (gunicorn)", cpu=512, memory=1024,
                log_group="/ecs/geofence-alerts")
    sc.resource("ecs", "alerts/notify-push", desired_count=2, runtime="python3.12")
    sc.resource("rds", "alerts-pg", engine="postgres", instance_class="db.t4g.large",
                max_connections=900, allocated_storage_gb=200)
    on = -1700

    def load(t):
        return fleet_load(sc, t, 450, amp=0.2, peak=12, batch=0.7, batch_minute=10,
                          wave_starts=[-14000, -5200], wave_h=0.4)

    req = sc.series(load, noise=0.03, integer=True)
    bad = [0.09 * ramp(t, on - 30, on + 30) for t in GRID]
    t5 = [float(round(r * b + (1 if sc.rng.random() < 0.05 else 0))) for r, b in zip(req, bad)]
    alb_metrics(sc, lb, tg, req, sc.series(lambda t: 0.052, noise=0.08, digits=4), t5, zeros(),
                [4.0] * len(GRID), t4=sc.series(lambda t: 3, noise=0.3, integer=True))
    ecs_metrics(sc, "alerts", "geofence-alerts", sc.series(lambda t: 27 * load(t) / 450, noise=0.05),
                sc.series(lambda t: 48, noise=0.02))
    ecs_metrics(sc, "alerts", "notify-push", sc.series(lambda t: 12, noise=0.08),
                sc.series(lambda t: 33, noise=0.02))
    rds_metrics(sc, "alerts-pg", sc.series(lambda t: 17, noise=0.07),
                sc.series(lambda t: 88, noise=0.03, integer=True),
                sc.series(lambda t: 141, noise=0.0003), sc.series(lambda t: 3.9, noise=0.01),
                sc.series(lambda t: 0.0008, noise=0.1, digits=5),
                sc.series(lambda t: 0.0013, noise=0.1, digits=5))

    def js(t, level, event, **kw):
        obj = {"timestamp": sc.iso(t, 6), "level": level, "logger": kw.pop("logger", "alerts.api"),
               "event": event}
        obj.update(kw)
        return jline(obj)

    tb = ("Traceback (most recent call last):\n"
          '  File "/app/alerts/api.py", line 74, in post_position\n'
          "    hits = evaluator.evaluate(fix)\n"
          '  File "/app/alerts/evaluator.py", line 51, in evaluate\n'
          "    if fence.geom.intersects(track):\n"
          '  File "/usr/local/lib/python3.12/site-packages/shapely/geometry/base.py", line 706, in intersects\n'
          "    return _maybe_unpack(shapely.intersects(self, other))\n"
          "shapely.errors.GEOSException: TopologyException: Input geom 0 is invalid: "
          "Self-intersection at 13.405122 52.520331")
    for _ in range(2):
        def line(t):
            r = sc.rng.random()
            dev = device_id(sc)
            if t >= on and r < 0.12:
                return js(t, "error", "unhandled exception", path="/v1/events/position", method="POST",
                          device=dev, status=500, exc_info=tb)
            if r < 0.05:
                return js(t, "error", "device clock skew", device=dev,
                          skew_s=sc.rng.choice([-7200, 3600, 3601]))
            if r < 0.09:
                return js(t, "warning", "push provider returned 503, retrying", logger="alerts.push",
                          attempt=sc.rng.randint(1, 3))
            if r < 0.11:
                return js(t, "info", "fence cache refreshed", logger="alerts.fences",
                          fences=18400 + int((t + 21600) / 900), added=sc.rng.randint(0, 5))
            return js(t, "info", "position evaluated", device=dev, fences_hit=sc.rng.randint(0, 2),
                      duration_ms=round(sc.rng.uniform(3, 45), 1), status=200)
        sprinkle(sc, "/ecs/geofence-alerts", f"web/geofence-alerts/{sc.hexid(32)}",
                 lambda t: 2.4, line)
    sc.change(-1745, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "notify-push:57", "gitlab-ci")
    sc.change(-1740, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "alerts/notify-push",
              "gitlab-ci")
    sc.change(-12800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "gitlab-ci")
    sc.alarm("fleet-events-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 15, "GreaterThanThreshold",
             "Fleet events 5xx from targets")
    sc.expect = {"alarm": "fleet-events-target-5xx",
                 "root_cause": {"category": "application_error",
                                "resource": [svc, "geofence-alerts"]}}
    sc.meta = dict(where="alarm on front (ALB); origin ECS service behind it",
                   decoys="notify-push release 40 s before onset (a neighbouring service with no "
                          "errors); the service's own release 3.5 h earlier with clean logs "
                          "afterwards; clock-skew ERROR and push-retry lines all day",
                   services="ALB, ECS (Python), RDS")
    return sc
