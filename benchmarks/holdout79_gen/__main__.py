"""Write benchmarks/scenarios_holdout79/*.yaml and its README."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout79_gen"

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, PAIRS), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear=None if sys.argv[1:] else "h79-*.yaml")
