"""Shared pieces for incident recipes: the main function, faults that start at onset, deploy events."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import content
from .builder import Scenario
from .lambda_sim import LambdaFunction, Outcome, Request
from .series import baseline
from .timeline import TIMES


def main_function(sc: Scenario, domain: str | None = None, name: str | None = None, warn_rate: float | None = None,
                  **overrides: Any) -> LambdaFunction:
    """The function the incident is about, with steady pre-existing warnings (a decoy) by default."""
    domain = domain or sc.namer.domain()
    name = name or sc.namer.function(domain)
    params: dict[str, Any] = dict(
        name=name, rate=baseline(sc.rng, sc.uniform(2.5, 6), 0.05, sc.uniform(0.1, 0.3)),
        work=content.work(domain, sc.uniform(0.7, 1.0)), runtime=sc.pick(["python3.12", "python3.12", "python3.11",
                                                                           "nodejs20.x"]),
        memory_size=sc.pick([256, 512, 1024]), timeout=sc.pick([10, 15, 30, 30, 60]),
        duration_ms=sc.uniform(60, 450), memory_used_mb=sc.randint(70, 160))
    params.update(overrides)
    fn = LambdaFunction(**params)
    if warn_rate is None:
        warn_rate = sc.uniform(0.02, 0.08)
    if warn_rate > 0:
        fn.noise.append(content.steady_warnings(sc, warn_rate))
        sc.decoys.append(f"steady pre-existing warnings in {name} logs")
    return fn


def ramp_weight(t: float, onset: float, ramp_s: float) -> float:
    return max(0.0, min(1.0, (t - onset) / max(ramp_s, 1.0)))


def after_onset(sc: Scenario, probability: float, make: Callable[[Request], Outcome],
                ramp_s: float = 120, onset: float | None = None, end: float | None = None) -> Callable[[Request], Outcome | None]:
    """A fault that hits a growing share (up to ``probability``) of requests from ``onset`` on."""
    start = sc.onset if onset is None else onset

    def fault(request: Request) -> Outcome | None:
        if request.t < start or (end is not None and request.t > end):
            return None
        if request.rng.random() < probability * ramp_weight(request.t, start, ramp_s):
            return make(request)
        return None
    return fault


def lambda_deploy(sc: Scenario, function: str, at: float, user: str | None = None) -> None:
    user = user or sc.namer.user()
    sc.add_change(at, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", function, user)
    sc.add_change(at + sc.randint(3, 25), "lambda.amazonaws.com", "PublishVersion20150331", "AWS::Lambda::Function",
                  function, user)


def lead_time(sc: Scenario, low_min: float = 5, high_min: float = 20) -> float:
    """When the triggering change happened: a few minutes before onset."""
    return sc.onset - sc.uniform(low_min * 60, high_min * 60)


def errors_alarm(sc: Scenario, function: str, errors_ref: dict) -> str:
    return alarm_from_data(sc, f"{function}-errors", errors_ref, "Sum", description=f"{function} Lambda errors")



def alarm_from_data(sc: Scenario, name: str, ref: dict, statistic: str, comparison: str = "GreaterThanThreshold",
                    period: int = 60, evaluation_periods: int | None = None, description: str | None = None) -> str:
    """An alarm whose threshold sits between the pre-onset and post-onset values of the metric and whose
    state_changed is when the data first breached it for ``evaluation_periods`` periods."""
    values = sc.values_of(ref)
    evaluation_periods = evaluation_periods or sc.pick([2, 3])
    threshold, changed = breach(values, sc.onset, comparison, period, evaluation_periods,
                                integer=statistic == "Sum")
    return sc.add_alarm(name, ref, statistic, threshold, comparison, period, evaluation_periods,
                        state_changed=changed + sc.randint(20, 90), description=description)


def breach(values: np.ndarray, onset: float, comparison: str, period: int, periods: int,
           integer: bool = False) -> tuple[float, float]:
    """(threshold, time of the first breach) for a metric that moves at ``onset``."""
    per = period // 60
    usable = len(values) // per * per
    agg = values[len(values) - usable:].reshape(-1, per).mean(axis=1)
    times = TIMES[len(values) - usable:].reshape(-1, per)[:, -1]
    before, after = agg[times < onset], agg[times >= onset + 60]
    greater = comparison.startswith("Greater")
    if greater:
        low, high = float(np.max(before)), float(np.quantile(after[len(after) // 3:], 0.25))
    else:
        low, high = float(np.quantile(after[len(after) // 3:], 0.75)), float(np.min(before))
    threshold = _nice(low + (high - low) * 0.6, down=greater) if high > low else _nice(low, down=greater)
    if integer:
        threshold = float(max(int(low), int(threshold)))
    for i in range(len(agg) - periods + 1):
        window = agg[i:i + periods]
        if times[i] >= onset - 60 and (np.all(window > threshold) if greater else np.all(window < threshold)):
            return threshold, float(times[i + periods - 1])
    return threshold, float(onset + periods * period)


def _nice(value: float, down: bool = True) -> float:
    """A threshold a human would type: 2 significant digits, rounded toward the pre-incident side."""
    if value <= 0:
        return 0.0
    digits = 1 - int(np.floor(np.log10(abs(value))))
    scale = 10.0 ** digits
    rounded = round(float((np.floor if down else np.ceil)(value * scale) / scale), max(digits, 0))
    return float(int(rounded)) if rounded >= 10 or rounded == int(rounded) else float(rounded)
