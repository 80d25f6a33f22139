"""Write benchmarks/scenarios_holdout95/h95-XX-*.yaml and its README."""
from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

MODULES = ["s01_s02", "s03_s04", "s05_s06", "s07_s08", "s09_s10", "s11_s12", "s13_s14", "s15_s16"]


def main() -> int:
    write_set(__package__, module_builders(__package__, MODULES, optional=True), render,
              check_alarm=True, sort=True, clear="h95-*.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
