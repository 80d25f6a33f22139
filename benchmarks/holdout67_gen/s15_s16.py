"""h67-15 (Lambda caller -> EC2 search node OOM-killed, ap-southeast-1) and
h67-16 (ALB -> ECS Rails -> RDS CPU saturation, us-west-2)."""
from __future__ import annotations

import math

from . import kit
from .common import Scenario, bump, ramp
from .runtimes import LambdaLogs, jline, pg, rails


# =========================================================================== 15
def build_15() -> Scenario:
    sc = Scenario(15, "search-suggest-errors-apse1", "search-suggest Errors alarm in "
                  "ap-southeast-1; search box suggestions failing intermittently.",
                  "ap-southeast-1", 67015, "2026-12-10T04:10:00")
    US = "us-east-1"
    onset = -2520
    node = {r: kit.instance_id(sc) for r in ("ap-southeast-1", US)}
    for reg in ("ap-southeast-1", US):
        sc.resource("ec2", node[reg], region=reg, name="search-data-1", instance_type="r6g.xlarge",
                    memory_gib=32, role="opensearch 2.17 single node",
                    log_groups=["/search/opensearch", "/search/syslog"])
        sc.resource("lambda", "search-suggest", region=reg, runtime="nodejs22.x", timeout=5,
                    memory_size=512, vpc=True)
        sc.resource("lambda", "banner-rotate", region=reg, runtime="nodejs22.x", timeout=10,
                    memory_size=256)
    la, lu = kit.load(sc, "ap-southeast-1", 0.3, 20), kit.load(sc, US, 0.3, 20)
    kills = [onset + k * 420 + sc.rng.uniform(-40, 40) for k in range(6)]
    down = lambda t: any(k <= t < k + 95 for k in kills)  # noqa: E731 restart + recovery
    slow = lambda t: ramp(t, onset - 900, onset)          # noqa: E731 GC pressure before kill

    def mem(t):
        if t < onset:
            return 71 + 26 * ramp(t, -12000, onset)
        last = max(k for k in kills if k <= t) if any(k <= t for k in kills) else onset
        return 62 + 36 * min(1.0, (t - last) / 380) if not down(t) else 35

    rate = lambda t: 14 * la(t)  # noqa: E731
    fn = kit.lam(sc, "search-suggest", rate, lambda t: 60 + 900 * slow(t) * (not down(t))
                 + 2600 * down(t), ratio=lambda t: 0.003 + (0.93 if down(t) else 0.12 * slow(t)))
    kit.lam(sc, "search-suggest", lambda t: 12 * lu(t), lambda t: 58, ratio=lambda t: 0.003,
            region=US)
    kit.lam(sc, "banner-rotate", lambda t: 1 + 5 * bump(t, -2600, -2300, 1, 60), lambda t: 220)
    kit.lam(sc, "banner-rotate", lambda t: 1, lambda t: 210, region=US)
    kit.ec2(sc, node["ap-southeast-1"], lambda t: 30 * la(t) + 35 * slow(t) * (not down(t))
            - 25 * down(t), lambda t: 9e6 * la(t), mem, lambda t: 58.0)
    kit.ec2(sc, node[US], lambda t: 28 * lu(t) + 50 * bump(t, -2560, -2380, 1, 30),
            lambda t: 8e6 * lu(t), lambda t: 69 - 30 * bump(t, -2560, -2380, 1, 30),
            lambda t: 57.0, status=lambda t: bump(t, -2540, -2450, 1, 10), region=US)

    ip = "10.80.3.14"
    ll = LambdaLogs(sc, "search-suggest", "nodejs22.x", 512, 5, mem_used=(92, 6), prewarm=-8940)

    def body(ll_, t, rid, is_err, cold):
        q = kit.pick(sc, ["air fr", "iphone c", "rice cook", "yoga m", "lego tech", "durian"])
        if is_err and down(t):
            d = sc.rng.uniform(3, 12)
            err = {"errorType": "ConnectionError", "errorMessage": f"connect ECONNREFUSED {ip}:9200",
                   "code": "ECONNREFUSED", "stack": [f"ConnectionError: connect ECONNREFUSED "
                                                     f"{ip}:9200", "    at ClientRequest."
                                                     "onError (/var/task/node_modules/@opensearch-"
                                                     "project/opensearch/lib/Connection.js:133:16)"]}
            return {"dur": d, "lines": [(d / 1000, ll_.fmt(t + d / 1000, rid, "ERROR",
                                         "Invoke Error \t" + jline(err)))]}
        if is_err:
            d = sc.rng.uniform(3000, 3050)
            err = {"errorType": "TimeoutError", "errorMessage": "Request timed out",
                   "stack": ["TimeoutError: Request timed out", "    at ClientRequest.onTimeout "
                             "(/var/task/node_modules/@opensearch-project/opensearch/lib/"
                             "Connection.js:101:16)"]}
            return {"dur": d, "lines": [(d / 1000, ll_.fmt(t + d / 1000, rid, "ERROR",
                                         "Invoke Error \t" + jline(err)))]}
        d = max(15.0, sc.rng.gauss(60 + 900 * slow(t), 25 + 300 * slow(t)))
        lines = [(d / 1000, ll_.fmt(t + d / 1000, rid, "INFO", jline(
            {"msg": "suggest", "q": q, "hits": sc.rng.randint(0, 10), "tookMs": int(d * 0.8)})))]
        if sc.rng.random() < 0.03:
            lines.insert(0, (0.002, ll_.fmt(t, rid, "WARN", jline(
                {"msg": "query too short, returning trending", "q": q[:1]}))))
        return {"dur": d, "lines": lines}
    ll.run(kit.counts_per_minute(fn["inv"], -9000, 0), kit.counts_per_minute(fn["err"], -9000, 0),
           body)

    iid = node["ap-southeast-1"]
    og, sg = "/search/opensearch", "/search/syslog"

    def osl(t, lvl, comp, msg):
        return (f"[{sc.at(t).strftime('%Y-%m-%dT%H:%M:%S,')}{sc.at(t).microsecond // 1000:03d}]"
                f"[{lvl:<5}][{comp}] [search-data-1] {msg}")
    kit.sprinkle(sc, og, iid, lambda t: 0.1 + 1.5 * slow(t), lambda t: None if down(t) else osl(
        t, "WARN", "o.o.m.j.JvmGcMonitorService", f"[gc][{int(t + 30000)}] overhead, spent "
        f"[{sc.rng.uniform(0.4, 1.2) + 2 * slow(t):.1f}s] collecting in the last "
        f"[{2.6 + 1.5 * slow(t):.1f}s]"), start=-21600)
    kit.sprinkle(sc, og, iid, lambda t: 0.2, lambda t: osl(
        t, "WARN", "o.o.c.r.a.DiskThresholdMonitor", "high disk watermark [90%] not exceeded; "
        "low disk watermark [85%] exceeded on [search-data-1] free: 41.2gb[15.1%], replicas "
        "will not be assigned to this node"), start=-21600)
    for k in kills:
        pid = sc.rng.randint(1000, 9000)
        rss = sc.rng.randint(30800000, 31500000)
        ts = lambda x: sc.at(x).strftime("%b %d %H:%M:%S")  # noqa: E731
        sc.log(sg, iid, k - 0.4, f"{ts(k)} search-data-1 kernel: [{int(k + 900000)}.{sc.rng.randint(100000, 999999)}] "
               f"Out of memory: Killed process {pid} (java) total-vm:{rss + 9000000}kB, "
               f"anon-rss:{rss}kB, file-rss:0kB, shmem-rss:0kB, UID:993 pgtables:62400kB "
               f"oom_score_adj:0")
        sc.log(sg, iid, k + 0.3, f"{ts(k)} search-data-1 systemd[1]: opensearch.service: Main "
               "process exited, code=killed, status=9/KILL")
        sc.log(sg, iid, k + 0.31, f"{ts(k)} search-data-1 systemd[1]: opensearch.service: Failed "
               "with result 'signal'.")
        sc.log(sg, iid, k + 10.5, f"{ts(k + 10)} search-data-1 systemd[1]: opensearch.service: "
               f"Scheduled restart job, restart counter is at {kills.index(k) + 1}.")
        sc.log(og, iid, k + 80, osl(k + 80, "INFO", "o.o.n.Node", "started"))
        sc.log(og, iid, k + 92, osl(k + 92, "INFO", "o.o.c.r.a.AllocationService",
               "Cluster health status changed from [RED] to [YELLOW] (reason: [shards started "
               "[[products][0]]])."))
    sc.change(-2540, "ec2.amazonaws.com", "RebootInstances", "AWS::EC2::Instance", node[US],
              "ops-patching", region=US)
    sc.change(-2600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "banner-rotate", "gha-web")
    sc.change(-2480, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2",
              "AWS::Lambda::Function", "search-suggest", "gha-web", region=US)
    sc.alarm("search-suggest-apse1-errors", "AWS/Lambda", "Errors",
             {"FunctionName": "search-suggest"}, "Sum", 300, 1, 5, "GreaterThanThreshold",
             "search-suggest errors (ap-southeast-1)")
    sc.alarm("search-data-1-use1-status", "AWS/EC2", "StatusCheckFailed",
             {"InstanceId": node[US]}, "Maximum", 60, 2, 0, "GreaterThanThreshold", region=US)
    sc.expect = {"alarm": "search-suggest-apse1-errors",
                 "root_cause": {"category": "memory_exhaustion",
                                "resource": [node["ap-southeast-1"], "search-data-1"]},
                 "anomalies": [{"namespace": "CWAgent", "name": "mem_used_percent",
                                "dimensions": {"InstanceId": node["ap-southeast-1"]}}]}
    sc.meta = dict(front="caller (Lambda)", services="Lambda (Node.js 22), EC2 (OpenSearch, "
                   "syslog)",
                   decoys="search-data-1 reboot in us-east-1 (same name) just before onset; "
                          "search-suggest deploy in us-east-1; banner-rotate deploy; old disk "
                          "watermark warnings",
                   judgement=(
        "From the caller this looks like dependency_failure (ECONNREFUSED, timeouts), but the "
        "dependency is a resource in the account and its own fault is decidable: kernel OOM "
        "kills with memory at the limit. The category follows the origin: memory_exhaustion "
        "at the ap-southeast-1 instance (its name tag is the same in us-east-1, hence the "
        "instance id first)."),
                   story=(
        "ap-southeast-1 `search-suggest` alarms on Errors. Its failures are `connect "
        "ECONNREFUSED 10.80.3.14:9200` in bursts about every seven minutes and timeouts in "
        "between. The target is the region's OpenSearch node `search-data-1`: its memory climbs "
        "to ~98 %, GC overhead warnings grow, then syslog shows `Out of memory: Killed process "
        "... (java)` and systemd restarting `opensearch.service` (restart counter 1..6), each "
        "kill matching an error burst. Decoys: the us-east-1 node with the same name was "
        "rebooted for patching (StatusCheckFailed alarm there), `search-suggest` was deployed "
        "in us-east-1 and `banner-rotate` in ap-southeast-1 near onset, and disk-watermark "
        "warnings are old."))
    return sc


# =========================================================================== 16
def build_16() -> Scenario:
    sc = Scenario(16, "catalog-alb-5xx-usw2", "catalog-alb 5xx alarm in us-west-2; category "
                  "pages timing out.", "us-west-2", 67016, "2026-12-11T21:20:00")
    EU = "eu-west-1"
    onset = -2700
    hot = lambda t: ramp(t, onset, onset + 420)    # noqa: E731
    fail = lambda t: ramp(t, onset + 300, onset + 720)  # noqa: E731
    lbs = {r: kit.alb_id(sc, "catalog-alb") for r in ("us-west-2", EU)}
    for reg in ("us-west-2", EU):
        sc.resource("alb", lbs[reg], region=reg, name="catalog-alb", scheme="internet-facing")
        sc.resource("ecs", "shop/catalog", region=reg, launch_type="FARGATE", desired_count=8,
                    log_group="/ecs/catalog")
        sc.resource("rds", "catalog-db", region=reg, engine="postgres", engine_version="16.4",
                    instance_class="db.r6g.2xlarge", max_connections=1600,
                    allocated_storage_gb=800, multi_az=True)
    lw, le = kit.load(sc, "us-west-2", 0.3, 19), kit.load(sc, EU, 0.3, 19)
    kit.alb(sc, lbs["us-west-2"], lambda t: 1800 * lw(t), lambda t: 0.15 + 4.2 * fail(t),
            t5=lambda t: 1 + 70 * fail(t), e5=lambda t: 0.1 + 8 * fail(t), healthy=lambda t: 8)
    kit.alb(sc, lbs[EU], lambda t: 1000 * le(t), lambda t: 0.14, t5=lambda t: 0.8,
            healthy=lambda t: 8, region=EU)
    kit.ecs(sc, "shop", "catalog", lambda t: 36 * lw(t) - 10 * fail(t), lambda t: 62,
            tasks=lambda t: 8)
    kit.ecs(sc, "shop", "catalog", lambda t: 28 * le(t) + 22 * bump(t, -2760, -2520, 1, 60),
            lambda t: 60, tasks=lambda t: 8 + 8 * bump(t, -2740, -2500, 1, 30), region=EU)
    kit.rds(sc, "catalog-db", lambda t: 34 * lw(t) + 64 * hot(t), lambda t: 210 + 240 * fail(t),
            lambda t: 512 - t / 86400 * 3, rlat=lambda t: 0.0011 + 0.004 * hot(t),
            freemem_gb=lambda t: 21 - 3 * hot(t),
            extra=[("DBLoadCPU", "Count", lambda t: 2.2 * lw(t) + 14 * hot(t), {"noise": 0.1})])
    kit.rds(sc, "catalog-db", lambda t: 26 * le(t), lambda t: 180, lambda t: 540 - t / 86400 * 3,
            freemem_gb=lambda t: 21, region=EU,
            extra=[("DBLoadCPU", "Count", lambda t: 1.8, {"noise": 0.1})])

    g = "/ecs/catalog"
    for _ in range(3):
        st = f"catalog/catalog/{kit.task_id(sc)}"
        pid = 1

        def ok(t):
            rid = sc.uuid()
            ms = sc.rng.uniform(40, 220) * (1 + 12 * hot(t) * sc.rng.random())
            return rails(sc, t, "INFO", f"Completed 200 OK in {int(ms)}ms (Views: {int(ms * 0.3)}"
                         f"ms | ActiveRecord: {ms * 0.6:.1f}ms | Allocations: "
                         f"{sc.rng.randint(9000, 40000)})", rid, pid)
        kit.sprinkle(sc, g, st, lambda t: 3 * lw(t) * (1 - 0.5 * fail(t)), ok)
        kit.sprinkle(sc, g, st, lambda t: 0.4, lambda t: rails(
            sc, t, "WARN", "Rack::Attack throttled request from "
            f"{sc.ip('66.249')} (bot=Googlebot) path=/c/sale", sc.uuid(), pid), start=-21600)
        kit.sprinkle(sc, g, st, lambda t: 0.25, lambda t: rails(
            sc, t, "ERROR", "ActionController::RoutingError (No route matches [GET] "
            f"\"/wp-login.php\")", sc.uuid(), pid), start=-21600)
        kit.sprinkle(sc, g, st, lambda t: 4 * fail(t), lambda t: rails(
            sc, t, "ERROR", "ActiveRecord::QueryCanceled (PG::QueryCanceled: ERROR:  canceling "
            "statement due to statement timeout\n): app/models/category_listing.rb:42:in "
            "`page_for'", sc.uuid(), pid), start=onset)
        kit.sprinkle(sc, g, st, lambda t: 3 * fail(t), lambda t: rails(
            sc, t, "INFO", f"Completed 500 Internal Server Error in {sc.rng.randint(15000, 15090)}ms "
            f"(ActiveRecord: {sc.rng.uniform(14990, 15010):.1f}ms | Allocations: "
            f"{sc.rng.randint(3000, 8000)})", sc.uuid(), pid), start=onset)
    pg_g, pg_s = "/aws/rds/instance/catalog-db/postgresql", "catalog-db.0"
    kit.every(sc, pg_g, pg_s, 300, lambda t: pg(sc, t, "LOG", "checkpoint complete: wrote "
              f"{sc.rng.randint(2000, 6000)} buffers ({sc.rng.uniform(1, 3):.1f}%); 0 WAL file(s) "
              "added, 0 removed, 2 recycled", pid=402))
    cl = lambda: f"10.50.{sc.rng.randint(1, 40)}.{sc.rng.randint(2, 250)}({sc.rng.randint(30000, 60000)})"  # noqa: E731
    for k in range(4):
        t0 = onset - 40 + k * 7
        sc.log(pg_g, pg_s, t0, pg(sc, t0, "LOG", "connection authorized: user=merch_analytics "
               "database=catalog application_name=metabase SSL enabled", client=cl(),
               user="merch_analytics", db="catalog"))
    kit.every(sc, pg_g, pg_s, 170, lambda t: pg(
        sc, t, "LOG", f"duration: {sc.rng.uniform(160000, 420000):.3f} ms  statement: SELECT "
        "p.category_id, date_trunc('hour', ol.created_at) AS h, count(*), sum(ol.qty * ol.price) "
        "FROM order_lines ol JOIN products p ON p.id = ol.product_id CROSS JOIN LATERAL "
        "jsonb_array_elements(p.attributes) a GROUP BY 1, 2 ORDER BY 4 DESC",
        client=cl(), user="merch_analytics", db="catalog"), start=onset + 200)
    kit.sprinkle(sc, pg_g, pg_s, lambda t: 4 * fail(t), lambda t: pg(
        sc, t, "ERROR", "canceling statement due to statement timeout", client=cl(),
        user="catalog_app", db="catalog"), start=onset)
    kit.sprinkle(sc, pg_g, pg_s, lambda t: 0.05, lambda t: pg(
        sc, t, "LOG", "automatic analyze of table \"catalog.public.products\"", pid=sc.rng.randint(20000, 30000)),
        start=-21600)
    sc.change(-2620, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance",
              "catalog-db", "aws-backup-service")
    sc.change(-2740, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/catalog",
              "argo-deployer", region=EU)
    sc.change(-15000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "shop/catalog",
              "argo-deployer")
    sc.alarm("catalog-alb-usw2-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count",
             {"LoadBalancer": lbs["us-west-2"]}, "Sum", 60, 3, 20, "GreaterThanThreshold",
             "catalog ALB target 5xx (us-west-2)")
    sc.alarm("catalog-db-usw2-cpu", "AWS/RDS", "CPUUtilization",
             {"DBInstanceIdentifier": "catalog-db"}, "Average", 300, 2, 85, "GreaterThanThreshold")
    sc.expect = {"alarm": "catalog-alb-usw2-5xx",
                 "root_cause": {"category": "cpu_saturation", "resource": ["catalog-db"]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization",
                                "dimensions": {"DBInstanceIdentifier": "catalog-db"}}]}
    sc.meta = dict(front="front (ALB)", services="ALB, ECS (Ruby on Rails), RDS PostgreSQL",
                   decoys="CreateDBSnapshot on catalog-db (Multi-AZ backup) right after onset; "
                          "catalog deploy in eu-west-1; old RoutingError / Rack::Attack lines",
                   judgement=(
        "The app's statement timeouts are errors from a downstream dependency, but that "
        "dependency is itself saturated (CPU ~98 %, DBLoadCPU far above the vCPU count), which "
        "the table excludes from dependency_failure; connections rise only as requests pile "
        "up (450 of 1600). Hence cpu_saturation at catalog-db."),
                   story=(
        "The us-west-2 `catalog-alb` returns target 5xx because `shop/catalog` (Rails) requests "
        "end in `Completed 500 ... in 15000ms` with `PG::QueryCanceled: canceling statement "
        "due to statement timeout`. `catalog-db` CPU climbs from ~35 % to ~98 % and DBLoadCPU "
        "from ~2 to ~16 starting at onset, minutes before the first 500s. Its log shows "
        "`merch_analytics` sessions from Metabase connecting just before, then repeated "
        "3-7 minute aggregate queries over `order_lines`. Decoys: an AWS Backup "
        "`CreateDBSnapshot` of the same instance (Multi-AZ, taken from the standby) just after "
        "onset, a `shop/catalog` deploy in eu-west-1 at onset, and bot/routing noise that "
        "predates everything."))
    return sc


_ = math
