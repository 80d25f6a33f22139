"""Scenarios 15-16: OOM-killed service behind a BFF; an external WMS outage two hops down."""
import datetime as dt
import json

from .awsres import (alb_metrics, api_metrics, ec2_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, rds_metrics,
                     spring)
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9
ACCT = "731904562218"


def s15():
    s = Scn("h23-15-mobile-5xx-profile-svc-oom", "Mobile app errors; ALB 5XX alarm on mobile-alb.", "eu-central-1",
            dt.datetime(2026, 11, 29, 19, 40), 2315)
    onset, dep, grow = -2000, -2030, -5400
    lb = "app/mobile-alb/8a2c4e6f0b1d3957"
    s.resource("alb", lb, name="mobile-alb", scheme="internet-facing",
               target_groups=[{"name": "mobile-bff-tg", "target": "ecs:edge/mobile-bff", "port": 3000}])
    s.resource("ecs", "edge/mobile-bff", cluster="edge", service="mobile-bff", desired_count=4, launch_type="FARGATE",
               environment={"PROFILE_URL": "http://profile-svc.accounts.local:8080", "ORDERS_URL":
                            "http://orders-read.accounts.local:8080", "UPSTREAM_TIMEOUT_MS": "3000"},
               log_groups=["/ecs/mobile-bff"])
    s.resource("ecs", "accounts/profile-svc", cluster="accounts", service="profile-svc", desired_count=6,
               launch_type="FARGATE", cpu=1024, memory=2048, task_definition="profile-svc:41",
               environment={"JAVA_TOOL_OPTIONS": "-XX:MaxRAMPercentage=80 -Xlog:gc:stdout",
                            "DB_URL": "jdbc:postgresql://accounts-pg.c4x8b2n6m1q9.eu-central-1.rds.amazonaws.com/"
                                      "accounts"}, log_groups=["/ecs/profile-svc"])
    s.resource("ecs", "accounts/notification-svc", cluster="accounts", service="notification-svc", desired_count=2,
               launch_type="FARGATE", trigger="SQS account-notifications", log_groups=["/ecs/notification-svc"])
    s.resource("rds", "accounts-pg", engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               max_connections=1700, allocated_storage_gb=300)

    # profile-svc task slots: long-lived tasks until their first OOM kill, then short-lived replacements
    slots, kills, lives = 6, [], []
    for k in range(slots):
        start, t = -400000, onset + k * 75 + s.rng.random() * 50
        while t < -30:
            lives.append((k, start, t, True))
            kills.append(t)
            start = t + 40 + s.rng.random() * 15
            t = start + 300 + s.rng.random() * 260
        lives.append((k, start, 0, False))
    kills.sort()

    def slot_mem(t):
        vals = [v for v in (task_mem_k(k, t) for k in range(slots)) if v is not None]
        return sum(vals) / len(vals) if vals else 0.0

    def task_mem_k(k, t):
        for kk, a, b, killed in lives:
            if kk == k and a <= t < (b if killed else 1):
                if a < grow:
                    return 54 + 40 * ramp(t, grow, onset) + (5 * ramp(t, onset - 60, b) if killed else 0)
                return min(99.5, 52 + 47 * (t - a) / max(60.0, b - a))
        return None

    running = lambda t: sum(1 for k in range(slots) for dt_ in range(0, 60, 10)
                            if task_mem_k(k, t + dt_) is not None) / 6.0
    ecs_metrics(s, "accounts", "profile-svc",
                s.series(lambda t: 29 + s.noise(2) + 18 * ramp(t, grow, onset) + 14 * step(t, onset) * s.rng.random()),
                s.series(lambda t: slot_mem(t) + s.noise(0.6), hi=100), s.series(lambda t: running(t), nd=2))
    down = lambda t: slots - running(t)
    req = s.counts(lambda t: 1350 * s.diurnal(t, 0.25, 19))
    rv = values(req)
    t5 = [[t, float(s.poisson(rv[t] * (0.028 + 0.06 * down(t)) * step(t, onset) + 0.3))] for t, _ in req]
    tv = values(t5)
    alb_metrics(s, lb, req, s.series(lambda t: 0.11 + abs(s.noise(0.015)) + step(t, onset) * (0.35 + 0.2 * down(t)) +
                                     0.06 * ramp(t, grow, onset), nd=4), t5, s.counts(lambda t: 0.05),
                s.series(lambda t: 4, nd=0))
    ecs_metrics(s, "edge", "mobile-bff", s.series(lambda t: 28 + s.noise(2)), s.series(lambda t: 47 + s.noise(0.5)),
                s.series(lambda t: 4, nd=0))
    ecs_metrics(s, "accounts", "notification-svc", s.series(lambda t: 8 + s.noise(1.5)),
                s.series(lambda t: 33 + s.noise(0.5)), s.series(lambda t: 4 if dep <= t < dep + 180 else 2, nd=0))
    rds_metrics(s, "accounts-pg", s.series(lambda t: 21 + s.noise(2)), s.series(lambda t: 96 + s.noise(4), nd=0),
                s.series(lambda t: 190 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 8.9 * GB + s.noise(0.05 * GB), nd=0),
                s.series(lambda t: 0.0008 + abs(s.noise(0.0002)), nd=5))

    # profile-svc logs: one stream per task
    pl = {}
    for idx, (k, a, b, killed) in enumerate(lives):
        st = ecs_streams(s, "profile-svc", 1)[0]
        ev = []
        a0 = max(a, -9000)
        if a > -9000:
            ev.append((a + 1, spring(s, a + 1, "INFO", "main", "c.a.profile.ProfileServiceApplication",
                                     "Starting ProfileServiceApplication v3.11.4 using Java 17.0.12 with PID 1")))
            ev.append((a + 17, spring(s, a + 17, "INFO", "main", "c.a.profile.ProfileServiceApplication",
                                      "Started ProfileServiceApplication in 15.902 seconds (process running for 16.8)")))
        end = b if killed else -1
        for t in poisson_times(s, lambda m: 7, a0 + 20, end):
            thr = "http-nio-8080-exec-%d" % s.rng.randint(1, 80)
            ev.append((t, spring(s, t, "INFO", thr, "c.a.profile.web.RequestLog", "GET /v2/profiles/u_%s?include="
                                 "%s 200 %dms" % (s.hexid(8), s.pick(["basic", "preferences", "activity"]),
                                                  s.rng.randint(6, 60)))))
        for t in range(int(a0 + 60), int(end), 300):
            n = int(120000 + 1450 * max(0, t - max(a, grow)) / 6)
            ev.append((t, spring(s, t, "INFO", "cache-stats", "c.a.profile.cache.ProfileCache",
                                 "profile cache stats: entries=%d hitRatio=%.3f evictions=0 (maximumSize unset)"
                                 % (n, 0.9 + s.rng.random() * 0.05))))
        g = 4000 + idx * 900
        for t in range(int(a0 + 30), int(end), 47):
            m = task_mem_k(k, t) or 50
            heap = int(16.38 * m)
            if m > 90 and s.rng.random() < 0.6:
                ev.append((t, "[%s][info][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(1638M) %.3fms"
                           % (s.iso(t), g, heap, heap - s.rng.randint(3, 15), 1400 + s.rng.random() * 1500)))
            else:
                ev.append((t, "[%s][info][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(1638M) %.3fms"
                           % (s.iso(t), g, heap, heap - s.rng.randint(30, 160), 8 + s.rng.random() * 40)))
            g += 1
        pl[st] = ev
    emit(s, "/ecs/profile-svc", pl)

    ev = []
    cluster = "arn:aws:ecs:eu-central-1:%s:cluster/accounts" % ACCT
    for k, a, b, killed in lives:
        if not killed:
            continue
        tid = s.hexid(32)
        d = {"version": "0", "id": s.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
             "account": ACCT, "time": s.iso(b + 6)[:19] + "Z", "region": "eu-central-1",
             "resources": ["arn:aws:ecs:eu-central-1:%s:task/accounts/%s" % (ACCT, tid)],
             "detail": {"clusterArn": cluster, "group": "service:profile-svc", "lastStatus": "STOPPED",
                        "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                        "stoppedReason": "Essential container in task exited",
                        "containers": [{"name": "profile-svc", "exitCode": 137, "lastStatus": "STOPPED",
                                        "reason": "OutOfMemoryError: Container killed due to memory usage"}],
                        "taskDefinitionArn": "arn:aws:ecs:eu-central-1:%s:task-definition/profile-svc:41" % ACCT}}
        ev.append((b + 6, json.dumps(d, separators=(",", ":"))))
    for i in range(2):
        tid = s.hexid(32)
        t = dep + 150 + i * 8
        d = {"version": "0", "id": s.uuid(), "detail-type": "ECS Task State Change", "source": "aws.ecs",
             "account": ACCT, "time": s.iso(t)[:19] + "Z", "region": "eu-central-1",
             "resources": ["arn:aws:ecs:eu-central-1:%s:task/accounts/%s" % (ACCT, tid)],
             "detail": {"clusterArn": cluster, "group": "service:notification-svc", "lastStatus": "STOPPED",
                        "desiredStatus": "STOPPED", "stopCode": "ServiceSchedulerInitiated",
                        "stoppedReason": "Scaling activity initiated by (deployment ecs-svc/%d)" % s.rng.randint(
                            10 ** 18, 10 ** 19 - 1),
                        "containers": [{"name": "notification-svc", "exitCode": 143, "lastStatus": "STOPPED"}],
                        "taskDefinitionArn": "arn:aws:ecs:eu-central-1:%s:task-definition/notification-svc:19"
                                             % ACCT}}
        ev.append((t, json.dumps(d, separators=(",", ":"))))
    s.log("/aws/events/ecs-task-state-changes", s.hexid(32), ev)

    def bff(t, _st):
        m = t - t % 60
        d = {"level": 30, "time": s.epoch_ms(t), "pid": 1, "hostname": "ip-10-0-3-%d" % s.rng.randint(2, 250)}
        r = s.rng.random()
        if r < 0.05:
            d.update(level=40, msg="feature flag refresh skipped; using cached flags", age_s=s.rng.randint(30, 90))
        elif t >= onset and r < 0.05 + 2.2 * tv.get(m, 0) / max(1.0, rv.get(m, 1)):
            code, msg = s.pick([("ECONNREFUSED", "connect ECONNREFUSED 10.0.12.%d:8080" % s.rng.randint(10, 90)),
                                ("ECONNRESET", "socket hang up"),
                                ("ETIMEDOUT", "Timeout awaiting 'response' for 3000ms")])
            d.update(level=50, msg="upstream request failed", upstream="profile-svc",
                     err={"code": code, "message": msg}, url="/v2/profiles/u_%s" % s.hexid(8))
        else:
            d.update(msg="request completed", res={"statusCode": 200}, responseTime=s.rng.randint(30, 200),
                     req={"method": "GET", "url": s.pick(["/m/home", "/m/profile", "/m/orders"])})
        return json.dumps(d, separators=(",", ":"))

    emit(s, "/ecs/mobile-bff", spread(s, poisson_times(s, lambda m: 26, -9000), ecs_streams(s, "mobile-bff", 4), bff))
    s.change(dep - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
             "notification-svc:19", "github-actions-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "accounts/notification-svc",
             "github-actions-deployer")

    s.alarm("mobile-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1,
            60, "GreaterThanThreshold", "ALARM", "auto", t5, "mobile target 5xx", after=onset)
    s.set_expect("mobile-alb-5xx", "memory_exhaustion", ["accounts/profile-svc", "profile-svc"],
                 [anomaly("AWS/ECS", "MemoryUtilization", ClusterName="accounts", ServiceName="profile-svc"),
                  anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=lb)])
    s.meta = dict(category="memory_exhaustion", resources=["accounts/profile-svc", "profile-svc"],
                  alarm_on="front (ALB → mobile-bff → profile-svc)",
                  decoys="notification-svc deployed 30 s before onset (SQS consumer; its STOPPED events are "
                         "deployment-initiated); bff ECONNREFUSED/ETIMEDOUT 'dependency' wording; steady "
                         "feature-flag WARN",
                  story="mobile-bff's errors are all calls to profile-svc: ECONNREFUSED, socket hang up, and "
                        "'Timeout awaiting response for 3000ms'. profile-svc's MemoryUtilization climbed for 1 h "
                        "(cache entries growing with evictions=0, maximumSize unset) and then went sawtooth. The ECS "
                        "task-state events show its tasks STOPPED with exit code 137, `OutOfMemoryError: Container "
                        "killed due to memory usage`. GC logs show back-to-back Full GCs at the 1638M heap ceiling, "
                        "and RunningTaskCount dips as tasks restart. The only change, a notification-svc deploy 30 s "
                        "before, is an SQS consumer; its STOPPED events are deployment-initiated (exit 143). "
                        "accounts-pg is healthy. Label: memory_exhaustion on accounts/profile-svc, one hop below the "
                        "alarmed ALB/BFF.")
    return s


def s16():
    s = Scn("h23-16-partner-api-5xx-external-wms", "Partner order API returning 5xx; sftp-gw-1 CPU alarm also "
            "open.", "ca-central-1", dt.datetime(2026, 11, 21, 15, 15), 2316)
    onset = -2220
    api, fn, sftp = "partner-api", "partner-orders", "i-0d4f1a7b9e3c5d268"
    s.resource("apigateway", api, stage="v1", rest_api_id="r2m6x9c4kt", integrations={"POST /orders":
                                                                                     "lambda:partner-orders"})
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=28, memory_size=512,
               environment={"ADAPTER_URL": "http://warehouse-adapter.fulfil.internal:8080"})
    s.resource("ecs", "fulfil/warehouse-adapter", cluster="fulfil", service="warehouse-adapter", desired_count=2,
               launch_type="FARGATE", image="187350946021.dkr.ecr.ca-central-1.amazonaws.com/warehouse-adapter:1.9.0",
               environment={"Wms__BaseUrl": "https://api.northwind-wms.com/v3", "Wms__TimeoutSeconds": "10",
                            "Wms__Retries": "2"}, log_groups=["/ecs/warehouse-adapter"])
    s.resource("ec2", sftp, name="sftp-gw-1", instance_type="m6i.large", role="partner SFTP gateway")

    inv = s.counts(lambda t: 21 * s.diurnal(t, 0.2, 15))
    err = [[t, float(min(n, s.poisson(n * 0.72))) if t >= onset else 0.0] for t, n in inv]
    ev, iv = values(err), values(inv)

    def body(t, rid, kind):
        po = "PO-%07d" % s.rng.randint(10 ** 6, 10 ** 7 - 1)
        lines = []
        if s.rng.random() < 0.15:
            lines.append((0.004, "WARN", "partner acme-retail sent deprecated field 'ship_by'; use 'deliver_by'"))
        if kind:
            d = s.pick([13200, 21500, 25800]) + s.rng.random() * 600
            lines.append((d / 1000, "ERROR", "Invoke Error \t" + json.dumps({
                "errorType": "UpstreamError", "errorMessage": "warehouse-adapter responded 502: {\"error\":\"wms_"
                "unavailable\",\"detail\":\"POST /v3/orders failed after 3 attempts\"}", "stack": [
                    "UpstreamError: warehouse-adapter responded 502", "    at postOrder (/var/task/src/adapter.js:48:"
                    "11)", "    at async Runtime.handler (/var/task/src/index.js:22:18)"]})))
            return {"dur": d + 20, "mem": 121, "lines": lines}
        d = 280 + s.rng.random() * 250 if t < onset else 3400 + s.rng.random() * 9000
        lines.append((d / 1000, "INFO", "%s accepted -> WMS-%08d (adapter %d ms)" % (po, s.rng.randint(10 ** 7, 10 ** 8
                                                                                                     - 1), d - 15)))
        return {"dur": d + 18, "mem": 117 + s.rng.randint(0, 6), "lines": lines}

    lambda_fn(s, fn, "nodejs20.x", 512, 28, inv, err, body, lambda t: 330 + s.noise(30), log_from=-7200)
    api_metrics(s, api, inv, s.counts(lambda t: 0.7), err,
                s.series(lambda t: 350 + s.noise(30) + step(t, onset) * (15000 + s.noise(1500))),
                s.series(lambda t: 335 + s.noise(30) + step(t, onset) * (15000 + s.noise(1500))))
    ecs_metrics(s, "fulfil", "warehouse-adapter", s.series(lambda t: 12 + s.noise(1.5)),
                s.series(lambda t: 38 + s.noise(0.4)), s.series(lambda t: 2, nd=0))
    scpu = s.series(lambda t: 98 + s.noise(1) if t >= -3300 else 11 + s.noise(3), step_s=300, hi=100)
    ec2_metrics(s, sftp, scpu, s.series(lambda t: 4e7 + abs(s.noise(1e7)), step_s=300, nd=0),
                s.series(lambda t: 0, step_s=300, nd=0))
    s.change(-14500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
             "github-actions-deployer")

    def net(level, cat, *lines):
        return "%s: %s\n      %s" % (level, cat, "\n      ".join(lines))

    wc = "Fulfil.WarehouseAdapter.WmsClient[0]"

    def ad(t, _st):
        m = t - t % 60
        po = "PO-%07d" % s.rng.randint(10 ** 6, 10 ** 7 - 1)
        r = s.rng.random()
        if r < 0.3:
            return net("info", "Microsoft.AspNetCore.Hosting.Diagnostics[2]", "Request finished HTTP/1.1 GET "
                       "http://10.0.%d.%d:8080/healthz - 200 - text/plain 0.4%03dms" % (s.rng.randint(1, 4),
                                                                                      s.rng.randint(2, 250),
                                                                                      s.rng.randint(0, 999)))
        if t >= onset and r < 0.3 + 0.7 * ev.get(m, 0) / max(1.0, iv.get(m, 1)):
            out = []
            for a in (1, 2):
                if s.rng.random() < 0.6:
                    out.append((a * 4.0, net("warn", wc, "POST https://api.northwind-wms.com/v3/orders attempt %d/3 "
                                             "failed: 503 (Service Unavailable) Retry-After: 30" % a)))
                else:
                    out.append((a * 10.0, net("warn", wc, "POST https://api.northwind-wms.com/v3/orders attempt %d/3 "
                                              "timed out after 10s" % a)))
            out.append((21.0, net("fail", "Fulfil.WarehouseAdapter.Controllers.OrdersController[0]",
                                  "WMS call POST /v3/orders failed after 3 attempts (order %s)" % po,
                                  s.pick(["System.Net.Http.HttpRequestException: Response status code does not "
                                          "indicate success: 503 (Service Unavailable).",
                                          "System.Threading.Tasks.TaskCanceledException: The request was canceled due "
                                          "to the configured HttpClient.Timeout of 10 seconds elapsing.\n       ---> "
                                          "System.TimeoutException: The operation was canceled."]),
                                  "   at Fulfil.WarehouseAdapter.WmsClient.CreateOrderAsync(WmsOrder order, "
                                  "CancellationToken ct) in /src/WarehouseAdapter/WmsClient.cs:line 77")))
            return out
        return net("info", wc, "POST https://api.northwind-wms.com/v3/orders -> 201 in %d ms (order %s)"
                   % (s.rng.randint(180, 420) if t < onset else s.rng.randint(2500, 9000), po))

    emit(s, "/ecs/warehouse-adapter", spread(s, poisson_times(s, lambda m: 16, -9000),
                                             ecs_streams(s, "warehouse-adapter", 2), ad))
    s.alarm("partner-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 20,
            "GreaterThanThreshold", "ALARM", "auto", err, "partner-api 5XX", after=onset)
    s.alarm("sftp-gw-1-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": sftp}, "Average", 300, 2, 90,
            "GreaterThanThreshold", "ALARM", "auto", scpu, after=-3300)
    s.set_expect("partner-api-5xx", "dependency_failure",
                 ["fulfil/warehouse-adapter", "warehouse-adapter", "api.northwind-wms.com"],
                 [anomaly("AWS/ApiGateway", "5XXError", ApiName=api), anomaly("AWS/Lambda", "Errors",
                                                                                FunctionName=fn)])
    s.meta = dict(category="dependency_failure",
                  resources=["fulfil/warehouse-adapter", "warehouse-adapter", "api.northwind-wms.com"],
                  alarm_on="front (API → Lambda → ECS → external WMS, 2 hops + external)",
                  decoys="sftp-gw-1 CPU alarm in ALARM (unrelated EC2); partner-orders deployed 4 h earlier with no "
                         "effect; steady deprecated-field WARN",
                  story="partner-orders raises 'warehouse-adapter responded 502 ... wms_unavailable'. "
                        "warehouse-adapter (healthy: CPU 12 %, memory flat, health checks 200) shows the external "
                        "WMS api.northwind-wms.com answering 503 with Retry-After or timing out at 10 s on every "
                        "attempt from ~37 min ago. Its successful calls also slow from ~300 ms to several seconds. "
                        "Lambda Duration and API latency rise accordingly but stay under the 28 s timeout. The "
                        "outage is in a third-party service outside the account, so the origin is taken to be its "
                        "client, warehouse-adapter (the WMS hostname is also accepted). sftp-gw-1's CPU alarm is "
                        "unrelated file processing, and partner-orders' deploy was 4 h earlier with no error "
                        "change. Label: dependency_failure.")
    return s
