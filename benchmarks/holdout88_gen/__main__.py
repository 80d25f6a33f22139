"""python -m benchmarks.holdout88_gen [NN ...]: write scenarios_holdout88/*.yaml and README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

if __name__ == "__main__":
    write_set("benchmarks.holdout88_gen", module_builders("benchmarks.holdout88_gen", PAIRS, optional=True),
              render, only=sys.argv[1:], check_alarm=True, sort=True)
