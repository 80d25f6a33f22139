"""Write benchmarks/scenarios_holdout90/*.yaml and its README.

Usage: python -m benchmarks.holdout90_gen [NN ...]   (only the given scenario numbers)"""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main(argv: list) -> int:
    write_set(__package__, module_builders(__package__, PAIRS), render, only=argv,
              check_alarm=True, sort=True, clear="h90-*.yaml" if not argv else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
