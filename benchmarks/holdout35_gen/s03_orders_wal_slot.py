"""h35-03: an inactive logical replication slot on RDS PostgreSQL retains WAL for the whole day;
FreeStorageSpace drains until writes fail with DiskFull. Slow burn, alarm on a front Lambda."""
import datetime as dt

from .lib import (Scenario, LambdaLog, lambda_metrics, stream_name, first_breach, rds_dims, ecs_dims,
                  GIB, clamp)

FILE = "h35-03-orders-rds-wal-slot.yaml"
DB = "orders-pg"
FN = "order-status-webhook"
META = {
    "file": FILE, "region": "us-west-2", "alarm": "order-status-webhook-errors",
    "category": "storage_exhaustion", "resources": [DB], "where": "front (Lambda writer)", "shape": "slow",
    "decoys": "AWS Backup snapshot of orders-pg 4 h before; order-export-csv code deploy 2 h before; "
              "steady 401 signature-mismatch ERROR lines in the webhook all day",
    "story": (
        "orders-pg (PostgreSQL 15, 200 GB gp3, storage autoscaling off) has a logical replication slot "
        "whose consumer stopped before the window: TransactionLogsDiskUsage, ReplicationSlotDiskUsage and "
        "OldestReplicationSlotLag grow all day at the normal WAL generation rate, checkpoints log "
        "`0 removed, 0 recycled` WAL files, and FreeStorageSpace falls from ~72 GB to ~0 over 12 h. About "
        "20 minutes ago Postgres starts failing writes (`could not extend file ... No space left on device`, "
        "one `PANIC: could not write to file \"pg_wal/xlogtemp...\"` and a crash-recovery cycle); the "
        "order-status-webhook Lambda and the order-writer ECS service raise psycopg `DiskFull`. CPU, "
        "connections and latency were normal until then. The snapshot is a backup (it does not use instance "
        "storage), the export deploy is another function, and the 401 signature errors are constant. Label: "
        "storage_exhaustion on orders-pg."),
}


def build():
    now = dt.datetime(2026, 2, 17, 21, 5, tzinfo=dt.timezone.utc)
    s = Scenario("h35-03-orders-rds-wal-slot", "us-west-2",
                 "Order status webhooks failing with 5xx to carriers; webhook Lambda Errors alarm fired.",
                 seed=3503, now=now, window_h=12, tz_offset_h=-8)
    s.resource("rds", DB, engine="postgres", engine_version="15.5", instance_class="db.r6g.large",
               allocated_storage_gb=200, storage_type="gp3", storage_autoscaling=False, max_connections=800,
               multi_az=True, log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    s.resource("lambda", FN, runtime="python3.12", timeout=15, memory_size=512)
    s.resource("lambda", "order-export-csv", runtime="python3.12", timeout=300, memory_size=1024)
    s.resource("ecs", "orders/order-writer", cluster="orders", service="order-writer", launch_type="FARGATE",
               desired_count=3, log_groups=["/ecs/order-writer"])

    mins = list(range(s.start, 0, 60))
    walrate = {t: (0.95 + 1.35 * s.diurnal(t, 0.2, 13)) * 1.0e6 * (1 + s.g(0, 0.06)) for t in mins}
    full_at = -21 * 60
    target_free = 72.4 * GIB
    scale = (target_free - 0.25 * GIB) / sum(walrate[t] * 60 for t in mins if t < full_at)
    free, tldu = {}, {}
    f, w = target_free, 31.6 * GIB
    for t in mins:
        if t < full_at:
            f -= walrate[t] * 60 * scale
            w += walrate[t] * 60 * scale
        else:
            f = 0.13 * GIB + s.rng.random() * 0.05 * GIB
        free[t] = max(f, 0.1 * GIB)
        tldu[t] = w
    is_full = {t: t >= full_at for t in mins}
    d = rds_dims(DB)
    s.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", lambda t: free[t], nd=0)
    s.metric("AWS/RDS", "TransactionLogsDiskUsage", d, "Bytes", lambda t: tldu[t], nd=0)
    s.metric("AWS/RDS", "ReplicationSlotDiskUsage", d, "Bytes", lambda t: tldu[t] - 1.9 * GIB, nd=0)
    s.metric("AWS/RDS", "OldestReplicationSlotLag", d, "Bytes", lambda t: tldu[t] - 2.0 * GIB, nd=0)
    s.metric("AWS/RDS", "TransactionLogsGeneration", d, "Bytes/Second",
             lambda t: walrate[t] * scale if not is_full[t] else 2.0e4, nd=0)
    s.metric("AWS/RDS", "CPUUtilization", d, "Percent",
             lambda t: (18 + 20 * s.diurnal(t, 0.2, 13) + s.g(0, 2)) * (0.5 if is_full[t] else 1))
    s.metric("AWS/RDS", "DatabaseConnections", d, "Count",
             lambda t: 196 + s.rng.randint(-6, 6) + (35 if is_full[t] else 0), nd=0)
    s.metric("AWS/RDS", "WriteIOPS", d, "Count/Second",
             lambda t: (420 + 900 * s.diurnal(t, 0.2, 13)) * (1 + s.g(0, 0.05)) * (0.15 if is_full[t] else 1))
    s.metric("AWS/RDS", "ReadLatency", d, "Seconds", lambda t: 0.0009 + abs(s.g(0, 0.0002)), nd=5)
    s.metric("AWS/RDS", "WriteLatency", d, "Seconds",
             lambda t: 0.0014 + abs(s.g(0, 0.0003)) + (0.004 if is_full[t] else 0), nd=5)
    s.metric("AWS/RDS", "FreeableMemory", d, "Bytes", lambda t: 4.1e9 + s.g(0, 6e7), nd=0)

    inv = {t: s.pois(64 * s.diurnal(t, 0.25, 13)) for t in mins}
    err = {t: (s.pois(inv[t] * 0.86) if is_full[t] else 0) for t in mins}
    lambda_metrics(s, FN, lambda t: inv[t], lambda t: min(err[t], inv[t]), lambda t: 0,
                   lambda t: (210 + s.g(0, 20)) if not is_full[t] else 160 + s.g(0, 20),
                   lambda t: max(1, round(inv[t] * 0.21 / 60 + 1)))
    ex_dep = -2 * 3600
    lambda_metrics(s, "order-export-csv", lambda t: 1 if t % 900 == 0 else None,
                   lambda t: 0 if t % 900 == 0 else None, lambda t: 0 if t % 900 == 0 else None,
                   lambda t: (41000 + s.g(0, 3000)) if t % 900 == 0 else None, lambda t: 1 if t % 900 == 0 else None)
    e = ecs_dims("orders", "order-writer")
    s.metric("AWS/ECS", "CPUUtilization", e, "Percent", lambda t: 21 + 14 * s.diurnal(t, 0.2, 13) + s.g(0, 2))
    s.metric("AWS/ECS", "MemoryUtilization", e, "Percent", lambda t: 38 + s.g(0, 0.8))

    # ---- postgres log -----------------------------------------------------------------------------
    def pg(t, who, pid, level, msg):
        return (t, f"{s.stamp(t, '%Y-%m-%d %H:%M:%S')} UTC:{who}:[{pid}]:{level}:  {msg}")

    ev = []
    t = s.start + 17
    while t < 0:
        if t < full_at:
            ev.append(pg(t, "@", 412, "LOG", "checkpoint starting: time"))
            bufs = int(4000 + 9000 * s.diurnal(t, 0.2, 13) * (1 + s.g(0, 0.1)))
            walf = int(walrate[int(t - t % 60)] * scale * 300 / 16777216)
            ev.append(pg(t + 269.9, "@", 412, "LOG",
                         f"checkpoint complete: wrote {bufs} buffers ({bufs / 131072 * 100:.1f}%); {walf} WAL file(s) "
                         f"added, 0 removed, 0 recycled; write={269.8 + s.rng.random() * 0.2:.3f} s, "
                         f"sync={s.rng.random() * 0.03:.3f} s, total={269.9 + s.rng.random() * 0.2:.3f} s; "
                         f"sync files={s.rng.randint(40, 90)}, longest=0.004 s, average=0.001 s; "
                         f"distance={walf * 16384} kB, estimate={walf * 16384 + 2048} kB; lsn=5C/{s.hexid(8).upper()}, "
                         f"redo lsn=5C/{s.hexid(8).upper()}"))
        t += 300
    for t in s.times(lambda t: 0.35, end=full_at):
        tbl = s.pick(["order_events", "order_status_history", "shipments", "outbox"])
        ev.append(pg(t, "@", s.rng.randint(20000, 32000), "LOG",
                     f"automatic vacuum of table \"orders.public.{tbl}\": index scans: 1\n\tpages: 0 removed, "
                     f"{s.rng.randint(40000, 90000)} remain, {s.rng.randint(500, 4000)} scanned\n\ttuples: "
                     f"{s.rng.randint(2000, 30000)} removed, {s.rng.randint(10 ** 6, 9 * 10 ** 6)} remain, 0 are dead "
                     f"but not yet removable\n\tavg read rate: 0.412 MB/s, avg write rate: 0.377 MB/s"))
    for t in s.times(lambda t: 0.12, end=full_at):
        ev.append(pg(t, f"{s.ip('10.20')}({s.rng.randint(30000, 60000)}):orders_app@orders", s.rng.randint(20000, 32000),
                     "LOG", f"duration: {1000 + s.rng.random() * 900:.3f} ms  execute <unnamed>: SELECT o.id, o.status "
                            "FROM orders o JOIN shipments s ON s.order_id = o.id WHERE s.carrier_ref = $1"))
    rel = ["base/16401/2930871", "base/16401/2930874", "base/16401/2931102", "base/16401/2930871.1"]
    for t in s.times(lambda t: 24, start=full_at + 30):
        pid = s.rng.randint(20000, 32000)
        who = f"{s.ip('10.20')}({s.rng.randint(30000, 60000)}):orders_app@orders"
        ev.append(pg(t, who, pid, "ERROR", f"could not extend file \"{s.pick(rel)}\": No space left on device"))
        ev.append(pg(t + 0.0005, who, pid, "HINT", "Check free disk space."))
        ev.append(pg(t + 0.001, who, pid, "STATEMENT", "INSERT INTO order_status_history (order_id, status, source, "
                                                       "created_at) VALUES ($1, $2, $3, now())"))
    pt = full_at + 340
    ev.append(pg(pt, "@", 23817, "PANIC", "could not write to file \"pg_wal/xlogtemp.23817\": No space left on device"))
    ev.append(pg(pt + 0.4, "@", 398, "LOG", "WAL writer process (PID 23817) was terminated by signal 6: Aborted"))
    ev.append(pg(pt + 0.41, "@", 398, "LOG", "terminating any other active server processes"))
    ev.append(pg(pt + 1.2, "@", 398, "LOG", "all server processes terminated; reinitializing"))
    ev.append(pg(pt + 1.9, "@", 24410, "LOG", "database system was interrupted; last known up at "
                                                f"{s.stamp(pt - 200, '%Y-%m-%d %H:%M:%S')} UTC"))
    for k in range(6):
        ev.append(pg(pt + 2.5 + k * 3, f"{s.ip('10.20')}({s.rng.randint(30000, 60000)}):orders_app@orders",
                     s.rng.randint(24411, 24600), "FATAL", "the database system is in recovery mode"))
    ev.append(pg(pt + 24.6, "@", 24410, "LOG", "redo done at 5C/E1FFF3A8 system usage: CPU: user: 1.81 s, system: "
                                                "0.42 s, elapsed: 21.77 s"))
    ev.append(pg(pt + 25.1, "@", 398, "LOG", "database system is ready to accept connections"))
    s.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)

    # ---- webhook lambda -----------------------------------------------------------------------
    ll = LambdaLog(s, 512, runtime="python")
    ev = []
    for t in s.times(lambda t: 7 * s.diurnal(t, 0.25, 13), start=-5 * 3600):
        oid = f"ord_{s.rng.randint(10 ** 7, 10 ** 8 - 1)}"
        st = s.pick(["in_transit", "out_for_delivery", "delivered", "exception"])
        body = [(0.003, "info", f"carrier webhook {s.pick(['ups', 'fedex', 'usps', 'ontrac'])} order={oid} status={st}")]
        full = t >= full_at + 20
        if s.rng.random() < 0.05:
            body.append((0.02, "error", f"signature mismatch for partner=shipfast key_id=k_{s.hexid(6)} (returning 401)"))
            _, blk = ll.invoke(t, 25 + s.rng.random() * 10, 92, body)
        elif full and s.rng.random() < 0.88:
            _, blk = ll.invoke(t, 120 + s.rng.random() * 60, 95, body, after_end=[
                f"[ERROR] DiskFull: could not extend file \"{s.pick(rel)}\": No space left on device\nHINT:  Check free "
                "disk space.\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 71, in handler\n"
                "    repo.record_status(order_id, status, source=carrier)\n  File \"/var/task/orders/repo.py\", line 38, "
                "in record_status\n    cur.execute(INSERT_STATUS, (order_id, status, source))\n  File \"/var/lang/lib/"
                "python3.12/site-packages/psycopg/cursor.py\", line 732, in execute\n    raise ex.with_traceback(None)"])
        else:
            body.append((0.15, "info", f"order {oid} status updated -> {st}"))
            _, blk = ll.invoke(t, 180 + s.rng.random() * 70, 94, body)
        ev.extend(blk)
    s.log(f"/aws/lambda/{FN}", stream_name(s, -5 * 3600), ev)

    ev = []
    for t in s.times(lambda t: 6 * s.diurnal(t, 0.2, 13), start=-5 * 3600):
        if t >= full_at + 15 and s.rng.random() < 0.85:
            ev.append((t, '{"ts":"%s","level":"ERROR","logger":"order_writer.repo","msg":"insert failed, will retry",'
                          '"order_id":"ord_%d","exc":"psycopg.errors.DiskFull: could not extend file \\"%s\\": No space '
                          'left on device"}' % (s.iso(t), s.rng.randint(10 ** 7, 10 ** 8 - 1), s.pick(rel))))
        else:
            ev.append((t, '{"ts":"%s","level":"INFO","logger":"order_writer.consumer","msg":"order persisted",'
                          '"order_id":"ord_%d","lines":%d}' % (s.iso(t), s.rng.randint(10 ** 7, 10 ** 8 - 1),
                                                             s.rng.randint(1, 7))))
    s.log("/ecs/order-writer", f"order-writer/order-writer/{s.hexid(32)}", ev)

    s.change(-4 * 3600 + 120, "rds.amazonaws.com", "CreateDBSnapshot", "AWS::RDS::DBInstance", DB,
             "AWSBackupDefaultServiceRole")
    s.change(ex_dep, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function",
             "order-export-csv", "ci-deployer")
    when = first_breach({t: min(err[t], inv[t]) for t in mins}, 60, 3, 10, ">")
    s.alarm("order-status-webhook-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 60, 3, 10,
            "GreaterThanThreshold", "ALARM", "Threshold Crossed: 3 datapoints were greater than the threshold (10.0).",
            min(when or -900, -60), description="Carrier webhook handler errors")
    s.expect = {"alarm": "order-status-webhook-errors",
                "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
                "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": d},
                              {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}]}
    return s
