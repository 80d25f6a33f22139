"""h76-05 partner syndication feeds: an environment-variable edit breaks the feed Lambda behind
API Gateway; h76-06 the sitemap publisher loses s3:PutObject after a role-policy rewrite."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import bump, counts_per_minute, diurnal, step
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import LOG_START, apigw, lam, make, scatter


def build05():
    sc = make(5, "partner-feeds-page-size", "Syndication partners report 502s from the feeds API; "
              "API Gateway 5XX alarm in ALARM.", "ap-northeast-1", "2026-02-11T08:05:00")
    C = -2000
    fn, api = "feed-syndicate", "partner-feeds"
    bad = lambda t: step(t, C + 8, 0.0, 0.86)
    rate = lambda t: 11 * diurnal(sc, t, 9.0, 0.25)
    iv, ev = lam(sc, fn, "nodejs20.x", 512, 29, rate, lambda t: 0.03 + rate(t) * bad(t),
                 lambda t: 640 - 560 * bad(t), environment_keys=["FEED_PAGE_SIZE", "CDN_BASE",
                                                                 "PARTNER_TABLE", "LOG_LEVEL"])
    apigw(sc, api, lambda t: rate(t) + 6, lambda t: 4.0, lambda t: 0.03 + rate(t) * bad(t),
          lambda t: 690 - 560 * bad(t))
    lam(sc, "amp-validate", "nodejs20.x", 256, 10, lambda t: 7.0, lambda t: 0.02, lambda t: 150.0)
    partners = ["yomiuri-mobile", "smartnews", "line-news", "gunosy", "newspicks", "yahoo-jp"]
    feeds = ["top", "politics", "economy", "world", "sports", "tech"]
    err = {"errorType": "RangeError", "errorMessage": 'FEED_PAGE_SIZE must be an integer between '
           '1 and 500 (got "50 items")', "code": "ERR_INVALID_CONFIG",
           "stack": ['RangeError: FEED_PAGE_SIZE must be an integer between 1 and 500 (got "50 items")',
                     "    at readConfig (file:///var/task/src/config.mjs:27:11)",
                     "    at buildFeed (file:///var/task/src/feed.mjs:44:17)",
                     "    at Runtime.handler (file:///var/task/index.mjs:18:22)"]}

    def body(ll, t, reqid, is_err, cold):
        p, f = sc.rng.choice(partners), sc.rng.choice(feeds)
        lines = [(0.003, ll.fmt(t, reqid, "INFO", f"GET /v1/feeds/{f}.xml partner={p}"))]
        if is_err:
            lines.append((0.06, f"{sc.iso(t + 0.06)}\t{reqid}\tERROR\tInvoke Error \t"
                                + json.dumps(err, separators=(",", ":"))))
            return {"dur": sc.rng.uniform(40, 110), "status": "error", "error_type": "RangeError",
                    "lines": lines}
        if sc.rng.random() < 0.08:
            lines.append((0.02, ll.fmt(t, reqid, "WARN", f"partner {p} requested unknown feed id "
                                       f"'{f}-{sc.rng.choice(['beta', 'old', 'v0'])}'; serving top")))
        n = sc.rng.randint(30, 50)
        dur = sc.rng.gauss(640, 120)
        lines.append((dur / 1000 - 0.01, ll.fmt(t, reqid, "INFO", f"feed {f} rendered items={n} "
                                                f"bytes={n * sc.rng.randint(1800, 2600)} "
                                                f"cache=miss ms={dur:.0f}")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 29, retire=[C], mem_used=(118, 10))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    group = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/prod"
    streams = [sc.hexid(32) for _ in range(3)]
    scatter(sc, lambda m: 0.8 + 2.0 * bad(m), lambda t: sc.log(
        group, sc.rng.choice(streams), t,
        f"({sc.uuid()}) Method completed with status: {502 if sc.rng.random() < bad(t) else 200}"),
        start=LOG_START)
    scatter(sc, lambda m: 1.2, lambda t: sc.log(
        group, sc.rng.choice(streams), t, f"({sc.uuid()}) API Key **********{sc.hexid(4)} "
        "not authorized because method 'GET /v1/feeds/{feed}' requires API Key and API Key is "
        "not associated with a Usage Plan for API Stage"), start=LOG_START)
    sc.alarm("partner-feeds-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 2, 25,
             "GreaterThanThreshold", "Partner feeds API server errors")
    sc.alarm("partner-feeds-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1,
             18, "GreaterThanThreshold")
    sc.change(-17500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "ci-syndication")
    sc.change(-2150, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage",
              api, "k.sato")
    sc.change(C, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", fn, "h.tanaka")
    sc.change(-1700, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "amp-validate", "ci-syndication")
    sc.expect = {"alarm": "partner-feeds-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "front (API Gateway)", "decoys": "UpdateStage on the alarming API 150 s "
               "before the env-var edit; code deploy of the same function 4.9 h earlier; amp-validate "
               "deploy after onset; chronic 403 API-key rejections",
               "services": "API Gateway, Lambda", "runtime": "Node.js 20 Lambda",
               "logs": "Lambda Node text + Invoke Error JSON, API Gateway execution log"}
    return sc


def build06():
    sc = make(6, "sitemap-publish-putobject", "News sitemap stale in search consoles; errors alarm "
              "on the sitemap publisher.", "ap-southeast-2", "2026-08-21T22:40:00")
    P = -2700
    fn, role = "sitemap-publish", "publishing-fn-role"
    bucket = "au-news-sitemaps-prod"
    denied = lambda t: step(t, P + 12, 0.0, 1.0)
    rate = lambda t: 4.5 * diurnal(sc, t, 21.0, 0.3)
    iv, ev = lam(sc, fn, "ruby3.3", 512, 60, rate, lambda t: 0.02 + rate(t) * denied(t),
                 lambda t: 1900 - 1500 * denied(t), role=role)
    lam(sc, "rss-build", "ruby3.3", 512, 60, lambda t: 9 * diurnal(sc, t, 21.0, 0.3),
        lambda t: 0.02, lambda t: 850 + 500 * bump(t, P - 30, P + 200, 1, 60), role="rss-build-role")
    arn = f"arn:aws:sts::{sc.account}:assumed-role/{role}/{fn}"
    day = sc.at(0).strftime("%Y-%m-%d")

    def body(ll, t, reqid, is_err, cold):
        n = sc.rng.randint(1, 4)
        key = f"news/sitemap-{day}.xml"
        lines = [(0.004, ll.fmt(t, reqid, "INFO", f"Rebuilding {key} ({n} new article(s), "
                                f"{sc.rng.randint(380, 620)} entries)"))]
        if sc.rng.random() < 0.07:
            lines.append((0.3, ll.fmt(t, reqid, "WARN", "Aws::S3::Errors::SlowDown: Please reduce "
                                      "your request rate. (retry 1/3 after 0.4s)")))
        if sc.rng.random() < 0.2:
            lines.append((0.2, ll.fmt(t, reqid, "WARN", "Skipped article "
                                      f"{sc.rng.randint(10 ** 6, 10 ** 7)}: robots noindex")))
        if is_err:
            msg = (f'User: {arn} is not authorized to perform: s3:PutObject on resource: '
                   f'"arn:aws:s3:::{bucket}/{key}" because no identity-based policy allows the '
                   's3:PutObject action')
            lines.append((0.35, json.dumps({
                "errorMessage": msg, "errorType": "Function<Aws::S3::Errors::AccessDenied>",
                "stackTrace": ["/var/runtime/gems/aws-sdk-core-3.201.3/lib/seahorse/client/"
                               "plugins/raise_response_errors.rb:17:in `call'",
                               "/var/task/lib/sitemap/publisher.rb:41:in `upload'",
                               "/var/task/handler.rb:12:in `handle'"]}, separators=(",", ":"))))
            return {"dur": sc.rng.uniform(300, 520), "status": "error",
                    "error_type": "Function<Aws::S3::Errors::AccessDenied>", "lines": lines}
        dur = sc.rng.gauss(1900, 300)
        lines.append((dur / 1000 - 0.01, ll.fmt(t, reqid, "INFO", f"Uploaded s3://{bucket}/{key} "
                                                f"etag={sc.hexid(32)[:16]} in {dur:.0f} ms")))
        return {"dur": dur, "lines": lines}

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 60, epochs=[(-10 ** 9, "$LATEST")], retire=[-3900],
                    mem_used=(142, 9))
    ll.run(counts_per_minute(iv, LOG_START, 0), counts_per_minute(ev, LOG_START, 0), body)
    sc.alarm("sitemap-publish-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2,
             5, "GreaterThanThreshold", "Sitemap publisher failures")
    sc.alarm("rss-build-duration", "AWS/Lambda", "Duration", {"FunctionName": "rss-build"},
             "Average", 300, 1, 1200, "GreaterThanThreshold")
    sc.change(-3900, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              fn, "buildkite-publishing")
    sc.change(-2730, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "rss-build", "buildkite-publishing")
    sc.change(P, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-cloud")
    sc.change(-14400, "s3.amazonaws.com", "PutBucketLifecycleConfiguration", "AWS::S3::Bucket",
              bucket, "a.nguyen")
    sc.expect = {"alarm": "sitemap-publish-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors",
                                "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "decoys": "deploy of the same function 20 min before (clean "
               "runs in between); rss-build deploy 30 s before the policy change with a duration "
               "blip; S3 SlowDown retry warnings all along; old bucket lifecycle change",
               "services": "Lambda, IAM, S3", "runtime": "Ruby 3.3 Lambda",
               "logs": "Lambda Ruby logger + error JSON"}
    return sc


BUILDERS = [build05, build06]
