"""A web tier under construction: an ALB in front of an ECS service, with task log streams that are
replaced on deployments and crashes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import compute, content, logs, web
from .builder import Scenario
from .series import Series
from .timeline import TIMES

APPS = {"java": "Application", "json": "server"}


@dataclass
class EcsTier:
    domain: str
    cluster: str
    service: str
    alb_id: str
    alb: dict[str, Series]
    ecs: dict[str, Series]
    style: str
    tasks: int
    restarts: list[float] = field(default_factory=list)
    extra_events: list[tuple[float, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.cluster}/{self.service}"


def ecs_tier(sc: Scenario, domain: str | None = None) -> EcsTier:
    domain = domain or sc.namer.domain()
    service = sc.namer.service(domain)
    tasks = sc.randint(2, 4)
    alb_id, alb = web.alb_for(sc, f"{service}-alb", sc.uniform(150, 1200), tasks)
    return EcsTier(domain, sc.namer.cluster(), service, alb_id, alb, compute.ecs_baseline(sc),
                   sc.pick(["java", "json"]), tasks)


def add_5xx(tier: EcsTier, share: Callable[[float], float], rng: np.random.Generator,
            key: str = "HTTPCode_Target_5XX_Count") -> None:
    shares = np.array([share(float(t)) for t in TIMES])
    tier.alb[key] = tier.alb[key] + rng.binomial(tier.alb["RequestCount"].astype(int), np.clip(shares, 0, 1))


def emit_tier(sc: Scenario, tier: EcsTier, error_share: Callable[[float], float],
              error_line: Callable[[float], str]) -> tuple[dict, dict]:
    """Emit ALB + ECS metrics and the service's task log streams; returns (alb refs, ecs refs)."""
    alb_refs = compute.emit_alb(sc, tier.alb_id, tier.alb, [tier.id])
    ecs_refs = compute.emit_ecs(sc, tier.cluster, tier.service, tier.ecs, desired_count=tier.tasks,
                                load_balancer=tier.alb_id)
    tier.extra_events += content.steady_text_warnings(sc, tier.style, (120, 600))
    sc.decoys.append(f"steady pre-existing warnings in /ecs/{tier.service}")
    rt = tier.alb["TargetResponseTime"]
    events = web.app_events(sc, web.ok_line(sc, tier.style, tier.domain, web.series_at(rt)),
                            error_share, error_line) + tier.extra_events
    bounds = [-1e9] + sorted(tier.restarts) + [1e9]
    for lo, hi in zip(bounds, bounds[1:]):
        chunk = [e for e in events if lo <= e[0] < hi]
        streams: list[list[tuple[float, str]]] = [[] for _ in range(tier.tasks)]
        for event in chunk:
            streams[int(sc.rng.integers(tier.tasks))].append(event)
        for stream in streams:
            if lo > -1e8:
                stream.insert(0, (lo + sc.uniform(8, 25), startup_line(sc, tier, lo + 20)))
            sc.add_log(f"/ecs/{tier.service}", compute.ecs_stream(sc, tier.service), stream)
    return alb_refs, ecs_refs


def startup_line(sc: Scenario, tier: EcsTier, t: float) -> str:
    if tier.style == "java":
        name = tier.domain.capitalize() + "ServiceApplication"
        return logs.java_line(t, "INFO", "main", f"c.e.{tier.domain}.{name}",
                              f"Started {name} in {sc.uniform(6, 14):.3f} seconds (process running for "
                              f"{sc.uniform(14, 20):.1f})")
    return logs.json_line(t, "info", "server listening", port=8080)


def error_line(sc: Scenario, tier: EcsTier, exc: str, message: str, frames: list[tuple[str, str, int]],
               summary: str = "Request processing failed") -> Callable[[float], str]:
    """An error line in the tier's style (Java stack trace or JSON with an ``error`` object)."""
    def make(t: float) -> str:
        if tier.style == "java":
            return logs.java_line(t, "ERROR", f"http-nio-8080-exec-{sc.randint(1, 24)}",
                                  "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                                  f"Servlet.service() for servlet [dispatcherServlet] threw exception\n"
                                  + logs.java_stack(exc, message, frames))
        stack = "\n".join([f"{exc}: {message}"] + [f"    at {m} ({s}:{ln})" for m, s, ln in frames])
        return logs.json_line(t, "error", summary, error={"type": exc.split(".")[-1], "message": message,
                                                          "stack": stack})
    return make


def frames_for(tier: EcsTier, method: str, line: int) -> list[tuple[str, str, int]]:
    """Stack frames in the tier's language (Java classes or Node source files)."""
    domain, cls = tier.domain, tier.domain.capitalize()
    if tier.style == "json":
        return [(method, f"/app/src/{domain}/service.js", line), ("handle", f"/app/src/{domain}/routes.js", 41)]
    return [(f"com.example.{domain}.service.{cls}Service.{method}", f"{cls}Service.java", line),
            (f"com.example.{domain}.web.{cls}Controller.handle", f"{cls}Controller.java", 57)]
