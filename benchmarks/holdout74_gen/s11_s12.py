"""11: same-day quote API slow behind an ALB during a partner promotion's request flood (Go/ECS, us-east-1).
12: proof-of-delivery sync Lambda failing on a status value it has never seen (Python, ap-south-1)."""
from __future__ import annotations

from benchmarks.holdout57_gen.common import ramp
from benchmarks.holdout57_gen.runtimes import LambdaLogs, logfmt_writer

from .kit import S, alb_metrics, ecs_metrics, emit, every, lam_metrics, lambda_logs, pick, shift_load

logfmt = logfmt_writer("ts", quote_msg=True)


def build11() -> S:
    sc = S(11, "quote-api-latency", "Checkout pages of marketplace partners time out when asking for same-day "
           "delivery quotes; the quote ALB latency alarm fired.", "us-east-1", 7411, "2026-03-18T17:25:00+00:00",
           front="front (ALB)", decoys="pod-upload rollout 3 min before onset; autoscaling UpdateService after "
           "onset; the 14:00 shift-start peak handled fine; steady partner 4xx")
    lb, cl, svc, other = "app/quote-edge-alb/5a81c3e07d9b2f46", "logi-us", "rate-quote", "pod-upload"
    onset = -2220
    sc.resource("alb", lb, name="quote-edge-alb", scheme="internet-facing")
    sc.resource("ecs", f"{cl}/{svc}", launch_type="FARGATE", desired_count=4, cpu=1024, memory=2048,
                autoscaling="target tracking CPU 60 %, max 6 tasks")
    sc.resource("ecs", f"{cl}/{other}", launch_type="FARGATE", desired_count=2, cpu=512, memory=1024)
    base = lambda t: shift_load(sc, t, starts=(14.0,), height=0.7, width=0.8)
    surge = lambda t: 4.6 * ramp(t, onset - 240, onset + 300)
    req = lambda t: 1100 * (base(t) + surge(t))
    tasks = lambda t: 4.0 + 2 * (t >= -1680)
    press = lambda t: (base(t) + surge(t)) / (tasks(t) / 4.0)   # load per task relative to normal
    alb_metrics(sc, lb, req=req, t5xx=lambda t: 0.3 + 0.012 * req(t) * max(0.0, press(t) - 1.8),
                e5xx=lambda t: 0.004 * req(t) * max(0.0, press(t) - 2.2),
                rt=lambda t: 0.07 * base(t) ** 0.4 * (1 + 1.6 * max(0.0, press(t) - 1.6) ** 1.3),
                healthy=tasks, t4xx=lambda t: 0.03 * req(t))
    ecs_metrics(sc, cl, svc, cpu=lambda t: min(86.0, 22 * press(t)), mem=lambda t: 41 + 6 * min(1.0, surge(t) / 4),
                running=tasks)
    ecs_metrics(sc, cl, other, cpu=lambda t: 16 * base(t) + (35 if -2420 <= t < -2280 else 0), mem=lambda t: 36.0,
                running=lambda t: 4.0 if -2420 <= t < -2280 else 2.0)
    partners = [("shopnest", 0.3), ("urbancart", 0.25), ("freshbox", 0.2), ("kiddo-store", 0.15), ("megadealz", 0.1)]

    def qline(t):
        s = surge(t)
        w = [(p, wt * (1 + (8 * s if p == "megadealz" else 0))) for p, wt in partners]
        x = sc.rng.uniform(0, sum(v for _, v in w))
        partner = w[-1][0]
        for p, v in w:
            x -= v
            if x <= 0:
                partner = p
                break
        pr = press(t)
        ms = int(sc.rng.uniform(25, 90) * (1 + 1.6 * max(0.0, pr - 1.6) ** 1.3))
        r = sc.rng.random()
        if r < 0.03:
            return logfmt(sc, t, "warn", "quote rejected", partner=partner, status=422, reason="postcode_outside_zone")
        if pr > 1.8 and r < 0.03 + 0.05 * (pr - 1.8):
            return logfmt(sc, t, "error", "quote deadline exceeded", partner=partner, status=503, ms=ms,
                          inflight=int(180 * pr))
        return logfmt(sc, t, "info", "quote served", partner=partner, status=200, ms=ms, window="same_day",
                      zone=pick(sc, ["NYC-1", "NYC-2", "JC-1", "BK-3"]))

    for i in range(6):
        tk = sc.task_id()
        lo = -18000 if i < 4 else -1680
        if lo > -18000:
            sc.log(f"/ecs/{svc}", f"quote/{svc}/{tk}", lo + 40, logfmt(sc, lo + 40, "info", "listening", addr=":8080",
                                                                      version="4.12.3", gomaxprocs=1))
        emit(sc, f"/ecs/{svc}", f"quote/{svc}/{tk}", lambda t: 1.5 * (base(t) + surge(t)) / (tasks(t) / 4.0) ** 0.3,
             qline, start=lo + 45)
        every(sc, f"/ecs/{svc}", f"quote/{svc}/{tk}", 60, lambda t: logfmt(
            sc, t, "info", "runtime stats", goroutines=int(60 + 120 * max(0.0, press(t) - 1)),
            heap_mb=int(180 + 40 * min(1.0, surge(t))), gc_pause_ms=round(sc.rng.uniform(0.2, 1.4), 2)),
            start=lo + 50)
    for tk in (sc.task_id(), sc.task_id()):
        emit(sc, f"/ecs/{other}", f"pod/{other}/{tk}", lambda t: 0.8 * base(t),
             lambda t: logfmt(sc, t, "info", "photo stored", bytes=sc.rng.randint(90000, 900000), ms=sc.rng.randint(40, 200)),
             start=-2300)
    for tk in (sc.task_id(), sc.task_id()):
        emit(sc, f"/ecs/{other}", f"pod/{other}/{tk}", lambda t: 0.8 * base(t),
             lambda t: logfmt(sc, t, "info", "photo stored", bytes=sc.rng.randint(90000, 900000), ms=sc.rng.randint(40, 200)),
             end=-2290)
    sc.change(-2430, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{other}", "gh-actions-pod")
    sc.change(-1680, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}",
              "ecs.application-autoscaling.amazonaws.com")
    sc.change(-17200, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cl}/{svc}", "gh-actions-quote")
    sc.alarm("quote-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb}, "Average", 60, 3, 0.3,
             "GreaterThanThreshold", "Quote API latency")
    sc.alarm("rate-quote-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": cl, "ServiceName": svc}, "Average", 60, 3,
             75, "GreaterThanThreshold")
    sc.expect_rc("quote-edge-latency", "traffic_surge", [lb, "quote-edge-alb", f"{cl}/{svc}", svc],
                 [("AWS/ApplicationELB", "RequestCount", {"LoadBalancer": lb}),
                  ("AWS/ApplicationELB", "TargetResponseTime", {"LoadBalancer": lb})])
    sc.meta["story"] = (
        "At 16:48 RequestCount on the quote ALB jumps from ~1,100 to over 6,000 a minute, more than three times "
        "the 14:00 shift-start peak that was served in ~70 ms. The rate-quote logs show the extra requests come "
        "from one partner (`partner=megadealz`), a promotion; nothing fails on its own - per-task CPU climbs "
        "to ~90 % and latency and 503 `quote deadline exceeded` follow the load per task, easing only partly as autoscaling "
        "goes from 4 to its maximum of 6 tasks. The pod-upload rollout three minutes before the onset is a different service "
        "with no traffic through this ALB; the autoscaling UpdateService events come after the onset; the 422 "
        "`postcode_outside_zone` rejections are steady.")
    sc.meta["judgement"] = ("CPU reaches ~90 %, so cpu_saturation is tempting; but it follows requests per task "
                            "exactly, the surge comes first, and it is not pinned at 100 %. Resource: the ALB that takes "
                            "the surge, with the ECS service behind it accepted too.")
    return sc


def build12() -> S:
    sc = S(12, "pod-sync-errors", "Proof-of-delivery statuses stop updating in the customer portal for some "
           "shipments; the pod-sync Errors alarm fired.", "ap-south-1", 7412, "2026-03-19T09:40:00+00:00",
           front="origin", decoys="code deploy on cod-reconcile 2 min before onset; memory increase on pod-sync 5 h "
           "earlier; steady handled PhotoTooLarge errors")
    fn, other = "pod-sync", "cod-reconcile"
    onset = -2040
    sc.resource("lambda", fn, runtime="python3.12", timeout=60, memory_size=768, trigger="SQS carrier-pod-events")
    sc.resource("lambda", other, runtime="python3.12", timeout=300, memory_size=512)
    load = lambda t: shift_load(sc, t, starts=(3.5, 8.0), height=0.8, width=1.0)
    inv = lambda t: 70 * load(t)
    share = lambda t: 0.2 * ramp(t, onset, onset + 900)   # share of batches holding the new status
    v = lam_metrics(sc, fn, inv=inv, err=lambda t: inv(t) * share(t), dur=lambda t: 420.0)
    v2 = lam_metrics(sc, other, inv=lambda t: 2.0, err=lambda t: 0.0, dur=lambda t: 21000.0)
    carriers = ["delhivery", "ecomexpress", "xpressbees", "shadowfax", "bluedart"]

    def body(ll, t, rid, is_err, cold):
        c = pick(sc, carriers)
        n = sc.rng.randint(1, 10)
        lines = [(0.004, ll.fmt(t, rid, "INFO", f"batch of {n} POD events from {c}"))]
        if sc.rng.random() < 0.07:
            lines.append((0.12, ll.fmt(t + 0.12, rid, "ERROR", f"PhotoTooLarge: POD image for AWB {sc.rng.randint(10 ** 11, 10 ** 12)} "
                                                               "is 14.2 MB (> 10 MB); stored without thumbnail")))
        if is_err:
            awb = sc.rng.randint(10 ** 11, 10 ** 12)
            tb = ("[ERROR] KeyError: 'RTO_INITIATED'\nTraceback (most recent call last):\n  File \"/var/task/pod/handler.py\", "
                  "line 52, in handler\n    events = [normalise(e) for e in records]\n  File \"/var/task/pod/normalise.py\", "
                  "line 33, in normalise\n    status = STATUS_MAP[raw[\"status\"]]")
            lines.append((0.08, ll.fmt(t + 0.08, rid, "INFO", f"AWB {awb} carrier={c} raw_status=RTO_INITIATED")))
            lines.append((0.09, tb))
            return {"dur": sc.rng.uniform(90, 160), "lines": lines}
        lines.append((0.38, ll.fmt(t + 0.38, rid, "INFO", f"synced {n} POD events ({pick(sc, ['DELIVERED', 'OUT_FOR_DELIVERY', 'UNDELIVERED'])} "
                                                          f"...) to portal")))
        return {"dur": sc.rng.uniform(300, 560), "lines": lines}

    ll = LambdaLogs(sc, fn, "python3.12", 768, 60, prewarm=-17400, mem_used=(140, 12), retire=(-18300,))
    lambda_logs(sc, ll, v, body, per_min=2.0)

    def body2(ll2, t, rid, is_err, cold):
        return {"dur": sc.rng.uniform(15000, 26000), "lines": [(0.02, ll2.fmt(t, rid, "INFO", f"reconciled {sc.rng.randint(50, 900)} "
                                                                                           "COD remittances"))]}
    ll2 = LambdaLogs(sc, other, "python3.12", 512, 300, prewarm=-17400, retire=(-2160,))
    lambda_logs(sc, ll2, v2, body2, per_min=0.7)
    sc.change(-18300, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", fn, "arjun.mehta")
    sc.change(-2160, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", other, "gh-actions-finance")
    sc.alarm("pod-sync-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 10, "GreaterThanThreshold",
             "POD sync failures")
    sc.expect_rc("pod-sync-errors", "application_error", [fn], [("AWS/Lambda", "Errors", {"FunctionName": fn})])
    sc.meta["story"] = (
        "pod-sync has not changed since a memory increase five hours earlier, after which it ran cleanly. From "
        "09:06 a growing share of batches fail with an unhandled `KeyError: 'RTO_INITIATED'` in "
        "`normalise.py` (`STATUS_MAP[raw[\"status\"]]`), logged next to `raw_status=RTO_INITIATED`: a carrier "
        "has started sending a return-to-origin status the code does not map. Duration, memory and "
        "concurrency are normal and there is no dependency error. The cod-reconcile deploy two minutes before the "
        "onset is on another function that keeps reconciling; the handled PhotoTooLarge errors are steady all day.")
    return sc


BUILDERS = [build11, build12]
