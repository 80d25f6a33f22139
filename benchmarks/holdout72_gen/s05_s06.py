"""h72-05 (Gradle remote cache on ECS behind ALB) and h72-06 (preview env spin-up Lambda)."""
from __future__ import annotations

import json

from .common import Scenario, bump, ramp
from .kit import (LOG_START, alb_bundle, const, ecs_bundle, emit, lambda_bundle, lb_id,
                  task_id, thin)
from .runtimes import LambdaLogs, spring


# ============================================================================ 05
def s05() -> Scenario:
    sc = Scenario(5, "remote-cache-500s", "Gradle builds report 'Could not load entry from remote "
                  "build cache' and slow down; the cache ALB 5xx alarm is firing.",
                  "eu-west-2", 7205, "2026-03-16T10:30:00")
    CL, SV, OTHER = "build", "gradle-cache", "preview-router"
    LB = lb_id(sc, "remote-cache")
    REG, UPD = -2490, -2460
    NEW0, NEW1 = -2390, -2180   # new tasks come up over a rolling deployment
    PRUNE = -19800
    sc.resource("alb", LB, name="remote-cache", scheme="internal")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=2048, memory=4096,
                desired_count=4, task_definition=f"{SV}:58",
                image=f"{sc.account}.dkr.ecr.eu-west-2.amazonaws.com/{SV}:2.14.3")
    sc.resource("ecs", f"{CL}/{OTHER}", launch_type="FARGATE", cpu=512, memory=1024,
                desired_count=2, task_definition=f"{OTHER}:112")
    load = lambda t: 0.3 + 0.7 * ramp(t, -9000, -4800)  # noqa: E731
    frac = lambda t: ramp(t, NEW0, NEW1)  # noqa: E731  share of traffic on the new tasks
    req = lambda t: 950 * load(t)  # noqa: E731
    alb_bundle(sc, LB, req, lambda t: 0.6 + 0.93 * req(t) * frac(t), const(0.05),
               lambda t: 0.07 + 0.05 * load(t), lambda t: 4 + 4 * bump(t, NEW0, NEW1 - 60, 1, 60),
               t4xx=lambda t: req(t) * 0.22)
    ecs_bundle(sc, CL, SV, lambda t: 18 + 16 * load(t) + 55 * bump(t, PRUNE, PRUNE + 1500, 1),
               lambda t: 52 + 5 * load(t), lambda t: 4 + 4 * bump(t, NEW0, NEW1 - 60, 1, 60))
    ecs_bundle(sc, CL, OTHER, lambda t: 9 + 5 * load(t), const(38.0), const(2))
    sc.alarm("remote-cache-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 40, "GreaterThanThreshold",
             "Remote build cache returning 5xx")
    sc.alarm("gradle-cache-cpu", "AWS/ECS", "CPUUtilization",
             {"ClusterName": CL, "ServiceName": SV}, "Average", 300, 2, 70,
             "GreaterThanThreshold")

    app, grp = "gradle-cache", f"/ecs/{SV}"
    old = [task_id(sc) for _ in range(4)]
    new = [task_id(sc) for _ in range(4)]
    lg = "c.a.buildcache.web.CacheController"

    def stream_lines(tid, t0, t1, bucket, failing, share):
        st = f"{SV}/{SV}/{tid}"
        if t0 > LOG_START:
            for dt, lvl, thread, logger, msg in (
                    (0.0, "INFO", "main", "c.a.buildcache.GradleCacheApplication",
                     "Starting GradleCacheApplication v2.14.3 using Java 21.0.2 with PID 1"),
                    (3.1, "INFO", "main", "c.a.buildcache.store.S3CacheStore",
                     f"Cache backend: s3://{bucket} (region eu-west-2, from env CACHE_S3_BUCKET)"),
                    (6.9, "INFO", "main", "c.a.buildcache.GradleCacheApplication",
                     f"Started GradleCacheApplication in {sc.rng.uniform(6, 8):.3f} seconds "
                     "(process running for 7.9)")):
                sc.log(grp, st, t0 + dt, spring(sc, t0 + dt, lvl, thread, logger, msg, app))

        def line(t):
            key = sc.hexid(32)
            th = f"nio-8080-exec-{sc.rng.randint(1, 40)}"
            if failing:
                verb = sc.rng.choice(["GET", "GET", "PUT"])
                return spring(sc, t, "ERROR", th, lg, f"{verb} /cache/{key} failed: software."
                              "amazon.awssdk.services.s3.model.NoSuchBucketException: The "
                              "specified bucket does not exist (Service: S3, Status Code: 404, "
                              f"Request ID: {sc.hexid(16).upper()})", app)
            r = sc.rng.random()
            if r < 0.08:
                return spring(sc, t, "WARN", th, lg, f"Cache entry too large ({sc.rng.randint(51, 300)}"
                              f" MiB > 50 MiB), not storing {key}", app)
            if r < 0.12:
                return spring(sc, t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() threw exception: org.apache.catalina.connector."
                              "ClientAbortException: java.io.IOException: Broken pipe", app)
            return spring(sc, t, "INFO", th, lg, f"{sc.rng.choice(['GET', 'GET', 'PUT'])} /cache/"
                          f"{key} {sc.rng.choice([200, 200, 404])} {sc.rng.randint(2, 90)} ms", app)
        emit(sc, grp, st, lambda t: 3.0 * share(t) * load(t) if t0 <= t < t1 else 0.0, line)
        for h in range(int(max(t0, LOG_START)) + 300, int(min(t1, 0)), 600):
            sc.log(grp, st, h + 0.5, spring(
                sc, h + 0.5, "INFO", "scheduling-1", "c.a.buildcache.store.CacheStats",
                f"hits={sc.rng.randint(800, 4000)} misses={sc.rng.randint(200, 900)} "
                f"errors={sc.rng.randint(200, 900) if failing else sc.rng.randint(0, 3)} "
                f"backend=s3://{bucket}", app))
        if t0 <= PRUNE < t1 and tid == old[0]:
            sc.log(grp, st, PRUNE + 1490, spring(
                sc, PRUNE + 1490, "INFO", "scheduling-1", "c.a.buildcache.store.EvictionJob",
                "Nightly eviction finished: removed 1204331 entries older than 7d, "
                "freed 912.4 GiB in 1487 s", app))
    for i, tid in enumerate(old):
        stop = NEW0 + 60 + i * 60
        stream_lines(tid, -40000, stop, "gradle-remote-cache-euw2-prod", False, lambda t: 1.0)
    for i, tid in enumerate(new):
        stream_lines(tid, NEW0 - 60 + i * 50, 1, "gradle-remote-cache-euw2-prd", True,
                     lambda t: 1.0)
    ost = f"{OTHER}/{OTHER}/{task_id(sc)}"
    emit(sc, f"/ecs/{OTHER}", ost, lambda t: 1.2, lambda t: (
        f'{{"ts":"{sc.iso(t)}","level":"info","msg":"routed","host":"pr-{sc.rng.randint(4000, 4999)}'
        f'.preview.internal","upstream_ms":{sc.rng.randint(3, 80)}}}'))
    sc.change(PRUNE - 600, "ecs.amazonaws.com", "RunTask", "AWS::ECS::Task", f"{CL}/{SV}-evict",
              "events.amazonaws.com")
    sc.change(REG, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{SV}:58", "terraform-platform")
    sc.change(UPD, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SV}",
              "terraform-platform")
    sc.change(-2330, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              f"{OTHER}:112", "ci-deployer")
    sc.change(-2300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{OTHER}",
              "ci-deployer")
    sc.expect = {"alarm": "remote-cache-target-5xx",
                 "root_cause": {"category": "config_change", "resource": [f"{CL}/{SV}", SV]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]}
    sc.meta = {"front": "front (ALB -> ECS)", "decoys": "preview-router image deploy in the "
               "same cluster 2.5 min later, right at the onset; nightly eviction CPU bump; "
               "steady ClientAbortException and entry-too-large noise"}
    return sc


# ============================================================================ 06
def s06() -> Scenario:
    sc = Scenario(6, "preview-env-failures", "Preview environments are not being created for new "
                  "merge requests; spin-up Lambda errors alarm.", "ap-northeast-1", 7206,
                  "2026-03-09T03:40:00")
    FN, TD, ROLE = "env-spinup", "env-teardown", "env-spinup-exec"
    IAM, DECOY = -3300, -3270
    sc.resource("lambda", FN, runtime="ruby3.3", timeout=60, memory_size=512,
                role=f"arn:aws:iam::{sc.account}:role/{ROLE}", trigger="eventbridge:mr-events")
    sc.resource("lambda", TD, runtime="ruby3.3", timeout=300, memory_size=512)
    load = lambda t: 2 + 7 * ramp(t, -15000, -11000)  # noqa: E731  JST morning
    inv, err = lambda_bundle(sc, FN, load, const(0.0), lambda t: 4200.0 if t < IAM else 900.0,
                             p_err=lambda t: 1.0 if t >= IAM + 25 else 0.0)
    lambda_bundle(sc, TD, lambda t: 1.0, const(0.0),
                  lambda t: 30000 + 210000 * bump(t, -1500, -300, 1, 200))
    arn = f"arn:aws:sts::{sc.account}:assumed-role/{ROLE}/{FN}"
    ll = LambdaLogs(sc, FN, "ruby3.3", 512, 60, prewarm=LOG_START + 600, retire=(-9600,))

    def body(ll, t, rid, is_err, cold):
        mr = sc.rng.randint(18000, 19999)
        proj = sc.rng.choice(["web/storefront", "web/admin", "mobile/bff", "data/portal"])
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"spinning up preview for {proj}!{mr}"))]
        if sc.rng.random() < 0.05:
            lines.append((0.4, ll.fmt(t, rid, "WARN", "Aws::ECS::Errors::ThrottlingException: "
                                      "Rate exceeded (retry 1/3 in 0.4s)")))
        if is_err:
            msg = (f"User: {arn} is not authorized to perform: iam:PassRole on resource: "
                   f"arn:aws:iam::{sc.account}:role/preview-task-role because no identity-based "
                   "policy allows the iam:PassRole action")
            lines.append((0.6, ll.fmt(t, rid, "ERROR", "Error raised from handler method")))
            lines.append((0.601, json.dumps({
                "errorMessage": msg, "errorType": "Function<Aws::ECS::Errors::AccessDeniedException>",
                "stackTrace": ["/var/runtime/gems/aws-sdk-core-3.191.0/lib/seahorse/client/plugins/"
                               "raise_response_errors.rb:17:in `call'",
                               "/var/task/lib/preview/launcher.rb:44:in `run_task'",
                               "/var/task/handler.rb:19:in `handle'"]}, separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(600, 1200)}
        lines.append((1.2, ll.fmt(t, rid, "INFO", f"RunTask ok task=arn:aws:ecs:ap-northeast-1:"
                                  f"{sc.account}:task/previews/{sc.hexid(32)}")))
        if sc.rng.random() < 0.1:
            lines.append((3.4, ll.fmt(t, rid, "ERROR", f"smoke test failed for {proj}!{mr}: "
                                      "cypress: Timed out retrying after 4000ms (marked flaky, "
                                      "environment kept)")))
        lines.append((3.6, ll.fmt(t, rid, "INFO", f"preview ready https://mr-{mr}.preview."
                                  "dev.internal")))
        return {"lines": lines, "dur": sc.rng.uniform(3700, 4800)}
    ll.run(*thin(sc, inv, err, 1), body)
    tl = LambdaLogs(sc, TD, "ruby3.3", 512, 300, prewarm=LOG_START + 600,
                    epochs=((-10 ** 9, "$LATEST"),), retire=(DECOY,))

    def tbody(ll, t, rid, is_err, cold):
        n = sc.rng.randint(0, 4) if not (-1500 <= t <= -300) else sc.rng.randint(40, 70)
        return {"lines": [(0.01, ll.fmt(t, rid, "INFO", f"teardown sweep: {n} stale previews "
                                        "(merged/closed > 2h)")),
                          (0.5, ll.fmt(t, rid, "INFO", f"stopped {n} tasks, deleted {n} target "
                                       "groups"))],
                "dur": 30000 + (210000 if n > 20 else 0) * sc.rng.uniform(0.8, 1.0)}
    tinv = {m: 1 for m in range(LOG_START, 0, 60)}
    tl.run(tinv, {}, tbody)
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 2,
             "GreaterThanThreshold", "Preview environment creation failing")
    sc.alarm(f"{TD}-duration-p100", "AWS/Lambda", "Duration", {"FunctionName": TD}, "Maximum",
             300, 1, 120000, "GreaterThanThreshold", "Teardown sweep running long")
    sc.change(-9600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", FN, "ci-deployer")
    sc.change(IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", ROLE, "tf-iam-pipeline")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", TD, "ci-deployer")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "permission_denied", "resource": [FN, ROLE]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "origin", "decoys": "env-teardown deploy 30 s after the IAM change and "
               "its benign Duration alarm; env-spinup's own deploy 1.7 h earlier; steady "
               "ECS ThrottlingException retries and flaky smoke-test ERROR lines"}
    return sc
