"""YAML rendering in the style of the hand-written examples: block lists with ``[t, value]`` pairs."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Pair(list):
    """A ``[time, value]`` row written in flow style."""


class _ScenarioDumper(_Dumper):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


_ScenarioDumper.add_representer(
    _Pair, lambda dumper, data: dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True))

for _np_type, _convert in ((np.str_, str), (np.floating, float), (np.integer, int), (np.bool_, bool)):
    _ScenarioDumper.add_multi_representer(
        _np_type, lambda dumper, data, convert=_convert: dumper.represent_data(convert(data)))


def _flow_rows(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    out["metrics"] = [{**m, "points": [_Pair(p) for p in m["points"]]} for m in document["metrics"]]
    out["logs"] = [{**log, "events": [_Pair(e) for e in log["events"]]} for log in document["logs"]]
    return out


def dump(document: dict[str, Any]) -> str:
    return yaml.dump(_flow_rows(document), Dumper=_ScenarioDumper, sort_keys=False, width=100_000,
                     allow_unicode=True)


def write(document: dict[str, Any], path: Path) -> int:
    """Write the scenario to ``path``; returns its size in bytes."""
    text = dump(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
