"""h72-09 (test-report ingest on ECS) and h72-10 (SBOM generator Lambda)."""
from __future__ import annotations

import json

from .common import Scenario, ramp
from .kit import LOG_START, const, ecs_bundle, emit, lambda_bundle, task_id, thin
from .runtimes import LambdaLogs


# ============================================================================ 09
def s09() -> Scenario:
    sc = Scenario(9, "test-results-tasks-cycling", "JUnit results stop appearing on merge "
                  "requests; the test-results service is cycling tasks.", "eu-west-2", 7209,
                  "2026-03-09T09:50:00")
    CL, SV, OTHER = "ci", "test-results", "flaky-detector"
    ON, DEP, DECOY = -3000, -15000, -3100
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=4, image=f"{SV}:5.3.0", node_options="--max-old-space-size=1792")
    sc.resource("ecs", f"{CL}/{OTHER}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=1, image=f"{OTHER}:0.19.1")
    rng = sc.rng
    # ---- explicit task lifecycle per slot: memory climbs on the huge reports, OOM, replaced
    lives = []  # (slot, start, end, task_id, crashed)
    for slot in range(4):
        t = -40000.0
        boot = DEP + 40 + slot * 70  # the morning deploy replaced every task
        lives.append((slot, t, boot - 20, task_id(sc), False))
        t = boot
        while t < 0:
            if t < ON:
                first_big = ON + rng.uniform(0, 400)
            else:
                first_big = t + rng.uniform(20, 90)
            end = first_big + rng.uniform(150, 330)
            if end > 0:
                lives.append((slot, t, 10.0, task_id(sc), False))
                break
            lives.append((slot, t, end, task_id(sc), True))
            t = end + rng.uniform(60, 110)

    def up(t):
        return sum(1 for _, s, e, _, _ in lives if s <= t < e)

    def mem_of(t):
        vals = []
        for _, s, e, _, crashed in lives:
            if s <= t < e:
                if crashed and e - t < 400:
                    x = 1 - (e - t) / 400
                    vals.append(40 + 60 * x ** 1.4)
                else:
                    vals.append(38 + 4 * ramp(t, -6000, -3000))
        return max(vals) if vals else 0.0  # the hottest task (CloudWatch Maximum)
    load = lambda t: 0.3 + 0.7 * ramp(t, -9000, -5400)  # noqa: E731
    ecs_bundle(sc, CL, SV, lambda t: 18 + 20 * load(t) + 15 * (t >= ON), lambda t: mem_of(t + 30),
               lambda t: min(up(t + 5), up(t + 30), up(t + 55)))
    ecs_bundle(sc, CL, OTHER, lambda t: 7 + 4 * load(t), const(33.0), const(1))
    grp = f"/ecs/{SV}"
    for slot, s, e, tid, crashed in lives:
        if e < LOG_START:
            continue
        st = f"{SV}/{SV}/{tid}"
        host = f"ip-10-8-{rng.randint(1, 9)}-{rng.randint(2, 250)}.eu-west-2.compute.internal"

        def pino(t, level, msg, **kw):
            return json.dumps({"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": host,
                               "msg": msg, **kw}, separators=(",", ":"))
        if s > LOG_START:
            sc.log(grp, st, s + 2.0, pino(s + 2.0, 30, "test-results listening", port=8080,
                                         version="5.3.0", heap_limit_mb=1792))

        def line(t, e=e, crashed=crashed, pino=pino):
            r = rng.random()
            pipe = rng.randint(9100000, 9199999)
            if r < 0.12:
                return pino(t, 40, "flaky test quarantined", pipeline=pipe,
                            test=rng.choice(["CheckoutFlow › applies coupon", "test_retry_backoff",
                                             "LeaseManagerTest.renewsConcurrently"]))
            if r < 0.16:
                return pino(t, 50, "report rejected: malformed XML", pipeline=pipe,
                            err="Unexpected close tag at line 1 column 18877")
            if crashed and t > e - 420:
                return pino(t, 30, "parsing report", pipeline=pipe, format="junit",
                            bytes=rng.randint(380, 460) * 1048576, attempt=rng.randint(1, 6),
                            project="platform/monorepo", job="regression-full")
            return pino(t, 30, "ingested report", pipeline=pipe, suites=rng.randint(3, 80),
                        bytes=rng.randint(20000, 4000000), ms=rng.randint(30, 900))
        emit(sc, grp, st, lambda t, s=s, e=e: 1.6 * load(t) if s + 5 <= t < e else 0.0, line,
             start=max(LOG_START, s - s % 60))
        if crashed:
            pid = rng.randint(0x1000000, 0xfffffff)
            fatal = [f"<--- Last few GCs --->",
                     f"[1:0x{pid:x}]   {rng.randint(200000, 400000)} ms: Mark-Compact 1781.4 "
                     "(1843.2) -> 1779.9 (1843.7) MB, 1811.25 / 0.00 ms  (average mu = 0.118, "
                     "current mu = 0.021) allocation failure; scavenge might not succeed",
                     "<--- JS stacktrace --->",
                     "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of "
                     "memory",
                     " 1: 0xb8ced0 node::Abort() [node]",
                     " 2: 0xa98e38 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [node]"]
            for k, txt in enumerate(fatal):
                sc.log(grp, st, e - 1.5 + k * 0.01, txt)
    oth = f"{OTHER}/{OTHER}/{task_id(sc)}"
    emit(sc, f"/ecs/{OTHER}", oth, const(0.5), lambda t: json.dumps(
        {"level": 30, "time": sc.epoch_ms(t), "msg": "scored tests", "window": "7d",
         "flaky": rng.randint(40, 60)}, separators=(",", ":")))
    sc.alarm(f"{SV}-running-tasks", "ECS/ContainerInsights", "RunningTaskCount",
             {"ClusterName": CL, "ServiceName": SV}, "Minimum", 300, 2, 4,
             "LessThanThreshold", "test-results running below desired count")
    sc.change(DEP - 30, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{SV}:41", "ci-deployer")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
              "ci-deployer")
    sc.change(DECOY - 25, "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", f"{OTHER}:23", "ci-deployer")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{OTHER}",
              "ci-deployer")
    sc.expect = {"alarm": f"{SV}-running-tasks",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{CL}/{SV}", SV]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": CL, "ServiceName": SV}}]}
    sc.meta = {"front": "origin", "decoys": "flaky-detector deploy in the same cluster minutes "
               "before the first OOM; the service's own deploy 4 h earlier with flat memory "
               "afterwards; flaky-quarantine and malformed-XML noise all morning"}
    return sc


# ============================================================================ 10
def s10() -> Scenario:
    sc = Scenario(10, "sbom-errors", "SBOM attestations missing for new images; SBOM "
                  "generator error alarm.", "us-east-2", 7210, "2026-03-16T16:10:00")
    FN, OTHER, TIMEOUT = "sbom-generate", "license-scan", 120
    ON, DECOY = -2700, -2800
    sc.resource("lambda", FN, runtime="python3.12", timeout=TIMEOUT, memory_size=2048,
                ephemeral_storage_mb=10240, trigger="eventbridge:ecr-image-push")
    sc.resource("lambda", OTHER, runtime="python3.12", timeout=300, memory_size=1024)
    base = lambda t: 4 + 8 * ramp(t, -9000, -5400)  # noqa: E731
    big = lambda t: 0.45 if t >= ON else 0.0  # noqa: E731
    inv, err = lambda_bundle(sc, FN, base, const(0.0),
                             lambda t: 38000 + 62000 * big(t) * 1.9, p_err=big)
    lambda_bundle(sc, OTHER, lambda t: base(t) * 0.8, const(0.02), const(21000.0))
    ll = LambdaLogs(sc, FN, "python3.12", 2048, TIMEOUT, prewarm=LOG_START + 600)
    small = ["web/storefront", "platform/pkg-gateway", "data/etl-jobs", "web/admin",
             "platform/runner-images"]
    large = ["ml/trainer-cuda12", "ml/inference-gpu", "ml/notebook-base"]

    def body(ll, t, rid, is_err, cold):
        repo = sc.rng.choice(large if is_err else small)
        layers = sc.rng.randint(31, 44) if is_err else sc.rng.randint(6, 14)
        size = sc.rng.uniform(8.5, 12.9) if is_err else sc.rng.uniform(0.08, 0.9)
        lines = []
        if cold:
            lines.append((0.01, ll.fmt(t, rid, "ERROR", "grype DB update check failed: HTTP 304 "
                                       "treated as error; using cached vulnerability DB (age 19h)")))
        lines.append((0.02, ll.fmt(t, rid, "INFO", f"image {sc.account}.dkr.ecr.us-east-2."
                                   f"amazonaws.com/{repo}@sha256:{sc.hexid(64)}")))
        lines.append((0.4, ll.fmt(t, rid, "INFO", f"pulled manifest in {sc.rng.uniform(0.1, 0.5):.2f}s:"
                                  f" {layers} layers, {size:.2f} GiB")))
        if sc.rng.random() < 0.2:
            lines.append((0.5, ll.fmt(t, rid, "WARNING", "SPDX license expression 'GPL-2.0+' is "
                                      "deprecated; normalised to GPL-2.0-or-later")))
        if is_err:
            per = TIMEOUT / (layers * 0.55)
            for k in range(1, layers, 4):
                lines.append((1 + k * per, ll.fmt(t, rid, "INFO", f"cataloged layer {k}/{layers} "
                                                   f"(fetch {sc.rng.uniform(0.6, 2.4):.1f}s, "
                                                   f"{sc.rng.randint(900, 40000)} files)")))
            return {"lines": [x for x in lines if x[0] < TIMEOUT], "status": "timeout",
                    "dur": TIMEOUT * 1000.0, "mem": sc.rng.randint(1500, 1900)}
        dur = sc.rng.uniform(22, 58)
        lines.append((dur - 0.3, ll.fmt(t, rid, "INFO", f"SBOM written: {sc.rng.randint(120, 2400)} "
                                        f"packages, attestation {sc.hexid(12)} signed")))
        return {"lines": lines, "dur": dur * 1000}
    ll.run(*thin(sc, inv, err, 1), body)
    ol = LambdaLogs(sc, OTHER, "python3.12", 1024, 300, prewarm=LOG_START + 600,
                    retire=(DECOY + 10,))

    def obody(ll, t, rid, is_err, cold):
        return {"lines": [(0.02, ll.fmt(t, rid, "INFO", f"licenses ok for {sc.rng.choice(small)} "
                                        f"({sc.rng.randint(80, 900)} packages, 0 denied)"))],
                "dur": sc.rng.uniform(12000, 30000)}
    ol.run(*thin(sc, {m: max(1, v // 4) for m, v in inv.items()}, {}, 1), obody)
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 2, 5,
             "GreaterThanOrEqualToThreshold", "SBOM generation failing")
    sc.alarm(f"{OTHER}-errors", "AWS/Lambda", "Errors", {"FunctionName": OTHER}, "Sum", 300, 1, 3,
             "GreaterThanThreshold")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", OTHER, "ci-deployer")
    sc.change(-2760, "ecr.amazonaws.com", "PutImage", "AWS::ECR::Repository",
              "ml/trainer-cuda12", "ci-ml-builder")
    sc.change(-2690, "ecr.amazonaws.com", "PutImage", "AWS::ECR::Repository",
              "ml/inference-gpu", "ci-ml-builder")
    sc.change(-17800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", OTHER, "terraform-platform")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "function_timeout", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "origin", "decoys": "license-scan deploy 100 s before the onset; ML "
               "image pushes (ECR PutImage); grype DB-check ERROR on every cold start for hours"}
    return sc
