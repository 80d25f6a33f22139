"""Ranked root-cause hypotheses: the collected evidence combined per category, weighed by each
resource's relation to the alarm, with the category tie-break rules. Weak evidence yields
``unknown`` with low confidence rather than a guess.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ..model import Hypothesis, ResourceRef
from ..topology import FRONT_DOORS, Candidate
from .evidence import EvidenceCollector, EvidenceSet, Score
from .evidence_lines import REFUSED
from .network import NETWORK_CHANGE
from .queries import FRESH_CHANGE, TRIGGERS
from .rules import CATEGORY_PRIOR, LIMIT_SETTINGS, SPECIFICITY

UNKNOWN_BELOW = 0.3
SYMPTOMS = ("dependency_failure", "application_error", "function_timeout")
STALL_SUPPORT = 0.1  # weight of a dependency's own stalled metrics beside the errors naming it
VICTIM = 0.6  # weight of a caller's own unnamed dependency errors when its other errors name the faulty one
CRASHED = 0.4  # weight of callers' errors about a service whose own logs show it raising exceptions
ERRORS_BEFORE_CHANGE = timedelta(minutes=1)
BACKEND_FIRST = timedelta(seconds=20)  # a backend's errors this much older than a door's change are not its doing
SURGE_WITH_CHANGE = timedelta(minutes=2)  # a surge beginning this soon before a change began with it
DENIED_BY_CHANGE = 0.5  # a change whose only new errors are denials (or rate limits it does not set) yields to them
RECENT_CHANGE = 0.5  # strength of a config change ~1.4 h (a deployment ~1.1 h) before onset
HARD_LIMITS = ("throttling", "db_connection_exhaustion", "storage_exhaustion")  # a surge does not explain these
SETTABLE_LIMITS = tuple(LIMIT_SETTINGS)  # limits a setting can lower (max_connections, concurrency, memory...)


class _Ranker(EvidenceCollector):
    """Turns the collected scores into ranked, calibrated hypotheses."""

    # Combination ---------------------------------------------------------
    def hypotheses(self) -> list[Hypothesis]:
        out: list[tuple[float, int, Hypothesis]] = []
        for (category, key), s in self.scores.items():
            cand = self.by_key.get(key)
            if cand is None or (category == "application_error" and cand.resource.type in FRONT_DOORS):
                continue  # a front door runs no code of ours: its own errors are relayed, limits or AWS-side
            raw = self._combine(category, key, s)
            if raw <= 0:
                continue
            value = raw * CATEGORY_PRIOR.get(category, 0.5) * self.weights[key]
            lines, ids = list(s.lines), list(s.ids)
            errors = self._explained(category, key)
            trigger = self._trigger(category, key)
            if trigger is not None and trigger is not s:  # the deployment that carried the setting
                lines += [line for line in trigger.lines if line not in lines]
                ids += [i for i in trigger.ids if i not in ids]
            for explained in errors:  # a trigger is only a cause with the new errors (or limit) it explains
                lines += [line for line in explained.lines if line not in lines]
                ids += [i for i in explained.ids if i not in ids]
            hyp = Hypothesis(category=category, resource=cand.resource, confidence=0.0, evidence=tuple(lines),
                             rationale=self._rationale(category, cand), evidence_ids=tuple(ids))
            out.append((value, SPECIFICITY.index(category), hyp))
        out = self._triggers_explain_symptoms(out)
        out.sort(key=lambda t: (-round(t[0], 3), t[1], t[2].resource.id))  # ties: the same order every run
        return self._calibrate(out)

    def _trigger(self, category: str, key: tuple[str, str]) -> Score | None:
        """The score holding the change that triggers a trigger hypothesis: its own change, or for a config
        change without one, the deployment that shipped the new setting; None when there is no change."""
        if category not in TRIGGERS:
            return None
        own = self.scores.get((category, key))
        if own is not None and own.change:
            return own
        shipped = self.scores.get(("bad_deployment", key)) if category == "config_change" else None
        return shipped if shipped is not None and shipped.change else None

    def _explained(self, category: str, key: tuple[str, str]) -> list[Score]:
        """What a trigger on ``key`` would explain: its new errors, for a configuration change a settable
        limit it hit, and, when no log line of its own says why, its own failure metrics rising (a front
        door answering 5xx after its settings changed runs no code that could log it)."""
        if category not in TRIGGERS:
            return []
        own = self.scores.get((category, key))
        errors = self.scores.get(("application_error", key))
        trigger = self._trigger(category, key)
        limited = self._exhausted_before(key, trigger and trigger.changed_at)  # heading for its limit before it
        relays = errors is not None and self._changed_callee_failed_first(key, errors)
        if self._backend_exhausted(key, by_logs=True) or limited or self._relays_a_limit(key) or relays:
            errors = None  # errors at a limit (its own, reached anyway, of what is behind a front door or of a
            # store that logs hitting it) are the limit's; those relaying a just-changed callee's are the callee's
        out = [errors] if errors is not None and not self._began_before(errors, trigger) else []
        if category == "config_change" and own is not None and not limited:  # only a call setting a limit lowers it
            out += [self.scores[(limit, key)] for limit, calls in LIMIT_SETTINGS.items()
                    if (limit, key) in self.scores and any(calls.search(e) for e in own.events)
                    and max(self.scores[(limit, key)].logs, self.scores[(limit, key)].metrics) >= 0.5]  # hit
        if category == "bad_deployment" and trigger is not None:  # a database its new version keeps busy
            out += [self.scores[("cpu_saturation", k)] for k in self.by_key
                    if k[0] == "rds" and self._busied_by_deploy(k) == key]
        if category == "config_change" and own is not None and any(NETWORK_CHANGE.search(e) for e in own.events) \
                and ("dependency_failure", key) in self.scores:  # a closed port: its callers cannot reach it
            out.append(self.scores[("dependency_failure", key)])
        fresh = trigger is not None and trigger.change >= FRESH_CHANGE  # metrics alone only tie a change just before
        if fresh and key in self.failures and not any(s.logs > 0 for s in out) and not limited and not relays \
                and not self._backend_exhausted(key, by_logs=True) and not self._backend_says_why(key) \
                and not self._surged_after(key, trigger.changed_at) \
                and not self._backend_failed_first(key, trigger.changed_at):  # more failures from a later surge,
            out.append(self.failures[key])  # or a backend failing before the door was touched
        return out

    def _only_denials(self, category: str, key: tuple[str, str], explained: list[Score]) -> bool:
        """A setting changed (a secret moved to a new key), or code was deployed before its permissions were
        edited, and every new error it explains is an access denial: the failure is the missing permission,
        which names the fix, not the setting or the code that ran fine until then."""
        denied = self.scores.get(("permission_denied", key))
        lines = self._logged(explained)
        refused = {p.id for p in self.ev.patterns if REFUSED.search(p.template)}  # by AWS, not a database login
        if denied is None or not denied.logs or not lines or not lines <= set(denied.ids) & refused:
            return False
        if category == "bad_deployment":
            deployed = self._trigger(category, key)
            return bool(denied.change) and denied.changed_at is not None and deployed is not None \
                and deployed.changed_at is not None and denied.changed_at > deployed.changed_at
        return category == "config_change"

    def _only_rate_limits(self, category: str, key: tuple[str, str], explained: list[Score]) -> bool:
        """A setting changed (a secret rotated) that sets no rate limit, and every new error it explains is a
        rate limit: a credential or a value does not use up a quota; the limit names the fix."""
        throttled = self.scores.get(("throttling", key))
        lines = self._logged(explained)
        return throttled is not None and throttled.logs > 0 and bool(lines) and lines <= set(throttled.ids) \
            and self._limited_apart(category, self._trigger(category, key))

    def _logged(self, explained: list[Score]) -> set[str]:
        """The ids of the log patterns behind the errors a trigger explains."""
        return {i for score in explained for i in score.ids if i in self.owner_of}

    @staticmethod
    def _limited_apart(category: str, trigger: Score | None) -> bool:
        """A configuration change none of whose calls sets a rate or concurrency limit."""
        return category == "config_change" and trigger is not None \
            and not any(LIMIT_SETTINGS["throttling"].search(e) for e in trigger.events)

    def _surged_after(self, key: tuple[str, str], changed_at: datetime | None) -> bool:
        """Its own requests surged to several times their usual level, beginning only after the change: more
        failures from many times the requests are the surge's, not the change's."""
        starts = self._onsets(self.scores.get(("traffic_surge", key)))
        return self._surged(key) and changed_at is not None and bool(starts) \
            and min(starts) >= changed_at - SURGE_WITH_CHANGE

    def _backend_failed_first(self, key: tuple[str, str], changed_at: datetime | None) -> bool:
        """A front door whose backend's own new errors began before the door's change: its failures (metrics
        only, a door logs nothing of its own) are that backend's, the change came too late for them."""
        if key[0] not in FRONT_DOORS or changed_at is None:
            return False
        first = self._first_new_error(self._loaded_by(key) - {key})
        return first is not None and first < changed_at - BACKEND_FIRST

    def _changed_callee_failed_first(self, key: tuple[str, str], errors: Score) -> bool:
        """The alarmed resource's new errors began after those of a dependency its lines name, which was itself
        just changed (deployed or reconfigured) and logs its own new errors: they relay that callee's failure,
        whatever changed on the caller."""
        mine = [self.pattern_start[i] for i in errors.ids if i in self.pattern_start]
        if key != self.alarm_key or not mine:
            return False
        for cand in self.ev.candidates:
            callee = cand.resource.key
            if cand.relation != "dependency" or callee == key or not any(
                    (c, callee) in self.scores and self.scores[(c, callee)].change >= FRESH_CHANGE for c in TRIGGERS):
                continue
            theirs = self._first_new_error({callee})
            if theirs is not None and theirs <= min(mine) - BACKEND_FIRST:
                return True
        return False

    def _first_new_error(self, keys: set[tuple[str, str]]) -> datetime | None:
        """When the first new error line of any of ``keys`` (their own lines) was logged, or None."""
        return min((p.first_seen for p in self.ev.patterns if p.new and p.is_error and p.id in self.owner_of
                    and self.owner_of[p.id].key in keys), default=None)

    def _began_before(self, errors: Score, trigger: Score | None) -> bool:
        """Every one of the errors was already logged before the change (by more than a minute): it cannot
        have caused them, whatever the alarm's period says about the onset."""
        if trigger is None or trigger.changed_at is None:
            return False
        starts = [self.pattern_start[i] for i in errors.ids if i in self.pattern_start]
        return bool(starts) and max(starts) < trigger.changed_at - ERRORS_BEFORE_CHANGE

    def _triggers_explain_symptoms(self, ranked: list[tuple[float, int, Hypothesis]]
                                   ) -> list[tuple[float, int, Hypothesis]]:
        """A recent change on a resource whose errors it explains is the more specific cause than a
        symptom read from those same errors: it ranks at least as high (then wins the tie-break)."""
        out = []
        for value, spec, hyp in ranked:
            trigger = self._trigger(hyp.category, hyp.resource.key)
            if trigger is not None and trigger.change >= RECENT_CHANGE:
                explained = [v for v, _, h in ranked if h.resource.key == hyp.resource.key
                             and h.category in SYMPTOMS + SETTABLE_LIMITS
                             and set(h.evidence_ids) & set(hyp.evidence_ids)
                             and not (h.category == "throttling" and self._limited_apart(hyp.category, trigger))]
                value = max([value, *explained])
            out.append((value, spec, hyp))
        return out

    def _combine(self, category: str, key: tuple[str, str], s: Score) -> float:
        if category in ("bad_deployment", "config_change"):
            explained = self._explained(category, key)
            err = max((max(e.logs, e.metrics) for e in explained), default=0.0)
            own = s.logs  # config: errors naming a missing setting
            trigger = self._trigger(category, key)
            if trigger is None:
                return 0.75 * own if category == "config_change" else 0.0
            if max(err, own) <= 0:
                return 0.0
            bonus = 0.1 if category == "config_change" else 0.05
            stale = min(1.0, trigger.change / RECENT_CHANGE)  # errors long after a change are not its doing
            value = min(1.0, 0.5 * trigger.change + 0.5 * max(err, own) + bonus) * stale
            refused = self._only_denials(category, key, explained) or self._only_rate_limits(category, key, explained)
            return DENIED_BY_CHANGE * value if refused else value
        if category == "throttling" and key in self.starved:
            return 0.5 * max(s.logs, s.metrics)  # throttled because another function took the shared pool
        if category == "throttling" and self._shedding_under_surge(key, s):
            return 0.4 * s.logs  # its own limiter turning away a surge: the surge is the cause
        if category == "db_connection_exhaustion" and key in self.own_pool_dry and (
                self._cpu_pinned(key) or any(self._cpu_pinned(k) for k in self.pool_stores.get(key, ()))):
            # its pool ran dry because its CPU starves the threads holding it, or the database they wait on is pinned
            return 0.5 * max(s.logs, s.metrics)
        if category == "permission_denied" and s.change and not s.logs:
            return 0.0
        if category == "function_timeout" and self._waits_on_pinned_store(key):
            return 0.4 * max(s.logs, s.metrics)  # it ran out of time waiting on queries a pinned database answers late
        if category == "function_timeout" and not s.logs and self._dependency_errors(key):
            return 0.3 * s.metrics  # slow because what it waits on is failing: not its own timeout
        if category == "dependency_failure":
            if self._exhausted(key) or self._showing([key], ["throttling"]):  # at a limit of its own
                return 0.0
            if self._overloaded(key) and not self._down(key):  # failing under the load it receives, not a fault of
                return 0.4 * s.logs  # its own (a host that failed its status checks is down, not slow)
            if self.blames.get(key) or self._own_logs_explain(key, s):  # a victim, or its own logs say why
                return VICTIM * s.logs
            if self._own_logs_explain(key, s, ("application_error",)):  # its callers saw its own exceptions
                return CRASHED * s.logs
            # its own stall (latency, replica lag) supports what its clients' errors say about it
            return min(1.0, s.logs + STALL_SUPPORT * s.metrics) * (1.0 if key != self.alarm_key else 0.85)
        if category == "traffic_surge":
            loaded = self._loaded_by(key)  # what receives the surge
            faults = [max(v.logs, v.metrics if c in HARD_LIMITS and v.metrics > 0.5 else 0.0)
                      for (c, k), v in self.scores.items()
                      if c in ("throttling", "dependency_failure", "db_connection_exhaustion", "cpu_saturation",
                               "memory_exhaustion", "storage_exhaustion", "permission_denied", "function_timeout")
                      and not (c == "dependency_failure" and (k in loaded or self._surged(k)))  # timeouts under load
                      and not (c == "cpu_saturation" and k in loaded and self._busy_from_great_surge(k))
                      and not (c == "throttling" and self._shedding_under_surge(k, v))]
            if self._after_own_errors(key, s) or self._host_lost_first(key, s):
                return 0.3 * s.metrics  # more calls after its errors began (or a host behind it died): retries
            return s.metrics * (0.5 if any(f > 0.3 for f in faults) else 1.0)
        parts = sorted((s.logs, s.metrics), reverse=True)
        combined = 0.65 * parts[0] + 0.35 * parts[1]
        if category == "cpu_saturation" and self._busied_by_deploy(key) is not None:
            return 0.5 * combined  # busy with what a just-deployed caller asks of it: the deployment is the cause
        if category == "cpu_saturation" and not s.logs and self._symptomless():
            return 0.3 * combined  # busy CPU with no latency or errors following is not yet an incident cause
        if category == "cpu_saturation" and not s.logs and self._busy_bystander(key):
            return 0.4 * combined  # a busy database its failing clients show no sign of waiting on
        if category == "cpu_saturation" and (not s.logs and s.metrics < 1.0 and self._under_surge(key)
                                             or self._busy_from_great_surge(key)):
            return 0.5 * combined  # busy (or pinned by several times the usual load, starved) under a surge: the surge
        if category == "application_error":
            return 0.8 * s.logs
        return combined + 0.2 * s.change

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
            down = [c.resource for c in self.ev.candidates if c.relation != "context" and self._down(c.resource.key)]
            where = ("no evidence strong enough to name a cause",)
            if down:  # nothing says why, but a host it relies on stopped passing its EC2 status checks: look there
                unknown_res = down[0]
                where += (f"{down[0].id} failed its EC2 status checks around onset (a host failure is not one "
                          f"of the categories)",)
            unknown = Hypothesis("unknown", unknown_res, round(max(0.05, 0.4 - best), 3), where,
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
    ranker.collect_pool_takers()
    ranker.collect_logs()
    ranker.collect_changes()
    ranker.collect_client_pools()
    ranker.collect_denied_callers()
    ranker.collect_reservations()
    ranker.collect_noisy_neighbours()
    return ranker.hypotheses()
