"""h55-15 (.NET checkout service broken by an SSM parameter edit) and h55-16 (self-managed Redis on EC2 at maxmemory)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, morning, series, sig, window


# ------------------------------------------------------------------ h55-15
def s15():
    region = "ap-southeast-1"
    scn = Scenario("checkout-alb-5xx", region, 5515, "Checkout failing at the payment step; checkout ALB 5xx alarm.")
    rng = scn.rng
    alb_id = "app/checkout-alb/9c1e3a7f5b2d8046"
    param = "/checkout/prod/tax-provider-mode"
    put = -2160
    reloads = {k: put + 20 + 11 * k for k in range(5)}      # each task reloads SSM config on its own 60 s timer
    dep_other = -900
    scn.resource("alb", alb_id, name="checkout-alb", scheme="internet-facing", targets=["checkout/checkout-svc"])
    scn.resource("ecs", "checkout/checkout-svc", cluster="checkout", service_name="checkout-svc", launch_type="FARGATE",
                 task_definition="checkout-svc:312", desired_count=5, cpu=1024, memory=2048, runtime="dotnet8 (ASP.NET Core)",
                 config_source="ssm:/checkout/prod/* (reloaded every 60 s)", log_groups=["/ecs/checkout-svc"], load_balancer=alb_id)
    scn.resource("ecs", "checkout/cart-events", cluster="checkout", service_name="cart-events", launch_type="FARGATE",
                 task_definition="cart-events:45", desired_count=2, cpu=512, memory=1024, runtime="dotnet8", log_groups=["/ecs/cart-events"])

    rate = lambda t: 280 * morning(t)     # noqa: E731
    tax_share = 0.22                       # quote + submit calls need a tax calculation
    broken = lambda t: sum(1 for v in reloads.values() if t >= v) / 5.0   # noqa: E731
    req = counts(rng, rate)
    t5 = [float(round(r * tax_share * broken(t + 30) * rng.uniform(0.9, 1.1))) + float(rng.random() < 0.15) for t, r in zip(T, req)]
    blocks.alb(scn, alb_id, req=req, rt=series(rng, lambda t: 0.14 - 0.02 * broken(t), 0.07, nd=4), t5xx=t5, healthy=[5.0] * 360)
    blocks.ecs(scn, "checkout", "checkout-svc", cpu=series(rng, lambda t: 24 * morning(t), 0.07), mem=series(rng, lambda t: 52, 0.02),
               running=[5.0] * 360)
    blocks.ecs(scn, "checkout", "cart-events", cpu=series(rng, lambda t: 7 + 25 * window(t, dep_other + 20, dep_other + 140, 15), 0.08),
               mem=series(rng, lambda t: 33, 0.02), running=[2.0 if not (dep_other < t < dep_other + 200) else 4.0 for t in T])

    exc = (f"System.InvalidOperationException: Unsupported tax provider mode 'vertex-v2' (from {param}). Supported modes: avalara, vertex.\n"
           "   at Checkout.Tax.TaxProviderFactory.Create(TaxOptions options) in /src/Checkout.Tax/TaxProviderFactory.cs:line 38\n"
           "   at Checkout.Tax.TaxService.CalculateAsync(Quote quote, CancellationToken ct) in /src/Checkout.Tax/TaxService.cs:line 61\n"
           "   at Checkout.Api.Controllers.CheckoutController.Quote(QuoteRequest request, CancellationToken ct) in /src/Checkout.Api/Controllers/CheckoutController.cs:line 84\n"
           "   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext actionContext)")
    for k in range(5):
        ev = []
        ev += lam.periodic(rng, LOG_START + 7 * k, -1, 60, lambda t: fmt.dotnet_json(
            "Information", t, "Checkout.Config.SsmConfigReloader", "Configuration reloaded from SSM Parameter Store (/checkout/prod/*): 14 parameters"))
        ev.append((reloads[k], fmt.dotnet_json("Information", reloads[k] + 0.01, "Checkout.Config.SsmConfigReloader",
                                               f"Parameter {param} changed: 'vertex' -> 'vertex-v2'")))
        ev += svc.sampled(rng, LOG_START, -1, lambda t: rate(t) / 5 * 0.03, lambda t: fmt.dotnet_json(
            "Information", t, "Checkout.Api.Controllers.CheckoutController", f"Order ord_{rng.randint(10**7, 10**8)} submitted, total {rng.uniform(8, 600):.2f} SGD"))
        ev += svc.sampled(rng, LOG_START, -1, 0.4, lambda t: fmt.dotnet_json(
            "Error", t, "Checkout.Payments.WebhookController", "Stripe webhook signature verification failed (endpoint whsec_legacy), event ignored", event_id=4012))
        ev += svc.sampled(rng, reloads[k], -1, lambda t: rate(t) / 5 * tax_share, lambda t: fmt.dotnet_json(
            "Error", t, "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "An unhandled exception has occurred while executing the request.",
            event_id=1, exc=exc))
        scn.log("/ecs/checkout-svc", f"ecs/checkout-svc/{svc.task_id(rng)}", ev)
    for k, (t0, t1) in enumerate([(LOG_START, dep_other + 150), (LOG_START, dep_other + 160), (dep_other + 30, 0), (dep_other + 45, 0)]):
        ev = lam.periodic(rng, t0 + 5, t1, 30, lambda t: fmt.dotnet_json("Information", t, "CartEvents.Worker", f"Published {rng.randint(20, 140)} cart events to Kinesis stream cart-events"))
        scn.log("/ecs/cart-events", f"ecs/cart-events/{svc.task_id(rng)}", ev)

    scn.change(put, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param, "priya.k")
    scn.change(dep_other - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "cart-events:45", "github-actions-deployer")
    scn.change(dep_other, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "checkout/cart-events", "github-actions-deployer")
    scn.change(-12000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "checkout/checkout-svc", "github-actions-deployer")
    scn.change(-12012, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-svc:312", "github-actions-deployer")

    d = {"LoadBalancer": alb_id}
    scn.alarm("checkout-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Sum", 60, 3, 10, state="ALARM",
              description="Checkout ALB target 5xx")
    expect = {"alarm": "checkout-alb-5xx",
              "root_cause": {"category": "config_change", "resource": ["checkout/checkout-svc", "checkout-svc", param]},
              "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": d}]}
    meta = {"slug": "checkout-alb-5xx", "alarm": "checkout-alb-5xx", "where": "front (ALB)",
            "decoys": ["cart-events deploy 15 min ago (the most recent change, after the onset)",
                       "checkout-svc's own deploy at 05:50, healthy for three hours",
                       "constant 'Stripe webhook signature verification failed' Error lines"],
            "cause_change_time": put,
            "story": (f"At 08:34 priya.k changed the SSM parameter {param} from 'vertex' to 'vertex-v2' (PutParameter). The .NET 8 "
                      "checkout-svc tasks reload /checkout/prod/* every 60 s; each logs the change and from that moment every "
                      "tax calculation throws System.InvalidOperationException \"Unsupported tax provider mode 'vertex-v2' (from "
                      f"{param}). Supported modes: avalara, vertex\", so quote and submit requests return 500 and the checkout "
                      "ALB alarm fires. No code changed in checkout-svc; the only later change is an unrelated service's deploy. "
                      "Judgement: config_change; the origin is checkout-svc's configuration (the parameter is also accepted).")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-16
def s16():
    region = "ap-northeast-2"
    scn = Scenario("session-api-errors", region, 5516, "Users logged out and unable to sign in; session-api Errors alarm.")
    rng = scn.rng
    iid, name = "i-0e5b2c8a7d1f3946b", "session-cache-1"
    full = -1800                         # Redis used_memory reaches maxmemory (noeviction)
    used = lambda t: min(100.0, 71.0 + 29.0 * (t + 21600) / (full + 21600))   # noqa: E731 - % of maxmemory
    is_full = lambda t: t >= full    # noqa: E731
    audit_cfg = -2100
    scn.resource("ec2", iid, name=name, instance_type="r6i.large", ami="ami-07d3c1e9f5a2b8046 (al2023, redis 7.2)",
                 redis={"maxmemory": "12gb", "maxmemory-policy": "noeviction", "save": "300 100"}, log_groups=["/redis/session-cache"])
    scn.resource("lambda", "session-api", runtime="nodejs20.x", timeout=6, memory_size=256, handler="dist/session.handler",
                 environment={"REDIS_URL": "redis://10.12.3.41:6379/0", "SESSION_TTL_S": "0"})
    scn.resource("lambda", "login-audit", runtime="nodejs20.x", timeout=30, memory_size=256, handler="dist/audit.handler")

    mem_pct = series(rng, lambda t: 18 + 0.765 * used(t), 0.004, hi=99.9)
    blocks.ec2(scn, iid, cpu=series(rng, lambda t: 9 * morning(t) + 3, 0.08), net_in=series(rng, lambda t: 4.1e7 * morning(t), 0.08),
               mem=mem_pct, disk=series(rng, lambda t: 39 + 3 * min(1, (t + 21600) / 19800), 0.003))
    scn.metric("Custom/Redis", "UsedMemoryPercentOfMax", {"InstanceId": iid}, "Percent", series(rng, used, 0.0015, hi=100.0))
    scn.metric("Custom/Redis", "Keys", {"InstanceId": iid}, "Count", series(rng, lambda t: 5.1e6 + 2.1e6 * (t + 21600) / (full + 21600) if t < full else 7.2e6, 0.001, integer=True))
    scn.metric("Custom/Redis", "ConnectedClients", {"InstanceId": iid}, "Count", series(rng, lambda t: 40 + 60 * morning(t), 0.05, integer=True))

    def session(rng_, t, r):
        op = rng_.choices(["create", "refresh", "get"], [0.25, 0.35, 0.4])[0]
        user = f"u_{rng_.randint(10**6, 10**7)}"
        lines = [(3, fmt.node("INFO", t + 0.003, r, f"{op} session for {user}"))]
        if rng_.random() < 0.04:
            lines.append((6, fmt.node("WARN", t + 0.006, r, f"JWT for {user} expires in {rng_.randint(5, 59)}s, refreshing")))
        if op != "get" and is_full(t):
            lines.append((9, fmt.node_invoke_error(t + 0.009, r, "ReplyError", "OOM command not allowed when used memory > 'maxmemory'.", [
                "    at parseError (/var/task/node_modules/redis-parser/lib/parser.js:179:12)",
                "    at parseType (/var/task/node_modules/redis-parser/lib/parser.js:302:14)",
                "    at async SessionStore.save (/var/task/dist/store.js:58:9)",
                "    at async Runtime.handler (/var/task/dist/session.js:27:20)"], command={"name": "set", "args": [f"sess:{r[:8]}", "[redacted]"]})))
            return rng_.uniform(4, 12), rng_.randint(82, 92), "error", lines
        lines.append((5, fmt.node("INFO", t + 0.005, r, f"session {op} ok ({rng_.randint(1, 4)} ms redis)")))
        return rng_.uniform(6, 20), rng_.randint(82, 95), "ok", lines
    lam.simulate(scn, "session-api", memory=256, timeout_s=6, handler=session, streams=3, recycle=(-6600,),
                 rate=lambda t: 25 * morning(t) * (1.0 + 0.3 * is_full(t)))    # clients retry

    def audit(rng_, t, r):
        return rng_.uniform(20, 60), rng_.randint(80, 90), "ok", [(4, fmt.node("INFO", t + 0.004, r, f"audit event login.{rng_.choice(['success', 'success', 'failure'])} stored"))]
    lam.simulate(scn, "login-audit", memory=256, timeout_s=30, handler=audit, streams=1, recycle=(audit_cfg,), rate=lambda t: 6 * morning(t))

    rl = []
    pid = 1187
    for t, _ in svc.sampled(rng, -21600, full - 900, 1 / 5.2, lambda t: None):
        rl.append((t, fmt.redis(t, pid, "M", "*", "100 changes in 300 seconds. Saving...")))
        rl.append((t + 0.01, fmt.redis(t + 0.01, pid, "M", "*", f"Background saving started by pid {rng.randint(20000, 60000)}")))
        rl.append((t + 41, fmt.redis(t + 41, rng.randint(20000, 60000), "C", "*", "DB saved on disk")))
        rl.append((t + 41.1, fmt.redis(t + 41.1, rng.randint(20000, 60000), "C", "*", f"Fork CoW for RDB: current {rng.randint(300, 900)} MB, peak {rng.randint(900, 1400)} MB, average {rng.randint(200, 600)} MB")))
        rl.append((t + 41.3, fmt.redis(t + 41.3, pid, "M", "*", "Background saving terminated with success")))
    for t, _ in svc.sampled(rng, full - 900, -1, 1 / 5.0, lambda t: None):
        rl.append((t, fmt.redis(t, pid, "M", "*", "100 changes in 300 seconds. Saving...")))
        rl.append((t + 0.01, fmt.redis(t + 0.01, pid, "M", "#", "Can't save in background: fork: Cannot allocate memory")))
    scn.log("/redis/session-cache", iid, [e for e in rl if e[0] < -0.2])

    scn.change(audit_cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "login-audit", "jiwoo.park")
    scn.change(-6600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "session-api", "ci-deployer")
    scn.change(-6588, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "session-api", "ci-deployer")

    d = {"FunctionName": "session-api"}
    scn.alarm("session-api-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 5, state="ALARM", description="session-api Lambda errors")
    scn.alarm("session-cache-1-memory", "CWAgent", "mem_used_percent", {"InstanceId": iid}, "Average", 300, 3, 97)
    _ = (counts, sig, window, T)
    expect = {"alarm": "session-api-errors",
              "root_cause": {"category": "memory_exhaustion", "resource": [iid, name]},
              "anomalies": [{"namespace": "Custom/Redis", "name": "UsedMemoryPercentOfMax", "dimensions": {"InstanceId": iid}},
                            {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta = {"slug": "session-api-errors", "alarm": "session-api-errors", "where": "front (caller Lambda)",
            "decoys": ["login-audit configuration change 5 min before the onset (the most recent change; another function)",
                       "session-api deploy 1 h 50 min ago, clean for 80 min",
                       "constant 'JWT ... expires, refreshing' warnings; a host memory alarm set too high to fire"],
            "cause_change_time": None,
            "story": ("session-cache-1 runs Redis 7.2 on EC2 with maxmemory 12gb and maxmemory-policy noeviction, and sessions are "
                      "written without a TTL (SESSION_TTL_S=0), so used memory has been climbing all morning. 30 min ago it reached "
                      "maxmemory: every SET from session-api now fails with ioredis ReplyError \"OOM command not allowed when used "
                      "memory > 'maxmemory'\" (reads still work), and the Redis log shows 'Can't save in background: fork: Cannot "
                      "allocate memory'. Host memory is at about 94 %, CPU is low. The login-audit change and the session-api "
                      "deploy do not touch the cache. Judgement: memory_exhaustion of the cache instance session-cache-1.")}
    return scn, expect, meta
