"""h95-03 loyalty points post: ledger table env var mistyped (config change, Java Lambda behind
API Gateway); h95-04 shelf-label push loses its queue permission (permission denied, Python Lambda)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs

from .kit import CAN, EAST, binom, bump, diurnal, jline, lam_metrics, new, put, times, vals


def build_03():
    sc = new(3, "loyalty-points-5xx", "Loyalty points not posting at checkout; the "
             "loyalty-gateway 5XX alarm is firing.", EAST, "2026-11-18T14:32:00+00:00")
    CFG = -2280
    fn, other, api = "member-points-post", "member-balance-get", "loyalty-gateway"
    sc.resource("apigateway", api, stage="prod", endpoint_type="REGIONAL")
    sc.resource("lambda", fn, runtime="java21", timeout=30, memory_size=1024,
                handler="com.grocer.loyalty.points.PostPointsHandler::handleRequest")
    sc.resource("lambda", other, runtime="java21", timeout=15, memory_size=768)
    bad = lambda t: t >= CFG + 8
    ns, d = "AWS/ApiGateway", {"ApiName": api}
    load = lambda t: 26 * diurnal(sc, t, 17, 0.35)
    count = put(sc, ns, "Count", d, "Count", load, noise=0.05, integer=True)
    posts = binom(sc, count, lambda t: 0.4)
    inv, err = lam_metrics(sc, fn, None, lambda t: 0.97 if bad(t) else 0.0015,
                           lambda t: 180 if bad(t) else 240, 30, inv_values=posts)
    e5 = [e + x for e, x in zip(err, binom(sc, count, lambda t: 0.0006))]
    vals(sc, ns, "5XXError", d, "Count", e5)
    vals(sc, ns, "4XXError", d, "Count", binom(sc, count, lambda t: 0.035))
    put(sc, ns, "Latency", d, "Milliseconds", lambda t: 210 + bump(t, -9300, -9000, 900, 60) -
        40 * bad(t), noise=0.08, digits=2)
    lam_metrics(sc, other, lambda t: 15 * diurnal(sc, t, 17, 0.35), lambda t: 0.001,
                lambda t: 95 + bump(t, CFG - 400, CFG - 300, 1500, 30), 15)
    sc.alarm("loyalty-gateway-5xx", ns, "5XXError", d, "Sum", 60, 3, 3.0, "GreaterThanThreshold",
             "loyalty-gateway prod stage 5XX responses")
    sc.alarm("loyalty-gateway-latency", ns, "Latency", d, "Average", 300, 2, 1500.0,
             "GreaterThanThreshold", "loyalty-gateway average latency")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "java21", 1024, 30, retire=(CFG,), mem_used=(265, 18), prewarm=-9000)

    def body(ll, t, rid, is_err, cold):
        table = "loyalty-ledger-prd" if bad(t) else "loyalty-ledger-prod"
        init = [(0.8, ll.fmt(t, "", "INFO", f"Loaded configuration: LEDGER_TABLE={table}, "
                                           "POINTS_RULESET=2026-W47, TIER_CACHE_TTL=300"))] if cold else []
        member = f"60{rng.randint(10 ** 8, 10 ** 9 - 1)}"
        txn = f"{rng.randint(101, 498):04d}-{rng.randint(1, 14):02d}-{rng.randint(10 ** 5, 10 ** 6)}"
        pts = rng.randint(4, 380)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"c.g.l.points.PostPointsHandler - Posting {pts} points "
                                                f"member={member} txn={txn}"))]
        if is_err and bad(t):
            rq = sc.hexid(20).upper()
            msg = (f"Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: {rq})")
            lines.append((0.15, ll.fmt(t, rid, "ERROR", f"c.g.l.points.LedgerWriter - PutItem on table "
                                                         f"{table} failed: {msg}")))
            lines.append((0.152, jline({"errorMessage": msg, "errorType": "software.amazon.awssdk.services."
                         "dynamodb.model.ResourceNotFoundException", "stackTrace": [
                             "software.amazon.awssdk.core.internal.http.CombinedResponseHandler."
                             "handleErrorResponse(CombinedResponseHandler.java:125)",
                             "com.grocer.loyalty.points.LedgerWriter.append(LedgerWriter.java:88)",
                             "com.grocer.loyalty.points.PostPointsHandler.handleRequest(PostPointsHandler."
                             "java:61)"]})))
            return {"lines": lines, "dur": rng.gauss(170, 25), "init_lines": init}
        if is_err:
            lines.append((0.2, ll.fmt(t, rid, "ERROR", "c.g.l.points.PostPointsHandler - Ledger write "
                         "rejected: ConditionalCheckFailedException (duplicate txn) ")))
            return {"lines": lines, "dur": rng.gauss(200, 30), "init_lines": init}
        if rng.random() < 0.12:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"c.g.l.points.TierResolver - Tier cache stale for "
                                                       f"member={member}; using last known tier GOLD")))
        lines.append((0.22, ll.fmt(t, rid, "INFO", f"c.g.l.points.LedgerWriter - Appended ledger entry "
                                                   f"member={member} balance={rng.randint(500, 90000)}")))
        return {"lines": lines, "dur": rng.gauss(235, 35), "init_lines": init}

    ll.run(counts_per_minute(inv, -9000, 0), counts_per_minute(err, -9000, 0), body)
    apig = f"API-Gateway-Execution-Logs_{sc.hexid(10)}/prod"
    for t in times(sc, lambda t: 1.2, start=-9000):
        rid = sc.uuid()
        sc.log(apig, "prod-exec", t, f"({rid}) Method completed with status: 404")
    for t in times(sc, lambda t: 4.0 if bad(t) else 0.0, start=CFG):
        rid = sc.uuid()
        sc.log(apig, "prod-exec", t, f"({rid}) Endpoint response body before transformations: "
               '{"errorMessage":"Requested resource not found (Service: DynamoDb, Status Code: 400)",'
               '"errorType":"software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException"}')
        sc.log(apig, "prod-exec", t + 0.002, f"({rid}) Method completed with status: 502")
    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-loyalty-deployer")
    sc.change(CFG - 420, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "gha-loyalty-deployer")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              fn, "jmorin")
    sc.change(CFG + 900, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", api,
              "jmorin")
    sc.expect = {"alarm": "loyalty-gateway-5xx",
                 "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "front (API Gateway) / origin Lambda", "services": ["apigateway", "lambda"],
               "runtime": "Java 21 Lambda (plain + error JSON)",
               "decoys": "code deploy of member-balance-get 7 min earlier with a latency blip; steady 404s "
                         "and tier-cache WARNs; API redeploy after onset; latency bump 2.5 h earlier",
               "story": "jmorin updates member-points-post's configuration from the console. Every new "
                        "execution environment logs LEDGER_TABLE=loyalty-ledger-prd where the old ones "
                        "logged loyalty-ledger-prod, and from then on nearly every invocation fails with "
                        "DynamoDB ResourceNotFoundException naming that table; API Gateway turns them into "
                        "502s. The only code change on the function was four hours earlier with no errors "
                        "after it; member-balance-get was deployed seven minutes earlier but serves a "
                        "different route and is healthy."}
    return sc


# =========================================================================== 04
def build_04():
    sc = new(4, "shelf-label-push-errors", "Electronic shelf labels not showing tomorrow's prices; "
             "esl-push Errors alarm is firing.", CAN, "2026-11-20T09:16:00+00:00")
    IAM = -1980
    fn, other = "esl-push", "planogram-export"
    role = "esl-push-exec"
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=256, role=role,
                environment_keys=["LABEL_QUEUE_URL", "BATCH_SIZE"])
    sc.resource("lambda", other, runtime="python3.12", timeout=300, memory_size=1024)
    bad = lambda t: t >= IAM + 12
    inv, err = lam_metrics(sc, fn, lambda t: 9 * diurnal(sc, t, 15, 0.2), lambda t: 0.9 if bad(t) else 0.004,
                           lambda t: 640 if not bad(t) else 410, 60)
    lam_metrics(sc, other, lambda t: 1.2, lambda t: 0.0,
                lambda t: 48000 + bump(t, IAM + 60, IAM + 420, 70000, 90), 300)
    sc.alarm("esl-push-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", "Shelf-label push failures")
    sc.alarm("planogram-export-slow", "AWS/Lambda", "Duration", {"FunctionName": other}, "Maximum", 300, 1,
             100000.0, "GreaterThanThreshold", "planogram export near its timeout")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "python3.12", 256, 60, mem_used=(92, 6))
    acct = sc.account
    q = f"arn:aws:sqs:{CAN}:{acct}:esl-label-updates"

    def body(ll, t, rid, is_err, cold):
        store = f"{rng.randint(2101, 2398):04d}"
        n = rng.randint(40, 900) if (is_err or not bad(t)) else 0
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"store={store} label_changes={n} effective=2026-11-21"))]
        if rng.random() < 0.35:
            mac = ":".join(f"{rng.randint(0, 255):02X}" for _ in range(4))
            lines.append((0.01, ll.fmt(t, rid, "WARNING", f"label {mac} offline at store {store}; "
                                                          "will retry on next heartbeat")))
        if is_err and bad(t):
            lines.append((0.12, "[ERROR] ClientError: An error occurred (AccessDenied) when calling the "
                          f"SendMessageBatch operation: User: arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not "
                          f"authorized to perform: sqs:sendmessage on resource: {q} because no identity-based "
                          "policy allows the sqs:sendmessage action\nTraceback (most recent call last):\n"
                          '  File "/var/task/esl_push/handler.py", line 64, in handler\n'
                          "    queue.send_messages(Entries=batch)\n"
                          '  File "/var/runtime/boto3/resources/factory.py", line 581, in do_action\n'
                          "    response = action(self, *args, **kwargs)"))
            return {"lines": lines, "dur": rng.gauss(380, 60)}
        if is_err:
            lines.append((0.05, f"[ERROR] ValueError: price_cents must be >= 0 (sku {rng.randint(10 ** 6, 10 ** 7)})"
                          "\nTraceback (most recent call last):\n  File \"/var/task/esl_push/handler.py\", "
                          "line 41, in handler\n    rows = [LabelRow.parse(r) for r in records]"))
            return {"lines": lines, "dur": rng.gauss(120, 20)}
        if n == 0:
            lines.append((0.02, ll.fmt(t, rid, "INFO", f"nothing to send for store {store}")))
            return {"lines": lines, "dur": rng.gauss(60, 10)}
        lines.append((0.5, ll.fmt(t, rid, "INFO", f"queued {(n + 9) // 10} batches for store {store}")))
        return {"lines": lines, "dur": rng.gauss(640, 90)}

    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)
    ll2 = LambdaLogs(sc, other, "python3.12", 1024, 300, retire=(IAM + 90,), mem_used=(520, 40))
    ll2.run({m: 1 for m in range(-10800, 0, 60) if rng.random() < 0.5}, {},
            lambda ll, t, rid, e, c: {"lines": [(0.01, ll.fmt(t, rid, "INFO", "exporting planogram for "
                                      f"{rng.randint(3, 12)} stores"))], "dur": rng.gauss(48000, 5000) +
                                      (70000 if IAM + 60 < t < IAM + 420 else 0)})
    sc.change(-19800, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(IAM - 60, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "esl-shared-read",
              "secops-automation")
    sc.change(IAM, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", role, "secops-automation")
    sc.changes[-1]["region"] = sc.changes[-2]["region"] = "us-east-1"
    sc.change(IAM + 90, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "ci-deployer")
    sc.expect = {"alarm": "esl-push-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "origin", "services": ["lambda"], "runtime": "Python 3.12 Lambda (plain)",
               "decoys": "planogram-export deploy 90 s after the IAM change with its own slow-duration alarm; "
                         "steady label-offline WARNs and price ValueErrors; an older deploy of esl-push",
               "story": "secops-automation detaches a policy from the esl-push-exec role (IAM events are "
                        "recorded in us-east-1). Twelve seconds later every esl-push invocation that has "
                        "labels to send fails with AccessDenied on sqs:sendmessage to esl-label-updates, "
                        "naming that role. planogram-export is deployed 90 s later, closer to the alarm, "
                        "and has a slow run that trips its own Duration alarm, but it never errors. The "
                        "offline-label WARNs and negative-price ValueErrors are at their usual rate."}
    return sc


BUILDERS = [build_03, build_04]
