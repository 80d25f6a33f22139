"""h91-15 MT dispatcher (Go on ECS) rate-limited by a carrier during a bulk campaign, queue ageing;
h91-16 partner events API: integration timeout lowered below the backend's tail latency."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import logfmt_writer

from .base import LOG_FROM, LambdaLogs, S91, diurnal, ecs_stream, task_ids


def build15() -> S91:
    sc = S91(15, "mt-backlog",
             "Outbound SMS to one carrier delayed; mt-dispatch-c404 queue age alarm.", "us-east-1", 9115,
             "2026-03-23T17:45:00+00:00")
    rng = sc.rng
    T_CAMP, T_DECOY, LIMIT = -2400, -2450, 100 * 60
    load = lambda t: diurnal(sc, t, 17.0, 0.25)
    demand = lambda t: 3300 * load(t) + bump(t, -12600, -11400, 1500, 300) + 5200 * ramp(t, T_CAMP, T_CAMP + 240)
    sent = lambda t: min(demand(t), LIMIT * 0.997)
    thr = lambda t: max(0.0, demand(t) - LIMIT) * 1.6
    backlog = lambda t: max(0.0, (t - T_CAMP - 120)) / 60 * max(0.0, 3300 * load(t) + 5200 - LIMIT) if t > T_CAMP else 0
    q = sc.sqs("mt-dispatch-c404", lambda t: 2 + (t - T_CAMP - 120) * 0.93 if t > T_CAMP + 120 else 2.0 + rng.random(),
               lambda t: 40 + backlog(t), demand)
    ns, d = "CPaaS/Dispatch", {"ServiceName": "carrier-out", "Carrier": "c-404"}
    sc.put(ns, "SubmitAccepted", d, "Count", sent, integer=True)
    sc.put(ns, "SubmitThrottled", d, "Count", thr, integer=True)
    sc.put(ns, "SubmitRejected", {"ServiceName": "carrier-out", "Carrier": "c-117"}, "Count", lambda t: 4.0,
           integer=True)
    svc = sc.ecs("dispatch", "carrier-out", lambda t: 24 * load(t) + 14 * ramp(t, T_CAMP, T_CAMP + 240)
                 + bump(t, -12600, -11400, 9, 300), lambda t: 41 + 11 * ramp(t, T_CAMP, T_CAMP + 900), lambda t: 4.0,
                 desired_count=4, runtime="go1.22")
    sc.ecs("dispatch", "campaign-scheduler", lambda t: 12 + bump(t, T_CAMP - 60, T_CAMP + 120, 30, 60),
           lambda t: 35.0, lambda t: 2.0, desired_count=2, runtime="go1.22")

    logfmt = logfmt_writer("time", quote_msg=False)
    grp = "/ecs/carrier-out"
    for task in task_ids(sc, 2):
        st = ecs_stream("carrier-out", task)
        lg = lambda t, lvl, msg, st=st, **kw: sc.log(grp, st, t, logfmt(sc, t, lvl, msg, **kw))
        sc.events(LOG_FROM, 0, lambda m: 2.2 * load(m), lambda t, lg=lg: lg(
            t, "info", "submit accepted", carrier="c-404", msg_id=sc.hexid(16), segments=sc.pick([1, 1, 1, 2]),
            latency_ms=rng.randint(40, 140), campaign="none" if t < T_CAMP or rng.random() < 0.4 else "cmp_7731"))
        sc.events(LOG_FROM, 0, lambda m: 0.6, lambda t, lg=lg: lg(
            t, "warn", "submit rejected", carrier="c-117", http_status=400, code="INVALID_DESTINATION",
            dest=f"+1{rng.randint(2000000000, 9899999999)}"))

        def throttled(t, lg=lg):
            lg(t, "warn", "carrier throttled", carrier="c-404", http_status=429, retry_after="1",
               attempt=rng.randint(1, 5), msg_id=sc.hexid(16),
               body='{\\"error\\":\\"rate_limited\\",\\"detail\\":\\"MT throughput 100 msg/s exceeded for account cpaas-us-01\\"}')
        sc.events(T_CAMP + 30, 0, lambda m: 3.0 * ramp(m, T_CAMP, T_CAMP + 240), throttled)

        def window(t, lg=lg):
            lg(t, "info", "carrier window", carrier="c-404", sent_ps=round(sent(t) / 60 * rng.uniform(0.97, 1.0), 1),
               throttled_ps=round(thr(t) / 60 * rng.uniform(0.9, 1.1), 1), contract_tps=100,
               queue_lag_s=int(max(2, (t - T_CAMP - 120) * 0.93)) if t > T_CAMP + 120 else 2)
        sc.every(LOG_FROM, 0, 120, window)

    sc.change(-12700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "dispatch/campaign-scheduler",
              "github-actions-deploy")
    sc.change(T_DECOY, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "billing-export-role",
              "terraform-apply")

    sc.alarm("mt-dispatch-c404-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q["dims"], "Maximum", 300, 1, 900,
             "GreaterThanThreshold", "Outbound MT queue for carrier c-404 is backing up")
    sc.alarm("carrier-out-cpu", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 3, 80, "GreaterThanThreshold")
    sc.alarm("c117-rejects", ns, "SubmitRejected", {"ServiceName": "carrier-out", "Carrier": "c-117"}, "Sum", 300, 1, 50,
             "GreaterThanThreshold")
    sc.truth("mt-dispatch-c404-age", "throttling", ["dispatch/carrier-out", "carrier-out"],
             [{"namespace": ns, "name": "SubmitThrottled", "dimensions": d},
              {"namespace": "AWS/SQS", "name": "ApproximateAgeOfOldestMessage", "dimensions": q["dims"]}])
    sc.card(alarm_on="front (queue in front of the worker)", services="SQS, ECS, custom metrics", runtime="Go",
            log_style="logfmt",
            decoys="IAM policy attachment 1 min before the campaign; campaign-scheduler spike; earlier smaller "
                   "campaign with no throttling; steady c-117 INVALID_DESTINATION rejections",
            story="A bulk campaign (cmp_7731) starts at -40 min and demand towards carrier c-404 goes from ~65 "
                  "to ~150 msg/s. carrier-out's accepted submits flatten at ~100 msg/s, the contracted throughput "
                  "(`contract_tps=100` in its window log), and the carrier answers the excess with HTTP 429 "
                  "`MT throughput 100 msg/s exceeded` / Retry-After 1; SubmitThrottled climbs to thousands a "
                  "minute and the queue's oldest message ages linearly. A smaller campaign 3.5 h earlier stayed "
                  "under 100 msg/s and did not throttle. carrier-out's CPU and memory rise modestly from retries; "
                  "the IAM change is on an unrelated billing role.",
            judgement="The rate limit belongs to the carrier, outside the account, so the resource is the "
                      "service whose submits are throttled. The campaign raised volume 2.5x on one carrier, but "
                      "the failure is the explicit 429 rate limit, the more specific `throttling`.")
    return sc


def build16() -> S91:
    sc = S91(16, "partner-events-504",
             "Partners see 504s posting events; partner-events-api 5XX alarm.", "eu-north-1", 9116,
             "2026-03-24T12:00:00+00:00")
    rng = sc.rng
    T_CFG, T_DEPLOY, T_DECOY = -1660, -1620, -1500
    load = lambda t: diurnal(sc, t, 12.0, 0.3)
    cut = lambda t: 1.0 if t >= T_DEPLOY else 0.0
    SLOW = 0.21
    api = sc.apigw("partner-events-api", lambda t: 400 * load(t), lambda t: 9.0 + bump(t, -9000, -8400, 40),
                   lambda t: 0.2 + SLOW * 400 * load(t) * cut(t),
                   lambda t: 1900 - 630 * cut(t), lambda t: 1870 - 630 * cut(t))
    fn = sc.lambda_fn("event-normalizer", "python3.12", 1024, 30, lambda t: 400 * load(t), lambda t: 0.1,
                      lambda t: 1880.0)
    sc.lambda_fn("partner-auth", "python3.12", 256, 5, lambda t: 400 * load(t), lambda t: 0.05, lambda t: 14.0)

    ll = LambdaLogs(sc, "event-normalizer", "python3.12", 1024, 30, retire=(T_DECOY,), mem_used=(380, 40))
    partners = [f"p-{rng.randint(10, 99)}" for _ in range(6)]
    acc = "/aws/apigateway/partner-events-api/access"
    exe = f"API-Gateway-Execution-Logs_{api['api_id']}/prod"
    exs = sc.hexid(32)
    pips = [f"192.0.2.{rng.randint(2, 250)}" for _ in range(5)]

    def body(ll, t, reqid, is_err, cold):
        slow = rng.random() < SLOW
        d = rng.uniform(3200, 8800) if slow else max(150.0, rng.gauss(780, 260))
        n = int(d / 9.5)
        p = sc.pick(partners)
        lines = [(0.003, ll.fmt(t, reqid, "INFO", f"batch received partner={p} events={n} bytes={n * 610}")),
                 (d / 1000 - 0.002, ll.fmt(t + d / 1000, reqid, "INFO",
                                           f"normalized batch partner={p} events={n} in {d / 1000:.2f}s"))]
        if rng.random() < 0.05:
            lines.insert(1, (0.2, ll.fmt(t + 0.2, reqid, "WARNING", f"partner={p} sent deprecated field 'msisdn_raw', "
                                         f"mapping to 'msisdn'")))
        ilat = d + rng.uniform(15, 40)
        if slow and t >= T_DEPLOY:
            rid = sc.uuid()
            sc.apigw_access(acc, t, "POST", "/v2/events", 504, 3000 + rng.uniform(5, 30), 3000, sc.pick(pips), 41,
                            "-", "Endpoint request timed out")
            sc.log(exe, exs, t + 3.0, f"({rid}) Execution failed due to a timeout error")
            sc.log(exe, exs, t + 3.001, f"({rid}) Method completed with status: 504")
        else:
            sc.apigw_access(acc, t, "POST", "/v2/events", 202, ilat + rng.uniform(8, 25), ilat, sc.pick(pips), 58, "200")
        return {"dur": d, "lines": lines}
    sc.lambda_run(ll, fn["inv"], fn["err"], body, per_min=5.0)
    sc.events(LOG_FROM, 0, lambda m: 0.6, lambda t: sc.apigw_access(
        acc, t, sc.pick(["GET", "POST"]), sc.pick(["/.env", "/wp-login.php", "/v2/admin"]), 403, 2, None,
        sc.ip("45.155"), 42, "-", "Missing Authentication Token"))

    sc.change(-15000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "partner-events-api",
              "terraform-apply")
    sc.change(T_CFG, "apigateway.amazonaws.com", "UpdateIntegration", "AWS::ApiGateway::RestApi",
              "partner-events-api", "anders.berg")
    sc.change(T_DEPLOY, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::RestApi",
              "partner-events-api", "anders.berg")
    sc.change(T_DECOY - 18, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "event-normalizer", "gh-actions-release")
    sc.change(T_DECOY, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "event-normalizer", "gh-actions-release")

    sc.alarm("partner-events-api-5xx", "AWS/ApiGateway", "5XXError", api["dims"], "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Partner events API 5xx")
    sc.alarm("partner-events-api-4xx", "AWS/ApiGateway", "4XXError", api["dims"], "Sum", 300, 1, 120,
             "GreaterThanThreshold")
    sc.alarm("event-normalizer-errors", "AWS/Lambda", "Errors", fn["dims"], "Sum", 300, 1, 5, "GreaterThanThreshold")
    sc.truth("partner-events-api-5xx", "config_change", ["partner-events-api"],
             [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": api["dims"]},
              {"namespace": "AWS/ApiGateway", "name": "IntegrationLatency", "dimensions": api["dims"]}])
    sc.card(alarm_on="origin (API Gateway)", services="API Gateway, Lambda", runtime="Python 3.12",
            log_style="API Gateway JSON access + execution log, Lambda plain (Python)",
            decoys="event-normalizer code deploy 2 min after the 504s began (closest to the alarm); 403 scanner "
                   "noise; 4XX spike 2.5 h earlier; stage update 4 h earlier",
            story="anders.berg calls UpdateIntegration on partner-events-api at -28 min and deploys the stage 40 s "
                  "later. From that deployment ~21 % of POST /v2/events return 504 `Endpoint request timed out`, "
                  "always at an integrationLatency of exactly 3000 ms, and the execution log shows `Execution failed "
                  "due to a timeout error`. The backend is unchanged: event-normalizer's invocations, errors and "
                  "duration are flat and its log shows the same large batches finishing in 3-9 s as for hours "
                  "before (when they returned 202). The integration timeout was lowered below the backend's tail "
                  "latency. The function's code deploy comes two minutes after the first 504s.",
            judgement="CloudTrail shows that the integration changed, not to what; the 3000 ms ceiling on "
                      "integrationLatency, with the backend's durations unchanged, is what places the fault in "
                      "the API's configuration rather than the function.")
    return sc


BUILDERS = [build15, build16]
