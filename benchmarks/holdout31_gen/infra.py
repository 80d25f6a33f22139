"""Metric sets and server-log formats for ALB, ECS, EC2 and RDS."""
from .common import MINUTES, every


def alb_metrics(ctx, lb, req, rt, t5xx, e5xx, healthy, unhealthy, t4xx=None, region=None):
    d = {"LoadBalancer": lb}
    ctx.metric("AWS/ApplicationELB", "RequestCount", d, "Count", req, integer=True, region=region)
    ctx.metric("AWS/ApplicationELB", "TargetResponseTime", d, "Seconds", rt, nd=4, region=region)
    ctx.metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", d, "Count", t5xx, integer=True, region=region)
    if t4xx is not None:
        ctx.metric("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", d, "Count", t4xx, integer=True,
                   region=region)
    ctx.metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", d, "Count", e5xx, integer=True, region=region)
    ctx.metric("AWS/ApplicationELB", "HealthyHostCount", d, "Count", healthy, integer=True, region=region)
    ctx.metric("AWS/ApplicationELB", "UnHealthyHostCount", d, "Count", unhealthy, integer=True, region=region)


def ecs_metrics(ctx, cluster, service, cpu, mem, running=None, region=None):
    d = {"ClusterName": cluster, "ServiceName": service}
    ctx.metric("AWS/ECS", "CPUUtilization", d, "Percent", cpu, nd=2, region=region)
    ctx.metric("AWS/ECS", "MemoryUtilization", d, "Percent", mem, nd=2, region=region)
    if running is not None:
        ctx.metric("ECS/ContainerInsights", "RunningTaskCount", d, "Count", running, integer=True,
                   region=region)


def ec2_metrics(ctx, iid, cpu, net_in, mem, disk, status=None, region=None):
    d = {"InstanceId": iid}
    ctx.metric("AWS/EC2", "CPUUtilization", d, "Percent", cpu, nd=3, region=region)
    ctx.metric("AWS/EC2", "NetworkIn", d, "Bytes", net_in, nd=1, region=region)
    ctx.metric("AWS/EC2", "StatusCheckFailed", d, "Count",
               status or {t: 0 for t in MINUTES}, integer=True, region=region)
    ctx.metric("CWAgent", "mem_used_percent", d, "Percent", mem, nd=3, region=region)
    ctx.metric("CWAgent", "disk_used_percent", dict(d, path="/", fstype="xfs"), "Percent", disk,
               nd=3, region=region)


def rds_metrics(ctx, db, cpu, conns, free_storage, free_mem, read_lat, write_lat=None, region=None):
    d = {"DBInstanceIdentifier": db}
    ctx.metric("AWS/RDS", "CPUUtilization", d, "Percent", cpu, nd=3, region=region)
    ctx.metric("AWS/RDS", "DatabaseConnections", d, "Count", conns, integer=True, region=region)
    ctx.metric("AWS/RDS", "FreeStorageSpace", d, "Bytes", free_storage, nd=0, region=region)
    ctx.metric("AWS/RDS", "FreeableMemory", d, "Bytes", free_mem, nd=0, region=region)
    ctx.metric("AWS/RDS", "ReadLatency", d, "Seconds", read_lat, nd=5, region=region)
    if write_lat is not None:
        ctx.metric("AWS/RDS", "WriteLatency", d, "Seconds", write_lat, nd=5, region=region)


def const_series(ctx, base, rel=0.05):
    return ctx.ser(lambda t: ctx.noisy(base, rel))


# ---- PostgreSQL (RDS log_line_prefix = %t:%r:%u@%d:[%p]:) -------------------

def pg(ctx, t, text, client=None, user="", db="", pid=None, level="LOG"):
    who = "%s(%d)" % (client, ctx.rng.randint(32768, 60999)) if client else ""
    pid = pid or ctx.rng.randint(1000, 32000)
    return "%s UTC:%s:%s@%s:[%d]:%s:  %s" % (ctx.stamp(t), who, user, db, pid, level, text)


def pg_background(ctx, start, end, ckpt_pid=412, av_db="app"):
    """Checkpoints every 5 minutes and the odd autovacuum line."""
    def ckpt(t):
        bufs = ctx.rng.randint(900, 4200)
        return [(0, pg(ctx, t, "checkpoint starting: time", pid=ckpt_pid)),
                (ctx.uni(150, 270), pg(ctx, t + 200, (
                    "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                    "%d recycled; write=%.3f s, sync=0.%03d s, total=%.3f s; sync files=%d, longest=0.00%d s, "
                    "average=0.001 s; distance=%d kB, estimate=%d kB")
                    % (bufs, bufs / 1310.0, ctx.rng.randint(0, 3), ctx.uni(150, 269), ctx.rng.randint(1, 9),
                       ctx.uni(151, 270), ctx.rng.randint(30, 90), ctx.rng.randint(1, 5),
                       bufs * 8, bufs * 8 + ctx.rng.randint(100, 900)), pid=ckpt_pid))]

    def av(t):
        if not ctx.chance(0.35):
            return None
        tbl = ctx.pick(["public.audit_events", "public.sessions", "public.outbox", "pg_catalog.pg_statistic"])
        return pg(ctx, t, "automatic vacuum of table \"%s.%s\": index scans: %d\n\tpages: 0 removed, %d remain, "
                          "0 skipped due to pins, 0 skipped frozen\n\ttuples: %d removed, %d remain, 0 are dead "
                          "but not yet removable" % (av_db, tbl, ctx.rng.randint(0, 1), ctx.rng.randint(200, 90000),
                                                     ctx.rng.randint(10, 8000), ctx.rng.randint(1000, 900000)))
    return every(start, end, 300, ckpt, ctx) + every(start + 97, end, 420, av, ctx)


# ---- MySQL 8 error log ------------------------------------------------------

def my(ctx, t, level, code, subsystem, text, thread=0):
    return "%sZ %d [%s] [%s] [%s] %s" % (ctx.iso_us(t), thread, level, code, subsystem, text)


def my_background(ctx, start, end):
    def aborted(t):
        return my(ctx, t, "Note", "MY-010914", "Server",
                  "Aborted connection %d to db: 'app' user: 'app' host: '%s' (Got an error reading "
                  "communication packets)." % (ctx.rng.randint(100000, 999999), ctx.ip("10.20")),
                  thread=ctx.rng.randint(100000, 999999))
    return every(start + 40, end, 900, aborted, ctx)


# ---- nginx-style access lines (EC2 agents ship these to CloudWatch) --------

def access_line(ctx, t, method, path, status, size, rt, ua="Mozilla/5.0", client=None):
    return '%s - - [%s +0000] "%s %s HTTP/1.1" %d %d "-" "%s" rt=%.3f' % (
        client or ctx.ip("10.0"), ctx.stamp(t, "%d/%b/%Y:%H:%M:%S"), method, path, status, size, ua, rt)
