"""h55-07 (ECS Java worker out of heap) and h55-08 (RDS PostgreSQL storage full, seen on the writer Lambda)."""
from __future__ import annotations

from . import blocks, fmt, lam, svc
from .kit import LOG_START, T, Scenario, morning, series, sig, window

GIB = 1024 ** 3
STAGGER = {0: 0.0, 1: 300.0, 2: 1100.0}


def _jvm(t: float, msg: str) -> str:
    return f"[{fmt.iso(t)[:-1]}+0000][gc] {msg}"


# ------------------------------------------------------------------ h55-07
def s07():
    region = "us-east-2"
    scn = Scenario("fulfillment-worker-memory", region, 5507, "Orders stuck in 'awaiting pick list'; fulfillment-worker memory alarm.")
    rng = scn.rng
    bulk = -4300                       # wholesale customer's bulk orders start arriving
    rates = {0: 1400.0, 1: 1500.0, 2: 1500.0}     # seconds for a task's heap to go from normal to full
    ooms: dict[int, list[float]] = {}
    for k, span in rates.items():
        ooms[k], t0 = [], bulk + STAGGER[k]
        while True:
            t_oom = t0 + (span if not ooms[k] else 640.0) * rng.uniform(0.85, 1.15)   # a restarted task meets the queued backlog
            if t_oom >= -20:
                break
            ooms[k].append(round(t_oom))
            t0 = t_oom + 45
    deploy_lp = -1800
    scn.resource("ecs", "fulfillment/fulfillment-worker", cluster="fulfillment", service_name="fulfillment-worker", launch_type="FARGATE",
                 task_definition="fulfillment-worker:64", desired_count=3, cpu=1024, memory=2048, runtime="java21 / Spring Boot 3.2",
                 java_opts="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError", event_source="sqs:fulfillment-orders",
                 log_groups=["/ecs/fulfillment-worker"])
    scn.resource("ecs", "fulfillment/label-printer", cluster="fulfillment", service_name="label-printer", launch_type="FARGATE",
                 task_definition="label-printer:23", desired_count=2, cpu=512, memory=1024, runtime="nodejs20",
                 log_groups=["/ecs/label-printer"])

    def heap(k: int, t: float) -> float:
        """Fraction of the task's memory in use: 45-50 % normally, climbing once bulk orders arrive, reset by each OOM."""
        if t < bulk + STAGGER[k]:
            return 0.47 + 0.02 * k
        last = max([o + 45 for o in ooms[k] if o + 45 <= t] + [bulk + STAGGER[k]])
        nxt = min([o for o in ooms[k] if o > t] + [last + (640.0 if ooms[k] and last > ooms[k][0] else rates[k])])
        return min(0.985, 0.47 + 0.515 * ((t - last) / max(60.0, nxt - last)) ** 0.8)
    mem_max = [round(min(99.5, 100 * max(heap(k, t + 30) for k in range(3)) + rng.gauss(0, 0.6)), 3) for t in T]
    oom_min = lambda t: any(t <= o < t + 60 for v in ooms.values() for o in v)   # noqa: E731
    cpu = series(rng, lambda t: 22 * morning(t) + 45 * max(0.0, max(heap(k, t) for k in range(3)) - 0.8) / 0.18, 0.06, hi=100)
    blocks.ecs(scn, "fulfillment", "fulfillment-worker", cpu=cpu, mem=mem_max,
               running=[2.0 if oom_min(t) else 3.0 for t in T])
    blocks.ecs(scn, "fulfillment", "label-printer", cpu=series(rng, lambda t: 9 + 55 * window(t, deploy_lp + 20, deploy_lp + 200, 20), 0.08),
               mem=series(rng, lambda t: 37, 0.02), running=[2.0 if not (deploy_lp < t < deploy_lp + 240) else 4.0 for t in T])

    app = "fulfillment-worker"
    for k in range(3):
        lives = [LOG_START - 600] + [o + rng.uniform(35, 55) for o in ooms[k]]
        ends = [o for o in ooms[k]] + [0.0]
        for life, (t0, t1) in enumerate(zip(lives, ends)):
            ev = []
            if t0 > LOG_START:
                ev += svc.spring_boot_start(rng, t0, app, "FulfillmentWorkerApplication", "3.9.2", java="21.0.2")
            lo = max(t0 + 25, LOG_START)
            th = lambda: f"sqs-listener-{rng.randint(1, 8)}"  # noqa: E731
            ev += svc.sampled(rng, lo, t1 - 2, lambda t: 9 * morning(t), lambda t: fmt.spring(
                "INFO", t, app, th(), "c.a.fulfil.PickListService",
                f"Built pick list for ord_{rng.randint(10**7, 10**8)} lines={rng.randint(1, 14)} warehouse={rng.choice(['CMH1', 'CMH2'])} in {rng.randint(40, 300)} ms"))
            ev += svc.sampled(rng, max(lo, bulk), t1 - 2, 0.9, lambda t: fmt.spring(
                "INFO", t, app, th(), "c.a.fulfil.PickListService",
                f"Processing bulk order ord_{rng.randint(10**7, 10**8)} customer=wholesale-{rng.choice(['8841', '8841', '2207'])} lines={rng.randint(3800, 6200)}"))
            ev += svc.sampled(rng, lo, t1 - 2, 0.5, lambda t: fmt.spring(
                "ERROR", t, app, th(), "c.a.fulfil.carrier.RateQuoteClient",
                f"Carrier API returned 503 for rate quote (carrier={rng.choice(['ups', 'fedex'])}), retrying in 2s"))
            # GC log: young pauses always, full GCs when the heap is nearly full
            for t in lam.periodic(rng, lo, t1 - 1, 20, lambda t: None):
                t = t[0]
                h = heap(k, t)
                used = int(1536 * h / 0.985)
                if h > 0.9:
                    ev.append((t, _jvm(t, f"GC({rng.randint(1000, 9999)}) Pause Full (G1 Compaction Pause) {used}M->{used - rng.randint(2, 15)}M(1536M) {rng.uniform(1800, 3400):.3f}ms")))
                else:
                    ev.append((t, _jvm(t, f"GC({rng.randint(1000, 9999)}) Pause Young (Normal) (G1 Evacuation Pause) {used}M->{int(used * 0.82)}M(1536M) {rng.uniform(6, 30):.3f}ms")))
            if t1 < 0:
                ev.append((t1 - 0.4, fmt.spring("ERROR", t1 - 0.4, app, th(), "o.s.c.a.m.l.QueueMessageHandler",
                                                 "Listener method threw exception\n\njava.lang.OutOfMemoryError: Java heap space\n"
                                                 "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n"
                                                 "\tat java.base/java.util.ArrayList.grow(ArrayList.java:237)\n"
                                                 "\tat com.acme.fulfil.PickListService.expandManifest(PickListService.java:188)\n"
                                                 "\tat com.acme.fulfil.PickListService.build(PickListService.java:97)\n"
                                                 "\tat com.acme.fulfil.OrderListener.onMessage(OrderListener.java:44)")))
                ev.append((t1 - 0.1, "Terminating due to java.lang.OutOfMemoryError: Java heap space"))
            scn.log("/ecs/fulfillment-worker", f"ecs/fulfillment-worker/{svc.task_id(rng)}", [e for e in ev if LOG_START <= e[0] < -0.2])

    for k in range(4):
        t0, t1 = ((LOG_START, deploy_lp + 200), (LOG_START, deploy_lp + 210), (deploy_lp + 30, 0), (deploy_lp + 40, 0))[k]
        ev = [(t, fmt.pino(30, t, f"ip-10-2-{k}-{rng.randint(2, 250)}", "label rendered", orderId=f"ord_{rng.randint(10**7, 10**8)}",
                           format="ZPL", ms=rng.randint(30, 120))) for t, _ in svc.sampled(rng, t0 + 5, t1, lambda t: 4 * morning(t), lambda t: None)]
        if t0 > LOG_START:
            ev.append((t0 + 3, fmt.pino(30, t0 + 3, "ip-10-2-9-11", "label-printer listening", port=3000, version="2.4.0")))
        scn.log("/ecs/label-printer", f"ecs/label-printer/{svc.task_id(rng)}", ev)

    scn.change(deploy_lp - 10, "ecs.amazonaws.com", "RegisterTaskDefinition", "AWS::ECS::TaskDefinition", "label-printer:23", "github-actions-deployer")
    scn.change(deploy_lp, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfillment/label-printer", "github-actions-deployer")
    scn.change(-16400, "ecs.amazonaws.com", "UpdateService", "AWS::ECS::Service", "fulfillment/fulfillment-worker", "github-actions-deployer")

    d = {"ClusterName": "fulfillment", "ServiceName": "fulfillment-worker"}
    scn.alarm("fulfillment-worker-memory-high", "AWS/ECS", "MemoryUtilization", d, "Maximum", 300, 2, 90, state="ALARM",
              description="fulfillment-worker task memory above 90 %")
    expect = {"alarm": "fulfillment-worker-memory-high",
              "root_cause": {"category": "memory_exhaustion", "resource": ["fulfillment/fulfillment-worker", "fulfillment-worker"]},
              "anomalies": [{"namespace": "AWS/ECS", "name": "MemoryUtilization", "dimensions": d}]}
    meta = {"slug": "fulfillment-worker-memory", "alarm": "fulfillment-worker-memory-high", "where": "origin",
            "decoys": ["label-printer deploy 30 min ago (the most recent change) with its own brief CPU bump",
                       "constant ERROR 'Carrier API returned 503 ... retrying' on the same worker",
                       "fulfillment-worker's own deploy 4 h 33 min earlier, stable for hours"],
            "story": ("A wholesale customer's bulk orders (3,800-6,200 lines each) started arriving 72 min ago. The Java 21 "
                      "fulfillment-worker expands whole manifests in memory; heap use climbs on every task, G1 falls back to "
                      "multi-second Full GCs, and each task ends with java.lang.OutOfMemoryError: Java heap space and "
                      "'Terminating due to java.lang.OutOfMemoryError' (ExitOnOutOfMemoryError); ECS starts a replacement that "
                      "picks up the queued bulk orders and fills up again within about ten minutes (a dozen OOM exits in 45 min). "
                      "Task memory sits at 90-99 % and the memory alarm fires on the service itself. "
                      "CPU rises only from GC work and never pins. The label-printer deploy is a different service, and the "
                      "carrier 503 errors are as frequent as before. Judgement: memory_exhaustion of fulfillment-worker.")}
    return scn, expect, meta


# ------------------------------------------------------------------ h55-08
def s08():
    region = "eu-west-2"
    scn = Scenario("event-recorder-errors", region, 5508, "Clickstream events not being stored; event-recorder Errors alarm.")
    rng = scn.rng
    host = "events-db.cz3hq8wd2m1n.eu-west-2.rds.amazonaws.com"
    full_t = -1750
    free = lambda t: max(0.22 * GIB, (31.0 * GIB) * (full_t - t) / (full_t + 21600)) if t < full_t else 0.22 * GIB  # noqa: E731
    is_full = lambda t: t >= full_t   # noqa: E731
    dep = -7800
    scn.resource("rds", "events-db", engine="postgres", engine_version="16.1", instance_class="db.m6i.large", max_connections=400,
                 allocated_storage_gb=200, max_allocated_storage_gb=None, storage_type="gp3", endpoint=host)
    scn.resource("rds", "crm-db", engine="postgres", engine_version="15.4", instance_class="db.t4g.large", max_connections=200,
                 allocated_storage_gb=100)
    scn.resource("lambda", "event-recorder", runtime="python3.12", timeout=30, memory_size=512, handler="recorder.handler",
                 event_source="sqs:clickstream-events", environment={"DB_HOST": host, "DB_NAME": "events"})

    exc = ('psycopg2.errors.DiskFull: could not extend file "base/16402/91234.17": No space left on device\n'
           "HINT:  Check free disk space.")

    def rec(rng_, t, r):
        n = rng_.randint(20, 100)
        lines = [(5, fmt.py("INFO", t + 0.005, r, f"Received batch of {n} events from clickstream-events"))]
        if rng_.random() < 0.05:
            lines.append((20, fmt.py("WARNING", t + 0.02, r, f"Duplicate event id evt_{rng_.randint(10**9, 10**10)}, skipping")))
        if is_full(t):
            lines.append((60, fmt.py_unhandled(t, r, exc, [
                '  File "/var/task/recorder.py", line 48, in handler\n    execute_values(cur, INSERT_SQL, rows, page_size=500)',
                '  File "/var/task/psycopg2/extras.py", line 1299, in execute_values\n    cur.execute(b\'\'.join(parts))'])))
            return rng_.uniform(55, 90), rng_.randint(110, 125), "error", lines
        d = rng_.uniform(60, 180)
        lines.append((d - 2, fmt.py("INFO", t + d / 1000, r, f"Inserted {n} events into events.raw_events")))
        return d, rng_.randint(110, 130), "ok", lines
    rate = lambda t: 26 * morning(t) * (1.6 if is_full(t) else 1.0)   # noqa: E731 - SQS redelivers failed batches
    lam.simulate(scn, "event-recorder", memory=512, timeout_s=30, handler=rec, rate=rate, streams=3, recycle=(dep,))

    slot_lag = lambda t: 0.4 * GIB + (30.0 * GIB) * min(1.0, (t + 21600) / (full_t + 21600))   # noqa: E731
    blocks.rds(scn, "events-db", cpu=series(rng, lambda t: 14 * morning(t) + 4, 0.08),
               conns=series(rng, lambda t: 22 + 30 * morning(t), 0.06, integer=True),
               free_storage=series(rng, free, 0.002), freeable_mem=series(rng, lambda t: 4.6 * GIB, 0.01),
               extra={("TransactionLogsDiskUsage", "Bytes"): series(rng, slot_lag, 0.003),
                      ("OldestReplicationSlotLag", "Bytes"): series(rng, slot_lag, 0.003),
                      ("WriteIOPS", "Count/Second"): series(rng, lambda t: (340 * morning(t)) * (0.15 if is_full(t) else 1), 0.08)})
    blocks.rds(scn, "crm-db", cpu=series(rng, lambda t: 9, 0.1), conns=series(rng, lambda t: 18, 0.1, integer=True),
               free_storage=series(rng, lambda t: 61 * GIB, 0.0005), freeable_mem=series(rng, lambda t: 3.2 * GIB, 0.01))

    pg = lam.periodic(rng, -21600, -1, 300, lambda t: fmt.pg(t, "LOG", f"checkpoint complete: wrote {rng.randint(2000, 6000)} buffers "
                                                                         f"({rng.uniform(1, 4):.1f}%); 0 WAL file(s) added, 0 removed, 0 recycled", pid=377))
    pg += lam.periodic(rng, -21600, full_t, 900, lambda t: fmt.pg(t, "LOG", "checkpoint starting: time", pid=377))
    cli = lambda: f"10.3.{rng.randint(1, 9)}.{rng.randint(2, 250)}({rng.randint(40000, 65000)})"   # noqa: E731
    pg += svc.sampled(rng, full_t, -1, lambda t: 26 * morning(t) * 1.6, lambda t: fmt.pg(
        t, "ERROR", 'could not extend file "base/16402/91234.17": No space left on device\nHINT:  Check free disk space.\n'
                    "STATEMENT:  INSERT INTO raw_events (id, ts, session_id, kind, payload) VALUES ...",
        client=cli(), user="recorder", db="events", pid=rng.randint(1000, 40000)))
    pg += svc.sampled(rng, full_t, -1, 0.4, lambda t: fmt.pg(t, "LOG", 'could not write to file "pg_wal/xlogtemp.%d": No space left on device' % rng.randint(1000, 9999), pid=377))
    scn.log("/aws/rds/instance/events-db/postgresql", "events-db.0", pg)

    scn.change(-3000, "rds.amazonaws.com", "ModifyDBInstance", "AWS::RDS::DBInstance", "crm-db", "lucy.hart")
    scn.change(dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "event-recorder", "ci-deployer")
    scn.change(dep + 15, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "event-recorder", "ci-deployer")

    d = {"FunctionName": "event-recorder"}
    scn.alarm("event-recorder-errors", "AWS/Lambda", "Errors", d, "Sum", 60, 3, 10, state="ALARM", description="event-recorder Lambda errors")
    scn.alarm("events-db-free-storage-low", "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": "events-db"}, "Minimum", 300, 1,
              10 * GIB, comparison="LessThanThreshold", state="ALARM", description="events-db free storage below 10 GiB (ticket only)")
    expect = {"alarm": "event-recorder-errors",
              "root_cause": {"category": "storage_exhaustion", "resource": ["events-db"]},
              "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": "events-db"}},
                            {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": d}]}
    meta = {"slug": "event-recorder-errors", "alarm": "event-recorder-errors", "where": "front (writer Lambda)",
            "decoys": ["ModifyDBInstance on crm-db (another database) 50 min ago",
                       "event-recorder deploy 2 h 10 min ago, clean for 100 min",
                       "constant 'Duplicate event id' warnings"],
            "story": ("events-db (PostgreSQL 16, 200 GB gp3, no storage autoscaling) has been losing free space all morning: "
                      "TransactionLogsDiskUsage and OldestReplicationSlotLag grow in step - WAL kept for a replication slot "
                      "nobody consumes. FreeStorageSpace reached ~0 29 min ago (the ticket-only storage alarm had been in ALARM "
                      "for hours). Since then every INSERT fails with 'could not extend file ... No space left on device', "
                      "event-recorder raises psycopg2.errors.DiskFull and the Errors alarm pages. CPU, connections and memory "
                      "are normal. The crm-db modification is another instance; the recorder deploy ran cleanly for 100 min. "
                      "Judgement: storage_exhaustion at events-db.")}
    return scn, expect, meta
