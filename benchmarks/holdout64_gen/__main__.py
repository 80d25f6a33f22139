"""Write benchmarks/scenarios_holdout64/*.yaml and README.md (deterministic); with numbers, only
those scenarios and no README. Stops if an expected alarm is not in ALARM."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import readme as render


def main(argv=None) -> int:
    only = {int(a) for a in (sys.argv[1:] if argv is None else argv)}
    builders = [b for b in module_builders(__package__, PAIRS, r"s\d+") if not only or int(b.__name__[1:]) in only]
    write_set(__package__, builders, render, readme=not only, check_alarm=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
