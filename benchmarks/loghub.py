"""Loghub-2k benchmark: grouping accuracy and throughput of our miner next to drain3.

Usage: ``python -m benchmarks.loghub DATA_DIR [--json] [--repeat N] [--scale N] [--no-drain3]``

DATA_DIR follows the loghub layout ``<S>/<S>_2k.log_structured.csv`` (columns Content,
EventId, EventTemplate). Ground truth is the non-corrected structured file; GA against
``*_corrected.csv`` is printed as extra information when present. drain3 runs with its
default ``TemplateMinerConfig`` (no masking instructions, similarity 0.4, depth 4).
Throughput is the best of N repetitions of mining all lines of a system with a fresh miner
on fresh copies of the lines (copied outside the timer, for both miners).

``--scale N`` (default 1) stands in for held-out larger logs (same systems, far more lines,
many more variable values): each system's lines are mined N times over, copy 0 unchanged
and every later copy with each ASCII digit run re-drawn at random at the same length
(``1902`` -> ``0815``, ``node-12`` -> ``node-47``, ``en0`` -> ``en6``); truth labels are
copied unchanged. The draw is seeded per system (seed ``scale:system``), so the figures are
reproducible. Digits inside constant words are re-drawn too (``IPV4`` may become ``IPV6``),
so a few events become indistinguishable by construction; GA at scale is a lower bound.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Hashable, Sequence

from analyzers.logs.templates import TemplateMiner

logger = logging.getLogger(__name__)

Labeler = Callable[[Sequence[str]], list[Hashable]]


@dataclass(frozen=True)
class SystemResult:
    """Figures for one loghub system."""

    system: str
    lines: int
    ga: float
    ga_corrected: float | None
    lines_per_s: float
    drain3_ga: float | None
    drain3_ga_corrected: float | None
    drain3_lines_per_s: float | None


def grouping_accuracy(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> float:
    """Share of lines whose predicted cluster holds exactly the lines of their true group."""
    if not truth:
        return 1.0
    predicted_members: dict[Hashable, list[int]] = defaultdict(list)
    for index, label in enumerate(predicted):
        predicted_members[label].append(index)
    truth_sizes = Counter(truth)
    correct = 0
    for members in predicted_members.values():
        true_labels = {truth[index] for index in members}
        if len(true_labels) == 1 and truth_sizes[truth[members[0]]] == len(members):
            correct += len(members)
    return correct / len(truth)


def read_structured(path: Path) -> tuple[list[str], list[str]]:
    """(contents, event ids) from a loghub structured CSV."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        rows = list(csv.DictReader(handle))
    return [row["Content"] for row in rows], [row["EventId"] for row in rows]


_DIGIT_RUN = re.compile(r"[0-9]+")


def scaled(
    lines: Sequence[str], truth: Sequence[str], scale: int, seed: str
) -> tuple[list[str], list[str]]:
    """``scale`` copies of ``lines``/``truth``; copies after the first re-draw digit runs."""
    rng = random.Random(seed)

    def redraw(match: re.Match[str]) -> str:
        size = len(match.group())
        return str(rng.randrange(10**size)).zfill(size)

    big = list(lines)
    for _copy in range(1, scale):
        big.extend(_DIGIT_RUN.sub(redraw, line) for line in lines)
    return big, list(truth) * scale


def ours(lines: Sequence[str]) -> list[Hashable]:
    return list(TemplateMiner().mine(lines))


def drain3_labeler() -> Labeler | None:
    """drain3 with its default config, or None when drain3 is not installed."""
    try:
        from drain3 import TemplateMiner as DrainMiner
        from drain3.template_miner_config import TemplateMinerConfig
    except ImportError:
        return None

    def run(lines: Sequence[str]) -> list[Hashable]:
        config = TemplateMinerConfig()
        config.profiling_enabled = False
        miner = DrainMiner(config=config)
        return [miner.add_log_message(line)["cluster_id"] for line in lines]

    logging.getLogger("drain3").setLevel(logging.WARNING)
    return run


def fresh_copies(lines: Sequence[str]) -> list[str]:
    """Equal but new string objects, so no run profits from hashes cached by an earlier one."""
    return [
        line.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
        for line in lines
    ]


def best_rate(labeler: Labeler, lines: Sequence[str], repeat: int) -> tuple[list[Hashable], float]:
    """Labels of the first run and the best lines/s over ``repeat`` runs (fresh input each)."""
    best = float("inf")
    labels: list[Hashable] = []
    for attempt in range(repeat):
        run_lines = fresh_copies(lines)
        started = time.perf_counter()
        result = labeler(run_lines)
        elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        if attempt == 0:
            labels = result
    return labels, len(lines) / best if best > 0 else float("inf")


def evaluate_system(
    directory: Path, repeat: int, drain: Labeler | None, scale: int = 1
) -> SystemResult | None:
    system = directory.name
    structured = directory / f"{system}_2k.log_structured.csv"
    if not structured.is_file():
        return None
    lines, truth = read_structured(structured)
    corrected_path = directory / f"{system}_2k.log_structured_corrected.csv"
    corrected = read_structured(corrected_path)[1] if corrected_path.is_file() else None
    if scale > 1:
        lines, truth = scaled(lines, truth, scale, f"{scale}:{system}")
        corrected = list(corrected) * scale if corrected else None

    labels, rate = best_rate(ours, lines, repeat)
    drain_labels, drain_rate = best_rate(drain, lines, repeat) if drain else (None, None)
    return SystemResult(
        system=system,
        lines=len(lines),
        ga=grouping_accuracy(labels, truth),
        ga_corrected=grouping_accuracy(labels, corrected) if corrected else None,
        lines_per_s=rate,
        drain3_ga=grouping_accuracy(drain_labels, truth) if drain_labels else None,
        drain3_ga_corrected=(
            grouping_accuracy(drain_labels, corrected) if drain_labels and corrected else None
        ),
        drain3_lines_per_s=drain_rate,
    )


def _fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else format(value, pattern)


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def print_table(results: list[SystemResult]) -> None:
    header = (
        f"{'system':<12} {'GA':>6} {'GAcorr':>6} {'lines/s':>9} | "
        f"{'d3 GA':>6} {'d3corr':>6} {'d3 l/s':>9} {'speedup':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        speedup = r.lines_per_s / r.drain3_lines_per_s if r.drain3_lines_per_s else None
        print(
            f"{r.system:<12} {r.ga:6.3f} {_fmt(r.ga_corrected, '6.3f'):>6} {r.lines_per_s:9.0f} | "
            f"{_fmt(r.drain3_ga, '6.3f'):>6} {_fmt(r.drain3_ga_corrected, '6.3f'):>6} "
            f"{_fmt(r.drain3_lines_per_s, '9.0f'):>9} {_fmt(speedup, '6.1f'):>6}x"
        )
    print("-" * len(header))
    avg_rate = _mean([r.lines_per_s for r in results])
    avg_drain_rate = _mean([r.drain3_lines_per_s for r in results])
    speedup = avg_rate / avg_drain_rate if avg_rate and avg_drain_rate else None
    print(
        f"{'average':<12} {_mean([r.ga for r in results]):6.3f} "
        f"{_fmt(_mean([r.ga_corrected for r in results]), '6.3f'):>6} {avg_rate:9.0f} | "
        f"{_fmt(_mean([r.drain3_ga for r in results]), '6.3f'):>6} "
        f"{_fmt(_mean([r.drain3_ga_corrected for r in results]), '6.3f'):>6} "
        f"{_fmt(avg_drain_rate, '9.0f'):>9} {_fmt(speedup, '6.1f'):>6}x"
    )
    total_ours = sum(r.lines / r.lines_per_s for r in results)
    drain_times = [r.lines / r.drain3_lines_per_s for r in results if r.drain3_lines_per_s]
    lines_total = sum(r.lines for r in results)
    print(f"overall lines/s (total lines / total best time): ours {lines_total / total_ours:.0f}", end="")
    if len(drain_times) == len(results):
        print(f", drain3 {lines_total / sum(drain_times):.0f}", end="")
    print()


def as_json(results: list[SystemResult], scale: int = 1) -> str:
    return json.dumps(
        {
            "scale": scale,
            "average_ga": round(_mean([r.ga for r in results]) or 0.0, 4),
            "systems": {
                r.system: {
                    "ga": round(r.ga, 4),
                    "lines_per_s": round(r.lines_per_s, 1),
                    "drain3_ga": None if r.drain3_ga is None else round(r.drain3_ga, 4),
                    "drain3_lines_per_s": (
                        None if r.drain3_lines_per_s is None else round(r.drain3_lines_per_s, 1)
                    ),
                }
                for r in results
            },
        }
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="last line is a JSON summary")
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs for lines/s")
    parser.add_argument(
        "--scale", type=int, default=1, help="mine N copies, digits re-drawn after the first"
    )
    parser.add_argument("--no-drain3", action="store_true", help="skip the drain3 baseline")
    parser.add_argument("--only", nargs="*", help="restrict to these systems")
    args = parser.parse_args(argv)

    if not args.data_dir.is_dir():
        print(f"no such directory: {args.data_dir}", file=sys.stderr)
        return 2
    drain = None if args.no_drain3 else drain3_labeler()
    if drain is None and not args.no_drain3:
        print("drain3 not installed: baseline columns left empty", file=sys.stderr)
    results = []
    for directory in sorted(path for path in args.data_dir.iterdir() if path.is_dir()):
        if args.only and directory.name not in args.only:
            continue
        result = evaluate_system(directory, max(1, args.repeat), drain, max(1, args.scale))
        if result is not None:
            results.append(result)
    if not results:
        print(f"no loghub systems under {args.data_dir}", file=sys.stderr)
        return 1
    print(
        f"drain3 config: defaults (no masking), repetitions: best of {max(1, args.repeat)}, "
        f"scale: {max(1, args.scale)}"
    )
    print_table(results)
    if args.json:
        print(as_json(results, max(1, args.scale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
