"""NAB benchmark: run the detector over a NAB-layout corpus and print NAB scores.

Usage: python -m benchmarks.nab DATA_DIR LABELS_JSON --out OUT [--json] [--by-category]
       [--detector aiops|perfect|null]   (perfect/null validate the scorer: 100 / 0)
With --by-category, also prints each category's standard score at the corpus threshold, at its
own best threshold and at the threshold tuned on the other categories (`benchmarks.nab_categories`).
Writes OUT/<category>/<name>.csv (timestamp,value,anomaly_score) and prints the
standard, reward_low_FP_rate and reward_low_FN_rate scores computed by
`benchmarks.nab_scoring` (our own implementation of NAB's scoring rules).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np

from analyzers.detection import score_series
from benchmarks.nab_categories import KeyedFile, category_scores
from benchmarks.nab_scoring import CostProfile, load_profiles, score_corpus, window_rows

logger = logging.getLogger(__name__)


def parse_time(text: str) -> float:
    """NAB timestamps are naive 'YYYY-MM-DD HH:MM:SS[.ffffff]'; read them as UTC epoch seconds."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def read_series(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    stamps: list[str] = []
    values: list[float] = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            stamps.append(row["timestamp"])
            try:
                values.append(float(row["value"]))
            except (TypeError, ValueError):
                values.append(float("nan"))
    times = np.array([parse_time(s) for s in stamps])
    return stamps, times, np.array(values)


def find_profiles(data_dir: Path, labels: Path) -> Path | None:
    candidates = [
        data_dir / "profiles.json",
        data_dir.parent / "profiles.json",
        labels.parent.parent / "profiles.json",
        labels.parent / "profiles.json",
        data_dir.parent / "config" / "profiles.json",
        labels.parent.parent / "config" / "profiles.json",
    ]
    return next((c for c in candidates if c.is_file()), None)


def detector_scores(name: str, times: np.ndarray, values: np.ndarray, rows: list[tuple[int, int]]) -> np.ndarray:
    if name == "perfect":
        out = np.zeros(values.size)
        out[[first for first, _ in rows]] = 1.0
        return out
    if name == "null":
        return np.zeros(values.size)
    return score_series(values, times)


def run(data_dir: Path, labels_path: Path, out_dir: Path, detector: str,
        by_category: bool = False) -> dict[str, dict[str, float]]:
    labels = json.loads(labels_path.read_text())
    per_file = []
    keys: list[str] = []
    n_points = 0
    elapsed = 0.0
    for path in sorted(data_dir.rglob("*.csv")):
        key = path.relative_to(data_dir).as_posix()
        if key not in labels and f"{data_dir.name}/{key}" in labels:  # DATA_DIR was one category's folder
            key = f"{data_dir.name}/{key}"
        if key not in labels:
            logger.warning("%s has no labels entry; skipped", key)
            continue
        stamps, times, values = read_series(path)
        windows = [(parse_time(a), parse_time(b)) for a, b in labels[key]]
        rows = window_rows(times, windows)
        started = time.perf_counter()
        scores = detector_scores(detector, times, values, rows)
        elapsed += time.perf_counter() - started
        n_points += values.size
        target = out_dir / key
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["timestamp", "value", "anomaly_score"])
            for stamp, value, score in zip(stamps, values, scores):
                writer.writerow([stamp, repr(float(value)), f"{score:.6f}"])
        per_file.append((np.round(scores, 6), rows))
        keys.append(key)
    profiles = load_profiles(find_profiles(data_dir, labels_path))
    results = score_corpus(per_file, profiles)
    print(f"files={len(per_file)} points={n_points} windows={sum(len(r) for _, r in per_file)} "
          f"detector={detector} detect_time={elapsed:.2f}s")
    for name, res in results.items():
        print(f"{name:>20}: {res['score']:7.2f}  threshold={res['threshold']:.6f} raw={res['raw']:.3f} "
              f"null={res['null']:.1f} perfect={res['perfect']:.1f} tp_rows={res['tp']} fp_rows={res['fp']}")
    if by_category:
        _print_categories([(key, scores, rows) for key, (scores, rows) in zip(keys, per_file)], profiles)
    return results


def _print_categories(keyed: list[KeyedFile], profiles: Sequence[CostProfile]) -> None:
    standard = next((p for p in profiles if p.name == "standard"), profiles[0])
    print(f"by category ({standard.name}): score at the corpus threshold / own threshold / others' threshold")
    for row in category_scores(keyed, standard):
        print(f"{row['category']:>24}: files={row['files']:<3} windows={row['windows']:<3} corpus={row['corpus']:6.2f} "
              f"own={row['own']:6.2f} others={row['others']:6.2f} fp_rows_at_corpus={row['fp_at_corpus']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("labels_json", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="last line: JSON of the three scores")
    parser.add_argument("--by-category", action="store_true",
                        help="also print each category's score at the corpus, own and others' thresholds")
    parser.add_argument("--detector", choices=["aiops", "perfect", "null"], default="aiops")
    args = parser.parse_args(argv)
    labels = args.labels_json
    if labels.is_dir():  # NAB's labels/ folder: its combined windows file
        labels = labels / "combined_windows.json"
    if not args.data_dir.is_dir():
        parser.error(f"no such directory: {args.data_dir}")
    if not labels.is_file():
        parser.error(f"no such labels file: {labels}")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    results = run(args.data_dir, labels, args.out, args.detector, args.by_category)
    if args.json:
        print(json.dumps({name: round(res["score"], 4) for name, res in results.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
