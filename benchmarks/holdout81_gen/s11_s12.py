"""h81-11 (delivery forecast Lambda outgrows its timeout) and h81-12 (settlement service panics on a
new exchange's unexpanded price macro, alarm on the ALB's own 5xx)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import LambdaLogs, mysql

from .base import (Tasks, alb, bump, diurnal, ecs, ecs_deploy, emit, every, golog, lam, lambda_config, new,
                   per_minute, ramp, rds)


def build_11():
    sc = new(11, "forecast-errors", "Delivery forecast function failing in Mumbai; forecasts in the "
             "trafficking UI are stale.", "ap-south-1", "2026-05-01T06:30:00+00:00")
    fn, db, other, timeout = "delivery-forecast", "cmp-aps1", "creative-approval", 120
    items = lambda t: 48000 + 18000 * ramp(t, -3900, -1500)       # May flights activating through the morning
    secs = lambda t: items(t) / 1000 * 1.91
    runs = lambda t: 4 if int(t) % 300 == 0 else 0
    timed = lambda t: secs(t) >= timeout
    sc.resource("lambda", fn, runtime="java21", timeout=timeout, memory_size=2048, schedule="rate(5 minutes) x4 shards")
    sc.resource("lambda", other, runtime="nodejs20.x", timeout=30, memory_size=512)
    sc.resource("rds", db, engine="mysql", engine_version="8.0.36", instance_class="db.r6g.xlarge",
                max_connections=2000, allocated_storage_gb=800)
    d = lambda t: diurnal(sc, t, peak_hour=7, amp=0.2)
    lam(sc, fn, inv=runs, err=lambda t: runs(t) if timed(t) else 0,
        dur=lambda t: (timeout * 1000 if timed(t) else secs(t) * 1000) if runs(t) else None,
        conc=lambda t: 4 if runs(t) else (4 if secs(t) > 60 else 0), exact=True,
        dur_noise=0.004)
    lam(sc, other, inv=lambda t: 25 * d(t), err=lambda t: 0.1, dur=lambda t: 350, conc=lambda t: 2)
    rds(sc, db, cpu=lambda t: 24 * d(t) + bump(t, -9300, -8700, 30, edge=120), conns=lambda t: 420,
        free_gb=lambda t: 512.4 - 0.0003 * (t + 21600) / 60, freeable_gb=lambda t: 14.2)

    ll = LambdaLogs(sc, fn, "java21", 2048, timeout, mem_used=(820, 40))

    def body(ll_, t, rid, is_err, cold):
        shard = sc.rng.randint(0, 3)
        n = int(items(t) / 4 * sc.rng.uniform(0.97, 1.03))
        prev = int(items(t - 300) / 4 * sc.rng.uniform(0.97, 1.03))
        total = secs(t) * sc.rng.uniform(0.97, 1.03)
        lines = [(0.05, ll_.fmt(t + 0.05, rid, "INFO", f"Forecasting shard {shard}: {n:,} active line items "
                                f"(previous run {prev:,})"))]
        if sc.rng.random() < 0.5:
            lines.append((0.3, ll_.fmt(t + 0.3, rid, "WARN", f"line item {sc.rng.randint(7000, 9999)} has no targeting, "
                                       "skipping")))
        done = 0
        step = 25.0
        while done + step < min(total, timeout - 1):
            done += step
            lines.append((done, ll_.fmt(t + done, rid, "INFO", f"shard {shard}: {int(n * done / total):,}/{n:,} "
                                        "line items forecast")))
        if total >= timeout:
            return {"dur": timeout * 1000, "status": "timeout", "lines": lines, "mem": sc.rng.randint(900, 1100)}
        lines.append((total - 0.2, ll_.fmt(t + total - 0.2, rid, "INFO", f"Forecast written for shard {shard}: "
                                           f"{n:,} line items in {total:.1f} s")))
        return {"dur": total * 1000, "lines": lines}

    inv = {m: 4 for m in range(-14400, 0, 60) if runs(m)}
    ll.run(inv, {}, body)
    lo = LambdaLogs(sc, other, "nodejs20.x", 512, 30, mem_used=(92, 5), max_envs=3)
    lo.run(per_minute([25] * 360, scale=0.12), {}, lambda ll_, t, rid, e, c: {"dur": sc.rng.gauss(350, 40), "lines": [
        (0.1, ll_.fmt(t + 0.1, rid, "INFO", f"creative {sc.rng.randint(100000, 999999)} approved=true checks=9/9"))]})
    mg = f"/aws/rds/instance/{db}/error"
    emit(sc, mg, db, lambda t: 0.3, lambda t: mysql(sc, t, sc.rng.randint(1000, 90000), "Note", "MY-010914",
         f"Aborted connection {sc.rng.randint(1000, 90000)} to db: 'campaigns' user: 'forecast' host: "
         f"'10.80.{sc.rng.randint(1, 20)}.{sc.rng.randint(2, 250)}' (Got timeout reading communication packets)."),
         start=-21600)

    lambda_config(sc, -2230, other, "r.iyer")
    sc.alarm("delivery-forecast-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 1,
             "GreaterThanOrEqualToThreshold", "Forecast runs failing")
    sc.alarm("cmp-aps1-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80,
             "GreaterThanThreshold")
    sc.alarm("creative-approval-errors", "AWS/Lambda", "Errors", {"FunctionName": other}, "Sum", 300, 1, 5,
             "GreaterThanThreshold")
    sc.expect = {"alarm": "delivery-forecast-errors", "root_cause": {"category": "function_timeout", "resource": [fn]},
                 "anomalies": [{"namespace": "AWS/Lambda", "name": "Duration", "dimensions": {"FunctionName": fn}}]}
    sc.meta = dict(
        front="origin", services="Lambda (Java, Node), RDS MySQL",
        decoys="config change to another Lambda 2 min before the first run that timed out; an RDS CPU bump 2.5 h earlier "
               "(backup); steady aborted-connection notes and no-targeting warnings",
        story="The forecast runs every five minutes for four shards with a 120 s timeout. As May flights activate, "
              "the active line-item count climbs from 48k to 66k, run duration follows it (92 s to over 120 s) and from "
              "-35 min every run ends with `Task timed out after 120.00 seconds` while its progress "
              "counters are still short of the total. There is no dependency error anywhere: the RDS "
              "metrics are flat and the function never logs a failed query. The creative-approval configuration "
              "change is unrelated.")
    return sc


def build_12():
    sc = new(12, "settle-502", "Win-notice settlement endpoint returning 502s in London; ELB 5xx alarm "
             "firing, billing counts lagging.", "eu-west-2", "2026-05-03T14:05:00+00:00")
    lb, cl, svc, other, fn, db = ("app/settle-euw2/6c8e0a2b4d6f1835", "rtb-euw2", "auction-settle", "creative-cache",
                                  "budget-alerts", "ledger-euw2")
    T_o = -1920
    bad = lambda t: t >= T_o
    sc.resource("alb", lb, name="settle-euw2", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=8, container_runtime="go1.22",
                task_definition="auction-settle:74")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=6, container_runtime="go1.22")
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=256)
    sc.resource("rds", db, engine="postgres", engine_version="16.2", instance_class="db.r6g.large",
                max_connections=1600, allocated_storage_gb=300)
    d = lambda t: diurnal(sc, t, peak_hour=14, amp=0.2)
    req = lambda t: 22000 * d(t) * (1 + bump(t, -10800, -10440, 0.5, edge=60))
    alb(sc, lb, req=req, rt=lambda t: 0.011, t5=lambda t: 1.5, e5=lambda t: 0.3 + (0.078 * req(t) if bad(t) else 0),
        healthy=lambda t: 8)
    ecs(sc, cl, svc, cpu=lambda t: 29 * d(t), mem=lambda t: 33, running=lambda t: 8)
    ecs(sc, cl, other, cpu=lambda t: 24 + bump(t, -2000, -1800, 25, edge=60), mem=lambda t: 40, running=lambda t: 6)
    lam(sc, fn, inv=lambda t: 3, err=lambda t: 0, dur=lambda t: 900, conc=lambda t: 1)
    rds(sc, db, cpu=lambda t: 21 * d(t), conns=lambda t: 120, free_gb=lambda t: 201.0, freeable_gb=lambda t: 5.2)

    tasks = Tasks(sc, "ecs", svc, [(-40000, 5)])
    g = "/ecs/auction-settle"
    exchanges = ["openx", "magnite", "pubmatic", "index", "adform"]
    imp = lambda: sc.hexid(24)
    emit(sc, g, tasks, lambda t: 3, lambda t: golog(sc, t, f"settle: win imp={imp()} exchange={sc.rng.choice(exchanges)} "
         f"clearing_cpm={sc.rng.uniform(0.2, 6):.4f} billed=true"))
    emit(sc, g, tasks, lambda t: 1.5, lambda t: golog(sc, t, f"settle: duplicate notice imp={imp()} "
         f"exchange={sc.rng.choice(exchanges)} ignored"))
    emit(sc, g, tasks, lambda t: 0.5, lambda t: golog(sc, t, f"settle: ERROR ledger write retry imp={imp()} err=pq: could "
         "not serialize access due to concurrent update"))
    n = [81200]

    def panic(t):
        n[0] += 3
        port = sc.rng.randint(30000, 60000)
        return golog(sc, t, f"http: panic serving 10.70.{sc.rng.randint(1, 9)}.{sc.rng.randint(2, 250)}:{port}: runtime "
                     "error: invalid memory address or nil pointer dereference\n"
                     f"goroutine {n[0]} [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server."
                     "go:1898 +0xbe\npanic({0x9a5e20?, 0xe3c7b0?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\n"
                     "github.com/adstack/settle/internal/notice.(*Notice).ClearingPrice(...)\n\t/src/internal/notice/"
                     "notice.go:74\ngithub.com/adstack/settle/internal/api.(*Server).handleWin(0xc0001a4000, {0xb1c2d8, "
                     "0xc0004e20e0}, 0xc000512360)\n\t/src/internal/api/win.go:52 +0x1e4")

    def macro(t):
        return golog(sc, t, f"settle: WARN price not numeric imp={imp()} exchange=equativ raw=\"${{AUCTION_PRICE}}\"")

    emit(sc, g, tasks, lambda t: 5 if bad(t) else 0, panic)
    emit(sc, g, tasks, lambda t: 2 if bad(t) else 0, macro)
    ctasks = Tasks(sc, "ecs", other, [(-40000, 3), (-1950, 3)])
    every(sc, "/ecs/creative-cache", ctasks, 90, lambda t: golog(sc, t, f"cache: refreshed {sc.rng.randint(41000, 42000)} "
          f"creatives hit_ratio={sc.rng.uniform(0.96, 0.99):.3f}"))
    ecs_deploy(sc, -2010, cl, other, "creative-cache", "buildkite-deploy")
    lambda_config(sc, -2300, fn, "h.patel")
    sc.alarm("settle-euw2-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 60, 3,
             200, "GreaterThanThreshold", "Settlement endpoint 5xx at the load balancer")
    sc.alarm("settle-euw2-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", {"LoadBalancer": lb}, "Sum",
             60, 3, 50, "GreaterThanThreshold")
    sc.alarm("creative-cache-cpu", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": other}, "Average",
             300, 2, 80, "GreaterThanThreshold")
    sc.expect = {"alarm": "settle-euw2-elb-5xx",
                 "root_cause": {"category": "application_error", "resource": [f"{cl}/{svc}", svc]},
                 "anomalies": [{"namespace": "AWS/ApplicationELB", "name": "HTTPCode_ELB_5XX_Count",
                                "dimensions": {"LoadBalancer": lb}}]}
    sc.meta = dict(
        front="front (ALB)", services="ALB, ECS (Go stdlib log) x2, Lambda (Python), RDS",
        decoys="ECS deploy of another service 1.5 min before the onset (with its CPU bump); config change to a "
               "Python Lambda 6 min before; steady duplicate-notice and serialization-retry errors; a benign "
               "request bump 3 h earlier; the target-5xx alarm on the same ALB stays OK",
        story="From -32 min the settlement service logs `http: panic serving ...: runtime error: invalid memory "
              "address or nil pointer dereference` in `notice.(*Notice).ClearingPrice`, next to new warnings "
              "`price not numeric ... exchange=equativ raw=\"${AUCTION_PRICE}\"`: one exchange started sending "
              "notices with an unexpanded price macro and the handler dereferences the missing price. Go's server "
              "drops the connection, so the ALB counts 502s as ELB 5xx while target 5xx stays flat. No change touched "
              "auction-settle (its last task definition is old), its database is healthy, and the creative-cache deploy "
              "just before is an unrelated service.")
    return sc


BUILDERS = [build_11, build_12]
