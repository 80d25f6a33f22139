"""h58-09 (month-end statements outgrow the timeout) and h58-10 (flash-sale surge during a blue/green)."""
from __future__ import annotations

from . import blocks as B
from .common import GRID, Scenario, bump, diurnal, ramp
from .runtimes import LambdaLogs, logfmt, pg


# =========================================================================== 09
def s09() -> Scenario:
    sc = Scenario(9, "statement-run-timeouts", "Month-end statement generation failing; Errors "
                  "alarm on the statement function.", "eu-north-1", 5809, "2026-12-01T02:45:00+00:00")
    P = -1700            # parameter group edit on the database
    fn, db, fx = "statement-builder", "core-pg", "fx-rates-sync"
    TO = 60
    sc.resource("lambda", fn, runtime="python3.12", timeout=TO, memory_size=1024, event_source="sqs:statement-jobs")
    sc.resource("lambda", fx, runtime="python3.12", timeout=30, memory_size=256)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=800, parameter_group="core-pg16-params")
    rng = sc.rng
    inv = sc.series(lambda t: 16, integer=True)
    err, dur, jobs = [], [], {}
    for t, n in zip(GRID, inv):
        x = (t + 21600) / 21600.0
        mean_pages = 90 + 1560 * x ** 3
        ds, e = [], 0
        for _ in range(int(n)):
            pages = max(3, int(rng.gauss(mean_pages, mean_pages * 0.3)))
            fetch = max(8, rng.gauss(45 + pages * 0.01, 8))
            d = 0.6 + fetch / 1000 + pages * 0.0445
            if d >= TO:
                e += 1
                d = TO + 0.02
            ds.append(d)
            jobs.setdefault(t, []).append((pages, fetch))
        err.append(float(e))
        dur.append(round(sum(ds) / len(ds) * 1000, 2) if ds else None)
    B.lambda_metrics(sc, fn, inv, err, dur, conc=sc.series(lambda t: 4 + 12 * ((t + 21600) / 21600) ** 3, noise=0.1, digits=0))
    fxi = [1.0 if (t // 60) % 5 == 0 else 0.0 for t in GRID]
    B.lambda_metrics(sc, fx, fxi, B.flat(0), [1400.0 + rng.uniform(-200, 200) if v else None for v in fxi])
    B.rds_metrics(sc, db, sc.series(lambda t: 21 + bump(t, -9000, -8100, 38, 200), noise=0.08),
                  sc.series(lambda t: 38 + 0 * t, integer=True), sc.series(lambda t: 402.0 - 0.0000005 * t, noise=0.0003),
                  sc.series(lambda t: 0.0014 + bump(t, -9000, -8100, 0.004, 200), noise=0.1, digits=5),
                  sc.series(lambda t: 7.2, noise=0.01))

    ll = LambdaLogs(sc, fn, "python3.12", 1024, TO, mem_used=(430, 40))

    def make_body(pages, fetch):
        def body(l, t, rid, is_err, cold):
            acct = f"SE{rng.randint(10 ** 7, 10 ** 8 - 1)}"
            lines = [(0.01, l.fmt(t + 0.01, rid, "INFO", f"building statement acct={acct} period=2026-11")),
                     (0.02 + fetch / 1000, l.fmt(t + 0.02 + fetch / 1000, rid, "INFO",
                                                 f"fetched {pages * 4 + rng.randint(0, 3)} ledger entries in {fetch:.0f} ms"))]
            step_ = 250
            for k in range(step_, pages, step_):
                at = 0.6 + fetch / 1000 + k * 0.0445
                if at < TO - 0.05:
                    lines.append((at, l.fmt(t + at, rid, "INFO", f"rendered page {k}/{pages}")))
            total = 0.6 + fetch / 1000 + pages * 0.0445
            if total >= TO:
                return {"dur": 0, "status": "timeout", "lines": lines, "mem": rng.randint(700, 860)}
            lines.append((total - 0.3, l.fmt(t + total - 0.3, rid, "INFO",
                                             f"uploaded s3://statements-prd/2026-11/{acct}.pdf pages={pages}")))
            return {"dur": total * 1000, "lines": lines}
        return body
    for t in GRID:
        if t < B.LOG_START:
            continue
        for pages, fetch in jobs.get(t, [])[:4]:
            ll.invoke(rng.uniform(t, t + 60), False, make_body(pages, fetch))
    fl = LambdaLogs(sc, fx, "python3.12", 256, 30, mem_used=(88, 3))
    fl.run(B.sample(fxi, 1), {}, lambda l, t, rid, e, c: {"dur": 1400, "lines": [
        (1.3, l.fmt(t + 1.3, rid, "INFO", f"fetched {rng.randint(160, 168)} reference rates; upserted into fx_rates"))]})

    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    B.every(sc, rg, rs, 300, lambda t: pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(400, 3000)} buffers "
                                          f"({rng.uniform(0.2, 2):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled", pid=389))
    slow = lambda t: 0.35 if t < P else 2.2  # noqa: E731
    B.emit(sc, rg, rs, slow, lambda t: pg(
        sc, t, "LOG", f"duration: {(rng.uniform(1000, 2400) if t < P or rng.random() < 0.15 else rng.uniform(500, 990)):.3f} ms  "
        f"statement: SELECT a.id, sum(e.amount) FROM accounts a JOIN ledger_entries e ON e.account_id = a.id "
        f"WHERE e.booked_at >= $1 GROUP BY a.id", sc.ip("10.70") + f"({rng.randint(30000, 60000)})", "reporting", "core"))
    sc.log(rg, rs, P + 40, pg(sc, P + 40, "LOG", "received SIGHUP, reloading configuration files", pid=1))
    sc.log(rg, rs, P + 40.01, pg(sc, P + 40, "LOG", 'parameter "log_min_duration_statement" changed to "500"', pid=1))
    B.emit(sc, rg, rs, lambda t: 0.1, lambda t: pg(sc, t, "LOG", f"automatic vacuum of table \"core.public.ledger_entries\": "
                                                    f"index scans: 1, pages: 0 removed, {rng.randint(10 ** 5, 10 ** 6)} remain",
                                                    pid=rng.randint(1000, 9000)))

    sc.change(-14400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "tf-billing")
    sc.change(P, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "core-pg16-params", "dba-anna")
    sc.alarm("statement-builder-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 3, "GreaterThanThreshold",
             "Statement builder failing")
    sc.alarm("core-pg-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "statement-builder-errors",
                 "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    return sc


# =========================================================================== 10
def s10() -> Scenario:
    sc = Scenario(10, "edge-web-flash-sale", "Storefront errors and slow pages in Singapore; ALB "
                  "5XX alarm.", "ap-southeast-1", 5810, "2026-06-18T12:05:00+00:00")
    U = -2100            # push notification lands
    G = -2000            # blue/green cut-over by CodeDeploy (scheduled)
    lb, cl, svc, db = "app/edge-web/1d7c3f5a9e2b4068", "web", "storefront", "store-pg"
    sc.resource("alb", lb, name="edge-web", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", desired_count=8, launch_type="FARGATE", cpu=2048, memory=4096,
                deployment_controller="CODE_DEPLOY")
    sc.resource("rds", db, engine="postgres", engine_version="16.3", instance_class="db.r6g.2xlarge",
                max_connections=1000, allocated_storage_gb=1500)
    surge = lambda t: ramp(t, U, U + 180)  # noqa: E731
    req = sc.series(lambda t: 4200 * diurnal(sc, t, 12, 0.2) + 15000 * surge(t), integer=True)
    B.alb_metrics(sc, lb, req, sc.series(lambda t: 0.12 + 1.8 * ramp(t, U + 60, U + 300), noise=0.08, digits=4),
                  sc.series(lambda t: 0.5 + 55 * ramp(t, U + 120, U + 300), integer=True),
                  sc.series(lambda t: 0.2 + 260 * ramp(t, U + 120, U + 300), integer=True),
                  [8.0 if t < G else (16.0 if t < G + 300 else 8.0 + 6 * (t >= -1800)) for t in GRID],
                  B.flat(0))
    B.ecs_metrics(sc, cl, svc, sc.series(lambda t: 37 * diurnal(sc, t, 12, 0.2) + 49 * surge(t) - 8 * ramp(t, -1800, -1500), noise=0.05, cap=100),
                  sc.series(lambda t: 44 + 4 * surge(t), noise=0.02))
    B.rds_metrics(sc, db, sc.series(lambda t: 24 + 28 * surge(t), noise=0.07),
                  sc.series(lambda t: 82 + 60 * surge(t), integer=True), sc.series(lambda t: 911.0, noise=0.0002),
                  sc.series(lambda t: 0.0008 + 0.0004 * surge(t), noise=0.1, digits=5), sc.series(lambda t: 31.0, noise=0.01))

    lg = "/ecs/storefront"
    blue = [f"rails/storefront/{B.ecs_task_id(sc)}" for _ in range(3)]
    green = [f"rails/storefront/{B.ecs_task_id(sc)}" for _ in range(3)]
    paths = ["/", "/products/88412", "/cart", "/search?q=shoes", "/products/10233", "/account/orders"]

    def rails_line(t):
        rid = sc.uuid()
        if surge(t) > 0.3 and sc.rng.random() < 0.7:
            path, ref = "/deals/1111-midyear", "utm_source=push&utm_campaign=midyear_flash"
        else:
            path, ref = sc.rng.choice(paths), "-"
        if t >= U + 120 and sc.rng.random() < 0.12:
            return logfmt(sc, t, "error", "request expired in queue", source="rack-timeout", id=rid,
                          wait=f"{sc.rng.randint(15100, 31000)}ms", timeout="15000ms", state="expired", path=path)
        d = sc.rng.uniform(40, 260) * (1 + 4 * ramp(t, U + 60, U + 300) * sc.rng.random())
        return logfmt(sc, t, "info", "request", method="GET", path=path, status=200, duration=f"{d:.2f}",
                      view=f"{d * 0.6:.2f}", db=f"{d * 0.2:.2f}", request_id=rid, remote_ip=sc.ip("58.182"), utm=ref)
    rate = lambda t: 3 + 7 * surge(t)  # noqa: E731
    for st in blue:
        B.emit(sc, lg, st, rate, rails_line, t1=G + 300)
    for st in green:
        sc.log(lg, st, G - 120, logfmt(sc, G - 120, "info", "Puma starting in single mode...", version="6.4.2",
                                       ruby="3.3.4", min_threads=5, max_threads=5, environment="production"))
        B.emit(sc, lg, st, lambda t: rate(t) if t >= G else 0.02, rails_line, t0=G - 110)
    B.emit(sc, lg, blue[0], lambda t: 0.5, lambda t: logfmt(
        sc, t, "warn", "ActionController::RoutingError", error="No route matches [GET] \"/wp-login.php\"",
        remote_ip=sc.ip("45.148")), t1=G + 300)

    u = "codepipeline-web"
    sc.change(G - 180, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup", "storefront-bg", u)
    sc.change(G - 150, "ecs.amazonaws.com", "CreateTaskSet", "AWS::ECS::TaskSet", f"{cl}/{svc}", "AWSCodeDeploy")
    sc.change(G, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
              f"{lb}/4e1b9d7c2a3f5860", "AWSCodeDeploy")
    sc.change(G + 300, "ecs.amazonaws.com", "DeleteTaskSet", "AWS::ECS::TaskSet", f"{cl}/{svc}", "AWSCodeDeploy")
    sc.change(-1800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "application-autoscaling.amazonaws.com")
    sc.alarm("edge-web-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 100,
             "GreaterThanThreshold", "Edge web load balancer 5xx")
    sc.alarm("storefront-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average", 60, 3, 70,
             "GreaterThanThreshold", "Target tracking high CPU")
    sc.expect = {"alarm": "edge-web-elb-5xx",
                 "root_cause": {"category": "traffic_surge", "resource": [lb, "edge-web"]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "RequestCount", "dimensions": {"LoadBalancer": lb}}]}
    return sc
