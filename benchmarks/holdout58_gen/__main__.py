"""Write the holdout58 scenarios and README: python -m benchmarks.holdout58_gen"""
from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

MODULES = ["s01_02", "s03_04", "s05_06", "s07_08", "s09_10", "s11_12", "s13_14", "s15_16"]


def main() -> int:
    write_set(__package__, module_builders(__package__, MODULES, r"s\d+"), render)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
