"""python -m benchmarks.holdout75_gen [NN ...]: write benchmarks/scenarios_holdout75/."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout75_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, sort=True)
