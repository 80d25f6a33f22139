"""python -m benchmarks.holdout74_gen [NN ...]: write benchmarks/scenarios_holdout74/ (all, or the
scenarios numbered NN) and its README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PKG = "benchmarks.holdout74_gen"

if __name__ == "__main__":
    write_set(PKG, module_builders(PKG, PAIRS, optional=True), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear=None if sys.argv[1:] else "h74-*.yaml")
