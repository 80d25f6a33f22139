"""h61-05 (weekend cup fills the JVM heap) and h61-06 (cold cache pins the catalog database)."""
from __future__ import annotations

from .common import GRID, Scenario, bump, diurnal, ramp
from .kit import emit, every, lambda_set, part, put, sampled
from .runtimes import LambdaLogs, mysql, spring


# --------------------------------------------------------------------------- 05
def s05() -> Scenario:
    sc = Scenario(5, "weekend-cup-standings", "League pages intermittently failing with 502/503 "
                  "since the weekend cup opened; ALB 5XX alarm.", "eu-north-1", 6105,
                  "2026-09-19T16:45:00+00:00")
    lb, lbn = "app/leagues-web/91b4e7c2d05a3f86", "leagues-web"
    cl, svc, dec = "leagues-prod", "standings", "chat"
    sc.resource("alb", lb, name=lbn, scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4,
                runtime="java21 (Spring Boot 3.3)", java_opts="-XX:MaxRAMPercentage=80 "
                "-XX:+ExitOnOutOfMemoryError", log_group="/ecs/leagues-standings")
    sc.resource("ecs", f"{cl}/{dec}", launch_type="FARGATE", cpu=512, memory=1024, desired_count=3,
                runtime="java21")
    CUP, OOM, RESET = -3600, -1520, -12600
    period = 470.0

    def load(t):
        return diurnal(sc, t, 17.0, 0.2) * (1 + bump(t, RESET, RESET + 900, 0.8, 120)
                                             + 0.4 * ramp(t, CUP, CUP + 600))

    def mem(t):
        if t < OOM:
            return 54 + 44 * ramp(t, CUP, OOM)
        ph = ((t - OOM) % period) / period
        return 58 + 41 * ph ** 0.8

    def down(t):
        return 1.0 if t >= OOM and ((t - OOM) % period) < 90 else 0.0

    lbd = {"LoadBalancer": lb}
    rc = put(sc, "AWS/ApplicationELB", "RequestCount", lbd, "Count", lambda t: 7000 * load(t),
             integer=True, noise=0.03)
    part(sc, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, rc,
         lambda t: 0.0002 + (0.06 * down(t) + 0.012 if t >= OOM else 0.0))
    part(sc, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lbd, rc,
         lambda t: 0.0005 + (0.01 if t >= OOM else 0.0))
    put(sc, "AWS/ApplicationELB", "TargetResponseTime", lbd, "Seconds",
        lambda t: 0.11 + 0.5 * ramp(t, OOM - 900, OOM) * (0.4 + (mem(t) - 58) / 40), noise=0.1,
        digits=4)
    put(sc, "AWS/ApplicationELB", "UnHealthyHostCount", lbd, "Count",
        lambda t: 1.0 * down(t) + (1.0 if t >= OOM and sc.rng.random() < 0.3 else 0.0), noise=0.0)
    ed = {"ClusterName": cl, "ServiceName": svc}
    put(sc, "AWS/ECS", "MemoryUtilization", ed, "Percent", mem, noise=0.01, cap=99.9)
    put(sc, "AWS/ECS", "CPUUtilization", ed, "Percent",
        lambda t: 31 * load(t) + 25 * ramp(t, OOM - 1200, OOM) * (mem(t) > 88), noise=0.06)
    put(sc, "ECS/ContainerInsights", "RunningTaskCount", ed, "Count",
        lambda t: 4.0 - down(t) - (1.0 if down(t) and sc.rng.random() < 0.4 else 0.0), noise=0.0)
    cd = {"ClusterName": cl, "ServiceName": dec}
    put(sc, "AWS/ECS", "MemoryUtilization", cd, "Percent", lambda t: 61 - 12 * ramp(t, -1560, -1300),
        noise=0.01)
    put(sc, "AWS/ECS", "CPUUtilization", cd, "Percent", lambda t: 22 * load(t), noise=0.06)

    rng, grp, app = sc.rng, "/ecs/leagues-standings", "standings"
    lg_ctl, lg_svc = "c.l.standings.web.StandingsController", "c.l.standings.cache.BracketCache"
    restarts = [OOM + k * period + rng.uniform(-20, 20) for k in range(int(-OOM // period) + 1)]
    for slot in range(4):
        lives, born = [], -10 ** 9
        for k, r in enumerate(restarts):
            if k % 4 == slot or k % 3 == slot:
                lives.append((born, r))
                born = r + rng.uniform(40, 70)
        lives.append((born, 0))
        for b, death in lives:
            stream = f"standings/app/{sc.hexid(32)}"
            start = max(b, -21600)
            if b > -21600:
                for dt, msg in ((0, "Starting StandingsApplication v4.12.1 using Java 21.0.4"),
                                (13.8, "Tomcat started on port 8080 (http) with context path '/'"),
                                (14.2, "Started StandingsApplication in 14.2 seconds")):
                    sc.log(grp, stream, b + dt, spring(sc, b + dt, "INFO", "main",
                                                       "c.l.standings.StandingsApplication", msg, app))

            def line(t, b=b):
                r = rng.random()
                if t >= CUP and r < 0.12:
                    n = int(20000 + 210000 * ramp(t, CUP, OOM) if t < OOM else
                            30000 + 200000 * ramp(t, b, b + period))
                    return spring(sc, t, "INFO", "cache-refresh-1", lg_svc,
                                  f"Loaded bracket weekend-cup-38 into cache: {n} entries "
                                  f"(cache size {int(n * 1.7)})", app)
                if r < 0.2:
                    return spring(sc, t, "WARN", f"http-nio-8080-exec-{rng.randint(1, 200)}",
                                  "c.l.standings.client.AvatarClient",
                                  f"avatar lookup 404 for player {rng.randint(10 ** 6, 10 ** 7)}", app)
                return spring(sc, t, "INFO", f"http-nio-8080-exec-{rng.randint(1, 200)}", lg_ctl,
                              f"GET /api/standings/{rng.choice(['weekend-cup-38', 'league-s12', 'daily'])}"
                              f" 200 {rng.randint(8, 90)}ms", app)
            emit(sc, grp, stream, lambda t: 2.4, line, start=start, end=death)
            if death < 0 and death >= OOM - 5:
                for dt, lvl, th, lgr, msg in (
                        (-95, "WARN", "GC Thread#0", "gc", "Pause Young (G1 Evacuation Pause) "
                         "1571M->1548M(1638M) 1840.512ms"),
                        (-31, "WARN", "GC Thread#0", "gc", "Pause Full (G1 Compaction Pause) "
                         "1637M->1630M(1638M) 4102.771ms"),
                        (-2, "ERROR", "cache-refresh-1", lg_svc, "Bracket refresh failed\n"
                         "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util."
                         "HashMap.resize(HashMap.java:710)\n\tat c.l.standings.cache.BracketCache."
                         "load(BracketCache.java:142)"),
                        (-1, "ERROR", "cache-refresh-1", "jvm", "Terminating due to java.lang."
                         "OutOfMemoryError: Java heap space")):
                    sc.log(grp, stream, death + dt, spring(sc, death + dt, lvl, th, lgr, msg, app))
    sc.change(-1600, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "leagues-chat:87", "github-actions")
    sc.change(-1560, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{dec}",
              "github-actions")
    sc.change(-16300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "github-actions")
    sc.alarm("leagues-web-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lbd, "Sum", 300, 1,
             40, "GreaterThanThreshold", "League web ALB 5XX responses")
    sc.alarm("standings-memory-high", "AWS/ECS", "MemoryUtilization", ed, "Maximum", 300, 1, 90,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "leagues-web-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": ed}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Java/Spring plain)",
                   decoys="chat service deploy 40 s before the first OOM; standings deploy 4.5 h "
                          "earlier; quest-reset traffic peak (1.8x); steady avatar-404 warnings")
    return sc


# --------------------------------------------------------------------------- 06
def s06() -> Scenario:
    sc = Scenario(6, "cold-cache-catalog", "In-game store very slow during the evening; store API "
                  "latency alarm fired.", "ap-south-1", 6106, "2026-10-20T15:30:00+00:00")
    api, fn, db, dec = "store-api", "catalog-read", "shop-mysql-01", "receipt-mailer"
    sc.resource("apigateway", api, stage="live", api_id="w7e2r5t1yb", integration="lambda-proxy")
    sc.resource("lambda", fn, runtime="python3.11", timeout=10, memory_size=512)
    sc.resource("lambda", dec, runtime="python3.11", timeout=30, memory_size=256)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.large",
                max_connections=1000, allocated_storage_gb=400)
    FLUSH, SALE = -1800, -10800

    def load(t):
        return diurnal(sc, t, 15.5, 0.3) * (1 + bump(t, SALE, SALE + 1800, 1.2, 240))

    def hit(t):
        return 0.965 - 0.9 * ramp(t, FLUSH, FLUSH + 60) + 0.22 * ramp(t, FLUSH + 120, 0)

    def sat(t):
        return ramp(t, FLUSH + 30, FLUSH + 200)

    def dur(t):
        return 48 + 3400 * sat(t) * (1 - 0.2 * ramp(t, -900, 0))

    out = lambda_set(sc, fn, lambda t: 5200 * load(t), lambda t: 0.0015 + 0.07 * sat(t), dur,
                     dur_noise=0.1)
    ad = {"ApiName": api}
    cnt = put(sc, "AWS/ApiGateway", "Count", ad, "Count", lambda t: 5200 * load(t), integer=True,
              noise=0.04)
    part(sc, "AWS/ApiGateway", "5XXError", ad, cnt, lambda t: 0.0015 + 0.07 * sat(t))
    part(sc, "AWS/ApiGateway", "4XXError", ad, cnt, lambda t: 0.018)
    put(sc, "AWS/ApiGateway", "Latency", ad, "Milliseconds", lambda t: dur(t) + 28, noise=0.1)
    put(sc, "Storefront", "CatalogCacheHitRate", {"Service": fn}, "Percent",
        lambda t: 100 * hit(t), noise=0.01, cap=100.0)
    rd = {"DBInstanceIdentifier": db}
    put(sc, "AWS/RDS", "CPUUtilization", rd, "Percent",
        lambda t: 19 * load(t) + (99.2 - 19 * load(t)) * sat(t), noise=0.02, cap=100.0)
    put(sc, "AWS/RDS", "ReadIOPS", rd, "Count/Second", lambda t: 380 * load(t) + 8600 * sat(t),
        noise=0.08)
    put(sc, "AWS/RDS", "DatabaseConnections", rd, "Count", lambda t: 55 * load(t) + 190 * sat(t),
        integer=True)
    put(sc, "AWS/RDS", "ReadLatency", rd, "Seconds", lambda t: 0.0008 + 0.021 * sat(t), noise=0.1,
        digits=6)
    put(sc, "AWS/RDS", "FreeStorageSpace", rd, "Bytes", lambda t: 2.61e11 - 1e5 * (t + 21600),
        noise=0.0005, digits=0)
    md = {"FunctionName": dec}
    put(sc, "AWS/Lambda", "Invocations", md, "Count", lambda t: 70 * load(t), integer=True)
    put(sc, "AWS/Lambda", "Errors", md, "Count", lambda t: 0.0, integer=True)

    ll = LambdaLogs(sc, fn, "python3.11", 512, 10, mem_used=(131, 8))
    rng = sc.rng

    def body(ll, t, rid, is_err, cold):
        sku = f"sku_{rng.randint(100000, 999999)}"
        lines = []
        if rng.random() < 0.05:
            lines.append((0.002, ll.fmt(t, rid, "WARNING", f"price missing for {sku} in region IN; "
                                        "using list price")))
        if is_err:
            lines.append((0.003, ll.fmt(t, rid, "INFO", f"cache MISS catalog:{sku}")))
            lines.append((8.1, ll.fmt(t, rid, "ERROR", "catalog query failed: pymysql.err."
                                      "OperationalError: (3024, 'Query execution was interrupted, "
                                      "maximum statement execution time exceeded')")))
            return {"lines": lines, "dur": 8120 + rng.uniform(0, 40)}
        if rng.random() < hit(t):
            lines.append((0.004, ll.fmt(t, rid, "INFO", f"cache HIT catalog:{sku}")))
            return {"lines": lines, "dur": max(6.0, rng.gauss(22, 6))}
        d = max(30.0, rng.gauss(dur(t) * 1.1, dur(t) * 0.3) if sat(t) > 0 else rng.gauss(95, 20))
        lines.append((0.003, ll.fmt(t, rid, "INFO", f"cache MISS catalog:{sku}")))
        lines.append((d / 1000 - 0.005, ll.fmt(t, rid, "INFO", f"loaded {sku} from mysql in "
                                               f"{int(d - 8)}ms; cached ttl=3600")))
        return {"lines": lines, "dur": d}
    si, se = sampled(sc, out["inv"], out["err"], 0.0007, cap=5, err_boost=2)
    ll.run(si, se, body)
    sc.log(f"/aws/lambda/{fn}", ll.envs[-1]["stream"], FLUSH + 4.2, ll.fmt(
        FLUSH + 4.2, sc.uuid(), "WARNING", "redis: connection reset by peer; reconnected to "
        "storefront-cache.x1k9ps.ng.0001.aps1.cache.amazonaws.com:6379 (dbsize=0)"))
    lg = f"/aws/rds/instance/{db}/slowquery"
    emit(sc, lg, db, lambda t: 0.05 + 5 * sat(t), lambda t: (
        f"# Time: {sc.iso(t, 6)}\n# User@Host: catalog[catalog] @  [10.61.{rng.randint(1, 30)}."
        f"{rng.randint(2, 250)}]  Id: {rng.randint(100000, 999999)}\n# Query_time: "
        f"{1.0 + 0.7 * rng.random() + 6 * rng.random() * sat(t):.6f}  Lock_time: 0.000004 Rows_sent: 1  Rows_examined: "
        f"{rng.randint(180000, 420000)}\nSELECT p.*, pr.amount FROM products p JOIN prices pr ON "
        f"pr.sku = p.sku WHERE p.sku = 'sku_{rng.randint(100000, 999999)}' AND pr.region = 'IN';"))
    every(sc, f"/aws/rds/instance/{db}/error", db, 1800, lambda t: mysql(
        sc, t, 0, "Note", "MY-013360", "Plugin sha256_password reported: ''sha256_password' is "
        "deprecated and will be removed in a future release.'"))
    sc.change(-1860, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              dec, "jenkins-release")
    sc.change(-1840, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", dec,
              "jenkins-release")
    sc.change(-19000, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db,
              "backup-orchestrator")
    sc.alarm("store-api-latency", "AWS/ApiGateway", "Latency", ad, "Average", 60, 5, 1500,
             "GreaterThanThreshold", "Store API average latency")
    sc.alarm("shop-mysql-01-cpu", "AWS/RDS", "CPUUtilization", rd, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.alarm("catalog-read-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 600,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "store-api-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": rd}]}
    sc.meta = dict(front="front (API Gateway)", services="API Gateway, Lambda (Python), RDS MySQL",
                   decoys="receipt-mailer deploy 60 s before onset; evening flash-sale peak (2.2x) "
                          "served from a warm cache; steady price-missing warnings")
    return sc
