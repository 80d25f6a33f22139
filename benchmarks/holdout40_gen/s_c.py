"""Scenarios 09-12."""
import json
import random

from .common import (LOG_START, epoch_ms, alarm, alb_metrics, change, const, day, ec2_metrics, ecs_metrics, events, every, expect,
                     hx, ip, iso, lambda_invocations, lambda_metrics, log, metric, ms, ramp, rds_metrics, res, rid,
                     scenario, series, split_streams, step, ts)


# ------------------------------------------------------------------ 09 SQS consumer capped by reserved concurrency
def s09():
    r = random.Random(4009)
    reg, T0 = 'sa-east-1', -2700
    fn, q = 'ledger-projector', 'ledger-events'
    dur_s = 9.0
    cap_inv = 10 * 60 / dur_s                               # 66.7 batches/min at reserved concurrency 10
    arr = lambda t: 380 * day(t, 0.1) if t < T0 else 820   # messages/min
    inv = lambda t: min(arr(t) / 10.0, cap_inv)
    backlog = lambda t: 0 if t < T0 else max(0.0, (t - T0) / 60.0 * (820 - cap_inv * 10))
    metrics = lambda_metrics(r, fn, inv, thr=lambda t: 0 if t < T0 + 60 else 95, dur=const(dur_s * 1000),
                             conc=lambda t: min(10, inv(t) * dur_s / 60.0))
    metrics[-1]['points'] = [[t, min(10.0, v)] for t, v in metrics[-1]['points']]
    metrics += lambda_metrics(r, 'ledger-api-authorizer', lambda t: 260 * day(t, 0.2), dur=const(12))
    d = {'QueueName': q}
    metrics += [metric('AWS/SQS', 'NumberOfMessagesSent', d, 'Count', series(r, arr, count=True)),
                metric('AWS/SQS', 'NumberOfMessagesReceived', d, 'Count', series(r, lambda t: inv(t) * 10, count=True)),
                metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', d, 'Count', series(r, lambda t: 3 + backlog(t), noise=0.02, nd=0)),
                metric('AWS/SQS', 'ApproximateAgeOfOldestMessage', d, 'Seconds',
                       series(r, lambda t: 4 + backlog(t) / (cap_inv * 10) * 60, noise=0.03, nd=0))]

    def body(t, qid, r):
        lag = int((4 + backlog(t) / (cap_inv * 10) * 60) * 1000)
        st = lambda dt: '%s [main] ' % (ts(t + dt) + '.' + ms(t + dt))
        L = [(0.2, st(0.2) + 'INFO  com.acme.ledger.projector.Handler - received batch size=10 source=%s' % q)]
        if r.random() < 0.15:   # constant pre-existing noise
            L.append((1.0, st(1.0) + 'WARN  com.acme.ledger.projector.Idempotency - skipping duplicate event id=evt_%s (key seen %d s ago)' % (hx(r, 12), r.randint(2, 90))))
        L.append((dur_s - 0.3, st(dur_s - 0.3) + 'INFO  com.acme.ledger.projector.Handler - projected 10 events into balances_v2 accounts=%d max_event_age_ms=%d' % (r.randint(6, 10), lag + r.randint(0, 4000))))
        return L, dur_s * 1000 * r.uniform(0.9, 1.1), r.randint(410, 470), 'ok'
    evs = lambda_invocations(r, inv, body, 1024, 120, start=-5400)
    evs += [[-5399, 'INIT_START Runtime Version: java:21.v19\tRuntime Version ARN: arn:aws:lambda:sa-east-1::runtime:%s' % hx(r, 64)]]
    logs = split_streams('/aws/lambda/' + fn, evs, [T0 + 30, -1200], r)

    def au(t, qid, r):
        return [(0.002, '{"level":"INFO","requestId":"%s","msg":"authorized","principal":"svc_%s","scope":"ledger:read"}' % (qid, hx(r, 6)))], r.uniform(6, 20), 88, 'ok'
    logs += split_streams('/aws/lambda/ledger-api-authorizer', lambda_invocations(r, const(8), au, 256, 3, start=-5400), [-3500], r)
    changes = [change(-3520, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'ledger-api-authorizer', 'jenkins-ledger'),
               change(-3500, 'lambda.amazonaws.com', 'UpdateAlias20150331', 'AWS::Lambda::Function', 'ledger-api-authorizer', 'jenkins-ledger')]
    alarms = [alarm('ledger-events-oldest-message-age', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', {'QueueName': q}, 'Maximum', 60, 3, 300,
                    'GreaterThanThreshold', -1100, 'Ledger projection lag')]
    resources = [res('lambda', fn, runtime='java21', timeout=120, memory_size=1024, reserved_concurrency=10,
                     event_source='sqs:ledger-events', batch_size=10),
                 res('lambda', 'ledger-api-authorizer', runtime='nodejs20.x', timeout=3, memory_size=256)]
    exp = expect('ledger-events-oldest-message-age', 'throttling', [fn],
                 [('AWS/Lambda', 'Throttles', {'FunctionName': fn}), ('AWS/SQS', 'ApproximateAgeOfOldestMessage', {'QueueName': q})])
    meta = dict(slug='ledger-queue-age-projector-concurrency-cap', alarm_on='victim (SQS queue age, upstream of the throttled consumer)',
                decoys='ledger-api-authorizer deploy + alias shift 13 min before onset; constant duplicate-event WARN in the projector',
                story='At month-end close the ledger-events queue started receiving ~820 messages/min instead of ~380. The SQS '
                      'consumer ledger-projector has reserved concurrency 10 and 9 s batches, so it tops out at ~670 messages/min: '
                      'ConcurrentExecutions is flat at 10, Throttles jumped from 0 to ~95/min, Errors stay at 0 and per-batch '
                      'duration is unchanged, and the backlog and oldest-message age grow until the queue-age alarm fires. The '
                      'fault is the consumer hitting its concurrency limit (throttling on ledger-projector); the volume increase is '
                      'a routine ~2x month-end peak that the limit was not sized for, and nothing else is broken. The '
                      'authorizer deploy is unrelated.')
    return scenario('h40-09-ledger-queue-age-projector-concurrency-cap', 'SQS oldest-message-age alarm on ledger-events; balances lagging.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 10 Lambda hits its timeout on large accounts
def s10():
    r = random.Random(4010)
    reg, T0 = 'ca-central-1', -1800
    fn = 'statement-generator'
    inv = lambda t: 9 * day(t, 0.1)
    big = lambda t: t >= T0
    share = 0.45
    metrics = lambda_metrics(r, fn, inv, err=lambda t: inv(t) * share + 0.15 if big(t) else 0.15,
                             dur=lambda t: 11000 if not big(t) else 11000 * (1 - share) + 60000 * share, cap=60000)
    metrics += lambda_metrics(r, 'statement-dispatch', const(9), dur=const(420))
    metrics += rds_metrics(r, 'statements-pg', lambda t: 22 * day(t, 0.1), const(38), const(740))

    def body(t, q, r):
        acct = 'ACC-%07d' % r.randint(0, 9999999)
        P = lambda dt, lvl, msg: (dt, '[%s]\t%s\t%s\t%s' % (lvl, iso(t + dt), q, msg))
        large = big(t) and r.random() < share + 0.05
        txns = r.randint(30000, 90000) if large else r.randint(40, 900)
        L = [P(0.01, 'INFO', 'statement job acct=%s period=2026-Q1 segment=%s' % (acct, 'business' if large else 'retail')),
             P(0.35, 'INFO', 'fetched %d transactions in %d ms' % (txns, r.randint(120, 480)))]
        if r.random() < 0.05:   # long-standing, constant
            L.append(P(0.4, 'ERROR', 'FX rate for XAF unavailable from rates service cache, using previous close 0.002213'))
        if large:
            for i in range(1, 6):
                L.append(P(i * 11.0, 'INFO', 'rendering acct=%s page %d/%d' % (acct, i * 60, txns // 40)))
            return L, 60000, r.randint(880, 990), 'timeout'
        d = r.uniform(6000, 16000)
        L.append(P(d / 1000 - 0.2, 'INFO', 'wrote s3://acme-statements-cac1/2026-Q1/%s.pdf pages=%d' % (acct, max(1, txns // 40))))
        return L, d, r.randint(300, 420), 'ok'
    logs = split_streams('/aws/lambda/' + fn, lambda_invocations(r, inv, body, 1024, 60), [-4000], r)

    def dsp(t, q, r):
        return [(0.01, '[INFO]\t%s\t%s\tqueued statement email acct=ACC-%07d configuration_set=statements-v2' % (iso(t), q, r.randint(0, 9999999)))], r.uniform(300, 500), 110, 'ok'
    logs += split_streams('/aws/lambda/statement-dispatch', lambda_invocations(r, const(5), dsp, 256, 30), [-2400], r)
    pgl = every(300, lambda t: '%s UTC::@:[388]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 2 recycled; write=%.3f s' % (ts(t), r.randint(900, 2200), r.uniform(0.5, 1.6), r.uniform(80, 120)))
    logs.append(log('/aws/rds/instance/statements-pg/postgresql', 'statements-pg.0', pgl))
    changes = [change(-2400, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'statement-dispatch', 'cdk-statements'),
               change(-1830, 'states.amazonaws.com', 'StartExecution', 'AWS::StepFunctions::StateMachine', 'quarterly-statements', 'eventbridge-scheduler')]
    alarms = [alarm('statement-generator-errors', 'AWS/Lambda', 'Errors', {'FunctionName': fn}, 'Sum', 300, 1, 5, 'GreaterThanThreshold',
                    T0 + 420, 'Statement generation failures')]
    resources = [res('lambda', fn, runtime='python3.12', timeout=60, memory_size=1024),
                 res('lambda', 'statement-dispatch', runtime='python3.12', timeout=30, memory_size=256),
                 res('rds', 'statements-pg', engine='postgres', instance_class='db.r6g.xlarge', max_connections=1700, allocated_storage_gb=2000)]
    exp = expect('statement-generator-errors', 'function_timeout', [fn], [('AWS/Lambda', 'Duration', {'FunctionName': fn})])
    meta = dict(slug='statements-errors-render-timeout', alarm_on='origin (the function Errors metric)',
                decoys='statement-dispatch configuration update 10 min before onset (healthy); the scheduled quarterly StartExecution itself; constant XAF FX-rate ERROR line',
                story='The quarterly statement run began 30 minutes ago and now includes business accounts with 30-90k '
                      'transactions. Their invocations fetch the data quickly (120-480 ms, database flat and healthy) and then '
                      'spend the whole 60 s rendering pages until "Task timed out after 60.0x seconds"; Duration sits at the '
                      '60000 ms ceiling and Errors equals the timed-out invocations. Invocation volume is normal. No dependency '
                      'errors, no change to this function: function_timeout on statement-generator. The statement-dispatch '
                      'config change and the long-standing XAF ERROR line are unrelated.')
    return scenario('h40-10-statements-errors-render-timeout', 'statement-generator Errors alarm during the quarterly statement run.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 11 on-sale traffic surge behind an ALB
def s11():
    r = random.Random(4011)
    reg, T0 = 'ap-southeast-1', -1500
    lb, svc = 'app/tix-onsale/1f4b7c2d9e3a6b80', 'tix/onsale-web'
    surge = lambda t: t >= T0
    req = lambda t: 1900 * day(t, 0.25) if not surge(t) else ramp(t, T0, T0 + 120, 1900, 15200) * (1 - 0.25 * min(1, (t - T0) / 1500.0))
    tasks = lambda t: 12 if t < T0 + 240 else (18 if t < T0 + 480 else 24)
    cpu = lambda t: 31 * day(t, 0.25) if not surge(t) else min(79, req(t) / tasks(t) * 0.09)
    rt = lambda t: 0.11 if not surge(t) else (1.9 if t < T0 + 480 else 1.25)
    metrics = alb_metrics(r, lb, req, rt, t5=lambda t: 0.5 + (req(t) * 0.004 if surge(t) else 0),
                          e5=lambda t: 0.1 + (req(t) * 0.009 if surge(t) else 0), healthy=tasks)
    metrics += ecs_metrics(r, 'tix', 'onsale-web', cpu, lambda t: 41 if not surge(t) else 55, tasks)
    metrics += rds_metrics(r, 'tix-aurora-pg-1', lambda t: 19 if not surge(t) else 52, lambda t: 240 if not surge(t) else 610,
                           const(0), max_conn=5000)[:2]
    metrics += lambda_metrics(r, 'tix-email-confirm', lambda t: 20 if not surge(t) else 95, dur=const(380))
    ev = 'ev_7Hq2ZKx9'

    def pino(t, r):
        lvl, url = 30, r.choice(['/events/%s' % ev, '/events/%s/seats?section=%s' % (ev, r.choice('ABCDEFGH')), '/queue/status', '/api/cart'])
        if surge(t):
            url += ('&' if '?' in url else '?') + 'utm_source=push&utm_campaign=onsale_blackpink_sg'
        u = r.random()
        if u < 0.03:   # pre-existing, constant
            return json.dumps({'level': 40, 'time': epoch_ms(t), 'pid': 1, 'hostname': 'ip-10-60-%d-%d' % (r.randint(1, 9), r.randint(2, 250)),
                               'msg': 'seatmap cache stale, refreshing', 'venue': 'sg-national-stadium', 'ageMs': r.randint(30000, 90000)})
        if surge(t) and u < 0.06:
            return json.dumps({'level': 40, 'time': epoch_ms(t), 'pid': 1, 'msg': 'event loop lag high', 'lagMs': r.randint(150, 600)})
        if surge(t) and u < 0.075:
            return json.dumps({'level': 50, 'time': epoch_ms(t), 'pid': 1, 'msg': 'request aborted by client', 'url': url, 'responseTime': r.randint(20000, 30000)})
        st = 200
        rtms = int(rt(t) * 1000 * r.uniform(0.4, 1.6))
        return json.dumps({'level': lvl, 'time': epoch_ms(t), 'pid': 1, 'hostname': 'ip-10-60-%d-%d' % (r.randint(1, 9), r.randint(2, 250)),
                           'reqId': 'req-%s' % hx(r, 6), 'req': {'method': 'GET', 'url': url}, 'res': {'statusCode': st}, 'responseTime': rtms,
                           'msg': 'request completed'})
    evs = events(r, lambda t: 20 if not surge(t) else 60, pino)
    evs += [[-7190, json.dumps({'level': 30, 'time': epoch_ms(-7190), 'pid': 1, 'msg': 'access log sampling enabled', 'rate': 0.01})]]
    logs = [log('/ecs/tix/onsale-web', 'onsale-web/app/%s' % hx(r, 32), evs)]

    def em(t, q, r):
        return [(0.01, '%s\t%s\tINFO\tsent order confirmation ord_%s via ses' % (iso(t), q, hx(r, 10)))], r.uniform(300, 460), 130, 'ok'
    logs += split_streams('/aws/lambda/tix-email-confirm', lambda_invocations(r, lambda t: 4 if not surge(t) else 12, em, 256, 15), [-4000], r)
    changes = [change(-4000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'tix-email-confirm', 'github-actions-tix'),
               change(T0 + 220, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', svc, 'application-autoscaling'),
               change(T0 + 460, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', svc, 'application-autoscaling')]
    alarms = [alarm('tix-onsale-latency', 'AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb}, 'Average', 60, 3, 1.0,
                    'GreaterThanThreshold', T0 + 240, 'On-sale site response time')]
    resources = [res('alb', lb, name='tix-onsale', scheme='internet-facing', targets='ecs:tix/onsale-web'),
                 res('ecs', svc, cluster='tix', service='onsale-web', runtime='nodejs20', desired_count=24, min_capacity=12, max_capacity=40),
                 res('rds', 'tix-aurora-pg-1', engine='aurora-postgresql', instance_class='db.r6g.2xlarge', max_connections=5000),
                 res('lambda', 'tix-email-confirm', runtime='nodejs20.x', timeout=15, memory_size=256)]
    exp = expect('tix-onsale-latency', 'traffic_surge', [lb, 'tix-onsale', svc, 'onsale-web'],
                 [('AWS/ApplicationELB', 'RequestCount', {'LoadBalancer': lb})])
    meta = dict(slug='onsale-latency-push-campaign-surge', alarm_on='origin/front (the ALB receiving the surge)',
                decoys='tix-email-confirm deploy 40 min before; autoscaling UpdateService calls (a reaction, after onset); constant seatmap-cache WARN',
                story='A push notification for a concert on-sale went out 25 minutes ago: ALB RequestCount jumped from ~1,900 to '
                      '~15,000 per minute, with utm_source=push on the requests. Response time rose from 0.11 s to ~1.5-1.9 s and a '
                      'small share of 5xx/504 appeared while the service autoscaled from 12 to 24 tasks; CPU peaked '
                      'around 80 % but never pinned, the database is comfortable and nothing was deployed or reconfigured on the '
                      'request path. Request volume far above normal with no other fault is traffic_surge at the on-sale '
                      'front door (ALB / onsale-web service).')
    return scenario('h40-11-onsale-latency-push-campaign-surge', 'On-sale site latency alarm during a concert ticket release.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 12 Rails fleet: data-triggered NoMethodError, no change
def s12():
    r = random.Random(4012)
    reg, T0 = 'eu-west-3', -1300
    lb = 'app/returns-alb/4e8a2c6f0b1d3957'
    fleet = [('i-05b2e8c1d4a7f3906', 'returns-web-a'), ('i-0d9a3f6b2c8e1457a', 'returns-web-b'), ('i-01c7e4a9b3f2d6815', 'returns-web-c')]
    bad = lambda t: t >= T0
    req = lambda t: 540 * day(t, 0.2)
    share = lambda t: 0 if not bad(t) else ramp(t, T0, T0 + 600, 0.02, 0.07)
    metrics = alb_metrics(r, lb, req, const(0.14), t5=lambda t: 0.3 + req(t) * share(t), healthy=const(3),
                          t4=lambda t: req(t) * 0.03)
    for i, (iid, nm) in enumerate(fleet):
        metrics += ec2_metrics(r, iid, lambda t, i=i: 28 + 3 * i, mem=const(61))
    metrics += rds_metrics(r, 'returns-pg', const(17), const(96), const(188))
    metrics += lambda_metrics(r, 'returns-refund-worker', const(6), dur=const(900))

    def rails(t, r, host):
        q = '%s-%s-%s-%s-%s' % (hx(r, 8), hx(r, 4), hx(r, 4), hx(r, 4), hx(r, 12))
        pid = r.randint(11, 18)
        pre = lambda L, lvl, t2: '%s, [%s #%d] %5s -- : [%s] ' % (L, ts(t2, '%Y-%m-%dT%H:%M:%S.') + '%06d' % r.randint(0, 999999), pid, lvl, q)
        u = r.random()
        if u < 0.04:   # constant scanner noise
            path = r.choice(['/wp-login.php', '/.env', '/phpmyadmin/index.php', '/.git/config'])
            return [(0, pre('I', 'INFO', t) + 'Started GET "%s" for %s at %s +0000' % (path, ip(r, '185.220'), ts(t))),
                    (0.002, pre('F', 'FATAL', t) + '\nActionController::RoutingError (No route matches [GET] "%s"):' % path)]
        rid_ = 'R-%d' % r.randint(400000, 499999)
        if bad(t) and r.random() < share(t) * 2.2:
            return [(0, pre('I', 'INFO', t) + 'Started GET "/api/returns/%s/label" for %s at %s +0000' % (rid_, ip(r), ts(t))),
                    (0.001, pre('I', 'INFO', t) + 'Processing by Api::ReturnLabelsController#show as JSON'),
                    (0.002, pre('I', 'INFO', t) + '  Parameters: {"return_id"=>"%s"}' % rid_),
                    (0.031, pre('I', 'INFO', t) + '  ReturnRequest Load (1.4ms)  SELECT "return_requests".* FROM "return_requests" WHERE "return_requests"."public_id" = $1 LIMIT $2  [["public_id", "%s"], ["LIMIT", 1]]' % rid_),
                    (0.033, pre('I', 'INFO', t) + '  source=partner_api partner=parcelhub'),
                    (0.041, pre('I', 'INFO', t) + 'Completed 500 Internal Server Error in 12ms (ActiveRecord: 1.9ms | Allocations: 3114)'),
                    (0.042, pre('F', 'FATAL', t) + '\nNoMethodError (undefined method `iso8601\' for nil:NilClass):\n\napp/serializers/return_label_serializer.rb:31:in `dropoff_deadline\'\n'
                     'app/serializers/return_label_serializer.rb:12:in `as_json\'\napp/controllers/api/return_labels_controller.rb:18:in `show\'')]
        path = r.choice(['/api/returns/%s' % rid_, '/api/returns/%s/label' % rid_, '/api/returns?status=open', '/health'])
        return [(0, pre('I', 'INFO', t) + 'Started GET "%s" for %s at %s +0000' % (path, ip(r), ts(t))),
                (0.02, pre('I', 'INFO', t) + 'Completed 200 OK in %dms (Views: %.1fms | ActiveRecord: %.1fms | Allocations: %d)' % (
                    r.randint(6, 60), r.uniform(0.3, 9), r.uniform(1, 20), r.randint(900, 9000)))]
    logs = [log('/ec2/returns-web/production.log', nm + '/' + iid, events(r, const(14), lambda t, r, h=nm: rails(t, r, h))) for iid, nm in fleet]

    def rf(t, q, r):
        return [(0.01, 'I, [%s #8]  INFO -- : refund issued return=R-%d amount_cents=%d psp=adyen' % (ts(t, '%Y-%m-%dT%H:%M:%S.%f'), r.randint(400000, 499999), r.randint(500, 30000)))], r.uniform(700, 1100), 140, 'ok'
    logs += split_streams('/aws/lambda/returns-refund-worker', lambda_invocations(r, const(3), rf, 512, 30), [-9000], r)
    changes = [change(-9020, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'returns-refund-worker', 'gitlab-ci'),
               change(-16000, 'autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup', 'returns-web-asg', 'terraform-returns')]
    alarms = [alarm('returns-alb-target-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}, 'Sum', 300, 1, 60,
                    'GreaterThanThreshold', T0 + 600, 'Returns portal 5xx'),
              alarm('returns-web-b-cpu', 'AWS/EC2', 'CPUUtilization', {'InstanceId': fleet[1][0]}, 'Average', 300, 2, 80,
                    'GreaterThanThreshold', -30000, 'returns-web-b CPU', state='OK')]
    resources = [res('ec2', iid, name=nm, instance_type='c7g.large', asg='returns-web-asg', app='rails 7.1 / puma', app_release='2026.03.09-1',
                     log_groups=['/ec2/returns-web/production.log']) for iid, nm in fleet]
    resources += [res('alb', lb, name='returns-alb', targets='ec2:returns-web-asg'),
                  res('rds', 'returns-pg', engine='postgres', instance_class='db.m7g.large', max_connections=900, allocated_storage_gb=300),
                  res('lambda', 'returns-refund-worker', runtime='ruby3.3', timeout=30, memory_size=512)]
    accepted = [x for iid, nm in fleet for x in (iid, nm)] + ['returns-web-asg']
    exp = expect('returns-alb-target-5xx', 'application_error', accepted,
                 [('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb})])
    meta = dict(slug='returns-5xx-nil-dropoff-deadline', alarm_on='front (ALB in front of the EC2 fleet)',
                decoys='returns-refund-worker Lambda deploy 2.5 h earlier; old ASG size change; constant RoutingError scanner noise; OK CPU alarm on returns-web-b',
                story='Twenty minutes ago all three Rails instances began returning 500 on GET /api/returns/:id/label with '
                      '"NoMethodError (undefined method `iso8601\' for nil:NilClass)" in return_label_serializer.rb, only for '
                      'returns created via the parcelhub partner channel (no dropoff deadline). The app release (2026.03.09) is a '
                      'week old, nothing was deployed or reconfigured, and CPU, memory, database and traffic are normal. An '
                      'unhandled exception with no preceding change and no resource or dependency fault is application_error in '
                      'the returns-web fleet. The scanner RoutingErrors are constant and the refund worker deploy is unrelated.')
    return scenario('h40-12-returns-5xx-nil-dropoff-deadline', 'Returns portal ALB 5xx alarm; customers cannot print return labels.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)
