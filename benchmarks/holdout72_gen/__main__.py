"""python -m benchmarks.holdout72_gen [h72-NN | N ...]: write scenarios_holdout72/*.yaml (only those
given, if any) and README.md."""
import sys

from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main(argv=None) -> int:
    write_set(__package__, module_builders(__package__, PAIRS, r"s\d+", optional=True), render, argv or (),
              lambda sc: (sc.name[:6], str(sc.num)), readme=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
