"""Scenarios 01-04."""
from .common import (rng_for, diurnal, ramp, series, metric, alarm, change, scenario, expect, periodic,
                     poisson_times, rid, hexid, iso_ms, LOG_START)
from . import lam
from .svc import (rds_metrics, ec2_metrics, ecs_metrics, alb_metrics, stream, spring, nginx, pg, events,
                  pg_checkpoints, json_line)

GB = 1024 ** 3


def s01():
    """Lambda errors; a tag edit on the function; the billing DB ran out of connection slots."""
    rng = rng_for(3901)
    reg = 'eu-west-1'
    onset = -1860
    host = 'billing-db.c7xq2mfkd1ra.eu-west-1.rds.amazonaws.com'

    def conns(t):
        base = 58 * diurnal(t) + rng.gauss(0, 4)
        leak = 150 * ramp(t, -3000, onset)
        return min(200.0, base + leak + (rng.uniform(-2, 0) if t > onset else 0))

    def handler(t, r, lg):
        inv = 'INV-2026-%06d' % r.randint(10000, 999999)
        lg.info('Rendering invoice %s for account acct_%05d' % (inv, r.randint(1, 90000)))
        if r.random() < 0.04:
            lg.warn("Font 'Helvetica-Light' not embedded in template invoice_v7; falling back to Helvetica")
        if t > onset and r.random() < 0.55 * ramp(t, onset, onset + 240):
            lg.raw(lam.py_traceback(
                'OperationalError',
                'connection to server at "%s" (10.20.3.14), port 5432 failed: FATAL:  sorry, too many clients already' % host,
                [('/var/task/app.py', 58, 'lambda_handler', 'with db.connect() as conn:'),
                 ('/var/task/invoices/db.py', 21, 'connect', 'return psycopg2.connect(dsn=_dsn(), connect_timeout=5)'),
                 ('/var/lang/lib/python3.12/site-packages/psycopg2/__init__.py', 122, 'connect',
                  'conn = _connect(dsn, connection_factory=connection_factory, **kwasync)')]), dt=0.03)
            return r.uniform(40, 90), 'error', r.randint(88, 96)
        pages = r.randint(1, 6)
        d = r.uniform(260, 520) + 60 * pages
        lg.info('Rendered %s (%d pages) in %d ms; uploaded s3://billing-invoices-prod/%s.pdf' % (inv, pages, d, inv), dt=d / 1000.0 - 0.01)
        return d, 'ok', r.randint(140, 190)

    m1, l1 = lam.simulate(rng, 'invoice-pdf', 'python', 512, 30, lambda t: 14 * diurnal(t), handler, region=reg)

    def dun(t, r, lg):
        lg.info('Dunning run: %d overdue accounts queued for reminder' % r.randint(0, 12))
        return r.uniform(120, 300), 'ok', r.randint(80, 95)

    m2, l2 = lam.simulate(rng, 'dunning-mailer', 'python', 256, 60, lambda t: 1.0, dun, region=reg,
                          breaks=[-9000])
    mdb = rds_metrics('billing-db', lambda t: 22 * diurnal(t) + rng.gauss(0, 3) + 8 * ramp(t, -3000, onset), conns,
                      lambda t: 61.2 * GB - (t + 21600) * 900 + rng.gauss(0, 2e7),
                      lambda t: 0.0012 + abs(rng.gauss(0, 0.0003)), lambda t: 0.0021 + abs(rng.gauss(0, 0.0004)),
                      lambda t: 5.1 * GB + rng.gauss(0, 6e7) - 0.4 * GB * ramp(t, -3000, onset), region=reg)
    ev = pg_checkpoints(rng, LOG_START, 0)
    ev += periodic(rng, LOG_START, 0, 45, lambda t: pg(t, rng.randint(20000, 30000), 'LOG',
                   'connection authorized: user=invoice_app database=billing SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)',
                   user='invoice_app', db='billing', ip='10.20.7.%d' % rng.randint(10, 200)))
    ev += periodic(rng, -3000, onset, 14, lambda t: pg(t, rng.randint(30000, 40000), 'LOG',
                   'connection authorized: user=metabase database=billing application_name=Metabase v0.50.14 SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)',
                   user='metabase', db='billing', ip='10.20.9.41'))
    ev += periodic(rng, -2400, 0, 120, lambda t: pg(t, rng.randint(30000, 40000), 'LOG',
                   'duration: %.3f ms  statement: SELECT "public"."invoice_lines"."account_id", sum("public"."invoice_lines"."amount") FROM "public"."invoice_lines" GROUP BY 1' % rng.uniform(3000, 9000),
                   user='metabase', db='billing', ip='10.20.9.41'))
    ev += periodic(rng, onset, 0, 4, lambda t: pg(t, rng.randint(40000, 50000), 'FATAL', 'sorry, too many clients already',
                   user='invoice_app', db='billing', ip='10.20.7.%d' % rng.randint(10, 200)))
    logs = l1 + l2 + [stream('/aws/rds/instance/billing-db/postgresql', 'billing-db.0', ev, reg)]
    resources = [lam.resource('invoice-pdf', 'python', 512, 30), lam.resource('dunning-mailer', 'python', 256, 60),
                 {'type': 'rds', 'id': 'billing-db', 'properties': {'engine': 'postgres', 'engine_version': '15.7',
                  'instance_class': 'db.m6g.large', 'max_connections': 200, 'allocated_storage_gb': 100}}]
    alarms = [alarm('invoice-pdf-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'invoice-pdf'}, 'Sum', 60, 3, 3,
                    'GreaterThanThreshold', onset + 330, 'Invoice PDF renderer Lambda errors')]
    changes = [change(-2100, 'lambda.amazonaws.com', 'TagResource20170331v2', 'AWS::Lambda::Function', 'invoice-pdf', 'tag-compliance-bot'),
               change(-9000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'dunning-mailer', 'ci-deployer'),
               change(-8980, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'dunning-mailer', 'ci-deployer')]
    exp = expect('invoice-pdf-errors', 'db_connection_exhaustion', ['billing-db'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 'invoice-pdf'}),
                  ('AWS/RDS', 'DatabaseConnections', {'DBInstanceIdentifier': 'billing-db'})])
    doc = scenario('h39-01-invoice-errors-billing-db-slots', 'Invoice PDF Lambda failing; Errors alarm paged billing on-call.',
                   reg, resources, m1 + m2 + mdb, logs, alarms, changes, exp)
    meta = dict(file='h39-01-invoice-errors-billing-db-slots.yaml', region=reg, alarm='invoice-pdf-errors',
                category='db_connection_exhaustion', resources='billing-db', front='front (Lambda caller)',
                decoys='TagResource on invoice-pdf 4 min before onset; dunning-mailer deploy 2.5 h earlier; steady font-fallback WARN',
                story="The invoice-pdf Lambda starts failing at about -31 min with psycopg2 `FATAL: sorry, too many clients already`. "
                      "billing-db DatabaseConnections climbs from ~60 to its max_connections of 200 over the preceding 20 minutes while the "
                      "PostgreSQL log shows a burst of `metabase` sessions and long analytical queries, then the same FATAL for every new client. "
                      "The only change on the alarmed function is a tag edit by the compliance bot, which cannot alter behaviour; "
                      "the dunning-mailer deploy is hours old and that function stays healthy. The DB is out of connection slots "
                      "(not down, not CPU bound), so the label is db_connection_exhaustion on billing-db.")
    return doc, meta


def s02():
    """ALB 5xx on checkout; scheduled scale-out of the service; the session Redis host failed."""
    rng = rng_for(3902)
    reg = 'us-east-1'
    onset = -1680
    lb = 'app/checkout-alb/7f3e2a91c0b4d518'
    redis_id, redis_name = 'i-0c41d7e2a9b3f5061', 'session-redis-1'
    down = lambda t: t >= onset
    req = lambda t: 620 * diurnal(t, 0.2) + rng.gauss(0, 25)
    m = alb_metrics(lb, req,
                    lambda t: (0.145 + rng.gauss(0, 0.012)) if not down(t) else 0.9 + rng.gauss(0, 0.1),
                    lambda t: (rng.choice([0, 0, 0, 1])) if not down(t) else 0.38 * req(t),
                    lambda t: 0.0 if not down(t) else rng.choice([0, 1, 2]),
                    lambda t: 4 if t < -2000 else 6, lambda t: 0.0, reg)
    m += ecs_metrics('storefront', 'checkout-svc', lambda t: (48 if t < -2000 else 34) * diurnal(t) + rng.gauss(0, 3),
                     lambda t: 58 + rng.gauss(0, 1.5), reg, running=lambda t: 4 if t < -1970 else 6)
    m += ec2_metrics(redis_id, lambda t: 9 + rng.gauss(0, 1.2) if not down(t) else (0.0 if t > onset + 60 else 3.0),
                     lambda t: 2.4e7 * diurnal(t, 0.2) + rng.gauss(0, 1e6) if not down(t) else 0.0,
                     lambda t: 41 + rng.gauss(0, 0.4) if not down(t) else None,
                     lambda t: 23.5 + 0.00001 * (t + 21600) if not down(t) else None,
                     status=lambda t: 0.0 if not down(t) else 1.0, region=reg)
    m += ec2_metrics('i-09b2c4e6a8d0f1325', lambda t: 17 * diurnal(t) + rng.gauss(0, 2), lambda t: 6e6 + rng.gauss(0, 4e5),
                     lambda t: 52 + rng.gauss(0, 1), lambda t: 61.2 + rng.gauss(0, 0.05), region=reg)
    task = 'ecs/checkout-svc/' + hexid(rng)

    def app(t):
        r = rng.random()
        if t >= onset and r < 0.4:
            return [[t, spring(t, 'ERROR', 'nio-8080-exec-%d' % rng.randint(1, 40), 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
                    'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: '
                    'org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis] with root cause\n'
                    'io.lettuce.core.RedisConnectionException: Unable to connect to session-redis-1.internal.acme/10.0.12.37:6379\n'
                    '\tat io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)\n'
                    '\tat io.lettuce.core.AbstractRedisClient.getConnection(AbstractRedisClient.java:350)\n'
                    '\tat org.springframework.data.redis.connection.lettuce.StandaloneConnectionProvider.getConnection(StandaloneConnectionProvider.java:62)\n'
                    'Caused by: io.netty.channel.ConnectTimeoutException: connection timed out after 2000 ms: session-redis-1.internal.acme/10.0.12.37:6379',
                    'checkout-svc')]]
        if r < 0.03:
            return [[t, spring(t, 'WARN', 'housekeeper', 'com.zaxxer.hikari.pool.HikariPool',
                    'HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s).', 'checkout-svc')]]
        cart = 'c_%08x' % rng.getrandbits(32)
        return [[t, spring(t, 'INFO', 'nio-8080-exec-%d' % rng.randint(1, 40), 'c.a.checkout.web.CheckoutController',
                'POST /api/checkout/%s/confirm status=200 items=%d total=%.2f USD took=%dms' % (
                    cart, rng.randint(1, 7), rng.uniform(9, 400), rng.randint(60, 220)), 'checkout-svc')]]
    ev = []
    for t in poisson_times(rng, LOG_START, 0, lambda t: 30):
        ev += app(t)
    ev += periodic(rng, -1990, -1940, 10, lambda t: spring(t, 'INFO', 'main', 'c.a.checkout.CheckoutApplication',
                   'Started CheckoutApplication in 11.84 seconds (process running for 13.02)', 'checkout-svc'), jitter=0.5)
    redis = periodic(rng, LOG_START, onset, 300, lambda t: [
        [t, '1:M %s * 100 changes in 300 seconds. Saving...' % clock_redis(t)],
        [t + 0.01, '1:M %s * Background saving started by pid %d' % (clock_redis(t), rng.randint(20000, 30000))],
        [t + 1.4, '1:M %s * Background saving terminated with success' % clock_redis(t + 1.4)]], jitter=0.01)
    logs = [stream('/ecs/checkout-svc', task, ev, reg), stream('/ec2/session-redis/redis-server', redis_id, redis, reg)]
    resources = [{'type': 'ecs', 'id': 'storefront/checkout-svc', 'properties': {'launch_type': 'FARGATE', 'cpu': 1024, 'memory': 2048,
                  'desired_count': 6, 'log_groups': ['/ecs/checkout-svc']}},
                 {'type': 'alb', 'id': lb, 'properties': {'name': 'checkout-alb'}},
                 {'type': 'ec2', 'id': redis_id, 'properties': {'name': redis_name, 'instance_type': 'r6g.large',
                  'log_groups': ['/ec2/session-redis/redis-server']}},
                 {'type': 'ec2', 'id': 'i-09b2c4e6a8d0f1325', 'properties': {'name': 'storefront-bastion', 'instance_type': 't3.small'}}]
    alarms = [alarm('checkout-alb-target-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb},
                    'Sum', 60, 3, 25, 'GreaterThanThreshold', onset + 180, 'Checkout ALB target 5xx')]
    changes = [change(-1980, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'storefront/checkout-svc',
                      'AWSServiceRoleForApplicationAutoScaling_ECSService'),
               change(-1985, 'application-autoscaling.amazonaws.com', 'PutScheduledAction', 'AWS::ApplicationAutoScaling::ScalableTarget',
                      'service/storefront/checkout-svc', 'AWSServiceRoleForApplicationAutoScaling_ECSService'),
               change(-6900, 'ec2.amazonaws.com', 'CreateTags', 'AWS::EC2::Instance', 'i-09b2c4e6a8d0f1325', 'asset-inventory')]
    exp = expect('checkout-alb-target-5xx', 'dependency_failure', [redis_id, redis_name],
                 [('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}),
                  ('AWS/EC2', 'StatusCheckFailed', {'InstanceId': redis_id})])
    doc = scenario('h39-02-checkout-5xx-session-redis-down', 'Checkout returning 500s; ALB target 5xx alarm.', reg,
                   resources, m, logs, alarms, changes, exp)
    meta = dict(file='h39-02-checkout-5xx-session-redis-down.yaml', region=reg, alarm='checkout-alb-target-5xx',
                category='dependency_failure', resources='%s, %s' % (redis_id, redis_name), front='front (ALB)',
                decoys='scheduled scale-out of checkout-svc 4->6 tasks 5 min before onset; CreateTags on bastion; steady Hikari WARN',
                story="Checkout ALB target 5xx jumps at -28 min. The checkout-svc logs show RedisConnectionFailureException / connect timeouts to "
                      "session-redis-1:6379 on ~40 % of requests. The Redis host's StatusCheckFailed goes to 1 at the same minute, its CPU and "
                      "NetworkIn drop to zero and its log stops. The service itself had a scheduled scale-out (UpdateService by the "
                      "autoscaling role, 4 to 6 tasks) five minutes earlier: new tasks started cleanly and served 200s until Redis vanished, "
                      "and extra capacity cannot produce connection timeouts to another host. The origin is the failed cache instance, "
                      "which is down rather than exhausted: dependency_failure on session-redis-1.")
    return doc, meta


def clock_redis(t):
    from .common import clock
    return clock(t).strftime('%d %b %Y %H:%M:%S.') + '%03d' % (clock(t).microsecond // 1000)


def s03():
    """Change IS the cause: env var change on geo-lookup removes a required setting."""
    rng = rng_for(3903)
    reg = 'ap-southeast-2'
    chg = -1500

    def handler(t, r, lg):
        if t >= chg + 20:
            lg.raw(lam.node_invoke_error(t + 0.01, lg.rid, 'ConfigError',
                   'GEOIP_DB_BUCKET is not set; cannot load GeoLite2-City.mmdb',
                   ['loadReader (/var/task/src/geo/reader.js:27:11)', 'async getReader (/var/task/src/geo/reader.js:44:14)',
                    'async Runtime.handler (/var/task/src/index.js:18:18)']), dt=0.01)
            return r.uniform(3, 12), 'error', r.randint(70, 80)
        ip = '%d.%d.%d.%d' % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))
        if r.random() < 0.05:
            lg.warn('GeoLite2-City.mmdb build is 9 days old (build_epoch=1763164800); refresh job may be late')
        lg.info('lookup ip=%s country=%s city_confidence=%d' % (ip, r.choice(['AU', 'NZ', 'SG', 'US', 'JP']), r.randint(40, 99)), dt=0.02)
        return r.uniform(8, 35), 'ok', r.randint(96, 130)

    m1, l1 = lam.simulate(rng, 'geo-lookup', 'node', 256, 10, lambda t: 24 * diurnal(t), handler, region=reg, breaks=[chg + 20])

    def norm(t, r, lg):
        lg.info('normalized address suburb=%s postcode=%04d' % (r.choice(['Parramatta', 'Fitzroy', 'Newtown', 'Glebe']), r.randint(2000, 3999)))
        return r.uniform(20, 60), 'ok', r.randint(80, 95)

    m2, l2 = lam.simulate(rng, 'address-normalizer', 'node', 256, 10, lambda t: 6 * diurnal(t), norm, region=reg, breaks=[-7200])
    from .svc import apigw_metrics
    cnt = lambda t: 28 * diurnal(t) + rng.gauss(0, 3)
    m3 = apigw_metrics('locations-api', cnt, lambda t: rng.choice([0, 0, 1]), lambda t: 0.0 if t < chg + 20 else 0.85 * cnt(t),
                       lambda t: 45 + rng.gauss(0, 5) if t < chg + 20 else 22 + rng.gauss(0, 3), region=reg)
    resources = [lam.resource('geo-lookup', 'node', 256, 10), lam.resource('address-normalizer', 'node', 256, 10),
                 {'type': 'apigateway', 'id': 'locations-api', 'properties': {'stage': 'prod'}}]
    alarms = [alarm('geo-lookup-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'geo-lookup'}, 'Sum', 60, 2, 10,
                    'GreaterThanThreshold', chg + 140, 'geo-lookup Lambda errors'),
              alarm('locations-api-5xx', 'AWS/ApiGateway', '5XXError', {'ApiName': 'locations-api'}, 'Sum', 300, 1, 20,
                    'GreaterThanThreshold', chg + 360, 'Locations API 5xx')]
    changes = [change(chg, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'geo-lookup', 'tnguyen'),
               change(-7200, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'address-normalizer', 'ci-deployer'),
               change(-4300, 'lambda.amazonaws.com', 'TagResource20170331v2', 'AWS::Lambda::Function', 'address-normalizer', 'tag-compliance-bot')]
    exp = expect('geo-lookup-errors', 'config_change', ['geo-lookup'], [('AWS/Lambda', 'Errors', {'FunctionName': 'geo-lookup'})])
    doc = scenario('h39-03-geo-lookup-missing-env', 'geo-lookup Lambda failing every request; Errors alarm.', reg, resources,
                   m1 + m2 + m3, l1 + l2, alarms, changes, exp)
    meta = dict(file='h39-03-geo-lookup-missing-env.yaml', region=reg, alarm='geo-lookup-errors', category='config_change',
                resources='geo-lookup', front='origin (change on the alarmed function is the cause)',
                decoys='address-normalizer deploy 2 h earlier and tag edit; second alarm on locations-api 5xx; steady stale-DB WARN',
                story="An UpdateFunctionConfiguration on geo-lookup by a human at -25 min is followed 20 s later by new containers "
                      "(new log stream, INIT_START) whose every invocation fails with `ConfigError: GEOIP_DB_BUCKET is not set`. "
                      "No code was deployed to geo-lookup; the address-normalizer deploy is two hours old and that function is healthy. "
                      "The locations-api 5xx alarm is the front door of the same failure. Errors naming a missing setting right after "
                      "a configuration update on the same function: config_change on geo-lookup (here the change on the alarmed resource is the cause).")
    return doc, meta


def s04():
    """ALB latency; tags on the ALB and a snapshot of search-2's volume; search-2 CPU pinned by a merge storm."""
    rng = rng_for(3904)
    reg = 'us-west-2'
    onset = -2040
    lb = 'app/search-alb/3b9d0e7c5a2f4186'
    s1, s2 = 'i-0e5a7c9b1d3f24680', 'i-0f6b8d0c2e4a35791'
    hot = lambda t: ramp(t, onset - 120, onset + 120)
    req = lambda t: 1450 * diurnal(t, 0.18) + rng.gauss(0, 50)
    m = alb_metrics(lb, req, lambda t: 0.11 + rng.gauss(0, 0.01) + 1.6 * hot(t) + (rng.gauss(0, 0.15) if hot(t) else 0),
                    lambda t: rng.choice([0, 0, 1, 2]) + (rng.randint(3, 12) if hot(t) > 0.5 else 0), lambda t: 0.0,
                    lambda t: 2.0, lambda t: 0.0, reg)
    m += ec2_metrics(s1, lambda t: 41 * diurnal(t, 0.18) + rng.gauss(0, 3), lambda t: 3.1e7 * diurnal(t) + rng.gauss(0, 1e6),
                     lambda t: 71 + rng.gauss(0, 0.6), lambda t: 58.3 + 0.00002 * (t + 21600), region=reg)
    m += ec2_metrics(s2, lambda t: (42 * diurnal(t, 0.18) + rng.gauss(0, 3)) * (1 - hot(t)) + hot(t) * (98.5 + rng.uniform(-1.5, 1.5)),
                     lambda t: 3.0e7 * diurnal(t) + rng.gauss(0, 1e6), lambda t: 72 + rng.gauss(0, 0.6) + 3 * hot(t),
                     lambda t: 57.9 + 0.00002 * (t + 21600) + 1.5 * hot(t), region=reg)
    qs = ['running shoes', 'usb c hub', 'desk lamp', 'air fryer', 'yoga mat', 'bluetooth speaker', 'standing desk']

    def acc(host, t):
        slow = hot(t) if host == s2 else 0
        rt = rng.uniform(0.03, 0.14) + slow * rng.uniform(1.8, 6.5)
        st = 200 if rng.random() > 0.04 * slow else 504
        return nginx(rng, t, '10.0.%d.%d' % (rng.randint(1, 9), rng.randint(2, 250)), 'GET',
                     '/v1/search?q=%s&page=%d' % (rng.choice(qs).replace(' ', '+'), rng.randint(1, 4)), st, rng.randint(2000, 19000), rt)
    logs = []
    for iid, name in ((s1, 'search-1'), (s2, 'search-2')):
        logs.append(stream('/search/nginx/access', iid, events(rng, LOG_START, 0, lambda t: 22, lambda t, i=iid: acc(i, t)), reg))
    es = periodic(rng, LOG_START, 0, 60, lambda t: '[%s][INFO ][o.o.i.e.Engine           ] [search-2] [products][%d] flushed segments, translog_ops=%d' % (
        sql_ts_comma(t), rng.randint(0, 4), rng.randint(200, 3000)))
    es += periodic(rng, onset - 100, 0, 20, lambda t: '[%s][INFO ][o.o.i.e.InternalEngine$EngineMergeScheduler] [search-2] [products][%d] now throttling indexing: numMergesInFlight=%d, maxNumMerges=%d' % (
        sql_ts_comma(t), rng.randint(0, 4), rng.randint(7, 11), 6))
    es += periodic(rng, onset, 0, 45, lambda t: '[%s][WARN ][o.o.m.j.JvmGcMonitorService] [search-2] [gc][%d] overhead, spent [%dms] collecting in the last [1s]' % (
        sql_ts_comma(t), rng.randint(90000, 99999), rng.randint(300, 700)))
    es += periodic(rng, onset + 60, 0, 90, lambda t: '[%s][WARN ][o.o.t.ThreadPool         ] [search-2] search thread pool queue size [%d] exceeds warning threshold; hot threads: 97.%d%% (487ms out of 500ms) cpu usage by thread \'opensearch[search-2][[products][2]: Lucene Merge Thread #4]\'' % (
        sql_ts_comma(t), rng.randint(300, 900), rng.randint(0, 9)))
    es += periodic(rng, LOG_START, 0, 600, lambda t: '[%s][ERROR][o.o.s.a.s.SnapshotLifecyclePolicy] [search-2] snapshot policy [nightly-s3] failed: repository [s3_archive] missing' % sql_ts_comma(t), jitter=0.05)
    logs.append(stream('/search/opensearch/server', s2, es, reg))
    resources = [{'type': 'alb', 'id': lb, 'properties': {'name': 'search-alb'}},
                 {'type': 'ec2', 'id': s1, 'properties': {'name': 'search-1', 'instance_type': 'r6i.xlarge', 'log_groups': ['/search/nginx/access']}},
                 {'type': 'ec2', 'id': s2, 'properties': {'name': 'search-2', 'instance_type': 'r6i.xlarge',
                  'log_groups': ['/search/nginx/access', '/search/opensearch/server']}}]
    alarms = [alarm('search-alb-latency', 'AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb}, 'Average', 60, 5, 0.8,
                    'GreaterThanThreshold', onset + 360, 'Search p-avg latency over 800 ms')]
    changes = [change(onset - 260, 'elasticloadbalancing.amazonaws.com', 'AddTags', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'search-alb', 'finops-tagger'),
               change(onset - 400, 'ec2.amazonaws.com', 'CreateSnapshot', 'AWS::EC2::Volume', 'vol-0a2c4e6f8b1d3e572 (search-2 /data)', 'dlm-lifecycle'),
               change(-12600, 'ec2.amazonaws.com', 'ModifyInstanceMetadataOptions', 'AWS::EC2::Instance', s1, 'sec-hardening')]
    exp = expect('search-alb-latency', 'cpu_saturation', [s2, 'search-2'],
                 [('AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb}), ('AWS/EC2', 'CPUUtilization', {'InstanceId': s2})])
    doc = scenario('h39-04-search-latency-node-cpu', 'Search is slow; ALB latency alarm.', reg, resources, m, logs, alarms, changes, exp)
    meta = dict(file='h39-04-search-latency-node-cpu.yaml', region=reg, alarm='search-alb-latency', category='cpu_saturation',
                resources='%s, search-2' % s2, front='front (ALB)',
                decoys='AddTags on search-alb 4 min before onset; DLM EBS snapshot of search-2 volume; IMDS hardening on search-1 3.5 h earlier; steady snapshot-policy ERROR',
                story="search-alb TargetResponseTime rises from ~0.11 s to ~1.7 s at -34 min. Only search-2 is slow in the access logs; "
                      "its CPUUtilization goes to ~99 % while search-1 stays at ~40 %. The OpenSearch log on search-2 shows a merge storm "
                      "(numMergesInFlight above maxNumMerges, hot threads at 97 % in Lucene merge threads, GC overhead). The ALB tag edit "
                      "and the EBS snapshot (taken by the DLM policy, crash-consistent and off-instance) are harmless; the recurring "
                      "snapshot-policy ERROR has run all day. CPU pinned on one node with latency following: cpu_saturation on search-2.")
    return doc, meta


def sql_ts_comma(t):
    from .common import clock
    c = clock(t)
    return c.strftime('%Y-%m-%dT%H:%M:%S,') + '%03d' % (c.microsecond // 1000)
