"""h78-13 agency portal DB storage latency (us-west-2); h78-14 partner API stage throttle lowered (eu-west-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, jline, mysql, nginx, zap

from .kit import (H78, alb_metrics, apigw_metrics, ec2_metrics, lambda_deploy, lambda_metrics, lambda_sample,
                  rds_metrics, times)


def build_13() -> H78:
    sc = H78(13, "agency-portal-db-io",
             "Travel-agent portal timing out and erroring; agentportal ALB 5XX alarm fired.",
             "us-west-2", 7813, "2026-05-27T22:10:00+00:00")
    T0 = -1920
    lb, db = "app/agentportal/5e8c1f0a3d72b946", "agency-db"
    w1, w2 = "i-0e2b7d4c91a3f5086", "i-07d3a1e9c5b2f8064"
    sc.resource("alb", lb, name="agentportal", scheme="internet-facing")
    sc.resource("ec2", w1, name="agent-portal-1", instance_type="m6i.large", log_groups=["/agentportal/nginx", "/agentportal/laravel"])
    sc.resource("ec2", w2, name="agent-portal-2", instance_type="m6i.large", log_groups=["/agentportal/nginx", "/agentportal/laravel"])
    sc.resource("rds", db, engine="mysql", engine_version="8.0.35", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=800, storage_type="gp3")
    sc.resource("lambda", "agency-invoice-mailer", runtime="nodejs20.x", timeout=60, memory_size=512)
    io = lambda t: ramp(t, T0, T0 + 90)
    req = lambda t: 520 * diurnal(sc, t, 21, 0.3)
    alb_metrics(sc, lb, req, lambda t: 0.21 + 4.2 * io(t), lambda t: 0.3 + req(t) * 0.22 * io(t),
                e5=lambda t: 0.05 + req(t) * 0.06 * io(t), healthy=lambda t: 2.0)
    for iid in (w1, w2):
        ec2_metrics(sc, iid, lambda t: 33 * diurnal(sc, t, 21, 0.3) * (1 - 0.45 * io(t)), mem=lambda t: 58.0)
    rds_metrics(sc, db, lambda t: 31 - 17 * io(t), lambda t: 62 + 128 * io(t), lambda t: 412.0,
                mem_gb=lambda t: 9.8, rlat=lambda t: 0.0012 + 0.85 * io(t), wlat=lambda t: 0.0021 + 1.7 * io(t),
                queue=lambda t: 0.5 + 96 * io(t), max_conns=1000)
    dims = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "WriteIOPS", dims, "Count/Second", sc.series(lambda t: 1450 - 1330 * io(t), noise=0.1, digits=2))
    sc.metric("AWS/RDS", "ReadIOPS", dims, "Count/Second", sc.series(lambda t: 2300 - 2050 * io(t), noise=0.1, digits=2))
    lambda_metrics(sc, "agency-invoice-mailer", lambda t: 6.0, lambda t: 0.05, lambda t: 2100.0)
    sc.change(-11200, "codedeploy.amazonaws.com", "CreateDeployment", "AWS::CodeDeploy::DeploymentGroup",
              "agentportal-prod", "codepipeline-release")
    lambda_deploy(sc, T0 - 110, "agency-invoice-mailer")
    sc.change(-15800, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", db, "terraform-ci")
    for iid in (w1, w2):
        for t in times(sc, lambda m: 3.0):
            bad = sc.rng.random() < 0.28 * io(t)
            rt = sc.rng.uniform(5.0, 30.0) if bad else max(0.02, sc.rng.gauss(0.21 + 3.0 * io(t), 0.06 + io(t)))
            st = sc.rng.choice([500, 500, 504]) if bad else 200
            path = sc.rng.choice(["/bookings/search", "/bookings/create", "/invoices", "/dashboard", "/pnr/retrieve"])
            sc.log("/agentportal/nginx", iid, t, nginx(sc, t, sc.ip("10.70"), sc.rng.choice(["GET", "GET", "POST"]), path,
                                                        st, sc.rng.randint(900, 40000), rt,
                                                        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15"))
            if bad:
                msg = sc.rng.choice([
                    "SQLSTATE[HY000]: General error: 1205 Lock wait timeout exceeded; try restarting transaction "
                    "(SQL: update `bookings` set `status` = 'ticketed' where `id` = %d)" % sc.rng.randint(10 ** 6, 10 ** 7),
                    "SQLSTATE[HY000]: General error: 2013 Lost connection to MySQL server during query "
                    "(SQL: select * from `agency_bookings` where `agency_id` = %d)" % sc.rng.randint(100, 999),
                    "SQLSTATE[HY000] [2002] Connection timed out (SQL: select * from `agents` where `id` = %d limit 1)"
                    % sc.rng.randint(1000, 9999)])
                sc.log("/agentportal/laravel", iid, t + rt, f"[{sc.at(t + rt).strftime('%Y-%m-%d %H:%M:%S')}] production.ERROR: "
                       f"{msg} {{\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: HY000))\"}}")
        for t in times(sc, lambda m: 0.9):
            sc.log("/agentportal/laravel", iid, t, f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.WARNING: "
                   "Deprecated: Return type of App\\Support\\FareCollection::offsetGet($key) should be compatible with "
                   "ArrayAccess::offsetGet(mixed $offset): mixed in /var/www/app/Support/FareCollection.php on line 41")
    eg = f"/aws/rds/instance/{db}/error"
    for t in range(-21500, 0, 3600):
        sc.log(eg, db, t, mysql(sc, t, 0, "Note", "MY-010914", "Aborted connection 4411 to db: 'agency' user: 'portal' "
                                "host: '10.70.3.21' (Got timeout reading communication packets).", "Server"))
    for t in times(sc, lambda m: 0.5 * io(m)):
        sc.log(eg, db, t, mysql(sc, t, 0, "Note", "MY-011953", f"page_cleaner: 1000ms intended loop took "
                                f"{sc.rng.randint(18000, 61000)}ms. The settings might not be optimal. (flushed="
                                f"{sc.rng.randint(8, 60)}, during the time.)", "InnoDB"))
    sc.alarm("agentportal-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             20, "GreaterThanThreshold", "Agent portal server errors")
    sc.alarm(f"{db}-cpu-high", "AWS/RDS", "CPUUtilization", dims, "Average", 300, 3, 85, "GreaterThanThreshold")
    sc.alarm(f"{db}-connections", "AWS/RDS", "DatabaseConnections", dims, "Maximum", 300, 2, 800, "GreaterThanThreshold")
    sc.expect = {"alarm": "agentportal-5xx", "root_cause": {"category": "dependency_failure", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "WriteLatency", "dimensions": dims}]}
    sc.meta = dict(
        category="dependency_failure", front="front (ALB on EC2 web tier); origin is the MySQL instance",
        runtime="PHP (Laravel) + nginx on EC2; MySQL error log", services="ALB, EC2, RDS, Lambda",
        decoys="agency-invoice-mailer deploy <2 min before onset; portal CodeDeploy 2.6 h earlier; PHP deprecation "
               "WARNINGs all along; the DB CPU and connection alarms stay OK (CPU actually falls)",
        story="agentportal's target 5XX and latency jump 32 minutes ago. The portal's Laravel logs show lock-wait "
              "timeouts, `Lost connection to MySQL server during query` and connect timeouts against agency-db. On "
              "agency-db, WriteLatency goes from 2 ms to ~1.7 s, ReadLatency to ~0.85 s, DiskQueueDepth to ~95 while "
              "Read/Write IOPS collapse and CPU falls; InnoDB logs `page_cleaner: 1000ms intended loop took ...ms`. "
              "Free storage (412 GB), memory and connections (~190 of 1000) are fine: the database's storage is "
              "degraded, not exhausted. The web instances' CPU falls as they wait.",
        judgement="The DB is the origin but none of its capacity limits is reached (storage, connections, CPU), so "
                  "the table's dependency_failure (timeouts and errors from a downstream dependency that is not "
                  "itself exhausted) fits rather than storage_exhaustion or db_connection_exhaustion.")
    return sc


def build_14() -> H78:
    sc = H78(14, "partner-api-stage-limit",
             "Partners report HTTP 429 on fare queries; partner API 4XX alarm in ALARM.",
             "eu-west-1", 7814, "2026-03-25T14:45:00+00:00")
    T0 = -1980
    api, fn = "partner-fares-api", "partner-fares-handler"
    sc.resource("apigateway", api, stage="live", api_id="q8z2hv5ux1", stage_throttle_rate=50, stage_throttle_burst=100)
    sc.resource("lambda", fn, runtime="provided.al2023", timeout=10, memory_size=512, architecture="arm64")
    sc.resource("lambda", "partner-keys-audit", runtime="python3.12", timeout=60, memory_size=256)
    lim = lambda t: 1.0 if t >= T0 else 0.0
    dem = lambda t: 5600 * diurnal(sc, t, 14, 0.2)
    passed = lambda t: dem(t) if t < T0 else min(dem(t), 3000.0)
    apigw_metrics(sc, api, dem, lambda t: dem(t) * 0.011 + (dem(t) - passed(t)), lambda t: 0.4,
                  lambda t: 48.0 - 10 * lim(t), integ=lambda t: 31.0)
    L = lambda_metrics(sc, fn, lambda t: passed(t) * 0.989, lambda t: 0.3, lambda t: 31.0)
    lambda_metrics(sc, "partner-keys-audit", lambda t: 0.2, lambda t: 0.0, lambda t: 9000.0)
    sc.change(T0 - 75, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", f"{api}/live",
              "marek.zielinski")
    lambda_deploy(sc, T0 - 35, fn, "github-actions-deployer")
    sc.change(-8800, "apigateway.amazonaws.com", "CreateApiKey", "AWS::ApiGateway::ApiKey", "partner-oceanic-2026",
              "marek.zielinski")
    sc.change(-8780, "apigateway.amazonaws.com", "CreateUsagePlanKey", "AWS::ApiGateway::UsagePlanKey",
              "partners-gold", "marek.zielinski")
    ll = LambdaLogs(sc, fn, "provided.al2023", 512, 10, mem_used=(38, 3), retire=(T0 - 35,))

    def body(ll, t, rid, is_err, cold):
        o, d = sc.rng.sample(["DUB", "LHR", "BOS", "JFK", "ORD", "CDG", "FRA", "SFO"], 2)
        ms = max(6.0, sc.rng.gauss(31, 8))
        return {"lines": [(ms / 1000, zap(sc, t + ms / 1000, "info", "fares served", "handler/fares.go:88",
                                          partner=sc.rng.choice(["oceanic", "skyhop", "tripwave", "nordlys"]),
                                          od=f"{o}-{d}", offers=sc.rng.randint(3, 90), ms=round(ms, 1)))],
                "dur": ms}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 2.0), body)
    ag = f"/aws/apigateway/{api}/access-live"
    partners = {p: f"{sc.hexid(10)}" for p in ["oceanic", "skyhop", "tripwave", "nordlys", "alpine"]}
    for t in times(sc, lambda m: 4.0):
        p = sc.rng.choice(sorted(partners))
        thr = t >= T0 and sc.rng.random() < 1 - passed(t) / dem(t)
        bad_key = not thr and sc.rng.random() < 0.011
        st = "429" if thr else ("403" if bad_key else "200")
        sc.log(ag, "live", t, jline({
            "requestId": sc.uuid(), "ip": sc.ip("52.18"), "caller": "-", "apiKeyId": partners[p], "partner": p,
            "requestTime": sc.at(t).strftime("%d/%b/%Y:%H:%M:%S +0000"), "httpMethod": "GET",
            "resourcePath": "/v3/fares", "status": st, "responseLength": {"429": "41", "403": "42"}.get(st, "8812"),
            "errorMessage": {"429": "Too Many Requests", "403": "Forbidden"}.get(st, "-"),
            "integrationLatency": "-" if st != "200" else str(sc.rng.randint(20, 60))}))
    sc.alarm(f"{api}-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 3, 600, "GreaterThanThreshold",
             "Partner API client errors")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-4xx", "root_cause": {"category": "config_change", "resource": [api]},
                 "anomalies": [{"namespace": "AWS/ApiGateway", "name": "4XXError", "dimensions": {"ApiName": api}}]}
    sc.meta = dict(
        category="config_change", front="origin (the API whose stage setting changed)",
        runtime="Go (provided.al2023) Lambda with zap JSON; API Gateway JSON access logs",
        services="API Gateway, Lambda",
        decoys="handler deploy 35 s before onset (closer than the stage update); 403 invalid-key responses at ~1 % "
               "all along; API key / usage-plan changes 1.9 h earlier",
        story="partner-fares-api's 4XXError jumps from ~70 to ~3,800 a minute 33 minutes ago; the access log shows "
              "the new responses are `429 Too Many Requests` across every partner key, without integration latency "
              "(they never reach the backend). 75 s before onset marek.zielinski ran UpdateStage on the live stage, "
              "whose stage throttle is now 50 requests/s; partner-fares-handler's Invocations flatten at ~3,000 a minute "
              "(50/s) while demand stays ~6,700. The handler deploy 35 s before onset is even closer, but the handler "
              "keeps serving every request it receives in ~30 ms with no errors.",
        judgement="Both config_change and throttling fit (429s from a rate limit); the category table's tie-break "
                  "(more specific trigger wins) and the config_change row (a settings change shortly before onset) "
                  "make it config_change, with the API as origin.")
    return sc


BUILDERS = [build_13, build_14]
