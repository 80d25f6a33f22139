"""Scenarios h31-13 .. h31-14."""
import json

from .common import Ctx, MINUTES, LOG_FROM, diurnal, ramp, events_per_minute, every
from .lam import lambda_function
from .infra import alb_metrics, ecs_metrics, ec2_metrics, rds_metrics, const_series, my_background


def minute(t):
    return int(t // 60) * 60


# ---------------------------------------------------------------------------
def s13():
    """ALB unhealthy hosts because profile-svc tasks are OOM-killed in a loop (memory alarm on the service)."""
    c = Ctx(3113, "2026-11-17T20:10:00", "eu-north-1")
    LB = "app/accounts-alb/7c9e1a3b5d2f4680"
    T0 = -2700
    c.resource("alb", LB, name="accounts-alb", scheme="internet-facing",
               target_groups={"profile-svc-tg": "ecs accounts/profile-svc", "login-svc-tg": "ecs accounts/login-svc"})
    c.resource("ecs", "accounts/profile-svc", launch_type="FARGATE", cpu=512, memory=1024, desired_count=4,
               image="profile-svc:7.2.4", runtime="java17 spring-boot-3.1", java_opts="-XX:MaxRAMPercentage=80",
               load_balancer="accounts-alb")
    c.resource("ecs", "accounts/login-svc", launch_type="FARGATE", cpu=512, memory=1024, desired_count=2,
               image="login-svc:3.0.1", load_balancer="accounts-alb")
    kills, t = [], T0 + c.uni(0, 60)
    while t < -30:
        kills.append(t)
        t += c.uni(120, 200)

    def near(m, lo, hi):
        return sum(1 for k in kills if m + lo <= k < m + hi)
    unh = {m: min(2, near(m, -150, 60)) for m in MINUTES}
    mem = c.ser(lambda m: min(99.6, c.noisy(60 + 33.5 * ramp(m, -21600, T0 - 300), 0.005)) if m < T0 - 300
                else min(100.0, c.noisy(97.5, 0.015)))
    req = c.ser(lambda m: c.noisy(1500 * diurnal(m, 0.2, -6), 0.05))
    rt = {m: c.noisy(0.048, 0.08) + 0.25 * ramp(m, T0 - 3000, T0) + 0.3 * (m >= T0) * c.noisy(1, 0.2) for m in MINUTES}
    t5 = {m: c.poisson(0.3 + (9 if m >= T0 else 0)) for m in MINUTES}
    e5 = {m: c.poisson(0.1 + 28 * near(m, -20, 60)) for m in MINUTES}
    alb_metrics(c, LB, req, rt, t5, e5, {m: 6 - unh[m] for m in MINUTES}, unh, t4xx=c.ser(lambda m: c.noisy(25, 0.2)))
    ecs_metrics(c, "accounts", "profile-svc", c.ser(lambda m: c.noisy(31, 0.07) + 22 * ramp(m, T0 - 2400, T0)), mem,
                {m: 4 - min(1, near(m, -60, 60)) for m in MINUTES})
    ecs_metrics(c, "accounts", "login-svc", c.ser(lambda m: c.noisy(19, 0.08)), c.ser(lambda m: c.noisy(46, 0.02)),
                c.ser(lambda m: 2))

    def spring(t, level, thread, logger, msg):
        return "%sZ %5s 1 --- [%15s] %-40s : %s" % (c.iso(t)[:-1], level, thread[-15:], logger, msg)
    tasks = [c.hexs(32) for _ in range(2)]
    for i, task in enumerate(tasks):
        def app(t):
            m = minute(t)
            th = "http-nio-8080-exec-%d" % c.rng.randint(1, 50)
            if c.chance(0.05):
                return spring(t, "WARN", th, "c.a.profile.api.LegacyMapper",
                              "Ignoring unknown property 'legacyId' in profile payload")
            if m >= T0 and c.chance(0.08):
                return spring(t, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                              "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                              "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf("
                              "Arrays.java:3537)\n\tat com.acme.profile.cache.AvatarCache.put(AvatarCache.java:77)\n\tat "
                              "com.acme.profile.api.ProfileController.avatar(ProfileController.java:112)")
            return spring(t, " INFO", th, "c.a.profile.api.ProfileController", "GET /v2/profiles/%s%s 200 %dms" % (
                c.alnum(10), c.pick(["", "/avatar", "/preferences"]), int(rt[m] * 1000 * c.uni(0.5, 1.5))))
        ev = events_per_minute(c, LOG_FROM, 0, lambda t: 6, app)
        ev += every(LOG_FROM + 7 * i, 0, 300, lambda t: spring(
            t, " INFO", "cache-stats", "c.a.profile.cache.AvatarCache",
            "avatarCache size=%d evictions=0 heapUsed=%dMB/%dMB" % (
                int(80000 + 120000 * ramp(t, -21600, T0)), int(7.8 * mem[minute(t)]), 780)))
        gcn = [c.rng.randint(4000, 9000)]

        def gc(t, gcn=gcn):
            gcn[0] += c.rng.randint(3, 40)
            if not c.chance(ramp(t, T0 - 3000, T0)):
                return None
            return "[%s][info][gc] GC(%d) Pause Full (G1 Compaction Pause) %dM->%dM(780M) %.3fms" % (
                c.iso(t)[:-1], gcn[0], c.rng.randint(760, 779), c.rng.randint(735, 759), c.uni(900, 2600))
        ev += every(max(LOG_FROM, T0 - 3000) + 11 * i, 0, 45, gc, c)
        c.log("/ecs/profile-svc", "ecs/profile-svc/%s" % task, ev)
    lev = events_per_minute(c, LOG_FROM, 0, lambda t: 3, lambda t: spring(
        t, " INFO", "http-nio-8080-exec-%d" % c.rng.randint(1, 30), "c.a.login.api.LoginController",
        "POST /v1/login 200 %dms (login-svc %s)" % (c.rng.randint(40, 160), "3.0.1" if t > -1900 else "3.0.0")))
    c.log("/ecs/login-svc", "ecs/login-svc/%s" % c.hexs(32), lev)
    evs = []
    for k in kills:
        tid = c.hexs(32)
        evs.append((k + 2, json.dumps({
            "version": "0", "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": "eu-north-1",
            "time": c.iso(k + 2)[:-5] + "Z", "detail": {
                "clusterArn": "arn:aws:ecs:eu-north-1:412233445566:cluster/accounts", "group": "service:profile-svc",
                "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "EssentialContainerExited",
                "stoppedReason": "Essential container in task exited",
                "taskArn": "arn:aws:ecs:eu-north-1:412233445566:task/accounts/%s" % tid,
                "containers": [{"name": "profile-svc", "exitCode": 137, "lastStatus": "STOPPED",
                                "reason": "OutOfMemoryError: Container killed due to memory usage"}]}})))
    c.log("/aws/events/ecs-task-state", "accounts", evs)

    c.change(-1980, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "login-svc:44", "ci-deployer")
    c.change(-1950, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "accounts/login-svc", "ci-deployer")
    c.change(-13000, "elasticloadbalancing.amazonaws.com", "ModifyListener", "AWS::ElasticLoadBalancingV2::Listener",
             "accounts-alb/https-443", "netops-eklund")
    c.alarm("accounts-alb-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", {"LoadBalancer": LB}, "Maximum",
            60, 3, 0, "ALARM", -2280)
    c.alarm("profile-svc-memory-high", "AWS/ECS", "MemoryUtilization",
            {"ClusterName": "accounts", "ServiceName": "profile-svc"}, "Maximum", 60, 3, 90, "ALARM", -3600)
    doc = c.doc("h31-13-alb-unhealthy-ecs-oom-loop",
                "Profile pages erroring; accounts-alb unhealthy-host alarm, profile-svc memory alarm also active.",
                {"alarm": "accounts-alb-unhealthy-hosts",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["accounts/profile-svc", "profile-svc"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": "accounts", "ServiceName": "profile-svc"}},
                               {"namespace": "AWS/ApplicationELB", "name": "UnHealthyHostCount",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="eu-north-1", alarm="accounts-alb-unhealthy-hosts", category="memory_exhaustion",
                resources=["accounts/profile-svc", "profile-svc"],
                where="other alarm (profile-svc-memory-high) is on the origin; investigated alarm is the ALB front",
                decoys="login-svc deploy 12 min after the kills began, on the same ALB; listener change 3.6 h "
                       "earlier; steady 'legacyId' WARNs",
                story="profile-svc (Spring Boot on Fargate, 1 GB tasks) has an avatar cache with no eviction: the "
                      "cache-stats line shows it growing all day and heap use rising with it. Memory utilisation "
                      "climbed from 60 % to the limit; full-GC pauses grew over the last 90 minutes, and 45 minutes ago "
                      "`OutOfMemoryError: Java heap space` began and tasks are now killed every 2-3 minutes (ECS task state change: exit code 137, "
                      "`OutOfMemoryError: Container killed due to memory usage`). Each kill leaves a target unhealthy "
                      "and causes 502s at accounts-alb. The login-svc deploy happened after the kills had started and "
                      "its tasks stay healthy. Origin profile-svc, memory_exhaustion.")
    return doc, meta


# ---------------------------------------------------------------------------
def s14():
    """MySQL sessions-db at max_connections: ALB 5XX on EC2 auth fleet and a .NET Lambda both alarm; DB has none."""
    c = Ctx(3114, "2026-11-20T06:50:00", "ap-south-1")
    LB, DB, FN = "app/auth-alb/6b8d0f2a4c1e3957", "sessions-db", "session-reaper"
    ids = {"auth-1": "i-0c2e4a6b8d1f30597", "auth-2": "i-0e4a6c8b0d2f41786"}
    T0 = -2040
    c.resource("alb", LB, name="auth-alb", scheme="internet-facing",
               target_groups={"auth-tg": ", ".join(sorted(ids.values()))})
    for n, i in sorted(ids.items()):
        c.resource("ec2", i, name=n, instance_type="c6g.large", log_groups=["/auth/app"], database=DB)
    c.resource("lambda", FN, runtime="dotnet8", memory_size=512, timeout=60, database=DB, schedule="rate(1 minute)")
    c.resource("lambda", "audit-log-export", runtime="python3.12", memory_size=512, timeout=300)
    c.resource("rds", DB, engine="mysql", engine_version="8.0.36", instance_class="db.t4g.medium", max_connections=150,
               allocated_storage_gb=100)
    sat = {m: ramp(m, T0 - 600, T0) for m in MINUTES}
    conns = c.ser(lambda m: c.noisy(68, 0.05) + 82 * sat[m] if m < T0 else c.rng.choice([148, 149, 150, 150, 150]))
    conns = {m: min(150, v) for m, v in conns.items()}
    rds_metrics(c, DB, c.ser(lambda m: c.noisy(27, 0.08) + 12 * sat[m]), conns, const_series(c, 7.4e10, 0.0005),
                const_series(c, 1.1e9, 0.03), c.ser(lambda m: c.noisy(0.0008, 0.1)), c.ser(lambda m: c.noisy(0.0012, 0.1)))
    full = {m: 1.0 if conns[m] >= 148 else 0.0 for m in MINUTES}
    req = c.ser(lambda m: c.noisy(900 * diurnal(m, 0.3, -9), 0.05))
    t5 = {m: req[m] * (0.0004 + 0.3 * full[m]) * c.noisy(1, 0.1) for m in MINUTES}
    alb_metrics(c, LB, req, c.ser(lambda m: c.noisy(0.035, 0.1) + 0.6 * full[m]), t5, c.ser(lambda m: c.poisson(0.1)),
                c.ser(lambda m: 2), c.ser(lambda m: 0), t4xx=c.ser(lambda m: c.noisy(30, 0.2)))
    for n, i in sorted(ids.items()):
        burst = (lambda m, n=n: 55 if (n == "auth-2" and -5100 < m < -4800) else 0)
        ec2_metrics(c, i, c.ser(lambda m, b=burst: c.noisy(22 * diurnal(m, 0.3, -9), 0.08) + b(m)),
                    c.ser(lambda m: c.noisy(9e6, 0.15)), c.ser(lambda m: c.noisy(48, 0.02)),
                    c.ser(lambda m: 31.0 + (m + 21600) * 2e-5))

        def auth(t, n=n):
            ts = c.iso(t)
            if c.chance(0.05):
                return json.dumps({"level": "warn", "ts": ts, "caller": "token/refresh.go:64",
                                   "msg": "invalid refresh token", "client_id": "web-%d" % c.rng.randint(1, 3)})
            if full[minute(t)] and c.chance(0.3):
                return json.dumps({"level": "error", "ts": ts, "caller": "session/store.go:118",
                                   "msg": "create session failed", "error": "Error 1040: Too many connections",
                                   "path": "/oauth/token", "status": 500})
            if full[minute(t)] and c.chance(0.05):
                return json.dumps({"level": "warn", "ts": ts, "caller": "session/store.go:92",
                                   "msg": "db pool wait", "wait_ms": c.rng.randint(500, 3000), "open": 40, "in_use": 40})
            return json.dumps({"level": "info", "ts": ts, "caller": "httpx/log.go:31", "msg": "request",
                               "path": c.pick(["/oauth/token", "/oauth/token", "/userinfo", "/.well-known/jwks.json"]),
                               "status": 200, "latency_ms": c.rng.randint(8, 60)})
        ev = events_per_minute(c, LOG_FROM, 0, lambda t: 9, auth)
        if n == "auth-2":
            ev += [(-5040, json.dumps({"level": "info", "ts": c.iso(-5040), "caller": "ops/rotate.go:22",
                                       "msg": "logrotate: compressed /var/log/authd/access.log.1 (2.1 GB)"}))]
        c.log("/auth/app", i, ev)

    inv = c.ser(lambda m: 1)
    errs = {m: (1 if full[m] and c.chance(0.9) else 0) for m in MINUTES}
    for m in range(-600, 0, 60):
        errs[m] = 1

    def h(ctx, t, rid, err):
        if err:
            d = ctx.noisy(15100, 0.05)
            return {"lines": [(0.01, "I", "Reaping sessions expired before %s" % ctx.iso(t - 86400)),
                              (d / 1000 - 0.01, "E", "Reap failed\nMySqlConnector.MySqlException (0x80004005): Too many "
                                                     "connections\n   at MySqlConnector.Core.ServerSession.ConnectAsync("
                                                     "ConnectionSettings cs, MySqlConnection connection, Int32 "
                                                     "startTickCount, ILoadBalancer loadBalancer, IOBehavior ioBehavior, "
                                                     "CancellationToken cancellationToken) in /_/src/MySqlConnector/Core/"
                                                     "ServerSession.cs:line 433\n   at SessionReaper.Function."
                                                     "FunctionHandler(ILambdaContext context) in /src/SessionReaper/"
                                                     "Function.cs:line 41")],
                    "dur": d, "mem": ctx.rng.randint(92, 100)}
        d = ctx.noisy(640, 0.2)
        return {"lines": [(0.01, "I", "Reaping sessions expired before %s" % ctx.iso(t - 86400)),
                          (d / 1000 - 0.01, "I", "Deleted %d expired sessions" % ctx.rng.randint(200, 1400))],
                "dur": d, "mem": ctx.rng.randint(92, 104)}
    lambda_function(c, FN, "dotnet8", 512, 60, inv, errs, h, streams=1)

    ainv = c.ser(lambda m: 1 if m % 900 == 0 else 0)

    def ha(ctx, t, rid, err):
        d = ctx.noisy(21000, 0.1)
        return {"lines": [(0.02, "I", "Exported %d audit events to s3://acme-audit-aps1/ (schema v%s)" % (
            ctx.rng.randint(9000, 30000), "5" if t > -2500 else "4"))], "dur": d, "mem": ctx.rng.randint(200, 240)}
    lambda_function(c, "audit-log-export", "python3.12", 512, 300, ainv, {}, ha, streams=1)
    c.log("/aws/rds/instance/sessions-db/error", "sessions-db", my_background(c, -21600, 0))

    c.change(-2500, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "audit-log-export",
             "ci-deployer")
    c.change(-15000, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
             "batch-workers-asg", "ops-rk")
    c.alarm("auth-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": LB}, "Sum", 60,
            3, 25, "ALARM", -1800)
    c.alarm("session-reaper-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 300, 1, 2, "ALARM", -1500)
    doc = c.doc("h31-14-mysql-too-many-connections-two-clients",
                "Logins failing with 500s and the session reaper failing; two alarms.",
                {"alarm": "auth-alb-target-5xx",
                 "root_cause": {"category": "db_connection_exhaustion", "resource": [DB]},
                 "anomalies": [{"namespace": "AWS/RDS", "name": "DatabaseConnections",
                                "dimensions": {"DBInstanceIdentifier": DB}},
                               {"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count",
                                "dimensions": {"LoadBalancer": LB}}]})
    meta = dict(region="ap-south-1", alarm="auth-alb-target-5xx", category="db_connection_exhaustion", resources=[DB],
                where="both alarms (auth-alb-target-5xx, session-reaper-errors) are consequences; the origin "
                      "sessions-db has no alarm",
                decoys="audit-log-export deploy 8 min before onset; ASG change on another group; auth-2 CPU burst "
                       "from log compression 50 min earlier; steady invalid-refresh-token WARNs",
                story="sessions-db (RDS MySQL, max_connections 150) went from ~70 connections to the limit over ten "
                      "minutes and has stayed at 148-150 since. The Go auth service on auth-1/auth-2 (EC2 behind "
                      "auth-alb) logs `Error 1040: Too many connections` when creating sessions, so about 30 % of "
                      "token requests return 500; the .NET session-reaper Lambda fails every run with "
                      "`MySqlConnector.MySqlException: Too many connections`. DB CPU, latency and storage are "
                      "normal. Two alarms on two different clients, one origin without an alarm: "
                      "db_connection_exhaustion on sessions-db.")
    return doc, meta
