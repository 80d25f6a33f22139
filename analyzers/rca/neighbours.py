"""Shared data stores and their tenants: which resource is a cache, and the noisy neighbour, a tenant
whose fresh change loaded the store its victims wait on (the store's own log names it right after)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Mapping, Sequence

from ..model import LogPattern, ResourceRef
from ..patterns import is_surging
from ..topology import mentioned_resources, pattern_owner
from .rules import CACHE_TECH


def is_cache(resource: ResourceRef) -> bool:
    """A cache server (Redis, Memcached, Valkey), by its names or the properties it was described with."""
    words = " ".join((*resource.aliases, *map(str, resource.properties),
                      *(v for v in resource.properties.values() if isinstance(v, str)))).lower()
    return resource.type != "lambda" and any(t in words for t in CACHE_TECH)


NEIGHBOUR_LEAD = timedelta(minutes=1)  # a store's log may name the tenant a little before its change is logged


@dataclass(frozen=True)
class Neighbour:
    """A tenant whose fresh change loaded a store: the store's new log line that names it."""

    store: tuple[str, str]
    tenant: tuple[str, str]
    pattern: LogPattern


def noisy_neighbours(stores: Iterable[tuple[str, str]], patterns: Iterable[LogPattern],
                     group_owner: Mapping[str, ResourceRef], inventory: Sequence[ResourceRef],
                     changed_at: Mapping[tuple[str, str], datetime], victims: Iterable[tuple[str, str]]
                     ) -> list[Neighbour]:
    """Tenants named by a new, surging line of a store their victims' errors are about (a slow log full of
    their commands, the connections they opened), when that line began only after the tenant's own
    change (``changed_at``: tenant -> when its deployment or configuration changed)."""
    wanted, skip = set(stores), set(victims)
    out = []
    for p in patterns:
        owner = pattern_owner(p, group_owner)
        if owner is None or owner.key not in wanted or not p.new or not is_surging(p):
            continue
        text = " ".join((p.template, *p.samples))
        for tenant in mentioned_resources([text], inventory, exclude=owner, callers=True):
            when = changed_at.get(tenant)
            if tenant not in skip and when is not None and when - NEIGHBOUR_LEAD <= p.first_seen:
                out.append(Neighbour(owner.key, tenant, p))
    return out
