"""A client's own connection pool as the binding limit: "pool exhausted" errors while the database
they are about has plenty of connections left mean the client's pool (a setting of the client) ran
dry, not the database. When a recent change on the client shipped its pool setting, that setting is
the trigger (config_change); otherwise the client itself is where the exhaustion starts."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Sequence

from ..model import ResourceRef, Series

ROOM = 0.5  # the database peaked under this share of max_connections around onset: it had room
AROUND_S = 600
POOL_SETTING = re.compile(r"POOL|MAX_?CONN|CONNECTION_?LIMIT|CONN_?MAX", re.I)


def database_has_room(db: ResourceRef, series: Sequence[Series], onset: datetime) -> str | None:
    """What shows the database ``db`` far from its connection limit around ``onset`` (None: no such
    evidence, including when its limit or its connections are unknown)."""
    cap = float(db.properties.get("max_connections") or 0)
    if db.type != "rds" or cap <= 0:
        return None
    start = onset.timestamp() - AROUND_S
    for s in series:
        ref = s.key.resource()
        if s.key.name != "DatabaseConnections" or ref is None or ref.key != db.key:
            continue
        around = [v for t, v in zip(s.timestamps, s.values) if t >= start]
        if around and max(around) < ROOM * cap:
            return f"[{s.id}] DatabaseConnections on {db.id} peaked at {max(around):.0f} of max_connections {cap:g}"
    return None


def pool_settings(client: ResourceRef) -> list[str]:
    """Names of the client's settings that size its connection pool (environment variable names)."""
    return [name for name in client.properties.get("env_names") or () if POOL_SETTING.search(str(name))]
