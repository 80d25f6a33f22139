"""python -m benchmarks.holdout91_gen [NN ...]: write scenarios_holdout91/h91-*.yaml and README.md."""
from __future__ import annotations

import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout91_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear="h91-*.yaml" if not sys.argv[1:] else None)
