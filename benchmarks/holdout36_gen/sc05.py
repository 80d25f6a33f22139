"""h36-05 Tue 14:30 PDT, analytics (snake_case services): internal ALB latency.

A Metabase dashboard with 60 s auto-refresh piles full-table aggregates onto reporting-pg-main;
the 2-vCPU instance sits at 98-100 % CPU and reports_api's queries hit their statement timeout.
"""
from __future__ import annotations

from . import logfmt as L
from .common import Scenario, anomaly, smooth
from .fleet import Fleet
from .infra import GB, alb, ec2, ecs, rds
from .lam import Lambda, Outcome

CL, SVC, DB = "analytics", "reports_api", "reporting-pg-main"
LB = "app/analytics-internal/9a0c3e5f7b1d2468"
MB_IID, ROLLUP = "i-0c4e7a9b1d3f5e802", "reports_hourly_rollup"
T0 = -2700

META = {
    "region": "us-west-2", "category": "cpu_saturation", "front": "front (ALB)",
    "resources": [DB],
    "decoys": "reports_api deploy 2.5 h earlier (healthy since); hourly rollup Lambda's short DB "
              "CPU bumps every hour; a config change to that Lambda 4 h earlier; metabase-01 host "
              "itself quiet",
    "story": (
        "analytics-internal (ALB in front of the reports_api ECS service) pages on latency: "
        "0.4 s to 8-14 s, with target 5xx. reports_api's tasks are idle and its errors are "
        "`asyncpg.exceptions.QueryCanceledError: canceling statement due to statement timeout`. "
        "On reporting-pg-main (db.r6g.large, 2 vCPU) CPU goes from ~28 % to a flat 98-100 % at "
        "-45 min; connections only 45 to 75 of 1800, storage and memory fine. Its log shows why: "
        "the same `-- Metabase:: userID: 37` aggregate over events/orders re-issued every minute, "
        "each running 2-4 min with 1 GB temp files, piling up. No change on the DB or the "
        "service near the onset (the reports_api deploy was 2.5 h earlier and healthy). The "
        "database is itself exhausted (CPU), so not dependency_failure: cpu_saturation on "
        "reporting-pg-main."),
}

MB_SQL = ("-- Metabase:: userID: 37 queryType: native queryHash: {h}\nSELECT s.region, "
          "date_trunc('hour', e.created_at) AS hour, count(DISTINCT e.session_id) AS sessions, "
          "sum(o.total_cents) / 100.0 AS revenue FROM events e LEFT JOIN orders o ON o.session_id "
          "= e.session_id JOIN stores s ON s.id = e.store_id WHERE e.created_at >= now() - interval "
          "'{d} days' GROUP BY 1, 2 ORDER BY 2 DESC")


def build() -> Scenario:
    s = Scenario(5, "reports-latency-pg-cpu", 3605, "us-west-2",
                 "Paged 14:30 PDT by analytics-internal-alb-latency; store managers say the daily "
                 "sales page times out.", "2026-03-10T21:30:00", -7)
    r = s.rng
    s.resource("alb", LB, name="analytics-internal", scheme="internal")
    s.resource("ecs", f"{CL}/{SVC}", launch_type="FARGATE", desired_count=3, cpu=512, memory=1024,
               task_definition=f"{SVC}:88", log_group=f"/ecs/{CL}/{SVC}")
    s.resource("rds", DB, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
               vcpus=2, max_connections=1800, allocated_storage_gb=1000)
    s.resource("ec2", MB_IID, name="metabase-01", instance_type="m6i.large", private_ip="10.20.5.14")
    s.resource("lambda", ROLLUP, runtime="python3.12", timeout=300, memory_size=512,
               schedule="cron(5 * * * ? *)")

    f = lambda t: smooth(t, T0, T0 + 240)
    hourly = lambda t: 1.0 if 300 <= (t + s.now.minute * 60) % 3600 < 480 else 0.0
    alb_pts = alb(s, LB, {
        "RequestCount": lambda t: s.noise(260 * s.diurnal(t, 0.2, 11), 0.07) * (1 + 0.1 * f(t)),
        "TargetResponseTime": lambda t: s.noise(0.42, 0.12) + f(t) * r.uniform(7.5, 13.5),
        "HTTPCode_Target_5XX_Count": lambda t: (1 if r.random() < 0.05 else 0) + f(t) * r.uniform(6, 16),
        "HTTPCode_Target_4XX_Count": lambda t: s.noise(3, 0.4),
        "HTTPCode_ELB_5XX_Count": lambda t: f(t) * r.choice([0, 0, 0, 1]),
        "HealthyHostCount": lambda t: 3, "UnHealthyHostCount": lambda t: 0,
    })
    ecs(s, CL, SVC, {"CPUUtilization": lambda t: s.noise(18 - 6 * f(t), 0.12),
                     "MemoryUtilization": lambda t: s.noise(46, 0.03) + 4 * f(t),
                     "RunningTaskCount": lambda t: 3 + (3 if -9000 <= t < -8820 else 0)})
    rds(s, DB, {
        "CPUUtilization": lambda t: min(100, s.noise(27 + 16 * hourly(t), 0.08) * (1 - f(t)) + f(t) * r.uniform(97.4, 100)),
        "DatabaseConnections": lambda t: s.noise(45 + 4 * hourly(t) + 28 * f(t), 0.04),
        "FreeStorageSpace": lambda t: 388 * GB - (t + 21600) * 30000 + r.uniform(-1e8, 1e8),
        "FreeableMemory": lambda t: s.noise(7.9 * GB - 2.1 * GB * f(t), 0.01),
        "ReadLatency": lambda t: s.noise(0.0021 + 0.004 * f(t), 0.15),
        "WriteLatency": lambda t: s.noise(0.0017 + 0.0008 * f(t), 0.12),
        "ReadIOPS": lambda t: s.noise(640 + 300 * hourly(t) + 1900 * f(t), 0.1),
        "WriteIOPS": lambda t: s.noise(210 + 250 * f(t), 0.1),
        "DiskQueueDepth": lambda t: s.noise(0.9 + 3 * f(t), 0.2),
    })
    ec2(s, MB_IID, {"CPUUtilization": lambda t: s.noise(14 + 5 * f(t), 0.15),
                    "NetworkIn": lambda t: s.noise(3.1e6, 0.2), "NetworkOut": lambda t: s.noise(2.2e6, 0.2),
                    "StatusCheckFailed": lambda t: 0,
                    "mem_used_percent": lambda t: s.noise(61, 0.02)})

    # ---------------------------------------------------------------- PostgreSQL log
    g, st = f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0"
    mbq = lambda t: L.pg(s, t, f"duration: {r.uniform(118000, 241000):.3f} ms  statement: " +
                         MB_SQL.format(h=s.hexid(64), d=r.choice([90, 90, 180])),
                         client=f"10.20.5.14({r.randint(40000, 60000)})", user="metabase_ro", db="reporting")
    for m0 in range(T0 + 120, 0, 60):
        for _ in range(s.poisson(3.5 * f(m0))):
            t = m0 + r.random() * 60
            s.emit(g, st, t, mbq(t))
            if r.random() < 0.7:
                s.emit(g, st, t - 0.01, L.pg(s, t, f'temporary file: path "base/pgsql_tmp/pgsql_tmp{r.randint(2000, 32000)}.'
                                                   f'{r.randint(0, 40)}", size 1073741824',
                                             client="10.20.5.14(51022)", user="metabase_ro", db="reporting"))
    for m0 in range(T0 + 200, 0, 60):
        for _ in range(s.poisson(4)):
            t = m0 + r.random() * 60
            cl = f"10.20.{r.randint(1, 3)}.{r.randint(10, 250)}({r.randint(30000, 60000)})"
            if r.random() < 0.55:
                s.emit(g, st, t, L.pg(s, t, "canceling statement due to statement timeout", level="ERROR",
                                      client=cl, user=SVC, db="reporting"))
            else:
                s.emit(g, st, t, L.pg(s, t, f"duration: {r.uniform(5000, 29000):.3f} ms  execute <unnamed>: "
                                      "SELECT day, sum(net_cents) FROM daily_store_sales WHERE store_id = $1 "
                                      "AND day BETWEEN $2 AND $3 GROUP BY day", client=cl, user=SVC, db="reporting"))
    for t in range(-10800, 0, 300):
        s.emit(g, st, t + 0.4, L.pg(s, t, "checkpoint starting: time", pid=512))
        if t + 150 < 0:
            s.emit(g, st, t + 150, L.pg_checkpoint(s, t + 150, r.randint(400, 2400), r.uniform(140, 149), 0.01, pid=512))
    for tt in range(-10800, 0, 60):
        if (tt + s.now.minute * 60) % 3600 == 300:
            s.emit(g, st, tt + 95, L.pg(s, tt + 95, f"duration: {r.uniform(60000, 98000):.3f} ms  statement: "
                   "INSERT INTO hourly_store_rollup SELECT store_id, date_trunc('hour', created_at), count(*), "
                   "sum(total_cents) FROM orders WHERE created_at >= $1 GROUP BY 1, 2 ON CONFLICT DO NOTHING",
                   client="10.20.7.88(41220)", user="rollup", db="reporting"))

    # ---------------------------------------------------------------- reports_api (uvicorn)
    api = Fleet(s, f"/ecs/{CL}/{SVC}")
    for i in range(3):
        api.task(SVC, end=-8900 + i * 30)
        m = api.task(SVC, start=-8990 + i * 25)
        api.emit(m, m.start + 2, f"INFO:     Started server process [{r.randint(6, 9)}]")
        api.emit(m, m.start + 2.1, "INFO:     Waiting for application startup.")
        api.emit(m, m.start + 2.6, L.pylog(s, m.start + 2.6, "INFO", "reports_api.main", "reports_api 1.33.0 starting; pool min=2 max=10"))
        api.emit(m, m.start + 2.9, "INFO:     Application startup complete.")
        api.emit(m, m.start + 3.0, "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)")
    paths = ["/v1/reports/daily-sales?store={n}&day=2026-03-10", "/v1/reports/top-products?store={n}",
             "/v1/reports/labour?store={n}&week=2026-W11"]

    def ok(t, m):
        p = r.choice(paths).format(n=r.randint(100, 480))
        api.emit(m, t, f'INFO:     10.20.{r.randint(1, 3)}.{r.randint(10, 250)}:{r.randint(30000, 60000)} - "GET {p} HTTP/1.1" 200 OK')
    api.spread(-7200, 0, lambda t: 24 * s.diurnal(t, 0.2, 11) * (1 - 0.5 * f(t)), ok)
    api.spread(-7200, 0, lambda t: 1.5, lambda t, m: api.emit(m, t, L.pylog(
        s, t, "WARNING", "reports_api.auth", f"token for client_id=storeapp-{r.randint(100, 480)} expires in < 24h; refresh scheduled")))

    def err(t, m):
        p = r.choice(paths[:2]).format(n=r.randint(100, 480))
        route = "daily_sales" if "daily" in p else "top_products"
        tb = ("Traceback (most recent call last):\n"
              f'  File "/app/reports_api/routes/sales.py", line {74 if route == "daily_sales" else 118}, in {route}\n'
              "    rows = await conn.fetch(SQL[route], store_id, day)\n"
              '  File "/usr/local/lib/python3.12/site-packages/asyncpg/connection.py", line 690, in fetch\n'
              "    return await self._execute(\n"
              '  File "/usr/local/lib/python3.12/site-packages/asyncpg/connection.py", line 1864, in _execute\n'
              "    result, _ = await self.__execute(\n"
              '  File "asyncpg/protocol/protocol.pyx", line 207, in bind_execute\n'
              "asyncpg.exceptions.QueryCanceledError: canceling statement due to statement timeout")
        api.emit(m, t, L.pylog(s, t, "ERROR", f"reports_api.routes.{route}", f"query failed for {p}\n{tb}"))
        api.emit(m, t + 0.003, f'INFO:     10.20.{r.randint(1, 3)}.{r.randint(10, 250)}:{r.randint(30000, 60000)} - "GET {p} HTTP/1.1" 503 Service Unavailable')
    pts5 = dict(map(tuple, alb_pts["HTTPCode_Target_5XX_Count"]))
    for m0 in range(T0, 0, 60):
        for _ in range(int(pts5.get(m0, 0))):
            t = m0 + r.random() * 60
            err(t, r.choice(api.alive(t)))

    def roll(t):
        return Outcome("ok", r.uniform(88000, 126000), r.randint(140, 170),
                       [(0.05, "INFO", "rolling up orders into hourly_store_rollup"),
                        (85.0, "INFO", f"upserted {r.randint(3000, 9000)} rows")])
    Lambda(s, ROLLUP, "python3.12", 512, 300, log_start=-10800).run(
        lambda t: 1.0 if (t + s.now.minute * 60) % 3600 == 300 else 0.0, roll, exact=True)

    s.change(-9020, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", f"{SVC}:88", "github-actions-analytics")
    s.change(-9000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{CL}/{SVC}", "github-actions-analytics")
    s.change(-14000, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             ROLLUP, "terraform-analytics")

    dims = {"LoadBalancer": LB}
    s.alarm("analytics-internal-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", dims,
            alb_pts["TargetResponseTime"], "Average", 60, 3, 5, "GreaterThanThreshold",
            "reports_api latency via analytics-internal ALB")
    ddims = {"DBInstanceIdentifier": DB}
    s.expect("analytics-internal-alb-latency", "cpu_saturation", META["resources"],
             [anomaly("AWS/RDS", "CPUUtilization", ddims),
              anomaly("AWS/ApplicationELB", "TargetResponseTime", dims)])
    s.meta = META
    return s
