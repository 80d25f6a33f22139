"""Scenarios 11-12: a function hitting its own timeout; a genuine traffic surge behind a deploy decoy."""
import datetime as dt
import json

from .awsres import alb_metrics, ecs_metrics, ecs_streams, emit, lambda_fn, pg_line, rds_metrics
from .lib import Scn, anomaly, poisson_times, ramp, spread, step, values

GB = 1e9


def s11():
    s = Scn("h23-11-statement-export-timeouts", "statement-export failing for some batches during the "
            "monthly statement run; warehouse-pg CPU alarm also open.", "ap-southeast-2",
            dt.datetime(2026, 12, 1, 3, 30), 2311)
    onset, dep = -2100, -2160
    fn = "statement-export"
    s.resource("lambda", fn, runtime="python3.12", timeout=120, memory_size=1024,
               trigger="SQS statement-batches (batch size 1, 25 accounts per message)",
               environment={"DB_HOST": "accounts-db.cn2b7q4x1m9z.ap-southeast-2.rds.amazonaws.com",
                            "PAGE_SIZE": "5000", "OUTPUT_BUCKET": "acme-statements-prod"})
    s.resource("lambda", "statement-notifier", runtime="nodejs20.x", timeout=30, memory_size=256,
               trigger="S3 ObjectCreated acme-statements-prod/*/manifest.json")
    s.resource("rds", "accounts-db", engine="postgres", engine_version="15.5", instance_class="db.r6g.xlarge",
               max_connections=3400, allocated_storage_gb=1000, log_groups=["/aws/rds/instance/accounts-db/postgresql"])
    s.resource("rds", "warehouse-pg", engine="postgres", engine_version="16.1", instance_class="db.r6g.2xlarge",
               max_connections=5000, allocated_storage_gb=2000, role="analytics warehouse (dbt)")

    inv = s.counts(lambda t: 5.2)
    big = lambda t: 0.46 if t >= onset else 0.0
    err = [[t, float(min(n, s.poisson(n * big(t))))] for t, n in inv]

    def body(t, rid, kind):
        b = "b_%s" % s.hexid(8)
        lines = [(0.01, "INFO", "Export batch %s period=2026-11 accounts=25" % b)]
        if kind:
            acc = "acc_%s" % s.hexid(8)
            n = s.rng.randint(1400000, 2600000)
            pages = n // 5000
            lines.append((0.4, "INFO", "%s: streaming %d transactions (%d pages of 5000)" % (acc, n, pages)))
            for k, at in enumerate((30.0, 60.0, 90.0), 1):
                lines.append((at, "INFO", "progress %s: page %d/%d fetched (db %d ms/page), %d PDF pages rendered"
                              % (acc, int(pages * at / 150), pages, s.rng.randint(35, 55), int(n * at / 150 / 40))))
            return {"dur": 120000 + s.rng.random() * 150, "mem": 420 + s.rng.randint(0, 110), "lines": lines,
                    "end": "timeout"}
        d = 22000 + s.rng.random() * 26000
        for k in range(3):
            lines.append(((k + 1) * d / 4000, "INFO", "acc_%s: %d transactions in %d pages (db %d ms), %d PDF pages "
                          "in %d ms" % (s.hexid(8), s.rng.randint(200, 40000), s.rng.randint(1, 8),
                                        s.rng.randint(30, 300), s.rng.randint(2, 30), s.rng.randint(200, 1600))))
        lines.append((d / 1000 - 0.1, "INFO", "Uploaded 25 statements to s3://acme-statements-prod/2026-11/%s/ in "
                      "%.1f s" % (b, d / 1000)))
        return {"dur": d, "mem": 310 + s.rng.randint(0, 90), "lines": lines}

    dur = lambda_fn(s, fn, "python3.12", 1024, 120, inv, err, body, lambda t: 35000 + s.noise(5000),
                    log_from=-7200, nstreams=6)
    ev = values(err)
    q = {"QueueName": "statement-batches"}
    s.metric("AWS/SQS", "ApproximateAgeOfOldestMessage", q, "Seconds",
             s.series(lambda t: 40 + abs(s.noise(20)) + 0.6 * max(0, t - onset), nd=0))
    rds_metrics(s, "accounts-db", s.series(lambda t: 24 + s.noise(2) + 5 * step(t, onset)),
                s.series(lambda t: 34 + s.noise(2) + 3 * step(t, onset), nd=0),
                s.series(lambda t: 611 * GB + s.noise(0.2 * GB), nd=0),
                s.series(lambda t: 17.8 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 0.0011 + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0015 + abs(s.noise(0.0003)), nd=5))
    pg = [(t, pg_line(s, t, "@", 611, "LOG", "checkpoint starting: time")) for t in range(-21600 + 140, -60, 300)]
    s.log("/aws/rds/instance/accounts-db/postgresql", "accounts-db.0", pg)

    # decoy 1: notifier deployed 60 s before onset; it runs after each successful upload
    ni = [[t, float(max(0, int(n) - int(ev.get(t, 0))))] for t, n in inv]

    def notify(t, rid, kind):
        d = 90 + s.rng.random() * 90
        return {"dur": d, "mem": 81, "lines": [(d / 1000 - 0.01, "INFO", "manifest %s: queued 25 statement-ready emails"
                                                % s.hexid(8))]}

    lambda_fn(s, "statement-notifier", "nodejs20.x", 256, 30, ni, [[t, 0.0] for t, _ in ni], notify,
              lambda t: 130 + s.noise(15), log_from=-3000, rotate=(dep + 20,), nstreams=3)
    s.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "statement-notifier", "codepipeline-deployer")

    # decoy 2: warehouse-pg CPU alarm (dbt run), unrelated database
    wh = s.series(lambda t: 31 + s.noise(3) + 63 * ramp(t, -2500, -2380), hi=100)
    rds_metrics(s, "warehouse-pg", wh, s.series(lambda t: 210 + s.noise(10), nd=0),
                s.series(lambda t: 808 * GB + s.noise(0.3 * GB), nd=0),
                s.series(lambda t: 31 * GB + s.noise(0.2 * GB), nd=0),
                s.series(lambda t: 0.0021 + abs(s.noise(0.0005)), nd=5))

    s.alarm("statement-export-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 1, 3,
            "GreaterThanThreshold", "ALARM", "auto", err, "statement-export failures", after=onset)
    s.alarm("warehouse-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "warehouse-pg"},
            "Average", 300, 2, 90, "GreaterThanThreshold", "ALARM", "auto", wh, after=-2500)
    s.alarm("accounts-db-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "accounts-db"},
            "Average", 300, 3, 80, "GreaterThanThreshold", "OK", -700000)
    s.set_expect("statement-export-errors", "function_timeout", [fn],
                 [anomaly("AWS/Lambda", "Errors", FunctionName=fn), anomaly("AWS/Lambda", "Duration",
                                                                              FunctionName=fn)])
    s.meta = dict(category="function_timeout", resources=[fn], alarm_on="origin (busy neighbours)",
                  decoys="statement-notifier deployed 60 s before onset (downstream S3 consumer); warehouse-pg CPU "
                         "alarm in ALARM (dbt, unrelated DB)",
                  story="About 46 % of statement-export invocations end with `Task timed out after 120.xx seconds` "
                        "(REPORT `Status: timeout`). Each failing batch contains one account with 1.4-2.6 M "
                        "transactions that the function streams page by page. Its progress lines show every page "
                        "coming back from accounts-db in 35-55 ms; at the last progress line (90 s) only ~60 % of "
                        "the pages are done. There are no database or network errors. accounts-db metrics are flat, and memory "
                        "peaks around 530 MB of 1024 MB. statement-notifier only reacts to uploaded PDFs (its "
                        "invocations fall because fewer batches finish), and warehouse-pg is an analytics database "
                        "the function never touches. Label: function_timeout on statement-export.")
    return s


def s12():
    s = Scn("h23-12-tickets-latency-onsale-surge", "Ticketing site slow and partly failing; ALB latency "
            "alarm on tickets-alb.", "eu-west-1", dt.datetime(2026, 11, 28, 10, 35), 2312)
    onset, dep = -1800, -1850
    lb = "app/tickets-alb/2f6b8d0c4e1a3957"
    s.resource("alb", lb, name="tickets-alb", scheme="internet-facing",
               target_groups=[{"name": "ticket-web-tg", "target": "ecs:tickets/ticket-web", "port": 8080}])
    s.resource("ecs", "tickets/ticket-web", cluster="tickets", service="ticket-web", launch_type="FARGATE",
               desired_count=12, autoscaling="target tracking CPU 60 %, min 4, max 12", cpu=2048, memory=4096,
               image="471920385566.dkr.ecr.eu-west-1.amazonaws.com/ticket-web:7.4.0",
               environment={"DATABASE_URL": "postgres://tickets-db.cd8k2m1x0v3q.eu-west-1.rds.amazonaws.com/"
                                            "tickets", "WRITE_TIMEOUT": "5s"}, log_groups=["/ecs/ticket-web"])
    s.resource("ecs", "tickets/email-worker", cluster="tickets", service="email-worker", launch_type="FARGATE",
               desired_count=2, trigger="SQS ticket-emails", log_groups=["/ecs/email-worker"])
    s.resource("rds", "tickets-db", engine="postgres", engine_version="16.2", instance_class="db.r6g.2xlarge",
               max_connections=1000, allocated_storage_gb=500)

    surge = lambda t: ramp(t, onset, onset + 120) * (1 - 0.25 * ramp(t, onset + 600, -60))
    tasks = lambda t: min(12, 4 + 2 * max(0, int((t - onset - 60) // 150) + 1)) if t >= onset + 60 else 4
    req = s.counts(lambda t: 1150 * s.diurnal(t, 0.2, 12) * (1 + 6.6 * surge(t)))
    rv = values(req)
    load = lambda t: rv.get(t - t % 60, 1150) / (tasks(t) * 700.0)
    trt = s.series(lambda t: 0.09 + abs(s.noise(0.01)) + surge(t) * max(0.0, 0.45 + 0.9 * load(t) + s.noise(0.08)),
                   nd=4)
    t5 = [[t, float(s.poisson(rv[t] * 0.012 * surge(t) + 0.3))] for t, _ in req]
    alb_metrics(s, lb, req, trt, t5, s.counts(lambda t: 0.05 + 1.5 * surge(t)),
                s.series(lambda t: tasks(t), nd=0), t4xx=s.counts(lambda t: 9 + 40 * surge(t)))
    ecs_metrics(s, "tickets", "ticket-web",
                s.series(lambda t: 37 + s.noise(2) + surge(t) * (40 + min(9, 5 * (load(t) - 1)) + s.noise(2)), hi=88),
                s.series(lambda t: 45 + 12 * surge(t) + s.noise(0.7)), s.series(lambda t: tasks(t), nd=0))
    ecs_metrics(s, "tickets", "email-worker", s.series(lambda t: 9 + 6 * surge(t) + s.noise(1.5)),
                s.series(lambda t: 31 + s.noise(0.5)), s.series(lambda t: 2, nd=0))
    rds_metrics(s, "tickets-db", s.series(lambda t: 29 + 26 * surge(t) + s.noise(2.5)),
                s.series(lambda t: 140 + 180 * surge(t) + s.noise(6), nd=0),
                s.series(lambda t: 402 * GB + s.noise(0.1 * GB), nd=0),
                s.series(lambda t: 44 * GB + s.noise(0.2 * GB), nd=0),
                s.series(lambda t: 0.0008 + 0.0004 * surge(t) + abs(s.noise(0.0002)), nd=5),
                s.series(lambda t: 0.0014 + 0.0006 * surge(t) + abs(s.noise(0.0003)), nd=5))

    def zl(t, level, msg, **kw):
        d = {"level": level, "time": s.iso(t), "svc": "ticket-web"}
        d.update(kw)
        d["msg"] = msg
        return json.dumps(d, separators=(",", ":"))

    paths = ["/api/events", "/api/events/evt_%d" % 8120, "/api/basket", "/api/account", "/"]

    def web(t, _st):
        r = s.rng.random()
        sg = surge(t)
        if r < 0.05 * (1 - 0.8 * sg):
            return zl(t, "error", "geoip lookup failed", error="open /data/GeoLite2-City.mmdb: database is older "
                                                               "than 30 days; refusing stale data")
        if sg and r < 0.7 * sg:
            path = s.pick(["/api/events/evt_8841/availability", "/api/events/evt_8841/availability",
                           "/api/events/evt_8841/seats", "/api/queue/evt_8841/position", "/api/basket"])
            dur = int(1000 * max(0.05, 0.45 + 0.9 * load(t) + s.noise(0.6)))
            if r < 0.012 * sg * 4:
                return zl(t, "error", "request exceeded server write timeout", path=path, timeout="5s",
                          status=503, remote="10.9.%d.%d" % (s.rng.randint(0, 9), s.rng.randint(2, 250)))
            if dur > 1500:
                return zl(t, "warn", "slow request", method="GET", path=path, status=200, dur_ms=dur,
                          inflight=s.rng.randint(180, 420))
            return zl(t, "info", "request", method="GET", path=path, status=200, dur_ms=dur)
        return zl(t, "info", "request", method="GET", path=s.pick(paths), status=200, dur_ms=s.rng.randint(4, 90))

    emit(s, "/ecs/ticket-web", spread(s, poisson_times(s, lambda m: 14 + 30 * surge(m)),
                                      ecs_streams(s, "ticket-web", 4), web))
    late = {}
    for k in range(4, 12):
        t0 = onset + 60 + 150 * ((k - 4) // 2) + s.rng.random() * 40
        st = ecs_streams(s, "ticket-web", 1)[0]
        late[st] = [(t0, zl(t0, "info", "listening", addr=":8080", version="7.4.0", gomaxprocs=2))]
        late[st] += [(t, ln) for t, ln in
                     ((tt, web(tt, st)) for tt in poisson_times(s, lambda m: 3 * surge(m), t0 + 5))]
    emit(s, "/ecs/ticket-web", late)

    # decoy: email-worker redeployed 50 s before onset; SQS consumer, never called by ticket-web
    es = ecs_streams(s, "email-worker", 2)
    es2 = ecs_streams(s, "email-worker", 2)

    def mail(t, _st):
        return zl(t, "info", "sent batch", kind=s.pick(["order_confirmation", "password_reset", "waitlist"]),
                  count=s.rng.randint(1, 25), provider="ses")

    eb = spread(s, poisson_times(s, lambda m: 3 + 9 * surge(m), -10800, dep + 60), es, mail)
    eb2 = spread(s, poisson_times(s, lambda m: 3 + 9 * surge(m), dep + 40), es2, mail)
    for st in es2:
        eb2[st].append((dep + 35, zl(dep + 35, "info", "starting email-worker", version="2.9.1", queue="ticket-emails")))
    eb.update(eb2)
    emit(s, "/ecs/email-worker", eb)
    s.change(dep - 15, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "email-worker:31",
             "github-actions-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "tickets/email-worker",
             "github-actions-deployer")

    s.alarm("tickets-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60,
            3, 1.0, "GreaterThanThreshold", "ALARM", "auto", trt, "tickets ALB average response time", after=onset)
    s.set_expect("tickets-alb-latency", "traffic_surge", ["tickets/ticket-web", "ticket-web", "tickets-alb", lb],
                 [anomaly("AWS/ApplicationELB", "RequestCount", LoadBalancer=lb),
                  anomaly("AWS/ApplicationELB", "TargetResponseTime", LoadBalancer=lb)])
    s.meta = dict(category="traffic_surge", resources=["tickets/ticket-web", "ticket-web", "tickets-alb", lb],
                  alarm_on="origin (the surge enters at tickets-alb / ticket-web)",
                  decoys="email-worker redeployed 50 s before onset (SQS consumer, off path); steady geoip ERROR "
                         "in ticket-web; 'write timeout' wording",
                  story="RequestCount on tickets-alb goes from ~1.3 k to ~10 k per minute in two minutes. Nearly all "
                        "the new requests hit a single event (evt_8841 availability, seats, queue position). "
                        "ticket-web autoscaling adds tasks until it reaches its max of 12. CPU runs at ~65-85 %, high "
                        "but never pinned, and memory is fine. Latency climbs to 1-2.7 s, and about 1 % of requests "
                        "exceed the 5 s server write timeout. tickets-db rises in step with the load and stays far "
                        "from its limits. No change touches ticket-web. The email-worker deploy is an SQS consumer "
                        "that ticket-web never calls, and the geoip error was already there all morning. Label: "
                        "traffic_surge at ticket-web / tickets-alb.")
    return s
