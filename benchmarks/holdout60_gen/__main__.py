"""Write benchmarks/scenarios_holdout60/*.yaml and README.md (deterministic); with arguments
("01" ...), only those scenarios and no README."""
import sys

from benchmarks.holdout_writer import write_set

from .readme import render
from .scenarios import ALL


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    write_set(__package__, [b for b in ALL if not argv or b.__name__[1:] in argv], render, readme=not argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
