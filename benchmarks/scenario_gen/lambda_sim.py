"""Request-level simulation of a Lambda function: START/END/REPORT lines, app lines, faults, and the
per-minute metrics (Invocations, Errors, Throttles, Duration, ConcurrentExecutions) derived from them."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import logs
from .builder import Scenario
from .logs import Frame
from .series import Series
from .timeline import MINUTES, START, STEP, stream_date

LogLines = list[tuple[float, str]]


@dataclass
class Request:
    """One invocation being simulated; helpers format lines in the function's runtime style."""

    t: float
    req: str
    fn: "LambdaFunction"
    rng: np.random.Generator

    def line(self, level: str, message: str, offset: float = 0.01) -> tuple[float, str]:
        return self.t + offset, logs.runtime_line(self.fn.runtime, level, self.t + offset, self.req, message)

    def exception(self, exc_type: str, message: str, frames: list[Frame], offset: float = 0.05,
                  summary: str | None = None) -> tuple[float, str]:
        return self.t + offset, logs.runtime_exception(self.fn.runtime, self.t + offset, self.req, exc_type,
                                                       message, frames, summary)


@dataclass
class Outcome:
    """What a faulty request did: ``error`` (handled by the runtime), ``timeout``, ``killed`` or ``slow``
    (succeeded, but took ``duration_ms``)."""

    kind: str
    lines: LogLines = field(default_factory=list)
    duration_ms: float | None = None


Fault = Callable[[Request], "Outcome | None"]
Noise = Callable[[Request], LogLines]


@dataclass
class LambdaFunction:
    name: str
    rate: Series                      # expected requests per minute (demand)
    work: Callable[[Request], LogLines]
    runtime: str = "python3.12"
    memory_size: int = 512
    timeout: int = 30
    duration_ms: float = 180.0        # median of a healthy request
    duration_sigma: float = 0.35
    duration_factor: Series | None = None
    memory_used_mb: int = 90
    reserved_concurrency: int | None = None
    faults: list[Fault] = field(default_factory=list)
    noise: list[Noise] = field(default_factory=list)
    restarts: list[float] = field(default_factory=list)   # deploys/config updates: fresh environments
    properties: dict = field(default_factory=dict)


@dataclass
class SimResult:
    invocations: Series
    errors: Series
    throttles: Series
    duration: Series
    concurrency: Series
    requests: list[tuple[float, str, str, float]]   # (t, request id, status, duration ms)
    throttled_times: list[float]


def simulate(sc: Scenario, fn: LambdaFunction) -> SimResult:
    rng = sc.rng
    factor = fn.duration_factor if fn.duration_factor is not None else np.ones(MINUTES)
    inv, err, thr = np.zeros(MINUTES), np.zeros(MINUTES), np.zeros(MINUTES)
    dur_sum, conc = np.zeros(MINUTES), np.zeros(MINUTES)
    streams = _Streams(sc, fn)
    requests, throttled_times = [], []
    for i in range(MINUTES):
        minute_start = START + i * STEP
        demand = int(rng.poisson(max(fn.rate[i], 0)))
        mean_s = fn.duration_ms * factor[i] / 1000 * math.exp(fn.duration_sigma ** 2 / 2)
        accepted = demand
        if fn.reserved_concurrency and demand * mean_s / 60 > fn.reserved_concurrency:
            accepted = min(demand, int(fn.reserved_concurrency * 60 / mean_s * rng.uniform(0.95, 1.0)))
        times = np.sort(rng.uniform(minute_start, minute_start + STEP, demand))
        chosen = set(rng.choice(demand, accepted, replace=False).tolist()) if accepted < demand else None
        for k, t in enumerate(times):
            t = float(t)
            if chosen is not None and k not in chosen:
                thr[i] += 1
                throttled_times.append(t)
                continue
            status, duration = _run_request(sc, fn, streams, t, float(factor[i]))
            requests.append((t, streams.last_req, status, duration))
            inv[i] += 1
            dur_sum[i] += duration
            err[i] += status not in ("ok", "slow")
        level = accepted * mean_s / 60
        if fn.reserved_concurrency and accepted < demand:
            conc[i] = fn.reserved_concurrency
        elif accepted:
            conc[i] = min(fn.reserved_concurrency or 10_000, max(1, math.ceil(level * rng.uniform(1.0, 1.5))))
    duration = np.divide(dur_sum, inv, out=np.zeros(MINUTES), where=inv > 0)
    streams.flush()
    return SimResult(inv, err, thr, duration, conc, requests, throttled_times)


def _run_request(sc: Scenario, fn: LambdaFunction, streams: "_Streams", t: float, factor: float) -> tuple[str, float]:
    req = sc.namer.request_id()
    streams.last_req = req
    stream = streams.for_time(t)
    request = Request(t, req, fn, sc.rng)
    outcome = next((o for o in (fault(request) for fault in fn.faults) if o is not None), None)
    used = int(fn.memory_used_mb * sc.rng.uniform(0.93, 1.08))
    lines: LogLines = [(t, logs.start(req))]
    status, report_status = "ok", None
    if outcome is None:
        duration = fn.duration_ms * factor * float(np.exp(sc.rng.normal(0, fn.duration_sigma)))
        duration = min(duration, fn.timeout * 1000 * 0.97)
        lines += fn.work(request)
        for noise in fn.noise:
            lines += noise(request)
    else:
        status = outcome.kind
        lines += outcome.lines
        if outcome.kind == "timeout":
            duration = fn.timeout * 1000 + sc.rng.uniform(2, 40)
            lines.append((t + duration / 1000, logs.task_timed_out(t + duration / 1000, req, fn.timeout)))
            report_status = "timeout"
        elif outcome.kind == "killed":
            duration = outcome.duration_ms or fn.duration_ms * sc.rng.uniform(3, 8)
            used = fn.memory_size
            lines.append((t + duration / 1000, logs.runtime_killed(req)))
            report_status = "error\tError Type: Runtime.ExitError"
        else:
            duration = outcome.duration_ms or fn.duration_ms * factor * float(np.exp(sc.rng.normal(0, 0.3)))
    t_end = t + duration / 1000 + 0.002
    lines.append((t_end, logs.end(req)))
    lines.append((t_end + 0.001, logs.report(req, duration, fn.memory_size, used, report_status)))
    if status == "killed":  # the sandbox is reset and initialises again in the same stream
        lines.append((t_end + sc.uniform(0.3, 1.5), logs.init_start(fn.runtime, sc.region)))
    stream.extend(lines)
    return status, duration


class _Streams:
    """Execution environments: each writes its own log stream; deploys and crashes replace them."""

    def __init__(self, sc: Scenario, fn: LambdaFunction) -> None:
        self.sc, self.fn = sc, fn
        self.restarts = sorted(fn.restarts)
        self.pool: list[list[tuple[float, str]]] = []
        self.done: list[list[tuple[float, str]]] = []
        self.next_recycle = START + sc.uniform(1800, 5400)
        self.last_req = ""

    def for_time(self, t: float) -> list[tuple[float, str]]:
        while self.restarts and t >= self.restarts[0]:
            self.restarts.pop(0)
            self.done += self.pool
            self.pool = []
        if t >= self.next_recycle and self.pool:
            self.retire(self.pool[0])
            self.next_recycle = t + self.sc.uniform(2400, 6000)
        size = max(1, min(3, math.ceil(float(np.max(self.fn.rate)) * self.fn.duration_ms / 60000 + 0.5)))
        if len(self.pool) < size and (not self.pool or self.sc.chance(0.3)):
            stream = [(t - self.sc.uniform(0.2, 0.9), logs.init_start(self.fn.runtime, self.sc.region))]
            self.pool.append(stream)
            return stream
        return self.pool[int(self.sc.rng.integers(len(self.pool)))]

    def retire(self, stream: list[tuple[float, str]]) -> None:
        for index, candidate in enumerate(self.pool):
            if candidate is stream:
                self.done.append(self.pool.pop(index))
                return

    def flush(self) -> None:
        self.done += self.pool
        self.pool = []
        for events in self.done:
            name = f"{stream_date()}/[$LATEST]{self.sc.namer.hex(32)}"
            self.sc.add_log(f"/aws/lambda/{self.fn.name}", name, events)


def emit(sc: Scenario, fn: LambdaFunction) -> tuple[SimResult, dict[str, dict]]:
    """Simulate ``fn`` and add its resource, metrics and logs; returns the metric refs by name."""
    props = {"runtime": fn.runtime, "timeout": fn.timeout, "memory_size": fn.memory_size}
    if fn.reserved_concurrency:
        props["reserved_concurrency"] = fn.reserved_concurrency
    props.update(fn.properties)
    sc.add_resource("lambda", fn.name, **props)
    result = simulate(sc, fn)
    dims = {"FunctionName": fn.name}
    refs = {
        "Invocations": sc.add_metric("AWS/Lambda", "Invocations", dims, "Count", result.invocations),
        "Errors": sc.add_metric("AWS/Lambda", "Errors", dims, "Count", result.errors),
        "Throttles": sc.add_metric("AWS/Lambda", "Throttles", dims, "Count", result.throttles),
        "Duration": sc.add_metric("AWS/Lambda", "Duration", dims, "Milliseconds", result.duration,
                                  keep=result.invocations > 0),
        "ConcurrentExecutions": sc.add_metric("AWS/Lambda", "ConcurrentExecutions", dims, "Count",
                                              result.concurrency),
    }
    return result, refs
