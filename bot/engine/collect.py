"""Evidence gathering for an investigation: alarm, resources, metrics and changes, and the
records every step shares (``ResolvedAlarm``, ``LogsOutput``, ``AnalysisOutput``).

Talks to one region's :class:`bot.aws.AwsGateway` and returns domain records. The logs
step lives in :mod:`bot.engine.collect_logs`.
"""
from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Sequence

import numpy as np

from analyzers.anomalies import BREACHED, drift_before_jump
from analyzers.catalog import listed_dimension_sets, metric_keys, published_with_more_dimensions, target_group_keys
from analyzers.detection import find_onset
from analyzers.model import (Alarm, Anomaly, Change, Hypothesis, LogPattern, MetricKey, ResourceRef, Series,
                             TimelineEvent)
from analyzers.topology import Candidate
from bot.aws import AwsError, AwsGateway, GatewayProvider, MetricQuery, account_problem, accounts_of
from bot.config import Config

from .alarm_ref import AlarmRef, InvestigationError
from .regions import Regional, by_region, gateway_for

log = logging.getLogger(__name__)

GLOBAL_EVENTS_REGION = "us-east-1"  # where CloudTrail records global services' events
GLOBAL_EVENT_SOURCES = ("iam.amazonaws.com", "route53.amazonaws.com")  # recorded in us-east-1

@dataclass(frozen=True)
class ResolvedAlarm:
    alarm: Alarm
    alarm_time: datetime | None
    warning: str | None = None


@dataclass(frozen=True)
class LogsOutput:
    patterns: tuple[LogPattern, ...] = ()
    group_owner: dict[str, ResourceRef] = field(default_factory=dict)
    queries: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()
    error_samples: tuple[str, ...] = ()
    raw_bytes: int = 0
    raw_lines: int = 0
    setting_reads: tuple[tuple[str, str], ...] = ()  # (group or group@source, line) naming a changed setting
    stream_probes: tuple[dict[str, Any], ...] = ()  # DescribeLogStreams calls that looked for agent streams


@dataclass(frozen=True)
class AnalysisOutput:
    onset: datetime | None
    candidates: tuple[Candidate, ...]
    anomalies: tuple[Anomaly, ...]
    hypotheses: tuple[Hypothesis, ...]
    timeline: tuple[TimelineEvent, ...]
    related_changes: tuple[Change, ...]


def resolve_alarm(provider: GatewayProvider, ref: AlarmRef, start: datetime, end: datetime) -> ResolvedAlarm:
    """Find the alarm and when it last fired.

    One account: the ARN's region, else the first configured region holding the name.
    Several accounts (``aws.accounts``): the ARN's account and region, else every
    account x region, and a name found in several places is an error listing their ARNs.
    An account that cannot be read is skipped with a warning when searching by name.
    """
    accounts = accounts_of(provider)
    several = getattr(accounts[0], "account", None) is not None
    if several and ref.account_id:
        chosen = provider.by_id(ref.account_id)  # type: ignore[attr-defined]
        if chosen is None:
            known = ", ".join(f"{a.account} ({a.account_id})" for a in accounts)
            raise InvestigationError(f"alarm {ref.name} is in account {ref.account_id}, which is not configured "
                                     f"(aws.accounts: {known})")
        accounts = [chosen]
    found: list[tuple[AwsGateway, Alarm]] = []
    skipped: list[str] = []
    for account in accounts:
        for region in [ref.region] if ref.region else account.regions:
            gateway = account.region(region)
            try:
                alarms = gateway.describe_alarms(names=[ref.name])
            except AwsError as exc:
                if not several:
                    raise
                problem = account_problem(account, region, exc)
                if ref.arn:
                    raise InvestigationError(problem) from None
                log.warning("alarm search: %s", problem)
                skipped.append(problem)
                if exc.operation == "AssumeRole":
                    break
                continue
            if alarms and not several:
                _check_account(ref, alarms[0])
            found.extend((gateway, alarm) for alarm in alarms[:1])
    if len(found) > 1:  # the same name in several regions (or accounts): which one is meant?
        arns = "\n".join(f"  {a.arn or a.name} ({', '.join(filter(None, (a.account, a.region, a.state)))})"
                         for _, a in found)
        raise InvestigationError(f"alarm '{ref.name}' exists in {len(found)} places; investigate one of them "
                                 f"by ARN:\n{arns}")
    if not found:
        where = (", ".join(f"{a.account} ({', '.join([ref.region] if ref.region else a.regions)})" for a in accounts)
                 if several else f"region {ref.region}" if ref.region else f"regions {', '.join(provider.regions)}")
        extra = "; skipped: " + "; ".join(skipped) if skipped else ""
        near = [] if several else _similar_alarm_names(account_gateways(accounts[0], ref.region), ref.name)
        hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        raise InvestigationError(f"unknown alarm '{ref.name}' (not found in {where}){hint}{extra}")
    gateway, alarm = found[0]
    return _resolved(gateway, alarm, start, end, [f"skipped {s}" for s in skipped])


def account_gateways(account: Any, region: str | None) -> list[AwsGateway]:
    return [account.region(r) for r in ([region] if region else account.regions)]


def _similar_alarm_names(gateways: Sequence[AwsGateway], name: str) -> list[str]:
    """Up to three alarm names close to a misspelt one (one DescribeAlarms per region, only after a miss)."""
    names: list[str] = []
    for gateway in gateways:
        try:
            names += [a.name for a in gateway.describe_alarms()]
        except AwsError:
            continue
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.8)
    return [by_lower[c] for c in close]


def _check_account(ref: AlarmRef, alarm: Alarm) -> None:
    """An ARN naming another account than the one the bot reads must not resolve to a local namesake."""
    if ref.account_id and alarm.account_id and alarm.account_id != ref.account_id:
        raise InvestigationError(f"alarm {ref.name} is in account {ref.account_id}, but the bot reads account "
                                 f"{alarm.account_id} (configure aws.accounts to investigate several accounts)")


def _resolved(gateway: AwsGateway, alarm: Alarm, start: datetime, end: datetime,
              warnings: list[str]) -> ResolvedAlarm:
    """The alarm with its last ALARM transition (else its state change time)."""
    alarm_time = alarm.state_changed
    try:
        history = gateway.describe_alarm_history(alarm.name, start, end)
        fired = [t for t in history if t.new_state == "ALARM"]
        if fired:
            alarm_time = fired[-1].time
    except AwsError as exc:
        warnings = [f"alarm history unavailable ({exc.code}); using the state change time", *warnings]
    if alarm.metric_key is None:
        raise InvestigationError(f"alarm {alarm.name} is not a single-metric alarm; "
                                 "composite and metric-math alarms are not supported yet")
    return ResolvedAlarm(alarm, alarm_time, "; ".join(warnings) or None)


def fallback_resources(found: ResolvedAlarm | None) -> list[ResourceRef]:
    if found is None or found.alarm.resource is None:
        return []
    return [found.alarm.resource]


def with_alarm_resource(inventory: list[ResourceRef], alarm: Alarm) -> list[ResourceRef]:
    """The inventory, with the alarm's resource first (added if the inventory lacks it)."""
    target = alarm.resource
    if target is None:
        return inventory
    first = [r for r in inventory if r.key == target.key] or [target]
    return first + [r for r in inventory if r.key != target.key]


METRIC_ONLY = (("AWS/DynamoDB", "TableName", "dynamodb"),)  # resources known from their metrics
METRIC_ONLY_LIMIT = 20


def with_metric_only_resources(gateway: AwsGateway, inventory: list[ResourceRef]) -> list[ResourceRef]:
    """The inventory plus resources of other services seen in ListMetrics (DynamoDB tables), as type
    ``other`` with their ``service``: a service's throttling may start in its table."""
    known = {r.key for r in inventory}
    out = list(inventory)
    for namespace, dimension, service in METRIC_ONLY:
        try:
            metrics = gateway.list_metrics(namespace)
        except AwsError as exc:
            log.info("ListMetrics %s unavailable (%s); %s resources not listed", namespace, exc.code, service)
            continue
        names = sorted({dims[dimension] for _, dims in metrics if dimension in dims})[:METRIC_ONLY_LIMIT]
        for name in names:
            resource = ResourceRef("other", name, gateway.region, {"service": service})
            if resource.key not in known:
                known.add(resource.key)
                out.append(resource)
    return out


def fetch_metrics(gateway: AwsGateway, alarm: Alarm, resources: Sequence[ResourceRef], config: Config,
                  start: datetime, end: datetime, max_resources: int = 25,
                  regional: Regional | None = None) -> list[Series]:
    """The alarm's own metric plus the catalog metrics of up to ``max_resources`` resources, batched
    per region (a resource of another region is read there, through ``regional``)."""
    queries: list[MetricQuery] = []
    seen = set()

    def add(key: MetricKey, period: int = 60) -> None:
        ident = (key.namespace, key.name, key.dimensions, key.stat)
        if ident not in seen:
            seen.add(ident)
            queries.append(MetricQuery(key, period))

    alarm_key = alarm.metric_key
    if alarm_key is not None:
        stat = alarm_key.stat if not alarm_key.stat.startswith("p") else "Maximum"  # percentiles: see README
        add(MetricKey(alarm_key.namespace, alarm_key.name, alarm_key.dimensions, stat, alarm.region),
            max(60, alarm.period))
    for key in target_group_keys(alarm_key):  # a target group's alarm: that group's own requests, latency, 5xx
        add(key)
    listed: dict[tuple[str, str], list[tuple[str, dict[str, str]]]] = {}  # (region, namespace) -> ListMetrics
    for resource in list(resources)[:max_resources]:
        extra = {name: (rule.statistic or "Average") for name, rule in
                 config.monitoring.metrics.get(resource.type, {}).items()}
        for mkey, _unit in metric_keys(resource, extra):
            keys = [mkey]
            if published_with_more_dimensions(mkey.namespace, mkey.name):  # the agent's disk path, a target group
                where = gateway_for(gateway, regional, resource.region)
                if (where.region, mkey.namespace) not in listed:
                    listed[(where.region, mkey.namespace)] = _list_metrics(where, mkey.namespace)
                keys = [MetricKey.of(mkey.namespace, mkey.name, dims, mkey.stat, mkey.region) for dims in
                        listed_dimension_sets(listed[(where.region, mkey.namespace)], mkey.name,
                                              mkey.dimension_map)] or keys
            for key in keys:
                add(key)
    series = [s for region, batch in by_region(queries, lambda q: q.key.region, gateway.region).items() if batch
              for s in gateway_for(gateway, regional, region).get_metric_data(batch, start, end)]
    return [s for s in series if s.values or s.key == (queries[0].key if queries else None)]


def _list_metrics(gateway: AwsGateway, namespace: str) -> list[tuple[str, dict[str, str]]]:
    """The metrics of a namespace in the region (empty when they cannot be listed: then read by the
    resource's own dimensions only)."""
    try:
        return gateway.list_metrics(namespace)
    except AwsError as exc:
        log.info("ListMetrics %s unavailable (%s); read by the resource's own dimensions", namespace, exc.code)
        return []


def incident_onset(found: ResolvedAlarm, series: Sequence[Series]) -> datetime:
    """When the incident began: the alarm metric's anomaly/breach onset, else alarm time minus evaluation."""
    alarm, alarm_time = found.alarm, found.alarm_time
    fallback = (alarm_time or datetime.now().astimezone()) - timedelta(seconds=alarm.period * alarm.evaluation_periods)
    key = alarm.metric_key
    own = next((s for s in series if key and s.key.namespace == key.namespace and s.key.name == key.name
                and s.key.dimensions == key.dimensions), None)
    if own is None or len(own.values) < 5:
        return fallback
    values = np.asarray(own.values, dtype=float)
    stamps = np.asarray(own.timestamps, dtype=float)
    limit = (alarm_time or fallback).timestamp() + 120
    mask = stamps <= limit
    candidates = []
    idx = find_onset(values[mask], stamps[mask], threshold=0.5, min_run=2)
    breach = None
    if alarm.threshold is not None and alarm.comparison:
        breach = _breach_start(values[mask], stamps[mask], alarm.threshold, alarm.comparison)
        if breach is not None:
            candidates.append(breach)
    if idx is not None and not (breach is not None and drift_before_jump(
            values[mask], idx, int(np.searchsorted(stamps[mask], breach)))):
        candidates.append(stamps[mask][idx])
    earliest_allowed = (alarm_time or fallback).timestamp() - 3 * 3600
    candidates = [c for c in candidates if c >= earliest_allowed]
    if not candidates:
        return fallback
    return datetime.fromtimestamp(float(min(candidates)), fallback.tzinfo)


def _breach_start(values: np.ndarray, stamps: np.ndarray, threshold: float, comparison: str) -> float | None:
    op = BREACHED.get(comparison)
    if op is None or values.size == 0:
        return None
    breached = op(values, threshold)
    if not breached.any():
        return None
    last = int(np.flatnonzero(breached)[-1])
    # walk back over the final episode, tolerating single-point dips
    start = last
    gap = 0
    for i in range(last, -1, -1):
        if breached[i]:
            start, gap = i, 0
        else:
            gap += 1
            if gap > 2:
                break
    return float(stamps[start])


def fetch_changes(gateway: AwsGateway, resources: Sequence[ResourceRef], onset: datetime, config: Config,
                  start: datetime, end: datetime, global_gateway: AwsGateway | None = None,
                  regional: Regional | None = None) -> tuple[list[Change], list[str]]:
    """CloudTrail write events in the look-back before onset plus resource-metadata changes.

    IAM is a global service: CloudTrail records its events in us-east-1 whatever region
    the alarm is in, so ``global_gateway`` (that region's, when the alarm is elsewhere)
    is asked for them too. Each other region holding one of ``resources`` is read as well
    (through ``regional``), and a resource's metadata in its own region.
    """
    lookback_start = max(start, onset - timedelta(hours=config.analysis.change_lookback))
    errors: list[str] = []
    changes: list[Change] = []
    remote = sorted({r.region for r in resources if r.region and r.region != gateway.region})
    for where in [gateway, *(gateway_for(gateway, regional, region) for region in remote)]:
        try:
            changes.extend(where.lookup_events(lookback_start, end))
        except AwsError as exc:
            errors.append(f"CloudTrail LookupEvents{'' if where is gateway else f' ({where.region})'}: {exc.code}")
    if global_gateway is not None and global_gateway.region != gateway.region:
        for source in GLOBAL_EVENT_SOURCES:
            try:
                changes.extend(global_gateway.lookup_events(lookback_start, end, event_source=source))
            except AwsError as exc:
                errors.append(f"CloudTrail LookupEvents ({global_gateway.region}, {source}): {exc.code}")
    for resource in list(resources)[:10]:
        try:
            changes.extend(c for c in gateway_for(gateway, regional, resource.region)
                           .resource_metadata_changes(resource, lookback_start, end)
                           if lookback_start <= c.time <= end)
        except AwsError as exc:
            errors.append(f"{resource.type} {resource.id} metadata: {exc.code}")
    unique = {(c.time, c.event_name, c.resource_name): c for c in changes}
    return sorted(unique.values(), key=lambda c: c.time), errors
