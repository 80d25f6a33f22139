"""Write benchmarks/scenarios_holdout61/*.yaml and README.md, stopping if an expected alarm is not in ALARM."""
from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main() -> int:
    write_set(__package__, module_builders(__package__, PAIRS, r"s\d+"), render, check_alarm=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
