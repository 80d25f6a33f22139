"""h28-16: ECS rolling deployment of a Django service; 5XX grows one task at a time."""
from __future__ import annotations

import random

from .common import HIST, LOGS, Clock, alarm, change, diurnal, hexid, log_stream, poisson
from .logfmt import Rec, py_tb

R = "eu-north-1"
CL, SVC, NW, PG = "accounts", "profile-api", "notification-worker", "accounts-pg"
ALB = "app/accounts-alb/0e6d3b9f2a1c5847"
FIRST, STEP, N = -2940, 240, 8
SITE = "/usr/local/lib/python3.12/site-packages"


def new_tasks(t):
    if t < FIRST:
        return 0
    return min(N, 1 + int((t - FIRST) // STEP))


def build():
    rng = random.Random(2816)
    clk = Clock("2026-03-24T15:33:00")
    tops = [clk.top_of_hour(k) for k in range(7)]
    alb = Rec("AWS/ApplicationELB", {"LoadBalancer": ALB})
    ecs = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": SVC})
    ci = Rec("ECS/ContainerInsights", {"ClusterName": CL, "ServiceName": SVC})
    nw = Rec("AWS/ECS", {"ClusterName": CL, "ServiceName": NW})
    pg = Rec("AWS/RDS", {"DBInstanceIdentifier": PG})
    for t in range(-HIST, 0, 60):
        k = new_tasks(t)
        share = k / N
        req = poisson(rng, 800 * diurnal(t, 0.15, 60000))
        bad = sum(1 for _ in range(req) if rng.random() < 0.3 * share)
        alb.put(t, RequestCount=req, TargetResponseTime=0.062 + abs(rng.gauss(0, 0.004)) - 0.01 * share,
                HTTPCode_Target_5XX_Count=bad + poisson(rng, 3), HTTPCode_Target_4XX_Count=poisson(rng, 18),
                HTTPCode_ELB_5XX_Count=poisson(rng, 0.05), HealthyHostCount=9 if FIRST - 60 <= t < FIRST + STEP * N - 60 else 8,
                UnHealthyHostCount=0)
        ecs.put(t, CPUUtilization=29 * diurnal(t, 0.15, 60000) + rng.gauss(0, 1.2), MemoryUtilization=52 + rng.gauss(0, 0.6))
        ci.put(t, RunningTaskCount=9 if FIRST - 60 <= t < FIRST + STEP * N - 60 else 8)
        nw.put(t, CPUUtilization=12 + rng.gauss(0, 1) + (3 if t >= -2400 else 0), MemoryUtilization=30 + rng.gauss(0, 0.4))
        hot = any(tp <= t < tp + 240 for tp in tops)
        pg.put(t, CPUUtilization=(71 if hot else 24) + rng.gauss(0, 2), DatabaseConnections=88 + rng.gauss(0, 3),
               FreeableMemory=7.4e9 + rng.gauss(0, 4e7), FreeStorageSpace=3.3e11, ReadIOPS=(2100 if hot else 500) + rng.gauss(0, 30),
               WriteIOPS=210 + rng.gauss(0, 15), ReadLatency=0.0007, WriteLatency=0.0012, DiskQueueDepth=(3.1 if hot else 0.5))

    old_ids = [hexid(rng) for _ in range(N)]
    new_ids = [hexid(rng) for _ in range(N)]
    streams = {}

    def gl(ts):
        return clk.at(ts).strftime("[%Y-%m-%d %H:%M:%S +0000]")

    def dj(ts):
        d = clk.at(ts)
        return d.strftime("%Y-%m-%d %H:%M:%S,") + f"{d.microsecond // 1000:03d}"

    for i in range(N):
        st = FIRST + i * STEP - 60
        boot = [f"{gl(st)} [1] [INFO] Starting gunicorn 21.2.0", f"{gl(st)} [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
                f"{gl(st)} [1] [INFO] Using worker: gthread"] + \
               [f"{gl(st + 1)} [{27 + w}] [INFO] Booting worker with pid: {27 + w}" for w in range(4)] + \
               [f"INFO {dj(st + 3)} apps 27 140001 profile-api release=2026.03.24.1 git=9f3c2ab settings=profile_api.settings.prod"]
        streams[new_ids[i]] = [(st + j * 0.2, line) for j, line in enumerate(boot)]
        streams[old_ids[i]] = [(FIRST + i * STEP + 30, f"{gl(FIRST + i * STEP + 30)} [1] [INFO] Handling signal: term"),
                               (FIRST + i * STEP + 31, f"{gl(FIRST + i * STEP + 31)} [1] [INFO] Shutting down: Master")]
    streams[old_ids[0]].append((-LOGS + 5, f"INFO {dj(-LOGS + 5)} apps 27 140001 profile-api release=2026.03.19.2 git=41be07d "
                                           "settings=profile_api.settings.prod (worker heartbeat)"))
    for t in range(-LOGS, 0, 60):
        for _ in range(poisson(rng, 16)):
            ts = t + rng.uniform(0, 59)
            i = rng.randrange(N)
            is_new = ts >= FIRST + i * STEP
            sid = new_ids[i] if is_new else old_ids[i]
            uid = f"u_{rng.randint(100000, 999999)}"
            ip = f"10.0.{rng.randint(1, 3)}.{rng.randint(10, 250)}"
            ua = rng.choice(['"okhttp/4.12.0"', '"Accounts/7.3 (iPhone; iOS 17.4)"', '"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'])
            u = rng.random()
            if u < 0.02:
                path = f"/legacy/avatar/{uid}.png"
                msg = "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
                streams[sid].append((ts, f"ERROR {dj(ts)} log 27 140112 Internal Server Error: {path}\n" + py_tb(
                    "botocore.errorfactory.NoSuchKey", msg,
                    [(f"{SITE}/django/core/handlers/exception.py", 55, "inner", "response = get_response(request)"),
                     ("/app/legacy/views.py", 31, "avatar", "obj = s3.get_object(Bucket=AVATAR_BUCKET, Key=key)"),
                     (f"{SITE}/botocore/client.py", 1021, "_make_api_call", "raise error_class(parsed_response, operation_name)")])))
                code = 500
            elif u < 0.41:
                path = f"/v2/profile/{uid}/preferences"
                code = 200
                if is_new and rng.random() < 0.75:
                    code = 500
                    streams[sid].append((ts, f"ERROR {dj(ts)} log 27 140112 Internal Server Error: {path}\n" + py_tb(
                        "TypeError", "Object of type Decimal is not JSON serializable",
                        [(f"{SITE}/django/core/handlers/exception.py", 55, "inner", "response = get_response(request)"),
                         (f"{SITE}/django/core/handlers/base.py", 197, "_get_response",
                          "response = wrapped_callback(request, *callback_args, **callback_kwargs)"),
                         ("/app/profiles/views.py", 91, "preferences", "body = json.dumps(prefs.as_dict())"),
                         ("/usr/local/lib/python3.12/json/__init__.py", 231, "dumps", "return _default_encoder.encode(obj)"),
                         ("/usr/local/lib/python3.12/json/encoder.py", 180, "default",
                          "raise TypeError(f'Object of type {o.__class__.__name__} '")])))
            else:
                path = rng.choice([f"/v2/profile/{uid}", "/v2/session/refresh", f"/v2/profile/{uid}/addresses", "/healthz"])
                code = 200
            streams[sid].append((ts + 0.01, f'{ip} - - [{clk.clf(ts)}] "GET {path} HTTP/1.1" {code} '
                                            f'{145 if code == 500 else rng.randint(300, 4000)} "-" {ua}'))
    logs = [log_stream(f"/ecs/{SVC}", f"ecs/{SVC}/{k}", v) for k, v in streams.items()]
    metrics = alb.metrics() + ecs.metrics() + ci.metrics() + nw.metrics() + pg.metrics()
    alarms = [alarm(clk, "accounts-alb-5xx", alb.get("HTTPCode_Target_5XX_Count"), "Sum", 60, 3, 100, after=FIRST,
                    description="Accounts ALB target 5XX")]
    lag = round((alarms[0]["state_changed"] - (FIRST)) / 60)
    changes = [change(-3240, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-api:215", "github-actions"),
               change(-3180, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", "github-actions"),
               change(-2400, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/notification-worker/prod/BATCH_SIZE", "l.berg")]
    scen = {
        "format": "aiops-scenario/v1", "name": "h28-16-profile-api-rolling-deploy",
        "description": "Mobile app settings screen failing for many users; accounts ALB 5XX alarm.",
        "region": R,
        "resources": [
            {"type": "ecs", "id": f"{CL}/{SVC}", "properties": {"launch_type": "FARGATE", "desired_count": N, "cpu": 512, "memory": 1024,
                                                              "runtime": "python3.12 (Django 5.0, gunicorn gthread)",
                                                              "task_definition": "profile-api:215",
                                                              "deployment": "rolling, minimumHealthyPercent 100, maximumPercent 113",
                                                              "log_groups": [f"/ecs/{SVC}"]}},
            {"type": "ecs", "id": f"{CL}/{NW}", "properties": {"launch_type": "FARGATE", "desired_count": 2, "runtime": "python3.12 (celery)",
                                                             "log_groups": [f"/ecs/{NW}"]}},
            {"type": "alb", "id": ALB, "properties": {"name": "accounts-alb", "scheme": "internet-facing"}},
            {"type": "rds", "id": PG, "properties": {"engine": "postgres", "engine_version": "15.6", "instance_class": "db.r6g.large",
                                                   "max_connections": 800, "allocated_storage_gb": 400}},
        ],
        "metrics": metrics, "logs": logs, "alarms": alarms, "changes": changes,
        "expect": {"alarm": "accounts-alb-5xx",
                   "root_cause": {"category": "bad_deployment", "resource": [f"{CL}/{SVC}", SVC]},
                   "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": ALB}}]},
    }
    meta = {"alarm_on": "front (accounts-alb)",
            "decoys": "pre-existing /legacy/avatar NoSuchKey 500s at a constant ~3/min; SSM parameter change for notification-worker "
                      "14 min after the deploy began; accounts-pg CPU spike at the top of the hour right around the alarm",
            "story": (
                "profile-api always returns ~3 500s a minute from /legacy/avatar (NoSuchKey). 54 minutes ago github-actions "
                "registered profile-api:215 and updated the service; the rolling deployment (one extra task at a time, one task "
                "every 4 minutes) started release 2026.03.24.1 in new task log streams. Only the new tasks raise "
                "'TypeError: Object of type Decimal is not JSON serializable' from profiles/views.py on /v2/profile/*/preferences, "
                "so ALB 5XX climbs in eight steps as each old task is replaced. "
                f"The alarm fired when {new_tasks(alarms[0]['state_changed'])} of the {N} tasks were new, ~{lag} minutes after the first one took traffic, and the rollout has since completed. Label: bad_deployment "
                "of accounts/profile-api. The avatar 500s are unchanged noise, the SSM change is for another service with no "
                "errors, and the accounts-pg spike is its routine top-of-hour job.")}
    return scen, meta
