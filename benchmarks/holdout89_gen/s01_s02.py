"""h89-01 (matching-engine node pinned by an internal sweep, alarm on the order ALB) and
h89-02 (market-data relay on ECS running out of memory behind a slow subscriber)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import bump, ramp
from benchmarks.holdout57_gen.runtimes import zap

from .kit import (alb_id, alb_metrics, ecs_metrics, ecs_stream, ec2_metrics, emit, every,
                  instance_id, lambda_metrics, log4j, new, put, tg_id)


def build_01():
    sc = new(1, "order-gateway-latency-at-open",
             "Order gateway p99 above SLO shortly after the Singapore open; ALB latency alarm paged.",
             "ap-southeast-1", "2026-03-10T02:05:00+00:00")
    a, b = instance_id(sc), instance_id(sc)
    lb, tg = alb_id(sc, "ord-gw-pub"), tg_id(sc, "me-orders")
    sc.resource("ec2", a, name="me-node-a", instance_type="c6in.2xlarge", vcpus=8,
                log_groups=["/trading/matcher/app"])
    sc.resource("ec2", b, name="me-node-b", instance_type="c6in.2xlarge", vcpus=8,
                log_groups=["/trading/matcher/app"])
    sc.resource("alb", lb, name="ord-gw-pub", targets=[a, b])
    sc.resource("ecs", "mkt-sg/md-fanout", launch_type="FARGATE", desired_count=4)
    OPEN, ON = -3900, -2100
    load = lambda t: 1.0 + 1.25 * ramp(t, OPEN, OPEN + 300)
    cpu_a = lambda t: 24 * load(t) + 2 + 41.5 * ramp(t, ON, ON + 150)
    cpu_b = lambda t: 24 * load(t) + 3 + bump(t, -9000, -8400, 26, 120)
    ec2_metrics(sc, a, cpu_a, net_in=lambda t: 3.1e8 * load(t), mem=lambda t: 61.0 + 2 * ramp(t, ON, ON + 600))
    ec2_metrics(sc, b, cpu_b, net_in=lambda t: 3.0e8 * load(t), mem=lambda t: 60.0)
    slow = lambda t: ramp(t, ON + 60, ON + 240)
    alb = alb_metrics(
        sc, lb, tg, req=lambda t: 4100 * load(t), t5=lambda t: 0.4 + 6 * slow(t),
        e5=lambda t: 0.2 + 34 * slow(t), rt=lambda t: 0.0031 + 0.0012 * load(t) + 0.31 * slow(t),
        healthy=lambda t: 2, unhealthy=lambda t: 0)
    put(sc, "AWS/ECS", "CPUUtilization", {"ClusterName": "mkt-sg", "ServiceName": "md-fanout"},
        "Percent", lambda t: 31 * load(t) ** 0.6 + bump(t, -2280, -2160, 9, 60), noise=0.06)

    g = "/trading/matcher/app"
    reqs = dict(zip(range(-21600, 0, 60), alb["RequestCount"]))
    for iid, hot in ((a, True), (b, False)):
        def stats(t, iid=iid, hot=hot):
            n = int((reqs.get(int(t // 60 * 60)) or 4000) / 2)
            sick = hot and t > ON + 60
            p99 = sc.rng.gauss(620000, 90000) if sick else sc.rng.gauss(1900 + 300 * load(t), 200)
            return log4j(sc, t, "INFO", "stats-reporter", "c.k.engine.StatsReporter",
                         f"orders_in={n} acks={n - (int(n * 0.04) if sick else 0)} p50_ack_us="
                         f"{int(p99 / 4.2)} p99_ack_us={int(p99)} book_symbols=1842 "
                         f"inbound_queue={sc.rng.randint(900, 4000) if sick else sc.rng.randint(0, 12)}")
        every(sc, g, iid, 60, stats)
        emit(sc, g, iid, lambda t: 0.45, lambda t: log4j(
            sc, t, "WARN", f"fix-acceptor-{sc.rng.randint(1, 4)}", "c.k.fix.SessionMonitor",
            f"Heartbeat from SG-MM-{sc.rng.choice(['07', '07', '11', '23'])} late by "
            f"{sc.rng.randint(1010, 1900)} ms (HeartBtInt=1)"))
        emit(sc, g, iid, lambda t: 0.2, lambda t: log4j(
            sc, t, "INFO", "risk-pub", "c.k.risk.LimitCache",
            f"limits refreshed accounts={sc.rng.randint(5100, 5300)} took={sc.rng.randint(40, 90)}ms"))
    sc.log(g, b, -9000 + 3.2, log4j(sc, -9000 + 3.2, "INFO", "sched-2", "c.k.engine.snap.BookSnapshotter",
                                    "snapshot start symbols=1842 target=s3://me-snap-sg/2026-03-10/"))
    sc.log(g, b, -8420.5, log4j(sc, -8420.5, "INFO", "sched-2", "c.k.engine.snap.BookSnapshotter",
                                "snapshot done bytes=6.1GiB took=579s"))
    sc.log(g, a, ON - 31.4, log4j(sc, ON - 31.4, "WARN", "checksum-1", "c.k.engine.integrity.BookChecksum",
                                  "checksum drift on 3 symbols (BTC-USDT, ETH-USDT, SOL-USDT); escalating"))
    sc.log(g, a, ON - 30.9, log4j(sc, ON - 30.9, "INFO", "sched-1", "c.k.engine.integrity.IntegritySweeper",
                                  "Starting sweep mode=FULL symbols=1842 workers=8 priority=NORMAL"))
    every(sc, g, a, 300, lambda t: log4j(sc, t, "INFO", "sched-1", "c.k.engine.integrity.IntegritySweeper",
                                         f"sweep progress {int((t - ON) / 1.14)}/1842 symbols "
                                         f"elapsed={int(t - ON)}s"), start=ON + 270)
    emit(sc, g, a, lambda t: 1.6, lambda t: log4j(
        sc, t, "WARN", "matcher-core-0", "c.k.engine.LatencyMonitor",
        f"ack latency p99 {sc.rng.randint(420, 900)}ms exceeds SLO 5ms; run-queue="
        f"{sc.rng.randint(24, 40)} cpus=8"), start=ON + 90)
    emit(sc, g, a, lambda t: 0.7, lambda t: log4j(
        sc, t, "WARN", "jvm-pause-monitor", "c.k.ops.JvmPauseMonitor",
        f"Detected pause in JVM or host machine (eg GC): pause of approximately "
        f"{sc.rng.randint(900, 2400)}ms"), start=ON + 120)
    sc.change(-2280, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "mkt-sg/md-fanout", "deploy-bot")
    sc.change(-2305, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition",
              "md-fanout:57", "deploy-bot")
    sc.alarm("ord-gw-pub-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb},
             "Average", 60, 3, 0.1, "GreaterThanThreshold", "Order gateway mean response time above 100 ms")
    sc.alarm("me-node-a-cpu", "AWS/EC2", "CPUUtilization", {"InstanceId": a}, "Average", 300, 2, 90,
             "GreaterThanThreshold")
    sc.alarm("md-fanout-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": "mkt-sg", "ServiceName": "md-fanout"},
             "Average", 300, 2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "ord-gw-pub-latency",
                 "root_cause": {"category": "cpu_saturation", "resource": [a, "me-node-a"]},
                 "anomalies": [{"namespace": "AWS/EC2", "name": "CPUUtilization", "dimensions": {"InstanceId": a}}]}
    sc.meta = {
        "front": "front (ALB)", "services": ["ec2", "alb", "ecs"], "origin_type": "ec2",
        "decoys": "md-fanout deploy 3 min before onset; request volume x2.25 at the 09:00 open; "
                  "FIX heartbeat warnings all morning; me-node-b CPU bump 2 h earlier",
        "story": f"The order ALB's mean response time goes from ~5 ms to ~300 ms 35 minutes after the "
                 f"Singapore open. Both matcher nodes took the open's doubled volume at ~55 % CPU; only "
                 f"me-node-a ({a}) jumps to ~99 % CPU at onset, right after its log shows a book "
                 f"checksum drift escalating into a FULL IntegritySweeper run on all 1,842 symbols; from "
                 f"then on its stats show p99 acks of ~600 ms, a growing inbound queue, run-queue 30 on 8 "
                 f"CPUs and JVM pauses, while me-node-b stays at 2 ms. The md-fanout redeploy three "
                 f"minutes before onset touches nothing on the order path, and the FIX heartbeat "
                 f"warnings are at the same rate on both nodes all morning.",
        "judgement": "The open doubled traffic 30 minutes before onset, but the twin node handles the "
                     "same share at 55 % CPU; the saturation is node-local (an internal sweep), so "
                     "cpu_saturation on me-node-a, not traffic_surge.",
    }
    return sc


def build_02():
    sc = new(2, "quote-stream-5xx",
             "Quote streaming clients disconnected; 502s on the public quotes load balancer.",
             "eu-west-1", "2026-03-11T08:20:00+00:00")
    lb, tg = alb_id(sc, "quotes-ws"), tg_id(sc, "quote-relay-8080")
    cl, svc = "mkt-edge", "quote-relay"
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=6, cpu=1024, memory=2048,
                runtime="go1.22")
    sc.resource("ecs", f"{cl}/candle-builder", launch_type="FARGATE", desired_count=2)
    sc.resource("alb", lb, name="quotes-ws")
    sc.resource("lambda", "ws-token-mint", runtime="python3.12", timeout=10, memory_size=256)
    LEAK, ON = -5400, -2000
    saw = lambda t: ((t - ON) % 430) / 430.0
    mem = lambda t: (36 + 62 * ramp(t, LEAK, ON) if t < ON else 74 + 25 * saw(t))
    tasks = lambda t: 6 if t < ON else (5 if saw(t) < 0.12 else 6)
    ecs_metrics(sc, cl, svc, cpu=lambda t: 33 + 14 * ramp(t, ON - 900, ON) + 6 * ramp(t, ON, ON + 60),
                mem=mem, tasks=tasks)
    ecs_metrics(sc, cl, "candle-builder", cpu=lambda t: 22 + bump(t, -2400, -2300, 15, 60), mem=lambda t: 41)
    sick = lambda t: ramp(t, ON, ON + 90)
    alb_metrics(sc, lb, tg, req=lambda t: 2300 + 600 * ramp(t, -1500, -1100),
                t5=lambda t: 0.3 + 2 * sick(t), e5=lambda t: 0.3 + 48 * sick(t),
                rt=lambda t: 0.011 + 0.03 * sick(t), healthy=lambda t: tasks(t),
                unhealthy=lambda t: 6 - tasks(t))
    lambda_metrics(sc, "ws-token-mint", inv=lambda t: 310, err=lambda t: 0.4, dur=lambda t: 38)

    g = f"/ecs/{svc}"
    caller = ["relay/stats.go:88", "relay/conn.go:214", "relay/conn.go:301", "cmd/relay/main.go:61"]

    def start_task(t0):
        st = ecs_stream(sc, "relay")
        sc.log(g, st, t0, zap(sc, t0, "info", "starting quote-relay", caller[3], version="v3.14.2",
                              gomaxprocs=1, gomemlimit="0"))
        sc.log(g, st, t0 + 0.8, zap(sc, t0 + 0.8, "info", "upstream connected", caller[3],
                                    upstream="md-fanout.mkt.internal:7001", symbols=1842))
        sc.log(g, st, t0 + 1.1, zap(sc, t0 + 1.1, "info", "listening", caller[3], addr=":8080"))
        return st

    for i in range(6):
        st, born = start_task(-12600 - 3 + i * 0.7), -12600
        life_end = ON + i * 65 + sc.rng.uniform(0, 30)
        while born < 0:
            end = min(life_end, 0)
            def stats(t, born=born):
                leak = max(0.0, t - max(LEAK, born)) if t > LEAK else 0.0
                k = 1.0 if born < ON else 9.6  # a reconnecting subscriber replays its backlog
                return zap(sc, t, "info", "fanout stats", caller[0], subscribers=sc.rng.randint(410, 470),
                           slow_consumers=(1 if leak else 0), buffered_msgs=int(900 + leak * 410 * k),
                           heap_inuse_mb=int(520 + leak * 0.372 * k), goroutines=sc.rng.randint(1900, 2100))
            every(sc, g, st, 60, stats, start=born + 20, end=end)
            emit(sc, g, st, lambda t: 0.35, lambda t: zap(
                sc, t, "warn", "write deadline exceeded; dropping client", caller[2],
                conn=f"c-{sc.hexid(6)}", remote=f"{sc.ip('81.2')}:{sc.rng.randint(1024, 65000)}",
                deadline="2s"), start=born + 30, end=end)
            if born < LEAK < end or born > LEAK:
                t = LEAK + 40 + i * 3.1 if born < LEAK else born + 4.2
                sc.log(g, st, t, zap(sc, t, "info", "subscribe", caller[1], conn="c-7f3a19",
                                     account="acct_88123", channels="depth.full:*", count=1842,
                                     client="sdk-go/0.9.1"))
            emit(sc, g, st, lambda t: 0.5, lambda t: zap(
                sc, t, "warn", "subscriber backlog growing", caller[2], conn="c-7f3a19",
                backlog=int((t - LEAK) * 410 + 900), policy="buffer"), start=max(LEAK + 300, born), end=end)
            if end >= 0:
                break
            if sc.rng.random() < 0.5:
                sc.log(g, st, end - 0.3, "fatal error: runtime: out of memory")
                sc.log(g, st, end - 0.29, "\nruntime stack:\nruntime.throw({0x9c4f21?, 0x2000?})\n\t"
                       "/usr/local/go/src/runtime/panic.go:1077 +0x5c fp=0x7ffd4c1e8a10")
            born = end + 25
            st = start_task(born)
            life_end = born + 400 + sc.rng.uniform(-20, 40)
    sc.change(-2400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/candle-builder",
              "github-actions")
    sc.change(-2100, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
              "AWS::Lambda::Function", "ws-token-mint", "ops-admin")
    sc.alarm("quotes-ws-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb},
             "Sum", 60, 3, 20, "GreaterThanThreshold", "Quotes LB returning 5xx")
    sc.alarm("ws-token-mint-errors", "AWS/Lambda", "Errors", {"FunctionName": "ws-token-mint"}, "Sum", 60,
             3, 5, "GreaterThanThreshold")
    sc.expect = {"alarm": "quotes-ws-elb-5xx",
                 "root_cause": {"category": "memory_exhaustion", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization",
                                "dimensions": {"ClusterName": cl, "ServiceName": svc}}]}
    sc.meta = {
        "front": "front (ALB)", "services": ["ecs", "alb", "lambda"], "origin_type": "ecs",
        "decoys": "ws-token-mint config update 2 min before the 5xx; candle-builder deploy 7 min before; "
                  "'write deadline exceeded' warnings all morning",
        "story": "quotes-ws starts returning ~50 ELB 502s a minute and UnHealthyHostCount flickers. "
                 "The quote-relay service's memory climbs linearly from 36 % to ~100 % over the 57 minutes "
                 "after one subscriber (conn c-7f3a19, acct_88123) subscribed to full depth on all 1,842 "
                 "symbols; every task's stats show buffered_msgs and heap_inuse_mb growing in step, with "
                 "'subscriber backlog growing' warnings for that connection. From onset memory saw-tooths "
                 "near 100 %, task log streams end (some with 'fatal error: runtime: out of memory') and "
                 "fresh tasks start, and RunningTaskCount dips. The ws-token-mint configuration update "
                 "and the candle-builder deploy land just before the 5xx but their resources are quiet; "
                 "'write deadline exceeded' is at the same rate for hours.",
    }
    return sc


BUILDERS = [build_01, build_02]
