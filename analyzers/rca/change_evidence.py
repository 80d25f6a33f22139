"""Change evidence: CloudTrail changes on a candidate (or on what it depends on: a hosted zone, a security
group, a VPC endpoint's policy, a listener's certificate) shortly before onset, the functions a new
concurrency reservation starved, and the tenant whose change loaded a shared store. A base of the evidence
collector (:mod:`.evidence`), which adds the logs."""
from __future__ import annotations

from datetime import timedelta

from ..changes import (before_incident, change_kind, inert_version_publish, onset_grace, ships_no_task_definition,
                       touches)
from ..model import Change, ResourceRef
from ..patterns import RUNTIME_STARTED, is_surging
from ..topology import FRONT_DOORS, RELATION_WEIGHTS, Candidate
from .dns import is_dns_change, zone_candidate
from .evidence_lines import fmt_change, fmt_pattern, pattern_strength
from .metric_evidence import MetricEvidence, fmt_anomaly
from .neighbours import noisy_neighbours
from .network import (endpoint_candidate, is_certificate_change, is_endpoint_policy_change, is_network_change,
                      rule_set_candidate, unhealthy_targets)
from .pools import unreserved
from .queries import FRESH_CHANGE, TRIGGERS
from .rules import PACKAGING

CHANGE_HORIZON = timedelta(hours=2)
DEPLOY_FRESH_H = 1 / 3  # a roll-out is fully suspect for 20 min, hardly after an hour of clean running


class ChangeEvidence(MetricEvidence):
    """Adds what changed to the collector's scores; reads what the log pass found (``unreached``,
    ``misrouted``, ``endpoint_denied``, ``untrusted``, ``denied``)."""

    unreached: dict[str, tuple[str, float]]
    misrouted: dict[str, tuple[str, float]]
    endpoint_denied: dict[str, tuple[str, float]]
    untrusted: dict[str, tuple[str, float]]
    denied: dict[tuple[str, str], tuple[str, str, float]]

    # Changes -------------------------------------------------------------
    def collect_changes(self) -> None:
        for c in self.ev.changes:
            grace = onset_grace(self.ev.alarm.period)
            if not before_incident(c, self.ev.onset, CHANGE_HORIZON, grace, self.ev.patterns):
                continue
            kind = change_kind(c)
            category = {"deployment": "bad_deployment", "config": "config_change",
                        "iam": "permission_denied"}.get(kind)
            if self.endpoint_denied and is_endpoint_policy_change(c, self.ev.onset):
                self._endpoint_refused(c)
                continue
            if category is None or inert_version_publish(c, self.ev.changes):
                continue
            gap_h = max((self.ev.onset - c.time).total_seconds() / 3600.0, 0.0)
            strength = max(0.2, 1.0 - 0.35 * gap_h)
            if kind == "deployment":  # a bad roll-out fails within minutes, not after an hour of clean running
                strength = max(0.2, min(1.0, 1.0 - 0.8 * (gap_h - DEPLOY_FRESH_H) / (1.0 - DEPLOY_FRESH_H)))
            targets = [cand.resource for cand in self.ev.candidates if touches(c, cand.resource)
                       and not (kind == "deployment" and cand.resource.type == "alb")]  # a balancer runs no code
            if kind == "iam" and not targets and self.alarm_key:
                targets = [self.by_key[self.alarm_key].resource]
            if kind == "config" and not targets and (self.unreached or self.misrouted) \
                    and is_dns_change(c, self.ev.onset):
                targets = [self._adopt(zone_candidate(c, self.ev.alarm.region or ""))]
            if kind == "config" and not targets and is_network_change(c, self.ev.onset):
                targets = self._cut_off_by(c)
            if kind == "config" and self.untrusted and is_certificate_change(c, self.ev.onset):
                for door in (t for t in targets if t.type in FRONT_DOORS):  # what it serves, its clients refuse
                    self.weights[door.key] = max(self.weights[door.key], RELATION_WEIGHTS["dependency"])
                    for pid, (line, level) in self.untrusted.items():
                        self.score("config_change", door).add("logs", level, line, pid)
            for resource in targets:
                if kind == "deployment" and ships_no_task_definition(c, self.ev.changes, resource):
                    continue
                line = fmt_change(c, self.ev.onset, self.ev.alarm.period)
                shipped = category == "config_change" and self._missing_code(resource)
                cat = "bad_deployment" if shipped else category  # a layer or runtime update ships code
                self.score(cat, resource).add("change", strength, line, f"c:{c.id}")
                self.score(cat, resource).events.add(c.event_name)
                earliest = self.score(cat, resource).changed_at
                self.score(cat, resource).changed_at = c.time if earliest is None else min(earliest, c.time)

    def _missing_code(self, resource: ResourceRef) -> bool:
        """Its new errors say code it runs is missing (a module, native library or class): what changed
        shipped code (a layer, a runtime, an image), whatever the call that changed it was named."""
        own = [p for p in self.ev.patterns if p.id in self.owner_of and self.owner_of[p.id].key == resource.key]
        if any(p.new and p.template.startswith(RUNTIME_STARTED) for p in own):
            return False  # it now starts another runtime: a setting changed, and the code no longer fits it
        return any(p.is_error and is_surging(p) and PACKAGING.search(" ".join((p.template, *p.samples))) for p in own)

    def _cut_off_by(self, change: Change) -> list[ResourceRef]:
        """The security group or ACL a network change edited, when targets then became unreachable."""
        unhealthy = unhealthy_targets(self.ev.anomalies)
        if not unhealthy and not self.unreached:
            return []
        rules = self._adopt(rule_set_candidate(change, self.ev.alarm.region or ""))
        for a in unhealthy:
            self.score("config_change", rules).add("logs", a.score, fmt_anomaly(a, self.units.get(a.key)), a.id)
        return [rules]

    def _endpoint_refused(self, change: Change) -> None:
        """Calls refused by a VPC endpoint's policy just after that policy was edited: the endpoint's fault."""
        endpoint = self._adopt(endpoint_candidate(change, self.ev.alarm.region or ""), explains=False)
        score = self.score("permission_denied", endpoint)
        score.add("change", 1.0, fmt_change(change, self.ev.onset, self.ev.alarm.period), f"c:{change.id}")
        for pid, (line, level) in self.endpoint_denied.items():
            score.add("logs", level, line, pid)

    def _adopt(self, origin: Candidate, explains: bool = True) -> ResourceRef:
        """A resource outside the inventory that a change edited (a hosted zone, a security group) becomes a
        candidate, explaining (``explains``) the failures to reach an endpoint nothing in the account answers for."""
        self.by_key[origin.resource.key], self.weights[origin.resource.key] = origin, origin.weight
        for pid, (line, level) in (*self.unreached.items(), *self.misrouted.items()) if explains else ():
            self.score("config_change", origin.resource).add("logs", level, line, pid)
        return origin.resource

    def collect_denied_callers(self) -> None:
        """AccessDenied right after the caller's own role changed is the caller's, not the refused resource's."""
        for key, (line, pid, strength) in self.denied.items():
            own = self.scores.get(("permission_denied", key))
            if own is not None and own.change:
                own.add("logs", strength, line, pid)

    def collect_noisy_neighbours(self) -> None:
        """A store its victims wait on whose own log fills, right after a tenant's fresh change, with lines
        naming that tenant: the tenant's change loaded the shared store (the trigger)."""
        fresh = {(c, k): s for (c, k), s in self.scores.items() if c in TRIGGERS
                 and s.change >= FRESH_CHANGE and s.changed_at is not None}
        changed_at = {k: s.changed_at for (_, k), s in fresh.items()}
        stores = {k for named in self.blames.values() for k in named}
        for n in noisy_neighbours(stores, self.ev.patterns, self.ev.group_owner, self.inventory, changed_at,
                                  self.blames):
            line = (f"{n.store[1]}'s own log newly names {n.tenant[1]} right after its change: "
                    f"{fmt_pattern(n.pattern)}")
            for (c, k), s in fresh.items():
                if k == n.tenant:
                    s.add("logs", pattern_strength(n.pattern), line, n.pattern.id)
            self.weights[n.tenant] = max(self.weights[n.tenant], RELATION_WEIGHTS["dependency"])

    def collect_reservations(self) -> None:
        """Concurrency just reserved for one function shrinks the pool the account's other functions share:
        the one that now throttles without a reservation of its own was starved by that setting."""
        throttled = [self.by_key[k].resource for (c, k), s in self.scores.items()
                     if c == "throttling" and s.metrics >= 0.5]
        starved = [r.key for r in unreserved(throttled)]
        for (c, key), s in list(self.scores.items()):
            if c != "config_change" or key[0] != "lambda" or s.change < FRESH_CHANGE \
                    or not any("PutFunctionConcurrency" in e for e in s.events):
                continue
            for victim in (k for k in starved if k != key):
                line = (f"{key[1]} reserved concurrency just before {victim[1]}, which has no reservation of its "
                        f"own, began to throttle: the account's unreserved pool shrank")
                s.add("logs", self.scores[("throttling", victim)].metrics, line, f"pool:{victim[1]}")
                self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
                self.starved.add(victim)
