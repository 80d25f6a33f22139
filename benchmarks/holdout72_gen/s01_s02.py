"""h72-01 (EC2 runner root volume) and h72-02 (webhook intake behind API Gateway)."""
from __future__ import annotations

import json

from .common import Scenario, ramp
from .kit import (LOG_START, apigw_bundle, const, ec2_bundle, emit, instance_id,
                  lambda_bundle, thin)
from .runtimes import LambdaLogs


# ============================================================================ 01
def s01() -> Scenario:
    sc = Scenario(1, "runner-system-failures", "Pipelines on the shared Docker runners are failing "
                  "with 'runner system failure'; the root volume alarm on one runner paged on-call.",
                  "us-east-2", 7201, "2026-03-09T14:20:00")
    a, b, c = instance_id(sc), instance_id(sc), instance_id(sc)
    STORM, ON, FULL, NEW = -7800, -2400, -1560, -2460
    for iid, nm, extra in ((a, "ci-runner-07", {}), (b, "ci-runner-11", {}),
                           (c, "ci-runner-14", {"launched_by": "ci-docker-runners"})):
        sc.resource("ec2", iid, name=nm, instance_type="c6i.2xlarge", root_volume_gb=200,
                    executor="docker", concurrent_jobs=8, asg="ci-docker-runners",
                    log_groups=["/ci/runner/agent", "/ci/runner/dockerd"], **extra)
    sc.resource("lambda", "runner-cache-prune", runtime="python3.12", timeout=300,
                memory_size=512)
    load = lambda t: 0.15 + 0.85 * ramp(t, STORM, STORM + 2400)  # noqa: E731

    def disk_a(t):
        base = 57.0 + (t + 21600) / 3600 * 0.35
        if t < STORM:
            return base
        x = min(1.0, (t - STORM) / (FULL - STORM))
        return min(100.0, base + (100.0 - base) * x ** 1.7)

    ec2_bundle(sc, a, lambda t: (9 + 62 * load(t)) * (0.25 if t >= FULL else 1.0),
               lambda t: 2.5e8 * (0.2 + load(t)) * (0.1 if t >= FULL else 1.0),
               lambda t: 34 + 30 * load(t) * (0.4 if t >= FULL else 1.0), disk_a)
    ec2_bundle(sc, b, lambda t: 10 + 79 * load(t), lambda t: 2.6e8 * (0.2 + load(t)),
               lambda t: 35 + 31 * load(t),
               lambda t: 44 + 9 * ((t + 21600) % 3600) / 3600 + 6 * load(t))
    grid_c = [t for t in range(NEW + 120, 0, 60)]
    dc = {"InstanceId": c}
    sc.metric("AWS/EC2", "CPUUtilization", dc, "Percent",
              sc.series(lambda t: 58.0, noise=0.1, times=grid_c), times=grid_c)
    sc.metric("CWAgent", "disk_used_percent", {"InstanceId": c, "path": "/", "fstype": "xfs"},
              "Percent", sc.series(lambda t: 9 + (t - NEW) / 600, noise=0.0, abs_noise=0.05,
                                   times=grid_c), times=grid_c)
    inv, err = lambda_bundle(sc, "runner-cache-prune", lambda t: 1.0 if t % 600 == 0 else 0.0,
                             lambda t: 1.0 if t % 600 == 0 else 0.0, lambda t: 41000.0)
    ll = LambdaLogs(sc, "runner-cache-prune", "python3.12", 512, 300, prewarm=LOG_START + 700)

    def prune_body(ll, t, rid, is_err, cold):
        n = sc.rng.randint(300, 2200)
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Pruning s3://ci-build-cache-use2/ entries older "
                                               f"than 14d (candidates={n})"))]
        if is_err:
            k = sc.rng.randint(2, 5)
            lines.append((39.0, f"[ERROR] PruneError: {k} objects under legal hold could not be "
                                f"deleted (AccessDenied on DeleteObject for retention-locked keys)\n"
                                f"Traceback (most recent call last):\n  File \"/var/task/prune.py\", "
                                f"line 118, in handler\n    raise PruneError(...)"))
        return {"lines": lines, "dur": sc.rng.uniform(38000, 44000)}
    ll.run({m: v for m, v in inv.items() if m >= LOG_START}, err, prune_body)

    # ---- runner agent logs (logfmt, gitlab-runner style)
    def agent(iid, name, failing):
        tok = sc.hexid(8)

        def line(t):
            job = sc.rng.randint(48_200_000, 48_900_000)
            proj = sc.rng.choice([1182, 1190, 2211, 3407, 3410, 5120, 611])
            ts = sc.iso(t, 0)
            if failing and t >= FULL - 240 and sc.rng.random() < min(0.92, (t - FULL + 300) / 400):
                what = sc.rng.choice([
                    "prepare environment: Error response from daemon: write /var/lib/docker/tmp/"
                    f"GetImageBlob{sc.rng.randint(10**8, 10**9)}: no space left on device",
                    "failed to create container: mkdir /var/lib/docker/overlay2/"
                    f"{sc.hexid(64)}-init: no space left on device",
                    "writing artifacts: write /builds/.tmp/artifacts.zip: no space left on device"])
                return (f'time="{ts}" level=error msg="Job failed (system failure): {what}" '
                        f"job={job} project={proj} runner={tok} failure_reason=runner_system_failure")
            r = sc.rng.random()
            if r < 0.2:
                test = sc.rng.choice(["TestLeaseRenewal/concurrent", "spec/features/merge_spec.rb:88",
                                      "test_upload_resume", "e2e/login.cy.ts"])
                return (f'time="{ts}" level=warning msg="Job failed: exit code 1" job={job} '
                        f"project={proj} runner={tok} failure_reason=script_failure "
                        f'last_failed_test="{test}"')
            if r < 0.55:
                return (f'time="{ts}" level=info msg="Checking for jobs... received" job={job} '
                        f"repo_url=https://git.internal.example/p{proj}.git runner={tok}")
            return (f'time="{ts}" level=info msg="Job succeeded" duration_s='
                    f"{sc.rng.uniform(60, 900):.1f} job={job} project={proj} runner={tok}")
        emit(sc, "/ci/runner/agent", iid, lambda t: 0.6 + 3.2 * load(t), line)
        for h in range(-21600 + 300, 0, 3600):
            if h < LOG_START:
                continue
            freed = (f"{sc.rng.uniform(0.1, 0.4):.2f}GB" if failing
                     else f"{sc.rng.uniform(18, 42):.1f}GB")
            sc.log("/ci/runner/agent", iid, h + sc.rng.uniform(0, 5),
                   f'time="{sc.iso(h, 0)}" level=info msg="docker-gc finished" '
                   f"images_removed={sc.rng.randint(0, 4) if failing else sc.rng.randint(20, 70)} "
                   f"reclaimed={freed} runner={tok}")
    agent(a, "ci-runner-07", True)
    agent(b, "ci-runner-11", False)
    emit(sc, "/ci/runner/dockerd", a, lambda t: 2.0 if t >= FULL - 200 else 0.0,
         lambda t: (f'time="{sc.iso(t, 9)}" level=error msg="Handler for POST /v1.43/images/'
                    f'create returned error: write /var/lib/docker/tmp/GetImageBlob'
                    f'{sc.rng.randint(10**8, 10**9)}: no space left on device"'))
    emit(sc, "/ci/runner/dockerd", a, lambda t: 0.5,
         lambda t: f'time="{sc.iso(t, 9)}" level=info msg="ignoring event" '
                   f'module=libcontainerd namespace=moby topic=/tasks/delete '
                   f'type="*events.TaskDelete"')

    sc.alarm("ci-runner-07-root-disk", "CWAgent", "disk_used_percent",
             {"InstanceId": a, "path": "/", "fstype": "xfs"}, "Maximum", 300, 2, 90,
             "GreaterThanThreshold", "Root volume usage on ci-runner-07")
    sc.alarm("ci-runner-11-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average",
             300, 3, 80, "GreaterThanThreshold", "Runner CPU above 80% (capacity signal)")
    sc.change(-16200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "runner-cache-prune", "ci-deployer")
    sc.change(NEW - 40, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup",
              "AWS::AutoScaling::AutoScalingGroup", "ci-docker-runners", "runner-fleet-scaler")
    sc.change(NEW, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", c, "AutoScaling")
    sc.expect = {"alarm": "ci-runner-07-root-disk",
                 "root_cause": {"category": "storage_exhaustion", "resource": [a, "ci-runner-07"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent",
                                "dimensions": {"InstanceId": a, "path": "/", "fstype": "xfs"}}]}
    sc.meta = {"front": "origin", "decoys": "ASG scale-out + new runner 6 min before the disk alarm; "
               "benign CPU alarm on ci-runner-11; flaky script_failure jobs; cache-prune Lambda "
               "erroring every 10 min for hours"}
    return sc


# ============================================================================ 02
def s02() -> Scenario:
    sc = Scenario(2, "scm-webhook-502s", "Source-host webhooks are being answered with 502; "
                  "merge-request pipelines are not starting.", "eu-west-2", 7202,
                  "2026-03-16T09:45:00")
    API, FN, OTHER = "scm-events", "hook-intake", "preview-reaper"
    DEP, STAGE = -2700, -2520
    sc.resource("apigateway", API, stage="prod", integration="lambda-proxy:hook-intake")
    sc.resource("lambda", FN, runtime="nodejs20.x", timeout=15, memory_size=512, alias="live")
    sc.resource("lambda", OTHER, runtime="nodejs20.x", timeout=120, memory_size=256)
    wave = lambda t: 6 + 22 * ramp(t, -9000, -3600)  # noqa: E731  Monday morning in London
    frac = lambda t: 0.36 if t >= DEP + 8 else 0.0  # noqa: E731  push events from forks
    inv, err = lambda_bundle(sc, FN, wave, const(0.02), lambda t: 180.0 if t < DEP else 150.0,
                             p_err=frac)
    apigw_bundle(sc, API, inv, lambda t: 0.3, err,
                 lambda t: 230.0 if t < DEP else 200.0)
    lambda_bundle(sc, OTHER, lambda t: 1.0 if t % 900 == 0 else 0.0, const(0.0), const(52000.0))
    ll = LambdaLogs(sc, FN, "nodejs20.x", 512, 15, epochs=((-10 ** 9, "36"), (DEP + 8, "37")),
                    prewarm=LOG_START + 600)

    def body(ll, t, rid, is_err, cold):
        ev = "push" if is_err else sc.rng.choice(["push", "push", "merge_request", "note",
                                                   "pipeline", "tag_push"])
        dl = sc.uuid()
        repo = sc.rng.choice(["web/storefront", "platform/runner-images", "data/etl-jobs",
                              "mobile/app-ios", "platform/infra-live", "web/design-system"])
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"received delivery={dl} event={ev} repo={repo}"))]
        if sc.rng.random() < 0.06:
            lines.append((0.09, ll.fmt(t, rid, "ERROR", f"commit status update failed for {repo}: "
                                       "HttpError: 403 Resource not accessible by integration "
                                       "(status already reported by mirror)")))
        if is_err:
            msg = "Cannot read properties of undefined (reading 'full_name')"
            err = {"errorType": "TypeError", "errorMessage": msg, "stack": [
                f"TypeError: {msg}", "    at normalizePush (/var/task/dist/handlers/push.js:41:37)",
                "    at route (/var/task/dist/router.js:22:16)",
                "    at Runtime.handler (/var/task/dist/index.js:14:12)"]}
            js = json.dumps(err, separators=(",", ":"))
            lines.append((0.03, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + js)))
            return {"lines": lines, "dur": sc.rng.uniform(20, 60)}
        lines.append((0.12, ll.fmt(t, rid, "INFO", f"enqueued pipeline trigger delivery={dl}")))
        return {"lines": lines, "dur": sc.rng.uniform(90, 260)}
    ll.run(*thin(sc, inv, err, 3), body)

    gw = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/prod"
    gws = [sc.hexid(32) for _ in range(3)]
    for m, n in inv.items():
        if m < LOG_START:
            continue
        for k in range(int(err.get(m, 0)) // 2 + (1 if sc.rng.random() < 0.5 else 0)):
            t, rq, st = m + sc.rng.uniform(0, 59), sc.uuid(), sc.rng.choice(gws)
            bad = k < int(err.get(m, 0)) // 2
            if bad:
                sc.log(gw, st, t, f"({rq}) Lambda execution failed with status 200 due to "
                       "customer function error: Cannot read properties of undefined (reading "
                       f"'full_name'). Lambda request id: {sc.uuid()}")
                sc.log(gw, st, t + 0.002, f"({rq}) Method completed with status: 502")
            else:
                sc.log(gw, st, t, f"({rq}) Method completed with status: 202")

    sc.alarm("scm-events-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": API}, "Sum", 60, 3, 3,
             "GreaterThanThreshold", "Webhook endpoint returning 5xx to the source host")
    sc.alarm("hook-intake-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1,
             10, "GreaterThanThreshold")
    sc.change(-11400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", OTHER, "ci-deployer")
    sc.change(DEP - 30, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", FN, "ci-deployer")
    sc.change(DEP - 10, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              FN, "ci-deployer")
    sc.change(DEP, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", FN,
              "ci-deployer")
    sc.change(STAGE, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              API, "terraform-platform")
    sc.expect = {"alarm": "scm-events-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": "UpdateStage on the alarming API 3 min "
               "after the deploy; 403 'Resource not accessible by integration' errors at a "
               "steady rate for hours; unrelated preview-reaper deploy"}
    return sc
