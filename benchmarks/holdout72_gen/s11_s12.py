"""h72-11 (npm mirror behind ALB at 09:00 JST Monday) and h72-12 (release-notes Lambda)."""
from __future__ import annotations

import json

from .common import Scenario, bump, ramp
from .kit import (LOG_START, alb_bundle, const, ecs_bundle, emit, lambda_bundle, lb_id, task_id,
                  thin)
from .runtimes import LambdaLogs


# ============================================================================ 11
def s11() -> Scenario:
    sc = Scenario(11, "npm-mirror-latency", "npm ci in pipelines is crawling and some installs "
                  "fail with 503/504 from the internal npm mirror.", "ap-northeast-1", 7211,
                  "2026-03-16T00:25:00")
    CL, SV = "registry", "npm-mirror"
    LB = lb_id(sc, "npm-mirror")
    SURGE, PRUNE, LIST = -1500, -21000, -1620
    scale = [(-10 ** 9, 6), (-1380, 10), (-780, 14)]
    tasks = lambda t: [n for s, n in scale if t >= s][-1]  # noqa: E731
    sc.resource("alb", LB, name="npm-mirror", scheme="internal")
    sc.resource("ecs", f"{CL}/{SV}", launch_type="FARGATE", cpu=1024, memory=2048,
                desired_count=14, min_capacity=6, max_capacity=20, image="verdaccio:5.29.2")
    sc.resource("alb", lb_id(sc, "docs-portal"), name="docs-portal")
    morning = lambda t: 480 + 420 * ramp(t, -4500, -1800)  # noqa: E731
    surge = lambda t: 5600 * ramp(t, SURGE, SURGE + 240)  # noqa: E731
    req = lambda t: morning(t) + surge(t)  # noqa: E731
    press = lambda t: max(0.0, req(t) / (tasks(t) * 260) - 1.0)  # noqa: E731  overload factor
    alb_bundle(sc, LB, req, lambda t: 0.3 + 0.004 * req(t) * min(1, press(t)),
               lambda t: 0.028 * req(t) * min(1.0, press(t)),
               lambda t: 0.045 + 1.6 * min(1.3, press(t)), tasks, t4xx=lambda t: 0.015 * req(t))
    ecs_bundle(sc, CL, SV, lambda t: min(86, 14 + 100 * req(t) / (tasks(t) * 420))
               + 30 * bump(t, PRUNE, PRUNE + 900, 1), const(47.0), tasks)
    grp = f"/ecs/{SV}"
    starts = []
    for s, n in scale:
        while len(starts) < n:
            starts.append(max(s, LOG_START))

    def vline(t):
        pkg = sc.rng.choice(["react", "@types/node", "typescript", "eslint", "@acme/ui-kit",
                             "lodash", "@babel/core", "webpack", "@acme/eslint-config", "vitest"])
        renov = t >= SURGE and sc.rng.random() < surge(t) / req(t)
        user = "renovate-bot" if renov else sc.rng.choice(["ci-bot", "ci-bot", "dev-laptop"])
        ip = sc.ip("10.30")
        if sc.rng.random() < 0.02:
            return (f" http <-- 404, user: {user}({ip}), req: 'GET /@acme%2finternal-"
                    f"{sc.rng.choice(['auth', 'flags', 'tracing'])}', error: no such package "
                    "available")
        if press(t) > 0.2 and sc.rng.random() < 0.03:
            return (f" http <-- 503, user: {user}({ip}), req: 'GET /{pkg}', error: "
                    "ESOCKETTIMEDOUT: uplink registry.npmjs.org queue full, request aborted")
        return (f" http <-- 200, user: {user}({ip}), req: 'GET /{pkg}', bytes: 0/"
                f"{sc.rng.randint(2000, 900000)}")
    for i, s in enumerate(starts):
        st = f"{SV}/{SV}/{task_id(sc)}"
        if s > LOG_START:
            sc.log(grp, st, s + 3.0, " info --- config file  - /verdaccio/conf/config.yaml")
            sc.log(grp, st, s + 3.4, " info --- http address - http://0.0.0.0:4873/ - "
                   "verdaccio/5.29.2")
        emit(sc, grp, st, lambda t: 1.8 * req(t) / 900 * 6 / tasks(t), vline, start=s + 60)
    sc.log(grp, st, -10.0, " warn --- uplink npmjs: max concurrent requests (50) reached")
    sc.log(grp, st, PRUNE + 880.0, " info --- storage cleanup: removed 14211 tarballs older than 90d "
               "from /verdaccio/storage (freed 38.4 GB)")
    sc.alarm("npm-mirror-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": LB}, "Average", 60, 3, 1.0, "GreaterThanThreshold",
             "npm mirror slow responses")
    sc.alarm("npm-mirror-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
             {"LoadBalancer": LB}, "Sum", 60, 3, 50, "GreaterThanThreshold")
    sc.change(LIST, "elasticloadbalancing.amazonaws.com", "ModifyListener",
              "AWS::ElasticLoadBalancingV2::Listener", "docs-portal", "terraform-platform")
    for s, n in scale[1:]:
        sc.change(s - 60, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
                  f"{CL}/{SV}", "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.expect = {"alarm": "npm-mirror-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [f"{CL}/{SV}", SV, LB]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount",
                                "dimensions": {"LoadBalancer": LB}}]}
    sc.meta = {"front": "origin (ALB/ECS)", "decoys": "listener change on another ALB 2 min "
               "before the surge; autoscaling scale-outs after it; second ELB 5xx alarm; "
               "uplink 404s for internal packages all night; nightly storage cleanup"}
    return sc


# ============================================================================ 12
def s12() -> Scenario:
    sc = Scenario(12, "release-notes-errors", "Release pages are missing notes for new tags; "
                  "release-notes Lambda errors alarm.", "eu-west-2", 7212, "2026-03-16T13:20:00")
    FN, OTHER = "release-notes", "artifact-retention"
    ON, DEP, DECOY = -2000, -18000, -2100
    sc.resource("lambda", FN, runtime="dotnet8", timeout=60, memory_size=1024,
                trigger="eventbridge:tag-push")
    sc.resource("lambda", OTHER, runtime="dotnet8", timeout=900, memory_size=512)
    base = lambda t: 3 + 3 * ramp(t, -12000, -7200)  # noqa: E731
    mono = lambda t: 0.45 if t >= ON else 0.0  # noqa: E731
    inv, err = lambda_bundle(sc, FN, base, const(0.0), lambda t: 2300.0 if t < ON else 1700.0,
                             p_err=mono)
    lambda_bundle(sc, OTHER, lambda t: 1.0 if t % 1800 == 0 else 0.0, const(0.0),
                  const(310000.0))
    ll = LambdaLogs(sc, FN, "dotnet8", 1024, 60, prewarm=LOG_START + 600)
    repos = ["web/storefront", "platform/runner-images", "data/etl-jobs", "mobile/app-ios",
             "platform/pkg-gateway"]

    def body(ll, t, rid, is_err, cold):
        lines = []
        if is_err:
            tag = f"mono/v2026.03.16-rc.{sc.rng.randint(1, 9)}"
            repo = "platform/monorepo"
        else:
            repo = sc.rng.choice(repos)
            tag = f"v{sc.rng.randint(1, 6)}.{sc.rng.randint(0, 30)}.{sc.rng.randint(0, 12)}"
        lines.append((0.01, ll.fmt(t, rid, "INFO", f"Building release notes for {repo}@{tag}")))
        if sc.rng.random() < 0.07:
            lines.append((0.3, ll.fmt(t, rid, "WARN", f"GitHub API 404 for compare {tag}^..{tag} "
                                      "(branch deleted), skipping PR links")))
        if sc.rng.random() < 0.03:
            lines.append((0.35, ll.fmt(t, rid, "ERROR", "Octokit.SecondaryRateLimitExceededException"
                                       ": You have exceeded a secondary rate limit. Retrying in "
                                       "60s (attempt 1/3)")))
        if is_err:
            stack = ["   at System.Linq.ThrowHelper.ThrowNoElementsException()",
                     "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source, "
                     "Func`2 predicate)",
                     "   at ReleaseNotes.Changelog.TagParser.PreviousRelease(String tag, "
                     "IReadOnlyList`1 tags) in /src/ReleaseNotes/Changelog/TagParser.cs:line 58",
                     "   at ReleaseNotes.Function.FunctionHandler(TagEvent input, ILambdaContext "
                     "context) in /src/ReleaseNotes/Function.cs:line 41"]
            lines.append((0.4, ll.fmt(t, rid, "ERROR", "System.InvalidOperationException: "
                                      "Sequence contains no elements\n" + "\n".join(stack))))
            lines.append((0.41, json.dumps({"errorType": "InvalidOperationException",
                                            "errorMessage": "Sequence contains no elements",
                                            "stackTrace": [s.strip() for s in stack]},
                                           separators=(",", ":"))))
            return {"lines": lines, "dur": sc.rng.uniform(300, 700), "status": "error",
                    "error_type": "InvalidOperationException"}
        lines.append((1.6, ll.fmt(t, rid, "INFO", f"Published notes for {repo}@{tag} "
                                  f"({sc.rng.randint(2, 60)} changes)")))
        return {"lines": lines, "dur": sc.rng.uniform(1400, 3200)}
    ll.run(*thin(sc, inv, err, 1), body)
    ol = LambdaLogs(sc, OTHER, "dotnet8", 512, 900, prewarm=LOG_START + 600, retire=(DECOY,))

    def obody(ll, t, rid, is_err, cold):
        return {"lines": [(0.1, ll.fmt(t, rid, "INFO", f"retention: expired {sc.rng.randint(200, 3000)}"
                                       " artifacts older than 30d (kept tagged)"))],
                "dur": sc.rng.uniform(280000, 330000)}
    ol.run({m: 1 for m in range(LOG_START, 0, 1800)}, {}, obody)
    sc.alarm(f"{FN}-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 2, 3,
             "GreaterThanOrEqualToThreshold", "Release notes generation failing")
    sc.change(DEP - 20, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", FN, "ci-deployer")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", OTHER, "terraform-platform")
    sc.expect = {"alarm": f"{FN}-errors",
                 "root_cause": {"category": "application_error", "resource": [FN]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": FN}}]}
    sc.meta = {"front": "origin", "decoys": "configuration update of artifact-retention 100 s "
               "before the onset; the function's own deploy 5 h earlier (clean for 4.5 h); "
               "steady Octokit secondary-rate-limit ERROR lines and 404 warnings"}
    return sc
