"""h97-11 (tarball origin behind the CDN, Go/logfmt) and h97-12 (CI webhook fan-in router, Go Lambda)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import logfmt_writer

from .base import (LambdaLogs, alb_metrics, apigw_metrics, bump, diurnal, ecs_metrics, emit,
                   lam_metrics, lambda_run, meta, new, ramp, step)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]
logfmt = logfmt_writer("time")


def build_11():
    sc = new(11, "downloads-slow", "Installs are slow and some tarball fetches fail with 503; the "
             "download origin's latency alarm fired.", "eu-west-1", "2026-03-24T15:05:00")
    rng = sc.rng
    lb, cl = "app/dl-origin/4b7e1d2c9a0f3e65", "edge-origin"
    sc.resource("alb", lb, name="dl-origin", target_group="tg-tarball-serve", behind="CDN")
    sc.resource("ecs", f"{cl}/tarball-serve", launch_type="FARGATE", desired_count=8, cpu=1024,
                memory=2048, autoscaling="min 8 max 16, target CPU 60 %", runtime="go1.22")
    sc.resource("ecs", f"{cl}/metadata-serve", launch_type="FARGATE", desired_count=4, runtime="go1.22")
    onset = -2000
    surge = lambda t: ramp(t, onset, onset + 180)
    scaled = lambda t: ramp(t, -1760, -1460)
    base = lambda t: 3000 * diurnal(sc, t, 15, 0.2)
    req = lambda t: base(t) * (1 + 4.2 * surge(t))
    alb_metrics(sc, lb, req, lambda t: 0.5 + 6 * surge(t), lambda t: 0.052 + surge(t) * (1.3 - 0.55 * scaled(t)),
                lambda t: 8 + 6 * scaled(t), e5=lambda t: 0.2 + 55 * surge(t) * (1 - 0.6 * scaled(t)),
                e503=lambda t: 0.1 + 52 * surge(t) * (1 - 0.6 * scaled(t)))
    ecs_metrics(sc, cl, "tarball-serve", lambda t: 33 * diurnal(sc, t, 15, 0.2) + surge(t) * (48 - 12 * scaled(t)),
                lambda t: 38 + 6 * surge(t), running=lambda t: round(8 + 6 * scaled(t)))
    ecs_metrics(sc, cl, "metadata-serve", lambda t: 24 * diurnal(sc, t, 15, 0.2) + 9 * surge(t),
                lambda t: 45.0, running=lambda t: 4.0)
    grp = f"/ecs/{cl}/tarball-serve"
    hotpkg, hotver = "@quasar-build/cli", "6.0.0"
    uas = ["npm/10.5.0 node/v20.12.2 linux x64 workspaces/false ci/github-actions",
           "pnpm/8.15.4 npm/? node/v20.11.1 linux x64", "yarn/1.22.21 npm/? node/v18.19.0 darwin arm64",
           "npm/10.2.4 node/v21.6.1 darwin arm64 workspaces/false"]

    def served(ts):
        lat = 0.052 + surge(ts) * (1.3 - 0.55 * scaled(ts))
        if surge(ts) > 0.3 and rng.random() < 0.78:
            p, name, ver, cache = hotpkg, "cli", hotver, "MISS"
        else:
            p = name = rng.choice(PKGS)
            ver, cache = f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}", rng.choice(["MISS", "EXPIRED"])
        r = rng.random()
        if r < 0.01:
            return logfmt(sc, ts, "warn", "range not satisfiable", path=f"/{p}/-/{name}-{ver}.tgz",
                          status=416, range="bytes=99999999-")
        if r < 0.02:
            return logfmt(sc, ts, "error", "write failed", path=f"/{p}/-/{name}-{ver}.tgz",
                          err="write tcp 10.0.6.41:8080->10.0.1.9:51322: write: broken pipe")
        return logfmt(sc, ts, "info", "served", path=f"/{p}/-/{name}-{ver}.tgz", status=200,
                      bytes=rng.randint(30_000, 4_000_000), dur=f"{lat * rng.uniform(0.5, 1.6) * 1000:.0f}ms",
                      cdn_cache=cache, ua=rng.choice(uas), pop=rng.choice(["FRA56", "LHR61", "AMS54", "CDG52"]))

    for i in range(14):
        s = f"ecs/serve/{sc.hexid(32)}"
        st = -21600 if i < 8 else -1760 + (i - 8) * 50
        if i >= 8:
            sc.log(grp, s, st, logfmt(sc, st, "info", "starting tarball-serve", version="1.88.3",
                                      listen=":8080", gomaxprocs=1))
        emit(sc, grp, s, lambda t: 2.0 * req(t) / base(t) * 8 / (8 + 6 * scaled(t)), served, start=st + 1)
        emit(sc, grp, s, lambda t: 0.02 * surge(t) * (1 - 0.6 * scaled(t)) * 60, lambda ts: logfmt(
            sc, ts, "warn", "accept queue full, shedding", inflight=512, limit=512), start=st + 1)
    mg = f"/ecs/{cl}/metadata-serve"
    for j in range(2):
        for st, en, ver in ((-21600, -2080 + j * 40, "0.31.0"), (-2100 + j * 40, 0, "0.32.0")):
            s = f"ecs/meta/{sc.hexid(32)}"
            if st > -21600:
                sc.log(mg, s, st, logfmt(sc, st, "info", "starting metadata-serve", version=ver))
            emit(sc, mg, s, lambda t: 1.5, lambda ts: logfmt(
                sc, ts, "info", "packument", name=rng.choice(PKGS), status=200,
                dur=f"{rng.randint(2, 30)}ms"), start=st + 1, end=en)
    sc.change(-2160, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "metadata-serve:131", "github-actions-deploy")
    sc.change(-2150, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/metadata-serve",
              "github-actions-deploy")
    for k, t in enumerate((-1770, -1620, -1480)):
        sc.change(t, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/tarball-serve",
                  "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.alarm("dl-origin-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.5, "GreaterThanThreshold", "Download origin latency")
    sc.alarm("tarball-serve-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": "tarball-serve"},
             "Average", 60, 3, 60, "GreaterThanThreshold", "autoscaling target tracking (high)")
    sc.expect = {"alarm": "dl-origin-latency",
                 "root_cause": {"category": "traffic_surge",
                                "resource": [lb, "dl-origin", f"{cl}/tarball-serve", "tarball-serve"]}}
    meta(sc, front="origin (the ALB receiving the surge; the ECS service behind it also accepted)",
         decoys="metadata-serve deploy 2.5 min before onset; autoscaling UpdateService calls on "
         "tarball-serve itself after onset; broken-pipe and 416 noise all along",
         services="ALB, ECS", runtime="Go", logfmt="logfmt",
         story="At -33 min the origin's RequestCount goes from ~3k to ~15k a minute within three "
         "minutes: the new lines are almost all `@quasar-build/cli/-/cli-6.0.0.tgz` with cdn_cache=MISS "
         "from every POP (a popular release not yet cached). Latency rises to ~1.3 s, the service sheds "
         "with `accept queue full` and the ALB returns 503s; CPU rises to ~85 % briefly and then to "
         "~70 % once autoscaling adds six tasks, so nothing is broken or pinned — it is volume. The "
         "metadata-serve deploy before the onset and the autoscaling UpdateService calls after it are "
         "not the cause.")
    return sc


def build_12():
    sc = new(12, "ci-fanin-502s", "CI providers report webhook deliveries failing with 502; the "
             "fan-in API's 5xx alarm fired.", "us-west-2", "2026-03-25T17:40:00")
    rng = sc.rng
    api, api_id, fn = "ci-fanin", "c1f4n1n0zq", "ci-event-router"
    sc.resource("apigateway", api, api_id=api_id, stage="prod", integration="lambda-proxy:ci-event-router")
    sc.resource("lambda", fn, runtime="provided.al2023", handler="bootstrap (Go 1.22)", timeout=15,
                memory_size=256)
    sc.resource("lambda", "ci-status-poster", runtime="provided.al2023", timeout=30, memory_size=256)
    onset = -1500
    frac = lambda t: 0.18 * step(t, onset, 0, 1, 60)
    replay = lambda t: bump(t, -9300, -8100, 140, 120)
    cnt = lambda t: 150 * diurnal(sc, t, 18, 0.25) + replay(t)
    apigw_metrics(sc, api, cnt, lambda t: 0.03 * cnt(t), lambda t: frac(t) * cnt(t), lambda t: 62.0)
    lam_metrics(sc, fn, cnt, lambda t: frac(t) * cnt(t), lambda t: 38.0)
    lam_metrics(sc, "ci-status-poster", lambda t: 90 * diurnal(sc, t, 18, 0.25), lambda t: 0.2,
                lambda t: 210.0)

    def slog(t, level, msg, **kv):
        obj = {"time": sc.iso(t), "level": level, "msg": msg}
        obj.update(kv)
        return json.dumps(obj, separators=(",", ":"))

    def body(ll, t, rid, is_err, cold):
        did = sc.uuid()
        if is_err:
            proj = rng.choice(["platform/monorepo", "infra/terraform-live", "mobile/app"])
            return {"lines": [(0.001, slog(t, "INFO", "delivery received", provider="gitlab",
                                           event="Pipeline Hook", delivery=did, project=proj,
                                           source="parent_pipeline")),
                              (0.004, json.dumps({"errorMessage": "runtime error: invalid memory address "
                                                  "or nil pointer dereference", "errorType": "runtimeError",
                                                  "stackTrace": [{"path": "github.com/aws/aws-lambda-go@v1.46.0/"
                                                                  "lambda/errors.go", "line": 39,
                                                                  "label": "lambdaPanicResponse"},
                                                                 {"path": "ci-router/internal/gitlab/pipeline.go",
                                                                  "line": 57, "label": "(*PipelineEvent).Ref"},
                                                                 {"path": "ci-router/internal/route/route.go",
                                                                  "line": 112, "label": "Router.Dispatch"}]},
                                                 separators=(",", ":")))],
                    "dur": rng.uniform(3, 9)}
        prov = rng.choice(["github", "github", "gitlab", "bitbucket"])
        ev = {"github": ["push", "pull_request", "check_suite"], "gitlab": ["Push Hook", "Pipeline Hook",
              "Merge Request Hook"], "bitbucket": ["repo:push"]}[prov]
        e = rng.choice(ev)
        kv = {"provider": prov, "event": e, "delivery": did}
        if e == "Pipeline Hook":
            kv["source"] = rng.choice(["push", "merge_request_event", "schedule"])
        lines = [(0.001, slog(t, "INFO", "delivery received", **kv))]
        if prov == "gitlab" and rng.random() < 0.05:
            lines.append((0.002, slog(t, "WARN", "rejecting delivery: X-Gitlab-Token mismatch", delivery=did)))
            return {"lines": lines, "dur": 2.0}
        if rng.random() < 0.06:
            lines.append((0.03, slog(t + 0.03, "ERROR", "target delivery failed, queued for retry",
                                     target="https://jenkins.build.acme-internal.example/gitlab-webhook",
                                     error="context deadline exceeded", attempt=1)))
        lines.append((0.03, slog(t + 0.03, "INFO", "delivery routed", delivery=did, targets=rng.randint(1, 4))))
        return {"lines": lines, "dur": rng.uniform(20, 60)}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 15, mem_used=(34, 3))
    lambda_run(ll, lambda t: 5.0 + replay(t) / 30, frac, body, start=-5 * 3600)
    sp = LambdaLogs(sc, "ci-status-poster", "provided.al2023", 256, 30, retire=[-1560], mem_used=(30, 3))
    lambda_run(sp, lambda t: 1.5, lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(0.1, slog(t + 0.1, "INFO", "commit status posted", state=rng.choice(["success", "pending"])))],
        "dur": rng.uniform(150, 260)}, start=-3 * 3600)
    eg, es = f"API-Gateway-Execution-Logs_{api_id}/prod", sc.hexid(32)
    emit(sc, eg, es, lambda t: 2.0, lambda ts: (
        f"({sc.uuid()}) Method completed with status: "
        f"{502 if rng.random() < frac(ts) else (401 if rng.random() < 0.03 else 200)}"), start=-3 * 3600)
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(-19790, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(-1560, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "ci-status-poster", "j.nakamura")
    sc.alarm("ci-fanin-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 8,
             "GreaterThanThreshold", "CI fan-in server errors")
    sc.alarm("ci-event-router-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 40,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "ci-fanin-5xx",
                 "root_cause": {"category": "application_error", "resource": [fn]}}
    meta(sc, front="front (API Gateway; origin is the Lambda)",
         decoys="ci-status-poster config update 60 s before onset; a router code deploy 5.1 h before "
         "onset followed by hours of clean operation; Jenkins `context deadline exceeded` retries and "
         "token-mismatch rejections all along; a replay spike 2.3 h earlier",
         services="API Gateway, Lambda", runtime="Go (provided.al2023)", logfmt="slog JSON, Lambda Go error JSON",
         story="From -25 min ~18 % of ci-event-router invocations fail with a Go `runtimeError: invalid "
         "memory address or nil pointer dereference` in `(*PipelineEvent).Ref`; each failing delivery is "
         "a GitLab `Pipeline Hook` with source=parent_pipeline, a payload shape that never appears in "
         "the five hours before. The function's code was last deployed 5.1 h before the onset and ran "
         "clean through a replay spike; the config update just before the onset is on ci-status-poster, "
         "which keeps working; the Jenkins deadline errors were there at the same rate all along. An "
         "unhandled exception on new input with no preceding change or resource fault.")
    return sc


BUILDERS = [build_11, build_12]
