"""Write the set: `python -m benchmarks.holdout94_gen [NN ...]` (numbers limit which YAML files are written)."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout94_gen"


def main(argv: list) -> None:
    builders = module_builders(PACKAGE, PAIRS, optional=True)
    write_set(PACKAGE, builders, render, only=[a.zfill(2) for a in argv], check_alarm=True,
              sort=True, clear=None if argv else "h94-*.yaml")


if __name__ == "__main__":
    main(sys.argv[1:])
