"""RDS engine log lines (PostgreSQL log_line_prefix '%t:%r:%u@%d:[%p]:', MySQL slow query log)."""
from __future__ import annotations

from .common import MINUTES, Scenario


def pg(sc: Scenario, t: float, msg: str, *, client: str = "", user: str = "", db: str = "", pid: int = 0,
       level: str = "LOG") -> tuple:
    stamp = sc.at(t).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (t, "%s:%s:%s@%s:[%d]:%s:  %s" % (stamp, client, user, db, pid, level, msg))


def pg_background(sc: Scenario, start: float = -21600, end: float = 0, every: float = 300.0, *, wal_kb=18000,
                  reset_rate: float = 0.0, clients=("10.60.3.201",), user="app", db="app") -> list:
    """checkpoint chatter every ``every`` seconds plus optional steady 'connection reset' noise (per minute)."""
    rng, ev, t = sc.rng, [], start + rng_off(sc)
    ckpt_pid = rng.randint(380, 520)
    while t < end:
        buf = rng.randint(900, 3200)
        ev.append(pg(sc, t, "checkpoint starting: time", pid=ckpt_pid))
        ev.append(pg(sc, t + 269.8, "checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, 0 removed, "
                                    "%d recycled; write=269.%03d s, sync=0.00%d s, total=269.%03d s; sync files=%d, "
                                    "longest=0.002 s, average=0.001 s; distance=%d kB, estimate=%d kB" % (
                                        buf, buf / 1310.0, rng.randint(0, 2), rng.randint(700, 900), rng.randint(2, 8),
                                        rng.randint(800, 999), rng.randint(20, 60), int(wal_kb * rng.uniform(0.8, 1.2)),
                                        int(wal_kb * 1.1)), pid=ckpt_pid))
        t += every
    if reset_rate:
        for m in MINUTES:
            if start <= m < end and rng.random() < reset_rate:
                ev.append(pg(sc, m + rng.uniform(0, 60), "could not receive data from client: Connection reset by peer",
                             client="%s(%d)" % (rng.choice(clients), rng.randint(30000, 60000)), user=user, db=db,
                             pid=rng.randint(9000, 32000)))
    return ev


def rng_off(sc: Scenario) -> float:
    return sc.rng.uniform(5, 120)


def mysql_slow(sc: Scenario, t: float, user: str, host: str, conn_id: int, qtime: float, rows_sent: int,
               rows_exam: int, sql: str, db: str = "catalog") -> tuple:
    d = sc.at(t)
    return (t, "# Time: %s\n# User@Host: %s[%s] @  [%s]  Id: %d\n# Query_time: %.6f  Lock_time: 0.%06d Rows_sent: %d  "
               "Rows_examined: %d\nuse %s;\nSET timestamp=%d;\n%s" % (
                   d.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % d.microsecond, user, user, host, conn_id, qtime,
                   sc.rng.randint(5, 90), rows_sent, rows_exam, db, int(d.timestamp()), sql))
