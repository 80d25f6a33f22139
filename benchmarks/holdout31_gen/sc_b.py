"""Scenarios h31-04 .. h31-06."""
from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function
from .infra import alb_metrics, ecs_metrics, ec2_metrics, rds_metrics, const_series, my, my_background, access_line


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s04():
    """MySQL storage full; a Go Lambda and an ECS service behind an ALB both alarm, the DB has no alarm."""
    c = Ctx(3104, "2026-11-19T11:10:00", "eu-central-1")
    LB, DB, FN = "app/ledger-alb/e81f0a2c4b6d3957", "ledger-db", "payments-webhook"
    T0 = -1920
    c.resource("rds", DB, engine="mysql", engine_version="8.0.35", instance_class="db.m6g.large",
               allocated_storage_gb=200, storage_autoscaling=False, max_connections=1000, multi_az=False)
    c.resource("lambda", FN, runtime="provided.al2023", language="go1.22", memory_size=256, timeout=10,
               database="ledger-db")
    c.resource("lambda", "fx-rates-sync", runtime="python3.12", memory_size=256, timeout=60)
    c.resource("ecs", "ledger/ledger-api", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
               image="ledger-api:5.3.0", runtime="python3.12 gunicorn+uvicorn", load_balancer="ledger-alb",
               database="ledger-db")
    c.resource("alb", LB, name="ledger-alb", scheme="internal", target_groups={"ledger-api-tg": "ecs ledger/ledger-api"})
    full = {t: 1.0 if t >= T0 else 0.0 for t in MINUTES}
    free = c.ser(lambda t: max(c.noisy(5.2e7, 0.3), 6.15e9 - 6.1e9 * (t + 21600) / (T0 + 21600) + c.gauss(0, 2e7))
                 if t < T0 else c.noisy(3.1e7, 0.4))
    rds_metrics(c, DB, c.ser(lambda t: c.noisy(24, 0.08) - 6 * full[t]), c.ser(lambda t: c.noisy(58, 0.06)),
                free, const_series(c, 3.4e9, 0.02), c.ser(lambda t: c.noisy(0.0009, 0.1)),
                c.ser(lambda t: c.noisy(0.0021, 0.1) + 0.03 * full[t] * c.noisy(1, 0.3)))

    inv = c.ser(lambda t: c.poisson(12 * diurnal(t, 0.2, 1)))
    errs = {t: (c.binom(inv[t], 0.85) if t >= T0 else 0) for t in MINUTES}

    def h(ctx, t, rid, err):
        evt = "evt_%s" % ctx.alnum(24)
        typ = ctx.pick(["payment_intent.succeeded", "charge.refunded", "payout.paid", "charge.succeeded"])
        lines = [(0.002, "I", "webhook received id=%s type=%s" % (evt, typ))]
        if ctx.chance(0.04) and not err:
            lines.append((0.004, "W", "signature verification failed id=%s: timestamp outside tolerance; "
                                      "responding 400" % evt))
            return {"lines": lines, "dur": ctx.noisy(6, 0.3), "mem": 38}
        if err:
            d = ctx.noisy(45, 0.3)
            lines.append((d / 1000 - 0.002, "E", "persist journal entry failed id=%s: Error 1114 (HY000): The table "
                                                 "'journal_entries' is full" % evt))
            return {"lines": lines, "dur": d, "mem": ctx.rng.randint(40, 46)}
        d = ctx.noisy(38, 0.25)
        lines.append((d / 1000 - 0.002, "I", "journal entry je_%d written for %s" % (ctx.rng.randint(10**8, 10**9), evt)))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(38, 46),
                "init": ctx.uni(60, 95) if ctx.chance(0.02) else None}
    lambda_function(c, FN, "provided.al2023", 256, 10, inv, errs, h, streams=2)

    finv = c.ser(lambda t: 1 if t % 900 == 0 else 0)

    def hf(ctx, t, rid, err):
        d = ctx.noisy(1900, 0.2)
        return {"lines": [(0.01, "I", "Fetched %d ECB reference rates" % ctx.rng.randint(30, 32)),
                          (d / 1000 - 0.01, "I", "Upserted rates into DynamoDB table fx-rates")],
                "dur": d, "mem": ctx.rng.randint(88, 95)}
    lambda_function(c, "fx-rates-sync", "python3.12", 256, 60, finv, {}, hf, streams=1)

    req = c.ser(lambda t: c.noisy(640 * diurnal(t, 0.2, 1), 0.05))
    t5 = {t: req[t] * (0.0005 + 0.24 * full[t]) * c.noisy(1, 0.1) for t in MINUTES}
    alb_metrics(c, LB, req, c.ser(lambda t: c.noisy(0.041, 0.1) + 0.01 * full[t]), t5,
                c.ser(lambda t: c.poisson(0.1)), c.ser(lambda t: 4), c.ser(lambda t: 0))
    ecs_metrics(c, "ledger", "ledger-api", c.ser(lambda t: c.noisy(22, 0.08)), c.ser(lambda t: c.noisy(47, 0.03)),
                c.ser(lambda t: 4))

    def api(t):
        st = "%s,%03d" % (c.stamp(t), c.rng.randint(0, 999))
        write = c.chance(0.25)
        if write and t >= T0:
            return ("%s ERROR [ledger.api.journal] POST /v1/journal failed\nTraceback (most recent call last):\n"
                    "  File \"/app/ledger/api/journal.py\", line 77, in create_entry\n    await session.commit()\n"
                    "  File \"/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py\", line 1967, in "
                    "_exec_single_context\n    self.dialect.do_execute(\nsqlalchemy.exc.OperationalError: "
                    "(pymysql.err.OperationalError) (1114, \"The table 'journal_entries' is full\")\n[SQL: INSERT "
                    "INTO journal_entries (account_id, amount_minor, currency, ref) VALUES (%%s, %%s, %%s, %%s)]" % st)
        if c.chance(0.03):
            return "%s WARNING [ledger.api.middleware] slow request GET /v1/accounts/acc_%s/balance %d ms" % (
                st, c.alnum(10), c.rng.randint(800, 1400))
        if write:
            return "%s INFO [uvicorn.access] %s - \"POST /v1/journal HTTP/1.1\" 201" % (st, c.ip("10.40"))
        return "%s INFO [uvicorn.access] %s - \"GET /v1/accounts/acc_%s/balance HTTP/1.1\" 200" % (
            st, c.ip("10.40"), c.alnum(10))
    for _ in range(2):
        c.log("/ecs/ledger-api", "ecs/ledger-api/%s" % c.hexs(32), events_per_minute(c, LOG_FROM, 0, lambda t: 10, api))

    def disk_full(t):
        if t < T0 - 40:
            return None
        return [(0, my(c, t, "ERROR", "MY-012639", "InnoDB",
                       "Write to file ./ledger/journal_entries.ibd failed at offset %d, 1048576 bytes should have been "
                       "written, only 0 were written. Operating system error number 28. Check that your OS and file "
                       "system support files of this size. Check also that the disk is not full or there is not enough "
                       "disk space." % c.rng.randint(6 * 10**10, 7 * 10**10))),
                (0.001, my(c, t, "ERROR", "MY-012640", "InnoDB", "Error number 28 means 'No space left on device'")),
                (0.002, my(c, t, "ERROR", "MY-013132", "Server", "The table 'journal_entries' is full!",
                           thread=c.rng.randint(100000, 999999)))]
    mev = my_background(c, -21600, 0) + events_per_minute(c, -21600, 0, lambda t: 1.5, disk_full)
    mev += every(T0 - 30, 0, 600, lambda t: my(c, t, "ERROR", "MY-000035", "Server",
                 "Disk is full writing '/rdsdbdata/log/binlog/mysql-bin-changelog.031882' (OS errno 28 - No space "
                 "left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.",
                 thread=118))
    c.log("/aws/rds/instance/ledger-db/error", "ledger-db", mev)

    c.change(-2150, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "fx-rates-sync", "ci-deployer")
    c.change(-15800, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB, "backup-automation")
    c.alarm("payments-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 3, "ALARM", -1740)
    c.alarm("ledger-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB},
            "Sum", 60, 3, 20, "ALARM", -1730)
    c.alarm("ledger-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": DB}, "Average", 300, 3, 80,
            "OK", -400000)
    doc = c.doc("h31-04-mysql-storage-full-two-clients",
                "Payment webhooks failing and ledger-api 5XX at the same time; two alarms.",
                {"alarm": "payments-webhook-errors",
                 "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace",
                                "dimensions": {"DBInstanceIdentifier": DB}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]})
    meta = dict(region="eu-central-1", alarm="payments-webhook-errors", category="storage_exhaustion",
                resources=[DB],
                where="both alarms (payments-webhook-errors, ledger-alb-target-5xx) are consequences; the origin "
                      "ledger-db has no storage alarm",
                decoys="fx-rates-sync deploy 4 min before onset (writes to DynamoDB, clean); DB snapshot 4 h "
                       "earlier; steady webhook signature WARNs and slow-request WARNs",
                story="ledger-db (RDS MySQL 8, 200 GB, no storage autoscaling) lost ~1 GB/h of free space all "
                      "morning and hit ~30 MB free 32 minutes ago. Its error log shows InnoDB write failures with OS "
                      "error 28 'No space left on device', `The table 'journal_entries' is full!` and the binlog "
                      "'Disk is full' message. The Go webhook Lambda returns `Error 1114 (HY000): The table "
                      "'journal_entries' is full` on every write, and ledger-api (ECS, behind ledger-alb) fails its "
                      "POST /v1/journal with the same MySQL 1114 while reads keep working. Two alarms, one origin: "
                      "the database whose storage is exhausted, which carries no alarm of its own.")
    return doc, meta


# ---------------------------------------------------------------------------
def _jlog(ctx, t, level, thread, logger, msg):
    return "%s %-5s [%s] %s - %s" % (ctx.ms_stamp(t), level, thread, logger, msg)


def s05():
    """ALB latency; one of three EC2 targets has CPU pinned (its CPU alarm is also firing)."""
    c = Ctx(3105, "2026-11-19T04:30:00", "ap-southeast-2")
    LB = "app/search-alb/9d2e4b6a8c0f1357"
    ids = {"search-1": "i-0a11c5d7e9f2b4368", "search-2": "i-0f3c9b7e2d1a46858", "search-3": "i-05e8a2c4d6f7b9013"}
    BAD = ids["search-2"]
    T0 = -2520
    c.resource("alb", LB, name="search-alb", scheme="internet-facing",
               target_groups={"search-tg": ", ".join(sorted(ids.values()))})
    for n, i in sorted(ids.items()):
        c.resource("ec2", i, name=n, instance_type="c6i.xlarge", log_groups=["/search/app", "/search/access"],
                   target_group="search-tg")
    hot = {t: ramp(t, T0, T0 + 150) for t in MINUTES}
    for n, i in sorted(ids.items()):
        bad = i == BAD
        net_bump = (lambda t: 2.4e8 if (n == "search-3" and -7300 < t < -6900) else 0)
        ec2_metrics(c, i, c.ser(lambda t: min(100, c.noisy(37 * diurnal(t, 0.15, 4), 0.07) + (62 * hot[t] if bad else 0))),
                    c.ser(lambda t: c.noisy(3.1e7, 0.1) + net_bump(t)), c.ser(lambda t: c.noisy(58, 0.02)),
                    c.ser(lambda t: 44.0 + (t + 21600) * 1e-5))
    req = c.ser(lambda t: c.noisy(3000 * diurnal(t, 0.15, 4), 0.05))
    rt = {t: c.noisy(0.085, 0.08) * (1 - hot[t] / 3) + hot[t] / 3 * c.noisy(2.7, 0.12) for t in MINUTES}
    alb_metrics(c, LB, req, rt, {t: req[t] * (0.0002 + 0.012 * hot[t]) for t in MINUTES},
                c.ser(lambda t: c.poisson(0.3)), c.ser(lambda t: 3), c.ser(lambda t: 0),
                t4xx=c.ser(lambda t: c.noisy(45, 0.2)))

    stuck = ["search-worker-%d" % k for k in (3, 5, 6, 9, 11, 12, 14)]
    for n, i in sorted(ids.items()):
        bad = i == BAD

        def app(t, bad=bad):
            th = "search-worker-%d" % c.rng.randint(1, 16)
            if c.chance(0.07):
                return _jlog(c, t, "WARN", th, "c.a.search.QueryParser", "unknown facet 'colour_family' ignored")
            if bad and t >= T0 + 60 and c.chance(0.45):
                return _jlog(c, t, "WARN", th, "c.a.search.QueryExecutor", "slow query %d ms (queue wait %d ms) q=%s"
                             % (c.rng.randint(2200, 6100), c.rng.randint(1500, 5200),
                                c.pick(["lamp", "sofa bed", "oak desk", "kettle"])))
            if bad and t >= T0 + 300 and c.chance(0.06):
                return _jlog(c, t, "ERROR", "http-nio-8080-exec-%d" % c.rng.randint(1, 200), "c.a.search.web.Rejector",
                             "rejecting request: search executor queue full (queue=512, active=16)")
            return _jlog(c, t, "INFO", th, "c.a.search.QueryExecutor", "query ok hits=%d took=%dms" % (
                c.rng.randint(0, 2400), c.rng.randint(9, 70)))
        ev = events_per_minute(c, LOG_FROM, 0, lambda t: 8, app)
        if bad:
            ev += every(T0 + 90, 0, 120, lambda t: _jlog(
                c, t, "WARN", "watchdog", "c.a.search.ops.HotThreads",
                "process cpu %.1f%%; hot threads: %s; top frame java.util.regex.Pattern$Loop.match(Pattern.java:5051) "
                "via c.a.search.analysis.SynonymExpander.expand(SynonymExpander.java:142)"
                % (c.uni(97.5, 99.9), ", ".join("%s=%.1f%%" % (s, c.uni(90, 99.5)) for s in stuck))))
            ev += [(T0 + 40, _jlog(c, T0 + 40, "WARN", "search-worker-3", "c.a.search.QueryExecutor",
                                   "query still running after 30000 ms q=\"%s\"" % ("((a|aa)+)+ " * 3).strip()))]
        c.log("/search/app", i, ev)
        acc = events_per_minute(c, LOG_FROM, 0, lambda t: 6, lambda t, bad=bad: access_line(
            c, t, "GET", "/v2/search?q=%s" % c.pick(["lamp", "sofa", "desk", "chair"]),
            200, c.rng.randint(900, 12000), (c.uni(1.5, 6) if bad and t > T0 + 60 else c.uni(0.01, 0.15)),
            ua="ELB-HealthChecker/2.0" if c.chance(0.05) else "Mozilla/5.0", client=c.ip("10.8")))
        c.log("/search/access", i, acc)

    c.change(-5000, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0bastion7d21 (bastion-sg)", "netops-jwu")
    c.change(-12500, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", ids["search-3"], "patch-manager")
    c.alarm("search-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": LB}, "Average", 60, 3,
            0.5, "ALARM", -2220, description="search API mean latency > 500 ms")
    c.alarm("search-2-cpu-high", "AWS/EC2", "CPUUtilization", {"InstanceId": BAD}, "Average", 300, 2, 90, "ALARM",
            -1800)
    c.alarm("search-alb-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Maximum", 60, 2,
            0, "OK", -250000)
    doc = c.doc("h31-05-alb-latency-ec2-cpu-pinned",
                "Search is slow for about a third of requests; latency alarm on search-alb.",
                {"alarm": "search-alb-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [BAD, "search-2"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": BAD}},
                               {"namespace": "AWS/ApplicationELB", "name": "TargetResponseTime",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="ap-southeast-2", alarm="search-alb-latency", category="cpu_saturation",
                resources=[BAD, "search-2"],
                where="other alarm (search-2-cpu-high) is on the origin; investigated alarm is the ALB front",
                decoys="bastion security-group ingress change; SSM patch on search-3 3.5 h earlier; search-3 "
                       "NetworkIn burst; steady 'unknown facet' WARNs on all instances",
                story="On search-2 (one of three targets) a handful of pathological synonym-expansion queries got "
                      "stuck in regex backtracking; the watchdog reports seven worker threads at ~95 % each and the "
                      "process at 98-99 % CPU. Requests routed to search-2 queue behind them (2-6 s, some rejected "
                      "with 'executor queue full'), so the ALB mean latency triples while search-1 and search-3 "
                      "stay at ~40 % CPU and fast. No change touched search-2. The origin is the saturated "
                      "instance, which has its own CPU alarm; the ALB alarm is the symptom.")
    return doc, meta


# ---------------------------------------------------------------------------
def s06():
    """Java order-router errors because fraud-score (reserved concurrency 3) throttles (both alarm)."""
    c = Ctx(3106, "2026-11-20T17:45:00", "us-east-2")
    R, F = "order-router", "fraud-score"
    LF = -3900
    c.resource("lambda", R, runtime="java21", memory_size=1024, timeout=30, invokes=[F])
    c.resource("lambda", F, runtime="python3.12", memory_size=3008, timeout=15, reserved_concurrency=3)
    c.resource("lambda", "receipt-mailer", runtime="nodejs20.x", memory_size=256, timeout=10)
    demand = c.ser(lambda t: int(round(c.noisy(24 * diurnal(t, 0.1, -8) + 16 * ramp(t, -9600, -2700), 0.07))))
    thr = {t: max(0, demand[t] - c.rng.randint(28, 30)) for t in MINUTES}
    finv = {t: demand[t] - thr[t] for t in MINUTES}
    rerr = {t: int(round(thr[t] * 0.7)) for t in MINUTES}
    fconc = {t: (3 if demand[t] > 27 else min(3, max(1, round(finv[t] * 6.2 / 60 + c.uni(0, 1))))) for t in MINUTES}

    def hf(ctx, t, rid, err):
        d = ctx.noisy(6200, 0.1)
        return {"lines": [(d / 1000 - 0.01, "I", "txn_%s score=%.3f decision=%s model=gbm-2026-10-30" % (
                              ctx.alnum(14), ctx.uni(0, 0.4), "review" if ctx.chance(0.03) else "approve"))],
                "dur": d, "mem": ctx.rng.randint(1710, 1790), "init": ctx.uni(3100, 3600) if ctx.chance(0.02) else None}
    lambda_function(c, F, "python3.12", 3008, 15, finv, {}, hf, streams=3, throttles=thr, conc=fconc, log_from=LF)

    def hr(ctx, t, rid, err):
        order = "ord_%s" % ctx.alnum(12)
        lines = [(0.01, "I", "c.a.orders.Router - routing %s items=%d" % (order, ctx.rng.randint(1, 7)))]
        if ctx.chance(0.06):
            lines.append((0.05, "W", "c.a.orders.AddressValidator - address validation returned PARTIAL_MATCH for "
                                     "postcode %05d" % ctx.rng.randint(10000, 99999)))
        if err:
            reqid = ctx.uid()
            lines += [(0.12, "W", "c.a.orders.FraudClient - invoke fraud-score throttled (attempt 1/3), retrying in 180 ms"),
                      (0.34, "W", "c.a.orders.FraudClient - invoke fraud-score throttled (attempt 2/3), retrying in 420 ms"),
                      (0.81, "E", "c.a.orders.Router - failed to route %s\nsoftware.amazon.awssdk.services.lambda.model."
                                  "TooManyRequestsException: Rate Exceeded. (Service: Lambda, Status Code: 429, "
                                  "Request ID: %s)\n\tat software.amazon.awssdk.core.internal.http.CombinedResponseHandler."
                                  "handleErrorResponse(CombinedResponseHandler.java:125)\n\tat software.amazon.awssdk."
                                  "services.lambda.DefaultLambdaClient.invoke(DefaultLambdaClient.java:3021)\n\tat "
                                  "com.acme.orders.FraudClient.score(FraudClient.java:58)\n\tat com.acme.orders.Router."
                                  "handleRequest(Router.java:91)" % (order, reqid)),
                      (0.82, "E", '{"errorMessage":"Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: %s)",'
                                  '"errorType":"software.amazon.awssdk.services.lambda.model.TooManyRequestsException",'
                                  '"stackTrace":["com.acme.orders.FraudClient.score(FraudClient.java:58)",'
                                  '"com.acme.orders.Router.handleRequest(Router.java:91)"]}' % reqid)]
            return {"lines": lines, "dur": ctx.noisy(840, 0.1), "mem": ctx.rng.randint(180, 200)}
        d = ctx.noisy(6450, 0.1)
        lines += [(d / 1000 - 0.12, "I", "c.a.orders.FraudClient - fraud-score decision=approve in %d ms" % (d - 140)),
                  (d / 1000 - 0.02, "I", "c.a.orders.Router - routed %s to warehouse %s" % (
                      order, ctx.pick(["CMH1", "CMH2", "IND4"])))]
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(180, 215),
                "init": ctx.uni(2400, 2900) if ctx.chance(0.015) else None}
    lambda_function(c, R, "java21", 1024, 30, demand, rerr, hr, streams=3, log_from=LF)

    minv = c.ser(lambda t: c.poisson(4))

    def hm(ctx, t, rid, err):
        d = ctx.noisy(230, 0.2)
        lines = [(0.01, "I", "sending receipt for order ord_%s via SES" % ctx.alnum(12))]
        if t >= -3100 and ctx.chance(0.3):
            lines.append((0.02, "I", "template receipt-v7 loaded"))
        return {"lines": lines, "dur": d, "mem": ctx.rng.randint(90, 99)}
    lambda_function(c, "receipt-mailer", "nodejs20.x", 256, 10, minv, {}, hm, streams=1, log_from=LF)

    c.change(-3120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "receipt-mailer", "ci-deployer")
    c.change(-3110, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "receipt-mailer",
             "ci-deployer")
    c.change(-12000, "iam.amazonaws.com", "UpdateAssumeRolePolicy", "AWS::IAM::Role", "data-lake-crawler-role",
             "platform-admin")
    c.alarm("order-router-errors", "AWS/Lambda", "Errors", {"FunctionName": R}, "Sum", 60, 3, 2, "ALARM", -2280)
    c.alarm("fraud-score-throttles", "AWS/Lambda", "Throttles", {"FunctionName": F}, "Sum", 60, 3, 2, "ALARM", -2340)
    c.alarm("receipt-mailer-errors", "AWS/Lambda", "Errors", {"FunctionName": "receipt-mailer"}, "Sum", 300, 1, 2,
            "OK", -90000)
    doc = c.doc("h31-06-lambda-errors-downstream-throttles",
                "Orders failing to route; order-router Errors alarm, fraud-score Throttles alarm also firing.",
                {"alarm": "order-router-errors",
                 "root_cause": {"category": "throttling", "resource": [F]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Throttles", "dimensions": {"FunctionName": F}},
                               {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": R}}]})
    meta = dict(region="us-east-2", alarm="order-router-errors", category="throttling", resources=[F],
                where="other alarm (fraud-score-throttles) is on the origin; investigated alarm is the caller",
                decoys="receipt-mailer deploy 50 min earlier; IAM trust-policy change on an unrelated role; steady "
                       "address PARTIAL_MATCH WARNs in order-router",
                story="order-router (Java 21) calls fraud-score synchronously for every order. fraud-score has "
                      "reserved concurrency 3 and takes ~6 s per call, so it tops out around 29 calls a minute. "
                      "As the afternoon order volume climbed from ~24 to ~40 a minute (sporadic single throttles already happened at the morning level), ConcurrentExecutions "
                      "pinned at 3 and Throttles began; order-router exhausts its SDK retries and fails with "
                      "`TooManyRequestsException: Rate Exceeded (Status Code: 429)`. fraud-score itself is healthy "
                      "(duration and memory unchanged, no errors). The fault is the concurrency limit on "
                      "fraud-score, which has its own Throttles alarm; throttling, origin fraud-score.")
    return doc, meta
