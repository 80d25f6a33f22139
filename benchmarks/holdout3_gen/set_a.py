"""Scenarios h3-01 .. h3-05."""
from __future__ import annotations

from .blocks import Outcome, Series, alb_block, apigw_block, ecs_block, lambda_block, rds_block
from .common import Scenario, arrivals, diurnal, iso, pg, poisson, smooth_step, spaced


def h3_01_billing_wal_slot_fills_storage() -> Scenario:
    s = Scenario("billing-invoice-5xx-eu", "eu-west-1",
                 "Invoice API returning 5xx to customers in EU; ALB target 5XX alarm paged billing on-call.", 301)
    r, onset = s.rng, -1800
    lb, db = "app/billing-alb/7f3c2a9e41d0b6a5", "billing-pg"
    host = "billing-pg.cx8hd2kq1wzl.eu-west-1.rds.amazonaws.com"
    s.resource("alb", lb, name="billing-alb", scheme="internet-facing", targets=["billing/invoice-api"])
    s.resource("ecs", "billing/invoice-api", launch_type="FARGATE", desired_count=3,
               task_definition="invoice-api:57", environment={"DB_HOST": host, "DB_NAME": "billing",
                                                              "SPRING_PROFILES_ACTIVE": "prod"})
    s.resource("ecs", "billing/pdf-renderer", launch_type="FARGATE", desired_count=2, task_definition="pdf-renderer:13")
    s.resource("rds", db, engine="postgres", engine_version="15.5", instance_class="db.m6g.large",
               allocated_storage_gb=200, storage_autoscaling=False, multi_az=False)
    s.resource("lambda", "billing-dunning-mailer", runtime="python3.11", timeout=60, memory_size=256)
    down = lambda t: t >= onset + 40
    free = Series(lambda t: max(1.9e8 + r.random() * 4e7, 3.12e10 - (t + 21600) * 1.585e6 + r.gauss(0, 4e7)))
    rds_block(s, db, cpu=lambda t: 2.5 + r.random() if down(t) else 16 + r.gauss(0, 2.5),
              conns=lambda t: 0 if down(t) else 34 + r.randint(-4, 6),
              free_storage=free, freeable=lambda t: 3.1e9 + r.gauss(0, 4e7),
              read_lat=lambda t: 0 if down(t) else 0.0011 + r.random() * 0.0006,
              write_lat=lambda t: 0 if down(t) else 0.0019 + r.random() * 0.0008,
              write_iops=lambda t: 0 if down(t) else 310 + r.gauss(0, 30))
    req = Series(lambda t: poisson(r, 44 * diurnal(t)))
    bad = Series(lambda t: round(req(t) * (0.62 + r.random() * 0.12)) if t >= onset else r.choice([0, 0, 0, 1]))
    alb_block(s, lb, requests=req, latency=lambda t: (1.9 + r.random() * 0.8) if t >= onset else 0.07 + r.random() * 0.03,
              target_5xx=bad, elb_5xx=lambda t: r.choice([0, 0, 0, 0, 1]), target_4xx=lambda t: poisson(r, 2.2),
              healthy=lambda t: 3, unhealthy=lambda t: 0)
    ecs_block(s, "billing", "invoice-api", cpu=lambda t: 21 + r.gauss(0, 3) if t < onset else 9 + r.gauss(0, 2),
              mem=lambda t: 58 + r.gauss(0, 1.5))
    ecs_block(s, "billing", "pdf-renderer", cpu=lambda t: 88 + r.gauss(0, 4) if -2340 <= t < -1980 else 14 + r.gauss(0, 3),
              mem=lambda t: 44 + r.gauss(0, 2))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "billing-dunning-mailer"}, "Count",
             lambda t: 1 if t % 900 == 0 else 0, 0)
    # --- app logs
    tasks = ["3f1c9a0e2b7d4c58a6e1f0b9d2c3a417", "8d2e4b6f0a1c3e5d7b9f1a2c4e6d8b0a", "c0b1a2d3e4f5061728394a5b6c7d8e9f"]
    streams = {k: [] for k in tasks}
    log_from = -5400
    for t in range(log_from, 0, 60):
        for _ in range(2):   # pre-existing: webhook signature failures, same rate all along
            at = t + r.random() * 60
            streams[r.choice(tasks)].append((at, f"{spaced(at)} ERROR 1 --- [nio-8080-exec-{r.randint(1, 20)}] "
                                                 f"c.a.billing.webhook.StripeWebhookController : Webhook signature verification "
                                                 f"failed for event evt_{s.hexid(14)} (timestamp outside tolerance of 300s)"))
        for _ in range(3):
            at = t + r.random() * 60
            streams[r.choice(tasks)].append((at, f"{spaced(at)}  INFO 1 --- [nio-8080-exec-{r.randint(1, 20)}] "
                                                 f"c.a.billing.web.InvoiceController    : GET /v2/invoices/inv_{s.hexid(10)} "
                                                 f"200 {r.randint(18, 90)}ms" if t < onset else
                                                 f"{spaced(at)}  INFO 1 --- [nio-8080-exec-{r.randint(1, 20)}] "
                                                 f"c.a.billing.web.HealthController     : GET /actuator/health/liveness 200 2ms"))
        if onset <= t:
            for k in range(bad(t)):
                at = t + r.random() * 60
                path = r.choice(["/v2/invoices/inv_" + s.hexid(10), "/v2/invoices", "/v2/customers/cus_" + s.hexid(8) + "/balance"])
                streams[r.choice(tasks)].append((at, f"{spaced(at)}  WARN 1 --- [nio-8080-exec-{r.randint(1, 20)}] "
                                                     f"c.a.billing.web.ApiExceptionHandler  : 503 SERVICE_UNAVAILABLE GET {path}: "
                                                     f"CannotGetJdbcConnectionException: Failed to obtain JDBC Connection"))
            if t % 120 == 0:
                at = t + 7.5
                streams[tasks[(t // 120) % 3]].append((at, (
                    f"{spaced(at)} ERROR 1 --- [nio-8080-exec-4] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for "
                    f"servlet [dispatcherServlet] threw exception\norg.springframework.jdbc.CannotGetJdbcConnectionException: Failed "
                    f"to obtain JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: HikariPool-1 - "
                    f"Connection is not available, request timed out after 30000ms.\n\tat org.springframework.jdbc.datasource."
                    f"DataSourceUtils.getConnection(DataSourceUtils.java:84)\n\tat org.springframework.jdbc.core.JdbcTemplate."
                    f"execute(JdbcTemplate.java:376)\n\tat com.acme.billing.invoice.InvoiceRepository.findById(InvoiceRepository."
                    f"java:61)\nCaused by: org.postgresql.util.PSQLException: Connection to {host}:5432 refused. Check that the "
                    f"hostname and port are correct and that the postmaster is accepting TCP/IP connections.\n\tat org.postgresql."
                    f"core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:342)\n\t... 61 common frames omitted")))
    for i, task in enumerate(tasks):
        streams[task].append((onset + 4 + i, f"{spaced(onset + 4 + i)}  WARN 1 --- [nio-8080-exec-2] com.zaxxer.hikari.pool.PoolBase"
                                             f"        : HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@"
                                             f"{s.hexid(7)} (This connection has been closed.). Possibly consider using a shorter "
                                             f"maxLifetime value."))
        streams[task].append((onset + 9 + i, f"{spaced(onset + 9 + i)} ERROR 1 --- [nio-8080-exec-6] o.h.engine.jdbc.spi."
                                             f"SqlExceptionHelper   : FATAL: the database system is in recovery mode"))
        s.log("/ecs/billing/invoice-api", f"invoice-api/app/{task}", streams[task])
    # --- postgres log: a logical slot whose consumer stopped hours ago keeps WAL; the volume fills
    ev = []
    for t in range(-21600, onset, 300):
        ev.append((t + 1, f"{pg(t + 1)}::@:[412]:LOG:  checkpoint starting: time"))
        ev.append((t + 29, f"{pg(t + 29)}::@:[412]:LOG:  checkpoint complete: wrote {r.randint(900, 2600)} buffers "
                           f"({r.uniform(0.6, 2.1):.1f}%); 0 WAL file(s) added, 0 removed, {r.randint(0, 1)} recycled; "
                           f"write={r.uniform(26, 29.9):.3f} s, sync=0.0{r.randint(10, 60)} s, total={r.uniform(29, 30.2):.3f} s"))
    for t in range(-21600, onset, 60):
        if r.random() < 0.35:   # pre-existing noise at a constant rate
            at = t + r.random() * 60
            ev.append((at, f"{pg(at)}:10.0.{r.randint(1, 9)}.{r.randint(2, 250)}({r.randint(40000, 60000)}):billing_app@billing:"
                           f"[{r.randint(1000, 30000)}]:LOG:  could not receive data from client: Connection reset by peer"))
    ev += [(-19811, f"{pg(-19811)}:10.0.8.41(51422):dms_user@billing:[18820]:LOG:  could not send data to client: Broken pipe"),
           (-19811, f"{pg(-19811)}:10.0.8.41(51422):dms_user@billing:[18820]:STATEMENT:  START_REPLICATION SLOT "
                    f"\"dms_billing_cdc\" LOGICAL 3A/1C0012F8 (\"include-xids\" '1', \"include-timestamp\" '1')"),
           (-19810, f"{pg(-19810)}:10.0.8.41(51422):dms_user@billing:[18820]:FATAL:  connection to client lost"),
           (onset - 95, f"{pg(onset - 95)}::@:[27541]:ERROR:  could not extend file \"base/16402/2619\": No space left on device"),
           (onset - 95, f"{pg(onset - 95)}::@:[27541]:HINT:  Check free disk space."),
           (onset - 94, f"{pg(onset - 94)}::@:[27541]:CONTEXT:  automatic analyze of table \"billing.public.invoice_lines\""),
           (onset - 12, f"{pg(onset - 12)}:10.0.2.77(43110):billing_app@billing:[28111]:PANIC:  could not write to file "
                        f"\"pg_wal/xlogtemp.28111\": No space left on device"),
           (onset - 11, f"{pg(onset - 11)}::@:[398]:LOG:  server process (PID 28111) was terminated by signal 6: Aborted"),
           (onset - 11, f"{pg(onset - 11)}::@:[398]:LOG:  terminating any other active server processes"),
           (onset - 10, f"{pg(onset - 10)}::@:[398]:LOG:  all server processes terminated; reinitializing"),
           (onset - 9, f"{pg(onset - 9)}::@:[28140]:LOG:  database system was interrupted; last known up at {pg(onset - 300)}"),
           (onset - 2, f"{pg(onset - 2)}:10.0.5.19(50214):billing_app@billing:[28151]:FATAL:  the database system is in recovery mode"),
           (onset + 3, f"{pg(onset + 3)}::@:[28140]:LOG:  database system was not properly shut down; automatic recovery in progress"),
           (onset + 5, f"{pg(onset + 5)}::@:[28140]:LOG:  redo starts at 3F/9A0017B8"),
           (onset + 6, f"{pg(onset + 6)}::@:[28140]:FATAL:  could not write to file \"pg_wal/xlogtemp.28140\": No space left on device"),
           (onset + 6, f"{pg(onset + 6)}::@:[398]:LOG:  startup process (PID 28140) exited with exit code 1"),
           (onset + 6, f"{pg(onset + 6)}::@:[398]:LOG:  aborting startup due to startup process failure"),
           (onset + 7, f"{pg(onset + 7)}::@:[398]:LOG:  database system is shut down")]
    s.log(f"/aws/rds/instance/{db}/postgresql", f"{db}.0", ev)
    s.change(-2400, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "pdf-renderer:13", "github-actions-deploy")
    s.change(-2390, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "billing/pdf-renderer", "github-actions-deploy")
    s.change(-9400, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBSnapshot", "billing-pg-pre-migration", "a.novak")
    s.alarm("billing-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3, 15,
            "GreaterThanThreshold", "Invoice API 5xx behind billing-alb")
    s.expect = {"alarm": "billing-alb-target-5xx", "root_cause": {"category": "storage_exhaustion", "resource": [db]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": db}}]}
    return s


def h3_02_telemetry_table_write_throttled() -> Scenario:
    s = Scenario("telemetry-ingest-errors-apse2", "ap-southeast-2",
                 "Device telemetry ingest Lambda erroring; SQS redrive count rising; Errors alarm fired.", 302)
    r, onset = s.rng, -1700
    fn, table = "ingest-events", "telemetry-events"
    s.resource("lambda", fn, runtime="python3.12", timeout=30, memory_size=256,
               environment={"TABLE_NAME": table, "POWERTOOLS_SERVICE_NAME": "ingest"}, event_source="sqs:telemetry-inbound")
    s.resource("lambda", "device-registry-sync", runtime="python3.12", timeout=120, memory_size=512)
    s.resource("lambda", "firmware-manifest-api", runtime="nodejs20.x", timeout=10, memory_size=256)
    demand = lambda t: 6 * diurnal(t, 0.1) * (1 + 0.55 * smooth_step(t, onset - 600, 900))

    def invoke(t: int, rid: str) -> Outcome:
        n = r.randint(40, 100)
        dropped = [f"[ERROR]\t{iso(t)}\t{rid}\tschema: dropping record device_id=dv-{s.hexid(8)} reason=unknown field "
                   f"'fw_channel'"] if r.random() < 0.45 else []
        if t >= onset and r.random() < 0.5:
            lines = dropped + [f"[WARNING]\t{iso(t)}\t{rid}\tBatchWriteItem UnprocessedItems={r.randint(8, 25)} after attempt "
                               f"{a}, backing off {0.05 * 2 ** a:.2f}s" for a in range(1, 4)]
            tail = [f"[ERROR] ClientError: An error occurred (ProvisionedThroughputExceededException) when calling the "
                    f"BatchWriteItem operation (reached max retries: 9): The level of configured provisioned throughput for the "
                    f"table was exceeded. Consider increasing your provisioning level with the UpdateTable API.\rTraceback (most "
                    f"recent call last):\r  File \"/var/task/ingest/handler.py\", line 57, in handler\r    _flush(batch)\r  File "
                    f"\"/var/task/ingest/handler.py\", line 31, in _flush\r    resp = ddb.batch_write_item(RequestItems={{TABLE: "
                    f"chunk}})\r  File \"/var/runtime/botocore/client.py\", line 565, in _api_call\r    return self._make_api_call("
                    f"operation_name, kwargs)\r  File \"/var/runtime/botocore/client.py\", line 1021, in _make_api_call\r    raise "
                    f"error_class(parsed_response, operation_name)"]
            return Outcome(r.uniform(4200, 9800), lines, error=True, tail=tail)
        extra = [f"[WARNING]\t{iso(t)}\t{rid}\tBatchWriteItem UnprocessedItems={r.randint(1, 9)} after attempt 1, backing off 0.10s"] \
            if t >= onset - 600 and r.random() < 0.5 else []
        return Outcome(r.uniform(180, 420) + (1200 if extra else 0),
                       dropped + extra + [f"[INFO]\t{iso(t)}\t{rid}\twrote {n} events to {table} (sqs batch {n})"])

    lambda_block(s, fn, demand, invoke, 256, log_from=-3600)
    wcu = lambda t: min(30000, 19000 * diurnal(t, 0.1) * (1 + 0.55 * smooth_step(t, onset - 600, 900)) + r.gauss(0, 600))
    s.metric("AWS/DynamoDB", "ConsumedWriteCapacityUnits", {"TableName": table}, "Count", lambda t: min(29990, wcu(t)), 0)
    s.metric("AWS/DynamoDB", "WriteThrottleEvents", {"TableName": table}, "Count",
             lambda t: poisson(r, 380) if t >= onset else (poisson(r, 12) if t >= onset - 600 else 0), 0)
    s.metric("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", {"TableName": table}, "Count",
             lambda t: 500 if t >= -9000 else 400, 0)
    # decoy function: deployed shortly before onset, brief cold-start spike
    dev = lambda t: 2 if t % 300 == 0 else 0
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "device-registry-sync"}, "Count", lambda t: dev(t) or None, 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "device-registry-sync"}, "Milliseconds",
             lambda t: (r.uniform(21000, 38000) if -2000 <= t < -1500 else r.uniform(6000, 9000)) if dev(t) else None, 1)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "device-registry-sync"}, "Count", lambda t: 0 if dev(t) else None, 0)
    fw = lambda t: poisson(r, 30 + (160 if -2900 <= t < -2500 else 0))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "firmware-manifest-api"}, "Count", fw, 0)
    s.change(-9000, "dynamodb.amazonaws.com", "UpdateTable", "AWS::DynamoDB::Table", table, "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
    s.change(-2050, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "device-registry-sync-role", "terraform-ci", "us-east-1")
    s.change(-2000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "device-registry-sync", "terraform-ci")
    s.change(-1995, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "device-registry-sync", "terraform-ci")
    s.alarm("ingest-events-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 15, "GreaterThanThreshold",
            "telemetry ingest failures (messages go back to SQS)")
    s.expect = {"alarm": "ingest-events-errors", "root_cause": {"category": "throttling", "resource": [fn, table]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    return s


def h3_04_quote_engine_concurrency_cap() -> Scenario:
    s = Scenario("partner-quotes-429-euc1", "eu-central-1",
                 "Freight partners report HTTP 429 from the quotes API since early afternoon; 4XX alarm in ALARM.", 304)
    r, onset = s.rng, -2400
    api, fn = "partner-quotes-api", "quote-engine"
    s.resource("apigateway", api, endpoint_type="REGIONAL", stage="v1",
               gateway_responses={"INTEGRATION_FAILURE": {"status_code": 429}})
    s.resource("apigateway", "partner-admin-api", endpoint_type="REGIONAL", stage="v1")
    s.resource("lambda", fn, runtime="java21", timeout=29, memory_size=2048, reserved_concurrency=4)
    s.resource("lambda", "quote-pdf", runtime="java21", timeout=60, memory_size=1024)
    dur = lambda t: r.uniform(7200, 9800) if t >= onset else r.uniform(6500, 9000)
    demand = Series(lambda t: 6 * diurnal(t, 0.1) * (1 + 6.5 * smooth_step(t, onset, 240)))
    cap = 4 * 60 / 8.5
    served = lambda t: min(demand(t), cap)

    def invoke(t: int, rid: str) -> Outcome:
        lane = r.choice(["CNSHA-DEHAM", "SGSIN-NLRTM", "USNYC-DEBRV", "INNSA-BEANR"])
        return Outcome(dur(t), [f"{iso(t)} {rid} INFO  c.a.quotes.QuoteHandler - quote request partner={r.choice(['p-0192', 'p-0440', 'p-0871'])} "
                                f"lane={lane} containers={r.randint(1, 40)}",
                                f"{iso(t)} {rid} INFO  c.a.quotes.Solver - solved {r.randint(300, 2200)} routings in "
                                f"{r.randint(5000, 8000)} ms"], max_mem=r.randint(610, 780))

    lambda_block(s, fn, served, invoke, 2048, log_from=-900,
                 throttles=lambda t: max(0.0, demand(t) - cap), concurrency_cap=4, base_mem=640)
    # API Gateway: count includes throttled requests; throttles surface as 429 through the INTEGRATION_FAILURE response
    scan = Series(lambda t: poisson(r, 3))
    thr = {m["dimensions"]["FunctionName"]: m for m in s.metrics if m["name"] == "Throttles"}[fn]["points"]
    thr_map = dict((t, v) for t, v in thr)
    inv_map = dict((t, v) for t, v in next(m for m in s.metrics if m["name"] == "Invocations")["points"])
    legacy = Series(lambda t: poisson(r, 1.6))
    apigw_block(s, api, count=lambda t: inv_map[t] + thr_map[t] + scan(t) + legacy(t),
                e4=lambda t: thr_map[t] + scan(t), e5=legacy,
                latency=lambda t: r.uniform(7300, 9900) if inv_map[t] else None,
                integ=lambda t: r.uniform(7200, 9800) if inv_map[t] else None)
    apigw_block(s, "partner-admin-api", count=lambda t: poisson(r, 3), e4=lambda t: 0, e5=lambda t: 0,
                latency=lambda t: r.uniform(40, 90), integ=lambda t: r.uniform(30, 80))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "quote-pdf"}, "Count",
             lambda t: poisson(r, 2 + (55 if -3300 <= t < -3000 else 0)), 0)
    ev = []
    for t in range(-5400, 0, 60):
        for _ in range(legacy(t)):
            at, q = t + r.random() * 60, s.uid()
            ev += [(at + 0.01, f"({q}) HTTP Method: GET, Resource Path: /v1/legacy-rates"),
                   (at + 0.05, f"({q}) Execution failed due to configuration error: Invalid endpoint address"),
                   (at + 0.05, f"({q}) Method completed with status: 500")]
        for _ in range(int(thr_map.get(t, 0))):
            at, q = t + r.random() * 60, s.uid()
            ev += [(at + 0.02, f"({q}) Lambda invocation failed with status: 429. Lambda request id: {s.uid()}"),
                   (at + 0.02, f"({q}) Execution failed due to configuration error: Rate Exceeded.")]
    s.log("API-Gateway-Execution-Logs_k7q2m9x4ze/v1", "k7q2m9x4ze-v1-" + s.hexid(8), ev)
    s.change(-2600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "partner-admin-api/v1", "j.keller")
    s.change(-2580, "apigateway.amazonaws.com", "CreateDeployment", "AWS::ApiGateway::Deployment", "partner-admin-api", "j.keller")
    s.alarm("partner-quotes-4xx", "AWS/ApiGateway", "4XXError", {"ApiName": api}, "Sum", 60, 5, 12, "GreaterThanThreshold",
            "Partner quotes API client errors", datapoints_to_alarm=3)
    s.expect = {"alarm": "partner-quotes-4xx", "root_cause": {"category": "throttling", "resource": [fn]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": fn}}]}
    return s


def h3_05_discount_rules_parameter() -> Scenario:
    s = Scenario("pricing-5xx-ssm", "us-east-1",
                 "Storefront shows 'price unavailable'; pricing API 5XX alarm fired.", 305)
    r, change_at = s.rng, -1960
    api, fn, param = "pricing-public-api", "pricing-api", "/pricing/discount-rules"
    s.resource("apigateway", api, endpoint_type="EDGE", stage="prod")
    s.resource("lambda", fn, runtime="nodejs20.x", timeout=10, memory_size=512,
               environment={"RULES_PARAM": param, "PARAM_CACHE_TTL_S": "300", "NODE_OPTIONS": "--enable-source-maps"})
    s.resource("lambda", "pricing-admin", runtime="nodejs20.x", timeout=30, memory_size=256)
    s.resource("lambda", "price-feed-ingest", runtime="python3.12", timeout=300, memory_size=1024)
    containers = {f"c{i}": change_at + 180 + r.randint(0, 240) for i in range(4)}

    def invoke(t: int, rid: str) -> Outcome:
        expiry = containers[r.choice(list(containers))]
        sku = f"SKU-{r.randint(10000, 99999)}"
        if r.random() < 0.04:
            return Outcome(r.uniform(30, 60), [f"{iso(t)}\t{rid}\tERROR\tcurrency XOF not in rate table; responding 422 "
                                               f"for {sku}"])
        if t >= expiry:
            err = ('{"errorType":"SyntaxError","errorMessage":"Expected \',\' or \'}\' after property value in JSON at position '
                   '1184","stack":["SyntaxError: Expected \',\' or \'}\' after property value in JSON at position 1184",'
                   '"    at JSON.parse (<anonymous>)","    at loadRules (/var/task/src/rules.js:27:22)",'
                   '"    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",'
                   '"    at async getPrice (/var/task/src/price.js:12:17)","    at async Runtime.handler (/var/task/src/index.js:9:12)"]}')
            return Outcome(r.uniform(60, 140), [f"{iso(t)}\t{rid}\tINFO\trules cache miss; fetching {param}"],
                           error=True, tail=[f"{iso(t)}\t{rid}\tERROR\tInvoke Error \t{err}"])
        return Outcome(r.uniform(25, 70), [f"{iso(t)}\t{rid}\tINFO\tprice {sku} qty={r.randint(1, 4)} "
                                           f"list={r.uniform(5, 400):.2f} final={r.uniform(5, 380):.2f} rules=v41"])

    lambda_block(s, fn, lambda t: 6 * diurnal(t, 0.2), invoke, 512, log_from=-4200, base_mem=88)
    inv = {t: v for t, v in next(m for m in s.metrics if m["name"] == "Invocations")["points"]}
    err = {t: v for t, v in next(m for m in s.metrics if m["name"] == "Errors")["points"]}
    apigw_block(s, api, count=lambda t: inv[t], e4=lambda t: poisson(r, 0.25), e5=lambda t: err[t],
                latency=lambda t: r.uniform(70, 140), integ=lambda t: r.uniform(50, 110))
    s.metric("AWS/Lambda", "Invocations", {"FunctionName": "pricing-admin"}, "Count", lambda t: poisson(r, 0.3), 0)
    s.metric("AWS/Lambda", "Errors", {"FunctionName": "pricing-admin"}, "Count", lambda t: 0, 0)
    s.metric("AWS/Lambda", "Duration", {"FunctionName": "price-feed-ingest"}, "Milliseconds",
             lambda t: r.uniform(150000, 240000) if -2700 <= t < -2300 else r.uniform(18000, 26000), 1)
    s.change(-14100, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param, "maria.okafor")
    s.change(-2200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "pricing-admin", "gh-actions-pricing")
    s.change(-2195, "lambda.amazonaws.com", "UpdateAlias20150331", "AWS::Lambda::Function", "pricing-admin", "gh-actions-pricing")
    s.change(change_at, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", param, "maria.okafor")
    s.alarm("pricing-public-api-5xx", "AWS/ApiGateway", "5XXError", {"ApiName": api}, "Sum", 60, 3, 3,
            "GreaterThanOrEqualToThreshold")
    s.expect = {"alarm": "pricing-public-api-5xx", "root_cause": {"category": "config_change", "resource": [fn, param]},
                "anomalies": [{"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": fn}}]}
    return s
