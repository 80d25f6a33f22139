"""Write benchmarks/scenarios_holdout67/*.yaml (replacing old ones) and README.md (deterministic)."""
from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render


def main() -> None:
    builders = module_builders(__package__, PAIRS, r"build_.*", optional=True)
    write_set(__package__, builders, render, sort=True, clear="h67-*.yaml")


if __name__ == "__main__":
    main()
