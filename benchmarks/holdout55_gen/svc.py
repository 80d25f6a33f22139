"""Helpers for container and host log streams (task lifetimes, sampled request lines, startup banners)."""
from __future__ import annotations

from . import fmt
from .kit import arrivals, hexid


def spring_boot_start(rng, t: float, app: str, main: str, version: str, java: str = "17.0.10") -> list:
    lines = [
        ("INFO", "main", f"c.a.{app.split('-')[0]}.{main}", f"Starting {main} v{version} using Java {java} with PID 1 (/app/app.jar started by app in /app)"),
        ("INFO", "main", f"c.a.{app.split('-')[0]}.{main}", 'The following 1 profile is active: "prod"'),
        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)"),
        ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
        ("INFO", "main", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@" + hexid(rng, 8)),
        ("INFO", "main", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
        ("INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port 8080 (http) with context path ''"),
        ("INFO", "main", f"c.a.{app.split('-')[0]}.{main}", f"Started {main} in {rng.uniform(17, 26):.3f} seconds (process running for {rng.uniform(27, 31):.2f})"),
    ]
    out, tt = [], t
    for level, thread, logger, msg in lines:
        tt += rng.uniform(0.2, 3.0)
        out.append((tt, fmt.spring(level, tt, app, thread, logger, msg)))
    return out


def spring_boot_stop(rng, t: float, app: str) -> list:
    steps = [("INFO", "SpringApplicationShutdownHook", "o.s.b.w.e.tomcat.GracefulShutdown", "Commencing graceful shutdown. Waiting for active requests to complete"),
             ("INFO", "tomcat-shutdown", "o.s.b.w.e.tomcat.GracefulShutdown", "Graceful shutdown complete"),
             ("INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown initiated..."),
             ("INFO", "SpringApplicationShutdownHook", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Shutdown completed.")]
    out, tt = [], t
    for level, thread, logger, msg in steps:
        tt += rng.uniform(0.1, 1.5)
        out.append((tt, fmt.spring(level, tt, app, thread, logger, msg)))
    return out


def sampled(rng, t0: float, t1: float, per_min, make) -> list:
    """``make(t)`` for Poisson arrivals between t0 and t1."""
    return [(t, make(t)) for t in arrivals(rng, t0, t1, per_min)]


def ip(rng, prefix: str = "10.0") -> str:
    return f"{prefix}.{rng.randint(1, 15)}.{rng.randint(2, 250)}"


def task_id(rng) -> str:
    return hexid(rng, 32)
