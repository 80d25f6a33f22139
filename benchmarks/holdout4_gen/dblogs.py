"""Database engine log lines as RDS publishes them to CloudWatch Logs."""
from __future__ import annotations

from .common import Ctx


def pg(ctx: Ctx, t: float, level: str, msg: str, who: str = "", pid: int | None = None) -> tuple[float, str]:
    """log_line_prefix '%t:%r:%u@%d:[%p]:' ; who = 'ip(port):user@db' or '' for background processes."""
    pid = pid if pid is not None else int(ctx.rng.integers(1000, 32000))
    return t, f"{ctx.pg(t)}:{who or ':@'}:[{pid}]:{level}:  {msg}"


def pg_client(ctx: Ctx, ip: str, user: str, db: str) -> str:
    return f"{ip}({ctx.rng.integers(32768, 60999)}):{user}@{db}"


def pg_checkpoints(ctx: Ctx, t0: float, t1: float, every: float = 300, heavy=lambda t: 1.0) -> list:
    out = []
    t = t0 + ctx.rng.uniform(0, every)
    while t < t1:
        pid = 412
        bufs = int(ctx.rng.integers(900, 2600) * heavy(t))
        dur = bufs / 1000 * ctx.rng.uniform(20, 30)
        out.append(pg(ctx, t, "LOG", "checkpoint starting: time", pid=pid))
        out.append(pg(ctx, t + dur, "LOG", f"checkpoint complete: wrote {bufs} buffers ({bufs / 1310.72:.1f}%); "
                                             f"0 WAL file(s) added, 0 removed, {int(ctx.rng.integers(0, 3))} recycled; "
                                             f"write={dur - 0.2:.3f} s, sync=0.011 s, total={dur:.3f} s; sync files="
                                             f"{int(ctx.rng.integers(20, 90))}, longest=0.004 s, average=0.001 s; "
                                             f"distance={bufs * 8} kB, estimate={bufs * 8 + 1024} kB", pid=pid))
        t += every
    return out


def mysql_err(ctx: Ctx, t: float, level: str, code: str, msg: str, thread: int = 0) -> tuple[float, str]:
    return t, f"{ctx.mysql(t)} {thread} [{level}] [{code}] [Server] {msg}"


def mysql_slow(ctx: Ctx, t: float, user: str, ip: str, qtime: float, rows_sent: int, rows_exam: int, sql: str,
               db: str) -> tuple[float, str]:
    epoch = int(ctx.wall(t).timestamp())
    return t, (f"# Time: {ctx.mysql(t)}\n# User@Host: {user}[{user}] @  [{ip}]  Id: {ctx.rng.integers(10000, 99999)}\n"
               f"# Query_time: {qtime:.6f}  Lock_time: {ctx.rng.uniform(0, 0.0003):.6f} Rows_sent: {rows_sent}  "
               f"Rows_examined: {rows_exam}\nuse {db};\nSET timestamp={epoch};\n{sql}")
