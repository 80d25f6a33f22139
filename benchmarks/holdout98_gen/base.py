"""Set 98 helpers: the set's Scenario subclass and the log formats its databases write, on top of
the set-97 emitters and metric families (themselves built on the shared holdout57 blocks)."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import mysql, pg
from benchmarks.holdout97_gen.base import (GRID, HISTORY, H97, LambdaLogs, alb_metrics, apigw_metrics,
                                           bump, diurnal, ecs_metrics, emit, every, lam_metrics,
                                           lambda_run, poisson, put, ramp, rds_metrics, step, zero)

__all__ = ["H98", "new", "meta", "emit", "every", "poisson", "put", "lam_metrics", "alb_metrics",
           "apigw_metrics", "rds_metrics", "ecs_metrics", "lambda_run", "zero", "GRID", "HISTORY",
           "bump", "diurnal", "ramp", "step", "LambdaLogs", "pg", "mysql", "mysql_slow", "pg_slow",
           "pg_checkpoint", "LOGS_FROM"]

LOGS_FROM = -3 * 3600  # request-level logs cover the last three hours; metrics the last six


class H98(H97):
    prefix = "h98"


def new(num: int, slug: str, description: str, region: str, now_iso: str) -> H98:
    return H98(num, slug, description, region, seed=980_000 + num * 7919, now_iso=now_iso)


def meta(sc: H98, *, front: str, decoys: str, story: str, services: str, runtime: str,
         logfmt: str) -> None:
    sc.meta.update(front=front, decoys=decoys, story=story, services=services,
                   runtime=runtime, logfmt=logfmt)


def mysql_slow(sc: H98, t: float, user: str, host: str, qt: float, lock: float, sent: int,
               examined: int, sql: str, schema: str | None = None) -> str:
    """One MySQL/Aurora MySQL slow-query-log entry (the block the slowquery log group holds)."""
    d = sc.at(t)
    tid = sc.rng.randint(180000, 990000)
    use = f"use {schema};\n" if schema else ""
    return (f"# Time: {d.strftime('%Y-%m-%dT%H:%M:%S')}.{d.microsecond:06d}Z\n"
            f"# User@Host: {user}[{user}] @  [{host}]  Id: {tid}\n"
            f"# Query_time: {qt:.6f}  Lock_time: {lock:.6f} Rows_sent: {sent}  Rows_examined: {examined}\n"
            f"{use}SET timestamp={int(sc.at(t - qt).timestamp())};\n{sql};")


def pg_slow(sc: H98, t: float, ms: float, sql: str, client: str, user: str, db: str,
            pid: int | None = None, kind: str = "execute <unnamed>") -> str:
    """A log_min_duration_statement line of the RDS PostgreSQL log."""
    return pg(sc, t, "LOG", f"duration: {ms:.3f} ms  {kind}: {sql}", client, user, db, pid)


def pg_checkpoint(sc: H98, group: str, stream: str, start: float = LOGS_FROM, period: float = 300) -> None:
    """checkpoint starting/complete pairs every `period` seconds."""
    rng = sc.rng
    pid = rng.randint(300, 900)
    t = start + rng.uniform(0, period)
    while t < 0:
        sc.log(group, stream, t, pg(sc, t, "LOG", "checkpoint starting: time", pid=pid))
        bufs = rng.randint(900, 9000)
        w = rng.uniform(20, 120)
        sc.log(group, stream, t + w, pg(sc, t + w, "LOG", (
            f"checkpoint complete: wrote {bufs} buffers ({bufs / 131072 * 100:.1f}%); 0 WAL file(s) added, "
            f"0 removed, {rng.randint(1, 4)} recycled; write={w - 0.3:.3f} s, sync=0.{rng.randint(10, 99):02d}3 s, "
            f"total={w:.3f} s; sync files={rng.randint(20, 160)}, longest=0.0{rng.randint(10, 99)} s, "
            f"average=0.00{rng.randint(1, 9)} s; distance={bufs * 8} kB, estimate={bufs * 8 + rng.randint(0, 4000)} kB"),
            pid=pid))
        t += period
