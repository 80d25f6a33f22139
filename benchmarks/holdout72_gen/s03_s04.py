"""h72-03 (artifact API behind ALB, Postgres behind it) and h72-04 (PR checks reporter)."""
from __future__ import annotations

from .common import GRID, Scenario, ramp
from .kit import (LOG_START, alb_bundle, const, ecs_bundle, emit, lambda_bundle, lb_id,
                  rds_bundle, task_id, thin)
from .runtimes import LambdaLogs, jline, pg


# ============================================================================ 03
def s03() -> Scenario:
    sc = Scenario(3, "artifact-api-5xx", "Artifact downloads from CI are failing with HTTP 500 "
                  "during the Monday morning build peak; ALB 5xx alarm fired.",
                  "ap-northeast-1", 7203, "2026-03-09T01:10:00")
    CL, SV, DB = "devplat", "artifact-api", "meta-pg-01"
    LB = lb_id(sc, "artifacts-int")
    EXH = -2340
    scale = [(-10 ** 9, 6), (-4200, 10), (-3000, 14), (-2400, 18)]
    tasks_at = lambda t: [n for s, n in scale if t >= s][-1]  # noqa: E731
    sc.resource("alb", LB, name="artifacts-int", scheme="internal")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=18, min_capacity=6, max_capacity=24, image="artifact-api:3.21.4")
    sc.resource("rds", DB, engine="postgres", engine_version="15.6",
                instance_class="db.r6g.large", max_connections=400, allocated_storage_gb=500)
    sc.resource("lambda", "sbom-indexer", runtime="python3.12", timeout=120, memory_size=1024)
    load = lambda t: 0.2 + 0.8 * ramp(t, -6000, -2400)  # noqa: E731

    def conns(t):
        return 38 + tasks_at(t) * 24 * (0.45 + 0.55 * load(t))  # capped at 397 below
    bad = lambda t: 0.0 if t < EXH else 0.2 * ramp(t, EXH, EXH + 300)  # noqa: E731
    req = lambda t: 1400 * load(t)  # noqa: E731
    alb_bundle(sc, LB, req, lambda t: 0.4 + req(t) * bad(t), lambda t: 0.1,
               lambda t: 0.045 + 0.6 * (bad(t) > 0) * ramp(t, EXH, EXH + 300),
               lambda t: tasks_at(t), t4xx=lambda t: 6 + 0.01 * req(t))
    ecs_bundle(sc, CL, SV, lambda t: 22 + 18 * load(t) * 6 / tasks_at(t) * 2.2,
               lambda t: 41 + 4 * load(t), lambda t: tasks_at(t))
    rds_bundle(sc, DB, lambda t: 14 + 30 * load(t), conns, lambda t: 312.0 - (t + 21600) / 3.6e6,
               read_lat=lambda t: 0.0011 + 0.0008 * load(t), conn_cap=397)
    lambda_bundle(sc, "sbom-indexer", lambda t: 3 + 6 * load(t), const(0.05), const(8400.0))
    sc.alarm(f"TargetTracking-service/{CL}/{SV}-AlarmHigh-{sc.uuid()}", "AWS/ECS", "CPUUtilization",
             {"ClusterName": CL, "ServiceName": SV}, "Average", 60, 3, 45.0,
             "GreaterThanThreshold", "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy "
             f"arn:aws:autoscaling:ap-northeast-1:{sc.account}:scalingPolicy:{sc.uuid()}:"
             f"resource/ecs/service/{CL}/{SV}:policyName/cpu45")
    sc.alarm("artifacts-int-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 25, "GreaterThanThreshold",
             "Artifact API returning 5xx to CI jobs")

    # ---- ECS task logs (zap JSON)
    repos = ["web/storefront", "platform/base-images", "ml/feature-store", "mobile/app-android",
             "platform/infra-live"]
    tasks = []
    for s, n in scale:
        while len(tasks) < n:
            tasks.append((max(s, LOG_START), task_id(sc)))
    for start, tid in tasks:
        stream = f"ecs/{SV}/{tid}"
        if start > LOG_START:
            sc.log(f"/ecs/{SV}", stream, start + 20.1, jline({
                "level": "info", "ts": round(sc.epoch_ms(start + 20.1) / 1000, 3),
                "caller": "store/pg.go:61", "msg": "pgxpool configured", "max_conns": 24,
                "host": f"{DB}.c9akciq32.ap-northeast-1.rds.amazonaws.com"}))

        def line(t, tid=tid):
            ts = round(sc.epoch_ms(t) / 1000, 3)
            repo = sc.rng.choice(repos)
            if sc.rng.random() < bad(t) * 3.2:
                return jline({"level": "error", "ts": ts, "caller": "store/pg.go:88",
                              "msg": "query failed", "op": "GetManifest", "repo": repo,
                              "error": f"failed to connect to `host={DB}.c9akciq32.ap-northeast-1"
                                       ".rds.amazonaws.com user=artifact database=artifacts`: "
                                       "server error (FATAL: sorry, too many clients already "
                                       "(SQLSTATE 53300))"})
            if sc.rng.random() < 0.12:
                return jline({"level": "warn", "ts": ts, "caller": "http/blobs.go:133",
                              "msg": "blob not found", "repo": repo, "status": 404,
                              "digest": "sha256:" + sc.hexid(64)})
            return jline({"level": "info", "ts": ts, "caller": "http/log.go:41", "msg": "request",
                          "method": "GET", "path": f"/v2/{repo}/manifests/{sc.hexid(7)}",
                          "status": 200, "dur_ms": round(sc.rng.uniform(4, 40), 1)})
        emit(sc, f"/ecs/{SV}", stream, lambda t: 2.5 * load(t) * 6 / tasks_at(t) + 0.3, line,
             start=start + 60)
    pgs = f"{DB}.0"

    def pgline(t):
        if t >= EXH and sc.rng.random() < 0.85:
            msg = sc.rng.choice(["sorry, too many clients already",
                                 "remaining connection slots are reserved for non-replication "
                                 "superuser connections"])
            return pg(sc, t, "FATAL", msg, client=f"10.40.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}"
                      f"({sc.rng.randint(30000, 60000)})", user="artifact", db="artifacts")
        return pg(sc, t, "LOG", f"duration: {sc.rng.uniform(1000, 2600):.3f} ms  statement: "
                  "SELECT m.digest, m.payload FROM manifests m JOIN tags t ON t.manifest_id = m.id "
                  "WHERE t.repo_id = $1", client="10.40.3.17(41822)", user="artifact", db="artifacts")
    emit(sc, "/aws/rds/instance/meta-pg-01/postgresql", pgs,
         lambda t: 0.4 + (6.0 if t >= EXH else 0.0), pgline)
    for t in range(-21600 + 37, 0, 300):
        sc.log("/aws/rds/instance/meta-pg-01/postgresql", pgs, t, pg(
            sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4200)} buffers; "
            "0 WAL file(s) added, 0 removed, 1 recycled", pid=571))
    for s, n in scale[1:]:
        sc.change(s - 70, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-2370, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "sbom-indexer", "ci-deployer")
    sc.expect = {"alarm": "artifacts-int-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": DB}}]}
    sc.meta = {"front": "front (ALB -> ECS -> RDS)", "decoys": "routine ECS scale-outs; "
               "sbom-indexer deploy 30 s before the errors; target-tracking AlarmHigh; "
               "404 blob-not-found warnings all morning; Monday traffic ramp"}
    return sc


# ============================================================================ 04
def s04() -> Scenario:
    sc = Scenario(4, "pr-checks-errors", "Pull requests show 'checks pending' forever; the PR "
                  "checks reporter Lambda error alarm fired.", "us-east-2", 7204,
                  "2026-03-16T14:05:00")
    FN, LIMIT, RESET_PHASE = "pr-checks-reporter", 5000, 660  # resets at hh:11 UTC
    sc.resource("lambda", FN, runtime="python3.12", timeout=30, memory_size=256,
                trigger="sqs:build-events", github_app_installation=31877121)
    sc.resource("lambda", "build-status-mirror", runtime="python3.12", timeout=60, memory_size=256)
    base = lambda t: 8 + 52 * ramp(t, -6000, -3000)  # noqa: E731
    # simulate the installation's hourly quota from the expected call volume
    rem, out_t, remaining = LIMIT, None, {}
    for t in GRID:
        d = sc.at(t)
        if (d.minute * 60 + d.second) == RESET_PHASE:
            rem = LIMIT
        rem -= 3 * base(t)
        remaining[t] = max(0, int(rem))
        if rem <= 0 and out_t is None and t > -4000:
            out_t = t
    OUT = out_t
    ROT = OUT - 150
    inv = lambda t: base(t) * (1.25 if remaining[int(t // 60 * 60)] <= 0 else 1.0)  # noqa: E731
    iv, ev = lambda_bundle(sc, FN, inv, const(0.3), lambda t: 640.0 if t < OUT else 120.0,
                           p_err=lambda t: 1.0 if remaining[int(t // 60 * 60)] <= 0 else 0.0)
    lambda_bundle(sc, "build-status-mirror", lambda t: 4 + 10 * ramp(t, -6000, -3000),
                  const(0.0), lambda t: 900.0 + 2500 * ((t // 60) % 97 == 3))
    ll = LambdaLogs(sc, FN, "python3.12", 256, 30, prewarm=LOG_START + 600, retire=(ROT + 50,))
    reset_epoch = {}

    def body(ll, t, rid, is_err, cold):
        m = int(t // 60 * 60)
        left = remaining[m]
        d = sc.at(t)
        nxt = d.replace(minute=11, second=0, microsecond=0)
        if nxt <= d:
            nxt = nxt.replace(hour=(nxt.hour + 1) % 24)
        reset = int(nxt.timestamp())
        reset_epoch[m] = reset
        repo = sc.rng.choice(["web/storefront", "platform/runner-images", "data/etl-jobs",
                              "ml/training-pipelines", "platform/infra-live"])
        sha = sc.hexid(40)
        lines = []
        if cold:
            key = "7c1e90" if t >= ROT + 50 else "51ab02"
            lines.append((0.001, ll.fmt(t, rid, "INFO", f"Loaded GitHub App private key version "
                                        f"{key} from ci/github-app-private-key")))
            lines.append((0.25, ll.fmt(t, rid, "INFO", "Minted installation token for 31877121 "
                                       f"expires_at={sc.iso(t + 3600, 0)}")))
        if is_err and left <= 0:
            msg = (f"403 API rate limit exceeded for installation ID 31877121. "
                   f"(x-ratelimit-remaining=0, x-ratelimit-reset={reset})")
            lines.append((0.1, ll.fmt(t, rid, "WARNING", f"POST /repos/acme/{repo}/check-runs "
                                      f"-> 403 rate limited, retry 1/2 in 0.5s")))
            lines.append((0.7, f"[ERROR] RateLimitExceeded: {msg}\nTraceback (most recent call "
                               f"last):\n  File \"/var/task/reporter/handler.py\", line 57, in "
                               f"handler\n    client.create_check_run(repo, sha, summary)\n  File "
                               f"\"/var/task/reporter/gh.py\", line 112, in create_check_run\n    "
                               f"raise RateLimitExceeded(resp)"))
            return {"lines": lines, "dur": sc.rng.uniform(700, 1200)}
        if is_err:
            lines.append((0.2, f"[ERROR] UnprocessableEntity: 422 No commit found for SHA: {sha} "
                               f"(force-pushed before report)\nTraceback (most recent call last):"
                               f"\n  File \"/var/task/reporter/handler.py\", line 57, in handler"))
            return {"lines": lines, "dur": sc.rng.uniform(200, 400)}
        if sc.rng.random() < 0.15:
            lines.append((0.1, ll.fmt(t, rid, "WARNING", f"annotations truncated to 50 (had "
                                      f"{sc.rng.randint(51, 400)}) for {repo}@{sha[:7]}")))
        lines.append((0.4, ll.fmt(t, rid, "INFO", f"POST /repos/acme/{repo}/check-runs 201 "
                                  f"(x-ratelimit-remaining={left}, x-ratelimit-used="
                                  f"{LIMIT - left})")))
        return {"lines": lines, "dur": sc.rng.uniform(400, 900)}
    ll.run(*thin(sc, iv, ev, 5), body)
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "PR check reporting failing")
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "build-status-mirror", "ci-deployer")
    sc.change(ROT, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
              "ci/github-app-private-key", "platform-secrets-rotation")
    sc.change(ROT + 40, "secretsmanager.amazonaws.com", "PutSecretValue",
              "AWS::SecretsManager::Secret", "ci/github-app-private-key", "gh-app-key-rotator")
    sc.change(ROT + 48, "secretsmanager.amazonaws.com", "UpdateSecretVersionStage",
              "AWS::SecretsManager::Secret", "ci/github-app-private-key", "gh-app-key-rotator")
    sc.expect = {"alarm": f"{FN}-errors", "root_cause": {"category": "throttling", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "origin", "onset": OUT, "decoys": "GitHub App key rotation 2-3 min "
               "before the onset; 422 force-push errors counted as Lambda errors all day; "
               "annotation-truncation warnings"}
    return sc
