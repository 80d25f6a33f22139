"""Shared ALBs and services behind them."""
from .lib import LOG_FROM, Scn, diurnal, hexid, iso, periodic, ramp, sprinkle, stamp
from .sims import ec2_metrics, ecs_metrics, ip, logback, nginx, tg_metrics
from .s_cache import GiB, redis_metrics


def s07_feed_heap_leak():
    sc = Scn('h25-07-feed-api-heap-exhaustion', 2507, 'us-east-2', 'Feed timeline returning 5xx; feed-api target group 5XX alarm.')
    lb, tg = 'app/social-internal-alb/3f9c1a7b2d4e6f80', 'targetgroup/feed-api-tg/8d2e4f6a1b3c5d70'
    rid, onset = 'i-0c5d7e9f1a2b3c4d5', -1800
    sc.resource('alb', lb, name='social-internal-alb', scheme='internal')
    sc.resource('ecs', 'social/feed-api', launch_type='FARGATE', desired_count=6, cpu=1024, memory_mib=2048, jvm='-Xmx1536m')
    sc.resource('ecs', 'social/notif-worker', launch_type='FARGATE', desired_count=2)
    sc.resource('ec2', rid, name='cache-social-01', instance_type='r6g.xlarge', redis_version='7.2.4')
    saw = lambda t: 58 + 40 * min(1.0, ((t + 21600) % 5400) / 5400 * (1.0 + (t + 21600) / 21600))
    mem = lambda t: min(99.6, saw(t)) if t < onset else 96 + 3.5 * ((t // 60) % 2)
    ecs_metrics(sc, 'social', 'feed-api', cpu=lambda t: 34 * diurnal(t) if t < onset else 78, mem=mem,
                tasks=lambda t: 6 if t < onset else 6 - ((t // 60) % 3))
    ecs_metrics(sc, 'social', 'notif-worker', cpu=21, mem=lambda t: 35 if t < -1500 else 39, tasks=2)
    tg_metrics(sc, lb, tg, req=lambda t: 5200 * diurnal(t), rt=lambda t: 0.09 if t < onset else 1.9,
               t5xx=lambda t: 1 if t < onset else 240, healthy=lambda t: 6 if t < onset else 4 + (t // 60) % 2,
               unhealthy=lambda t: 0 if t < onset else 2 - (t // 60) % 2)
    redis_metrics(sc, rid, 6.1 * GiB, 24 * GiB, clients=lambda t: 720 if t < onset else 1150, ops=lambda t: 52000 * diurnal(t),
                  engine_cpu=lambda t: 26 * diurnal(t) if t < onset else 41, conns_rx=lambda t: 12 if t < onset else 480)
    ec2_metrics(sc, rid, cpu=lambda t: 14 if t < onset else 22, mem=37)
    sc.change(-1500, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'social/notif-worker', 'github-actions-deployer')
    sc.change(-7200, 'ec2.amazonaws.com', 'CreateTags', 'AWS::EC2::Instance', rid, 'platform-inventory-bot')
    rng = sc.rng
    for k in range(6):
        tid = hexid(rng, 32)
        ev = periodic(rng, LOG_FROM, 0, 20, lambda t, r: logback(t, 'INFO', 'http-nio-8080-exec-%d' % r.randint(1, 200), 'c.s.feed.web.TimelineController',
                      'GET /v2/timeline user=u%d items=%d took=%dms' % (r.randint(1, 9999999), r.randint(10, 50), r.randint(30, 140) if t < onset else r.randint(900, 4000))))
        ev += periodic(rng, LOG_FROM, 0, 240, lambda t, r: logback(t, 'INFO', 'G1 Young RemSet Sampling', 'gc',
                       'GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(1536M) %.3fms' % (r.randint(100, 9999), int(0.6 * mem(t) * 15.36), int(0.55 * mem(t) * 15.36), r.uniform(8, 40))))
        ev += sprinkle(rng, onset - 900, 0, 0.8, lambda t, r: logback(t, 'WARN', 'G1 Conc#0', 'gc', 'GC(%d) Pause Full (G1 Compaction Pause) 1530M->1502M(1536M) %.3fms' % (r.randint(100, 9999), r.uniform(1800, 4200))))
        ev += sprinkle(rng, onset, 0, 3, lambda t, r: logback(t, 'ERROR', 'http-nio-8080-exec-%d' % r.randint(1, 200), 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
                       'Servlet.service() for servlet [dispatcherServlet] threw exception\njava.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n'
                       '\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n\tat com.social.feed.rank.SeenItemsCache.remember(SeenItemsCache.java:58)\n'
                       '\tat com.social.feed.rank.TimelineRanker.rank(TimelineRanker.java:112)'))
        ev += sprinkle(rng, onset, 0, 1.2, lambda t, r: logback(t, 'INFO', 'lettuce-eventExecutorLoop-1-%d' % r.randint(1, 4), 'i.l.core.protocol.ConnectionWatchdog',
                       'Reconnecting, last destination was cache-social-01.internal/10.8.2.41:6379'))
        ev += periodic(rng, LOG_FROM, 0, 600, lambda t, r: logback(t, 'WARN', 'scheduling-1', 'c.s.feed.ab.ExperimentClient', 'experiment config endpoint returned stale etag, using cached config'))
        sc.log('/ecs/feed-api', 'ecs/feed-api/%s' % tid, ev)
    stops = sprinkle(rng, onset, 0, 0.3, lambda t, r: '{"time":"%s","detail-type":"ECS Task State Change","detail":{"group":"service:feed-api","lastStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited","containers":[{"name":"feed-api","exitCode":137,"reason":"OutOfMemoryError: Container killed due to memory usage"}]}}' % iso(t))
    sc.log('/aws/events/ecs-task-state', 'social', stops)
    sc.alarm('feed-api-tg-5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', {'LoadBalancer': lb, 'TargetGroup': tg}, 50, onset + 180)
    sc.expect_('feed-api-tg-5xx', 'memory_exhaustion', ['social/feed-api', 'feed-api'],
               [{'namespace': 'AWS/ECS', 'name': 'MemoryUtilization', 'dimensions': {'ClusterName': 'social', 'ServiceName': 'feed-api'}}])
    sc.meta = dict(front='front (ALB target group)', decoys='shared Redis cache-social-01 shows client reconnect churn and CPU 26->41 % (effect, no errors, latency fine); notif-worker deploy 5 min after onset; CreateTags on the cache host; constant experiment-config WARN',
                   story='feed-api heap grows in a sawtooth that gets steeper each cycle (SeenItemsCache leak) until tasks spend their time in Full GC, throw java.lang.OutOfMemoryError and are killed with exit 137 "OutOfMemoryError: Container killed due to memory usage". The shared Redis looks busier only because restarted tasks reconnect (connections received spikes) - its memory, CPU and ops are healthy. No change precedes onset. memory_exhaustion on the feed-api service itself.')
    return sc


def alb_log(t, rng, lb, tg, host, path, rpt, tpt, rspt, elb, tgt, ua='Mozilla/5.0 (Windows NT 10.0; Win64; x64)'):
    return 'https %s %s %s:%d %s:8080 %.3f %s %s %d %s 412 %d "GET https://%s:443%s HTTP/1.1" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:412381109930:%s "Root=1-%s-%s" "%s" "arn:aws:acm:us-east-1:412381109930:certificate/%s" 0 %s "forward" "-" "-" "10.0.%d.%d:8080" "%s" "-" "-"' % (
        iso(t)[:-1] + '123Z', lb, ip(rng, '203.0'), rng.randint(20000, 65000), ip(rng, '10.0'), rpt, tpt, rspt, elb, tgt, rng.randint(200, 90000),
        host, path, ua, tg, hexid(rng, 8), hexid(rng, 24), host, hexid(rng, 8), iso(t - 1), rng.randint(10, 20), rng.randint(2, 250), tgt)


def s08_alb_idle_timeout():
    sc = Scn('h25-08-shared-alb-idle-timeout', 2508, 'us-east-1', 'Report exports failing for customers; synthetic canary for reports export in ALARM.')
    lb, chg = 'app/shared-public-alb/7a1c2b3d4e5f6071', -1900
    tgs = {'reports-svc': 'targetgroup/reports-svc-tg/1a2b3c4d5e6f7081', 'billing-web': 'targetgroup/billing-web-tg/2b3c4d5e6f708192',
           'admin-web': 'targetgroup/admin-web-tg/3c4d5e6f708192a3'}
    sc.resource('alb', lb, name='shared-public-alb', idle_timeout_seconds=5, scheme='internet-facing')
    for s in tgs:
        sc.resource('ecs', 'web/' + s, launch_type='FARGATE', desired_count=3)
    sc.change(chg, 'elasticloadbalancing.amazonaws.com', 'ModifyLoadBalancerAttributes', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'shared-public-alb', 'terraform-platform')
    sc.change(-14000, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'web/reports-svc', 'github-actions-deployer')
    sc.change(-5200, 'wafv2.amazonaws.com', 'UpdateWebACL', 'AWS::WAFv2::WebACL', 'shared-public-waf', 'secops-automation')
    sc.change(-1100, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'web/admin-web', 'r.nguyen')
    long_share = {'reports-svc': 0.3, 'billing-web': 0.08, 'admin-web': 0.05}
    for s, tg in tgs.items():
        base = {'reports-svc': 600, 'billing-web': 2400, 'admin-web': 300}[s]
        tg_metrics(sc, lb, tg, req=lambda t, b=base: b * diurnal(t), rt=lambda t, s=s: (0.35 + 7 * long_share[s]) if t < chg else 0.35 + 3.6 * long_share[s],
                   t5xx=0.3, healthy=3, t4xx=(6 if s == 'admin-web' else 2))
        ecs_metrics(sc, 'web', s, cpu=lambda t: 27 * diurnal(t), mem=44, tasks=3)
    d = {'LoadBalancer': lb}
    sc.metric('AWS/ApplicationELB', 'RequestCount', d, 'Count', lambda t: 3300 * diurnal(t), noise=0.05, integer=True)
    sc.metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', d, 'Count', lambda t: 0.5 if t < chg else 430, noise=0.1, integer=True)
    sc.metric('AWS/ApplicationELB', 'HTTPCode_ELB_504_Count', d, 'Count', lambda t: 0.2 if t < chg else 425, noise=0.1, integer=True)
    sc.metric('AWS/ApplicationELB', 'ActiveConnectionCount', d, 'Count', lambda t: 5200 * diurnal(t), noise=0.05, integer=True)
    sc.metric('AWS/ApplicationELB', 'TargetResponseTime', d, 'Seconds', lambda t: 0.9 if t < chg else 0.6, noise=0.05)
    sc.metric('CloudWatchSynthetics', 'SuccessPercent', {'CanaryName': 'reports-export-canary'}, 'Percent', lambda t: 100.0 if t < chg else 0.0)
    sc.metric('CloudWatchSynthetics', 'Duration', {'CanaryName': 'reports-export-canary'}, 'Milliseconds', lambda t: 8200 if t < chg else 5100, noise=0.05)
    rng = sc.rng
    hosts = {'reports-svc': ('reports.example.com', '/api/exports/%d.csv'), 'billing-web': ('billing.example.com', '/statements/%d.pdf'),
             'admin-web': ('admin.example.com', '/bulk/users/export?page=%d')}
    al = []
    for s, tg in tgs.items():
        h, p = hosts[s]
        al += sprinkle(rng, LOG_FROM, 0, {'reports-svc': 6, 'billing-web': 8, 'admin-web': 3}[s], lambda t, r, s=s, h=h, p=p, tg=tg:
                       alb_log(t, r, lb, tg, h, p % r.randint(1000, 99999), 0.001, '%.3f' % r.uniform(0.05, 0.4), '0.000', 200, '200'))
        al += sprinkle(rng, LOG_FROM, chg, long_share[s] * 10, lambda t, r, h=h, p=p, tg=tg:
                       alb_log(t, r, lb, tg, h, p % r.randint(1000, 99999), 0.001, '%.3f' % r.uniform(6, 40), '0.000', 200, '200'))
        al += sprinkle(rng, chg, 0, long_share[s] * 10, lambda t, r, h=h, p=p, tg=tg:
                       alb_log(t, r, lb, tg, h, p % r.randint(1000, 99999), 0.001, '-1', '-1', 504, '-'))
    sc.log('/platform/alb/shared-public-alb/access', 'shared-public-alb', al)
    ng = sprinkle(rng, LOG_FROM, 0, 6, lambda t, r: nginx(t, r, ip(r), 'GET', '/api/exports/%d/status' % r.randint(1000, 99999), 200, r.randint(200, 900), r.uniform(0.02, 0.2), 'Mozilla/5.0'))
    ng += sprinkle(rng, LOG_FROM, chg, 3, lambda t, r: nginx(t, r, ip(r), 'GET', '/api/exports/%d.csv' % r.randint(1000, 99999), 200, r.randint(2000000, 90000000), r.uniform(6, 40), 'Mozilla/5.0'))
    ng += sprinkle(rng, chg, 0, 3, lambda t, r: nginx(t, r, ip(r), 'GET', '/api/exports/%d.csv' % r.randint(1000, 99999), 499, 0, r.uniform(5.0, 5.01), 'Mozilla/5.0'))
    sc.log('/ecs/reports-svc/nginx', 'ecs/nginx/%s' % hexid(rng, 32), ng)
    cn = periodic(rng, LOG_FROM, 0, 60, lambda t, r: 'INFO: Step "download-export" %s' % ('succeeded in %d ms' % r.randint(7000, 9800) if t < chg else 'failed: Error: Request failed with status code 504'))
    sc.log('/aws/lambda/cwsyn-reports-export-canary-4d1c', '2026/11/20/[$LATEST]%s' % hexid(rng), cn)
    sc.alarm('reports-export-canary-failing', 'CloudWatchSynthetics', 'SuccessPercent', {'CanaryName': 'reports-export-canary'}, 90, chg + 180,
             statistic='Average', comparison='LessThanThreshold')
    sc.expect_('reports-export-canary-failing', 'config_change', ['shared-public-alb', lb],
               [{'namespace': 'AWS/ApplicationELB', 'name': 'HTTPCode_ELB_504_Count', 'dimensions': {'LoadBalancer': lb}}])
    sc.meta = dict(front='front (tenant canary)', decoys='reports-svc deploy 3.9 h earlier; WAF rule update 55 min before; admin-web manual deploy after onset; constant admin-web 4xx',
                   story='terraform-platform modified the shared ALB attributes (idle timeout now 5 s, see resource property). From that minute every request whose target takes longer than 5 s - report CSV exports, billing PDF statements, admin bulk exports, in three different target groups - ends as ELB 504 with target_processing_time -1, while nginx in reports-svc logs 499 (client closed) at exactly 5.0 s. Targets are healthy, their CPU flat, short requests unaffected. The origin is a configuration change on the shared ALB: config_change on shared-public-alb.')
    return sc


def s09_checkout_surge():
    sc = Scn('h25-09-checkout-flash-sale-surge', 2509, 'ap-southeast-2', 'Checkout slow during sale; checkout-web target response time alarm.')
    lb = 'app/retail-alb/9e8d7c6b5a493827'
    tgc, tgl = 'targetgroup/checkout-web-tg/4a5b6c7d8e9f0a1b', 'targetgroup/landing-web-tg/5b6c7d8e9f0a1b2c'
    onset = -2040
    sc.resource('alb', lb, name='retail-alb', scheme='internet-facing')
    sc.resource('ecs', 'retail/checkout-web', launch_type='FARGATE', desired_count=6, cpu=1024, memory_mib=2048)
    sc.resource('ecs', 'retail/landing-web', launch_type='FARGATE', desired_count=4)
    sc.resource('ecs', 'retail/payments-gw', launch_type='FARGATE', desired_count=4)
    mult = lambda t: ramp(t, onset - 120, onset + 180, 1.0, 5.4) * (1 - 0.15 * ramp(t, -600, 0, 0, 1))
    tasks = lambda t: 6 if t < -1700 else (9 if t < -1350 else 12)
    tg_metrics(sc, lb, tgc, req=lambda t: 950 * diurnal(t) * mult(t), rt=lambda t: 0.14 if t < onset else (2.4 if t < -1350 else 1.7),
               t5xx=lambda t: 0.5 if t < onset else 14, healthy=tasks)
    tg_metrics(sc, lb, tgl, req=lambda t: 4200 * diurnal(t) * (1.6 if t > -2400 else 1.0), rt=0.05, t5xx=2.5, healthy=4)
    sc.metric('AWS/ApplicationELB', 'RequestCount', {'LoadBalancer': lb}, 'Count',
              lambda t: 950 * diurnal(t) * mult(t) + 4200 * diurnal(t) * (1.6 if t > -2400 else 1.0), noise=0.04, integer=True)
    sc.metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', {'LoadBalancer': lb}, 'Count', 0.3, integer=True)
    ecs_metrics(sc, 'retail', 'checkout-web', cpu=lambda t: min(77 + 2 * (t // 60) % 3, 33 * mult(t) * 6 / tasks(t) * 0.75 + 8), mem=52, tasks=tasks)
    ecs_metrics(sc, 'retail', 'landing-web', cpu=lambda t: 22 if t < -2400 else 31, mem=40, tasks=4)
    ecs_metrics(sc, 'retail', 'payments-gw', cpu=lambda t: 18 * min(mult(t), 2.2), mem=37, tasks=4)
    sc.change(-2330, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'retail/landing-web', 'github-actions-deployer')
    sc.change(-1700, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'retail/checkout-web', 'AWSServiceRoleForApplicationAutoScaling_ECSService')
    sc.change(-1350, 'ecs.amazonaws.com', 'UpdateService', 'AWS::ECS::Service', 'retail/checkout-web', 'AWSServiceRoleForApplicationAutoScaling_ECSService')
    rng = sc.rng

    def req(t, r):
        camp = t >= onset and r.random() < 0.8
        lag = t >= onset
        ms = r.randint(1200, 4800) if lag else r.randint(60, 220)
        st = 503 if lag and r.random() < 0.004 else 200
        return '{"level":30,"time":%d,"pid":1,"hostname":"ip-10-1-%d-%d","req":{"method":"POST","url":"/checkout/session%s"},"res":{"statusCode":%d},"responseTime":%d,"msg":"request completed"}' % (
            1763650800000 + int(t * 1000), r.randint(1, 9), r.randint(2, 250), '?utm_campaign=blackfriday-early' if camp else '', st, ms)
    ev = sprinkle(rng, LOG_FROM, 0, lambda t: 10 * mult(t), req)
    ev += sprinkle(rng, onset, 0, 2, lambda t, r: '{"level":40,"time":%d,"pid":1,"msg":"event loop lag %d ms exceeds 200 ms; request queue depth %d"}' % (1763650800000 + int(t * 1000), r.randint(250, 1400), r.randint(40, 400)))
    ev += periodic(rng, LOG_FROM, 0, 900, lambda t, r: '{"level":40,"time":%d,"pid":1,"msg":"feature flag service slow to respond (1200 ms), using cached flags"}' % (1763650800000 + int(t * 1000)))
    sc.log('/ecs/checkout-web', 'ecs/checkout-web/%s' % hexid(rng, 32), ev)
    pg = sprinkle(rng, LOG_FROM, 0, lambda t: 3 * min(mult(t), 5), lambda t, r: 'time="%s" level=info msg="charge authorized" psp=adyen latency_ms=%d' % (iso(t), r.randint(180, 420)))
    sc.log('/ecs/payments-gw', 'ecs/payments-gw/%s' % hexid(rng, 32), pg)
    lw = sprinkle(rng, LOG_FROM, 0, 3, lambda t, r: '%s [error] 31#31: *%d open() "/usr/share/nginx/html/apple-touch-icon.png" failed (2: No such file or directory)' % (stamp(t, '%Y/%m/%d %H:%M:%S'), r.randint(1, 999999)))
    sc.log('/ecs/landing-web', 'ecs/nginx/%s' % hexid(rng, 32), lw)
    sc.alarm('checkout-web-latency', 'AWS/ApplicationELB', 'TargetResponseTime', {'LoadBalancer': lb, 'TargetGroup': tgc}, 1.0, onset + 240,
             statistic='Average', period=60, evaluation_periods=3)
    sc.expect_('checkout-web-latency', 'traffic_surge', ['retail/checkout-web', 'checkout-web', tgc, 'checkout-web-tg'],
               [{'namespace': 'AWS/ApplicationELB', 'name': 'RequestCount', 'dimensions': {'LoadBalancer': lb, 'TargetGroup': tgc}}])
    sc.meta = dict(front='origin (the tenant target group)', decoys='landing-web deploy 5 min before the surge (its latency flat, its own traffic up 60 % and served fine); shared ALB total RequestCount up; autoscaling UpdateService after onset; constant apple-touch-icon 404s and feature-flag WARN',
                   story='The early Black Friday campaign went live: checkout-web target group requests go x5.4 within three minutes (access logs carry utm_campaign=blackfriday-early), event-loop lag and queue depth warnings appear and response time rises to 2.4 s; CPU reaches ~90 % and autoscaling adds tasks. Nothing failed underneath: the ALB has no ELB 5xx, payments-gw latency is normal, no change on checkout-web. The shared ALB only looks busy. traffic_surge on checkout-web.')
    return sc
