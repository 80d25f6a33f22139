"""h21-13 (Aurora MySQL writer CPU pinned, caller Lambda alarm) and h21-14 (EC2 data disk full)."""
from __future__ import annotations

from .common import (LogSink, Rng, alarm, change, diurnal, iso, lambda_invocations, lambda_stream, metric, ramp, scenario, series, times, wall)
from .kits import GB, ec2_set, lambda_set, rds_set


# ----------------------------------------------------------------------------- 13
def s13():
    rng = Rng(2113)
    region = "ap-northeast-2"
    cluster, w, r = "catalog-aurora", "catalog-aurora-instance-1", "catalog-aurora-instance-2"
    fn = "product-search"
    t_bi = -3000
    sink = LogSink()
    slow, errlog = f"/aws/rds/cluster/{cluster}/slowquery", f"/aws/rds/cluster/{cluster}/error"
    log_start = -7200

    def pressure(t):
        return ramp(t, t_bi, t_bi + 240)

    def slowq(t, user, ip, cid, qt, rows_sent, rows_ex, sql):
        sink.add(slow, w, t, f"# Time: {iso(t)[:-1]}{rng.randint(100, 999)}Z\n# User@Host: {user}[{user}] @  [{ip}]  Id: {cid}\n"
                             f"# Query_time: {qt:.6f}  Lock_time: {rng.uniform(0.00001, 0.0001):.6f} Rows_sent: {rows_sent}  Rows_examined: {rows_ex}\n"
                             f"SET timestamp={int(wall(t).timestamp())};\n{sql}")

    bi_sql = ("SELECT p.category_id, DATE(o.created_at) AS d, SUM(oi.quantity * oi.unit_price) AS revenue, COUNT(DISTINCT o.customer_id) AS buyers "
              "FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN products p ON p.id = oi.product_id "
              "WHERE o.created_at >= NOW() - INTERVAL 90 DAY GROUP BY p.category_id, d ORDER BY d DESC;")
    for m in range(t_bi, 0, 60):  # the BI dashboard refreshes every minute; 6 cards = 6 heavy queries
        for k in range(6):
            t = m + 45 + k * 2 + rng.uniform(0, 1)
            if t < 0:
                slowq(t, "bi_reader", "10.60.4.21", 81200 + (m - t_bi) // 10 + k, rng.uniform(38, 71), rng.randint(300, 900),
                      rng.randint(16000000, 19000000), bi_sql)
    for m in range(log_start, 0, 60):
        if rng.random() < 0.15:  # pre-existing slow-ish admin query, constant
            slowq(m + rng.uniform(0, 59), "catalog_admin", "10.60.2.14", rng.randint(70000, 79999), rng.uniform(2.1, 2.9), 1, rng.randint(800000, 900000),
                  "SELECT COUNT(*) FROM products WHERE updated_at > NOW() - INTERVAL 1 DAY;")
        if m >= t_bi + 240:
            for _ in range(rng.poisson(3)):
                t = m + rng.uniform(0, 59)
                sink.add(errlog, w, t, f"{iso(t)[:-1]}456Z {rng.randint(81000, 89000)} [Note] [MY-010914] [Server] Aborted connection "
                                       f"{rng.randint(81000, 89000)} to db: 'catalog' user: 'search_app' host: '10.60.{rng.randint(8, 11)}.{rng.randint(5, 250)}' "
                                       f"(Got an error writing communication packets).")
    streams = [(lambda_stream(rng, -30000), -30000, 1) for _ in range(4)] + [(lambda_stream(rng, -2500), -2600, 1) for _ in range(3)]

    def body(rr, t, rid):
        term = rr.choice(["rice cooker", "air fryer", "usb-c hub", "running shoes", "hanbok", "kimchi fridge", "gaming chair", "tumbler"])
        p = pressure(t)
        q_ms = rr.uniform(8, 30) * (1 + 220 * p * rr.uniform(0.5, 1.5))
        out = [(0.003, f"[INFO]\t{iso(t)}\t{rid}\tsearch q={term!r} page=1 lang=ko")]
        if rr.random() < 0.04:
            out.append((0.01, f"[WARNING]\t{iso(t + 0.01)}\t{rid}\tno synonyms configured for {term!r}"))
        if q_ms > 5000:
            out.append((5.02, f"[ERROR] OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')\n"
                              "Traceback (most recent call last):\n  File \"/var/task/handler.py\", line 38, in handler\n    rows = repo.search(term, limit=24)\n"
                              "  File \"/var/task/search/repo.py\", line 71, in search\n    cur.execute(SEARCH_SQL, (term, term, limit))\n"
                              "  File \"/var/task/pymysql/cursors.py\", line 153, in execute\n    result = self._query(query)\n"
                              "  File \"/var/task/pymysql/connections.py\", line 775, in _read_packet\n    packet_header = self._read_bytes(4)\n"
                              "  File \"/var/task/pymysql/connections.py\", line 729, in _read_bytes\n"
                              "    raise err.OperationalError(\npymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query (timed out)')"))
            return out, 5030 + rr.uniform(0, 40), rr.randint(96, 110), "error"
        out.append((q_ms / 1000 + 0.01, f"[INFO]\t{iso(t + q_ms / 1000)}\t{rid}\t{rr.randint(0, 24)} results in {q_ms:.0f} ms"))
        return out, q_ms + 15, rr.randint(96, 110), None

    stats = lambda_invocations(rng, sink, f"/aws/lambda/{fn}", streams, lambda m: rng.poisson(38 * diurnal(m, 0.1, 13)), body, 512, log_start)
    metrics = lambda_set(rng, fn, inv=lambda t: 38 * diurnal(t, 0.1, 13), err=lambda t: 0.0, dur=lambda t: 35,
                         conc=lambda t: 1 + 3 * pressure(t), stats=stats)
    metrics += rds_set(rng, w, cpu=lambda t: 23 * diurnal(t, 0.1, 13) + 76 * pressure(t), conns=lambda t: 46 + 14 * pressure(t),
                       free_storage_gb=None, freeable_mem_gb=lambda t: 5.8 - 0.6 * pressure(t),
                       read_lat=lambda t: 0.0009 + 0.004 * pressure(t),
                       extra=[("SelectLatency", "Milliseconds", lambda t: (0.6 + 90 * pressure(t)) * rng.uniform(0.8, 1.2), 3),
                              ("FreeLocalStorage", "Bytes", lambda t: (29.5 - 3.5 * pressure(t)) * GB, 0),
                              ("DBLoadCPU", "Count", lambda t: (0.4 + 5.6 * pressure(t)) * rng.uniform(0.9, 1.1), 2)])
    metrics += rds_set(rng, r, cpu=lambda t: 14 * diurnal(t, 0.1, 13), conns=lambda t: 12, free_storage_gb=None, freeable_mem_gb=lambda t: 6.2,
                       extra=[("AuroraReplicaLag", "Milliseconds", lambda t: (19 + (340 if -12300 <= t < -12000 else 0)) * rng.uniform(0.8, 1.2), 1)])
    metrics.append(metric("AWS/RDS", "VolumeBytesUsed", {"DBClusterIdentifier": cluster}, "Bytes",
                          series(times(), lambda t: 182.4 * GB + (t + 21600) * 1500, nd=0)))
    metrics += lambda_set(rng, "cart-sync", inv=lambda t: 22, err=lambda t: 0.0, dur=lambda t: 120 if t < -3600 else 112, conc=lambda t: 1)
    resources = [
        {"type": "rds", "id": w, "properties": {"engine": "aurora-mysql", "engine_version": "8.0.mysql_aurora.3.05.2", "cluster": cluster,
                                                "role": "writer", "instance_class": "db.r6g.large", "vcpu": 2, "max_connections": 1000}},
        {"type": "rds", "id": r, "properties": {"engine": "aurora-mysql", "engine_version": "8.0.mysql_aurora.3.05.2", "cluster": cluster,
                                                "role": "reader", "instance_class": "db.r6g.large", "vcpu": 2}},
        {"type": "lambda", "id": fn, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512,
                                                    "environment": {"DB_HOST": f"{cluster}.cluster-cq8ab2xk1t4z.ap-northeast-2.rds.amazonaws.com",
                                                                    "DB_READ_TIMEOUT": "5"}}},
        {"type": "lambda", "id": "cart-sync", "properties": {"runtime": "python3.12", "timeout": 30, "memory_size": 256}},
    ]
    changes = [change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", "cart-sync", "argo-deployer"),
               change(-3590, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", "cart-sync", "argo-deployer"),
               change(-17000, "rds.amazonaws.com", "CreateDBClusterSnapshot", "AWS::RDS::DBCluster", cluster, "backup-automation")]
    alarms = [alarm("product-search-errors", "AWS/Lambda", "Errors", {"FunctionName": fn}, "Sum", 300, 2, 15, "GreaterThanThreshold", -2580,
                    description="Product search Lambda errors")]
    doc = scenario("h21-13-catalog-aurora-writer-cpu",
                   "Product search failing or very slow in the Korean storefront; product-search Errors alarm.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "product-search-errors",
                    "root_cause": {"category": "cpu_saturation", "resource": [w, cluster]},
                    "anomalies": [{"namespace": "AWS/RDS", "name": "CPUUtilization", "dimensions": {"DBInstanceIdentifier": w}}]})
    meta = {"placement": "front (caller Lambda)",
            "decoys": "cart-sync deploy 10 min before onset; reader replica-lag blip hours earlier; old cluster snapshot; constant slow admin COUNT(*)",
            "story": "At -50 min a BI dashboard (user bi_reader) started refreshing six 90-day revenue aggregations every minute "
                     "against the writer endpoint: the slow query log shows each one running 40-70 s over ~18 M rows. The writer's "
                     "CPU goes from ~23 % to ~99 % (DBLoadCPU ~6 on 2 vCPUs); product-search's queries slow from ~20 ms to > 5 s and "
                     "hit the 5 s pymysql read timeout (error 2013). The reader, storage and connections are fine. The database "
                     "dependency is itself exhausted, so this is cpu_saturation, origin the Aurora writer (cluster catalog-aurora)."}
    return doc, meta


# ----------------------------------------------------------------------------- 14
def s14():
    rng = Rng(2114)
    region = "us-east-2"
    w1, w2 = "i-0a1f2e3d4c5b6a798", "i-0b2c3d4e5f6a7b809"
    t_job, t_full = -14400, -1740
    sink = LogSink()
    ts5 = times(step_s=300)

    def disk1(t):
        return min(100.0, 73.6 + 26.4 * max(0.0, (t - t_job)) / (t_full - t_job)) if t < t_full else 100.0

    def jl(iid, t, level, thread, logger, msg):
        w_ = wall(t)
        sink.add("/ingest/worker", iid, t, f"{w_.strftime('%Y-%m-%d %H:%M:%S')},{int(w_.microsecond / 1000):03d} {level:<5} [{thread}] {logger} - {msg}")

    ck = 790
    jl(w1, t_job + 3, "INFO", "scheduler-1", "c.a.ingest.reprocess.ReprocessJob", "reprocess job RJ-2211 started: range=2026-08-01..2026-10-31 partitions=412 checkpointDir=/data/tmp")
    for m in range(-7200, 0, 60):
        for iid in (w1, w2):
            full = iid == w1 and m >= t_full
            n = rng.poisson(9) if not full else 0
            for _ in range(n):
                t = m + rng.uniform(0, 59)
                jl(iid, t, "INFO", f"ingest-pool-{rng.randint(1, 8)}", "c.a.ingest.BatchProcessor",
                   f"batch {rng.hexid(12)} source=s3://acme-ingest-landing/{rng.choice(['pos', 'web', 'partner'])}/ records={rng.randint(2000, 9000)} "
                   f"written={rng.randint(1990, 8990)} in {rng.randint(400, 2200)} ms")
            if full:
                for _ in range(rng.poisson(6)):
                    t = m + rng.uniform(0, 59)
                    jl(iid, t, "ERROR", f"ingest-pool-{rng.randint(1, 8)}", "c.a.ingest.ChunkWriter",
                       f"failed to spill batch {rng.hexid(12)} to /data/spool\njava.io.IOException: No space left on device\n"
                       "\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)\n"
                       "\tat java.base/sun.nio.ch.FileDispatcherImpl.write(FileDispatcherImpl.java:62)\n"
                       "\tat java.base/sun.nio.ch.IOUtil.writeFromNativeBuffer(IOUtil.java:132)\n"
                       "\tat java.base/sun.nio.ch.FileChannelImpl.write(FileChannelImpl.java:285)\n"
                       "\tat com.acme.ingest.spool.ChunkWriter.spill(ChunkWriter.java:97)\n"
                       "\tat com.acme.ingest.BatchProcessor.process(BatchProcessor.java:144)")
                if rng.random() < 0.3:
                    jl(iid, m + rng.uniform(0, 59), "WARN", "sqs-poller-1", "c.a.ingest.SqsPoller",
                       "visibility timeout expired for 10 messages; returning to queue after processing failure")
            if rng.random() < 0.4:  # pre-existing on both hosts
                jl(iid, m + rng.uniform(0, 59), "WARN", f"ingest-pool-{rng.randint(1, 8)}", "c.a.ingest.schema.SchemaMapper",
                   "schema drift: unknown field 'ext_ref' in partner feed ignored")
        if m % 300 == 0 and m < t_full:
            ck += 1
            jl(w1, m + 12, "INFO", "reprocess-1", "c.a.ingest.reprocess.ReprocessJob",
               f"wrote checkpoint /data/tmp/ckpt-{ck:06d}.bin ({rng.randint(600, 640)} MB), partition {ck - 780}/412")
        if m % 300 == 0 and m >= t_full:
            jl(w1, m + 12, "ERROR", "reprocess-1", "c.a.ingest.reprocess.ReprocessJob",
               f"checkpoint ckpt-{ck + 1:06d}.bin failed: java.io.IOException: No space left on device; retrying in 300 s")
        if m % 900 == 0:
            for iid in (w1, w2):
                sink.add("/var/log/messages", iid, m + 4, f"{wall(m + 4).strftime('%b %d %H:%M:%S')} ip-10-70-{1 if iid == w1 else 2}-41 amazon-cloudwatch-agent[1302]: "
                                                         f"{iso(m + 4)[:-5]}Z I! [outputs.cloudwatch] flushed metrics")
    metrics = ec2_set(rng, w1, ts=ts5, cw_ts=times(), cpu=lambda t: 52 * diurnal(t, 0.1, 2) if t < t_full else 6, mem=lambda t: 64 if t < t_full else 58,
                      disk=disk1, disk_path="/data", net_in=lambda t: 4.1e8 if t < t_full else 2e6)
    metrics += ec2_set(rng, w2, ts=ts5, cw_ts=times(), cpu=lambda t: 49 * diurnal(t, 0.1, 2) + (41 if -6300 <= t < -5400 else 0), mem=lambda t: 63,
                       disk=lambda t: 41.2, disk_path="/data", net_in=lambda t: 4.0e8)
    for iid, v in ((w1, 38.5), (w2, 37.9)):
        metrics.append(metric("CWAgent", "disk_used_percent", {"InstanceId": iid, "path": "/", "fstype": "xfs"}, "Percent",
                              series(times(), lambda t: v + rng.uniform(-0.03, 0.03))))
    metrics += lambda_set(rng, "ingest-dlq-replayer", inv=lambda t: 0.5, err=lambda t: 0.0, dur=lambda t: 900, conc=lambda t: 1)
    resources = [
        {"type": "ec2", "id": w1, "properties": {"name": "ingest-worker-1", "instance_type": "c6i.xlarge", "data_volume_gb": 100,
                                                 "log_groups": ["/ingest/worker", "/var/log/messages"]}},
        {"type": "ec2", "id": w2, "properties": {"name": "ingest-worker-2", "instance_type": "c6i.xlarge", "data_volume_gb": 100,
                                                 "log_groups": ["/ingest/worker", "/var/log/messages"]}},
        {"type": "lambda", "id": "ingest-dlq-replayer", "properties": {"runtime": "python3.12", "timeout": 300, "memory_size": 512}},
    ]
    changes = [change(-2400, "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "AWS::Lambda::Function", "ingest-dlq-replayer", "s.nguyen"),
               change(-20000, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", "vol-0c3d9e1f2a4b6c8d0", "dlm-policy")]
    dims = {"InstanceId": w1, "path": "/data", "fstype": "xfs"}
    alarms = [alarm("ingest-worker-1-data-disk", "CWAgent", "disk_used_percent", dims, "Maximum", 300, 1, 95,
                    "GreaterThanThreshold", -2700, description="ingest-worker-1 /data usage")]
    doc = scenario("h21-14-ingest-worker-data-disk-full",
                   "Disk alarm on ingest-worker-1; ingestion lag growing.",
                   region, resources, metrics, sink.entries(), alarms, changes,
                   {"alarm": "ingest-worker-1-data-disk",
                    "root_cause": {"category": "storage_exhaustion", "resource": [w1, "ingest-worker-1"]},
                    "anomalies": [{"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": dims}]})
    meta = {"placement": "origin (EC2 CWAgent)",
            "decoys": "ingest-dlq-replayer configuration change at -40 min; compaction CPU spike on ingest-worker-2; "
                      "DLM snapshot; constant schema-drift WARNs",
            "story": "A reprocessing job started four hours ago on ingest-worker-1 writes a ~620 MB checkpoint to /data/tmp every "
                     "five minutes and never deletes them. CWAgent disk_used_percent for /data climbs linearly from 74 % to 100 % "
                     "at -29 min; since then every spill and checkpoint fails with 'java.io.IOException: No space left on device', "
                     "the worker stops processing (CPU and NetworkIn drop) and messages return to the queue. ingest-worker-2 is "
                     "fine. A full disk with ENOSPC errors is storage_exhaustion on ingest-worker-1."}
    return doc, meta
