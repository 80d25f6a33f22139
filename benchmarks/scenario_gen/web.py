"""Web tier helpers: an ALB in front of ECS tasks or EC2 instances, with sampled app/access logs whose
errors and latency follow the incident."""
from __future__ import annotations

from typing import Callable

from . import compute, logs
from .builder import Scenario
from .compute import access_log, sampled_times
from .series import Series
from .timeline import minute_index

LineMaker = Callable[[float], str]


def web_paths(domain: str) -> list[str]:
    return [f"/api/{domain}", f"/api/{domain}/items", f"/api/{domain}/search", "/healthz", f"/api/{domain}/orders"]


def app_events(sc: Scenario, ok: LineMaker, error_share: Callable[[float], float], error: LineMaker,
               every: tuple[float, float] = (8, 20)) -> list[tuple[float, str]]:
    """Sampled app log: each line is an error with probability ``error_share(t)``, otherwise ``ok(t)``."""
    events = []
    for t in sampled_times(sc, every):
        events.append((t, error(t) if sc.rng.random() < error_share(t) else ok(t)))
    return events


def ok_line(sc: Scenario, style: str, domain: str, latency_at: Callable[[float], float] | None = None) -> LineMaker:
    paths = web_paths(domain)

    def make(t: float) -> str:
        ms = int((latency_at(t) if latency_at else sc.uniform(0.02, 0.2)) * 1000 * sc.uniform(0.6, 1.4))
        path = sc.pick(paths)
        if style == "java":
            return logs.java_line(t, "INFO", f"http-nio-8080-exec-{sc.randint(1, 24)}",
                                  "o.s.web.servlet.DispatcherServlet", f"Completed 200 OK in {ms}ms ({path})")
        if style == "json":
            return logs.json_line(t, "info", "request completed", path=path, status=200, duration_ms=ms)
        return f"INFO  {path} 200 {ms}ms"
    return make


def share_after(onset: float, peak: float, ramp_s: float = 120, base: float = 0.0) -> Callable[[float], float]:
    return lambda t: base + (peak - base) * max(0.0, min(1.0, (t - onset) / ramp_s)) if t >= onset else base


def series_at(values: Series) -> Callable[[float], float]:
    return lambda t: float(values[minute_index(t)])


def alb_for(sc: Scenario, name: str, rpm: float, hosts: int) -> tuple[str, dict[str, Series]]:
    alb_id = sc.namer.alb_id(name)
    return alb_id, compute.alb_baseline(sc, rpm, hosts)



def access_events(sc: Scenario, domain: str, rt: Series, fail_share: Callable[[float], float]) -> list:
    return access_log(sc, web_paths(domain), lambda t: 500 if sc.rng.random() < fail_share(t) else
                      (404 if sc.rng.random() < 0.01 else 200), lambda t: float(rt[minute_index(t)]) *
                      sc.uniform(0.5, 1.6))
