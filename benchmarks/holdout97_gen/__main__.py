"""python -m benchmarks.holdout97_gen [NN ...]: write scenarios_holdout97/*.yaml and README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout97_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, clear="h97-*.yaml" if not sys.argv[1:] else None)
