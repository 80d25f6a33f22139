"""h95-11 order repricing runs into its timeout once the new circular's promotions go live (function
timeout, Java Lambda); h95-12 partner redemptions crash on an unmapped loyalty tier (application
error, Python on ECS behind API Gateway)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import counts_per_minute
from benchmarks.holdout57_gen.runtimes import LambdaLogs, gunicorn

from .kit import (CAN, EAST, apigw_metrics, bump, diurnal, ecs_metrics, gaccess, lam_metrics, new, ramp,
                  rds_metric, times)


def build_11():
    sc = new(11, "pickup-reprice-errors", "Click-and-collect orders stuck unpriced after "
             "midnight; basket-promo-eval Errors alarm.", EAST, "2026-11-19T05:46:00+00:00")
    T0, CFG = -2760, -2820
    fn, other, db = "basket-promo-eval", "circular-pdf-render", "promo-catalog"
    TO = 30
    sc.resource("lambda", fn, runtime="java21", timeout=TO, memory_size=2048, event_source="SQS pickup-reprice",
                batch_size=1)
    sc.resource("lambda", other, runtime="python3.12", timeout=600, memory_size=2048)
    sc.resource("rds", db, engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
                max_connections=800, allocated_storage_gb=200)
    live = lambda t: ramp(t, T0, T0 + 600)
    big = lambda t: 0.42 * live(t)
    inv, err = lam_metrics(sc, fn, lambda t: 11 * (1 + 0.25 * live(t)), lambda t: 0.0008 + big(t),
                           lambda t: 7400 + live(t) * (0.58 * 13500 + 0.42 * (TO * 1000 - 7400)), TO)
    lam_metrics(sc, other, lambda t: 0.5 + 2 * live(t), lambda t: 0.0, lambda t: 180000, 600)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 14 + bump(t, T0 - 120, T0 + 240, 41, 60),
               noise=0.07, digits=2)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 52, noise=0.05, integer=True)
    rds_metric(sc, db, "ReadLatency", "Seconds", lambda t: 0.0008 + bump(t, T0 - 120, T0 + 240, 0.002, 60),
               noise=0.08, digits=5)
    d = {"FunctionName": fn}
    sc.alarm("basket-promo-eval-errors", "AWS/Lambda", "Errors", d, "Sum", 300, 1, 8.0, "GreaterThanThreshold",
             "Pickup order repricing failures")
    sc.alarm("basket-promo-eval-duration", "AWS/Lambda", "Duration", d, "Average", 300, 2, 20000.0,
             "GreaterThanThreshold", "Repricing slow")
    sc.alarm("promo-catalog-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 1,
             35.0, "GreaterThanThreshold", "promo-catalog CPU")
    rng = sc.rng
    ll = LambdaLogs(sc, fn, "java21", 2048, TO, mem_used=(700, 50), prewarm=-10700)
    refreshed = {}

    def body(ll, t, rid, is_err, cold):
        new_week = t >= T0
        env_key = (int(t) // 600, new_week)
        lines = []
        if cold or env_key not in refreshed:
            refreshed[env_key] = True
            n = rng.randint(3850, 3890) if new_week else rng.randint(1200, 1220)
            circ = "2026-W47 + 2026-W47-MIXMATCH" if new_week else "2026-W46"
            lines.append((0.02, ll.fmt(t, rid, "INFO", f"c.g.promo.PromotionCache - refreshed: {n} active "
                                                       f"promotions (circular {circ}) in {rng.randint(180, 420)} ms")))
        order = f"PU-{rng.randint(10 ** 7, 10 ** 8)}"
        nl = rng.randint(45, 90) if is_err and new_week else rng.randint(6, 40)
        lines.append((0.5, ll.fmt(t, rid, "INFO", f"c.g.promo.BasketEvaluator - order={order} lines={nl} "
                                                  f"store={rng.randint(101, 498):04d}")))
        if rng.random() < 0.15:
            lines.append((0.6, ll.fmt(t, rid, "WARN", f"c.g.promo.Eligibility - promotion P{rng.randint(10 ** 5, 10 ** 6)} "
                                                      "has no eligible SKUs in store; ignored")))
        if is_err and new_week:
            for k, frac in enumerate((0.35, 0.7, 0.93)):
                lines.append((TO * frac, ll.fmt(t, rid, "INFO", f"c.g.promo.BasketEvaluator - order={order} "
                              f"combinations evaluated={int(frac * nl * 950):,} best_saving_so_far="
                              f"{rng.uniform(2, 30):.2f}")))
            return {"lines": lines, "dur": TO * 1000, "status": "timeout"}
        if is_err:
            return {"lines": lines + [(0.7, ll.fmt(t, rid, "ERROR", f"c.g.promo.Handler - order={order} "
                    "rejected: basket total mismatch after tender split"))], "dur": rng.gauss(900, 100)}
        dur = (rng.gauss(13500, 3000) if new_week else rng.gauss(7400, 1500))
        lines.append((dur / 1000 - 0.02, ll.fmt(t, rid, "INFO", f"c.g.promo.BasketEvaluator - order={order} "
                                                                f"repriced saving={rng.uniform(0, 35):.2f} "
                                                                f"took={dur:.0f}ms")))
        return {"lines": lines, "dur": dur}

    ll.run(counts_per_minute(inv, -10800, 0), counts_per_minute(err, -10800, 0), body)
    ll2 = LambdaLogs(sc, other, "python3.12", 2048, 600, retire=(CFG,), mem_used=(1300, 90))
    ll2.run({m: 1 for m in range(-10800, 0, 120)}, {}, lambda ll, t, rid, e, c: {
        "lines": [(0.01, ll.fmt(t, rid, "INFO", f"rendering circular page set for region {rng.choice(['OH', 'PA', 'MI'])}"))],
        "dur": rng.gauss(180000, 15000)})
    sc.change(-19000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn,
              "ci-deployer")
    sc.change(CFG, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              other, "marketing-ops-bot")
    sc.expect = {"alarm": "basket-promo-eval-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": d}]}
    sc.meta = {"front": "origin", "services": ["lambda", "rds"], "runtime": "Java 21 Lambda (plain)",
               "decoys": "circular-pdf-render config update 1 min before onset; promo-catalog CPU/read-latency "
                         "spike at the week rollover with its own recovered alarm; steady no-eligible-SKU WARNs",
               "story": "At midnight Eastern the new weekly circular goes live and basket-promo-eval's "
                        "promotion cache grows from ~1,210 to ~3,870 active promotions including a mix-and-"
                        "match set. Repricing a pickup order now takes about twice as long and large baskets "
                        "(45+ lines) hit the 30 s timeout: 'Task timed out after 30.00 seconds' with "
                        "'Status: timeout' in REPORT, after progress lines showing combinations still being "
                        "evaluated. There are no database or HTTP errors; promo-catalog's spike is the "
                        "activation job and is over within minutes. The config update to circular-pdf-render "
                        "is the closest change but belongs to another function."}
    return sc


# =========================================================================== 12
def build_12():
    sc = new(12, "partner-redeem-5xx", "Fuel-partner point redemptions failing at the pump; "
             "partner-rewards-api 5XX alarm.", CAN, "2026-11-22T17:21:00+00:00")
    T0 = -2200
    api, cl, svc, db = "partner-rewards-api", "rewards", "redeem-svc", "rewards-db"
    sc.resource("apigateway", api, stage="live", integration="VPC link to redeem-svc")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3,
                image="redeem-svc:2026.11.19-1")
    sc.resource("ecs", f"{cl}/points-expiry", launch_type="FARGATE", cpu=256, memory=512, desired_count=1)
    sc.resource("rds", db, engine="postgres", engine_version="15.8", instance_class="db.m6g.large",
                max_connections=600, allocated_storage_gb=300)
    plat = lambda t: 0.13 * ramp(t, T0, T0 + 240)
    apigw_metrics(sc, api, lambda t: 260 * diurnal(sc, t, 19, 0.3), e5_p=lambda t: 0.0005 + plat(t),
                  e4_p=lambda t: 0.03, lat=lambda t: 95 + 10 * plat(t), integ=lambda t: 88 + 10 * plat(t))
    ecs_metrics(sc, cl, svc, cpu=lambda t: 19 * diurnal(sc, t, 19, 0.3), mem=lambda t: 46, tasks=lambda t: 3)
    ecs_metrics(sc, cl, "points-expiry", cpu=lambda t: 6 + bump(t, T0 - 120, T0 + 60, 25, 60), mem=lambda t: 31)
    rds_metric(sc, db, "DatabaseConnections", "Count", lambda t: 48 + bump(t, -2700, -2500, 70, 60), noise=0.05,
               integer=True)
    rds_metric(sc, db, "CPUUtilization", "Percent", lambda t: 13 + bump(t, -2700, -2500, 22, 60), noise=0.07,
               digits=2)
    sc.alarm("partner-rewards-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 300, 1, 15.0,
             "GreaterThanThreshold", "Partner rewards API 5xx")
    sc.alarm("rewards-db-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum",
             300, 1, 100.0, "GreaterThanThreshold", "rewards-db connection count")
    rng = sc.rng
    g = f"/ecs/{svc}"
    streams = [f"redeem/{svc}/{sc.hexid(32)}" for _ in range(3)]
    tiers = ["BASIC", "SILVER", "GOLD", "PLATINUM"]
    for t in times(sc, lambda t: 6 * diurnal(sc, t, 19, 0.3)):
        st = rng.choice(streams)
        fail = t >= T0 and rng.random() < 2 * plat(t)
        code = 500 if fail else rng.choice([200] * 30 + [404])
        sc.log(g, st, t, gaccess(sc, t, f"10.70.{rng.randint(1, 20)}.{rng.randint(2, 250)}", "POST",
               "/v1/redemptions", code, 0 if code == 500 else rng.randint(180, 420),
               rng.randint(40000, 160000), ua="PetroPartner-Gateway/3.4"))
        if fail:
            member = f"60{rng.randint(10 ** 8, 10 ** 9 - 1)}"
            sc.log(g, st, t - 0.003, gunicorn(sc, t, rng.randint(8, 11), "ERROR", "Exception on /v1/redemptions "
                   "[POST]\nTraceback (most recent call last):\n  File \"/usr/local/lib/python3.12/site-packages/"
                   "flask/app.py\", line 1511, in wsgi_app\n    response = self.full_dispatch_request()\n  File "
                   "\"/app/redeem/views.py\", line 72, in create_redemption\n    cost = points_needed(member, "
                   "req.litres)\n  File \"/app/redeem/pricing.py\", line 48, in points_needed\n    mult = "
                   "TIER_MULTIPLIER[member.tier]\nKeyError: 'PLAT_PLUS'"))
            sc.log(g, st, t - 0.02, gunicorn(sc, t, rng.randint(8, 11), "INFO", f"redeem member={member} "
                   f"tier=PLAT_PLUS partner=PETRO-{rng.randint(100, 999)}"))
        elif code == 200 and rng.random() < 0.5:
            sc.log(g, st, t - 0.02, gunicorn(sc, t, rng.randint(8, 11), "INFO", f"redeem member=60"
                   f"{rng.randint(10 ** 8, 10 ** 9 - 1)} tier={rng.choice(tiers)} partner=PETRO-{rng.randint(100, 999)}"))
    for t in times(sc, lambda t: 0.8):
        sc.log(g, rng.choice(streams), t, gunicorn(sc, t, rng.randint(8, 11), "WARNING", "partner signature "
               f"timestamp skew {rng.uniform(2, 9):.1f}s (allowed 30s) partner=PETRO-{rng.randint(100, 999)}"))
    g2 = "/ecs/points-expiry"
    s2 = f"expiry/points-expiry/{sc.hexid(32)}"
    for t in times(sc, lambda t: 0.5, start=T0 - 110):
        sc.log(g2, s2, t, gunicorn(sc, t, 7, "INFO", f"expired {rng.randint(0, 40)} point lots"))
    sc.change(-251000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "gha-rewards")
    sc.change(T0 - 130, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "points-expiry:12", "gha-rewards")
    sc.change(T0 - 120, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/points-expiry",
              "gha-rewards")
    sc.expect = {"alarm": "partner-rewards-api-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "5XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = {"front": "front (API Gateway) / origin ECS service", "services": ["apigateway", "ecs", "rds"],
               "runtime": "Python 3.12 Flask on ECS (gunicorn error + access log)",
               "decoys": "points-expiry deploy 2 min before onset; rewards-db connection spike 8 min before "
                         "with its own recovered alarm; steady signature-skew WARNs and 404s",
               "story": "From 16:44 UTC about one partner redemption in eight fails: redeem-svc logs "
                        "KeyError: 'PLAT_PLUS' at TIER_MULTIPLIER[member.tier] in pricing.py, always for "
                        "members whose tier is PLAT_PLUS, a value the code has no multiplier for. redeem-svc "
                        "has not changed since its deploy three days earlier, CPU and memory are flat and "
                        "there are no database or network errors. The points-expiry deploy and the "
                        "rewards-db connection spike just before are the tempting neighbours, but neither "
                        "touches the redemption path's errors."}
    return sc


BUILDERS = [build_11, build_12]
