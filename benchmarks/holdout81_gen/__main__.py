"""python -m benchmarks.holdout81_gen [NN ...]: write benchmarks/scenarios_holdout81/."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout81_gen"


def main(argv: list) -> None:
    builders = module_builders(PACKAGE, PAIRS, optional=True)
    write_set(PACKAGE, builders, render, only=argv, check_alarm=True, clear=None if argv else "h81-*.yaml")


if __name__ == "__main__":
    main(sys.argv[1:])
