"""Scenarios 13-16."""
import json

from .common import rng_for, diurnal, ramp, alarm, change, scenario, expect, periodic, hexid, iso_ms, clock, rid, LOG_START
from . import lam
from .svc import rds_metrics, ecs_metrics, alb_metrics, apigw_metrics, stream, spring, pg, pg_checkpoints, events

GB = 1024 ** 3


def s13():
    """listing-search errors; provisioned-concurrency scaling on it; listings-pg CPU pinned by a reporting query."""
    rng = rng_for(3913)
    reg = 'ap-southeast-1'
    onset = -1900
    hot = lambda t: ramp(t, onset - 60, onset + 90)
    host = 'listings-pg.cq8v2zx0rk3l.ap-southeast-1.rds.amazonaws.com'

    def handler(t, r, lg):
        q = r.choice(['condo bishan', 'hdb 4 room', 'landed bukit timah', 'studio orchard', 'executive condo'])
        lg.info('search q="%s" filters=%d' % (q, r.randint(0, 4)))
        if hot(t) > 0.5 and r.random() < 0.5:
            lg.raw(lam.py_traceback('QueryCanceled', 'canceling statement due to statement timeout',
                   [('/var/task/search/handler.py', 40, 'lambda_handler', 'rows = repo.search(q, filters)'),
                    ('/var/task/search/repo.py', 88, 'search', 'cur.execute(SEARCH_SQL, params)')]).replace('[ERROR] QueryCanceled', '[ERROR] psycopg2.errors.QueryCanceled'), dt=5.0)
            return r.uniform(5000, 5100), 'error', r.randint(110, 130)
        d = r.uniform(40, 160) * (1 + 12 * hot(t))
        lg.info('returned %d listings in %d ms' % (r.randint(0, 50), d), dt=d / 1000.0 - 0.01)
        return d, 'ok', r.randint(110, 130)

    m1, l1 = lam.simulate(rng, 'listing-search', 'python', 512, 10, lambda t: 26 * diurnal(t), handler, region=reg)
    m2 = rds_metrics('listings-pg', lambda t: (24 * diurnal(t) + rng.gauss(0, 3)) * (1 - hot(t)) + hot(t) * (98.6 + rng.uniform(-1.2, 1.2)),
                     lambda t: 42 + rng.gauss(0, 3) + 20 * hot(t), lambda t: 140 * GB - (t + 21600) * 1500,
                     lambda t: 0.0009 + abs(rng.gauss(0, 0.0002)) + 0.006 * hot(t), lambda t: 0.0018 + abs(rng.gauss(0, 0.0003)),
                     lambda t: 11.8 * GB + rng.gauss(0, 9e7), reg)
    ev = pg_checkpoints(rng, LOG_START, 0)
    ev += periodic(rng, onset - 90, onset - 60, 60, lambda t: pg(t, 61822, 'LOG', 'connection authorized: user=reporting database=listings application_name=weekly_agent_leaderboard',
                   user='reporting', db='listings', ip='10.8.5.77'))
    ev += periodic(rng, onset, 0, 20, lambda t: pg(t, rng.randint(50000, 60000), 'ERROR', 'canceling statement due to statement timeout',
                   user='search_app', db='listings', ip='10.8.3.%d' % rng.randint(2, 250)))
    ev += periodic(rng, onset + 30, 0, 120, lambda t: pg(t, 61822 + rng.randint(0, 3), 'LOG',
                   'duration: %.3f ms  statement: SELECT a.agent_id, count(*) AS views FROM listing_views v JOIN listings l ON l.id = v.listing_id JOIN agents a ON a.id = l.agent_id WHERE v.viewed_at > now() - interval \'365 days\' GROUP BY 1 ORDER BY 2 DESC' % rng.uniform(60000, 110000),
                   user='reporting', db='listings', ip='10.8.5.77'))
    ev += periodic(rng, LOG_START, 0, 900, lambda t: pg(t, rng.randint(50000, 60000), 'LOG', 'automatic vacuum of table "listings.public.listing_views": index scans: 1',
                   user=None))
    logs = l1 + [stream('/aws/rds/instance/listings-pg/postgresql', 'listings-pg.0', ev, reg)]
    resources = [lam.resource('listing-search', 'python', 512, 10, provisioned_concurrency=20),
                 {'type': 'rds', 'id': 'listings-pg', 'properties': {'engine': 'postgres', 'engine_version': '16.4', 'instance_class': 'db.r6g.large',
                  'max_connections': 800, 'allocated_storage_gb': 300}}]
    alarms = [alarm('listing-search-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'listing-search'}, 'Sum', 60, 3, 5,
                    'GreaterThanThreshold', onset + 210, 'Listing search errors')]
    changes = [change(onset - 200, 'lambda.amazonaws.com', 'PutProvisionedConcurrencyConfig', 'AWS::Lambda::Function', 'listing-search',
                      'AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency'),
               change(-10200, 'rds.amazonaws.com', 'AddTagsToResource', 'AWS::RDS::DBInstance', 'listings-pg', 'finops-tagger')]
    exp = expect('listing-search-errors', 'cpu_saturation', ['listings-pg'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 'listing-search'}), ('AWS/RDS', 'CPUUtilization', {'DBInstanceIdentifier': 'listings-pg'})])
    doc = scenario('h39-13-listing-search-db-cpu', 'Property search erroring and slow; Errors alarm.', reg, resources, m1 + m2, logs,
                   alarms, changes, exp)
    meta = dict(file='h39-13-listing-search-db-cpu.yaml', region=reg, alarm='listing-search-errors', category='cpu_saturation',
                resources='listings-pg', front='front (Lambda caller)',
                decoys='scheduled provisioned-concurrency change on listing-search 3 min before onset; old tag on listings-pg; steady autovacuum lines',
                story="listing-search errors at -32 min with `psycopg2.errors.QueryCanceled: canceling statement due to statement timeout` and "
                      "successful searches become ~10x slower. listings-pg CPUUtilization goes from ~25 % to ~99 % at the same time; the "
                      "PostgreSQL log shows a `reporting` session (weekly_agent_leaderboard) running 60-110 s aggregation queries over a year of "
                      "listing_views. Connections stay far below max_connections, storage is ample. The provisioned-concurrency change by "
                      "Application Auto Scaling only adds warm capacity to the function. The database is CPU-saturated: cpu_saturation on listings-pg.")
    return doc, meta


def s14():
    """mobile-api 5xx; its description was updated; profile-service env var renamed."""
    rng = rng_for(3914)
    reg = 'us-west-1'
    chg = -1560

    def handler(t, r, lg):
        uid = 'u_%s' % hexid(r, 10)
        if t > chg + 15:
            lg.raw(lam.py_traceback('RuntimeError', 'required setting PROFILE_TABLE_NAME is not configured',
                   [('/var/task/profile/app.py', 23, 'lambda_handler', 'table = settings.table()'),
                    ('/var/task/profile/settings.py', 14, 'table', 'raise RuntimeError(f"required setting {key} is not configured")')]), dt=0.01)
            return r.uniform(3, 9), 'error', r.randint(75, 85)
        lg.info('GET /v1/profile/%s 200 fields=%d' % (uid, r.randint(6, 22)), dt=0.02)
        return r.uniform(18, 60), 'ok', r.randint(80, 95)

    m1, l1 = lam.simulate(rng, 'profile-service', 'python', 256, 10, lambda t: 20 * diurnal(t), handler, region=reg, breaks=[chg + 15])

    def feed(t, r, lg):
        lg.info('feed page built items=%d' % r.randint(10, 30), dt=0.05)
        return r.uniform(60, 160), 'ok', r.randint(120, 140)

    m2, l2 = lam.simulate(rng, 'feed-service', 'python', 512, 10, lambda t: 24 * diurnal(t), feed, region=reg)
    c = lambda t: 47 * diurnal(t) + rng.gauss(0, 3)
    m3 = apigw_metrics('mobile-api', c, lambda t: 3 + rng.randint(0, 3), lambda t: 0.0 if t < chg + 15 else 0.42 * c(t),
                       lambda t: 95 + rng.gauss(0, 8), integ=lambda t: 80 + rng.gauss(0, 8), region=reg)
    gw = events(rng, LOG_START, 0, lambda t: 4, lambda t: '(%s) Unauthorized request: invalid or expired JWT (kid=mob-2025-09)' % rid(rng))
    gw += events(rng, chg + 15, 0, lambda t: 18, lambda t: '(%s) Lambda execution failed with status 200 due to customer function error: required setting PROFILE_TABLE_NAME is not configured. Lambda request id: %s' % (rid(rng), rid(rng)))
    logs = l1 + l2 + [stream('API-Gateway-Execution-Logs_q3n8w1e5ty/prod', 'q3n8w1e5ty-prod', gw, reg)]
    resources = [{'type': 'apigateway', 'id': 'mobile-api', 'properties': {'stage': 'prod'}},
                 lam.resource('profile-service', 'python', 256, 10), lam.resource('feed-service', 'python', 512, 10)]
    alarms = [alarm('mobile-api-5xx', 'AWS/ApiGateway', '5XXError', {'ApiName': 'mobile-api'}, 'Sum', 60, 3, 8,
                    'GreaterThanThreshold', chg + 200, 'Mobile API 5xx')]
    changes = [change(-1900, 'apigateway.amazonaws.com', 'UpdateRestApi', 'AWS::ApiGateway::RestApi', 'mobile-api', 'apidocs-bot'),
               change(chg, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'profile-service', 'dpatel'),
               change(-9500, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'feed-service', 'ci-deployer')]
    exp = expect('mobile-api-5xx', 'config_change', ['profile-service'],
                 [('AWS/ApiGateway', '5XXError', {'ApiName': 'mobile-api'}), ('AWS/Lambda', 'Errors', {'FunctionName': 'profile-service'})])
    doc = scenario('h39-14-mobile-5xx-profile-setting', 'Mobile app profile screen failing; API 5xx alarm.', reg, resources, m1 + m2 + m3,
                   logs, alarms, changes, exp)
    meta = dict(file='h39-14-mobile-5xx-profile-setting.yaml', region=reg, alarm='mobile-api-5xx', category='config_change',
                resources='profile-service', front='front (API Gateway)',
                decoys='UpdateRestApi (description) on mobile-api 6 min before onset; feed-service deploy 2.6 h earlier; steady JWT 401s',
                story="mobile-api 5XXError rises at -26 min. The execution log attributes them to a customer function error "
                      "`required setting PROFILE_TABLE_NAME is not configured`, and profile-service fails every invocation with that "
                      "RuntimeError from 15 s after an UpdateFunctionConfiguration by an engineer. The earlier UpdateRestApi on mobile-api was "
                      "the docs bot editing the API description (no deployment, no stage change); feed-service, behind the same API, is healthy. "
                      "Error naming a missing setting right after a config update: config_change on profile-service.")
    return doc, meta


def s15():
    """order-api errors; version publish on it; pricing-svc deploy broke the quote endpoint."""
    rng = rng_for(3915)
    reg = 'sa-east-1'
    dep = -1900
    lb = 'app/pricing-internal-alb/5d1e9c7a3f0b2648'
    bad = lambda t: t > dep + 90

    def handler(t, r, lg):
        oid = 'ord_%08d' % r.randint(1, 10 ** 8)
        lg.info('creating order %s items=%d' % (oid, r.randint(1, 6)))
        if bad(t) and r.random() < 0.35:
            lg.raw(lam.node_invoke_error(t + 0.2, lg.rid, 'PricingError', 'pricing-svc responded 500 Internal Server Error for POST /v2/quote',
                   ['PricingClient.quote (/var/task/dist/clients/pricing.js:61:13)', 'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
                    'async createOrder (/var/task/dist/orders/create.js:34:19)', 'async Runtime.handler (/var/task/dist/index.js:22:12)']), dt=0.2)
            return r.uniform(180, 260), 'error', r.randint(120, 140)
        if r.random() < 0.04:
            lg.warn('cep lookup slow (1.2s) for 0%d-000, using cached freight table' % r.randint(1000, 9999))
        lg.info('order %s created total=%.2f BRL' % (oid, r.uniform(20, 900)), dt=0.25)
        return r.uniform(220, 380), 'ok', r.randint(120, 140)

    m1, l1 = lam.simulate(rng, 'order-api', 'node', 512, 15, lambda t: 24 * diurnal(t), handler, region=reg)
    req = lambda t: 30 * diurnal(t) + rng.gauss(0, 2)
    m2 = alb_metrics(lb, req, lambda t: 0.06 + rng.gauss(0, 0.006), lambda t: (0.36 * req(t)) if bad(t) else rng.choice([0, 0, 0, 1]),
                     lambda t: 0.0, lambda t: 3, lambda t: 0, reg)
    m2 += ecs_metrics('pricing', 'pricing-svc', lambda t: 27 * diurnal(t) + rng.gauss(0, 2), lambda t: 61 + rng.gauss(0, 1), reg)

    def app(t):
        if bad(t) and rng.random() < 0.36:
            return spring(t, 'ERROR', 'nio-8080-exec-%d' % rng.randint(1, 30), 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
                          'Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: java.lang.IllegalStateException: '
                          'No rounding rule registered for currency BRL in PromoStackingStrategy] with root cause\n'
                          'java.lang.IllegalStateException: No rounding rule registered for currency BRL in PromoStackingStrategy\n'
                          '\tat com.acme.pricing.promo.PromoStackingStrategy.round(PromoStackingStrategy.java:112)\n'
                          '\tat com.acme.pricing.promo.PromoStackingStrategy.apply(PromoStackingStrategy.java:74)\n'
                          '\tat com.acme.pricing.quote.QuoteService.quote(QuoteService.java:58)\n'
                          '\tat com.acme.pricing.web.QuoteController.quote(QuoteController.java:41)', 'pricing-svc')
        return spring(t, 'INFO', 'nio-8080-exec-%d' % rng.randint(1, 30), 'c.a.pricing.web.QuoteController',
                      'POST /v2/quote 200 lines=%d took=%dms' % (rng.randint(1, 6), rng.randint(8, 40)), 'pricing-svc')
    ev = events(rng, LOG_START, 0, lambda t: 26, app)
    ev += [[dep + 70, spring(dep + 70, 'INFO', 'main', 'c.a.pricing.PricingApplication', 'Started PricingApplication v2.31.0 in 9.12 seconds (process running for 10.4)', 'pricing-svc')],
           [-9000, spring(-9000, 'INFO', 'main', 'c.a.pricing.PricingApplication', 'Started PricingApplication v2.30.4 in 9.31 seconds (process running for 10.6)', 'pricing-svc')]]
    logs = l1 + [stream('/ecs/pricing/pricing-svc', 'pricing-svc/app/%s' % hexid(rng), ev, reg)]
    resources = [lam.resource('order-api', 'node', 512, 15),
                 {'type': 'ecs', 'id': 'pricing/pricing-svc', 'properties': {'launch_type': 'FARGATE', 'desired_count': 3, 'task_definition': 'pricing-svc:88'}},
                 {'type': 'alb', 'id': lb, 'properties': {'name': 'pricing-internal-alb'}}]
    alarms = [alarm('order-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'order-api'}, 'Sum', 60, 3, 4,
                    'GreaterThanThreshold', dep + 300, 'Order API errors')]
    changes = [change(-2200, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'order-api', 'release-bot'),
               change(dep - 20, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'pricing-svc:88', 'github-actions-deploy'),
               change(dep, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'pricing/pricing-svc', 'github-actions-deploy'),
               change(-5400, 'elasticloadbalancing.amazonaws.com', 'AddTags', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'pricing-internal-alb', 'finops-tagger')]
    exp = expect('order-api-errors', 'bad_deployment', ['pricing/pricing-svc', 'pricing-svc'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 'order-api'}), ('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb})])
    doc = scenario('h39-15-order-api-pricing-release', 'Orders failing at checkout; Errors alarm on order-api.', reg, resources, m1 + m2,
                   logs, alarms, changes, exp)
    meta = dict(file='h39-15-order-api-pricing-release.yaml', region=reg, alarm='order-api-errors', category='bad_deployment',
                resources='pricing/pricing-svc, pricing-svc', front='front (Lambda caller)',
                decoys='PublishVersion on order-api (no alias move) 5 min before the pricing deploy; old AddTags on the pricing ALB; steady CEP-lookup WARN',
                story="order-api errors at -30 min with `PricingError: pricing-svc responded 500` on about a third of orders. pricing-svc was "
                      "deployed (new task definition pricing-svc:88, v2.31.0 started) 90 s before, and from then its log shows a new "
                      "`IllegalStateException: No rounding rule registered for currency BRL in PromoStackingStrategy`; the pricing ALB target "
                      "5xx rise in step. order-api's own change was a version publish with no alias move and invocations stay on $LATEST. "
                      "A new error signature right after a release of the dependency: bad_deployment on pricing-svc.")
    return doc, meta


def s16():
    """Own-role change IS the cause: s3-archiver's inline policy rewrite drops KMS permissions."""
    rng = rng_for(3916)
    reg = 'ap-northeast-2'
    chg = -1700

    def handler(t, r, lg):
        key = 'archive/2026/11/24/%s.ndjson.gz' % hexid(r, 12)
        lg.info('archiving batch records=%d' % r.randint(500, 5000))
        if t > chg + 40:
            lg.error('operation error S3: PutObject, https response error StatusCode: 403, RequestID: %s, HostID: %s, api error AccessDenied: '
                     'User: arn:aws:sts::730215984462:assumed-role/s3-archiver-role/s3-archiver is not authorized to perform: kms:GenerateDataKey '
                     'on resource: arn:aws:kms:ap-northeast-2:730215984462:key/6f2b1c9e-41d7-4a35-9c0e-8d5b7a3e2f10 because no identity-based policy '
                     'allows the kms:GenerateDataKey action' % (hexid(r, 16).upper(), hexid(r, 40)), dt=0.3)
            return r.uniform(300, 420), 'error', r.randint(40, 48)
        if r.random() < 0.05:
            lg.warn('s3 PutObject retry attempt=1 reason=SlowDown')
        lg.info('archived s3://ops-archive-apne2/%s bytes=%d' % (key, r.randint(10 ** 5, 8 * 10 ** 6)), dt=0.4)
        return r.uniform(450, 900), 'ok', r.randint(40, 48)

    m1, l1 = lam.simulate(rng, 's3-archiver', 'go', 256, 60, lambda t: 9 * diurnal(t), handler, region=reg)

    def comp(t, r, lg):
        lg.info('compacted partitions=%d' % r.randint(1, 8))
        return r.uniform(800, 2000), 'ok', r.randint(60, 90)

    m2, l2 = lam.simulate(rng, 'log-compactor', 'go', 512, 120, lambda t: 2, comp, region=reg)
    resources = [lam.resource('s3-archiver', 'go', 256, 60, role='s3-archiver-role'), lam.resource('log-compactor', 'go', 512, 120)]
    alarms = [alarm('s3-archiver-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 's3-archiver'}, 'Sum', 300, 1, 3,
                    'GreaterThanThreshold', chg + 300, 'Archiver failures')]
    changes = [change(chg, 'iam.amazonaws.com', 'PutRolePolicy', 'AWS::IAM::Role', 's3-archiver-role', 'terraform-ci'),
               change(-2400, 'lambda.amazonaws.com', 'TagResource20170331v2', 'AWS::Lambda::Function', 'log-compactor', 'terraform-ci'),
               change(-7700, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'log-compactor', 'terraform-ci')]
    exp = expect('s3-archiver-errors', 'permission_denied', ['s3-archiver', 's3-archiver-role'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 's3-archiver'})])
    doc = scenario('h39-16-archiver-kms-denied', 'Archive job failing; Errors alarm on s3-archiver.', reg, resources, m1 + m2, l1 + l2,
                   alarms, changes, exp)
    meta = dict(file='h39-16-archiver-kms-denied.yaml', region=reg, alarm='s3-archiver-errors', category='permission_denied',
                resources='s3-archiver, s3-archiver-role', front='origin (change on the alarmed function\'s own role is the cause)',
                decoys='log-compactor tag 12 min before and deploy 2 h earlier; steady S3 SlowDown retry WARN',
                story="terraform-ci rewrites the inline policy of s3-archiver-role at -28 min; 40 s later every s3-archiver invocation fails "
                      "with `AccessDenied ... not authorized to perform: kms:GenerateDataKey ... because no identity-based policy allows` on "
                      "the bucket's KMS key. The other function's tag and deploy are unrelated and it stays healthy; the SlowDown retry "
                      "warning predates the incident at the same rate. The IAM change on the function's own role is the cause: "
                      "permission_denied on s3-archiver (its role also accepted).")
    return doc, meta
