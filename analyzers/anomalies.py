"""Metric anomalies for an investigation: which series left their baseline, when, and how far.

Wraps the online detector (:mod:`analyzers.detection`) for the investigation's
window: a series is anomalous when one of its anomalous episodes starts within
the window of interest (the one nearest the incident's onset when that is given,
else the latest) and its level after onset departs from the baseline before it.
Pure: times are passed in.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Sequence

import numpy as np

from .detection import find_onsets, raw_scores
from .model import Alarm, Anomaly, Series

MIN_POINTS = 12
ONSET_SCORE = 0.5


def _relative_shift(before: np.ndarray, after: np.ndarray) -> tuple[float, float, str]:
    base = float(np.median(before)) if before.size else 0.0
    spread = float(np.median(np.abs(before - base))) * 1.4826 if before.size else 0.0
    hi, lo = float(np.max(after)), float(np.min(after))
    up = hi - base
    down = base - lo
    direction = "up" if up >= down else "down"
    peak = hi if direction == "up" else lo
    denom = max(abs(base), spread * 3, 1e-9)
    return base, peak, direction if abs(peak - base) / denom >= 0.2 else "none"


def detect_anomalies(series: Sequence[Series], since: datetime, until: datetime,
                     id_prefix: str = "a", near: datetime | None = None) -> list[Anomaly]:
    """Anomalies whose onset falls in [since, until], strongest first.

    ``near`` (the incident's onset): of a series' episodes in the window, the one starting nearest it (a
    step at the incident, not the wobble after the detector adapted to the new level); else the latest.
    """
    out: list[Anomaly] = []
    lo, hi = since.timestamp(), until.timestamp()
    for s in series:
        if len(s.values) < MIN_POINTS:
            continue
        values = np.asarray(s.values, dtype=float)
        stamps = np.asarray(s.timestamps, dtype=float)
        onset = _episode(find_onsets(values, stamps, threshold=ONSET_SCORE, min_run=2), stamps, lo, hi, near)
        if onset is None:
            continue
        before, after = values[:onset], values[onset:]
        if before.size < MIN_POINTS // 2:
            continue
        base, peak, direction = _relative_shift(before, after)
        if direction == "none":
            continue
        score = float(np.max(raw_scores(values, stamps)[onset:]))
        out.append(Anomaly(id="", series_id=s.id, key=s.key, resource=s.key.resource(),
                           onset=datetime.fromtimestamp(float(stamps[onset]), timezone.utc), score=score,
                           baseline=round(base, 6), peak=round(peak, 6), direction=direction))
    out.sort(key=lambda a: (-a.score, a.onset))
    return [Anomaly(**{**a.__dict__, "id": f"{id_prefix}{i + 1}"}) for i, a in enumerate(out)]


def _episode(onsets: list[int], stamps: np.ndarray, lo: float, hi: float, near: datetime | None) -> int | None:
    if near is None:  # the latest episode, if it starts in the window
        return onsets[-1] if onsets and lo <= stamps[onsets[-1]] <= hi else None
    inside = [i for i in onsets if lo <= stamps[i] <= hi]
    target = near.timestamp()
    return min(reversed(inside), key=lambda i: abs(stamps[i] - target)) if inside else None


# CloudWatch alarm comparisons as element-wise numpy tests (value vs threshold).
BREACHED = {"GreaterThanThreshold": np.greater, "GreaterThanOrEqualToThreshold": np.greater_equal,
             "LessThanThreshold": np.less, "LessThanOrEqualToThreshold": np.less_equal}


def with_alarm_breach(anomalies: Sequence[Anomaly], series: Sequence[Series], alarm: Alarm,
                      onset: datetime) -> list[Anomaly]:
    """The anomalies plus the alarm's own metric when the alarm saw it breach but the detector did not.

    The alarm is a detector in its own right (the third signal): a series too short for a
    learned baseline (a 5-minute alarm period over a few hours) still crossed its threshold.
    """
    key = alarm.metric_key
    out = list(anomalies)
    if key is None or alarm.threshold is None or alarm.comparison not in BREACHED:
        return out
    own = next((s for s in series if (s.key.namespace, s.key.name, s.key.dimensions)
                == (key.namespace, key.name, key.dimensions)), None)
    if own is None or any(a.key == own.key for a in out):
        return out
    values = np.asarray(own.values, dtype=float)
    stamps = np.asarray(own.timestamps, dtype=float)
    after = stamps >= onset.timestamp()
    breached = BREACHED[alarm.comparison](values, alarm.threshold) & after
    if not breached.any() or not (~after).any():
        return out
    base = float(np.median(values[~after]))
    first = int(np.flatnonzero(breached)[0])
    up = alarm.comparison.startswith("Greater")
    peak = float(np.max(values[after]) if up else np.min(values[after]))
    out.append(Anomaly(id=f"a{len(out) + 1}", series_id=own.id, key=own.key, resource=own.key.resource(),
                       onset=datetime.fromtimestamp(float(stamps[first]), timezone.utc), score=ONSET_SCORE,
                       baseline=round(base, 6), peak=round(peak, 6), direction="up" if up else "down"))
    return out


def level_after(series: Series, since: datetime) -> tuple[float, float]:
    """(median before, max after) of a series around a time, for threshold-style checks."""
    values = np.asarray(series.values, dtype=float)
    stamps = np.asarray(series.timestamps, dtype=float)
    if values.size == 0:
        return 0.0, 0.0
    cut = since.timestamp()
    before, after = values[stamps < cut], values[stamps >= cut]
    return (float(np.median(before)) if before.size else 0.0, float(np.max(after)) if after.size else 0.0)


DRIFT_SHARE = 0.1  # a drift that covers less than this share of the way to the breach level is not the incident
DRIFT_BASELINE = 30  # points before the drift that give the level it drifted from
DRIFT_MIN_POINTS = 10  # shorter, it is the jump's own first points, not a drift


def drift_before_jump(values: np.ndarray, drift_start: int, breach_start: int) -> bool:
    """Whether an anomalous episode that begins at ``drift_start`` only drifts until the series jumps to breach
    at ``breach_start``: for ``DRIFT_MIN_POINTS`` or more, every point in between stays under ``DRIFT_SHARE``
    of the way from the level before the drift to the level after the breach (latency creeping up with the
    evening's load, then a 15x jump). The incident is the jump; the drift is the series' own."""
    if breach_start - drift_start < DRIFT_MIN_POINTS or drift_start < 5:
        return False
    before = values[max(0, drift_start - DRIFT_BASELINE):drift_start]
    after = values[breach_start:breach_start + 3]
    before, after = before[np.isfinite(before)], after[np.isfinite(after)]
    if before.size < 5 or after.size == 0:
        return False
    base = float(np.median(before))
    rise = float(np.median(after)) - base
    if rise == 0:
        return False
    drift = (values[drift_start:breach_start] - base) / rise
    drift = drift[np.isfinite(drift)]
    return drift.size > 0 and float(drift.max()) < DRIFT_SHARE
