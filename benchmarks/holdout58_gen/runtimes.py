"""Log line formats per runtime for the holdout58 scenario set: set 57's
(:mod:`benchmarks.holdout57_gen.runtimes`, which also holds its nodejs16/18, python3.9 and
ruby3.2 runtime versions and `zap`), plus CLEF, Laravel, logfmt and pino-with-context lines."""
from __future__ import annotations

from benchmarks.holdout57_gen.runtimes import (INIT_MS, RUNTIME_VERSION, LambdaLogs, gunicorn, jline, logfmt_writer,
                                               mysql, nginx, pg, rails, serilog, spring, zap)

from .common import Scenario

__all__ = ["INIT_MS", "RUNTIME_VERSION", "LambdaLogs", "clef", "gunicorn", "jline", "laravel", "logfmt", "mysql",
           "nginx", "pg", "pino", "rails", "serilog", "spring", "zap"]


def clef(sc: Scenario, t: float, level: str, template: str, exc: str | None = None, **props) -> str:
    """Serilog compact JSON (CLEF)."""
    obj = {"@t": sc.iso(t, 6)[:-1] + "0Z", "@mt": template}
    if level != "Information":
        obj["@l"] = level
    if exc:
        obj["@x"] = exc
    obj.update(props)
    return jline(obj)


logfmt = logfmt_writer("time", quote_msg=True, specials=" =:", quote_empty=False)


def laravel(sc: Scenario, t: float, level: str, msg: str, ctx: str = "[]") -> str:
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] production.{level}: {msg} {ctx}"


def pino(sc: Scenario, t: float, level: int, msg: str, ctx: str, **fields) -> str:
    """Nest.js pino JSON: a `context` and the message before the fields."""
    obj = {"level": level, "time": sc.epoch_ms(t), "pid": 1, "hostname": fields.pop("host", "ip-10-0-1-1"),
           "context": ctx, "msg": msg}
    obj.update(fields)
    return jline(obj)
