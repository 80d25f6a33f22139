"""Shared PostgreSQL: plan-flip CPU saturation, neighbour scale-out connection exhaustion."""
from .lib import LOG_FROM, Scn, diurnal, hexid, periodic, ramp, sprinkle
from .sims import ecs_metrics, lambda_fn, logback, pg, pg_checkpoints, rds_metrics

GB = 1e9


def s03_pg_plan_flip_cpu():
    sc = Scn('h25-03-shared-pg-plan-regression-cpu', 2503, 'us-west-2',
             'Catalog API timing out; product pages failing. Errors alarm on catalog-api.')
    db, onset, analyze = 'catalog-shared-pg', -2700, -2760
    sc.resource('rds', db, engine='postgres', engine_version='16.2', instance_class='db.m6g.xlarge',
                max_connections=1200, allocated_storage_gb=500)
    sc.resource('lambda', 'catalog-api', runtime='python3.11', timeout=10, memory_size=512)
    sc.resource('lambda', 'search-indexer', runtime='python3.11', timeout=300, memory_size=1536)
    sc.resource('ecs', 'storefront/merch-admin', launch_type='FARGATE', desired_count=2)
    rds_metrics(sc, db, cpu=lambda t: ramp(t, onset, onset + 180, 31 * diurnal(t), 99.2),
                conns=lambda t: ramp(t, onset, onset + 600, 180, 268), free_storage=221 * GB,
                read_lat=0.0012, read_iops=lambda t: 700, freeable_mem=lambda t: 6.2e9)
    sc.change(-3600, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'search-indexer', 'ci-deployer')
    sc.change(-8000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'storefront/merch-admin', 'terraform-platform')
    rng = sc.rng
    q = ('SELECT v.* FROM product_variants v JOIN inventory_levels i ON i.variant_id = v.id '
         'WHERE v.product_id = $1 AND v.status = \'active\' ORDER BY v.position')

    def cat(t, rng):
        pid = rng.randint(10000, 999999)
        lines = [('INFO', 'GET /products/%d/variants' % pid)]
        if t >= onset:
            if rng.random() < 0.5:
                return 'error', rng.uniform(5000, 5100), lines + [('ERROR', 'QueryCanceled: canceling statement due to statement timeout\n'
                    'Traceback (most recent call last):\n  File "/var/task/catalog/handler.py", line 61, in get_variants\n'
                    '    rows = repo.variants_for_product(pid)\n  File "/var/task/catalog/repo.py", line 34, in variants_for_product\n'
                    '    cur.execute(VARIANTS_SQL, (product_id,))\npsycopg2.errors.QueryCanceled: canceling statement due to statement timeout')]
            return 'ok', rng.uniform(1800, 4900), lines + [('INFO', 'served %d variants' % rng.randint(1, 30))]
        return 'ok', rng.uniform(25, 90), lines + [('INFO', 'served %d variants' % rng.randint(1, 30))]

    def idx(t, rng):
        d = rng.uniform(40000, 70000) if t < onset else rng.uniform(150000, 240000)
        lines = [('INFO', 'indexing batch from=%d size=500' % rng.randint(1, 9000000))]
        if t >= onset and rng.random() < 0.25:
            lines.append(('WARNING', 'variants query slow (%.1fs), continuing' % rng.uniform(8, 30)))
        return 'ok', d, lines + [('INFO', 'pushed 500 docs to opensearch')]
    lambda_fn(sc, 'catalog-api', lambda t: 22 * diurnal(t), cat, timeout=10)
    lambda_fn(sc, 'search-indexer', lambda t: 1, idx, timeout=300, memory=1536, mem_used=(600, 800),
              version_from=[(-3600, '$LATEST')])
    ecs_metrics(sc, 'storefront', 'merch-admin', cpu=14, mem=52)
    ev = pg_checkpoints(sc)
    ev += periodic(rng, LOG_FROM, 0, 1200, lambda t, r: pg(t, r, '@:', 91, 'LOG', 'automatic vacuum of table "catalog.public.cart_sessions": index scans: 1'))
    ev.append((analyze, pg(analyze, rng, '@:', 27713, 'LOG', 'automatic analyze of table "catalog.public.product_variants"\n\tavg read rate: 12.014 MB/s, avg write rate: 0.281 MB/s\n\tbuffer usage: 30441 hits, 8120 misses, 190 dirtied\n\tsystem usage: CPU: user: 1.21 s, system: 0.08 s, elapsed: 5.28 s')))
    who = ['catalog_app@catalog', 'indexer@catalog', 'merch_admin@catalog']
    ev += sprinkle(rng, onset, 0, 14, lambda t, r: pg(t, r, '10.4.%d.%d(%d):%s' % (r.randint(1, 20), r.randint(2, 250), r.randint(30000, 60000), r.choice(who)),
                                                     r.randint(1000, 60000), 'LOG', 'duration: %.3f ms  execute <unnamed>: %s\nDETAIL:  parameters: $1 = \'%d\'' % (r.uniform(2100, 4990), q, r.randint(10000, 999999))))
    ev += sprinkle(rng, onset, 0, 8, lambda t, r: pg(t, r, '10.4.%d.%d(%d):catalog_app@catalog' % (r.randint(1, 20), r.randint(2, 250), r.randint(30000, 60000)),
                                                    r.randint(1000, 60000), 'ERROR', 'canceling statement due to statement timeout'))
    sc.log('/aws/rds/instance/%s/postgresql' % db, '%s.0' % db, ev)
    sc.alarm('catalog-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'catalog-api'}, 5, onset + 180)
    sc.expect_('catalog-api-errors', 'cpu_saturation', [db],
               [{'namespace': 'AWS/RDS', 'name': 'CPUUtilization', 'dimensions': {'DBInstanceIdentifier': db}}])
    sc.meta = dict(front='front', decoys='search-indexer deploy 15 min before onset (same work, no new errors); merch-admin service update 1.5 h earlier; routine autovacuum/checkpoint lines',
                   story='An automatic ANALYZE of product_variants at -46 min flipped the plan of the shared variants query; from the next minute every tenant running that query (catalog_app, indexer, merch_admin users) logs 2-5 s durations and the shared instance CPU pins at ~99 %. No tenant traffic changed. The search-indexer deploy 15 min earlier is a red herring: its own load is unchanged and the slow statements come from all three users. The origin is the shared DB saturating: cpu_saturation on catalog-shared-pg.')
    return sc


def s04_pg_neighbour_scaleout():
    sc = Scn('h25-04-shared-pg-connections-neighbour-scaleout', 2504, 'ca-central-1',
             'KYC checks failing at onboarding; kyc-api Errors alarm.')
    db, onset = 'core-pg-prod', -2250
    sc.resource('rds', db, engine='postgres', engine_version='15.6', instance_class='db.m6g.large',
                max_connections=400, allocated_storage_gb=300)
    sc.resource('lambda', 'kyc-api', runtime='python3.12', timeout=20, memory_size=512)
    sc.resource('ecs', 'recon/ledger-recon', launch_type='FARGATE', desired_count=4, hikari_max_pool=20)
    sc.resource('ecs', 'platform/admin-console', launch_type='FARGATE', desired_count=2)
    tasks = lambda t: 4 if t < -2700 else (8 if t < -2460 else (14 if t < -2280 else 20))
    conns = lambda t: min(400, 118 + 20 * tasks(t) - 80 + (10 if t > -2700 else 0))
    rds_metrics(sc, db, cpu=lambda t: 28 + 1.6 * tasks(t), conns=conns, free_storage=188 * GB)
    sc.metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {'QueueName': 'ledger-recon-inbox'}, 'Count',
              lambda t: 40 if t < -3000 else ramp(t, -3000, -2800, 40, 182000) * (1 if t < -1200 else 0.8), noise=0.02, integer=True)
    for i, t in enumerate([-2700, -2460, -2280]):
        sc.change(t, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'recon/ledger-recon',
                  'AWSServiceRoleForApplicationAutoScaling_ECSService')
    sc.change(-12000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'kyc-api', 'ci-deployer')
    sc.change(-1200, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'platform/admin-console', 'k.tremblay')
    host = '%s.c1a2b3c4d5e6.ca-central-1.rds.amazonaws.com' % db
    rng = sc.rng

    def kyc(t, rng):
        lines = [('INFO', 'POST /kyc/checks applicant=apl_%s' % hexid(rng, 10))]
        if rng.random() < 0.03:
            lines.append(('WARNING', 'document OCR confidence 0.61 below 0.7, routed to manual review'))
        if t >= onset and rng.random() < 0.6:
            return 'error', rng.uniform(30, 80), lines + [('ERROR', 'psycopg2.OperationalError: connection to server at "%s" (10.20.3.18), port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections' % host)]
        return 'ok', rng.uniform(120, 400), lines + [('INFO', 'check stored status=%s' % rng.choice(['clear', 'clear', 'clear', 'review']))]
    lambda_fn(sc, 'kyc-api', lambda t: 18 * diurnal(t), kyc, timeout=20)
    ecs_metrics(sc, 'recon', 'ledger-recon', cpu=lambda t: 35 if t < -2800 else 71, mem=58, tasks=tasks)
    ecs_metrics(sc, 'platform', 'admin-console', cpu=9, mem=33, tasks=2)
    ev = []
    for k, ts in enumerate([-21000] * 4 + [-2640] * 4 + [-2400] * 6 + [-2270] * 6):
        tid = hexid(rng, 32)
        t0 = ts + k * 3.1
        evk = [(t0, logback(t0, 'INFO', 'main', 'c.a.l.LedgerReconApplication', 'Starting LedgerReconApplication v2.31.0 using Java 17.0.10')),
               (t0 + 4, logback(t0 + 4, 'INFO', 'main', 'com.zaxxer.hikari.HikariDataSource', 'HikariPool-1 - Starting...')),
               (t0 + 4.6, logback(t0 + 4.6, 'INFO', 'main', 'com.zaxxer.hikari.pool.HikariPool', 'HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@%s' % hexid(rng, 8))),
               (t0 + 5, logback(t0 + 5, 'INFO', 'main', 'com.zaxxer.hikari.HikariDataSource', 'HikariPool-1 - Start completed. maximumPoolSize=20 minimumIdle=20'))]
        busy = lambda t: t > -2800
        evk += [e for e in periodic(rng, max(t0 + 10, LOG_FROM), 0, 30, lambda t, r: logback(t, 'INFO', 'recon-worker-%d' % r.randint(1, 8), 'c.a.l.recon.SettlementBatchProcessor',
                'Reconciled settlement batch %s: %d lines, %d mismatches' % (hexid(r, 8), r.randint(400, 2000), r.randint(0, 3))) if busy(t) else None)]
        sc.log('/ecs/ledger-recon', 'ecs/ledger-recon/%s' % tid, evk)
    ev = pg_checkpoints(sc)
    ev += sprinkle(rng, onset, 0, 12, lambda t, r: pg(t, r, '10.20.%d.%d(%d):kyc_app@core' % (r.randint(40, 47), r.randint(2, 250), r.randint(30000, 60000)),
                                                     r.randint(1000, 60000), 'FATAL', 'remaining connection slots are reserved for non-replication superuser connections'))
    ev += sprinkle(rng, -2760, 0, 4, lambda t, r: pg(t, r, '10.20.%d.%d(%d):ledger_recon@core' % (r.randint(60, 63), r.randint(2, 250), r.randint(30000, 60000)),
                                                    r.randint(1000, 60000), 'LOG', 'connection authorized: user=ledger_recon database=core application_name=PostgreSQL JDBC Driver SSL enabled (protocol=TLSv1.3)'))
    ev += periodic(rng, LOG_FROM, 0, 1800, lambda t, r: pg(t, r, '10.20.50.9(51000):admin_console@core', 5551, 'ERROR', 'duplicate key value violates unique constraint "feature_flags_pkey"'))
    sc.log('/aws/rds/instance/%s/postgresql' % db, '%s.0' % db, ev)
    sc.alarm('kyc-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'kyc-api'}, 5, onset + 180)
    sc.expect_('kyc-api-errors', 'db_connection_exhaustion', [db],
               [{'namespace': 'AWS/RDS', 'name': 'DatabaseConnections', 'dimensions': {'DBInstanceIdentifier': db}}])
    sc.meta = dict(front='front', decoys='kyc-api deploy 3.3 h earlier (stable until onset); admin-console manual deploy after onset; hourly duplicate-key ERROR from admin-console at the same rate all along; OCR WARNING',
                   story='An end-of-month settlement file put 182 k messages on ledger-recon-inbox; Application Auto Scaling grew ledger-recon from 4 to 20 tasks, each opening a fixed HikariCP pool of 20. DatabaseConnections climbs to the 400 limit, the shared PostgreSQL log shows new ledger_recon sessions and then FATAL "remaining connection slots are reserved" for kyc_app. The scale-out is an automatic reaction to load, not a human config change, and nothing on kyc-api changed; the exhausted resource is the shared DB: db_connection_exhaustion on core-pg-prod (the neighbour ledger-recon is the consumer, named in the README).')
    return sc
