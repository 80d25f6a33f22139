"""h42-05 (Spring/Hikari on ECS, Postgres out of connection slots) and h42-06 (JVM on EC2, CPU pinned by an
in-process export job)."""
from __future__ import annotations

from .common import (Rng, Stream, alarm, alb_metrics, anchor_dt, arrivals, at, change, ec2_metrics, ecs_metrics,
                     expect, iso_ms, lambda_invoke, lambda_metrics, lambda_stream_name, ramp, rds_metrics,
                     scenario_doc, series, step, wave)

GB = 1024 ** 3

PG_FRAMES = """	at org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:693)
	at org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:203)
	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)
	at org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)
	at org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:263)
	at org.postgresql.Driver.makeConnection(Driver.java:443)
	at org.postgresql.Driver.connect(Driver.java:297)
	at com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)
	at com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)
	at com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)
	at com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:461)
	at com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)
	at com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:703)
	at java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)
	at java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)
	at java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)
	at java.base/java.lang.Thread.run(Thread.java:1583)"""


def _java_hikari_error(ts, tid, path, ctrl, waiting, total):
    pool = f"HikariPool-1 - Connection is not available, request timed out after 3000ms (total={total}, active={total}, idle=0, waiting={waiting})"
    return (f"{ts} ERROR 1 --- [tickets-api] [nio-8080-exec-{tid}] c.a.tickets.web.ApiExceptionHandler      : "
            f"Unhandled exception on {path}\n\n"
            "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction\n"
            "\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)\n"
            "\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction(AbstractPlatformTransactionManager.java:531)\n"
            "\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.getTransaction(AbstractPlatformTransactionManager.java:405)\n"
            "\tat org.springframework.transaction.interceptor.TransactionAspectSupport.createTransactionIfNecessary(TransactionAspectSupport.java:610)\n"
            "\tat org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)\n"
            "\tat org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:720)\n"
            f"\tat com.acme.tickets.web.{ctrl}\n"
            "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
            "\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)\n"
            "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n"
            "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)\n"
            "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n"
            f"Caused by: org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection [{pool}] [n/a]\n"
            "\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:100)\n"
            "\tat org.hibernate.exception.internal.StandardSQLExceptionConverter.convert(StandardSQLExceptionConverter.java:58)\n"
            "\tat org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:108)\n"
            "\tat org.hibernate.resource.jdbc.internal.LogicalConnectionManagedImpl.getPhysicalConnection(LogicalConnectionManagedImpl.java:115)\n"
            "\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:420)\n"
            "\t... 42 more\n"
            f"Caused by: java.sql.SQLTransientConnectionException: {pool}\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
            "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
            "\t... 47 more\n"
            "Caused by: org.postgresql.util.PSQLException: FATAL: sorry, too many clients already\n" + PG_FRAMES)


def h42_05():
    rng = Rng(4205)
    anchor = anchor_dt(2026, 11, 21, 20, 15)
    region = "eu-central-1"
    lb = "app/tickets-alb/91be0c4d2a7f3e15"
    db, hog = "tickets-pg", "seat-hold-expirer"
    t_surge, t_full = -2760, -2340
    hog_conc = lambda t: 3 + ramp(t, t_surge, t_full, 0, 134) * wave(t, 900, 0.04)  # noqa: E731
    conns = lambda t: min(197.0, 58 * wave(t, 10800, 0.08) + hog_conc(t))  # noqa: E731
    full = lambda t: t >= t_full  # noqa: E731
    rpm = lambda t: 2100 * wave(t, 10800, 0.1, 1.2) * (1 + ramp(t, -21600, 0, 0, 0.25))  # noqa: E731
    t5 = series(rng, lambda t: 0.5 + (rpm(t) * 0.09 if full(t) else 0), integer=True)
    metrics = rds_metrics(db, series(rng, lambda t: 31 + ramp(t, t_surge, t_full, 0, 17), noise=0.07),
                          series(rng, conns, noise=0.01, nd=0, hi=197),
                          series(rng, lambda t: 318 * GB - (t + 21600) * 2100, noise=0.0002, nd=0),
                          series(rng, lambda t: 0.0008, noise=0.15, nd=5), series(rng, lambda t: 0.0016, noise=0.15, nd=5),
                          series(rng, lambda t: 2.9 * GB - ramp(t, t_surge, t_full, 0, 1.1 * GB), noise=0.01, nd=0))
    metrics += alb_metrics(lb, series(rng, rpm, integer=True),
                           series(rng, lambda t: 0.061 + (0.9 if full(t) else 0), noise=0.1, nd=4), t5,
                           series(rng, lambda t: 0.1, integer=True), series(rng, lambda t: 31, integer=True),
                           series(rng, lambda t: 6, noise=0, nd=0), series(rng, lambda t: 0, noise=0, nd=0))
    metrics += ecs_metrics("tickets", "tickets-api", series(rng, lambda t: 44 * wave(t, 10800, 0.1, 1.2), noise=0.06),
                           series(rng, lambda t: 67, noise=0.015))
    hog_inv = lambda t: 14 + ramp(t, t_surge, t_full, 0, 1450)  # noqa: E731
    metrics += lambda_metrics(hog, series(rng, hog_inv, integer=True),
                              series(rng, lambda t: hog_inv(t) * 0.1 if full(t) else 0.02, integer=True),
                              series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 620 + ramp(t, t_surge, t_full, 0, 4600), noise=0.1, nd=2),
                              series(rng, hog_conc, noise=0.05, nd=0))
    metrics += lambda_metrics("newsletter-sender", series(rng, lambda t: 3, integer=True), series(rng, lambda t: 0, noise=0, nd=0),
                              series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 1800, noise=0.1, nd=2),
                              series(rng, lambda t: 1, integer=True))

    api = Stream("/ecs/tickets-api", f"app/tickets-api/{rng.hexs(32)}")
    pgl = Stream(f"/aws/rds/instance/{db}/postgresql", f"{db}.0")
    for t in arrivals(rng, -7200, 0, lambda t: 0.11):
        ts = iso_ms(anchor, t)
        tid = rng.randint(1, 200)
        if full(t) and rng.random() < 0.35:
            path, ctrl = rng.choice([("POST /api/v1/orders", "OrderController.create(OrderController.java:57)"),
                                     ("POST /api/v1/holds", "HoldController.hold(HoldController.java:41)"),
                                     ("GET /api/v1/events/{id}/availability", "AvailabilityController.get(AvailabilityController.java:33)")])
            api.add(t, _java_hikari_error(ts, tid, path, ctrl, rng.randint(8, 40), rng.randint(4, 7)))
            continue
        if rng.random() < 0.5:
            api.add(t, f"{ts}  INFO 1 --- [tickets-api] [nio-8080-exec-{tid}] c.a.tickets.orders.OrderService          : "
                       f"order {rng.hexs(10)} confirmed event={rng.randint(9000, 9999)} seats={rng.randint(1, 6)} "
                       f"total_eur={rng.randint(3000, 60000) / 100:.2f}")
        else:
            api.add(t, f"{ts}  INFO 1 --- [tickets-api] [nio-8080-exec-{tid}] c.a.tickets.holds.HoldService            : "
                       f"hold {rng.hexs(10)} created event={rng.randint(9000, 9999)} seats={rng.randint(1, 6)} ttl=600s")
    for t in range(-7200, 0, 60):
        tt = t + rng.uniform(0, 50)
        api.add(tt, f"{iso_ms(anchor, tt)} DEBUG 1 --- [tickets-api] [l-1 housekeeper] com.zaxxer.hikari.pool.HikariPool        : "
                    f"HikariPool-1 - Pool stats (total={rng.randint(4, 7)}, active={rng.randint(1, 4)}, idle={rng.randint(0, 3)}, "
                    f"waiting={rng.randint(9, 40) if full(t) else 0})")
    for t in range(-7200, 0, 30):
        if rng.random() < 0.5:
            tt = t + rng.uniform(0, 25)
            sd = at(anchor, tt).strftime("%Y-%m-%d %H:%M:%S UTC")
            pgl.add(tt, f"{sd}::@:[582]:LOG:  checkpoints are occurring too frequently ({rng.randint(17, 29)} seconds apart)")
            pgl.add(tt + 0.001, f'{sd}::@:[582]:HINT:  Consider increasing the configuration parameter "max_wal_size".')
    for t in arrivals(rng, t_full - 60, 0, lambda t: 1.3):
        sd = at(anchor, t).strftime("%Y-%m-%d %H:%M:%S UTC")
        who = "tickets_app@tickets" if rng.random() < 0.3 else "hold_expirer@tickets"
        pgl.add(t, f"{sd}:10.0.{rng.choice([31, 32, 33])}.{rng.randint(5, 250)}({rng.randint(32768, 60999)}):{who}:"
                   f"[{rng.randint(20000, 65000)}]:FATAL:  sorry, too many clients already")

    hs = [Stream(f"/aws/lambda/{hog}", lambda_stream_name(anchor, rng)) for _ in range(6)]
    for t in arrivals(rng, -7200, 0, lambda t: hog_inv(t) / 60 * 0.03):
        st = rng.choice(hs)
        rid = rng.uuid()
        ts = iso_ms(anchor, t + 0.01)
        age = int(40 + ramp(t, t_surge, t_full, 0, 1700) + rng.uniform(0, 30))
        body = [(0.01, f"[INFO]\t{ts}\t{rid}\treceived batch size=10 oldest_age_s={age} queue=seat-hold-expiry")]
        if full(t) and rng.random() < 0.1:
            body.append((0.2, f"[ERROR]\t{iso_ms(anchor, t + 0.2)}\t{rid}\tOperationalError: connection failed: connection to server at "
                              f'"tickets-pg.cz1q8w3k5rxa.eu-central-1.rds.amazonaws.com" (10.0.40.12), port 5432 failed: FATAL:  '
                              f"sorry, too many clients already\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 22, "
                              f"in handler\n    with psycopg.connect(DSN) as conn:\n  File \"/var/task/psycopg/connection.py\", line 119, "
                              f"in connect\n    raise last_ex.with_traceback(None)\npsycopg.OperationalError: connection failed: FATAL:  "
                              f"sorry, too many clients already"))
            lambda_invoke(st, t, rid, 240, 256, 91, body)
            continue
        d = 600 + ramp(t, t_surge, t_full, 0, 4600) * rng.uniform(0.7, 1.2)
        body.append((d / 1000 - 0.01, f"[INFO]\t{iso_ms(anchor, t + d / 1000)}\t{rid}\treleased 10 expired holds, "
                                      f"seats_returned={rng.randint(10, 40)}"))
        lambda_invoke(st, t, rid, d, 256, rng.randint(88, 97), body)
    logs = [api, pgl] + hs

    changes = [change(-9120, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
                      "newsletter-sender", "jenkins"),
               change(-3900, "elasticloadbalancing.amazonaws.com", "ModifyTargetGroupAttributes",
                      "AWS::ElasticLoadBalancingV2::TargetGroup", "tickets-api-tg", "platform-oncall")]
    al = alarm("tickets-pg-connections-high", "AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db}, "Maximum",
               60, 3, 180, "GreaterThanOrEqualToThreshold", metrics[1]["points"], anchor,
               "tickets-pg connections near max_connections (200)")
    resources = [
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "engine_version": "16.3", "instance_class": "db.m6g.large",
                                                 "max_connections": 200, "superuser_reserved_connections": 3,
                                                 "allocated_storage_gb": 400}},
        {"type": "ecs", "id": "tickets/tickets-api", "properties": {"runtime": "java21 / spring-boot 3.3", "desired_count": 6,
                                                                     "hikari_maximum_pool_size": 20, "hikari_minimum_idle": 5,
                                                                     "log_groups": ["/ecs/tickets-api"]}},
        {"type": "lambda", "id": hog, "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256,
                                                     "trigger": "sqs:seat-hold-expiry (batch 10)"}},
        {"type": "lambda", "id": "newsletter-sender", "properties": {"runtime": "nodejs20.x", "timeout": 120, "memory_size": 512}},
        {"type": "alb", "id": lb, "properties": {"name": "tickets-alb"}},
    ]
    doc = scenario_doc("h42-05-tickets-pg-too-many-clients",
                       "Ticket checkout failing intermittently; tickets-pg connection alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "db_connection_exhaustion", [db],
                              [("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": db})]))
    meta = {"region": region, "alarm": al["name"], "category": "db_connection_exhaustion", "resources": [db],
            "where": "origin (RDS)",
            "decoys": "Postgres 'checkpoints are occurring too frequently' LOG/HINT pairs at a steady rate; newsletter-sender "
                      "deploy 2.5 h earlier; target-group attribute change 65 min earlier; traffic drifting up slowly",
            "story": "After the 20:00 on-sale, the SQS-driven seat-hold-expirer Lambda (direct psycopg connections, no proxy) "
                     "fans out from 3 to ~137 concurrent executions while it drains a backlog; DatabaseConnections on "
                     "tickets-pg climbs to 197 = max_connections 200 minus the superuser reserve and stays there. The Postgres "
                     "log fills with `FATAL:  sorry, too many clients already`; the Spring service's Hikari pools cannot grow, "
                     "and its multi-line errors end in a `Caused by:` chain (CannotCreateTransactionException -> "
                     "JDBCConnectionException -> SQLTransientConnectionException -> PSQLException: FATAL: sorry, too many "
                     "clients already, with '... 42 more'). Connections at the limit -> db_connection_exhaustion on tickets-pg."}
    return "h42-05-tickets-pg-too-many-clients", doc, meta


# ------------------------------------------------------------------ h42-06
BROKEN_PIPE = """org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe
	at org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:341)
	at org.apache.catalina.connector.OutputBuffer.flushByteBuffer(OutputBuffer.java:783)
	at org.apache.catalina.connector.OutputBuffer.append(OutputBuffer.java:688)
	at org.apache.catalina.connector.CoyoteOutputStream.write(CoyoteOutputStream.java:123)
	at com.fasterxml.jackson.core.json.UTF8JsonGenerator._flushBuffer(UTF8JsonGenerator.java:2203)
	at com.fasterxml.jackson.databind.ObjectWriter.writeValue(ObjectWriter.java:1037)
	at org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter.writeInternal(AbstractJackson2HttpMessageConverter.java:483)
	at org.springframework.web.servlet.mvc.method.annotation.RequestResponseBodyMethodProcessor.handleReturnValue(RequestResponseBodyMethodProcessor.java:184)
	at org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)
	at org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)
	at java.base/java.lang.Thread.run(Thread.java:1583)
Caused by: java.io.IOException: Broken pipe
	at java.base/sun.nio.ch.SocketDispatcher.write0(Native Method)
	at java.base/sun.nio.ch.SocketDispatcher.write(SocketDispatcher.java:62)
	at java.base/sun.nio.ch.NioSocketImpl.tryWrite(NioSocketImpl.java:394)
	at org.apache.tomcat.util.net.NioChannel.write(NioChannel.java:136)
	at org.apache.tomcat.util.net.NioEndpoint$NioSocketWrapper.doWrite(NioEndpoint.java:1420)
	at org.apache.coyote.http11.Http11OutputBuffer.doWrite(Http11OutputBuffer.java:195)
	at org.apache.catalina.connector.OutputBuffer.realWriteBytes(OutputBuffer.java:337)
	... 42 more"""


def h42_06():
    rng = Rng(4206)
    anchor = anchor_dt(2026, 11, 22, 3, 20)
    region = "ap-southeast-2"
    lb = "app/pricing-alb/0a6d2e8c4f1b3957"
    a1, a2, etl = "i-04c8e1a7b3d92f650", "i-09a3f5d7c1e2b4860", "i-0f1e2d3c4b5a69788"
    t_job = -2450
    hot = lambda t: t >= t_job + 60  # noqa: E731
    rpm = lambda t: 3200 * wave(t, 10800, 0.1, 0.3)  # noqa: E731
    metrics = ec2_metrics(a1, series(rng, lambda t: ramp(t, t_job, t_job + 180, 37 * wave(t, 10800, 0.1, 0.3), 99.2),
                                     noise=0.04, hi=100.0),
                          series(rng, lambda t: 3.1e7 * wave(t, 10800, 0.1, 0.3) * (0.8 if hot(t) else 1), noise=0.1, nd=0),
                          series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 58 + (4 if hot(t) else 0), noise=0.02),
                          series(rng, lambda t: 37 + ramp(t, t_job, 0, 0, 1.5), noise=0.002))
    metrics += ec2_metrics(a2, series(rng, lambda t: 36 * wave(t, 10800, 0.1, 0.3), noise=0.05),
                           series(rng, lambda t: 3.1e7 * wave(t, 10800, 0.1, 0.3), noise=0.1, nd=0),
                           series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 57, noise=0.02),
                           series(rng, lambda t: 35, noise=0.002))
    metrics += ec2_metrics(etl, series(rng, lambda t: 96 if -12600 <= t < -11220 else 6, noise=0.05, hi=100.0),
                           series(rng, lambda t: 9e7 if -12600 <= t < -11220 else 2e5, noise=0.1, nd=0),
                           series(rng, lambda t: 0, noise=0, nd=0), series(rng, lambda t: 41 if -12600 <= t < -11220 else 12, noise=0.03),
                           series(rng, lambda t: 52, noise=0.002))
    trt = series(rng, lambda t: 0.048 + (ramp(t, t_job, t_job + 300, 0, 4.3) if hot(t) else 0), noise=0.12, nd=4)
    metrics += alb_metrics(lb, series(rng, rpm, integer=True), trt,
                           series(rng, lambda t: 0.2 + (6 if hot(t) else 0), integer=True),
                           series(rng, lambda t: 0.1 + (14 if hot(t) else 0), integer=True),
                           series(rng, lambda t: 8, integer=True),
                           series(rng, lambda t: 2 - (1 if hot(t) and (t // 60) % 7 == 3 else 0), noise=0, nd=0),
                           series(rng, lambda t: 1 if hot(t) and (t // 60) % 7 == 3 else 0, noise=0, nd=0))
    metrics += rds_metrics("pricing-db", series(rng, lambda t: 24 * wave(t, 10800, 0.1), noise=0.07),
                           series(rng, lambda t: 52, integer=True), series(rng, lambda t: 141 * GB, noise=0.0003, nd=0),
                           series(rng, lambda t: 0.0007, noise=0.15, nd=5), series(rng, lambda t: 0.0012, noise=0.15, nd=5),
                           series(rng, lambda t: 11.5 * GB, noise=0.01, nd=0))

    app = Stream("/pricing/app", a1)
    acc = Stream("/pricing/access", a1)
    gc = Stream("/pricing/gc", a1)
    app2 = Stream("/pricing/app", a2)

    def sb(t, lvl, thread, logger, msg, pid=2211, svc="pricing-svc"):
        return f"{iso_ms(anchor, t)} {lvl.rjust(5)} {pid} --- [{svc}] [{thread[-15:].rjust(15)}] {logger.ljust(40)[:40]} : {msg}"

    for t in arrivals(rng, -7200, 0, lambda t: 0.9):
        slow = hot(t)
        d = rng.lognormvariate(3.2, 0.4) if not slow else rng.uniform(2500, 21000)
        sku = f"SKU-{rng.randint(100000, 999999)}"
        stt = 200
        if slow and d > 19500:
            stt = 503
        acc.add(t + d / 1000, f"{rng.ip('10.20')} - - [{at(anchor, t).strftime('%d/%b/%Y:%H:%M:%S +0000')}] \"GET /v2/quotes?sku={sku}"
                              f"&region={rng.choice(['AU', 'NZ', 'AU', 'SG'])} HTTP/1.1\" {stt} {rng.randint(380, 720)} {d:.0f}ms "
                              f"\"{rng.choice(['checkout-web', 'mobile-bff', 'partner-feed'])}\"")
    for st, pid in ((app, 2211), (app2, 2190)):
        for t in arrivals(rng, -7200, 0, lambda t: 1 / 95):
            p = rng.choice(["/actuator/env", "/.env", "/actuator/heapdump", "/api/v1/../../etc/passwd", "/swagger-ui.html"])
            st.add(t, sb(t, "WARN", f"nio-8080-exec-{rng.randint(1, 200)}", "o.s.web.servlet.PageNotFound", f"No mapping for GET {p}", pid))
        for t in range(-7200, 0, 300):
            tt = t + rng.uniform(0, 5)
            st.add(tt, sb(tt, "INFO", "scheduling-1", "c.a.pricing.cache.RateCardCache", f"rate cards refreshed entries={rng.randint(11800, 12100)} took={rng.randint(180, 420)}ms", pid))
    app.add(t_job, sb(t_job, "INFO", "scheduling-1", "n.j.s.core.DefaultLockingTaskExecutor", "Locked 'priceExport', lock will be held at most until 2026-11-22T06:40:00Z"))
    app.add(t_job + 0.2, sb(t_job + 0.2, "INFO", "scheduling-1", "c.a.pricing.export.PriceExportJob", "Starting full price export skus=412880 channels=[AU, NZ, SG] workers=16"))
    app2.add(t_job + 0.1, sb(t_job + 0.1, "INFO", "scheduling-1", "n.j.s.core.DefaultLockingTaskExecutor", "Not executing 'priceExport'. It's locked.", 2190))
    done = 0
    for t in range(t_job + 300, 0, 300):
        done += rng.randint(20000, 26000)
        app.add(t, sb(t, "INFO", "export-worker-3", "c.a.pricing.export.PriceExportJob", f"price export progress {done}/412880 ({done * 100 // 412880}%)"))
    for t in arrivals(rng, t_job + 120, 0, lambda t: 1 / 70):
        app.add(t, sb(t, "WARN", "l-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                      f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m{rng.randint(2, 40)}s{rng.randint(100, 999)}ms)."))
    for t in arrivals(rng, t_job + 200, 0, lambda t: 1 / 25):
        app.add(t, sb(t, "ERROR", f"nio-8080-exec-{rng.randint(1, 200)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                      "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                      "[Request processing failed: org.springframework.http.converter.HttpMessageNotWritableException: "
                      "Could not write JSON: java.io.IOException: Broken pipe] with root cause\n\n" + BROKEN_PIPE))
    for t in arrivals(rng, -7200, 0, lambda t: 1 / 40):
        young = rng.randint(1400, 1700)
        pause = rng.uniform(6, 18) * (1.6 if hot(t) else 1)
        up = 8123.4 + (t + 7200)
        gc.add(t, f"[{at(anchor, t).strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}+0000][{up:.3f}s][info][gc] GC({int(up // 40)}) Pause Young "
                  f"(Normal) (G1 Evacuation Pause) {young}M->{rng.randint(610, 690)}M(4096M) {pause:.3f}ms")
    logs = [app, acc, gc, app2]

    changes = [change(-6030, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup", "sg-0pricing-internal",
                      "netops"),
               change(-12660, "ssm.amazonaws.com", "SendCommand", "AWS::EC2::Instance", etl, "etl-scheduler")]
    al = alarm("pricing-alb-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 5,
               1.5, "GreaterThanThreshold", trt, anchor, "Pricing API average latency above 1.5 s")
    resources = [
        {"type": "ec2", "id": a1, "properties": {"name": "pricing-app-1", "instance_type": "c6i.xlarge", "vcpus": 4,
                                                 "runtime": "java21 spring-boot 3.3 (G1, -Xmx4g)",
                                                 "log_groups": ["/pricing/app", "/pricing/access", "/pricing/gc"]}},
        {"type": "ec2", "id": a2, "properties": {"name": "pricing-app-2", "instance_type": "c6i.xlarge", "vcpus": 4,
                                                 "log_groups": ["/pricing/app"]}},
        {"type": "ec2", "id": etl, "properties": {"name": "etl-batch-1", "instance_type": "m6i.2xlarge"}},
        {"type": "alb", "id": lb, "properties": {"name": "pricing-alb"}},
        {"type": "rds", "id": "pricing-db", "properties": {"engine": "aurora-postgresql", "instance_class": "db.r6g.xlarge",
                                                            "max_connections": 2000}},
    ]
    doc = scenario_doc("h42-06-pricing-jvm-cpu-export",
                       "Pricing API slow for checkout and partners; ALB latency alarm.",
                       region, resources, metrics, logs, [al], changes,
                       expect(al["name"], "cpu_saturation", [a1, "pricing-app-1"],
                              [("AWS/EC2", "CPUUtilization", {"InstanceId": a1}),
                               ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})]))
    meta = {"region": region, "alarm": al["name"], "category": "cpu_saturation", "resources": [a1, "pricing-app-1"],
            "where": "front (ALB)",
            "decoys": "etl-batch-1 at 96% CPU three hours earlier (finished); security-group ingress change 100 min earlier; "
                      "steady PageNotFound WARNs from scanners on both hosts; normal G1 pauses (not memory)",
            "story": "At 02:39 UTC the ShedLock-elected pricing-app-1 starts the in-process full price export with 16 workers "
                     "on a 4-vCPU host; its CPU goes from ~37% to 99% and stays pinned, while pricing-app-2 (which skipped the "
                     "locked job) stays at 36%. Hikari logs `Thread starvation or clock leap detected`, Tomcat logs multi-line "
                     "ClientAbortException / `Caused by: java.io.IOException: Broken pipe ... 42 more` as the ALB gives up, "
                     "and the access log shows 3-21 s quotes. GC pauses, memory and the database are unchanged; no deploy or "
                     "config change touches the host -> cpu_saturation on pricing-app-1."}
    return "h42-06-pricing-jvm-cpu-export", doc, meta
