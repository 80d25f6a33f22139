"""h97-01 (tarball origin on ECS, Go) and h97-02 (CI webhook intake Lambda, Node)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import zap

from .base import (LambdaLogs, alb_metrics, apigw_metrics, diurnal, ecs_metrics, emit,
                   lam_metrics, lambda_run, meta, new, ramp, step)

PKGS = ["left-pad-ng", "fastq", "yaml-lite", "chalkish", "tiny-router", "node-fetchy",
        "semver-tools", "ms-parse", "deep-merge2", "uuid-mini"]
SCOPED = ["@vendo/cli", "@acme-ui/button", "@kiln/core", "@graphy/schema", "@tslab/utils"]


def build_01():
    sc = new(1, "tarball-downloads-5xx", "Package downloads: the CDN reports origin 5xx for a "
             "share of tarball fetches; the origin load balancer's 5xx alarm paged.",
             "eu-west-1", "2026-03-10T14:25:00")
    rng = sc.rng
    lb = "app/dl-edge-origin/7c1e2a90b34f5d18"
    sc.resource("alb", lb, name="dl-edge-origin", scheme="internet-facing",
                target_group="tg-tarball-origin")
    sc.resource("ecs", "pkgreg-prod/tarball-origin", launch_type="FARGATE", desired_count=6,
                task_definition="tarball-origin:215", cpu=1024, memory=2048, runtime="go1.22")
    sc.resource("ecs", "pkgreg-prod/search-api", launch_type="FARGATE", desired_count=3,
                task_definition="search-api:88", runtime="go1.22")
    sc.resource("lambda", "readme-html", runtime="nodejs20.x", timeout=30, memory_size=512)
    deploy, onset, full = -2520, -2440, -2250
    frac = lambda t: 0.055 * ramp(t, onset, full)
    req = lambda t: 2200 * diurnal(sc, t, 15.5, 0.3)
    alb_metrics(sc, lb, req, lambda t: 0.3 + frac(t) * req(t), lambda t: 0.043 + 0.004 * frac(t) / 0.055,
                lambda t: 6.0 + (1.0 if onset - 60 <= t < full else 0.0))
    ecs_metrics(sc, "pkgreg-prod", "tarball-origin", lambda t: 36 * diurnal(sc, t, 15.5, 0.3),
                lambda t: step(t, onset, 31, 34, 200),
                running=lambda t: 6.0 + (2.0 if onset - 60 <= t < full else 0.0))
    ecs_metrics(sc, "pkgreg-prod", "search-api", lambda t: 22 + 30 * (-9000 <= t < -8400),
                lambda t: 48.0, running=lambda t: 3.0)
    lam_metrics(sc, "readme-html", lambda t: 40 * diurnal(sc, t), lambda t: 0.2,
                lambda t: 310.0)
    grp = "/ecs/pkgreg-prod/tarball-origin"
    olds = [f"ecs/origin/{sc.hexid(32)}" for _ in range(6)]
    news = [f"ecs/origin/{sc.hexid(32)}" for _ in range(6)]
    cut = [onset - 20 + 36 * i for i in range(6)]

    def served(ts, new_task):
        if rng.random() < 0.3:
            p = rng.choice(SCOPED)
            name = p.split("/")[1]
        else:
            p = name = rng.choice(PKGS)
        ver = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 12)}"
        path = f"/{p}/-/{name}-{ver}.tgz"
        if new_task and p.startswith("@") and rng.random() < 0.75:
            return zap(sc, ts, "error", "panic recovered", "middleware/recover.go:31",
                       method="GET", path=path, status=500,
                       error="runtime error: invalid memory address or nil pointer dereference",
                       stacktrace="github.com/pkgreg/origin/internal/middleware.Recover.func1.1\n\t"
                       "/src/internal/middleware/recover.go:29\nruntime.gopanic\n\t/usr/local/go/"
                       "src/runtime/panic.go:770\ngithub.com/pkgreg/origin/internal/resolve.(*Resolv"
                       "er).scopeManifest\n\t/src/internal/resolve/scoped.go:88\ngithub.com/pkgreg/"
                       "origin/internal/resolve.(*Resolver).Tarball\n\t/src/internal/resolve/resolve"
                       ".go:142\ngithub.com/pkgreg/origin/internal/httpapi.(*Server).getTarball\n\t"
                       "/src/internal/httpapi/tarball.go:57")
        return zap(sc, ts, "info", "served tarball", "httpapi/tarball.go:74", path=path,
                   status=200, bytes=rng.randint(4_000, 2_400_000),
                   cache=rng.choice(["hit", "hit", "miss"]),
                   dur_ms=round(rng.uniform(8, 70), 1))

    def missing(ts):
        k = f"tarballs/{rng.choice(PKGS)}/{sc.hexid(16)}.tgz"
        return zap(sc, ts, "error", "blob fetch failed", "store/s3.go:118", bucket="pkgreg-blobs-euw1",
                   key=k, error="NoSuchKey: The specified key does not exist.\n\tstatus code: 404",
                   status=404)

    for i in range(6):
        emit(sc, grp, olds[i], lambda t: 2.2, lambda ts: served(ts, False), end=cut[i])
        emit(sc, grp, olds[i], lambda t: 0.45, missing, end=cut[i])
        sc.log(grp, olds[i], cut[i] + 25, zap(sc, cut[i] + 25, "info", "received SIGTERM, draining",
                                              "cmd/origin/main.go:96", grace="30s"))
        st = cut[i] - 45
        sc.log(grp, news[i], st, zap(sc, st, "info", "starting tarball-origin", "cmd/origin/main.go:41",
                                     version="2.41.0", commit="9f3c2e1", go="go1.22.5"))
        sc.log(grp, news[i], st + 1.2, zap(sc, st + 1.2, "info", "listening", "cmd/origin/main.go:77",
                                           addr=":8080"))
        emit(sc, grp, news[i], lambda t: 2.2, lambda ts: served(ts, True), start=cut[i])
        emit(sc, grp, news[i], lambda t: 0.45, missing, start=cut[i])
    sgrp = "/ecs/pkgreg-prod/search-api"
    for j in range(2):
        s_old, s_new = f"ecs/api/{sc.hexid(32)}", f"ecs/api/{sc.hexid(32)}"
        q = lambda ts: zap(sc, ts, "info", "search", "api/search.go:52", q=rng.choice(PKGS)[:4],
                           hits=rng.randint(0, 80), dur_ms=round(rng.uniform(3, 40), 1))
        emit(sc, sgrp, s_old, lambda t: 1.5, q, end=-2330 + j * 30)
        sc.log(sgrp, s_new, -2350 + j * 30, zap(sc, -2350 + j * 30, "info", "starting search-api",
                                                 "cmd/search/main.go:33", version="1.19.2"))
        emit(sc, sgrp, s_new, lambda t: 1.5, q, start=-2330 + j * 30)
    sc.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "tarball-origin:215", "github-actions-deploy")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pkgreg-prod/tarball-origin", "github-actions-deploy")
    sc.change(-2450, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "readme-html", "m.lindqvist")
    sc.change(-2395, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "search-api:88", "github-actions-deploy")
    sc.change(-2380, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pkgreg-prod/search-api", "github-actions-deploy")
    sc.change(-15400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              "pkgreg-prod/search-api", "github-actions-deploy")
    sc.alarm("dl-edge-origin-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 40, "GreaterThanThreshold",
             "Origin targets returning 5xx to the CDN")
    sc.alarm("search-api-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "pkgreg-prod", "ServiceName": "search-api"}, "Average", 300, 2, 70,
             "GreaterThanThreshold")
    sc.alarm("readme-html-errors", "AWS/Lambda", "Errors", {"FunctionName": "readme-html"}, "Sum",
             300, 1, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "dl-edge-origin-target-5xx",
                 "root_cause": {"category": "bad_deployment",
                                "resource": ["pkgreg-prod/tarball-origin", "tarball-origin"]}}
    meta(sc, front="front (ALB; origin is the ECS service behind it)",
         decoys="search-api deploy and readme-html config update both closer to onset; "
         "NoSuchKey blob errors at a steady rate for 6 h; search-api CPU blip",
         services="ALB, ECS", runtime="Go", logfmt="zap JSON",
         story="tarball-origin task definition 215 was rolled out at -42 min. As the new tasks "
         "(version 2.41.0) replace the old ones, a `panic recovered ... nil pointer dereference` in "
         "`resolve.(*Resolver).scopeManifest` appears for scoped-package tarballs, only on the new "
         "task streams, and the ALB's target 5xx climbs to ~5 % of requests. The readme-html config "
         "update and the search-api deploy land closer to the onset, but neither resource shows any "
         "change in its metrics or logs, and the loud `blob fetch failed NoSuchKey` errors were "
         "logged at the same rate for six hours.")
    return sc


def build_02():
    sc = new(2, "ci-webhook-500s", "CI webhook deliveries from GitHub are failing with HTTP 500; "
             "the webhook API's 5xx alarm fired.", "us-west-2", "2026-03-12T18:05:00")
    rng = sc.rng
    api, api_id = "hooks-edge", "k3j9x0q2ab"
    sc.resource("apigateway", api, api_id=api_id, stage="prod", integration="lambda-proxy:hook-intake")
    sc.resource("lambda", "hook-intake", runtime="nodejs20.x", timeout=10, memory_size=256)
    sc.resource("lambda", "sbom-enqueue", runtime="nodejs20.x", timeout=60, memory_size=512)
    cfg, onset = -2040, -2030
    frac = lambda t: 0.91 * step(t, onset, 0, 1)
    cnt = lambda t: 95 * diurnal(sc, t, 17, 0.3)
    apigw_metrics(sc, api, cnt, lambda t: 0.03 * cnt(t), lambda t: frac(t) * cnt(t) * 0.97,
                  lambda t: 175 + 70 * step(t, onset, 0, 1))
    lam_metrics(sc, "hook-intake", cnt, lambda t: frac(t) * cnt(t) * 0.97,
                lambda t: 150 + 70 * step(t, onset, 0, 1))
    lam_metrics(sc, "sbom-enqueue", lambda t: 60 * diurnal(sc, t, 17, 0.3) * (1 - frac(t) * 0.9),
                lambda t: 0.1, lambda t: 820.0)
    old_p, new_p = "/ci-hooks/prod/github-webhook-secret", "/ci-hooks/prod/github-webhook-secret-v2"
    q = "https://sqs.us-west-2.amazonaws.com/{}/sbom-requests".format(sc.account)

    def body(ll, t, rid, is_err, cold):
        param = new_p if t >= cfg else old_p
        lines = []
        if cold:
            lines.append((0.004, ll.fmt(t, rid, "INFO", "config loaded " + json.dumps(
                {"secretParam": param, "queueUrl": q, "providers": ["github", "gitlab"]}, separators=(",", ":")))))
        deliv = sc.uuid()
        if is_err:
            err = {"errorType": "ParameterNotFound", "errorMessage": f"Parameter {param} not found.",
                   "name": "ParameterNotFound", "$fault": "client",
                   "$metadata": {"httpStatusCode": 400, "requestId": sc.uuid(), "attempts": 1},
                   "stack": [f"ParameterNotFound: Parameter {param} not found.",
                             "    at de_ParameterNotFoundRes (/var/runtime/node_modules/@aws-sdk/"
                             "client-ssm/dist-cjs/index.js:9108:21)",
                             "    at async loadSecret (/var/task/src/secrets.js:22:17)",
                             "    at async verifySignature (/var/task/src/verify.js:11:18)",
                             "    at async Runtime.handler (/var/task/index.js:38:5)"]}
            lines.append((0.061, ll.fmt(t + 0.06, rid, "ERROR", "Invoke Error \t" + json.dumps(
                err, separators=(",", ":")))))
            return {"lines": lines, "dur": rng.uniform(60, 140)}
        if rng.random() < 0.03:
            lines.append((0.02, ll.fmt(t, rid, "WARN", f"rejected delivery {deliv}: signature "
                                       "mismatch (sha256) repo=" + rng.choice(["acme/ui", "kiln/core",
                                                                               "tslab/utils"]))))
            return {"lines": lines, "dur": rng.uniform(20, 45)}
        lines.append((0.09, ll.fmt(t, rid, "INFO", f"accepted delivery {deliv} event="
                                   f"{rng.choice(['push', 'release', 'pull_request'])} enqueued=1")))
        return {"lines": lines, "dur": rng.uniform(90, 210)}

    ll = LambdaLogs(sc, "hook-intake", "nodejs20.x", 256, 10, retire=[cfg], mem_used=(96, 8),
                    epochs=[(-10 ** 9, "$LATEST")])
    lambda_run(ll, lambda t: 5.0, frac, body)
    sb = LambdaLogs(sc, "sbom-enqueue", "nodejs20.x", 512, 60, retire=[-2010], mem_used=(180, 15))
    lambda_run(sb, lambda t: 1.5 * (1 - frac(t) * 0.9), lambda t: 0.0,
               lambda ll, t, rid, e, c: {"lines": [(0.3, ll.fmt(t, rid, "INFO",
                                         f"queued sbom job {sc.hexid(12)} for "
                                         f"{rng.choice(['acme/ui', 'kiln/core'])}"))],
                                         "dur": rng.uniform(600, 1000)}, start=-3 * 3600)
    eg, es = f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32)

    def exec_line(ts):
        code = 500 if rng.random() < frac(ts) else (401 if rng.random() < 0.03 else 202)
        return f"({sc.uuid()}) Method completed with status: {code}"
    emit(sc, eg, es, lambda t: 2.0, exec_line, start=-3 * 3600)
    sc.change(-17500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "hook-intake", "ci-deployer")
    sc.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "hook-intake", "alice.moreno")
    sc.change(-2010, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "sbom-enqueue", "ci-deployer")
    sc.change(-2002, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "sbom-enqueue", "ci-deployer")
    sc.alarm("hooks-edge-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 5,
             "GreaterThanThreshold", "Webhook API server errors")
    sc.alarm("sbom-enqueue-duration", "AWS/Lambda", "Duration", {"FunctionName": "sbom-enqueue"},
             "Average", 300, 2, 5000, "GreaterThanThreshold")
    sc.expect = {"alarm": "hooks-edge-5xx",
                 "root_cause": {"category": "config_change", "resource": ["hook-intake"]}}
    meta(sc, front="front (API Gateway; origin is the Lambda behind it)",
         decoys="sbom-enqueue code deploy 30 s after the config update; signature-mismatch "
         "rejections (4xx) at a steady rate; an old hook-intake code deploy 4.9 h earlier",
         services="API Gateway, Lambda", runtime="Node.js 20", logfmt="Lambda Node text + JSON",
         story="At -34 min alice.moreno updated hook-intake's configuration. Every new execution "
         "environment logs `config loaded` with secretParam `/ci-hooks/prod/github-webhook-secret-v2` "
         "(it was `.../github-webhook-secret` before) and ~90 % of invocations then fail with "
         "`ParameterNotFound: Parameter ... not found.` while verifying the signature, so the API's "
         "5xx jumps. The sbom-enqueue deploy is closer to the onset, but that function's errors and "
         "duration are unchanged (its volume drops only because fewer deliveries get through).")
    return sc


BUILDERS = [build_01, build_02]
