"""h95-15 promo-calc release breaks multi-buy pricing (bad deployment, Java on ECS behind an ALB);
h95-16 a statement_timeout added to the coupon database's parameter group cancels clip queries
(config change on RDS, .NET Lambda behind API Gateway)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs, pg

from .kit import (CAN, EAST, alb_metrics, binom, bump, diurnal, ecs_metrics, lam_metrics, logstash, new, put,
                  ramp, rds_metric, times, vals)


def build_15():
    sc = new(15, "pos-pricing-5xx", "Lane totals failing for multi-buy items; pos-pricing "
             "target 5XX alarm.", EAST, "2026-11-18T19:41:00+00:00")
    DEP, PG = -1860, -1770
    lb, cl, svc, db = "app/pos-pricing/2b8d4f61e0c3a975", "pricing-prod", "promo-calc", "pricing-pg"
    sc.resource("alb", lb, name="pos-pricing", scheme="internal")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=3)
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=250, parameter_group="pricing-pg15")
    newshare = lambda t: ramp(t, DEP + 90, DEP + 180)
    alb_metrics(sc, lb, lambda t: 2300 * diurnal(sc, t, 20, 0.3), t5_p=lambda t: 0.0004 + 0.17 * newshare(t),
                e5_p=lambda t: 0.0001, trt=lambda t: 0.058 + 0.01 * newshare(t), healthy=3.0)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 31 * diurnal(sc, t, 20, 0.3) + bump(t, DEP + 60, DEP + 180, 9, 30),
                mem=lambda t: 49 + bump(t, DEP + 60, DEP + 180, 6, 30),
                tasks=lambda t: 6 if DEP + 60 <= t < DEP + 180 else 3)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 26 * diurnal(sc, t, 20, 0.3), noise=0.07, digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 90 + bump(t, DEP + 60, DEP + 180, 45, 30),
               noise=0.04, integer=True)
    rds_metric(sc, db, "ReadLatency", "Seconds", lambda t: 0.0007, noise=0.08, digits=5)
    dims = {"LoadBalancer": lb}
    sc.alarm("pos-pricing-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60, 3,
             40.0, "GreaterThanThreshold", "Lane pricing service 5xx")
    rng = sc.rng
    g = f"/ecs/{svc}"
    old = [f"pricing/{svc}/{sc.hexid(32)}" for _ in range(3)]
    new_ = [f"pricing/{svc}/{sc.hexid(32)}" for _ in range(3)]
    for i, s in enumerate(new_):
        ts = DEP + 62 + 3 * i
        sc.log(g, s, ts, logstash(sc, ts, "INFO", "c.g.pricing.PromoCalcApplication", "Started PromoCalcApplication "
               "in 9.81 seconds (process running for 10.4)", thread="main", app_version="2026.47.3"))
    for i, s in enumerate(old):
        ts = DEP + 175 + 2 * i
        sc.log(g, s, ts, logstash(sc, ts, "INFO", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful "
               "shutdown. Waiting for active requests to complete", thread="SpringApplicationShutdownHook",
               app_version="2026.46.8"))

    def pick(t):
        if t < DEP + 90:
            return rng.choice(old), False
        if t >= DEP + 180:
            return rng.choice(new_), True
        return (rng.choice(new_), True) if rng.random() < newshare(t) else (rng.choice(old), False)

    for t in times(sc, lambda t: 9 * diurnal(sc, t, 20, 0.3)):
        s, is_new = pick(t)
        ver = "2026.47.3" if is_new else "2026.46.8"
        if is_new and rng.random() < 0.34:
            sc.log(g, s, t, logstash(sc, t, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                   "Servlet.service() for servlet [dispatcherServlet] threw exception", stack=(
                       "java.lang.NullPointerException: Cannot invoke \"java.math.BigDecimal.multiply(java.math."
                       "BigDecimal)\" because the return value of \"c.g.pricing.promo.Promo.getLimitQty()\" is null"
                       "\n\tat c.g.pricing.promo.PromoCalculator.applyMultiBuy(PromoCalculator.java:212)\n\tat "
                       "c.g.pricing.promo.PromoCalculator.price(PromoCalculator.java:87)\n\tat c.g.pricing.web."
                       "BasketController.price(BasketController.java:54)"),
                   thread=f"http-nio-8080-exec-{rng.randint(1, 80)}", app_version=ver))
            continue
        sc.log(g, s, t, logstash(sc, t, "INFO", "c.g.pricing.web.BasketController", f"POST /v3/basket/price 200 "
               f"lines={rng.randint(1, 70)} promos_applied={rng.randint(0, 9)} {rng.randint(12, 120)}ms",
               thread=f"http-nio-8080-exec-{rng.randint(1, 80)}", app_version=ver))
    for t in times(sc, lambda t: 1.2):
        s, is_new = pick(t)
        sc.log(g, s, t, logstash(sc, t, "WARN", "c.g.pricing.promo.CircularLinkCheck", f"Promo "
               f"{rng.randint(88000, 89999)} expired but still referenced by circular page {rng.randint(1, 16)}",
               app_version="2026.47.3" if is_new else "2026.46.8"))
    pgg = f"/aws/rds/instance/{db}/postgresql"
    for t in range(-21600 + 23, 0, 300):
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(500, 3000)} buffers "
               f"({rng.uniform(0.3, 2.5):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=611))
    sc.log(pgg, f"{db}.0", PG + 22, pg(sc, PG + 22, "LOG", "received SIGHUP, reloading configuration files", pid=611))
    sc.log(pgg, f"{db}.0", PG + 22.01, pg(sc, PG + 22.01, "LOG", 'parameter "log_min_duration_statement" changed '
           'to "500"', pid=611))
    for t in times(sc, lambda t: 0.4, start=PG + 22):
        sc.log(pgg, f"{db}.0", t, pg(sc, t, "LOG", f"duration: {rng.uniform(500, 900):.3f} ms  statement: SELECT "
               "p.* FROM promo p JOIN promo_item pi ON pi.promo_id = p.id WHERE pi.store_id = $1",
               client=f"10.50.{rng.randint(1, 9)}.{rng.randint(2, 250)}(5{rng.randint(1000, 9999)})",
               user="promo_app", db="pricing"))
    sc.change(DEP - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "promo-calc:58",
              "github-actions-deploy")
    sc.change(DEP, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "github-actions-deploy")
    sc.change(PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "pricing-pg15",
              "dba-kowalski")
    sc.expect = {"alarm": "pos-pricing-target-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": dims}]}
    sc.meta = {"front": "front (ALB) / origin ECS service", "services": ["alb", "ecs", "rds"],
               "runtime": "Java 21 Spring Boot on ECS (logstash JSON)",
               "decoys": "ModifyDBParameterGroup on the pricing database 90 s after the deploy, closer to the "
                         "onset; steady expired-promo WARNs; task-count and connection bump from the rollout",
               "story": "github-actions-deploy rolls promo-calc to task definition 58 (app 2026.47.3). As the "
                        "new tasks take traffic, a new NullPointerException in PromoCalculator.applyMultiBuy "
                        "(getLimitQty() is null) appears, only in streams whose app_version is 2026.47.3; "
                        "while old and new tasks overlap, the old ones keep pricing cleanly. The DBA's "
                        "parameter-group change 90 s later is closer to the first 5xx, but the reload it "
                        "triggers only sets log_min_duration_statement, the database shows no errors or "
                        "latency change, and the errors carry no SQL state."}
    return sc


# =========================================================================== 16
def build_16():
    sc = new(16, "coupon-clip-5xx", "Members can't clip this week's digital coupons; "
             "digital-coupons-api 5XX alarm.", CAN, "2026-11-19T14:12:00+00:00")
    CFG, FIX = -2100, -1380
    api, fn, db = "digital-coupons-api", "coupon-clip", "coupondb-ca"
    sc.resource("apigateway", api, stage="prod")
    sc.resource("lambda", fn, runtime="dotnet8", timeout=15, memory_size=768)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=900, allocated_storage_gb=300, parameter_group="coupondb-ca-pg16")
    on = lambda t: t >= CFG + 25
    ad = {"ApiName": api}
    count = put(sc, "AWS/ApiGateway", "Count", ad, "Count", lambda t: 16 * diurnal(sc, t, 17, 0.35), noise=0.05,
                integer=True)
    inv, err = lam_metrics(sc, fn, None, lambda t: 0.24 if on(t) else 0.001,
                           lambda t: (1900 if t >= FIX else 1400) if on(t) else 1150, 15, inv_values=count)
    vals(sc, "AWS/ApiGateway", "5XXError", ad, "Count", err)
    vals(sc, "AWS/ApiGateway", "4XXError", ad, "Count", binom(sc, count, lambda t: 0.06))
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: 1180 + 250 * on(t) + 500 * (t >= FIX), noise=0.06, digits=2)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 38 * diurnal(sc, t, 17, 0.2) - 7 * on(t), noise=0.06,
               digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 70, noise=0.04, integer=True)
    rds_metric(sc, db, "ReadLatency", "Seconds", lambda t: 0.0012, noise=0.08, digits=5)
    rds_metric(sc, db, "FreeStorageSpace", "Bytes", lambda t: 2.2e11, noise=0.0004, digits=0)
    sc.alarm("digital-coupons-api-5xx", "AWS/ApiGateway", "5XXError", ad, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", "Digital coupons API server errors")
    sc.alarm("coupon-clip-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 10.0,
             "GreaterThanThreshold", "coupon-clip function errors")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "dotnet8", 768, 15, epochs=((-10 ** 9, "$LATEST"),), retire=(FIX,), mem_used=(190, 12),
                    prewarm=-9000)

    def body(ll, t, rid, is_err, cold):
        member, coupon = f"60{rng.randint(10 ** 8, 10 ** 9 - 1)}", f"DC-47-{rng.randint(1000, 9999)}"
        ver = "1.9.1" if t >= FIX else "1.9.0"
        init = [(0.1, ll.fmt(t, "", "INFO", f"CouponClip {ver} starting; Npgsql pool max 20"))] if cold else []
        lines = [(0.01, ll.fmt(t, rid, "INFO", f"Clip {coupon} for member {member}"))]
        if rng.random() < 0.06:
            lines.append((0.05, ll.fmt(t, rid, "WARN", f"Coupon {coupon} already clipped by member {member}; 409")))
        if is_err and on(t):
            retry = "Retry 1/1 after transient failure. " if t >= FIX else ""
            lines.append((2.02, ll.fmt(t, rid, "ERROR", f"{retry}Clip failed for member {member}\nNpgsql.PostgresException "
                          "(0x80004005): 57014: canceling statement due to statement timeout\n   at Npgsql.Internal."
                          "NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode dataRowLoadingMode, "
                          "Boolean readingNotifications, Boolean isReadingPrependedMessage)\n   at CouponClip."
                          "ClipRepository.GetClippedAsync(String memberId) in /src/CouponClip/ClipRepository.cs:line 63"
                          "\n  Exception data:\n    Severity: ERROR\n    SqlState: 57014\n    MessageText: canceling "
                          "statement due to statement timeout")))
            return {"lines": lines, "dur": rng.gauss(2080 if t < FIX else 4150, 40), "init_lines": init}
        if is_err:
            lines.append((0.3, ll.fmt(t, rid, "ERROR", "Clip failed: System.Text.Json.JsonException: The JSON value "
                                                       "could not be converted to System.Int64. Path: $.memberId")))
            return {"lines": lines, "dur": rng.gauss(300, 30), "init_lines": init}
        dur = max(200, rng.gauss(1150, 300))
        lines.append((dur / 1000 - 0.01, ll.fmt(t, rid, "INFO", f"Clipped {coupon}; member now has "
                                                                f"{rng.randint(1, 140)} clips ({dur:.0f} ms)")))
        return {"lines": lines, "dur": dur, "init_lines": init}

    ll.run(counts_per_minute(inv, -9000, 0), counts_per_minute(err, -9000, 0), body)
    pgg, ps = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21600 + 37, 0, 300):
        sc.log(pgg, ps, t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(400, 2500)} buffers "
               f"({rng.uniform(0.3, 2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=497))
    sc.log(pgg, ps, CFG + 21, pg(sc, CFG + 21, "LOG", "received SIGHUP, reloading configuration files", pid=497))
    sc.log(pgg, ps, CFG + 21.01, pg(sc, CFG + 21.01, "LOG", 'parameter "statement_timeout" changed to "2s"', pid=497))
    cl = lambda: f"10.61.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"
    for t, e in zip(range(-21600, 0, 60), err):
        if t < CFG + 25 or not e:
            continue
        for s in sorted(rng.uniform(t, t + 60) for _ in range(min(int(e), 4))):
            c = cl()
            sc.log(pgg, ps, s, pg(sc, s, "ERROR", "canceling statement due to statement timeout", client=c,
                   user="clip_app", db="coupons", pid=rng.randint(20000, 30000)))
            sc.log(pgg, ps, s + 0.0005, pg(sc, s, "STATEMENT", "SELECT c.coupon_id, c.clipped_at FROM member_clip c "
                   "JOIN coupon k ON k.id = c.coupon_id WHERE c.member_id = $1 AND k.circular_week >= $2 ORDER BY "
                   "c.clipped_at DESC", client=c, user="clip_app", db="coupons", pid=rng.randint(20000, 30000)))
    sc.change(-17000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azdo-release")
    sc.change(CFG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "coupondb-ca-pg16",
              "dba-lbouchard")
    sc.change(FIX, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "azdo-release")
    sc.expect = {"alarm": "digital-coupons-api-5xx",
                 "root_cause": {"category": "config_change", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = {"front": "front (API Gateway) / origin database", "services": ["apigateway", "lambda", "rds"],
               "runtime": ".NET 8 Lambda (plain); PostgreSQL log",
               "decoys": "hot-fix deploy of coupon-clip 12 min after onset (closest change to the alarm); "
                         "an earlier deploy 4.7 h before; steady 409 WARNs and JSON errors; DB CPU dips",
               "story": "dba-lbouchard modifies the coupondb-ca-pg16 parameter group; 21 s later PostgreSQL "
                        "reloads its configuration and logs 'parameter \"statement_timeout\" changed to "
                        "\"2s\"'. From then on about a quarter of clips, those whose clipped-coupons query "
                        "takes longer than 2 s, fail with SqlState 57014 'canceling statement due to statement "
                        "timeout', matched one for one by ERROR/STATEMENT lines in the database log. A hot-fix "
                        "deploy of coupon-clip twelve minutes later only adds a retry and the errors continue; "
                        "the database is otherwise idle-ish (CPU falls as long queries are cut off)."}
    return sc


BUILDERS = [build_15, build_16]
