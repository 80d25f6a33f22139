"""h55-01 (ECS Java bad deployment behind an ALB) and h55-02 (Lambda Node.js environment change)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, counts, morning, series, sig, window


# ------------------------------------------------------------------ h55-01
def s01():
    region = "eu-west-1"
    scn = Scenario("ledger-alb-5xx", region, 5501, "Ledger API 5xx alarm on the public ALB; finance ops say some journal postings fail.")
    rng = scn.rng
    alb_id = "app/ledger-alb/7d3e1f0a9b2c4d55"
    dep = -2280                       # UpdateService to ledger-api:89 (release 1.42.0)
    new_share = lambda t: sig(t, dep + 110, 25)   # noqa: E731 - share of traffic on new tasks
    scn.resource("alb", alb_id, name="ledger-alb", scheme="internet-facing", target_groups=["ledger-api-tg"],
                 targets=["payments/ledger-api"])
    scn.resource("ecs", "payments/ledger-api", cluster="payments", service_name="ledger-api", launch_type="FARGATE",
                 task_definition="ledger-api:89", desired_count=4, cpu=1024, memory=2048,
                 image="418273645091.dkr.ecr.eu-west-1.amazonaws.com/ledger-api:1.42.0",
                 log_groups=["/ecs/ledger-api"], load_balancer=alb_id, runtime="java17 / Spring Boot 3.2")
    scn.resource("ecs", "payments/fx-rates-sync", cluster="payments", service_name="fx-rates-sync", launch_type="FARGATE",
                 task_definition="fx-rates-sync:31", desired_count=1, cpu=512, memory=1024, log_groups=["/ecs/fx-rates-sync"])
    scn.resource("lambda", "statement-exporter", runtime="python3.12", timeout=300, memory_size=1024,
                 handler="exporter.handler", environment={"BUCKET": "acme-statements-prod", "LOG_LEVEL": "INFO"})

    rate = lambda t: 470 * morning(t)    # noqa: E731 - requests per minute
    req = counts(rng, rate)
    t5xx = [float(rng.random() < 0.3) + float(round(r * 0.072 * new_share(t) * rng.uniform(0.8, 1.2)))
            for t, r in zip(T, req)]
    rt = series(rng, lambda t: 0.083 + 0.004 * new_share(t) + 0.05 * window(t, dep + 40, dep + 200, 20), 0.08, nd=4)
    blocks.alb(scn, alb_id, req=req, rt=rt, t5xx=t5xx,
               healthy=[4.0 if not (dep + 30 < t < dep + 200) else 8.0 for t in T])
    blocks.ecs(scn, "payments", "ledger-api",
               cpu=series(rng, lambda t: 31 * morning(t) / 0.9 + 24 * window(t, dep + 30, dep + 170, 20), 0.07),
               mem=series(rng, lambda t: 58 - 12 * window(t, dep + 60, dep + 1500, 400), 0.02),
               running=[4.0 if not (dep + 30 < t < dep + 200) else 8.0 for t in T])
    blocks.ecs(scn, "payments", "fx-rates-sync",
               cpu=series(rng, lambda t: 6 + 87 * window(t, -7260, -6660, 30), 0.05, hi=100),
               mem=series(rng, lambda t: 41 + 9 * window(t, -7260, -6660, 30), 0.02), running=[1.0] * 360)

    # ledger-api task logs: four old tasks replaced by four new ones during the rollout
    app = "ledger-api"
    old = [(LOG_START - 3600, dep + 150 + 25 * k) for k in range(4)]
    new = [(dep + 45 + 20 * k, 0.0) for k in range(4)]
    for idx, (t0, t1) in enumerate(old + new):
        is_new = idx >= 4
        tid = svc.task_id(rng)
        ev = []
        lo = max(t0, LOG_START)
        if is_new:
            ev += svc.spring_boot_start(rng, t0, app, "LedgerApiApplication", "1.42.0")
            lo = t0 + 30
        else:
            ev += svc.spring_boot_stop(rng, t1 - 5, app)
        thread = lambda: f"nio-8080-exec-{rng.randint(1, 40)}"  # noqa: E731
        ev += svc.sampled(rng, lo, t1 - 6, lambda t: rate(t) / 4 * 0.05, lambda t: fmt.spring(
            "INFO", t, app, thread(), "c.a.ledger.service.PostingService",
            f"Posted journal entry je_{rng.randint(10**7, 10**8)} account=acc_{rng.randint(10**5, 10**6)} "
            f"amount={rng.uniform(5, 9000):.2f} {rng.choice(['EUR', 'EUR', 'GBP', 'USD'])} lines={rng.randint(2, 6)}"))
        ev += svc.sampled(rng, lo, t1 - 6, 0.55, lambda t: fmt.spring(
            "WARN", t, app, thread(), "c.a.ledger.client.FxRatesClient",
            f"FX rate cache stale for {rng.choice(['GBP/EUR', 'USD/EUR', 'CHF/EUR'])} (age={rng.randint(301, 420)}s), using last known rate"))
        ev += lam.periodic(rng, lo, t1 - 6, 300, lambda t: fmt.spring(
            "INFO", t, app, "scheduling-1", "c.a.ledger.jobs.ReconciliationJob",
            f"Reconciliation run completed in {rng.randint(280, 640)} ms (entries={rng.randint(900, 2100)}, mismatches=0)"))
        if is_new:
            def npe(t):
                return fmt.spring("ERROR", t, app, thread(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                  "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                                  "[Request processing failed: java.lang.NullPointerException: Cannot invoke \"String.length()\" "
                                  "because \"iban\" is null] with root cause\n\njava.lang.NullPointerException: Cannot invoke "
                                  "\"String.length()\" because \"iban\" is null\n"
                                  "\tat com.acme.ledger.web.IbanMasker.mask(IbanMasker.java:31)\n"
                                  "\tat com.acme.ledger.web.JournalEntryMapper.toResponse(JournalEntryMapper.java:58)\n"
                                  "\tat com.acme.ledger.web.JournalController.create(JournalController.java:71)\n"
                                  "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
                                  "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n"
                                  "\t... 48 common frames omitted")
            ev += svc.sampled(rng, lo, t1 - 6, lambda t: rate(t) / 4 * 0.072, npe)
        scn.log("/ecs/ledger-api", f"ecs/ledger-api/{tid}", [e for e in ev if LOG_START <= e[0] < -0.5])

    fx = lam.periodic(rng, LOG_START, -1, 300, lambda t: fmt.spring(
        "INFO", t, "fx-rates-sync", "scheduling-1", "c.a.fx.RatesRefresher",
        f"Refreshed {rng.randint(158, 166)} currency pairs from ECB reference feed in {rng.uniform(1.2, 3.4):.1f}s"))
    fx += svc.sampled(rng, -7250, -6670, 4, lambda t: fmt.spring(
        "INFO", t, "fx-rates-sync", "backfill-1", "c.a.fx.HistoryBackfill",
        f"Backfilled {rng.randint(4000, 9000)} historical rates for {rng.choice(['2026-10', '2026-09'])}"))
    scn.log("/ecs/fx-rates-sync", f"ecs/fx-rates-sync/{svc.task_id(rng)}", fx)

    def exporter(rng_, t, r):
        d = rng_.uniform(4000, 11000)
        return d, rng_.randint(300, 420), "ok", [(30, fmt.py("INFO", t + 0.03, r, f"Exported {rng_.randint(40, 400)} statements to s3://acme-statements-prod/{rng_.randint(1000, 9999)}/"))]
    lam.simulate(scn, "statement-exporter", memory=1024, timeout_s=300, rate=lambda t: 1.2, handler=exporter,
                 recycle=(-5200,), streams=1)

    scn.change(dep - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-api:89", "github-actions-deployer")
    scn.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/ledger-api", "github-actions-deployer")
    scn.change(-5200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "statement-exporter", "github-actions-deployer")
    scn.change(-5185, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "statement-exporter", "github-actions-deployer")
    scn.change(-19800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "payments/fx-rates-sync", "terraform-ci")

    d_alb = {"LoadBalancer": alb_id}
    scn.alarm("ledger-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d_alb, "Sum", 60, 5, 15,
              description="Ledger API: target 5xx on the public ALB", state="ALARM")
    scn.alarm("fx-rates-sync-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "payments", "ServiceName": "fx-rates-sync"},
              "Average", 300, 1, 80, state="OK")
    expect = {"alarm": "ledger-alb-target-5xx",
              "root_cause": {"category": "bad_deployment", "resource": ["payments/ledger-api", "ledger-api"]},
              "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": d_alb}]}
    meta = {"slug": "ledger-alb-5xx", "alarm": "ledger-alb-target-5xx", "where": "front (ALB)",
            "decoys": ["statement-exporter Lambda deploy 1 h 27 min earlier, healthy since",
                       "steady 'FX rate cache stale' WARN on ledger-api before and after",
                       "fx-rates-sync CPU burst (and its cleared alarm) two hours earlier"],
            "cause_change_time": dep,
            "story": ("Release 1.42.0 of the Spring Boot ledger-api was rolled out by github-actions (new task definition "
                      "ledger-api:89, UpdateService 38 min ago). As the four new tasks replaced the old ones, a new error "
                      "signature appeared only in the new tasks' streams: a NullPointerException in IbanMasker.mask "
                      "(\"iban\" is null) raised while mapping the journal-entry response, about 7 % of postings. The ALB "
                      "target-5xx alarm fired on the front door. Old tasks never logged it; ALB latency, CPU and memory are "
                      "normal after the rollout settles. The FX-cache WARN is loud but constant, and the exporter deploy and "
                      "the fx-rates-sync CPU burst are earlier and unrelated. Judgement: bad_deployment of the ECS service.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-02
def s02():
    region = "us-west-2"
    scn = Scenario("notification-dispatcher-errors", region, 5502,
                   "Push notifications not arriving; notification-dispatcher Errors alarm paging.")
    rng = scn.rng
    cfg = -1620                      # UpdateFunctionConfiguration (env vars) by a human in the console
    bad = lambda t: t >= cfg + 8     # noqa: E731
    scn.resource("lambda", "notification-dispatcher", runtime="nodejs20.x", timeout=15, memory_size=256,
                 handler="src/index.handler", event_source="sqs:notifications-outbound",
                 environment={"PUSH_GATEWAY_URL": "push-gw.internal.acme.io/v2/send", "EMAIL_FROM": "no-reply@acme.io",
                              "NODE_OPTIONS": "--enable-source-maps"})
    scn.resource("lambda", "digest-builder", runtime="nodejs20.x", timeout=120, memory_size=1024, handler="index.handler")
    scn.resource("lambda", "device-registry", runtime="nodejs20.x", timeout=10, memory_size=256, handler="index.handler")

    def dispatch(rng_, t, r):
        kind = rng_.choices(["push", "email", "sms"], [0.68, 0.27, 0.05])[0]
        lines = [(8, fmt.node("INFO", t + 0.008, r, f"Dispatching {kind} notification ntf_{rng_.randint(10**8, 10**9)} "
                                                     f"(template={rng_.choice(['order_shipped', 'price_drop', 'login_alert', 'cart_reminder'])})"))]
        if rng_.random() < 0.03:
            lines.append((40, fmt.node("WARN", t + 0.04, r, f"APNs token for device dev_{rng_.randint(10**6, 10**7)} is expired, dropping")))
        if kind == "push" and bad(t):
            lines.append((21, fmt.node_invoke_error(t + 0.021, r, "TypeError", "Invalid URL", [
                "    at new URL (node:internal/url:816:29)",
                "    at buildRequest (/var/task/src/push/gateway.js:41:17)",
                "    at sendPush (/var/task/src/push/gateway.js:88:19)",
                "    at async dispatch (/var/task/src/index.js:57:7)",
                "    at async Runtime.handler (/var/task/src/index.js:23:5)"],
                code="ERR_INVALID_URL", input="push-gw.internal.acme.io/v2/send")))
            return rng_.uniform(18, 45), rng_.randint(88, 101), "error", lines
        d = rng_.uniform(140, 380)
        lines.append((d - 6, fmt.node("INFO", t + (d - 6) / 1000, r, f"Delivered {kind} notification via "
                                                                 f"{'push-gateway' if kind == 'push' else 'ses' if kind == 'email' else 'sns'}")))
        return d, rng_.randint(92, 110), "ok", lines

    base = lambda t: 21 * morning(t)   # noqa: E731
    lam.simulate(scn, "notification-dispatcher", memory=256, timeout_s=15, handler=dispatch, streams=2,
                 rate=lambda t: base(t) * (1.0 + (0.55 if bad(t) else 0.0)),   # SQS redelivery of failed batches
                 recycle=(-8400, cfg))

    def digest(rng_, t, r):
        return rng_.uniform(9000, 21000), rng_.randint(410, 520), "ok", [
            (15, fmt.node("INFO", t + 0.015, r, f"Building weekly digest chunk {rng_.randint(1, 400)}/400")),
            (8000, fmt.node("INFO", t + 8, r, f"Queued {rng_.randint(800, 2500)} digest emails"))]
    lam.simulate(scn, "digest-builder", memory=1024, timeout_s=120, handler=digest, rate=lambda t: 0.5, streams=1,
                 recycle=(-600,))

    def registry(rng_, t, r):
        lines = [(5, fmt.node("INFO", t + 0.005, r, f"Upsert device dev_{rng_.randint(10**6, 10**7)} platform={rng_.choice(['ios', 'android'])}"))]
        if rng_.random() < 0.08:
            lines.append((30, fmt.node("ERROR", t + 0.03, r, "ConditionalCheckFailedException: The conditional request failed (stale device version, ignored)")))
        return rng_.uniform(25, 70), rng_.randint(80, 95), "ok", lines
    lam.simulate(scn, "device-registry", memory=256, timeout_s=10, handler=registry, rate=lambda t: 6 * morning(t), streams=2)

    scn.change(cfg, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
               "notification-dispatcher", "maria.okafor")
    scn.change(-8400, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
               "notification-dispatcher", "ci-deployer")
    scn.change(-600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "digest-builder", "ci-deployer")
    scn.change(-590, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "digest-builder", "ci-deployer")

    d = {"FunctionName": "notification-dispatcher"}
    scn.alarm("notification-dispatcher-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 5, state="ALARM",
              description="notification-dispatcher Lambda errors")
    scn.alarm("device-registry-errors", "AWS/Lambda", "Errors", {"FunctionName": "device-registry"}, "Sum", 300, 2, 25, state="OK")
    expect = {"alarm": "notification-dispatcher-errors",
              "root_cause": {"category": "config_change", "resource": ["notification-dispatcher"]},
              "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta = {"slug": "notification-dispatcher-errors", "alarm": "notification-dispatcher-errors", "where": "origin",
            "decoys": ["digest-builder code deploy 10 min ago (the most recent change, after onset)",
                       "notification-dispatcher's own code deploy 2 h 20 min earlier, clean since",
                       "device-registry's constant ConditionalCheckFailedException ERROR lines"],
            "cause_change_time": cfg,
            "story": ("A human (maria.okafor) edited notification-dispatcher's environment in the console 27 min ago "
                      "(UpdateFunctionConfiguration). From the next invocation on, every push notification fails with "
                      "Node's TypeError [ERR_INVALID_URL] 'Invalid URL' whose input is the new PUSH_GATEWAY_URL value "
                      "'push-gw.internal.acme.io/v2/send' - the scheme is missing. Email and SMS sends still succeed; "
                      "SQS redelivery raises invocations. The code deploy of the same function 2 h 20 min earlier ran "
                      "cleanly for two hours, and the digest-builder deploy is after the onset. Judgement: config_change "
                      "on notification-dispatcher (an invalid setting named in the error).")}
    return scn, expect, meta
