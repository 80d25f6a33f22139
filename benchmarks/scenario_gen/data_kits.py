"""API Gateway and RDS building blocks: metrics and logs for one resource, healthy unless overridden."""
from __future__ import annotations

import numpy as np

from . import logs
from .builder import Scenario
from .lambda_sim import SimResult
from .series import Series, baseline, clip, counts
from .timeline import MINUTES, START, minute_index

GB = 1_000_000_000


def emit_api(sc: Scenario, api: str, api_id: str, result: SimResult, function: str,
             latency_extra: Series | None = None) -> dict[str, dict]:
    """An API Gateway REST API proxying to one function; 5xx/4xx and execution logs follow the function."""
    sc.add_resource("apigateway", api, api_id=api_id, stage="prod", integration=function)
    client_4xx = counts(sc.rng, np.maximum(result.invocations, 0.5) * sc.uniform(0.005, 0.02))
    count = result.invocations + result.throttles + client_4xx
    err_5xx = np.zeros(MINUTES)
    lat_sum = np.zeros(MINUTES)
    events: list[tuple[float, str]] = []
    for t, req, status, duration in result.requests:
        i = minute_index(t)
        overhead = sc.uniform(12, 35)
        lat_sum[i] += min(duration, 29000) + overhead
        if status == "ok" or (status == "slow" and duration <= 29000):
            continue
        err_5xx[i] += 1
        api_req = sc.namer.request_id()
        if status in ("timeout", "slow") and duration > 29000:
            events.append((t + 29.0, logs.apigw(api_req, "Execution failed due to a timeout error")))
            events.append((t + 29.001, logs.apigw(api_req, "Method completed with status: 504")))
        else:
            when = t + duration / 1000 + 0.01
            events.append((when, logs.apigw(api_req, "Lambda execution failed with status 200 due to customer "
                                                     f"function error: {_error_kind(status)}. Lambda request id: {req}")))
            events.append((when + 0.001, logs.apigw(api_req, "Method completed with status: 502")))
    for t in result.throttled_times:
        api_req = sc.namer.request_id()
        i = minute_index(t)
        lat_sum[i] += sc.uniform(8, 25)
        events.append((t + 0.02, logs.apigw(api_req, "Lambda invocation failed with status: 429. Lambda request id: "
                                                     f"{sc.namer.request_id()}")))
        events.append((t + 0.021, logs.apigw(api_req, "Execution failed due to configuration error: Rate Exceeded.")))
        events.append((t + 0.022, logs.apigw(api_req, "Method completed with status: 429")))
    served = result.invocations + result.throttles
    latency = np.divide(lat_sum, served, out=np.zeros(MINUTES), where=served > 0)
    if latency_extra is not None:
        latency = latency + latency_extra
    dims = {"ApiName": api}
    refs = {
        "Count": sc.add_metric("AWS/ApiGateway", "Count", dims, "Count", count),
        "4XXError": sc.add_metric("AWS/ApiGateway", "4XXError", dims, "Count", client_4xx + result.throttles),
        "5XXError": sc.add_metric("AWS/ApiGateway", "5XXError", dims, "Count", err_5xx),
        "Latency": sc.add_metric("AWS/ApiGateway", "Latency", dims, "Milliseconds", latency, keep=served > 0),
    }
    sc.add_log(f"API-Gateway-Execution-Logs_{api_id}/prod", sc.namer.hex(32), events)
    return refs


def _error_kind(status: str) -> str:
    return {"killed": "Runtime.ExitError", "timeout": "Task timed out"}.get(status, "Unhandled")


def rds_baseline(sc: Scenario, max_connections: int, allocated_gb: int) -> dict[str, Series]:
    free_start = allocated_gb * GB * sc.uniform(0.35, 0.7)
    return {
        "CPUUtilization": clip(baseline(sc.rng, sc.uniform(8, 35), 0.08, 0.2), 1, 100),
        "DatabaseConnections": np.round(clip(baseline(sc.rng, max_connections * sc.uniform(0.12, 0.4), 0.06, 0.15),
                                             1, max_connections)),
        "FreeStorageSpace": np.linspace(free_start, free_start * sc.uniform(0.995, 0.999), MINUTES)
        * (1 + sc.rng.normal(0, 0.0004, MINUTES)),
        "FreeableMemory": baseline(sc.rng, sc.uniform(1.2, 6) * GB, 0.02, 0.05),
        "ReadLatency": clip(baseline(sc.rng, sc.uniform(0.0008, 0.004), 0.15, 0.1), 0.0002, None),
        "WriteLatency": clip(baseline(sc.rng, sc.uniform(0.0015, 0.006), 0.15, 0.1), 0.0003, None),
    }


_RDS_UNITS = {"CPUUtilization": "Percent", "DatabaseConnections": "Count", "FreeStorageSpace": "Bytes",
              "FreeableMemory": "Bytes", "ReadLatency": "Seconds", "WriteLatency": "Seconds"}


def emit_rds(sc: Scenario, db: str, engine: str, series: dict[str, Series], max_connections: int,
             allocated_gb: int, extra_events: list[tuple[float, str]] | None = None,
             instance_class: str = "db.r6g.large") -> dict[str, dict]:
    """RDS metrics from ``series`` (see :func:`rds_baseline`) plus the engine log with routine lines."""
    sc.add_resource("rds", db, engine=engine, instance_class=instance_class, max_connections=max_connections,
                    allocated_storage_gb=allocated_gb, endpoint=f"{db}.c9akciq32.{sc.region}.rds.amazonaws.com")
    dims = {"DBInstanceIdentifier": db}
    refs = {}
    for name, values in series.items():
        decimals = 0 if _RDS_UNITS[name] in ("Bytes", "Count") else (5 if _RDS_UNITS[name] == "Seconds" else 3)
        refs[name] = sc.add_metric("AWS/RDS", name, dims, _RDS_UNITS[name], values, decimals=decimals)
    routine = _postgres_routine(sc) if engine == "postgres" else _mysql_routine(sc)
    group = f"/aws/rds/instance/{db}/{'postgresql' if engine == 'postgres' else 'error'}"
    sc.add_log(group, f"{db}.0", routine + (extra_events or []))
    return refs


def _postgres_routine(sc: Scenario) -> list[tuple[float, str]]:
    events = []
    for t in np.arange(START + sc.uniform(0, 300), -60, 300):
        t = float(t)
        pid = sc.randint(400, 900)
        events.append((t, logs.postgres(t, "LOG", "checkpoint starting: time", pid=pid)))
        buffers = sc.randint(40, 2400)
        done = t + sc.uniform(20, 200)
        events.append((done, logs.postgres(done, "LOG", f"checkpoint complete: wrote {buffers} buffers "
                                           f"({buffers / 16384 * 100:.1f}%); 0 WAL file(s) added, 0 removed, "
                                           f"{sc.randint(0, 3)} recycled; write={sc.uniform(5, 190):.3f} s, "
                                           f"sync={sc.uniform(0.001, 0.05):.3f} s", pid=pid)))
        if sc.chance(0.2):
            table = sc.pick(["orders", "sessions", "events", "line_items", "audit_log"])
            v = t + sc.uniform(30, 250)
            events.append((v, logs.postgres(v, "LOG", f'automatic vacuum of table "app.public.{table}": index scans: 1',
                                            pid=sc.randint(10000, 30000))))
    return events


def _mysql_routine(sc: Scenario) -> list[tuple[float, str]]:
    events = []
    t = START + sc.uniform(60, 900)
    while t < -60:
        ip = sc.namer.private_ip()
        events.append((t, logs.mysql(t, "Note", "MY-010914", f"Aborted connection {sc.randint(1000, 90000)} to db: "
                                     f"'app' user: 'app' host: '{ip}' (Got an error reading communication packets).",
                                     thread=sc.randint(100, 9000))))
        t += sc.uniform(400, 1500)
    return events


__all__ = ["GB", "emit_api", "rds_baseline", "emit_rds"]
