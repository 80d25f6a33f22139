"""Write the holdout68 scenarios and README: python -m benchmarks.holdout68_gen [NN ...]
(only scenarios NN ..., and no README, when given)."""
import sys

from benchmarks.holdout_writer import module_builders, write_set

from .readme import render


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    modules = [f"s{int(a):02d}" for a in argv] or [f"s{n:02d}" for n in range(1, 17)]
    write_set(__package__, module_builders(__package__, modules), render, readme=not argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
