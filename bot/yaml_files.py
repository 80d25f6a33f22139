"""Reading YAML files (config, scenarios) with one clear error message per failure, never a traceback."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_file(path: str | Path, kind: str, error: type[Exception]) -> Any:
    """Parse a YAML file, or a JSON one (``.json``: strict JSON, so a trailing comma is an error, not YAML's
    plain text); raises ``error`` naming the file, the problem and the line."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{file}: {kind} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{file}: cannot read {kind} file ({exc.__class__.__name__})") from None
    if file.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise error(f"{file}: not valid JSON at line {exc.lineno} ({exc.msg})") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (C or Python)
        if "*" in text:  # an alias: one that contains itself (a: &a [*a]) makes a cycle no reader can walk
            json.dumps(data, default=str)
        return data
    except (RecursionError, ValueError):
        raise error(f"{file}: not valid YAML (an alias refers to itself)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise error(f"{file}: not valid YAML{where}") from None
