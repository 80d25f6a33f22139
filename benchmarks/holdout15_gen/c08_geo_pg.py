"""h15-08: a PostgreSQL instance without storage autoscaling fills up during a tile
backfill; the ingest Lambda's inserts fail with DiskFull. The alarm is the instance's
FreeStorageSpace LessThanThreshold alarm (on the origin)."""
from __future__ import annotations

from datetime import datetime

import numpy as np

from . import aws
from .common import Ctx, Stream, alarm, change, ramp, scenario
from .logfmt import LambdaEnvs, pg, structlog

REGION = "ca-central-1"
DB, HOST = "geo-core-pg", "geo-core-pg.cw1x9b3ka7pz.ca-central-1.rds.amazonaws.com"
FN, API_FN = "tile-ingest-worker", "route-eta-api"
BACKFILL, FULL = -9000.0, -720.0
FILE = "base/16401/2483119.14"

TB = ("Traceback (most recent call last):\n"
      '  File "/var/task/ingest/handler.py", line 61, in handler\n    writer.write_batch(batch)\n'
      '  File "/var/task/ingest/writer.py", line 88, in write_batch\n    cur.copy_records("tiles", rows)\n'
      '  File "/var/task/psycopg/cursor.py", line 732, in execute\n    raise ex.with_traceback(None)\n'
      f'psycopg.errors.DiskFull: could not extend file "{FILE}": No space left on device\n'
      "HINT:  Check free disk space.")


def build(seed: int):
    ctx = Ctx(seed, datetime(2026, 7, 21, 16, 5), utc_offset_h=-4)
    rng, t = ctx.rng, ctx.t
    shape = ctx.daily(12.0, 0.3)
    bf = ramp(t, BACKFILL, 300)
    free = np.interp(t, [-21600, BACKFILL, BACKFILL + 600, FULL], [40.2, 35.9, 34.6, 0.35]) + ctx.ar(0.02)
    full = t >= FULL
    free = np.where(full, 0.22 + np.abs(ctx.ar(0.08)), np.maximum(free, 0.4))
    inv = ctx.poisson(3.2 + 5.5 * bf)
    errs = np.array([rng.binomial(int(n), 0.8 * f) for n, f in zip(inv, full)], dtype=float)
    dur = 1900 + ctx.ar(150) + 1700 * bf - 1500 * full
    api_inv = ctx.poisson(44 * shape + 20 * ((t > -1900) & (t < -1500)))

    metrics = aws.rds(ctx, DB, cpu=22 * shape + ctx.ar(2) + 24 * bf, conns=38 + ctx.ar(2) + 8 * bf, free_gb=free,
                      freemem_gb=5.6 + ctx.ar(0.05) - 0.7 * bf, rlat=0.0011 + np.abs(ctx.ar(0.0002)),
                      wlat=0.0024 + np.abs(ctx.ar(0.0003)) + 0.002 * bf, wiops=260 + ctx.ar(20) + 1900 * bf,
                      riops=420 * shape + ctx.ar(25))
    metrics += aws.lam(ctx, FN, inv, errs, dur, np.ceil(inv * dur / 60000 + rng.random(ctx.n)))
    metrics += aws.lam(ctx, API_FN, api_inv, (rng.random(ctx.n) < 0.02).astype(float), 85 + ctx.ar(8),
                       np.ceil(api_inv * 0.085 / 60 + rng.random(ctx.n)))

    log_from = -5400.0
    envs = LambdaEnvs(ctx, FN, "python3.12", REGION, 1024, (700, 1300))
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < log_from:
            continue
        kinds = ["err"] * int(errs[i]) + ["ok"] * int(inv[i] - errs[i])
        rng.shuffle(kinds)
        for kind, ts in zip(kinds, sorted(m0 + rng.uniform(0, 60, len(kinds)))):
            rid = ctx.uuid()
            z = int(rng.integers(12, 16))
            tiles = int(rng.integers(256, 1024))
            body = [(0.01, structlog(ctx, ts + 0.01, "info", "batch received", "ingest.handler", aws_request_id=rid,
                                     source="s3://geo-tiles-raw-cac1/backfill/2026-07", zoom=z, tiles=tiles))]
            if kind == "ok":
                d = float(max(400, dur[i] * rng.uniform(0.7, 1.3)))
                body.append((d / 1000 - 0.02, structlog(ctx, ts + d / 1000, "info", "tile batch written", "ingest.writer",
                                                        aws_request_id=rid, zoom=z, tiles=tiles,
                                                        bytes=int(tiles * rng.uniform(1.5e4, 3.2e4)), db=HOST)))
                envs.invoke(ts, rid, body, d, int(rng.integers(300, 420)), size=6)
            else:
                d = float(rng.uniform(150, 400))
                body.append((d / 1000 - 0.02, structlog(ctx, ts + d / 1000, "error", "tile batch failed", "ingest.writer",
                                                        aws_request_id=rid, zoom=z, tiles=tiles, exception=TB)))
                body.append((d / 1000 - 0.005, f"[ERROR] DiskFull: could not extend file \"{FILE}\": No space left on "
                                               "device\nHINT:  Check free disk space.\n" + TB))
                envs.invoke(ts, rid, body, d, int(rng.integers(280, 330)), size=6)
        if rng.random() < 0.08:
            ts = m0 + float(rng.uniform(0, 60))
            envs.streams[-1].add(ts, structlog(ctx, ts, "warning", "tile outside coverage polygon, skipped",
                                               "ingest.validate", tile=f"{int(rng.integers(12, 16))}/"
                                               f"{int(rng.integers(1000, 9000))}/{int(rng.integers(1000, 9000))}"))

    api = LambdaEnvs(ctx, API_FN, "python3.12", REGION, 512, (500, 900))
    for i in range(ctx.n):
        m0 = t[i]
        if m0 < -3600:
            continue
        for ts in sorted(m0 + rng.uniform(0, 60, int(api_inv[i]) // 3)):
            rid = ctx.uuid()
            d = float(rng.lognormal(np.log(80), 0.3))
            api.invoke(ts, rid, [(d / 1000 - 0.003, structlog(ctx, ts, "info", "eta computed", "eta.api",
                                                              aws_request_id=rid, legs=int(rng.integers(1, 6)),
                                                              ms=int(d), version="2026.07.21.2" if ts > -1500 else "2026.07.18.1"))],
                       d, int(rng.integers(120, 140)), size=3, version="$LATEST")

    pglog = Stream(f"/aws/rds/instance/{DB}/postgresql", f"{DB}.0")
    ck = -10800 + float(rng.uniform(0, 300))
    while ck < -60:
        pglog.add(ck, pg(ctx, ck, "", "@", 6021, "LOG", "checkpoint starting: time"))
        w = int(rng.integers(900, 2500) + (22000 if ck > BACKFILL else 0) * rng.uniform(0.6, 1.0))
        end = ck + 269.8 + float(rng.uniform(0, 0.3))
        if ck < FULL:
            pglog.add(end, pg(ctx, end, "", "@", 6021, "LOG",
                              f"checkpoint complete: wrote {w} buffers ({w / 1310.72:.1f}%); 0 WAL file(s) added, "
                              f"{int(rng.integers(0, 4))} removed, {int(rng.integers(5, 40))} recycled; write=269.{int(rng.integers(100, 999))} s, "
                              f"sync=0.{int(rng.integers(10, 99))} s, total=269.{int(rng.integers(800, 999))} s"))
        ck += 300
    for ts in sorted(rng.uniform(-10800, -60, 70)):
        ts = float(ts)
        ip = f"10.40.{int(rng.integers(1, 4))}.{int(rng.integers(10, 250))}({int(rng.integers(30000, 60000))})"
        pid = int(rng.integers(10000, 30000))
        pglog.add(ts, pg(ctx, ts, ip, "eta_api@geo", pid, "ERROR",
                         'duplicate key value violates unique constraint "eta_cache_pkey"'))
        pglog.add(ts + 0.001, pg(ctx, ts, ip, "eta_api@geo", pid, "DETAIL",
                                 f"Key (route_hash)=({ctx.hex(16)}) already exists."))
    for ts in sorted(rng.uniform(FULL, -30, 160)):
        ts = float(ts)
        ip = f"10.40.{int(rng.integers(4, 7))}.{int(rng.integers(10, 250))}({int(rng.integers(30000, 60000))})"
        pid = int(rng.integers(30000, 40000))
        pglog.add(ts, pg(ctx, ts, ip, "tile_ingest@geo", pid, "ERROR", f'could not extend file "{FILE}": No space left on device'))
        pglog.add(ts + 0.001, pg(ctx, ts, ip, "tile_ingest@geo", pid, "HINT", "Check free disk space."))
        pglog.add(ts + 0.002, pg(ctx, ts, ip, "tile_ingest@geo", pid, "CONTEXT", "COPY tiles, line 1"))
    for ts in sorted(rng.uniform(-10800, -60, 18)):
        pglog.add(float(ts), pg(ctx, float(ts), "", "@", int(rng.integers(40000, 50000)), "LOG",
                                'automatic vacuum of table "geo.public.eta_cache": index scans: 1'))

    resources = [
        {"type": "rds", "id": DB, "properties": {"engine": "postgres", "engine_version": "15.5",
                                                 "instance_class": "db.m6g.large", "max_connections": 400,
                                                 "allocated_storage_gb": 200, "storage_type": "gp3",
                                                 "storage_autoscaling": "disabled", "endpoint": HOST}},
        {"type": "lambda", "id": FN, "properties": {"runtime": "python3.12", "timeout": 120, "memory_size": 1024,
                                                    "environment": {"PGHOST": HOST, "PGDATABASE": "geo",
                                                                    "PGUSER": "tile_ingest"},
                                                    "event_source": "arn:aws:sqs:ca-central-1:123456789012:tile-batches"}},
        {"type": "lambda", "id": API_FN, "properties": {"runtime": "python3.12", "timeout": 10, "memory_size": 512,
                                                        "environment": {"PGHOST": HOST, "PGUSER": "eta_api"}}},
    ]
    changes = [
        change(-1505, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", API_FN,
               "circleci-geo"),
        change(-1498, "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function", API_FN, "circleci-geo"),
        change(-9120, "sqs.amazonaws.com", "SetQueueAttributes", "AWS::SQS::Queue", "tile-batches", "m.tremblay"),
    ]
    fs = next(m for m in metrics if m["name"] == "FreeStorageSpace")
    le = next(m for m in metrics if m["name"] == "Errors" and m["dimensions"]["FunctionName"] == FN)
    cpu = next(m for m in metrics if m["name"] == "CPUUtilization")
    alarms = [
        alarm(fs, "geo-core-pg-free-storage-low", "Minimum", 300, 1, 2 * 1024 ** 3, "LessThanThreshold", rng=rng,
              description="geo-core-pg free storage below 2 GiB"),
        alarm(le, "tile-ingest-worker-errors", "Sum", 300, 1, 10, "GreaterThanThreshold", rng=rng),
        alarm(cpu, "geo-core-pg-cpu", "Average", 300, 3, 80, "GreaterThanThreshold", rng=rng),
    ]
    doc = scenario(
        "h15-08-geo-pg-disk-full", "geo-core-pg-free-storage-low fired; tile ingestion is failing.",
        REGION, resources, metrics, envs.streams + api.streams + [pglog], alarms, changes,
        {"alarm": "geo-core-pg-free-storage-low",
         "root_cause": {"category": "storage_exhaustion", "resource": [DB]},
         "anomalies": [{"namespace": "AWS/RDS", "name": "FreeStorageSpace", "dimensions": {"DBInstanceIdentifier": DB}}]})
    meta = {"alarm_on": "origin (RDS FreeStorageSpace, LessThanThreshold)",
            "decoys": "route-eta-api deploy 13 min before the first disk-full errors, with a small invocation bump; SQS attribute change "
                      "when the backfill began; constant duplicate-key errors in the postgres log",
            "story": "A tile backfill that started 2.5 h ago multiplies write IOPS; FreeStorageSpace on "
                     "geo-core-pg (200 GB, no storage autoscaling) falls from 40 GB to about 0.2 GB. The "
                     "alarm fires below 2 GiB; from -12 min the postgres log shows `could not extend file ...: "
                     "No space left on device` and the ingest Lambda's COPY fails with psycopg DiskFull "
                     "(structlog exception field plus the runtime's [ERROR] line). The route-eta-api deploy "
                     "is read-only traffic with clean logs; the duplicate-key errors are a constant background."}
    return doc, meta
