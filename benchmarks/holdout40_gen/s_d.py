"""Scenarios 13-16."""
import random

from .common import (LOG_START, alarm, alb_metrics, apigw_rest_metrics, change, const, day, ec2_metrics, events, every,
                     expect, hx, ip, iso, lambda_invocations, lambda_metrics, log, ms, ramp, rds_metrics, res, rid, scenario,
                     split_streams, ts)


# ------------------------------------------------------------------ 13 new AMI via ASG instance refresh
def s13():
    r = random.Random(4013)
    reg = 'us-east-1'
    lb = 'app/pricing-alb/7d1e5a3c9b2f4086'
    old = [('i-0a4d2c8e61f93b570', -2620), ('i-0a7f1b3d95c2e8461', -2380)]     # (id, terminated at)
    new = [('i-0b19e6c4a2d8f7035', -2760), ('i-0b5c3a7e9f1d2b684', -2520)]     # (id, launched at)
    inservice = lambda t, i: t >= new[i][1] + 120
    frac_new = lambda t: sum(inservice(t, i) for i in range(2)) / 2.0 if t >= -2640 else 0.0
    req = lambda t: 760 * day(t, 0.2)
    metrics = alb_metrics(r, lb, req, const(0.052), t5=lambda t: 0.2 + req(t) * 0.21 * frac_new(t),
                          healthy=lambda t: 3 if (-2640 <= t < -2620 or -2400 <= t < -2380) else 2)
    for iid, term in old:
        metrics += ec2_metrics(r, iid, const(41), mem=const(57), end=term - 60)
    for iid, launch in new:
        metrics += ec2_metrics(r, iid, const(42), mem=const(55), start=launch + 60)
    metrics += rds_metrics(r, 'pricing-pg', const(24), const(84), const(420))
    metrics += lambda_metrics(r, 'fx-rate-poller', const(1), err=const(0.2), dur=const(1400))

    def app(t, r, newv):
        u = r.random()
        stamp = '%s,%s' % (ts(t), ms(t))
        cur = r.choice(['USD'] * 5 + ['EUR'] * 3 + ['GBP'] * 2 + ['CAD', 'AUD', 'JPY'])
        if u < 0.05:   # constant on every build
            return '%s WARNING pricing.cache: redis GET miss ratio %.2f over last 60s' % (stamp, r.uniform(0.2, 0.35))
        if newv and cur in ('CAD', 'AUD', 'JPY'):
            return [(0, '%s ERROR uvicorn.error: Exception in ASGI application\nTraceback (most recent call last):\n'
                        '  File "/opt/pricing/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py", line 409, in run_asgi\n'
                        '    result = await app(  # type: ignore[func-returns-value]\n'
                        '  File "/opt/pricing/pricing/api/quotes.py", line 74, in create_quote\n    return PriceQuote(sku=req.sku, amount=total, currency=req.currency)\n'
                        'pydantic_core._pydantic_core.ValidationError: 1 validation error for PriceQuote\ncurrency\n'
                        "  Input should be 'USD', 'EUR' or 'GBP' [type=enum, input_value='%s', input_type=str]\n"
                        '    For further information visit https://errors.pydantic.dev/2.8/v/enum' % (stamp, cur)),
                    (0.001, '%s INFO uvicorn.access: %s - "POST /v1/quotes HTTP/1.1" 500' % (stamp, ip(r) + ':%d' % r.randint(30000, 60000)))]
        return '%s INFO uvicorn.access: %s - "%s HTTP/1.1" 200' % (stamp, ip(r) + ':%d' % r.randint(30000, 60000),
                                                                   r.choice(['POST /v1/quotes', 'POST /v1/quotes', 'GET /v1/skus/SKU-%d/price' % r.randint(1000, 9999)]))
    logs = []
    for iid, term in old:
        evs = events(r, const(25), lambda t, r: app(t, r, False), end=term - 30)
        evs += every(1800, lambda t: '%s,000 INFO pricing.main: pricing-api 3.1.4 (build 1152) serving, workers=4' % ts(t), end=term - 30)
        logs.append(log('/ec2/pricing-api/app', iid, evs))
    for iid, launch in new:
        evs = [[launch + 95, '%s,101 INFO pricing.main: pricing-api 3.2.0 (build 1187, ami-0f3c9e21d7a4b5c68) starting, workers=4' % ts(launch + 95)],
               [launch + 97, '%s,622 INFO uvicorn.error: Application startup complete.' % ts(launch + 97)]]
        evs += events(r, const(25), lambda t, r: app(t, r, True), start=launch + 120)
        logs.append(log('/ec2/pricing-api/app', iid, evs))

    def fx(t, q, r):
        L = [(0.01, '[INFO]\t%s\t%s\tpolling ECB reference rates' % (iso(t), q))]
        if r.random() < 0.2:   # pre-existing loud error, same rate all day
            L.append((1.2, '[ERROR]\t%s\t%s\tECB feed returned HTTP 503, keeping rates from %s' % (iso(t + 1.2), q, ts(t - 3600, '%H:%M'))))
        return L, r.uniform(1100, 1700), 90, 'ok'
    logs += split_streams('/aws/lambda/fx-rate-poller', lambda_invocations(r, const(1), fx, 256, 10), [], r)
    changes = [change(-7200, 'rds.amazonaws.com', 'ModifyDBInstance', 'AWS::RDS::DBInstance', 'pricing-pg', 'dba.kpatel'),
               change(-3010, 'ec2.amazonaws.com', 'CreateLaunchTemplateVersion', 'AWS::EC2::LaunchTemplate', 'pricing-api-lt', 'spinnaker-bake'),
               change(-2990, 'autoscaling.amazonaws.com', 'UpdateAutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup', 'pricing-api-asg', 'spinnaker-bake'),
               change(-2800, 'autoscaling.amazonaws.com', 'StartInstanceRefresh', 'AWS::AutoScaling::AutoScalingGroup', 'pricing-api-asg', 'spinnaker-bake')]
    alarms = [alarm('pricing-alb-target-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}, 'Sum', 60, 3, 40,
                    'GreaterThanThreshold', -2460, 'Pricing API 5xx')]
    resources = [res('ec2', iid, name='pricing-api', instance_type='c6i.xlarge', asg='pricing-api-asg', ami='ami-0f3c9e21d7a4b5c68',
                     launch_template='pricing-api-lt:v42', log_groups=['/ec2/pricing-api/app']) for iid, _ in new]
    resources += [res('alb', lb, name='pricing-alb', targets='ec2:pricing-api-asg'),
                  res('rds', 'pricing-pg', engine='postgres', instance_class='db.r6g.large', max_connections=1600, allocated_storage_gb=500),
                  res('lambda', 'fx-rate-poller', runtime='python3.12', timeout=10, memory_size=256)]
    exp = expect('pricing-alb-target-5xx', 'bad_deployment', [new[0][0], new[1][0], 'pricing-api', 'pricing-api-asg', 'pricing-api-lt'],
                 [('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb})])
    meta = dict(slug='pricing-5xx-ami-instance-refresh', alarm_on='front (ALB in front of the ASG)',
                decoys='ModifyDBInstance (backup window) on pricing-pg 2 h earlier; fx-rate-poller Lambda with a constant ECB 503 ERROR; constant redis miss-ratio WARNING',
                story='A new launch template version (AMI baked with pricing-api 3.2.0) was rolled out with an ASG instance refresh '
                      '47 minutes ago; the two 3.1.4 instances were replaced one by one. As each new instance comes into service '
                      'the ALB target 5xx rises: the new build raises a pydantic ValidationError for every quote in CAD, AUD or JPY '
                      '("Input should be \'USD\', \'EUR\' or \'GBP\'"), which never appears on the old instances. Resources and the '
                      'database are normal. A new error signature that arrives exactly with the image rollout is bad_deployment on '
                      'the pricing-api fleet/ASG.')
    return scenario('h40-13-pricing-5xx-ami-instance-refresh', 'Pricing ALB 5xx alarm; some price quotes failing.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 14 API Gateway stage variable typo
def s14():
    r = random.Random(4014)
    reg, T0 = 'us-west-1', -1500
    api, rest_id = 'partner-orders-api', '7v2kq9xw1d'
    lb = 'app/orders-backend/2c6e8a0b4d1f3e59'
    bad = lambda t: t >= T0
    cnt = lambda t: 88 * day(t, 0.2)
    metrics = apigw_rest_metrics(r, api, cnt, const(2.5), lambda t: cnt(t) * 0.97 if bad(t) else 0.05,
                                 lambda t: 14 if bad(t) else 145, lambda t: 0 if bad(t) else 110)
    metrics += alb_metrics(r, lb, lambda t: 420 * day(t, 0.2) - (cnt(t) if bad(t) else 0), const(0.09), healthy=const(4))
    metrics += lambda_metrics(r, 'partner-authorizer', lambda t: 6, dur=const(22))

    def exe(t, r):
        q = rid(r)
        out = [(0, '(%s) Extended Request Id: %s=' % (q, hx(r, 14))), (0.001, '(%s) Verifying Usage Plan for request: %s. API Key: **********%s' % (q, q, hx(r, 4)))]
        if r.random() < 0.03:   # constant: partners with revoked keys
            return out + [(0.002, '(%s) API Key **********%s not authorized because method \'POST /orders\' requires API Key and API Key is not associated with a Usage Plan for API Stage %s/v1: API Key not valid' % (q, hx(r, 4), rest_id))]
        host = 'orders-backnd.prod.acme.internal' if bad(t) else 'orders-backend.prod.acme.internal'
        out += [(0.003, '(%s) Starting execution for request: %s' % (q, q)),
                (0.004, '(%s) HTTP Method: POST, Resource Path: /orders' % q),
                (0.01, '(%s) Endpoint request URI: https://%s/orders' % (q, host))]
        if bad(t):
            return out + [(0.012, '(%s) Execution failed due to configuration error: Invalid endpoint address' % q),
                          (0.013, '(%s) Method completed with status: 500' % q)]
        lat = r.randint(60, 160)
        return out + [(lat / 1000.0, '(%s) Received response. Status: 201, Integration latency: %d ms' % (q, lat)),
                      (lat / 1000.0 + 0.002, '(%s) Method completed with status: 201' % q)]
    logs = [log('API-Gateway-Execution-Logs_%s/v1' % rest_id, hx(r, 32), events(r, const(12), exe))]

    def au(t, q, r):
        return [(0.002, '%s\t%s\tINFO\t{"decision":"Allow","partner":"%s","scopes":["orders:write"]}' % (iso(t), q, r.choice(['shipbob', 'zalando-cx', 'ikano', 'fieldfolio'])))], r.uniform(12, 35), 84, 'ok'
    logs += split_streams('/aws/lambda/partner-authorizer', lambda_invocations(r, const(6), au, 256, 5), [-1900], r)
    be = events(r, const(10), lambda t, r: '%s - - [%s] "POST /orders HTTP/1.1" 201 %d "-" "%s" rt=%.3f' % (
        ip(r), ts(t, '%d/%b/%Y:%H:%M:%S +0000'), r.randint(300, 900), 'AmazonAPIGateway_%s' % rest_id if not bad(t) and r.random() < 0.2 else 'orders-web/5.2', r.uniform(0.04, 0.15)))
    logs.append(log('/ec2/orders-backend/nginx-access', 'orders-backend', be))
    changes = [change(-1920, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'partner-authorizer', 'github-actions-partner'),
               change(-1900, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'partner-authorizer', 'github-actions-partner'),
               change(T0 - 20, 'apigateway.amazonaws.com', 'UpdateStage', 'AWS::ApiGateway::Stage', api + '/v1', 'AWSReservedSSO_Integrations/m.ortega')]
    alarms = [alarm('partner-orders-api-5xx', 'AWS/ApiGateway', '5XXError', {'ApiName': api}, 'Sum', 60, 3, 5, 'GreaterThanThreshold',
                    T0 + 200, 'Partner orders API 5xx')]
    resources = [res('apigateway', api, api_type='REST', rest_api_id=rest_id, stage='v1',
                     integration='HTTP https://${stageVariables.backendHost}/orders'),
                 res('alb', lb, name='orders-backend', scheme='internet-facing'),
                 res('lambda', 'partner-authorizer', runtime='nodejs20.x', timeout=5, memory_size=256)]
    exp = expect('partner-orders-api-5xx', 'config_change', [api, rest_id, api + '/v1'],
                 [('AWS/ApiGateway', '5XXError', {'ApiName': api})])
    meta = dict(slug='partner-orders-5xx-stage-variable', alarm_on='origin (the REST API 5XXError)',
                decoys='partner-authorizer code deploy 7 min before onset (still returns Allow); constant 403 API-key rejections',
                story='An engineer updated stage v1 of partner-orders-api (UpdateStage) 25 minutes ago. From that moment every '
                      'execution log shows the endpoint URI https://orders-backnd.prod.acme.internal/orders (the backendHost stage '
                      'variable lost an "e") followed by "Execution failed due to configuration error: Invalid endpoint address"; '
                      '5XXError equals the request count while the backend ALB sees the partner traffic disappear and stays healthy. '
                      'A settings change right before onset with errors naming an invalid setting is config_change on the API. The '
                      'authorizer deploy is earlier, still returns Allow, and a deploy loses to a config change anyway.')
    return scenario('h40-14-partner-orders-5xx-stage-variable', 'Partner orders API 5XXError alarm; partners report 500s on POST /orders.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 15 RDS MySQL out of storage, Lambda victim alarm
def s15():
    r = random.Random(4015)
    reg, T0 = 'ap-south-1', -1200
    db = 'kyc-mysql'
    full = lambda t: t >= T0
    free = lambda t: max(0.0, ramp(t, -21600, T0, 41.0, 0.0)) if not full(t) else 0.0
    metrics = rds_metrics(r, db, lambda t: 31 * day(t, 0.2) if not full(t) else 12, const(210), free,
                          wlat=lambda t: 0.0021 if not full(t) else 0.09, free_mem_gb=const(6.4),
                          extra=[('WriteIOPS', 'Count/Second', lambda t: 1450 if not full(t) else 40)])
    aw = lambda t: 22 * day(t, 0.2)
    metrics += lambda_metrics(r, 'kyc-audit-writer', aw, err=lambda t: aw(t) * 0.96 if full(t) else 0, dur=lambda t: 60 if not full(t) else 410)
    kv = lambda t: 9 * day(t, 0.2)
    metrics += lambda_metrics(r, 'kyc-verify', kv, err=lambda t: kv(t) * 0.9 if full(t) else 0.05, dur=lambda t: 1900 if not full(t) else 700)

    def jw(t, q, r):
        st = '%s %s' % (ts(t, '%Y-%m-%d %H:%M:%S') + '.' + ms(t), q)
        if not full(t):
            return [(0.02, '%s INFO  c.a.kyc.audit.AuditWriter - inserted %d audit events batch=%s' % (st, r.randint(20, 200), hx(r, 8)))], r.uniform(35, 90), 188, 'ok'
        return [(0.4, '%s ERROR c.a.kyc.audit.AuditWriter - batch insert failed\njava.sql.SQLException: The table \'audit_events\' is full\n'
                      '\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)\n'
                      '\tat com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)\n'
                      '\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeBatchInternal(ClientPreparedStatement.java:409)\n'
                      '\tat com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeBatch(HikariProxyPreparedStatement.java)\n'
                      '\tat com.acme.kyc.audit.AuditWriter.handleRequest(AuditWriter.java:57)' % st)], r.uniform(300, 520), 190, 'error'
    logs = split_streams('/aws/lambda/kyc-audit-writer', lambda_invocations(r, lambda t: 8, jw, 512, 30), [-4800], r)

    def pv(t, q, r):
        L = [(0.01, '[INFO]\t%s\t%s\tverification started case=KYC-%d doc=%s' % (iso(t), q, r.randint(100000, 999999), r.choice(['aadhaar', 'pan', 'passport'])))]
        if r.random() < 0.1:   # constant business warning
            L.append((0.8, '[WARNING]\t%s\t%s\tface match score %.2f below 0.85, routing to manual review' % (iso(t + 0.8), q, r.uniform(0.6, 0.84))))
        if full(t) and r.random() < 0.9:
            L.append((0.6, "[ERROR]\t%s\t%s\tpymysql.err.OperationalError: (1114, \"The table 'verification_attempts' is full\")" % (iso(t + 0.6), q)))
            return L, r.uniform(600, 800), 140, 'error'
        L.append((1.7, '[INFO]\t%s\t%s\tverification stored status=%s' % (iso(t + 1.7), q, r.choice(['passed', 'passed', 'review']))))
        return L, r.uniform(1600, 2200), 150, 'ok'
    logs += split_streams('/aws/lambda/kyc-verify', lambda_invocations(r, kv, pv, 512, 15), [], r)
    myl = every(900, lambda t: '%s 0 [Note] [MY-010733] [Server] Shutting down replica threads... no replicas configured' % ts(t, '%Y-%m-%dT%H:%M:%S.000000Z'), end=T0 - 600)
    for t in range(T0 + 5, -1, 60):
        myl += [[t, '%s %d [ERROR] [MY-012639] [InnoDB] Write to file ./kyc/audit_events#p#p202603.ibd failed at offset %d, 16384 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.' % (ts(t, '%Y-%m-%dT%H:%M:%S.%fZ'), r.randint(20, 900), r.randint(10 ** 9, 9 * 10 ** 9))],
                [t + 0.001, '%s %d [ERROR] [MY-012640] [InnoDB] Error number 28 means \'No space left on device\'' % (ts(t, '%Y-%m-%dT%H:%M:%S.%fZ'), r.randint(20, 900))],
                [t + 30, '%s 0 [ERROR] [MY-000035] [Server] Disk is full writing \'/rdsdbdata/log/binlog/mysql-bin-changelog.018%d\' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.' % (ts(t + 30, '%Y-%m-%dT%H:%M:%S.%fZ'), r.randint(100, 999))]]
    logs.append(log('/aws/rds/instance/kyc-mysql/error', 'kyc-mysql', myl))
    changes = [change(-9500, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'kyc-verify', 'bitbucket-pipelines'),
               change(-5000, 'rds.amazonaws.com', 'CreateDBSnapshot', 'AWS::RDS::DBInstance', db, 'ops.rsharma')]
    alarms = [alarm('kyc-audit-writer-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'kyc-audit-writer'}, 'Sum', 60, 3, 5,
                    'GreaterThanThreshold', T0 + 180, 'Compliance audit trail writes failing')]
    resources = [res('rds', db, engine='mysql', engine_version='8.0.39', instance_class='db.m6g.large', allocated_storage_gb=200,
                     max_allocated_storage='not set (storage autoscaling off)', max_connections=1365),
                 res('lambda', 'kyc-audit-writer', runtime='java17', timeout=30, memory_size=512),
                 res('lambda', 'kyc-verify', runtime='python3.12', timeout=15, memory_size=512)]
    exp = expect('kyc-audit-writer-errors', 'storage_exhaustion', [db],
                 [('AWS/RDS', 'FreeStorageSpace', {'DBInstanceIdentifier': db})])
    meta = dict(slug='kyc-audit-errors-mysql-storage-full', alarm_on='victim (Errors of a Lambda writing to the full database)',
                decoys='kyc-verify deploy 2.6 h earlier; manual DB snapshot; constant face-match WARNING in kyc-verify',
                story='FreeStorageSpace on kyc-mysql (200 GB, storage autoscaling off) fell steadily all day and hit zero 20 '
                      'minutes ago. The MySQL error log shows InnoDB write failures with OS error 28 "No space left on device" and '
                      '"Disk is full writing ... binlog"; both writers fail: kyc-audit-writer with "The table \'audit_events\' is '
                      'full" (which paged) and kyc-verify with error 1114. Write IOPS collapse and CPU drops. This is '
                      'storage_exhaustion on kyc-mysql; the Lambda alarm is only where it surfaced.')
    return scenario('h40-15-kyc-audit-errors-mysql-storage-full', 'kyc-audit-writer Errors alarm; compliance audit events not being written.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 16 one EC2 host pinned by a background job, ALB latency
def s16():
    r = random.Random(4016)
    reg, T0 = 'eu-north-1', -1700
    lb = 'app/render-api/5e9b1d3f7a2c4068'
    fleet = [('i-07e4b2d9c1a3f5680', 'render-api-1'), ('i-0c3a8f1e5b7d2946c', 'render-api-2'), ('i-02d6f9a4e8b1c3570', 'render-api-3')]
    hot = lambda t: t >= T0
    req = lambda t: 450 * day(t, 0.2)
    metrics = alb_metrics(r, lb, req, lambda t: 0.16 if not hot(t) else 0.16 * 2 / 3 + 3.9 / 3,
                          e5=lambda t: 0.1 + (req(t) / 3 * 0.05 if hot(t) else 0), healthy=const(3))
    cpus = [lambda t: 33 * day(t, 0.2), lambda t: 34 * day(t, 0.2) if not hot(t) else ramp(t, T0, T0 + 120, 40, 99.3),
            lambda t: 32 * day(t, 0.2) if not (-9060 < t < -8700) else 71]
    for (iid, nm), c in zip(fleet, cpus):
        metrics += ec2_metrics(r, iid, c, mem=const(63), disk=const(47))

    def kestrel(t, r, h):
        u = r.random()
        if u < 0.04:   # constant on all hosts
            return 'warn: Acme.Render.Imaging.ColorProfileService[0]\n      Unsupported ICC profile "Adobe RGB (1998)" in asset a_%s, converting to sRGB' % hx(r, 10)
        slow = h == 1 and hot(t)
        if slow and u < 0.12:
            return ('warn: Microsoft.AspNetCore.Server.Kestrel[22]\n      As of "%s +00:00", the heartbeat has been running for "00:00:0%d.%07d" which is longer than "00:00:01". '
                    'This could be caused by thread pool starvation.' % (ts(t, '%m/%d/%Y %H:%M:%S'), r.randint(1, 4), r.randint(0, 9999999)))
        if slow and u < 0.2:
            return 'info: Acme.Render.Jobs.SvgRasterizeJob[0]\n      catalog=spring-2026 rasterized %d/48211 items, %d workers busy' % (int((t - T0) * 21.6), 8)
        d = r.uniform(80, 260) if not slow else r.uniform(2500, 6000)
        return 'info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://render-api/v2/render/%s?w=%d - 200 %d image/webp %.4fms' % (
            hx(r, 12), r.choice([320, 640, 1280]), r.randint(8000, 90000), d)
    logs = []
    for i, (iid, nm) in enumerate(fleet):
        evs = events(r, const(18), lambda t, r, i=i: kestrel(t, r, i))
        if i == 1:
            evs.append([T0 - 25, 'info: Acme.Render.Jobs.JobScheduler[0]\n      Acquired lease for recurring job "catalog-prerender" (cron 30 13 * * *), starting SvgRasterizeJob catalog=spring-2026 items=48211 parallelism=8'])
        if i == 2:
            evs.append([-9050, 'info: Acme.Render.Maintenance[0]\n      Compressing rotated logs /var/log/render-api/*.log.1 (3 files, 1.9 GB)'])
        logs.append(log('/ec2/render-api/app', nm, evs))
    changes = [change(-4200, 'ssm.amazonaws.com', 'PutParameter', 'AWS::SSM::Parameter', 'AmazonCloudWatch-render-api', 'platform.ehansson')]
    alarms = [alarm('render-api-latency', 'AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb}, 'Average', 60, 5, 0.8,
                    'GreaterThanThreshold', T0 + 420, 'Render API average response time')]
    resources = [res('ec2', iid, name=nm, instance_type='c7i.xlarge', asg='render-api-asg', app='.NET 8 / Kestrel',
                     log_groups=['/ec2/render-api/app']) for iid, nm in fleet]
    resources.append(res('alb', lb, name='render-api', targets='ec2:render-api-asg'))
    exp = expect('render-api-latency', 'cpu_saturation', [fleet[1][0], fleet[1][1]],
                 [('AWS/EC2', 'CPUUtilization', {'InstanceId': fleet[1][0]})])
    meta = dict(slug='render-latency-one-host-cpu-pinned', alarm_on='front (ALB TargetResponseTime)',
                decoys='CloudWatch agent SSM parameter edit 70 min before; old log-compression CPU spike on render-api-3; constant ICC-profile WARN on all hosts',
                story='At 13:31 the recurring catalog-prerender job took its lease on render-api-2 and started rasterizing 48k SVGs '
                      'with 8 workers. That instance has been at ~99 % CPU since, Kestrel logs heartbeat/thread-pool starvation '
                      'warnings and its requests take 2.5-6 s, so the ALB average response time (one third of the traffic) '
                      'crosses 0.8 s and some 504s appear. The other two hosts are at ~33 %. No deploy or app config change. '
                      'CPU pinned with latency following is cpu_saturation on render-api-2.')
    return scenario('h40-16-render-latency-one-host-cpu-pinned', 'Render API latency alarm; product images slow to load.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)
