"""h68-06: guild-war chat drops with 502s at the ALB; the Java chat gateway runs out of heap."""
from __future__ import annotations

from .common import Scenario, diurnal
from .kit import alb_family, ecs_family, emit, event_load, logfmt, ramp
from .runtimes import spring

EVENT, ONSET, DECOY = -14400, -2100, -2280


def build() -> Scenario:
    sc = Scenario(6, "guild-chat-502", "Guild chat disconnecting for SEA players during the guild war; "
                  "ALB 5xx alarm for the websocket endpoint.", "ap-southeast-1", 6806, "2026-11-26T14:00:00")
    rng = sc.rng
    lb = "app/social-ws/c2a7f91e4b3d0658"
    sc.resource("alb", lb, name="social-ws", targets="social-prod/chat-gw", idle_timeout_s=350)
    sc.resource("ecs", "social-prod/chat-gw", launch_type="FARGATE", desired_count=8, cpu=1024, memory=2048,
                runtime="java21 (Spring Boot 3.3, -Xmx1536m -XX:+ExitOnOutOfMemoryError)")
    sc.resource("ecs", "social-prod/presence", launch_type="FARGATE", desired_count=4, cpu=512, memory=1024,
                runtime="go1.23")
    load = lambda t: diurnal(sc, t, 13, 0.2) * event_load(t, EVENT, 2.0, 1.8, 3600)
    oom = lambda t: ramp(t, ONSET, ONSET + 120)
    grow = lambda t: 47 + 50 * ramp(t, EVENT + 1800, ONSET) ** 1.15 if t < ONSET else 0
    mem = lambda t: grow(t) if t < ONSET else 88 + 7 * ((t - ONSET) % 420) / 420
    # killed tasks: one or two of eight restarting at any time after the onset
    tasks = lambda t: 8 if t < ONSET else 8 - (1 + (int(t // 60) % 3 == 0))
    alb_family(sc, lb, lambda t: 1300 * load(t), lambda t: 0.035 + 0.25 * ramp(t, -4200, ONSET) + 0.4 * oom(t),
               t5xx=lambda t: 0.3 + 6 * oom(t), e5xx=lambda t: 0.1 + 46 * oom(t),
               hosts=lambda t: 8, unhealthy=lambda t: 8 - tasks(t))
    conn = sc.series(lambda t: 21000 * load(t) * (1 - 0.12 * oom(t)), noise=0.02, digits=0)
    sc.metric("AWS/ApplicationELB", "ActiveConnectionCount", {"LoadBalancer": lb}, "Count", conn)
    ecs_family(sc, "social-prod", "chat-gw", lambda t: 22 * load(t) + 30 * ramp(t, -4200, ONSET), mem,
               tasks=tasks)
    ecs_family(sc, "social-prod", "presence", lambda t: 18 * load(t) + 20 * ramp(t, DECOY, DECOY + 60)
               * (1 - ramp(t, DECOY + 300, DECOY + 400)), lambda t: 34, tasks=lambda t: 4 if t < DECOY + 60 else 6)

    # ---------------------------------------------------------------- chat-gw (Spring Boot)
    g, app = "/ecs/chat-gw", "chat-gw"
    gen0 = [sc.hexid(32) for _ in range(8)]
    spare = [sc.hexid(32) for _ in range(24)]
    restarts = []  # (time, old task, new task)
    live = list(gen0)
    for k, t in enumerate(range(ONSET + 10, 0, 150)):
        old = live[k % 8]
        new = spare[k % len(spare)]
        restarts.append((t + rng.uniform(0, 40), old, new))
        live[k % 8] = new

    def task_at(t):
        cur = list(gen0)
        for rt, old, new in restarts:
            if rt <= t:
                cur[cur.index(old)] = new
        return f"ecs/chat-gw/{rng.choice(cur)}"

    emit(sc, g, task_at, lambda t: 1.0, lambda t: spring(
        sc, t, "INFO", f"nio-8080-exec-{rng.randint(1, 200)}", "c.a.chat.ws.SessionRegistry",
        f"sessions={int(2600 * load(t))} channels={int(900 * load(t))} "
        f"history_cache_entries={int(40000 + 5200000 * ramp(t, EVENT + 1800, ONSET) if t < ONSET else 900000)}", app))
    emit(sc, g, task_at, lambda t: 2.0, lambda t: spring(
        sc, t, "WARN", f"nio-8080-exec-{rng.randint(1, 200)}", "o.s.w.s.a.NativeWebSocketSession",
        "Session closed abnormally, status CloseStatus[code=1006, reason=null]", app))
    emit(sc, g, task_at, lambda t: 3.0 * ramp(t, -4200, ONSET - 300) + 2 * oom(t), lambda t: (
        f"[{sc.iso(t)}][info][gc] GC({rng.randint(9000, 20000)}) Pause Full (G1 Compaction Pause) "
        f"{rng.randint(1490, 1530)}M->{rng.randint(1460, 1489)}M(1536M) {rng.uniform(900, 3200):.3f}ms"), t0=-4200)
    for rt, old, new in restarts:
        sc.log(g, f"ecs/chat-gw/{old}", rt - 2.5, spring(
            sc, rt - 2.5, "ERROR", f"nio-8080-exec-{rng.randint(1, 200)}", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            "Servlet.service() for servlet [dispatcherServlet] threw exception\n"
            "java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)\n"
            "\tat com.arena.chat.history.ChannelHistoryCache.append(ChannelHistoryCache.java:74)", app))
        sc.log(g, f"ecs/chat-gw/{old}", rt - 2.4, "Terminating due to java.lang.OutOfMemoryError: Java heap space")
        st = rt + rng.uniform(35, 60)
        sc.log(g, f"ecs/chat-gw/{new}", st, spring(sc, st, "INFO", "main", "c.a.chat.ChatGatewayApplication",
               f"Started ChatGatewayApplication in {rng.uniform(9, 14):.3f} seconds (process running for "
               f"{rng.uniform(10, 15):.3f})", app))

    # ---------------------------------------------------------------- presence (Go, logfmt)
    pt = [sc.hexid(32) for _ in range(6)]
    emit(sc, "/ecs/presence", lambda t: f"ecs/presence/{rng.choice(pt[:4] if t < DECOY + 60 else pt)}",
         lambda t: 1.5 * load(t), lambda t: logfmt(sc, t, "info", "presence fanout", online=int(48000 * load(t)),
                                                  batch=rng.randint(40, 400), dur_ms=rng.randint(2, 30)))
    emit(sc, "/ecs/presence", lambda t: f"ecs/presence/{rng.choice(pt[:4])}", lambda t: 0.4, lambda t: logfmt(
        sc, t, "error", "redis publish failed", err="i/o timeout", channel=f"guild:{rng.randint(1000, 9999)}",
        retry="true"))

    sc.alarm("social-ws-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 20, "GreaterThanThreshold", "Chat websocket ALB 5xx")
    sc.alarm("presence-cpu-high", "AWS/ECS", "CPUUtilization",
             {"ClusterName": "social-prod", "ServiceName": "presence"}, "Average", 60, 3, 45, "GreaterThanThreshold")
    sc.change(-19000, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "social-prod/chat-gw", "ops-wtan")
    sc.change(-14700, "elasticloadbalancing.amazonaws.com", "ModifyLoadBalancerAttributes",
              "AWS::ElasticLoadBalancingV2::LoadBalancer", "social-ws", "ops-wtan")
    sc.change(DECOY, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "social-prod/presence", "ops-wtan")
    sc.expect = {"alarm": "social-ws-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": ["social-prod/chat-gw", "chat-gw"]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": "social-prod", "ServiceName": "chat-gw"}}]}
    sc.meta = {
        "front": "front (ALB; origin is the ECS service behind it)",
        "services": ["alb", "ecs"], "runtime": "Java 21 Spring Boot + JVM GC log, Go logfmt",
        "decoys": "presence UpdateService 3 min before onset (and its CPU alarm); steady 1006 abnormal-close "
                  "warnings; guild-war connection rush at -240 min",
        "story": (
            "The guild war started at -240 min: websocket connections at the ALB rose to ~1.8x and stayed "
            "there, served fine. From then on chat-gw's MemoryUtilization climbs steadily, from 47 % to the "
            "mid-90s, while connections are flat; chat-gw's own SessionRegistry lines show "
            "history_cache_entries growing from 40 k to over 5 M. From -70 min the JVM logs back-to-back "
            "`Pause Full (G1 Compaction Pause) 15xxM->14xxM(1536M)`, and at -35 min tasks begin dying "
            "with `java.lang.OutOfMemoryError: Java heap space` in ChannelHistoryCache.append followed "
            "by `Terminating due to java.lang.OutOfMemoryError`; replacement tasks start every few "
            "minutes, RunningTaskCount drops to 6-7 and the ALB returns 502s. An operator's "
            "UpdateService on presence three minutes before the first OOM only adds two tasks and a "
            "short CPU bump; presence's Redis timeouts and chat-gw's 1006 warnings run at a constant "
            "rate all day."),
    }
    return sc
