"""h59-09 (a database slowly pinned by one tenant's scans) and h59-10 (BYOK tenants lose
kms:Decrypt behind an ALB-fronted function)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, diurnal, ramp, step
from .runtimes import LambdaLogs


# =========================================================================== h59-09
def s09() -> Scenario:
    sc = Scenario(9, "catalog-br-latency", "Catalog storefront latency alarm; pages slow for "
                  "all stores since mid-afternoon.", "sa-east-1", 5909, "2026-03-18T18:20:00")
    lb = "app/catalog-br/5d6e7f8091a2b3c4"
    cluster, svc, db, fn = "br-prod", "catalog-web", "mysql-catalog-br", "catalog-feed-export"
    pinned = -2400
    sc.resource("alb", lb, name="catalog-br", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=8, cpu=1024,
                memory=2048, image="catalog-web:php8.3-2026.03.17")
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=800)
    sc.resource("lambda", fn, runtime="python3.12", timeout=900, memory_size=2048)
    burn = lambda t: ramp(t, -14400, pinned + 300)
    cpu_db = lambda t: min(99.3, 31 + 70 * ((t + 14400) / (14400 + pinned)) ** 1.6
                           if t > -14400 else 31)
    lat = lambda t: 0.14 + 2.5 * ramp(cpu_db(t), 86, 99.3) ** 1.3
    load = lambda t: 1500 * diurnal(sc, t, 18.0, 0.2)
    req = sc.series(load, integer=True, noise=0.03)
    t5 = sc.series(lambda t: 0.5 + 0.012 * load(t) * ramp(cpu_db(t), 96, 99.3), integer=True)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lat, noise=0.06), t4xx=sc.series(
        lambda t: 0.01 * load(t), integer=True), healthy=sc.series(
        lambda t: 8.0 + 2 * (t >= -2100), noise=0.0), unhealthy=[0.0] * len(GRID))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 22 - 4 * ramp(t, -2100, -1900),
                                                noise=0.07),
                    sc.series(lambda t: 41.0, noise=0.02),
                    sc.series(lambda t: 8.0 + 2 * (t >= -2040), noise=0.0))
    kit.flat_rds(sc, db, cpu_db, lambda t: 60 + 130 * ramp(cpu_db(t), 80, 99.3), 800, 402, 4.2,
                 extra={"ReadIOPS": ("Count/Second", sc.series(
                     lambda t: 900 + 2600 * burn(t), noise=0.08))}, cpu_noise=0.025)
    kit.lambda_metrics(sc, fn, sc.series(lambda t: 1.0 if int(t) % 1800 == 0 else 0.0,
                                         noise=0.0, integer=True), [0.0] * len(GRID),
                       sc.series(lambda t: step(t, -1980, 142000.0, 128000.0), noise=0.1))

    # ---------------------------------------------------------------- logs
    slow = f"/aws/rds/instance/{db}/slowquery"

    def slow_entry(t, heavy=True):
        d = sc.at(t)
        if heavy:
            qt = 1.1 + 6.5 * ramp(cpu_db(t), 40, 99.3) + sc.rng.uniform(0, 0.8)
            ex = int(2.1e6 + 1.8e6 * burn(t) + sc.rng.randint(0, 40000))
            q = ("SELECT v.id, v.sku, v.title, v.price_cents FROM product_variants v JOIN products "
                 "p ON p.id = v.product_id WHERE v.store_id = 7712 AND LOWER(v.title) LIKE "
                 f"'%{sc.rng.choice(['tenis', 'camiseta', 'bolsa', 'sandalia'])}%' AND "
                 "v.deleted_at IS NULL ORDER BY v.updated_at DESC LIMIT 24;")
        else:
            qt, ex = sc.rng.uniform(1.0, 1.8), sc.rng.randint(200000, 400000)
            q = ("SELECT store_id, COUNT(*) FROM orders WHERE created_at >= CURDATE() - INTERVAL 7 "
                 "DAY GROUP BY store_id;")
        return (f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n# User@Host: "
                f"catalog_app[catalog_app] @  [{sc.ip('10.20')}]  Id: {sc.rng.randint(80000, 99999)}"
                f"\n# Query_time: {qt:.6f}  Lock_time: 0.000004 Rows_sent: 24  Rows_examined: {ex}"
                f"\nSET timestamp={int(d.timestamp())};\n{q}")
    kit.events(sc, slow, db, lambda t: 0.15 + 3.5 * burn(t) ** 1.5, slow_entry, start=-21600)
    kit.events(sc, slow, db, lambda t: 0.05, lambda t: slow_entry(t, False), start=-21600)
    app = f"/ecs/{svc}"
    for k in range(3):
        stream = f"catalog-web/php/{sc.hexid(32)}"
        lv = lambda t, lvl, msg: f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{lvl}: {msg}"
        kit.events(sc, app, stream, lambda t: 1.2, lambda t: lv(
            t, "INFO", f"GET /api/{sc.rng.choice(['search', 'products', 'cart'])} 200 "
            f"{int(1000 * lat(t) * sc.rng.uniform(0.6, 1.4))}ms {{\"store_id\":"
            f"{sc.rng.choice([7712, 1203, 4410, 889, 3021])}}}"), start=-21600)
        kit.events(sc, app, stream, lambda t: 0.25, lambda t: lv(
            t, "ERROR", "Undefined array key \"utm_source\" {\"exception\":\"[object] "
            "(ErrorException(code: 0): Undefined array key \\\"utm_source\\\" at "
            "/var/www/app/Http/Middleware/Attribution.php:31)\"}"), start=-21600)
        kit.events(sc, app, stream, lambda t: 1.5 * ramp(cpu_db(t), 90, 99.3), lambda t: lv(
            t, "WARNING", f"Slow request GET /api/search took {int(1000 * lat(t) * 1.8)} ms "
            f"(db {int(1000 * lat(t) * 1.7)} ms) {{\"store_id\":"
            f"{sc.rng.choice([7712, 1203, 4410, 889])}}}"), start=-21600)
        kit.events(sc, app, stream, lambda t: 0.3 * ramp(cpu_db(t), 96, 99.3), lambda t: lv(
            t, "ERROR", "Maximum execution time of 30 seconds exceeded {\"exception\":\"[object] "
            "(Symfony\\\\Component\\\\ErrorHandler\\\\Error\\\\FatalError(code: 0): Maximum "
            "execution time of 30 seconds exceeded at /var/www/vendor/laravel/framework/src/"
            "Illuminate/Database/Connection.php:416)\"}"), start=-21600)

    sc.alarm("catalog-br-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.5, "GreaterThanThreshold",
             "Catalog storefront latency")
    sc.alarm("mysql-catalog-br-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db},
             "Average", 300, 3, 95, "GreaterThanThreshold")
    sc.alarm("catalog-web-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cluster,
                                                              "ServiceName": svc},
             "Average", 300, 2, 75, "GreaterThanThreshold")
    sc.change(-2100, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/{svc}",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-1980, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gitlab-ci-catalog")
    kit.check_alarm(sc, "catalog-br-latency", latest=-1200, earliest=-3600)
    sc.expect = {"alarm": "catalog-br-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    return sc


# =========================================================================== h59-10
def s10() -> Scenario:
    sc = Scenario(10, "docs-ca-target-5xx", "Document portal 5xx alarm; a few law and health "
                  "customers cannot open documents.", "ca-central-1", 5910,
                  "2026-02-10T16:05:00")
    lb = "app/docs-ca/7a8b9c0d1e2f3a4b"
    fn, other, role = "doc-render", "doc-thumbnail", "doc-render-exec"
    pol = -3300
    byok = ["maple-law", "northshore-health", "prairie-gov"]
    plain = ["rideau-accounting", "bayview-realty", "kelowna-dental", "yukon-mining",
             "halifax-ports", "fraser-legal", "oakville-clinic", "moncton-transit"]
    sc.resource("alb", lb, name="docs-ca", scheme="internet-facing", target_type="lambda",
                target=fn)
    sc.resource("lambda", fn, runtime="python3.12", timeout=29, memory_size=1024, role=role)
    sc.resource("lambda", other, runtime="python3.12", timeout=60, memory_size=2048)
    load = lambda t: 260 * diurnal(sc, t, 17.0, 0.25)
    share = 0.12
    inv = sc.series(load, integer=True, noise=0.03)
    bad = [float(sum(1 for _ in range(int(n)) if sc.rng.random() < share)) if t >= pol + 10
           else 0.0 for t, n in zip(GRID, inv)]
    dur = sc.series(lambda t: 610.0 - 60 * share * (t >= pol), noise=0.06)
    kit.lambda_metrics(sc, fn, inv, [0.0] * len(GRID), dur)
    kit.alb_metrics(sc, lb, inv, [b + (1.0 if sc.rng.random() < 0.05 else 0.0) for b in bad],
                    sc.series(lambda t: 0.64, noise=0.06), t4xx=sc.series(
                        lambda t: 0.015 * load(t), integer=True))
    oinv = sc.series(lambda t: 30 * diurnal(sc, t, 17.0, 0.25), integer=True)
    kit.lambda_metrics(sc, other, oinv, [0.0] * len(GRID), sc.series(
        lambda t: step(t, -3240, 2400.0, 2250.0), noise=0.1))

    # ---------------------------------------------------------------- logs
    ll = LambdaLogs(sc, fn, "python3.12", 1024, 29, mem_used=(305, 15))
    keys = {tn: sc.uuid() for tn in byok}

    def body(ll, t, rid, is_err, cold):
        doc = f"d_{sc.hexid(12)}"
        if is_err:
            tn = sc.rng.choice(byok)
            arn = f"arn:aws:kms:ca-central-1:{sc.account}:key/{keys[tn]}"
            return {"dur": sc.rng.gauss(95, 15), "lines": [(0.09, ll.fmt(
                t + 0.09, rid, "ERROR", f"decrypt failed tenant={tn} doc={doc}: An error occurred "
                f"(AccessDeniedException) when calling the Decrypt operation: User: arn:aws:sts::"
                f"{sc.account}:assumed-role/{role}/{fn} is not authorized to perform: kms:Decrypt "
                f"on resource: {arn} because no identity-based policy allows the kms:Decrypt "
                f"action")), (0.091, ll.fmt(t + 0.091, rid, "INFO", f"GET /documents/{doc} -> "
                                            "500"))]}
        tn = sc.rng.choice(byok) if (t < pol and sc.rng.random() < share) else \
            sc.rng.choice(plain)
        lines = []
        if sc.rng.random() < 0.012:
            lines.append((0.05, ll.fmt(t + 0.05, rid, "WARNING", "KMS GenerateDataKey "
                                       "ThrottlingException (Rate exceeded), retrying attempt 1 "
                                       "after 0.2s")))
        lines.append((0.6, ll.fmt(t + 0.6, rid, "INFO", f"GET /documents/{doc} -> 200 tenant={tn}"
                                  f" pages={sc.rng.randint(1, 40)}")))
        return {"dur": sc.rng.gauss(620, 60), "lines": lines}
    li, le = kit.sample_invocations(sc, inv, bad, 0.015)
    ll.run(li, le, body)
    ol = LambdaLogs(sc, other, "python3.12", 2048, 60, retire=[-3240], mem_used=(700, 40))
    oi, oe = kit.sample_invocations(sc, oinv, [0.0] * len(GRID), 0.05)
    ol.run(oi, oe, lambda ll, t, rid, e, c: {"dur": sc.rng.gauss(2300, 300), "lines": [
        (2.0, ll.fmt(t + 2, rid, "INFO", f"thumbnail written s3://docs-ca-thumbs/"
                     f"{sc.hexid(12)}.webp"))]})

    sc.alarm("docs-ca-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 10, "GreaterThanThreshold", "Docs portal 5xx")
    sc.alarm("doc-render-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.change(pol, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", role,
              "terraform-cloud")
    sc.change(-3240, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", other, "gha-docs-deploy")
    sc.change(-11600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "gha-docs-deploy")
    kit.check_alarm(sc, "docs-ca-target-5xx", latest=pol + 400, earliest=pol)
    sc.expect = {"alarm": "docs-ca-target-5xx",
                 "root_cause": {"category": "permission_denied", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc
