"""h94-03 (push dispatch role policy change) and h94-04 (member database I/O stall behind the BFF)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import mysql
from .kit import (LOG_START, LambdaLogs, M, apigw_set, after, emit, every, evening, expect,
                  lam_run, lambda_set, new, rds_set)


def _node_invoke_error(etype: str, msg: str, stack: list, **extra) -> str:
    obj = {"errorType": etype, "errorMessage": msg}
    obj.update(extra)
    obj["stack"] = [f"{etype}: {msg}"] + stack
    return "Invoke Error \t" + json.dumps(obj, separators=(",", ":"))


def build_03():
    sc = new(3, "ios-push-missing", "iOS users not receiving match and message push "
             "notifications; dispatch function Errors alarm.", "us-west-1", shift_min=7)
    rng = sc.rng
    fn, acct = "notif-dispatch", sc.account
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=15, memory_size=512,
                role=f"arn:aws:iam::{acct}:role/notif-dispatch-exec", event_source="sqs:push-outbox")
    sc.resource("lambda", "inbox-sync", runtime="nodejs20.x", timeout=30, memory_size=1024)
    cause, onset = -2230, -2210
    ev = lambda t: evening(sc, t)  # noqa: E731
    inv = lambda t: 360 * ev(t)  # noqa: E731
    ios = 0.56
    m = lambda_set(sc, fn, inv, lambda t: 0.5 + (ios * inv(t) if t >= onset else 0.0),
                   lambda t: 135 + (-25 if t >= onset else 0))
    lambda_set(sc, "inbox-sync", lambda t: 95 * ev(t), lambda t: 0.1, lambda t: 240.0)
    q = {"QueueName": "push-outbox"}
    M(sc, "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
      lambda t: 4 + max(0.0, 0.8 * (t - onset - 60)), noise=0.1)
    M(sc, "AWS/SQS", "NumberOfMessagesSent", q, "Count", lambda t: 365 * ev(t), integer=True)
    sc.alarm("notif-dispatch-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 15,
             "GreaterThanThreshold", "Push dispatch Lambda errors")
    sc.alarm("push-outbox-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Maximum", 300, 1, 600,
             "GreaterThanThreshold", "Push outbox backlog")
    sc.alarm("inbox-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "inbox-sync"}, "Sum", 300, 1,
             10, "GreaterThanThreshold")
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 15, prewarm=LOG_START, mem_used=(118, 9))
    sdk = ["    at throwDefaultError (/var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/"
           "dist-cjs/index.js:840:20)",
           "    at /var/runtime/node_modules/@aws-sdk/node_modules/@smithy/smithy-client/dist-cjs/index.js:849:5",
           "    at async /var/task/dispatch.js:61:7", "    at async Runtime.handler (/var/task/index.js:24:9)"]

    def body(ll, t, rid, is_err, cold):
        plat = "APNS" if (is_err and t >= onset) or rng.random() < ios else "GCM"
        app = "pairly-ios-prod" if plat == "APNS" else "pairly-android-prod"
        ep = f"arn:aws:sns:us-west-1:{acct}:endpoint/{plat}/{app}/{sc.uuid()}"
        kind = rng.choice(["new_match", "message", "message", "message", "like"])
        dur = max(30.0, rng.gauss(130, 35))
        lines = [(0.003, ll.fmt(t + 0.003, rid, "INFO", f"dispatching {kind} push user=u_{sc.hexid(8)} "
                                f"platform={plat}"))]
        r = rng.random()
        if r < 0.06:
            lines.append((0.08, ll.fmt(t + 0.08, rid, "WARN", f"EndpointDisabled: Endpoint is disabled; "
                                       f"dropping token {ep}")))
        elif r < 0.075:
            lines.append((0.07, ll.fmt(t + 0.07, rid, "ERROR", "InvalidParameterException: Invalid "
                                       "parameter: TargetArn Reason: No endpoint found for the target arn "
                                       "specified")))
        if is_err and t >= onset:
            lines.append((0.09, ll.fmt(t + 0.09, rid, "ERROR", _node_invoke_error(
                "AuthorizationErrorException",
                f"User: arn:aws:sts::{acct}:assumed-role/notif-dispatch-exec/{fn} is not authorized to "
                f"perform: SNS:Publish on resource: {ep} because no identity-based policy allows the "
                "SNS:Publish action", sdk, name="AuthorizationErrorException", **{"$fault": "client"},
                Type="Sender", Code="AuthorizationError"))))
            dur = max(20.0, rng.gauss(95, 20))
        elif is_err:
            lines.append((1.5, ll.fmt(t + 1.5, rid, "ERROR", _node_invoke_error(
                "TimeoutError", "Connection timed out after 1500 ms", [
                    "    at ClientRequest.<anonymous> (/var/runtime/node_modules/@aws-sdk/node_modules/"
                    "@smithy/node-http-handler/dist-cjs/index.js:132:19)"], name="TimeoutError"))))
            dur = rng.uniform(1520, 1600)
        else:
            lines.append((dur / 1000 - 0.003, ll.fmt(t + dur / 1000, rid, "INFO",
                                                     f"published MessageId={sc.uuid()}")))
        return {"dur": dur, "lines": lines}

    lam_run(ll, m["inv"], m["err"], body, ok_frac=0.012, err_frac=0.07)
    sc.change(-19300, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "analytics-readonly",
              "terraform-cloud")
    sc.change(cause, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "notif-dispatch-exec",
              "terraform-cloud")
    sc.change(-2140, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "inbox-sync", "circleci-deployer")
    sc.change(-2125, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "inbox-sync", "circleci-deployer")
    expect(sc, "notif-dispatch-errors", "permission_denied", [fn],
           [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta.update(decoys=[
        "inbox-sync code deploy between the policy change and the alarm",
        "EndpointDisabled / InvalidParameter push errors and SDK timeouts all afternoon",
        "second alarm on the SQS backlog it causes"],
        judgement=("The fault sits in the function's execution role, which is not one of the six "
                   "resource types; the function whose calls are denied is the accepted origin."),
        story=("Terraform rewrote the inline policy of role notif-dispatch-exec at -37 min; from the "
               "next invocation every push to an APNS endpoint fails with `AuthorizationErrorException "
               "... not authorized to perform: SNS:Publish` (Android/GCM pushes still publish), Errors "
               "jump to ~55 % of invocations and the push-outbox backlog alarm follows. Disabled-endpoint "
               "warnings, invalid-ARN errors and occasional SDK timeouts were there at the same rate "
               "before; the inbox-sync deploy is closer to the alarm but inbox-sync stays healthy."))
    return sc


def build_04():
    sc = new(4, "profile-screens-5xx", "Profile screens failing in the app; mobile-bff 5XX alarm "
             "paged.", "ap-southeast-1", shift_min=-4)
    rng = sc.rng
    api, db, fns = "mobile-bff", "members-db", ("profile-read", "likes-write")
    apiid = "k3v9qz71ta"
    sc.resource("apigateway", api, stage="prod", api_id=apiid)
    sc.resource("lambda", fns[0], runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.resource("lambda", fns[1], runtime="nodejs20.x", timeout=10, memory_size=512)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=500, multi_az=False)
    onset = -1930
    ev = lambda t: evening(sc, t)  # noqa: E731
    bad = lambda t: after(t, onset, 90)  # noqa: E731
    rd = lambda t: 520 * ev(t)  # noqa: E731
    wr = lambda t: 140 * ev(t)  # noqa: E731
    a = lambda_set(sc, fns[0], rd, lambda t: 0.2 + 0.8 * rd(t) * bad(t), lambda t: 48 + 4950 * bad(t))
    b = lambda_set(sc, fns[1], wr, lambda t: 0.1 + 0.85 * wr(t) * bad(t), lambda t: 31 + 4900 * bad(t))
    apigw_set(sc, api, lambda t: rd(t) + wr(t) + 60 * ev(t), lambda t: 6 * ev(t),
              lambda t: 0.3 + 0.8 * (rd(t) + wr(t)) * bad(t), lambda t: 75 + 4400 * bad(t))
    rds_set(sc, db, lambda t: (26 * ev(t)) * (1 - 0.85 * bad(t)),
            lambda t: 150 * ev(t) + 160 * bad(t), lambda t: 312.4 - 0.0006 * (t + 21600),
            rlat=lambda t: 0.0009 + 3.8 * bad(t), wlat=lambda t: 0.0016 + 6.5 * bad(t), freemem_gb=11.2)
    M(sc, "AWS/RDS", "ReadIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
      lambda t: 2400 * ev(t) * (1 - 0.97 * bad(t)), noise=0.08)
    M(sc, "AWS/RDS", "WriteIOPS", {"DBInstanceIdentifier": db}, "Count/Second",
      lambda t: 610 * ev(t) * (1 - 0.98 * bad(t)), noise=0.08)
    sc.alarm("mobile-bff-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "mobile-bff 5XX")
    sc.alarm("likes-write-errors", "AWS/Lambda", "Errors", {"FunctionName": fns[1]}, "Sum", 60, 5, 10,
             "GreaterThanThreshold")
    sc.alarm("members-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average",
             300, 3, 85, "GreaterThanThreshold")
    host = "members-db.c1xk2yv8hq.ap-southeast-1.rds.amazonaws.com"
    sdk_stack = ["    at PoolConnection._notifyError (/var/task/node_modules/mysql2/lib/connection.js:253:28)",
                 "    at Timeout.<anonymous> (/var/task/node_modules/mysql2/lib/commands/query.js:311:16)"]
    for fn, metrics, q in ((fns[0], a, "SELECT p.*, ph.url FROM profiles p JOIN profile_photos ph"),
                           (fns[1], b, "INSERT INTO likes (liker_id, likee_id, created_at)")):
        ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 10, prewarm=LOG_START, mem_used=(96, 8))

        def body(ll, t, rid, is_err, cold, q=q):
            uid = f"u_{sc.hexid(8)}"
            lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"{ll.fn} user={uid}"))]
            if rng.random() < 0.05:
                lines.append((1.2, ll.fmt(t + 1.2, rid, "WARN", f"slow query {rng.randint(1100, 1900)}ms: "
                                          f"{q} ... (rows={rng.randint(40, 400)})")))
            if is_err:
                err = rng.random()
                if err < 0.6:
                    line = _node_invoke_error("Error", "Query inactivity timeout", sdk_stack,
                                              code="PROTOCOL_SEQUENCE_TIMEOUT", fatal=True, timeout=5000)
                    dur = rng.uniform(5001, 5040)
                else:
                    line = _node_invoke_error("Error", "connect ETIMEDOUT", [
                        "    at PoolConnection._handleTimeoutError (/var/task/node_modules/mysql2/lib/"
                        "connection.js:205:17)"], errorno="ETIMEDOUT", code="ETIMEDOUT", syscall="connect",
                        fatal=True, address=host)
                    dur = rng.uniform(3000, 3030)
                lines.append((dur / 1000, ll.fmt(t + dur / 1000, rid, "ERROR", line)))
                return {"dur": dur, "lines": lines}
            dur = max(8.0, rng.gauss(45, 14))
            lines.append((dur / 1000, ll.fmt(t + dur / 1000, rid, "INFO", f"ok rows={rng.randint(1, 60)}")))
            return {"dur": dur, "lines": lines}

        lam_run(ll, metrics["inv"], metrics["err"], body, ok_frac=0.008, err_frac=0.012)
    g, s = f"API-Gateway-Execution-Logs_{apiid}/prod", f"{sc.hexid(32)}"
    emit(sc, g, s, onset + 40, 0, lambda t: 5 * bad(t),
         lambda t: (f"({sc.uuid()}) Lambda execution failed with status 200 due to customer function error: "
                    f"{rng.choice(['Query inactivity timeout', 'connect ETIMEDOUT'])}. Lambda request id: {sc.uuid()}"))
    emit(sc, g, s, LOG_START, 0, 0.6, lambda t: f"({sc.uuid()}) Method completed with status: "
         f"{rng.choice([400, 404, 404, 401])}")
    rg, rs = f"/aws/rds/instance/{db}/error", db
    emit(sc, rg, rs, LOG_START, onset, 0.5, lambda t: mysql(
        sc, t, rng.randint(100000, 999999), "Note", "MY-010914",
        f"Aborted connection {rng.randint(100000, 999999)} to db: 'members' user: 'app' host: "
        f"'10.30.{rng.randint(1, 40)}.{rng.randint(2, 250)}' (Got timeout reading communication packets).",
        "Server"))
    every(sc, rg, rs, LOG_START, 1800, lambda t: mysql(sc, t, 0, "Warning", "MY-010055",
          f"IP address '10.30.{rng.randint(1, 40)}.{rng.randint(2, 250)}' could not be resolved: Name or "
          "service not known", "Server"), t1=onset)
    for dt, code, msg in ((2, "MY-012592", "Operating system error number 5 in a file operation."),
                          (2.1, "MY-012596", "Error number 5 means 'Input/output error'"),
                          (2.2, "MY-012646", "File ./members/profile_photos.ibd: 'read' returned OS error 105. "
                                             "Cannot continue operation"),
                          (70, "MY-012592", "Operating system error number 5 in a file operation.")):
        sc.log(rg, rs, onset + dt, mysql(sc, onset + dt, 0, "ERROR", code, msg, "InnoDB"))
    every(sc, rg, rs, onset + 240, 240, lambda t: mysql(
        sc, t, 0, "Warning", "MY-012985", f"A long semaphore wait: --Thread {rng.randint(130000, 140000)} has "
        f"waited at buf0flu.cc line 1364 for {int(t - onset)} seconds the semaphore", "InnoDB"))
    sc.change(-16100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fns[0],
              "github-actions-deployer")
    sc.change(-1995, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/prod",
              "kelvin.lim")
    expect(sc, "mobile-bff-5xx", "dependency_failure", [db],
           [("AWS/RDS", "WriteLatency", {"DBInstanceIdentifier": db}),
            ("AWS/ApiGateway", "5XXError", {"ApiName": api})])
    sc.meta.update(front="front (API Gateway → Lambda → RDS)", decoys=[
        "UpdateStage on the alarmed API 65 s before onset",
        "profile-read deploy 4 h earlier; slow-query warnings and aborted-connection notes all afternoon"],
        judgement=("members-db is the failing dependency but is not exhausted (connections ~30 % of max, "
                   "CPU falling, storage free): its InnoDB log shows OS error 5 (I/O error) and stalled "
                   "flushes, so dependency_failure on the database, not a capacity category."),
        story=("At -32 min members-db's InnoDB hit `Operating system error number 5` (Input/output error) "
               "and stopped making progress: read/write IOPS collapse, Read/WriteLatency go to seconds, CPU "
               "falls. Both Lambdas behind mobile-bff (profile-read and likes-write) fail with mysql2 `Query "
               "inactivity timeout` / `connect ETIMEDOUT` and API Gateway 5XX follows. The UpdateStage on "
               "mobile-bff a minute before is a logging tweak with no effect on any signal; the slow-query "
               "warnings and aborted-connection notes were constant before."))
    return sc


BUILDERS = [build_03, build_04]
