"""From gathered evidence to findings, scripts and the report (calls the pure analyzers)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

import numpy as np

from analyzers.anomalies import detect_anomalies, with_alarm_breach
from analyzers.changes import (onset_grace, relevant_changes, with_parameter_groups_applied,
                               with_pending_parameters_applied, with_run_command_settings,
                               with_settings_read_in_logs)
from analyzers.charts_data import chart_specs
from analyzers.links import build_links
from analyzers.model import Change, Hypothesis, MetricKey, ResourceRef, Script, Series, iso
from analyzers.rca import EvidenceSet, involved_resources, rank_hypotheses
from analyzers.rca.dns import DNS_CHANGE
from analyzers.rca.involvement import targets_answer_as_usual
from analyzers.rca.network import ENDPOINT_POLICY_CHANGE, NETWORK_CHANGE
from analyzers.remediation import RemediationFacts, build_scripts
from analyzers.report import ReportInput, build_report
from analyzers.report.md_text import printable_obj
from analyzers.timeline import build_timeline
from analyzers.topology import (FRONT_DOORS, Candidate, by_target_group, clients_named_by_stores, downstream_ids,
                                linked_from, lines_written_by, select_candidates)

from .collect import AnalysisOutput, LogsOutput, ResolvedAlarm, incident_onset

ANOMALY_LOOKBACK = timedelta(hours=2)


def fallback_analysis(found: ResolvedAlarm, series: Sequence[Series]) -> AnalysisOutput:
    """What the report shows when the analysis itself failed: ``unknown`` on the alarm's resource, so the
    evidence gathered so far is still reported (and stored) instead of lost."""
    resource = found.alarm.resource or ResourceRef("other", found.alarm.name, found.alarm.region)
    try:
        onset = incident_onset(found, series)
    except Exception:  # noqa: BLE001 - the fallback must not fail in turn
        onset = found.alarm_time
    unknown = Hypothesis("unknown", resource, 0.05, ("the analysis step failed; see the report's steps",),
                         "no analysis: the evidence was gathered but could not be ranked")
    return AnalysisOutput(onset, (Candidate(resource, "alarm", 1.0),), (), (unknown,), (), ())


def analyse(found: ResolvedAlarm, resources: Sequence[ResourceRef], series: Sequence[Series], logs: LogsOutput,
            changes: Sequence[Change], params: dict[str, Any]) -> AnalysisOutput:
    """Anomalies, candidate resources, ranked hypotheses and the timeline."""
    onset = incident_onset(found, series)
    end = datetime.fromisoformat(params["window_end"])
    anomalies = with_alarm_breach(detect_anomalies(series, onset - ANOMALY_LOOKBACK, end, near=onset), series, found.alarm, onset)
    anomalies = by_target_group(anomalies, resources)
    alarmed = found.alarm.resource
    resources = with_settings_read_in_logs(resources, changes, logs.patterns, logs.group_owner, logs.setting_reads)
    resources = with_parameter_groups_applied(resources, changes, logs.patterns, logs.group_owner)
    changes = with_run_command_settings(changes, logs.patterns, logs.group_owner)
    changes = with_pending_parameters_applied(changes, resources, onset + onset_grace(found.alarm.period))
    full = next((r for r in resources if alarmed is not None and r.key == alarmed.key), alarmed)
    blind = full is not None and full.type in FRONT_DOORS and not downstream_ids(full, list(resources))
    blind = blind and not (full.type == "alb" and targets_answer_as_usual(full, series, anomalies, onset))
    involved = involved_resources(logs.patterns, logs.group_owner, anomalies, onset, alarmed, blind)
    elsewhere = {r.key for r in resources if full is not None and r.region not in (None, full.region)}
    if elsewhere & set(involved):  # another region's resource takes part only when linked to the alarm's
        linked = linked_from(full, list(resources), logs.patterns, logs.group_owner)
        involved = {key: why for key, why in involved.items() if key not in elsewhere or key in linked}
    talking = {alarmed.key, *involved} if alarmed is not None else set(involved)
    talking |= {key for r in resources if r.key in talking for key in downstream_ids(r, list(resources))}
    for key, why in clients_named_by_stores(logs.patterns, logs.group_owner, list(resources), talking).items():
        involved.setdefault(key, why)
    own_lines = lines_written_by(logs.patterns, logs.group_owner, talking)  # hosts it talks to, even when all is well
    candidates = select_candidates(alarmed, list(resources), [*logs.error_samples, *own_lines],
                                   params.get("resources") or [], involved=involved)
    grace = onset_grace(found.alarm.period)
    related = relevant_changes(changes, [c.resource for c in candidates], onset, timedelta(hours=6), grace,
                               logs.patterns)
    related_changes = [c for c, _ in related]
    global_changes = [c for c in changes if c not in related_changes  # global: they touch what their names do not say
                and ("iam" in c.event_source or DNS_CHANGE.search(c.event_name) or NETWORK_CHANGE.search(c.event_name)
                     or ENDPOINT_POLICY_CHANGE.search(c.event_name))
                and onset - timedelta(hours=6) <= c.time <= onset + grace]
    evidence = EvidenceSet(alarm=found.alarm, onset=onset, candidates=candidates, series=series,
                           anomalies=anomalies, patterns=logs.patterns, group_owner=logs.group_owner,
                           changes=related_changes + global_changes, alarm_time=found.alarm_time)
    hypotheses = rank_hypotheses(evidence)
    interesting = [a for a in anomalies if a.resource is None
                   or any(a.resource.key == c.resource.key for c in candidates if c.relation != "context")]
    timeline = build_timeline(found.alarm, found.alarm_time, interesting[:12], logs.patterns,
                              related_changes + global_changes)
    return AnalysisOutput(onset, tuple(candidates), tuple(anomalies), tuple(hypotheses), tuple(timeline),
                          tuple(related_changes + global_changes))


SCRIPTED_CAUSES = 2  # remediation is written for this many top hypotheses
MIN_RUNNER_UP_CONFIDENCE = 0.2  # ...the second only when it is this likely


def make_scripts(inv_id: str, found: ResolvedAlarm, analysis: AnalysisOutput, changes: Sequence[Change],
                 extra_properties: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> list[Script]:
    """Remediation scripts for the top hypotheses (at most two causes), deduplicated by id.

    ``extra_properties`` (resource key -> properties) adds facts read for the scripts only, such as
    the Lambda version to roll back to.
    """
    scripts: dict[str, Script] = {}
    for rank, hyp in enumerate(list(analysis.hypotheses)[:SCRIPTED_CAUSES], start=1):
        if rank > 1 and hyp.confidence < MIN_RUNNER_UP_CONFIDENCE:  # a change proposed for an unlikely cause
            continue  # confuses more than it helps
        related = tuple(c for c in analysis.related_changes
                        if c.resource_name and c.resource_name in hyp.resource.aliases)
        resource = hyp.resource
        extra = {k: v for k, v in (extra_properties or {}).get(resource.key, {}).items() if v is not None}
        if extra:
            resource = replace(resource, properties={**resource.properties, **extra})
        facts = RemediationFacts(investigation_id=inv_id, category=hyp.category, resource=resource,
                                 region=resource.region or found.alarm.region, alarm_name=found.alarm.name,
                                 changes=related, production=True, evidence=hyp.evidence[:5],
                                 account_id=found.alarm.account_id, account=found.alarm.account, rank=rank,
                                 confidence=hyp.confidence, alarm_dimensions=tuple(found.alarm.dimensions))
        for script in build_scripts(facts):
            scripts.setdefault(script.id, script)
    return list(scripts.values())


def metrics_summary(series: Sequence[Series], onset: datetime | None) -> list[dict[str, Any]]:
    out = []
    cut = onset.timestamp() if onset else None
    for s in series:
        if not s.values:
            continue
        values = np.asarray(s.values, dtype=float)
        stamps = np.asarray(s.timestamps, dtype=float)
        before = values[stamps < cut] if cut else values
        after = values[stamps >= cut] if cut else values[-10:]
        resource = s.key.resource()
        out.append({"id": s.id, "metric": s.key.name, "namespace": s.key.namespace, "stat": s.key.stat,
                    "dimensions": dict(s.key.dimension_map), "region": s.key.region,
                    "resource": resource.id if resource else None, "unit": s.unit, "points": len(values),
                    "median_before": round(float(np.median(before)), 4) if before.size else None,
                    "max_after": round(float(np.max(after)), 4) if after.size else None,
                    "last": round(float(values[-1]), 4)})
    return out


def make_report(inv_id: str, created: datetime, params: dict[str, Any], outputs: dict[str, Any],
                statuses: dict[str, dict[str, Any]], redactor: Any = None) -> dict[str, Any]:
    """Assemble the report; untrusted text (logs, alarm descriptions) is redacted, scripts are not touched."""
    found: ResolvedAlarm = outputs["alarm"]
    analysis: AnalysisOutput = outputs["analysis"]
    logs: LogsOutput = outputs["logs"]
    scripts: list[Script] = outputs.get("scripts") or []
    affected = [c.resource for c in analysis.candidates if c.relation in ("alarm", "dependency")]
    root_key = analysis.hypotheses[0].resource.key if analysis.hypotheses else None
    affected += [c.resource for c in analysis.candidates
                 if c.resource.key == root_key and c.resource not in affected]
    bundle = {"log_queries": list(logs.queries), "log_stream_probes": list(logs.stream_probes),
              "metric_window": {"start": params["window_start"], "end": params["window_end"],
                                "series": len(outputs.get("metrics") or [])},
              "raw_log_lines": logs.raw_lines, "raw_log_bytes": logs.raw_bytes}
    data = ReportInput(
        investigation_id=inv_id, created_at=created, alarm=found.alarm,
        window_start=datetime.fromisoformat(params["window_start"]),
        window_end=datetime.fromisoformat(params["window_end"]), onset=analysis.onset, resources=affected,
        hypotheses=analysis.hypotheses, timeline=analysis.timeline, patterns=logs.patterns,
        anomalies=analysis.anomalies, changes=analysis.related_changes, scripts=scripts,
        description=params.get("description"), evidence_bundle=bundle, steps=statuses,
        llm=outputs.get("llm"), metrics_summary=metrics_summary(outputs.get("metrics") or [], analysis.onset))
    report = build_report(data)
    report["alarm"]["time"] = iso(found.alarm_time) if found.alarm_time else None
    charts = chart_specs(found.alarm, outputs.get("metrics") or [], analysis.anomalies, analysis.onset,
                         data.window_end, analysis.related_changes,
                         [c.resource for c in analysis.candidates if c.relation != "context"])
    report["charts"] = [c.to_dict() for c in charts]
    links = console_links(found, analysis, charts, bundle, data)
    if redactor is not None:
        kept = report.pop("scripts")
        categories = [report["root_cause"]["category"]] + [h["category"] for h in report["hypotheses"]]
        report = redactor.redact_obj(report)
        report["scripts"] = kept
        # categories are the engine's own words, never secrets: a broad custom pattern must not garble them
        report["root_cause"]["category"] = categories[0]
        for hypothesis, category in zip(report["hypotheses"], categories[1:]):
            hypothesis["category"] = category
        report["redaction"] = redactor.receipt()
        report["redaction_receipt"] = redactor.receipt_text()
    scripts = report.pop("scripts")  # their text is what is approved (sha256): comments are cleaned when built
    report = printable_obj(report)  # no control or text-direction characters from logs, names or CloudTrail
    report["scripts"] = scripts
    report["links"] = links  # built from AWS identifiers only; kept out of redaction so URLs stay valid
    return report


def console_links(found: ResolvedAlarm, analysis: AnalysisOutput, charts: Sequence[Any], bundle: dict[str, Any],
                  data: ReportInput) -> dict[str, Any]:
    """AWS console deep links for the alarm, charted/anomalous series, log queries, resources and changes."""
    alarm = found.alarm
    metrics = [(c.id, MetricKey(c.namespace, c.name, c.dimensions, c.stat, c.region),
                alarm.period if c.kind == "alarm" else 60) for c in charts]
    resources = [c.resource for c in analysis.candidates if c.relation != "context"]
    wanted = {r.key for r in resources}
    metrics += [(a.series_id, a.key, 60) for a in analysis.anomalies if a.resource is None or a.resource.key in wanted]
    return build_links(alarm, resources, metrics, bundle.get("log_queries") or [], analysis.related_changes,
                       data.window_start, data.window_end)


__all__ = ["analyse", "make_scripts", "make_report", "incident_onset", "console_links"]
