"""JSON (de)serialisation of domain records for persisted investigation steps (pydantic TypeAdapter)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

T = TypeVar("T")


@lru_cache(maxsize=None)
def _adapter(tp: Any) -> TypeAdapter:
    return TypeAdapter(tp)


def dump(value: Any, tp: Any) -> Any:
    """A JSON-ready structure for ``value`` of type ``tp``."""
    return _adapter(tp).dump_python(value, mode="json")


def load(data: Any, tp: Any) -> Any:
    """Rebuild a value of type ``tp`` from :func:`dump`'s output."""
    return _adapter(tp).validate_python(data)
