"""Write benchmarks/scenarios_holdout93/*.yaml and its README (optionally only some: 01 07 ...)."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main(argv: list) -> int:
    write_set(__package__, module_builders(__package__, PAIRS, optional=True), render, only=argv,
              check_alarm=True, sort=True, clear=None if argv else "h93-*.yaml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
