"""RDS / Aurora helpers: CloudWatch metric sets and server log lines (PostgreSQL and MySQL)."""

UNITS = {
    "CPUUtilization": "Percent", "DatabaseConnections": "Count", "FreeStorageSpace": "Bytes",
    "FreeableMemory": "Bytes", "ReadLatency": "Seconds", "WriteLatency": "Seconds",
    "ReadIOPS": "Count/Second", "WriteIOPS": "Count/Second", "DiskQueueDepth": "Count",
    "TransactionLogsDiskUsage": "Bytes", "OldestReplicationSlotLag": "Bytes",
    "MaximumUsedTransactionIDs": "Count", "Deadlocks": "Count/Second", "DMLLatency": "Milliseconds",
    "SelectLatency": "Milliseconds", "CommitLatency": "Milliseconds", "BufferCacheHitRatio": "Percent",
    "FreeLocalStorage": "Bytes", "ConnectionAttempts": "Count", "AbortedClients": "Count",
    "ActiveTransactions": "Count/Second", "BlockedTransactions": "Count/Second",
    "VolumeBytesUsed": "Bytes", "LoginFailures": "Count/Second", "DBLoad": "None", "DBLoadCPU": "None",
    "DBLoadNonCPU": "None",
}


def rds_metrics(sc, dbid, times, series, cluster=None):
    for name, values in series.items():
        sc.metric("AWS/RDS", name, {"DBInstanceIdentifier": dbid}, UNITS.get(name, "None"), times, values,
                  nd=6 if name.endswith("Latency") and UNITS[name] == "Seconds" else 3)
    if cluster:
        sc.metric("AWS/RDS", "CPUUtilization", {"DBClusterIdentifier": cluster}, "Percent", times,
                  series["CPUUtilization"])


def pg(ctx, t, sev, msg, pid, host=None, user="", db=""):
    """RDS default log_line_prefix: %t:%r:%u@%d:[%p]:"""
    remote = "%s(%d)" % (host, 32768 + (pid * 7919) % 28000) if host else ""  # one port per backend
    return "%s UTC:%s:%s@%s:[%d]:%s:  %s" % (ctx.stamp(t), remote, user, db, pid, sev, msg)


def pg_background(ctx, start, end, tables, ckpt_pid=None, av_every=(900, 2400)):
    """Checkpoints every 5 min plus occasional autovacuum lines: steady, harmless noise."""
    r = ctx.r
    ckpt_pid = ckpt_pid or r.randint(380, 620)
    ev, t = [], start + r.uniform(0, 300)
    lsn = r.randint(0x10, 0x2F)
    while t < end:
        bufs = r.randint(900, 5200)
        ev.append((t, pg(ctx, t, "LOG", "checkpoint starting: time", ckpt_pid)))
        w = r.uniform(80, 270)
        lo = r.randint(0x10000000, 0xEFFFFFFF)
        ev.append((t + w + 0.05, pg(ctx, t + w + 0.05, "LOG",
                   "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, %d recycled; "
                   "write=%.3f s, sync=%.3f s, total=%.3f s; sync files=%d, longest=%.3f s, average=%.3f s; "
                   "distance=%d kB, estimate=%d kB; lsn=%X/%08X, redo lsn=%X/%08X"
                   % (bufs, bufs / 1310.72, r.randint(0, 3), w, r.uniform(0.002, 0.03), w + 0.04,
                      r.randint(20, 90), r.uniform(0.001, 0.01), r.uniform(0.001, 0.003),
                      r.randint(9000, 60000), r.randint(20000, 70000), lsn, lo, lsn, lo - r.randint(4096, 900000)),
                   ckpt_pid)))
        t += 300
    t = start + r.uniform(*av_every)
    while t < end:
        tbl = r.choice(tables)
        pid = r.randint(20000, 32000)
        ev.append((t, pg(ctx, t, "LOG",
                   "automatic vacuum of table \"%s\": index scans: %d\n\tpages: 0 removed, %d remain, %d scanned (%.2f%% of total)\n"
                   "\ttuples: %d removed, %d remain, 0 are dead but not yet removable\n"
                   "\tavg read rate: %.3f MB/s, avg write rate: %.3f MB/s\n"
                   "\tsystem usage: CPU: user: %.2f s, system: %.2f s, elapsed: %.2f s"
                   % (tbl, r.randint(0, 1), r.randint(5000, 90000), r.randint(200, 4000), r.uniform(1, 9),
                      r.randint(500, 40000), r.randint(100000, 9000000), r.uniform(1, 30), r.uniform(0.5, 8),
                      r.uniform(0.05, 1.5), r.uniform(0.01, 0.3), r.uniform(0.5, 12)), pid)))
        t += r.uniform(*av_every)
    return ev


def mysql_err(ctx, t, level, code, msg, thread=0):
    """MySQL 8 / Aurora MySQL 3 error log line."""
    return "%s %d [%s] [%s] [Server] %s" % (ctx.iso6(t), thread, level, code, msg)


def mysql_background(ctx, start, end, hosts, db, user, every=(200, 700)):
    r = ctx.r
    ev, t = [], start + r.uniform(0, 300)
    while t < end:
        ev.append((t, mysql_err(ctx, t, "Note", "MY-010914",
                   "Aborted connection %d to db: '%s' user: '%s' host: '%s' (Got timeout reading communication packets)."
                   % (r.randint(100000, 999999), db, user, r.choice(hosts)), r.randint(100000, 999999))))
        t += r.uniform(*every)
    return ev


def slowlog(ctx, t, user, host, qtime, lock, sent, examined, sql, db):
    return ("# Time: %s\n# User@Host: %s[%s] @  [%s]  Id: %d\n# Query_time: %.6f  Lock_time: %.6f Rows_sent: %d  "
            "Rows_examined: %d\nuse %s;\nSET timestamp=%d;\n%s;"
            % (ctx.iso6(t), user, user, host, ctx.r.randint(10000, 99999), qtime, lock, sent, examined, db,
               int(ctx.dt(t).timestamp()), sql))
