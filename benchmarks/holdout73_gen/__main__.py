"""Write the holdout73 scenarios and README: python -m benchmarks.holdout73_gen"""
from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

MODULES = ["sa", "sb", "sc_", "sd", "se"]


def main(only=None) -> None:
    """Write every scenario, or those numbered in `only`; README.md always covers all."""
    write_set(__package__, module_builders(__package__, MODULES, r"s\d+"), render, only or (), lambda sc: sc.num,
              readme=True)


if __name__ == "__main__":
    main()
