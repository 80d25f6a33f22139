"""ECS incidents (part A): env var change in a task definition, memory leak with exit 137."""
from __future__ import annotations

import numpy as np

from . import logfmt as L
from . import metricsets as M
from .common import ACCOUNT, Scenario, ar1, after, between, clip, counts, daily, ramp, T

SPRING_BIND_FAIL = """

***************************
APPLICATION FAILED TO START
***************************

Description:

Failed to bind properties under 'orders.payment.capture-timeout' to java.time.Duration:

    Property: orders.payment.capture-timeout
    Value: "45sec"
    Origin: System Environment Property "ORDERS_PAYMENT_CAPTURE_TIMEOUT"
    Reason: failed to convert java.lang.String to java.time.Duration (caused by java.lang.IllegalArgumentException: '45sec' is not a valid duration)

Action:

Update your application's configuration
"""


def h01(seed=1101):
    region = "eu-west-1"
    sc = Scenario("h11-01-ecs-taskdef-env", "orders-api target group lost healthy hosts; checkout "
                  "latency elevated in EU.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "prod-core"
    lb = "app/prod-core-public/7a3c91e04b2d6f18"
    tg_o = "targetgroup/orders-api-tg/4f1e2a9b0c8d7e61"
    tg_n = "targetgroup/notifications-tg/9b2d4c6e8f0a1b3c"
    sc.resource("ecs", f"{cluster}/orders-api", cluster=cluster, launch_type="FARGATE",
                task_definition="orders-api:58", desired_count=4, cpu=1024, memory=2048)
    sc.resource("ecs", f"{cluster}/notifications", cluster=cluster, launch_type="FARGATE",
                task_definition="notifications:112", desired_count=2, cpu=512, memory=1024)
    sc.resource("alb", lb, name="prod-core-public", scheme="internet-facing",
                target_groups=["orders-api-tg", "notifications-tg"])
    t_reg, t_upd = -2290, -2262
    t_fail = -2190  # first replacement tasks fail, two old tasks drained
    sc.change(t_reg, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "orders-api", "platform-deployer")
    sc.change(t_upd, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/orders-api",
              "platform-deployer")
    # decoys: autoscaling on notifications, an SSM parameter on notifications
    sc.change(-5460, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/notifications",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-3300, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/notifications",
              "AWSServiceRoleForApplicationAutoScaling_ECSService")
    sc.change(-8200, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter",
              "/notifications/prod/digest_batch_size", "m.keane")

    # ---- metrics
    req_o = counts(rng, 820 + daily(160) + ar1(rng, 0, 25))
    req_n = counts(rng, 140 + ar1(rng, 0, 8))
    down = after(t_fail)
    healthy_o = 4 - 2 * down
    unhealthy_o = np.where(down > 0, rng.choice([0, 0, 1, 1, 2], len(T), p=[.3, .1, .35, .15, .1]), 0)
    running_o = np.round(4 - 2 * down + down * rng.uniform(0.2, 0.9, len(T)), 2)
    lat_o = clip(ar1(rng, 0.16, 0.015) + down * (0.38 + ar1(rng, 0, 0.05)), 0.02)
    t5_o = counts(rng, req_o * (0.0005 + down * 0.004))
    cpu_o = clip(ar1(rng, 34, 3) + daily(5) + down * 29, 1, 100)
    M.ecs(sc, cluster, "orders-api", cpu=cpu_o, mem=clip(ar1(rng, 58, 1.2, 0.9) + down * 6, 1, 100),
          running=running_o, desired=np.full(len(T), 4.0))
    desired_n = 2 + between(-5460, -3300)
    cpu_n = clip(ar1(rng, 18, 2) + 52 * between(-7800, -7200), 1, 100)
    M.ecs(sc, cluster, "notifications", cpu=cpu_n, running=desired_n.copy(), desired=desired_n)
    M.alb(sc, lb, req_o + req_n, target_5xx=t5_o, latency=clip((lat_o * req_o + 0.05 * req_n) / (req_o + req_n)))
    M.target_group(sc, lb, tg_o, req_o, healthy_o, unhealthy_o, target_5xx=t5_o, latency=lat_o)
    M.target_group(sc, lb, tg_n, req_n, desired_n.copy(), lat_level=0.05)

    # ---- logs: old tasks (4), two of which are stopped by the deployment
    app = "orders-api"
    old = [ids.hexs(32) for _ in range(4)]
    def order_line(t):
        r = rng.random()
        if r < 0.06:
            return L.spring(t, "WARN", f"http-nio-8080-exec-{rng.integers(1, 40)}", "c.a.orders.tax.TaxQuoteClient",
                            f"tax quote fallback used for country={rng.choice(['IE', 'PT', 'GR'])} (provider returned 204)", app)
        if r < 0.1:
            return L.spring(t, "INFO", "scheduling-1", "c.a.orders.outbox.OutboxRelay",
                            f"relayed {rng.integers(1, 30)} outbox events to orders-events", app)
        return L.spring(t, "INFO", f"http-nio-8080-exec-{rng.integers(1, 40)}", "c.a.orders.api.OrderController",
                        f"order ord_{rng.integers(10**7, 10**8)} placed total={rng.uniform(8, 400):.2f} EUR items={rng.integers(1, 7)}", app)
    for i, task in enumerate(old):
        end = t_fail - 20 if i < 2 else 0
        ev = L.emit(rng, -10800, end, 9 if i < 2 else lambda t: 9 if t < t_fail else 17, order_line)
        if i < 2:
            ev += [(end - 9, L.spring(end - 9, "INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown",
                                      "Commencing graceful shutdown. Waiting for active requests to complete", app)),
                   (end - 3, L.spring(end - 3, "INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown",
                                      "Graceful shutdown complete", app)),
                   (end - 2, L.spring(end - 2, "INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource",
                                      "HikariPool-1 - Shutdown completed.", app))]
        else:
            ev += [(t, L.spring(t, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s).", app))
                   for t in L.poisson_times(rng, t_fail, 0, 0.05)]
        sc.log("/ecs/orders-api", L.ecs_stream("orders-api", "orders-api", task), ev)
    # replacement tasks: start, fail binding, exit 1; ECS retries with back-off
    t, gap, events = t_upd + 40, 45.0, []
    while t < -90:
        task = ids.hexs(32)
        ev = [(t, L.spring(t, "INFO", "main", "c.a.orders.OrdersApplication",
                           "Starting OrdersApplication v3.41.0 using Java 21.0.5 with PID 1 (/app/app.jar started by app in /app)", app)),
              (t + 0.05, L.spring(t + 0.05, "INFO", "main", "c.a.orders.OrdersApplication",
                                  'The following 1 profile is active: "prod"', app)),
              (t + 4.1, L.spring(t + 4.1, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                 "Tomcat initialized with port 8080 (http)", app)),
              (t + 6.3, L.spring(t + 6.3, "WARN", "main", "ConfigServletWebServerApplicationContext",
                                 "Exception encountered during context initialization - cancelling refresh attempt: "
                                 "org.springframework.boot.context.properties.ConfigurationPropertiesBindException: "
                                 "Error creating bean with name 'paymentProperties': Could not bind properties to "
                                 "'PaymentProperties' : prefix=orders.payment, ignoreInvalidFields=false, "
                                 "ignoreUnknownFields=true", app)),
              (t + 6.4, L.spring(t + 6.4, "ERROR", "main", "o.s.b.d.LoggingFailureAnalysisReporter",
                                 SPRING_BIND_FAIL, app))]
        sc.log("/ecs/orders-api", L.ecs_stream("orders-api", "orders-api", task), ev)
        events.append((t + 8.0, L.ecs_task_event(t + 8.0, region, ACCOUNT, cluster, task, "orders-api", 58, "orders-api", 1,
                                                  "", launch="FARGATE", ids=ids)))
        t += gap + rng.uniform(0, 20)
        gap = min(gap * 1.35, 300)
    sc.log("/aws/events/ecs-task-state-change", "ecs-task-state", events)

    # notifications (Node/pino) with a constant, pre-existing SES rejection
    host = "ip-10-40-3-118.eu-west-1.compute.internal"
    def note(t):
        if rng.random() < 0.07:
            return L.pino(t, 50, "email send failed", host, err={"type": "MessageRejected",
                          "message": "Email address is not verified. The following identities failed the check in region EU-WEST-1: noreply@orders-mail.example"})
        return L.pino(t, 30, "notification dispatched", host, channel=str(rng.choice(["email", "push", "sms"])),
                      template=str(rng.choice(["order_confirmed", "shipped", "refund_issued"])))
    for task in [ids.hexs(32), ids.hexs(32)]:
        sc.log("/ecs/notifications", L.ecs_stream("notifications", "notifications", task),
               L.emit(rng, -10800, 0, 7, note))

    a = sc.alarm("orders-api-tg-healthy-hosts", "AWS/ApplicationELB", "HealthyHostCount",
                 {"LoadBalancer": lb, "TargetGroup": tg_o}, "Minimum", 60, 3, 3, "LessThanThreshold",
                 description="orders-api has fewer than 3 healthy targets")
    sc.set_expect(a["name"], "config_change", [f"{cluster}/orders-api", "orders-api"],
                  [("AWS/ApplicationELB", "HealthyHostCount", {"LoadBalancer": lb, "TargetGroup": tg_o}),
                   ("ECS/ContainerInsights", "RunningTaskCount", {"ClusterName": cluster, "ServiceName": "orders-api"})])
    sc.meta = dict(alarm_on="front (ALB target group)", decoys="autoscaling UpdateService x2 and SSM PutParameter "
                   "on notifications; constant SES MessageRejected errors; notifications CPU batch spike; "
                   "Hikari clock-leap warnings on surviving tasks",
                   story="A new task definition revision of orders-api changed only an environment variable: "
                   "ORDERS_PAYMENT_CAPTURE_TIMEOUT was set to `45sec`, which Spring Boot cannot bind to a "
                   "java.time.Duration. The image (v3.41.0) is unchanged. With minimumHealthyPercent=50 ECS drained "
                   "two old tasks; every replacement task dies at startup with APPLICATION FAILED TO START, so the "
                   "target group runs on two tasks, latency rises and the healthy-host alarm fires.")
    return sc


def h05(seed=1105):
    region = "us-east-2"
    sc = Scenario("h11-05-ecs-ws-gateway-oom", "Realtime ALB returning 502s; mobile clients report dropped "
                  "websocket sessions.", region, seed)
    rng, ids = sc.rng, sc.ids
    cluster = "platform-ec2"
    lb = "app/realtime-alb/0c4e8d2a61b7f935"
    tg_ws = "targetgroup/ws-gateway-tg/d13a7c5e9b2f4680"
    tg_s = "targetgroup/session-api-tg/58e2b0a4c6d8f1e3"
    sc.resource("ecs", f"{cluster}/ws-gateway", cluster=cluster, launch_type="EC2", task_definition="ws-gateway:42",
                desired_count=3, cpu=512, memory=1024)
    sc.resource("ecs", f"{cluster}/session-api", cluster=cluster, launch_type="EC2", task_definition="session-api:87",
                desired_count=2, cpu=512, memory=1024)
    sc.resource("alb", lb, name="realtime-alb", scheme="internet-facing")
    sc.change(-11200, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "session-api", "ci-ecs-deploy")
    sc.change(-11170, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/session-api", "ci-ecs-deploy")
    sc.change(-6100, "autoscaling.amazonaws.com", "UpdateAutoScalingGroup", "AWS::AutoScaling::AutoScalingGroup",
              "platform-ec2-asg", "j.okafor")

    # leak: each ws-gateway task grows ~1.3 %/min of its 1 GiB hard limit after -9300; kills at 100 %
    onset = -9300
    tasks = []  # (task_id, start, end, leak_rate)
    mem_tasks = np.zeros((3, len(T)))
    kills = []
    for k in range(3):
        start = -21600 - rng.uniform(3600, 20000)
        tid = ids.hexs(32)
        rate = rng.uniform(0.9, 1.4)
        level = 31 + rng.uniform(-2, 2)
        for i, t in enumerate(T):
            if t >= onset:
                level += rate * (1.0 if t < -5000 else 1.9) + rng.normal(0, 0.4)
            else:
                level = 31 + rng.normal(0, 0.8)
            if level >= 100:
                kills.append((t + rng.uniform(5, 55), k, tid, start))
                level = 24 + rng.uniform(0, 3)
                tid, start, rate = ids.hexs(32), t + 60, rng.uniform(0.9, 1.4)
            mem_tasks[k, i] = min(level, 100.0)
        tasks.append((tid, start, 0))
    mem_ws = mem_tasks.mean(axis=0)
    kill_min = np.zeros(len(T))
    for tk, *_ in kills:
        kill_min[np.searchsorted(T, tk) - 1] += 1
    req_ws = counts(rng, 610 + daily(90) + ar1(rng, 0, 18))
    elb5 = counts(rng, 0.05 + kill_min * 38 + np.roll(kill_min, 1) * 9)
    running = clip(3 - kill_min * rng.uniform(0.2, 0.5, len(T)), 0)
    M.ecs(sc, cluster, "ws-gateway", cpu=clip(ar1(rng, 22, 2) + daily(3) + after(onset) * 4, 1, 100), mem=mem_ws,
          running=running, desired=np.full(len(T), 3.0))
    M.ecs(sc, cluster, "session-api", cpu=clip(ar1(rng, 27, 3) + 40 * between(-4300, -3900), 1, 100), tasks=2)
    req_s = counts(rng, 300 + daily(40))
    M.alb(sc, lb, req_ws + req_s, elb_5xx=elb5, latency=clip(ar1(rng, 0.04, 0.004), 0.005))
    M.target_group(sc, lb, tg_ws, req_ws, clip(3 - np.roll(kill_min, 1), 0), np.roll(kill_min, 1), lat_level=0.035)
    M.target_group(sc, lb, tg_s, req_s, np.full(len(T), 2.0), lat_level=0.06)

    # ws-gateway logs (Go, slog JSON): connection churn and periodic runtime stats
    def ws_events(t0, t1, k):
        def line(t):
            if rng.random() < 0.15:
                heap = mem_tasks[k, max(np.searchsorted(T, t) - 1, 0)] * 10.24 * 0.9
                return L.slog(t, "info", "runtime stats", heap_alloc_mb=round(heap, 1),
                              goroutines=int(1800 + heap * 31), open_conns=int(900 + rng.integers(-40, 40)))
            return L.slog(t, "info", str(rng.choice(["ws upgrade", "ws closed"])), client=ids.ip("100.64"),
                          path="/v2/stream", proto="websocket")
        return L.emit(rng, t0, t1, 6, line)
    for tk, k, tid, start in kills:
        ev = ws_events(max(start, -10800), tk, k)
        if start > -10800:
            ev.append((start + 1, L.slog(start + 1, "info", "starting ws-gateway", version="1.8.3", commit="a41f0c2", listen=":8080")))
        sc.log("/ecs/ws-gateway", L.ecs_stream("ws", "ws-gateway", tid), ev)
    for k, (tid, start, _) in enumerate(tasks):
        ev = ws_events(max(start, -10800), 0, k)
        if start > -10800:
            ev.append((start + 1, L.slog(start + 1, "info", "starting ws-gateway", version="1.8.3", commit="a41f0c2", listen=":8080")))
        sc.log("/ecs/ws-gateway", L.ecs_stream("ws", "ws-gateway", tid), ev)
    sc.log("/aws/events/ecs-task-state-change", "ecs-task-state",
           [(tk + 2, L.ecs_task_event(tk + 2, region, ACCOUNT, cluster, tid, "ws-gateway", 42, "ws-gateway", 137,
                                      "OutOfMemoryError: Container killed due to memory usage", ids=ids))
            for tk, k, tid, start in kills])
    # session-api (Go zap) with a constant redis warning
    def sess(t):
        if rng.random() < 0.05:
            return L.go_json(t, "warn", "redis: connection pool timeout, retrying", caller="store/redis.go:77", attempt=1)
        return L.go_json(t, "info", "session refreshed", caller="api/session.go:141", user=f"u_{rng.integers(10**6, 10**7)}")
    for _ in range(2):
        sc.log("/ecs/session-api", L.ecs_stream("ecs", "session-api", ids.hexs(32)), L.emit(rng, -10800, 0, 5, sess))

    a = sc.alarm("realtime-alb-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
                 "Sum", 60, 15, 10, "GreaterThanThreshold", datapoints_to_alarm=1,
                 description="ALB generated 5xx on realtime-alb")
    sc.set_expect(a["name"], "memory_exhaustion", [f"{cluster}/ws-gateway", "ws-gateway"],
                  [("AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": "ws-gateway"})])
    sc.meta = dict(alarm_on="front (ALB-wide ELB 5XX)", decoys="session-api deploy 3 h earlier; ASG update on the "
                   "cluster's instances; session-api CPU spike; constant redis pool warnings",
                   story="ws-gateway (Go, ECS on EC2) started leaking heap from about 100 minutes before the page: "
                   "goroutine count and heap climb steadily until each task hits its 1 GiB hard limit and is killed "
                   "(exit code 137, OutOfMemoryError: Container killed due to memory usage). Every kill drops the "
                   "websocket connections on that task and the ALB answers 502 until the replacement registers. "
                   "No change preceded the leak.")
    return sc
