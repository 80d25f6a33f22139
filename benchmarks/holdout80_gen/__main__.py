"""Write the set-80 scenarios and README (optionally only the numbers given, e.g. `07 12`)."""
import sys

from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

PACKAGE = "benchmarks.holdout80_gen"
MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]

if __name__ == "__main__":
    write_set(PACKAGE, module_builders(PACKAGE, MODULES), render, only=sys.argv[1:],
              check_alarm=True, sort=True, clear=None if sys.argv[1:] else "h80-*.yaml")
