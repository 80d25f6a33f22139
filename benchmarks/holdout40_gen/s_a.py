"""Scenarios 01-04."""
import json
import random

from .common import (LOG_START, alarm, alb_metrics, apigw_rest_metrics, change, const, day, ec2_metrics,
                     ecs_metrics, events, every, expect, hx, ip, iso, lambda_invocations, lambda_metrics,
                     log, merge, ms, ramp, rds_metrics, res, rid, scenario, split_streams, step, ts)


def _spring(t, level, thread, logger, msg):
    return '%s.%s %5s 1 --- [%s] %-40s : %s' % (ts(t), ms(t), level, thread, logger, msg)


# ------------------------------------------------------------------ 01 ECS bad deployment, ALB alarm
def s01():
    r = random.Random(4001)
    reg, T0 = 'eu-west-1', -2400
    lb = 'app/ledger-public/3f9a1c2e7b6d5a40'
    svc = 'payments/ledger-api'
    req = lambda t: 880 * day(t, 0.2)
    err_share = lambda t: 0.0 if t < T0 else ramp(t, T0, T0 + 240, 0.0, 0.075)
    metrics = alb_metrics(r, lb, req, lambda t: 0.085 + (0.01 if t >= T0 else 0),
                          t5=lambda t: 0.4 + req(t) * err_share(t), healthy=const(6))
    metrics += ecs_metrics(r, 'payments', 'ledger-api', lambda t: 34 * day(t, 0.2),
                           lambda t: 52 if t < T0 - 120 else ramp(t, T0 - 120, T0 + 1800, 38, 47),
                           lambda t: 6 if not (T0 - 180 <= t < T0 + 120) else 8)
    metrics += ecs_metrics(r, 'payments', 'fx-quotes', const(22), const(41), const(3))
    metrics += rds_metrics(r, 'ledger-pg', lambda t: 27 * day(t, 0.2), const(118), const(312))
    old_v, new_v = 'ledger-api 4.17.3 (git 2be91d0)', 'ledger-api 4.18.0 (git 7c1e2fa)'

    def app(t, r):
        th = 'nio-8080-exec-%d' % r.randint(1, 64)
        u = r.random()
        if u < 0.06:   # pre-existing loud warning, same rate before and after
            return _spring(t, 'WARN', th, '.w.s.m.s.DefaultHandlerExceptionResolver',
                           "Resolved [org.springframework.web.HttpMediaTypeNotSupportedException: Content-Type 'text/plain;charset=UTF-8' is not supported]")
        if u < 0.45:
            return _spring(t, 'INFO', th, 'c.a.ledger.web.PostingController',
                           'POST /v1/postings accepted id=pst_%s ccy=%s amount=%.2f' % (hx(r, 10), r.choice(['EUR', 'EUR', 'GBP', 'USD', 'SEK']), r.uniform(5, 9000)))
        if t >= T0 and r.random() < 0.16:
            tid = hx(r, 16)
            return _spring(t, 'ERROR', th, 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
                           'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception '
                           '[Request processing failed: java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.scale()" '
                           'because the return value of "com.acme.ledger.model.Posting.getFxRate()" is null] with root cause\n'
                           'java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.scale()" because the return value of "com.acme.ledger.model.Posting.getFxRate()" is null\n'
                           '\tat com.acme.ledger.service.PostingService.normalize(PostingService.java:214)\n'
                           '\tat com.acme.ledger.service.PostingService.post(PostingService.java:131)\n'
                           '\tat com.acme.ledger.web.PostingController.create(PostingController.java:58)\n'
                           '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n'
                           '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)\n'
                           '\t... 48 common frames omitted traceId=%s' % tid)
        if u < 0.8:
            return _spring(t, 'INFO', th, 'c.a.ledger.web.BalanceController', 'GET /v1/accounts/acc_%s/balance 200 in %d ms' % (hx(r, 8), r.randint(6, 40)))
        return _spring(t, 'DEBUG' if r.random() < 0.3 else 'INFO', 'scheduling-1', 'c.a.ledger.jobs.OutboxRelay',
                       'relayed %d outbox events to ledger.postings.v1' % r.randint(0, 25))

    evs = events(r, lambda t: 60, app)
    evs += [[T0 - 160 + i * 20, _spring(T0 - 160 + i * 20, 'INFO', 'main', 'c.a.ledger.LedgerApiApplication',
                                        'Starting LedgerApiApplication v4.18.0 using Java 21.0.4 with PID 1')] for i in range(3)]
    evs += [[T0 - 150 + i * 20, _spring(T0 - 150 + i * 20, 'INFO', 'main', 'c.a.ledger.LedgerApiApplication',
                                        'Started LedgerApiApplication in 11.82 seconds (process running for 13.1) build=%s' % new_v)] for i in range(3)]
    evs += every(900, lambda t: _spring(t, 'INFO', 'main', 'c.a.ledger.BuildInfo', 'running %s' % (old_v if t < T0 - 160 else new_v)))
    logs = split_streams('/ecs/ledger-api', evs, [T0 - 160], r, namer=lambda r, t: 'ledger-api/ledger-api/%s' % hx(r, 32))
    fx = events(r, const(8), lambda t, r: _spring(t, 'INFO', 'http-nio-8080-exec-%d' % r.randint(1, 20), 'c.a.fx.QuoteController',
                                                  'quote EUR/%s mid=%.5f src=ecb age=%ds' % (r.choice(['USD', 'GBP', 'SEK', 'CHF']), r.uniform(0.8, 11.5), r.randint(1, 300))))
    logs.append(log('/ecs/fx-quotes', 'fx-quotes/fx-quotes/%s' % hx(r, 32), fx))
    changes = [change(-4210, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'fx-quotes:31', 'github-actions-deploy'),
               change(-4200, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'payments/fx-quotes', 'github-actions-deploy'),
               change(T0 - 260, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'ledger-api:88', 'github-actions-deploy'),
               change(T0 - 250, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', svc, 'github-actions-deploy')]
    alarms = [alarm('ledger-public-target-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb},
                    'Sum', 60, 5, 25, 'GreaterThanThreshold', T0 + 420, 'Ledger public API 5xx from targets')]
    resources = [res('ecs', svc, cluster='payments', service='ledger-api', launch_type='FARGATE', task_definition='ledger-api:88',
                     desired_count=6, cpu=1024, memory=2048, log_groups=['/ecs/ledger-api']),
                 res('ecs', 'payments/fx-quotes', cluster='payments', service='fx-quotes', launch_type='FARGATE',
                     task_definition='fx-quotes:31', desired_count=3, log_groups=['/ecs/fx-quotes']),
                 res('alb', lb, name='ledger-public', scheme='internet-facing', targets='ecs:payments/ledger-api'),
                 res('rds', 'ledger-pg', engine='postgres', engine_version='16.3', instance_class='db.r6g.large', max_connections=1600,
                     allocated_storage_gb=400)]
    exp = expect('ledger-public-target-5xx', 'bad_deployment', [svc, 'ledger-api', 'ledger-api:88'],
                 [('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb})])
    meta = dict(slug='ledger-5xx-task-definition-rollout', alarm_on='front (ALB in front of the ECS service)',
                decoys='fx-quotes ECS deploy 70 min earlier with healthy logs; pre-existing loud HttpMediaTypeNotSupported WARN at a constant rate',
                story='Spring Boot ledger-api on ECS Fargate was rolled to task definition ledger-api:88 (build 4.18.0) about 40 '
                      'minutes ago. Right after the new tasks start, a brand-new NullPointerException in PostingService.normalize '
                      '(getFxRate() returns null) appears on ~16 % of POST /v1/postings and the ALB target 5xx count climbs. CPU, '
                      'memory, the database and request volume are normal. A new error signature appearing only after an image '
                      'rollout is bad_deployment on the ECS service; the fx-quotes deploy an hour earlier is healthy and the '
                      'HttpMediaTypeNotSupported warning was just as frequent before.')
    return scenario('h40-01-ledger-5xx-task-definition-rollout', 'Ledger public API returning 5xx; ALB target 5xx alarm paged on-call.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 02 Lambda env config change, REST API alarm
def s02():
    r = random.Random(4002)
    reg, T0 = 'us-west-2', -1980
    fn, api = 'invoice-pdf-render', 'billing-api'
    inv = lambda t: 11 * day(t, 0.25)
    bad = lambda t: t >= T0 + 20
    metrics = lambda_metrics(r, fn, inv, err=lambda t: inv(t) * 0.97 if bad(t) else 0.02,
                             dur=lambda t: 240 if bad(t) else 1850, cap=30000)
    metrics += lambda_metrics(r, 'invoice-list', lambda t: 95 * day(t, 0.25), dur=const(85))
    metrics += lambda_metrics(r, 'billing-webhooks', const(6), err=const(0.05), dur=const(310))
    cnt = lambda t: (95 + 11 + 6) * day(t, 0.25)
    metrics += apigw_rest_metrics(r, api, cnt, const(1.5), lambda t: 0.05 + (inv(t) * 0.97 if bad(t) else 0),
                                  lambda t: 420 if not bad(t) else 150, lambda t: 400 if not bad(t) else 130)
    good_bucket, bad_bucket = 'acme-billing-invoice-templates-usw2', 'acme-billing-invoice-template-usw2'

    def body(t, q, r):
        inv_id = 'INV-%d' % r.randint(2600000, 2699999)
        pre = '%s\t%s\tINFO\t' % (iso(t + 0.01), q)
        if not bad(t):
            d = r.uniform(1300, 2600)
            return ([(0.01, pre + 'rendering %s template=standard-v7 lines=%d' % (inv_id, r.randint(1, 40))),
                     (d / 1000 - 0.05, '%s\t%s\tINFO\tuploaded s3://acme-billing-invoices-usw2/rendered/%s.pdf bytes=%d' % (iso(t + d / 1000), q, inv_id, r.randint(40000, 300000)))],
                    d, r.randint(310, 360), 'ok')
        d = r.uniform(150, 320)
        err = {'errorType': 'NoSuchBucket', 'errorMessage': 'The specified bucket does not exist',
               'Code': 'NoSuchBucket', 'BucketName': bad_bucket, '$fault': 'client',
               '$metadata': {'httpStatusCode': 404, 'requestId': hx(r, 16).upper(), 'attempts': 1},
               'stack': ['NoSuchBucket: The specified bucket does not exist',
                         '    at de_NoSuchBucketRes (/var/runtime/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:4808:21)',
                         '    at async loadTemplate (/var/task/src/templates.js:22:18)',
                         '    at async Runtime.handler (/var/task/src/index.js:31:20)']}
        return ([(0.01, pre + 'rendering %s template=standard-v7 lines=%d' % (inv_id, r.randint(1, 40))),
                 (d / 1000 - 0.02, '%s\t%s\tERROR\tInvoke Error \t%s' % (iso(t + d / 1000), q, json.dumps(err)))],
                d, r.randint(180, 230), 'error')

    evs = lambda_invocations(r, inv, body, 1024, 30)
    evs += [[T0 + 3 + i * 7.3, 'INIT_START Runtime Version: nodejs:20.v41\tRuntime Version ARN: arn:aws:lambda:us-west-2::runtime:4f2c%s' % hx(r, 40)]
            for i in range(4)]
    evs += [[T0 + 4 + i * 7.3, '%s\tundefined\tINFO\tconfig loaded {"templateBucket":"%s","outputBucket":"acme-billing-invoices-usw2","logLevel":"info"}' % (iso(T0 + 4 + i * 7.3), bad_bucket)]
            for i in range(4)]
    evs += [[LOG_START + 30, '%s\tundefined\tINFO\tconfig loaded {"templateBucket":"%s","outputBucket":"acme-billing-invoices-usw2","logLevel":"info"}' % (iso(LOG_START + 30), good_bucket)]]
    logs = split_streams('/aws/lambda/' + fn, evs, [T0], r)

    def lst(t, q, r):
        return ([(0.01, '%s\t%s\tINFO\tlisted %d invoices for cust_%s page=%d' % (iso(t), q, r.randint(0, 50), hx(r, 8), r.randint(1, 4)))],
                r.uniform(40, 130), 140, 'ok')
    logs += split_streams('/aws/lambda/invoice-list', lambda_invocations(r, const(5), lst, 256, 10), [], r)

    def wh(t, q, r):
        lines = [(0.01, '%s\t%s\tINFO\tstripe event %s type=%s' % (iso(t), q, 'evt_' + hx(r, 14), r.choice(['invoice.paid', 'charge.succeeded', 'customer.updated'])))]
        if r.random() < 0.03:   # pre-existing, steady
            lines.append((0.2, '%s\t%s\tWARN\tsignature timestamp outside tolerance, replay ignored' % (iso(t + 0.2), q)))
        return lines, r.uniform(200, 420), 180, 'ok'
    logs += split_streams('/aws/lambda/billing-webhooks', lambda_invocations(r, const(6), wh, 512, 15), [-2900], r)

    def acc(t, r):
        route = r.choice(['GET /invoices', 'GET /invoices', 'GET /invoices/{id}', 'GET /invoices/{id}/pdf'])
        st = 502 if (route.endswith('pdf') and bad(t)) else 200
        return json.dumps({'requestId': rid(r), 'ip': ip(r, '203.0'), 'requestTime': ts(t, '%d/%b/%Y:%H:%M:%S +0000'),
                           'routeKey': route, 'status': str(st), 'responseLength': str(r.randint(200, 9000)),
                           'integrationStatus': '200' if st == 200 else '200', 'integrationErrorMessage': '-' if st == 200 else 'Lambda function error'})
    logs.append(log('/aws/apigateway/billing-api/access', 'prod', events(r, const(10), acc)))
    changes = [change(-2900, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'billing-webhooks', 'gh-actions-billing'),
               change(-2890, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'billing-webhooks', 'gh-actions-billing'),
               change(T0 - 15, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', fn, 'terraform-billing-prod')]
    alarms = [alarm('billing-api-5xx', 'AWS/ApiGateway', '5XXError', {'ApiName': api}, 'Sum', 60, 3, 5, 'GreaterThanThreshold',
                    T0 + 230, 'Billing REST API server errors')]
    resources = [res('lambda', fn, runtime='nodejs20.x', timeout=30, memory_size=1024, handler='src/index.handler'),
                 res('lambda', 'invoice-list', runtime='nodejs20.x', timeout=10, memory_size=256),
                 res('lambda', 'billing-webhooks', runtime='nodejs20.x', timeout=15, memory_size=512),
                 res('apigateway', api, api_type='REST', stage='prod', integrations=['invoice-list', fn])]
    exp = expect('billing-api-5xx', 'config_change', [fn],
                 [('AWS/Lambda', 'Errors', {'FunctionName': fn}), ('AWS/ApiGateway', '5XXError', {'ApiName': api})])
    meta = dict(slug='billing-5xx-template-bucket-setting', alarm_on='front (REST API in front of the Lambda)',
                decoys='billing-webhooks code deploy ~15 min before onset with no new errors; steady webhook replay WARN',
                story='Terraform updated the configuration of invoice-pdf-render (UpdateFunctionConfiguration) 33 minutes ago. New '
                      'execution environments log "config loaded" with templateBucket=acme-billing-invoice-template-usw2 (the '
                      'bucket is really ...-templates-usw2) and every PDF render now fails with S3 NoSuchBucket naming that bucket; '
                      'the billing-api 5XXError alarm fires because the /invoices/{id}/pdf route returns 502. A configuration '
                      'change right before onset with errors naming the invalid setting is config_change on the function; the '
                      'billing-webhooks deploy is older, on another function, and error-free.')
    return scenario('h40-02-billing-5xx-template-bucket-setting', 'Billing API 5XXError alarm; customers cannot download invoice PDFs.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 03 Lambda AccessDenied after IAM change, origin alarm
def s03():
    r = random.Random(4003)
    reg, T0 = 'ap-southeast-2', -2980
    fn, acct = 'claims-doc-ingest', '481516234200'
    inv = lambda t: 10 * day(t, 0.3, 20000)
    bad = lambda t: t >= T0
    metrics = lambda_metrics(r, fn, inv, err=lambda t: inv(t) * 0.93 if bad(t) else 0.03, dur=lambda t: 380 if bad(t) else 4200, cap=60000)
    metrics += lambda_metrics(r, 'claims-notify', const(9), dur=const(260))
    metrics += rds_metrics(r, 'claims-pg', const(18), const(64), const(188))

    def body(t, q, r):
        clm = 'CLM-%d' % r.randint(80000, 99999)
        key = 'scans/%s/%s.pdf' % (ts(t, '%Y/%m/%d'), clm)
        L = [(0.005, '[INFO]\t%s\t%s\tprocessing s3://acme-claims-inbound-apse2/%s size=%d' % (iso(t), q, key, r.randint(90000, 4000000)))]
        if not bad(t) or r.random() < 0.07:
            d = r.uniform(2500, 6500)
            if r.random() < 0.12:   # pre-existing warning, constant rate
                L.append((d / 2000, '[WARNING]\t%s\t%s\tTextract confidence %.2f below 0.80 on page %d of %s, flagged for manual review' % (iso(t + d / 2000), q, r.uniform(0.5, 0.79), r.randint(1, 6), clm)))
            L.append((d / 1000 - 0.01, '[INFO]\t%s\t%s\tstored %s extraction (%d fields) claim_id=%s' % (iso(t + d / 1000), q, key, r.randint(12, 40), clm)))
            return L, d, r.randint(210, 260), 'ok'
        d = r.uniform(250, 520)
        L.append((d / 1000 - 0.01, "[ERROR] ClientError: An error occurred (AccessDenied) when calling the GetObject operation: User: "
                  "arn:aws:sts::%s:assumed-role/claims-doc-ingest-role/claims-doc-ingest is not authorized to perform: s3:GetObject on resource: "
                  "\"arn:aws:s3:::acme-claims-inbound-apse2/%s\" because no identity-based policy allows the s3:GetObject action\n"
                  "Traceback (most recent call last):\n  File \"/var/task/app.py\", line 44, in handler\n    body = s3.get_object(Bucket=bucket, Key=key)[\"Body\"].read()\n"
                  "  File \"/var/lang/lib/python3.12/site-packages/botocore/client.py\", line 1021, in _make_api_call\n    raise error_class(parsed_response, operation_name)" % (acct, key)))
        return L, d, r.randint(150, 180), 'error'
    logs = split_streams('/aws/lambda/' + fn, lambda_invocations(r, inv, body, 1024, 60), [-5100], r)

    def nb(t, q, r):
        return ([(0.01, '[INFO]\t%s\t%s\tsent claim status email template=%s to ***@%s' % (iso(t), q, r.choice(['received', 'assessing', 'approved']), r.choice(['gmail.com', 'outlook.com', 'bigpond.com'])))],
                r.uniform(180, 340), 120, 'ok')
    logs += split_streams('/aws/lambda/claims-notify', lambda_invocations(r, const(9), nb, 256, 15), [-2700], r)
    changes = [change(T0 - 40, 'iam.amazonaws.com', 'PutRolePolicy', 'AWS::IAM::Role', 'claims-doc-ingest-role', 'AWSReservedSSO_PlatformAdmin/alice.nguyen'),
               change(-2700, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'claims-notify', 'codepipeline-claims'),
               change(-12600, 'rds.amazonaws.com', 'CreateDBSnapshot', 'AWS::RDS::DBInstance', 'claims-pg', 'backup-automation')]
    alarms = [alarm('claims-doc-ingest-errors', 'AWS/Lambda', 'Errors', {'FunctionName': fn}, 'Sum', 60, 3, 3, 'GreaterThanThreshold',
                    T0 + 200, 'Claim document ingestion failures')]
    resources = [res('lambda', fn, runtime='python3.12', timeout=60, memory_size=1024, role='claims-doc-ingest-role'),
                 res('lambda', 'claims-notify', runtime='python3.12', timeout=15, memory_size=256, role='claims-notify-role'),
                 res('rds', 'claims-pg', engine='postgres', instance_class='db.t4g.large', max_connections=450, allocated_storage_gb=250)]
    exp = expect('claims-doc-ingest-errors', 'permission_denied', [fn, 'claims-doc-ingest-role'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': fn})])
    meta = dict(slug='claims-ingest-s3-access-denied', alarm_on='origin (the failing function)',
                decoys='claims-notify code deploy 5 min after the IAM edit (no errors there); pre-existing Textract low-confidence WARNINGs; old manual DB snapshot',
                story='An administrator rewrote the inline policy of claims-doc-ingest-role (PutRolePolicy) 50 minutes ago. '
                      'From that minute almost every invocation fails on s3:GetObject with "is not authorized to perform ... '
                      'because no identity-based policy allows the s3:GetObject action". The database and traffic are normal. '
                      'AccessDenied after an IAM change is permission_denied on the function (and its role). The claims-notify '
                      'deploy is another function with clean logs.')
    return scenario('h40-03-claims-ingest-s3-access-denied', 'claims-doc-ingest Errors alarm; scanned claim documents are not being processed.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 04 broker host failure, ALB alarm on the ECS service
def s04():
    r = random.Random(4004)
    reg, T0 = 'us-east-2', -1620
    lb, svc = 'app/order-intake-alb/8c2d4e6f1a3b5c79', 'fulfil/order-intake'
    mq, mqname, bastion = 'i-0c4f19a7be2d35e81', 'mq-broker-1', 'i-03a8d1f6c2b9e4d70'
    req = lambda t: 310 * day(t, 0.2)
    down = lambda t: t >= T0
    post_share = 0.55
    metrics = alb_metrics(r, lb, req, lambda t: 0.06 if not down(t) else 4.6,
                          t5=lambda t: 0.2 + (req(t) * post_share * 0.93 if down(t) else 0), healthy=const(4))
    metrics += ecs_metrics(r, 'fulfil', 'order-intake', lambda t: 21 if not down(t) else 14, const(37), const(4))
    metrics += ecs_metrics(r, 'fulfil', 'label-printer', const(12), const(30), const(2))
    metrics += ec2_metrics(r, mq, lambda t: None if t > T0 + 60 else 31 * day(t, 0.2), mem=lambda t: None if t > T0 + 60 else 58,
                           disk=lambda t: None if t > T0 + 60 else 34, status=lambda t: 1 if t >= T0 else 0,
                           net=lambda t: None if t > T0 + 60 else 9e6, sys_status=lambda t: 1 if t >= T0 else 0)
    metrics += ec2_metrics(r, bastion, lambda t: 2 if not (-9000 < t < -8400) else 88, mem=const(18))

    def zap(t, level, caller, msg, **kw):
        d = {'level': level, 'ts': iso(t), 'caller': caller, 'msg': msg}
        d.update(kw)
        return json.dumps(d)

    def app(t, r):
        u = r.random()
        oid = 'ord_' + hx(r, 12)
        if u < 0.05:   # pre-existing slow upstream warning, constant
            return zap(t, 'warn', 'addr/client.go:77', 'slow upstream address-validator', dur_ms=r.randint(900, 2400), upstream='addr-validator.vendor.example')
        if u < post_share:
            if not down(t):
                return zap(t, 'info', 'http/handler.go:142', 'request completed', method='POST', path='/v2/orders', status=201, dur_ms=r.randint(18, 90), order_id=oid)
            if r.random() < 0.5:
                return zap(t, 'error', 'publisher/amqp.go:88', 'publish failed', exchange='orders.created', order_id=oid,
                           error='dial tcp 10.20.4.17:5672: connect: connection timed out', broker='amqp://%s.internal:5672' % mqname)
            return zap(t, 'error', 'http/handler.go:160', 'request failed', method='POST', path='/v2/orders', status=503, dur_ms=r.randint(10000, 10040),
                       order_id=oid, error='publish order.created: amqp091: Exception (504) Reason: "channel/connection is not open"')
        return zap(t, 'info', 'http/handler.go:142', 'request completed', method='GET', path='/v2/orders/%s' % oid, status=200, dur_ms=r.randint(4, 30))
    evs = events(r, const(55), app)
    evs += [[T0 + 5 + i * 30, zap(T0 + 5 + i * 30, 'warn', 'publisher/conn.go:51', 'amqp reconnect attempt failed', attempt=i + 1,
                                   error='dial tcp 10.20.4.17:5672: connect: connection timed out', backoff_ms=min(30000, 500 * 2 ** i))] for i in range(50) if T0 + 5 + i * 30 < 0]
    logs = [log('/ecs/order-intake', 'order-intake/app/%s' % hx(r, 32), evs)]

    def rmq(t, r):
        return '%s.%s+00:00 [info] <0.%d.0> accepting AMQP connection <0.%d.0> (%s:%d -> 10.20.4.17:5672)' % (
            ts(t), ms(t) + '000', r.randint(100, 9999), r.randint(100, 9999), ip(r, '10.20'), r.randint(30000, 60000))
    mqev = events(r, const(3), rmq, end=T0)
    mqev += every(300, lambda t: '%s.000000+00:00 [info] <0.612.0> Free disk space is sufficient. Free bytes: 31881220096. Limit: 50000000' % ts(t), end=T0, start=LOG_START + 40)
    logs.append(log('/ec2/rabbitmq', mqname, mqev))
    lp = events(r, const(4), lambda t, r: '%s INFO printed label shipment=shp_%s carrier=%s' % (iso(t), hx(r, 10), r.choice(['UPS', 'FedEx', 'USPS'])))
    logs.append(log('/ecs/label-printer', 'label-printer/app/%s' % hx(r, 32), lp))
    changes = [change(-5400, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'fulfil/label-printer', 'argo-deployer'),
               change(-9100, 'ssm.amazonaws.com', 'StartSession', 'AWS::EC2::Instance', bastion, 'dev.jmartinez')]
    alarms = [alarm('order-intake-alb-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}, 'Sum', 60, 3, 10,
                    'GreaterThanThreshold', T0 + 240, 'Order intake API 5xx'),
              alarm('mq-broker-1-status-check', 'AWS/EC2', 'StatusCheckFailed', {'InstanceId': mq}, 'Maximum', 60, 2, 0,
                    'GreaterThanThreshold', T0 + 180, 'Broker instance status check')]
    resources = [res('ecs', svc, cluster='fulfil', service='order-intake', launch_type='FARGATE', desired_count=4, runtime='go1.22',
                     log_groups=['/ecs/order-intake']),
                 res('ecs', 'fulfil/label-printer', cluster='fulfil', service='label-printer', desired_count=2),
                 res('alb', lb, name='order-intake-alb', targets='ecs:fulfil/order-intake'),
                 res('ec2', mq, name=mqname, instance_type='r6i.large', private_ip='10.20.4.17', role='rabbitmq 3.13 broker',
                     log_groups=['/ec2/rabbitmq']),
                 res('ec2', bastion, name='bastion-1', instance_type='t3.micro')]
    exp = expect('order-intake-alb-5xx', 'dependency_failure', [mq, mqname],
                 [('AWS/EC2', 'StatusCheckFailed', {'InstanceId': mq}), ('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb})])
    meta = dict(slug='order-intake-5xx-broker-host-down', alarm_on='front (ALB of the calling ECS service)',
                decoys='label-printer ECS deploy 90 min earlier; old benign CPU spike on bastion-1 during an SSM session; steady slow address-validator WARN',
                story='The single RabbitMQ broker mq-broker-1 (EC2) failed its system status check 27 minutes ago; its metrics and '
                      'logs stop and no one changed anything. order-intake (Go, ECS) cannot publish order.created events: "dial tcp '
                      '10.20.4.17:5672: connect: connection timed out" and "channel/connection is not open", so POST /v2/orders '
                      'returns 503 after a 10 s timeout and the ALB 5xx alarm fires. The callers are healthy and the broker is not '
                      'exhausted but unreachable, so this is dependency_failure originating on the broker instance.')
    return scenario('h40-04-order-intake-5xx-broker-host-down', 'Order intake ALB 5xx alarm; new orders failing with 503.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)
