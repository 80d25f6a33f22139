"""Log line formats per runtime for the holdout61 scenario set: set 57's
(:mod:`benchmarks.holdout57_gen.runtimes`, which also holds `pino`), plus logfmt and Go slog lines."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import (INIT_MS, PINO_LEVEL, RUNTIME_VERSION, LambdaLogs, gunicorn, jline,
                                               logfmt_writer, mysql, nginx, pg, pino, rails, serilog, spring)

from .common import Scenario

__all__ = ["INIT_MS", "PINO_LEVEL", "RUNTIME_VERSION", "LambdaLogs", "gunicorn", "jline", "logfmt", "mysql", "nginx",
           "pg", "pino", "rails", "serilog", "slog", "spring"]

logfmt = logfmt_writer()  # ts=…, message and values quoted when they hold a space, '=' or '"' or are empty


def slog(sc: Scenario, t: float, level: str, msg: str, **kv) -> str:
    """Go log/slog JSON handler (nanosecond timestamps)."""
    d = sc.at(t)
    ts = d.strftime("%Y-%m-%dT%H:%M:%S") + f".{d.microsecond:06d}" + f"{sc.rng.randint(0, 999):03d}Z"
    obj = {"time": ts, "level": level.upper(), "msg": msg}
    obj.update(kv)
    return jline(obj)
