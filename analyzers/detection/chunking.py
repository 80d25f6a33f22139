"""Cache-sized chunks for elementwise passes over long arrays (their temporaries stay in cache)."""

from __future__ import annotations

CHUNK = 1 << 15  # points per elementwise pass over temporaries (they stay in cache)


def chunks(n: int) -> list[slice]:
    """Consecutive slices of CHUNK points covering n points (elementwise passes stay in cache)."""
    return [slice(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)] or [slice(0, 0)]
