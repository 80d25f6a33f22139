"""h72-15 (CI token vending behind API Gateway) and h72-16 (PyPI cache on ECS behind ALB)."""
from __future__ import annotations

import json

from .common import GRID, Scenario, bump, ramp
from .kit import (LOG_START, alb_bundle, apigw_bundle, const, ecs_bundle, emit, lambda_bundle,
                  lb_id, task_id, thin)
from .runtimes import LambdaLogs, gunicorn


# ============================================================================ 15
def s15() -> Scenario:
    sc = Scenario(15, "ci-token-502", "CI jobs cannot pull from the container registry: the "
                  "token exchange endpoint answers 502.", "ap-northeast-1", 7215,
                  "2026-03-16T06:05:00")
    API, FN = "ci-tokens", "token-vend"
    CFG, ROT = -2000, -1900
    sc.resource("apigateway", API, stage="v1", integration="lambda-proxy:token-vend")
    sc.resource("lambda", FN, runtime="provided.al2023", timeout=10, memory_size=256,
                architecture="arm64", handler="bootstrap")
    load = lambda t: 26 + 8 * ramp(t, -21600, -14400)  # noqa: E731
    bad = lambda t: 1.0 if t >= CFG + 6 else 0.0  # noqa: E731
    inv, err = lambda_bundle(sc, FN, load, const(0.0), lambda t: 38.0 if t < CFG else 9.5,
                             p_err=bad)
    rej = sc.series(lambda t: 0.9, integer=True)
    apigw_bundle(sc, API, inv, {t: v for t, v in zip(GRID, rej)}, err,
                 lambda t: 61.0 if t < CFG else 24.0)
    ll = LambdaLogs(sc, FN, "provided.al2023", 256, 10, prewarm=LOG_START + 600)
    projects = ["web/storefront", "platform/runner-images", "ml/trainer-cuda12", "data/etl-jobs",
                "mobile/app-android"]

    def slog(t, level, msg, **kw):
        return json.dumps({"time": sc.iso(t, 6).replace("Z", "+00:00"), "level": level,
                           "msg": msg, **kw}, separators=(",", ":"))

    def body(ll, t, rid, is_err, cold):
        proj = sc.rng.choice(projects)
        job = sc.rng.randint(48_200_000, 48_900_000)
        lines = []
        if cold:
            lines.append((-0.002, slog(t, "INFO", "config loaded", ttl="15m0s",
                                       issuer="https://git.internal.example", audience="registry")))
        if sc.rng.random() < 0.03:
            lines.append((0.004, slog(t, "WARN", "rejected job token", reason="token is expired",
                                      project=proj, job=job)))
            return {"lines": lines, "dur": sc.rng.uniform(3, 8)}
        lines.append((0.02, slog(t, "INFO", "issued registry token", project=proj, job=job,
                                 ttl="15m0s", scope=f"repository:{proj}:pull,push")))
        return {"lines": lines, "dur": sc.rng.uniform(18, 60)}
    ii, ee = thin(sc, inv, err, 4)
    ll.run({m: v for m, v in ii.items() if m < CFG}, {}, body)
    envs = [f"{sc.at(CFG).strftime('%Y/%m/%d')}/[$LATEST]{sc.hexid(32)}" for _ in range(5)]
    grp = f"/aws/lambda/{FN}"
    for m, n in sorted(ii.items()):
        if m < CFG:
            continue
        for _ in range(n):
            t = m + sc.rng.uniform(0, 59.5)
            if t < CFG + 6:
                continue
            st, rid = sc.rng.choice(envs), sc.uuid()
            d = sc.at(t)
            ms = sc.rng.uniform(6, 14)
            for dt, txt in (
                    (0.0, f"INIT_START Runtime Version: provided:al2023.v72\tRuntime Version "
                          f"ARN: arn:aws:lambda:ap-northeast-1::runtime:{sc.hexid(64)}"),
                    (0.004, f"{d.strftime('%Y/%m/%d %H:%M:%S')} config: invalid TOKEN_TTL \"15\": "
                            "time: missing unit in duration \"15\""),
                    (0.009, f"INIT_REPORT Init Duration: {ms:.2f} ms\tPhase: invoke\tStatus: "
                            "error\tError Type: Runtime.ExitError"),
                    (0.010, f"START RequestId: {rid} Version: $LATEST"),
                    (0.011, f"RequestId: {rid} Error: Runtime exited with error: exit status 1"
                            "\nRuntime.ExitError"),
                    (0.012, f"END RequestId: {rid}"),
                    (0.013, f"REPORT RequestId: {rid}\tDuration: {ms + 0.6:.2f} ms\tBilled "
                            f"Duration: {int(ms) + 2} ms\tMemory Size: 256 MB\tMax Memory Used: "
                            f"{sc.rng.randint(11, 14)} MB\tStatus: error\tError Type: "
                            "Runtime.ExitError")):
                sc.log(grp, st, t + dt, txt)
    gw = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/v1"
    gws = [sc.hexid(32) for _ in range(3)]
    emit(sc, gw, gws[0], const(1.2), lambda t: (
        f"({sc.uuid()}) Method completed with status: "
        f"{502 if t >= CFG + 6 else (401 if sc.rng.random() < 0.04 else 200)}"))
    emit(sc, gw, gws[1], lambda t: 1.0 if t >= CFG + 6 else 0.0, lambda t: (
        f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function "
        f"error: Runtime exited with error: exit status 1. Lambda request id: {sc.uuid()}"))
    sc.alarm(f"{API}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Token exchange failing")
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 20,
             "GreaterThanThreshold")
    sc.change(-15000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", FN, "ci-deployer")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", FN, "m.tanaka")
    sc.change(ROT, "secretsmanager.amazonaws.com", "RotateSecret", "AWS::SecretsManager::Secret",
              "ci/registry-signing-key", "platform-secrets-rotation")
    sc.expect = {"alarm": f"{API}-5xx",
                 "root_cause": {"category": "config_change", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "front (API Gateway -> Lambda)", "decoys": "registry signing-key "
               "rotation 100 s after the change; a code deploy 3.6 h earlier; expired-job-token "
               "401s at a steady rate"}
    return sc


# ============================================================================ 16
def s16() -> Scenario:
    sc = Scenario(16, "pypi-cache-5xx", "pip install in CI fails intermittently with 502/504 "
                  "from the internal PyPI cache.", "eu-west-2", 7216, "2026-03-16T11:40:00")
    CL, SV, APT = "mirrors", "pypi-cache", "apt-cache"
    LB = lb_id(sc, "pypi-cache")
    ON, DECOY, PRUNE = -2400, -2460, -19000
    sc.resource("alb", LB, name="pypi-cache", scheme="internal")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=3, image="pypi-cache:2.4.1", upstream="https://pypi.org, "
                "https://files.pythonhosted.org", workers="gunicorn 4x gthread")
    sc.resource("ecs", f"{CL}/{APT}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=2, image="apt-cache:1.8.0")
    load = lambda t: 0.35 + 0.65 * ramp(t, -12000, -8400)  # noqa: E731
    up = lambda t: ramp(t, ON, ON + 120)  # noqa: E731  share of upstream fetches that hang
    req = lambda t: 1500 * load(t)  # noqa: E731
    MISS = 0.22
    alb_bundle(sc, LB, req, lambda t: 0.3 + req(t) * MISS * 0.55 * up(t),
               lambda t: 0.1 + req(t) * MISS * 0.25 * up(t),
               lambda t: 0.08 + 6.5 * up(t), const(3), t4xx=lambda t: 0.02 * req(t))
    ecs_bundle(sc, CL, SV, lambda t: 22 + 18 * load(t) - 9 * up(t) + 45 * bump(t, PRUNE, PRUNE + 900, 1),
               lambda t: 44 + 6 * up(t), const(3))
    ecs_bundle(sc, CL, APT, lambda t: 8 + 5 * load(t), const(30.0), const(2))
    grp = f"/ecs/{SV}"
    pkgs = ["numpy", "requests", "boto3", "pydantic", "pytest", "torch", "pandas", "ruff",
            "acme-internal-utils"]
    for i in range(3):
        st = f"{SV}/{SV}/{task_id(sc)}"
        pids = [sc.rng.randint(8, 60) for _ in range(4)]

        def line(t):
            pkg = sc.rng.choice(pkgs)
            d = sc.at(t)
            ip = sc.ip("10.12")
            miss = sc.rng.random() < MISS
            if pkg == "acme-internal-utils":
                return (f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} WARNING "
                        f"pypi_cache.upstream: upstream 404 for /simple/{pkg}/ (blocked by "
                        "dependency-confusion guard)")
            if miss and sc.rng.random() < up(t) * 0.8:
                host = "files.pythonhosted.org" if sc.rng.random() < 0.7 else "pypi.org"
                kind = sc.rng.choice([
                    f"ReadTimeout: HTTPSConnectionPool(host='{host}', port=443): Read timed "
                    "out. (read timeout=30)",
                    f"ConnectTimeout: HTTPSConnectionPool(host='{host}', port=443): Max "
                    "retries exceeded with "
                    f"url: /simple/{pkg}/ (Caused by ConnectTimeoutError(<urllib3.connection."
                    "HTTPSConnection object>, 'Connection to " + host + " timed out. "
                    "(connect timeout=10)'))"])
                return (f"{d.strftime('%Y-%m-%d %H:%M:%S')},{d.microsecond // 1000:03d} ERROR "
                        f"pypi_cache.upstream: fetch failed for /simple/{pkg}/: "
                        f"requests.exceptions.{kind} -> 504")
            status = 200
            return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET /simple/{pkg}/ '
                    f'HTTP/1.1" {status} {sc.rng.randint(2000, 90000)} "-" "pip/24.0 '
                    f'{{"ci":true,"python":"3.12.2"}}" cache={"MISS" if miss else "HIT"}')
        emit(sc, grp, st, lambda t: 2.2 * load(t), line)
        emit(sc, grp, st, lambda t: 0.5 * up(t), lambda t: gunicorn(
            sc, t, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{sc.rng.choice(pids)})"))
        if i == 0:
            sc.log(grp, st, PRUNE + 870.0, gunicorn(sc, PRUNE + 870, 1, "INFO",
                                                    "cache-prune: removed 41233 files not "
                                                    "accessed in 30d (212.4 GiB)"))
    ast = f"{APT}/{APT}/{task_id(sc)}"
    emit(sc, f"/ecs/{APT}", ast, const(0.8), lambda t: (
        f"{sc.iso(t)} apt-cacher-ng: HIT /debian/pool/main/{sc.rng.choice('abcdlmpz')}/"
        f"pkg_{sc.rng.randint(1, 9)}.deb"))
    sc.alarm(f"{SV}-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "PyPI cache returning 5xx")
    sc.alarm(f"{SV}-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB},
             "Average", 60, 5, 2.0, "GreaterThanThreshold")
    sc.change(PRUNE - 30, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", f"{CL}/{SV}-prune",
              "events.amazonaws.com")
    sc.change(DECOY - 30, "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", f"{APT}:19", "ci-deployer")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{APT}",
              "ci-deployer")
    sc.expect = {"alarm": f"{SV}-target-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [f"{CL}/{SV}", SV]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]}
    sc.meta = {"front": "front (ALB -> ECS -> external upstream)", "decoys": "apt-cache deploy "
               "in the same cluster 1 min before the onset; nightly cache prune; steady upstream "
               "404s for the internal package; second latency alarm"}
    return sc
