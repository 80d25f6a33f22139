"""Shared relational databases (RDS PostgreSQL / Aurora MySQL)."""
from .lib import LOG_FROM, Scn, diurnal, hexid, iso, periodic, ramp, sprinkle, stamp, step
from .sims import ecs_metrics, lambda_fn, logback, pg, pg_checkpoints, rds_metrics

GB = 1e9


def s01_pg_storage_full():
    sc = Scn('h25-01-shared-pg-storage-full', 2501, 'us-east-1',
             'Billing API errors paging; invoices cannot be finalised.')
    db, onset = 'platform-pg-01', -1560
    host = '%s.cx7kq2lmno3p.us-east-1.rds.amazonaws.com' % db
    sc.resource('rds', db, engine='postgres', engine_version='15.5', instance_class='db.r6g.large',
                max_connections=1600, allocated_storage_gb=200, max_allocated_storage_gb=None, multi_az=True)
    sc.resource('lambda', 'billing-api', runtime='python3.12', timeout=15, memory_size=512)
    sc.resource('lambda', 'usage-rollup', runtime='python3.12', timeout=120, memory_size=1024)
    sc.resource('ecs', 'platform/tenant-portal', launch_type='FARGATE', desired_count=3)
    free = lambda t: max(0.18e9, ramp(t, -21600, onset, 31.5 * GB, 0.2 * GB)) if t < onset else 0.15e9 + 0.05e9 * ((t // 60) % 3)
    rds_metrics(sc, db, cpu=lambda t: 24 * diurnal(t), conns=lambda t: 212 * diurnal(t, 0.05), free_storage=free,
                write_lat=lambda t: 0.0026 if t < onset else 0.0041, write_iops=lambda t: 640 if t < onset else 310,
                read_iops=520)
    sc.metric('AWS/RDS', 'TransactionLogsDiskUsage', {'DBInstanceIdentifier': db}, 'Bytes',
              lambda t: ramp(t, -21600, onset, 2.4 * GB, 33.6 * GB), noise=0.002, digits=0)
    sc.metric('AWS/RDS', 'OldestReplicationSlotLag', {'DBInstanceIdentifier': db}, 'Bytes',
              lambda t: ramp(t, -21600, onset, 2.1 * GB, 33.2 * GB), noise=0.002, digits=0)
    sc.change(-9000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'billing-api', 'ci-deployer')
    sc.change(-2100, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'platform/tenant-portal', 'github-actions-deployer')
    sc.change(-16800, 'dms.amazonaws.com', 'StopReplicationTask', 'AWS::DMS::ReplicationTask', 'billing-cdc-to-warehouse', 'j.okafor')

    def diskfull(rel):
        return ('psycopg2.errors.DiskFull: could not extend file "base/16402/%s": No space left on device\n'
                'HINT:  Check free disk space.\nTraceback (most recent call last):\n'
                '  File "/var/task/app/handlers/invoices.py", line 88, in finalize\n    cur.execute(INSERT_INVOICE_LINE, row)\n'
                'psycopg2.errors.DiskFull: could not extend file "base/16402/%s": No space left on device' % (rel, rel))

    def billing(t, rng):
        lines = [('INFO', 'POST /v1/invoices/inv_%06d/finalize tenant=acct_%04d' % (rng.randint(1, 999999), rng.randint(1, 4000)))]
        if rng.random() < 0.05:
            lines.append(('WARNING', 'stripe webhook timestamp skew 312s exceeds tolerance, accepted (grace mode)'))
        if t >= onset and rng.random() < 0.55:
            return 'error', rng.uniform(40, 90), lines + [('ERROR', diskfull('%d.%d' % (rng.choice([2459187, 2459201]), rng.randint(1, 4))))]
        lines.append(('INFO', 'invoice finalized lines=%d total_cents=%d' % (rng.randint(1, 40), rng.randint(500, 990000))))
        return 'ok', rng.uniform(35, 120), lines

    def rollup(t, rng):
        if t >= onset and rng.random() < 0.8:
            return 'error', rng.uniform(200, 900), [('INFO', 'rolling up usage window=5m shard=%d' % rng.randint(0, 15)),
                                                    ('ERROR', 'rollup failed: DiskFull(\'could not extend file "base/16402/2460011": No space left on device\')')]
        return 'ok', rng.uniform(3000, 9000), [('INFO', 'rolling up usage window=5m shard=%d' % rng.randint(0, 15)),
                                               ('INFO', 'upserted %d usage rows' % rng.randint(2000, 9000))]
    lambda_fn(sc, 'billing-api', lambda t: 18 * diurnal(t), billing, timeout=15)
    lambda_fn(sc, 'usage-rollup', lambda t: 3, rollup, timeout=120, memory=1024, mem_used=(300, 420))
    ecs_metrics(sc, 'platform', 'tenant-portal', cpu=lambda t: 18 * diurnal(t) + (6 if -2100 < t < -1900 else 0), mem=41)
    ev = pg_checkpoints(sc)
    ev += sprinkle(sc.rng, onset, 0, 9, lambda t, r: pg(t, r, '10.0.%d.%d(%d):billing_app@billing' % (r.randint(8, 15), r.randint(2, 250), r.randint(30000, 60000)),
                                                        r.randint(1000, 30000), 'ERROR', 'could not extend file "base/16402/2459187.%d": No space left on device' % r.randint(1, 4)))
    ev += sprinkle(sc.rng, onset, 0, 9, lambda t, r: pg(t, r, '10.0.9.77(41220):billing_app@billing', r.randint(1000, 30000), 'HINT', 'Check free disk space.'))
    ev += periodic(sc.rng, LOG_FROM, 0, 900, lambda t, r: pg(t, r, '@:', 88, 'LOG', 'automatic vacuum of table "billing.public.usage_events": index scans: 1'))
    ev += [(onset - 240, pg(onset - 240, None, '@:', 412, 'LOG', 'checkpoints are occurring too frequently (24 seconds apart)')),
           (onset - 239.9, pg(onset - 239.9, None, '@:', 412, 'HINT', 'Consider increasing the configuration parameter "max_wal_size".'))]
    sc.log('/aws/rds/instance/%s/postgresql' % db, '%s.0' % db, ev)
    sc.alarm('billing-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'billing-api'}, 5, onset + 240,
             description='billing-api Lambda errors')
    sc.alarm('platform-pg-01-low-storage', 'AWS/RDS', 'FreeStorageSpace', {'DBInstanceIdentifier': db}, 2e9, onset - 600,
             statistic='Minimum', period=300, evaluation_periods=1, comparison='LessThanThreshold', state='ALARM')
    sc.expect_('billing-api-errors', 'storage_exhaustion', [db],
               [{'namespace': 'AWS/RDS', 'name': 'FreeStorageSpace', 'dimensions': {'DBInstanceIdentifier': db}}])
    sc.meta = dict(front='front', decoys='billing-api deploy 2.5 h earlier (no change in errors); tenant-portal ECS deploy 9 min before onset (clean); constant Stripe skew WARNING; checkpoint warnings',
                   story='The shared PostgreSQL instance ran out of storage. A DMS CDC task was stopped 4.7 h ago but its logical replication slot stayed, so WAL was retained (OldestReplicationSlotLag and TransactionLogsDiskUsage climb in step with FreeStorageSpace falling to ~0). Every writing tenant (billing-api, usage-rollup) then fails with "No space left on device". The DMS stop is far earlier and is a stop, not a configuration of the DB; the exhausted resource is the shared DB, so storage_exhaustion on platform-pg-01.')
    return sc


def s02_aurora_neighbour_deploy():
    sc = Scn('h25-02-aurora-neighbour-etl-deploy', 2502, 'eu-west-1',
             'Orders API slow and failing for EU customers; Errors alarm fired.')
    inst, onset, dep = 'shop-aurora-instance-1', -2400, -2530
    sc.resource('rds', inst, engine='aurora-mysql', engine_version='8.0.mysql_aurora.3.05.2', instance_class='db.r6g.xlarge',
                cluster='shop-aurora', max_connections=2000, role='writer')
    sc.resource('lambda', 'orders-api', runtime='nodejs20.x', timeout=10, memory_size=1024)
    sc.resource('lambda', 'inventory-sync', runtime='python3.12', timeout=60, memory_size=512)
    sc.resource('ecs', 'analytics/reporting-etl', launch_type='FARGATE', desired_count=2, task_definition='reporting-etl:58')
    rds_metrics(sc, inst, cpu=lambda t: ramp(t, onset, onset + 240, 34 * diurnal(t), 98.5), conns=lambda t: 310 + (25 if t > onset else 0),
                free_storage=412 * GB, freeable_mem=lambda t: 9.8e9 if t < onset else 8.1e9,
                read_lat=lambda t: 0.0011 if t < onset else 0.0093, read_iops=lambda t: 900 if t < onset else 5200)
    sc.change(dep - 40, 'ecs.amazonaws.com', 'RegisterTaskDefinition', 'AWS::ECS::TaskDefinition', 'reporting-etl:58', 'github-actions-deployer')
    sc.change(dep, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'analytics/reporting-etl', 'github-actions-deployer')
    sc.change(-6100, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'inventory-sync', 'ci-deployer')
    sc.change(-600, 'rds.amazonaws.com', 'CreateDBClusterSnapshot', 'AWS::RDS::DBClusterSnapshot', 'shop-aurora', 'dba-oncall')
    host = 'shop-aurora.cluster-c3vz8e1kq0ab.eu-west-1.rds.amazonaws.com'

    def orders(t, rng):
        oid = 'ORD-%08d' % rng.randint(1, 99999999)
        lines = [('INFO', '{"msg":"GET /orders/%s","tenant":"eu-%03d"}' % (oid, rng.randint(1, 300)))]
        if rng.random() < 0.04:
            lines.append(('WARN', 'Deprecated header X-Client-Version missing; defaulting to 2'))
        if t >= onset:
            if rng.random() < 0.42:
                return 'error', rng.uniform(3000, 3100), lines + [('ERROR', 'Error: Query execution was interrupted, maximum statement execution time exceeded\n'
                    '    at PromisePool.query (/var/task/node_modules/mysql2/promise.js:356:22)\n    at async getOrder (/var/task/src/repo/orders.js:41:18)\n'
                    '    at async Runtime.handler (/var/task/src/index.js:27:17) {\n  code: \'ER_QUERY_TIMEOUT\',\n  errno: 3024,\n  sqlState: \'HY000\'\n}')]
            return 'ok', rng.uniform(900, 2900), lines + [('INFO', '{"msg":"order loaded","ms":%d}' % rng.randint(900, 2800))]
        return 'ok', rng.uniform(30, 110), lines + [('INFO', '{"msg":"order loaded","ms":%d}' % rng.randint(8, 40))]

    def inv(t, rng):
        slow = t >= onset
        return 'ok', rng.uniform(4000, 9000) if slow else rng.uniform(1500, 3000), [
            ('INFO', 'synced %d SKUs from warehouse feed batch=%s' % (rng.randint(200, 900), hexid(rng, 8)))]
    lambda_fn(sc, 'orders-api', lambda t: 22 * diurnal(t), orders, runtime='node', timeout=10, memory=1024, mem_used=(160, 240))
    lambda_fn(sc, 'inventory-sync', lambda t: 2, inv, timeout=60)
    ecs_metrics(sc, 'analytics', 'reporting-etl', cpu=lambda t: 12 if t < dep else 9, mem=lambda t: 38 if t < dep else 44,
                tasks=lambda t: 2 if t < dep or t > dep + 120 else 4)
    rng = sc.rng
    ev, tid = [], hexid(rng, 32)
    ev += periodic(rng, LOG_FROM, dep, 300, lambda t, r: '{"ts":"%s","level":"INFO","logger":"etl.jobs","msg":"job daily_margin_by_sku finished","rows":%d,"query_ms":%d,"version":"3.7.4"}' % (iso(t), r.randint(380, 450), r.randint(1800, 3200)))
    ev += [(dep + 95, '{"ts":"%s","level":"INFO","logger":"etl.main","msg":"reporting-etl starting","version":"3.8.0","git_sha":"4be19c2","task":"%s"}' % (iso(dep + 95), tid)),
           (dep + 96, '{"ts":"%s","level":"INFO","logger":"etl.jobs","msg":"margin job using query variant incremental_v2 (joins order_lines to price_history on sku, created_at range)"}' % iso(dep + 96))]
    ev += periodic(rng, dep + 130, 0, 200, lambda t, r: '{"ts":"%s","level":"INFO","logger":"etl.jobs","msg":"job daily_margin_by_sku finished","rows":%d,"query_ms":%d,"version":"3.8.0"}' % (iso(t), r.randint(380, 450), r.randint(150000, 196000)))
    ev += periodic(rng, LOG_FROM, 0, 600, lambda t, r: '{"ts":"%s","level":"WARNING","logger":"botocore.credentials","msg":"Refreshing temporary credentials failed during advisory refresh period, will retry"}' % iso(t))
    sc.log('/ecs/reporting-etl', 'ecs/etl/%s' % tid, ev)
    sl = []

    def slow(t, user, qt, lock, sent, exam, sql):
        return '# Time: %sZ\n# User@Host: %s[%s] @  [10.2.%d.%d]  Id: %d\n# Query_time: %.6f  Lock_time: %.6f Rows_sent: %d  Rows_examined: %d\nSET timestamp=%d;\n%s;' % (
            iso(t)[:-1] + '000', user, user, rng.randint(1, 40), rng.randint(2, 250), rng.randint(80000, 99999), qt, lock, sent, exam, 1700000000 + int(t) % 100000, sql)
    q_old = 'SELECT sku, SUM(qty*unit_price) AS revenue FROM order_lines WHERE created_at >= CURDATE() - INTERVAL 1 DAY GROUP BY sku'
    q_new = ('SELECT ol.sku, SUM(ol.qty*(ol.unit_price-ph.cost)) AS margin FROM order_lines ol JOIN price_history ph ON ph.sku = ol.sku '
             'AND ol.created_at BETWEEN ph.valid_from AND ph.valid_to WHERE DATE(ol.created_at) >= CURDATE() - INTERVAL 1 DAY GROUP BY ol.sku')
    sl += periodic(rng, LOG_FROM, dep, 300, lambda t, r: slow(t, 'reporting_ro', r.uniform(1.8, 3.2), 0.0001, 412, r.randint(900000, 1400000), q_old))
    sl += periodic(rng, dep + 130, 0, 200, lambda t, r: slow(t, 'reporting_ro', r.uniform(150, 196), 0.0002, 418, r.randint(91000000, 99000000), q_new))
    sl += sprinkle(rng, onset, 0, 6, lambda t, r: slow(t, 'orders_app', r.uniform(1.1, 3.0), 0.0001, 1, 1,
                                                      "SELECT * FROM orders WHERE order_id = 'ORD-%08d'" % r.randint(1, 99999999)))
    sc.log('/aws/rds/cluster/shop-aurora/slowquery', inst, sl)
    sc.alarm('orders-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'orders-api'}, 5, onset + 180)
    sc.alarm('shop-aurora-writer-cpu', 'AWS/RDS', 'CPUUtilization', {'DBInstanceIdentifier': inst}, 90, onset + 300,
             statistic='Average', period=300, evaluation_periods=1)
    sc.expect_('orders-api-errors', 'bad_deployment', ['analytics/reporting-etl', 'reporting-etl'],
               [{'namespace': 'AWS/RDS', 'name': 'CPUUtilization', 'dimensions': {'DBInstanceIdentifier': inst}}])
    sc.meta = dict(front='front', decoys='inventory-sync deploy 1.7 h earlier; manual cluster snapshot after onset; constant orders-api deprecation WARN; constant botocore refresh WARNING in reporting-etl',
                   story='reporting-etl (another tenant of the shared Aurora writer) deployed v3.8.0 two minutes before onset; its new margin query joins order_lines to price_history with a non-sargable DATE() predicate. The slow query log shows that query examining ~95 M rows for 150-196 s every 200 s, where the old version examined ~1 M rows in 2-3 s; the writer CPU goes from ~34 % to ~98 % at the same minute. orders-api queries are point lookups (Rows_examined 1) that simply wait, hitting max_execution_time. The shared DB is saturated, but the trigger is the neighbour deployment, which is the more specific cause: bad_deployment on reporting-etl.')
    return sc
