"""python -m benchmarks.holdout77_gen [NN ...]: write scenarios_holdout77/*.yaml and README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

if __name__ == "__main__":
    write_set(__package__, module_builders(__package__, PAIRS, optional=True), render,
              only=sys.argv[1:], check_alarm=True, sort=True, clear="h77-*.yaml" if not sys.argv[1:] else None)
