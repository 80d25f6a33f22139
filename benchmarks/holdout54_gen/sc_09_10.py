"""S09 ingest API stage throttling under a noisy tenant; S10 max_connections lowered on the shared MySQL."""
from . import fmt, packs
from .common import TENANTS, UAS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S09
def s09():
    S = Scenario(9, "ingest-api-stage-throttle", "eu-north-1",
                 "Customers report 429s when sending events; events-ingest-api 4XX alarm fired.",
                 clock(2026, 11, 14, 12, 10))
    rng = S.rng
    API, ON = "events-ingest-api", -2520
    LIMIT = 6000.0
    MKT = "app/marketing-site-alb/2d7f9b1c3e5a6840"
    S.res("apigateway", API, stage="prod", integration="AWS service integration -> sqs:events-ingest",
          stage_throttling="rate 100 rps, burst 200", usage_plans="per-tenant API keys, no per-key limits")
    S.res("lambda", "events-batch-writer", runtime="provided.al2023", timeout=60, memory_size=512,
          event_source="sqs:events-ingest", batch_size=200, batching_window_s=5)
    S.res("lambda", "webhook-retry-scheduler", runtime="nodejs20.x", timeout=60, memory_size=256)
    S.res("alb", MKT, name="marketing-site-alb")
    base = lambda t: 3000 * diurnal(t, 0.1)
    offered = lambda t: base(t) + 9000 * ramp(t, ON, ON + 120)
    served = lambda t: min(offered(t), LIMIT * rng.uniform(0.985, 1.0))
    thr = lambda t: max(0.0, offered(t) - LIMIT)
    packs.apigw(S, API, count=offered, e4=lambda t: 25 + thr(t), e5=lambda t: 0.05,
                latency=lambda t: 38 - 18 * ramp(t, ON, ON + 120), integ=lambda t: 21.0)
    packs.sqs(S, "events-ingest", visible=lambda t: 150 + 150 * step(t, ON), age=lambda t: 4.0,
              sent=served)
    packs.alb(S, MKT, req=lambda t: 900.0, rt=lambda t: 0.03, t5xx=lambda t: 0.1, healthy=2,
              t4xx=lambda t: 260.0)

    w = LambdaFn(S, "events-batch-writer", "provided.al2023", 512, 60, log_from=-4200)

    def write(t):
        n = rng.randint(170, 200)
        tenants = rng.sample(TENANTS, 3)
        if t >= ON:
            tenants[0] = "t_0517"
        return Inv("ok", rng.uniform(180, 420), rng.randint(38, 52), [
            ("INFO", "batch received messages=%d tenants=%s" % (n, ",".join(tenants))),
            ("INFO", "flushed %d events to s3://events-lake-eun1/raw/dt=2026-11-14/ in %d ms" % (n, rng.randint(60, 190)))])
    w.run(lambda t: min(offered(t), LIMIT) / 190.0, write)

    ws = LambdaFn(S, "webhook-retry-scheduler", "nodejs20.x", 256, 60, log_from=-5400)
    ws.run(lambda t: 1.0, lambda t: Inv("ok", rng.uniform(300, 900), 70, [
        ("INFO", "rescheduled %d failed webhook deliveries (max_attempts=%d)" % (rng.randint(0, 12), 8 if t < -7000 else 10))]))

    # API Gateway access log (only a slice of requests is reproduced to keep the file small)
    def access(tt):
        frac_noisy = (9000 * ramp(tt, ON, ON + 120)) / offered(tt)
        noisy = rng.random() < frac_noisy
        tenant = "t_0517" if noisy else pick(S, TENANTS)
        if tenant == "t_0342" and rng.random() < 0.6:
            return fmt.apigw_access(S, tt, "POST", "/v1/events", 403, 3, tenant, S.ip("52.16"), err="Forbidden",
                                    key_id="-")
        if tt >= ON and rng.random() < thr(tt) / offered(tt):
            return fmt.apigw_access(S, tt, "POST", "/v1/events", 429, rng.randint(1, 4), tenant,
                                    "34.88.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254)) if noisy else S.ip("52.16"),
                                    err="Too Many Requests", key_id=S.hexid(10), resp_len=41)
        return fmt.apigw_access(S, tt, "POST", "/v1/events", 200, rng.randint(18, 60), tenant, S.ip("52.16"),
                                key_id=S.hexid(10), integ_latency=rng.randint(12, 35))
    acc = fmt.spread(S, -4200, 0, lambda t: offered(t) * 0.005, access)
    S.log("API-Gateway-Access-Logs_k3v9q1x7za/prod", "k3v9q1x7za-prod", acc)

    S.change(-7000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "webhook-retry-scheduler", "l.nyberg@sso")
    S.alarm("events-ingest-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": API}, "Sum", 60, 3, 500,
            description="Ingest API client errors")
    S.alarm("marketing-site-alb-4xx", "AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", {"LoadBalancer": MKT},
            "Sum", 300, 1, 1000, state_changed=-33000,
            reason="Threshold Crossed: 1 datapoint [1290.0 (14/11/26 03:00:00)] was greater than the threshold (1000.0).")
    expect(S, "events-ingest-api-4xx", "throttling", [API],
           [("AWS/ApiGateway", "4XXError", {"ApiName": API}), ("AWS/ApiGateway", "Count", {"ApiName": API})])
    meta(S, "throttling", "apigateway %s" % API, "origin (API 4XX)",
         "webhook-retry-scheduler env change 75 min before; marketing-site ALB 4xx alarm in ALARM since the night "
         "(bots); steady 403 Forbidden from t_0342's revoked key",
         "Tenant t_0517 shipped an SDK release that sends events one per request with immediate retries. Offered "
         "requests on the ingest API jumped from ~3 k to ~12 k per minute, but the stage is throttled at 100 rps: "
         "NumberOfMessagesSent into the queue is pinned flat at ~6 k/min and everything above it is rejected by API "
         "Gateway with 429 'Too Many Requests', hitting every tenant, not just the noisy one. Downstream (queue, "
         "writer Lambda) is healthy. The errors are rate-limit rejections at the API stage limit, so the category "
         "is throttling on events-ingest-api (not traffic_surge: there is a limit fault, and the 429s are the errors).")
    return S


# ============================================================== S10
def s10():
    S = Scenario(10, "mysql-max-connections-lowered", "ap-northeast-1",
                 "Tenant web app throwing 500s; ALB 5xx alarm for tenants-web-alb.",
                 clock(2026, 11, 9, 3, 15))
    rng = S.rng
    DB, PG, ALB = "tenants-mysql-primary", "tenants-mysql80-prod", "app/tenants-web-alb/6b2e8d4f0a1c3957"
    CH = -3120
    ON = CH + 30
    web = [("i-0a1f3c5e7b9d24681", "tenants-web-1"), ("i-0b2e4d6f8a1c35792", "tenants-web-2"),
           ("i-0c3d5e7f9b2a46803", "tenants-web-3")]
    S.res("rds", DB, engine="mysql", engine_version="8.0.39", instance_class="db.r6g.4xlarge",
          parameter_group=PG, max_connections=200, allocated_storage_gb=3000, multi_az=True)
    for iid, name in web:
        S.res("ec2", iid, name=name, instance_type="c7g.2xlarge",
              log_groups=["/ec2/tenants-web/rails", "/ec2/tenants-web/nginx"])
    S.res("alb", ALB, name="tenants-web-alb", targets=[n for _, n in web])
    S.res("ecs", "tenants-prod/job-runner", cluster="tenants-prod", service="job-runner", launch_type="FARGATE",
          desired_count=10, log_groups=["/ecs/tenants-prod/job-runner"])
    S.res("lambda", "tenant-csv-import", runtime="python3.12", timeout=900, memory_size=2048)
    conns = lambda t: 620 * diurnal(t, 0.05) - (620 - 201) * ramp(t, CH, CH + 600)
    packs.rds(S, DB, cpu=lambda t: 41 * diurnal(t) - 12 * ramp(t, CH, CH + 600), conns=conns,
              free_gb=lambda t: 1870.0, freeable_gb=lambda t: 58.0, read_iops=lambda t: 5200 * diurnal(t),
              write_iops=lambda t: 2100 * diurnal(t))
    err = lambda t: ramp(t, ON, CH + 600)
    packs.alb(S, ALB, req=lambda t: 4200 * diurnal(t, 0.2, 10000), rt=lambda t: 0.11 + 0.35 * err(t),
              t5xx=lambda t: 0.6 + 850 * err(t), healthy=3)
    for i, (iid, name) in enumerate(web):
        spike = (lambda t: 55 * window(t, -16500, -16000)) if i == 1 else (lambda t: 0.0)
        packs.ec2(S, iid, cpu=lambda t, sp=spike: 38 * diurnal(t, 0.2, 10000) - 10 * err(t) + sp(t),
                  net_in=lambda t: 6.0e7, mem=lambda t: 61.0, disk=lambda t: 47.0)
    packs.ecs(S, "tenants-prod", "job-runner", cpu=lambda t: 29.0, mem=lambda t: 44.0)
    imp = LambdaFn(S, "tenant-csv-import", "python3.12", 2048, 900, log_from=-6000,
                   versions=[(-21600, "33"), (-5390, "34")])
    imp.run(lambda t: 0.15, lambda t: Inv("ok", rng.uniform(30000, 120000), rng.randint(600, 900), [
        ("INFO", "imported %d rows for tenant %s from s3://tenant-uploads-apne1/%s.csv" % (
            rng.randint(1000, 90000), pick(S, TENANTS), S.hexid(8)))]))

    rails, ngx = {iid: [] for iid, _ in web}, {iid: [] for iid, _ in web}

    def request(tt):
        iid = pick(S, [w[0] for w in web])
        rid = S.uid()
        tenant = pick(S, TENANTS)
        path = pick(S, ["/projects", "/dashboard", "/invoices", "/api/v2/tasks", "/settings/members"])
        ip = S.ip("10.8")
        if rng.random() < 0.2 * err(tt):
            rails[iid] += [
                (tt, fmt.rails(S, tt, "INFO", 'Started GET "%s" for %s' % (path, ip), reqid=rid)),
                (tt + 0.01, fmt.rails(S, tt + 0.01, "ERROR", "Mysql2::Error::ConnectionError (Too many connections):", reqid=rid)),
                (tt + 0.011, fmt.rails(S, tt + 0.011, "ERROR", "activerecord (7.1.4) lib/active_record/connection_adapters/"
                                       "mysql2_adapter.rb:47:in `new_client'", reqid=rid)),
                (tt + 0.012, fmt.rails(S, tt + 0.012, "INFO", "Completed 500 Internal Server Error in %dms "
                                       "(ActiveRecord: 0.0ms | Allocations: 2143)" % rng.randint(6, 40), reqid=rid))]
            ngx[iid].append((tt + 0.02, fmt.nginx(S, tt + 0.02, ip, "GET", path, 500, 1543, pick(S, UAS),
                                                  rng.uniform(0.01, 0.05), tenant)))
            return None
        d = rng.uniform(0.04, 0.22)
        rails[iid] += [(tt, fmt.rails(S, tt, "INFO", 'Started GET "%s" for %s' % (path, ip), reqid=rid)),
                       (tt + d, fmt.rails(S, tt + d, "INFO", "Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: %.1fms)" % (
                           d * 1000, d * 300, d * 450), reqid=rid))]
        ngx[iid].append((tt + d, fmt.nginx(S, tt + d, ip, "GET", path, 200, rng.randint(2000, 40000), pick(S, UAS), d, tenant)))
        return None

    def scan(tt):
        iid = pick(S, [w[0] for w in web])
        rid = S.uid()
        rails[iid] += [(tt, fmt.rails(S, tt, "FATAL", 'ActionController::RoutingError (No route matches [GET] "/wp-login.php"):', reqid=rid))]
        ngx[iid].append((tt, fmt.nginx(S, tt, "185.220.101.%d" % rng.randint(1, 254), "GET", "/wp-login.php", 404, 1722,
                                       "Mozilla/5.0 zgrab/0.x", 0.004)))
    fmt.spread(S, -5400, 0, lambda t: 22 * diurnal(t, 0.2, 10000), request)
    fmt.spread(S, -5400, 0, lambda t: 1.5, scan)
    for iid, _ in web:
        S.log("/ec2/tenants-web/rails", iid, rails[iid])
        S.log("/ec2/tenants-web/nginx", iid, ngx[iid])

    jr = []
    jr += fmt.spread(S, -5400, 0, lambda t: 6.0, lambda tt: fmt.slog(
        S, tt, "INFO", "job finished", job=pick(S, ["recalc_usage", "send_digest", "sync_calendar"]),
        tenant=pick(S, TENANTS), duration_ms=rng.randint(40, 900)))
    jr += fmt.spread(S, ON, 0, lambda t: 8.0 * err(t), lambda tt: fmt.slog(
        S, tt, "ERROR", "job failed, will retry", job=pick(S, ["recalc_usage", "send_digest", "sync_calendar"]),
        tenant=pick(S, TENANTS), error="Error 1040 (08004): Too many connections", attempt=rng.randint(1, 5)))
    tasks = [S.hexid(32) for _ in range(10)]
    per = {k: [] for k in tasks}
    for e in jr:
        per[pick(S, tasks)].append(e)
    for k in tasks:
        S.log("/ecs/tenants-prod/job-runner", "ecs/job-runner/" + k, per[k])

    my = fmt.every(-21600, 0, 900, lambda tt: fmt.mysql(
        S, tt, rng.randint(100000, 900000), "Warning", 13360, "Server", "Plugin mysql_native_password reported: "
        "''mysql_native_password' is deprecated and will be removed in a future release. Please use "
        "caching_sha2_password instead'"), jitter=300, S=S)
    my += fmt.spread(S, CH, CH + 900, lambda t: 6.0, lambda tt: fmt.mysql(
        S, tt, rng.randint(100000, 900000), "Note", 10914, "Server", "Aborted connection %d to db: 'tenants' user: "
        "'app' host: '10.8.%d.%d' (Got an error reading communication packets)." % (
            rng.randint(100000, 999999), rng.randint(1, 30), rng.randint(4, 250))))
    S.log("/aws/rds/instance/%s/error" % DB, DB, my)

    S.change(-5400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "tenant-csv-import", "github-actions")
    S.change(CH, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", PG, "terraform-ci",
             parameters="max_connections=200 (was 2000), apply_method=immediate")
    S.alarm("tenants-web-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB},
            "Sum", 60, 3, 100, description="Tenant web 5xx")
    expect(S, "tenants-web-alb-5xx", "config_change", [DB, PG],
           [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": DB}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB})])
    meta(S, "config_change", "rds %s (parameter group %s)" % (DB, PG), "front (ALB tenants-web-alb)",
         "tenant-csv-import deploy 90 min before; tenants-web-2 CPU blip 4.5 h ago; steady wp-login.php scanner "
         "RoutingError and mysql_native_password deprecation warnings",
         "terraform-ci applied ModifyDBParameterGroup to the shared MySQL primary's parameter group, setting "
         "max_connections to 200 (it was 2000; the fleet normally holds ~620). max_connections is dynamic, so it "
         "applied at once: as pooled connections recycle, DatabaseConnections drops to a flat ~200 and every new "
         "connection attempt from Rails and the Go job-runner fails with 'Too many connections' (1040), which the ALB "
         "reports as 5xx. The symptom looks like connection exhaustion, but the trigger is a configuration change "
         "on the database made right before onset, and the tie-break gives it to config_change (origin: the RDS "
         "instance / its parameter group).")
    return S
