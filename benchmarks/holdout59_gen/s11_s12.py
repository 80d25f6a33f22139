"""h59-11 (a rolling deploy breaks one route) and h59-12 (one partner's key floods one route)."""
from __future__ import annotations

from . import kit
from .common import GRID, Scenario, bump, diurnal, ramp, step
from .runtimes import LambdaLogs, jline, spring


# =========================================================================== h59-11
def s11() -> Scenario:
    sc = Scenario(11, "billing-nordic-5xx", "Billing portal 5xx alarm; customers report that "
                  "downloading a statement fails, everything else works.", "eu-north-1", 5911,
                  "2026-01-27T09:30:00")
    lb = "app/billing-nordic/0c1d2e3f4a5b6c7d"
    cluster, svc, db, rep = "nordic-prod", "statement-svc", "pg-billing", "nordic-reporting-db"
    deploy = -2880
    sc.resource("alb", lb, name="billing-nordic", scheme="internet-facing")
    sc.resource("ecs", f"{cluster}/{svc}", launch_type="FARGATE", desired_count=6, cpu=2048,
                memory=4096, image="statement-svc:4.22.0", previous_image="statement-svc:4.21.3")
    sc.resource("rds", db, engine="postgres", engine_version="16.4",
                instance_class="db.r6g.xlarge", max_connections=1600, allocated_storage_gb=400)
    sc.resource("rds", rep, engine="postgres", engine_version="16.4",
                instance_class="db.m6g.large", max_connections=800, allocated_storage_gb=1000)
    new = lambda t: ramp(t, deploy + 60, deploy + 280)
    load = lambda t: 1400 * diurnal(sc, t, 10.0, 0.3)
    req = sc.series(load, integer=True, noise=0.03)
    t5 = sc.series(lambda t: 1.0 + 0.06 * load(t) * new(t), integer=True, noise=0.05)
    kit.alb_metrics(sc, lb, req, t5, sc.series(lambda t: 0.21, noise=0.07),
                    t4xx=sc.series(lambda t: 0.02 * load(t), integer=True),
                    healthy=sc.series(lambda t: 6 + 3 * bump(t, deploy + 60, deploy + 240, 1, 30),
                                      integer=True, noise=0.0), unhealthy=[0.0] * len(GRID))
    kit.ecs_metrics(sc, cluster, svc, sc.series(lambda t: 34 + 20 * bump(t, deploy + 60,
                                                                         deploy + 200, 1, 30),
                                                noise=0.06),
                    sc.series(lambda t: 58 - 12 * bump(t, deploy + 60, deploy + 600, 1, 60),
                              noise=0.02),
                    sc.series(lambda t: 6 + 3 * bump(t, deploy + 60, deploy + 240, 1, 30),
                              integer=True, noise=0.0))
    for d, c in ((db, 44.0), (rep, 18.0)):
        kit.flat_rds(sc, d, lambda t, c=c: c * diurnal(sc, t, 10.0, 0.2), lambda t: 120, 400,
                     150, 12.0)

    # ---------------------------------------------------------------- logs
    grp = f"/ecs/{svc}"
    routes = [(30, "GET", "/api/v2/invoices"), (25, "GET", "/api/v2/statements"),
              (20, "GET", "/api/v2/accounts/{id}"), (15, "POST", "/api/v2/payments"),
              (6, "GET", "/api/v2/statements/{id}/pdf"), (4, "GET", "/api/v2/usage")]
    for gen in range(2):
        for k in range(3):
            task = sc.hexid(32)
            a, b = (-14400, deploy + 240 + 40 * k) if gen == 0 else (deploy + 70 + 40 * k, 0)
            stream = f"statement-svc/app/{task}"
            L = lambda t, lvl, th, lg, msg: spring(sc, t, lvl, th, lg, msg, "statement-svc")
            if gen == 1:
                for dt, lg, msg in (
                        (0, "c.n.billing.StatementApplication", "Starting StatementApplication "
                         "v4.22.0 using Java 21.0.5 with PID 1"),
                        (4.1, "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start "
                         f"completed. jdbcUrl=jdbc:postgresql://{db}.cx1n2b3v4m5q.eu-north-1.rds"
                         ".amazonaws.com:5432/billing"),
                        (6.8, "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port "
                         "8080 (http) with context path '/'"),
                        (7.0, "c.n.billing.StatementApplication", "Started StatementApplication "
                         "in 7.412 seconds (process running for 8.03)")):
                    sc.log(grp, stream, a + dt, L(a + dt, "INFO", "main", lg, msg))
            else:
                sc.log(grp, stream, b - 1, L(b - 1, "INFO", "SpringApplicationShutdownHook",
                                             "o.s.b.w.e.tomcat.GracefulShutdown",
                                             "Commencing graceful shutdown. Waiting for active "
                                             "requests to complete"))

            def req_line(t, gen=gen):
                m, path = kit.pick(sc, [(w, (m, p)) for w, m, p in routes])
                sid = f"st_{sc.rng.randint(10 ** 6, 10 ** 7)}"
                th = f"http-nio-8080-exec-{sc.rng.randint(1, 40)}"
                if gen == 1 and path.endswith("/pdf"):
                    return L(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                             "Servlet.service() for servlet [dispatcherServlet] in context with "
                             "path [] threw exception [Handler dispatch failed: java.lang."
                             "NoClassDefFoundError: org/apache/fontbox/ttf/TrueTypeFont] with "
                             "root cause\njava.lang.ClassNotFoundException: org.apache.fontbox."
                             "ttf.TrueTypeFont\n\tat java.base/jdk.internal.loader.BuiltinClass"
                             "Loader.loadClass(Unknown Source)\n\tat org.apache.pdfbox.pdmodel."
                             "font.PDType0Font.load(PDType0Font.java:81)\n\tat c.n.billing.pdf."
                             "StatementRenderer.render(StatementRenderer.java:112)")
                return L(t, "INFO", th, "c.n.billing.web.AccessLog",
                         f"{m} {path.replace('{id}', sid)} 200 {sc.rng.randint(20, 400)}ms")
            kit.events(sc, grp, stream, lambda t: 2.5, req_line, start=a, end=b)
            kit.events(sc, grp, stream, lambda t: 0.2, lambda t: L(
                t, "ERROR", f"http-nio-8080-exec-{sc.rng.randint(1, 40)}",
                "c.n.billing.web.ErrorAdvice", f"Statement not found: st_"
                f"{sc.rng.randint(10 ** 6, 10 ** 7)} (account a_{sc.rng.randint(1000, 9999)})"),
                start=a, end=b)
            kit.events(sc, grp, stream, lambda t: 0.04, lambda t: L(
                t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta="
                f"{sc.rng.randint(1, 2)}m{sc.rng.randint(1, 59)}s)."), start=a, end=b)

    sc.alarm("billing-nordic-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lb}, "Sum", 60, 3, 20, "GreaterThanThreshold", "Billing portal 5xx")
    sc.alarm("billing-nordic-latency", "AWS/ApplicationELB", "TargetResponseTime",
             {"LoadBalancer": lb}, "Average", 60, 5, 1.0, "GreaterThanThreshold")
    sc.alarm("nordic-reporting-db-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": rep},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition",
              "AWS::ECS::TaskDefinition", svc, "github-actions-deploy")
    sc.change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service",
              f"{cluster}/{svc}", "github-actions-deploy")
    sc.change(-2840, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", rep,
              "dba-ingrid")
    kit.check_alarm(sc, "billing-nordic-5xx", latest=deploy + 600, earliest=deploy)
    sc.expect = {"alarm": "billing-nordic-5xx",
                 "root_cause": {"category": "bad_deployment", "resource": [f"{cluster}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB",
                                "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    return sc


# =========================================================================== h59-12
def s12() -> Scenario:
    sc = Scenario(12, "geo-lookup-latency", "Geo lookup API latency alarm; checkout address "
                  "validation feels slow.", "ap-south-1", 5912, "2026-12-08T07:45:00")
    api, fn, admin, warm = "geo-lookup-api", "geo-resolve", "geo-admin-api", "tile-warm"
    s0 = -2100
    sc.resource("apigateway", api, rest_api_id="t6y1u3i9op", stage="live", usage_plans=4)
    sc.resource("apigateway", admin, rest_api_id="p0o9i8u7yt", stage="live")
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=1024,
                reserved_concurrency=None)
    sc.resource("lambda", warm, runtime="provided.al2023", timeout=300, memory_size=512)
    base = lambda t: 220 * diurnal(sc, t, 8.0, 0.3)
    surge = lambda t: 1700 * ramp(t, s0, s0 + 300)
    load = lambda t: base(t) + surge(t)
    frac_s = lambda t: surge(t) / load(t)
    fdur = lambda t: 28 + 260 * frac_s(t)
    inv = sc.series(load, integer=True, noise=0.03)
    dur = sc.series(fdur, noise=0.06)
    kit.lambda_metrics(sc, fn, inv, [0.0] * len(GRID), dur,
                       conc=sc.series(lambda t: 1 + load(t) * fdur(t) / 60000 * 1.6, integer=True))
    e4 = sc.series(lambda t: 5.0, integer=True)
    kit.apigw_metrics(sc, api, [a + b for a, b in zip(inv, e4)], e4, [0.0] * len(GRID),
                      sc.series(lambda t: fdur(t) + 32 + 90 * frac_s(t), noise=0.07),
                      sc.series(lambda t: fdur(t) + 24 + 90 * frac_s(t), noise=0.07))
    kit.apigw_metrics(sc, admin, sc.series(lambda t: 6.0, integer=True), [0.0] * len(GRID),
                      [0.0] * len(GRID), sc.series(lambda t: 45.0, noise=0.1))
    winv = sc.series(lambda t: 40 * bump(t, -9300, -8700, 1.0, 60) + (1 if int(t) % 900 == 0
                                                                      else 0), integer=True)
    kit.lambda_metrics(sc, warm, winv, [0.0] * len(GRID), sc.series(
        lambda t: 21000.0, noise=0.1))

    # ---------------------------------------------------------------- logs
    keys = {"swiftkart": "k7c1q9", "bharat-mart": "a2m4d8", "zaika-eats": "r5t3e1",
            "checkout-web": "w9x2z6"}
    acc = f"/aws/apigateway/{api}/access"

    def access(t):
        partner = "swiftkart" if sc.rng.random() < 0.12 + 0.88 * frac_s(t) else \
            sc.rng.choice(["bharat-mart", "zaika-eats", "checkout-web"])
        heavy = partner == "swiftkart" and t >= s0
        lat = int(max(8, sc.rng.gauss(fdur(t) + 32 + (250 if heavy else 0), 30)))
        ip = f"{sc.rng.choice(['49.36', '103.21', '152.58'])}.{sc.rng.randint(1, 254)}"
        return jline({"requestId": sc.uuid(), "ip": f"{ip}.{sc.rng.randint(1, 254)}",
                      "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"),
                      "httpMethod": "GET", "resourcePath": "/v1/resolve", "status": "200",
                      "apiKeyId": keys[partner], "responseLength": sc.rng.randint(300, 900),
                      "responseLatency": lat, "integrationLatency": lat - 9})
    kit.events(sc, acc, "live", lambda t: load(t) * 0.006, access)
    kit.events(sc, acc, "live", lambda t: 5.0 * 0.2, lambda t: jline({
        "requestId": sc.uuid(), "ip": f"45.{sc.rng.randint(1, 254)}.{sc.rng.randint(1, 254)}.9",
        "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "GET",
        "resourcePath": "/v1/resolve", "status": "403", "apiKeyId": "-", "responseLength": 42,
        "responseLatency": 3, "integrationLatency": "-"}))
    ll = LambdaLogs(sc, fn, "provided.al2023", 1024, 10, init_ms=(1450, 180), mem_used=(412, 12))

    def body(ll, t, rid, e, cold):
        miss = sc.rng.random() < 0.05 + 0.8 * frac_s(t)
        d = sc.rng.gauss(300 if miss else 22, 40 if miss else 5)
        line = {"time": sc.iso(t + d / 1000), "level": "WARN" if miss else "INFO", "msg":
                "tile cache miss, loaded from s3" if miss else "resolved", "request_id": rid,
                "h3": f"8{sc.hexid(14)}", "ms": round(d, 1)}
        init = [(0.01, jline({"time": sc.iso(t - 1.2), "level": "INFO", "msg": "index loaded",
                              "tiles": 18432, "bytes": 188743680}))] if cold else []
        return {"dur": d, "lines": [(d / 1000, jline(line))], "init_lines": init}
    li, le = kit.sample_invocations(sc, inv, [0.0] * len(GRID), 0.004)
    ll.run(li, le, body)

    sc.alarm("geo-lookup-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": api}, "Average",
             60, 5, 250, "GreaterThanThreshold", "Geo lookup latency")
    sc.alarm("geo-lookup-api-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 300, 1,
             60, "GreaterThanThreshold")
    sc.change(-2280, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", admin,
              "ops-rahul")
    sc.change(-20100, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", fn, "jenkins-geo")
    kit.check_alarm(sc, "geo-lookup-api-latency", latest=s0 + 900, earliest=s0)
    sc.expect = {"alarm": "geo-lookup-api-latency",
                 "root_cause": {"category": "traffic_surge", "resource": [api, fn]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "Count",
                                "dimensions": {"ApiName": api}}]}
    return sc
