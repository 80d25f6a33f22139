"""Scenarios 05-08."""
import json
import random

from .common import (LOG_START, alarm, alb_metrics, apigw_http_metrics, change, const, day, ec2_metrics, ecs_metrics,
                     events, every, expect, hx, ip, iso, lambda_invocations, lambda_metrics, log, ms, ramp, rds_metrics,
                     res, rid, scenario, split_streams, ts)


# ------------------------------------------------------------------ 05 Aurora MySQL connection exhaustion, origin alarm
def s05():
    r = random.Random(4005)
    reg, T0 = 'eu-central-1', -1500
    w, rd, cl = 'crm-aurora-instance-1', 'crm-aurora-instance-2', 'crm-aurora'
    lb = 'app/crm-contacts/0d7e3b9a51c4f286'
    full = lambda t: t >= T0
    conns = lambda t: 1045 if full(t) else 310 * day(t, 0.15) + ramp(t, -4300, T0, 0, 700)
    metrics = rds_metrics(r, w, lambda t: 24 + (9 if full(t) else ramp(t, -4300, T0, 0, 8)), conns, const(0),
                          free_mem_gb=lambda t: 9.8 - ramp(t, -4300, T0, 0, 1.6), max_conn=1000)
    metrics = [m for m in metrics if m['name'] != 'FreeStorageSpace']   # Aurora: storage is cluster-managed
    metrics += rds_metrics(r, rd, lambda t: 16 if not (-12600 < t < -11400) else 81, const(44), const(0),
                           free_mem_gb=const(11.2))[:2]
    req = lambda t: 620 * day(t, 0.2)
    metrics += alb_metrics(r, lb, req, lambda t: 0.045 if not full(t) else 0.9,
                           t5=lambda t: 0.3 + (req(t) * 0.38 if full(t) else 0), healthy=const(5))
    metrics += ecs_metrics(r, 'crm', 'contacts-api', const(29), const(48), const(5))
    metrics += ecs_metrics(r, 'crm', 'ui-gateway', const(15), const(33), const(3))
    metrics += lambda_metrics(r, 'crm-webhook-handler', const(7), err=lambda t: 4.5 if full(t) else 0, dur=const(140))
    host = 'crm-aurora.cluster-c7xkq2wz8b1m.eu-central-1.rds.amazonaws.com'

    def dotnet(t, r):
        u = r.random()
        if u < 0.07:   # pre-existing slow-search warning, constant rate
            return 'warn: Acme.Crm.Contacts.Search.ContactSearchService[0]\n      Slow search query term-length=%d took %d ms' % (r.randint(2, 4), r.randint(900, 1900))
        if full(t) and u < 0.45:
            return ("fail: Microsoft.EntityFrameworkCore.Database.Connection[20004]\n      An error occurred using the connection to database 'crm' on server '%s'.\n"
                    "fail: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[1]\n      An unhandled exception has occurred while executing the request.\n"
                    "      MySqlConnector.MySqlException (0x80004005): Too many connections\n"
                    "         at MySqlConnector.Core.ServerSession.ConnectAsync(ConnectionSettings cs, MySqlConnection connection, Int64 startingTimestamp, ILoadBalancer loadBalancer, Activity activity, IOBehavior ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/ServerSession.cs:line 544\n"
                    "         at MySqlConnector.MySqlConnection.CreateSessionAsync(ConnectionPool pool, Int64 startingTimestamp, Activity activity, Nullable`1 ioBehavior, CancellationToken cancellationToken) in /_/src/MySqlConnector/MySqlConnection.cs:line 1003\n"
                    "         at Acme.Crm.Contacts.Data.ContactRepository.GetAsync(String id) in /src/Contacts.Data/ContactRepository.cs:line 41" % host)
        path = r.choice(['/api/contacts/c_%s' % hx(r, 8), '/api/contacts?owner=u_%s' % hx(r, 6), '/api/accounts/a_%s/contacts' % hx(r, 6)])
        return 'info: Microsoft.AspNetCore.Hosting.Diagnostics[2]\n      Request finished HTTP/1.1 GET http://contacts-api%s - 200 - application/json;+charset=utf-8 %.1fms' % (path, r.uniform(8, 60))
    logs = [log('/ecs/crm/contacts-api', 'contacts-api/contacts-api/%s' % hx(r, 32), events(r, const(45), dotnet))]

    def wh(t, q, r):
        if full(t) and r.random() < 0.65:
            return ([(0.05, "[ERROR]\t%s\t%s\tpymysql.err.OperationalError: (1040, 'Too many connections')\nTraceback (most recent call last):\n"
                      "  File \"/var/task/handler.py\", line 27, in handler\n    conn = pymysql.connect(host=DB_HOST, user=DB_USER, password=secret, database=\"crm\", connect_timeout=5)\n"
                      "pymysql.err.OperationalError: (1040, 'Too many connections')" % (iso(t), q))], r.uniform(60, 120), 92, 'error')
        return [(0.02, '[INFO]\t%s\t%s\tupserted contact from hubspot webhook portal=%d' % (iso(t), q, r.randint(100000, 999999)))], r.uniform(90, 200), 95, 'ok'
    logs += split_streams('/aws/lambda/crm-webhook-handler', lambda_invocations(r, const(7), wh, 256, 10), [], r)

    def aur(t, r):
        return '%s %d [Note] [MY-010914] [Server] Aborted connection %d to db: \'crm\' user: \'contacts_app\' host: \'%s\' (Got an error reading communication packets).' % (
            ts(t, '%Y-%m-%dT%H:%M:%S.') + '%06dZ' % r.randint(0, 999999), r.randint(1000, 90000), r.randint(100000, 999999), ip(r, '10.40'))
    aev = events(r, const(0.6), aur) + every(3600, lambda t: '%sZ 0 [Note] [MY-010000] [Server] Aurora: binlog disabled, skipping purge' % ts(t, '%Y-%m-%dT%H:%M:%S.000000'), r=r)
    logs.append(log('/aws/rds/cluster/crm-aurora/error', w, aev))
    ui = events(r, const(6), lambda t, r: 'info: Yarp.ReverseProxy.Forwarder.HttpForwarder[9]\n      Proxying to http://contacts-api.crm.local%s HTTP/2 RequestVersionOrLower' % r.choice(['/api/contacts', '/api/accounts']))
    logs.append(log('/ecs/crm/ui-gateway', 'ui-gateway/ui-gateway/%s' % hx(r, 32), ui))
    changes = [change(-2000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'crm/ui-gateway', 'octopus-deploy'),
               change(-2010, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'ui-gateway:57', 'octopus-deploy')]
    alarms = [alarm('crm-aurora-writer-connections', 'AWS/RDS', 'DatabaseConnections', {'DBInstanceIdentifier': w}, 'Maximum', 60, 3, 950,
                    'GreaterThanThreshold', T0 + 120, 'Aurora writer connection count near max_connections'),
              alarm('crm-aurora-reader-cpu', 'AWS/RDS', 'CPUUtilization', {'DBInstanceIdentifier': rd}, 'Average', 300, 2, 75,
                    'GreaterThanThreshold', -11100, 'Reader CPU', state='OK')]
    resources = [res('rds', w, engine='aurora-mysql', engine_version='8.0.mysql_aurora.3.05.2', instance_class='db.r6g.large',
                     max_connections=1000, cluster=cl, role='writer'),
                 res('rds', rd, engine='aurora-mysql', instance_class='db.r6g.large', max_connections=1000, cluster=cl, role='reader'),
                 res('ecs', 'crm/contacts-api', cluster='crm', service='contacts-api', runtime='dotnet8', desired_count=5),
                 res('ecs', 'crm/ui-gateway', cluster='crm', service='ui-gateway', desired_count=3),
                 res('alb', lb, name='crm-contacts', targets='ecs:crm/contacts-api'),
                 res('lambda', 'crm-webhook-handler', runtime='python3.12', timeout=10, memory_size=256)]
    exp = expect('crm-aurora-writer-connections', 'db_connection_exhaustion', [w, cl],
                 [('AWS/RDS', 'DatabaseConnections', {'DBInstanceIdentifier': w})])
    meta = dict(slug='crm-aurora-too-many-connections', alarm_on='origin (Aurora writer DatabaseConnections)',
                decoys='ui-gateway ECS deploy 8 min before saturation (proxy only, no DB access); old ETL CPU spike on the reader with its alarm back to OK; steady slow-search WARN and "Aborted connection" notes',
                story='Connections on the Aurora MySQL writer climbed for ~45 minutes from their usual ~300 to the 1000 '
                      'max_connections limit and have stayed pinned there for 25 minutes. Both clients now fail to connect: '
                      'contacts-api (.NET, MySqlConnector "Too many connections") and crm-webhook-handler (pymysql error 1040). '
                      'Writer CPU and memory are unremarkable. Connection count at the limit with "too many connections" errors is '
                      'db_connection_exhaustion on the writer/cluster; the ui-gateway deploy only proxies HTTP and the reader CPU '
                      'spike was hours earlier.')
    return scenario('h40-05-crm-aurora-too-many-connections', 'Aurora writer DatabaseConnections alarm; CRM contact pages erroring.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 06 RDS Postgres CPU saturation, HTTP API latency alarm
def s06():
    r = random.Random(4006)
    reg, T0 = 'us-east-1', -2100
    db, api_id = 'geo-pg', 'k3x9q2m7za'
    hot = lambda t: t >= T0
    inv = lambda t: 14 * day(t, 0.2)
    dbms = lambda t: 35 if not hot(t) else ramp(t, T0, T0 + 300, 35, 3600)
    metrics = rds_metrics(r, db, lambda t: 34 * day(t, 0.2) if not hot(t) else ramp(t, T0, T0 + 240, 40, 98.5), const(140), const(612),
                          rlat=lambda t: 0.0011 if not hot(t) else 0.0042, free_mem_gb=const(5.6),
                          extra=[('ReadIOPS', 'Count/Second', lambda t: 900 if not hot(t) else 2600)])
    metrics += lambda_metrics(r, 'geo-nearby', inv, err=lambda t: inv(t) * 0.12 if hot(t) else 0.02,
                              dur=lambda t: 60 + dbms(t), cap=10000)
    metrics += lambda_metrics(r, 'geo-autocomplete', lambda t: 40 * day(t, 0.2), dur=const(35))
    metrics += lambda_metrics(r, 'geo-tile-cache-warmer', const(2), dur=const(8000))
    cnt = lambda t: 54 * day(t, 0.2)
    metrics += apigw_http_metrics(r, api_id, '$default', cnt, const(0.8), lambda t: 0.1 + (inv(t) * 0.12 if hot(t) else 0),
                                  lambda t: (60 + dbms(t)) * 14 / 54 + 40, lambda t: (50 + dbms(t)) * 14 / 54 + 30)
    sql = "SELECT p.id, p.name, ST_Distance(p.geom, ST_MakePoint($1,$2)::geography) AS d FROM places p WHERE ST_DWithin(p.geom, ST_MakePoint($1,$2)::geography, $3) AND p.category = ANY($4) ORDER BY d LIMIT 50"

    def body(t, q, r):
        lat, lon = r.uniform(25, 48), r.uniform(-122, -71)
        d = 60 + dbms(t) * r.uniform(0.6, 1.5)
        if hot(t) and d > 5000 or (hot(t) and r.random() < 0.1):
            return ([(0.01, '[INFO]\t%s\t%s\tnearby lat=%.4f lon=%.4f radius=%d' % (iso(t), q, lat, lon, r.choice([500, 1000, 2000]))),
                     (5.02, '[ERROR]\t%s\t%s\tpsycopg.errors.QueryCanceled: canceling statement due to statement timeout\nTraceback (most recent call last):\n'
                      '  File "/var/task/nearby.py", line 61, in handler\n    rows = cur.execute(NEARBY_SQL, params).fetchall()\n'
                      '  File "/opt/python/psycopg/cursor.py", line 732, in execute\n    raise ex.with_traceback(None)\npsycopg.errors.QueryCanceled: canceling statement due to statement timeout' % (iso(t + 5.02), q))],
                    5080, 118, 'error')
        return ([(0.01, '[INFO]\t%s\t%s\tnearby lat=%.4f lon=%.4f radius=%d results=%d db_ms=%d' % (iso(t), q, lat, lon, r.choice([500, 1000, 2000]), r.randint(0, 50), d - 55))],
                d, 112, 'ok')
    logs = split_streams('/aws/lambda/geo-nearby', lambda_invocations(r, inv, body, 512, 10), [-6000], r)

    def pg(t, r):
        if hot(t):
            return '%s UTC:%s(%d):geo_app@geo:[%d]:LOG:  duration: %.3f ms  execute <unnamed>: %s' % (
                ts(t), ip(r, '10.8'), r.randint(30000, 60000), r.randint(2000, 30000), r.uniform(1200, 4900), sql)
        if r.random() < 0.5:
            return '%s UTC:%s(%d):geo_app@geo:[%d]:LOG:  duration: %.3f ms  execute <unnamed>: %s' % (
                ts(t), ip(r, '10.8'), r.randint(30000, 60000), r.randint(2000, 30000), r.uniform(1000, 1400), 'SELECT tile_id, payload FROM tile_cache WHERE z = $1 AND x BETWEEN $2 AND $3')
        return None
    pev = events(r, lambda t: 14 if hot(t) else 0.5, pg)
    pev += [[round(t + 5.0, 3), '%s UTC:%s(%d):geo_app@geo:[%d]:ERROR:  canceling statement due to statement timeout' % (ts(t), ip(r, '10.8'), r.randint(30000, 60000), r.randint(2000, 30000))]
            for t in range(T0 + 300, -1, 37)]
    pev += every(300, lambda t: '%s UTC::@:[412]:LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, 1 recycled' % (ts(t), 1800, 1.4))
    logs.append(log('/aws/rds/instance/geo-pg/postgresql', 'geo-pg.0', pev))

    def ac(t, q, r):
        return [(0.01, '[INFO]\t%s\t%s\tautocomplete q_len=%d hits=%d os_ms=%d' % (iso(t), q, r.randint(2, 9), r.randint(0, 10), r.randint(8, 30)))], r.uniform(20, 60), 90, 'ok'
    logs += split_streams('/aws/lambda/geo-autocomplete', lambda_invocations(r, const(8), ac, 256, 5), [], r)

    def tw(t, q, r):
        return [(0.01, '[INFO]\t%s\t%s\twarmed %d tiles z=%d from s3://acme-geo-tiles' % (iso(t), q, r.randint(400, 900), r.randint(10, 14)))], r.uniform(6000, 9000), 300, 'ok'
    logs += split_streams('/aws/lambda/geo-tile-cache-warmer', lambda_invocations(r, const(2), tw, 1024, 60), [-2600], r)
    changes = [change(-2620, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'geo-tile-cache-warmer', 'sam-deployer'),
               change(-2600, 'lambda.amazonaws.com', 'PublishVersion20150331', 'AWS::Lambda::Function', 'geo-tile-cache-warmer', 'sam-deployer')]
    alarms = [alarm('geo-http-api-latency', 'AWS/ApiGateway', 'Latency', {'ApiId': api_id, 'Stage': '$default'}, 'Average', 60, 5, 600,
                    'GreaterThanThreshold', T0 + 600, 'geo HTTP API average latency')]
    resources = [res('rds', db, engine='postgres', engine_version='15.6', instance_class='db.m6g.large', max_connections=800, allocated_storage_gb=1000),
                 res('lambda', 'geo-nearby', runtime='python3.11', timeout=10, memory_size=512),
                 res('lambda', 'geo-autocomplete', runtime='python3.11', timeout=5, memory_size=256, backend='OpenSearch'),
                 res('lambda', 'geo-tile-cache-warmer', runtime='python3.11', timeout=60, memory_size=1024),
                 res('apigateway', 'geo-http-api', api_type='HTTP', api_id=api_id, stage='$default', integrations=['geo-nearby', 'geo-autocomplete'])]
    exp = expect('geo-http-api-latency', 'cpu_saturation', [db],
                 [('AWS/RDS', 'CPUUtilization', {'DBInstanceIdentifier': db}), ('AWS/ApiGateway', 'Latency', {'ApiId': api_id, 'Stage': '$default'})])
    meta = dict(slug='geo-latency-postgres-cpu-pinned', alarm_on='front (HTTP API latency)',
                decoys='geo-tile-cache-warmer code deploy 8 min before onset (S3 only, clean logs); pre-existing slow tile_cache statements',
                story='geo-pg CPU went from ~35 % to a flat 98-100 % 35 minutes ago with no change on the database, its clients or '
                      'traffic. The Postgres log fills with multi-second executions of the usual nearby query and statement '
                      'timeouts; geo-nearby duration rises from ~100 ms to ~3.6 s with some QueryCanceled errors, and the HTTP API '
                      'average latency alarm fires. geo-autocomplete (OpenSearch backed) is unaffected. The database is the '
                      'saturated resource, so this is cpu_saturation on geo-pg, not a dependency failure of a healthy DB; the '
                      'tile warmer deploy only touches S3.')
    return scenario('h40-06-geo-latency-postgres-cpu-pinned', 'geo HTTP API latency alarm; map search slow for users.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 07 ECS Java heap leak -> OOM kills, ALB unhealthy alarm
def s07():
    r = random.Random(4007)
    reg, T0 = 'ap-northeast-1', -1800
    lb, svc = 'app/reco-alb/6b1d9e2f4a7c3e05', 'recs/reco-api'
    oom = lambda t: t >= T0
    kills = [T0 + 40 + i * 270 + r.randint(-60, 60) for i in range(7)]
    down = lambda t: any(k <= t < k + 150 for k in kills)
    mem = lambda t: ramp(t, -21600, T0, 61, 97) if not oom(t) else 86 + 13 * (((t - T0) % 270) / 270.0)
    req = lambda t: 1400 * day(t, 0.2, 30000)
    metrics = ecs_metrics(r, 'recs', 'reco-api', lambda t: 38 + ramp(t, -21600, T0, 0, 22) + (12 if oom(t) else 0), mem,
                          lambda t: 3 if down(t) else 4)
    metrics += alb_metrics(r, lb, req, lambda t: 0.07 + ramp(t, -7200, T0, 0, 0.08) + (0.6 if oom(t) else 0),
                           t5=lambda t: 0.5 + (req(t) * 0.02 if oom(t) else 0), e5=lambda t: req(t) * 0.03 if down(t) else 0.1,
                           healthy=lambda t: 3 if down(t) else 4, unhealthy=lambda t: 1 if down(t) else 0)
    metrics += ecs_metrics(r, 'recs', 'reco-batch', const(45), const(52), const(2))
    metrics += lambda_metrics(r, 'reco-feedback', const(30), err=const(0.3), dur=const(45))

    def gc_after(t):
        return int(1150 + 2750 * (t - LOG_START + 21600 - 7200) / 21600.0) if not oom(t) else r.randint(3880, 4050)

    def app(t, r):
        u = r.random()
        th = 'http-nio-8080-exec-%d' % r.randint(1, 200)
        if u < 0.05:   # pre-existing, constant
            return '%s.%s  WARN 1 --- [%s] c.a.reco.features.FeatureStoreClient     : feature store miss user=u_%s, falling back to popularity model' % (ts(t), ms(t), th, hx(r, 8))
        if u < 0.25:
            after = gc_after(t)
            if oom(t) and r.random() < 0.5:
                return '[%s.%s+0000][info][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(4096M) %.3fms' % (ts(t, '%Y-%m-%dT%H:%M:%S'), ms(t), r.randint(40000, 90000), 4090, after, r.uniform(1800, 3400))
            return '[%s.%s+0000][info][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(4096M) %.3fms' % (ts(t, '%Y-%m-%dT%H:%M:%S'), ms(t), r.randint(40000, 90000), min(4090, after + 900), after, r.uniform(9, 40) if not oom(t) else r.uniform(120, 600))
        if oom(t) and u < 0.36:
            return ('%s.%s ERROR 1 --- [%s] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception '
                    '[Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause\njava.lang.OutOfMemoryError: Java heap space\n'
                    '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n'
                    '\tat com.acme.reco.session.SessionHistoryCache.append(SessionHistoryCache.java:88)\n'
                    '\tat com.acme.reco.api.RecommendationController.recommend(RecommendationController.java:61)' % (ts(t), ms(t), th))
        return '%s.%s  INFO 1 --- [%s] c.a.reco.api.RecommendationController    : GET /v3/recommendations user=u_%s slot=%s items=%d took=%dms' % (
            ts(t), ms(t), th, hx(r, 8), r.choice(['home', 'pdp', 'cart']), r.randint(8, 24), r.randint(15, 80) if not oom(t) else r.randint(300, 3000))
    evs = events(r, const(40), app)
    for k in kills:
        if k < -5:
            evs.append([k + 75, '%s.%s  INFO 1 --- [main] com.acme.reco.RecoApiApplication          : Started RecoApiApplication in 24.113 seconds (process running for 25.9)' % (ts(k + 75), ms(k + 75))])
    logs = [log('/ecs/recs/reco-api', 'reco-api/reco-api/%s' % hx(r, 32), evs)]
    tev = []
    for k in kills:
        if k < 0:
            task = hx(r, 32)
            tev.append([k + 2, json.dumps({'version': '0', 'detail-type': 'ECS Task State Change', 'source': 'aws.ecs', 'region': reg,
                                           'detail': {'clusterArn': 'arn:aws:ecs:%s:730335118204:cluster/recs' % reg, 'group': 'service:reco-api',
                                                      'taskArn': 'arn:aws:ecs:%s:730335118204:task/recs/%s' % (reg, task), 'lastStatus': 'STOPPED',
                                                      'stopCode': 'EssentialContainerExited', 'stoppedReason': 'OutOfMemoryError: Container killed due to memory usage',
                                                      'containers': [{'name': 'reco-api', 'exitCode': 137, 'lastStatus': 'STOPPED'}],
                                                      'memory': '4096', 'cpu': '2048', 'taskDefinitionArn': 'arn:aws:ecs:%s:730335118204:task-definition/reco-api:143' % reg}})])
    for t in range(-3300, -3000, 60):
        tev.append([t, json.dumps({'detail-type': 'ECS Task State Change', 'source': 'aws.ecs', 'detail': {'group': 'service:reco-batch', 'lastStatus': 'STOPPED',
                                   'stopCode': 'ServiceSchedulerInitiated', 'stoppedReason': 'Scaling activity initiated by (deployment ecs-svc/4409183317701234)'}})])
    logs.append(log('/aws/events/ecs-task-state', 'ecs-events', tev))

    def fb(t, q, r):
        L = [(0.01, '%s\t%s\tINFO\tconsumed %d feedback events shard=%s' % (iso(t), q, r.randint(50, 500), 'shardId-00000000000%d' % r.randint(0, 3)))]
        if r.random() < 0.01:
            L.append((0.03, '%s\t%s\tWARN\tPutRecords partial failure: 1 of 500 records throttled, retrying' % (iso(t), q)))
        return L, r.uniform(30, 70), 120, 'ok'
    logs += split_streams('/aws/lambda/reco-feedback', lambda_invocations(r, const(6), fb, 256, 30), [], r)
    changes = [change(-3320, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'reco-batch:22', 'spinnaker'),
               change(-3300, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'recs/reco-batch', 'spinnaker')]
    alarms = [alarm('reco-alb-unhealthy-hosts', 'AWS/ApplicationELB', 'UnHealthyHostCount', {'LoadBalancer': lb}, 'Maximum', 60, 2, 0,
                    'GreaterThanThreshold', kills[1] + 60, 'reco targets failing health checks')]
    resources = [res('ecs', svc, cluster='recs', service='reco-api', launch_type='FARGATE', cpu=2048, memory=4096, desired_count=4,
                     task_definition='reco-api:143', jvm_opts='-Xmx3584m -XX:+UseG1GC', last_deployed='2 days ago'),
                 res('ecs', 'recs/reco-batch', cluster='recs', service='reco-batch', desired_count=2),
                 res('alb', lb, name='reco-alb', targets='ecs:recs/reco-api'),
                 res('lambda', 'reco-feedback', runtime='nodejs20.x', timeout=30, memory_size=256)]
    exp = expect('reco-alb-unhealthy-hosts', 'memory_exhaustion', [svc, 'reco-api'],
                 [('AWS/ECS', 'MemoryUtilization', {'ClusterName': 'recs', 'ServiceName': 'reco-api'})])
    meta = dict(slug='reco-unhealthy-targets-heap-oom', alarm_on='front (ALB UnHealthyHostCount)',
                decoys='reco-batch ECS deploy 25 min before the first kill (separate service, clean stop reasons); steady feature-store miss WARN; reco-feedback throttle WARN',
                story='reco-api (Spring Boot on Fargate, last deployed two days ago) has been leaking heap: the post-GC heap in '
                      'its GC log and the service MemoryUtilization creep up all day. 30 minutes ago memory reached the limit: '
                      'Full GC pauses, "java.lang.OutOfMemoryError: Java heap space" in SessionHistoryCache, and ECS task stops '
                      'with "OutOfMemoryError: Container killed due to memory usage" (exit 137) roughly every 4-5 minutes. Each kill '
                      'leaves a target unhealthy, firing the ALB alarm. This is memory_exhaustion on the reco-api service; the '
                      'reco-batch deploy is a different service.')
    return scenario('h40-07-reco-unhealthy-targets-heap-oom', 'reco ALB UnHealthyHostCount alarm; recommendations intermittently failing.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)


# ------------------------------------------------------------------ 08 EC2 data volume full, origin disk alarm
def s08():
    r = random.Random(4008)
    reg, T0 = 'eu-west-2', -1380
    a, b = 'i-0e71b3c9a2d4f5061', 'i-0f2c7d3e9a1b4c582'
    lb = 'app/archiver-internal/9a3c5e7b1d2f4068'
    full = lambda t: t >= T0
    disk = lambda t: 100.0 if full(t) else ramp(t, -21600, T0, 71.2, 100.0)
    req = lambda t: 160 * day(t, 0.2)
    metrics = ec2_metrics(r, a, lambda t: 24 if not full(t) else 9, disk=disk, path='/data', fstype='ext4', mem=const(52))
    metrics += ec2_metrics(r, b, lambda t: 22 if not (-3660 < t < -3300) else 74, disk=const(38.4), path='/data', fstype='ext4', mem=const(50))
    metrics += alb_metrics(r, lb, req, lambda t: 0.21 if not full(t) else 0.12, t5=lambda t: 0.2 + (req(t) * 0.5 * 0.9 if full(t) else 0),
                           healthy=const(2))

    def app(t, r, host):
        u = r.random()
        pid = r.randint(4100, 4108)
        stamp = '[%s +0000] [%d]' % (ts(t), pid)
        if u < 0.06:   # steady pre-existing retry noise on both hosts
            return "%s [WARNING] urllib3.connectionpool: Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'RemoteDisconnected('Remote end closed connection without response')': /v1/hooks/archived" % stamp
        doc = 'INV-%d' % r.randint(5000000, 5999999)
        if host == 'a' and full(t) and u < 0.6:
            return ('%s [ERROR] archiver.api: POST /archive failed doc=%s\nTraceback (most recent call last):\n  File "/opt/archiver/archiver/api.py", line 88, in archive\n'
                    '    spool.write(doc_id, payload)\n  File "/opt/archiver/archiver/spool.py", line 41, in write\n    with open(tmp_path, "wb") as fh:\n'
                    "OSError: [Errno 28] No space left on device: '/data/spool/%s.pdf.part'" % (stamp, doc, doc))
        if host == 'a' and u < 0.1:
            return '%s [INFO] archiver.compact: spool retained %d sealed segments pending upload (oldest %s)' % (stamp, int(ramp(t, LOG_START, T0, 5100, 6950)), ts(-30000, '%Y-%m-%dT%H:%M'))
        return '%s [INFO] archiver.api: archived %s pages=%d bytes=%d' % (stamp, doc, r.randint(1, 12), r.randint(40000, 900000))
    logs = [log('/ec2/invoice-archiver/app', 'invoice-archiver-1/' + a, events(r, const(30), lambda t, r: app(t, r, 'a'))),
            log('/ec2/invoice-archiver/app', 'invoice-archiver-2/' + b, events(r, const(30), lambda t, r: app(t, r, 'b')))]
    sysl = every(600, lambda t: '%s invoice-archiver-1 amazon-cloudwatch-agent: disk /data used %.1f%%' % (ts(t, '%b %d %H:%M:%S'), disk(t)))
    sysl += [[T0 + 30, '%s invoice-archiver-1 kernel: EXT4-fs warning (device nvme1n1): ext4_dx_add_entry:2461: Directory (ino: 524289) index full, reach max htree level :2' % ts(T0 + 30, '%b %d %H:%M:%S')]]
    sysl += [[-3620 + i * 40, '%s invoice-archiver-%d yum[%d]: Updated: %s' % (ts(-3620 + i * 40, '%b %d %H:%M:%S'), 1 + i % 2, 9000 + i, p)]
             for i, p in enumerate(['openssl-libs-3.0.8-1.amzn2023.0.14.x86_64', 'openssl-libs-3.0.8-1.amzn2023.0.14.x86_64', 'kernel-6.1.109-118.189.amzn2023.x86_64', 'kernel-6.1.109-118.189.amzn2023.x86_64'])]
    logs.append(log('/ec2/invoice-archiver/syslog', 'invoice-archiver', sysl))
    changes = [change(-3660, 'ssm.amazonaws.com', 'SendCommand', 'AWS::EC2::Instance', a, 'patch-manager'),
               change(-3660, 'ssm.amazonaws.com', 'SendCommand', 'AWS::EC2::Instance', b, 'patch-manager')]
    alarms = [alarm('invoice-archiver-1-data-disk', 'CWAgent', 'disk_used_percent', {'InstanceId': a, 'path': '/data', 'fstype': 'ext4'},
                    'Maximum', 60, 3, 97, 'GreaterThanThreshold', -3300, 'Data volume almost full on invoice-archiver-1')]
    resources = [res('ec2', a, name='invoice-archiver-1', instance_type='m6i.large', data_volume_gb=500, asg='invoice-archiver-asg',
                     log_groups=['/ec2/invoice-archiver/app', '/ec2/invoice-archiver/syslog']),
                 res('ec2', b, name='invoice-archiver-2', instance_type='m6i.large', data_volume_gb=500, asg='invoice-archiver-asg'),
                 res('alb', lb, name='archiver-internal', scheme='internal', targets='ec2:invoice-archiver-asg')]
    exp = expect('invoice-archiver-1-data-disk', 'storage_exhaustion', [a, 'invoice-archiver-1'],
                 [('CWAgent', 'disk_used_percent', {'InstanceId': a, 'path': '/data', 'fstype': 'ext4'})])
    meta = dict(slug='archiver-data-volume-full', alarm_on='origin (CWAgent disk_used_percent on the instance)',
                decoys='Patch Manager run (SendCommand, yum updates) on both hosts 38 min before; CPU blip on invoice-archiver-2 during patching; steady urllib3 retry WARNINGs on both hosts',
                story='The /data volume of invoice-archiver-1 grew steadily all day (sealed spool segments were retained instead of '
                      'being uploaded) and crossed the 97 % alarm threshold 55 minutes ago and reached 100 % 23 minutes ago. Since then about half of POST /archive requests that land '
                      'on that host fail with "OSError: [Errno 28] No space left on device", visible as ALB target 5xx; '
                      'invoice-archiver-2 is at 38 % and healthy. Disk full with ENOSPC errors is storage_exhaustion on '
                      'invoice-archiver-1. The patch run touched both hosts equally and the urllib3 retries are constant.')
    return scenario('h40-08-archiver-data-volume-full', 'Data volume alarm on invoice-archiver-1; archive uploads failing.',
                    reg, resources, metrics, logs, alarms, changes, exp, meta)
