"""Scenarios 09-12."""
import json

from .common import rng_for, diurnal, ramp, alarm, change, scenario, expect, periodic, hexid, iso_ms, clock, LOG_START
from . import lam
from .svc import ecs_metrics, alb_metrics, stream, nginx, events, json_line, apigw_metrics


def s09():
    """Timeouts on statement-parser; version publish + retention edit; a partner began sending huge MT940 files."""
    rng = rng_for(3909)
    reg = 'eu-north-1'
    onset = -2160

    def handler(t, r, lg):
        huge = t > onset and r.random() < 0.5
        bank = 'nordbank' if huge else r.choice(['nordbank', 'sebank', 'finnpay', 'dansk-erhverv'])
        size = r.uniform(38, 46) if huge else r.uniform(0.2, 3.5)
        lines = int(size * 14600)
        lg.info('Parsing s3://statements-inbox/%s/2026-11-24/stmt-%s.mt940 (%.1f MB, %d lines)' % (bank, hexid(r, 8), size, lines))
        if r.random() < 0.06:
            lg.warn('Unknown subfield ?34 in :86: narrative, ignored (tag 86, line %d)' % r.randint(10, lines))
        if huge:
            for k, p in enumerate((150000, 300000, 450000)):
                lg.info('progress %s: %d/%d lines parsed, %d transactions' % (bank, p, lines, p // 4), dt=30.0 * (k + 1) + r.uniform(0, 5))
            return 0, 'timeout', r.randint(1300, 1700)
        d = size * r.uniform(2100, 2600) + r.uniform(200, 600)
        lg.info('Parsed %d transactions; wrote statements/%s/ledger-%s.json' % (lines // 4, bank, hexid(r, 6)), dt=d / 1000.0 - 0.02)
        return d, 'ok', r.randint(600, 1100)

    m1, l1 = lam.simulate(rng, 'statement-parser', 'java', 2048, 120, lambda t: 2.2 * diurnal(t), handler, region=reg,
                          logger='c.a.statements.Mt940Parser')

    def notify(t, r, lg):
        lg.info('notified %d subscribers of new statements' % r.randint(0, 30))
        return r.uniform(60, 180), 'ok', r.randint(70, 90)

    m2, l2 = lam.simulate(rng, 'statement-notify', 'java', 512, 30, lambda t: 3, notify, region=reg, breaks=[-8600],
                          logger='c.a.statements.Notifier')
    resources = [lam.resource('statement-parser', 'java', 2048, 120), lam.resource('statement-notify', 'java', 512, 30)]
    alarms = [alarm('statement-parser-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'statement-parser'}, 'Sum', 300, 2, 1,
                    'GreaterThanThreshold', onset + 600, 'Statement parser errors (includes timeouts)')]
    changes = [change(onset - 240, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'statement-parser', 'release-bot'),
               change(onset - 200, 'logs.amazonaws.com', 'PutRetentionPolicy', 'AWS::Logs::LogGroup', '/aws/lambda/statement-parser', 'platform-admin'),
               change(-8600, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'statement-notify', 'ci-deployer')]
    exp = expect('statement-parser-errors', 'function_timeout', ['statement-parser'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 'statement-parser'}), ('AWS/Lambda', 'Duration', {'FunctionName': 'statement-parser'})])
    doc = scenario('h39-09-statement-parser-timeouts-large-files', 'Bank statement ingestion failing; Errors alarm on the parser.',
                   reg, resources, m1 + m2, l1 + l2, alarms, changes, exp)
    meta = dict(file='h39-09-statement-parser-timeouts-large-files.yaml', region=reg, alarm='statement-parser-errors',
                category='function_timeout', resources='statement-parser', front='origin',
                decoys='PublishVersion (no alias move) and log retention change on statement-parser 3-4 min before onset; statement-notify deploy 2.4 h earlier; steady unknown-subfield WARN',
                story="From -36 min about half of statement-parser invocations end with `Task timed out after 120.00 seconds` (REPORT Duration "
                      "~120000 ms, Status: timeout). Each failing invocation is a ~40 MB nordbank MT940 file whose progress lines show steady "
                      "parsing (150k/300k/450k lines) and no error from S3 or any other dependency; normal files still finish in seconds. The "
                      "version publish (no alias move, invocations stay on $LATEST) and the log retention edit are harmless. The function simply "
                      "runs into its configured timeout on new, larger input: function_timeout on statement-parser.")
    return doc, meta


def s10():
    """Latency/5xx on shop web; scheduled scale-out on the service; push campaign quintuples traffic."""
    rng = rng_for(3910)
    reg = 'ap-northeast-1'
    onset = -1800
    lb = 'app/shop-web-alb/0c9a7e5d3b1f2468'
    s = lambda t: ramp(t, onset - 60, onset + 180) * (1 - 0.3 * ramp(t, -600, 0))
    req = lambda t: 950 * diurnal(t, 0.2) * (1 + 4.2 * s(t)) + rng.gauss(0, 30)
    m = alb_metrics(lb, req, lambda t: 0.085 + rng.gauss(0, 0.008) + 1.4 * s(t) + rng.gauss(0, 0.1) * s(t),
                    lambda t: rng.choice([0, 0, 1]) + 0.03 * req(t) * s(t), lambda t: rng.randint(0, 30) * s(t),
                    lambda t: 4 if t < -2100 else 6, lambda t: 0.0, reg)
    m += ecs_metrics('shop', 'web', lambda t: 38 * diurnal(t, 0.2) * (1 if t < -2100 else 0.7) + 40 * s(t) + rng.gauss(0, 3),
                     lambda t: 52 + rng.gauss(0, 1.5) + 6 * s(t), reg, running=lambda t: 4 if t < -2100 else 6)
    m += ecs_metrics('shop', 'admin', lambda t: 9 + rng.gauss(0, 1), lambda t: 33 + rng.gauss(0, 1), reg)
    paths = ['/', '/products/%d', '/cart', '/search?q=coat', '/sale']

    def acc(t):
        camp = s(t) > 0.3 and rng.random() < 0.8
        p = rng.choice(paths)
        if '%d' in p:
            p = p % rng.randint(1000, 9999)
        if camp:
            p = '/sale?utm_source=app_push&utm_campaign=winter_flash_2611'
        rt = rng.uniform(0.02, 0.15) + s(t) * rng.uniform(0.6, 3.0)
        st = 503 if rng.random() < 0.03 * s(t) else 200
        return nginx(rng, t, '172.16.%d.%d' % (rng.randint(0, 15), rng.randint(2, 250)), 'GET', p, st, rng.randint(800, 40000), rt,
                     ua=rng.choice(['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)', 'ShopApp/7.12.0 (Android 15)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)']))
    ev = events(rng, LOG_START, 0, lambda t: 18 * (1 + 4.2 * s(t)), acc)
    app = periodic(rng, LOG_START, 0, 60, lambda t: json_line(t, 'info', 'event loop lag', lag_ms=rng.randint(2, 12) + int(180 * s(t)),
                   inflight=rng.randint(10, 40) + int(420 * s(t)), service='shop-web'))
    app += periodic(rng, onset + 120, 0, 25, lambda t: json_line(t, 'warn', 'request queue above high-water mark, shedding with 503',
                    queued=rng.randint(101, 260), high_water=100, service='shop-web'))
    app += periodic(rng, LOG_START, 0, 400, lambda t: json_line(t, 'error', 'recommendations widget fallback: upstream returned empty set',
                    service='shop-web'))
    logs = [stream('/ecs/shop/web', 'web/nginx/%s' % hexid(rng), ev, reg), stream('/ecs/shop/web-app', 'web/app/%s' % hexid(rng), app, reg)]
    resources = [{'type': 'alb', 'id': lb, 'properties': {'name': 'shop-web-alb'}},
                 {'type': 'ecs', 'id': 'shop/web', 'properties': {'launch_type': 'FARGATE', 'cpu': 2048, 'memory': 4096, 'desired_count': 6}},
                 {'type': 'ecs', 'id': 'shop/admin', 'properties': {'launch_type': 'FARGATE', 'desired_count': 1}}]
    alarms = [alarm('shop-web-latency', 'AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb}, 'Average', 60, 3, 0.75,
                    'GreaterThanThreshold', onset + 240, 'Shop web latency above 750 ms')]
    changes = [change(-2100, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'shop/web', 'AWSServiceRoleForApplicationAutoScaling_ECSService'),
               change(-7000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'shop/admin', 'github-actions-deploy'),
               change(-7010, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'admin:77', 'github-actions-deploy')]
    exp = expect('shop-web-latency', 'traffic_surge', ['shop-web-alb', lb, 'shop/web', 'web'],
                 [('AWS/ApplicationELB', 'RequestCount', {'LoadBalancer': lb}), ('AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb})])
    doc = scenario('h39-10-shop-latency-push-campaign', 'Shop pages slow and some 503s; latency alarm.', reg, resources, m, logs, alarms, changes, exp)
    meta = dict(file='h39-10-shop-latency-push-campaign.yaml', region=reg, alarm='shop-web-latency', category='traffic_surge',
                resources='shop-web-alb, %s, shop/web, web' % lb, front='origin (ALB/service receiving the surge)',
                decoys='scheduled scale-out of shop/web 4->6 tasks 5 min before onset; shop/admin deploy 1.9 h earlier; steady recommendations fallback ERROR',
                story="RequestCount on shop-web-alb goes from ~950 to ~5000 per minute at -30 min; the access log is dominated by "
                      "`/sale?utm_source=app_push&utm_campaign=winter_flash_2611` from the mobile app. TargetResponseTime follows to ~1.5 s and "
                      "the app starts shedding with 503 above its queue high-water mark. ECS CPU rises to ~70 % but is not pinned, no dependency "
                      "errors appear, and nothing was deployed to shop/web. The scheduled scale-out five minutes earlier added capacity; it cannot "
                      "cause slowness. traffic_surge at the shop web entry point.")
    return doc, meta


def s11():
    """Change IS the cause: refund-processor deploy + alias move introduces a NullReferenceException."""
    rng = rng_for(3911)
    reg = 'ca-central-1'
    dep = -2000

    def handler(t, r, lg):
        rf = 'rf_%s' % hexid(r, 10)
        amount = r.uniform(5, 900)
        lg.info('Processing refund %s order=ord_%08d amount=%.2f CAD' % (rf, r.randint(1, 10 ** 8), amount))
        if r.random() < 0.04:
            lg.warn('Payment gateway returned X-Sandbox header on production call; ignoring')
        if t > dep + 40 and r.random() < 0.32:
            lg.raw('%s\t%s\tfail\tSystem.NullReferenceException: Object reference not set to an instance of an object.\n'
                   '   at Acme.Refunds.Policy.RefundPolicyEvaluator.Evaluate(RefundRequest request, Order order) in /src/Acme.Refunds/Policy/RefundPolicyEvaluator.cs:line 57\n'
                   '   at Acme.Refunds.Function.HandleAsync(SQSEvent evt, ILambdaContext context) in /src/Acme.Refunds/Function.cs:line 88\n'
                   '   at lambda_method1(Closure, Stream, ILambdaContext, Stream)' % (iso_ms(t + 0.05), lg.rid), dt=0.05)
            return r.uniform(60, 140), 'error', r.randint(120, 150)
        lg.info('Refund %s approved by policy %s; gateway ref %s' % (rf, r.choice(['standard-30d', 'vip-90d', 'partial-damaged']), hexid(r, 12)), dt=0.2)
        return r.uniform(220, 480), 'ok', r.randint(120, 150)

    m1, l1 = lam.simulate(rng, 'refund-processor', 'dotnet', 1024, 30, lambda t: 12 * diurnal(t), handler, region=reg,
                          breaks=[dep + 40], versions=['41', '42'])

    def led(t, r, lg):
        lg.info('ledger export chunk written rows=%d' % r.randint(100, 5000))
        return r.uniform(300, 900), 'ok', r.randint(140, 170)

    m2, l2 = lam.simulate(rng, 'ledger-export', 'dotnet', 512, 60, lambda t: 2, led, region=reg)
    resources = [lam.resource('refund-processor', 'dotnet', 1024, 30, alias='live'), lam.resource('ledger-export', 'dotnet', 512, 60)]
    alarms = [alarm('refund-processor-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'refund-processor'}, 'Sum', 60, 3, 2,
                    'GreaterThanThreshold', dep + 330, 'Refund processor errors')]
    changes = [change(dep - 30, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'refund-processor', 'ci-deployer'),
               change(dep - 10, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'refund-processor', 'ci-deployer'),
               change(dep, 'lambda.amazonaws.com', 'UpdateAlias20150331', 'AWS::Lambda::Function', 'refund-processor', 'ci-deployer'),
               change(-2600, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'ledger-export', 'release-bot'),
               change(-11000, 'lambda.amazonaws.com', 'TagResource20170331v2', 'AWS::Lambda::Function', 'refund-processor', 'tag-compliance-bot')]
    exp = expect('refund-processor-errors', 'bad_deployment', ['refund-processor'], [('AWS/Lambda', 'Errors', {'FunctionName': 'refund-processor'})])
    doc = scenario('h39-11-refund-processor-bad-release', 'Refunds failing after lunch; Errors alarm.', reg, resources, m1 + m2, l1 + l2,
                   alarms, changes, exp)
    meta = dict(file='h39-11-refund-processor-bad-release.yaml', region=reg, alarm='refund-processor-errors', category='bad_deployment',
                resources='refund-processor', front='origin (change on the alarmed function is the cause)',
                decoys='PublishVersion on ledger-export without alias move 10 min before; old tag edit on refund-processor; steady sandbox-header WARN',
                story="ci-deployer updates refund-processor's code, publishes version 42 and moves the `live` alias at -33 min. The log "
                      "stream switches from Version 41 to Version 42 and a new signature appears: System.NullReferenceException in "
                      "RefundPolicyEvaluator.Evaluate on about a third of refunds. No configuration, dependency or capacity problem is visible; "
                      "the ledger-export publish did not move any alias and that function is fine. bad_deployment on refund-processor.")
    return doc, meta


def s12():
    """Errors on webhook-ingest; a LOG_LEVEL change 25 min earlier; a partner began sending a new event type."""
    rng = rng_for(3912)
    reg = 'eu-west-3'
    cfg, onset = -3000, -1500

    def handler(t, r, lg):
        partial = t > onset and r.random() < 0.3
        et = 'order.partially_refunded' if partial else r.choice(['order.created', 'order.paid', 'order.shipped', 'order.refunded'])
        src = 'shopwave' if partial or r.random() < 0.4 else r.choice(['tictail', 'marketo-shop'])
        lg.info('received webhook source=%s type=%s id=evt_%s' % (src, et, hexid(r, 14)))
        if t > cfg + 30:
            lg.debug('signature verified (hmac-sha256) key_id=%s-2025' % src)
            lg.debug('payload bytes=%d headers=%d' % (r.randint(400, 6000), r.randint(8, 14)))
        if partial:
            lg.raw('Error raised from handler method\n' + json.dumps({
                'errorMessage': "undefined method `[]' for nil", 'errorType': 'Function<NoMethodError>',
                'stackTrace': ["/var/task/lib/webhooks/handlers/refund.rb:42:in `line_items_total'",
                               "/var/task/lib/webhooks/handlers/refund.rb:18:in `call'",
                               "/var/task/lib/webhooks/router.rb:31:in `dispatch'", "/var/task/app.rb:12:in `handler'"]}), dt=0.03)
            return r.uniform(20, 45), 'error', r.randint(70, 80)
        if r.random() < 0.05:
            lg.warn('duplicate delivery id=evt_%s ignored' % hexid(r, 14))
        lg.info('enqueued %s to webhook-events' % et, dt=0.04)
        return r.uniform(35, 90), 'ok', r.randint(70, 85)

    m1, l1 = lam.simulate(rng, 'webhook-ingest', 'ruby', 256, 15, lambda t: 22 * diurnal(t), handler, region=reg, breaks=[cfg + 30])
    for lg in l1:
        if lg['stream'] != l1[0]['stream']:
            lg['events'].append([cfg + 30.5, 'I, [%s #8]  INFO -- : logger level set to DEBUG from LOG_LEVEL' % clock(cfg + 30.5).strftime('%Y-%m-%dT%H:%M:%S.%f')])

    def retry(t, r, lg):
        lg.info('redelivered %d failed webhooks' % r.randint(0, 3))
        return r.uniform(40, 120), 'ok', r.randint(60, 70)

    m2, l2 = lam.simulate(rng, 'webhook-retry', 'ruby', 256, 60, lambda t: 1, retry, region=reg, breaks=[-8000])
    resources = [lam.resource('webhook-ingest', 'ruby', 256, 15), lam.resource('webhook-retry', 'ruby', 256, 60)]
    alarms = [alarm('webhook-ingest-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'webhook-ingest'}, 'Sum', 60, 3, 3,
                    'GreaterThanThreshold', onset + 200, 'Webhook ingest errors')]
    changes = [change(cfg, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'webhook-ingest', 'mkowalski'),
               change(-8000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'webhook-retry', 'ci-deployer')]
    exp = expect('webhook-ingest-errors', 'application_error', ['webhook-ingest'], [('AWS/Lambda', 'Errors', {'FunctionName': 'webhook-ingest'})])
    doc = scenario('h39-12-webhook-ingest-new-event-type', 'Webhook ingestion errors; partner reports missing refunds.', reg, resources,
                   m1 + m2, l1 + l2, alarms, changes, exp)
    meta = dict(file='h39-12-webhook-ingest-new-event-type.yaml', region=reg, alarm='webhook-ingest-errors', category='application_error',
                resources='webhook-ingest', front='origin',
                decoys='UpdateFunctionConfiguration (LOG_LEVEL=DEBUG) on webhook-ingest 25 min before onset; webhook-retry deploy 2.2 h earlier; steady duplicate-delivery WARN',
                story="webhook-ingest starts raising `NoMethodError: undefined method '[]' for nil` in refund.rb:42 at -25 min, only for "
                      "`order.partially_refunded` events from shopwave, a type it never received before. The configuration update 25 min "
                      "earlier only switched logging to DEBUG: the new containers log `logger level set to DEBUG`, emit extra DEBUG lines, "
                      "and processed every event successfully for 25 minutes. There is no deploy, no dependency error and no resource limit. "
                      "An unhandled exception on a code path hit by new input: application_error on webhook-ingest.")
    return doc, meta
