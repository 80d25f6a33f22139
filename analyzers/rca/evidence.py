"""Evidence per (category, resource): what log patterns, metric anomalies, limit levels and
changes say about each candidate, before the categories are weighed against each other.

Log patterns that are new or surging after onset count for the resource that wrote them, or for
the resources they are about (named, behind a front door, on a well-known port, the database);
metric anomalies that began no later than shortly after onset and limits reached around onset
(:mod:`.metric_evidence`); and changes on a candidate (or on something attached to it) shortly before
onset (:mod:`.change_evidence`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Callable, Sequence

from ..changes import change_kind, onset_grace, touches
from ..model import LogPattern, ResourceRef
from ..patterns import is_surging
from ..topology import (FRONT_DOORS, RELATION_WEIGHTS, downstream_ids, mentioned_resources, named_callers,
                        pattern_owner, referenced_ids)
from .change_evidence import CHANGE_HORIZON, ChangeEvidence
from .client_pools import pool_settings
from .evidence_lines import CRASH, fmt_pattern, pattern_strength
from .evidence_set import EvidenceSet, Score
from .neighbours import is_cache
from .network import ENDPOINT_DENIAL, UNTRUSTED
from .queries import COMPUTE
from .rules import (BARE_TIMEOUT, CACHE_LIMIT, CACHE_WORDS, DATABASE_WORDS, DB_SETTING, DEPENDENCY_CATEGORIES,
                    ERROR_WORDS, FRONT_DOOR_LIMIT, GC_THRASH, INVOKE_THROTTLE, LOCAL_UPSTREAM, MISROUTED_WRITES,
                    NAMED_FAILURE, PORT, QUEUE_FULL, SHEDDING, STALLED, STORE_REFUSALS, TABLE_WORDS, TLS_FAILURE,
                    UNREACHED, WELL_KNOWN_PORTS, WORKER_KILLED, WORKER_TIMEOUT, log_categories)

__all__ = ["EvidenceCollector", "EvidenceSet", "Score"]

SPECIFIC_FAULTS = {"db_connection_exhaustion", "function_timeout", "throttling", "permission_denied",
                   "storage_exhaustion", "memory_exhaustion"}  # a generic timeout/5xx in the same line is their symptom
RISING_FACTOR, RISING_COUNT = 1.5, 10  # errors that rose without surging (see below)
NEW_WARNING = 0.6  # weight of a new warning signature (not an error) after a deployment
RELAYED = 0.5  # weight of a front door's own log evidence when resources behind it fail too
ALARM_SAMPLE_LAG = timedelta(minutes=2)  # CloudWatch evaluates a minute or two after a datapoint's period
FROM_A_TRICKLE = 20.0  # a pattern this many times as frequent after onset as before began there
QUIET = 0.5  # weight of a line its writer logged at info/debug level ("[Note] Aborted connection ... timeout")
EXTERNAL_HOST = re.compile(r"https?://|\b[a-z0-9-]+\.(?:com|io|net|org|co|de|uk|jp|fr|eu)\b", re.I)


def errors_began(p: LogPattern, onset: datetime) -> datetime:
    """When a pattern's lines began to matter: its first line, or the onset for one that was only a stray
    line or two before it and then came many times as often (a setting broke every call; the odd
    failure hours earlier did not start the incident)."""
    if not p.new and p.count_after and p.rate_after >= FROM_A_TRICKLE * max(p.rate_before, 1e-9):
        return max(p.first_seen, onset)
    return p.first_seen


class EvidenceCollector(ChangeEvidence):
    """Collects evidence into scores keyed by (category, resource key)."""

    def __init__(self, ev: EvidenceSet):
        self.ev = ev
        self.scores: dict[tuple[str, tuple[str, str]], Score] = defaultdict(Score)
        self.by_key = {c.resource.key: c for c in ev.candidates}
        self.pattern_start = {p.id: errors_began(p, ev.onset) for p in ev.patterns}
        self.owner_of = {p.id: o for p in ev.patterns if (o := pattern_owner(p, ev.group_owner)) is not None}
        self.weights = {c.resource.key: c.weight for c in ev.candidates}
        self.inventory = [c.resource for c in ev.candidates]
        self.units = {s.key: s.unit for s in ev.series}
        self.alarm_key = ev.alarm.resource.key if ev.alarm.resource else None
        self.bare_timeouts: set[str] = set()  # pattern ids of timeouts that name nothing they waited for
        self.blames: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)  # victim -> faulty deps it named
        self.failures: dict[tuple[str, str], Score] = defaultdict(Score)  # its own failure metrics that rose
        self.starved: set[tuple[str, str]] = set()  # functions throttled because another took the shared pool
        self.unreached: dict[str, tuple[str, float]] = {}  # pattern id -> (line, strength): unnamed endpoint failures
        self.misrouted: dict[str, tuple[str, float]] = {}  # pattern id -> (line, strength): writes refused read-only
        self.endpoint_denied: dict[str, tuple[str, float]] = {}  # pattern id -> (line, strength)
        self.untrusted: dict[str, tuple[str, float]] = {}  # pattern id -> (line, strength): certificates refused
        self.denied: dict[tuple[str, str], tuple[str, str, float]] = {}  # caller -> (line, pattern id, strength)
        self.own_pool_dry: dict[tuple[str, str], set[str]] = {}  # client -> why its databases had room
        self.pool_stores: dict[tuple[str, str], set[tuple[str, str]]] = {}  # client -> those databases
        self.shedding: set[tuple[str, str]] = set()  # services whose own limiter rejected requests
        self.called_by = named_callers(ev.patterns, ev.group_owner, self.inventory)  # callee -> callers it names
        self.pointed_at: set[tuple[str, str]] = set()  # resources some new or surging log line is about

    # Logs ----------------------------------------------------------------
    def collect_logs(self) -> None:
        failing = {self.owner_of[p.id].key for p in self.ev.patterns if is_surging(p) and p.id in self.owner_of
                   and (p.is_error or ERROR_WORDS.search(p.template))}  # a Go panic has no level
        rising = self._rising_when_nothing_surges()
        timed_out, thrashing = (self._owners_logging(rule) for rule in (WORKER_TIMEOUT, GC_THRASH))
        for p in self.ev.patterns:
            if not is_surging(p) and p.id not in rising or self._over_before_alarm(p):
                continue
            owner = self.owner_of.get(p.id)
            text = " ".join((p.template, *p.samples, p.exception_type or ""))
            cats = log_categories(text)
            if owner is not None and WORKER_KILLED.search(text) and owner.key in timed_out:
                cats = ["dependency_failure"]  # the kill of a worker that timed out: that timeout again
                self.bare_timeouts.add(p.id)
            if owner is not None and STALLED.search(text) and owner.key in thrashing:
                cats = ["memory_exhaustion"]  # threads stalled in the pauses of a full heap's collections
            strength = pattern_strength(p) * (QUIET if p.level in ("INFO", "DEBUG") else 1.0)
            line = fmt_pattern(p)
            owned = owner is not None and owner.key in self.by_key
            own_limit = owned and owner.type in FRONT_DOORS and bool(FRONT_DOOR_LIMIT.search(text))
            named, explained, behind = self._blamed(text, cats, owner if owned else None, own_limit)
            self.pointed_at.update(named)
            if "db_connection_exhaustion" in cats and UNREACHED.search(text) and self._databases_with_room(named):
                cats = [c for c in cats if c != "db_connection_exhaustion"]  # empty: it cannot connect at all
            if owned and "dependency_failure" in cats and not named and UNREACHED.search(text) and not explained:
                self.unreached[p.id] = (line, strength)  # an endpoint nothing in the account answers for
            if owned and "permission_denied" in cats and ENDPOINT_DENIAL.search(text):
                self.endpoint_denied[p.id] = (line, strength)  # refused by a VPC endpoint's policy
            if owned and UNTRUSTED.search(text):
                self.untrusted[p.id] = (line, strength)  # a certificate it was served and does not trust
            if owned and MISROUTED_WRITES.search(text):
                self.misrouted[p.id] = (line, strength)  # writes reaching a reader: the writer's name leads there
            unnamed_timeout = BARE_TIMEOUT.search(text) and not NAMED_FAILURE.search(" ".join((p.template, *p.samples)))
            if cats == ["dependency_failure"] and not named and (LOCAL_UPSTREAM.search(text) or QUEUE_FULL.search(text)
                                                                 or unnamed_timeout):
                self.bare_timeouts.add(p.id)  # its own slowness: its host's app (socket full, timed out), or unnamed
            if owned and owner.type in FRONT_DOORS and not own_limit and self._backends_failing():
                strength *= RELAYED  # a front door relays what failed behind it
            for cat in cats:
                if cat == "dependency_failure" and set(cats) & SPECIFIC_FAULTS:  # "throttled, returning 503"
                    continue
                room = self._databases_with_room(named) if owned and cat == "db_connection_exhaustion" else []
                if room:  # its own pool ran dry, the database had connections to spare
                    for key in named:
                        self.score(cat, self.by_key[key].resource).add("logs", strength * 0.3, line, p.id)
                    self.score(cat, owner).add("logs", strength, line, p.id)
                    self.own_pool_dry.setdefault(owner.key, set()).update(room)
                    self.pool_stores.setdefault(owner.key, set()).update(named)
                elif named and cat in STORE_REFUSALS and STORE_REFUSALS[cat].search(text):
                    for key in named:  # the store refused it by its own limit or setting: the fault is the store's
                        self.score(cat, self.by_key[key].resource).add("logs", strength * 0.9, line, p.id)
                    if owned:
                        self.blames[owner.key].update(named)
                elif named and cat in DEPENDENCY_CATEGORIES:
                    # a front door's bare 5xx about what is behind it says that it failed, not why
                    relayed = 0.9 * (RELAYED if behind and cat == "dependency_failure" else 1.0)
                    for key in named:
                        self.score(cat, self.by_key[key].resource).add("logs", strength * relayed, line, p.id)
                    if owned and not behind:
                        self.blames[owner.key].update(named)
                    if owned:
                        self.score(cat, owner).add("logs", strength * 0.4, line, p.id)
                    if owned and cat == "permission_denied":  # the principal refused, whatever it asked for
                        self.denied[owner.key] = (line, p.id, max(strength, self.denied.get(owner.key, ("", "", 0))[2]))
                elif owned:
                    self.score(cat, owner).add("logs", strength, line, p.id)
                    if cat == "throttling" and SHEDDING.search(text):
                        self.shedding.add(owner.key)
            if owned and (p.is_error or ERROR_WORDS.search(text)):
                # what it calls (by its configuration, or named in this very line) fails on its own
                relayed = explained or bool(failing & (self._callees(owner) | set(named))) \
                    or any(self._down(k) for k in named)  # or a host it names failed its status checks
                own = strength * (1.0 if p.exception_type else 0.8) * (RELAYED if relayed else 1.0)
                self.score("application_error", owner).add("logs", own, line, p.id)
            elif owned and p.new and p.level == "WARN":  # a new warning only a roll-out explains
                self.score("bad_deployment", owner).add("logs", strength * NEW_WARNING, line, p.id)

    def _over_before_alarm(self, p: LogPattern) -> bool:
        """A burst of errors that ended before the datapoints that put the alarm in ALARM were even taken,
        while its writer's other new errors went on through them (a database restart minutes before the
        exceptions that fired it): the alarm counts those others."""
        alarm, at, owner = self.ev.alarm, self.ev.alarm_time, self.owner_of.get(p.id)
        if at is None or at <= self.ev.onset or owner is None or not p.is_error:
            return False
        sampled = at - timedelta(seconds=alarm.period * alarm.evaluation_periods) - ALARM_SAMPLE_LAG
        return p.last_seen < sampled and any(
            q.id != p.id and q.is_error and q.new and q.last_seen >= sampled and self.owner_of.get(q.id) == owner
            for q in self.ev.patterns)

    def _owners_logging(self, rule: re.Pattern[str]) -> set[tuple[str, str]]:
        """Resources that logged lines matching ``rule`` after onset."""
        return {self.owner_of[p.id].key for p in self.ev.patterns if p.id in self.owner_of and p.count_after
                and rule.search(" ".join((p.template, *p.samples[:1])))}

    def _rising_when_nothing_surges(self) -> set[str]:
        """When no error surged (an alarm that flapped on errors already there), the errors whose rate
        still rose clearly after onset: they are what the alarm counts; and processes dying (killed out of
        memory, crashed) again after onset, however few: each death is a burst of failed requests."""
        if any(p.is_error and is_surging(p) for p in self.ev.patterns):
            return set()
        return {p.id for p in self.ev.patterns if p.is_error and (
            p.count_after >= RISING_COUNT and p.rate_after >= RISING_FACTOR * p.rate_before
            or p.count_after >= 1 and CRASH.search(" ".join((p.exception_type or "", p.template))))}

    def _through_doors(self, named: list[tuple[str, str]], text: str, cats: Sequence[str]) -> list[tuple[str, str]]:
        """A balancer or API named in a caller's timeouts and 5xx only carried the call: the fault is in what
        is behind it (a limit, a refusal or its listener's certificate may be the door's own: those stay)."""
        if "dependency_failure" not in cats or {"throttling", "permission_denied"} & set(cats) \
                or TLS_FAILURE.search(text):
            return named
        out: list[tuple[str, str]] = []
        for key in named:
            behind = [k for k in downstream_ids(self.by_key[key].resource, self.inventory) if k in self.by_key] \
                if key[0] in FRONT_DOORS else []
            out += [k for k in behind or [key] if k not in out]
        return out

    def _blamed(self, text: str, cats: Sequence[str], owner: ResourceRef | None, own_limit: bool
                ) -> tuple[list[tuple[str, str]], bool, bool]:
        """Resources a pattern's errors are about: (keys, explained by their own fault, only because they
        are behind the front door that logged it)."""
        named = self._through_doors([k for k in mentioned_resources([text], self.inventory, exclude=owner)
                                     if k in self.by_key], text, cats)
        if owner is None or named:
            return named, self._about_exhausted(named, cats), False
        behind = False
        if owner.type in FRONT_DOORS and not own_limit:  # errors about a backend point at what is behind it
            named = [k for k in (*downstream_ids(owner, self.inventory), *referenced_ids(owner, self.inventory))
                     if k in self.by_key]
            if not named and self._only_door_in_front(owner):
                named = [self.alarm_key]  # the one door in front of the alarmed resource: that is what is behind it
            behind = bool(named)
        elif set(cats) & {"dependency_failure", "db_connection_exhaustion"} and not EXTERNAL_HOST.search(text) \
                and not self._exhausted(owner.key):
            # a service's unnamed dependency errors: what its configuration points at (an AWS API's
            # AccessDenied or throttle, or a call to a host outside the account, is not about those;
            # nor are the timeouts of a service pinned at its own limit)
            named = self._through_doors([k for k in (*downstream_ids(owner, self.inventory),
                                                     *referenced_ids(owner, self.inventory)) if k in self.by_key],
                                        text, cats)
        named = named or self._by_port(text, owner)
        if not named and owner.type in FRONT_DOORS and "permission_denied" in cats:
            named = self._permissions_changed()  # "Invalid permissions on Lambda function": its policy was edited
            for key in named:  # what the door invokes, though nothing lists it as the door's integration
                self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
        if not named and owner.type in FRONT_DOORS and not own_limit:
            named = self._backends_showing(cats)
            if named:  # a front door's error that a backend's own metrics explain is not its own
                return named, True, False
        if not named and "dependency_failure" in cats:  # its bare timeouts: a linked dependency at its limit,
            linked = [c.resource.key for c in self.ev.candidates if c.relation in ("dependency", "involved")
                      and c.resource.key != owner.key and c.resource.type not in FRONT_DOORS]
            named = [k for k in linked if self._exhausted(k)] or [k for k in linked if self._down(k)]  # or down
        stores = []
        if not named and DATABASE_WORDS.search(text) and owner.type != "rds":
            stores = named = self._data_store(cats, lambda r: r.type == "rds")
        if not named and CACHE_WORDS.search(text):
            stores = named = self._data_store(cats, is_cache)
        if not named and "throttling" in cats and INVOKE_THROTTLE.search(text):  # a function it invokes is at its limit
            stores = named = self._showing([c.resource.key for c in self.ev.candidates
                                            if c.resource.type == "lambda" and c.resource.key != owner.key],
                                           ["throttling"])
        if not named and TABLE_WORDS.search(text):
            stores = named = self._data_store(cats, lambda r: r.properties.get("service") == "dynamodb")
        for key in stores:  # the victim's database errors make it a dependency
            self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
        # the cache at its limit refused it, or the database by a server setting ("incompatible with sql_mode")
        refused = bool(stores) and bool(CACHE_LIMIT.search(text)) or bool(named) and bool(DB_SETTING.search(text))
        return named, self._about_exhausted(named, cats) or refused, behind

    def collect_client_pools(self) -> None:
        """A client whose own pool ran dry: a recent change on it that ships its pool setting is the trigger."""
        for key, room in self.own_pool_dry.items():
            client = self.by_key[key].resource
            settings = pool_settings(client)
            changed = [self.scores[(c, key)] for c in ("bad_deployment", "config_change")
                       if (c, key) in self.scores and self.scores[(c, key)].change]
            if not settings or not changed:
                continue
            line = (f"{client.id}'s own connection pool ran dry while {'; '.join(sorted(room))}: its pool "
                    f"setting ({', '.join(settings)}) is the limit, shipped by its recent change")
            self.score("config_change", client).add("logs", 0.9, line, f"pool:{client.id}")

    def _data_store(self, categories: Sequence[str], is_store: Callable[[ResourceRef], bool]
                    ) -> list[tuple[str, str]]:
        """The database or table a victim's errors about one point at (they seldom name it): a linked or
        involved one; else the one whose metrics show the same fault (connections at the limit, write
        throttles...) or, for timeouts, a limit of its own (CPU pinned); else the only one (or the instances
        of the only cluster)."""
        stores = [c for c in self.ev.candidates if is_store(c.resource)]
        linked = [c.resource.key for c in stores if c.relation in ("dependency", "involved")]
        if linked:
            return linked
        faulty = self._showing([c.resource.key for c in stores], categories)
        if not faulty and "dependency_failure" in categories:  # its timeouts: the store at its own limit
            faulty = [c.resource.key for c in stores if self._exhausted(c.resource.key, level=0.8)]
        clusters = {c.resource.db_cluster or c.resource.id for c in stores}
        return faulty or ([c.resource.key for c in stores] if len(clusters) == 1 else [])  # the only one (cluster)

    def _permissions_changed(self) -> list[tuple[str, str]]:
        """Resources (not front doors) whose permissions a change edited shortly before onset (a Lambda's
        resource policy losing the API's invoke permission)."""
        since, until = self.ev.onset - CHANGE_HORIZON, self.ev.onset + onset_grace(self.ev.alarm.period)
        return [c.resource.key for c in self.ev.candidates if c.resource.type not in FRONT_DOORS
                and any(since <= ch.time <= until and change_kind(ch) == "iam" and touches(ch, c.resource)
                        for ch in self.ev.changes)]

    def _only_door_in_front(self, door: ResourceRef) -> bool:
        """The account's one front door, upstream of an alarmed resource that runs code."""
        doors = [c for c in self.ev.candidates if c.resource.type in FRONT_DOORS]
        return self.alarm_key is not None and self.alarm_key[0] in COMPUTE and len(doors) == 1 \
            and doors[0].resource.key == door.key and doors[0].relation == "upstream"

    def _by_port(self, text: str, owner: ResourceRef) -> list[tuple[str, str]]:
        """Resources named after the service behind a well-known port in the error (``:6379`` -> redis), else
        the one database whose engine listens there (``:3306`` -> the only MySQL instance)."""
        words = {WELL_KNOWN_PORTS[port] for port in PORT.findall(text) if port in WELL_KNOWN_PORTS}
        others = [c.resource for c in self.ev.candidates if c.resource.key != owner.key] if words else []
        found = [r.key for r in others if any(w in alias.lower() for alias in r.aliases for w in words)]
        engines = [r.key for r in others if r.type == "rds"
                   and any(w in str(r.properties.get("engine") or "").lower() for w in words)]
        found = found or (engines if len(engines) == 1 else [])
        for key in found:
            self.weights[key] = max(self.weights[key], RELATION_WEIGHTS["dependency"])
        return found
