"""python -m benchmarks.holdout83_gen [NN ...]: write benchmarks/scenarios_holdout83/ (all, or the
scenarios numbered NN) and, for a full run, its README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set
from benchmarks.holdout83_gen.readme import render

PACKAGE = "benchmarks.holdout83_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear="h83-*.yaml" if not sys.argv[1:] else None)
