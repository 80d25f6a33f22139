"""Client-side series maths for polling: derived rates and the "current, sustained, material" gates.

CloudWatch metric math is not used (the emulator lacks it, and it costs query
slots): rates such as Lambda error rate (100 * Errors / Invocations) are computed
here from the raw series. The gates turn a series into at most one threshold
:class:`Signal` and one anomaly :class:`Signal`, and only when the problem is
*current* (latest points), *sustained* (several points) and *material* (a real
relative change) — the poller must not cry wolf. Pure: numpy only, times passed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Sequence

import numpy as np

from .catalog import DERIVED_RATES, ERROR_COUNT_METRICS, DerivedRate, is_percent
from .detection import StaticThreshold, raw_scores
from .incidents import Signal
from .model import MetricKey, ResourceRef, Series


# Derived rates ------------------------------------------------------------------------------

def ratio_series(numerator: Series | None, denominator: Series, rate: DerivedRate, series_id: str) -> Series:
    """100 * numerator / denominator (or / (numerator + denominator), see `DerivedRate.over_attempts`) on the
    denominator's timestamps.

    A missing numerator point counts as 0 (error counts are often not emitted when
    nothing failed); a zero denominator is a missing point (NaN), not a rate. Over attempts, the
    timestamps are both series' (refusals with nothing served, e.g. a balancer with no healthy target,
    read 100 %; a missing denominator point counts as 0).
    """
    stamps = denominator.timestamps
    if rate.over_attempts and numerator is not None and numerator.timestamps != stamps:
        stamps = tuple(sorted(set(stamps) | set(numerator.timestamps)))
    if stamps == denominator.timestamps:
        den = np.asarray(denominator.values, dtype=float)
    else:
        served = dict(zip(denominator.timestamps, denominator.values))
        den = np.array([served.get(ts, 0.0) for ts in stamps], dtype=float)
    if numerator is not None and numerator.timestamps == stamps:
        num = np.asarray(numerator.values, dtype=float)
    else:
        known = dict(zip(numerator.timestamps, numerator.values)) if numerator is not None else {}
        num = np.array([known.get(ts, 0.0) for ts in stamps], dtype=float)
    if rate.over_attempts:
        den = np.nan_to_num(den) + num  # every call tried: the served ones and the refused ones
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)
    key = denominator.key
    derived_key = MetricKey(key.namespace, rate.name, key.dimensions, "Rate", key.region)
    return Series(series_id, derived_key, stamps, tuple(values.tolist()), rate.unit)


def derive_rates(series: Sequence[Series], wanted: Iterable[str] | None = None) -> list[Series]:
    """Every derived rate (see ``catalog.DERIVED_RATES``) whose denominator series is present.

    ``wanted`` limits the rates computed by name; None computes all of them.
    """
    names = set(wanted) if wanted is not None else None
    by_identity: dict[tuple[str | None, str, tuple[tuple[str, str], ...]], dict[str, Series]] = {}
    for s in series:
        by_identity.setdefault((s.key.region, s.key.namespace, s.key.dimensions), {})[s.key.name] = s
    out: list[Series] = []
    for members in by_identity.values():
        resource = next(iter(members.values())).key.resource()
        if resource is None:
            continue
        for rate in DERIVED_RATES.get(resource.type, ()):
            if names is not None and rate.name not in names:
                continue
            denominator = members.get(rate.denominator)
            if denominator is None or not (denominator.values or rate.over_attempts):
                continue
            out.append(ratio_series(members.get(rate.numerator), denominator, rate, f"d{len(out) + 1}"))
    return out


# Gates ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gates:
    """How strict the poller is before it raises a signal."""

    sustain_points: int = 3  # consecutive latest points (2 for periods of 5 minutes or more)
    freshness_s: float = 300.0  # the latest point may lag "now" by this plus two periods
    min_relative_change: float = 0.25  # |level - baseline| / max(|baseline|, floor)
    min_history: int = 20  # valid points needed before the anomaly detector is trusted
    anomaly_score: float = 0.5  # raw detector score that marks an anomalous point
    max_gap: int = 1  # sub-threshold points tolerated inside an anomalous episode
    held_fraction: float = 0.8  # an older episode still counts if this share of points since stayed shifted

    def sustain_for(self, period: int) -> int:
        return max(2, self.sustain_points if period < 300 else self.sustain_points - 1)


DEFAULT_GATES = Gates()


def _valid(series: Series) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(series.values, dtype=float)
    stamps = np.asarray(series.timestamps, dtype=float)
    ok = np.isfinite(values)
    return stamps[ok], values[ok]


def _is_current(stamps: np.ndarray, now: datetime, period: int, gates: Gates) -> bool:
    return stamps.size > 0 and stamps[-1] >= now.timestamp() - gates.freshness_s - 2 * period


def _absolute_floor(key: MetricKey) -> float:
    """Smallest change that matters when the baseline is ~0 (one error per period, one percent point)."""
    if key.name in ERROR_COUNT_METRICS or key.stat == "Rate":
        return 1.0
    return 1e-6


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(float(epoch), timezone.utc)


def threshold_signal(series: Series, resource: ResourceRef | None, rule: StaticThreshold, period: int,
                     now: datetime, gates: Gates = DEFAULT_GATES) -> Signal | None:
    """A signal when M of the latest N points breach the static threshold, as a CloudWatch alarm's "M out of N"
    (M = the sustain count, N = 2M - 1: 3 of 5 for one-minute periods), the latest breach among the last two:
    sustained, and also intermittent (errors a balancer reports only in the minutes they occur). Onset = the
    first breach of the latest stretch whose gaps are never two points wide. Score 0.5 at the threshold, 1 at
    twice it (below: at 0), or for a percent of a capacity (CPU, memory, disk) at 100 %; a critical incident
    from 0.75."""
    stamps, values = _valid(series)
    sustain = gates.sustain_for(period)
    if values.size < sustain or not _is_current(stamps, now, period, gates):
        return None
    hit = rule.breaches(values)
    if hit[-(2 * sustain - 1):].sum() < sustain or not hit[-2:].any():
        return None
    start = int(np.flatnonzero(hit)[-1])
    while True:  # back over breaches and single-point gaps
        if start >= 1 and hit[start - 1]:
            start -= 1
        elif start >= 2 and hit[start - 2]:
            start -= 2
        else:
            break
    latest = float(values[np.flatnonzero(hit)[-1]])
    verb = "above" if rule.comparison.startswith("Greater") else "below"
    if verb == "above" and is_percent(series.key.namespace, series.key.name) and rule.threshold < 100:
        excess = min(1.0, (latest - rule.threshold) / (100.0 - rule.threshold))  # how much of the headroom is gone
    else:
        excess = abs(latest - rule.threshold) / max(abs(rule.threshold), 1.0)
    breached = int(hit[start:].sum())
    span = values.size - start
    text = (f"{series.key.name} {latest:.4g} {verb} threshold {rule.threshold:g} "
            + (f"for {span} points" if breached == span else f"in {breached} of the last {span} points"))
    return Signal("threshold", resource, series.key, _utc(stamps[start]), min(1.0, 0.5 + 0.5 * excess),
                  latest, text)


def _latest_episode(flags: np.ndarray, min_run: int, max_gap: int) -> tuple[int, int] | None:
    """(start, end) indices of the latest run of flags (gaps of <= max_gap tolerated), if long enough."""
    hits = np.flatnonzero(flags)
    if hits.size == 0:
        return None
    end = start = int(hits[-1])
    count = 1
    for idx in hits[-2::-1]:
        if start - int(idx) - 1 > max_gap:
            break
        start = int(idx)
        count += 1
    return (start, end) if count >= min_run else None


def _material_now(values: np.ndarray, baseline: float, floor: float, sustain: int,
                  min_change: float) -> str | None:
    """'up' or 'down' when each of the latest points departs materially from the baseline."""
    recent = values[-sustain:]
    scale = max(abs(baseline), floor)
    change = (recent - baseline) / scale
    if (change >= min_change).all():
        return "up"
    if (change <= -min_change).all():
        return "down"
    return None


def _held_since(values: np.ndarray, baseline: float, floor: float, direction: str, gates: Gates) -> bool:
    """True when most points since the onset stayed shifted (the detector has since adapted to them)."""
    change = (values - baseline) / max(abs(baseline), floor)
    if direction == "down":
        change = -change
    return float(np.mean(change >= gates.min_relative_change)) >= gates.held_fraction


def might_be_anomalous(series: Series, period: int, now: datetime, gates: Gates = DEFAULT_GATES) -> bool:
    """Cheap pre-screen (no detector): current, enough history, latest points far from an older level."""
    stamps, values = _valid(series)
    sustain = gates.sustain_for(period)
    if values.size < gates.min_history + sustain or not _is_current(stamps, now, period, gates):
        return False
    floor = _absolute_floor(series.key)
    history = values[:-sustain]
    oldest = history[: max(history.size // 2, gates.min_history // 2)]
    return any(_material_now(values, float(np.median(base)), floor, sustain, gates.min_relative_change)
               for base in (history, oldest))


def anomaly_candidates(series: Sequence[Series], periods: Sequence[int], now: datetime,
                       gates: Gates = DEFAULT_GATES) -> list[bool]:
    """:func:`might_be_anomalous` for many series at once (vectorised over series of equal length)."""
    out = [False] * len(series)
    cutoff = now.timestamp() - gates.freshness_s
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (one, period) in enumerate(zip(series, periods)):
        sustain = gates.sustain_for(period)
        if len(one.values) >= gates.min_history + sustain and one.timestamps[-1] >= cutoff - 2 * period:
            groups.setdefault((len(one.values), sustain), []).append(i)
    for (length, sustain), members in groups.items():
        matrix = np.array([series[i].values for i in members], dtype=float)
        complete = np.isfinite(matrix).all(axis=1)
        for row in np.flatnonzero(~complete):  # gaps: the exact per-series check
            i = members[int(row)]
            out[i] = might_be_anomalous(series[i], periods[i], now, gates)
        rows = np.flatnonzero(complete)
        if rows.size == 0:
            continue
        matrix = matrix[rows]
        floors = np.array([_absolute_floor(series[members[int(r)]].key) for r in rows])
        history, recent = matrix[:, :-sustain], matrix[:, -sustain:]
        oldest = history[:, : max(history.shape[1] // 2, gates.min_history // 2)]
        flagged = np.zeros(rows.size, dtype=bool)
        for base in (np.median(history, axis=1), np.median(oldest, axis=1)):
            change = (recent - base[:, None]) / np.maximum(np.abs(base), floors)[:, None]
            flagged |= (change >= gates.min_relative_change).all(axis=1)
            flagged |= (change <= -gates.min_relative_change).all(axis=1)
        for row in np.flatnonzero(flagged):
            out[members[int(rows[row])]] = True
    return out


def anomaly_signal(series: Series, resource: ResourceRef | None, period: int, now: datetime,
                   gates: Gates = DEFAULT_GATES, screened: bool = False) -> Signal | None:
    """A signal when the detector's latest episode is sustained and its shift still holds now.

    The online detector (causal, score in [0, 1]) finds the episode; the onset is its
    first point; the baseline is the median before it; the latest points must still
    differ materially from that baseline (so a signal survives the detector adapting).
    ``screened=True`` skips the cheap pre-screen (already done by :func:`anomaly_candidates`).
    """
    if not screened and not might_be_anomalous(series, period, now, gates):
        return None
    stamps, values = _valid(series)
    sustain = gates.sustain_for(period)
    raw = raw_scores(values, stamps)
    episode = _latest_episode(raw >= gates.anomaly_score, min_run=2, max_gap=gates.max_gap)
    if episode is None:
        return None
    onset = episode[0]
    if onset < gates.min_history // 2:
        return None
    baseline = float(np.median(values[:onset]))
    floor = _absolute_floor(series.key)
    direction = _material_now(values, baseline, floor, sustain, gates.min_relative_change)
    if direction is None:
        return None
    if episode[1] < values.size - 1 - sustain and not _held_since(values[onset:], baseline, floor, direction,
                                                                   gates):
        return None  # an old episode and only a coincidence of the latest points
    score = float(np.max(raw[onset:episode[1] + 1]))
    latest = float(values[-1])
    text = (f"{series.key.name} {direction} from ~{baseline:.4g} to {latest:.4g} "
            f"(detector score {score:.2f})")
    return Signal("anomaly", resource, series.key, _utc(stamps[onset]), score, latest, text)
