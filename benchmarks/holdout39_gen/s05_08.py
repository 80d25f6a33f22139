"""Scenarios 05-08."""
import json

from .common import (rng_for, diurnal, ramp, metric, series, alarm, change, scenario, expect, periodic, poisson_times,
                     hexid, iso_ms, clock, LOG_START)
from . import lam
from .svc import rds_metrics, ecs_metrics, alb_metrics, stream, spring, nginx, mysql_err, events, json_line

GB = 1024 ** 3


def s05():
    """ECS memory alarm on the transcoder; tag + log retention edits; 8K uploads blow the heap."""
    rng = rng_for(3905)
    reg = 'eu-central-1'
    onset = -2280
    big = lambda t: ramp(t, onset - 300, onset)

    def mem(t):
        if t < onset - 300:
            return 46 + rng.gauss(0, 2)
        return min(100.0, 46 + 52 * big(t) + rng.uniform(-3, 2))
    m = ecs_metrics('media', 'transcoder', lambda t: 55 * diurnal(t) + rng.gauss(0, 4), mem, reg,
                    running=lambda t: 6 if t < onset or rng.random() < 0.4 else rng.choice([3, 4, 5]))
    m += ecs_metrics('media', 'thumbnailer', lambda t: 22 + rng.gauss(0, 2), lambda t: 38 + rng.gauss(0, 1), reg)
    ev = []
    for t in poisson_times(rng, LOG_START, 0, 8):
        job = 'job_%s' % hexid(rng, 12)
        eightk = t > onset - 300 and rng.random() < 0.35
        w, h = (7680, 4320) if eightk else rng.choice([(1920, 1080), (1280, 720), (3840, 2160)])
        ev.append([t, json.dumps({'time': iso_ms(t), 'level': 'INFO', 'msg': 'transcode started', 'job': job,
                                  'src': 's3://media-ingest-prod/uploads/%s.mov' % hexid(rng, 10), 'width': w, 'height': h,
                                  'profile': 'hls-abr-5'})])
        if eightk and rng.random() < 0.8:
            tt = t + rng.uniform(20, 60)
            ev.append([tt, 'fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw({0x1a3c2f1?, 0x0?})\n'
                           '\t/usr/local/go/src/runtime/panic.go:1023 +0x5c fp=0x7ffd4b0c3e08 sp=0x7ffd4b0c3dd8 pc=0x43b7dc\n'
                           'runtime.(*mheap).grow(0x2a1e0c0, 0x3f5c?)\n\t/usr/local/go/src/runtime/mheap.go:1493 +0x2bd\n\n'
                           'goroutine 412 [running]:\ngithub.com/acme/transcoder/internal/frame.(*Decoder).DecodeAll(0xc0003a2000, {0xc01a000000, 0x3b9aca00, 0x3b9aca00})\n'
                           '\t/src/internal/frame/decoder.go:188 +0x1f4\nmain.(*worker).run(0xc000152f00, {0x1d2c3a8, 0xc0000b8000})\n\t/src/cmd/transcoder/worker.go:97 +0x3a1'])
            ev.append([tt + 8, json.dumps({'time': iso_ms(tt + 8), 'level': 'INFO', 'msg': 'transcoder starting', 'version': '3.14.2',
                                           'GOMEMLIMIT': '3500MiB', 'workers': 2})])
        elif rng.random() < 0.04:
            ev.append([t + 1, json.dumps({'time': iso_ms(t + 1), 'level': 'WARN', 'msg': 'audio track missing language tag, defaulting to und', 'job': job})])
        else:
            tf = t + rng.uniform(30, 90)
            ev.append([tf, json.dumps({'time': iso_ms(tf), 'level': 'INFO', 'msg': 'transcode finished', 'job': job,
                                                           'renditions': 5, 'elapsed_ms': rng.randint(25000, 88000)})])
    th = events(rng, LOG_START, 0, lambda t: 5, lambda t: json.dumps({'time': iso_ms(t), 'level': 'INFO', 'msg': 'thumbnail written',
                                                                       'key': 'thumbs/%s.jpg' % hexid(rng, 10)}))
    logs = [stream('/ecs/media/transcoder', 'transcoder/app/%s' % hexid(rng), ev, reg),
            stream('/ecs/media/thumbnailer', 'thumbnailer/app/%s' % hexid(rng), th, reg)]
    resources = [{'type': 'ecs', 'id': 'media/transcoder', 'properties': {'launch_type': 'FARGATE', 'cpu': 2048, 'memory': 4096,
                  'desired_count': 6, 'task_definition': 'transcoder:31', 'log_groups': ['/ecs/media/transcoder']}},
                 {'type': 'ecs', 'id': 'media/thumbnailer', 'properties': {'launch_type': 'FARGATE', 'cpu': 512, 'memory': 1024,
                  'desired_count': 2, 'task_definition': 'thumbnailer:12', 'log_groups': ['/ecs/media/thumbnailer']}}]
    d = {'ClusterName': 'media', 'ServiceName': 'transcoder'}
    alarms = [alarm('transcoder-memory-high', 'AWS/ECS', 'MemoryUtilization', d, 'Average', 60, 3, 90, 'GreaterThanThreshold',
                    onset + 200, 'Transcoder service memory above 90%')]
    changes = [change(onset - 420, 'ecs.amazonaws.com', 'TagResource', 'AWS::ECS::Service', 'media/transcoder', 'finops-tagger'),
               change(onset - 380, 'logs.amazonaws.com', 'PutRetentionPolicy', 'AWS::Logs::LogGroup', '/ecs/media/transcoder', 'platform-admin'),
               change(-6100, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'media/thumbnailer', 'github-actions-deploy'),
               change(-6110, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'thumbnailer:12', 'github-actions-deploy')]
    exp = expect('transcoder-memory-high', 'memory_exhaustion', ['media/transcoder', 'transcoder'],
                 [('AWS/ECS', 'MemoryUtilization', d)])
    doc = scenario('h39-05-transcoder-oom-8k-uploads', 'Transcoder memory alarm; video jobs restarting.', reg, resources, m, logs,
                   alarms, changes, exp)
    meta = dict(file='h39-05-transcoder-oom-8k-uploads.yaml', region=reg, alarm='transcoder-memory-high', category='memory_exhaustion',
                resources='media/transcoder, transcoder', front='origin',
                decoys='TagResource on the service and PutRetentionPolicy on its log group 6-7 min before onset; thumbnailer deploy 1.7 h earlier; steady audio-tag WARN',
                story="The transcoder's MemoryUtilization climbs from ~46 % to 100 % from -43 min and RunningTaskCount dips as tasks die. "
                      "The Go log shows 7680x4320 sources arriving and `fatal error: runtime: out of memory` in frame.(*Decoder).DecodeAll, "
                      "followed by restarts. The only changes on the service are a cost-allocation tag and a log retention edit, which do "
                      "not touch the task definition; no deployment of the transcoder happened (task definition still transcoder:31). The "
                      "thumbnailer deploy is unrelated and healthy. Memory at the limit with OOM crashes: memory_exhaustion on media/transcoder.")
    return doc, meta


def s06():
    """Lambda AccessDenied; read-only policy attach + version publish on the function; bucket policy replaced."""
    rng = rng_for(3906)
    reg = 'us-east-2'
    bp = -1750

    def handler(t, r, lg):
        rep = 'rpt_%s' % hexid(r, 10)
        lg.info('Building export %s format=csv rows=%d' % (rep, r.randint(200, 90000)))
        if t > bp + 30:
            lg.raw(lam.py_traceback('ClientError',
                   'An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::481236590117:assumed-role/report-export-role/report-export '
                   'is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::acme-report-exports/exports/2026/11/24/%s.csv" '
                   'with an explicit deny in a resource-based policy' % rep,
                   [('/var/task/handler.py', 77, 'lambda_handler', 'upload(buf, key)'),
                    ('/var/task/export/storage.py', 31, 'upload', "s3.put_object(Bucket=BUCKET, Key=key, Body=buf, ServerSideEncryption='aws:kms')"),
                    ('/var/lang/lib/python3.11/site-packages/botocore/client.py', 1023, '_make_api_call', 'raise error_class(parsed_response, operation_name)')]), dt=0.9)
            return r.uniform(900, 2400), 'error', r.randint(150, 220)
        lg.info('Uploaded s3://acme-report-exports/exports/2026/11/24/%s.csv (%d KiB)' % (rep, r.randint(20, 9000)), dt=1.2)
        return r.uniform(1200, 3000), 'ok', r.randint(150, 220)

    m1, l1 = lam.simulate(rng, 'report-export', 'python', 1024, 300, lambda t: 6 * diurnal(t), handler, region=reg)

    def aud(t, r, lg):
        lg.info('audit batch flushed events=%d' % r.randint(10, 400))
        if r.random() < 0.2:
            lg.warn('Retrying DynamoDB BatchWriteItem: 3 UnprocessedItems')
        return r.uniform(80, 200), 'ok', r.randint(90, 110)

    m2, l2 = lam.simulate(rng, 'audit-shipper', 'python', 256, 60, lambda t: 10, aud, region=reg)
    resources = [lam.resource('report-export', 'python', 1024, 300, role='report-export-role'),
                 lam.resource('audit-shipper', 'python', 256, 60)]
    for r_ in resources:
        r_['properties']['runtime'] = 'python3.11'
    alarms = [alarm('report-export-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'report-export'}, 'Sum', 300, 1, 2,
                    'GreaterThanThreshold', bp + 330, 'Report export failures')]
    changes = [change(-2200, 'iam.amazonaws.com', 'AttachRolePolicy', 'AWS::IAM::Role', 'report-export-role', 'platform-admin'),
               change(-2050, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'report-export', 'release-bot'),
               change(bp, 's3.amazonaws.com', 'PutBucketPolicy', 'AWS::S3::Bucket', 'acme-report-exports', 'security-baseline-pipeline'),
               change(-8400, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'audit-shipper', 'ops-jmartin')]
    exp = expect('report-export-errors', 'permission_denied', ['acme-report-exports', 'report-export'],
                 [('AWS/Lambda', 'Errors', {'FunctionName': 'report-export'})])
    doc = scenario('h39-06-report-export-bucket-policy-deny', 'Scheduled report exports failing; Errors alarm.', reg, resources,
                   m1 + m2, l1 + l2, alarms, changes, exp)
    meta = dict(file='h39-06-report-export-bucket-policy-deny.yaml', region=reg, alarm='report-export-errors', category='permission_denied',
                resources='acme-report-exports, report-export', front='origin (function) / cause in the S3 bucket policy',
                decoys='AttachRolePolicy (read-only) on report-export-role; PublishVersion on report-export with no alias move; audit-shipper config change 2.3 h earlier with steady DynamoDB retry WARN',
                story="report-export starts failing at -29 min with `AccessDenied ... s3:PutObject ... with an explicit deny in a resource-based policy`. "
                      "The function had two changes shortly before: a read-only managed policy attached to its role (adds permissions, "
                      "cannot create a deny) and a PublishVersion with no alias update (the log still runs $LATEST). Thirty seconds before the "
                      "first failure the security baseline pipeline replaced the bucket policy of acme-report-exports, and the error names a "
                      "resource-based explicit deny. permission_denied, originating in the bucket policy; the function id is also accepted "
                      "because the bucket is not a modelled resource type.")
    return doc, meta


def s07():
    """Throttles on quote-engine; version publish + tag on it; bulk-reindex backlog ate the account concurrency pool."""
    rng = rng_for(3907)
    reg = 'eu-west-2'
    onset = -1700
    surge = lambda t: ramp(t, onset - 240, onset + 60)

    def thr(t):
        return 0.0 if t < onset else 0.45 + rng.uniform(-0.05, 0.05)

    def handler(t, r, lg):
        lg.info('quote computed product=%s term=%dm premium=%.2f GBP' % (r.choice(['home', 'motor', 'pet', 'travel']), r.choice([12, 24, 36]),
                r.uniform(8, 140)), dt=0.05)
        if r.random() < 0.03:
            lg.warn('postcode lookup cache miss; using district-level risk band')
        return r.uniform(90, 260), 'ok', r.randint(110, 140)

    m1, l1 = lam.simulate(rng, 'quote-engine', 'node', 512, 15, lambda t: 30 * diurnal(t), handler, throttle=thr, region=reg)
    d = {'FunctionName': 'bulk-reindex'}
    conc = lambda t: 3 + rng.randint(0, 3) + 945 * surge(t) + (rng.uniform(-10, 5) if surge(t) else 0)
    m2 = [metric('AWS/Lambda', 'Invocations', d, 'Count', series(lambda t: 4 + rng.randint(0, 2) + 1050 * surge(t) + rng.gauss(0, 20) * surge(t), nd=0), reg),
          metric('AWS/Lambda', 'Errors', d, 'Count', series(lambda t: 0.0, nd=0), reg),
          metric('AWS/Lambda', 'Throttles', d, 'Count', series(lambda t: 0.0 if t < onset else rng.randint(20, 90), nd=0), reg),
          metric('AWS/Lambda', 'Duration', d, 'Milliseconds', series(lambda t: 52000 + rng.gauss(0, 3000)), reg),
          metric('AWS/Lambda', 'ConcurrentExecutions', d, 'Count', series(conc, nd=0), reg),
          metric('AWS/Lambda', 'ConcurrentExecutions', {}, 'Count', series(lambda t: min(1000, 28 * diurnal(t) + conc(t) + 10 + rng.randint(0, 4)), nd=0), reg),
          metric('AWS/Lambda', 'UnreservedConcurrentExecutions', {}, 'Count',
                 series(lambda t: min(1000, 28 * diurnal(t) + conc(t) + 10 + rng.randint(0, 4)), nd=0), reg)]

    def rx(t):
        depth = int(1843220 - 9000 * max(0, (t - onset) / 60.0)) if t > onset - 240 else rng.randint(0, 40)
        return '%s %s INFO  ReindexHandler - Received batch of 10 messages from reindex-requests (ApproximateNumberOfMessages=%d)' % (
            clock(t).strftime('%Y-%m-%d %H:%M:%S'), hexid(rng, 8) + '-' + hexid(rng, 4) + '-4' + hexid(rng, 3) + '-a' + hexid(rng, 3) + '-' + hexid(rng, 12), depth)
    rev = events(rng, LOG_START, 0, lambda t: 2 + 40 * surge(t), rx)
    rev += periodic(rng, onset - 300, onset - 200, 200, lambda t: '%s INFO  CatalogExportJob - nightly export complete: enqueued 1843220 reindex requests to reindex-requests' % clock(t).strftime('%Y-%m-%d %H:%M:%S'))
    gw = events(rng, onset, 0, lambda t: 22, lambda t: '(%s) %s' % (lam.rid(rng), rng.choice([
        'Lambda invocation failed with status: 429. Lambda request id: %s' % lam.rid(rng),
        'Execution failed due to configuration error: Rate Exceeded.'])))
    logs = l1 + [stream('/aws/lambda/bulk-reindex', '2026/11/24/[$LATEST]%s' % hexid(rng), rev, reg),
                 stream('API-Gateway-Execution-Logs_7hq2k4m1zc/prod', '7hq2k4m1zc-prod', gw, reg)]
    from .svc import apigw_metrics
    c = lambda t: 31 * diurnal(t) + rng.gauss(0, 2)
    m3 = apigw_metrics('quotes-api', c, lambda t: rng.choice([0, 1]) + (0.45 * c(t) if t >= onset else 0), lambda t: 0.0,
                       lambda t: 190 + rng.gauss(0, 15), region=reg)
    resources = [lam.resource('quote-engine', 'node', 512, 15), lam.resource('bulk-reindex', 'java', 2048, 120),
                 {'type': 'apigateway', 'id': 'quotes-api', 'properties': {'stage': 'prod'}}]
    alarms = [alarm('quote-engine-throttles', 'AWS/Lambda', 'Throttles', {'FunctionName': 'quote-engine'}, 'Sum', 60, 3, 5,
                    'GreaterThanThreshold', onset + 180, 'quote-engine throttled')]
    changes = [change(onset - 300, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'quote-engine', 'release-bot'),
               change(onset - 280, 'lambda.amazonaws.com', 'TagResource20170331v2', 'AWS::Lambda::Function', 'quote-engine', 'release-bot'),
               change(-9800, 'apigateway.amazonaws.com', 'UpdateStage', 'AWS::ApiGateway::Stage', 'quotes-api/prod', 'dev-rshah')]
    exp = expect('quote-engine-throttles', 'throttling', ['bulk-reindex', 'quote-engine'],
                 [('AWS/Lambda', 'Throttles', {'FunctionName': 'quote-engine'}), ('AWS/Lambda', 'ConcurrentExecutions', d)])
    doc = scenario('h39-07-quote-throttles-account-pool', 'Quote requests failing with 429; Throttles alarm on quote-engine.', reg,
                   resources, m1 + m2 + m3, logs, alarms, changes, exp)
    meta = dict(file='h39-07-quote-throttles-account-pool.yaml', region=reg, alarm='quote-engine-throttles', category='throttling',
                resources='bulk-reindex, quote-engine', front='front (throttled function; pool consumed by bulk-reindex)',
                decoys='PublishVersion (no alias move) and TagResource on quote-engine 5 min before onset; quotes-api UpdateStage 2.7 h earlier; steady cache-miss WARN',
                story="quote-engine throttles ~45 % of invocations from -28 min and quotes-api 4xx rise with `Rate Exceeded` / 429 in the "
                      "execution log. quote-engine's own traffic is flat. In the same minutes bulk-reindex, fed by an SQS backlog of 1.8 M "
                      "messages enqueued by the nightly catalog export, scales from ~5 to ~950 concurrent executions and the regional "
                      "ConcurrentExecutions reaches the 1000 account limit; neither function has reserved concurrency. The version publish "
                      "and tag on quote-engine change nothing at runtime (no alias moved). throttling; the pool was drained by bulk-reindex, "
                      "and the throttled function is also accepted.")
    return doc, meta


def s08():
    """ALB 5xx on catalog; manual DB snapshot + tags on the DB; MySQL data volume full."""
    rng = rng_for(3908)
    reg = 'ap-south-1'
    full = -1920
    lb = 'app/catalog-alb/e41f0a7b92c6d835'
    bad = lambda t: t >= full

    def free(t):
        if t < -7200:
            return 31 * GB - (t + 21600) * 4000 + rng.gauss(0, 5e7)
        if t < full:
            return max(0.2 * GB, (31 * GB - 14400 * 4000) * (1 - ramp(t, -7200, full)) + rng.gauss(0, 3e7))
        return 0.08 * GB + abs(rng.gauss(0, 2e7))
    req = lambda t: 780 * diurnal(t) + rng.gauss(0, 30)
    m = alb_metrics(lb, req, lambda t: 0.09 + rng.gauss(0, 0.008) + (0.2 if bad(t) else 0),
                    lambda t: rng.choice([0, 0, 1]) + (0.22 * req(t) if bad(t) else 0), lambda t: 0.0, lambda t: 4, lambda t: 0, reg,
                    t4xx=lambda t: 14 + rng.randint(0, 8))
    m += rds_metrics('catalog-mysql', lambda t: 28 * diurnal(t) + rng.gauss(0, 3) + 12 * ramp(t, -7200, -7000) * (1 if t < full else 0.2),
                     lambda t: 64 + rng.gauss(0, 3), free, lambda t: 0.0011 + abs(rng.gauss(0, 0.0002)),
                     lambda t: 0.0025 + abs(rng.gauss(0, 0.0005)) + (0.004 if -7200 < t < full else 0),
                     lambda t: 9.3 * GB + rng.gauss(0, 1e8), reg)
    m += ecs_metrics('catalog', 'catalog-api', lambda t: 31 * diurnal(t) + rng.gauss(0, 2), lambda t: 44 + rng.gauss(0, 1), reg)
    m += ecs_metrics('catalog', 'catalog-worker', lambda t: 18 + rng.gauss(0, 2) + 20 * ramp(t, -7200, -7100) * (1 if t < full else 0.1),
                     lambda t: 36 + rng.gauss(0, 1), reg)

    def api(t):
        if bad(t) and rng.random() < 0.25:
            return json_line(t, 'ERROR', 'unhandled exception on POST /v2/carts/items', logger='catalog.api.errors',
                             exc_info='Traceback (most recent call last):\n  File "/app/catalog/api/carts.py", line 88, in add_item\n    repo.record_event(cart_id, sku, "add")\n'
                                      '  File "/app/catalog/repo.py", line 141, in record_event\n    cur.execute(INSERT_EVENT, params)\n'
                                      '  File "/usr/local/lib/python3.12/site-packages/pymysql/cursors.py", line 153, in execute\n    result = self._query(query)\n'
                                      'pymysql.err.OperationalError: (1114, "The table \'product_events\' is full")', status=500)
        if rng.random() < 0.02:
            return json_line(t, 'INFO', 'GET /v2/products/%d 404 (unknown sku)' % rng.randint(10000, 99999), logger='catalog.api.access', status=404)
        return json_line(t, 'INFO', '%s 200' % rng.choice(['GET /v2/products/%d' % rng.randint(10000, 99999), 'POST /v2/carts/items',
                         'GET /v2/categories/%d/products' % rng.randint(1, 400)]), logger='catalog.api.access', status=200,
                         duration_ms=rng.randint(8, 90))
    ev = events(rng, LOG_START, 0, lambda t: 28, api)
    my = periodic(rng, LOG_START, -7200, 900, lambda t: mysql_err(t, 0, 'Note', 'MY-010914', 'Aborted connection %d to db: \'catalog\' user: \'catalog_ro\' host: \'10.1.4.%d\' (Got timeout reading communication packets).' % (rng.randint(40000, 90000), rng.randint(2, 200))))
    my += periodic(rng, -7200, full, 600, lambda t: mysql_err(t, 0, 'Note', 'MY-010914', 'Aborted connection %d to db: \'catalog\' user: \'catalog_ro\' host: \'10.1.4.%d\' (Got timeout reading communication packets).' % (rng.randint(40000, 90000), rng.randint(2, 200))))
    my += periodic(rng, full, 0, 30, lambda t: rng.choice([
        mysql_err(t, rng.randint(100, 400), 'ERROR', 'MY-012639', 'InnoDB: Write to file ./catalog/product_events.ibd failed at offset 48318382080, 1048576 bytes should have been written, only 0 were written. Operating system error number 28. Check that your OS and file system support files of this size. Check also that the disk is not full or a disk quota exceeded.'),
        mysql_err(t, rng.randint(100, 400), 'ERROR', 'MY-012640', 'InnoDB: Error number 28 means \'No space left on device\''),
        mysql_err(t, 0, 'ERROR', 'MY-000035', 'Disk is full writing \'/rdsdbdata/log/binlog/mysql-bin-changelog.091842\' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Write of 4096 bytes failed.')]))
    wk = events(rng, LOG_START, 0, lambda t: 3 if t < -7200 else 10, lambda t: json_line(t, 'INFO', 'backfilled product_events batch', logger='catalog.worker.backfill',
                rows=5000, table='product_events') if -7200 < t < full else json_line(t, 'INFO', 'price index refresh ok', logger='catalog.worker'))
    logs = [stream('/ecs/catalog/catalog-api', 'catalog-api/app/%s' % hexid(rng), ev, reg),
            stream('/ecs/catalog/catalog-worker', 'catalog-worker/app/%s' % hexid(rng), wk, reg),
            stream('/aws/rds/instance/catalog-mysql/error', 'catalog-mysql', my, reg)]
    resources = [{'type': 'alb', 'id': lb, 'properties': {'name': 'catalog-alb'}},
                 {'type': 'ecs', 'id': 'catalog/catalog-api', 'properties': {'launch_type': 'FARGATE', 'desired_count': 4}},
                 {'type': 'ecs', 'id': 'catalog/catalog-worker', 'properties': {'launch_type': 'FARGATE', 'desired_count': 1}},
                 {'type': 'rds', 'id': 'catalog-mysql', 'properties': {'engine': 'mysql', 'engine_version': '8.0.39', 'instance_class': 'db.r6g.xlarge',
                  'allocated_storage_gb': 200, 'max_allocated_storage_gb': 200, 'max_connections': 1200}}]
    alarms = [alarm('catalog-alb-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}, 'Sum', 60, 3, 20,
                    'GreaterThanThreshold', full + 200, 'Catalog API 5xx')]
    changes = [change(full - 640, 'rds.amazonaws.com', 'CreateDBSnapshot', 'AWS::RDS::DBInstance', 'catalog-mysql', 'backup-operator'),
               change(full - 600, 'rds.amazonaws.com', 'AddTagsToResource', 'AWS::RDS::DBInstance', 'catalog-mysql', 'backup-operator'),
               change(-9000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'catalog/catalog-worker', 'github-actions-deploy')]
    exp = expect('catalog-alb-5xx', 'storage_exhaustion', ['catalog-mysql'],
                 [('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb}),
                  ('AWS/RDS', 'FreeStorageSpace', {'DBInstanceIdentifier': 'catalog-mysql'})])
    doc = scenario('h39-08-catalog-5xx-mysql-disk-full', 'Add-to-cart failing with 500s; catalog ALB 5xx alarm.', reg, resources,
                   m, logs, alarms, changes, exp)
    meta = dict(file='h39-08-catalog-5xx-mysql-disk-full.yaml', region=reg, alarm='catalog-alb-5xx', category='storage_exhaustion',
                resources='catalog-mysql', front='front (ALB)',
                decoys='manual CreateDBSnapshot + AddTagsToResource on catalog-mysql 10 min before onset; catalog-worker deploy 2.5 h earlier; steady 404s and aborted-connection notes',
                story="catalog-alb target 5xx rise at -32 min; catalog-api tracebacks show `(1114, \"The table 'product_events' is full\")` on cart writes. "
                      "catalog-mysql FreeStorageSpace falls steeply from -2 h (the backfill job writing product_events) and is ~0 at onset; the "
                      "MySQL error log shows OS errno 28 `No space left on device` for the tablespace and binlog. The manual snapshot and tag "
                      "edit on the DB do not consume its storage (snapshots live in S3). storage_exhaustion on catalog-mysql.")
    return doc, meta
