"""Our own implementation of the Numenta Anomaly Benchmark (NAB v1.x) scoring rules.

Rules implemented (from NAB's published description and scorer):
- each labelled window [start, end] is a set of row indices; the first 15% of a
  file (at most 750 rows) is probationary and ignored entirely;
- a detection at row i inside a window scores tpWeight * S(pos) / S(-1) where
  pos = -(right - i + 1) / width and S(x) = 2 * sigmoid(-5x) - 1; only the best
  (earliest) detection of each window counts; an undetected window costs -fnWeight;
- a detection outside windows costs fpWeight * S(d), d = |i - prev_right| /
  (prev_width - 1) after the preceding window (S = -1 if d >= 3 or no window yet);
- a detection is a row whose anomaly score >= threshold; the threshold of each
  profile is swept over the whole corpus at once (every distinct score is a candidate);
- normalised score = 100 * (raw - null) / (perfect - null), null = never detect,
  perfect = tpWeight * number of labelled windows.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

logger = logging.getLogger(__name__)

PROBATION_PERCENT = 0.15
PROBATION_MAX_ROWS_BASE = 5000
OUTSIDE = -1  # window id of a row outside every window


@dataclass(frozen=True)
class CostProfile:
    name: str
    tp_weight: float
    fp_weight: float
    fn_weight: float


PUBLISHED_PROFILES = (
    CostProfile("standard", 1.0, 0.11, 1.0),
    CostProfile("reward_low_FP_rate", 1.0, 0.22, 1.0),
    CostProfile("reward_low_FN_rate", 1.0, 0.11, 2.0),
)


def load_profiles(path: Path | None) -> tuple[CostProfile, ...]:
    """Profiles from NAB's profiles.json, or the published constants when absent."""
    if path is None or not path.is_file():
        logger.info("profiles.json not found; using NAB's published cost matrices")
        return PUBLISHED_PROFILES
    data = json.loads(path.read_text())
    return tuple(
        CostProfile(name, float(m["CostMatrix"]["tpWeight"]), float(m["CostMatrix"]["fpWeight"]),
                    float(m["CostMatrix"]["fnWeight"]))
        for name, m in data.items()
    )


def scaled_sigmoid(relative_position: float) -> float:
    if relative_position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * relative_position)) - 1.0


def probation_length(n_rows: int) -> float:
    return min(math.floor(PROBATION_PERCENT * n_rows), PROBATION_PERCENT * PROBATION_MAX_ROWS_BASE)


@dataclass(frozen=True)
class FileSweep:
    """Scorable rows of one file: anomaly score, weight if detected, window id."""

    scores: np.ndarray
    weights: np.ndarray
    window_ids: np.ndarray  # OUTSIDE or a window number local to the file
    n_windows: int  # labelled windows (for the perfect score)
    scorable_windows: tuple[int, ...]  # windows with at least one non-probationary row


def sweep_file(
    anomaly_scores: Sequence[float], windows: Sequence[tuple[int, int]], profile: CostProfile
) -> FileSweep:
    """Weight every row as NAB does; `windows` are inclusive (first, last) row indices, sorted."""
    scores = np.asarray(anomaly_scores, dtype=float)
    n = scores.size
    weights = np.empty(n)
    ids = np.full(n, OUTSIDE, dtype=int)
    max_tp = scaled_sigmoid(-1.0)
    prev_right: int | None = None
    prev_width = 0.0
    ordered = sorted(windows)
    w = 0
    for i in range(n):
        while w < len(ordered) and ordered[w][1] < i:
            prev_right, prev_width = ordered[w][1], float(ordered[w][1] - ordered[w][0] + 1)
            w += 1
        if w < len(ordered) and ordered[w][0] <= i <= ordered[w][1]:
            left, right = ordered[w]
            position = -(right - i + 1) / float(right - left + 1)
            weights[i] = scaled_sigmoid(position) * profile.tp_weight / max_tp
            ids[i] = w
        else:
            if prev_right is None:
                distance = 3.0
            else:
                distance = abs(prev_right - i) / (prev_width - 1.0) if prev_width > 1 else 3.0
            weights[i] = scaled_sigmoid(distance) * profile.fp_weight
    keep = np.arange(n) >= probation_length(n)
    scorable = tuple(sorted(set(ids[keep][ids[keep] != OUTSIDE].tolist())))
    return FileSweep(scores[keep], weights[keep], ids[keep], len(ordered), scorable)


@dataclass(frozen=True)
class ThresholdResult:
    threshold: float
    raw_score: float
    tp: int
    fp: int


def sweep_corpus(files: Sequence[FileSweep], profile: CostProfile) -> list[ThresholdResult]:
    """Raw corpus score for every candidate threshold, from 'detect nothing' down to 'detect all'."""
    scores, weights, ids = [], [], []
    offset = 0
    window_keys: list[int] = []
    for f in files:
        scores.append(f.scores)
        weights.append(f.weights)
        ids.append(np.where(f.window_ids == OUTSIDE, OUTSIDE, f.window_ids + offset))
        window_keys.extend(k + offset for k in f.scorable_windows)
        offset += max(f.n_windows, 1)
    if not files:
        return [ThresholdResult(math.inf, 0.0, 0, 0)]
    all_scores = np.concatenate(scores)
    all_weights = np.concatenate(weights)
    all_ids = np.concatenate(ids)
    order = np.argsort(-all_scores, kind="stable")
    window_best = {k: -profile.fn_weight for k in window_keys}
    fp_total = 0.0
    tp = fp = 0
    results = [ThresholdResult(math.inf, sum(window_best.values()), 0, 0)]
    window_sum = results[0].raw_score
    sorted_scores = all_scores[order]
    for rank, idx in enumerate(order):
        wid = int(all_ids[idx])
        if wid == OUTSIDE:
            fp += 1
            fp_total += float(all_weights[idx])
        else:
            tp += 1
            gain = float(all_weights[idx]) - window_best[wid]
            if gain > 0:
                window_best[wid] += gain
                window_sum += gain
        last_of_value = rank + 1 == order.size or sorted_scores[rank + 1] != sorted_scores[rank]
        if last_of_value:
            results.append(ThresholdResult(float(sorted_scores[rank]), window_sum + fp_total, tp, fp))
    return results


def best_threshold(files: Sequence[FileSweep], profile: CostProfile) -> ThresholdResult:
    """Highest raw score; ties go to the highest threshold (fewest detections)."""
    results = sweep_corpus(files, profile)
    return max(results, key=lambda r: (r.raw_score, r.threshold))


def null_raw_score(files: Sequence[FileSweep], profile: CostProfile) -> float:
    return -profile.fn_weight * sum(len(f.scorable_windows) for f in files)


def perfect_raw_score(files: Sequence[FileSweep], profile: CostProfile) -> float:
    return profile.tp_weight * sum(f.n_windows for f in files)


def normalised_score(raw: float, null: float, perfect: float) -> float:
    if perfect == null:
        return 0.0
    return 100.0 * (raw - null) / (perfect - null)


def window_rows(timestamps: Sequence[float], windows: Sequence[tuple[float, float]]) -> list[tuple[int, int]]:
    """Map [start, end] times to inclusive row ranges (first row >= start, last row <= end)."""
    ts = np.asarray(timestamps, dtype=float)
    rows = []
    for start, end in windows:
        first = int(np.searchsorted(ts, start, side="left"))
        last = int(np.searchsorted(ts, end, side="right")) - 1
        if first <= last:
            rows.append((first, last))
        else:
            logger.warning("window [%s, %s] matches no row; ignored", start, end)
    return sorted(rows)


def score_corpus(
    per_file: Sequence[tuple[Sequence[float], Sequence[tuple[int, int]]]],
    profiles: Sequence[CostProfile] = PUBLISHED_PROFILES,
) -> dict[str, dict[str, float]]:
    """Normalised NAB score per profile for (anomaly_scores, window_rows) pairs."""
    out: dict[str, dict[str, float]] = {}
    for profile in profiles:
        files = [sweep_file(scores, windows, profile) for scores, windows in per_file]
        best = best_threshold(files, profile)
        null = null_raw_score(files, profile)
        perfect = perfect_raw_score(files, profile)
        out[profile.name] = {
            "score": normalised_score(best.raw_score, null, perfect),
            "threshold": best.threshold,
            "raw": best.raw_score,
            "null": null,
            "perfect": perfect,
            "tp": best.tp,
            "fp": best.fp,
        }
    return out
