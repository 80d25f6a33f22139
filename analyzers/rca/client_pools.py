"""A client's own connection pool as the binding limit: "pool exhausted" errors while the database
they are about has plenty of connections left (:func:`.levels.database_has_room`) mean the client's
pool (a setting of the client) ran dry, not the database. When a recent change on the client shipped its
pool setting, that setting is the trigger (config_change); otherwise the client itself is where the
exhaustion starts."""
from __future__ import annotations

import re

from ..model import ResourceRef

POOL_SETTING = re.compile(r"POOL|MAX_?CONN|CONNECTION_?LIMIT|CONN_?MAX", re.I)


def pool_settings(client: ResourceRef) -> list[str]:
    """Names of the client's settings that size its connection pool (environment variable names)."""
    return [name for name in client.properties.get("env_names") or () if POOL_SETTING.search(str(name))]
