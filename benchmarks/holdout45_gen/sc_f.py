"""Scenarios 15-16: a partner resend fills the ingest host's data volume; a late recalc runs the DB out of memory."""
from __future__ import annotations

from .blocks import GB, ec2, ecs, rds
from .core import HIST, Scn, auto_alarm, bump, diurnal, local_t
from .logfmt import Inv, LambdaModel, every, pg, pg_background, poisson_times, py


def s15() -> Scn:
    sc = Scn("h45-15-partner-ingest-data-volume-full", 4515, "eu-west-2", "2026-03-13T10:20:00",
             "partner-ingest-1 data volume alarm; partner files not appearing in the lake.")
    I, FN, VOL = "i-0b7d3f9a2c6e41805", "ingest-manifest-check", "vol-0a6e2c9f4b1d83570"
    RS, FULL = -9000, -2100
    sc.res("ec2", I, name="partner-ingest-1", instance_type="m6i.large", volumes={"/": "30 GiB gp3",
           "/data": f"500 GiB gp3 ({VOL})"}, log_groups=["/partner-ingest/etl", "/partner-ingest/sftp"],
           cron="*/10 * * * * /opt/ingest/bin/ingest_etl.py")
    sc.res("lambda", FN, runtime="python3.12", timeout=60, memory_size=256, schedule="rate(15 minutes)")
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731
    n0, n1 = local_t(sc, 3.0), local_t(sc, 3.7)
    night = lambda t: bump(t, n0, n1, 1.0, 240)  # noqa: E731

    def used(t):
        if t < RS:
            return 58.2 + 0.6 * min(1.0, max(0.0, (t - n0) / (n1 - n0))) + sc.g(0.03)
        if t < FULL:
            return 58.8 + 41.2 * ((t - RS) / (FULL - RS)) ** 1.15 + sc.g(0.05)
        return 100.0 - abs(sc.g(0.02))
    ec2(sc, I, cpu=lambda t: 4 + 3 * d(t) + 55 * night(t) + (62 if RS <= t < FULL else (9 if t >= FULL else 0))
        + sc.g(2), net_in=lambda t: 2e6 + 9e8 * night(t) + (2.3e9 if RS <= t < FULL else 4e8 if t >= FULL else 0)
        + abs(sc.g(1e5)), net_out=lambda t: 1e6 + 6e8 * night(t) + (1.1e9 if RS <= t < FULL else 0) + abs(sc.g(1e5)),
        mem=lambda t: 31 + 14 * night(t) + (22 if RS <= t < FULL else 0) + sc.g(0.5),
        disks=[("/", "nvme0n1p1", "xfs", lambda t: 41.3 + sc.g(0.02)), ("/data", "nvme1n1", "xfs", used)])

    def draw(t):
        if (t // 60) % 15 != 7:
            return []
        return [Inv(False, 2100 + sc.g(200), "ok", 96)]
    fm = LambdaModel(sc, FN, 256, draw)
    fm.metrics()

    def body(ts, rid, inv):
        if ts < FULL + 300:
            return [(0.3, py(sc, ts, "INFO", rid, f"manifest ok: {sc.rng.randint(11, 14)}/14 partners delivered for "
                                                  f"{sc.day(ts)}" + (" (v2 manifest schema)" if ts > -6000 else "")))]
        return [(0.3, py(sc, ts, "WARNING", rid, f"northwind-freight: 0 files landed in s3://lake-landing-euw2/northwind/ "
                                                 f"since {sc.at(FULL).strftime('%H:%M')}Z; expected ~40 per 15m"))]
    fm.logs(body, streams=1, start=HIST)

    ev = []
    stamp = lambda t: sc.logback(t).replace(".", ",")  # noqa: E731
    for t in every(sc, HIST + 30, 0, 600, 3):
        if t < RS:
            n = sc.rng.randint(2, 9) + (int(140 * night(t)))
            ev.append((t, f"{stamp(t)} INFO ingest_etl: run start; {n} new files in /data/inbound"))
            ev.append((t + 20 + n * 0.6, f"{stamp(t + 20 + n * 0.6)} INFO ingest_etl: converted {n} files -> /data/spool; "
                                         f"uploaded to s3://lake-landing-euw2/; spool cleared"))
        elif t < FULL:
            n = sc.rng.randint(380, 520)
            ev.append((t, f"{stamp(t)} INFO ingest_etl: run start; {n} new files in /data/inbound (northwind-freight: "
                          f"{n - sc.rng.randint(3, 9)}, resend 2026-02-11..2026-03-12)"))
            ev.append((t + 2, f"{stamp(t + 2)} INFO ingest_etl: previous run still holding /data/spool lock; "
                              "spooling continues (spool cleared only after batch upload)"))
        else:
            f = f"/data/spool/northwind/{sc.day(t, '%Y%m%d')}/part-{sc.rng.randint(100, 999):05d}.parquet"
            ev.append((t, f"{stamp(t)} ERROR ingest_etl: conversion failed for northwind-freight batch\n"
                          "Traceback (most recent call last):\n  File \"/opt/ingest/ingest_etl.py\", line 214, in convert\n"
                          "    pq.write_table(table, out_path, compression=\"zstd\")\n  File \"/opt/ingest/venv/lib/"
                          "python3.11/site-packages/pyarrow/parquet/core.py\", line 3116, in write_table\n"
                          "    with ParquetWriter(\nOSError: [Errno 28] No space left on device: '" + f + "'"))
    sc.log("/partner-ingest/etl", I, ev)
    ev = []
    for t in poisson_times(sc, HIST, 0, lambda m: 0.4 + 6 * night(m) + (9 if RS <= m else 0)):
        pid = sc.rng.randint(20000, 39000)
        user = "northwind" if t >= RS and sc.rng.random() < 0.9 else sc.rng.choice(["atlas-logistics", "brightpath",
                                                                                     "kestrel-shipping"])
        ts = sc.at(t).strftime("%b %d %H:%M:%S")
        if t >= FULL and user == "northwind":
            ev.append((t, f"{ts} ip-10-0-1-23 internal-sftp[{pid}]: error: process_write: write failed"))
        else:
            ev.append((t, f"{ts} ip-10-0-1-23 internal-sftp[{pid}]: close \"/inbound/{user}/"
                          f"{sc.hexid(8)}.csv.gz\" bytes read 0 written {sc.rng.randint(200000, 9000000)}"))
    sc.log("/partner-ingest/sftp", I, ev)
    sc.change(-5400, "ec2.amazonaws.com", "CreateSnapshot", "AWS::EC2::Volume", VOL, "dlm-lifecycle")
    sc.change(-6000, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", FN, "data-ci")
    dims = {"InstanceId": I, "path": "/data", "device": "nvme1n1", "fstype": "xfs"}
    auto_alarm(sc, "partner-ingest-1-data-disk", "CWAgent", "disk_used_percent", dims, "Maximum", 300, 1, 95,
               "GreaterThanThreshold", "/data on partner-ingest-1 above 95 %")
    sc.expect("partner-ingest-1-data-disk", "storage_exhaustion", [I, "partner-ingest-1"], [
        {"namespace": "CWAgent", "name": "disk_used_percent", "dimensions": dims}])
    sc.meta = dict(origin="origin (CWAgent disk)", decoys="DLM EBS snapshot of the same volume; manifest-check Lambda "
                   "deploy; usual 03:00 partner batch CPU peak; root volume steady")
    return sc


def s16() -> Scn:
    sc = Scn("h45-16-price-quote-errors-db-oom", 4516, "eu-west-1", "2026-03-16T09:25:00",
             "price-quote-api errors in bursts; Errors alarm fired. Quotes intermittently fail at checkout.")
    DB, FN, CL, SV, AX = "pricing-pg", "price-quote-api", "pricing", "price-recalc", "pricing-analytics-export"
    ST = -3000
    kills = [-2460, -1500, -480]
    sc.res("rds", DB, engine="postgres", engine_version="15.4", instance_class="db.r6g.large", memory_gib=16,
           max_connections=400, work_mem_mb=256, shared_buffers_gb=4, parameter_group="pricing-pg15",
           parameter_apply_status="pending-reboot", log_groups=[f"/aws/rds/instance/{DB}/postgresql"])
    sc.res("lambda", FN, runtime="python3.12", timeout=10, memory_size=512)
    sc.res("ecs", f"{CL}/{SV}", cluster=CL, service=SV, launch_type="FARGATE", desired_count=1, parallel_sessions=8,
           log_groups=["/ecs/price-recalc"])
    sc.res("lambda", AX, runtime="python3.12", timeout=300, memory_size=512)
    d = lambda t: diurnal(sc.hour(t))  # noqa: E731

    def phase(t):
        """(seconds since last crash or None, in recovery)"""
        past = [k for k in kills if k <= t]
        return (t - past[-1]) if past else None
    down = lambda t: phase(t) is not None and phase(t) < 60  # noqa: E731

    def freeable(t):
        if t < ST:
            return 5.6 * GB + sc.g(0.06 * GB)
        p = phase(t)
        if p is not None and p < 120:
            return 7.4 * GB + sc.g(0.1 * GB)
        start = ST if p is None else t - p + 120
        return max(0.09 * GB, 5.2 * GB - 5.3 * GB * (t - start) / 420) + abs(sc.g(0.02 * GB))
    rds(sc, DB, cpu=lambda t: (14 + 16 * d(t) + (48 if t >= ST and not down(t) else 0) + sc.g(2)) * (0.4 if down(t) else 1),
        conns=lambda t: 4 if down(t) else 62 + 30 * d(t) + (9 if t >= ST else 0) + sc.g(3),
        free_storage=lambda t: 168 * GB - (0.8 * GB if t >= ST else 0) + sc.g(0.03 * GB), freeable=freeable,
        read_lat=lambda t: 0.0009 + (0.004 if t >= ST else 0) + abs(sc.g(0.0002)),
        write_lat=lambda t: 0.0012 + (0.003 if t >= ST else 0) + abs(sc.g(0.0002)),
        read_iops=lambda t: 240 + 200 * d(t) + (2600 if t >= ST else 0) + sc.g(20),
        write_iops=lambda t: 150 + 90 * d(t) + (1900 if t >= ST else 0) + sc.g(12),
        extra=[("SwapUsage", "Bytes", lambda t: (0.02 * GB if t < ST else 0.02 * GB + (1.4 * GB if freeable(t) < 0.5 * GB
                                                                                       else 0.6 * GB)) + abs(sc.g(0.01 * GB)))])

    def draw(t):
        out = []
        for _ in range(sc.poisson(8 + 30 * d(t))):
            p = phase(t)
            if p is not None and p < 90:
                out.append(Inv(True, sc.rng.uniform(15, 60), "recovery" if p > 10 else "closed", 101))
            elif t >= ST and sc.rng.random() < 0.015:
                out.append(Inv(True, sc.rng.uniform(200, 900), "oom_err", 101))
            else:
                out.append(Inv(False, max(20.0, (60 if t < ST else 240) + sc.g(25)), "ok", sc.rng.randint(90, 104)))
        return out
    fm = LambdaModel(sc, FN, 512, draw)
    fm.metrics()
    host = f"{DB}.cx8b1k2m3n4p.eu-west-1.rds.amazonaws.com"

    def body(ts, rid, inv):
        sku = f"SKU-{sc.rng.randint(100000, 999999)}"
        if inv.kind == "ok":
            return [(inv.dur / 1000 - 0.005, py(sc, ts, "INFO", rid, f"quote {sku} qty={sc.rng.randint(1, 20)} ok "
                                                                     f"db_ms={int(inv.dur * 0.8)}"))]
        msg = {"closed": "server closed the connection unexpectedly\n\tThis probably means the server terminated "
                         "abnormally\n\tbefore or while processing the request.",
               "recovery": f'connection to server at "{host}" (10.40.3.77), port 5432 failed: FATAL:  the database system '
                           "is in recovery mode",
               "oom_err": "out of memory\nDETAIL:  Failed on request of size 8192 in memory context \"ExecutorState\"."
               }[inv.kind]
        exc = "OperationalError" if inv.kind != "oom_err" else "OutOfMemory"
        return [(inv.dur / 1000 - 0.004, f"[ERROR] {exc}: {msg}\nTraceback (most recent call last):\n"
                                         '  File "/var/task/quote/handler.py", line 27, in handler\n'
                                         "    price = repo.current_price(sku, qty)\n"
                                         '  File "/var/task/quote/repo.py", line 45, in current_price\n'
                                         "    cur.execute(PRICE_SQL, (sku, qty))")]
    fm.logs(body, streams=3, start=-7200, cold_every=120)
    am = LambdaModel(sc, AX, 512, lambda t: [Inv(False, 11000 + sc.g(900), "ok", 200)] if (t // 60) % 15 == 9 else [])
    am.metrics()
    ecs(sc, CL, SV, cpu=lambda t: 1 + abs(sc.g(0.3)) + (22 + sc.g(3) if t >= ST else 0),
        mem=lambda t: 6 + (18 if t >= ST else 0) + sc.g(0.4), running=lambda t: 1)

    ev = pg_background(sc, HIST, 0, ["supplier_prices", "price_lists", "quotes"], "pricing", lambda t: 1.0 + (1.5 if t >= ST else 0))
    q = ("SELECT sp.sku, sp.supplier_id, sp.list_price, pl.margin_rule, row_number() OVER (PARTITION BY sp.sku ORDER BY "
         "sp.list_price) FROM supplier_prices sp JOIN price_lists pl ON pl.supplier_id = sp.supplier_id WHERE sp.feed_date = "
         "$1 ORDER BY sp.sku, sp.list_price")
    for t in poisson_times(sc, ST + 60, 0, lambda m: 0.0 if down(m) else 1.2):
        ev.append((t, pg(sc, t, "LOG", f'temporary file: path "base/pgsql_tmp/pgsql_tmp{sc.rng.randint(9000, 30000)}.'
                                       f'{sc.rng.randint(0, 40)}", size {sc.rng.choice([268435456, 536870912])}\n'
                                       f"STATEMENT:  {q}", client="10.40.8.31(50211)", user="recalc", db="pricing")))
    for k in kills:
        pid = sc.rng.randint(20000, 32000)
        for o, lvl, msg in [
                (-25, "ERROR", 'out of memory\nDETAIL:  Failed on request of size 268435456 in memory context '
                               '"HashBatchContext".'),
                (0, "LOG", f"server process (PID {pid}) was terminated by signal 9: Killed\nDETAIL:  Failed process was "
                           f"running: {q}"),
                (0.01, "LOG", "terminating any other active server processes"),
                (1.2, "LOG", "all server processes terminated; reinitializing"),
                (2.0, "LOG", f"database system was interrupted; last known up at {sc.pgts(k - 140)}"),
                (2.3, "LOG", "database system was not properly shut down; automatic recovery in progress"),
                (2.4, "LOG", f"redo starts at 2F{sc.rng.randint(1, 9)}/8A0C1D28"),
                (38.0, "LOG", f"redo done at 2F{sc.rng.randint(1, 9)}/9B3E7740 system usage: CPU: user: 1.92 s, system: "
                              "0.61 s, elapsed: 35.58 s"),
                (38.1, "LOG", "checkpoint starting: end-of-recovery immediate wait"),
                (52.0, "LOG", "database system is ready to accept connections")]:
            ev.append((k + o, pg(sc, k + o, lvl, msg, pid=pid if o <= 0 else 390,
                                 client="10.40.8.31(50211)" if o < 0 else "", user="recalc" if o < 0 else "",
                                 db="pricing" if o < 0 else "")))
    sc.log(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0", ev)
    stamp = lambda t: sc.logback(t).replace(".", ",")  # noqa: E731
    ev = [(t, f"{stamp(t)} INFO recalc: supplier feed for {sc.day()} not yet available; retry in 30m")
          for t in every(sc, local_t(sc, 2.0), ST - 60, 1800, 2)]
    ev += [(ST - 20, f"{stamp(ST - 20)} INFO recalc: supplier feed landed ({sc.at(ST - 80).strftime('%H:%M')}Z, 4.8M rows); "
                     "starting recalculation with 8 parallel sessions")]
    for k in kills:
        ev.append((k + 3, f"{stamp(k + 3)} WARN recalc: session lost (server closed the connection unexpectedly); "
                          "restarting partition from checkpoint"))
    sc.log("/ecs/price-recalc", f"price-recalc/price-recalc/{sc.hexid()}", ev)
    sc.change(-14400, "rds.amazonaws.com", "ModifyDBParameterGroup", "AWS::RDS::DBParameterGroup", "pricing-pg15",
              "dba-niamh")
    sc.change(-3600, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", AX, "analytics-ci")
    auto_alarm(sc, "price-quote-api-errors", "AWS/Lambda", "Errors", {"FunctionName": FN}, "Sum", 600, 1, 15,
               "GreaterThanThreshold", "price-quote-api Lambda errors")
    sc.expect("price-quote-api-errors", "memory_exhaustion", [DB], [
        {"namespace": "AWS/RDS", "name": "FreeableMemory", "dimensions": {"DBInstanceIdentifier": DB}},
        {"namespace": "AWS/Lambda", "name": "Errors", "dimensions": {"FunctionName": FN}}])
    sc.meta = dict(origin="victim (Lambda Errors)", decoys="shared_buffers parameter edit pending reboot (never applied); "
                   "analytics export Lambda deploy 10 min before the recalc started")
    return sc
