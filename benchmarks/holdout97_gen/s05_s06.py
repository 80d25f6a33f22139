"""h97-05 (download-count API -> Postgres) and h97-06 (README renderer hosts behind an ALB)."""
from __future__ import annotations

import json

from benchmarks.holdout57_gen.runtimes import nginx, pg, rails

from .base import (LambdaLogs, alb_metrics, apigw_metrics, bump, diurnal, ec2_metrics, ecs_metrics,
                   emit, every, lam_metrics, lambda_run, meta, new, ramp, rds_metrics)

PKGS = ["kiln-core", "tslab-utils", "vendo-cli", "fastq", "yaml-lite", "graphy-schema",
        "acme-button", "semver-tools", "uuid-mini", "deep-merge2", "tiny-router"]


def build_05():
    sc = new(5, "download-stats-5xx", "Download-count badges and the stats page show errors; the "
             "public stats API's 5xx alarm fired.", "us-west-2", "2026-03-18T16:10:00")
    rng = sc.rng
    api, api_id, db = "stats-public", "p0x7c2m4qe", "dlstats-main"
    sc.resource("apigateway", api, api_id=api_id, stage="v1", integration="lambda-proxy:download-counts")
    sc.resource("lambda", "download-counts", runtime="nodejs20.x", timeout=6, memory_size=512)
    sc.resource("rds", db, engine="postgres", engine_version="15.6", instance_class="db.r6g.large",
                max_connections=400, allocated_storage_gb=400)
    sc.resource("ecs", "stats/rollup-worker", launch_type="FARGATE", desired_count=2, runtime="python3.12")
    sc.resource("lambda", "badge-svg", runtime="nodejs22.x", timeout=5, memory_size=256)
    climb0, full, onset = -2700, -1560, -1500
    conns = lambda t: 150 * diurnal(sc, t, 16, 0.12) + 250 * ramp(t, climb0, full)
    frac = lambda t: 0.37 * ramp(t, onset - 60, onset + 120)
    cnt = lambda t: 420 * diurnal(sc, t, 16, 0.25)
    apigw_metrics(sc, api, cnt, lambda t: 0.02 * cnt(t), lambda t: frac(t) * cnt(t),
                  lambda t: 48 + 1900 * frac(t))
    lam_metrics(sc, "download-counts", cnt, lambda t: frac(t) * cnt(t), lambda t: 35 + 2000 * frac(t))
    lam_metrics(sc, "badge-svg", lambda t: 300 * diurnal(sc, t, 16, 0.25), lambda t: 0.1,
                lambda t: 41.0)
    rds_metrics(sc, db, lambda t: 28 * diurnal(sc, t, 16, 0.2) + bump(t, -12600, -11700, 45),
                conns, lambda t: 212 - 0.00004 * (t + 21600), lambda t: 6.1 - 0.8 * ramp(t, climb0, full),
                conn_cap=400)
    ecs_metrics(sc, "stats", "rollup-worker", lambda t: 14 + bump(t, -12600, -11700, 60),
                lambda t: 41.0, running=lambda t: 2.0)
    pool_err = {"errorType": "Error", "errorMessage": "timeout exceeded when trying to connect",
                "stack": ["Error: timeout exceeded when trying to connect",
                          "    at Timeout._onTimeout (/var/task/node_modules/pg-pool/index.js:205:27)",
                          "    at listOnTimeout (node:internal/timers:573:17)"]}
    full_err = {"errorType": "error", "errorMessage": "sorry, too many clients already",
                "code": "53300", "severity": "FATAL", "routine": "InitProcessDetails",
                "stack": ["error: sorry, too many clients already",
                          "    at Parser.parseErrorMessage (/var/task/node_modules/pg-protocol/dist/parser.js:283:98)",
                          "    at Socket.<anonymous> (/var/task/node_modules/pg-protocol/dist/index.js:11:42)"]}

    def body(ll, t, rid, is_err, cold):
        pkg = rng.choice(PKGS)
        if is_err:
            e = full_err if rng.random() < 0.6 else pool_err
            dur = rng.uniform(40, 90) if e is full_err else rng.uniform(2000, 2100)
            return {"lines": [(dur / 1000 - 0.002, ll.fmt(t, rid, "ERROR", "Invoke Error \t" +
                                                          json.dumps(e, separators=(",", ":"))))],
                    "dur": dur}
        if rng.random() < 0.02:
            return {"lines": [(0.003, ll.fmt(t, rid, "WARN", f"bad request: invalid package name "
                                             f"\"{pkg.upper()}%2F..\" -> 400"))], "dur": 4.0}
        d = rng.uniform(15, 60)
        return {"lines": [(d / 1000, ll.fmt(t, rid, "INFO", f"counts pkg={pkg} period=last-week "
                                            f"rows={rng.randint(1, 7)} ms={d:.0f}"))], "dur": d + 3}

    ll = LambdaLogs(sc, "download-counts", "nodejs20.x", 512, 6, mem_used=(118, 10))
    lambda_run(ll, lambda t: 5.0, frac, body)
    rg, rs = f"/aws/rds/instance/{db}/postgresql", f"{db}.0"
    every(sc, rg, rs, 300, lambda ts: pg(sc, ts, "LOG", f"checkpoint complete: wrote {rng.randint(800, 3100)}"
                                         " buffers; 0 WAL file(s) added", pid=612))
    emit(sc, rg, rs, lambda t: 1.2 * frac(t) / 0.37, lambda ts: pg(
        sc, ts, "FATAL", rng.choice(["sorry, too many clients already",
                                     "remaining connection slots are reserved for non-replication "
                                     "superuser connections"]),
        client=f"{sc.ip('10.0')}({rng.randint(30000, 65000)})", user="counts", db="dlstats"))
    emit(sc, rg, rs, lambda t: 0.2, lambda ts: pg(sc, ts, "LOG", f"automatic vacuum of table "
                                                  f"\"dlstats.public.downloads_{rng.randint(1, 31):02d}\": "
                                                  f"index scans: 1", pid=rng.randint(20000, 30000)))
    wg = "/ecs/stats/rollup-worker"
    ws = f"ecs/rollup/{sc.hexid(32)}"

    def rollup(ts):
        d = sc.at(ts)
        stamp = d.strftime("%Y-%m-%d %H:%M:%S") + f",{d.microsecond // 1000:03d}"
        if frac(ts) > 0.1 and rng.random() < 0.3:
            return (f"{stamp} ERROR rollup.db: psycopg.OperationalError: connection failed: FATAL:  "
                    "sorry, too many clients already; retrying in 5s")
        if rng.random() < 0.15:
            return (f"{stamp} ERROR rollup.ingest: duplicate key value violates unique constraint "
                    f"\"downloads_pkey\" DETAIL: Key (pkg_id, day)=({rng.randint(1000, 99999)}, "
                    f"{d.strftime('%Y-%m-%d')}) already exists.")
        return (f"{stamp} INFO rollup.ingest: merged batch of {rng.randint(800, 4000)} download "
                f"events in {rng.randint(30, 300)} ms")
    emit(sc, wg, ws, lambda t: 2.0, rollup)
    sc.change(-1580, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "badge-svg", "ci-deployer")
    sc.change(-9800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "stats/rollup-worker",
              "github-actions-deploy")
    sc.alarm("stats-public-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Public stats API 5xx")
    sc.alarm("dlstats-main-connections", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db},
             "Maximum", 60, 3, 360, "GreaterThanThreshold")
    sc.alarm("dlstats-main-cpu", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average",
             300, 2, 60, "GreaterThanThreshold")
    sc.expect = {"alarm": "stats-public-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [db]}}
    meta(sc, front="front (API Gateway -> Lambda -> the RDS instance at its limit)",
         decoys="badge-svg deploy 80 s before onset; rollup-worker duplicate-key errors for hours; "
         "a nightly-rollup CPU spike on the database and the worker 3.5 h earlier",
         services="API Gateway, Lambda, RDS, ECS", runtime="Node.js 20, Python", logfmt="Lambda Node, "
         "postgres, Python logging",
         story="dlstats-main's DatabaseConnections climbs from ~150 to the 400 max_connections over "
         "the 20 minutes before onset with traffic flat. From -25 min download-counts fails about a "
         "third of invocations with `sorry, too many clients already` (53300) or pg-pool's `timeout "
         "exceeded when trying to connect`, the database logs the same FATALs, and the rollup worker "
         "hits them too. The badge-svg deploy is the change closest to the onset but that function "
         "never talks to this database and its metrics are flat.")
    return sc


def build_06():
    sc = new(6, "readme-pages-slow", "Package README pages are slow or time out; the rendering "
             "tier's latency alarm fired.", "eu-west-1", "2026-03-19T11:30:00")
    rng = sc.rng
    lb = "app/docs-render/0d5e93b1c4a27f86"
    a, b = "i-0a71c3e5f2d94b818", "i-0b2d6e8f1a3c57902"
    sc.resource("alb", lb, name="docs-render", target_group="tg-docs-render")
    sc.resource("ec2", a, name="mdrender-01", instance_type="m6i.large",
                log_groups=["/docs-render/nginx/access", "/docs-render/puma"])
    sc.resource("ec2", b, name="mdrender-02", instance_type="m6i.large",
                log_groups=["/docs-render/nginx/access", "/docs-render/puma"])
    onset = -1500
    hot = lambda t: ramp(t, onset, onset + 150)
    req = lambda t: 900 * diurnal(sc, t, 13, 0.2)
    alb_metrics(sc, lb, req, lambda t: 1.2 + 0.025 * req(t) * hot(t),
                lambda t: 0.09 + 2.2 * hot(t), lambda t: 2.0, e5=lambda t: 0.1 + 3 * hot(t))
    ec2_metrics(sc, a, lambda t: 31 * diurnal(sc, t, 13, 0.2) + bump(t, -13200, -12500, 55, 120),
                mem=lambda t: 52.0, disk=lambda t: 61.0, net_in=lambda t: 2.2e6 * diurnal(sc, t, 13, 0.2))
    ec2_metrics(sc, b, lambda t: 30 * diurnal(sc, t, 13, 0.2) * (1 - hot(t)) + 99 * hot(t),
                mem=lambda t: 53 + 4 * hot(t), disk=lambda t: 60.2,
                net_in=lambda t: 2.2e6 * diurnal(sc, t, 13, 0.2) * (1 - 0.3 * hot(t)))
    ag = "/docs-render/nginx/access"
    paths = ["/p/{}", "/p/{}/readme", "/p/{}/v/{}", "/badge-preview/{}"]

    def access(iid):
        def line(ts):
            slow = iid == b and hot(ts) > 0.5
            pkg = rng.choice(PKGS)
            path = rng.choice(paths).format(pkg, f"{rng.randint(0, 5)}.{rng.randint(0, 9)}.0")
            if rng.random() < 0.04:
                return nginx(sc, ts, sc.ip("10.0"), "GET", "/favicon.ico", 404, 153, 0.001)
            if slow:
                rt = rng.uniform(2.5, 9.0)
                st = 504 if rng.random() < 0.05 else 200
                return nginx(sc, ts, sc.ip("10.0"), "GET", path, st, rng.randint(160, 40000),
                             15.0 if st == 504 else rt)
            return nginx(sc, ts, sc.ip("10.0"), "GET", path, 200, rng.randint(4000, 40000),
                         rng.uniform(0.03, 0.16))
        return line

    for iid in (a, b):
        emit(sc, ag, iid, lambda t: 4.0, access(iid))
        emit(sc, "/docs-render/puma", iid, lambda t: 0.3, lambda ts: rails(
            sc, ts, "ERROR", "ActionView::MissingTemplate (Missing template readme/_toc with "
            "{:locale=>[:en], :formats=>[:html]})", sc.uuid(), pid=rng.randint(7000, 7100)))
        every(sc, "/docs-render/puma", iid, 60, (lambda iid: lambda ts: rails(
            sc, ts, "INFO", (f"Puma stats: running=16 pool_capacity={0 if iid == b and hot(ts) > 0.5 else rng.randint(11, 15)}"
                             f" backlog={rng.randint(20, 60) if iid == b and hot(ts) > 0.5 else 0}"),
            pid=7001))(iid))
    emit(sc, "/docs-render/puma", b, lambda t: 0.8 * hot(t), lambda ts: rails(
        sc, ts, "ERROR", "Rack::Timeout::RequestTimeoutException (Request ran for longer than "
        f"15000ms ): GET /p/{rng.choice(PKGS)}/readme", sc.uuid(), pid=rng.randint(7000, 7100)))
    sc.log("/docs-render/puma", a, -13215.4, rails(
        sc, -13215.4, "INFO", "cron: sitemap regeneration started (12840 packages)", pid=1))
    sc.change(-1560, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
              "AWS::ElasticLoadBalancingV2::TargetGroup", "tg-docs-render", "k.osei")
    sc.alarm("docs-render-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 1.0, "GreaterThanThreshold", "README rendering latency")
    sc.alarm("mdrender-01-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.alarm("mdrender-02-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": b}, "Average", 300, 2, 85,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "docs-render-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [b, "mdrender-02"]}}
    meta(sc, front="front (ALB; origin is one target instance)",
         decoys="target-group attribute change 60 s before onset; MissingTemplate errors and favicon "
         "404s for hours; a sitemap-regeneration CPU spike on the other instance 3.7 h earlier",
         services="ALB, EC2", runtime="Ruby (Puma)", logfmt="nginx access, Ruby logger",
         story="From -25 min mdrender-02's CPU goes from ~30 % to ~99 % and stays there while request "
         "volume is flat; its Puma pool reports pool_capacity=0 with a growing backlog, nginx on that "
         "host logs 2.5-9 s response times and Rack::Timeout errors, and the ALB's average latency "
         "goes past 2 s. mdrender-01 is healthy. The target-group attribute change by k.osei just "
         "before affects both targets equally and changes nothing measurable.")
    return sc


BUILDERS = [build_05, build_06]
