"""h89-05 (order-entry image rollout on ECS brings a new NPE, alarm on its ALB) and h89-06 (a Go
fee function's cache TTL set without a unit, alarm on its own Errors)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, spring

from .kit import (alb_id, alb_metrics, ecs_metrics, emit, lambda_metrics, new, rds_metrics,
                  sample_lambda, tg_id)

logfmt = logfmt_writer(time_key="time")


def build_05():
    sc = new(5, "order-entry-5xx",
             "Order placement failing for part of EU users; ALB target 5xx alarm.",
             "eu-west-1", "2026-03-16T09:25:00+00:00")
    cl, svc = "trade-eu", "ord-entry"
    lb, tg = alb_id(sc, "ord-entry-pub"), tg_id(sc, "ord-entry-8080")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=3, cpu=2048, memory=4096,
                task_definition=f"{svc}:88")
    sc.resource("ecs", f"{cl}/fx-conv", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="ord-entry-pub")
    sc.resource("rds", "ord-store-eu", engine="postgres", instance_class="db.r6g.2xlarge", max_connections=1600)
    DEP, NEW, DECOY = -2900, -2820, -2780
    new_share = lambda t: ramp(t, NEW, NEW + 170)
    req = lambda t: 2900 + 500 * ramp(t, -5000, -4000)
    alb_metrics(sc, lb, tg, req=req, t5=lambda t: 1.1 + 0.016 * req(t) * new_share(t), e5=lambda t: 0.2,
                rt=lambda t: 0.019 + 0.002 * new_share(t), healthy=lambda t: 3 + (1 if NEW <= t < NEW + 200 else 0),
                unhealthy=lambda t: 0)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 38 + 6 * ramp(t, -5000, -4000) - 8 * bump(t, NEW, NEW + 120, 1, 60),
                mem=lambda t: 57 - 9 * bump(t, NEW, NEW + 900, 1, 200))
    ecs_metrics(sc, cl, "fx-conv", cpu=lambda t: 17, mem=lambda t: 33)
    rds_metrics(sc, "ord-store-eu", cpu=lambda t: 24 + bump(t, -6000, -5500, 22, 120), conns=lambda t: 212,
                free_gb=lambda t: 1310, rlat=lambda t: 0.0008, wlat=lambda t: 0.0016, mem_gb=lambda t: 22)
    g = f"/ecs/{svc}"
    app = svc
    log = lambda t, lvl, th, lg, msg: spring(sc, t, lvl, th, lg, msg, app)

    def task(born, dies, version):
        st = f"ecs/{svc}/{sc.hexid(32)}"
        if born > -12600:
            sc.log(g, st, born, log(born, "INFO", "main", "com.k.order.OrdEntryApplication",
                                    f"Starting OrdEntryApplication v{version} using Java 21.0.2 with PID 1"))
            sc.log(g, st, born + 14.2, log(born + 14.2, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                           "Tomcat started on port 8080 (http) with context path ''"))
            sc.log(g, st, born + 14.6, log(born + 14.6, "INFO", "main", "com.k.order.OrdEntryApplication",
                                           "Started OrdEntryApplication in 14.9 seconds (process running for 16.1)"))
        start = max(born + 20, -12600)
        th = lambda: f"nio-8080-exec-{sc.rng.randint(1, 40)}"
        emit(sc, g, st, lambda t: 1.2, lambda t: log(
            t, "INFO", th(), "com.k.order.api.OrderController",
            f"order accepted id=o-{sc.hexid(12)} sym={sc.rng.choice(['BTC-EUR', 'ETH-EUR', 'SOL-EUR'])} "
            f"tif={sc.rng.choice(['GTC', 'GTC', 'IOC', 'GTD'] if version < 'v2.41' else ['GTC', 'GTC', 'IOC'])} "
            f"latency_ms={sc.rng.randint(8, 30)}"), start=start, end=dies)
        emit(sc, g, st, lambda t: 0.4, lambda t: log(
            t, "ERROR", th(), "com.k.order.api.OrderController",
            f"order rejected: RISK_LIMIT_BREACH acct={sc.rng.randint(100000, 999999)} "
            f"notional={sc.rng.randint(20000, 900000)} EUR"), start=start, end=dies)
        emit(sc, g, st, lambda t: 0.25, lambda t: log(
            t, "WARN", th(), "o.s.w.s.m.s.DefaultHandlerExceptionResolver",
            "Resolved [org.springframework.web.HttpMediaTypeNotSupportedException: Content-Type "
            "'text/plain;charset=UTF-8' is not supported]"), start=start, end=dies)
        if version >= "v2.41":
            emit(sc, g, st, lambda t: 4.5, lambda t: log(
                t, "ERROR", th(), "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                "[Request processing failed: java.lang.NullPointerException: Cannot invoke \"com.k.order.risk."
                "LimitSnapshot.maxNotional()\" because \"snap\" is null] with root cause\n"
                "java.lang.NullPointerException: Cannot invoke \"com.k.order.risk.LimitSnapshot.maxNotional()\" "
                "because \"snap\" is null\n\tat com.k.order.validate.OrderValidator.checkNotional("
                "OrderValidator.java:141)\n\tat com.k.order.validate.OrderValidator.validateGtd("
                "OrderValidator.java:97)\n\tat com.k.order.api.OrderController.place(OrderController.java:63)"),
                start=start, end=dies)
        else:
            sc.log(g, st, dies - 1, log(dies - 1, "INFO", "SpringApplicationShutdownHook",
                                        "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. "
                                                                             "Waiting for active requests to complete"))

    for i in range(3):
        task(-30000, NEW + 150 + 40 * i, "v2.40.3")
        task(NEW - 20 + 8 * i, 0, "v2.41.0")
    sc.change(DEP - 45, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{svc}:88",
              "github-actions-deployer")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deployer")
    sc.change(DECOY, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/trade-eu/fx-conv/spread_bps",
              "fx-desk-admin")
    sc.change(-11800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/fx-conv",
              "github-actions-deployer")
    sc.alarm("ord-entry-pub-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Order entry 5xx from targets")
    sc.alarm("ord-store-eu-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ord-store-eu"}, "Average",
             300, 2, 75, "GreaterThanThreshold")
    sc.expect = {"alarm": "ord-entry-pub-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = {
        "front": "front (ALB)", "services": ["ecs", "alb", "rds"], "origin_type": "ecs",
        "decoys": "SSM parameter change for fx-conv 40 s before onset; RISK_LIMIT_BREACH ERRORs and "
                  "media-type WARNs all along; ord-store-eu CPU bump 50 min earlier",
        "story": "ord-entry-pub's target 5xx rises from ~1 to ~50 a minute. ord-entry was rolled out as "
                 "task definition ord-entry:88 (RegisterTaskDefinition + UpdateService by the CI deployer) "
                 "two minutes before; the new tasks log 'Starting OrdEntryApplication v2.41.0' and from "
                 "then on only they emit a NullPointerException in OrderValidator.checkNotional on "
                 "GTD orders, while the v2.40.3 tasks shut down gracefully. The RISK_LIMIT_BREACH "
                 "ERRORs and media-type WARNs are at the same rate in old and new tasks for hours, and the "
                 "fx-conv parameter change lands on a service whose metrics never move.",
    }
    return sc


def build_06():
    sc = new(6, "fee-quote-errors",
             "Fee quotes failing; the fee function's Errors alarm is in ALARM.",
             "ap-southeast-1", "2026-03-17T11:15:00+00:00")
    fn = "fee-tier-calc"
    sc.resource("lambda", fn, runtime="provided.al2023", handler="bootstrap", timeout=5, memory_size=256,
                architecture="arm64")
    sc.resource("lambda", "rebate-payout", runtime="provided.al2023", timeout=30, memory_size=512)
    CFG, DECOY = -2000, -1960
    fail = lambda t: 0.86 * ramp(t, CFG + 5, CFG + 40)
    rate = lambda t: 210 + 30 * ramp(t, -8000, -6000)
    inv, err = lambda_metrics(sc, fn, inv=rate, err=lambda t: 0.1 + rate(t) * fail(t),
                              dur=lambda t: 11 - 7 * fail(t))
    lambda_metrics(sc, "rebate-payout", inv=lambda t: 4, err=lambda t: 0.0, dur=lambda t: 1800)
    syms = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "DOGE-USDT"]

    def init_lines(t):
        if t >= CFG:
            return [(0.002, logfmt(sc, t, "error", "config invalid", key="TIER_CACHE_TTL", value="300",
                                   err='time: missing unit in duration "300"'))]
        return [(0.002, logfmt(sc, t, "info", "config loaded", tier_table="fee-tiers-v7", cache_ttl="5m0s",
                               region="ap-southeast-1"))]

    def body(ll, t, reqid, is_err, cold):
        lines = []
        acct = sc.rng.randint(1_000_000, 9_999_999)
        if is_err and t >= CFG:
            lines.append((0.003, logfmt(sc, t, "error", "request failed", request_id=reqid, route="/fees/quote",
                                        account=acct, err="fee tiers unavailable: config invalid: "
                                                          "TIER_CACHE_TTL")))
            return {"lines": lines, "dur": sc.rng.gauss(1.6, 0.3), "init_lines": init_lines(t)}
        if sc.rng.random() < 0.1:
            lines.append((0.002, logfmt(sc, t, "warn", "tier cache stale, refreshing", age="301s")))
        if sc.rng.random() < 0.06:
            lines.append((0.004, logfmt(sc, t, "error", "quote rejected", request_id=reqid, reason="unknown_symbol",
                                        symbol=sc.rng.choice(["LUNA-USDT", "FTT-USDT"]))))
        else:
            lines.append((0.006, logfmt(sc, t, "info", "fee quoted", request_id=reqid, account=acct,
                                        symbol=sc.rng.choice(syms), tier=f"VIP{sc.rng.randint(0, 5)}",
                                        maker_bps=sc.rng.choice([2, 4, 6, 8]), taker_bps=sc.rng.choice([5, 7, 10]))))
        return {"lines": lines, "dur": sc.rng.gauss(10.5, 2), "init_lines": init_lines(t)}

    ll = LambdaLogs(sc, fn, "provided.al2023", 256, 5, prewarm=-12480, mem_used=(34, 2),
                    retire=[CFG, -11000], epochs=((-10 ** 9, "$LATEST"),))
    sample_lambda(ll, inv, err, body, cap=3)
    sc.change(-11000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "gha-release")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn,
              "j.lee")
    sc.change(DECOY, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "rebate-payout", "gha-release")
    sc.change(DECOY + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "rebate-payout", "gha-release")
    sc.alarm("fee-tier-calc-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Fee calculation errors")
    sc.expect = {"alarm": "fee-tier-calc-errors", "root_cause": {"category": "config_change", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {
        "front": "origin", "services": ["lambda"], "origin_type": "lambda",
        "decoys": "rebate-payout code deploy 40 s after the config update (nearer the alarm); fee-tier-calc's own "
                  "code deploy 3 h earlier; 'quote rejected unknown_symbol' errors all along",
        "story": "fee-tier-calc's Errors go from ~0 to ~200 a minute. j.lee ran "
                 "UpdateFunctionConfiguration on it at onset; every execution environment started after that "
                 "logs 'config invalid key=TIER_CACHE_TTL value=300 err=\"time: missing unit in duration "
                 "\\\"300\\\"\"' at init (before, 'config loaded cache_ttl=5m0s') and requests fail with 'fee "
                 "tiers unavailable: config invalid'. The rebate-payout deploy 40 s later is a different "
                 "function with flat metrics; fee-tier-calc's code deploy at -3 h was followed by hours of "
                 "clean quotes; the 'unknown_symbol' rejections are handled and steady.",
        "judgement": "A code deploy of the same function exists (3 h earlier) and a deploy of another "
                     "function is nearer the alarm; the configuration update plus an error naming the "
                     "invalid setting make this config_change (which also wins the tie-break).",
    }
    return sc


BUILDERS = [build_05, build_06]
