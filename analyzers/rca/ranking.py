"""Ranked root-cause hypotheses from metric anomalies, log patterns and changes.

Each candidate resource collects evidence per category: log patterns that are
new or surging after onset (on its own log groups, or on others' that name it),
metric anomalies that began no later than shortly after onset, and changes on it
shortly before onset. Scores combine the kinds of evidence, weigh the resource's
relation to the alarm, and apply the category tie-break rules. Weak evidence
yields ``unknown`` with low confidence rather than a guess.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping, Sequence

from ..changes import change_kind, touches
from ..model import Alarm, Anomaly, Change, Hypothesis, LogPattern, ResourceRef, Series, iso
from ..patterns import is_surging
from ..topology import FRONT_DOORS, RELATION_WEIGHTS, Candidate, downstream_ids, mentioned_resources, referenced_ids
from .rules import (CATEGORY_PRIOR, DATABASE_WORDS, PORT, WELL_KNOWN_PORTS, DEPENDENCY_CATEGORIES, ERROR_WORDS, METRIC_CATEGORIES, SPECIFICITY,
                    log_categories)

UNKNOWN_BELOW = 0.3
CHANGE_HORIZON = timedelta(hours=2)
LATE_ANOMALY = timedelta(minutes=10)
TRIGGERS = ("bad_deployment", "config_change")
SYMPTOMS = ("dependency_failure", "application_error", "function_timeout")
RECENT_CHANGE = 0.5  # strength of a config change ~1.4 h (a deployment ~1.1 h) before onset
MEMORY_PERCENT = ("MemoryUtilization", "mem_used_percent")
MEMORY_FULL = 97.0
STORAGE_FULL = 0.02  # free storage under 2 % of the allocation
HARD_LIMITS = ("throttling", "db_connection_exhaustion", "storage_exhaustion")  # a surge does not explain these
SURGE_LEAD = timedelta(minutes=45)  # a surge that began earlier than this without failing is not the cause
NEW_WARNING = 0.6  # weight of a new warning signature (not an error) after a deployment
RELAYED = 0.5  # weight of a front door's own log evidence when resources behind it fail too


@dataclass(frozen=True)
class EvidenceSet:
    """Everything ranking looks at."""

    alarm: Alarm
    onset: datetime
    candidates: Sequence[Candidate]
    series: Sequence[Series]
    anomalies: Sequence[Anomaly]
    patterns: Sequence[LogPattern]
    group_owner: Mapping[str, ResourceRef]
    changes: Sequence[Change]


@dataclass
class _Score:
    logs: float = 0.0
    metrics: float = 0.0
    change: float = 0.0
    lines: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def add(self, kind: str, strength: float, line: str, evidence_id: str | None) -> None:
        setattr(self, kind, max(getattr(self, kind), strength))
        if line not in self.lines:
            self.lines.append(line)
        if evidence_id and evidence_id not in self.ids:
            self.ids.append(evidence_id)


def _pattern_strength(p: LogPattern) -> float:
    volume = min(1.0, math.log10(1 + p.count_after) / 1.5)
    return (1.0 if p.new else 0.7) * max(volume, 0.3)


def _fmt_pattern(p: LogPattern) -> str:
    state = "new" if p.new else f"x{p.rate_after / max(p.rate_before, 1e-9):.0f} rate"
    sample = (p.samples[0] if p.samples else p.template).split("\n", 1)[0][:180]
    return f"[{p.id}] {p.count_after} log events after onset ({state}, first {iso(p.first_seen)}) in {p.log_group}: {sample}"


def _fmt_anomaly(a: Anomaly, unit: str | None) -> str:
    who = a.resource.id if a.resource else a.key.label
    return (f"[{a.id}] {a.key.name} on {who} went {a.direction} from {a.baseline:g} to {a.peak:g}"
            f"{' ' + unit if unit else ''} from {iso(a.onset)}")


def _fmt_change(c: Change, onset: datetime) -> str:
    minutes = (onset - c.time).total_seconds() / 60
    who = f" by {c.username}" if c.username else ""
    when = f"{minutes:.0f} min before onset" if minutes >= 0 else f"{-minutes:.0f} min after onset"
    return f"[{c.id}] {c.event_name} on {c.resource_name}{who} at {iso(c.time)} ({when})"


class _Ranker:
    def __init__(self, ev: EvidenceSet):
        self.ev = ev
        self.scores: dict[tuple[str, tuple[str, str]], _Score] = defaultdict(_Score)
        self.by_key = {c.resource.key: c for c in ev.candidates}
        self.weights = {c.resource.key: c.weight for c in ev.candidates}
        self.inventory = [c.resource for c in ev.candidates]
        self.units = {s.key: s.unit for s in ev.series}
        self.alarm_key = ev.alarm.resource.key if ev.alarm.resource else None

    def score(self, category: str, resource: ResourceRef) -> _Score:
        return self.scores[(category, resource.key)]

    # Logs ----------------------------------------------------------------
    def collect_logs(self) -> None:
        for p in self.ev.patterns:
            if not is_surging(p):
                continue
            owner = self.ev.group_owner.get(p.log_group)
            text = " ".join((p.template, *p.samples, p.exception_type or ""))
            cats = log_categories(text)
            strength = _pattern_strength(p)
            line = _fmt_pattern(p)
            named = [k for k in mentioned_resources([text], self.inventory, exclude=owner) if k in self.by_key]
            owned = owner is not None and owner.key in self.by_key
            if owned and not named:  # errors about a backend point at what is behind it / what it is configured with
                named = [k for k in (*downstream_ids(owner, self.inventory), *referenced_ids(owner, self.inventory))
                         if k in self.by_key]
            if owned and not named:
                named = self._by_port(text, owner)
            if owned and not named and DATABASE_WORDS.search(text) and owner.type != "rds":
                named = self._databases(cats)
                for key in named:  # the victim's database errors make it a dependency
                    self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
            if owned and owner.type in FRONT_DOORS and self._backends_failing():
                strength *= RELAYED  # a front door relays what failed behind it
            for cat in cats:
                if cat == "dependency_failure" and ("db_connection_exhaustion" in cats or "function_timeout" in cats):
                    continue
                if named and cat in DEPENDENCY_CATEGORIES:
                    for key in named:
                        self.score(cat, self.by_key[key].resource).add("logs", strength * 0.9, line, p.id)
                    if owned:
                        self.score(cat, owner).add("logs", strength * 0.4, line, p.id)
                elif owned:
                    self.score(cat, owner).add("logs", strength, line, p.id)
            if owned and (p.is_error or ERROR_WORDS.search(text)):
                self.score("application_error", owner).add("logs", strength * (1.0 if p.exception_type else 0.8),
                                                           line, p.id)
            elif owned and p.new and p.level == "WARN":  # a new warning only a roll-out explains
                self.score("bad_deployment", owner).add("logs", strength * NEW_WARNING, line, p.id)

    def _databases(self, categories: Sequence[str]) -> list[tuple[str, str]]:
        """The database a victim's database errors point at: a linked or involved one; else the one whose
        metrics show the same fault (connections at the limit...); else the only one."""
        dbs = [c for c in self.ev.candidates if c.resource.type == "rds"]
        linked = [c.resource.key for c in dbs if c.relation in ("dependency", "involved")]
        if linked:
            return linked
        faulty = [c.resource.key for c in dbs if any(self.scores[(cat, c.resource.key)].metrics >= 0.5
                                                     for cat in categories if (cat, c.resource.key) in self.scores)]
        return faulty or ([dbs[0].resource.key] if len(dbs) == 1 else [])

    def _by_port(self, text: str, owner: ResourceRef) -> list[tuple[str, str]]:
        """Resources named after the service behind a well-known port in the error (``:6379`` -> redis)."""
        words = {WELL_KNOWN_PORTS[port] for port in PORT.findall(text) if port in WELL_KNOWN_PORTS}
        found = [c.resource.key for c in self.ev.candidates if c.resource.key != owner.key and words
                 and any(w in alias.lower() for alias in c.resource.aliases for w in words)]
        for key in found:
            self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
        return found

    def _backends_failing(self) -> bool:
        return any(c.relation == "involved" or (c.relation == "dependency" and c.via == "behind it")
                   for c in self.ev.candidates)

    # Metrics -------------------------------------------------------------
    def collect_metrics(self) -> None:
        latest = self.ev.onset + LATE_ANOMALY
        for a in self.ev.anomalies:
            if a.resource is None or a.resource.key not in self.by_key or a.onset > latest:
                continue
            rule = METRIC_CATEGORIES.get(a.key.name)
            if not rule or rule[1] != a.direction:
                continue
            category = rule[0]
            if category == "traffic_surge" and a.onset < self.ev.onset - SURGE_LEAD:
                continue
            resource = self.by_key[a.resource.key].resource
            strength = self._metric_strength(category, a, resource)
            if strength > 0:
                self.score(category, resource).add("metrics", strength, _fmt_anomaly(a, self.units.get(a.key)), a.id)

    def _metric_strength(self, category: str, a: Anomaly, resource: ResourceRef) -> float:
        props = resource.properties
        rel = abs(a.peak - a.baseline) / max(abs(a.baseline), 1e-9)
        if category == "cpu_saturation":  # pinned near 100 % is the fault; 85 % may be a symptom (GC, retries)
            return 1.0 if a.peak >= 95 else (0.7 if a.peak >= 85 else (0.4 if a.peak >= 70 else 0.0))
        if category == "memory_exhaustion":
            if a.key.name == "FreeableMemory":
                return 0.8 if a.peak <= 0.1 * max(a.baseline, 1) else 0.0
            return 1.0 if a.peak >= 90 else 0.0
        if category == "storage_exhaustion":
            if a.key.name == "FreeStorageSpace":
                total = float(props.get("allocated_storage_gb") or 0) * 1e9
                limit = 0.1 * total if total else 0.1 * max(a.baseline, 1)
                return 1.0 if a.peak <= limit else 0.3
            return 1.0 if a.peak >= 90 else 0.0
        if category == "db_connection_exhaustion":
            cap = props.get("max_connections")
            if cap:
                return 1.0 if a.peak >= 0.85 * float(cap) else 0.3
            return 0.6 if rel >= 1.0 else 0.3
        if category == "throttling":
            return 1.0 if a.peak > 0 else 0.0
        if category == "traffic_surge":
            return 1.0 if rel >= 2.0 else (0.5 if rel >= 0.8 else 0.0)
        if category == "function_timeout":
            timeout = props.get("timeout")
            if timeout and a.peak >= 0.9 * float(timeout) * 1000:
                return 1.0
            return 0.0
        return 0.0

    def collect_saturation_levels(self) -> None:
        """Limits reached even when the series crept up (no anomaly onset): concurrency at the reserved
        limit is throttling, memory at its limit is memory exhaustion, storage run out is storage exhaustion."""
        onset = self.ev.onset.timestamp()
        for s in self.ev.series:
            ref = s.key.resource()
            if ref is None or ref.key not in self.by_key:
                continue
            full = self.by_key[ref.key].resource
            around = [v for t, v in zip(s.timestamps, s.values) if t >= onset - 600]
            after = [v for t, v in zip(s.timestamps, s.values) if t >= onset]
            if s.key.name == "FreeStorageSpace" and around:
                total = float(full.properties.get("allocated_storage_gb") or 0) * 1e9
                if total and min(around) <= STORAGE_FULL * total:
                    line = f"[{s.id}] FreeStorageSpace on {full.id} fell to {min(around) / 1e9:.2f} GB around onset"
                    self.score("storage_exhaustion", full).add("metrics", 0.9, line, s.id)
            elif s.key.name in MEMORY_PERCENT and around and max(around) >= MEMORY_FULL:
                line = f"[{s.id}] {s.key.name} on {full.id} reached {max(around):.0f} % around onset"
                self.score("memory_exhaustion", full).add("metrics", 0.8, line, s.id)
            elif s.key.name == "ConcurrentExecutions" and after:
                limit = full.properties.get("reserved_concurrency")
                if limit and max(after) >= float(limit):
                    line = f"[{s.id}] ConcurrentExecutions on {full.id} reached its reserved concurrency ({limit})"
                    self.score("throttling", full).add("metrics", 0.8, line, s.id)

    # Changes -------------------------------------------------------------
    def collect_changes(self) -> None:
        for c in self.ev.changes:
            if not (self.ev.onset - CHANGE_HORIZON <= c.time <= self.ev.onset + timedelta(minutes=2)):
                continue
            kind = change_kind(c)
            category = {"deployment": "bad_deployment", "config": "config_change",
                        "iam": "permission_denied"}.get(kind)
            if category is None:
                continue
            gap_h = max((self.ev.onset - c.time).total_seconds() / 3600.0, 0.0)
            strength = max(0.2, 1.0 - 0.35 * gap_h)
            if kind == "deployment":  # a bad roll-out fails within minutes, not after an hour of clean running
                strength = max(0.2, min(1.0, 1.0 - 0.6 * (gap_h - 0.25)))
            targets = [cand.resource for cand in self.ev.candidates if touches(c, cand.resource)]
            if kind == "iam" and not targets and self.alarm_key:
                targets = [self.by_key[self.alarm_key].resource]
            for resource in targets:
                self.score(category, resource).add("change", strength, _fmt_change(c, self.ev.onset), f"c:{c.id}")

    # Combination ---------------------------------------------------------
    def hypotheses(self) -> list[Hypothesis]:
        out: list[tuple[float, int, Hypothesis]] = []
        for (category, key), s in self.scores.items():
            cand = self.by_key.get(key)
            if cand is None:
                continue
            raw = self._combine(category, key, s)
            if raw <= 0:
                continue
            value = raw * CATEGORY_PRIOR.get(category, 0.5) * self.weights[key]
            lines, ids = list(s.lines), list(s.ids)
            errors = self.scores.get(("application_error", key)) if category in ("bad_deployment",
                                                                                 "config_change") else None
            trigger = self._trigger(category, key)
            if trigger is not None and trigger is not s:  # the deployment that carried the setting
                lines += [line for line in trigger.lines if line not in lines]
                ids += [i for i in trigger.ids if i not in ids]
            if errors is not None:  # a trigger is only a cause with the new errors it explains
                lines += [line for line in errors.lines if line not in lines]
                ids += [i for i in errors.ids if i not in ids]
            hyp = Hypothesis(category=category, resource=cand.resource, confidence=0.0, evidence=tuple(lines),
                             rationale=self._rationale(category, cand), evidence_ids=tuple(ids))
            out.append((value, SPECIFICITY.index(category), hyp))
        out = self._triggers_explain_symptoms(out)
        out.sort(key=lambda t: (-round(t[0], 3), t[1]))
        return self._calibrate(out)

    def _trigger(self, category: str, key: tuple[str, str]) -> _Score | None:
        """The score holding the change that triggers a trigger hypothesis: its own change, or for a config
        change without one, the deployment that shipped the new setting; None when there is no change."""
        if category not in TRIGGERS:
            return None
        own = self.scores.get((category, key))
        if own is not None and own.change:
            return own
        shipped = self.scores.get(("bad_deployment", key)) if category == "config_change" else None
        return shipped if shipped is not None and shipped.change else None

    def _triggers_explain_symptoms(self, ranked: list[tuple[float, int, Hypothesis]]
                                   ) -> list[tuple[float, int, Hypothesis]]:
        """A recent change on a resource whose errors it explains is the more specific cause than a
        symptom read from those same errors: it ranks at least as high (then wins the tie-break)."""
        out = []
        for value, spec, hyp in ranked:
            trigger = self._trigger(hyp.category, hyp.resource.key)
            if trigger is not None and trigger.change >= RECENT_CHANGE:
                explained = [v for v, _, h in ranked if h.resource.key == hyp.resource.key
                             and h.category in SYMPTOMS and set(h.evidence_ids) & set(hyp.evidence_ids)]
                value = max([value, *explained])
            out.append((value, spec, hyp))
        return out

    def _combine(self, category: str, key: tuple[str, str], s: _Score) -> float:
        if category in ("bad_deployment", "config_change"):
            errors = self.scores.get(("application_error", key))
            err = errors.logs if errors else 0.0
            own = s.logs  # config: errors naming a missing setting
            trigger = self._trigger(category, key)
            if trigger is None:
                return 0.75 * own if category == "config_change" else 0.0
            if max(err, own) <= 0:
                return 0.0
            bonus = 0.1 if category == "config_change" else 0.05
            stale = min(1.0, trigger.change / RECENT_CHANGE)  # errors long after a change are not its doing
            return min(1.0, 0.5 * trigger.change + 0.5 * max(err, own) + bonus) * stale
        if category == "permission_denied" and s.change and not s.logs:
            return 0.0
        if category == "dependency_failure":
            dep = self.by_key[key].resource
            exhausted = max((self.scores[(c, key)].metrics for c in ("db_connection_exhaustion", "cpu_saturation",
                             "memory_exhaustion", "storage_exhaustion") if (c, key) in self.scores), default=0.0)
            if exhausted >= 0.5:
                return 0.0
            if self._overloaded(key):  # it fails because of the load it receives, not a fault of its own
                return 0.4 * s.logs
            return s.logs * (1.0 if key != self.alarm_key else 0.85)
        if category == "traffic_surge":
            faults = [max(v.logs, v.metrics if c in HARD_LIMITS and v.metrics > 0.5 else 0.0)
                      for (c, k), v in self.scores.items()
                      if c in ("throttling", "dependency_failure", "db_connection_exhaustion", "cpu_saturation",
                               "memory_exhaustion", "storage_exhaustion", "permission_denied")
                      and not (c == "dependency_failure" and self._overloaded(k))]
            return s.metrics * (0.5 if any(f > 0.3 for f in faults) else 1.0)
        parts = sorted((s.logs, s.metrics), reverse=True)
        combined = 0.65 * parts[0] + 0.35 * parts[1]
        if category == "application_error":
            return 0.8 * s.logs
        return combined + 0.2 * s.change

    def _overloaded(self, key: tuple[str, str]) -> bool:
        """Request volume far above usual and no error of its own in its logs."""
        surge = self.scores.get(("traffic_surge", key))
        own_errors = self.scores.get(("application_error", key))
        return surge is not None and surge.metrics >= 0.5 and (own_errors is None or own_errors.logs == 0)

    def _rationale(self, category: str, cand: Candidate) -> str:
        relation = {"alarm": "the alarmed resource", "dependency": f"a dependency ({cand.via})",
                    "involved": f"involved in the incident ({cand.via})",
                    "upstream": "upstream of the alarmed resource", "configured": "a configured resource",
                    "context": "another resource in the account"}[cand.relation]
        return f"{category.replace('_', ' ')} on {cand.resource.type} {cand.resource.id}, {relation}"

    def _calibrate(self, ranked: list[tuple[float, int, Hypothesis]]) -> list[Hypothesis]:
        unknown_res = self.by_key[self.alarm_key].resource if self.alarm_key in self.by_key else (
            self.ev.alarm.resource or ResourceRef("other", self.ev.alarm.name, self.ev.alarm.region))
        if not ranked or ranked[0][0] < UNKNOWN_BELOW:
            best = ranked[0][0] if ranked else 0.0
            unknown = Hypothesis("unknown", unknown_res, round(max(0.05, 0.4 - best), 3),
                                 ("no evidence strong enough to name a cause",),
                                 "the evidence does not support any specific cause")
            return [unknown] + [self._with_conf(h, v * 0.5) for v, _, h in ranked[:4]]
        top = ranked[0][0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        margin = (top - second) / top if top else 0.0
        out = []
        for i, (value, _, hyp) in enumerate(ranked[:6]):
            conf = min(0.97, value * (0.6 + 0.4 * margin)) if i == 0 else min(0.9, value * 0.6)
            out.append(self._with_conf(hyp, conf))
        return out

    @staticmethod
    def _with_conf(h: Hypothesis, conf: float) -> Hypothesis:
        return Hypothesis(h.category, h.resource, round(max(0.01, min(conf, 0.99)), 3), h.evidence, h.rationale,
                          h.evidence_ids)


def rank_hypotheses(ev: EvidenceSet) -> list[Hypothesis]:
    """Hypotheses ranked most likely first; the first is the root cause (``unknown`` when weak)."""
    ranker = _Ranker(ev)
    ranker.collect_metrics()
    ranker.collect_saturation_levels()
    ranker.collect_logs()
    ranker.collect_changes()
    return ranker.hypotheses()
