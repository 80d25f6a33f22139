"""Write benchmarks/scenarios_holdout9/*.yaml and README.md (seeded, deterministic)."""
from __future__ import annotations

import sys
from pathlib import Path

from .common import dump
from .readme import write_readme
from . import s_lambda, s_front, s_rds_b, s_ecs_b, s_ec2

OUT = Path(__file__).resolve().parent.parent / "scenarios_holdout9"


def main(argv: list[str]) -> int:
    only = set(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    metas = []
    builders = [*s_lambda.SCENARIOS, *s_front.SCENARIOS, *s_rds_b.SCENARIOS, *s_ecs_b.SCENARIOS, *s_ec2.SCENARIOS]
    for build in builders:
        if only and build.__name__[:3] not in only:
            continue
        data, meta = build()
        meta.update(file=f"{data['name']}.yaml", region=data["region"], name=data["name"])
        metas.append(meta)
        path = OUT / meta["file"]
        dump(data, path)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
    if not only:
        write_readme(OUT / "README.md", sorted(metas, key=lambda m: m["name"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
