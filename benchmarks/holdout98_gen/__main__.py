"""python -m benchmarks.holdout98_gen [NN ...]: write scenarios_holdout98/*.yaml and README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout98_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, clear="h98-*.yaml" if not sys.argv[1:] else None)
