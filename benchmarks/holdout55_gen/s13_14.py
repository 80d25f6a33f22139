"""h55-13 (EC2 host failure behind an ALB: none of the categories) and h55-14 (Go pricing service bad deploy, seen by its caller)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, hexid, morning, series, sig, window

GIB = 1024 ** 3


# ------------------------------------------------------------------ h55-13
def s13():
    region = "ca-central-1"
    scn = Scenario("legacy-api-unhealthy-hosts", region, 5513, "Legacy partner API: unhealthy host alarm on its load balancer.")
    rng = scn.rng
    alb_id = "app/legacy-api-alb/8b2f6d1e4c7a9035"
    dead = -1500
    hosts = [("i-0f3a9c2e5b7d14a80", "api-legacy-1"), ("i-0b7e4d19c3a6f2e58", "api-legacy-2"), ("i-06c2a8e1f9d3b7045", "api-legacy-3")]
    batch = ("i-0d1e5f7a3c9b2e614", "batch-runner-1")
    scn.resource("alb", alb_id, name="legacy-api-alb", scheme="internet-facing", targets=[h[0] for h in hosts])
    for iid, name in hosts:
        scn.resource("ec2", iid, name=name, instance_type="m5.xlarge", ami="ami-0a3c9e7d52f1b8e46 (amzn2, tomcat 9)",
                     security_groups=["sg-0a7e3c91d24b6f815 (legacy-api)"], availability_zone=f"ca-central-1{'a' if name != 'api-legacy-2' else 'b'}",
                     log_groups=["/legacy-api/catalina"])
    scn.resource("ec2", batch[0], name=batch[1], instance_type="c5.2xlarge", security_groups=["sg-05b8e1f2c7a94d3e0 (batch)"])
    scn.resource("ec2", "i-0a9d3f6b2e8c17450", name="bastion-1", instance_type="t3.micro", security_groups=["sg-0c41d7e2a9b3f5068 (bastion-ssh)"])

    rate = lambda t: 1500 * morning(t)   # noqa: E731
    live = lambda t: 2 if t >= dead else 3   # noqa: E731
    req = counts(rng, rate)
    blocks.alb(scn, alb_id, req=req, rt=series(rng, lambda t: 0.092 + 0.028 * sig(t, dead, 30), 0.07, nd=4),
               t5xx=counts(rng, lambda t: 0.4), e5xx=counts(rng, lambda t: 0.05 + 55 * window(t, dead - 10, dead + 50, 8)),
               healthy=[float(live(t + 30)) for t in T], unhealthy=[float(3 - live(t + 30)) for t in T])
    for iid, name in hosts:
        down = name == "api-legacy-2"
        share = lambda t, down=down: (1 / 3 if t < dead else (0 if down else 0.5))   # noqa: E731
        gaps = ((dead, 60),) if down else ()
        blocks.ec2(scn, iid, cpu=series(rng, lambda t, s=share: 4 + 95 * morning(t) * s(t), 0.06, hi=100),
                   net_in=series(rng, lambda t, s=share: 9.5e6 * morning(t) * s(t) * 3, 0.1),
                   mem=series(rng, lambda t: 61, 0.02), disk=series(rng, lambda t: 47, 0.004), gaps=gaps,
                   status=[1.0 if (down and t >= dead + 60) else 0.0 for t in T])
        if down:
            scn.metric("AWS/EC2", "StatusCheckFailed_System", {"InstanceId": iid}, "Count", [1.0 if t >= dead + 60 else 0.0 for t in T])
            scn.metric("AWS/EC2", "StatusCheckFailed_Instance", {"InstanceId": iid}, "Count", [0.0 if t < dead else None for t in T])
        # Tomcat catalina log (one stream per instance)
        thr = lambda: f"http-nio-8080-exec-{rng.randint(1, 200)}"   # noqa: E731
        stop = dead - rng.uniform(1, 4) if down else -0.5
        ev = svc.sampled(rng, LOG_START, stop, lambda t, s=share: rate(t) * s(t) * 0.02, lambda t: fmt.catalina(
            "INFO", t, thr(), "com.acme.legacy.api.AccessLogValve.log",
            f"{rng.choice(['GET', 'GET', 'POST'])} /v1/{rng.choice(['orders', 'shipments', 'rates', 'partners'])}/{rng.randint(10**5, 10**6)} "
            f"{rng.choice([200, 200, 200, 201, 404])} {rng.randint(8, 180)}ms partner=p{rng.randint(10, 99)}"))
        ev += svc.sampled(rng, LOG_START, stop, 0.6, lambda t: fmt.catalina(
            "SEVERE", t, thr(), "org.apache.catalina.core.StandardWrapperValve.invoke",
            "Servlet.service() for servlet [jersey] threw exception\norg.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe\n"
            "\tat org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:353)\n\tat org.apache.catalina.connector.OutputBuffer.flushByteBuffer(OutputBuffer.java:784)"))
        ev += lam.periodic(rng, LOG_START, stop, 300, lambda t: fmt.catalina(
            "INFO", t, "pool-2-thread-1", "com.acme.legacy.api.HealthReporter.report",
            f"heap used {rng.randint(900, 1400)}MB of 3072MB, threads busy {rng.randint(4, 30)}/200, db pool {rng.randint(2, 12)}/40"))
        scn.log("/legacy-api/catalina", iid, ev)

    blocks.ec2(scn, batch[0], cpu=series(rng, lambda t: 3 + 88 * window(t, -4000, -3000, 60), 0.05, hi=100),
               net_in=series(rng, lambda t: 2e5 + 4e7 * window(t, -4000, -3000, 60), 0.1), mem=series(rng, lambda t: 33 + 30 * window(t, -4000, -3000, 60), 0.02),
               disk=series(rng, lambda t: 58, 0.004))
    blocks.ec2(scn, "i-0a9d3f6b2e8c17450", cpu=series(rng, lambda t: 1.2, 0.2), net_in=series(rng, lambda t: 3e4 + 2e5 * window(t, -1780, -1500, 30), 0.2))
    scn.log("/batch/nightly", batch[0], [(-4000 + 3, "2026-11-20 08:03:23,114 INFO  nightly-reconcile starting (partners=412)"),
                                        (-3010, "2026-11-20 08:19:50,872 INFO  nightly-reconcile finished in 986 s, 0 failures")])

    scn.change(-1800, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0c41d7e2a9b3f5068", "omar.haddad")
    scn.change(-11000, "ec2.amazonaws.com", "CreateTags", "AWS::EC2::Instance", batch[0], "omar.haddad")

    d = {"LoadBalancer": alb_id}
    scn.alarm("legacy-api-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", d, "Maximum", 60, 3, 1,
              comparison="GreaterThanOrEqualToThreshold", state="ALARM", description="Legacy API: a target is failing health checks")
    scn.alarm("api-legacy-2-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": hosts[1][0]}, "Maximum", 60, 2, 1,
              comparison="GreaterThanOrEqualToThreshold", state="ALARM", description="api-legacy-2 status check failed (no recovery action configured)")
    expect = {"alarm": "legacy-api-alb-unhealthy-hosts",
              "root_cause": {"category": "unknown", "resource": [hosts[1][0], hosts[1][1]]},
              "anomalies": [{"namespace": "AWS/EC2", "name": "StatusCheckFailed", "dimensions": {"InstanceId": hosts[1][0]}},
                            {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount", "dimensions": d}]}
    meta = {"slug": "legacy-api-unhealthy-hosts", "alarm": "legacy-api-alb-unhealthy-hosts", "where": "front (ALB)",
            "decoys": ["AuthorizeSecurityGroupIngress on the bastion's security group 5 min before (the most recent change; it only adds a rule, on another group)",
                       "constant Tomcat ClientAbortException 'Broken pipe' SEVERE lines on every instance",
                       "batch-runner-1's nightly CPU burst an hour earlier"],
            "cause_change_time": None,
            "story": ("At 08:45 api-legacy-2 simply went dark: its Tomcat log stops mid-stream after ordinary lines, its CPU, network and "
                      "CloudWatch-agent metrics stop reporting, StatusCheckFailed_System goes to 1 (the AWS host behind the "
                      "instance failed; the instance check has no data). The ALB marks the target unhealthy and the other two "
                      "instances absorb the traffic with slightly higher latency. Nothing before the stop hints at CPU, memory, "
                      "disk, a deploy, a dependency or traffic; the only recent change adds an ingress rule to the bastion's "
                      "security group. An infrastructure (host) failure is not one of the format's categories. Judgement: "
                      "unknown, origin api-legacy-2.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-14
def s14():
    region = "us-west-1"
    scn = Scenario("cart-api-errors", region, 5514, "Add-to-cart failing for some shoppers; cart-api Errors alarm.")
    rng = scn.rng
    alb_id = "app/pricing-internal/2c7e9a4f1b3d6058"
    dep = -2940
    new_share = lambda t: sig(t, dep + 130, 30)   # noqa: E731
    cfg = -1800
    pricing_url = "http://internal-pricing-internal-1187429034.us-west-1.elb.amazonaws.com"
    scn.resource("lambda", "cart-api", runtime="python3.11", timeout=15, memory_size=512, handler="cart.handler",
                 environment={"PRICING_URL": pricing_url, "PRICING_TIMEOUT_S": "3"})
    scn.resource("alb", alb_id, name="pricing-internal", scheme="internal", targets=["catalog/pricing-svc"])
    scn.resource("ecs", "catalog/pricing-svc", cluster="catalog", service_name="pricing-svc", launch_type="FARGATE", task_definition="pricing-svc:214",
                 desired_count=4, cpu=512, memory=1024, runtime="go1.22", log_groups=["/ecs/pricing-svc"], load_balancer=alb_id)
    scn.resource("ecs", "catalog/search-svc", cluster="catalog", service_name="search-svc", launch_type="FARGATE", task_definition="search-svc:77",
                 desired_count=3, cpu=1024, memory=2048, runtime="go1.22", log_groups=["/ecs/search-svc"])

    promo_p = 0.33
    tb = ['  File "/var/task/cart.py", line 77, in handler\n    priced = pricing.price(cart)',
          '  File "/var/task/cart/pricing.py", line 39, in price\n    raise PricingError(f"pricing-svc returned HTTP {resp.status} for POST /v2/price (cart={cart.id}, promo={cart.promo})")']

    def cart(rng_, t, r):
        cid = f"c_{rng_.randint(10**7, 10**8)}"
        promo = rng_.choice(["BF25", "WELCOME10", "FREESHIP"]) if rng_.random() < promo_p else None
        lines = [(5, fmt.py("INFO", t + 0.005, r, f"POST /cart/{cid}/items sku=sku-{rng_.randint(10**5, 10**6)} qty={rng_.randint(1, 3)}"))]
        if rng_.random() < 0.05:
            lines.append((15, fmt.py("WARNING", t + 0.015, r, f"Cart {cid} has stale item sku-{rng_.randint(10**5, 10**6)}, removing")))
        if promo and rng_.random() < new_share(t):
            exc = f"cart.pricing.PricingError: pricing-svc returned HTTP 500 for POST /v2/price (cart={cid}, promo={promo})"
            lines.append((60, fmt.py_unhandled(t, r, exc, tb)))
            return rng_.uniform(50, 90), rng_.randint(88, 99), "error", lines
        lines.append((70, fmt.py("INFO", t + 0.07, r, f"Cart {cid} priced: subtotal={rng_.uniform(10, 400):.2f} USD promo={promo or '-'}")))
        return rng_.uniform(60, 140), rng_.randint(88, 102), "ok", lines
    rate = lambda t: 24 * morning(t)   # noqa: E731
    lam.simulate(scn, "cart-api", memory=512, timeout_s=15, handler=cart, rate=rate, streams=3, recycle=(cfg,))

    preq = counts(rng, lambda t: rate(t) * 1.4)
    t5 = [float(round(r * promo_p / 1.4 * new_share(t) * rng.uniform(0.85, 1.15))) for t, r in zip(T, preq)]
    blocks.alb(scn, alb_id, req=preq, rt=series(rng, lambda t: 0.021, 0.1, nd=4), t5xx=t5, healthy=[4.0 if not (dep < t < dep + 240) else 8.0 for t in T])
    blocks.ecs(scn, "catalog", "pricing-svc", cpu=series(rng, lambda t: 11 * morning(t) + 18 * window(t, dep + 20, dep + 150, 20), 0.08),
               mem=series(rng, lambda t: 19, 0.03), running=[4.0 if not (dep < t < dep + 240) else 8.0 for t in T])
    blocks.ecs(scn, "catalog", "search-svc", cpu=series(rng, lambda t: 24 * morning(t) + 20 * window(t, -4990, -4850, 20), 0.08),
               mem=series(rng, lambda t: 44, 0.02), running=[3.0 if not (-5000 < t < -4760) else 6.0 for t in T])

    for k in range(8):
        new = k >= 4
        t0, t1 = (dep + 40 + 15 * (k - 4), 0.0) if new else (LOG_START - 600, dep + 160 + 20 * k)
        version = "1.19.0" if new else "1.18.3"
        ev = [(t0 + 1, fmt.zerolog("info", t0 + 1, "pricing-svc starting", version=version, addr=":8080"))] if new else []
        ev += [(t1 - 1, fmt.zerolog("info", t1 - 1, "shutting down: SIGTERM received, draining connections"))] if not new else []
        lo, hi = max(t0 + 2, LOG_START), min(t1 - 2, -0.5)
        ev += [(t, fmt.zerolog("info", t, "priced cart", path="/v2/price", status=200, items=rng.randint(1, 9), latency_ms=rng.randint(4, 30), version=version))
               for t, _ in svc.sampled(rng, lo, hi, lambda t: rate(t) * 1.4 / 4 * 0.15, lambda t: None)]
        if new:
            def panic(t):
                gid = rng.randint(10000, 99999)
                return fmt.zerolog("error", t, "panic recovered", path="/v2/price", status=500, version=version,
                                   error="runtime error: invalid memory address or nil pointer dereference",
                                   stack=(f"goroutine {gid} [running]:\ngithub.com/acme/pricing/internal/promo.(*Engine).Apply(0x0, {{0xc0004a2f00, 0x3}}, 0xc000512d80)\n"
                                          "\t/src/internal/promo/engine.go:142 +0x3c\ngithub.com/acme/pricing/internal/api.(*Handler).Price(0xc0001b6a50, {0x10d4f28, 0xc000a1c1c0}, 0xc0008d2200)\n"
                                          "\t/src/internal/api/price.go:88 +0x2f1\nnet/http.HandlerFunc.ServeHTTP(...)\n\t/usr/local/go/src/net/http/server.go:2166"))
            ev += svc.sampled(rng, lo, hi, lambda t: rate(t) * promo_p / 4, panic)
        scn.log("/ecs/pricing-svc", f"ecs/pricing-svc/{svc.task_id(rng)}", [e for e in ev if LOG_START <= e[0] < -0.2])
    for k in range(3):
        ev = [(t, fmt.zerolog("info", t, "search served", q_len=rng.randint(3, 20), hits=rng.randint(0, 400), took_ms=rng.randint(8, 60)))
              for t, _ in svc.sampled(rng, LOG_START, -1, lambda t: 6 * morning(t), lambda t: None)]
        scn.log("/ecs/search-svc", f"ecs/search-svc/{svc.task_id(rng)}", ev)

    scn.change(dep - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "pricing-svc:214", "github-actions-deployer")
    scn.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/pricing-svc", "github-actions-deployer")
    scn.change(-5000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "catalog/search-svc", "github-actions-deployer")
    scn.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "cart-api", "lee.chen")

    d = {"FunctionName": "cart-api"}
    scn.alarm("cart-api-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 10, state="ALARM", description="cart-api Lambda errors")
    _ = (hexid, GIB)
    expect = {"alarm": "cart-api-errors",
              "root_cause": {"category": "bad_deployment", "resource": ["catalog/pricing-svc", "pricing-svc"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d},
                            {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": {"LoadBalancer": alb_id}}]}
    meta = {"slug": "cart-api-errors", "alarm": "cart-api-errors", "where": "front (caller Lambda)",
            "decoys": ["cart-api timeout change by the previous on-call 30 min ago (the most recent change, after the onset)",
                       "search-svc deploy 83 min ago, healthy",
                       "constant 'stale item' warnings in cart-api"],
            "cause_change_time": dep,
            "story": ("pricing-svc (Go, behind the internal ALB pricing-internal) was rolled to 1.19.0 (task definition pricing-svc:214) "
                      "49 min ago. As soon as the new tasks took traffic, every price request carrying a promo code panics in "
                      "promo.(*Engine).Apply with a nil pointer dereference (recovered, HTTP 500); the old 1.18.3 tasks never logged it. "
                      "cart-api, which calls pricing for each add-to-cart, raises PricingError 'pricing-svc returned HTTP 500' "
                      "and its Errors alarm pages. The previous on-call's cart-api timeout change came about 17 min after the onset and "
                      "changed nothing. Judgement: bad_deployment of pricing-svc (the deployed dependency), not of cart-api.")}
    return scn, expect, meta

