"""Account-level Lambda concurrency and a shared internal API."""
from .lib import LOG_FROM, MINUTES, Scn, diurnal, hexid, iso, periodic, ramp, sprinkle
from .sims import ecs_metrics, lambda_fn, logback, tg_metrics


def account_conc(sc, values, unreserved=None):
    sc.series('AWS/Lambda', 'ConcurrentExecutions', {}, 'Count', values)
    if unreserved is not None:
        sc.series('AWS/Lambda', 'UnreservedConcurrentExecutions', {}, 'Count', unreserved)


def s10_account_concurrency_neighbour():
    sc = Scn('h25-10-lambda-account-concurrency-bulk-import', 2510, 'us-east-1', 'Payment webhooks being rejected; payments-webhook Throttles alarm.')
    onset = -2400
    sc.resource('lambda', 'payments-webhook', runtime='python3.12', timeout=10, memory_size=512)
    sc.resource('lambda', 'bulk-import', runtime='python3.12', timeout=900, memory_size=2048, trigger='s3:ObjectCreated partner-drops')
    sc.resource('lambda', 'email-digest', runtime='python3.12', timeout=60, memory_size=256)
    sc.resource('apigateway', 'payments-webhooks-api')
    limit = 1000
    bulk = lambda t: ramp(t, onset - 600, onset, 10, 60)
    others = {}

    def bulk_h(t, rng):
        return 'ok', rng.uniform(800000, 880000) if t >= onset - 600 else rng.uniform(30000, 50000), [
            ('INFO', 'processing s3://partner-drops/acme-logistics/2026-11-20/part-%05d.csv.gz' % rng.randint(0, 40000)),
            ('INFO', 'loaded %d rows into staging.shipments' % rng.randint(40000, 50000))]
    st_b = lambda_fn(sc, 'bulk-import', bulk, bulk_h, timeout=900, memory=2048, mem_used=(700, 1100),
                     conc_cap=lambda t: 985, throttle=lambda t, n: int(n * 0.35) if t >= onset else 0)
    pw_thr = lambda t, n: int(n * 0.45) if t >= onset else 0

    def pay(t, rng):
        lines = [('INFO', 'stripe event %s type=%s' % ('evt_' + hexid(rng, 24), rng.choice(['invoice.paid', 'charge.succeeded', 'customer.subscription.updated'])))]
        if rng.random() < 0.06:
            lines.append(('WARNING', 'duplicate event evt_%s already processed, ignoring' % hexid(rng, 24)))
        return 'ok', rng.uniform(80, 260), lines
    st_p = lambda_fn(sc, 'payments-webhook', lambda t: 20 * diurnal(t), pay, throttle=pw_thr)
    st_e = lambda_fn(sc, 'email-digest', lambda t: 1, lambda t, r: ('ok', r.uniform(800, 1200), [('INFO', 'sent digest batch of %d' % r.randint(20, 90))]),
                     memory=256, timeout=60, mem_used=(80, 110))
    tot = {m: min(limit, st_b['conc'][m] + st_p['conc'][m] + st_e['conc'][m] + 40) for m in MINUTES}
    for m in MINUTES:
        if m >= onset:
            tot[m] = 1000 - (m // 60) % 2
    account_conc(sc, tot, tot)
    sc.metric('AWS/ApiGateway', 'Count', {'ApiName': 'payments-webhooks-api'}, 'Count', lambda t: 35 * diurnal(t), noise=0.1, integer=True)
    sc.metric('AWS/ApiGateway', '5XXError', {'ApiName': 'payments-webhooks-api'}, 'Count', lambda t: 0 if t < onset else 15.5, noise=0.2, integer=True)
    sc.metric('AWS/ApiGateway', '4XXError', {'ApiName': 'payments-webhooks-api'}, 'Count', 0.4, noise=0.5, integer=True)
    sc.change(-3000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'email-digest', 'ci-deployer')
    sc.change(-15000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'payments-webhook', 'ci-deployer')
    rng = sc.rng
    ag = sprinkle(rng, onset, 0, 15, lambda t, r: '(%s) Lambda invocation failed with status: 429. Lambda request id: %s' % (hexid(r, 8) + '-' + hexid(r, 4), hexid(r, 8) + '-' + hexid(r, 4)))
    ag += sprinkle(rng, onset, 0, 15, lambda t, r: '(%s) Execution failed due to configuration error: Rate Exceeded.' % (hexid(r, 8) + '-' + hexid(r, 4)))
    sc.log('API-Gateway-Execution-Logs_k3j9x0pq2a/prod', 'k3j9x0pq2a-prod', ag)
    sc.alarm('payments-webhook-throttles', 'AWS/Lambda', 'Throttles', {'FunctionName': 'payments-webhook'}, 3, onset + 180)
    sc.expect_('payments-webhook-throttles', 'throttling', ['bulk-import'],
               [{'namespace': 'AWS/Lambda', 'name': 'ConcurrentExecutions', 'dimensions': {'FunctionName': 'bulk-import'}}])
    sc.meta = dict(front='front', decoys='email-digest deploy 10 min before onset; payments-webhook deploy 4 h earlier; constant duplicate-event WARNING; bulk-import also throttled (it is the consumer)',
                   story='A partner dropped ~40 k files into partner-drops; bulk-import (no reserved concurrency, 40-60 s per file) fans out to ~985 concurrent executions and the account-level ConcurrentExecutions / UnreservedConcurrentExecutions pin at the 1000 limit. payments-webhook has its own normal traffic and no reserved concurrency, so ~45 % of its invocations are throttled (API Gateway 429 / Rate Exceeded). No configuration changed. throttling, originating in the neighbour bulk-import that consumed the shared account pool.')
    return sc


def s11_reserved_concurrency_config():
    sc = Scn('h25-11-lambda-reserved-concurrency-grab', 2511, 'eu-west-1', 'Push notifications delayed and dropped; notifications-sender Throttles alarm.')
    chg = -2000
    sc.resource('lambda', 'notifications-sender', runtime='nodejs20.x', timeout=120, memory_size=512)
    sc.resource('lambda', 'ml-batch-scorer', runtime='python3.11', timeout=900, memory_size=4096, reserved_concurrency=900)
    sc.resource('lambda', 'orders-projector', runtime='java21', timeout=30, memory_size=1536)

    def notif(t, rng):
        return 'ok', rng.uniform(80000, 90000), [('INFO', 'sent %s chunk to %d devices campaign=%s' % (rng.choice(['apns', 'fcm']), rng.randint(900, 1000), rng.choice(['order_update', 'promo_nov', 'chat'])))]
    st_n = lambda_fn(sc, 'notifications-sender', lambda t: 100 * diurnal(t, 0.1, 1.0), notif, runtime='node', timeout=120, log_from=-2400,
                     throttle=lambda t, n: max(0, n - 56) if t >= chg else 0, conc_cap=lambda t: 100 if t >= chg else 10000)

    def score(t, rng):
        lines = [('INFO', 'scoring shard %d/64 model=churn-v7' % rng.randint(0, 63)), ('INFO', 'wrote %d scores' % rng.randint(9000, 12000))]
        if rng.random() < 0.1:
            lines.append(('WARNING', 'sklearn: X has feature names, but GradientBoostingClassifier was fitted without feature names'))
        return 'ok', rng.uniform(120000, 300000), lines
    st_s = lambda_fn(sc, 'ml-batch-scorer', lambda t: 6, score, timeout=900, memory=4096, mem_used=(2100, 2900))

    def proj(t, rng):
        return 'ok', rng.uniform(40, 120), [('INFO', 'c.s.o.OrderProjector - projected OrderPlaced seq=%d' % rng.randint(1, 9999999))]
    st_o = lambda_fn(sc, 'orders-projector', lambda t: 9, proj, runtime='java', memory=1536, mem_used=(400, 520))
    tot = {m: st_n['conc'][m] + st_s['conc'][m] + st_o['conc'][m] + 30 for m in MINUTES}
    unres = {m: (tot[m] - st_s['conc'][m]) if m < chg else min(100, tot[m] - st_s['conc'][m]) for m in MINUTES}
    account_conc(sc, tot, unres)
    sc.change(chg, 'lambda.amazonaws.com', 'PutFunctionConcurrency20171031', 'AWS::Lambda::Function', 'ml-batch-scorer', 'd.romano')
    sc.change(-9000, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'orders-projector', 'terraform-ci')
    sc.change(-7000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'notifications-sender', 'ci-deployer')
    sc.alarm('notifications-sender-throttles', 'AWS/Lambda', 'Throttles', {'FunctionName': 'notifications-sender'}, 20, chg + 240)
    sc.expect_('notifications-sender-throttles', 'config_change', ['ml-batch-scorer'],
               [{'namespace': 'AWS/Lambda', 'name': 'Throttles', 'dimensions': {'FunctionName': 'notifications-sender'}}])
    sc.meta = dict(front='front', decoys='notifications-sender deploy ~1.4 h before onset (no throttles until the concurrency change); orders-projector memory change 2.5 h earlier; constant sklearn WARNING in ml-batch-scorer',
                   story='d.romano set a reserved concurrency of 900 on ml-batch-scorer (PutFunctionConcurrency). The scorer itself only ever uses ~20-30, but the reservation leaves 100 of the 1000 account limit for everything else; UnreservedConcurrentExecutions pins at 100 and notifications-sender, which needs ~130-170 at this hour, is throttled from that minute. config_change on ml-batch-scorer (a config change beats plain throttling).')
    return sc


def s12_invoice_pdf_timeout():
    sc = Scn('h25-12-invoice-pdf-timeouts', 2512, 'us-west-2', 'Invoice PDFs not generated for month-end run; invoice-pdf Errors alarm.')
    onset = -2200
    lb, tg = 'app/internal-platform-alb/6c5b4a3928170f1e', 'targetgroup/billing-data-api-tg/7d6c5b4a39281706'
    sc.resource('lambda', 'invoice-pdf', runtime='nodejs20.x', timeout=60, memory_size=2048)
    sc.resource('lambda', 'nightly-ledger-export', runtime='python3.12', timeout=900, memory_size=1024)
    sc.resource('lambda', 'quote-service', runtime='python3.12', timeout=10, memory_size=512)
    sc.resource('alb', lb, name='internal-platform-alb', scheme='internal')
    sc.resource('ecs', 'platform/billing-data-api', launch_type='FARGATE', desired_count=4)

    def pdf(t, rng):
        big = t >= onset and rng.random() < 0.55
        pages = rng.randint(280, 520) if big else rng.randint(1, 12)
        inv = 'inv_%s' % hexid(rng, 10)
        lines = [('INFO', 'GET http://billing-data.platform.internal/v1/invoices/%s 200 %dms' % (inv, rng.randint(30, 90))),
                 ('INFO', 'rendering %s customer=%s pages=%d template=statement-v4' % (inv, 'cus_northwind_freight' if big else 'cus_%s' % hexid(rng, 6), pages))]
        if big:
            return 'timeout', 60000, lines + [('INFO', 'chromium: rendered %d/%d pages' % (rng.randint(120, 240), pages))]
        return 'ok', rng.uniform(1800, 5500), lines + [('INFO', 'uploaded s3://invoices-prod/2026/11/%s.pdf bytes=%d' % (inv, rng.randint(90000, 900000)))]
    lambda_fn(sc, 'invoice-pdf', lambda t: 12 if t < onset else 30, pdf, runtime='node', timeout=60, memory=2048, mem_used=(900, 1450))
    exp = lambda_fn(sc, 'nightly-ledger-export', lambda t: 2 if t < -2600 else 28,
                    lambda t, r: ('ok', r.uniform(780000, 880000), [('INFO', 'exported ledger partition %d rows=%d' % (r.randint(0, 4095), r.randint(100000, 300000)))]),
                    timeout=900, memory=1024, mem_used=(300, 500))
    lambda_fn(sc, 'quote-service', lambda t: 12 * diurnal(t), lambda t, r: ('ok', r.uniform(40, 140), [('INFO', 'quote q_%s priced' % hexid(r, 8))]) if r.random() > 0.02 else
              ('error', r.uniform(20, 40), [('ERROR', 'ValidationError: postcode "%s" is not valid for country AU' % r.choice(['0000', '99999', 'ABC']))]))
    account_conc(sc, {m: 180 + exp['conc'][m] + (20 if m < onset else 45) for m in MINUTES})
    tg_metrics(sc, lb, tg, req=lambda t: 2100 * diurnal(t) + (30 if t >= onset else 12), rt=0.045, t5xx=0.2, healthy=4)
    ecs_metrics(sc, 'platform', 'billing-data-api', cpu=lambda t: 23 * diurnal(t), mem=48, tasks=4)
    sc.change(-2400, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'quote-service', 'ci-deployer')
    sc.change(-19000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'invoice-pdf', 'ci-deployer')
    sc.alarm('invoice-pdf-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'invoice-pdf'}, 5, onset + 180)
    sc.expect_('invoice-pdf-errors', 'function_timeout', ['invoice-pdf'],
               [{'namespace': 'AWS/Lambda', 'name': 'Duration', 'dimensions': {'FunctionName': 'invoice-pdf'}}])
    sc.meta = dict(front='origin', decoys='account ConcurrentExecutions jumps 10 min before onset because nightly-ledger-export fans out (no throttles anywhere); quote-service deploy 3 min before onset; constant quote-service ValidationError; shared billing-data-api healthy',
                   story='The month-end run reached a large customer (northwind_freight) whose statements have 280-520 pages; each render hits the 60 s timeout ("Task timed out after 60.0x seconds") while the data fetch from the shared billing-data-api returns 200 in <100 ms and memory stays below the 2048 MB size. Account concurrency looks busy because another tenant\'s export fans out, but nothing is throttled. No change on invoice-pdf since 5 h ago. function_timeout on invoice-pdf.')
    return sc
