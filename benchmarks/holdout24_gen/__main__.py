"""Write benchmarks/scenarios_holdout24/*.yaml: python -m benchmarks.holdout24_gen"""
from __future__ import annotations

import importlib

MODULES = ["s01_04", "s05_08", "s09_12", "s13_16"]


def main() -> None:
    for name in MODULES:
        try:
            mod = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(name):
                continue
            raise
        for i in range(1, 17):
            fn = getattr(mod, f"s{i:02d}", None)
            if fn is not None:
                path = fn().write()
                print(f"{path.name}  {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
