"""Scenarios 09-10."""
from __future__ import annotations

from .blocks import lambda_metrics, rds_metrics, rest_api_metrics, sqs_metrics
from .common import Scn, ramp
from .lambdalog import Inv, lambda_logs, lambda_logs_at, node_invoke_error

GB = 1024 ** 3


def b09() -> Scn:
    sc = Scn(9, "catalog-latency-db-cpu-feed-export", "ap-northeast-1", 2909, "2026-03-18T03:45:00",
             "Catalog pages slow at lunchtime; API Gateway latency alarm on the catalog API.")
    on = -2700
    hot = lambda t: ramp(t, on + 30, on + 330)
    sc.res("rds", "catalog-db", engine="mysql", engine_version="8.0.39", instance_class="db.r6g.large",
           max_connections=1000, allocated_storage_gb=500)
    sc.res("apigateway", "catalog-rest-api", stage="prod", integration="catalog-api")
    sc.res("lambda", "catalog-api", runtime="nodejs20.x", timeout=10, memory_size=1024,
           environment={"DB_STATEMENT_TIMEOUT_MS": "3000"})
    sc.res("lambda", "search-feed-export", runtime="python3.12", timeout=900, memory_size=1024,
           trigger="SQS feed-export-shards (maximum concurrency 8), filled daily by EventBridge cron(0 3 * * ? *)")
    sc.res("lambda", "price-alerts", runtime="nodejs20.x", timeout=60, memory_size=512,
           trigger="EventBridge rate(10 minutes)")
    traffic = lambda t: 2300 * sc.diurnal(t, 3.5, 0.35)
    rds_metrics(sc, "catalog-db", lambda t: 27 * sc.diurnal(t, 3.5, 0.3) + 72 * hot(t),
                lambda t: 64 * sc.diurnal(t, 3.5, 0.3) + 38 * hot(t), lambda t: 212 * GB - (t + 21600) * 2000,
                read_lat=lambda t: 0.0009 + 0.0052 * hot(t), freeable_mem=lambda t: 4.4e9)
    db = {"DBInstanceIdentifier": "catalog-db"}
    sc.doc["metrics"][0]["points"] = [[t, min(99.6, v) if t < on + 330 else round(96.2 + sc.rng.uniform(0, 3.6), 3)]
                                      for t, v in sc.doc["metrics"][0]["points"]]
    sc.series[("AWS/RDS", "CPUUtilization", tuple(db.items()))] = sc.doc["metrics"][0]["points"]
    sc.metric("AWS/RDS", "ReadIOPS", db, "Count/Second", sc.gauge(lambda t: 900 + 2600 * hot(t), noise=0.08, nd=1))
    lat = lambda t: 62 + 2350 * hot(t)
    rest_api_metrics(sc, "catalog-rest-api", traffic, lambda t: 0.0003 + 0.055 * hot(t), lambda t: 0.011, lat)
    lambda_metrics(sc, "catalog-api", traffic, lambda t: 0.0002 + 0.055 * hot(t), lambda t: lat(t) - 12)
    lambda_metrics(sc, "search-feed-export", lambda t: 1.15 if t >= on else None, lambda t: 0.0,
                   lambda t: 415000, conc_extra=lambda t: 8, conc_cap=8)
    lambda_metrics(sc, "price-alerts", lambda t: 1.0 if sc.wall(t).minute % 10 == 0 else None,
                   lambda t: 0.0, lambda t: 3100)
    qt = "SequelizeDatabaseError: Query execution was interrupted, maximum statement execution time exceeded"

    def api(sc, t, rid, env):
        r = sc.rng
        sku = f"{r.choice(['JP', 'KR', 'TW'])}-{r.randint(100000, 999999)}"
        route = r.choice([f"GET /products/{sku}", f"GET /products/{sku}", "GET /categories/{id}/products?page=2",
                          f"GET /products/{sku}/related"])
        h = hot(t)
        if h and r.random() < 0.055 * h:
            d = 3000 + r.uniform(5, 60)
            return Inv(d + 15, r.randint(150, 180), [
                (d, "ERROR", f"{route} failed after {d:.0f}ms; returning 503 {qt}\n    at Query.formatError "
                             f"(/var/task/node_modules/sequelize/lib/dialects/mysql/query.js:265:16)\n    at Query.run "
                             f"(/var/task/node_modules/sequelize/lib/dialects/mysql/query.js:59:18) "
                             f"{{ code: 'ER_QUERY_TIMEOUT', errno: 3024, sqlState: 'HY000' }}")], "ok")
        d = max(8.0, r.gauss(45 + 2300 * h, 18 + 600 * h))
        lines = [(d - 2, "INFO", f"{route} 200 {d:.0f}ms")]
        if r.random() < 0.03:
            lines.insert(0, (1, "WARN", "deprecated query param 'fields' used by client app-ios/5.2.1"))
        return Inv(d, r.randint(150, 180), lines)

    lambda_logs(sc, "catalog-api", "nodejs20.x", -7200, 0, 3, lambda t: 4.0, api, 1024, 10)

    def export(sc, t, rid, env):
        r = sc.rng
        lo = r.randrange(1000, 9000, 50)
        d = r.uniform(240000, 600000)
        lines = [(5, "INFO", f"shard categories {lo}-{lo + 49}: export started (run 2026-03-18, 4,318,220 rows "
                             f"in scope, previous run 2,104,877)")]
        off = 5.0
        while off + 60000 < d:
            off += r.uniform(50000, 70000)
            lines.append((off, "INFO", f"shard {lo}-{lo + 49}: {r.randint(4000, 9000):,} rows written to "
                                       f"s3://search-feed-prod/2026-03-18/ (elapsed {off / 1000:.0f} s)"))
        lines.append((d - 20, "INFO", f"shard {lo}-{lo + 49}: done in {d / 1000:.0f} s"))
        return Inv(d, r.randint(300, 420), lines)

    lambda_logs(sc, "search-feed-export", "python3.12", on, 0, 3, lambda t: 3.0 if t >= on else 0.0, export,
                1024, 900, start_cold=True, init_ms=(700, 1100))
    slow = []
    t = float(on + 200)
    while t < -1:
        t += sc.rng.expovariate(6 / 60)
        if sc.rng.random() < 0.35:
            qt_, rows, user, q = (sc.rng.uniform(180, 900), sc.rng.randint(6_000_000, 9_500_000), "feed_export",
                                  "SELECT p.*, pa.attrs, pr.price FROM products p JOIN product_attributes pa ON "
                                  "pa.product_id = p.id JOIN prices pr ON pr.product_id = p.id WHERE p.category_id "
                                  f"BETWEEN {sc.rng.randrange(1200, 2800, 200)} AND 1399 ORDER BY p.updated_at;")
        else:
            qt_, rows, user, q = (sc.rng.uniform(1.1, 2.99), sc.rng.randint(20, 900), "catalog_api",
                                  "SELECT id, sku, title, price FROM products WHERE sku IN (?) AND status = 'active';")
        cid = sc.rng.randint(40000, 49999)
        slow.append((t, f"# Time: {sc.iso_us(t)}\n# User@Host: {user}[{user}] @  [10.20.{sc.rng.randint(4, 7)}."
                        f"{sc.rng.randint(3, 250)}]  Id: {cid}\n# Query_time: {qt_:.6f}  Lock_time: 0.000011 "
                        f"Rows_sent: {sc.rng.randint(1, 50000)}  Rows_examined: {rows}\nSET timestamp="
                        f"{int(sc.wall(t).timestamp())};\n{q}"))
    sc.log("/aws/rds/instance/catalog-db/slowquery", "catalog-db", slow)
    sc.change(-3300, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "price-alerts", "circleci-deployer")
    sc.change(-14000, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "catalog-rest-api",
              "terraform-ci")
    api_d = {"ApiName": "catalog-rest-api"}
    sc.alarm("catalog-rest-api-latency", "AWS/ApiGateway", "Latency", api_d, "Average", 60, 5, 1000,
             description="Catalog API average latency above 1 s", want="ALARM")
    sc.alarm("price-alerts-errors", "AWS/Lambda", "Errors", {"FunctionName": "price-alerts"}, "Sum", 300, 1, 1,
             comparison="GreaterThanOrEqualToThreshold", want="OK")
    sc.expect("catalog-rest-api-latency", "cpu_saturation", ["catalog-db"],
              [("AWS/RDS", "CPUUtilization", db), ("AWS/ApiGateway", "Latency", api_d)])
    sc.readme("front (REST API)", "price-alerts deploy 10 min before onset; API stage update ~3 h earlier; "
              "steady deprecated-param warnings",
              "At 12:00 JST the daily search-feed-export job opens 8 connections to catalog-db and starts full "
              "scans over a catalog that doubled overnight (4.3M rows vs 2.1M). Within five minutes catalog-db's "
              "CPU is pinned at 96-100 %, ReadIOPS and ReadLatency climb, the slow-query log fills with the export's "
              "multi-minute scans and with ordinary 1-3 s catalog_api lookups, and catalog-api requests crawl (API "
              "latency 60 ms -> ~2.4 s) or hit the 3 s `max_execution_time` (ER_QUERY_TIMEOUT). Connections stay far "
              "below max_connections. CPU pinned near 100 % with latency following is `cpu_saturation` of the DB "
              "instance; the export is what loads it, but the saturated resource is catalog-db.")
    return sc


def b10() -> Scn:
    sc = Scn(10, "order-notifier-errors-bad-release", "eu-west-2", 2910, "2026-03-17T10:05:00",
             "Order confirmation emails failing; order-notifier Errors alarm.")
    dep = -2100
    new = lambda t: t >= dep + 30
    sc.res("lambda", "order-notifier", runtime="nodejs20.x", timeout=30, memory_size=512,
           trigger="SNS order-events (alias live)", on_failure="SQS order-notifier-failures")
    sc.res("lambda", "order-archiver", runtime="nodejs20.x", timeout=60, memory_size=512,
           trigger="SNS order-events")
    pub = lambda t: 70 * sc.diurnal(t, 12, 0.3)
    lambda_metrics(sc, "order-notifier", lambda t: pub(t) * (1 + 0.7 * new(t)),
                   lambda t: 0.001 + 0.6 * new(t), lambda t: 185 - 50 * new(t))
    lambda_metrics(sc, "order-archiver", pub, lambda t: 0.0003, lambda t: 95)
    topic = {"TopicName": "order-events"}
    sc.metric("AWS/SNS", "NumberOfMessagesPublished", topic, "Count", sc.counts(pub))
    sc.metric("AWS/SNS", "NumberOfNotificationsDelivered", topic, "Count", sc.counts(lambda t: 2 * pub(t)))
    sc.metric("AWS/SNS", "NumberOfNotificationsFailed", topic, "Count", sc.counts(lambda t: 0.0))
    fq = lambda t: max(0.0, (t - dep - 200) / 60 * 24) if t > dep + 200 else 0.0
    sqs_metrics(sc, "order-notifier-failures", lambda t: 24 * ramp(t, dep + 200, dep + 260), fq,
                lambda t: max(0.0, t - dep - 200) if t > dep + 200 else 0.0,
                received=lambda t: 0.0, deleted=lambda t: 0.0)
    stack = ["formatRecipient (/var/task/dist/recipients.js:41:32)",
             "buildConfirmation (/var/task/dist/templates/confirmation.js:18:21)",
             "Runtime.handler (/var/task/dist/index.js:27:24)"]

    def notifier(sc, t, rid, env):
        r = sc.rng
        order = f"ORD-{r.randint(4000000, 4999999)}"
        guest = r.random() < 0.35
        lines = [(2, "INFO", f"order.created {order} channel={'guest' if guest else 'account'} "
                             f"locale={r.choice(['en-GB', 'en-GB', 'fr-FR', 'de-DE'])}")]
        if new(t) and guest:
            d = r.uniform(40, 90)
            lines.append((d - 1, None, node_invoke_error(sc, t + (d - 1) / 1000, rid, "TypeError",
                                                         "Cannot read properties of undefined (reading 'toLowerCase')",
                                                         stack)))
            return Inv(d, r.randint(96, 110), lines, "error")
        d = r.uniform(130, 260)
        if r.random() < 0.03:
            lines.append((d - 3, "WARN", f"SES: recipient for {order} is on the account suppression list; skipping"))
        else:
            lines.append((d - 3, "INFO", f"confirmation email queued for {order} messageId=0102018e{sc.hexid(8)}-"
                                         f"{sc.hexid(8)}-000000"))
        return Inv(d, r.randint(96, 112), lines)

    lambda_logs(sc, "order-notifier", "nodejs20.x", -9000, 0, 3, lambda t: 4.5 if not new(t) else 6.0,
                notifier, 512, 30, recycle=[dep + 20], version=lambda t: "58" if new(t) else "57")

    def archiver(sc, t, rid, env):
        d = sc.rng.uniform(60, 130)
        return Inv(d, sc.rng.randint(80, 90), [
            (d - 2, "INFO", f"archived order event ORD-{sc.rng.randint(4000000, 4999999)} to s3://order-archive-prod/")])

    lambda_logs(sc, "order-archiver", "nodejs20.x", -9000, 0, 1, lambda t: 3.0, archiver, 512, 60,
                recycle=[-2520])
    sc.change(-2520, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "order-archiver", "terraform-ci")
    sc.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
              "order-notifier", "github-actions-deployer")
    sc.change(dep + 12, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
              "order-notifier", "github-actions-deployer")
    sc.change(dep + 20, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function",
              "order-notifier", "github-actions-deployer")
    fd = {"FunctionName": "order-notifier"}
    sc.alarm("order-notifier-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 5,
             description="Order notifier errors", want="ALARM")
    sc.alarm("order-notifier-failures-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
             {"QueueName": "order-notifier-failures"}, "Maximum", 60, 1, 0, want="ALARM")
    sc.alarm("order-archiver-errors", "AWS/Lambda", "Errors", {"FunctionName": "order-archiver"}, "Sum", 60, 3, 5,
             want="OK")
    sc.expect("order-notifier-errors", "bad_deployment", ["order-notifier"],
              [("AWS/Lambda", "Errors", fd)])
    sc.readme("origin", "order-archiver configuration change 7 min before the deploy (tie-break bait, on another "
              "function that stays healthy); steady SES suppression-list warnings; on-failure queue alarm",
              "CI deploys order-notifier version 58 and moves the `live` alias at 09:30. Every SNS order event for a "
              "guest checkout (about a third of orders) now fails with `TypeError: Cannot read properties of "
              "undefined (reading 'toLowerCase') at formatRecipient (recipients.js:41)`; Lambda's async retries "
              "inflate Invocations and failed events land in the on-failure queue. The error signature only appears "
              "in version-58 log streams. The only configuration change is on order-archiver, which keeps "
              "succeeding, so the format's config-beats-deploy tie-break does not apply: `bad_deployment` of "
              "order-notifier.")
    return sc
