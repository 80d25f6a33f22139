"""Write benchmarks/scenarios_holdout96/*.yaml and its README."""
from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main() -> int:
    write_set(__package__, module_builders(__package__, PAIRS), render, check_alarm=True, sort=True,
              clear="h96-*.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
