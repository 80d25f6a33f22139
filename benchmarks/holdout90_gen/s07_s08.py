"""07: courier location ingest (Node on ECS); 08: payment webhook Lambda (Python) on the ledger Postgres."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import pg, pino

from .kit import (GRID, H90, SYD, USE, LambdaLogs, alb, alb_id, describe, ecs, expect, ints, jline, lambda_fn,
                  lambda_logs, ramp, rds, rush, stream, task_ids)


def build_07() -> H90:
    sc = H90(7, "courier-locations", "Courier location ingest memory alarm in Sydney; dispatchers see couriers "
             "'jumping' on the live map.", SYD, 9007, "2026-03-18T08:15:00")
    rng = sc.rng
    cluster, svc = "courier-rt", "loc-ingest"
    lb = alb_id(sc, "courier-rt")
    kills = [-1830, -1610, -1420, -1190, -1010, -820, -650, -470, -300, -140]
    first = kills[0]

    def mem(t):
        if t < first:
            return 38 + 16 * rush(t) + 40 * ramp(t, -4500, first) ** 1.4
        since = min(t - k for k in kills if k <= t)
        return 84 + 13 * min(1.0, since / 200.0)

    def running(t):
        return 3 if any(k <= t < k + 75 for k in kills) else 4

    ecs(sc, cluster, svc, lambda t: 24 + 20 * rush(t) + 12 * ramp(t, -3600, first), mem, running,
        launch_type="FARGATE", task_cpu=1024, task_memory=2048, container="loc-ingest", runtime="node 20")
    ecs(sc, cluster, "zone-heat", lambda t: 15 + 10 * rush(t), lambda t: 44.0, lambda t: 2, launch_type="FARGATE")
    req = ints(sc, lambda t: 2600 * rush(t))
    e5 = [float(round(r * 0.03) if running(t) < 4 else rng.random() < 0.1) for t, r in zip(GRID, req)]
    alb(sc, lb, req, [float(rng.random() < 0.05) for _ in GRID], [float(round(r * 0.004)) for r in req], e5,
        lambda t: 0.012 + 0.004 * rush(t), lambda t: 4 if running(t) == 4 else 3,
        lambda t: 0 if running(t) == 4 else 1, scheme="internet-facing")
    lambda_fn(sc, "courier-payout-calc", "python3.12", 512, 120, lambda t: 2.0, lambda t: 0.0, lambda t: 5400.0)
    slots = task_ids(sc, 4)
    life = {s: [-10 ** 9] for s in range(4)}
    tasks = {s: [slots[s]] for s in range(4)}
    for i, k in enumerate(kills):
        life[i % 4].append(k)
        tasks[i % 4].append(sc.hexid(32))
    grp = f"/ecs/{svc}"
    ev_grp = "/aws/events/ecs-task-state-change"
    for s in range(4):
        for j, tk in enumerate(tasks[s]):
            born = life[s][j] + (60 if j else 0)
            dies = life[s][j + 1] if j + 1 < len(life[s]) else 0
            name = f"loc/loc-ingest/{tk}"
            host = f"ip-10-44-{rng.randint(1, 9)}-{rng.randint(2, 250)}.ap-southeast-2.compute.internal"
            if j:
                sc.log(grp, name, born + 0.5, pino(sc, born + 0.5, "info", "loc-ingest listening", host, port=8080,
                                                   version="3.22.1", node="v20.17.0"))

            def line(t, h=host):
                if rng.random() < 0.06:
                    return pino(sc, t, "warn", "stale GPS fix dropped", h, courier=f"c_{sc.hexid(8)}",
                                age_s=rng.randint(95, 600))
                if rng.random() < 0.015:
                    return pino(sc, t, "error", "invalid device token, closing socket", h, device=sc.hexid(12))
                return pino(sc, t, "info", "batch ingested", h, points=rng.randint(180, 900),
                            couriers=int(rng.gauss(1400, 60) * rush(t)), flush_ms=rng.randint(4, 30))
            stream(sc, grp, name, lambda t, b=born, d=dies: 3.0 * rush(t) if b <= t < d else 0, line,
                   start=max(-10800, born // 60 * 60))
            t = max(-10800, born) + rng.uniform(0, 240)
            while t < dies:
                rss = 20.48 * mem(t) if not j else 760 + 1290 * min(1.0, (t - born) / 820.0)
                sc.log(grp, name, t, pino(sc, t, "info", "process stats", host, rss_mb=int(rss),
                                          heap_used_mb=int(rss * 0.82), active_trails=int(1400 * rush(t) * 11 * (rss / 900)),
                                          event_loop_lag_ms=round(rng.uniform(1, 6) + 40 * max(0, mem(t) - 85) / 12, 1)))
                t += 240
            if dies < 0:
                sc.log(ev_grp, "ecs-task-state", dies + 4.2, jline({
                    "version": "0", "detail-type": "ECS Task State Change", "source": "aws.ecs", "region": sc.region,
                    "time": sc.iso(dies + 4.2, 0), "detail": {
                        "clusterArn": f"arn:aws:ecs:{sc.region}:{sc.account}:cluster/{cluster}",
                        "taskArn": f"arn:aws:ecs:{sc.region}:{sc.account}:task/{cluster}/{tk}", "lastStatus": "STOPPED",
                        "stopCode": "EssentialContainerExited", "stoppedReason": "Essential container in task exited",
                        "containers": [{"name": "loc-ingest", "exitCode": 137,
                                        "reason": "OutOfMemoryError: Container killed due to memory usage"}]}}))
                sc.log("/aws/ecs/events/courier-rt", "service-events", dies + 9,
                       f"(service {svc}) has stopped 1 running tasks: (task {tk}).")
                sc.log("/aws/ecs/events/courier-rt", "service-events", dies + 52,
                       f"(service {svc}) has started 1 tasks: (task {tasks[s][j + 1]}).")
    sc.change(-1890, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function",
              "courier-payout-calc", "AWSReservedSSO_CourierOps_22ab0e/sam.w")
    sc.change(-9800, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", f"{cluster}/zone-heat", "gha-deploy-couriers")
    sc.alarm("loc-ingest-memory-high", "AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": svc},
             "Maximum", 60, 3, 80, "GreaterThanThreshold", "loc-ingest memory above 80 %")
    sc.alarm("courier-rt-elb-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", {"LoadBalancer": lb}, "Sum", 300, 1,
             100, "GreaterThanThreshold")
    expect(sc, "loc-ingest-memory-high", "memory_exhaustion", [f"{cluster}/{svc}", svc],
           [("AWS/ECS", "MemoryUtilization", {"ClusterName": cluster, "ServiceName": svc})])
    describe(sc, front="origin (ECS service memory)",
             decoys="configuration update of courier-payout-calc 60 s before the first kill; steady 'stale GPS fix' "
                    "warnings and 'invalid device token' errors; dinner traffic climb; ELB 5XX alarm",
             services="ECS Fargate (Node.js, pino JSON), ALB, EventBridge task-state events",
             story="loc-ingest's memory alarm fires. Its MemoryUtilization climbs through the dinner ramp to the "
                   "limit and then saws between ~85 % and ~97 %: task-state events show containers exiting with "
                   "code 137 and `OutOfMemoryError: Container killed due to memory usage`, ten times in 30 minutes, "
                   "each followed by a replacement task. The 'process stats' lines show rss and active_trails growing "
                   "with the number of online couriers. The ALB's 502s only follow the kills. courier-payout-calc's "
                   "configuration update is on an unrelated batch function; the GPS and device-token messages run at "
                   "the same rate all afternoon.")
    return sc


def build_08() -> H90:
    sc = H90(8, "ledger-webhooks-evening", "Payment webhook Lambda errors alarm at 7 pm Eastern; orders stay in "
             "'payment pending'.", USE, 9008, "2026-03-19T23:20:00")
    rng = sc.rng
    fn, db, refund = "psp-webhook-apply", "pay-ledger-db", "refund-batch"
    full_t = -1500
    rate = [0.3 + rush(t) for t in GRID]
    k = 7.45 / sum(r for t, r in zip(GRID, rate) if t < full_t)
    free, acc = {}, 7.5
    for t, r in zip(GRID, rate):
        free[t] = max(0.035 + rng.uniform(0, 0.01), acc)
        acc -= k * r
    full = lambda t: 1.0 if t >= full_t else 0.0  # noqa: E731
    v = lambda_fn(sc, fn, "python3.12", 512, 15, lambda t: 160 * rush(t), lambda t: 0.001 + 0.78 * full(t),
                  lambda t: 85 + 20 * full(t), vpc=True)
    rv = lambda_fn(sc, refund, "python3.12", 1024, 300, lambda t: 1.0, lambda t: 0.0, lambda t: 41000.0)
    rds(sc, db, lambda t: 24 + 18 * rush(t) - 10 * full(t), lambda t: 70 + 40 * rush(t), lambda t: free[int(t)],
        wlat=lambda t: 0.0019 + 0.002 * rush(t), engine="postgres", engine_version="15.8",
        instance_class="db.m6g.xlarge", max_connections=1700, allocated_storage_gb=200, storage_type="gp3")
    d = {"DBInstanceIdentifier": db}
    sc.metric("AWS/RDS", "TransactionLogsDiskUsage", d, "Bytes",
              sc.series(lambda t: (38.0 + (7.5 - free[int(t)]) * 0.93) * 1024 ** 3, noise=0.001, digits=0))
    sc.metric("AWS/RDS", "OldestReplicationSlotLag", d, "Bytes",
              sc.series(lambda t: (36.0 + (7.5 - free[int(t)]) * 0.93) * 1024 ** 3, noise=0.001, digits=0))
    ll = LambdaLogs(sc, fn, "python3.12", 512, 15, mem_used=(131, 7))

    def body(ll, t, rid, is_err, cold):
        evt = f"evt_{sc.hexid(14)}"
        lines = [(0.002, ll.fmt(t + 0.002, rid, "INFO", f"webhook {evt} type=charge.succeeded order=ord_{sc.hexid(10)}"))]
        if is_err and t >= full_t:
            lines.append((0.05, "[ERROR] DiskFull: could not extend file \"base/16401/98213.14\": No space left on "
                                "device\nHINT:  Check free disk space.\nTraceback (most recent call last):\n  File "
                                "\"/var/task/app/handler.py\", line 61, in handler\n    ledger.post(entry)\n  File "
                                "\"/var/task/app/ledger.py\", line 122, in post\n    cur.execute(INSERT_ENTRY, row)"))
            return {"lines": lines, "dur": rng.gauss(60, 10)}
        if is_err:
            lines.append((0.04, "[ERROR] OperationalError: consuming input failed: server closed the connection "
                                "unexpectedly\nTraceback (most recent call last):\n  File \"/var/task/app/handler.py\", "
                                "line 61, in handler\n    ledger.post(entry)"))
            return {"lines": lines, "dur": rng.gauss(40, 10)}
        if rng.random() < 0.06:
            lines.append((0.03, ll.fmt(t + 0.03, rid, "ERROR", f"duplicate delivery {evt}: idempotency key already "
                                                               "recorded, acknowledging")))
        else:
            lines.append((0.08, ll.fmt(t + 0.08, rid, "INFO", f"ledger entry posted {evt} amount_cents="
                                                              f"{rng.randint(900, 12000)}")))
        return {"lines": lines, "dur": rng.gauss(85, 15)}

    lambda_logs(sc, ll, v, body, sample=0.06)
    rl = LambdaLogs(sc, refund, "python3.12", 1024, 300, retire=(-1560,))
    def rbody(ll, t, rid, is_err, cold):
        dur = rng.gauss(41000, 3000)
        return {"lines": [(0.01, ll.fmt(t + 0.01, rid, "INFO", "refund batch started")),
                          (dur / 1000 - 0.05, ll.fmt(t + dur / 1000 - 0.05, rid, "INFO",
                                                     f"refund batch done: {rng.randint(10, 60)} refunds"))], "dur": dur}

    lambda_logs(sc, rl, rv, rbody, sample=1.0)
    grp = f"/aws/rds/instance/{db}/postgresql"

    def dbl(t):
        c = f"10.12.{rng.randint(20, 23)}.{rng.randint(2, 250)}({rng.randint(30000, 60000)})"
        if t >= full_t and rng.random() < 0.8:
            return pg(sc, t, "ERROR", "could not extend file \"base/16401/98213.14\": No space left on device",
                      client=c, user="ledger_app", db="ledger") + "\n\tHINT:  Check free disk space."
        return pg(sc, t, "LOG", f"automatic vacuum of table \"ledger.public.webhook_events\": index scans: 1, "
                                f"pages: 0 removed, {rng.randint(9000, 20000)} remain", pid=rng.randint(20000, 30000))
    stream(sc, grp, f"{db}.0", lambda t: 0.3 + 4 * full(t), dbl)
    t = -10800 + 41.0
    while t < 0:
        sc.log(grp, f"{db}.0", t, pg(sc, t, "LOG", f"checkpoint complete: wrote {rng.randint(2000, 6000)} buffers; "
                                        "0 WAL file(s) added, 0 removed, 0 recycled; write=26.912 s, sync=0.011 s", pid=398))
        if int(t) % 1800 < 300:
            sc.log(grp, f"{db}.0", t + 1, pg(sc, t + 1, "WARNING", "replication slot \"cdc_to_warehouse\" is inactive; "
                                                 "WAL is being retained", pid=398))
        t += 300
    sc.change(-11000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", fn, "gha-deploy-payments")
    sc.change(-1560, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", refund,
              "gha-deploy-payments")
    sc.alarm("psp-webhook-apply-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 60, 3, 10,
             "GreaterThanThreshold", "Payment webhook processing failures")
    sc.alarm("pay-ledger-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", d, "Minimum", 300, 1, 2 * 1024 ** 3,
             "LessThanThreshold")
    sc.alarm("refund-batch-errors", "AWS/Lambda", "Errors", {"FunctionName": refund}, "Sum", 300, 1, 1,
             "GreaterThanOrEqualToThreshold")
    expect(sc, "psp-webhook-apply-errors", "storage_exhaustion", [db],
           [("AWS/RDS", "FreeStorageSpace", d), ("AWS/Lambda", "Errors", {"FunctionName": fn})])
    describe(sc, front="front (calling Lambda → RDS)",
             decoys="code deploy to refund-batch 60 s before onset; code deploy to psp-webhook-apply 3 h earlier; "
                    "ERROR-level 'duplicate delivery' lines at a steady rate; rare connection resets long before",
             services="Lambda (Python), RDS PostgreSQL",
             story="psp-webhook-apply's Errors alarm fires. Its new failures are `DiskFull: could not extend file ...: "
                   "No space left on device`, and the ledger database logs the same ERROR. pay-ledger-db's "
                   "FreeStorageSpace has fallen all afternoon, faster as dinner traffic grew, and reaches ~0 exactly "
                   "when the errors start; TransactionLogsDiskUsage and OldestReplicationSlotLag grow by the same amount "
                   "and the log warns every half hour that replication slot `cdc_to_warehouse` is inactive while "
                   "checkpoints recycle no WAL. The storage alarm had been in ALARM for over an hour. refund-batch's "
                   "deploy a minute before onset leaves that function healthy; psp-webhook-apply's own deploy was 3 h "
                   "earlier; the 'duplicate delivery' ERROR lines are routine.",
             judgement="The retained WAL from an inactive replication slot is the mechanism; the category is still "
                       "storage exhaustion of the database (FreeStorageSpace at 0, 'No space left on device').")
    return sc


BUILDERS = [build_07, build_08]
