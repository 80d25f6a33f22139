"""Write benchmarks/scenarios_holdout5/*.yaml and README.md. Deterministic (seeded per scenario)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .common import write
from .readme import render_readme
from .registry import BUILDERS

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout5"


def main(argv: list[str]) -> None:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for seed, fn in BUILDERS:
        if only and not any(o in fn.__name__ for o in only):
            continue
        info = fn(np.random.default_rng(5000 + seed))
        path = write(info["scenario"], OUT, info["file"])
        size = path.stat().st_size
        print(f"{path.name:45s} {size / 1e6:5.2f} MB  alarm={info['scenario']['expect']['alarm']}")
        built.append(info)
    if not only:
        (OUT / "README.md").write_text(render_readme(built))


if __name__ == "__main__":
    main(sys.argv[1:])
