"""h79-03 (cron reconciler losing table access after a role clean-up) and h79-04 (sign-in
gateway errors from one LDAP replica whose instance failed its status check)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, zap

from .kit import (LOG_START, apigw_access, binom, ecs_dims, lambda_set, meta, new, put, run_lambda,
                  syslog_ts, task_id, ticks)


# --------------------------------------------------------------------------- h79-03
def build03():
    sc = new(3, "seat-reconcile-errors", "Licence seat reconciliation cron failing every run; "
             "Errors alarm raised to the platform channel.", "ap-southeast-2",
             "2026-03-03T02:41:00+00:00")
    fn, other = "seat-reconcile", "invoice-pdf"
    sc.resource("lambda", fn, runtime="ruby3.3", timeout=120, memory_size=512,
                schedule="rate(1 minute)", role="billing-sync-exec")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=30, memory_size=1024)
    iam, onset = -2230, -2220
    inv = [1.0] * len(GRID)
    err = [1.0 if t >= onset else 0.0 for t in GRID]
    dur = [sc.rng.gauss(850, 90) if t >= onset else sc.rng.gauss(7400, 900) for t in GRID]
    lambda_set(sc, fn, inv, err, dur)
    oinv = put(sc, "AWS/Lambda", "Invocations", {"FunctionName": other}, "Count",
               lambda t: 3.5 * diurnal(sc, t, 3.0, 0.4), integer=True)
    sc.metric("AWS/Lambda", "Errors", {"FunctionName": other}, "Count",
              binom(sc, oinv, lambda t: 0.004))
    put(sc, "AWS/Lambda", "Duration", {"FunctionName": other}, "Milliseconds",
        lambda t: 2300 + bump(t, -5200, -4700, 17500, 120), noise=0.12)
    tenants = [f"t-{sc.rng.randint(1000, 9999)}" for _ in range(40)]
    arn = f"arn:aws:sts::{sc.account}:assumed-role/billing-sync-exec/{fn}"
    table = f"arn:aws:dynamodb:ap-southeast-2:{sc.account}:table/license-seats"

    def body(ll, t, r, is_err, cold):
        lines = [(0.01, ll.fmt(t, r, "INFO", "reconcile window opened (lag=60s)"))]
        if sc.rng.random() < 0.07:
            ten = sc.rng.choice(tenants)
            lines.append((3.1, ll.fmt(t + 3.1, r, "ERROR", f"Net::ReadTimeout talking to "
                                      f"https://licensing.vendor.example/v2/usage tenant={ten} "
                                      "(attempt 3/3); skipping tenant until next run")))
        if is_err:
            msg = (f"User: {arn} is not authorized to perform: dynamodb:Query on resource: {table} "
                   "because no identity-based policy allows the dynamodb:Query action")
            lines.append((0.62, ll.fmt(t + 0.62, r, "ERROR", f"reconcile aborted: "
                                       f"Aws::DynamoDB::Errors::AccessDeniedException: {msg}")))
            lines.append((0.63, json.dumps({"errorMessage": msg, "errorType":
                          "Function<Aws::DynamoDB::Errors::AccessDeniedException>", "stackTrace": [
                              "/var/runtime/gems/aws-sdk-core-3.191.3/lib/seahorse/client/plugins/"
                              "raise_response_errors.rb:17:in `call'",
                              "/var/task/lib/seat_store.rb:44:in `seats_for'",
                              "/var/task/lib/reconciler.rb:71:in `block in run'",
                              "/var/task/handler.rb:12:in `handle'"]})))
            return {"dur": sc.rng.gauss(850, 90), "lines": lines, "status": "error",
                    "error_type": "Function<Aws::DynamoDB::Errors::AccessDeniedException>"}
        n = sc.rng.randint(18, 40)
        lines.append((6.9, ll.fmt(t + 6.9, r, "INFO", f"reconciled {n} tenants, {sc.rng.randint(0, 6)} "
                                  "seat deltas written")))
        return {"dur": sc.rng.gauss(7400, 900), "lines": lines}

    ll = LambdaLogs(sc, fn, "ruby3.3", 512, 120, mem_used=(171, 9))
    run_lambda(sc, ll, inv, err, body)
    lo = LambdaLogs(sc, other, "nodejs20.x", 1024, 30, mem_used=(388, 30), retire=(-2160,))
    run_lambda(sc, lo, oinv, [0.0] * len(GRID), lambda l, t, r, e, c: {
        "dur": sc.rng.gauss(2300, 300),
        "lines": [(0.01, l.fmt(t, r, "INFO", f"rendering invoice inv-{sc.rng.randint(10 ** 5, 10 ** 6)}")),
                  (2.1, l.fmt(t + 2.1, r, "INFO", "uploaded pdf to s3://fin-docs-ap/invoices/"))]})

    sc.change(-9800, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "people-sync-exec",
              "terraform-cloud-platform")
    sc.change(iam, "iam.amazonaws.com", "DetachRolePolicy", "AWS::IAM::Role", "billing-sync-exec",
              "terraform-cloud-platform")
    sc.change(iam + 4, "iam.amazonaws.com", "DeletePolicy", "AWS::IAM::Policy",
              "billing-legacy-dynamo-rw", "terraform-cloud-platform")
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              other, "finance-ci")
    sc.alarm("seat-reconcile-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2,
             1, "GreaterThanThreshold", "Seat reconciliation cron failing")
    sc.alarm("invoice-pdf-duration-p", "AWS/Lambda", "Duration", {"FunctionName": other}, "Average",
             300, 1, 12000, "GreaterThanThreshold")
    sc.expect = {"alarm": "seat-reconcile-errors",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    meta(sc, category="permission_denied", resources=[fn], front="origin",
         services="Lambda (Ruby plain logger + runtime JSON error, Node)",
         decoys="code deploy of another function 1 min after onset; long-standing vendor ReadTimeout "
                "ERROR lines; earlier benign duration spike and alarm on that function",
         story="The every-minute reconciler starts failing on every run at -37 min. Ten seconds "
               "before, Terraform detached a policy from the role `billing-sync-exec` (the function's "
               "role, named after the team that used to own it) and deleted the legacy DynamoDB "
               "policy. From the next run on, every run dies with `AccessDeniedException ... is not "
               "authorized to perform: dynamodb:Query`. The vendor `Net::ReadTimeout` ERROR lines "
               "appear at the same low rate for all three hours and never fail a run. The "
               "`invoice-pdf` deploy a minute later is on an unrelated function whose errors stay at "
               "zero.")
    return sc


# --------------------------------------------------------------------------- h79-04
def build04():
    sc = new(4, "sso-gateway-5xx", "Sign-in failures across internal tools; SSO gateway 5XXError "
             "alarm.", "eu-central-1", "2026-06-22T08:26:00+00:00")
    api, cl, svc = "sso-gateway", "idp", "token-exchange"
    r1, r2 = "i-0a4c6e8f0b2d41357", "i-0d3f5a7c9e1b24680"
    ip1, ip2 = "10.20.3.18", "10.20.4.31"
    sc.resource("apigateway", api, stage="v1", integration="VPC link -> idp/token-exchange")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
                task_definition="token-exchange:88", log_group="/ecs/idp/token-exchange")
    sc.resource("ec2", r1, name="dir-replica-1", instance_type="m6i.large", private_ip=ip1,
                log_groups=["/ec2/directory/slapd", "/ec2/directory/messages"])
    sc.resource("ec2", r2, name="dir-replica-2", instance_type="m6i.large", private_ip=ip2,
                log_groups=["/ec2/directory/slapd", "/ec2/directory/messages"])
    sc.resource("lambda", "avatar-thumbs", runtime="python3.11", timeout=30, memory_size=1024)
    fail_t = -1850
    down = lambda t: t >= fail_t
    cnt = put(sc, "AWS/ApiGateway", "Count", {"ApiName": api}, "Count",
              lambda t: 95 * diurnal(sc, t, 9.0, 0.45), integer=True)
    e5 = binom(sc, cnt, lambda t: 0.001 + 0.31 * down(t))
    sc.metric("AWS/ApiGateway", "5XXError", {"ApiName": api}, "Count", e5)
    sc.metric("AWS/ApiGateway", "4XXError", {"ApiName": api}, "Count", binom(sc, cnt, lambda t: 0.04))
    put(sc, "AWS/ApiGateway", "Latency", {"ApiName": api}, "Milliseconds",
        lambda t: 140 + 1600 * down(t), noise=0.1)
    put(sc, "AWS/ApiGateway", "IntegrationLatency", {"ApiName": api}, "Milliseconds",
        lambda t: 128 + 1600 * down(t), noise=0.1)
    d = ecs_dims(cl, svc)
    put(sc, "AWS/ECS", "CPUUtilization", d, "Percent", lambda t: 21 * diurnal(sc, t, 9.0, 0.45), noise=0.08)
    put(sc, "AWS/ECS", "MemoryUtilization", d, "Percent", lambda t: 33 + 3 * ramp(t, -4300, -4100), noise=0.02)
    for iid, base, spike in ((r1, 11, 64), (r2, 12, 0)):
        dims = {"InstanceId": iid}
        bad = (lambda t: down(t)) if iid == r2 else (lambda t: False)
        put(sc, "AWS/EC2", "CPUUtilization", dims, "Percent",
            lambda t: 0.4 if bad(t) else base + bump(t, -7300, -6500, spike, 180), noise=0.1)
        put(sc, "AWS/EC2", "StatusCheckFailed", dims, "Count", lambda t: 1.0 if bad(t) else 0.0, noise=0.0)
        put(sc, "AWS/EC2", "StatusCheckFailed_Instance", dims, "Count", lambda t: 1.0 if bad(t) else 0.0, noise=0.0)
        put(sc, "AWS/EC2", "StatusCheckFailed_System", dims, "Count", lambda t: 0.0, noise=0.0)
        put(sc, "AWS/EC2", "NetworkIn", dims, "Bytes", lambda t: 900.0 if bad(t) else 2.1e6, noise=0.15)
        put(sc, "CWAgent", "mem_used_percent", dims, "Percent", lambda t: None if bad(t) else 46.0, noise=0.02)
        put(sc, "CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"},
            "Percent", lambda t: None if bad(t) else 38.0, noise=0.002)

    users = [f"{a}.{b}" for a in ("anna", "li", "omar", "ravi", "sofia", "tom", "yuki")
             for b in ("k", "m", "s", "w")]
    caller = "github.com/corp/idp/token-exchange/internal"
    tasks = [(task_id(sc), f"10.20.{sc.rng.randint(8, 12)}.{sc.rng.randint(5, 250)}") for _ in range(3)]
    for tid, _ in tasks:
        g, st = "/ecs/idp/token-exchange", f"svc/token-exchange/{tid}"
        for t in ticks(sc, lambda m: 2.6):
            host, hip = (r2, ip2) if sc.rng.random() < 0.5 else (r1, ip1)
            u = sc.rng.choice(users)
            if down(t) and host == r2:
                sc.log(g, st, t, zap(sc, t, "error", "ldap bind failed", f"{caller}/ldapauth/pool.go:142",
                                     user=u, ldap_host=f"ldaps://{hip}:636", latency_ms=5003,
                                     error=f'LDAP Result Code 200 "Network Error": dial tcp {hip}:636: i/o timeout'))
                sc.log(g, st, t + 0.001, zap(sc, t + 0.001, "warn", "token exchange failed",
                                             f"{caller}/http/handlers.go:88", status=503, path="/oauth2/token"))
            else:
                sc.log(g, st, t, zap(sc, t, "info", "token issued", f"{caller}/http/handlers.go:74",
                                     user=u, ldap_host=f"ldaps://{hip}:636",
                                     latency_ms=int(sc.rng.gauss(110, 20)), grant="authorization_code"))
        for t in ticks(sc, lambda m: 0.12):
            sc.log(g, st, t, zap(sc, t, "error", "refresh token reuse detected; revoking family",
                                 f"{caller}/tokens/refresh.go:203", client_id=sc.rng.choice(
                                     ["wiki-legacy", "expense-app", "jira-sso-bridge"]), status=400))
    for iid, hip in ((r1, ip1), (r2, ip2)):
        host = "ip-" + hip.replace(".", "-")
        end = fail_t - 12 if iid == r2 else 0.0
        for t in ticks(sc, lambda m: 3.0, LOG_START, end):
            c, op = sc.rng.randint(10000, 99999), sc.rng.randint(1, 4)
            u = sc.rng.choice(users)
            stamp = syslog_ts(sc, t)
            sc.log("/ec2/directory/slapd", iid, t, f'{stamp} {host} slapd[1187]: conn={c} op={op} SRCH '
                   f'base="ou=people,dc=corp,dc=internal" scope=2 deref=0 filter="(uid={u})"')
            sc.log("/ec2/directory/slapd", iid, t + 0.003, f"{stamp} {host} slapd[1187]: conn={c} op={op} "
                   "SEARCH RESULT tag=101 err=0 qtime=0.000012 etime=0.000811 nentries=1 text=")
        for t in ticks(sc, lambda m: 0.07, LOG_START, end):
            stamp = syslog_ts(sc, t)
            sc.log("/ec2/directory/messages", iid, t, f"{stamp} {host} systemd[1]: Started "
                   "sysstat-collect.service - system activity accounting tool.")
        if iid == r2:
            for k, msg in enumerate(["kernel: nvme nvme0: I/O 417 QID 2 timeout, aborting",
                                     "kernel: nvme nvme0: I/O 417 QID 2 timeout, reset controller",
                                     "kernel: INFO: task slapd:1187 blocked for more than 122 seconds.",
                                     "kernel: blk_update_request: I/O error, dev nvme0n1, sector 4198400 op 0x1:(WRITE)"]):
                t = fail_t - 140 + 40 * k
                stamp = syslog_ts(sc, t)
                sc.log("/ec2/directory/messages", iid, t, f"{stamp} {host} {msg}")
    gid = "x3m8s0v2pd"
    for t in ticks(sc, lambda m: 1.2):
        bad = down(t) and sc.rng.random() < 0.31
        sc.log(f"API-Gateway-Access-Logs_{gid}/v1", f"{gid}-v1", t,
               apigw_access(sc, t, sc.ip("10.21"), "POST", "/oauth2/token", 503 if bad else 200,
                            5040 if bad else int(sc.rng.gauss(140, 25)), 5031 if bad else int(sc.rng.gauss(128, 25))))

    sc.change(-4310, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "token-exchange:88", "gitlab-runner-idp")
    sc.change(-4300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "gitlab-runner-idp")
    sc.change(-1760, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "avatar-thumbs", "p.nowak@corp-sso")
    sc.alarm("sso-gateway-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Sign-in gateway 5xx")
    sc.alarm("sso-gateway-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average", 300, 1,
             1000, "GreaterThanThreshold")
    sc.alarm("dir-replica-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": r1}, "Average", 300, 2,
             60, "GreaterThanThreshold")
    sc.expect = {"alarm": "sso-gateway-5xx",
                 "root_cause": {"category": "dependency_failure", "resource": [r2, "dir-replica-2"]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}},
                               {"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": r2}}]}
    meta(sc, category="dependency_failure", resources=[r2, "dir-replica-2"], front="front (API Gateway)",
         services="API Gateway (JSON access log), ECS (Go/zap JSON), EC2 (OpenLDAP syslog, kernel messages)",
         decoys="token-exchange deploy 41 min before onset; Lambda config edit 1.5 min after onset; "
                "long-standing refresh-token-reuse errors; replica-1 CPU spike and its alarm",
         story="About 31 % of `/oauth2/token` calls return 503 after 5 s from -31 min on. The "
               "token service's zap logs show the failures only for `ldaps://10.20.4.31:636` "
               "(`dial tcp ... i/o timeout`), while binds to 10.20.3.18 keep succeeding. 10.20.4.31 "
               "is `dir-replica-2`. Its kernel logs NVMe I/O timeouts and a blocked slapd, then its "
               "logs and CloudWatch agent metrics stop, StatusCheckFailed_Instance goes to 1 and CPU "
               "falls to ~0. The token-exchange deploy 40 min earlier was followed by 40 clean "
               "minutes, and the Lambda edit after the onset touches an unrelated function.")
    return sc


BUILDERS = [build03, build04]
