"""h78-01 fare fan-out partner timeouts (us-west-2); h78-02 booking DB connection slots (eu-west-1)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.common import GRID, bump, diurnal, ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer, pg, rails

from .kit import (H78, alb_metrics, apigw_metrics, ec2_metrics, ecs_deploy, ecs_metrics, lambda_deploy,
                  lambda_metrics, lambda_sample, rds_metrics, times)

ROUTES = ["SFO-NRT", "LAX-SYD", "SEA-HNL", "SFO-LHR", "PDX-ORD", "LAX-JFK", "SJC-DEN", "SAN-MEX"]


def build_01() -> H78:
    sc = H78(1, "fare-search-fanout-partner-timeouts",
             "Fare search returning 502s for a share of searches; the API 5XX alarm paged on-call.",
             "us-west-2", 7801, "2026-04-14T16:20:00+00:00")
    T0 = -2280
    fn, api = "search-orchestrator", "skyfare-search"
    sc.resource("apigateway", api, stage="prod", api_id="k2v9qd81pe", endpoint="REGIONAL")
    sc.resource("lambda", fn, runtime="nodejs20.x", timeout=12, memory_size=1024,
                reserved_concurrency=400)
    sc.resource("lambda", "fx-rate-sync", runtime="nodejs20.x", timeout=60, memory_size=256)
    sc.resource("lambda", "route-suggest", runtime="python3.12", timeout=6, memory_size=512)
    share = lambda t: 0.46 * ramp(t, T0, T0 + 120)
    inv = lambda t: 175 * diurnal(sc, t, 17, 0.3)
    dur = lambda t: 860 + 2250 * ramp(t, T0, T0 + 120) * 0.55
    L = lambda_metrics(sc, fn, inv, lambda t: 0.25 + inv(t) * share(t), dur)
    apigw_metrics(sc, api, lambda t: inv(t) * 1.03, lambda t: inv(t) * 0.021,
                  lambda t: 0.2 + inv(t) * share(t), lambda t: dur(t) + 24)
    lambda_metrics(sc, "fx-rate-sync", lambda t: 0.2, lambda t: 0.0, lambda t: 2400.0)
    lambda_metrics(sc, "route-suggest", lambda t: 60 + bump(t, -8400, -7200, 240),
                   lambda t: 0.1, lambda t: 120 + bump(t, -8400, -7200, 260))
    lambda_deploy(sc, -15820, fn)
    sc.change(-9060, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "route-suggest", "terraform-ci")
    lambda_deploy(sc, T0 - 210, "fx-rate-sync")
    sc.change(T0 - 150, "apigateway.amazonaws.com", "UpdateUsagePlan", "AWS::ApiGateway::UsagePlan",
              "partners-standard", "maria.okafor")

    partners = ["aerolink-gds", "tripwave", "skyhop-ndc", "pacificair-direct"]
    ll = LambdaLogs(sc, fn, "nodejs20.x", 1024, 12, mem_used=(310, 30))

    def body(ll, t, rid, is_err, cold):
        route = sc.rng.choice(ROUTES)
        lines = [(0.003, ll.fmt(t, rid, "INFO", f"fanout start route={route} pax={sc.rng.randint(1, 4)} "
                                                f"partners={len(partners)} cabin=Y"))]
        slow = 0.0
        for p in partners:
            ms = sc.rng.randint(180, 760)
            if p == "tripwave" and sc.rng.random() < 0.09:
                lines.append((ms / 1000, ll.fmt(t, rid, "WARN", f"partner={p} status=429 rate limited, "
                                                            "dropping from result set")))
            elif p == "aerolink-gds" and is_err:
                ms = 3000 + sc.rng.randint(1, 40)
                lines.append((ms / 1000, ll.fmt(t, rid, "ERROR", f"partner={p} connect ETIMEDOUT "
                                                             f"198.51.100.23:443 after {ms}ms attempt=2/2")))
            elif p == "skyhop-ndc" and sc.rng.random() < 0.2:
                lines.append((ms / 1000, ll.fmt(t, rid, "INFO", f"partner={p} NoFaresFound route={route}")))
            slow = max(slow, ms)
        if is_err:
            err = {"errorType": "UpstreamError",
                   "errorMessage": "required partner aerolink-gds failed: connect ETIMEDOUT 198.51.100.23:443",
                   "code": "ETIMEDOUT",
                   "stack": ["UpstreamError: required partner aerolink-gds failed: connect ETIMEDOUT "
                             "198.51.100.23:443", "    at Fanout.collect (/var/task/src/fanout.js:142:15)",
                             "    at async Promise.allSettled (index 0)",
                             "    at async Runtime.handler (/var/task/src/index.js:38:20)"]}
            lines.append((slow / 1000 + 0.004, ll.fmt(t, rid, "ERROR", "Invoke Error \t" + json.dumps(err, separators=(",", ":")))))
            return {"lines": lines, "dur": slow + 9}
        offers = sc.rng.randint(20, 140)
        lines.append((slow / 1000 + 0.01, ll.fmt(t, rid, "INFO", f"fanout done route={route} offers={offers} "
                                                               f"ms={slow + 31}")))
        return {"lines": lines, "dur": slow + 35}

    ll.run(*lambda_sample(sc, L["inv"], L["err"], 3.0), body)
    fx = LambdaLogs(sc, "fx-rate-sync", "nodejs20.x", 256, 60, epochs=((-10 ** 9, "$LATEST"),),
                    retire=(T0 - 210,), mem_used=(92, 6))

    def fx_body(ll, t, rid, is_err, cold):
        return {"lines": [(0.2, ll.fmt(t, rid, "INFO", f"synced {sc.rng.randint(160, 171)} rates base=USD "
                                                     "source=ecb-mirror stale=0"))],
                "dur": sc.rng.uniform(1900, 2800)}

    fx.run({t: 1 for t in GRID if t % 300 == 0}, {}, fx_body)
    sc.alarm(f"{api}-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Fare search API server errors")
    sc.alarm(f"{fn}-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 25,
             "GreaterThanThreshold")
    sc.alarm("fx-rate-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": "fx-rate-sync"}, "Sum",
             300, 1, 0, "GreaterThanThreshold")
    sc.alarm("route-suggest-p-duration", "AWS/Lambda", "Duration", {"FunctionName": "route-suggest"},
             "Average", 300, 2, 1500, "GreaterThanThreshold")
    sc.expect = {"alarm": f"{api}-5xx", "root_cause": {"category": "dependency_failure", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        category="dependency_failure", front="front (API Gateway); origin is the fan-out function's "
        "call to an external partner", runtime="Node.js 20 Lambda", services="API Gateway, Lambda",
        decoys="fx-rate-sync deploy 3.5 min before onset; usage-plan edit 2.5 min before; tripwave 429 "
               "WARNs all six hours; route-suggest latency bump 2 h earlier",
        story="Searches through skyfare-search fan out from search-orchestrator to four partner "
              "APIs. From about 38 minutes ago 46 % of invocations end in `UpstreamError: required partner "
              "aerolink-gds failed: connect ETIMEDOUT 198.51.100.23:443` after 3 s attempts, and Duration "
              "rises with them; the other partners answer in well under a second. The tripwave 429 WARNs are "
              "at the same ~9 % rate for all six hours. The fx-rate-sync deploy and the usage-plan edit came "
              "minutes before onset, but fx-rate-sync keeps syncing cleanly and nothing in the errors names "
              "rates or quotas. The partner endpoint is outside the account, so the origin resource is "
              "the function whose dependency call fails.",
        judgement="The failing dependency (aerolink-gds) is an external HTTPS endpoint, not a resource in "
                  "the account; the label names the in-account resource where the dependency failure "
                  "originates, search-orchestrator, not the API whose alarm fired.")
    return sc


def build_02() -> H78:
    sc = H78(2, "booking-db-connection-slots",
             "Booking pages intermittently failing with 500s; the load balancer target-5XX alarm fired.",
             "eu-west-1", 7802, "2026-05-06T10:05:00+00:00")
    T0 = -1980
    lb = "app/bkweb-eu/7f3a0c21d94be615"
    db, recon = "bkpg-eu-main", "i-0c4e91a7d20b38f65"
    sc.resource("alb", lb, name="bkweb-eu", scheme="internet-facing")
    sc.resource("ecs", "bookings/rails-web", launch_type="FARGATE", desired_count=3, cpu=1024, memory=2048)
    sc.resource("ecs", "bookings/mailer", launch_type="FARGATE", desired_count=1)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=300, allocated_storage_gb=400)
    sc.resource("ec2", recon, name="ledger-recon-1", instance_type="t3.medium")
    LEAK0 = -12600
    conns = lambda t: min(297.0, 138 + 12 * diurnal(sc, t, 11, 0.3) + max(0.0, t - LEAK0) * 150 / (T0 - LEAK0))
    full = lambda t: ramp(t, T0 - 60, T0 + 60)
    req = lambda t: 420 * diurnal(sc, t, 11, 0.3)
    alb_metrics(sc, lb, req, lambda t: 0.19 + 0.9 * full(t), lambda t: 0.3 + req(t) * 0.31 * full(t))
    ecs_metrics(sc, "bookings", "rails-web", lambda t: 34 * diurnal(sc, t, 11, 0.3), lambda t: 57.0)
    ecs_metrics(sc, "bookings", "mailer", lambda t: 12 + bump(t, T0 - 290, T0 - 200, 30, 60),
                lambda t: 31.0, tasks=lambda t: 1.0)
    rds_metrics(sc, db, lambda t: 27 + 5 * full(t), conns, lambda t: 231.0 - (t + 21600) / 21600 * 0.4,
                rlat=lambda t: 0.0009, max_conns=297)
    ec2_metrics(sc, recon, lambda t: 6 + 4 * (t > LEAK0))
    ecs_deploy(sc, -9040, "bookings/rails-web", "rails-web")
    ecs_deploy(sc, T0 - 300, "bookings/mailer", "mailer")
    sc.change(-14400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", db, "aws-backup")

    tasks = [sc.hexid(32) for _ in range(3)]
    paths = ["/bookings/{}", "/bookings/{}/seats", "/api/holds", "/search/results", "/account/trips"]

    def rid():
        return sc.uuid()

    for t in times(sc, lambda m: 4.0):
        task = sc.rng.choice(tasks)
        g, s = "/ecs/rails-web", f"ecs/web/{task}"
        r = rid()
        path = sc.rng.choice(paths).format("BK" + sc.hexid(5).upper())
        ip = sc.ip("10.20")
        sc.log(g, s, t, rails(sc, t, "INFO", f'Started GET "{path}" for {ip} at '
                                            f'{sc.at(t).strftime("%Y-%m-%d %H:%M:%S")} +0000', r))
        if sc.rng.random() < 0.31 * full(t):
            sc.log(g, s, t + 0.02, rails(sc, t + 0.02, "ERROR",
                   f'ActiveRecord::ConnectionNotEstablished (connection to server at "{db}.c8w1qx0yfk2n.'
                   f'eu-west-1.rds.amazonaws.com" (10.20.7.41), port 5432 failed: FATAL:  remaining connection '
                   'slots are reserved for non-replication superuser connections', r))
            sc.log(g, s, t + 0.03, rails(sc, t + 0.03, "INFO", f"Completed 500 Internal Server Error in "
                                                               f"{sc.rng.randint(18, 60)}ms", r))
        else:
            ms = sc.rng.randint(40, 220)
            sc.log(g, s, t + ms / 1000, rails(sc, t + ms / 1000, "INFO", f"Completed 200 OK in {ms}ms "
                   f"(Views: {ms // 3}.1ms | ActiveRecord: {ms // 2}.4ms | Allocations: {sc.rng.randint(9000, 40000)})", r))
    for t in times(sc, lambda m: 0.9):
        task = sc.rng.choice(tasks)
        r = rid()
        sc.log("/ecs/rails-web", f"ecs/web/{task}", t, rails(sc, t, "FATAL",
               f'ActionController::RoutingError (No route matches [GET] "/{sc.rng.choice(["wp-login.php", ".env", "xmlrpc.php"])}"):', r))
    pgg, pgs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    for t in range(-21580, 0, 300):
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"checkpoint complete: wrote {sc.rng.randint(900, 4000)} buffers; "
                                            "0 WAL file(s) added, 0 removed, 1 recycled", pid=412))
    for t in times(sc, lambda m: 0.7 if m > LEAK0 else 0.0):
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", "connection authorized: user=recon_job database=bookings "
                                           "application_name=ledger-recon SSL enabled", "10.20.9.17(4" +
                               str(sc.rng.randint(1000, 9999)) + ")", "recon_job", "bookings"))
    for t in times(sc, lambda m: 1.5):
        sess = f"{sc.rng.randint(0, 0)}:{sc.rng.randint(0, 4):02d}:{sc.rng.randint(0, 59):02d}.{sc.rng.randint(100, 999)}"
        host, port = f"10.20.{sc.rng.randint(3, 6)}.{sc.rng.randint(10, 200)}", sc.rng.randint(40000, 60999)
        sc.log(pgg, pgs, t, pg(sc, t, "LOG", f"disconnection: session time: {sess} user=rails_app database=bookings "
                                           f"host={host} port={port}", f"{host}({port})", "rails_app", "bookings"))
    for t in times(sc, lambda m: 5.0 * full(m)):
        sc.log(pgg, pgs, t, pg(sc, t, "FATAL", "remaining connection slots are reserved for non-replication "
                                             "superuser connections", f"10.20.{sc.rng.randint(3, 6)}.{sc.rng.randint(10, 200)}(5"
                               f"{sc.rng.randint(1000, 9999)})", "rails_app", "bookings"))
    lf = logfmt_writer()
    opened = 0
    for t in range(LEAK0, 0, 240):
        opened += 2 if t < T0 else 0
        tt = t + sc.rng.uniform(0, 30)
        sc.log("/ledger/recon", recon, tt, lf(sc, tt, "info", "partition reconciled",
               partition=f"fx_settle_{(t // 240) % 97:03d}", rows=sc.rng.randint(2000, 9000),
               open_tx=min(opened + 40, 159), pool="pgx"))
        if t >= T0:
            sc.log("/ledger/recon", recon, t + 31, lf(sc, t + 31, "warn", "acquire conn failed, retrying",
                   err="FATAL: remaining connection slots are reserved for non-replication superuser connections (SQLSTATE 53300)"))
    sc.alarm("bkweb-eu-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 25, "GreaterThanThreshold", "Booking web 5XX from targets")
    sc.alarm(f"{db}-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 300, 2, 450, "GreaterThanThreshold", "Set when the instance was db.r6g.2xlarge")
    sc.alarm(f"{db}-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "bkweb-eu-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": db}}]}
    sc.meta = dict(
        category="db_connection_exhaustion", front="front (ALB); origin is the Postgres instance",
        runtime="Ruby on Rails on ECS; Go logfmt batch on EC2", services="ALB, ECS, RDS, EC2",
        decoys="mailer deploy 5 min before onset; rails-web deploy 2 h earlier; FATAL RoutingError "
               "bot noise all along; the DB connections alarm is OK (threshold 450 left from a bigger class)",
        story="bkweb-eu starts returning target 500s 33 minutes ago. rails-web logs "
              "`FATAL: remaining connection slots are reserved for non-replication superuser connections` "
              "and Postgres logs the same FATAL. DatabaseConnections on bkpg-eu-main has climbed linearly for "
              "3.5 hours, since ledger-recon-1 started opening `recon_job` sessions that it never closes "
              "(connection authorized without matching disconnections), and sits at 297 of max_connections 300. "
              "The connections alarm stays OK only because its threshold (450) was set for the old "
              "instance class. The mailer deploy 5 minutes before onset touches another service with no DB errors.",
        judgement="The leaking client is ledger-recon-1, but the exhausted resource (and the one the format's "
                  "own example labels) is the database; the label is bkpg-eu-main.")
    return sc


BUILDERS = [build_01, build_02]
