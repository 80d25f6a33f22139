"""Which resources belong to an incident, and which log groups belong to which resource.

Dependencies are followed the way a responder does: a function whose errors
name a database host depends on that database; a function whose environment
points at a host depends on it. Pure: works on names and messages only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence

from .mentions import CALLER_FIELD, mentioned_resources
from .model import ASG_PROPERTIES, Anomaly, LogPattern, ResourceRef

_APIGW = re.compile(r"^API-Gateway-(?:Execution|Access)-Logs_([A-Za-z0-9]+)/")


@dataclass(frozen=True)
class Candidate:
    """A resource considered for the root cause and how it relates to the alarmed one."""

    resource: ResourceRef
    relation: str  # alarm | dependency | upstream | configured | context
    weight: float
    via: str = ""


RELATION_WEIGHTS = {"alarm": 1.0, "dependency": 1.0, "involved": 0.9, "upstream": 0.6, "configured": 0.6,
                    "context": 0.35}
FRONT_DOORS = ("apigateway", "alb")


def log_group_prefixes(resource: ResourceRef) -> list[str]:
    """Log group names or prefixes (ending in '/') where this resource writes."""
    explicit = resource.properties.get("log_groups")
    groups = [str(g) for g in explicit] if isinstance(explicit, (list, tuple)) else []
    if resource.type == "lambda":
        groups.append(f"/aws/lambda/{resource.id}")
    elif resource.type == "rds":
        groups.append(f"/aws/rds/instance/{resource.id}/")
    elif resource.type == "apigateway":  # its stages' access log destinations, then the conventional names
        groups += [g for prop in ("access_log_groups", "access_log_group")
                   for g in as_strings(resource.properties.get(prop))]
        if resource.properties.get("api_id"):
            groups += [f"API-Gateway-{kind}-Logs_{resource.properties['api_id']}/" for kind in ("Execution", "Access")]
    elif resource.type == "ecs":
        for group in resource.properties.get("awslogs_groups", []) or []:
            groups.append(str(group))
    return groups


# "<name>-access" and the like: a log group segment naming a resource and the kind of log it holds
_LOG_KIND_SUFFIXES = ("-access-logs", "-access", "_access", "-logs", "-log", "-execution", "-errors", "-error")


def _named_in_path(group: str, resources: Sequence[ResourceRef]) -> ResourceRef | None:
    """The one resource whose name is a whole segment of a log group path (``/aws/apigateway/<api>/...``,
    ``/app/<service>/...``, ``/aws/apigateway/<api>-access``), if exactly one is."""
    segments = {seg for seg in group.split("/") if len(seg) >= 4}
    segments |= {seg[: -len(suffix)] for seg in segments for suffix in _LOG_KIND_SUFFIXES if seg.endswith(suffix)}
    found = [r for r in resources if segments & {a for a in r.aliases if len(a) >= 4}]
    return found[0] if len(found) == 1 else None


def map_log_groups(groups: Iterable[str], resources: Sequence[ResourceRef]) -> dict[str, ResourceRef]:
    """Assign each log group to the resource that writes it (if any)."""
    mapping: dict[str, ResourceRef] = {}
    unmatched_apigw: list[str] = []
    for group in groups:
        for resource in resources:
            if any(group == p or (p.endswith("/") and group.startswith(p)) for p in log_group_prefixes(resource)):
                mapping[group] = resource
                break
        else:
            if _APIGW.match(group):
                unmatched_apigw.append(group)
            else:
                named = _named_in_path(group, resources)
                if named is not None:
                    mapping[group] = named
    apis = [r for r in resources if r.type == "apigateway"]
    if len(apis) == 1:  # execution logs are named by API id; one API in the account owns them all
        for group in unmatched_apigw:
            mapping[group] = apis[0]
    return mapping


_SERVICE_GROUPS = ("/aws/", "API-Gateway-")  # groups AWS services write, never an instance's agent


def unlogged_instances(resources: Sequence[ResourceRef], owners: Mapping[str, ResourceRef]) -> list[ResourceRef]:
    """The EC2 instances among ``resources`` that no log group is known to belong to."""
    owned = {r.key for r in owners.values()}
    return [r for r in resources if r.type == "ec2" and r.key not in owned and not log_group_prefixes(r)]


def agent_group_candidates(groups: Iterable[str], owners: Mapping[str, ResourceRef],
                           resources: Sequence[ResourceRef]) -> list[str]:
    """Groups nobody owns that an instance's CloudWatch agent may write (streams named after the instance
    id), those whose path shares a word with a resource's names first (``/scanhub/app`` beside the
    balancer ``scanhub-alb``)."""
    words = {w for r in resources for a in r.aliases for w in re.split(r"[^A-Za-z0-9]+", a.lower()) if len(w) >= 4}
    free = [g for g in groups if g not in owners and not g.startswith(_SERVICE_GROUPS)]

    def shared(group: str) -> int:
        return len(words & set(re.split(r"[^a-z0-9]+", group.lower())))
    return sorted(free, key=shared, reverse=True)


def stream_sources(streams: Iterable[tuple[str, str]], resources: Sequence[ResourceRef]) -> dict[tuple[str, str], str]:
    """(group, stream) -> id of the resource a stream belongs to, for groups that several resources
    write (the CloudWatch agent names streams after the instance id by default)."""
    claims: dict[str, list[ResourceRef]] = {}
    for resource in resources:
        for prefix in log_group_prefixes(resource):
            claims.setdefault(prefix, []).append(resource)
    out: dict[tuple[str, str], str] = {}
    for group, stream in streams:
        claimants = claims.get(group, [])
        if len(claimants) < 2:
            continue
        named = [r for r in claimants if any(len(a) >= 4 and a in stream for a in r.aliases)]
        if len(named) == 1:
            out[(group, stream)] = named[0].id
    return out


def source_key(group: str, source: str) -> str:
    """Key of a group's per-resource streams in a group -> owner mapping."""
    return f"{group}@{source}" if source else group


def pattern_owner(pattern: LogPattern, group_owner: Mapping[str, ResourceRef]) -> ResourceRef | None:
    """The resource that wrote a pattern: its streams' resource, else its group's owner."""
    if pattern.source:
        owner = group_owner.get(source_key(pattern.log_group, pattern.source))
        if owner is not None:
            return owner
    return group_owner.get(pattern.log_group)


def clients_named_by_stores(patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef],
                            inventory: Sequence[ResourceRef], clients: Iterable[tuple[str, str]]
                            ) -> dict[tuple[str, str], str]:
    """Databases whose own log lines name one of ``clients`` (a connection's user or application,
    ``search_api@inventory``): key -> why. Such a database is what that client talks to."""
    wanted = set(clients)
    client_refs = [r for r in inventory if r.key in wanted]
    out: dict[tuple[str, str], str] = {}
    for store in (r for r in inventory if r.type == "rds" and r.key not in wanted):
        named = mentioned_resources(lines_written_by(patterns, group_owner, [store.key]), client_refs, callers=True)
        if named:
            who = ", ".join(sorted(key[1] for key in named))
            out[store.key] = f"its log names {who} as a client"
    return out


def named_callers(patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef],
                  inventory: Sequence[ResourceRef]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Callee key -> keys of the resources its own lines name as the caller (``caller=checkout-svc``,
    ``client=orders-api``, a database session's user): each of those calls it."""
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for p in patterns:
        owner = pattern_owner(p, group_owner)
        fields = [m.group(0) for text in p.samples[:1] for m in CALLER_FIELD.finditer(text)]
        if owner is not None and fields:
            named = mentioned_resources(fields, inventory, exclude=owner, callers=True)
            out.setdefault(owner.key, set()).update(named)
    return out


def lines_written_by(patterns: Iterable[LogPattern], group_owner: Mapping[str, ResourceRef],
                     keys: Iterable[tuple[str, str]]) -> list[str]:
    """One sample line of every pattern the given resources wrote (errors or not): the hosts a
    function talks to on a good day name its dependencies too."""
    wanted = set(keys)
    return [p.samples[0] for p in patterns if p.samples
            and (owner := pattern_owner(p, group_owner)) is not None and owner.key in wanted]


# a balancer's DNS name in an integration URI: [internal-]<name>-<number>.<region>.elb.amazonaws.com
_ELB_HOST = re.compile(r"\b((?:internal-)?([a-z0-9][a-z0-9-]*?)-\d+)\.[a-z0-9-]+\.elb\.amazonaws\.com", re.I)


def downstream_ids(resource: ResourceRef, inventory: Sequence[ResourceRef]) -> list[tuple[str, str]]:
    """Keys of the resources behind a front door: ALB targets, API integrations, services naming it."""
    names = {n for prop in ("targets", "integration", "integrations")
             for n in as_strings(resource.properties.get(prop))}
    names |= {m.group(g) for n in list(names) for m in _ELB_HOST.finditer(n) for g in (1, 2)}
    out = [r.key for r in inventory if r.key != resource.key and names & set(r.aliases)]
    groups = target_groups_of(resource)
    if groups and resource.type in FRONT_DOORS:  # a balancer and the services in its target groups (or named by them)
        named = {_target_group_stem(g) for g in groups}
        out += [r.key for r in inventory if r.key != resource.key and r.key not in out
                and (groups & set(as_strings(r.properties.get("target_groups")))
                     or named & {_stem(a) for a in (*r.aliases, *fleet_names(r)) if len(a) >= 4})]
        # a group written with what it routes to ("tg-fraud -> ecs fraud/fraud-scorer")
        out += [k for k in mentioned_resources(groups, inventory, exclude=resource) if k not in out]
    for r in inventory:
        ref = r.properties.get("load_balancer") or r.properties.get("api")
        if isinstance(ref, str) and ref in resource.aliases and r.key not in out:
            out.append(r.key)
    return out


_MEMBER_SUFFIX = re.compile(r"-(?:\d+|[a-z]|asg|group|fleet|blue|green)$")


def fleet_names(resource: ResourceRef) -> set[str]:
    """Names of the fleet an instance belongs to: its auto-scaling group and its Name tag, without a
    member number or ``-asg`` (``storefront-api-1``, ``storefront-api-asg`` -> ``storefront-api``)."""
    if resource.type != "ec2":
        return set()
    names = [str(v) for v in (resource.properties.get(p) for p in ("name", *ASG_PROPERTIES)) if v]
    return {n for name in names for n in (name, _MEMBER_SUFFIX.sub("", name))}


_TG_WORDS = re.compile(r"^(?:tg|tgt)-|[-_](tg|tgt|targets?|target-group)$")


def _stem(name: str) -> str:
    return re.sub(r"[/_.]+", "-", name.lower())


def target_groups_of(resource: ResourceRef) -> set[str]:
    """The target groups a balancer (or a service) lists, as written (``target_groups`` or ``target_group``)."""
    return {g for prop in ("target_groups", "target_group") for g in as_strings(resource.properties.get(prop))}


def target_group_name(group: str) -> str:
    """``arn:...:targetgroup/pix-api-tg/2e4a...``, ``targetgroup/pix-api-tg/2e4a...`` or ``pix-api-tg`` ->
    ``pix-api-tg`` (also from ``pix-api-tg -> ecs pix/pix-api``)."""
    return (group.split() or [""])[0].split("targetgroup/", 1)[-1].split("/", 1)[0]


def _target_group_stem(group: str) -> str:
    """``arn:...:targetgroup/storefront-web-tg/73e2...`` or ``storefront-web-tg`` -> ``storefront-web``."""
    return _TG_WORDS.sub("", _stem(target_group_name(group)))


def target_group_owner(target_group: str, inventory: Sequence[ResourceRef]) -> ResourceRef | None:
    """The one service or instance behind a target group (``targetgroup/checkout-web-tg/4a5b...``): the
    resource listing it among its ``target_groups``, else the one named after it; None when unsure."""
    name = target_group_name(target_group)
    listed = [r for r in inventory if r.type not in FRONT_DOORS and any(
        target_group_name(g) == name for g in as_strings(r.properties.get("target_groups")))]
    stem = _target_group_stem(name)
    named = [r for r in inventory if r.type not in FRONT_DOORS and stem in {_stem(a) for a in r.aliases}]
    found = listed or named
    return found[0] if len(found) == 1 else None


def by_target_group(anomalies: Sequence[Anomaly], inventory: Sequence[ResourceRef]) -> list[Anomaly]:
    """Anomalies of a balancer's per-target-group metrics attributed to the service behind that group:
    its requests and latency are that service's, not the shared balancer's."""
    out = []
    for a in anomalies:
        group = a.key.dimension_map.get("TargetGroup")
        owner = target_group_owner(group, inventory) if group else None
        out.append(replace(a, resource=owner) if owner is not None else a)
    return out


def as_strings(value: object) -> list[str]:
    """A property that may hold one string or a list of them, as a list."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def referenced_ids(resource: ResourceRef, inventory: Sequence[ResourceRef]) -> list[tuple[str, str]]:
    """Keys of the resources its configuration points at (hosts and ARNs in environment values)."""
    refs = set(resource.properties.get("env_refs", []) or [])
    return [r.key for r in inventory if r.key != resource.key and refs & set(r.aliases)]


def select_candidates(alarmed: ResourceRef | None, inventory: Sequence[ResourceRef],
                      error_messages: Iterable[str], configured: Iterable[str] = (),
                      context_limit: int = 25, involved: Mapping[tuple[str, str], str] | None = None
                      ) -> list[Candidate]:
    """The alarmed resource, its dependencies (behind it, named in errors, in its env), resources whose
    own errors began with the incident (``involved``: key -> why) and theirs, configured ones, then context
    (the alarm's region only: a resource elsewhere must be linked)."""
    out: dict[tuple[str, str], Candidate] = {}
    involved = dict(involved or {})
    full = next((r for r in inventory if r.key == alarmed.key), alarmed) if alarmed is not None else None
    if full is not None:  # else the alarm watches something outside the inventory (a queue, a table)
        out[full.key] = Candidate(full, "alarm", RELATION_WEIGHTS["alarm"])
    joined = [r for r in inventory if r.key in involved and (full is None or r.key != full.key)]
    anchors = ([full] if full is not None else []) + joined
    if anchors:
        behind = {key for anchor in anchors for key in downstream_ids(anchor, inventory)}
        referenced = {key for anchor in anchors for key in referenced_ids(anchor, inventory)}
        mentions = mentioned_resources(error_messages, inventory, exclude=full)
        for resource in inventory:
            if resource.key in out:
                continue
            if resource.key in behind or mentions.get(resource.key, 0) >= 1 or resource.key in referenced:
                via = ("behind it" if resource.key in behind else
                       "named in its logs" if mentions.get(resource.key) else "referenced in its configuration")
                out[resource.key] = Candidate(resource, "dependency", RELATION_WEIGHTS["dependency"], via)
        for resource in joined:
            if resource.key not in out:
                out[resource.key] = Candidate(resource, "involved", RELATION_WEIGHTS["involved"], involved[resource.key])
    if full is not None:  # its clients: what is configured to call it, or has it behind
        for resource in inventory:
            if resource.key not in out and full.key in {*downstream_ids(resource, inventory),
                                                        *referenced_ids(resource, inventory)}:
                out[resource.key] = Candidate(resource, "upstream", RELATION_WEIGHTS["upstream"], "calls it")
    wanted = set(configured)
    for resource in inventory:
        if resource.key not in out and wanted & set(resource.aliases):
            out[resource.key] = Candidate(resource, "configured", RELATION_WEIGHTS["configured"])
    home = [r for r in inventory if alarmed is None or r.region in (None, alarmed.region)]
    if len(home) <= context_limit:  # another region's resources take part only when linked
        for resource in home:
            if resource.key not in out:
                relation = "upstream" if resource.type in ("apigateway", "alb") else "context"
                out[resource.key] = Candidate(resource, relation, RELATION_WEIGHTS[relation])
    return list(out.values())


def linked_from(start: ResourceRef, inventory: Sequence[ResourceRef], patterns: Iterable[LogPattern],
                group_owner: Mapping[str, ResourceRef]) -> set[tuple[str, str]]:
    """Keys reachable from ``start`` by following what each resource has behind it, what its
    configuration points at or names (routes, targets...) and what its own log lines name
    (``start`` included)."""
    patterns = list(patterns)
    seen, frontier = {start.key}, [start]
    while frontier:
        lines = lines_written_by(patterns, group_owner, [r.key for r in frontier])
        lines += [text for r in frontier for value in r.properties.values() for text in _texts(value)]
        reached = {*mentioned_resources(lines, inventory),
                   *(key for r in frontier for key in (*downstream_ids(r, inventory), *referenced_ids(r, inventory)))}
        frontier = [r for r in inventory if r.key in reached - seen]
        seen |= reached
    return seen


def _texts(value: object) -> list[str]:
    """Every string in a property value (nested lists and mappings: keys and values)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []
