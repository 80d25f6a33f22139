"""python -m benchmarks.holdout92_gen [NN ...]: write scenarios_holdout92/*.yaml and README.md."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout92_gen"


def main(argv: list) -> None:
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=argv,
              check_alarm=True, sort=True, clear=None if argv else "h92-*.yaml")


if __name__ == "__main__":
    main(sys.argv[1:])
