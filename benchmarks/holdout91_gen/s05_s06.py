"""h91-05 number-porting API (.NET on ECS) loses kms:Decrypt on its task role;
h91-06 SMS send API (Node on ECS) loses its Redis rate-limit cache host (EC2 system check failure)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump
from benchmarks.holdout57_gen.runtimes import pino, serilog

from .base import LOG_FROM, S91, diurnal, dotnet_trace, ecs_stream, task_ids


def build05() -> S91:
    sc = S91(5, "porting-api-500s",
             "Port-in requests failing on the partner portal; porting-gw target 5XX alarm.",
             "ap-south-1", 9105, "2026-03-09T11:05:00+00:00")
    rng = sc.rng
    T_IAM, T_DECOY = -2100, -2035
    load = lambda t: diurnal(sc, t, 10.5, 0.3)
    bad = lambda t: 1.0 if t >= T_IAM + 12 else 0.0
    LOA = 0.46
    alb = sc.alb("porting-gw", lambda t: 260 * load(t), lambda t: 0.4 + LOA * 260 * load(t) * bad(t),
                 lambda t: 0.1, lambda t: 0.21 - 0.05 * bad(t), healthy=4,
                 t4xx=lambda t: 9 + bump(t, -16000, -15000, 25))
    svc = sc.ecs("porting", "port-request-api", lambda t: 22 * load(t) + bump(t, -8400, -7900, 30),
                 lambda t: 47.0, lambda t: 4.0, desired_count=4, runtime="dotnet8",
                 task_role="port-request-task-role")
    sc.ecs("porting", "port-status-worker", lambda t: 15.0, lambda t: 33.0, lambda t: 2.0, desired_count=2,
           runtime="dotnet8")
    sc.rds("porting-db", "sqlserver-se", "db.m6i.xlarge", 1000, 400, lambda t: 18 * load(t) + bump(t, -12600, -12000, 45),
           lambda t: 48.0)

    app = "port-request-api"
    key = sc.uuid()
    lg_grp = f"/ecs/{app}"
    tasks = task_ids(sc, 2)
    partners = ["jio-partner", "bsnl-wholesale", "vodafone-idea-np", "airtel-np"]
    for task in tasks:
        st = ecs_stream(app, task)
        lg = lambda t, lvl, src, msg, st=st: sc.log(lg_grp, st, t, serilog(sc, t, lvl, src, msg))

        def ok(t, lg=lg):
            if rng.random() < LOA:
                pid = f"PR{rng.randint(10 ** 7, 10 ** 8 - 1)}"
                lg(t, "INF", "Porting.Api.Documents.LoaStore", f"Decrypted LOA document for {pid} ({rng.randint(80, 900)} KB)")
            lg(t + 0.05, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
               f"Request finished HTTP/1.1 {sc.pick(['POST /v1/port-requests', 'GET /v1/port-requests/status'])} - "
               f"200 - application/json {rng.uniform(40, 380):.4f}ms")
        sc.events(LOG_FROM, 0, lambda m: 2.4 * load(m) * (1 - LOA * bad(m)), ok)
        sc.events(LOG_FROM, 0, lambda m: 0.35, lambda t, lg=lg: lg(
            t, "WRN", "Porting.Api.Auth.PartnerKeyHandler",
            f"Rejected request from partner bsnl-wholesale: API key expired (key id ak_{sc.hexid(8)}) -> 401"))
        sc.events(LOG_FROM, 0, lambda m: 0.2, lambda t, lg=lg: lg(
            t, "ERR", "Porting.Api.Npac.NpacClient",
            f"NPAC gateway SOAP fault for {sc.pick(partners)}: 'Port request not found' (code 6104)"))

        def denied(t, lg=lg, task=task):
            pid = f"PR{rng.randint(10 ** 7, 10 ** 8 - 1)}"
            lg(t, "ERR", "Porting.Api.Documents.LoaStore", f"Failed to decrypt LOA document for {pid}\n"
               f"Amazon.KeyManagementService.Model.AccessDeniedException: User: arn:aws:sts::{sc.account}:"
               f"assumed-role/port-request-task-role/{task} is not authorized to perform: kms:Decrypt on resource: "
               f"arn:aws:kms:ap-south-1:{sc.account}:key/{key} because no identity-based policy allows the "
               f"kms:Decrypt action\n ---> Amazon.Runtime.Internal.HttpErrorResponseException: Exception of type "
               f"'Amazon.Runtime.Internal.HttpErrorResponseException' was thrown.\n" + dotnet_trace([
                   "Amazon.Runtime.HttpWebRequestMessage.ProcessHttpResponseMessage(HttpResponseMessage responseMessage)",
                   "Amazon.KeyManagementService.AmazonKeyManagementServiceClient.DecryptAsync(DecryptRequest request, "
                   "CancellationToken cancellationToken)",
                   "Porting.Api.Documents.LoaStore.OpenAsync(String portRequestId) in /src/Porting.Api/Documents/LoaStore.cs:line 71"]))
            lg(t + 0.004, "ERR", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware",
               "An unhandled exception has occurred while executing the request.")
            lg(t + 0.006, "INF", "Microsoft.AspNetCore.Hosting.Diagnostics",
               f"Request finished HTTP/1.1 POST /v1/port-requests - 500 - application/problem+json "
               f"{rng.uniform(30, 90):.4f}ms")
        sc.events(T_IAM, 0, lambda m: 2.0 * LOA * load(m) * bad(m), denied)

    sc.change(-19000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "porting/port-request-api",
              "github-actions-deploy")
    sc.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "port-request-task-role",
              "terraform-apply")
    sc.change(T_DECOY - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "port-status-worker:57", "github-actions-deploy")
    sc.change(T_DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "porting/port-status-worker",
              "github-actions-deploy")
    sc.change(-1500, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "porting-db",
              "aws-backup-operator")

    sc.alarm("porting-gw-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb["dims"], "Sum", 60, 3,
             10, "GreaterThanThreshold", "Porting API 5xx")
    sc.alarm("porting-gw-target-4xx", "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb["dims"], "Sum", 300, 1,
             100, "GreaterThanThreshold")
    sc.alarm("port-request-api-cpu", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 3, 75,
             "GreaterThanThreshold")
    sc.truth("porting-gw-target-5xx", "permission_denied", ["porting/port-request-api", "port-request-api"],
             [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS, RDS SQL Server", runtime=".NET 8",
            log_style="Serilog plain",
            decoys="port-status-worker deployment 1 min after the IAM change; steady 401 expired-key WARNs and "
                   "NPAC SOAP faults; RDS snapshot; 4XX spike hours earlier",
            story="terraform-apply rewrites the inline policy of port-request-task-role at -35 min. Within seconds "
                  "every request that opens a Letter-of-Authorisation document fails with "
                  "`AccessDeniedException ... assumed-role/port-request-task-role/... is not authorized to perform: "
                  "kms:Decrypt ... because no identity-based policy allows the kms:Decrypt action`, and the ALB "
                  "counts ~45 % of requests as target 5xx. Status lookups that need no document keep working. The "
                  "port-status-worker deployment comes a minute later, on a worker that serves no ALB traffic.",
            judgement="The change was made on an IAM role, which is not one of the resource types; the origin "
                      "resource is the ECS service whose calls are denied (with its bare service name).")
    return sc


def build06() -> S91:
    sc = S91(6, "send-api-503",
             "SMS send API returning 503 to customers; sms-public target 5XX alarm.",
             "us-east-1", 9106, "2026-03-14T16:30:00+00:00")
    rng = sc.rng
    T_FAIL, T_DECOY = -2880, -2950
    load = lambda t: diurnal(sc, t, 16.0, 0.25)
    down = lambda t: 1.0 if t >= T_FAIL else 0.0
    SEND = 0.62
    iid = "i-0" + sc.hexid(16)
    alb = sc.alb("sms-public", lambda t: 1800 * load(t), lambda t: 1 + SEND * 1800 * load(t) * down(t),
                 lambda t: 0.5, lambda t: 0.085 + 0.62 * down(t), healthy=8,
                 t4xx=lambda t: 40 * load(t))
    svc = sc.ecs("sms", "send-api", lambda t: 38 * load(t) - 9 * down(t), lambda t: 54.0, lambda t: 8.0,
                 desired_count=8, runtime="nodejs20")
    host = sc.ec2(iid, "rl-cache-01", "r6g.large",
                  lambda t: None if t >= T_FAIL else 14 * load(t) + bump(t, -13200, -12900, 30),
                  mem=lambda t: None if t >= T_FAIL else 61.0,
                  disk=lambda t: None if t >= T_FAIL else 23.0,
                  status=lambda t: 1.0 if t >= T_FAIL else 0.0,
                  netin=lambda t: None if t >= T_FAIL else 9.5e7 * load(t),
                  log_groups=["/cpaas/redis/rl-cache-01"])
    sc.lambda_fn("usage-export", "nodejs20.x", 1024, 300, lambda t: 2.0, lambda t: 0.0, lambda t: 41000.0)

    app, grp = "send-api", "/ecs/send-api"
    redis_ip = sc.ip("10.40")
    for task in task_ids(sc, 3):
        st = ecs_stream(app, task)
        host_name = f"ip-{sc.ip('10.40').replace('.', '-')}.ec2.internal"
        lg = lambda t, lvl, msg, st=st, h=host_name, **kw: sc.log(grp, st, t, pino(sc, t, lvl, msg, h, **kw))

        def ok(t, lg=lg):
            send = rng.random() < SEND
            lg(t, "info", "request completed", reqId=f"req-{rng.randint(1, 99999)}",
               res={"statusCode": 202 if send else 200},
               req={"method": "POST" if send else "GET", "url": "/v1/messages" if send else "/v1/messages/status"},
               responseTime=round(rng.gauss(70, 20), 1))
        sc.events(LOG_FROM, 0, lambda m: 2.5 * load(m) * (1 - SEND * down(m)), ok)
        sc.events(LOG_FROM, 0, lambda m: 0.8, lambda t, lg=lg: lg(
            t, "error", "carrier rejected submit", carrier="c-088", code="0x0000000A",
            err={"type": "SubmitError", "message": "ESME_RINVSRCADR: invalid source address (sender id not registered)"}))

        def fail(t, lg=lg):
            if rng.random() < 0.6:
                lg(t, "error", "rate limiter unavailable, rejecting submit", reqId=f"req-{rng.randint(1, 99999)}",
                   err={"type": "Error", "message": f"connect ETIMEDOUT {redis_ip}:6379", "code": "ETIMEDOUT",
                        "stack": f"Error: connect ETIMEDOUT {redis_ip}:6379\n    at Socket.<anonymous> "
                                 "(/app/node_modules/ioredis/built/Redis.js:170:41)"})
            else:
                lg(t, "error", "rate limiter unavailable, rejecting submit", reqId=f"req-{rng.randint(1, 99999)}",
                   err={"type": "MaxRetriesPerRequestError",
                        "message": "Reached the max retries per request limit (which is 2). Refer to "
                                   "\"maxRetriesPerRequest\" option for details."})
            lg(t + 1.2, "info", "request completed", reqId=f"req-{rng.randint(1, 99999)}",
               res={"statusCode": 503}, req={"method": "POST", "url": "/v1/messages"},
               responseTime=round(rng.gauss(1150, 60), 1))
        sc.events(T_FAIL + 5, 0, lambda m: 2.4 * SEND * load(m), fail)
        sc.every(T_FAIL + 3, 0, 60, lambda t, lg=lg: lg(
            t, "warn", "[ioredis] Unhandled error event: Error: connect ETIMEDOUT", pid=1))

    rgrp = "/cpaas/redis/rl-cache-01"

    def save(t):
        d = sc.at(t)
        ts = lambda x: sc.at(x).strftime("%d %b %Y %H:%M:%S.") + f"{sc.at(x).microsecond // 1000:03d}"
        pid = rng.randint(20000, 60000)
        sc.log(rgrp, iid, t, f"1:M {ts(t)} * 10000 changes in 60 seconds. Saving...")
        sc.log(rgrp, iid, t + 0.01, f"1:M {ts(t + 0.01)} * Background saving started by pid {pid}")
        sc.log(rgrp, iid, t + 1.9, f"{pid}:C {ts(t + 1.9)} * DB saved on disk")
        sc.log(rgrp, iid, t + 2.0, f"1:M {ts(t + 2.0)} * Background saving terminated with success")
        del d
    sc.every(-21600, T_FAIL - 30, 60 * 4.5, save, jitter=20)

    sc.change(-16200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "sms/send-api",
              "github-actions-deploy")
    sc.change(T_DECOY, "elasticloadbalancing.amazonaws.com", "ModifyRule", "AWS::ElasticLoadBalancingV2::ListenerRule",
              "sms-public", "ops-ravi.k")
    sc.change(T_FAIL + 95, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "usage-export", "terraform-apply")

    sc.alarm("sms-public-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", alb["dims"], "Sum", 60, 3,
             50, "GreaterThanThreshold", "Public SMS API 5xx")
    sc.alarm("sms-public-latency", "AWS/ApplicationELB", "TargetResponseTime", alb["dims"], "Average", 60, 5, 0.5,
             "GreaterThanThreshold")
    sc.alarm("send-api-cpu-high", "AWS/ECS", "CPUUtilization", svc["dims"], "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.truth("sms-public-target-5xx", "dependency_failure", [iid, "rl-cache-01"],
             [{"namespace": "AWS/EC2", "name": "StatusCheckFailed_System", "dimensions": host["dims"]},
              {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": alb["dims"]}])
    sc.card(alarm_on="front (ALB)", services="ALB, ECS, EC2, Lambda", runtime="Node.js 20 (+ Redis on EC2)",
            log_style="pino JSON + Redis server log",
            decoys="ALB listener-rule change 70 s before onset on the alarmed ALB; usage-export config change "
                   "after onset; steady ESME_RINVSRCADR carrier rejections",
            story="At -48 min the Redis host rl-cache-01 fails its system status check (StatusCheckFailed_System=1), "
                  "its CPU/network/agent metrics stop and its Redis log (RDB saves every ~4.5 min for hours) goes "
                  "silent. From that minute send-api logs `connect ETIMEDOUT <redis>:6379` / ioredis "
                  "MaxRetriesPerRequestError and rejects submits with 503 (fail-closed rate limiter); status "
                  "lookups keep returning 200, CPU of send-api drops. The listener-rule change on sms-public 70 s "
                  "earlier only adds a path rule and cannot explain timeouts to Redis; the carrier rejection errors "
                  "are at their usual rate.")
    return sc


BUILDERS = [build05, build06]
