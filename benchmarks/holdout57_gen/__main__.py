"""Write benchmarks/scenarios_holdout57/*.yaml and its README."""
from benchmarks.holdout_writer import module_builders, write_set

from .readme import render

MODULES = ["s01_ledger", "s02_s03_lambda", "s04_s08", "s05_s14_rds", "s06_s13_ec2", "s07_s11_ecs", "s09_s15_apigw",
           "s10_s12_lambda", "s16_portal"]


def main() -> int:
    write_set(__package__, module_builders(__package__, MODULES), render)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
