"""Scenarios 03 (IAM permission removed) and 04 (self-managed search node dies)."""
import datetime as dt

from . import logs as L
from .bg import bg_ec2, bg_ecs, bg_lambda, bg_rds
from .common import Scenario, anomaly, bump, hexs, ramp, wave
from .res import alb, apigw, const, ec2, ecs, lambda_fn
from .scen_a import LAMBDA_WARNING


# ====================================================================== 03
def s03():
    sc = Scenario(3, "ledger-export-errors-role-policy", "us-west-2",
                  "Nightly ledger export failing; ledger-export Errors alarm plus a couple of other alarms open.",
                  4303, dt.datetime(2026, 11, 13, 6, 10, 0))
    rng = sc.rng
    T_IAM = -1985
    bad = lambda t: 1.0 if t >= T_IAM + 6 else 0.0
    rate = lambda t: 20 * wave(t, 0.05)
    lambda_fn(sc, "ledger-export", "python3.12", 300, 2048, rate, lambda t: 4200 - 3100 * bad(t), err=bad,
              role="ledger-export-role", trigger="sqs:ledger-export-batches")
    bucket = "acme-ledger-exports-prod"

    def put_err(key):
        return ("[ERROR] ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: "
                "arn:aws:sts::%s:assumed-role/ledger-export-role/ledger-export is not authorized to perform: "
                's3:PutObject on resource: "arn:aws:s3:::%s/%s" because no identity-based policy allows the '
                "s3:PutObject action\nTraceback (most recent call last):\n"
                '  File "/var/task/export/handler.py", line 77, in handler\n    writer.put(batch_key, buf.getvalue())\n'
                '  File "/var/task/export/s3writer.py", line 31, in put\n'
                '    self._s3.put_object(Bucket=self.bucket, Key=key, Body=body, ServerSideEncryption="aws:kms")\n'
                '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 565, in _api_call\n'
                "    return self._make_api_call(operation_name, kwargs)\n"
                '  File "/var/lang/lib/python3.12/site-packages/botocore/client.py", line 1021, in _make_api_call\n'
                "    raise error_class(parsed_response, operation_name)" % (sc.account, bucket, key))
    lg = L.LambdaLog(sc, "ledger-export", "python3.12", 2048, 300, pools=[(-10 ** 9, "$LATEST", 5)], mem_used=(610, 60))
    seq = [300]

    def handler(t):
        seq[0] += 1
        b = seq[0]
        key = "daily/2026-11-13/batch-%05d.parquet" % b
        rows = rng.randint(9000, 26000)
        failing = bad(t) > 0
        d = rng.gauss(1100, 120) if failing else rng.gauss(4200, 450)

        def lines(t0, r):
            out = [(0.01, L.py(sc, t0 + 0.01, r, "INFO", "Exporting batch %05d (ledger date 2026-11-12)" % b)),
                   (0.7, L.py(sc, t0 + 0.7, r, "INFO", "Read %d ledger rows from s3://acme-ledger-staging/%05d.jsonl.gz" % (rows, b)))]
            if failing:
                out += [(d / 1000 - 0.004, LAMBDA_WARNING), (d / 1000 - 0.003, put_err(key))]
            else:
                out.append((d / 1000 - 0.01, L.py(sc, t0 + d / 1000, r, "INFO", "Wrote s3://%s/%s (%.1f MiB, %d rows)"
                                                  % (bucket, key, rows / 8600.0, rows))))
            return out
        return lines, d, "ok"
    lg.run(-10800, 0, lambda t: 3.0, handler)

    bg_lambda(sc, "ledger-ingest", "python3.12", lambda t: 45 * wave(t, 0.1), const(260),
              ["Ingested {n} journal entries from payments.settled (offset {big})"], role="ledger-ingest-role")
    bg_lambda(sc, "fx-rates-refresh", "python3.12", const(1.0), const(1900), ["Refreshed {n} FX pairs (source=ecb,oanda)"],
              err=const(0.3), err_msgs=["Stale quote from provider oanda for pair USDTRY (age 412s); keeping previous rate"],
              role="fx-rates-role")
    bg_lambda(sc, "statement-render", "nodejs20.x", lambda t: 14 * wave(t, 0.1), const(2300),
              ["rendered statement STM-{id6} (pages={n})"], role="statement-render-role", memory=1536)
    bg_lambda(sc, "notify-dispatch", "nodejs20.x", lambda t: 30 * wave(t, 0.1), const(90),
              ["dispatched notification kind=statement_ready channel=email id={uuid}"], role="notify-dispatch-role")
    apigw(sc, "statements-api", count=lambda t: 40 * wave(t, 0.1), lat=const(180), integration="lambda:statement-render")
    bg_ecs(sc, "fin-prod", "ledger-api", "spring", cpu=lambda t: 28 * wave(t, 0.1), mem=const(61), tasks=const(4),
           msgs=[("INFO", "c.a.ledger.web.AccountController", "GET /accounts/{id6}/balance -> 200 ({ms} ms)"),
                 ("INFO", "c.a.ledger.web.JournalController", "POST /journal -> 201 ({ms} ms)")],
           err_msgs=[("WARN", "o.h.h.internal.ast.QueryTranslatorImpl",
                      "HHH000104: firstResult/maxResults specified with collection fetch; applying in memory")],
           err_rate=0.15, per_min=3.0, target_group="tg-ledger-api")
    rec = ecs(sc, "fin-prod", "reconciler", cpu=lambda t: 22 + 8 * bump(t, -3000, -2700), mem=const(52),
              tasks=lambda t: 2 + 2 * bump(t, -2990, -2750, 60, 60), desired=const(2), task_definition="reconciler:57")
    g = "/ecs/reconciler"
    tids = L.task_ids(sc, 2)

    def rline(t):
        if bad(t - 240) and rng.random() < 0.5:
            return L.gojson(sc, t, "warn", "recon/exports.go:144", "export object not found yet, will retry",
                            bucket=bucket, key="daily/2026-11-13/batch-%05d.parquet" % rng.randint(330, 420), attempt=rng.randint(1, 6))
        return L.gojson(sc, t, "info", "recon/match.go:88", "matched ledger entries", batch=rng.randint(200, 330),
                        matched=rng.randint(8000, 25000), unmatched=rng.randint(0, 4))
    for i, tid in enumerate(tids):
        L.stream(sc, g, "reconciler/reconciler/%s" % tid, -10800, 0, lambda t: 1.0, rline)
    bg_rds(sc, "ledger-pg", "postgres", "16.4", "db.r6g.2xlarge", 2000, 1000, cpu=lambda t: 31 * wave(t, 0.1),
           conn=const(160), tables=("journal_entries", "accounts", "balances"), dbname="ledger")
    bg_rds(sc, "reporting-mysql", "mysql", "8.0.36", "db.r6g.large", 1000, 500, cpu=const(14), conn=const(35), dbname="reporting")
    alb(sc, "fin-internal-alb", req=lambda t: 180 * wave(t, 0.1), rt=const(0.045), scheme="internal",
        target_groups=["tg-ledger-api"], healthy=const(4))
    airflow = lambda m: (0.5, lambda t: "%s INFO - [%s] {taskinstance.py:1159} INFO - Dependencies all met for <TaskInstance: %s>"
                         % (sc.iso(t), m, rng.choice(["finance_daily.load_gl", "finance_daily.fx_revalue", "risk.var_snapshot"])))
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "airflow-scheduler-1", "m6i.large", cpu=const(18), groups={"/airflow/scheduler": airflow("scheduler")})
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "airflow-worker-1", "r6i.xlarge", cpu=lambda t: 30 * wave(t, 0.1))
    w2 = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, w2, "airflow-worker-2", "r6i.xlarge", cpu=lambda t: 24 + 68 * bump(t, -1500, 0, 240),
           groups={"/airflow/worker": (0.7, lambda t: "%s INFO - Running risk.var_snapshot chunk %d/64 (monte-carlo paths=200000)"
                                        % (sc.iso(t), rng.randint(1, 64)) if t > -1500 else
                                        "%s INFO - heartbeat ok" % sc.iso(t))})

    sc.change(-5400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "fx-rates-refresh", "a.nguyen")
    sc.change(-3010, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "reconciler:57", "github-actions-deploy")
    sc.change(-3000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fin-prod/reconciler", "github-actions-deploy")
    sc.change(T_IAM, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "ledger-export-role", "terraform-ci")
    sc.change(T_IAM + 2, "iam.amazonaws.com", "PutRolePolicy", "AWS::IAM::Role", "statement-render-role", "terraform-ci")
    sc.change(-700, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", "reporting-mysql", "AWSBackupDefaultServiceRole")

    sc.alarm("ledger-export-errors", "AWS/Lambda", "Errors", {"FunctionName": "ledger-export"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "ALARM", "Ledger export failures")
    sc.alarm("airflow-worker-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": w2}, "Average", 300, 2, 85,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("statements-api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "statements-api"}, "Average", 300, 3, 1500,
             "GreaterThanThreshold", "OK")
    sc.alarm("ledger-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "ledger-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.alarm("statement-render-errors", "AWS/Lambda", "Errors", {"FunctionName": "statement-render"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "OK")
    sc.set_expect("ledger-export-errors", "permission_denied", ["ledger-export", "ledger-export-role"],
                  [anomaly("AWS/Lambda", "Errors", FunctionName="ledger-export")])
    sc.meta = dict(alarm_on="origin (Lambda)", decoys=[
        "same terraform apply also changed statement-render-role (statement-render stays healthy)",
        "reconciler ECS deploy 50 min ago", "fx-rates-refresh config change and its steady stale-quote warnings",
        "ledger-api steady Hibernate HHH000104 warnings", "airflow-worker-2 CPU alarm (risk DAG)", "AWS Backup snapshot"],
        story=("terraform-ci ran PutRolePolicy on ledger-export-role 33 min ago (and on statement-render-role in the same "
               "apply). From the next invocation every ledger-export run reads its staging rows fine, then fails with "
               "AccessDenied on s3:PutObject for arn:aws:sts::...:assumed-role/ledger-export-role/ledger-export "
               "('no identity-based policy allows the s3:PutObject action'); Errors goes from 0 to every invocation and "
               "Duration drops. The reconciler starts warning that export objects are missing, a downstream symptom. "
               "statement-render, whose role was also touched, keeps working; the reconciler deploy is earlier and "
               "healthy. Explicit not-authorized errors right after an IAM policy change: permission_denied on "
               "ledger-export (its role), alarm on the origin."))
    return sc


# ====================================================================== 04
def s04():
    sc = Scenario(4, "storefront-5xx-search-node-down", "eu-central-1",
                  "Storefront ALB 5xx and slow pages; search returns errors. Multiple alarms firing.",
                  4304, dt.datetime(2026, 11, 14, 19, 5, 0))
    rng = sc.rng
    T_IO, T_HANG = -1745, -1560
    es_ip = "10.20.4.17"
    down = lambda t: 1.0 if t >= T_IO + 40 else 0.0
    bff_rate = lambda t: 700 * wave(t, 0.12, phase=0.95)
    search_share = 0.34
    a = alb(sc, "storefront-alb", req=lambda t: bff_rate(t) + 260,
            rt=lambda t: 0.092 + (0.25 if T_IO + 40 <= t < T_HANG else 0.0) + 1.05 * ramp(t, T_HANG, T_HANG + 120),
            t5=lambda t: 0.8 + bff_rate(t) * search_share * down(t) * 0.97, healthy=const(12),
            target_groups=["tg-storefront-bff", "tg-checkout-svc", "tg-account-svc"])
    es = "i-0%s" % hexs(rng, 16)
    alive = lambda t: t < T_HANG
    ec2(sc, es, "search-es-1", "r6i.2xlarge", cpu=lambda t: 38 * wave(t, 0.1) if t < T_IO + 40 else (2.5 if alive(t) else 0.4),
        net=lambda t: 9.0e6 * wave(t, 0.1) if t < T_IO + 40 else (2.0e5 if alive(t) else 3.0e3),
        mem=lambda t: 71.0 if alive(t) else None, disk=lambda t: 63.0 if alive(t) else None,
        status=lambda t: 0.0 if t < T_HANG + 240 else 1.0, log_groups=["/var/log/messages", "/opt/elasticsearch/logs"],
        software="elasticsearch 7.17 single node (products, suggestions indices)", private_ip=es_ip)
    # --- search host logs
    def es_info(t):
        return "[%s][INFO ][o.e.c.m.MetadataMappingService] [search-es-1] [products/Xk2%s] update_mapping [_doc]" % (
            sc.at(t).strftime("%Y-%m-%dT%H:%M:%S,%f")[:-3], hexs(rng, 5)) if rng.random() < 0.2 else \
            "[%s][INFO ][o.e.m.j.JvmGcMonitorService] [search-es-1] [gc][%d] overhead, spent [%dms] collecting in the last [1s]" % (
            sc.at(t).strftime("%Y-%m-%dT%H:%M:%S,%f")[:-3], rng.randint(400000, 500000), rng.randint(110, 260))
    L.stream(sc, "/opt/elasticsearch/logs", es, -10800, T_IO, lambda t: 0.8, es_info)
    estamp = lambda t: sc.at(t).strftime("%Y-%m-%dT%H:%M:%S,%f")[:-3]
    for dtt, msg in [(5, "[WARN ][o.e.i.e.Engine           ] [search-es-1] [products][2] failed engine [refresh failed source[schedule]]\n"
                         "java.io.IOException: Input/output error\n\tat java.base/sun.nio.ch.FileDispatcherImpl.pwrite0(Native Method)"),
                     (9, "[WARN ][o.e.i.c.IndicesClusterStateService] [search-es-1] [products][2] marking and sending shard failed due to [shard failure, reason [refresh failed source[schedule]]]"),
                     (31, "[ERROR][o.e.b.ElasticsearchUncaughtExceptionHandler] [search-es-1] fatal error in thread "
                          "[elasticsearch[search-es-1][write][T#3]], exiting\njava.io.IOError: java.io.IOException: Input/output error\n"
                          "\tat org.elasticsearch.index.translog.Translog.add(Translog.java:584)")]:
        sc.ev("/opt/elasticsearch/logs", es, T_IO + dtt, "[%s]%s" % (estamp(T_IO + dtt), msg))
    syslog = lambda t, m: "%s search-es-1 %s" % (sc.at(t).strftime("%b %d %H:%M:%S"), m)
    L.stream(sc, "/var/log/messages", es, -10800, T_IO, lambda t: 0.3,
             lambda t: syslog(t, rng.choice(["systemd[1]: Started Session %d of user ec2-user." % rng.randint(4000, 5000),
                                            "chronyd[612]: Selected source 169.254.169.123",
                                            "amazon-cloudwatch-agent[1904]: metrics published"])))
    for dtt, m in [(0, "kernel: nvme nvme1: I/O 412 QID 3 timeout, aborting"),
                   (1, "kernel: nvme nvme1: Abort status: 0x0"),
                   (31, "kernel: blk_update_request: I/O error, dev nvme1n1, sector 81234920 op 0x1:(WRITE) flags 0x800 phys_seg 16 prio class 0"),
                   (32, "kernel: XFS (nvme1n1): log I/O error -5"),
                   (33, "kernel: XFS (nvme1n1): Log I/O Error Detected. Shutting down filesystem"),
                   (35, "systemd[1]: elasticsearch.service: Main process exited, code=exited, status=128/n/a"),
                   (36, "systemd[1]: elasticsearch.service: Failed with result 'exit-code'."),
                   (160, "kernel: INFO: task xfsaild/nvme1n1:2231 blocked for more than 122 seconds."),
                   (170, "kernel: INFO: task jbd2/nvme0n1p1-8:412 blocked for more than 122 seconds.")]:
        sc.ev("/var/log/messages", es, T_IO + dtt, syslog(T_IO + dtt, m))

    # --- storefront-bff (node) is the search caller behind the ALB
    b = ecs(sc, "web-prod", "storefront-bff", cpu=lambda t: 33 * wave(t, 0.1), mem=const(47), tasks=const(6),
            target_group="tg-storefront-bff", search_endpoint="http://%s:9200" % es_ip)
    tids = L.task_ids(sc, 3)
    hosts = ["ip-10-20-%d-%d" % (rng.randint(1, 9), rng.randint(2, 250)) for _ in tids]
    routes = ["/api/products/{id}", "/api/cart", "/api/home/recommendations", "/api/categories/{id}"]

    def bline(t, h):
        if rng.random() < search_share:
            q = rng.choice(["winter jacket", "sneakers", "usb-c hub", "espresso", "kids helmet", "linen shirt"])
            if not down(t):
                return L.pino(sc, t, "info", "request completed", host=h, req={"method": "GET", "url": "/api/search?q=%s" % q.replace(" ", "+")},
                              res={"statusCode": 200}, responseTime=rng.randint(40, 160))
            err = ({"type": "ConnectionError", "message": "connect ECONNREFUSED %s:9200" % es_ip} if t < T_HANG else
                   rng.choice([{"type": "ConnectionError", "message": "connect ETIMEDOUT %s:9200" % es_ip},
                               {"type": "TimeoutError", "message": "Request timed out"}]))
            return L.pino(sc, t, "error", "search backend unavailable", host=h,
                          req={"method": "GET", "url": "/api/search?q=%s" % q.replace(" ", "+")}, res={"statusCode": 502},
                          err=err, responseTime=rng.randint(2, 9) if t < T_HANG else rng.randint(3000, 3050))
        u = rng.choice(routes).replace("{id}", str(rng.randint(1000, 99999)))
        return L.pino(sc, t, "info", "request completed", host=h, req={"method": "GET", "url": u},
                      res={"statusCode": 200}, responseTime=rng.randint(15, 140))
    for tid, h in zip(tids, hosts):
        L.stream(sc, "/ecs/storefront-bff", "storefront-bff/storefront-bff/%s" % tid, -10800, 0, lambda t: 3.0,
                 lambda t, h=h: bline(t, h))
    idx = "i-0%s" % hexs(rng, 16)
    bg_ec2(sc, idx, "search-indexer-1", "c6i.large", cpu=lambda t: 21 * wave(t, 0.1),
           groups={"/app/search-indexer": (1.0, lambda t: (
               '%s ERROR indexer bulk request failed: connect %s %s:9200; retrying in 30s' % (sc.iso(t), "ECONNREFUSED" if t < T_HANG else "ETIMEDOUT", es_ip)
               if down(t) else "%s INFO indexer bulk indexed %d docs into products in %d ms" % (sc.iso(t), rng.randint(200, 900), rng.randint(80, 400))))})

    bg_ecs(sc, "web-prod", "checkout-svc", "spring", cpu=lambda t: 27 * wave(t, 0.1), mem=const(55),
           tasks=lambda t: 4 + 4 * bump(t, -3250, -3000, 60, 60), desired=const(4),
           msgs=[("INFO", "d.s.checkout.web.CheckoutController", "POST /checkout/{id6}/confirm -> 200 ({ms} ms)"),
                 ("INFO", "d.s.checkout.payment.AdyenClient", "Authorisation {hex} result=Authorised ({ms} ms)")],
           per_min=2.0, target_group="tg-checkout-svc", task_definition="checkout-svc:311")
    bg_ecs(sc, "web-prod", "account-svc", "go", cpu=const(12), mem=const(33), tasks=const(2),
           msgs=[("INFO", "api/handler.go:61", "GET /me 200 {ms}ms"), ("INFO", "api/handler.go:61", "GET /me/orders 200 {ms}ms")],
           per_min=1.5, target_group="tg-account-svc")
    bg_rds(sc, "commerce-pg", "postgres", "15.7", "db.r6g.xlarge", 1500, 600, cpu=lambda t: 26 * wave(t, 0.1),
           conn=const(130), tables=("orders", "carts", "customers"), dbname="commerce")
    bg_lambda(sc, "sitemap-builder", "python3.12", const(0.2), const(21000), ["Wrote sitemap part {n} ({big} urls)"],
              timeout=120, log_rate=lambda t: 0.2)
    bg_lambda(sc, "image-optimizer", "nodejs20.x", lambda t: 60 * wave(t, 0.1), const(380),
              ["optimized image {hex}.jpg -> webp ({big} bytes)"], memory=1536)
    bg_lambda(sc, "abandoned-cart-mailer", "python3.12", const(8), const(700), ["Sent reminder for cart c_{hex}"],
              err=const(0.35), err_msgs=["MessageRejected: Email address is on the account-level suppression list: {hex}@example.de"])
    apigw(sc, "mobile-api", count=lambda t: 210 * wave(t, 0.1), lat=const(120), integration="http:storefront-alb")
    bg_ec2(sc, "i-0%s" % hexs(rng, 16), "vpn-gw-1", "t3.medium", cpu=const(7))

    sc.change(-4700, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "commerce-pg", "terraform-ci")
    sc.change(-3310, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "checkout-svc:311", "gitlab-ci")
    sc.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "web-prod/checkout-svc", "gitlab-ci")
    sc.change(-1500, "lambda.amazonaws.com", "PutFunctionConcurrency20171031", "AWS::Lambda::Function", "image-optimizer", "m.weber")
    sc.change(-600, "apigateway.amazonaws.com", "UpdateStage", "AWS::ApiGateway::Stage", "mobile-api", "api-platform-ci")

    sc.alarm("storefront-alb-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": a["id"]}, "Sum", 60, 3, 20,
             "GreaterThanThreshold", "ALARM", "Storefront target 5xx")
    sc.alarm("search-es-1-status-check", "AWS/EC2", "StatusCheckFailed", {"InstanceId": es}, "Maximum", 60, 2, 0,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("abandoned-cart-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "abandoned-cart-mailer"}, "Sum", 300, 1, 5,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("storefront-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": a["id"]}, "Average", 60, 5, 1.0,
             "GreaterThanThreshold", "ALARM")
    sc.alarm("commerce-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "commerce-pg"}, "Average", 300, 3, 80,
             "GreaterThanThreshold", "OK")
    sc.set_expect("storefront-alb-5xx", "dependency_failure", [es, "search-es-1"],
                  [anomaly("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", LoadBalancer=a["id"]),
                   anomaly("AWS/EC2", "StatusCheckFailed", InstanceId=es)])
    sc.meta = dict(alarm_on="front (ALB)", decoys=[
        "checkout-svc ECS deploy 55 min ago (clean)", "image-optimizer concurrency change (after onset)", "mobile-api stage update",
        "commerce-pg ModifyDBInstance", "abandoned-cart-mailer Errors alarm (suppression-list bounces, steady)"],
        story=("The self-managed Elasticsearch node search-es-1 lost its data volume 29 min ago: its syslog shows NVMe I/O "
               "timeouts, XFS shutting down and elasticsearch exiting on an IOException, then hung-task warnings; a few "
               "minutes later the instance stops reporting agent metrics, CPU/network fall to nothing and "
               "StatusCheckFailed goes to 1. storefront-bff's /api/search calls fail with ECONNREFUSED and later "
               "ETIMEDOUT to 10.20.4.17:9200 and return 502, so the ALB's target 5xx (~230/min) and latency rise; "
               "search-indexer fails the same way. Other routes, checkout-svc (deployed earlier) and commerce-pg are "
               "healthy. The caller is fine and the dependency is down, not exhausted: dependency_failure on "
               "search-es-1, alarm on the front door."))
    return sc
