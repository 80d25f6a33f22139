"""Write benchmarks/scenarios_holdout12/*.yaml and README.md (seeded, deterministic)."""
from __future__ import annotations

import pathlib
import sys

import yaml

from . import lambda_cases, data_cases, web_cases, container_cases
from .readme import write_readme

OUT = pathlib.Path(__file__).resolve().parent.parent / "scenarios_holdout12"


class _Dumper(yaml.SafeDumper):
    pass


def _list(dumper, data):
    flow = len(data) <= 2 and all(isinstance(x, (int, float, str)) for x in data) and not any(
        isinstance(x, str) and ("\n" in x or len(x) > 60) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list)


def main(argv: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = lambda_cases.CASES + data_cases.CASES + web_cases.CASES + container_cases.CASES
    built = []
    for fn in cases:
        s = fn()
        path = OUT / f"{s.slug}.yaml"
        with open(path, "w") as fh:
            yaml.dump(s.to_doc(), fh, Dumper=_Dumper, sort_keys=False, width=4096, allow_unicode=True)
        built.append(s)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
    built.sort(key=lambda s: s.slug)
    write_readme(OUT / "README.md", built)


if __name__ == "__main__":
    main(sys.argv[1:])
