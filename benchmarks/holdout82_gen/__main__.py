"""python -m benchmarks.holdout82_gen [NN ...]: write benchmarks/scenarios_holdout82/*.yaml + README."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout82_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear=None if sys.argv[1:] else "h82-*.yaml")
