"""h82-13 (load-balancer 502s with nothing behind them) and h82-14 (TV-shopping time sale)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import GRID
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, zap

from .kit import (S82, alb_metrics, bump, diurnal, ec2_metrics, lambda_metrics, ramp, rds_metrics,
                  sampled)

logfmt = logfmt_writer("time")


# ============================================================================ h82-13
def build_13() -> S82:
    sc = S82(13, "mall-edge-502", "Intermittent 502 Bad Gateway pages reported on the mall site; the "
             "load balancer 5XX alarm fired.", "ap-southeast-1", "2026-11-27T04:10:00")
    lb, on = "app/sg-mall-edge/5e8b1d0c7a3f2946", -2040
    ids = ["i-0a9c3e51d7b2f4068", "i-0e17b6d4a9c0258f3", "i-03d58f2e9b1a6c704"]
    sc.resource("alb", lb, name="sg-mall-edge", scheme="internet-facing", idle_timeout_s=60)
    for i, iid in enumerate(ids):
        sc.resource("ec2", iid, name=f"mall-api-{i + 1}", instance_type="m7g.large", service="mall-api (Go 1.23)",
                    log_groups=["/mall/api"])
    sc.resource("ec2", "i-0b6f4a2c8e1d3957a", name="feed-batch", instance_type="c7g.xlarge")
    sc.resource("lambda", "sg-price-sync", runtime="python3.12", timeout=120, memory_size=512)
    sc.resource("rds", "mall-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.xlarge",
                max_connections=1600, allocated_storage_gb=400)

    sale = lambda t: 1.0 + 0.3 * ramp(t, -5400, -5100)
    blip = lambda t: ramp(t, on, on + 90)
    req = sc.vals(lambda t: 2100 * diurnal(sc, t, 5, 0.2) * sale(t), integer=True)
    e5 = sc.vals(lambda t: 0.2 + 27 * blip(t), integer=True)
    lbd = alb_metrics(sc, lb, req, sc.vals(lambda t: 0.3, integer=True), e5,
                      sc.vals(lambda t: 0.041 * sale(t) ** 0.3, noise=0.08), [3.0] * 360, [0.0] * 360,
                      t4=sc.vals(lambda t: 31 * sale(t), integer=True))
    for i, iid in enumerate(ids):
        ec2_metrics(sc, iid, sc.vals(lambda t: 31 * sale(t) * diurnal(sc, t, 5, 0.1), noise=0.05),
                    sc.vals(lambda t: 6.2e7 * sale(t), noise=0.08, digits=0),
                    mem=sc.vals(lambda t: 44 + 2 * i, noise=0.01), disk=sc.vals(lambda t: 38.0 + 3 * i, noise=0.002))
    ec2_metrics(sc, "i-0b6f4a2c8e1d3957a", sc.vals(lambda t: 12 + 70 * bump(t, -2160, -1980, 1, 60), noise=0.06),
                sc.vals(lambda t: 1.1e7, noise=0.1, digits=0))
    rds_metrics(sc, "mall-pg", sc.vals(lambda t: 26 * sale(t), noise=0.05), sc.vals(lambda t: 300 * sale(t) ** 0.5, integer=True),
                sc.vals(lambda t: 288.9, noise=0.0003), sc.vals(lambda t: 0.0007, noise=0.1, digits=5),
                sc.vals(lambda t: 0.0013, noise=0.1, digits=5), sc.vals(lambda t: 20500, noise=0.01))
    pinv = [1.0 if t % 300 == 0 else None for t in GRID]  # every five minutes; no datapoint between
    lambda_metrics(sc, "sg-price-sync", pinv, [0.0 if n else None for n in pinv],
                   [round(74000.0 + sc.rng.gauss(0, 5000), 2) if n else None for n in pinv])

    for i, iid in enumerate(ids):
        host = f"mall-api-{i + 1}"

        def access(t, host=host):
            return zap(sc, t, "info", "request", "httpx/log.go:61", host=host,
                       method=sc.rng.choice(["GET", "GET", "POST"]),
                       path=sc.rng.choice(["/v2/deals/live", "/v2/cart", "/v2/search", "/v2/product/%d" % sc.rng.randint(10 ** 5, 10 ** 6)]),
                       status=200, dur_ms=round(max(2.0, sc.rng.gauss(38, 12)), 1), bytes=sc.rng.randint(900, 40000))
        sc.emit("/mall/api", iid, lambda t: 3.0, access)
        sc.emit("/mall/api", iid, lambda t: 0.6, lambda t, host=host: zap(
            sc, t, "warn", "client disconnected before response", "httpx/log.go:74", host=host,
            path="/v2/deals/live/stream", err="context canceled"))
        sc.emit("/mall/api", iid, lambda t: 0.1, lambda t, host=host: zap(
            sc, t, "info", "db pool stats", "store/pg.go:112", host=host, open=sc.rng.randint(18, 30), in_use=sc.rng.randint(2, 12),
            idle=sc.rng.randint(8, 20), wait_count=0))
    pl = LambdaLogs(sc, "sg-price-sync", "python3.12", 512, 120, retire=(-1920,))
    pl.run({t: 1 for t, n in zip(GRID, pinv) if n and t >= -10800}, {}, lambda ll, t, rid, e, c: {
        "dur": sc.rng.gauss(74000, 5000), "lines": [(0.1, ll.fmt(t, rid, "INFO", f"synced {sc.rng.randint(20000, 26000)} "
                                                                 "prices from merchant feed"))]})

    sc.change(-10900, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "sg-price-sync", "ops-sg")
    sc.change(-2160, "ec2.amazonaws.com", "ModifyInstanceAttribute", "AWS::EC2::Instance", "i-0b6f4a2c8e1d3957a",
              "ops-sg")
    sc.change(-1920, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "sg-price-sync", "ci-pricing")
    sc.alarm("sg-mall-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "load balancer generated 5xx")
    sc.alarm("sg-mall-edge-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3, 10,
             "GreaterThanThreshold")
    sc.expect_rc("sg-mall-edge-elb-5xx", "unknown", [lb, "sg-mall-edge"],
                 [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count", "dimensions": lbd}])
    sc.meta = dict(
        front="front (ALB); origin undetermined",
        decoys="ModifyInstanceAttribute + CPU spike on a batch instance 2 min before onset; price-sync "
               "deploy 2 min after; sale step 55 min earlier; chronic 'client disconnected' warnings",
        services="ALB, EC2 (Go/zap JSON logs), Lambda (Python 3.12), RDS",
        story="From -34 min sg-mall-edge itself returns ~25 502s a minute (HTTPCode_ELB_5XX) while "
              "target 5XX stays at zero, all three targets stay healthy, target response time stays at "
              "~40 ms, and the mall-api logs show only 200s plus the 'client disconnected' warnings "
              "they have logged at the same rate for hours. CPU, memory and database are flat. The only "
              "changes nearby are to an instance that is not a target (feed-batch, whose CPU spike is "
              "its own job) and to the price-sync function, which runs every five minutes without "
              "errors. The sale step came 55 minutes before.",
        judgement="Nothing in the account explains the load balancer's own 502s (no target errors, "
                  "resets, health changes, deploys on the path or saturation), so the honest answer is "
                  "unknown; the load balancer is listed as where the symptom lives. The changes nearby are "
                  "off the request path, and the 30 % sale step came an hour earlier with no errors.")
    return sc


# ============================================================================ h82-14
def build_14() -> S82:
    sc = S82(14, "timesale-broadcast", "Time-sale page erroring and slow during the evening broadcast; "
             "the deals load balancer 5XX alarm fired.", "ap-northeast-2", "2026-11-27T11:40:00")
    lb, on = "app/deals-front/8a2c4e6f1b3d5079", -2100
    ids = ["i-04c7e9a1b3d5f7026", "i-0f3a5c7e9b1d2e480", "i-09b2d4f6a8c0e1357", "i-06e8a0c2e4f6b8d91"]
    sc.resource("alb", lb, name="deals-front", scheme="internet-facing")
    for i, iid in enumerate(ids):
        sc.resource("ec2", iid, name=f"deals-web-{i + 1}", instance_type="c7i.xlarge",
                    service="deals (Ruby 3.3 / Puma 6, 5 workers x 8 threads)", log_groups=["/deals/app"])
    sc.resource("rds", "deals-pg", engine="postgres", engine_version="16.4", instance_class="db.r7g.2xlarge",
                max_connections=3000, allocated_storage_gb=500)
    sc.resource("lambda", "coupon-issuer", runtime="ruby3.3", timeout=10, memory_size=512)

    x = lambda t: 1.0 + 7.5 * ramp(t, on, on + 150) - 2.0 * ramp(t, on + 900, on + 2100)
    over = lambda t: max(0.0, x(t) - 3.2) / 5.3  # share of capacity exceeded by the wave
    req = sc.vals(lambda t: 1200 * diurnal(sc, t, 12, 0.2) * x(t), integer=True)
    t5 = sc.vals(lambda t: 0.3 + 420 * over(t), integer=True)
    trt = sc.vals(lambda t: 0.09 + 0.25 * (x(t) - 1) / 7.5 + 6.5 * over(t), noise=0.08)
    lbd = alb_metrics(sc, lb, req, t5, sc.vals(lambda t: 0.2 + 12 * over(t), integer=True), trt,
                      [4.0] * 360, [0.0] * 360, t4=sc.vals(lambda t: 20 * x(t), integer=True))
    for i, iid in enumerate(ids):
        ec2_metrics(sc, iid, sc.vals(lambda t: 16 + 7.0 * (x(t) - 1) + 2 * i, noise=0.04, cap=100.0),
                    sc.vals(lambda t: 3.1e7 * x(t), noise=0.08, digits=0),
                    mem=sc.vals(lambda t: 48 + 1.4 * (x(t) - 1), noise=0.01), disk=sc.vals(lambda t: 33.0 + i, noise=0.002))
    rds_metrics(sc, "deals-pg", sc.vals(lambda t: 18 + 4.4 * (x(t) - 1), noise=0.05),
                sc.vals(lambda t: 170 + 50 * (x(t) - 1), integer=True), sc.vals(lambda t: 377.4, noise=0.0003),
                sc.vals(lambda t: 0.0006 + 0.0001 * (x(t) - 1), noise=0.1, digits=5),
                sc.vals(lambda t: 0.0012, noise=0.1, digits=5), sc.vals(lambda t: 42000 - 400 * (x(t) - 1), noise=0.01))
    cinv = sc.vals(lambda t: 25 * x(t) ** 0.5, integer=True)
    cerr = sc.vals(lambda t: 0.3, integer=True)
    lambda_metrics(sc, "coupon-issuer", cinv, cerr, sc.vals(lambda t: 120, noise=0.1))

    for i, iid in enumerate(ids):
        def line(t):
            o = over(t)
            if sc.rng.random() < o * 0.5:
                return logfmt(sc, t, "error", "Rack::Timeout::RequestExpiryError", source="rack-timeout",
                              id=sc.uuid(), wait=f"{sc.rng.randint(15100, 24000)}ms", timeout="15000ms", state="expired")
            ms = int(max(5, sc.rng.gauss(85, 25) * (1 + 2.5 * (x(t) - 1) / 7.5 + 60 * o)))
            return logfmt(sc, t, "info", "request", method="GET", path=sc.rng.choice(
                ["/timesale/live", "/timesale/live", "/api/deals/stock", "/cart/add", "/"]), status=200,
                duration=f"{ms}ms", puma_backlog=int(sc.rng.uniform(0, 2) + 180 * o))
        sc.emit("/deals/app", iid, lambda t: 3.0, line)
        sc.emit("/deals/app", iid, lambda t: 0.4, lambda t: logfmt(
            sc, t, "warn", "coupon already claimed", user=f"u{sc.rng.randint(10 ** 6, 10 ** 7)}", coupon="TV-WAVE-5000"))
    sc.log("/deals/app", ids[0], on + 3.1, logfmt(sc, on + 3.1, "info", "timesale state change", sale="TVS-1127-20H",
                                                  state="on_air", stock=12000))
    cl = LambdaLogs(sc, "coupon-issuer", "ruby3.3", 512, 10, retire=(-2160,))

    def cbody(ll, t, rid, is_err, cold):
        if is_err:
            return {"dur": 60, "lines": [(0.02, ll.fmt(t, rid, "ERROR", "Coupons::AlreadyIssued: coupon TV-WAVE-5000 "
                                                       f"already issued to u{sc.rng.randint(10 ** 6, 10 ** 7)}"))]}
        return {"dur": sc.rng.gauss(120, 20), "lines": [(0.02, ll.fmt(t, rid, "INFO", "coupon issued"))]}

    cl.run(*sampled(sc, cinv, cerr, 2), cbody)

    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "coupon-issuer", "gh-actions-promo")
    sc.change(-14400, "ec2.amazonaws.com", "RunInstances", "AWS::EC2::Instance", ids[3], "asg-deals-web")
    sc.alarm("deals-front-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, "Sum", 60, 3, 50,
             "GreaterThanThreshold", "time-sale 5xx")
    sc.alarm("deals-web-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": ids[0]}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.expect_rc("deals-front-5xx", "traffic_surge", [lb, "deals-front"],
                 [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": lbd}])
    sc.meta = dict(
        front="front (ALB); origin = the surge at the ALB (no single backend)",
        decoys="coupon-issuer deploy 1 min before the broadcast; chronic 'coupon already claimed' "
               "warnings and AlreadyIssued errors; CPU alarm on one web instance (stays OK)",
        services="ALB, EC2 (Ruby/Puma logfmt logs with rack-timeout), RDS, Lambda (Ruby 3.3)",
        story="The 20:05 KST TV broadcast puts the time sale on air (`timesale state change state=on_air`) "
              "and deals-front goes from ~1,400 to ~12,000 requests a minute in under three minutes. "
              "The four Puma hosts reach ~70 % CPU but their request backlog grows, rack-timeout "
              "expires requests that waited over 15 s, and target 5XX peaks at ~400 a minute with "
              "multi-second response times, easing as the wave subsides. deals-pg, memory and disks "
              "are comfortable; nothing on the request path changed (the coupon-issuer deploy a minute "
              "before has the same AlreadyIssued error rate as all afternoon).",
        judgement="Origin for a surge spread over four identical hosts is the front door: only the "
                  "load balancer is accepted. CPU stays near 70 %, so cpu_saturation does not apply; "
                  "the Puma backlog is the symptom of volume, not a connection-pool fault.")
    return sc


BUILDERS = [build_13, build_14]
