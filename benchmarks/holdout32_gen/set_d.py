"""Scenarios 13-16: Ruby app error (API GW front), ECS Go -> impaired Redis EC2, Go Lambda bad deploy, EC2 disk full."""
from . import common as c
from .set_a import zap
from .set_b import py_line


def s13(seed=3213):
    r = c.rng_for(seed)
    reg = "us-west-1"
    T0 = -1920
    bad = lambda t: t >= T0
    rate = 6.0
    inv = lambda t, rr: rate * 60 * c.diurnal(t, 0.1) + rr.gauss(0, 12)
    errf = lambda t, rr: (inv(t, rr) * 0.31) if bad(t) else 0
    metrics = c.lambda_metrics(r, "points-redeemer", inv, errf, lambda t, rr: 240 + rr.gauss(0, 20))
    metrics += c.apigw_metrics(r, "loyalty-api", lambda t, rr: inv(t, rr) + 20, lambda t, rr: 24 + rr.gauss(0, 4),
                               lambda t, rr: errf(t, rr) + rr.choice([0, 0, 1]), lambda t, rr: 270 + rr.gauss(0, 25))
    metrics += c.lambda_metrics(r, "points-expirer", lambda t, rr: 2 + rr.randint(0, 1), lambda t, rr: 0,
                                lambda t, rr: 3100 + rr.gauss(0, 200))

    def handler(t, rr, q):
        mbr = f"mbr_{rr.randint(10**6, 10**7)}"
        ts = c.iso(t)[:-1]
        lines = [f"I, [{ts} #8]  INFO -- : [{q}] redeem member={mbr} points={rr.randint(100, 5000)} reward=rw_{rr.randint(10, 99)}"]
        if rr.random() < 0.07:  # long-standing handled error, same rate throughout
            lines.append(f"E, [{ts} #8] ERROR -- : [{q}] Promo code \"XMAS2019\" rejected for {mbr}: "
                         "Loyalty::PromoExpired (returned 422)")
        if bad(t) and rr.random() < 0.31:
            lines.append(f"W, [{ts} #8]  WARN -- : [{q}] member {mbr} tier=nil source=partner_import_2026_11")
            lines.append(f"{{\"errorMessage\":\"undefined method `fetch' for nil\",\"errorType\":\"Function<NoMethodError>\","
                         "\"stackTrace\":[\"/var/task/lib/loyalty/tier_rules.rb:44:in `multiplier_for'\","
                         "\"/var/task/lib/loyalty/redeem.rb:27:in `call'\",\"/var/task/handler.rb:12:in `handle'\"]}")
            return lines, rr.uniform(30, 90), rr.randint(90, 110), None
        lines.append(f"I, [{ts} #8]  INFO -- : [{q}] redeemed ok balance={rr.randint(0, 90000)}")
        return lines, rr.uniform(150, 340), rr.randint(95, 120), None
    ev = c.lambda_events(r, c.H3, 0, lambda t: 0.4, handler, 512)

    def exp_h(t, rr, q):
        return [py_line("INFO", q, f"expired {rr.randint(0, 400)} point lots")], rr.uniform(2800, 3500), 130, None
    x_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.03, exp_h, 512)
    x_ev.append([-2250.0, py_line("INFO", "-", "points-expirer 5.4.0 cold start (batch size 500 -> 1000)")])
    x_ev.sort(key=lambda e: e[0])

    def gw(t, rr):
        q = c.rid(rr)
        if bad(t) and rr.random() < 0.3:
            return [f"({q}) Endpoint response body before transformations: {{\"errorMessage\":\"undefined method `fetch' for nil\","
                    "\"errorType\":\"Function<NoMethodError>\"}", f"({q}) Method completed with status: 502"]
        return [f"({q}) Method completed with status: {rr.choice([200] * 15 + [422])}"]
    g_ev = c.app_events(r, c.H3, 0, lambda t: 0.3, gw)
    logs = [c.log("/aws/lambda/points-redeemer", "2026/11/20/[$LATEST]" + c.hexid(r), ev),
            c.log("/aws/lambda/points-expirer", "2026/11/20/[$LATEST]" + c.hexid(r), x_ev),
            c.log("API-Gateway-Execution-Logs_7hq2w0zp4d/prod", "7hq2w0zp4d-prod", g_ev)]
    res = [{"type": "apigateway", "id": "loyalty-api", "properties": {"api_id": "7hq2w0zp4d", "stage": "prod"}},
           {"type": "lambda", "id": "points-redeemer", "properties": {"runtime": "ruby3.3", "timeout": 10, "memory_size": 512}},
           {"type": "lambda", "id": "points-expirer", "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 512}}]
    changes = [c.change(-2290, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "points-expirer", "github-actions"),
               c.change(-2280, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                        "points-expirer", "github-actions")]
    alarms = [c.alarm("loyalty-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "loyalty-api"}, "Sum", 60, 3, 15, T0 + 180)]
    exp = c.expect("loyalty-api-5xx", "application_error", ["points-redeemer"],
                   [c.anomaly("AWS/Lambda", "Errors", {"FunctionName": "points-redeemer"})])
    return c.scenario("h32-13-apigw-ruby-app-error", "Reward redemptions failing for some members; API 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s14(seed=3214):
    r = c.rng_for(seed)
    reg = "us-east-1"
    lb = "app/catalog-alb/6a0c8e2f4b1d3957"
    RD, SG = "i-05f2a9c1e7b3d4680", "i-0f1e2d3c4b5a69788"
    T0 = -1680
    dead = lambda t: t >= T0
    metrics = c.ec2_metrics(r, RD, lambda t, rr: None if dead(t) else 22 + rr.gauss(0, 3),
                            lambda t, rr: None if dead(t) else 2.2e8 + rr.gauss(0, 1e7),
                            lambda t, rr: None if dead(t) else 61 + rr.gauss(0, 0.5),
                            lambda t, rr: None if dead(t) else 34.0, status_fn=lambda t, rr: 1 if dead(t) else 0)
    metrics += c.alb_metrics(r, lb, lambda t, rr: 5200 + rr.gauss(0, 150),
                             lambda t, rr: (1.9 + rr.gauss(0, 0.2)) if dead(t) else 0.035 + rr.gauss(0, 0.004),
                             lambda t, rr: rr.choice([0, 1]) + (rr.gauss(700, 60) if dead(t) else 0), lambda t, rr: 0, healthy=4)
    metrics += c.ecs_metrics(r, "catalog", "pricing-api", lambda t, rr: 33 + rr.gauss(0, 3) - (10 if dead(t) else 0),
                             lambda t, rr: 41 + rr.gauss(0, 1), lambda t, rr: 4)
    metrics += c.ecs_metrics(r, "catalog", "search-suggest", lambda t, rr: 20 + rr.gauss(0, 2) + (30 if -2040 <= t < -1860 else 0),
                             lambda t, rr: 35 + rr.gauss(0, 1), lambda t, rr: 2)

    def api(t, rr):
        q = c.hexid(rr, 16)
        sku = f"SKU-{rr.randint(100000, 999999)}"
        out = []
        if rr.random() < 0.05:
            out.append(zap(t, "error", "fx/rates.go:77", "fx rate stale, using last known", request_id=q, currency="VND", age_h=31))
        if dead(t) and rr.random() < 0.55:
            err = rr.choice(["dial tcp 10.50.3.21:6379: i/o timeout", "redis: connection pool timeout",
                             "read tcp 10.50.1.88:41822->10.50.3.21:6379: i/o timeout"])
            out.append(zap(t, "error", "cache/redis.go:58", "price lookup failed", request_id=q, sku=sku, error=err,
                           addr="redis-cache-1.catalog.internal:6379"))
            out.append(zap(t, "warn", "httpapi/server.go:112", "request failed", request_id=q, status=503, duration_ms=rr.randint(1000, 3000)))
            return out
        out.append(zap(t, "info", "httpapi/server.go:104", "request completed", request_id=q, sku=sku, status=200,
                       duration_ms=rr.randint(2, 40)))
        return out
    a_ev = c.app_events(r, c.H3, 0, lambda t: 0.7, api)
    redis = c.periodic(c.H3, T0 - 10, 300, lambda t: f"1:M {c.stamp(t, '%d %b %Y %H:%M:%S')}.{int(t) % 1000:03d} * "
                                                     "Background saving terminated with success")
    redis += c.periodic(c.H3 + 150, T0 - 10, 300, lambda t: f"1:M {c.stamp(t, '%d %b %Y %H:%M:%S')}.{int(t) % 1000:03d} * "
                                                            "100 changes in 300 seconds. Saving...")
    sg = [[-2000.0, zap(-2000, "info", "main.go:31", "search-suggest starting", version="0.19.2")]]
    sg += c.periodic(c.H3, 0, 120, lambda t: zap(t, "info", "index/reload.go:22", "prefix index reloaded", terms=183221))
    logs = [c.log("/ecs/pricing-api", "pricing-api/app/1e7c3a5b9d0f4862", a_ev),
            c.log("/ec2/redis-cache-1/redis", RD, c.merge(redis)),
            c.log("/ecs/search-suggest", "search-suggest/app/0a2b4c6d", c.merge(sg))]
    res = [{"type": "alb", "id": lb, "properties": {"name": "catalog-alb"}},
           {"type": "ecs", "id": "catalog/pricing-api", "properties": {"cluster": "catalog", "service": "pricing-api",
                                                                      "desired_count": 4, "log_group": "/ecs/pricing-api"}},
           {"type": "ecs", "id": "catalog/search-suggest", "properties": {"cluster": "catalog", "service": "search-suggest"}},
           {"type": "ec2", "id": RD, "properties": {"name": "redis-cache-1", "instance_type": "r6g.large",
                                                   "log_groups": ["/ec2/redis-cache-1/redis"], "role": "redis 7.2 primary"}},
           {"type": "ec2", "id": SG, "properties": {"name": "bastion-1", "instance_type": "t3.micro"}}]
    changes = [c.change(-2050, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/search-suggest", "argo-deployer"),
               c.change(-5200, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-bastion-ssh",
                        "ops-ravi")]
    alarms = [c.alarm("catalog-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
                      60, 3, 50, T0 + 180, description="Catalog pricing 5XX"),
              c.alarm("redis-cache-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": RD}, "Maximum", 60, 2, 0,
                      T0 + 120)]
    exp = c.expect("catalog-alb-target-5xx", "dependency_failure", [RD, "redis-cache-1"],
                   [c.anomaly("AWS/EC2", "StatusCheckFailed", {"InstanceId": RD})])
    return c.scenario("h32-14-alb-ecs-go-redis-ec2-impaired", "Catalog prices failing with 503; ALB 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s15(seed=3215):
    r = c.rng_for(seed)
    reg = "eu-south-1"
    DEP, T0 = -2700, -2650
    bad = lambda t: t >= T0
    inv = lambda t, rr: 420 * c.diurnal(t, 0.12) + rr.gauss(0, 15)
    errf = lambda t, rr: (inv(t, rr) * 0.18) if bad(t) else 0
    metrics = c.lambda_metrics(r, "availability-go", inv, errf, lambda t, rr: 35 + rr.gauss(0, 4))
    metrics += c.apigw_metrics(r, "booking-gw", lambda t, rr: inv(t, rr) + 30, lambda t, rr: 14 + rr.gauss(0, 3),
                               lambda t, rr: errf(t, rr) + rr.choice([0, 0, 1]), lambda t, rr: 60 + rr.gauss(0, 6))
    metrics += c.lambda_metrics(r, "rate-sync", lambda t, rr: 6 + rr.gauss(0, 1), lambda t, rr: 0,
                                lambda t, rr: 700 + rr.gauss(0, 50))

    def handler(t, rr, q):
        hotel = f"htl_{rr.randint(1000, 9999)}"
        lines = []
        if rr.random() < 0.06:
            lines.append(f"time={c.iso(t)} level=ERROR msg=\"partner inventory feed stale\" partner=hotelbeds age=26h request_id={q}")
        if bad(t) and rr.random() < 0.18:
            lines.append(f"time={c.iso(t)} level=INFO msg=\"availability request\" hotel={hotel} nights={rr.randint(1, 7)} "
                         "rate_plan=\"\" request_id=" + q)
            lines.append("panic: runtime error: invalid memory address or nil pointer dereference\n"
                         "[signal SIGSEGV: segmentation violation code=0x1 addr=0x28 pc=0x6b1f2c]\n\ngoroutine 42 [running]:\n"
                         "github.com/acme-travel/availability/internal/pricing.(*RatePlan).NightlyPrice(...)\n"
                         "\t/build/internal/pricing/rateplan.go:63\n"
                         "github.com/acme-travel/availability/internal/handler.(*Handler).Rooms(0xc0001a2000, {0x8c2e40, 0xc0003b8f00})\n"
                         "\t/build/internal/handler/rooms.go:118 +0x1d4")
            return lines, rr.uniform(8, 20), rr.randint(30, 40), "exit"
        lines.append(f"time={c.iso(t)} level=INFO msg=\"availability served\" hotel={hotel} rooms={rr.randint(0, 30)} "
                     f"latency_ms={rr.randint(8, 60)} request_id={q}")
        return lines, rr.uniform(15, 70), rr.randint(30, 40), None

    def wrap(version):
        def h(t, rr, q):
            lines, d, m, st = handler(t, rr, q)
            if st == "exit":
                lines.append(f"RequestId: {q} Error: Runtime exited with error: exit status 2\nRuntime.ExitError")
            return lines, d, m, None
        return h
    ev = c.lambda_events(r, c.H3, DEP + 30, lambda t: 0.45, wrap("41"), 256, version="41")
    ev += c.lambda_events(r, DEP + 30, 0, lambda t: 0.45, wrap("42"), 256, version="42")
    ev.append([DEP + 31.0, f"time={c.iso(DEP + 31)} level=INFO msg=\"cold start\" build=v1.18.0 commit=d41c7e9 go=go1.23.3"])
    ev.sort(key=lambda e: e[0])

    def rs(t, rr, q):
        return [f"time={c.iso(t)} level=INFO msg=\"synced rates\" partner=expedia rows={rr.randint(100, 600)}"], \
            rr.uniform(500, 900), 60, None
    r_ev = c.lambda_events(r, c.H3, 0, lambda t: 0.05, rs, 256)
    r_ev.append([-2795.0, f"time={c.iso(-2795)} level=INFO msg=\"config loaded\" SYNC_INTERVAL=5m PARTNERS=expedia,booking"])
    r_ev.sort(key=lambda e: e[0])
    logs = [c.log("/aws/lambda/availability-go", "2026/11/20/[41]" + c.hexid(r), [e for e in ev if e[0] < DEP + 30]),
            c.log("/aws/lambda/availability-go", "2026/11/20/[42]" + c.hexid(r), [e for e in ev if e[0] >= DEP + 30]),
            c.log("/aws/lambda/rate-sync", "2026/11/20/[$LATEST]" + c.hexid(r), r_ev)]
    res = [{"type": "apigateway", "id": "booking-gw", "properties": {"api_id": "q1m8d5r2xk", "stage": "live"}},
           {"type": "lambda", "id": "availability-go", "properties": {"runtime": "provided.al2023", "architecture": "arm64",
                                                                     "timeout": 10, "memory_size": 256, "alias": "live"}},
           {"type": "lambda", "id": "rate-sync", "properties": {"runtime": "provided.al2023", "timeout": 60, "memory_size": 256}}]
    changes = [c.change(-2800, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
                        "rate-sync", "terraform"),
               c.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                        "availability-go", "github-actions"),
               c.change(DEP + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                        "availability-go", "github-actions"),
               c.change(DEP + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
                        "availability-go", "github-actions")]
    alarms = [c.alarm("booking-gw-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "booking-gw"}, "Sum", 60, 3, 10, T0 + 180)]
    exp = c.expect("booking-gw-5xx", "bad_deployment", ["availability-go"],
                   [c.anomaly("AWS/Lambda", "Errors", {"FunctionName": "availability-go"})])
    return c.scenario("h32-15-apigw-go-lambda-bad-deploy", "Hotel availability search failing for some hotels; API 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)


def s16(seed=3216):
    r = c.rng_for(seed)
    reg = "ap-south-1"
    lb = "app/api-mumbai-alb/58e1b0d3c7a2f469"
    API, WK = "i-0b9d3f5a7c1e2d468", "i-0c2a4e6f8b1d3a579"
    T0 = -1440
    full = lambda t: t >= T0
    metrics = c.ec2_metrics(r, API, lambda t, rr: 31 + rr.gauss(0, 3) - (8 if full(t) else 0), lambda t, rr: 6e7 + rr.gauss(0, 3e6),
                            lambda t, rr: 49 + rr.gauss(0, 1), lambda t, rr: 100.0 if full(t) else c.ramp(t, -21600, T0, 71, 100))
    metrics += c.ec2_metrics(r, WK, lambda t, rr: (96 + rr.uniform(0, 4)) if t >= -2000 else 18 + rr.gauss(0, 3),
                             lambda t, rr: 1e7 + rr.gauss(0, 1e6), lambda t, rr: 62 + rr.gauss(0, 1), lambda t, rr: 44.0)
    metrics += c.alb_metrics(r, lb, lambda t, rr: 2600 + rr.gauss(0, 80),
                             lambda t, rr: 0.07 + rr.gauss(0, 0.007),
                             lambda t, rr: rr.choice([0, 1]) + (rr.gauss(380, 30) if full(t) else 0),
                             lambda t, rr: rr.gauss(40, 8) if full(t) else 0, healthy=1)

    def app(t, rr):
        q = c.hexid(rr, 10)
        pfx = f"{c.stamp(t)},{int((t % 1) * 1000):03d} "
        if full(t) and rr.random() < 0.45:
            return [pfx + f"ERROR [gunicorn.error] [req {q}] Error handling request /v1/kyc/upload\nTraceback (most recent call last):\n"
                    "  File \"/srv/api/app/kyc.py\", line 88, in upload\n    with open(tmp_path, \"wb\") as fh:\n"
                    "OSError: [Errno 28] No space left on device: '/var/lib/api/tmp/upload-" + q + "'"]
        return [pfx + f"INFO [api.access] [req {q}] {rr.choice(['GET /v1/accounts/me', 'POST /v1/kyc/upload', 'GET /v1/offers'])} "
                f"200 {rr.randint(15, 120)}ms"]
    a_ev = c.app_events(r, c.H3, 0, lambda t: 0.7, app)
    a_ev += c.periodic(c.H3, 0, 60, lambda t: f"{c.stamp(t)},000 DEBUG [api.audit] flushed audit batch size=2000 to /var/log/api/audit.log")
    ng = c.periodic(T0 + 3, 0, 9, lambda t: f"{c.stamp(t, '%Y/%m/%d %H:%M:%S')} [crit] 1412#1412: *{int(t) + 99999} open() "
                                            f"\"/var/lib/nginx/tmp/client_body/00000{int(t) % 90000 + 10000}\" failed "
                                            "(28: No space left on device), client: 10.70.1.12, server: api.example.in", r)
    ng += c.periodic(c.H3, 0, 3600, lambda t: f"{c.stamp(t, '%Y/%m/%d %H:%M:%S')} [notice] 1411#1411: signal process started")
    sysl = c.periodic(c.H3 + 200, 0, 3600, lambda t: f"{c.stamp(t, '%b %d %H:%M:%S')} api-mumbai-1 logrotate[{int(t) % 9000 + 1000}]: "
                                                     "error: skipping \"/var/log/api/audit.log\" because parent directory has "
                                                     "insecure permissions (It's world writable or writable by group which is not "
                                                     "\"root\") Set \"su\" directive in config file")
    wk = c.periodic(-2000, 0, 60, lambda t: f"{c.stamp(t)} INFO reindex: offers shard {int(t + 2000) // 60}/64 rebuilt (cpu-bound, nice 10)")
    wk += c.periodic(c.H3, -2000, 600, lambda t: f"{c.stamp(t)} INFO idle; next reindex window 19:00 IST")
    logs = [c.log("/app/api/app", API, c.merge(a_ev)), c.log("/app/api/nginx-error", API, c.merge(ng)),
            c.log("/app/api/syslog", API, sysl), c.log("/app/worker/reindex", WK, c.merge(wk))]
    res = [{"type": "ec2", "id": API, "properties": {"name": "api-mumbai-1", "instance_type": "m6i.large", "root_volume_gb": 50,
                                                    "log_groups": ["/app/api/app", "/app/api/nginx-error", "/app/api/syslog"]}},
           {"type": "ec2", "id": WK, "properties": {"name": "worker-mumbai-1", "instance_type": "c6i.large",
                                                   "log_groups": ["/app/worker/reindex"]}},
           {"type": "alb", "id": lb, "properties": {"name": "api-mumbai-alb"}}]
    changes = [c.change(-2100, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::Application", "offers-worker",
                        "jenkins")]
    alarms = [c.alarm("api-mumbai-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
                      40, T0 + 180),
              c.alarm("worker-mumbai-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": WK}, "Average", 300, 2, 90, -1700)]
    exp = c.expect("api-mumbai-alb-5xx", "storage_exhaustion", [API, "api-mumbai-1"],
                   [c.anomaly("CWAgent", "disk_used_percent", {"InstanceId": API, "path": "/", "fstype": "xfs"})])
    return c.scenario("h32-16-alb-ec2-disk-full", "KYC uploads failing in Mumbai; ALB 5XX alarm.",
                      reg, res, metrics, logs, alarms, changes, exp)
