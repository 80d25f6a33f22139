"""Scenarios 15-16: client-release polling surge, month-end date arithmetic bug."""
from __future__ import annotations

from .common import (Ctx, LogBook, alarm, alb_metrics, anomaly, change, day, ecs_metrics, every, grid, lambda_deploy,
                     lambda_metrics, py_line, ramp, rds_metrics, scenario, values)
from .sim import LambdaSim, Tasks, plan_from


def s15(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-11-20T18:20:00", "us-east-1", "503928174660")
    rng, ts, t0, t1 = ctx.rng, grid(), -4200, -1500
    alb_id, svc = "app/mobile-edge/6a7b8c9d0e1f2a3b", "mobile/inbox-svc"
    mult = [1 + 6.0 * ramp(t, t0, t1, 0, 1) ** 1.3 for t in ts]
    req = [float(int(3000 * day(ctx, t, 19, 0.2) * m * rng.uniform(0.97, 1.03))) for t, m in zip(ts, mult)]
    scale = [(-3600, 9), (-3000, 12), (-2400, 16), (-1800, 20)]
    def tasks_at(t):
        n = 6
        for ts_, c in scale:
            if t >= ts_ + 90:
                n = c
        return n
    load = [r / (tasks_at(t) * 1050.0) for t, r in zip(ts, req)]  # share of per-task capacity
    cpu = [round(min(79.0, 8 + 62 * x) * rng.uniform(0.96, 1.04), 2) for x in load]
    trt = [round((0.038 + 2.2 * max(0.0, x - 0.85) ** 1.3) * rng.uniform(0.9, 1.1), 4) for x in load]
    e5 = [float(int(r * 0.003 * max(0.0, x - 0.95) * 8)) for r, x in zip(req, load)]
    metrics = alb_metrics(alb_id, ts, req, trt, [float(rng.random() < 0.1) for _ in ts], e5, [float(tasks_at(t)) for t in ts])
    metrics += ecs_metrics(svc, ts, cpu, values(ctx, ts, lambda t: 41.0, 0.02))
    p_inv = values(ctx, ts, lambda t: 5 * day(ctx, t, 19, 0.2), count=True)
    metrics += lambda_metrics("push-sender", ts, p_inv, [0.0] * len(ts), [0.0] * len(ts), values(ctx, ts, lambda t: 410.0, 0.1), [min(3.0, p) for p in p_inv])

    book, grp = LogBook(), "/ecs/inbox-svc"
    tasks = Tasks(ctx, "app/inbox-svc", 6, -300000)
    prev = 6
    for ts_, c in scale:
        for _ in range(c - prev):
            tt = ts_ + rng.uniform(40, 90)
            k = tasks.add_slot(tt)
            book.add(grp, tasks.stream(k, tt), tt, f'time={ctx.iso(tt)} level=INFO msg="inbox-svc starting" version=2.31.0 listen=:8080 access_log_sample=0.005')
        prev = c
    for t in every(-10800, -5, 60, 0.01, rng):
        i = min(len(ts) - 1, int((t + 21600) // 60))
        share = 0.41 * (1 - ramp(t, t0 - 1800, t0, 0, 1)) + 0.86 * ramp(t, t0, t1, 0, 1)
        for k in tasks.live(t):
            n = int(req[i] / tasks_at(t) * rng.uniform(0.93, 1.07))
            top = "AcmeMobile/7.4.0" if t >= t0 + 600 else "AcmeMobile/7.3.2"
            book.add(grp, tasks.stream(k, t), t + k * 0.01, f'time={ctx.iso(t + k * 0.01)} level=INFO msg="traffic stats" window=60s requests={n} '
                     f'p50_ms={int(9 + 1500 * max(0.0, load[i] - 0.85) ** 1.3)} p99_ms={int(40 + 6000 * max(0.0, load[i] - 0.85) ** 1.3)} top_client="{top}" '
                     f'top_client_share={max(0.3, share):.2f} top_path=/v1/inbox/poll')
    for t in every(-10800, -5, 0.4, 0.8, rng):
        i = min(len(ts) - 1, int((t + 21600) // 60))
        if rng.random() > mult[i] / 7.0:
            continue
        k, sid = tasks.pick(t)
        new = rng.random() < min(0.9, 0.05 + 0.85 * ramp(t, t0, t1, 0, 1) * 1.1)
        ua = f"AcmeMobile/{'7.4.0' if new else rng.choice(['7.3.2', '7.3.2', '7.2.9'])} ({rng.choice(['iOS 18.1; iPhone15,2', 'iOS 17.6; iPhone14,5', 'Android 15; Pixel 8'])})"
        if rng.random() < 0.02:
            book.add(grp, sid, t, f'time={ctx.iso(t)} level=WARN msg="badge count mismatch; recomputing" user=u_{rng.randint(10**6, 10**7)}')
            continue
        path = "/v1/inbox/poll" if new or rng.random() < 0.4 else rng.choice(["/v1/inbox", "/v1/inbox/threads/" + ctx.hexid(8), "/v1/me"])
        dur = int((9 + 1500 * max(0.0, load[i] - 0.85) ** 1.3) * rng.uniform(0.5, 2.5))
        book.add(grp, sid, t, f'time={ctx.iso(t)} level=INFO msg=request method=GET path={path} status=200 dur_ms={dur} ua="{ua}" '
                              f'poll_interval_s={2 if new else 30}')
    push = LambdaSim(ctx, 512, 30, lambda a, rid, cold, kind: {"lines": [py_line(ctx, a + 0.05, "INFO", rid, f"Sent {rng.randint(1, 40)} push notifications (transactional)")],
                                                              "dur": rng.uniform(300, 520), "mem": rng.randint(90, 99)}, version=lambda t: "40" if t < -5400 else "41")
    push.run(book, "/aws/lambda/push-sender", plan_from(ts, {"ok": p_inv}, -10800))

    resources = [
        {"type": "alb", "id": alb_id, "properties": {"name": "mobile-edge", "targets": [svc]}},
        {"type": "ecs", "id": svc, "properties": {"log_groups": [grp], "desired_count": 20, "load_balancer": alb_id,
                                                  "autoscaling": "target tracking CPU 60 %, min 6, max 20"}},
        {"type": "lambda", "id": "push-sender", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 512}},
    ]
    changes = lambda_deploy(-5400, "push-sender") + [
        change(s, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", svc, "AWSServiceRoleForApplicationAutoScaling_ECSService") for s, _ in scale]
    lb = {"LoadBalancer": alb_id}
    over = [t for t, v in zip(ts, trt) if v > 0.25]
    alarms = [alarm("mobile-edge-latency", "AWS/ApplicationELB", "TargetResponseTime", lb, "Average", 60, 5, 0.25, "ALARM", int(over[0]) + 300 if over else -1200,
                    desc="mobile API latency"),
              alarm("inbox-svc-cpu-high", "AWS/ECS", "CPUUtilization", {"ClusterName": "mobile", "ServiceName": "inbox-svc"}, "Average", 300, 3, 90, "OK", -900000),
              alarm("push-sender-errors", "AWS/Lambda", "Errors", {"FunctionName": "push-sender"}, "Sum", 300, 1, 5, "OK", -900000)]
    expect = {"alarm": "mobile-edge-latency", "root_cause": {"category": "traffic_surge", "resource": [alb_id, "mobile-edge", svc, "inbox-svc"]},
              "anomalies": [anomaly("AWS/ApplicationELB", "RequestCount", lb), anomaly("AWS/ApplicationELB", "TargetResponseTime", lb)]}
    doc = scenario("h22-15-mobile-inbox-poll-surge", "Mobile app feels slow; mobile-edge latency alarm in the evening.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "front = origin (ALB / service receiving the surge)", "decoys": [
        "push-sender deploy 20 min before the surge (push volume unchanged)", "auto-scaling UpdateService events during the surge",
        "steady badge-mismatch WARNs", "CPU high but not pinned (alarm OK)"]}


# ------------------------------------------------------------------------------------------------
def s16(seed: int) -> tuple[dict, dict]:
    ctx = Ctx(seed, "2026-10-31T00:45:00", "us-east-1", "612390847561")
    rng, ts, mid = ctx.rng, grid(), -2700  # 2026-10-31T00:00:00Z
    fn, db = "subscription-renewer", "billing-pg"
    inv = [1.0 if t < mid else (1.0 if t < mid + 60 else (2.0 if t < mid + 180 else 3.0)) for t in ts]  # async retries
    err = [0.0 if t < mid else i for t, i in zip(ts, inv)]
    dur = [round(rng.uniform(3200, 6100) if t < mid else rng.uniform(380, 520), 1) for t in ts]
    metrics = lambda_metrics(fn, ts, inv, err, [0.0] * len(ts), dur, [min(3.0, i) for i in inv])
    dm = [1.0 if (t // 60) % 10 == 0 else 0.0 for t in ts]
    metrics += lambda_metrics("dunning-mailer", ts, dm, [0.0] * len(ts), [0.0] * len(ts), [round(rng.uniform(900, 1300), 1) if d else None for d in dm], dm)
    metrics += rds_metrics(db, ts, values(ctx, ts, lambda t: 11.0, 0.08), values(ctx, ts, lambda t: 24.0, 0.08, nd=0), values(ctx, ts, lambda t: 141e9 - (t + 21600) * 2e3, 0.0001, nd=0),
                           values(ctx, ts, lambda t: 5.6e9, 0.01, nd=0), values(ctx, ts, lambda t: 0.0007, 0.1, nd=5), values(ctx, ts, lambda t: 0.0012, 0.1, nd=5))

    book = LogBook()

    def invoke(t0, rid, cold, kind):
        run = ctx.at(t0).strftime("%Y-%m-%dT%H:%M")
        n = rng.randint(8, 16)
        lines = [py_line(ctx, t0 + 0.02, "INFO", rid, f"Renewal run {run}: {n} subscriptions due (period_end={ctx.at(t0).date()})")]
        if kind == "ok":
            dun = sum(1 for _ in range(n) if rng.random() < 0.05)
            for j in range(dun):
                lines.append(py_line(ctx, t0 + 0.5 + j * 0.1, "WARNING", rid, f"card expired for sub_{ctx.hexid(14)}; scheduling dunning"))
            d = rng.uniform(3200, 6100)
            lines.append(py_line(ctx, t0 + d / 1000 - 0.01, "INFO", rid, f"Renewed {n - dun} of {n} (charged {n - dun}, dunning {dun}) next_period_end computed"))
            return {"lines": lines, "dur": d, "mem": rng.randint(110, 118)}
        t = t0 + 0.25
        for j in range(n):
            t += 0.012
            lines.append(py_line(ctx, t, "ERROR", rid, f"renewal failed for sub_{ctx.hexid(14)}\nTraceback (most recent call last):\n"
                                 '  File "/var/task/renewer/handler.py", line 38, in handler\n    renew(sub)\n'
                                 '  File "/var/task/renewer/billing.py", line 112, in renew\n    next_end = next_period_end(sub.period_end)\n'
                                 '  File "/var/task/renewer/dates.py", line 9, in next_period_end\n    return d.replace(month=d.month + 1)\n'
                                 "ValueError: day is out of range for month"))
        t += 0.02
        lines.append((t, f"[ERROR] RuntimeError: {n} of {n} renewals failed in run {run}\nTraceback (most recent call last):\n"
                         '  File "/var/task/renewer/handler.py", line 47, in handler\n    raise RuntimeError(f"{len(failed)} of {len(due)} renewals failed in run {run_id}")'))
        return {"lines": lines, "dur": (t - t0) * 1000 + 5, "mem": rng.randint(110, 118)}
    LambdaSim(ctx, 512, 120, invoke).run(book, f"/aws/lambda/{fn}", plan_from(ts, {"ok": [i - e for i, e in zip(inv, err)], "err": err}, -10800))
    LambdaSim(ctx, 256, 60, lambda a, rid, cold, kind: {"lines": [py_line(ctx, a + 0.1, "INFO", rid, f"Sent {rng.randint(0, 6)} dunning emails (grace_days from SSM)")],
                                                        "dur": rng.uniform(900, 1300), "mem": rng.randint(80, 88)},
              version=lambda t: "17" if t < -4000 else "18").run(book, "/aws/lambda/dunning-mailer", plan_from(ts, {"ok": dm}, -10800))
    pg = f"/aws/rds/instance/{db}/postgresql"
    for t in every(-21600, -5, 300, 0.0, rng):
        book.add(pg, f"{db}.0", t + 30, f"{ctx.pg(t + 30)}::@:[388]:LOG:  checkpoint complete: wrote {rng.randint(200, 900)} buffers ({rng.uniform(0.1, 0.6):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled; write=29.1 s, sync=0.003 s, total=29.2 s")

    resources = [
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 512, "trigger": "EventBridge schedule rate(1 minute)",
                                                    "environment": {"DB_HOST": f"{db}.c0x1y2z3.us-east-1.rds.amazonaws.com"}}},
        {"type": "lambda", "id": "dunning-mailer", "properties": {"runtime": "python3.12", "timeout": 60, "memory_size": 256,
                                                                  "environment": {"GRACE_DAYS_PARAM": "/billing/prod/grace-days"}}},
        {"type": "rds", "id": db, "properties": {"engine": "postgres", "instance_class": "db.t4g.large", "max_connections": 200, "allocated_storage_gb": 150}},
    ]
    changes = lambda_deploy(-4000, "dunning-mailer") + [
        change(-7000, "ssm.amazonaws.com", "PutParameter", "AWS::SSM::Parameter", "/billing/prod/grace-days", "finance-ops")]
    fd = {"FunctionName": fn}
    alarms = [alarm("subscription-renewer-errors", "AWS/Lambda", "Errors", fd, "Sum", 60, 3, 0, "ALARM", mid + 180, desc="renewals failing"),
              alarm("billing-pg-cpu-high", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db}, "Average", 300, 3, 80, "OK", -2000000)]
    expect = {"alarm": "subscription-renewer-errors", "root_cause": {"category": "application_error", "resource": [fn]},
              "anomalies": [anomaly("AWS/Lambda", "Errors", fd)]}
    doc = scenario("h22-16-renewals-month-end-date-bug", "Subscription renewals failing since midnight UTC; renewer errors alarm.",
                   ctx.region, resources, metrics, book, alarms, changes, expect)
    return doc, {"origin": "origin (renewer Lambda)", "decoys": [
        "dunning-mailer deploy 22 min before midnight", "SSM grace-days parameter change ~1 h 10 min before midnight (read by dunning-mailer)",
        "steady card-expired WARNINGs", "billing-pg healthy (OK alarm)"]}
