"""Write benchmarks/scenarios_holdout65/*.yaml and README.md (python -m benchmarks.holdout65_gen [N ...]:
only scenarios N ..., README still of all)."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main(argv=None) -> int:
    only = {int(a) for a in (sys.argv[1:] if argv is None else argv) if a.isdigit()}
    write_set(__package__, module_builders(__package__, PAIRS, r"s\d+"), render, only, lambda sc: sc.num, readme=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
