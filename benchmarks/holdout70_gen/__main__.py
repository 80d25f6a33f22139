"""Write benchmarks/scenarios_holdout70/*.yaml and its README (python -m benchmarks.holdout70_gen [NN ...]:
only scenarios NN ..., and no README)."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, num_key, write_set

from .readme import render


def main(argv=None) -> int:
    only = set(sys.argv[1:] if argv is None else argv)
    write_set(__package__, module_builders(__package__, PAIRS, optional=bool(only)), render, only, num_key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
