"""Evidence gathering for an investigation: alarm, resources, metrics, logs and changes.

Talks to one region's :class:`bot.aws.AwsGateway` and returns domain records.
Logs are mined into patterns here (the raw lines never leave this step), in two
windows around onset so that the baseline is never crowded out by the incident.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Sequence

import numpy as np

from analyzers import log_queries
from analyzers.anomalies import BREACHED
from analyzers.catalog import metric_keys
from analyzers.detection import find_onset
from analyzers.model import Alarm, Anomaly, Change, Hypothesis, LogPattern, ResourceRef, Series, TimelineEvent
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.changes import setting_search_term
from analyzers.topology import (Candidate, log_group_prefixes, map_log_groups, mentioned_resources, source_key,
                                stream_sources)
from bot.aws import AwsError, AwsGateway, GatewayProvider, MetricQuery, account_problem, accounts_of
from bot.config import Config

from .alarm_ref import AlarmRef, InvestigationError

log = logging.getLogger(__name__)

BASELINE = timedelta(hours=2)
ONSET_MARGIN = timedelta(minutes=5)


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
            if alarms and not several:  # one account: the first region holding the name
                return _resolved(gateway, alarms[0], start, end, [])
            found.extend((gateway, alarm) for alarm in alarms[:1])
    if len(found) > 1:
        arns = "\n".join(f"  {a.arn or a.name} ({a.account}, {a.region})" for _, a in found)
        raise InvestigationError(f"alarm '{ref.name}' exists in {len(found)} places; investigate one of them "
                                 f"by ARN:\n{arns}")
    if not found:
        where = (", ".join(f"{a.account} ({', '.join([ref.region] if ref.region else a.regions)})" for a in accounts)
                 if several else f"region {ref.region}" if ref.region else f"regions {', '.join(provider.regions)}")
        extra = "; skipped: " + "; ".join(skipped) if skipped else ""
        raise InvestigationError(f"unknown alarm '{ref.name}' (not found in {where}){extra}")
    gateway, alarm = found[0]
    return _resolved(gateway, alarm, start, end, [f"skipped {s}" for s in skipped])


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
                  start: datetime, end: datetime, max_resources: int = 25) -> list[Series]:
    """The alarm's own metric plus the catalog metrics of up to ``max_resources`` resources, batched."""
    queries: list[MetricQuery] = []
    seen = set()
    key = alarm.metric_key
    if key is not None:
        stat = key.stat if not key.stat.startswith("p") else "Maximum"  # percentiles: see README
        queries.append(MetricQuery(type(key)(key.namespace, key.name, key.dimensions, stat, alarm.region),
                                   max(60, alarm.period)))
        seen.add((key.namespace, key.name, key.dimensions, stat))
    for resource in list(resources)[:max_resources]:
        extra = {name: (rule.statistic or "Average") for name, rule in
                 config.monitoring.metrics.get(resource.type, {}).items()}
        for mkey, _unit in metric_keys(resource, extra):
            ident = (mkey.namespace, mkey.name, mkey.dimensions, mkey.stat)
            if ident not in seen:
                seen.add(ident)
                queries.append(MetricQuery(mkey, 60))
    series = gateway.get_metric_data(queries, start, end)
    return [s for s in series if s.values or s.key == (queries[0].key if queries else None)]


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
    if idx is not None:
        candidates.append(stamps[mask][idx])
    if alarm.threshold is not None and alarm.comparison:
        breach = _breach_start(values[mask], stamps[mask], alarm.threshold, alarm.comparison)
        if breach is not None:
            candidates.append(breach)
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


def insights_query(limit: int, kind: str = "generic") -> str:
    """The Logs Insights query for an alarm ``kind`` (see :mod:`analyzers.log_queries`), ``limit`` rows at most."""
    return log_queries.insights_query(kind, limit)


class _ScanBudget:
    """The Logs Insights bytes one investigation may still scan (``analysis.insights_max_bytes``)."""

    def __init__(self, total: float) -> None:
        self.total = float(total)
        self.spent = 0.0

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.spent)

    def spend(self, scanned: float) -> None:
        self.spent += max(0.0, scanned)


def fetch_logs(gateway: AwsGateway, resources: Sequence[ResourceRef], config: Config, onset: datetime,
               start: datetime, end: datetime, extra_groups: Sequence[str] = (), max_groups: int = 20,
               alarm: Alarm | None = None, changes: Sequence[Change] = ()) -> LogsOutput:
    """Read the log groups of the resources in two windows (baseline, incident) and mine patterns.

    The Logs Insights query is chosen by the alarm's kind (errors, throttles, latency, saturation;
    generic without an alarm). All queries share one scan budget, ``analysis.insights_max_bytes``:
    each gets what is left as its cap, and once it is spent the remaining groups/windows are read
    with FilterLogEvents (bounded by ``analysis.log_query_limit``); every evidence entry says which
    API read it, with what query, how many bytes, whether it was capped, and why it fell back.
    Parameters and secrets changed in the look-back are also searched for (FilterLogEvents,
    a few lines per group) from the look-back start to the baseline: a service logs which
    settings it loads when it starts, often hours before the incident.
    """
    from analyzers.model import LogRecord

    limit = config.analysis.log_query_limit
    kind = log_queries.alarm_log_kind(alarm)
    budget = _ScanBudget(config.analysis.insights_max_bytes)
    all_groups = gateway.describe_log_groups()
    owners = map_log_groups(all_groups, resources)
    wanted = [g for g in all_groups if g in owners or g in extra_groups]
    for r in resources:  # groups declared on the resource even if DescribeLogGroups paged them out
        for prefix in log_group_prefixes(r):
            if not prefix.endswith("/") and prefix in all_groups and prefix not in wanted:
                wanted.append(prefix)
    wanted = wanted[:max_groups]
    wanted += [g for g in all_groups if g.startswith(EVENT_GROUP_PREFIX) and g not in wanted][:EVENT_GROUPS]
    base_start = max(start, onset - BASELINE)
    windows = (("baseline", base_start, onset - ONSET_MARGIN), ("incident", onset - ONSET_MARGIN, end))
    records: list[LogRecord] = []
    queries: list[dict[str, Any]] = []
    errors: list[str] = []
    for group in wanted:
        for label, w_start, w_end in windows:
            if w_end <= w_start:
                continue
            entry = {"log_group": group, "window": label, "start": w_start.isoformat(), "end": w_end.isoformat(),
                     "kind": kind}
            try:
                got = _read_group(gateway, group, w_start, w_end, limit, entry, kind, budget)
            except AwsError as exc:
                errors.append(f"{group}: {exc.code}")
                continue
            records.extend(got)
            queries.append(entry)
    reads = _setting_reads(gateway, wanted, changes, onset - timedelta(hours=config.analysis.change_lookback),
                           base_start, queries, errors)
    window = PatternWindow(base_start, onset, end)
    records, named_sources = _events_by_resource(records, resources)
    sources = stream_sources({(r.group, r.stream) for r in records + [r for r, _ in reads]}, resources)
    sources.update(named_sources)
    patterns = mine_patterns(records, window, stream_sources=sources)
    error_samples = tuple(s for p in patterns if p.is_error or p.new for s in p.samples)[:200]
    group_owner = {g: owners[g] for g in wanted if g in owners}
    by_id = {r.id: r for r in resources}
    group_owner.update({source_key(g, source): by_id[source] for (g, _), source in sources.items()})
    setting_reads = tuple((source_key(r.group, sources[(r.group, r.stream)]) if (r.group, r.stream) in sources
                           else r.group, line) for r, line in reads)
    return LogsOutput(tuple(patterns), group_owner, tuple(queries),
                      tuple(errors), error_samples, sum(len(r.message) for r in records), len(records),
                      setting_reads)


EVENT_GROUP_PREFIX = "/aws/events/"  # AWS service events forwarded by EventBridge rules (ECS task stops, RDS)
EVENT_GROUPS = 3


def _events_by_resource(records: list[Any], resources: Sequence[ResourceRef]) -> tuple[list[Any], dict]:
    """Event-group records (one group, many resources) split by the one resource each event names:
    the record's stream becomes ``<stream>#<resource id>``, owned by that resource."""
    out, sources = [], {}
    for record in records:
        if record.group.startswith(EVENT_GROUP_PREFIX):
            named = mentioned_resources([record.message], resources)
            if len(named) == 1:
                resource = next(r for r in resources if r.key in named)
                record = replace(record, stream=f"{record.stream}#{resource.id}")
                sources[(record.group, record.stream)] = resource.id
        out.append(record)
    return out, sources


SETTING_SEARCHES = 4  # changed parameters/secrets searched for per investigation
SETTING_LINES = 3  # lines kept per (setting, group)


def _setting_reads(gateway: AwsGateway, groups: Sequence[str], changes: Sequence[Change], since: datetime,
                   until: datetime, queries: list[dict[str, Any]], errors: list[str]) -> list[tuple[Any, str]]:
    """Lines before ``until`` that name a changed parameter/secret or its parent path: (record, line)."""
    terms = list(dict.fromkeys(t for c in reversed(changes) if (t := setting_search_term(c))))[:SETTING_SEARCHES]
    out: list[tuple[Any, str]] = []
    if until <= since:
        return out
    for term in terms:
        for group in groups[:10]:
            entry = {"log_group": group, "window": "settings", "start": since.isoformat(), "end": until.isoformat(),
                     "api": "FilterLogEvents", "query": f'"{term}"', "capped": False}
            try:
                records, truncated = gateway.filter_log_events(group, since, until, SETTING_LINES, pattern=f'"{term}"')
            except AwsError as exc:
                errors.append(f"{group}: {exc.code}")
                continue
            entry.update(events=len(records), truncated=truncated)
            queries.append(entry)
            out += [(r, r.message[:500]) for r in records if term in r.message]
    return out


def _read_group(gateway: AwsGateway, group: str, start: datetime, end: datetime, limit: int,
                entry: dict[str, Any], kind: str = "generic", budget: _ScanBudget | None = None) -> list:
    """One group over one window: Logs Insights within the scan budget, else FilterLogEvents.

    Records on ``entry`` the API used, the query, bytes scanned, ``capped`` and, for FilterLogEvents,
    ``fallback_reason``.
    """
    from analyzers.model import LogRecord

    budget = budget if budget is not None else _ScanBudget(float("inf"))
    if not gateway.insights_available:
        reason = "Logs Insights is not available here"
    elif budget.remaining <= 0:
        reason = f"Logs Insights scan budget spent (analysis.insights_max_bytes = {budget.total:.0f} bytes)"
    else:
        query = insights_query(limit, kind)
        try:
            result = gateway.run_insights_query([group], query, start, end, limit, max_bytes=budget.remaining)
        except AwsError as exc:
            log.info("Logs Insights unavailable for %s (%s); falling back to FilterLogEvents", group, exc.code)
            reason = f"Logs Insights failed ({exc.code})"
        else:
            budget.spend(result.bytes_scanned)
            entry.update(api="StartQuery", query=query, bytes_scanned=result.bytes_scanned, capped=result.capped,
                         rows=len(result.rows), truncated=len(result.rows) >= min(limit, 10000))
            out = []
            for row in result.rows:
                try:
                    ts = datetime.fromisoformat(row.get("@timestamp", "").replace(" ", "T") + "+00:00").timestamp()
                except ValueError:
                    continue
                out.append(LogRecord(group, row.get("@logStream", ""), ts, row.get("@message", "")))
            return out
    records, truncated = gateway.filter_log_events(group, start, end, limit)
    entry.update(api="FilterLogEvents", query=None, truncated=truncated, events=len(records), capped=False,
                 fallback_reason=reason)
    return records


def fetch_changes(gateway: AwsGateway, resources: Sequence[ResourceRef], onset: datetime, config: Config,
                  start: datetime, end: datetime) -> tuple[list[Change], list[str]]:
    """CloudTrail write events in the look-back before onset plus resource-metadata changes."""
    lookback_start = max(start, onset - timedelta(hours=config.analysis.change_lookback))
    errors: list[str] = []
    changes: list[Change] = []
    try:
        changes.extend(gateway.lookup_events(lookback_start, end))
    except AwsError as exc:
        errors.append(f"CloudTrail LookupEvents: {exc.code}")
    for resource in list(resources)[:10]:
        try:
            changes.extend(c for c in gateway.resource_metadata_changes(resource, lookback_start, end)
                           if lookback_start <= c.time <= end)
        except AwsError as exc:
            errors.append(f"{resource.type} {resource.id} metadata: {exc.code}")
    unique = {(c.time, c.event_name, c.resource_name): c for c in changes}
    return sorted(unique.values(), key=lambda c: c.time), errors
