"""Scenarios 13-14: ALB-generated 5XX with no evidence anywhere in the account (unknown); a BI query pinning
the CRM Postgres CPU two hops behind the ALB."""
from __future__ import annotations

import datetime as dt

from .core import UTC, Scenario
from .infra import GB, Streams, alb_metrics, ec2_metrics, ecs_metrics, nginx, pg_checkpoints, pg_line, rds_metrics, slog
from .lam import LambdaFn

UA = ["okhttp/4.12.0", "AcmeApp/7.3.1 (iPhone; iOS 17.4)", "AcmeApp/7.3.0 (Android 14)", "Mozilla/5.0"]


def s13():
    s = Scenario(13, "edge-alb-elb5xx", "us-west-2", dt.datetime(2026, 3, 25, 17, 50, tzinfo=UTC), 4613,
                 "Mobile clients report sporadic 502s from the public API; edge ALB 5XX alarm fired.", log_start=-5400)
    r = s.rng
    lb = "app/prod-api-edge/6c5d4e3f2a1b0c9d"
    edges = [("i-0f3e1d2c4b6a79852", "api-edge-1"), ("i-07a6b5c4d3e2f1098", "api-edge-2")]
    for iid, name in edges:
        s.resource("ec2", iid, name=name, instance_type="c7g.large", log_groups=["/prod/api-edge/nginx", "/prod/api-edge/app"])
    s.resource("ec2", "i-0c9d8e7f6a5b41230", name="ml-train-spot-1", instance_type="g5.xlarge")
    s.resource("alb", lb, name="prod-api-edge", scheme="internet-facing", targets=[e[0] for e in edges], idle_timeout_s=60)
    s.change(-1500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "prod-marketing-sync",
             "circleci-deploy")
    mk = LambdaFn(s, "prod-marketing-sync", "python3.12", memory=512, timeout=300, mem_used=(120, 150),
                  generations=[(-1500, "$LATEST")])
    T = -1260
    ng, app = Streams(s, "/prod/api-edge/nginx"), Streams(s, "/prod/api-edge/app")
    rows = {}
    paths = ["/v2/feed", "/v2/me", "/v2/orders?limit=20", "/v2/products/{p}", "/v2/search?q={q}", "/healthz"]
    for m in s.minutes():
        req = s.pois(820 * s.diurnal(m, lo=0.3, peak=12))
        e5 = s.pois(28) if m >= T else s.pois(0.04)
        t4 = s.pois(req * 0.02)
        t5 = s.pois(0.08)
        rows[m] = dict(req=req, rt=s.jit(0.041, 0.06), t2=req - t4 - t5, t4=t4, t5=t5, e5=e5, healthy=2, unhealthy=0)
        if m % 300 == 0:
            mk.add(m + r.uniform(0, 5), s.jit(41000, 0.1), lines=[(40500, "INFO", f"synced {r.randint(200, 900)} contacts to hubspot")])
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 25)):
            iid = r.choice(edges)[0]
            p = r.choice(paths).format(p=r.randint(10000, 99999), q=r.choice(["boots", "gift", "coffee"]))
            st = 200 if r.random() > 0.02 else r.choice([401, 404])
            rt = r.uniform(0.008, 0.09)
            ua = "ELB-HealthChecker/2.0" if p == "/healthz" else r.choice(UA)
            ng.add(iid, t, nginx(s, t, s.ip("10.8"), "GET", p, st, r.randint(200, 9000), rt, ua, upstream=rt - 0.001))
        for t in s.spread(m, s.pois(0.9)):
            app.add(r.choice(edges)[0], t, slog(s, t, "ERROR", "geo lookup failed", err="mmdb: invalid IP address: \"unknown\"",
                    header="X-Forwarded-For"))
        for iid, _ in edges:
            t = m + r.uniform(0, 2)
            app.add(iid, t, slog(s, t, "INFO", "pool stats", open_conns=r.randint(18, 26), idle=r.randint(10, 18),
                    in_use=r.randint(2, 9), wait_count=0))
    ng.flush()
    app.flush()
    mk.finish()
    alb_metrics(s, lb, rows)
    for iid, _ in edges:
        ec2_metrics(s, iid, cpu=lambda t: s.jit(9 + 19 * s.diurnal(t, lo=0.3, peak=12), 0.07), mem=lambda t: s.jit(37, 0.02),
                    disk=lambda t: 29.0 + (t + 21600) / 21600 * 0.2, net_in=lambda t: s.jit(4.2e6 * s.diurnal(t, lo=0.3, peak=12), 0.06))
    ec2_metrics(s, "i-0c9d8e7f6a5b41230", step=300, cpu=lambda t: s.jit(99.4, 0.004) if t >= -7800 else s.jit(2, 0.3),
                net_in=lambda t: s.jit(2e6, 0.2))
    s.alarm("prod-api-edge-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 10,
            description="Edge ALB load-balancer-generated 5XX")
    s.readme = dict(pos="origin (the ALB is where the 5XX are generated)", decoys="prod-marketing-sync deploy 4 min before "
                    "onset; ml-train-spot-1 pinned at 99 % CPU for 2 h (training job); steady 'geo lookup failed' errors in the "
                    "app log",
                    story="From -1260 s the edge ALB itself returns ~28 5XX per minute. Nothing behind it shows a fault: both "
                    "targets healthy, target 5XX at its usual ~0, target response time unchanged at 40 ms, request count on its "
                    "daily curve, nginx logs all 2xx with normal upstream times, instance CPU/memory/disk flat, connection pools "
                    "idle, and no change to the ALB, its targets or their security groups. The Lambda deploy and the training box "
                    "are unrelated to the API path, and the geo-lookup error has fired at the same rate for hours. The account's "
                    "evidence does not support any category; the next step is the ALB access logs in S3 and an AWS support "
                    "case: unknown, on the ALB.")
    return s.build("prod-api-edge-elb-5xx", "unknown", [lb, "prod-api-edge"],
                   [("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb})])


DJ_TB = ("Traceback (most recent call last):\n"
         '  File "/usr/local/lib/python3.11/site-packages/django/db/backends/utils.py", line 89, in _execute\n'
         "    return self.cursor.execute(sql, params)\n"
         "psycopg2.errors.QueryCanceled: canceling statement due to statement timeout\n\n"
         "The above exception was the direct cause of the following exception:\n\n"
         "Traceback (most recent call last):\n"
         '  File "/usr/local/lib/python3.11/site-packages/django/core/handlers/exception.py", line 55, in inner\n'
         "    response = get_response(request)\n"
         '  File "/usr/local/lib/python3.11/site-packages/rest_framework/views.py", line 506, in dispatch\n'
         "    response = handler(request, *args, **kwargs)\n"
         '  File "/app/crm/{mod}/views.py", line {ln}, in list\n'
         "    return Response(self.get_serializer(page, many=True).data)\n"
         '  File "/usr/local/lib/python3.11/site-packages/django/db/models/query.py", line 400, in __iter__\n'
         "    self._fetch_all()\n"
         "django.db.utils.OperationalError: canceling statement due to statement timeout")
MB_SQL = ('SELECT "source"."owner_id" AS "owner_id", date_trunc(\'week\', "source"."created_at") AS "created_at", count(*) '
          'AS "count" FROM (SELECT a.*, c.owner_id FROM activities a JOIN contacts c ON c.id = a.contact_id LEFT JOIN deals d '
          'ON d.contact_id = c.id) "source" GROUP BY 1, 2 ORDER BY 1, 2 -- Metabase:: userID: 41 queryType: MBQL')


def s14():
    s = Scenario(14, "crm-pg-cpu", "eu-west-1", dt.datetime(2026, 3, 26, 14, 20, tzinfo=UTC), 4614,
                 "CRM screens very slow, some requests fail with 500; CRM ALB latency alarm fired.", log_start=-5400)
    r = s.rng
    lb, cl, svc, db = "app/prod-crm-alb/2b3c4d5e6f7a8b9c", "prod-crm", "crm-api", "prod-crm-pg"
    s.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", cpu=1024, memory=2048, desired_count=4, load_balancer=lb,
               task_definition="crm-api:162", log_groups=[f"/ecs/{cl}/{svc}"], environment={"DB_HOST": f"{db}.c4u7wq9.eu-west-1.rds.amazonaws.com",
                                                                                             "PG_STATEMENT_TIMEOUT_MS": "8000"})
    s.resource("ecs", f"{cl}/crm-frontend", launch_type="FARGATE", cpu=256, memory=512, desired_count=2, task_definition="crm-frontend:88")
    s.resource("alb", lb, name="prod-crm-alb", scheme="internet-facing", targets=[f"{cl}/{svc}", f"{cl}/crm-frontend"])
    s.resource("rds", db, engine="postgres", engine_version="14.10", instance_class="db.m6g.large", max_connections=800,
               allocated_storage_gb=400)
    s.resource("ec2", "i-0d7e6f5a4b3c2d1e0", name="crm-etl-runner", instance_type="m6i.large")
    s.change(-2310, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "crm-frontend:88", "jenkins-prod")
    s.change(-2280, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/crm-frontend", "jenkins-prod")
    T = -2100
    hot = lambda t: t >= T + 60  # noqa: E731
    tasks = [s.hexs(32) for _ in range(4)]
    app, pg = Streams(s, f"/ecs/{cl}/{svc}"), Streams(s, f"/aws/rds/instance/{db}/postgresql")
    rows = {}
    eps = [("contacts", 64, "/api/v1/contacts/?page={n}"), ("deals", 41, "/api/v1/deals/?stage=open&page={n}"),
           ("activities", 77, "/api/v1/activities/?contact={n}")]
    for m in s.minutes():
        req = s.pois(240 * s.diurnal(m, lo=0.2, peak=13))
        bad = s.pois(req * 0.12) if hot(m) else 0
        t4 = s.pois(req * 0.015)
        rows[m] = dict(req=req, t2=req - bad - t4, t4=t4, t5=bad, e5=s.pois(0.02), healthy=6, unhealthy=0,
                       rt=s.jit(3.6, 0.1) if hot(m) else s.jit(0.11, 0.07))
        if m < s.log_start:
            continue
        for t in s.spread(m, s.pois(req / 10)):
            mod, _, p = r.choice(eps)
            dur = r.uniform(1.2, 7.9) if hot(m) else r.uniform(0.04, 0.25)
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, f'{s.ip("10.12")} - - [{s.stamp(t, "%d/%b/%Y:%H:%M:%S +0000")}] "GET '
                    f'{p.format(n=r.randint(1, 40))} HTTP/1.1" 200 {r.randint(900, 24000)} "-" "Mozilla/5.0" {dur:.3f}')
        for t in s.spread(m, bad):
            mod, ln, p = r.choice(eps)
            pid = r.randint(8, 14)
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, f"ERROR {s.stamp(t, '%Y-%m-%d %H:%M:%S')},{r.randint(100, 999)} log {pid} "
                    f"{r.randint(139900000000000, 140300000000000)} Internal Server Error: {p.split('?')[0]}\n" + DJ_TB.format(mod=mod, ln=ln))
            pg.add(f"{db}.log", t - 0.02, pg_line(s, t - 0.02, "ERROR", "canceling statement due to statement timeout",
                   ip=s.ip("10.12"), user="crm_app", db="crm"))
        for t in s.spread(m, s.pois(0.5)):
            app.add(f"ecs/{svc}/{r.choice(tasks)}", t, f"WARNING {s.stamp(t, '%Y-%m-%d %H:%M:%S')},{r.randint(100, 999)} base "
                    f"{r.randint(8, 14)} {r.randint(139900000000000, 140300000000000)} Invalid HTTP_HOST header: "
                    f"'{r.randint(3, 54)}.{r.randint(1, 254)}.{r.randint(1, 254)}.{r.randint(1, 254)}'. You may need to add it to ALLOWED_HOSTS.")
        if m == T:
            for k in range(6):
                pg.add(f"{db}.log", m + 3 + k * 4, pg_line(s, m + 3 + k * 4, "LOG", "connection authorized: user=metabase_ro "
                       "database=crm application_name=Metabase SSL enabled (protocol=TLSv1.3)", ip="10.12.40.17", user="metabase_ro", db="crm"))
        if hot(m):
            for t in s.spread(m, s.pois(3)):
                pg.add(f"{db}.log", t, pg_line(s, t, "LOG", f'temporary file: path "base/pgsql_tmp/pgsql_tmp{r.randint(20000, 30000)}.'
                       f'{r.randint(0, 40)}", size {r.choice([1073741824, 536870912, 812843008])}', ip="10.12.40.17", user="metabase_ro", db="crm"))
            if m % 420 == 0:
                t = m + r.uniform(0, 50)
                pg.add(f"{db}.log", t, pg_line(s, t, "LOG", f"duration: {(t - T) * 1000 * r.uniform(0.7, 0.95):.3f} ms  statement: {MB_SQL}",
                       ip="10.12.40.17", user="metabase_ro", db="crm"))
    for t, line in pg_checkpoints(s, s.log_start + 41):
        pg.add(f"{db}.log", t, line)
    app.flush()
    pg.flush()
    alb_metrics(s, lb, rows)
    ecs_metrics(s, cl, svc, cpu=lambda t: s.jit(9 if hot(t) else 18 + 16 * s.diurnal(t, lo=0.2, peak=13), 0.08),
                mem=lambda t: s.jit(46, 0.02), running=lambda t: 4)
    ecs_metrics(s, cl, "crm-frontend", cpu=lambda t: s.jit(4, 0.2), mem=lambda t: s.jit(22, 0.03),
                running=lambda t: 4 if -2280 <= t < -2190 else 2, desired=lambda t: 2)
    rds_metrics(s, db, cpu=lambda t: s.jit(99.3, 0.004) if hot(t) else s.jit(22 + 14 * s.diurnal(t, lo=0.2, peak=13), 0.07),
                conns=lambda t: r.randint(88, 99) if hot(t) else r.randint(54, 66),
                free_storage=lambda t: 188.0 * GB - (t + 21600) * 6000 - (3.1 * GB if hot(t) else 0),
                freeable_mem=lambda t: s.jit(2.1 * GB if hot(t) else 3.3 * GB, 0.01),
                read_lat=lambda t: s.jit(0.0074 if hot(t) else 0.0011, 0.1), write_lat=lambda t: s.jit(0.0021, 0.1),
                read_iops=lambda t: s.jit(2900 if hot(t) else 850, 0.08), write_iops=lambda t: s.jit(420 if hot(t) else 160, 0.1),
                queue=lambda t: s.jit(6.2 if hot(t) else 0.8, 0.15))
    ec2_metrics(s, "i-0d7e6f5a4b3c2d1e0", step=300, cpu=lambda t: s.jit(98.8, 0.005) if -2500 <= t < -1700 else s.jit(5, 0.3),
                net_in=lambda t: s.jit(6e5, 0.3))
    s.alarm("prod-crm-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 2.0,
            description="CRM ALB average target response time above 2 s")
    s.readme = dict(pos="front (ALB, 2 hops: ALB -> ECS -> RDS)", decoys="crm-etl-runner EC2 at 99 % CPU from -2500 s to "
                    "-1700 s (5-min metrics); crm-frontend deploy at -2280 s; steady DisallowedHost warnings",
                    story="At -2100 s six Metabase sessions (metabase_ro) connect and start week-by-owner aggregations over "
                    "activities x contacts x deals; the Postgres log fills with multi-GB temporary-file spills and finished "
                    "statements lasting several minutes. From -2040 s prod-crm-pg's CPU is pinned at 99 %, read IOPS triple, "
                    "while connections (~95 of 800) and storage stay far from their limits. crm-api requests slow to ~3.6 s "
                    "and 12 % hit the 8 s statement_timeout (QueryCanceled -> 500). The API tasks' own CPU drops (they are "
                    "waiting), the frontend deploy serves static assets only, and the ETL box's CPU spike starts 7 min before the DB "
                    "changes and ends while the DB is still pinned, with no ETL session in the Postgres log. The database is the saturated resource: cpu_saturation on prod-crm-pg, two hops behind the alarmed ALB.")
    return s.build("prod-crm-alb-latency", "cpu_saturation", [db],
                   [("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}),
                    ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
