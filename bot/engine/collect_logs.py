"""The logs step: read each resource's log groups around onset and mine them into patterns.

Two windows (baseline, incident) so that the baseline is never crowded out by the incident;
Logs Insights within a scan budget, else FilterLogEvents; AWS service events forwarded to
``/aws/events/`` groups split by the resource they name; changed parameters/secrets searched
for back to the look-back start. The raw lines never leave this step.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

from analyzers import log_queries
from analyzers.changes import RUN_COMMAND_OUTPUT, setting_search_term
from analyzers.model import Alarm, Change, LogRecord, ResourceRef
from analyzers.patterns import PatternWindow, mine_patterns
from analyzers.topology import (agent_group_candidates, log_group_prefixes, map_log_groups, mentioned_resources,
                                source_key, stream_sources, unlogged_instances)
from bot.aws import AwsError, AwsGateway
from bot.config import Config

from .collect import LogsOutput
from .regions import Regional, by_region

log = logging.getLogger(__name__)

BASELINE = timedelta(hours=2)
ONSET_MARGIN = timedelta(minutes=5)
AGENT_PROBES = 24  # DescribeLogStreams calls spent looking for instances' agent streams
REMOTE_GROUPS = 6  # log groups read per other region at least, however many the alarm's region has


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
               alarm: Alarm | None = None, changes: Sequence[Change] = (),
               regional: Regional | None = None) -> LogsOutput:
    """Read the log groups of the resources in two windows (baseline, incident) and mine patterns
    (a resource of another region: its groups there, through ``regional``).

    The Logs Insights query is chosen by the alarm's kind (errors, throttles, latency, saturation;
    generic without an alarm). All queries share one scan budget, ``analysis.insights_max_bytes``:
    each gets what is left as its cap, and once it is spent the remaining groups/windows are read
    with FilterLogEvents (bounded by ``analysis.log_query_limit``); every evidence entry says which
    API read it, with what query, how many bytes, whether it was capped, and why it fell back.
    Parameters and secrets changed in the look-back are also searched for (FilterLogEvents,
    a few lines per group) from the look-back start to the baseline: a service logs which
    settings it loads when it starts, often hours before the incident.
    """
    limit = config.analysis.log_query_limit
    kind = log_queries.alarm_log_kind(alarm)
    budget = _ScanBudget(config.analysis.insights_max_bytes)
    all_groups = gateway.describe_log_groups()
    home = [r for r in resources if r.region in (None, gateway.region)]
    owners = map_log_groups(all_groups, home)
    errors: list[str] = []
    probes: list[dict[str, Any]] = []
    agent_groups = _agent_groups(gateway, all_groups, owners, home, errors, probes)
    if agent_groups:  # instances whose agent streams were found: those groups are theirs
        resources = [replace(r, properties={**r.properties, "log_groups": agent_groups[r.key]})
                     if r.key in agent_groups else r for r in resources]
        home = [r for r in resources if r.region in (None, gateway.region)]
        owners = map_log_groups(all_groups, home)
    wanted = [g for g in all_groups if g in owners or g in extra_groups]
    for r in home:  # groups declared on the resource even if DescribeLogGroups paged them out
        for prefix in log_group_prefixes(r):
            if not prefix.endswith("/") and prefix in all_groups and prefix not in wanted:
                wanted.append(prefix)
    wanted = wanted[:max_groups]
    wanted += [g for g in all_groups if g.startswith(EVENT_GROUP_PREFIX) and g not in wanted][:EVENT_GROUPS]
    if any(c.event_name == RUN_COMMAND for c in changes):
        wanted += [g for g in all_groups if g.startswith(RUN_COMMAND_OUTPUT) and g not in wanted][:RUN_COMMAND_GROUPS]
    where = {g: gateway for g in wanted}
    for region, there in by_region(resources, lambda r: r.region, gateway.region).items():
        if region != gateway.region and there and regional is not None:
            room = max(REMOTE_GROUPS, max_groups - len(where))
            remote = _remote_groups(regional(region), there, set(where), room, errors)
            owners.update(remote)
            where.update({g: regional(region) for g in remote})
    base_start = max(start, onset - BASELINE)
    windows = (("baseline", base_start, onset - ONSET_MARGIN), ("incident", onset - ONSET_MARGIN, end))
    records: list[LogRecord] = []
    queries: list[dict[str, Any]] = []
    data_starts: dict[str, datetime] = {}  # groups whose whole baseline was read: where their lines begin
    for group, reader in where.items():
        for label, w_start, w_end in windows:
            if w_end <= w_start:
                continue
            entry = {"log_group": group, "window": label, "start": w_start.isoformat(), "end": w_end.isoformat(),
                     "kind": kind, **({"region": reader.region} if reader is not gateway else {})}
            try:
                got = _read_group(reader, group, w_start, w_end, limit, entry, kind, budget)
            except AwsError as exc:
                errors.append(f"{group}: {exc.code}")
                continue
            records.extend(got)
            queries.append(entry)
            if label == "baseline" and got and entry.get("api") == "FilterLogEvents" and not entry.get("truncated"):
                data_starts[group] = datetime.fromtimestamp(min(r.timestamp for r in got), tz=timezone.utc)
    reads = _setting_reads(gateway, wanted, changes, onset - timedelta(hours=config.analysis.change_lookback),
                           base_start, queries, errors)
    window = PatternWindow(base_start, onset, end, data_starts)
    records, named_sources = _events_by_resource(records, resources)
    sources = stream_sources({(r.group, r.stream) for r in records + [r for r, _ in reads]}, resources)
    sources.update(named_sources)
    patterns = mine_patterns(records, window, stream_sources=sources)
    error_samples = tuple(s for p in patterns if p.is_error or p.new for s in p.samples)[:200]
    group_owner = {g: owners[g] for g in where if g in owners}
    by_id = {r.id: r for r in resources}
    group_owner.update({source_key(g, source): by_id[source] for (g, _), source in sources.items()})
    setting_reads = tuple((source_key(r.group, sources[(r.group, r.stream)]) if (r.group, r.stream) in sources
                           else r.group, line) for r, line in reads)
    return LogsOutput(tuple(patterns), group_owner, tuple(queries),
                      tuple(errors), error_samples, sum(len(r.message) for r in records), len(records),
                      setting_reads, tuple(probes))


def _agent_groups(gateway: AwsGateway, groups: Sequence[str], owners: dict[str, ResourceRef],
                  home: Sequence[ResourceRef], errors: list[str],
                  probes: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """{instance key: groups with a stream named after its id} (the CloudWatch agent's default stream name)
    for the instances no group is known for, in at most ``AGENT_PROBES`` DescribeLogStreams calls, each
    recorded on ``probes`` (group, stream prefix, streams found) for the evidence bundle."""
    instances = unlogged_instances(home, owners)
    found: dict[tuple[str, str], list[str]] = {}
    for group in agent_group_candidates(groups, owners, home) if instances else ():
        for instance in instances:
            if len(probes) >= AGENT_PROBES:
                return found
            entry = {"api": "DescribeLogStreams", "log_group": group, "stream_prefix": instance.id,
                     "region": gateway.region}
            probes.append(entry)
            try:
                streams = gateway.describe_log_streams(group, instance.id)
            except AwsError as exc:
                entry["error"] = exc.code
                errors.append(f"{group} streams: {exc.code}")
                return found
            entry["streams"] = len(streams)
            if streams:
                found.setdefault(instance.key, []).append(group)
    return found


def _remote_groups(gateway: AwsGateway, resources: Sequence[ResourceRef], taken: set[str], room: int,
                   errors: list[str]) -> dict[str, ResourceRef]:
    """The log groups of ``resources`` in ``gateway``'s region (not already ``taken``), with their owners."""
    try:
        owners = map_log_groups(gateway.describe_log_groups(), resources)
    except AwsError as exc:
        errors.append(f"log groups in {gateway.region}: {exc.code}")
        return {}
    return dict([(g, r) for g, r in owners.items() if g not in taken][:max(0, room)])


EVENT_GROUP_PREFIX = "/aws/events/"  # AWS service events forwarded by EventBridge rules (ECS task stops, RDS)
EVENT_GROUPS = 3
# SSM Run Command output sent to CloudWatch Logs: /aws/ssm/<document>, streams <command id>/<instance id>/...
RUN_COMMAND, RUN_COMMAND_GROUPS = "SendCommand", 2


def _events_by_resource(records: list[Any], resources: Sequence[ResourceRef]) -> tuple[list[Any], dict]:
    """Event-group records (one group, many resources) split by the one resource each event names:
    the record's stream becomes ``<stream>#<resource id>``, owned by that resource. A Run Command
    output stream is owned by the instance its name gives."""
    out, sources = [], {}
    instances = {r.id: r for r in resources if r.type == "ec2"}
    for record in records:
        if record.group.startswith(RUN_COMMAND_OUTPUT):  # the stream names the instance the command ran on
            named = [i for i in record.stream.split("/") if i in instances]
            if named:
                sources[(record.group, record.stream)] = named[0]
        elif record.group.startswith(EVENT_GROUP_PREFIX):
            named = mentioned_resources([record.message], resources, callers=True)
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
