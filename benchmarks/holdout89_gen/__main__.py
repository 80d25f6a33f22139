"""python -m benchmarks.holdout89_gen [NN ...]: write benchmarks/scenarios_holdout89/*.yaml + README.md."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout89_gen"


def main(argv: list) -> None:
    builders = module_builders(PACKAGE, PAIRS)
    write_set(PACKAGE, builders, render, only=argv, check_alarm=True, sort=True, clear="h89-*.yaml" if not argv else None)


if __name__ == "__main__":
    main(sys.argv[1:])
