"""python -m benchmarks.holdout62_gen: write scenarios_holdout62/*.yaml and README.md."""
from benchmarks.holdout_writer import PAIRS, module_builders, write_set

from .readme import render

ROWS: dict = {}  # scenario name -> its README row: this set's builders return (scenario, row)


def _keep_row(build):
    def run():
        sc, row = build()
        ROWS[sc.name] = row
        return sc
    return run


def _render(built: list) -> str:
    return render([dict(ROWS[sc.name], file=f"{sc.name}.yaml", region=sc.region, num=sc.num) for sc in built])


def main() -> None:
    builders = module_builders(__package__, PAIRS, r"s\d+", optional=True)
    write_set(__package__, [_keep_row(b) for b in builders], _render)


if __name__ == "__main__":
    main()
