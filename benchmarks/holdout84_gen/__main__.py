"""python -m benchmarks.holdout84_gen [NN ...]: write benchmarks/scenarios_holdout84/*.yaml and README.md."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout84_gen"
MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]


def main(argv: list) -> None:
    write_set(PACKAGE, module_builders(PACKAGE, MODULES, optional=True), render, only=argv,
              check_alarm=True, sort=True, clear="h84-*.yaml" if not argv else None)


if __name__ == "__main__":
    main(sys.argv[1:])
