"""Shared Redis hosts on EC2."""
from .lib import LOG_FROM, Scn, diurnal, hexid, iso, periodic, ramp, sprinkle, stamp
from .sims import ec2_metrics, ecs_metrics, lambda_fn, logback, tg_metrics

GiB = 1024 ** 3


def redis_line(t, pid, role, msg):
    return '%d:%s %s.%03d %s' % (pid, role, stamp(t, '%d %b %Y %H:%M:%S'), int((t % 1) * 1000), msg)


def bgsave(sc, every=900, pid=1):
    def mk(t, r):
        c = r.randint(20000, 40000)
        return [redis_line(t, pid, 'M', '* 10000 changes in 60 seconds. Saving...'),
                redis_line(t + 0.01, pid, 'M', '* Background saving started by pid %d' % c),
                redis_line(t + 9, c, 'C', '* DB saved on disk'),
                redis_line(t + 9.01, c, 'C', '* Fork CoW for RDB: current %d MB, peak %d MB, average %d MB' % (r.randint(40, 90), r.randint(90, 160), r.randint(40, 70))),
                redis_line(t + 9.2, pid, 'M', '* Background saving terminated with success')]
    return periodic(sc.rng, LOG_FROM, 0, every, mk)


def redis_metrics(sc, iid, used, maxmem, clients, ops, engine_cpu, evicted=0.0, conns_rx=None):
    d = {'InstanceId': iid}
    sc.metric('Platform/Redis', 'used_memory', d, 'Bytes', used, noise=0.001, digits=0)
    sc.metric('Platform/Redis', 'maxmemory', d, 'Bytes', maxmem, digits=0)
    sc.metric('Platform/Redis', 'connected_clients', d, 'Count', clients, noise=0.03, integer=True)
    sc.metric('Platform/Redis', 'instantaneous_ops_per_sec', d, 'Count/Second', ops, noise=0.05)
    sc.metric('Platform/Redis', 'EngineCPUUtilization', d, 'Percent', engine_cpu, noise=0.05, cap=100.0)
    sc.metric('Platform/Redis', 'evicted_keys', d, 'Count', evicted, integer=True)
    if conns_rx is not None:
        sc.metric('Platform/Redis', 'total_connections_received', d, 'Count', conns_rx, noise=0.1, integer=True)


def s05_redis_maxmemory():
    sc = Scn('h25-05-shared-redis-maxmemory', 2505, 'us-east-1', 'Add-to-cart failing; cart-api Errors alarm.')
    iid, name, onset = 'i-0f3a9c1d2e4b56789', 'cache-shared-01', -1980
    sc.resource('ec2', iid, name=name, instance_type='r6i.large', redis_version='7.2.4', maxmemory='12gb',
                maxmemory_policy='noeviction', log_groups=['/platform/redis/cache-shared-01'])
    sc.resource('lambda', 'cart-api', runtime='nodejs20.x', timeout=6, memory_size=512)
    sc.resource('lambda', 'rate-limiter', runtime='python3.12', timeout=3, memory_size=256)
    sc.resource('ecs', 'web/session-gateway', launch_type='FARGATE', desired_count=4)
    mx = 12 * GiB
    used = lambda t: min(mx, ramp(t, -21600, onset, 10.9 * GiB, mx))
    redis_metrics(sc, iid, used, mx, clients=lambda t: 410 * diurnal(t, 0.05), ops=lambda t: 21000 * diurnal(t),
                  engine_cpu=lambda t: 23 * diurnal(t))
    sc.metric('Platform/Redis', 'errorstat_OOM', {'InstanceId': iid}, 'Count', lambda t: 0 if t < onset else 2100 * diurnal(t), noise=0.1, integer=True)
    sc.metric('Platform/Redis', 'db0_keys', {'InstanceId': iid}, 'Count', lambda t: ramp(t, -21600, onset, 41.2e6, 45.1e6), digits=0)
    ec2_metrics(sc, iid, cpu=lambda t: 14 + (22 if (t // 60) % 15 == 0 else 0), mem=lambda t: 100.0 * (used(t) + 1.1 * GiB) / (16 * GiB),
                net_in=lambda t: 3.1e8 * diurnal(t), disk=41)
    sc.change(-3000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'web/session-gateway', 'github-actions-deployer')
    sc.change(-11500, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'cart-api', 'ci-deployer')
    oom = "ReplyError: OOM command not allowed when used memory > 'maxmemory'."

    def cart(t, rng):
        lines = [('INFO', '{"route":"POST /cart/items","cart":"c_%s"}' % hexid(rng, 12))]
        if rng.random() < 0.05:
            lines.append(('WARN', '{"msg":"price changed since item was added","sku":"SKU-%05d"}' % rng.randint(1, 99999)))
        if t >= onset and rng.random() < 0.7:
            return 'error', rng.uniform(8, 25), lines + [('ERROR', 'Invoke Error \t{"errorType":"ReplyError","errorMessage":"%s","command":{"name":"hset","args":["cart:c_%s","SKU-%05d","1"]},"stack":["%s","    at parseError (/var/task/node_modules/redis-parser/lib/parser.js:179:12)","    at parseType (/var/task/node_modules/redis-parser/lib/parser.js:302:14)"]}' % (oom, hexid(rng, 12), rng.randint(1, 99999), oom))]
        return 'ok', rng.uniform(6, 30), lines + [('INFO', '{"msg":"cart updated","items":%d}' % rng.randint(1, 9))]

    def rl(t, rng):
        if t >= onset and rng.random() < 0.5:
            return 'error', rng.uniform(2, 6), [('ERROR', "redis.exceptions.OutOfMemoryError: command not allowed when used memory > 'maxmemory'.")]
        return 'ok', rng.uniform(1.5, 5), [('INFO', 'allow key=api:%s count=%d/600' % (hexid(rng, 6), rng.randint(1, 500)))]
    lambda_fn(sc, 'cart-api', lambda t: 18 * diurnal(t), cart, runtime='node', timeout=6)
    lambda_fn(sc, 'rate-limiter', lambda t: 10 * diurnal(t), rl, timeout=3, memory=256, mem_used=(60, 80))
    ecs_metrics(sc, 'web', 'session-gateway', cpu=lambda t: 31 * diurnal(t), mem=47, tasks=4)
    ev = bgsave(sc)
    ev += periodic(sc.rng, LOG_FROM, 0, 3600, lambda t, r: redis_line(t, 1, 'M', '* DB saved on disk'))
    sc.log('/platform/redis/cache-shared-01', iid, ev)
    sc.alarm('cart-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'cart-api'}, 8, onset + 180)
    sc.expect_('cart-api-errors', 'memory_exhaustion', [iid, name],
               [{'namespace': 'Platform/Redis', 'name': 'used_memory', 'dimensions': {'InstanceId': iid}}])
    sc.meta = dict(front='front', decoys='session-gateway deploy 17 min before onset (no errors); cart-api deploy 3.2 h earlier; BGSAVE CPU spikes every 15 min; constant price-changed WARN',
                   story='The shared Redis on EC2 (maxmemory 12 GB, policy noeviction) filled up through organic keyspace growth across all tenants (used_memory climbs steadily for 6 h and reaches maxmemory; no tenant step). From then on every write from every tenant gets "OOM command not allowed when used memory > maxmemory" (cart-api, rate-limiter). Host CPU and clients are normal; nothing changed on the cache. memory_exhaustion on the shared cache host.')
    return sc


def s06_redis_neighbour_config():
    sc = Scn('h25-06-redis-neighbour-fullscan-config', 2506, 'eu-central-1', 'Logins intermittently failing; session-api Errors alarm.')
    iid, name, chg = 'i-0b7e41c9d2a3f5e68', 'redis-platform-02', -2300
    onset = chg + 60
    sc.resource('ec2', iid, name=name, instance_type='r6g.large', redis_version='7.0.15', log_groups=['/platform/redis/redis-platform-02'])
    sc.resource('lambda', 'session-api', runtime='python3.12', timeout=5, memory_size=512)
    sc.resource('lambda', 'leaderboard-svc', runtime='nodejs20.x', timeout=60, memory_size=1024,
                environment={'LEADERBOARD_REBUILD_MODE': 'full_scan', 'REDIS_URL': 'redis://redis-platform-02.internal:6379/0'})
    sc.resource('ecs', 'games/matchmaker', launch_type='FARGATE', desired_count=6)
    redis_metrics(sc, iid, 5.2 * GiB, 10 * GiB, clients=380, ops=lambda t: 34000 * diurnal(t) if t < onset else 9000,
                  engine_cpu=lambda t: 28 * diurnal(t) if t < onset else 99.3)
    ec2_metrics(sc, iid, cpu=lambda t: 16 * diurnal(t) if t < onset else 53, mem=44,
                net_in=lambda t: 2.2e8 * (3.5 if -14100 < t < -13500 else 1.0))
    sc.change(chg, 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', 'AWS::Lambda::Function', 'leaderboard-svc', 'm.schulz')
    sc.change(-9000, 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', 'AWS::Lambda::Function', 'session-api', 'ci-deployer')
    sc.change(-4200, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'games/matchmaker', 'AWSServiceRoleForApplicationAutoScaling_ECSService')

    def sess(t, rng):
        lines = [('INFO', 'validate session sid=%s' % hexid(rng, 16))]
        if t >= onset and rng.random() < 0.35:
            return 'error', rng.uniform(1000, 1050), lines + [('ERROR', 'Timeout reading from socket\nTraceback (most recent call last):\n'
                '  File "/var/task/session/store.py", line 52, in load\n    raw = self.r.get(f"sess:{sid}")\n'
                '  File "/var/lang/lib/python3.12/site-packages/redis/connection.py", line 541, in read_response\n'
                '    raise TimeoutError(f"Timeout reading from {host_error}")\nredis.exceptions.TimeoutError: Timeout reading from socket')]
        return 'ok', (rng.uniform(300, 950) if t >= onset else rng.uniform(3, 12)), lines + [('INFO', 'session ok ttl=%d' % rng.randint(60, 3600))]

    def lb(t, rng):
        full = t >= chg
        lines = [('INFO', 'rebuilding leaderboards mode=%s' % ('full_scan pattern=lb:* (SCAN COUNT 1000 + ZUNIONSTORE lb:global)' if full else 'incremental dirty_set=lb:dirty'))]
        d = rng.uniform(38000, 52000) if full else rng.uniform(200, 900)
        return 'ok', d, lines + [('INFO', 'rebuilt %d boards in %d ms' % (rng.randint(2300, 2500) if full else rng.randint(3, 40), int(d)))]
    lambda_fn(sc, 'session-api', lambda t: 22 * diurnal(t), sess, timeout=5)
    lambda_fn(sc, 'leaderboard-svc', lambda t: 1, lb, runtime='node', timeout=60, memory=1024, mem_used=(200, 300))
    ecs_metrics(sc, 'games', 'matchmaker', cpu=lambda t: 40 if t < -4200 else 33, mem=51, tasks=lambda t: 6 if t < -4200 else 8)
    ev = bgsave(sc, every=1200)
    ev += sprinkle(sc.rng, LOG_FROM, 0, 0.02, lambda t, r: redis_line(t, 1, 'M', '# Connection with replica client id #%d lost.' % r.randint(1000, 9000)))
    sc.log('/platform/redis/redis-platform-02', iid, ev)
    sl = periodic(sc.rng, LOG_FROM, chg, 600, lambda t, r: 'slowlog id=%d ts=%s duration_us=%d client=10.30.%d.%d:%d name=matchmaker cmd=ZRANGEBYSCORE queue:eu 0 1700000000 LIMIT 0 200' % (
        r.randint(1, 99999), iso(t), r.randint(11000, 14000), r.randint(1, 9), r.randint(2, 250), r.randint(30000, 60000)))
    sl += sprinkle(sc.rng, chg + 20, 0, 40, lambda t, r: 'slowlog id=%d ts=%s duration_us=%d client=10.30.%d.%d:%d name=leaderboard-svc cmd=%s' % (
        r.randint(1, 99999), iso(t), r.randint(180000, 900000), r.randint(40, 45), r.randint(2, 250), r.randint(30000, 60000),
        r.choice(['SCAN %d MATCH lb:* COUNT 1000' % r.randint(0, 2 ** 20), 'ZUNIONSTORE lb:global 2412 lb:season:%d ...' % r.randint(1, 40)])))
    sc.log('/platform/redis/redis-platform-02/slowlog', iid, sl)
    sc.alarm('session-api-errors', 'AWS/Lambda', 'Errors', {'FunctionName': 'session-api'}, 3, onset + 180)
    sc.expect_('session-api-errors', 'config_change', ['leaderboard-svc'],
               [{'namespace': 'Platform/Redis', 'name': 'EngineCPUUtilization', 'dimensions': {'InstanceId': iid}}])
    sc.meta = dict(front='front', decoys='session-api deploy 2.5 h earlier; matchmaker autoscaling 32 min before; NetworkIn burst on the Redis host 3.8 h ago; occasional replica-lost lines; host CPU only ~53 % (2 vCPU, single-threaded Redis)',
                   story='m.schulz changed leaderboard-svc configuration (LEADERBOARD_REBUILD_MODE=full_scan) one minute before onset. From then its rebuild takes ~45 s and the Redis slowlog fills with SCAN MATCH lb:* and ZUNIONSTORE of 2412 keys from client name leaderboard-svc; the Redis main thread pins (EngineCPUUtilization ~99 %, host CPU ~53 % because Redis uses one of two vCPUs), ops/s collapse and session-api reads time out. The cache is healthy otherwise; the trigger is the neighbour configuration change: config_change on leaderboard-svc.')
    return sc
