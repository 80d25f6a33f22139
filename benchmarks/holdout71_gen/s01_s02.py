"""h71-01 reconnect storm on the device gateway; h71-02 normaliser deploy behind the ingest API."""
from __future__ import annotations

from .common import Scenario, bump, ramp
from .kit import (GRID, alb_metrics, apigw_exec, apigw_metrics, device_id, ecs_metrics, fw,
                  fleet_load, lam_metrics, lambda_logs, pino, rds_metrics, sprinkle, waves, zeros)


def s01() -> Scenario:
    sc = Scenario(1, "devlink-reconnect-storm",
                  "Device gateway latency alarm; dispatchers say truck positions are minutes late.",
                  "us-west-2", 7101, "2026-03-10T16:42:00")
    lb, tg = "app/devlink-edge/7c1e0b5a9d2f4e31", "targetgroup/devlink-gw-tg/0b8e61c2d7f9a4e5"
    svc, db = "telemetry/session-gw", "fleet-state-pg"
    sc.resource("alb", lb, name="devlink-edge", scheme="internet-facing")
    sc.resource("ecs", svc, desired_count=6, cpu=1024, memory=2048, launch_type="FARGATE",
                runtime="node20", log_group="/ecs/session-gw")
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=300)
    sc.resource("lambda", "geofence-sync", runtime="python3.12", timeout=60, memory_size=512)
    routine = [-19800, -14400, -9000]          # earlier, smaller reconnect waves
    onset = -2220

    def load(t):
        base = fleet_load(sc, t, 1750, amp=0.15, batch=0.35, batch_minute=0,
                          wave_starts=routine, wave_h=0.6)
        storm = 0.0
        if t >= onset - 60:
            storm = 7.0 * ramp(t, onset - 60, onset) * (0.55 + 0.45 * max(0.0, 1 - (t - onset) / 1500))
            storm += waves(t, [onset + 240, onset + 600, onset + 1080], 1.5, 300)
        return base * (1 + storm)

    req = sc.series(load, noise=0.03, integer=True)
    surge = [max(0.0, r / 1900.0 - 1.4) for r in req]
    rt = sc.series(lambda t: 0.085 + 0.0, noise=0.08, digits=4)
    rt = [round(v + 0.21 * s ** 1.35, 4) for v, s in zip(rt, surge)]
    e5 = [float(max(0, round(r * 0.006 * max(0.0, s - 2.5) + sc.rng.random() - 0.5)))
          for r, s in zip(req, surge)]
    t5 = sc.series(lambda t: 0.4, noise=0.5, integer=True)
    healthy = [6.0] * len(GRID)
    alb_metrics(sc, lb, tg, req, rt, t5, e5, healthy)
    cpu = sc.series(lambda t: 31 * (load(t) / 1900.0) ** 0.55, noise=0.05, cap=88)
    mem = sc.series(lambda t: 44 + 2.2 * (load(t) / 1900.0), noise=0.02)
    ecs_metrics(sc, "telemetry", "session-gw", cpu, mem)
    rds_metrics(sc, db, sc.series(lambda t: 22 + 3 * (load(t) / 1900.0) ** 0.5, noise=0.06),
                sc.series(lambda t: 140 + 6 * (load(t) / 1900.0), noise=0.03, integer=True),
                sc.series(lambda t: 171.4 - 0.00002 * (t + 21600), noise=0.0005),
                sc.series(lambda t: 9.6, noise=0.01),
                sc.series(lambda t: 0.0011, noise=0.1, digits=5),
                sc.series(lambda t: 0.0018, noise=0.1, digits=5))
    gi = sc.series(lambda t: 14 + (40 if sc.at(t).minute % 15 == 0 else 0), noise=0.1, integer=True)
    lam_metrics(sc, "geofence-sync", gi, zeros(), sc.series(lambda t: 2300, noise=0.1))

    # ---- logs: pino JSON from two tasks
    tasks = [sc.hexid(32) for _ in range(2)]
    hosts = [f"ip-10-40-{sc.rng.randint(1, 60)}-{sc.rng.randint(2, 250)}.us-west-2.compute.internal"
             for _ in tasks]
    for task, host in zip(tasks, hosts):
        stream = f"ecs/session-gw/{task}"

        def line(t, host=host):
            f = load(t) / 1900.0
            r = sc.rng.random()
            dev = device_id(sc)
            if r < 0.08:
                return pino(sc, t, 40, "device clock skew exceeds tolerance, using server time",
                            host, deviceId=dev, skewMs=sc.rng.choice([3600012, 3599870, -7199954]))
            if f > 2.5 and r < 0.45:
                lag = int(90 + 160 * (f - 2.5) * sc.rng.uniform(0.7, 1.3))
                return pino(sc, t, 40, "event loop lag high", host, lagMs=lag,
                            activeSessions=int(1900 * f * 9.5), pendingHandshakes=int(40 * f * f))
            if f > 2.5 and r < 0.85:
                return pino(sc, t, 30, "session resumed", host, deviceId=dev, fw=fw(sc),
                            reconnectAttempt=sc.rng.randint(1, 6), tookMs=int(200 * f))
            return pino(sc, t, 30, "telemetry batch accepted", host, deviceId=dev,
                        points=sc.rng.randint(4, 60), tookMs=int(sc.rng.uniform(20, 90) * max(1, f / 2)))
        sprinkle(sc, "/ecs/session-gw", stream, lambda t: 2.5 + (1.5 if load(t) > 5000 else 0), line)

    sc.change(-11200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "gha-deploy")
    sc.change(-2290, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "geofence-sync", "m.okafor")
    sc.alarm("devlink-edge-target-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 3, 1.0, "GreaterThanThreshold",
             "Device gateway p-average latency above 1s")
    sc.alarm("session-gw-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "telemetry", "ServiceName": "session-gw"}, "Average", 300, 2, 70,
             "GreaterThanThreshold", "session-gw service CPU")
    sc.expect = {"alarm": "devlink-edge-target-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, "devlink-edge", svc, "session-gw"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(where="alarm on front (ALB); surge lands on ALB + ECS service",
                   decoys="geofence-sync config update 70 s before onset; session-gw CPU alarm "
                          "(CPU ~75-85 %, not pinned); clock-skew warnings all day; routine "
                          "reconnect waves and hourly uploads",
                   services="ALB, ECS (Node), RDS, Lambda")
    return sc


def s02() -> Scenario:
    sc = Scenario(2, "ingest-normaliser-release",
                  "Telemetry ingest API returning 5xx; the API's 5XXError alarm paged.",
                  "eu-central-1", 7102, "2026-03-11T09:17:00")
    api, fn = "fleet-ingest", "tlm-normalize"
    arn = f"arn:aws:lambda:eu-central-1:{sc.account}:function:{fn}:live"
    sc.resource("apigateway", api, api_id="k7d2q9x1ve", stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs22.x", timeout=15, memory_size=512, alias="live")
    sc.resource("lambda", "fw-manifest", runtime="nodejs22.x", timeout=30, memory_size=256)
    sc.resource("lambda", "batch-upload-merge", runtime="nodejs22.x", timeout=300, memory_size=1024)
    dep = -3040

    def load(t):
        return fleet_load(sc, t, 820, amp=0.22, peak=11, batch=0.9, batch_minute=5,
                          wave_starts=[-16500, -8600], wave_h=0.4)

    cnt = sc.series(load, noise=0.03, integer=True)
    frac = [0.16 * ramp(t, dep + 20, dep + 160) for t in GRID]
    e5 = [float(round(c * f + (1 if sc.rng.random() < 0.04 else 0))) for c, f in zip(cnt, frac)]
    e4 = [float(round(c * 0.012 + sc.rng.gauss(0, 1.5))) if c else 0.0 for c in cnt]
    e4 = [max(0.0, v) for v in e4]
    dur = sc.series(lambda t: 64 + 6 * ramp(t, dep, dep + 120), noise=0.07)
    lat = [round(d + 18 + sc.rng.gauss(0, 2), 1) for d in dur]
    apigw_metrics(sc, api, cnt, e4, e5, lat, [round(d + 9, 1) for d in dur])
    lam_metrics(sc, fn, cnt, e5, dur)
    fi = sc.series(lambda t: 6, noise=0.3, integer=True)
    lam_metrics(sc, "fw-manifest", fi, zeros(), sc.series(lambda t: 140, noise=0.1))
    bi = [float(2 + (30 if sc.at(t).minute in (6, 7) else 0)) for t in GRID]
    lam_metrics(sc, "batch-upload-merge", bi, zeros(),
                [12000.0 if b > 5 else 900.0 for b in bi])

    def body(ll, t, rid, is_err, cold):
        dev = device_id(sc)
        d = sc.rng.uniform(35, 110)
        lines = []
        if sc.rng.random() < 0.1:
            lines.append((0.004, ll.fmt(t, rid, "WARN", f"dropping point: device clock ahead of "
                                        f"server by {sc.rng.choice([86412, 86397, 3601])}s "
                                        f"device={dev}")))
        if sc.rng.random() < 0.03:
            lines.append((0.005, ll.fmt(t, rid, "ERROR", f"ValidationError: payload schema v1 not "
                                        f"supported (device={dev}); returning 400")))
        if is_err:
            stack = ("TypeError: Cannot read properties of undefined (reading 'lat')",
                     "    at normalizePosition (/var/task/src/normalize.js:88:31)",
                     "    at Array.map (<anonymous>)",
                     "    at normalizeBatch (/var/task/src/normalize.js:41:22)",
                     "    at Runtime.handler (/var/task/index.js:19:18)")
            err = ('{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined '
                   "(reading 'lat')\",\"stack\":[" + ",".join(f'"{s.strip()}"' for s in stack) + "]}")
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", "Invoke Error \t" + err)))
        else:
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO",
                                           f"normalized batch device={dev} fw={fw(sc)} "
                                           f"points={sc.rng.randint(3, 80)}")))
        return {"lines": lines, "dur": d + 2}

    lambda_logs(sc, fn, "nodejs22.x", 512, 15, cnt, e5, body, k=3,
                epochs=((-10 ** 9, "56"), (-13880, "57"), (dep, "58")),
                retire=(-13880, dep))

    group, stream = "API-Gateway-Execution-Logs_k7d2q9x1ve/prod", sc.hexid(32)

    def exec_lines(t):
        err = sc.rng.random() < 0.16 * ramp(t, dep + 20, dep + 160)
        il = int(sc.rng.uniform(45, 130))
        if err:
            msg = ("Lambda execution failed with status 200 due to customer function error: "
                   f"Cannot read properties of undefined (reading 'lat'). Lambda request id: {sc.uuid()}")
            for tt, txt in apigw_exec(sc, t, "POST", "/v2/telemetry", arn, 502, il, (msg,)):
                sc.log(group, stream, tt, txt)
        else:
            for tt, txt in apigw_exec(sc, t, "POST", "/v2/telemetry", arn, 200, il):
                sc.log(group, stream, tt, txt)
        return None
    sprinkle(sc, group, stream, lambda t: 1.2, exec_lines)

    for t, ev, u in ((dep - 20, "UpdateFunctionCode20150331v2", "gitlab-ci-deployer"),
                     (dep - 10, "PublishVersion20150331", "gitlab-ci-deployer"),
                     (dep, "UpdateAlias20150331", "gitlab-ci-deployer"),
                     (-13900, "UpdateFunctionCode20150331v2", "gitlab-ci-deployer"),
                     (-13890, "PublishVersion20150331", "gitlab-ci-deployer"),
                     (-13880, "UpdateAlias20150331", "gitlab-ci-deployer")):
        sc.change(t, "lambda.amazonaws.com", ev, "AWS::Lambda::Function", fn, u)
    sc.change(-2985, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "fw-manifest", "s.brandt")
    sc.alarm("fleet-ingest-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Ingest API server errors")
    sc.alarm("fleet-ingest-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 2,
             150, "GreaterThanThreshold", "Ingest API client errors")
    sc.expect = {"alarm": "fleet-ingest-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(where="alarm on front (API Gateway); origin Lambda behind it",
                   decoys="fw-manifest configuration update 55 s after the release, before the alarm; "
                          "clock-skew WARN and schema-v1 ValidationError lines all day; an "
                          "earlier clean release of the same function; hourly batch spikes",
                   services="API Gateway, Lambda (Node)")
    return sc
