"""The alarm's account in its other configured regions: a service calling an API or a database in
another region has its dependency there, so the investigation lists those regions' resources too and
reads each resource's metrics, logs and changes in its own region.

A resource listed in the alarm's region wins over one of the same type and id elsewhere (an
active-active twin); whether a remote resource takes part is the analysis's call (it must be linked:
behind a front door, named in logs or configuration; see :func:`analyzers.topology.select_candidates`).
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Sequence, TypeVar

from analyzers.model import ResourceRef
from bot.aws import AwsError, AwsGateway, accounts_of

log = logging.getLogger(__name__)

Regional = Callable[[str], AwsGateway]  # region -> that region's gateway, in the alarm's account
T = TypeVar("T")


def account_regions(provider: Any, account: str | None) -> list[str]:
    """The configured regions of ``account`` (the provider's own when it knows no accounts)."""
    for listed in accounts_of(provider):
        if getattr(listed, "account", None) == account:
            return list(listed.regions)
    return list(getattr(provider, "regions", []))


def other_region_resources(regional: Regional, regions: Iterable[str], home: str,
                           inventory: Sequence[ResourceRef]) -> list[ResourceRef]:
    """Resources of the other ``regions`` whose type and id the home ``inventory`` does not hold;
    a region that cannot be listed is skipped and logged."""
    known = {r.key for r in inventory}
    out: list[ResourceRef] = []
    for region in regions:
        if region == home:
            continue
        try:
            listed = regional(region).list_resources()
        except AwsError as exc:
            log.warning("inventory of %s skipped: %s", region, exc.code)
            continue
        for resource in listed:
            if resource.key not in known:
                known.add(resource.key)
                out.append(resource)
    return out


def by_region(items: Iterable[T], region_of: Callable[[T], str | None], home: str) -> dict[str, list[T]]:
    """``items`` grouped by their region (home first; no region means home)."""
    out: dict[str, list[T]] = {home: []}
    for item in items:
        out.setdefault(region_of(item) or home, []).append(item)
    return out


def gateway_for(gateway: AwsGateway, regional: Regional | None, region: str | None) -> AwsGateway:
    """``gateway`` for its own region (or when no other region is reachable), else ``regional(region)``."""
    if regional is None or not region or region == gateway.region:
        return gateway
    return regional(region)
