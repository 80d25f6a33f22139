"""NAB scores per category: does one corpus-wide threshold suit every kind of series?

For each category (the first folder of a file's key, e.g. realTweets) of a scored corpus, the
standard-profile score of its files at three thresholds: the corpus-wide one, the category's
own best one, and the one tuned on all the *other* categories (leave-one-category-out: how
the category would fare if it were held out). Used by ``python -m benchmarks.nab --by-category``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from benchmarks.nab_scoring import (CostProfile, FileSweep, best_threshold, normalised_score, null_raw_score,
                                    perfect_raw_score, sweep_corpus, sweep_file)

KeyedFile = tuple[str, np.ndarray, list[tuple[int, int]]]  # key, anomaly scores, window rows


def raw_at_threshold(files: Sequence[FileSweep], profile: CostProfile, threshold: float) -> float:
    """Raw corpus score when every row scoring >= `threshold` is a detection."""
    results = sweep_corpus(files, profile)
    at = [r for r in results if r.threshold >= threshold]
    return min(at, key=lambda r: r.threshold).raw_score


def _normalised(files: Sequence[FileSweep], profile: CostProfile, threshold: float) -> float:
    return normalised_score(raw_at_threshold(files, profile, threshold), null_raw_score(files, profile),
                            perfect_raw_score(files, profile))


def category_scores(keyed: Sequence[KeyedFile], profile: CostProfile) -> list[dict[str, float | str | int]]:
    """One row per category: files, windows, and its score at the corpus, own and others' thresholds
    (``nan`` for a category without windows, whose normalised score is undefined)."""
    sweeps = {key: sweep_file(scores, rows, profile) for key, scores, rows in keyed}
    corpus = best_threshold(list(sweeps.values()), profile).threshold
    rows = []
    for category in sorted({key.split("/", 1)[0] for key in sweeps}):
        inside = [f for key, f in sweeps.items() if key.split("/", 1)[0] == category]
        others = [f for key, f in sweeps.items() if key.split("/", 1)[0] != category]
        windows = sum(f.n_windows for f in inside)
        row: dict[str, float | str | int] = {"category": category, "files": len(inside), "windows": windows}
        if windows == 0:
            row.update(corpus=float("nan"), own=float("nan"), others=float("nan"))
        else:
            row["corpus"] = _normalised(inside, profile, corpus)
            row["own"] = _normalised(inside, profile, best_threshold(inside, profile).threshold)
            row["others"] = _normalised(inside, profile, best_threshold(others, profile).threshold) if others \
                else float("nan")
        row["fp_at_corpus"] = int(sum(np.count_nonzero((f.scores >= corpus) & (f.window_ids < 0)) for f in inside))
        rows.append(row)
    return rows
