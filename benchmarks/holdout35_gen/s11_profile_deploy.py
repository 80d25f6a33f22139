"""h35-11: ECS rolling deploy of profile-api v4.18.0 introduces a NullPointerException for members without
a primary address. Fast, front alarm on the ALB."""
import datetime as dt

from .lib import Scenario, alb_dims, ecs_dims, rds_dims, first_breach, clamp

FILE = "h35-11-profile-ecs-bad-deploy.yaml"
ALB = "app/members-alb/2c8f5e1d7a3b9046"
META = {
    "file": FILE, "region": "ap-northeast-1", "alarm": "members-alb-target-5xx",
    "category": "bad_deployment", "resources": ["members/profile-api", "profile-api"], "where": "front (ALB)",
    "shape": "fast",
    "decoys": "notification-worker desired-count change 55 min before; SSM parameter change for "
              "notification-worker 20 min before (after onset); constant LoyaltyClient 404 ERRORs in profile-api",
    "story": (
        "profile-api (Spring Boot on ECS) gets a rolling deployment 38 minutes ago: RegisterTaskDefinition "
        "profile-api:213 and UpdateService by the CI deployer; RunningTaskCount goes 6 -> 12 -> 6 and the new "
        "tasks log `Starting ProfileApiApplication v4.18.0` while the old v4.17.2 tasks shut down gracefully. "
        "As the new tasks take traffic, a new signature appears only in them: `NullPointerException: Cannot "
        "invoke \"Address.getCountryCode()\" because the return value of \"Member.getPrimaryAddress()\" is "
        "null` from ProfileAssembler.toView, for members without an address, and the ALB target 5XX rises "
        "to ~13 % of requests. CPU, memory and members-db are normal. The notification-worker scaling and "
        "its SSM parameter change are a different service (the parameter change comes after the onset); the "
        "LoyaltyClient 404 errors are handled and constant. Label: bad_deployment of profile-api."),
}


def build():
    now = dt.datetime(2026, 7, 14, 3, 25, tzinfo=dt.timezone.utc)
    s = Scenario("h35-11-profile-ecs-bad-deploy", "ap-northeast-1",
                 "Member profile pages erroring in the app; members ALB 5XX alarm.",
                 seed=3511, now=now, window_h=6, tz_offset_h=9)
    s.resource("ecs", "members/profile-api", cluster="members", service="profile-api", launch_type="FARGATE",
               desired_count=6, task_definition="profile-api:213", log_groups=["/ecs/profile-api"])
    s.resource("ecs", "members/notification-worker", cluster="members", service="notification-worker",
               desired_count=4, log_groups=["/ecs/notification-worker"])
    s.resource("alb", ALB, name="members-alb", scheme="internet-facing", target_groups=["profile-api-tg"])
    s.resource("rds", "members-db", engine="postgres", engine_version="15.7", instance_class="db.r6g.xlarge",
               max_connections=1700, allocated_storage_gb=500)

    mins = list(range(s.start, 0, 60))
    dep = -38 * 60
    shift = {t: clamp((t - dep - 90) / 330.0, 0, 1) for t in mins}
    req = {t: 6100 * s.diurnal(t, 0.15, 13) * (1 + s.g(0, 0.04)) for t in mins}
    r5 = {t: s.pois(2) + s.pois(req[t] * 0.132 * shift[t]) for t in mins}
    tasks = {t: 6 + (6 if dep + 40 <= t < dep + 480 else 0) for t in mins}
    a = alb_dims(ALB)
    s.metric("AWS/ApplicationELB", "RequestCount", a, "Count", lambda t: req[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Count", lambda t: r5[t], nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", a, "Count", lambda t: s.pois(req[t] * 0.008), nd=0)
    s.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", a, "Count", lambda t: s.pois(0.2), nd=0)
    s.metric("AWS/ApplicationELB", "TargetResponseTime", a, "Seconds",
             lambda t: 0.048 + 0.01 * s.diurnal(t) + abs(s.g(0, 0.003)) - 0.006 * shift[t])
    s.metric("AWS/ApplicationELB", "HealthyHostCount", a, "Count",
             lambda t: tasks[t] - (3 if dep + 40 <= t < dep + 120 else 0), nd=0)
    s.metric("AWS/ApplicationELB", "UnHealthyHostCount", a, "Count", lambda t: 0, nd=0)
    e = ecs_dims("members", "profile-api")
    s.metric("AWS/ECS", "CPUUtilization", e, "Percent",
             lambda t: (18 + 30 * s.diurnal(t, 0.15, 13)) * (6.0 / tasks[t]) + s.g(0, 1.5)
             + (25 if dep + 40 <= t < dep + 160 else 0))
    s.metric("AWS/ECS", "MemoryUtilization", e, "Percent", lambda t: 52 + s.g(0, 0.8) - (9 if dep + 40 <= t < dep + 480 else 0))
    s.metric("ECS/ContainerInsights", "RunningTaskCount", e, "Count", lambda t: tasks[t], nd=0)
    nw = ecs_dims("members", "notification-worker")
    scale = -55 * 60
    s.metric("AWS/ECS", "CPUUtilization", nw, "Percent", lambda t: (34 if t < scale else 19) + s.g(0, 2))
    s.metric("ECS/ContainerInsights", "RunningTaskCount", nw, "Count", lambda t: 2 if t < scale else 4, nd=0)
    d = rds_dims("members-db")
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent", lambda t: 16 + 20 * s.diurnal(t, 0.15, 13) + s.g(0, 1.5))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count", lambda t: tasks[t] * 20 + 38 + s.rng.randint(-3, 3), nd=0)
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0008 + abs(s.g(0, 0.0001)), nd=5)

    # ---- logs ---------------------------------------------------------------------------------
    def sb(t, lvl, th, logger, msg):
        return (t, f"{s.iso(t)} {lvl:>5} 1 --- [profile-api] [{th:>15}] {logger:<40} : {msg}")

    npe = ("Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
           "processing failed: java.lang.NullPointerException: Cannot invoke \"com.acme.members.model.Address."
           "getCountryCode()\" because the return value of \"com.acme.members.model.Member.getPrimaryAddress()\" "
           "is null] with root cause\n\njava.lang.NullPointerException: Cannot invoke \"com.acme.members.model."
           "Address.getCountryCode()\" because the return value of \"com.acme.members.model.Member."
           "getPrimaryAddress()\" is null\n\tat com.acme.members.profile.ProfileAssembler.toView(ProfileAssembler."
           "java:88)\n\tat com.acme.members.api.ProfileController.getProfile(ProfileController.java:142)\n\tat "
           "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n\t"
           "at org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)")
    log_from = -3 * 3600
    olds = [(s.hexid(32), dep + 200 + k * 60) for k in range(2)]
    news = [(s.hexid(32), dep + 45 + k * 30) for k in range(2)]
    for tid, end in olds:
        ev = []
        for t in s.times(lambda t: 5 * s.diurnal(t, 0.15, 13), start=log_from, end=end - 30):
            th = f"nio-8080-exec-{s.rng.randint(1, 60)}"
            if s.rng.random() < 0.04:
                ev.append(sb(t, "ERROR", th, "c.a.members.client.LoyaltyClient",
                             f"loyalty tier lookup failed for member m_{s.rng.randint(10 ** 7, 10 ** 8)}: 404 NOT_FOUND"))
            ev.append(sb(t + 0.01, "INFO", th, "c.a.members.api.ProfileController",
                         f"GET /v1/members/m_{s.rng.randint(10 ** 7, 10 ** 8)}/profile 200 {s.rng.randint(12, 60)}ms"))
        ev.append(sb(end - 20, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                     "Commencing graceful shutdown. Waiting for active requests to complete"))
        ev.append(sb(end - 18, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete"))
        ev.insert(0, sb(log_from - 5, "INFO", "main", "c.a.members.ProfileApiApplication",
                        "Started ProfileApiApplication v4.17.2 in 9.87 seconds (process running for 10.6)"))
        s.log("/ecs/profile-api", f"profile-api/profile-api/{tid}", ev)
    for tid, st in news:
        ev = [sb(st, "INFO", "main", "c.a.members.ProfileApiApplication",
                 "Starting ProfileApiApplication v4.18.0 using Java 21.0.3 with PID 1"),
              sb(st + 10.1, "INFO", "main", "c.a.members.ProfileApiApplication",
                 "Started ProfileApiApplication v4.18.0 in 10.02 seconds (process running for 10.9)")]
        for t in s.times(lambda t: 5 * s.diurnal(t, 0.15, 13), start=st + 60):
            th = f"nio-8080-exec-{s.rng.randint(1, 60)}"
            mid = f"m_{s.rng.randint(10 ** 7, 10 ** 8)}"
            if s.rng.random() < 0.04:
                ev.append(sb(t, "ERROR", th, "c.a.members.client.LoyaltyClient",
                             f"loyalty tier lookup failed for member {mid}: 404 NOT_FOUND"))
            if s.rng.random() < 0.135:
                ev.append(sb(t + 0.01, "ERROR", th, "o.a.c.c.C.[.[.[/].[dispatcherServlet]", npe))
            else:
                ev.append(sb(t + 0.01, "INFO", th, "c.a.members.api.ProfileController",
                             f"GET /v1/members/{mid}/profile 200 {s.rng.randint(12, 60)}ms"))
        s.log("/ecs/profile-api", f"profile-api/profile-api/{tid}", ev)
    ev = []
    for t in s.times(lambda t: 3, start=log_from):
        ev.append((t, f"{s.iso(t)} INFO  notification-worker  sent batch size={50 if t < -20 * 60 else 100} "
                      f"channel={s.pick(['push', 'email', 'line'])} ok={s.rng.randint(45, 100)}"))
    s.log("/ecs/notification-worker", f"notification-worker/notification-worker/{s.hexid(32)}", ev)

    s.change(dep - 120, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "profile-api:213",
             "github-actions-deployer")
    s.change(dep, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members/profile-api",
             "github-actions-deployer")
    s.change(scale, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "members/notification-worker", "k.sato")
    s.change(-20 * 60, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
             "/members/notification-worker/batch_size", "k.sato")
    when = first_breach(r5, 60, 3, 50, ">")
    s.alarm("members-alb-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", a, "Sum", 60, 3, 50,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (50.0).",
            min(when or -1800, -60), description="members ALB targets returning 5xx")
    s.expect = {"alarm": "members-alb-target-5xx",
                "root_cause": {"category": "bad_deployment", "resource": META["resources"]},
                "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_Target_5XX_Count", "dimensions": a}]}
    return s
