"""Log line formats per runtime for the holdout63 scenario set: set 57's
(:mod:`benchmarks.holdout57_gen.runtimes`, which also holds `pino` and `zap`), plus Laravel,
PHP-FPM, logfmt and access-log lines."""
from __future__ import annotations

from benchmarks.holdout57_gen import runtimes as _set57
from benchmarks.holdout57_gen.runtimes import (INIT_MS, RUNTIME_VERSION, LambdaLogs, gunicorn, jline, logfmt_writer,
                                               mysql, nginx, pg, pino, rails, serilog, spring)

from .common import Scenario

__all__ = ["INIT_MS", "RUNTIME_VERSION", "LambdaLogs", "access", "gunicorn", "jline", "laravel", "logfmt", "mysql",
           "nginx", "pg", "php_fpm", "pino", "rails", "serilog", "spring", "zap"]


def laravel(sc: Scenario, t: float, level: str, msg: str, env: str = "production") -> str:
    return f"[{sc.at(t).strftime('%Y-%m-%d %H:%M:%S')}] {env}.{level.upper()}: {msg}"


def php_fpm(sc: Scenario, t: float, level: str, msg: str) -> str:
    return f"[{sc.at(t).strftime('%d-%b-%Y %H:%M:%S')}] {level.upper()}: {msg}"


logfmt = logfmt_writer(quote_msg=True, specials=" =")  # ts=…, message always quoted


def zap(sc: Scenario, t: float, level: str, caller: str, msg: str, **kv) -> str:
    """Set 57's `zap`, taking the caller before the message."""
    return _set57.zap(sc, t, level, msg, caller, **kv)


def access(sc: Scenario, t: float, ip: str, method: str, path: str, status: int, size: int,
           rt: float, ua: str = "Mozilla/5.0") -> str:
    """Gunicorn/Apache combined log with response time in seconds at the end."""
    d = sc.at(t)
    return (f'{ip} - - [{d.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{method} {path} HTTP/1.1" '
            f'{status} {size} "-" "{ua}" {rt:.3f}')
