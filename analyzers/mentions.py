"""Which resources a log line names: by alias (whole word, snake_case too), by the labels of a DNS name
(``fx-rates.internal.example.com``, ``identity.platform.internal``), not by a caller field or by code that
only looks like a host name. Pure: works on names and messages only.
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from .model import READER_ENDPOINT, READER_ENDPOINT_SUFFIX, ResourceRef

__all__ = ["CALLER_FIELD", "host_label_names", "host_service_labels", "mentioned_resources"]


def _alias_pattern(aliases: Iterable[str]) -> re.Pattern[str] | None:
    names = sorted((a for a in aliases if len(a) >= 4), key=len, reverse=True)
    if not names:
        return None
    # "search-api" is also "search_api" (database users, queue and metric names are often snake_case)
    alternatives = "|".join(re.escape(n).replace("\\-", "[-_]") for n in names)
    return re.compile(r"(?<![A-Za-z0-9_-])(" + alternatives + r")(?![A-Za-z0-9_-])")


def mentioned_resources(messages: Iterable[str], inventory: Sequence[ResourceRef],
                        exclude: ResourceRef | None = None, callers: bool = False) -> dict[tuple[str, str], int]:
    """How many messages name each inventory resource (by alias, as a whole word or host label, or as
    the leading labels of a DNS name: ``fx-rates.internal.example.com`` names ``fx-rates-internal``;
    ``identity.platform.internal`` names ``identity-api``). A ``client=`` field names who called, not
    what failed: it counts only with ``callers``. A name ``exclude`` shares with another resource (a balancer
    called like the service behind it) is its own when it writes it (``pypi_cache.upstream``, its logger)."""
    own = {a.lower() for a in exclude.aliases} if exclude is not None else set()
    patterns = [(r, _alias_pattern(names), {a.lower() for a in names}, _service_stems(r)) for r in inventory
                if exclude is None or r.key != exclude.key
                for names in [{a for a in r.aliases if len(a) >= 4 and a.lower() not in own}]]
    counts: dict[tuple[str, str], int] = {}
    for message in messages:
        message = message if callers else CALLER_FIELD.sub(" ", message)
        message = READER_ENDPOINT.sub(rf"\1{READER_ENDPOINT_SUFFIX}", message)  # the readers, not the writer
        hosts = host_label_names(message)
        heads = host_service_labels(message)
        for resource, pattern, aliases, stems in patterns:
            if (pattern is not None and pattern.search(message)) or (hosts and aliases & hosts) \
                    or (heads and stems & heads):
                counts[resource.key] = counts.get(resource.key, 0) + 1
    return counts


# ``client=orders-api``, ``caller: "orders-api"``: the service that called the one logging the line
# as do a database log's session prefix (PostgreSQL ``:orders_api@orders:[4411]:``, MySQL ``User@Host: app[app]``)
CALLER_FIELD = re.compile(r"\b(?:client|caller|client_id|calling_service)\s*[=:]\s*\"?[\w./-]+\"?|"
                          r"[\w.-]+@[\w.-]+:\[[^\]]*\]|User@Host:\s*[\w.-]+\[[\w.-]*\]", re.I)
_SERVICE_SUFFIX = re.compile(r"[-_](api|svc|service|server)$")


def _service_stems(resource: ResourceRef) -> set[str]:
    """``identity-api`` -> ``identity``: the name a service's internal host often goes by."""
    stems = {_SERVICE_SUFFIX.sub("", a.lower().rsplit("/", 1)[-1]) for a in resource.aliases}
    return {s for s in stems if len(s) >= 4 and not _SERVICE_SUFFIX.search("-" + s)}


def host_service_labels(message: str) -> set[str]:
    """First labels of the private DNS names in ``message`` (``identity`` for
    ``identity.platform.internal``): an internal service is often reached by its bare name."""
    return {host.lower().split(".")[0] for host in _hosts(message)
            if host.lower().rsplit(".", 1)[-1] in _PRIVATE_TLDS}


_PRIVATE_TLDS = {"internal", "local", "svc", "lan", "corp", "intra", "private", "cluster", "consul"}


_HOST = re.compile(r"(?<![\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.){2,}[a-z]{2,})(?![\w-])", re.I)


def _hosts(message: str) -> list[str]:
    """The DNS names in ``message``; a mixed-case dotted name is code (``Ranked.Web.StandingsController``,
    a .NET namespace or Java class), not a host."""
    return [h for h in _HOST.findall(message) if h in (h.lower(), h.upper())]


def host_label_names(message: str) -> set[str]:
    """Names a DNS name in ``message`` may stand for: its leading labels joined by ``-`` (the
    registrable domain left out), e.g. ``fx-rates`` and ``fx-rates-internal`` for
    ``fx-rates.internal.example.com``; internal load balancers and services are often aliased so."""
    names: set[str] = set()
    for host in _hosts(message):
        labels = host.lower().split(".")[:-2]
        for i in range(2, len(labels) + 1):
            names.add("-".join(labels[:i]))
    return names
