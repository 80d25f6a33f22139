"""Shared internal API and shared DynamoDB tables."""
from .lib import LOG_FROM, Scn, diurnal, hexid, iso, periodic, ramp, sprinkle
from .sims import ddb_metrics, ecs_metrics, lambda_fn, tg_metrics

ACCT = '412381109930'


def s13_identity_dependency():
    sc = Scn('h25-13-shared-identity-api-upstream-jwks', 2513, 'us-east-1', 'Order placement failing with auth errors; orders-api Errors alarm.')
    lb, tg, onset = 'app/internal-platform-alb/0f1e2d3c4b5a6978', 'targetgroup/identity-api-tg/1e2d3c4b5a697887', -2000
    sc.resource('ecs', 'platform/identity-api', launch_type='FARGATE', desired_count=4, language='go')
    sc.resource('alb', lb, name='internal-platform-alb', scheme='internal')
    sc.resource('lambda', 'orders-api', runtime='python3.12', timeout=10, memory_size=512)
    sc.resource('lambda', 'profile-api', runtime='python3.12', timeout=10, memory_size=512)
    sc.resource('ecs', 'support/helpdesk-web', launch_type='FARGATE', desired_count=2)
    tg_metrics(sc, lb, tg, req=lambda t: 3100 * diurnal(t), rt=lambda t: 0.012 if t < onset else 2.6,
               t5xx=lambda t: 0.2 if t < onset else 1150, healthy=4)
    ecs_metrics(sc, 'platform', 'identity-api', cpu=lambda t: 19 * diurnal(t), mem=31, tasks=4)
    ecs_metrics(sc, 'support', 'helpdesk-web', cpu=12, mem=40, tasks=2)
    sc.change(-3300, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'orders-api', 'ci-deployer')
    sc.change(-900, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'support/helpdesk-web', 'a.kowalski')
    url = 'http://identity.platform.internal/v1/introspect'

    def orders(t, rng):
        lines = [('INFO', 'POST /orders cart=%s' % hexid(rng, 10))]
        if t >= onset and rng.random() < 0.4:
            if rng.random() < 0.6:
                e = 'requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: %s' % url
            else:
                e = "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='identity.platform.internal', port=80): Read timed out. (read timeout=3)"
            return 'error', rng.uniform(2500, 3100), lines + [('ERROR', '%s\nTraceback (most recent call last):\n  File "/var/task/orders/handler.py", line 33, in create_order\n'
                '    principal = auth.introspect(event["headers"]["authorization"])\n  File "/var/task/orders/auth.py", line 21, in introspect\n    resp.raise_for_status()\n%s' % (e, e))]
        return 'ok', rng.uniform(90, 240), lines + [('INFO', 'order ORD-%08d created' % rng.randint(1, 99999999))]

    def prof(t, rng):
        if t >= onset and rng.random() < 0.4:
            return 'error', rng.uniform(2500, 3100), [('ERROR', 'identity introspection failed: 503 Service Unavailable')]
        lines = [('INFO', 'GET /me')]
        if rng.random() < 0.04:
            lines.append(('WARNING', 'avatar thumbnail missing for user, serving default'))
        return 'ok', rng.uniform(40, 120), lines
    lambda_fn(sc, 'orders-api', lambda t: 16 * diurnal(t), orders, version_from=[(-3300, '$LATEST')])
    lambda_fn(sc, 'profile-api', lambda t: 8 * diurnal(t), prof)
    rng = sc.rng
    jw = 'https://login.partner-idp.example/.well-known/jwks.json'
    ev = periodic(rng, LOG_FROM, onset, 300, lambda t, r: 'time=%s level=info msg="jwks refreshed" keys=3 url=%s took_ms=%d' % (iso(t), jw, r.randint(40, 120)))
    ev += sprinkle(rng, LOG_FROM, 0, 20, lambda t, r: 'time=%s level=info msg="introspect" client=%s status=%d dur_ms=%d' % (
        iso(t), r.choice(['orders-api', 'profile-api', 'helpdesk-web']), 200 if t < onset or r.random() < 0.6 else 503, r.randint(2, 9) if t < onset else r.randint(2000, 3000)))
    ev += periodic(rng, onset, 0, 15, lambda t, r: 'time=%s level=error msg="jwks refresh failed" url=%s err="Get \\"%s\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"' % (iso(t), jw, jw))
    ev += sprinkle(rng, onset, 0, 12, lambda t, r: 'time=%s level=warn msg="token validation failed" kid=k7 err="key id not in cache and jwks refresh failed" status=503' % iso(t))
    ev += periodic(rng, LOG_FROM, 0, 600, lambda t, r: 'time=%s level=warn msg="deprecated grant_type=password used" client=legacy-batch' % iso(t))
    sc.log('/ecs/identity-api', 'ecs/identity-api/%s' % hexid(rng, 32), ev)
    sc.alarm('orders-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'orders-api'}, 2, onset + 180)
    sc.expect_('orders-api-errors', 'dependency_failure', ['platform/identity-api', 'identity-api'],
               [{'namespace': 'AWS/ApplicationELB', 'name': 'HTTPCode_Target_5XX_Count', 'dimensions': {'LoadBalancer': lb, 'TargetGroup': tg}}])
    sc.meta = dict(front='front', decoys='orders-api deploy 22 min before onset (errors start only with identity 503s, identical in profile-api); helpdesk-web manual deploy after onset; constant deprecated-grant WARN in identity-api',
                   story='The shared internal identity-api cannot refresh its JWKS from the external IdP (context deadline exceeded) and, once a new key id k7 shows up, answers introspection with 503 after ~2.5 s. Every caller (orders-api, profile-api, helpdesk-web) fails the same way; identity-api tasks are healthy, CPU/memory flat, no change to it. The orders-api deploy 22 min earlier introduced no new signature of its own. dependency_failure on identity-api, the dependency in the account.')
    return sc


def ddb_err(op, table, region, role, fn, kind):
    if kind == 'throttle':
        return ('botocore.errorfactory.ProvisionedThroughputExceededException: An error occurred (ProvisionedThroughputExceededException) when calling the %s operation '
                '(reached max retries: 3): The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.' % op)
    return ('botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the %s operation: User: arn:aws:sts::%s:assumed-role/%s/%s '
            'is not authorized to perform: dynamodb:%s on resource: arn:aws:dynamodb:%s:%s:table/%s because no identity-based policy allows the dynamodb:%s action' % (
                op, ACCT, role, fn, op, region, ACCT, table, op))


def s14_ddb_neighbour_scan():
    sc = Scn('h25-14-ddb-entitlements-read-throttle', 2514, 'ap-northeast-1', 'Feature access checks failing; license-check Errors alarm.')
    table, onset = 'platform-entitlements', -2150
    sc.resource('lambda', 'license-check', runtime='python3.12', timeout=5, memory_size=256)
    sc.resource('lambda', 'audit-exporter', runtime='python3.12', timeout=900, memory_size=1024)
    sc.resource('lambda', 'plan-admin', runtime='python3.12', timeout=10, memory_size=256)
    ddb_metrics(sc, table, rcu=lambda t: 60 * (640 * diurnal(t) if t < onset else 2000), wcu=60 * 40, prov_r=2000, prov_w=200,
                read_thr=lambda t: 0 if t < onset else 930, get_lat=lambda t: 3.1 if t < onset else 4.2)
    sc.metric('AWS/DynamoDB', 'ConsumedReadCapacityUnits', {'TableName': table, 'GlobalSecondaryIndexName': 'by-tenant'}, 'Count', 60 * 80, noise=0.05)

    def scan(t, rng):
        seg = rng.randint(0, 15)
        return 'ok', rng.uniform(600000, 880000), [('INFO', 'full export requested by schedule monthly-entitlement-audit segment=%d/16' % seg),
                                                    ('INFO', 'Scan segment %d page %d consumed_capacity=%.1f items=%d' % (seg, rng.randint(1, 900), rng.uniform(120, 128), rng.randint(900, 1000))),
                                                    ('INFO', 'wrote s3://audit-exports/entitlements/2026-11/seg-%02d.jsonl.gz' % seg)]
    lambda_fn(sc, 'audit-exporter', lambda t: 0 if t < onset - 60 or t > onset + 60 else 8, scan, timeout=900, memory=1024, mem_used=(300, 420))

    def lic(t, rng):
        lines = [('INFO', 'check tenant=t_%s feature=%s' % (hexid(rng, 6), rng.choice(['sso', 'audit_log', 'api_v2', 'exports'])))]
        if rng.random() < 0.03:
            lines.append(('WARNING', 'tenant plan cache miss, reading table'))
        if t >= onset and rng.random() < 0.45:
            return 'error', rng.uniform(600, 1500), lines + [('ERROR', ddb_err('GetItem', table, 'ap-northeast-1', '', '', 'throttle'))]
        return 'ok', rng.uniform(8, 30), lines + [('INFO', 'allowed=%s' % rng.choice(['true', 'true', 'false']))]
    lambda_fn(sc, 'license-check', lambda t: 20 * diurnal(t), lic, timeout=5, memory=256, mem_used=(70, 95))
    lambda_fn(sc, 'plan-admin', lambda t: 1, lambda t, r: ('ok', r.uniform(30, 90), [('INFO', 'plan updated tenant=t_%s' % hexid(r, 6))]), memory=256, mem_used=(70, 90))
    sc.change(-3400, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'plan-admin', 'ci-deployer')
    sc.change(-16000, 'dynamodb.amazonaws.com', 'UpdateTable', 'AWS::DynamoDB::Table', table, 'terraform-platform')
    sc.alarm('license-check-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'license-check'}, 4, onset + 180)
    sc.expect_('license-check-errors', 'throttling', [table],
               [{'namespace': 'AWS/DynamoDB', 'name': 'ReadThrottleEvents', 'dimensions': {'TableName': table}}])
    sc.meta = dict(front='front', decoys='plan-admin deploy 21 min before onset; UpdateTable (GSI add) 4.4 h earlier with no capacity effect; GSI reads steady; constant cache-miss WARNING',
                   story='The monthly scheduled audit-exporter run starts a 16-segment parallel Scan of the shared provisioned table platform-entitlements (2000 RCU); consumed reads jump from ~640 to the full 2000 RCU and ReadThrottleEvents appear the same minute. license-check GetItems are throttled (ProvisionedThroughputExceededException after retries). No configuration changed; the table\'s provisioned read capacity is what is exhausted. throttling on platform-entitlements (the scan by audit-exporter is the consumer).')
    return sc


def s15_ddb_role_policy():
    sc = Scn('h25-15-ledger-writer-role-policy', 2515, 'eu-west-2', 'Ledger postings failing; ledger-writer Errors alarm.')
    table, chg = 'platform-ledger', -1900
    sc.resource('lambda', 'ledger-writer', runtime='python3.12', timeout=15, memory_size=512, role='ledger-writer-role')
    sc.resource('lambda', 'payouts-backfill', runtime='python3.12', timeout=900, memory_size=1024)
    sc.resource('lambda', 'fx-rates-poller', runtime='python3.12', timeout=30, memory_size=256)
    ddb_metrics(sc, table, rcu=60 * 120, wcu=lambda t: 60 * (90 * diurnal(t) + (260 if t > -2700 else 0) - (40 if t > chg else 0)),
                put_lat=lambda t: 5.8 if t < -2700 else 7.4)
    sc.metric('AWS/DynamoDB', 'UserErrors', {}, 'Count', lambda t: 0.2 if t < chg else 22, noise=0.1, integer=True)
    sc.change(chg, 'iam.amazonaws.com', 'PutRolePolicy', 'AWS::IAM::Role', 'ledger-writer-role', 'terraform-ci')
    sc.change(-2700, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'payouts-backfill', 'f.adeyemi')
    sc.change(-2300, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'fx-rates-poller', 'ci-deployer')

    def lw(t, rng):
        lines = [('INFO', 'posting journal entry je_%s lines=%d' % (hexid(rng, 10), rng.randint(2, 8)))]
        if rng.random() < 0.05:
            lines.append(('WARNING', 'entry references closed period 2026-10, posting to 2026-11 adjustment'))
        if t >= chg and rng.random() < 0.92:
            return 'error', rng.uniform(30, 70), lines + [('ERROR', ddb_err('PutItem', table, 'eu-west-2', 'ledger-writer-role', 'ledger-writer', 'denied'))]
        return 'ok', rng.uniform(20, 60), lines + [('INFO', 'posted')]
    lambda_fn(sc, 'ledger-writer', lambda t: 18 * diurnal(t), lw)
    lambda_fn(sc, 'payouts-backfill', lambda t: 0 if t < -2700 else 3, lambda t, r: ('ok', r.uniform(40000, 90000), [('INFO', 'backfilled %d payout rows for 2026-10' % r.randint(3000, 6000))]),
              timeout=900, memory=1024, mem_used=(300, 400))
    lambda_fn(sc, 'fx-rates-poller', lambda t: 1, lambda t, r: ('ok', r.uniform(200, 600), [('INFO', 'fetched 168 rates from ECB')]), memory=256, mem_used=(60, 80))
    sc.alarm('ledger-writer-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'ledger-writer'}, 5, chg + 180)
    sc.expect_('ledger-writer-errors', 'permission_denied', ['ledger-writer', 'ledger-writer-role'],
               [{'namespace': 'AWS/Lambda', 'name': 'Errors', 'dimensions': {'FunctionName': 'ledger-writer'}}])
    sc.meta = dict(front='origin', decoys='payouts-backfill started 13 min before (table writes x3, latency slightly up, no throttles); fx-rates-poller deploy 7 min before; constant closed-period WARNING',
                   story='terraform-ci rewrote the inline policy of ledger-writer-role; from that minute ledger-writer PutItem calls fail with AccessDeniedException "no identity-based policy allows the dynamodb:PutItem action" while other writers to the same shared table (payouts-backfill) succeed and the table shows no throttling. The shared table only looks busy because of the backfill. permission_denied on ledger-writer (its role).')
    return sc


def s16_renewer_app_error():
    sc = Scn('h25-16-subscription-renewer-null-price', 2516, 'sa-east-1', 'Subscription renewals failing; subscription-renewer Errors alarm.')
    table, onset = 'platform-subscriptions', -2100
    sc.resource('lambda', 'subscription-renewer', runtime='python3.11', timeout=60, memory_size=512)
    sc.resource('lambda', 'churn-model-features', runtime='python3.11', timeout=900, memory_size=3008)
    sc.resource('lambda', 'invoice-mailer', runtime='nodejs20.x', timeout=30, memory_size=256)
    hour = lambda t: ((t + 21600) % 3600) < 600
    ddb_metrics(sc, table, rcu=lambda t: 60 * (150 + (900 if hour(t) else 0) + (500 if t > -3000 else 0)), wcu=lambda t: 60 * (30 + (120 if hour(t) else 0)))

    def ren(t, rng):
        legacy = t >= onset and rng.random() < 0.5
        sid = 'sub_%s' % hexid(rng, 12)
        lines = [('INFO', 'renewing %s plan=%s' % (sid, 'legacy-annual-2019' if legacy else rng.choice(['pro-monthly', 'team-monthly', 'pro-annual'])))]
        if legacy:
            return 'error', rng.uniform(40, 90), lines + [('ERROR', "TypeError: unsupported operand type(s) for *: 'NoneType' and 'decimal.Decimal'\nTraceback (most recent call last):\n"
                '  File "/var/task/renewer/handler.py", line 47, in handler\n    charge = pricing.amount_for(sub, period)\n'
                '  File "/var/task/renewer/pricing.py", line 88, in amount_for\n    return plan["unit_price"] * Decimal(sub["seats"]) * period.factor\n'
                "TypeError: unsupported operand type(s) for *: 'NoneType' and 'decimal.Decimal'")]
        return 'ok', rng.uniform(150, 400), lines + [('INFO', 'renewed %s amount=%d BRL' % (sid, rng.randint(49, 9000)))]
    lambda_fn(sc, 'subscription-renewer', lambda t: 14, ren, timeout=60, version_from=[])
    lambda_fn(sc, 'churn-model-features', lambda t: 0.2 if t < -3000 else 4, lambda t, r: ('ok', r.uniform(200000, 400000), [('INFO', 'computed features for %d subscriptions' % r.randint(20000, 40000))]),
              timeout=900, memory=3008, mem_used=(1500, 2000))

    def mail(t, rng):
        if rng.random() < 0.03:
            return 'error', rng.uniform(100, 300), [('ERROR', 'Error: 554 Message rejected: Email address is not verified. The following identities failed the check in region SA-EAST-1: billing@example.com.br')]
        return 'ok', rng.uniform(100, 300), [('INFO', 'mailed invoice to customer')]
    lambda_fn(sc, 'invoice-mailer', lambda t: 6, mail, runtime='node', memory=256, mem_used=(70, 90))
    sc.change(-2500, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'invoice-mailer', 'ci-deployer')
    sc.change(-3000, 'events.amazonaws.com', 'PutRule', 'AWS::Events::Rule', 'churn-model-features-15m', 'ml-platform')
    sc.alarm('subscription-renewer-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'subscription-renewer'}, 2, onset + 180)
    sc.expect_('subscription-renewer-errors', 'application_error', ['subscription-renewer'],
               [{'namespace': 'AWS/Lambda', 'name': 'Errors', 'dimensions': {'FunctionName': 'subscription-renewer'}}])
    sc.meta = dict(front='origin', decoys='invoice-mailer deploy 7 min before onset; churn-model-features schedule change 15 min before (table reads up, no throttles); hourly renewal read bursts; constant SES 554 errors in invoice-mailer',
                   story='The renewer reached the cohort of subscriptions on plan legacy-annual-2019, whose unit_price is null; each renewal raises an unhandled TypeError in pricing.amount_for. Nothing changed on the renewer (its last deploy is outside the window), the shared table has no throttles or latency change (reads are up because of the churn-model schedule), and other plans renew fine. application_error on subscription-renewer.')
    return sc
