"""h52-14: a DB parameter-group edit adds ONLY_FULL_GROUP_BY to reports-db's sql_mode."""
from __future__ import annotations

import json

from .common import Scenario, apigw_pack, ecs_pack, lambda_pack, ramp, rds_pack
from .logfmt import LambdaSim, mysql_err, starts_from

T_UI, T_API, T_RQ, T_PG, T_ETL, T_IAM = -4800, -3300, -2700, -1980, -1500, -600
ON = T_PG + 5
LEGACY = 0.45
FULL = -1100        # by now every pooled connection was opened under the new global sql_mode
MSGS = {
    "/reports/top-customers": ("Expression #2 of SELECT list is not in GROUP BY clause and contains nonaggregated column "
                               "'reports.c.name' which is not functionally dependent on columns in GROUP BY clause; this "
                               "is incompatible with sql_mode=only_full_group_by"),
    "/reports/regional-sales": ("Expression #3 of SELECT list is not in GROUP BY clause and contains nonaggregated column "
                                "'reports.o.region_label' which is not functionally dependent on columns in GROUP BY "
                                "clause; this is incompatible with sql_mode=only_full_group_by"),
}


def build():
    s = Scenario(14, "reports-db-sql-mode", "eu-west-3", "2026-05-26T10:10:00",
                 "Finance dashboards: several classic reports show 'Report failed to load'; the reports-api 5XX alarm "
                 "fired on a morning with a dashboard redesign, an API deployment and a reports-query release.")
    s.resource("apigateway", "reports-api", api_id="r5t9y3u7i1", stage="prod", integration="lambda-proxy:reports-query:live")
    s.resource("lambda", "reports-query", runtime="nodejs18.x", timeout=29, memory_size=1024, alias="live",
               db="reports-db (mysql2 pool, connectionLimit=2 per environment)")
    s.resource("lambda", "reports-etl", runtime="python3.12", timeout=600, memory_size=2048, schedule="rate(10 minutes)")
    s.resource("rds", "reports-db", engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
               max_connections=2000, allocated_storage_gb=500, parameter_group="reports-mysql80-params")
    s.resource("ecs", "reports/dashboard-ui", launch_type="FARGATE", desired_count=2, runtime="nginx + React SPA")

    api_c = s.series(lambda t: s.count(185 * (0.6 + 0.4 * ramp(t, -21600, -7200))))
    frac = {t: ramp(t, ON, FULL) ** 0.7 for t in api_c}
    bad = {t: (s.count(api_c[t] * LEGACY * frac[t]) if t >= ON else 0.0) for t in api_c}
    e5 = {t: bad[t] + (1.0 if s.rng.random() < 0.03 else 0.0) for t in api_c}
    dur = {t: 380 + s.noise(30) - 250 * bad[t] / max(api_c[t], 1) for t in api_c}
    apigw_pack(s, "reports-api", api_c, {t: s.count(1.5) for t in api_c}, e5, {t: dur[t] + 28 + s.noise(4) for t in api_c},
               {t: dur[t] + 8 + s.noise(2) for t in api_c})
    lambda_pack(s, "reports-query", api_c, bad, dur)
    etl = s.series(lambda t: 1.0 if t % 600 == 0 else None)
    lambda_pack(s, "reports-etl", etl, {t: 0.0 for t in etl}, {t: 148000 + s.noise(9000) for t in etl},
                conc={t: 1.0 for t in etl})
    rds_pack(s, "reports-db", {t: 28 + s.noise(3) + (22 if t % 600 < 180 else 0) - 9 * frac[t] for t in api_c},
             s.series(lambda t: 37 + s.noise(2)), s.series(lambda t: 244.0e9 - (t + 21600) * 2000 + s.noise(4e7)),
             s.series(lambda t: 12.1e9 + s.noise(1e8)), s.series(lambda t: 0.0013 + abs(s.noise(0.0003))))
    ecs_pack(s, "reports", "dashboard-ui", s.series(lambda t: 4 + s.noise(0.8) + (18 if T_UI <= t < T_UI + 240 else 0)),
             s.series(lambda t: 22 + s.noise(0.6)), s.series(lambda t: 2.0 + (2 if T_UI <= t < T_UI + 240 else 0)),
             s.series(lambda t: 2.0))

    # ---- reports-query (Node) logs: version 57 before the alias flip, 58 after
    routes_legacy = list(MSGS)
    routes_new = ["/reports/v2/revenue-bridge", "/reports/v2/cohort-retention", "/reports/ar-aging", "/exports/csv"]

    def handler(version):
        def h(t, rid):
            m = int(t // 60 * 60)
            legacy = s.rng.random() < LEGACY
            pool = [r for r in routes_new if version == 58 or "/v2/" not in r]
            route = s.rng.choice(routes_legacy if legacy else pool)
            q = f"from=2026-0{s.rng.randint(1, 5)}-01&to=2026-05-25&entity={s.rng.choice(['FR01', 'DE02', 'ES01'])}"
            lines = [(0.002, "INFO", f"GET {route}?{q}")]
            if s.rng.random() < 0.04:
                lines.append((0.003, "WARN", "slow report cache miss for key=fx-rates-2026-05 (rebuilding)"))
            if legacy and t >= ON and s.rng.random() < frac.get(m, 1.0):
                msg = MSGS[route]
                err = {"code": "ER_WRONG_FIELD_WITH_GROUP", "errno": 1055, "sqlState": "42000", "sqlMessage": msg}
                lines.append((0.09, "ERROR", f"query failed route={route} " + json.dumps(err)))
                return {"lines": lines, "dur": 95 + s.noise(10), "mem": 171, "error": ("Error", msg, [
                    "    at PromisePool.query (/var/task/node_modules/mysql2/promise.js:356:22)",
                    f"    at runReport (/var/task/src/reports/{route.split('/')[-1]}.js:41:30)",
                    "    at async Runtime.handler (/var/task/src/index.js:58:20)"])}
            rows = s.rng.randint(8, 400)
            ms = s.rng.randint(120, 700)
            lines.append((ms / 1000, "INFO", f"GET {route} 200 {ms}ms rows={rows}"))
            return {"lines": lines, "dur": ms + 15, "mem": 176}
        return h

    st = starts_from(s, api_c, 0.1)
    for version, a, b in ((57, -10800, T_RQ + 20), (58, T_RQ + 20, 0)):
        sim = LambdaSim(s, "reports-query", "nodejs18.x", 1024, 29, version=str(version))
        sim.run([x for x in st if a <= x < b], handler(version), envs=3,
                init_lines=lambda t, v=version: [(0.15, "INFO", f"reports-query 3.{3 + v - 57}.0 init; mysql pool to "
                                                               "reports-db.c1x2y3z4a5b6.eu-west-3.rds.amazonaws.com "
                                                               "(connectionLimit=2)")])

    esim = LambdaSim(s, "reports-etl", "python3.12", 2048, 600)

    def etl_h(t, rid):
        n = s.rng.randint(40000, 90000)
        return {"lines": [(0.1, "INFO", "loading ledger deltas since last watermark"),
                          (140.0, "INFO", f"upserted {n} rows into reports.fact_sales; watermark advanced")],
                "dur": 148000 + s.noise(8000), "mem": 900}

    esim.run([t + 1 for t in etl if t >= -10800], etl_h, envs=1)

    # ---- MySQL error log (routine only: sql_mode changes are not logged)
    ev = []
    for t in range(-21600, 0, 60):
        if s.rng.random() < 0.05:
            ev.append((t + 17, mysql_err(s, t + 17, 0, "Warning", "MY-010055", f"IP address '10.60.{s.rng.randint(1, 8)}."
                                         f"{s.rng.randint(2, 250)}' could not be resolved: Name or service not known")))
        if t % 3600 == 0:
            ev.append((t + 2, mysql_err(s, t + 2, 0, "Note", "MY-010932", "Unsafe statement written to the binary log "
                                        "using statement format since BINLOG_FORMAT = STATEMENT. (reports-etl watermark)")))
    s.log("/aws/rds/instance/reports-db/error", "reports-db", ev)

    # ---- changes
    s.change(T_UI - 12, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "dashboard-ui:33",
             "gha-deployer")
    s.change(T_UI, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "reports/dashboard-ui", "gha-deployer")
    s.change(T_API, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "reports-api",
             "gha-deployer")
    s.change(T_RQ, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "reports-query",
             "gha-deployer")
    s.change(T_RQ + 10, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "reports-query",
             "gha-deployer")
    s.change(T_RQ + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", "reports-query:live",
             "gha-deployer")
    s.change(T_PG, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "reports-mysql80-params",
             "dba-automation")
    s.change(T_ETL, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
             "reports-etl", "data-eng-l.petit")
    s.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "quicksight-reader-role", "terraform-ci")

    a = s.alarm("reports-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": "reports-api"}, "Sum", 60, 3, 10,
                "GreaterThanThreshold", expect_state="ALARM")
    s.alarm("reports-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "reports-db"}, "Average", 300,
            3, 80, "GreaterThanThreshold", expect_state="OK")
    res = ["reports-db", "reports-mysql80-params"]
    doc = s.render({"alarm": a["name"], "root_cause": {"category": "config_change", "resource": res},
                    "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": "reports-query"}},
                                  {"namespace": "AWS/ApiGateway", "name": "5XXError",
                                   "dimensions": {"ApiName": "reports-api"}}]})
    meta = dict(alarm=a["name"], category="config_change", resources=res,
                where="front (API Gateway; origin is the database parameter group two hops down)",
                decoys="reports-query 3.4.0 deploy + alias flip 12 min before; reports-api CreateDeployment; "
                       "dashboard-ui redesign deploy; reports-etl env change after onset; IAM edit on a QuickSight role; "
                       "periodic ETL CPU bumps on reports-db; steady cache-miss WARN",
                story="Three large releases go out (dashboard-ui redesign, a new API deployment, reports-query 3.4.0 "
                      "with new /v2 reports) and run cleanly. At -33 min dba-automation modifies the "
                      "reports-mysql80-params parameter group attached to reports-db. From then on the legacy "
                      "reports that have been unchanged for months fail with MySQL error 1055 "
                      "`... this is incompatible with sql_mode=only_full_group_by`, and the failures grow over about "
                      "15 minutes as pooled connections are reopened under the new global sql_mode. The new /v2 "
                      "endpoints keep working, the database is healthy, and the error text names the setting. "
                      "Label: config_change on reports-db (its parameter group).")
    return doc, meta
