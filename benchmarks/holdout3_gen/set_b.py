"""Scenarios h3-03, h3-06 .. h3-09."""
from __future__ import annotations

import json

from .blocks import Outcome, Series, alb_block, ec2_block, ecs_block, lambda_block, rds_block
from .common import Scenario, diurnal, iso, poisson, smooth_step, spaced, stamp, syslog


def h3_03_search_api_oom_loop() -> Scenario:
    s = Scenario("search-latency-usw2", "us-west-2", "Search results slow / intermittently failing; p99 latency alarm on search-alb.", 303)
    r = s.rng
    lb = "app/search-alb/3e9d1a77c0b24f18"
    a1, a2, rx = "i-0c4f2a9b81d3e5a71", "i-08e1b6c3d97a2f450", "i-0a9d3f5e2c7b18064"
    s.resource("alb", lb, name="search-alb")
    s.resource("ec2", a1, name="search-api-1", instance_type="r6i.large", log_groups=["/search/app", "/ec2/search-api/messages"])
    s.resource("ec2", a2, name="search-api-2", instance_type="r6i.large")
    s.resource("ec2", rx, name="reindex-worker", instance_type="c6i.2xlarge")
    kills = [-1870, -1390, -950, -520, -130]
    leak_start = -9000

    def mem1(t: int) -> float:
        if t < leak_start:
            return 54 + r.gauss(0, 0.6)
        prev = [k for k in kills if k <= t]
        if not prev:
            return min(97.6, 54 + (t - leak_start) / (kills[0] - leak_start) * 43.5) + r.gauss(0, 0.4)
        since = t - prev[-1]
        return min(98.1, 41 + since / 420 * 57) + r.gauss(0, 0.4)

    def down1(t: int) -> bool:
        return any(k <= t < k + 60 for k in kills)

    ec2_block(s, a1, cpu=lambda t: (28 + 30 * smooth_step(t, -4000, 2000)) + r.gauss(0, 4), mem=mem1,
              disk=lambda t: 41.2 + r.gauss(0, 0.05), net_in=lambda t: 3.1e6 * diurnal(t) + r.gauss(0, 2e5))
    ec2_block(s, a2, cpu=lambda t: 27 + r.gauss(0, 4) + (14 if t >= -1870 else 0), mem=lambda t: 56 + r.gauss(0, 0.6),
              disk=lambda t: 40.8 + r.gauss(0, 0.05), net_in=lambda t: 3.0e6 * diurnal(t) + r.gauss(0, 2e5))
    ec2_block(s, rx, cpu=lambda t: 96 + r.gauss(0, 2) if -3200 <= t < -1700 else 6 + r.gauss(0, 2),
              mem=lambda t: 63 + r.gauss(0, 1), disk=lambda t: 87.5 + r.gauss(0, 0.1), net_in=lambda t: 4e5 + r.gauss(0, 4e4))
    req = Series(lambda t: poisson(r, 640 * diurnal(t)))
    alb_block(s, lb, requests=req,
              latency=lambda t: (r.uniform(2.6, 4.8) if down1(t) else r.uniform(1.2, 2.4)) if t >= -1870
              else 0.085 + r.random() * 0.04 + (0.1 * smooth_step(t, -4000, 2000)),
              target_5xx=lambda t: poisson(r, 1.5), elb_5xx=lambda t: poisson(r, 70 if down1(t) else (6 if t >= -1870 else 0.2)),
              target_4xx=lambda t: poisson(r, 9), healthy=lambda t: 1 if down1(t) else 2, unhealthy=lambda t: 1 if down1(t) else 0)
    # app log
    app = []
    for t in range(-5400, 0, 60):
        at = t + r.random() * 60
        app.append((at, f"[ERROR] {spaced(at)} c.a.search.SynonymLoader - failed to load synonyms for locale pt-BR: "
                        f"/opt/search/conf/synonyms_pt_BR.txt (No such file or directory)"))
        if t >= -4000:
            for _ in range(1 + int(3 * smooth_step(t, -4000, 2000))):
                at = t + r.random() * 60
                app.append((at, f"[WARN ] {spaced(at)} c.a.search.QueryExecutor - facet aggregation produced "
                                f"{r.randint(40000, 190000)} buckets (soft limit 10000) for query type=catalog_browse "
                                f"client=mobile-7.4 retained={r.randint(800, 2600)}MB"))
        if t % 600 == 0:
            app.append((t + 1, f"[INFO ] {spaced(t + 1)} c.a.search.Health - heap used {r.randint(3, 9)}% of 12288MB, "
                               f"index segments {r.randint(40, 60)}"))
    for k in kills:
        boot = k + 8
        app += [(boot, f"[INFO ] {spaced(boot)} c.a.search.SearchApplication - Starting SearchApplication v3.18.2 using Java 17.0.10"),
                (boot + 21, f"[INFO ] {spaced(boot + 21)} c.a.search.SearchApplication - Started SearchApplication in "
                            f"{r.uniform(19, 24):.1f} seconds (process running for {r.uniform(20, 25):.1f})")]
    s.log("/search/app", a1, app)
    msgs, host = [], "ip-10-0-4-37"
    for t in range(-5400, 0, 60):
        if r.random() < 0.5:
            at = t + r.random() * 60
            msgs.append((at, f"{syslog(at)} {host} amazon-ssm-agent[1877]: {spaced(at)[:-4]} ERROR [MessageGatewayService] "
                             f"Failed to connect to MGS websocket: dial tcp: lookup ssmmessages.us-west-2.amazonaws.com: i/o timeout"))
        if t % 1020 == 0:
            msgs.append((t + 3, f"{syslog(t + 3)} {host} chronyd[812]: Selected source 169.254.169.123"))
    for i, k in enumerate(kills):
        pid = 4127 + i * 611
        msgs += [(k, f"{syslog(k)} {host} kernel: java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), "
                     f"order=0, oom_score_adj=0"),
                 (k, f"{syslog(k)} {host} kernel: Mem-Info:"),
                 (k, f"{syslog(k)} {host} kernel: active_anon:3921840 inactive_anon:88412 isolated_anon:0 free:32881 "
                     f"free_pcp:512 free_cma:0"),
                 (k + 0.01, f"{syslog(k)} {host} kernel: Out of memory: Killed process {pid} (java) total-vm:19733212kB, "
                            f"anon-rss:15384220kB, file-rss:0kB, shmem-rss:0kB, UID:1001 pgtables:31012kB oom_score_adj:0"),
                 (k + 0.3, f"{syslog(k)} {host} kernel: oom_reaper: reaped process {pid} (java), now anon-rss:0kB, "
                           f"file-rss:0kB, shmem-rss:0kB"),
                 (k + 1, f"{syslog(k + 1)} {host} systemd[1]: search-api.service: Main process exited, code=killed, status=9/KILL"),
                 (k + 1, f"{syslog(k + 1)} {host} systemd[1]: search-api.service: Failed with result 'oom-kill'."),
                 (k + 6, f"{syslog(k + 6)} {host} systemd[1]: search-api.service: Scheduled restart job, restart counter is at {i + 1}."),
                 (k + 6, f"{syslog(k + 6)} {host} systemd[1]: Started Search API (search-api)."),]
    s.log("/ec2/search-api/messages", a1, msgs)
    s.change(-2100, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0d41c7e2a9b3f5108", "k.tanaka")
    s.change(-2060, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", rx, "k.tanaka")
    s.alarm("search-alb-p99-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "p99", 300, 2, 1.5,
            "GreaterThanThreshold", "search p99 latency > 1.5s")
    s.expect = {"alarm": "search-alb-p99-latency", "root_cause": {"category": "memory_exhaustion", "resource": [a1, "search-api-1"]},
                "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent", "dimensions": {"InstanceId": a1}}]}
    return s


def h3_06_storefront_rollout_healthcheck() -> Scenario:
    s = Scenario("storefront-healthy-hosts-apne1", "ap-northeast-1",
                 "Storefront slow and some 5xx; healthy host count alarm on storefront-alb.", 306)
    r, deploy = s.rng, -2510
    lb = "app/storefront-alb/a1c94e0b7d2f3856"
    s.resource("alb", lb, name="storefront-alb", health_check_path="/healthz", target_group="storefront-web-tg")
    s.resource("alb", "app/admin-alb/6d0f2b8e13c4a975", name="admin-alb")
    s.resource("ecs", "storefront/web", launch_type="FARGATE", desired_count=4, task_definition="storefront-web:89",
               deployment={"minimum_healthy_percent": 50, "maximum_percent": 100, "circuit_breaker": False})
    s.resource("ecs", "storefront/recs", launch_type="FARGATE", desired_count=2, task_definition="storefront-recs:31")
    start = deploy + 150
    healthy = Series(lambda t: 4 if t < start else 2)
    unhealthy = Series(lambda t: 0 if t < start + 60 else r.choice([1, 2, 2, 2]))
    req = Series(lambda t: poisson(r, 520 * diurnal(t)))
    alb_block(s, lb, requests=req, latency=lambda t: 0.11 + r.random() * 0.05 if t < start else 0.42 + r.random() * 0.35,
              target_5xx=lambda t: poisson(r, 0.5 if t < start else 3), elb_5xx=lambda t: poisson(r, 0.2),
              target_4xx=lambda t: poisson(r, 14), healthy=healthy, unhealthy=unhealthy)
    alb_block(s, "app/admin-alb/6d0f2b8e13c4a975", requests=lambda t: poisson(r, 12), latency=lambda t: 0.05 + r.random() * 0.02,
              target_5xx=lambda t: 0, elb_5xx=lambda t: 0, target_4xx=lambda t: poisson(r, 0.3), healthy=lambda t: 2,
              unhealthy=lambda t: 0)
    ecs_block(s, "storefront", "web", cpu=lambda t: 31 + r.gauss(0, 3) if t < start else 58 + r.gauss(0, 6),
              mem=lambda t: 47 + r.gauss(0, 1.5))
    ecs_block(s, "storefront", "recs", cpu=lambda t: 91 + r.gauss(0, 3) if -2900 <= t < -2620 else 22 + r.gauss(0, 3),
              mem=lambda t: 61 + r.gauss(0, 1))
    old = ["0a7f3e5c91b24d68", "5e2d8c1b0f9a4736", "b3c9d1e7a2f04865", "e81f0c4d7b3a9256"]
    new_tasks = [s.hexid(16) for _ in range(14)]
    for i, task in enumerate(old):
        ev, end = [], (0 if i < 2 else start + 30)
        for t in range(-5400, end, 60):
            for _ in range(3):
                at = t + r.random() * 60
                path = r.choice(["/", "/c/outerwear", "/p/" + str(r.randint(100000, 999999)), "/cart", "/api/stock"])
                ev.append((at, f"info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET "
                               f"http://storefront.example.jp{path} - 200 - text/html;+charset=utf-8 {r.uniform(20, 140):.4f}ms"))
            if r.random() < 0.6:
                at = t + r.random() * 60
                ev.append((at, f"fail: Storefront.Recommendations.RecsClient[0]\n      recs call failed for session "
                               f"{s.hexid(12)}: System.Threading.Tasks.TaskCanceledException: The request was canceled due to "
                               f"the configured HttpClient.Timeout of 0.8 seconds elapsing."))
            ev.append((t + 15, f"info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET "
                               f"http://10.0.{i + 3}.{20 + i}:8080/healthz - 200 - text/plain {r.uniform(0.2, 0.6):.4f}ms"))
            if i < 2 and t >= start and r.random() < 0.8:
                at = t + r.random() * 60
                ev.append((at, f"warn: Microsoft.AspNetCore.Server.Kestrel[22]\n      Heartbeat took longer than \"00:00:01\" at "
                               f"\"{stamp(at, '%m/%d/%Y %H:%M:%S')} +00:00\". This could be caused by thread pool starvation."))
        if i >= 2:
            ev.append((start + 31, "info: Microsoft.Hosting.Lifetime[0]\n      Application is shutting down..."))
        s.log("/ecs/storefront/web", f"web/storefront-web/{task}", ev)
    # new revision: each task boots, serves /healthz with 404 (route moved), gets killed after ~3 minutes, replaced
    for j, task in enumerate(new_tasks):
        born = start + j * 200 - (j % 2) * 150
        if born >= 0:
            continue
        ev = [(born, "info: Microsoft.Hosting.Lifetime[14]\n      Now listening on: http://[::]:8080"),
              (born + 0.2, "info: Microsoft.Hosting.Lifetime[0]\n      Application started. Press Ctrl+C to shut down."),
              (born + 0.3, f"info: Storefront.Startup[0]\n      storefront-web 2026.03.17-2 (build 8812) health endpoints: "
                           f"/health/live, /health/ready")]
        ip = f"10.0.{j + 7}.{40 + j}"
        for k in range(1, 12):
            at = born + 10 * k
            if at >= 0:
                break
            ev.append((at, f"info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET "
                           f"http://{ip}:8080/healthz - 404 0 - {r.uniform(0.2, 0.9):.4f}ms"))
        if born + 200 < 0:
            ev.append((born + 200, "info: Microsoft.Hosting.Lifetime[0]\n      Application is shutting down..."))
        s.log("/ecs/storefront/web", f"web/storefront-web/{task}", ev)
    s.change(deploy - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "storefront-web:89", "github-actions-storefront")
    s.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "storefront/web", "github-actions-storefront")
    s.change(-2650, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes", "AWS::ElasticLoadBalancingV2::TargetGroup",
             "admin-tg", "ops-h.sato")
    s.alarm("storefront-healthy-hosts-low", "AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb}, "Minimum", 60, 3, 3,
            "LessThanThreshold", "fewer than 3 healthy storefront targets")
    s.expect = {"alarm": "storefront-healthy-hosts-low", "root_cause": {"category": "bad_deployment", "resource": ["storefront/web"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "dimensions": {"LoadBalancer": lb}}]}
    return s


def h3_07_report_exporter_policy_scoped() -> Scenario:
    s = Scenario("finance-exports-failing-euw2", "eu-west-2", "Finance scheduled exports failing since ~13:20; Lambda error alarm.", 307)
    r, onset = s.rng, -2220
    fn, role = "report-exporter", "report-exporter-role"
    s.resource("lambda", fn, runtime="python3.11", timeout=120, memory_size=1024, role=role,
               environment={"EXPORT_BUCKET": "acme-finance-exports-euw2", "EXPORT_PREFIX": "exports/"})
    s.resource("lambda", "report-scheduler", runtime="python3.11", timeout=30, memory_size=128)
    s.resource("lambda", "ledger-api", runtime="python3.11", timeout=15, memory_size=512)
    s.resource("rds", "finance-ro", engine="postgres", instance_class="db.r6g.large", allocated_storage_gb=300, max_connections=400)
    acct = "381492077215"

    def invoke(t: int, rid: str) -> Outcome:
        rpt, rows = f"rpt_{r.randint(1000, 9999)}", r.randint(2000, 180000)
        key = f"exports/{stamp(t, '%Y/%m/%d')}/{rpt}.csv.gz"
        lines = [f"[INFO]\t{iso(t)}\t{rid}\tquery finance-ro for {rpt} ({r.choice(['ar_aging', 'gl_detail', 'vat_return', 'payouts'])})",
                 f"[INFO]\t{iso(t)}\t{rid}\tfetched {rows} rows",
                 f"[ERROR]\t{iso(t)}\t{rid}\tfailed to post Slack notification: HTTP 410 Gone (webhook disabled)"]
        dur = r.uniform(14000, 46000)
        if t >= onset:
            tail = [f"[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: "
                    f"arn:aws:sts::{acct}:assumed-role/{role}/{fn} is not authorized to perform: s3:PutObject on resource: "
                    f"\"arn:aws:s3:::acme-finance-exports-euw2/{key}\" because no identity-based policy allows the s3:PutObject "
                    f"action\rTraceback (most recent call last):\r  File \"/var/task/exporter/main.py\", line 88, in handler\r    "
                    f"upload(buf, key)\r  File \"/var/task/exporter/s3io.py\", line 23, in upload\r    s3.put_object(Bucket=BUCKET, "
                    f"Key=key, Body=body, ServerSideEncryption=\"aws:kms\")\r  File \"/var/runtime/botocore/client.py\", line 565, "
                    f"in _api_call\r    return self._make_api_call(operation_name, kwargs)\r  File \"/var/runtime/botocore/client.py\", "
                    f"line 1021, in _make_api_call\r    raise error_class(parsed_response, operation_name)"]
            return Outcome(dur, lines[:2], error=True, tail=[lines[2]] + tail, max_mem=r.randint(380, 720))
        return Outcome(dur, lines[:2] + [f"[INFO]\t{iso(t)}\t{rid}\twrote s3://acme-finance-exports-euw2/{key}", lines[2]],
                       max_mem=r.randint(380, 720))

    lambda_block(s, fn, lambda t: 1.6, invoke, 1024, log_from=-7200)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "report-scheduler"}, "Count", lambda t: 1, 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "report-scheduler"}, "Count", lambda t: 0, 0)
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "ledger-api"}, "Count",
             lambda t: poisson(r, 80 + (300 if -2700 <= t < -2450 else 0)), 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "ledger-api"}, "Milliseconds", lambda t: r.uniform(60, 110), 2)
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "finance-ro"}, "Percent", lambda t: 22 + r.gauss(0, 4), 3)
    s.metric("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "finance-ro"}, "Count", lambda t: 61 + r.randint(-5, 5), 0)
    s.change(-2500, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "report-scheduler",
             "d.patel")
    s.change(-2280, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role, "terraform-ci", "us-east-1")
    s.change(-2275, "iam.amazonaws.com", "DeleteRolePolicy", "AWS::IAM::Role", role, "terraform-ci", "us-east-1")
    s.change(-2240, "iam.amazonaws.com", "CreatePolicyVersion", "AWS::IAM::Policy", "ledger-api-read", "terraform-ci", "us-east-1")
    s.alarm("report-exporter-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
            "GreaterThanOrEqualToThreshold")
    s.expect = {"alarm": "report-exporter-errors", "root_cause": {"category": "permission_denied", "resource": [fn, role]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    return s


def h3_08_sessions_redis_crash() -> Scenario:
    s = Scenario("core-api-5xx-use2", "us-east-2", "Users logged out / 5xx on core API; ALB 5XX alarm.", 308)
    r, onset = s.rng, -1500
    lb, redis = "app/core-api-alb/5b8e2d14f6a93c07", "i-0f3a6c1e9b2d84f57"
    s.resource("alb", lb, name="core-api-alb")
    s.resource("ecs", "core/api", launch_type="FARGATE", desired_count=3, task_definition="core-api:412")
    s.resource("ecs", "core/worker", launch_type="FARGATE", desired_count=2, task_definition="core-worker:96")
    s.resource("ec2", redis, name="sessions-redis-1", instance_type="r6g.large")
    up = lambda t: t < onset
    ec2_block(s, redis, cpu=lambda t: 14 + r.gauss(0, 2) if up(t) else (9 + r.random() * 3 if t < onset + 240 else 0.7 + r.random() * 0.4),
              mem=lambda t: 71 + r.gauss(0, 0.3) if up(t) else 6.5 + r.gauss(0, 0.2), disk=lambda t: 38.4 + r.gauss(0, 0.03),
              net_in=lambda t: 5.2e6 * diurnal(t) + r.gauss(0, 3e5) if up(t) else 2.1e4 + r.gauss(0, 2e3))
    req = Series(lambda t: poisson(r, 30 * diurnal(t)))
    bad = Series(lambda t: round(req(t) * r.uniform(0.6, 0.75)) if not up(t) else poisson(r, 0.2))
    alb_block(s, lb, requests=req, latency=lambda t: 0.04 + r.random() * 0.02, target_5xx=bad, elb_5xx=lambda t: 0,
              target_4xx=lambda t: poisson(r, 1.5), healthy=lambda t: 3, unhealthy=lambda t: 0)
    ecs_block(s, "core", "api", cpu=lambda t: 18 + r.gauss(0, 2), mem=lambda t: 33 + r.gauss(0, 1))
    ecs_block(s, "core", "worker", cpu=lambda t: 85 + r.gauss(0, 5) if -1780 <= t < -1560 else 12 + r.gauss(0, 2),
              mem=lambda t: 40 + r.gauss(0, 1))
    tasks = [s.hexid(32) for _ in range(3)]
    streams = {k: [] for k in tasks}
    for t in range(-3600, 0, 60):
        for _ in range(poisson(r, 4)):
            at = t + r.random() * 60
            streams[r.choice(tasks)].append((at, json.dumps({"level": "error", "ts": iso(at), "caller": "push/notify.go:141",
                                                             "msg": "push delivery failed", "device": "d_" + s.hexid(10),
                                                             "error": {"provider": "apns", "status": 410, "reason": "Unregistered"}})))
        for _ in range(req(t)):
            at = t + r.random() * 60
            path = r.choice(["/v1/me", "/v1/feed", "/v1/orders", "/v1/notifications"])
            if up(t) or r.random() > 0.7:
                streams[r.choice(tasks)].append((at, json.dumps({"level": "info", "ts": iso(at), "msg": "request", "method": "GET",
                                                                 "path": path, "status": 200, "dur_ms": r.randint(8, 60)})))
            else:
                streams[r.choice(tasks)].append((at, json.dumps({
                    "level": "error", "ts": iso(at), "caller": "session/store.go:88", "msg": "session lookup failed",
                    "request_id": s.uid(), "path": path,
                    "error": {"op": "dial", "net": "tcp", "addr": "10.0.12.44:6379", "cause": "connect: connection refused"}})))
    for k in tasks:
        s.log("/ecs/core/api", f"api/core-api/{k}", streams[k])
    rl = []
    for t in range(-5400, onset, 300):
        rl += [(t + 2, f"1:M {stamp(t + 2, '%d %b %Y %H:%M:%S.%f')[:-1]} * 10000 changes in 60 seconds. Saving..."),
               (t + 2.1, f"1:M {stamp(t + 2.1, '%d %b %Y %H:%M:%S.%f')[:-1]} * Background saving started by pid {r.randint(2000, 9000)}"),
               (t + 9, f"1:M {stamp(t + 9, '%d %b %Y %H:%M:%S.%f')[:-1]} * Background saving terminated with success")]
    rs = lambda t: stamp(t, "%d %b %Y %H:%M:%S.%f")[:-1]
    rl += [(onset, f"1:M {rs(onset)} # === REDIS BUG REPORT START: Cut & paste starting from here ==="),
           (onset, f"1:M {rs(onset)} # Redis 7.0.11 crashed by signal: 11, si_code: 1"),
           (onset, f"1:M {rs(onset)} # Accessing address: 0x7f2a3c000018"),
           (onset, f"1:M {rs(onset)} # Crashed running the instruction at: 0x55d4f1c2a8e0"),
           (onset + 0.2, f"1:M {rs(onset + 0.2)} # === REDIS BUG REPORT END. Make sure to include from START to END. ===")]
    for i in range(5):
        at = onset + 5 + i * 11
        rl += [(at, f"{9100 + i}:C {rs(at)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
               (at + 0.5, f"{9100 + i}:M {rs(at + 0.5)} * Loading RDB produced by version 7.0.11"),
               (at + 2.5, f"{9100 + i}:M {rs(at + 2.5)} # Internal error in RDB reading offset 0, function at rdb.c:3055 -> "
                          f"Unexpected EOF reading RDB file"),
               (at + 2.5, f"{9100 + i}:M {rs(at + 2.5)} # Short read or OOM loading DB. Unrecoverable error, aborting now.")]
    s.log("/sessions-redis/redis", redis, rl)
    s.change(-1800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "core/worker", "spinnaker")
    s.change(-1810, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "core-worker:96", "spinnaker")
    s.change(-1750, "iam.amazonaws.com", "AttachRolePolicy", "AWS::IAM::Role", "core-worker-task-role", "spinnaker", "us-east-1")
    s.alarm("core-api-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1, 40,
            "GreaterThanThreshold")
    s.expect = {"alarm": "core-api-alb-5xx", "root_cause": {"category": "dependency_failure", "resource": [redis, "sessions-redis-1"]},
                "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": redis}}]}
    return s


def h3_09_ledger_mysql_connections() -> Scenario:
    s = Scenario("ledger-5xx-euw3", "eu-west-3", "Ledger postings failing with 500s; ALB 5XX alarm.", 309)
    r, onset = s.rng, -2000
    lb, db = "app/ledger-alb/0d6b2f8e4c1a7395", "ledger-mysql"
    s.resource("alb", lb, name="ledger-alb")
    s.resource("ecs", "ledger/api", launch_type="FARGATE", desired_count=3, task_definition="ledger-api:140",
               environment={"DB_HOST": "ledger-mysql.c1qz7w3ke8rt.eu-west-3.rds.amazonaws.com", "DB_POOL_MAX": "20"})
    s.resource("ecs", "ledger/settlement-worker", launch_type="FARGATE", desired_count=2, task_definition="settlement-worker:22",
               autoscaling={"min": 2, "max": 24, "metric": "ApproximateNumberOfMessagesVisible"})
    s.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large", max_connections=150,
               allocated_storage_gb=500)
    s.resource("rds", "reporting-pg", engine="postgres", instance_class="db.m6g.large", allocated_storage_gb=200)
    scale = -2180
    tasks_n = Series(lambda t: 2 if t < scale else min(24, 2 + (t - scale) // 30))
    conns = Series(lambda t: min(151, 58 + (tasks_n(t) - 2) * 6 + r.randint(-3, 3)))
    rds_block(s, db, cpu=lambda t: 28 + r.gauss(0, 3) + (24 if t >= scale else 0), conns=conns,
              free_storage=lambda t: 2.71e11 - (t + 21600) * 2e3, freeable=lambda t: 5.2e9 - (conns(t) - 58) * 1.1e7,
              read_lat=lambda t: 0.0009 + r.random() * 3e-4, write_lat=lambda t: 0.0016 + r.random() * 5e-4 + (0.002 if t >= scale else 0),
              write_iops=lambda t: 420 + r.gauss(0, 40) + (900 if t >= scale else 0))
    s.metric("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "reporting-pg"}, "Percent",
             lambda t: 94 + r.gauss(0, 3) if -2700 <= t < -2350 else 12 + r.gauss(0, 3), 3)
    s.metric("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": "ledger", "ServiceName": "settlement-worker"}, "Count",
             tasks_n, 0)
    full = lambda t: conns(t) >= 148
    req = Series(lambda t: poisson(r, 30 * diurnal(t)))
    bad = Series(lambda t: round(req(t) * r.uniform(0.35, 0.55)) if full(t) else poisson(r, 0.3))
    alb_block(s, lb, requests=req, latency=lambda t: 0.06 + r.random() * 0.03 + (0.4 if full(t) else 0), target_5xx=bad,
              elb_5xx=lambda t: 0, target_4xx=lambda t: poisson(r, 0.8), healthy=lambda t: 3, unhealthy=lambda t: 0)
    ecs_block(s, "ledger", "api", cpu=lambda t: 17 + r.gauss(0, 2), mem=lambda t: 52 + r.gauss(0, 1))
    ecs_block(s, "ledger", "settlement-worker", cpu=lambda t: 35 + r.gauss(0, 4), mem=lambda t: 30 + r.gauss(0, 1))
    api = []
    for t in range(-5400, 0, 60):
        if r.random() < 0.5:
            at = t + r.random() * 60
            api.append((at, f"fail: Ledger.Api.Webhooks.PartnerNotifier[0]\n      Delivery to https://hooks.partner.example/ledger/"
                            f"{s.hexid(6)} failed: 404 Not Found (attempt 3/3)"))
        for _ in range(bad(t)):
            at = t + r.random() * 60
            if not full(t):
                api.append((at, f"fail: Ledger.Api.Middleware.ErrorHandler[0]\n      Unhandled exception for GET /v1/accounts/"
                                f"{r.randint(10000, 99999)}/balance\n      System.OperationCanceledException: The operation was "
                                f"canceled.\n         at Ledger.Api.Accounts.BalanceQuery.RunAsync(CancellationToken ct)"))
                continue
            api.append((at, f"fail: Ledger.Api.Middleware.ErrorHandler[0]\n      Unhandled exception for POST /v1/postings\n      "
                            f"MySqlConnector.MySqlException (0x80004005): Too many connections\n         at MySqlConnector.Core."
                            f"ServerSession.ConnectAsync(ConnectionSettings cs, MySqlConnection connection, Int32 startTickCount, "
                            f"ILoadBalancer loadBalancer, IOBehavior ioBehavior, CancellationToken cancellationToken) in "
                            f"/_/src/MySqlConnector/Core/ServerSession.cs:line 432\n         at MySqlConnector.MySqlConnection."
                            f"CreateSessionAsync(...)\n         at Ledger.Api.Postings.PostingStore.InsertAsync(Posting p) in "
                            f"/src/Ledger.Api/Postings/PostingStore.cs:line 58"))
    s.log("/ecs/ledger/api", "api/ledger-api/" + s.hexid(32), api)
    wk = []
    for t in range(-5400, 0, 60):
        n = tasks_n(t)
        for k in range(n):
            at = t + r.random() * 60
            if full(t) and r.random() < 0.3:
                wk.append((at, f"{spaced(at)} ERROR settlement.worker task={k:02d} batch failed, message returned to queue: "
                               f"pymysql.err.OperationalError: (1040, 'Too many connections')"))
            elif t >= scale or k < 2:
                wk.append((at, f"{spaced(at)} INFO settlement.worker task={k:02d} settled {r.randint(300, 1000)} records "
                               f"file=BNPP_{stamp(t, '%Y%m%d')}_{r.randint(1, 9)}.xml"))
    s.log("/ecs/ledger/settlement-worker", "worker/settlement-worker/all", wk)
    my = []
    for t in range(-21600, 0, 60):
        if r.random() < 0.4:
            at = t + r.random() * 60
            my.append((at, f"{stamp(at)[:-1]}311Z 0 [Warning] [MY-010055] [Server] IP address '10.0.{r.randint(1, 9)}."
                           f"{r.randint(2, 250)}' could not be resolved: Name or service not known"))
        if r.random() < (0.9 if full(t) else 0.15):
            at = t + r.random() * 60
            my.append((at, f"{stamp(at)[:-1]}102Z {r.randint(80000, 99999)} [Note] [MY-010914] [Server] Aborted connection "
                           f"{r.randint(80000, 99999)} to db: 'ledger' user: 'ledger_app' host: '10.0.9.{r.randint(2, 250)}' "
                           f"(Got an error reading communication packets)."))
    s.log(f"/aws/rds/instance/{db}/error", f"{db}", my)
    s.change(-2300, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reporting-pg-params", "dba.m.leroy")
    s.change(scale, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "ledger/settlement-worker",
             "AWSServiceRoleForApplicationAutoScaling_ECSService")
    s.alarm("ledger-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 2, 30,
            "GreaterThanThreshold")
    s.expect = {"alarm": "ledger-alb-5xx", "root_cause": {"category": "db_connection_exhaustion",
                                                          "resource": [db, "ledger/settlement-worker"]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections", "dimensions": {"DBInstanceIdentifier": db}}]}
    return s
