"""S15 Go metering consumer panics after a release; S16 one tenant's dashboard query pins the shared Postgres CPU."""
import json

from . import fmt, packs
from .common import TENANTS, clock, expect, meta, pick
from .core import Scenario, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S15
def s15():
    S = Scenario(15, "metering-consumer-nil-panic", "ap-southeast-1",
                 "Usage metering lagging; usage-metering-ingest Errors alarm in ALARM (analytics DB CPU alarm too).",
                 clock(2026, 11, 27, 9, 20))
    rng = S.rng
    FN, DEP = "usage-metering-ingest", -2160
    ON = DEP + 12
    S.res("lambda", FN, runtime="provided.al2023", architecture="arm64", timeout=30, memory_size=256, alias="live",
          event_source="sqs:metering-events", batch_size=50, report_batch_item_failures=False)
    S.res("rds", "metering-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.large",
          max_connections=800)
    S.res("rds", "analytics-pg", engine="postgres", engine_version="16.4", instance_class="db.r6g.2xlarge",
          max_connections=1000)
    S.res("lambda", "tenant-quota-enforcer", runtime="python3.12", timeout=30, memory_size=256)
    REFRESH = -1500
    legacy = 0.42
    base = lambda t: 22 * diurnal(t)
    inv = lambda t: base(t) * (1 + 0.7 * step(t, ON))
    packs.sqs(S, "metering-events", visible=lambda t: 120 + 900 * ramp(t, ON, 0) * 4,
              age=lambda t: 8 + max(0.0, t - ON) * 0.9, sent=lambda t: base(t) * 50)
    packs.rds(S, "metering-pg", cpu=lambda t: 24 * diurnal(t) - 5 * step(t, ON), conns=lambda t: 110.0,
              free_gb=lambda t: 150.0 - 0.01 * (t + 21600) / 3600)
    packs.rds(S, "analytics-pg", cpu=lambda t: 21 + 73 * step(t, REFRESH), conns=lambda t: 75 + 10 * step(t, REFRESH),
              free_gb=lambda t: 720.0, read_iops=lambda t: 600 + 5200 * step(t, REFRESH), freeable_gb=lambda t: 25.0)

    fn = LambdaFn(S, FN, "provided.al2023", 256, 30, log_from=-5400,
                  versions=[(-21600, "211"), (DEP + 12, "212")])
    panic = ("panic: runtime error: invalid memory address or nil pointer dereference\n"
             "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4f1c2a]\n\n"
             "goroutine 1 [running]:\n"
             "github.com/orbitly/metering/internal/pricing.(*Engine).PriceEvent(0x4000196000, 0x40001f4a80)\n"
             "\t/build/internal/pricing/engine.go:64 +0x3a\n"
             "main.handleBatch({0x5e2f10, 0x4000098120}, {{0x40001b4000, 0x32, 0x32}})\n"
             "\t/build/cmd/ingest/main.go:88 +0x1d4\n")
    err_json = json.dumps({"errorMessage": "runtime error: invalid memory address or nil pointer dereference",
                           "errorType": "runtimeError",
                           "stackTrace": [{"path": "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", "line": 39,
                                           "label": "lambdaPanicResponse"},
                                          {"path": "/build/internal/pricing/engine.go", "line": 64,
                                           "label": "(*Engine).PriceEvent"}]})

    def ingest(t):
        ver = fn._version_at(t)
        rid = "%RID%"
        tenants = rng.sample(TENANTS, 4)
        logs = [("RAW", fmt.slog(S, t, "INFO", "batch received", request_id=rid, messages=50, version=ver,
                                 tenants=tenants))]
        if rng.random() < 0.25:
            logs.append(("RAW", fmt.slog(S, t, "WARN", "duplicate event dropped", request_id=rid, tenant=tenants[0],
                                         event_id="ev_%s" % S.hexid(12))))
        if ver == "212" and rng.random() < 1 - (1 - legacy) ** 3:
            return Inv("crash", rng.uniform(20, 60), rng.randint(28, 34), logs, ("runtimeError", err_json + "\n" + panic, []))
        logs.append(("RAW", fmt.slog(S, t, "INFO", "priced and stored usage", request_id=rid, rows=50,
                                     db="metering-pg", took_ms=rng.randint(30, 110))))
        return Inv("ok", rng.uniform(90, 220), rng.randint(28, 36), logs)
    fn.run(inv, ingest)

    q = LambdaFn(S, "tenant-quota-enforcer", "python3.12", 256, 30, log_from=-5400)
    q.run(lambda t: 2.0, lambda t: Inv("ok", rng.uniform(80, 200), 66, [
        ("INFO", "quota check tenant=%s usage=%d%% of plan" % (pick(S, TENANTS), rng.randint(5, 97)))]))

    pgl = fmt.every(-21600, 0, 300, lambda tt: fmt.pg(S, tt, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%)" % (
        rng.randint(1000, 5000), rng.uniform(1, 4)), pid=702), jitter=30, S=S)
    pgl.append((REFRESH + 1, fmt.pg(S, REFRESH + 1, "LOG", "statement: REFRESH MATERIALIZED VIEW CONCURRENTLY "
                                     "tenant_health_scores", ip="10.60.4.21", user="etl", db="analytics", pid=33120)))
    pgl.append((REFRESH + 2, fmt.pg(S, REFRESH + 2, "LOG", "scheduled job 'daily-health-scores' started by pg_cron",
                                     pid=33119)))
    S.log("/aws/rds/instance/analytics-pg/postgresql", "analytics-pg.0", pgl)

    S.change(DEP, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "github-actions")
    S.change(DEP + 6, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", FN, "github-actions")
    S.change(DEP + 12, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Alias", FN, "github-actions")
    S.alarm("usage-metering-ingest-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 5,
            description="Metering ingest failing")
    S.alarm("analytics-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "analytics-pg"}, "Average",
            300, 2, 85)
    expect(S, "usage-metering-ingest-errors", "bad_deployment", [FN],
           [("AWS/Lambda", "Errors", {"FunctionName": FN})])
    meta(S, "bad_deployment", "lambda %s" % FN, "origin (Lambda errors)",
         "analytics-pg CPU alarm firing at the same time (daily pg_cron materialized-view refresh on a DB the "
         "function never touches); steady 'duplicate event dropped' WARN",
         "github-actions published version 212 of the Go metering consumer and moved the `live` alias 36 minutes "
         "ago. From that moment batches that contain an event from a legacy-plan tenant (no plan attributes) panic "
         "with 'invalid memory address or nil pointer dereference' in pricing.(*Engine).PriceEvent and the runtime "
         "exits; version 211 never did this. Failed batches are redelivered, so invocations rise and the queue age "
         "grows. The analytics-pg CPU alarm that fired 11 minutes later is a scheduled REFRESH MATERIALIZED VIEW on "
         "a different database; metering-pg is healthy. New error signature right after a code deployment: "
         "bad_deployment on usage-metering-ingest.")
    return S


# ============================================================== S16
def s16():
    S = Scenario(16, "shared-pg-cpu-tenant-widget", "eu-central-1",
                 "Dashboards timing out for many tenants; dashboards-api latency alarm fired.",
                 clock(2026, 11, 23, 14, 5))
    rng = S.rng
    DB, ON = "analytics-shared-pg", -2520
    S.res("rds", DB, engine="postgres", engine_version="14.12", instance_class="db.m6g.xlarge", vcpus=4,
          max_connections=900, statement_timeout="15s")
    S.res("apigateway", "dashboards-api", stage="prod", integration="lambda:dashboard-query")
    S.res("lambda", "dashboard-query", runtime="python3.12", timeout=20, memory_size=512,
          trigger="apigateway:dashboards-api")
    S.res("ecs", "insights-prod/rollup-worker", cluster="insights-prod", service="rollup-worker",
          launch_type="FARGATE", desired_count=3, log_groups=["/ecs/insights-prod/rollup-worker"])
    S.res("ecs", "insights-prod/notifications", cluster="insights-prod", service="notifications",
          launch_type="FARGATE", desired_count=2)
    hot = lambda t: ramp(t, ON, ON + 120)
    d = {"DBInstanceIdentifier": DB}
    packs.rds(S, DB, cpu=lambda t: 31 * diurnal(t) + 68 * hot(t), conns=lambda t: 180 + 240 * hot(t),
              free_gb=lambda t: 260.0, read_lat=lambda t: 0.0011 + 0.004 * hot(t),
              freeable_gb=lambda t: 6.5 - 1.2 * hot(t), read_iops=lambda t: 1100 + 5400 * hot(t))
    S.gauge("AWS/RDS", "DBLoadCPU", d, "Count", lambda t: 1.3 + 21 * hot(t), noise=0.08)
    S.gauge("AWS/RDS", "DBLoad", d, "Count", lambda t: 1.8 + 24 * hot(t), noise=0.08)
    rate = lambda t: 50 * diurnal(t)
    packs.apigw(S, "dashboards-api", count=rate, e4=lambda t: 2.0, e5=lambda t: 0.05 + 0.3 * rate(t) * hot(t),
                latency=lambda t: 260 + 11800 * hot(t), integ=lambda t: 240 + 11800 * hot(t))
    packs.ecs(S, "insights-prod", "rollup-worker", cpu=lambda t: 22 - 10 * hot(t), mem=lambda t: 41.0)
    packs.ecs(S, "insights-prod", "notifications", cpu=lambda t: 8.0, mem=lambda t: 30 + 3 * step(t, -5700))

    fn = LambdaFn(S, "dashboard-query", "python3.12", 512, 20, log_from=-4800)
    widgets = ["revenue_by_month", "active_users", "pipeline_stage", "region_heatmap", "churn_risk"]

    def query(t):
        tenant = pick(S, TENANTS + ["t_0420"] * 3)
        w = "region_heatmap" if tenant == "t_0420" and t >= ON - 60 else pick(S, widgets[:3])
        logs = [("INFO", "widget=%s tenant=%s range=90d" % (w, tenant))]
        if rng.random() < 0.1:
            logs.append(("WARNING", "widget cache miss tenant=%s key=w:%s:%s" % (tenant, w, S.hexid(6))))
        if hot(t) > 0.5:
            if rng.random() < 0.3:
                return Inv("error", 15000 + rng.uniform(30, 200), rng.randint(104, 118), logs,
                           ("psycopg.errors.QueryCanceled", "canceling statement due to statement timeout",
                            ['  File "/var/task/app.py", line 51, in handler\n    rows = cur.execute(sql, params).fetchall()',
                             '  File "/var/task/psycopg/cursor.py", line 732, in execute\n    raise ex.with_traceback(None)']))
            dd = rng.uniform(6000, 14500)
            logs.append(("INFO", "query ok rows=%d db_ms=%d" % (rng.randint(10, 500), dd - 40)))
            return Inv("ok", dd, rng.randint(104, 118), logs)
        dd = rng.uniform(120, 420)
        logs.append(("INFO", "query ok rows=%d db_ms=%d" % (rng.randint(10, 500), dd - 40)))
        return Inv("ok", dd, rng.randint(104, 118), logs)
    fn.run(rate, query)

    SQL = ("SELECT date_trunc('hour', occurred_at) AS bucket, count(*) FROM widget_events WHERE tenant_id = $1 AND "
           "payload->>'region' = $2 AND occurred_at > now() - interval '90 days' GROUP BY 1")
    pgl = fmt.every(-21600, 0, 300, lambda tt: fmt.pg(S, tt, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%)" % (
        rng.randint(800, 3000), rng.uniform(0.5, 2)), pid=519), jitter=20, S=S)
    pgl += fmt.spread(S, -21600, ON, lambda t: 0.1, lambda tt: fmt.pg(
        S, tt, "LOG", "duration: %.3f ms  execute <unnamed>: SELECT stage, sum(amount) FROM deals WHERE tenant_id = $1 "
        "GROUP BY 1" % rng.uniform(1000, 1400), ip="10.50.%d.%d" % (rng.randint(1, 9), rng.randint(4, 250)),
        user="dash_ro", db="analytics"))
    pgl += fmt.spread(S, ON - 60, 0, lambda t: 14.0, lambda tt: fmt.pg(
        S, tt, "LOG", "duration: %.3f ms  execute <unnamed>: %s" % (rng.uniform(9000, 14990), SQL),
        ip="10.50.%d.%d" % (rng.randint(1, 9), rng.randint(4, 250)), user="dash_ro", db="analytics"))

    def cancel(tt):
        ip = "10.50.%d.%d" % (rng.randint(1, 9), rng.randint(4, 250))
        pid = rng.randint(2000, 30000)
        return [(tt, fmt.pg(S, tt, "ERROR", "canceling statement due to statement timeout", ip=ip, user="dash_ro",
                            db="analytics", pid=pid)),
                (tt + 0.001, fmt.pg(S, tt, "STATEMENT", pick(S, [SQL, "SELECT stage, sum(amount) FROM deals WHERE "
                                                                 "tenant_id = $1 GROUP BY 1"]),
                                    ip=ip, user="dash_ro", db="analytics", pid=pid))]
    pgl += fmt.spread(S, ON + 60, 0, lambda t: 12.0, cancel)
    S.log("/aws/rds/instance/%s/postgresql" % DB, "%s.0" % DB, pgl)

    rw = fmt.spread(S, -4800, 0, lambda t: 2.0, lambda tt: fmt.zap(
        S, tt, "info" if hot(tt) < 0.5 else "warn", "rollup/run.go:77",
        "hourly rollup finished" if hot(tt) < 0.5 else "hourly rollup slow",
        tenant=pick(S, TENANTS), took_ms=int(rng.uniform(900, 3500) * (1 + 14 * hot(tt)))))
    rw.append((ON - 150, fmt.zap(S, ON - 150, "info", "widgets/api.go:140", "widget created", tenant="t_0420",
                                 widget="region_heatmap", filter="payload.region", refresh_s=30)))
    S.log("/ecs/insights-prod/rollup-worker", "ecs/rollup-worker/" + S.hexid(32), rw)

    S.change(-5730, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "notifications:19",
             "github-actions")
    S.change(-5700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "insights-prod/notifications",
             "github-actions")
    S.alarm("dashboards-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "dashboards-api"}, "Average", 60, 5,
            5000, description="Dashboards API slow")
    S.alarm("dashboard-query-errors", "AWS/Lambda", "Errors", {"FunctionName": "dashboard-query"}, "Sum", 60, 3, 5)
    expect(S, "dashboards-api-latency", "cpu_saturation", [DB],
           [("AWS/RDS", "CPUUtilization", d), ("AWS/ApiGateway", "Latency", {"ApiName": "dashboards-api"})])
    meta(S, "cpu_saturation", "rds %s" % DB, "front (API Gateway dashboards-api)",
         "notifications ECS deploy 95 min before; steady 'widget cache miss' WARNING; pre-existing ~1.2 s slow-query "
         "log lines on another query",
         "Tenant t_0420 created a 'region_heatmap' widget that filters widget_events on an unindexed JSONB key with "
         "a 30 s auto-refresh. Two minutes later the shared Postgres (4 vCPU) is at ~99 % CPU with DBLoadCPU ~22, "
         "the slow-query log fills with 9-15 s executions of that sequential-scan statement and everything else on "
         "the instance queues behind it: the dashboard Lambda's queries take 6-15 s and ~30 % are cancelled by the "
         "15 s statement_timeout, so the API latency alarm pages; the rollup worker slows down too. Connections rise "
         "but stay far below 900, storage is fine, and no change touched these resources. The dependency is itself "
         "saturated, so this is cpu_saturation on analytics-shared-pg rather than a plain dependency failure.")
    return S
