"""python -m benchmarks.holdout59_gen [N ...]  ->  benchmarks/scenarios_holdout59/*.yaml + README.md
(only scenarios N ..., and no README, when numbers are given)."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main(argv=None) -> None:
    only = {int(a) for a in (sys.argv[1:] if argv is None else argv)}
    builders = [b for b in module_builders(__package__, PAIRS, r"s\d+") if not only or int(b.__name__[1:]) in only]
    write_set(__package__, builders, render, readme=not only)


if __name__ == "__main__":
    main()
