"""ECS-centred incidents behind ALBs: a bad image deploy, a dead cache instance two hops away, Kinesis
throughput throttling, a JVM memory leak, and a campaign traffic surge."""
from __future__ import annotations

import numpy as np

from .common import N, T, Gen, after, alarm, anomaly, between, build, change, find_metric, iso_ms, log, ramp
from .services import alb_set, ec2_set, ecs_set

SPRING = "{ts} {lvl:>5} 1 --- [{app}] [{thr}] {logger:<40} : {msg}"


def spring(t, lvl, app, logger, msg, g):
    return SPRING.format(ts=iso_ms(t), lvl=lvl, app=app, thr=f"nio-8080-exec-{g.int(1, 40)}", logger=logger, msg=msg)


def sample_lines(g: Gen, since: float, per_min: float, make) -> list:
    out = []
    for i in range(N):
        if T[i] < since:
            continue
        for _ in range(int(g.r.poisson(per_min))):
            t = float(T[i]) + g.uniform(0, 60)
            out.append((t, make(t)))
    return out


def h02_ledger_deploy():
    g = Gen(602)
    region, svc, lb, other = "ap-southeast-2", "payments/ledger-api", "app/ledger-alb/5e3a9c1b7d2f4068", "payments/fx-rates"
    deploy, onset = -3030.0, -2880.0
    req = g.counts(g.daily(300, 50, 10, phase=0.3))
    fail = np.where(after(onset), g.r.binomial(req.astype(int), 0.035), 0).astype(float)
    t5 = g.counts(req * 0.0004) + fail
    tasks = np.full(N, 4.0)
    tasks[between(deploy + 30, onset + 60)] = 8.0
    cpu = g.level(29, 3.5, 1, 100)
    cpu[between(deploy + 30, onset + 60)] += 14
    metrics = alb_set(g, lb, req, t5xx=t5, hosts=4) + ecs_set(g, svc, 4, cpu=cpu, tasks=tasks)
    metrics += ecs_set(g, other, 2, cpu=g.level(9, 2, 0.5, 100), mem=g.level(31, 1, 0, 100))
    npe = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
           "processing failed: java.lang.NullPointerException: Cannot invoke \"com.acme.ledger.model.Limits."
           "getDailyMax()\" because the return value of \"com.acme.ledger.model.Account.getLimits()\" is null] "
           "with root cause\n\njava.lang.NullPointerException: Cannot invoke \"com.acme.ledger.model.Limits."
           "getDailyMax()\" because the return value of \"com.acme.ledger.model.Account.getLimits()\" is null\n"
           "\tat com.acme.ledger.service.PostingService.checkLimits(PostingService.java:142)\n"
           "\tat com.acme.ledger.service.PostingService.post(PostingService.java:88)\n"
           "\tat com.acme.ledger.web.PostingController.create(PostingController.java:51)\n"
           "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)")
    ev = sample_lines(g, -10800, 3.0, lambda t: spring(t, "INFO", "ledger-api", "c.a.l.web.PostingController",
                                                       f"Posted txn {g.hexid(12)} amount={g.int(1, 90000) / 100:.2f} AUD", g))
    ev += sample_lines(g, -10800, 0.5, lambda t: SPRING.format(
        ts=iso_ms(t), lvl="WARN", app="ledger-api", thr="l-1 housekeeper", logger="com.zaxxer.hikari.pool.HikariPool",
        msg=f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={g.int(60, 75)}s{g.int(0, 999)}ms)."))
    for i in np.nonzero(fail)[0]:
        for _ in range(int(fail[i])):
            t = float(T[i]) + g.uniform(0, 60)
            ev.append((t, spring(t, "ERROR", "ledger-api", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", npe, g)))
    ev.append((deploy + 95, SPRING.format(ts=iso_ms(deploy + 95), lvl="INFO", app="ledger-api", thr="main",
                                          logger="com.acme.ledger.LedgerApplication",
                                          msg="Started LedgerApplication in 21.874 seconds (process running for 23.6)")))
    fx = sample_lines(g, -10800, 1.0, lambda t: f"{iso_ms(t)} INFO  fx-rates refreshed {g.int(150, 170)} pairs from ECB feed")
    logs = [log("/ecs/ledger-api", f"ecs/ledger-api/{g.hexid(32)}", ev), log("/ecs/fx-rates", f"ecs/fx-rates/{g.hexid(32)}", fx)]
    al = alarm("ledger-alb-target-5xx", find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum",
               300, 1, 20, description="ledger ALB 5XX from targets")
    changes = [
        change(deploy - 20, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "ledger-api:214",
               "codepipeline-payments"),
        change(deploy, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "codepipeline-payments"),
        change(-7460, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "fx-rates:57",
               "codepipeline-payments"),
        change(-7440, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "codepipeline-payments"),
    ]
    resources = [{"type": "alb", "id": lb, "properties": {"name": "ledger-alb"}},
                 {"type": "ecs", "id": svc, "properties": {"cluster": "payments", "task_definition": "ledger-api:214",
                                                           "desired_count": 4, "cpu": 1024, "memory": 2048}},
                 {"type": "ecs", "id": other, "properties": {"cluster": "payments", "desired_count": 2}}]
    return build("h6-02-ledger-deploy", "ledger ALB 5XX alarm; some card postings rejected with 500.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="bad_deployment", accepted=[svc, "ledger-api"],
                 anomalies=[anomaly(find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb))],
                 decoys="fx-rates deployed 2 h earlier (healthy); HikariPool thread-starvation WARN at a constant "
                        "rate; task count/CPU bump during the rolling deploy",
                 story="Pipeline deploy of ledger-api task definition :214 (RegisterTaskDefinition + UpdateService). "
                       "Once the new tasks take traffic, postings for accounts without a limits record hit a new "
                       "`NullPointerException ... Account.getLimits() is null` in PostingService.checkLimits and the "
                       "ALB counts target 5XXs. The fx-rates deploy two hours earlier and the Hikari warnings are noise.")


def h09_catalog_redis_down():
    g = Gen(609)
    region, lb, svc = "ap-south-1", "app/catalog-alb/0c6d8e2f4a1b3957", "web/catalog-api"
    iid, name = "i-0e1f2a3b4c5d6e7f8", "redis-cache-1"
    onset = -1500.0
    req = g.counts(g.daily(820, 120, 25, phase=1.1))
    fail = np.where(after(onset), g.r.binomial(req.astype(int), 0.28), 0).astype(float)
    t5 = g.counts(req * 0.0005) + fail
    trt = g.level(0.045, 0.008, 0.01)
    trt[after(onset)] = g.level(0.62, 0.09, 0.1)[after(onset)]
    metrics = alb_set(g, lb, req, t5xx=t5, trt=trt, hosts=6)
    metrics += ecs_set(g, svc, 6, cpu=g.level(31, 4, 1, 100))
    m_ec2 = ec2_set(g, iid, cpu=g.level(14, 2, 0.5, 100), net=g.level(9.4e6, 8e5, 1e5),
                    status=np.where(after(onset + 60), 1.0, 0.0), mem=g.level(63, 0.6, 0, 100))
    for m in m_ec2:   # the host stops reporting; only the status check keeps publishing
        if m["name"] != "StatusCheckFailed":
            m["points"] = [p for p in m["points"] if p[0] < onset]
    metrics += m_ec2
    ev = sample_lines(g, -10800, 4.0, lambda t: f"{iso_ms(t)} info: GET /v2/products/{g.int(10000, 99999)} 200 "
                                                f"{g.int(3, 40)}ms cache=hit")
    ev += sample_lines(g, -10800, 0.3, lambda t: f"{iso_ms(t)} warn: (node:1) [DEP0040] DeprecationWarning: The "
                                                 "`punycode` module is deprecated. Please use a userland alternative instead.")
    for i in range(N):
        if T[i] < onset:
            continue
        for _ in range(g.int(4, 9)):
            t = float(T[i]) + g.uniform(0, 60)
            msg = g.choice([
                "error: GET /v2/products/{p} 503 {ms}ms - Error: connect ETIMEDOUT 10.30.12.41:6379",
                "error: GET /v2/categories/{p} 503 {ms}ms - MaxRetriesPerRequestError: Reached the max retries per "
                "request limit (which is 3). Refer to \"maxRetriesPerRequest\" option for details.",
                "error: [ioredis] Unhandled error event: Error: connect ETIMEDOUT\n    at Socket.<anonymous> "
                "(/app/node_modules/ioredis/built/Redis.js:170:41)\n    at Object.onceWrapper (node:events:633:28)",
                "warn: redis-cache-1.internal:6379 reconnecting (attempt {a})"])
            ev.append((t, f"{iso_ms(t)} " + msg.format(p=g.int(10000, 99999), ms=g.int(2000, 3100), a=g.int(2, 400))))
    logs = [log("/ecs/catalog-api", f"ecs/catalog-api/{g.hexid(32)}", ev)]
    al = alarm("catalog-alb-5xx", find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum", 60, 3, 50,
               description="catalog ALB target 5XX")
    changes = [change(-8700, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "argo-deployer")]
    resources = [{"type": "alb", "id": lb, "properties": {"name": "catalog-alb"}},
                 {"type": "ecs", "id": svc, "properties": {"cluster": "web"}},
                 {"type": "ec2", "id": iid, "properties": {"name": name, "instance_type": "r6g.large"}}]
    return build("h6-09-catalog-redis-down", "Product pages failing intermittently; catalog ALB 5XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="dependency_failure", accepted=[iid, name],
                 anomalies=[anomaly(find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb)),
                            anomaly(find_metric(metrics, "StatusCheckFailed", InstanceId=iid))],
                 decoys="catalog-api deploy 2.4 h earlier (clean since); constant punycode DeprecationWarning; the ECS "
                        "service itself is the one returning 503s",
                 story="The EC2 host running the Redis cache (redis-cache-1) fails its status check (underlying "
                       "host problem) and stops reporting metrics. catalog-api cannot reach 10.30.12.41:6379 / "
                       "redis-cache-1.internal (ETIMEDOUT, ioredis max retries) and returns 503 for uncached paths. "
                       "The alarm is on the ALB, two hops from the failed instance; only log lines link the service "
                       "to the cache host.")


def h11_click_kinesis_throttle():
    g = Gen(611)
    region, lb, svc, other = "us-east-2", "app/collect-alb/7a1c3e5b9d2f8046", "ingest/click-collector", "ingest/click-enricher"
    onset = -2280.0
    req = g.counts(g.daily(5200, 900, 80, phase=0.9))
    p = np.where(after(onset), 0.028, 0.0)
    fail = g.r.binomial(req.astype(int), p).astype(float)
    t5 = g.counts(req * 0.0001) + fail
    metrics = alb_set(g, lb, req, t5xx=t5, trt=g.level(0.018, 0.003, 0.004), hosts=8)
    metrics += ecs_set(g, svc, 8, cpu=g.level(41, 4, 1, 100), mem=g.level(38, 1, 0, 100))
    ecpu = g.level(22, 3, 1, 100)
    ecpu[between(-9000, -8400)] += 45  # hourly backfill, benign
    metrics += ecs_set(g, other, 3, cpu=ecpu)
    ev = sample_lines(g, -10800, 2.0, lambda t: f"{py_like(t)} INFO collector: flushed batch of {g.int(200, 500)} "
                                                "records to clickstream-prod")
    for i in range(N):
        if T[i] < onset:
            continue
        for _ in range(g.int(5, 11)):
            t = float(T[i]) + g.uniform(0, 60)
            ev.append((t, f"{py_like(t)} ERROR collector: put_record failed, returning 503: botocore.errorfactory."
                          "ProvisionedThroughputExceededException: An error occurred (ProvisionedThroughputExceededException) "
                          "when calling the PutRecord operation: Rate exceeded for shard shardId-000000000002 in stream "
                          "clickstream-prod under account 700812345678."))
    ev += sample_lines(g, -10800, 0.6, lambda t: f"{py_like(t)} WARNING collector: dropped event with invalid "
                                                 "site_id (len=0)")
    en = sample_lines(g, -10800, 1.0, lambda t: f"{py_like(t)} INFO enricher: processed {g.int(2000, 9000)} records, "
                                                f"iterator age {g.int(100, 900)} ms")
    logs = [log("/ecs/click-collector", f"ecs/click-collector/{g.hexid(32)}", ev),
            log("/ecs/click-enricher", f"ecs/click-enricher/{g.hexid(32)}", en)]
    al = alarm("collect-alb-5xx", find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb), "Sum", 300, 1, 150,
               description="click collector 5XX")
    changes = [change(-11000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", other, "ci-ingest")]
    resources = [{"type": "alb", "id": lb, "properties": {"name": "collect-alb"}},
                 {"type": "ecs", "id": svc, "properties": {"cluster": "ingest", "desired_count": 8}},
                 {"type": "ecs", "id": other, "properties": {"cluster": "ingest", "desired_count": 3}}]
    return build("h6-11-click-kinesis-throttle", "Click collector returning 503s to browsers; collect-alb 5XX alarm.",
                 region, resources, metrics, logs, [al], changes,
                 alarm_name=al["name"], category="throttling", accepted=[svc, "click-collector", "clickstream-prod"],
                 anomalies=[anomaly(find_metric(metrics, "HTTPCode_Target_5XX_Count", LoadBalancer=lb))],
                 decoys="hourly backfill CPU spike on click-enricher; constant invalid-site_id WARNING; enricher "
                        "UpdateService 3 h earlier",
                 story="Request volume is normal for the time of day, but one Kinesis shard of clickstream-prod "
                       "becomes hot (a large customer's events share a partition key). PutRecord calls for that "
                       "shard fail with ProvisionedThroughputExceededException ('Rate exceeded for shard "
                       "shardId-000000000002') and click-collector returns 503. The stream is not a modelled "
                       "resource, so the collector service (or the stream name) is accepted.")


def py_like(t: float) -> str:
    return iso_ms(t).replace("T", " ").replace("Z", "")
