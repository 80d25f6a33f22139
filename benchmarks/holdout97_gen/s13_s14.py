"""h97-13 (social-card image renderer behind an ALB, Node) and h97-14 (advisory mirror Lambda, Ruby)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import pino

from .base import (LambdaLogs, alb_metrics, bump, diurnal, ecs_metrics, emit, lam_metrics,
                   lambda_run, meta, new, put, step)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def build_13():
    sc = new(13, "social-cards-502", "Link previews for package pages intermittently fail; the "
             "image service's load balancer 5xx alarm fired.", "us-west-2", "2026-03-26T19:10:00")
    rng = sc.rng
    lb, cl = "app/og-images/6a2f0e4d8c1b7395", "render"
    sc.resource("alb", lb, name="og-images", target_group="tg-og-image", idle_timeout=60)
    sc.resource("ecs", f"{cl}/og-image", launch_type="FARGATE", desired_count=4, runtime="nodejs20 (fastify)")
    sc.resource("ecs", f"{cl}/pdf-export", launch_type="FARGATE", desired_count=2, runtime="nodejs20",
                queue="pdf-export-jobs")
    onset = -1700
    bad = lambda t: step(t, onset, 0, 1, 90)
    warm = lambda t: bump(t, -8200, -7600, 30, 120)
    req = lambda t: 1500 * diurnal(sc, t, 18, 0.2)
    alb_metrics(sc, lb, req, lambda t: 0.5, lambda t: 0.21 + 0.02 * warm(t) / 30, lambda t: 4.0,
                e5=lambda t: 0.3 + 0.023 * req(t) * bad(t), e502=lambda t: 0.2 + 0.023 * req(t) * bad(t))
    put(sc, "AWS/ApplicationELB", "TargetConnectionErrorCount", {"LoadBalancer": lb}, "Count",
        lambda t: 0.0, integer=True)
    put(sc, "AWS/ApplicationELB", "ActiveConnectionCount", {"LoadBalancer": lb}, "Count",
        lambda t: 2100 * diurnal(sc, t, 18, 0.2), integer=True)
    ecs_metrics(sc, cl, "og-image", lambda t: 36 * diurnal(sc, t, 18, 0.2) + warm(t), lambda t: 48.0,
                running=lambda t: 4.0)
    ecs_metrics(sc, cl, "pdf-export", lambda t: 18.0 + bump(t, -1760, -1500, 12), lambda t: 39.0,
                running=lambda t: 2.0)
    grp = f"/ecs/{cl}/og-image"

    def req_line(host):
        def line(ts):
            pkg = rng.choice(PKGS)
            rid = f"req-{rng.randint(1, 999999):x}"
            if rng.random() < 0.04:
                return pino(sc, ts, "warn", "font fallback: glyph missing", host, pid=1, reqId=rid,
                            codepoint=f"U+{rng.randint(0x1F300, 0x1FAFF):X}", pkg=pkg)
            rt = rng.uniform(60, 420)
            return pino(sc, ts, "info", "request completed", host, pid=1, reqId=rid,
                        res={"statusCode": 200}, responseTime=round(rt, 2),
                        req={"method": "GET", "url": f"/og/{pkg}.png?v={rng.randint(1, 40)}"})
        return line

    for i in range(4):
        host = f"ip-10-0-{rng.randint(1, 15)}-{rng.randint(2, 250)}.us-west-2.compute.internal"
        s = f"ecs/og-image/{sc.hexid(32)}"
        emit(sc, grp, s, lambda t: 2.5, req_line(host))
        emit(sc, grp, s, lambda t: 1 / 15, lambda ts, h=host: pino(
            sc, ts, "info", "cache stats", h, pid=1, hits=rng.randint(800, 2000), misses=rng.randint(40, 200)))
    pg_ = f"/ecs/{cl}/pdf-export"
    for st, en, ver in ((-21600, -1720, "2.4.0"), (-1745, 0, "2.5.0")):
        s = f"ecs/pdf/{sc.hexid(32)}"
        if st > -21600:
            sc.log(pg_, s, st, pino(sc, st, "info", "pdf-export worker started", "pdf-export", version=ver))
        emit(sc, pg_, s, lambda t: 0.8, lambda ts: pino(
            sc, ts, "info", "exported", "pdf-export", pkg=rng.choice(PKGS), pages=rng.randint(1, 30)),
            start=st + 1, end=en)
    sc.change(-1765, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "pdf-export:19", "github-actions-deploy")
    sc.change(-1760, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/pdf-export",
              "github-actions-deploy")
    sc.change(-16000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/og-image",
              "github-actions-deploy")
    sc.alarm("og-images-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 5, 15, "GreaterThanThreshold", "Load balancer generated 5xx")
    sc.alarm("og-images-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 10, "GreaterThanThreshold")
    sc.expect = {"alarm": "og-images-elb-5xx",
                 "root_cause": {"category": "unknown",
                                "resource": [lb, "og-images", f"{cl}/og-image", "og-image"]}}
    meta(sc, front="origin unknown (the ALB's own 502s; the service behind it shows nothing)",
         decoys="pdf-export deploy 60 s before onset (a queue worker not behind this ALB); font-fallback "
         "warnings all along; a cache-warmup CPU bump 1.8 h earlier; an og-image deploy 4 h earlier",
         services="ALB, ECS", runtime="Node.js 20", logfmt="pino JSON",
         story="From -28 min the ALB itself returns 502 for ~2.3 % of requests. Everything behind it looks "
         "healthy: target 5xx, TargetResponseTime, TargetConnectionErrorCount, healthy host count, CPU and "
         "memory are flat, and the og-image tasks log only 200s and the same font-fallback warnings as "
         "before. The only nearby change is a deploy of pdf-export, a queue worker that is not a target "
         "of this load balancer; og-image's own last deploy was 4 h earlier with hours of clean traffic. "
         "There are no ALB access logs. A real incident whose cause the evidence does not decide.")
    return sc


def build_14():
    sc = new(14, "advisory-mirror-errors", "Advisory data for new packages is stale; the advisory "
             "mirror's error alarm fired.", "eu-west-1", "2026-03-27T08:35:00")
    rng = sc.rng
    fn, role = "advisory-mirror", "advisory-mirror-exec"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=60, memory_size=512, trigger="sqs:advisory-lookups",
                role=f"arn:aws:iam::{sc.account}:role/{role}")
    sc.resource("lambda", "pkg-advisory-notify", runtime="ruby3.3", timeout=30, memory_size=256)
    onset = -2100
    frac = lambda t: 0.02 + 0.68 * step(t, onset, 0, 1, 120)
    inv = lambda t: 14 * diurnal(sc, t, 9, 0.3)
    lam_metrics(sc, fn, inv, lambda t: frac(t) * inv(t),
                lambda t: 1250 + 6300 * step(t, onset, 0, 1, 120))
    lam_metrics(sc, "pkg-advisory-notify", lambda t: 6 * diurnal(sc, t, 9, 0.3) * (1 - 0.6 * step(t, onset, 0, 1, 120)),
                lambda t: 0.05, lambda t: 380.0)
    timeout = {"errorMessage": "Net::ReadTimeout with #<TCPSocket:(closed)>", "errorType": "Function<Net::ReadTimeout>",
               "stackTrace": ["/var/lang/lib/ruby/3.3.0/net/protocol.rb:229:in `rbuf_fill'",
                              "/opt/ruby/gems/3.3.0/gems/faraday-net_http-3.1.0/lib/faraday/adapter/net_http.rb:92:in `perform_request'",
                              "/var/task/lib/osv_client.rb:27:in `query_batch'",
                              "/var/task/handler.rb:18:in `block in handle'"]}
    unavail = {"errorMessage": "the server responded with status 503", "errorType": "Function<Faraday::ServerError>",
               "stackTrace": ["/opt/ruby/gems/3.3.0/gems/faraday-2.9.0/lib/faraday/response/raise_error.rb:38:in `on_complete'",
                              "/var/task/lib/osv_client.rb:27:in `query_batch'",
                              "/var/task/handler.rb:18:in `block in handle'"]}

    def body(ll, t, rid, is_err, cold):
        n = rng.randint(1, 25)
        lines = [(0.002, ll.fmt(t, rid, "INFO", f"lookup batch packages={n} POST https://api.osv.dev/v1/querybatch"))]
        if rng.random() < 0.05:
            lines.append((0.01, ll.fmt(t, rid, "WARN", f"advisory GHSA-{sc.hexid(4)}-{sc.hexid(4)}-{sc.hexid(4)} "
                                       "withdrawn upstream, skipping")))
        if is_err and t >= onset:
            if rng.random() < 0.7:
                return {"lines": lines + [(10.02, ll.fmt(t + 10.02, rid, "ERROR", "OSV request failed after "
                                                         "10.0s (attempt 1/1)")),
                                          (10.03, json.dumps(timeout, separators=(",", ":")))],
                        "dur": rng.uniform(10030, 10090)}
            d = rng.uniform(900, 3200)
            return {"lines": lines + [(d / 1000, ll.fmt(t + d / 1000, rid, "ERROR", "OSV responded 503 "
                                                        "Service Unavailable (upstream: api.osv.dev)")),
                                      (d / 1000 + 0.01, json.dumps(unavail, separators=(",", ":")))],
                    "dur": d + 12}
        if is_err:
            return {"lines": lines + [(0.8, json.dumps({"errorMessage": "missing 'affected' for OSV-2025-"
                                                        f"{rng.randint(100, 999)}",
                                                        "errorType": "Function<Advisory::SchemaError>",
                                                        "stackTrace": ["/var/task/lib/advisory.rb:44:in `parse'"]},
                                                       separators=(",", ":")))], "dur": 820}
        d = rng.uniform(700, 1900)
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "INFO", f"stored {rng.randint(0, 6)} advisories "
                                       f"for {n} packages in {d:.0f}ms")))
        return {"lines": lines, "dur": d + 5}

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 60, mem_used=(120, 10))
    lambda_run(ll, lambda t: 3.0, frac, body, start=-5 * 3600)
    nt = LambdaLogs(sc, "pkg-advisory-notify", "ruby3.3", 256, 30, mem_used=(90, 6))
    lambda_run(nt, lambda t: 1.0 * (1 - 0.6 * step(t, onset, 0, 1, 120)), lambda t: 0.0, lambda ll, t, rid, e, c: {
        "lines": [(0.2, ll.fmt(t + 0.2, rid, "INFO", f"notified {rng.randint(1, 9)} maintainers"))],
        "dur": rng.uniform(250, 500)}, start=-3 * 3600)
    sc.change(-2160, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci")
    sc.change(-11800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "pkg-advisory-notify", "ci-deployer")
    sc.alarm("advisory-mirror-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10,
             "GreaterThanThreshold", "Advisory mirror failures")
    sc.alarm("advisory-mirror-duration", "AWS/Lambda", "Duration", {"FunctionName": fn}, "Average", 300, 2,
             5000, "GreaterThanThreshold")
    sc.expect = {"alarm": "advisory-mirror-errors",
                 "root_cause": {"category": "dependency_failure", "resource": [fn]}}
    meta(sc, front="origin (the calling Lambda; the failing dependency is outside the account)",
         decoys="PutRolePolicy on the mirror's own role 60 s before onset (no AccessDenied anywhere); "
         "SchemaError failures and withdrawn-advisory warnings at a steady rate",
         services="Lambda, IAM (change only)", runtime="Ruby 3.3", logfmt="Lambda Ruby logger + error JSON",
         story="From -35 min ~70 % of advisory-mirror invocations fail: most after exactly 10 s with "
         "`Net::ReadTimeout` from osv_client.rb's POST to https://api.osv.dev/v1/querybatch, the rest "
         "with `Faraday::ServerError: the server responded with status 503`; Duration jumps from ~1.3 s "
         "to ~7.5 s. The PutRolePolicy on the function's own role a minute earlier is the tempting "
         "answer, but no call is denied, and the function's timeout (60 s) is never reached. The "
         "failing dependency is an external API, so the origin resource in the account is the caller.")
    return sc


BUILDERS = [build_13, build_14]
