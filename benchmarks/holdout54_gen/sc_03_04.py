"""S03 noisy-tenant traffic surge on the portal ALB; S04 shared Redis host out of memory."""
import json

from . import fmt, packs
from .common import TENANTS, UAS, clock, expect, meta, pick
from .core import Scenario, bump, ramp, step, window, diurnal
from .lam import Inv, LambdaFn


# ============================================================== S03
def s03():
    S = Scenario(3, "portal-tenant-surge", "eu-central-1",
                 "Customer portal is slow for everyone; ALB target response time alarm is firing.",
                 clock(2026, 11, 12, 10, 45))
    rng = S.rng
    ALB = "app/portal-alb/0e6b1d2c3a4f5968"
    ON = -2700
    S.res("alb", ALB, name="portal-alb", targets=["portal-prod/portal-web"])
    S.res("ecs", "portal-prod/portal-web", cluster="portal-prod", service="portal-web", launch_type="FARGATE",
          desired_count=6, autoscaling="target tracking CPU 60%, min 6 max 16", cpu=1024, memory=2048,
          image="portal-web:4.31.2", log_groups=["/ecs/portal-prod/portal-web"])
    S.res("ecs", "portal-prod/admin-console", cluster="portal-prod", service="admin-console",
          launch_type="FARGATE", desired_count=2)
    S.res("lambda", "tenant-branding-cdn-purge", runtime="nodejs20.x", timeout=30, memory_size=256)
    S.res("rds", "portal-pg", engine="postgres", engine_version="16.3", instance_class="db.r6g.xlarge",
          max_connections=1000, allocated_storage_gb=500)
    surge = lambda t: ramp(t, ON, ON + 180)
    tasks = lambda t: int(6 + 3 * step(t, ON + 300) + 3 * step(t, ON + 560))
    packs.alb(S, ALB, req=lambda t: 1800 * diurnal(t, 0.15, 20000) + 9500 * surge(t),
              rt=lambda t: 0.12 + 1.55 * surge(t) * (1.0 - 0.25 * step(t, ON + 600)),
              t5xx=lambda t: 0.8 + 190 * surge(t) * (1.0 - 0.3 * step(t, ON + 600)), healthy=tasks)
    packs.ecs(S, "portal-prod", "portal-web",
              cpu=lambda t: 38 * diurnal(t, 0.15, 20000) + 34 * surge(t) - 10 * step(t, ON + 330) - 5 * step(t, ON + 600),
              mem=lambda t: 45 + 7 * surge(t), running=tasks)
    packs.ecs(S, "portal-prod", "admin-console", cpu=lambda t: 7.0, mem=lambda t: 33 + 4 * step(t, -6000))
    packs.rds(S, "portal-pg", cpu=lambda t: 30 + 45 * window(t, -11400, -10200) + 14 * surge(t),
              conns=lambda t: 120 + 50 * surge(t), free_gb=lambda t: 318.0, freeable_gb=lambda t: 11.0,
              read_iops=lambda t: 900 + 1500 * window(t, -11400, -10200) + 700 * surge(t))
    packs.sqs(S, "nightly-export-dlq", visible=lambda t: 4.0, age=lambda t: 30000 + (t + 21600))

    purge = LambdaFn(S, "tenant-branding-cdn-purge", "nodejs20.x", 256, 30, log_from=-5400,
                     versions=[(-21600, "12"), (-7190, "13")])
    purge.run(lambda t: 0.4, lambda t: Inv("ok", rng.uniform(300, 900), rng.randint(78, 92), [
        ("INFO", "CreateInvalidation E2Q1W3ABCDXYZ paths=/tenants/%s/branding/* id=I%s" % (
            pick(S, TENANTS), S.hexid(12).upper()))]))

    tids = [S.hexid(32) for _ in range(12)]
    ev = {k: [] for k in tids}
    live = lambda t: tids[:tasks(t)]
    hosts = {k: "ip-10-30-%d-%d.eu-central-1.compute.internal" % (rng.randint(1, 40), rng.randint(4, 250)) for k in tids}
    paths = ["/api/v3/projects", "/api/v3/dashboard", "/api/v3/catalog/items", "/api/v3/orders", "/api/v3/me"]

    def req_log(tt):
        k = pick(S, live(tt))
        noisy = tt >= ON and rng.random() < (9500 * surge(tt)) / (1800 + 9500 * surge(tt))
        if noisy:
            tenant, ua = "t_0466", "InitechERP-Connector/3.8.1 (+retry)"
            url = "/api/v3/catalog/items?page=%d&per_page=200" % rng.randint(1, 4200)
        else:
            tenant, ua, url = pick(S, TENANTS), pick(S, UAS), pick(S, paths)
        rtm = int(rng.uniform(40, 180) * (1 + 10 * surge(tt)))
        code = 200
        if surge(tt) > 0 and rng.random() < 0.017:
            code = 503
            return (tt, fmt.pino(S, tt, 40, "server too busy, shedding request", hosts[k], reqId=S.uid(),
                                 tenant=tenant, url=url, lagMs=rng.randint(420, 900), statusCode=503))
        return (tt, fmt.pino(S, tt, 30, "request completed", hosts[k], reqId=S.uid(), tenant=tenant,
                             req={"method": "GET", "url": url, "userAgent": ua}, res={"statusCode": code},
                             responseTime=rtm))

    def top(tt):
        out = []
        for k in live(tt):
            tot = int((1800 * diurnal(tt, 0.15, 20000) + 9500 * surge(tt)) / len(live(tt)))
            noisy = int(9500 * surge(tt) / len(live(tt)))
            others = sorted(rng.sample(TENANTS, 4))
            tops = ([["t_0466", noisy + rng.randint(5, 20)]] if noisy else []) + [[o, rng.randint(15, 60)] for o in others]
            tops.sort(key=lambda x: -x[1])
            out.append((tt + rng.uniform(0, 2), fmt.pino(S, tt, 30, "per-tenant request rate (last 60s)", hosts[k],
                                                         top=tops[:5], total=tot)))
        return out

    def lag(tt):
        return (tt, fmt.pino(S, tt, 40, "event loop lag %dms exceeds 200ms" % rng.randint(260, 980),
                             hosts[pick(S, live(tt))]))

    def hook(tt):
        return (tt, fmt.pino(S, tt, 50, "webhook delivery failed", hosts[pick(S, live(tt))], tenant="t_0012",
                             err={"type": "Error", "message": "getaddrinfo ENOTFOUND hooks.t0012-legacy.example.net",
                                  "code": "ENOTFOUND"}))

    L0 = -6300
    allev = (fmt.spread(S, L0, 0, lambda t: (1800 * diurnal(t, 0.15, 20000) + 9500 * surge(t)) * 0.005,
                        lambda tt: [req_log(tt)])
             + fmt.every(L0, 0, 60, top)
             + fmt.spread(S, ON, 0, lambda t: 10 * surge(t) * (1 - 0.5 * step(t, ON + 600)), lambda tt: [lag(tt)])
             + fmt.spread(S, L0, 0, lambda t: 1.0, lambda tt: [hook(tt)]))
    for tt, m in allev:
        host = json.loads(m)["hostname"]
        k = [x for x in tids if hosts[x] == host][0]
        ev[k].append((tt, m))
    for k in tids:
        S.log("/ecs/portal-prod/portal-web", "ecs/portal-web/" + k, ev[k])

    pgl = fmt.every(-21600, 0, 300, lambda tt: fmt.pg(S, tt, "LOG", "checkpoint complete: wrote %d buffers (%.1f%%)" % (
        rng.randint(2000, 4000), rng.uniform(1, 3)), pid=611), jitter=30, S=S)
    pgl.append((-11380, fmt.pg(S, -11380, "LOG", "automatic vacuum of table \"portal.public.activity_feed\": index "
                                                  "scans: 3; pages: 0 removed, 1840213 remain", pid=22841)))
    pgl.append((-10230, fmt.pg(S, -10230, "LOG", "automatic vacuum of table \"portal.public.activity_feed\": "
                                                  "elapsed: 1148.21 s", pid=22841)))
    S.log("/aws/rds/instance/portal-pg/postgresql", "portal-pg.0", pgl)

    S.change(-7200, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "tenant-branding-cdn-purge", "github-actions")
    S.change(-7190, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
             "tenant-branding-cdn-purge", "github-actions")
    S.change(-6030, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "admin-console:41",
             "m.keller@sso")
    S.change(-6000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "portal-prod/admin-console",
             "m.keller@sso")
    for dt in (300, 560):
        S.change(ON + dt - 20, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "portal-prod/portal-web",
                 "AWSServiceRoleForApplicationAutoScaling_ECSService")
    S.alarm("portal-alb-target-response-time", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": ALB},
            "Average", 60, 5, 1.0, description="Portal p-avg latency above 1 s")
    S.alarm("nightly-export-dlq-not-empty", "AWS/SQS", "ApproximateNumberOfMessagesVisible",
            {"QueueName": "nightly-export-dlq"}, "Maximum", 300, 1, 0, state_changed=-30000,
            reason="Threshold Crossed: 1 datapoint [4.0 (12/11/26 02:25:00)] was greater than the threshold (0.0).")
    acc = ["portal-alb", ALB, "portal-prod/portal-web", "portal-web"]
    expect(S, "portal-alb-target-response-time", "traffic_surge", acc,
           [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": ALB}),
            ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": ALB}),
            ("AWS/ECS", "CPUUtilization", {"ClusterName": "portal-prod", "ServiceName": "portal-web"})])
    meta(S, "traffic_surge", "alb portal-alb (and its only target service portal-prod/portal-web)",
         "origin (ALB portal-alb)",
         "admin-console task-definition/env update 100 min before; tenant-branding-cdn-purge deploy 2 h before; "
         "portal-pg autovacuum CPU spike 3 h ago; nightly-export-dlq alarm in ALARM since the night; steady "
         "webhook ENOTFOUND ERROR for t_0012",
         "Tenant t_0466's ERP connector went into a retry loop and started paging the whole catalogue: portal "
         "RequestCount jumped from ~1.8 k to ~11 k per minute in three minutes, with the service's own per-tenant "
         "rate report showing t_0466 at ~1.5 k req/min per task. Latency on the ALB rose from 0.12 s to ~1.5 s, "
         "the Node event loop lags and about 1.7 % of requests are shed with 503. CPU peaked around 80 % (never pinned) "
         "and autoscaling added tasks after onset (those UpdateService calls are a response, not a trigger). The DB "
         "is healthy and no change preceded the onset. A volume surge with no other fault: traffic_surge on the "
         "portal front door.")
    return S


# ============================================================== S04
def s04():
    S = Scenario(4, "shared-redis-oom", "us-west-2",
                 "Logins failing for many tenants; SSO ALB 5xx alarm in ALARM.",
                 clock(2026, 11, 5, 17, 25))
    rng = S.rng
    IID, ALB = "i-0f3a9c1d27b84e605", "app/sso-alb/7d1e0f9a3b2c4d56"
    ON, GROW = -1800, -9000
    S.res("ec2", IID, name="redis-shared-1", instance_type="r6g.large", memory_gib=16,
          role="Redis 7.2 primary: sessions, rate-limit counters, SCIM group cache",
          redis_maxmemory="12gb", redis_maxmemory_policy="noeviction", log_groups=["/ec2/redis-shared-1/redis"])
    S.res("ecs", "identity-prod/sso-gateway", cluster="identity-prod", service="sso-gateway",
          launch_type="FARGATE", desired_count=4, image="sso-gateway:1.58.0", log_groups=["/ecs/identity-prod/sso-gateway"])
    S.res("alb", ALB, name="sso-alb", targets=["identity-prod/sso-gateway"])
    S.res("lambda", "scim-sync-worker", runtime="python3.12", timeout=60, memory_size=512,
          event_source="sqs:scim-events", batch_size=10)
    S.res("ecs", "identity-prod/admin-portal", cluster="identity-prod", service="admin-portal",
          launch_type="FARGATE", desired_count=2)
    used = lambda t: 7.6 + 4.4 * ramp(t, GROW, ON)
    packs.ec2(S, IID, cpu=lambda t: 11 + 4 * ramp(t, GROW, ON), net_in=lambda t: 4.2e7 + 3.0e7 * window(t, GROW, 0),
              mem=lambda t: min(99.2, 54 + 38.5 * ramp(t, GROW, ON) + 4.5 * step(t, ON)),
              disk=lambda t: 41.0)
    d = {"InstanceId": IID}
    S.gauge("Redis", "used_memory_pct", d, "Percent", lambda t: min(100.0, 100 * used(t) / 12.0), noise=0.002, hi=100.0)
    S.count("Redis", "errorstat_oom", d, lambda t: 260 * step(t, ON))
    S.gauge("Redis", "evicted_keys", d, "Count", lambda t: 0.0, noise=0.0, digits=0)
    S.gauge("Redis", "connected_clients", d, "Count", lambda t: 410 + 60 * window(t, GROW, 0), noise=0.03, digits=0)
    packs.alb(S, ALB, req=lambda t: 900 * diurnal(t, 0.1), rt=lambda t: 0.045 + 0.01 * step(t, ON),
              t5xx=lambda t: 0.5 + 140 * step(t, ON), healthy=4,
              t4xx=lambda t: 35 * diurnal(t, 0.1))
    packs.ecs(S, "identity-prod", "sso-gateway", cpu=lambda t: 22 * diurnal(t, 0.1), mem=lambda t: 40.0)
    packs.ecs(S, "identity-prod", "admin-portal", cpu=lambda t: 9.0, mem=lambda t: 31 + 6 * step(t, -7300))
    packs.sqs(S, "scim-events", visible=lambda t: 20 + 3000 * window(t, GROW, ON) + 3000 * step(t, ON) +
              160 * max(0.0, (t - ON) / 60.0), age=lambda t: 30 + 200 * step(t, GROW) + max(0.0, t - ON),
              sent=lambda t: 30 + 400 * window(t, GROW, 0))

    fn = LambdaFn(S, "scim-sync-worker", "python3.12", 512, 60, log_from=-3600)

    def scim(t):
        tenant = "t_0649" if t >= GROW and rng.random() < 0.93 else pick(S, TENANTS)
        grp = "grp_%06d" % rng.randint(1, 999999)
        if t >= ON:
            return Inv("error", rng.uniform(40, 120), rng.randint(88, 96),
                       [("INFO", "SCIM PATCH /Groups/%s tenant=%s members=+%d" % (grp, tenant, rng.randint(50, 400)))],
                       ("redis.exceptions.OutOfMemoryError", "OOM command not allowed when used memory > 'maxmemory'.",
                        ['  File "/var/task/app.py", line 88, in handler\n    cache.sadd(key, *member_ids)',
                         '  File "/var/task/redis/commands/core.py", line 3366, in sadd\n    return self.execute_command("SADD", name, *values)',
                         '  File "/var/task/redis/connection.py", line 549, in read_response\n    raise response']))
        return Inv("ok", rng.uniform(150, 700), rng.randint(88, 96),
                   [("INFO", "SCIM PATCH /Groups/%s tenant=%s members=+%d cached key=scim:%s:%s:members" % (
                       grp, tenant, rng.randint(50, 400), tenant, grp))])
    fn.run(lambda t: 3 + 37 * window(t, GROW, 0), scim)

    # redis server log
    rl = []
    for k, tt in enumerate(range(-21600, 0, 300)):
        u = used(tt)
        cow = int(180 + 90 * (u - 7.6))
        pid = 31000 + k * 7
        ts = tt + rng.uniform(0, 20)
        rl += [(ts, fmt.redis(S, ts, "*", "10000 changes in 60 seconds. Saving...")),
               (ts + 0.002, fmt.redis(S, ts + 0.002, "*", "Background saving started by pid %d" % pid)),
               (ts + 41, fmt.redis(S, ts + 41, "*", "Fork CoW for RDB: current %d MB, peak %d MB, average %d MB" % (
                   cow, cow, cow // 2), pid=pid, role="C")),
               (ts + 41.2, fmt.redis(S, ts + 41.2, "*", "DB saved on disk", pid=pid, role="C")),
               (ts + 41.3, fmt.redis(S, ts + 41.3, "*", "Background saving terminated with success"))]
    S.log("/ec2/redis-shared-1/redis", IID, rl)

    tids = [S.hexid(32) for _ in range(4)]
    callers = ["session/store.go:88", "ratelimit/limiter.go:61", "oidc/callback.go:142"]

    def login(tt):
        tenant = pick(S, TENANTS)
        return fmt.zap(S, tt, "info", "oidc/callback.go:171", "login completed", tenant=tenant,
                       idp=pick(S, ["okta", "azuread", "google"]), latency_ms=rng.randint(18, 90))

    def fail(tt):
        tenant = pick(S, TENANTS)
        if rng.random() < 0.7:
            return fmt.zap(S, tt, "error", callers[0], "failed to persist session", tenant=tenant,
                           error="OOM command not allowed when used memory > 'maxmemory'.",
                           stacktrace="main.(*SessionStore).Save\n\t/src/session/store.go:88")
        return fmt.zap(S, tt, "warn", callers[1], "rate limiter INCR failed, failing open", tenant=tenant,
                       error="OOM command not allowed when used memory > 'maxmemory'.")

    def skew(tt):
        return fmt.zap(S, tt, "warn", "saml/validate.go:203", "SAML assertion NotBefore in the future, accepted "
                       "within skew", tenant="t_0377", skew_ms=rng.randint(1200, 2900))
    allev = (fmt.spread(S, -5400, 0, lambda t: 12.0, login) + fmt.spread(S, ON, 0, lambda t: 30.0, fail)
             + fmt.spread(S, -5400, 0, lambda t: 2.0, skew))
    ev = {k: [] for k in tids}
    for tt, m in allev:
        ev[pick(S, tids)].append((tt, m))
    for k in tids:
        S.log("/ecs/identity-prod/sso-gateway", "ecs/sso-gateway/" + k, ev[k])

    S.change(-10400, "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "AWS::EC2::SecurityGroup",
             "sg-0a4c1e7b9d2f36081", "netops-automation")
    S.change(-7330, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "admin-portal:77",
             "github-actions")
    S.change(-7300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "identity-prod/admin-portal",
             "github-actions")
    S.alarm("sso-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB},
            "Sum", 60, 3, 25, description="SSO gateway 5xx")
    S.alarm("scim-sync-worker-errors", "AWS/Lambda", "Errors", {"FunctionName": "scim-sync-worker"},
            "Sum", 60, 3, 5)
    expect(S, "sso-alb-target-5xx", "memory_exhaustion", [IID, "redis-shared-1"],
           [("CWAgent", "mem_used_percent", {"InstanceId": IID}), ("Redis", "used_memory_pct", {"InstanceId": IID}),
            ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": ALB})])
    meta(S, "memory_exhaustion", "ec2 %s (redis-shared-1)" % IID, "front (ALB sso-alb)",
         "admin-portal ECS deploy 2 h before; security-group ingress change 3 h before; steady SAML clock-skew WARN",
         "The shared Redis host (maxmemory 12 GB, policy noeviction) filled up over 2.5 h while a SCIM full resync "
         "for tenant t_0649 wrote group-membership keys with no TTL. Redis used_memory reached 100 % of maxmemory "
         "(host memory ~97 %), evicted_keys stays 0 and errorstat_oom climbs; from then every write fails with "
         "'OOM command not allowed when used memory > maxmemory'. The SSO gateway can no longer persist sessions, "
         "so logins for all tenants return 500 (the ALB alarm), and the SCIM Lambda errors too. The fault "
         "originates in the exhausted cache host, not in the gateway that paged: memory_exhaustion on "
         "redis-shared-1.")
    return S
