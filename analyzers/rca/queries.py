"""Questions the ranking asks of the collected scores: is a resource at its limit, under a surge, behind a
front door, a database with connections to spare... (`ScoreQueries`, mixed into the evidence collector)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Sequence

from ..model import Anomaly, ResourceRef
from ..patterns import is_surging
from ..topology import FRONT_DOORS, Candidate, downstream_ids, referenced_ids
from .evidence_set import EvidenceSet, Score
from .levels import database_has_room
from .rules import DATABASE_WORDS, DEPENDENCY_CATEGORIES, SYMPTOM_METRICS

LONG_BEFORE = timedelta(minutes=45)  # a limit reached this long before onset, with nothing failing, is not its cause
EXHAUSTION = ("db_connection_exhaustion", "cpu_saturation", "memory_exhaustion", "storage_exhaustion")
RETRY_LAG = timedelta(seconds=45)  # volume rising this long after a resource's errors began is their retries
# ... unless within one 1-minute sample of them (the two cannot be ordered) and rising more than retries can
# multiply it (a client retrying twice at most triples its calls): then it is a surge the errors answered
ONE_SAMPLE, RETRY_MULTIPLE = timedelta(seconds=90), 4.0
ERRORS_BEGAN = 0.1  # errors began when a tenth of the way up (a count of 6 before a step to 900 is a wobble)
GREAT_SURGE = 4.0  # requests at this multiple of their usual level: what they load is busy because of them
SURGE_CPU_LEAD = timedelta(minutes=3)  # ... when its CPU rose no earlier than this before them
COMPUTE = ("ec2", "ecs", "lambda")  # what a front door can send its requests to
HOST_DOWN_WINDOW = timedelta(minutes=15)  # a host that failed its status checks this close to onset is down with it


TRIGGERS = ("bad_deployment", "config_change")  # the categories a change is the cause in
FRESH_CHANGE = 0.85  # a change within ~25 min of onset (a deployment within its first 20 min)
DEPLOY_LEAD = timedelta(minutes=1)  # a database's CPU may rise a sample before its caller's roll-out is logged


class ScoreQueries:
    """Read-only questions over an evidence collector's state (see `EvidenceCollector`)."""

    ev: EvidenceSet
    scores: defaultdict[tuple[str, tuple[str, str]], Score]
    by_key: dict[tuple[str, str], Candidate]
    inventory: list[ResourceRef]
    pattern_start: dict
    owner_of: dict[str, ResourceRef]  # pattern id -> the resource that logged it
    failures: defaultdict[tuple[str, str], Score]
    bare_timeouts: set[str]
    shedding: set[tuple[str, str]]
    pointed_at: set[tuple[str, str]]
    called_by: dict[tuple[str, str], set[tuple[str, str]]]  # callee -> the callers its own lines name
    alarm_key: tuple[str, str] | None
    blames: defaultdict[tuple[str, str], set[tuple[str, str]]]
    own_pool_dry: dict[tuple[str, str], set[str]]
    pool_stores: dict[tuple[str, str], set[tuple[str, str]]]

    def _databases_with_room(self, named: Sequence[tuple[str, str]]) -> list[str]:
        """Why each named resource is a database far from its connection limit ([] unless all are)."""
        shown = [database_has_room(self.by_key[k].resource, self.ev.series, self.ev.onset) for k in named]
        return [line for line in shown if line] if shown and all(shown) else []

    def _about_exhausted(self, named: Sequence[tuple[str, str]], cats: Sequence[str]) -> bool:
        """Errors about a dependency at its limit are that dependency's fault (a callee throttling by its own
        metrics too, when the errors are its throttles)."""
        throttled = self._showing(named, ["throttling"]) if "throttling" in cats else []
        return bool(set(cats) & set(DEPENDENCY_CATEGORIES)) and any(self._exhausted(k) or k in throttled
                                                                    for k in named)

    def _showing(self, keys: Sequence[tuple[str, str]], categories: Sequence[str]) -> list[tuple[str, str]]:
        """Those of ``keys`` whose own metrics show one of ``categories``."""
        return [key for key in keys if any(self.scores[(cat, key)].metrics >= 0.5 for cat in categories
                                           if (cat, key) in self.scores)]

    def _backends(self) -> list[tuple[str, str]]:
        """Resources behind the front door or involved by timing, and the compute a front door's incident
        names (a balancer whose targets its inventory does not list)."""
        door = self.alarm_key is not None and self.alarm_key[0] in FRONT_DOORS
        return [c.resource.key for c in self.ev.candidates
                if c.relation == "involved" or (c.relation == "dependency" and c.via == "behind it")
                or (door and c.relation == "dependency" and c.resource.type in COMPUTE)]

    def _backends_showing(self, categories: Sequence[str]) -> list[tuple[str, str]]:
        """Backends whose metrics show the fault a front door's logs relay
        ("Lambda invocation failed with status: 429" and a function at its concurrency limit)."""
        return self._showing(self._backends(), [cat for cat in categories if cat in DEPENDENCY_CATEGORIES])

    def _callees(self, resource: ResourceRef) -> set[tuple[str, str]]:
        """What a resource calls: what its configuration names or has behind it, or names it as its caller
        in its own lines, and what is behind a front door among those (a service calling another through an
        internal balancer)."""
        direct = {*referenced_ids(resource, self.inventory), *downstream_ids(resource, self.inventory),
                  *(callee for callee, callers in self.called_by.items() if resource.key in callers)}
        doors = [self.by_key[k].resource for k in direct if k in self.by_key and k[0] in FRONT_DOORS]
        return direct | {k for door in doors for k in downstream_ids(door, self.inventory)}

    def _backends_failing(self) -> bool:
        return bool(self._backends())

    def _exhausted(self, key: tuple[str, str], level: float = 0.5) -> bool:
        """Its own metrics show a resource at a limit (connections, CPU, memory, storage); ``level`` 0.8: a
        hard one (pinned, at a known cap), not merely doubled."""
        return max((self.scores[(c, key)].metrics for c in EXHAUSTION if (c, key) in self.scores),
                   default=0.0) >= level

    def _down(self, key: tuple[str, str]) -> bool:
        """Its host failed its EC2 status checks around onset: it stopped answering anyone."""
        return any(a.resource is not None and a.resource.key == key and a.direction == "up"
                   and a.key.name.startswith("StatusCheckFailed") and abs(a.onset - self.ev.onset) <= HOST_DOWN_WINDOW
                   for a in self.ev.anomalies)

    def _host_lost_first(self, key: tuple[str, str], surge: Score) -> bool:
        """A host behind it failed its status checks no later than its requests rose: the extra requests are
        clients reconnecting and retrying elsewhere, not a surge that caused anything."""
        rises = self._onsets(surge)
        lost = [a.onset for a in self.ev.anomalies if a.resource is not None and a.direction == "up"
                and a.key.name.startswith("StatusCheckFailed") and a.resource.key != key
                and a.resource.key in self._loaded_by(key) and self._down(a.resource.key)]
        return bool(rises and lost) and min(lost) <= min(rises) + ONE_SAMPLE

    def _cpu_pinned(self, key: tuple[str, str]) -> bool:
        """Its own CPU metrics show it pinned (not merely busy)."""
        cpu = self.scores.get(("cpu_saturation", key))
        return cpu is not None and cpu.metrics >= 0.8

    def _symptomless(self) -> bool:
        """Nothing shows users hurt: the alarm is not on errors or latency, no such metric rose, and no
        error log pattern surged."""
        hurt = self.ev.alarm.metric in SYMPTOM_METRICS or any(
            a.direction == "up" and a.key.name in SYMPTOM_METRICS for a in self.ev.anomalies)
        return not hurt and not any(p.is_error and is_surging(p) for p in self.ev.patterns)

    def _surged(self, key: tuple[str, str]) -> bool:
        """Request volume far above usual (and not only the retries of its own failures)."""
        surge = self.scores.get(("traffic_surge", key))
        return surge is not None and surge.metrics >= 0.5 and not self._after_own_errors(key, surge)

    def _after_own_errors(self, key: tuple[str, str], surge: Score) -> bool:
        """The volume rose only after the resource's own errors had begun (retries, reconnects)."""
        anomalies = {a.id: a for a in self.ev.anomalies}
        rises = [anomalies[i] for i in surge.ids if i in anomalies]
        own = [self.scores.get(("application_error", key)), self.failures.get(key)]
        ids = {i for score in own if score is not None for i in score.ids}
        began = [self.pattern_start.get(i) or (self._risen(anomalies[i], ERRORS_BEGAN) if i in anomalies else None)
                 for i in ids]
        began = [t for t in began if t is not None]
        if not (rises and began):
            return False
        first = min(rises, key=lambda a: a.onset)
        lead = first.onset - min(began)
        beyond_retries = first.peak > RETRY_MULTIPLE * max(first.baseline, 1e-9)
        return lead >= RETRY_LAG and (lead > ONE_SAMPLE or not beyond_retries)

    def _risen(self, a: Anomaly, fraction: float) -> datetime:
        """When its series got ``fraction`` of the way from baseline to peak: a step's time, not that of a
        small wobble before it where the detector's episode began."""
        series = next((s for s in self.ev.series if s.id == a.series_id), None)
        if series is None:
            return a.onset
        level, since, up = a.baseline + fraction * (a.peak - a.baseline), a.onset.timestamp(), a.direction == "up"
        at = next((t for t, v in zip(series.timestamps, series.values)
                   if t >= since and (v >= level if up else v <= level)), None)
        return a.onset if at is None else datetime.fromtimestamp(at, timezone.utc)

    def _loaded_by(self, key: tuple[str, str]) -> set[tuple[str, str]]:
        """What receives a resource's requests: itself, what is behind it or its configuration names and,
        for a front door, the backends involved by timing (a balancer whose targets nothing names); then
        what the errors of those name (the service a loaded backend waits on)."""
        resource = self.by_key[key].resource  # a surge loads what it calls, its database too
        loaded = {key, *downstream_ids(resource, self.inventory), *referenced_ids(resource, self.inventory)}
        if self.by_key[key].resource.type in FRONT_DOORS:
            loaded.update(self._backends())
        # and what those call in turn: the dependencies their own slow or failing calls name
        return loaded | {k for backend in loaded - {key} for k in self.blames.get(backend, ())}

    def _backend_exhausted(self, key: tuple[str, str], by_logs: bool = False) -> bool:
        """A front door with something behind it at its own limit (memory, CPU, connections, storage): that
        explains the door's failures better than a change of its settings. ``by_logs``: its own logs saying
        so (a function's runtime killed out of memory) count too."""
        return key[0] in FRONT_DOORS and any(
            (self._exhausted(k) and not self._exhausted_long_before(k)) or by_logs and self._exhausted_in_logs(k)
            for k in self._loaded_by(key) if k != key)

    def _backend_says_why(self, key: tuple[str, str]) -> bool:
        """A front door whose own lines relay a backend's failure while that backend's own lines say why it
        failed (its upstream timing out), or a backend behind it that was itself just changed and logs its
        own errors, or a host behind it, named by the failures in its callers' lines, that failed its status
        checks at onset: the door's 5xx are that backend's, whatever changed on the door."""
        if key[0] not in FRONT_DOORS:
            return False
        behind = self._loaded_by(key) - {key}
        if any(self._down(k) and ("dependency_failure", k) in self.scores
               and self.scores[("dependency_failure", k)].logs >= 0.5 for k in behind):
            return True
        relayed = self.scores.get(("dependency_failure", key))
        own = relayed is not None and self._owns(key, relayed)
        says_why = {k for k in behind for c in ("dependency_failure", "application_error", "function_timeout")
                    if (c, k) in self.scores and self.scores[(c, k)].logs >= 0.5}
        changed = {k for k in says_why for c in TRIGGERS if (c, k) in self.scores
                   and self.scores[(c, k)].change >= FRESH_CHANGE}
        return bool(says_why) and own or bool(changed)

    def _relays_a_limit(self, key: tuple[str, str]) -> bool:
        """Its own lines say a limit was hit (no space left, too many connections) that another resource shows
        it reached, by its metrics and in its own lines (a database out of disk): the errors are that limit's."""
        return any(mine.logs > 0 and self._owns(key, mine) and any(
            c2 == c and k != key and s.metrics >= 0.8 and s.logs >= 0.5 and self._owns(k, s)
            for (c2, k), s in self.scores.items())
            for c in EXHAUSTION if (mine := self.scores.get((c, key))) is not None)

    def _owns(self, key: tuple[str, str], score: Score) -> bool:
        """Some of the lines behind ``score`` are ``key``'s own."""
        return any(i in self.owner_of and self.owner_of[i].key == key for i in score.ids)

    def _exhausted_long_before(self, key: tuple[str, str]) -> bool:
        """Its metrics reached their limit long before the incident (a host pinned for hours while its
        balancer answered fine): that limit does not explain failures that began only now."""
        starts = [t for c in EXHAUSTION for t in self._onsets(self.scores.get((c, key)))]
        return bool(starts) and max(starts) < self.ev.onset - LONG_BEFORE

    def _exhausted_before(self, key: tuple[str, str], when: datetime | None) -> bool:
        """Its own metrics show it at a hard limit it was already heading for before ``when`` (a disk filling
        for hours before a change of its settings), and its lines say it hit it: what fails there is the limit's."""
        if when is None:
            return False
        starts = [t for c in EXHAUSTION if (c, key) in self.scores and self.scores[(c, key)].metrics >= 0.8
                  and self.scores[(c, key)].logs >= 0.5 for t in self._onsets(self.scores[(c, key)])]
        return bool(starts) and min(starts) < when

    def _onsets(self, score: Score | None) -> list[datetime]:
        """When each metric anomaly a score cites began."""
        anomalies = {a.id: a for a in self.ev.anomalies}
        return [anomalies[i].onset for i in (score.ids if score else ()) if i in anomalies]

    def _exhausted_in_logs(self, key: tuple[str, str]) -> bool:
        return max((self.scores[(c, key)].logs for c in EXHAUSTION if (c, key) in self.scores), default=0.0) >= 0.5

    def _under_surge(self, key: tuple[str, str]) -> bool:
        """Its own requests surged, or it is behind a front door whose requests did."""
        return any(self._surged(k) and key in self._loaded_by(k) for k in self.by_key)

    def _busy_from_great_surge(self, key: tuple[str, str]) -> bool:
        """Its CPU rose with, not before, a surge to several times the usual volume of requests that load
        it (its own or a front door's): a service at its ceiling because of the load, not a fault of its own.
        A CPU known only by its level or its starved lines (no onset) is taken to have risen with the surge."""
        rises = self._onsets(self.scores.get(("cpu_saturation", key)))
        if ("cpu_saturation", key) not in self.scores:
            return False
        anomalies = {a.id: a for a in self.ev.anomalies}
        for k in self.by_key:
            surge = self.scores.get(("traffic_surge", k))
            if surge is None or not self._surged(k) or key not in self._loaded_by(k):
                continue
            great = [a for i in surge.ids if (a := anomalies.get(i)) is not None
                     and a.peak >= GREAT_SURGE * max(a.baseline, 1e-9)]
            if great and (not rises or min(rises) >= min(a.onset for a in great) - SURGE_CPU_LEAD):
                return True
        return False

    def _shedding_under_surge(self, key: tuple[str, str], throttled: Score) -> bool:
        """Its throttling is only its own limiter's answer (no throttle metric) to a surge of its requests."""
        return key in self.shedding and throttled.metrics < 0.5 and self._under_surge(key)

    def _own_logs_explain(self, key: tuple[str, str], relayed: Score, why: Sequence[str] = EXHAUSTION) -> bool:
        """Its callers' errors about it (none of them its own lines) while its own logs show it at a limit
        (out of memory, disk full...), or another category of ``why``: the callers saw it fail, its own logs
        say why."""
        return not self._owns(key, relayed) and any(self.scores[(c, key)].logs >= 0.5
                                                    and self._owns(key, self.scores[(c, key)])
                                                    for c in why if (c, key) in self.scores)

    def _busied_by_deploy(self, key: tuple[str, str]) -> tuple[str, str] | None:
        """The caller whose fresh deployment made a database busy: its CPU rose only after the roll-out of a
        client that loads it (its configuration names it) and whose own lines then show new errors, with no
        surge of requests behind it. A new version asking more of the database than the old one (a query an
        index no longer serves) is the cause; the pinned CPU is what it did. None when no such caller."""
        cpu = self.scores.get(("cpu_saturation", key))
        rises = self._onsets(cpu)
        if key[0] != "rds" or cpu is None or cpu.metrics < 0.5 or not rises or self._under_surge(key):
            return None
        for (category, caller), deployed in self.scores.items():
            if category == "bad_deployment" and caller != key and deployed.change >= FRESH_CHANGE \
                    and deployed.changed_at is not None and min(rises) >= deployed.changed_at - DEPLOY_LEAD \
                    and caller in self.by_key and key in self._loaded_by(caller) \
                    and self._new_errors_since(caller, deployed.changed_at - DEPLOY_LEAD):
                return caller  # (a client deployed just before whose own lines stay clean is a bystander)
        return None

    def _new_errors_since(self, key: tuple[str, str], since: datetime) -> bool:
        """Its own lines show new errors that began after ``since``."""
        return any(p.new and p.is_error and p.first_seen >= since and p.id in self.owner_of
                   and self.owner_of[p.id].key == key for p in self.ev.patterns)

    def _waits_on_pinned_store(self, key: tuple[str, str]) -> bool:
        """Its own new or surging lines, errors or not, are about database queries ("slow query", "still waiting
        on ... query"), and a database of the account has its CPU pinned: what it waits on is busy."""
        waits = any(self.owner_of.get(p.id) is not None and self.owner_of[p.id].key == key and is_surging(p)
                    and DATABASE_WORDS.search(" ".join((p.template, *p.samples[:1]))) for p in self.ev.patterns)
        return waits and any(k[0] == "rds" and self._cpu_pinned(k) for k in self.by_key)

    def _dependency_errors(self, key: tuple[str, str]) -> bool:
        """Its own logs say what it called failed (timeouts, lost connections, refused)."""
        own = self.scores.get(("dependency_failure", key))
        return (own is not None and own.logs > 0) or bool(self.blames.get(key))

    def _busy_bystander(self, key: tuple[str, str]) -> bool:
        """A data store other than the alarmed resource that no new or surging log line is about, while
        the alarmed resource fails with exceptions of its own (no timeout, no database error)."""
        if key == self.alarm_key or key[0] != "rds" or key in self.pointed_at:
            return False
        own = self.scores.get(("application_error", self.alarm_key)) if self.alarm_key else None
        waits = self.scores.get(("dependency_failure", self.alarm_key)) if self.alarm_key else None
        return own is not None and own.logs >= 0.5 and (waits is None or waits.logs == 0)

    def _overloaded(self, key: tuple[str, str]) -> bool:
        """Under a surge, with no error of its own in its logs besides the timeouts themselves."""
        own_errors = self.scores.get(("application_error", key))
        only_timeouts = own_errors is not None and set(own_errors.ids) <= self.bare_timeouts
        return self._under_surge(key) and (own_errors is None or own_errors.logs == 0 or only_timeouts)
