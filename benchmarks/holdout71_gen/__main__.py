"""Write the holdout71 scenarios and README: python -m benchmarks.holdout71_gen"""
from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main() -> None:
    write_set(__package__, module_builders(__package__, PAIRS, r"s\d+", optional=True), render, sort=True)


if __name__ == "__main__":
    main()
