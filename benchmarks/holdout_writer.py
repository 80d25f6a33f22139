"""Shared `__main__` of the held-out scenario generators (sets 57-73): build a set's scenarios,
write benchmarks/scenarios_holdoutN/<name>.yaml for each, then README.md via the set's render."""
from __future__ import annotations

import importlib
import pathlib
import re
import sys
from typing import Callable, Iterable

BENCHMARKS = pathlib.Path(__file__).resolve().parent
PAIRS = [f"s{n:02d}_s{n + 1:02d}" for n in range(1, 16, 2)]  # s01_s02 ... s15_s16: two scenarios a module


def out_dir(package: str) -> pathlib.Path:
    """benchmarks/scenarios_holdoutN for the package benchmarks.holdoutN_gen."""
    num = re.search(r"holdout(\d+)_gen$", package).group(1)
    return BENCHMARKS / f"scenarios_holdout{num}"


def module_builders(package: str, modules: Iterable[str], pattern: str | None = None,
                    optional: bool = False) -> list:
    """The scenario builders of `package`'s `modules`, module by module: the functions whose names
    match `pattern` (sorted by name), or else the module's BUILDERS (or its one `build`).
    With `optional`, a module that does not exist (yet) is skipped."""
    out = []
    for mod in modules:
        name = f"{package}.{mod}"
        try:
            m = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if optional and e.name == name:
                continue
            raise
        if pattern:
            out += [getattr(m, n) for n in sorted(dir(m)) if re.fullmatch(pattern, n)]
        else:
            out += getattr(m, "BUILDERS", None) or [m.build]
    return out


def num_key(sc) -> str:
    """Selects a scenario by its two-digit number ("07")."""
    return f"{sc.num:02d}"


def name_key(sc) -> str:
    """Selects a scenario by its name's prefix ("h69-07")."""
    return sc.name[:6]


def _alarm(sc) -> dict | None:
    name = (getattr(sc, "expect", None) or {}).get("alarm")
    return next((a for a in getattr(sc, "alarms", ()) if a.get("name") == name), None)


def write_set(package: str, builders: Iterable[Callable], render: Callable[[list], str],
              only: Iterable = (), key: Callable = num_key, *, readme: bool | None = None,
              check_alarm: bool = False, sort: bool = False, clear: str | None = None) -> list:
    """Build every scenario (in `builders` order) and write it to <name>.yaml in the set's
    scenarios folder, printing each file's size (and its expected alarm) to stderr; then write
    README.md as `render(scenarios)`.

    only, key: when `only` is not empty, a scenario is written only when `key(sc)` (one value or a
    tuple of them) is in `only`; every scenario is still built and handed to `render`.
    readme: whether to write README.md; by default only when `only` is empty.
    check_alarm: stop (SystemExit) when a scenario's expected alarm is not in ALARM.
    sort: hand the scenarios to `render` sorted by number.
    clear: a glob of old files in the folder to delete first.
    """
    out = out_dir(package)
    out.mkdir(parents=True, exist_ok=True)
    only = set(only)
    if clear:
        for old in out.glob(clear):
            old.unlink()
    built = []
    for build in builders:
        sc = build()
        built.append(sc)
        if only:
            keys = key(sc)
            if not only & set(keys if isinstance(keys, tuple) else (keys,)):
                continue
        alarm = _alarm(sc)
        if check_alarm and (alarm is None or alarm["state"] != "ALARM"):
            raise SystemExit(f"{sc.name}: expected alarm {sc.expect['alarm']} is "
                             f"{alarm['state'] if alarm else 'missing'}")
        text = sc.dump()
        (out / f"{sc.name}.yaml").write_text(text)
        note = f", alarm {alarm['name']} {alarm['state']} since {alarm['state_changed']}s" if alarm else ""
        print(f"{sc.name}.yaml: {len(text) / 1e6:.2f} MB{note}", file=sys.stderr)
    if sort:
        built.sort(key=lambda s: s.num)
    if (readme is None and not only) or readme:
        (out / "README.md").write_text(render(built))
        print(f"README.md: {len(built)} scenarios", file=sys.stderr)
    return built
