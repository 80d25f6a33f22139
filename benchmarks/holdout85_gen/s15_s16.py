"""h85-15 (us-east-1, ALB listener rule pointed at an empty target group) and h85-16 (sa-east-1,
ad-hoc analytics pin the geo Postgres CPU under a Node Lambda)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import LambdaLogs, nginx, pg

from .kit import (H85, alb_metrics, bump, ct, ec2_metrics, emit, lambda_deploy, lambda_metrics,
                  periodic, ramp, rds_metrics, sample, step)


def build_15() -> H85:
    sc = H85(15, "driver-portal-503",
             "Driver portal and app show 'Service unavailable' for documents and payouts; ELB 5XX alarm "
             "on the driver portal load balancer.",
             "us-east-1", 8515, "2026-02-24T14:05:00+00:00", {
                 "front": "origin (the ALB's own rule)", "runtime": "Node.js (winston) + nginx access log on EC2",
                 "decoys": "CodeDeploy release to the target instances 7 min before onset; pre-existing "
                           "401 jwt-expired errors; CPU restart blips",
             })
    lb = "app/driver-portal/2b3c4d5e6f7a8b9c"
    a, b = "i-0f1e2d3c4b5a69788", "i-0a2b4c6d8e0f13579"
    sc.resource("alb", lb, name="driver-portal", scheme="internet-facing",
                listener_rules=["/api/v2/* -> drv-api-v2", "/api/v1/* -> drv-api-v1", "default -> portal-web"])
    for iid, nm in ((a, "portal-api-1"), (b, "portal-api-2")):
        sc.resource("ec2", iid, name=nm, instance_type="c7i.large",
                    log_groups=["/driver-portal/nginx", "/driver-portal/app"])
    change, deploy = -1980, -2400
    sc.meta["onset"] = change

    def req(t):
        return 2600 * (1 + 0.2 * ramp(t, -21600, -6000))

    v2 = 0.58

    def cut(t):
        return step(t, change + 15, 0, 1)

    alb_metrics(sc, lb, req, t5=0.6, e5=lambda t: 0.3 + req(t) * v2 * cut(t), rt=lambda t: 0.095 - 0.02 * cut(t),
                healthy=2, t4=lambda t: req(t) * 0.02 * (1 - v2 * cut(t)))
    for iid, off in ((a, 0), (b, 95)):
        ec2_metrics(sc, iid, cpu=lambda t, o=off: (29 + 4 * ramp(t, -21600, -6000)) * (1 - 0.5 * cut(t))
                    + bump(t, deploy + o, deploy + o + 60, 35, 30),
                    net_in=lambda t: 9e6 * req(t) / 2600 * (1 - v2 * cut(t)), mem=lambda t: 48 + 0 * t, disk=28.0)

    rng = sc.rng
    v2_paths = ["/api/v2/payouts/summary", "/api/v2/documents", "/api/v2/documents/upload-url", "/api/v2/vehicle"]
    v1_paths = ["/api/v1/session", "/api/v1/profile", "/portal/dashboard", "/portal/assets/app.js"]

    def winston(t, level, msg, **meta):
        return f"{sc.iso(t)} {level}: {msg}" + (f" {json.dumps(meta, separators=(',', ':'))}" if meta else "")

    for iid in (a, b):
        def access(t):
            if rng.random() < v2 * (1 - cut(t)) / (1 - v2 * cut(t)):
                p = rng.choice(v2_paths)
            else:
                p = rng.choice(v1_paths)
            st = 401 if rng.random() < 0.02 else 200
            return nginx(sc, t, sc.ip("10.44"), "POST" if "upload" in p else "GET", p, st,
                         rng.randint(300, 9000) if st == 200 else 61, rng.uniform(0.02, 0.2),
                         ua=rng.choice(["RidelaneDriver/7.12 (Android 14)", "RidelaneDriver/7.11 (iOS 17.2)",
                                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/121.0"]))

        emit(sc, "/driver-portal/nginx", iid, lambda t: 4.0 * req(t) / 2600 * (1 - v2 * cut(t)), access)
        emit(sc, "/driver-portal/app", iid, lambda t: 0.7, lambda t: winston(
            t, "error", "auth failed: jwt expired", path=rng.choice(v1_paths + v2_paths), status=401))
        emit(sc, "/driver-portal/app", iid, lambda t: 1.2 * (1 - cut(t)), lambda t: winston(
            t, "info", "payout summary served", driverId=f"d_{rng.randint(10 ** 6, 10 ** 7)}",
            weeks=rng.randint(1, 8), ms=rng.randint(20, 140)))
        emit(sc, "/driver-portal/app", iid, lambda t: 1.0, lambda t: winston(
            t, "info", "session refreshed", driverId=f"d_{rng.randint(10 ** 6, 10 ** 7)}"))
        ts = deploy + (40 if iid == a else 135)
        sc.log("/driver-portal/app", iid, ts, winston(ts, "info", "portal-api 5.6.0 listening on :3000",
                                                      node="v20.11.1", pid=rng.randint(3000, 9000)))

    ct(sc, deploy, "codedeploy", "portal-api-prod", "jenkins-release")
    ct(sc, change, "elb_rule", "driver-portal/7d1e2f3a4b5c6d7e/rule-api-v2", "nate.ellis")
    ct(sc, -15800, "elb_tg", "drv-api-canary/3e4f5a6b7c8d9e0f", "nate.ellis")

    sc.alarm("driver-portal-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 50, "GreaterThanThreshold", "Driver portal ALB-generated 5XX")
    sc.alarm("portal-api-1-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 60, 1, 60,
             "GreaterThanThreshold")
    sc.expect_("driver-portal-elb-5xx", "config_change", [lb, "driver-portal"],
               [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        f"{-change // 60} min ago `nate.ellis` modified the `/api/v2/*` listener rule of `driver-portal` "
        f"(ModifyRule); from the next minute ELB-generated 5XX equal ~58 % of requests while target 5XX stays "
        f"at zero, RequestCount is unchanged, and both instances' nginx logs lose every `/api/v2/...` "
        f"request (their NetworkIn and CPU halve) - the traffic is being forwarded to a target group with no "
        f"healthy targets (`drv-api-canary`, created four hours earlier). A CodeDeploy release to the same "
        f"instances seven minutes before the rule change is the lazy answer, but the instances served "
        f"v2 traffic normally for those seven minutes and nothing they log changes. The `jwt expired` "
        f"401s are steady all day.")
    sc.meta["judgement"] = (
        "Both a deployment and a configuration change precede onset; the evidence (ELB-generated 503s, "
        "v2 requests vanishing from the targets) points to the rule, and the tie-break prefers the config "
        "change anyway. The origin is the load balancer whose rule changed.")
    return sc


def build_16() -> H85:
    sc = H85(16, "nearby-drivers-errors",
             "Rider app map shows no nearby cars in Sao Paulo; errors alarm on the nearby-drivers function.",
             "sa-east-1", 8516, "2026-03-09T18:55:00+00:00", {
                 "front": "front (caller Lambda -> RDS)", "runtime": "Node.js 20 (Lambda plain text), Postgres log",
                 "decoys": "deploy of another function after the heavy queries began but before errors; "
                           "pre-existing duplicate-key errors and slow-query warnings",
             })
    fn, other, db = "nearby-drivers", "surge-broadcast", "geo-pg-sa"
    sc.resource("lambda", fn, runtime="nodejs20.x", memory_size=512, timeout=6,
                environment_keys=["PGHOST", "PG_STATEMENT_TIMEOUT_MS"])
    sc.resource("lambda", other, runtime="nodejs20.x", memory_size=256, timeout=15)
    sc.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
                max_connections=1000, allocated_storage_gb=1000)
    bi, onset = -2760, -2520
    sc.meta["onset"] = onset

    def hot(t):
        return ramp(t, bi, onset)

    def inv(t):
        return 210 * (1 + 0.35 * ramp(t, -14000, -1200))

    def fail(t):
        return 0.33 * ramp(t, onset, onset + 240)

    lm = lambda_metrics(sc, fn, inv, err=lambda t: 0.1 + inv(t) * fail(t),
                        dur=lambda t: 120 + 2600 * ramp(t, onset - 60, onset + 240))
    lambda_metrics(sc, other, inv=lambda t: 4.0, dur=300.0)
    rds_metrics(sc, db, cpu=lambda t: 38 + 61 * hot(t), conns=lambda t: 182 + 130 * ramp(t, onset - 60, onset + 240),
                free_gb=lambda t: 401 + t / 21600 * 2, mem_gb=lambda t: 11.5 - 1.2 * hot(t),
                rlat=lambda t: 0.0009 + 0.006 * hot(t), wlat=0.0016)

    rng = sc.rng
    ll = LambdaLogs(sc, fn, "nodejs20.x", 512, 6, mem_used=(104, 8))

    def body(ll, t, rid, is_err, cold):
        lines = []
        cell = f"88a8{sc.hexid(6)}fffff"
        if is_err and t >= onset:
            d = rng.uniform(3005, 3080)
            err = {"errorType": "error", "errorMessage": "canceling statement due to statement timeout",
                   "code": "57014", "severity": "ERROR",
                   "stack": ["error: canceling statement due to statement timeout",
                             "    at /var/task/node_modules/pg/lib/client.js:526:17",
                             "    at async findNearby (/var/task/dist/nearby.js:33:20)",
                             "    at async Runtime.handler (/var/task/dist/index.js:14:18)"]}
            lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "error", "Invoke Error \t" + json.dumps(err))))
            return {"lines": lines, "dur": d, "status": "error", "error_type": "error"}
        base = 120 + 2600 * ramp(t, onset - 60, onset + 240)
        d = max(30.0, rng.gauss(base, base * 0.25))
        if d > 200 and t < onset - 60 or rng.random() < 0.05:
            lines.append((d / 1000 - 0.01, ll.fmt(t + d / 1000, rid, "warn", f"slow query {int(d - 15)}ms cell={cell}")))
        lines.append((d / 1000, ll.fmt(t + d / 1000, rid, "info", f"nearby cell={cell} drivers={rng.randint(0, 25)} "
                                                                f"ms={int(d - 6)}")))
        return {"lines": lines, "dur": d}

    ll.run(sample(sc, lm["Invocations"], 0.035), sample(sc, lm["Errors"], 0.035), body)

    ol = LambdaLogs(sc, other, "nodejs20.x", 256, 15, retire=[bi + 140])

    def bcast(ll, t, rid, is_err, cold):
        d = rng.gauss(300, 40)
        return {"lines": [(d / 1000, ll.fmt(t + d / 1000, rid, "info", f"broadcast surge for {rng.randint(40, 90)} zones"))],
                "dur": d}

    ol.run(sample(sc, list(sc.value_at("AWS/Lambda", "Invocations", {"FunctionName": other}).values()), 0.6), {}, bcast)

    pgl, ps = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    periodic(sc, pgl, ps, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
             f"{rng.randint(4000, 12000)} buffers ({rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, "
             f"{rng.randint(3, 9)} recycled", pid=611))

    def app_client():
        return f"10.77.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"

    emit(sc, pgl, ps, lambda t: 0.5, lambda t: pg(
        sc, t, "ERROR", "duplicate key value violates unique constraint \"driver_pings_pkey\"",
        client=app_client(), user="ingest", db="geo"))
    bi_client = "10.90.4.17"
    periodic(sc, pgl, ps, 150, lambda t: pg(
        sc, t, "LOG", f"duration: {rng.uniform(140000, 420000):.3f} ms  statement: SELECT date_trunc('hour', p.recorded_at) "
        "AS hr, z.name, count(*), avg(p.speed_kmh) FROM driver_positions p JOIN zones z ON "
        "ST_Contains(z.geom, p.geom) WHERE p.recorded_at >= now() - interval '90 days' GROUP BY 1, 2 ORDER BY 1",
        client=f"{bi_client}({rng.randint(30000, 60000)})", user="bi_readonly", db="geo"),
        start=bi + 150, jitter=40)
    sc.log(pgl, ps, bi + 2, pg(sc, bi + 2, "LOG", "connection authorized: user=bi_readonly database=geo "
                                                  "application_name=Metabase SSL enabled", client=f"{bi_client}(51422)",
                               user="bi_readonly", db="geo"))
    emit(sc, pgl, ps, lambda t: 2.5 * fail(t) / 0.33, lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", client=app_client(), user="geo_app", db="geo"))

    lambda_deploy(sc, bi + 140, other, "gh-actions-deployer")
    lambda_deploy(sc, -16000, fn, "gh-actions-deployer")

    sc.alarm("nearby-drivers-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "Nearby drivers lookup failures")
    sc.alarm("geo-pg-sa-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 90,
             "GreaterThanThreshold")
    sc.expect_("nearby-drivers-errors", "cpu_saturation", [db],
               [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
                ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        f"`{fn}` (Node 20) queries Postgres `{db}` for drivers near the rider with a 3 s statement timeout. "
        f"{-bi // 60} min ago a Metabase session (`bi_readonly` from {bi_client}) started running 90-day "
        f"aggregation queries against the live database; the Postgres log shows them completing after "
        f"2-7 minutes each, over and over. DB CPU climbs to a flat ~99 %, ReadLatency rises, and from "
        f"about {-onset // 60} min ago the function's Duration jumps from ~0.1 s to ~2.7 s and a third of "
        f"calls fail with `canceling statement due to statement timeout` (SQLSTATE 57014), matched by the "
        f"same error in the Postgres log. Connections rise to ~310 of 1000 as calls queue. `{other}` was "
        f"deployed after the heavy queries began but before the first error; the `duplicate key` errors "
        f"and occasional slow-query warnings are there all day.")
    sc.meta["judgement"] = (
        "The function's errors come from its database, but the database is itself exhausted (CPU pinned), "
        "so this is `cpu_saturation` on the database, not `dependency_failure` on the function.")
    return sc


BUILDERS = [build_15, build_16]
