"""Input of the remediation library and the helpers templates use to read it.

Only structured facts reach a template (category, resource, CloudTrail change
records, properties); free text from logs or an LLM never does.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from analyzers.model import CATEGORIES, Change, ResourceRef
from analyzers.remediation.steps import Call, Plan, Step, StopIf, Var, one_line

logger = logging.getLogger(__name__)

_VALID_IDS = {
    "lambda": re.compile(r"^[A-Za-z0-9_:.$-]{1,170}$"),
    "ec2": re.compile(r"^i-[0-9a-f]{8,17}$"),
    "rds": re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,62}$"),
    "ecs": re.compile(r"^[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}$"),
    "apigateway": re.compile(r"^[\w .-]{1,128}$"),
    "alb": re.compile(r"^(?:app/)?[A-Za-z0-9-]{1,32}(?:/[0-9a-f]+)?$"),
}
_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_MOUNT_PATH = re.compile(r"^/[A-Za-z0-9._/-]{0,200}$")
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class RemediationFacts:
    """What a template may use: the classified root cause and structured facts about the resource."""

    investigation_id: str
    category: str
    resource: ResourceRef
    region: str
    alarm_name: str
    changes: tuple[Change, ...] = ()
    production: bool = True
    evidence: tuple[str, ...] = ()
    account_id: str | None = None  # the alarm's account (from its ARN): scripts refuse other credentials
    account: str | None = None  # its configured name (aws.accounts), for the header
    rank: int = 1  # the hypothesis' place in the investigation's ranking (1 = the likely root cause)
    confidence: float | None = None  # its confidence, 0..1
    alarm_dimensions: tuple[tuple[str, str], ...] = ()  # the alarm metric's dimensions (e.g. a disk's path)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}; expected one of {CATEGORIES}")

    @property
    def service(self) -> str:
        return self.resource.type if self.resource.type in _VALID_IDS else "other"

    def prop(self, *names: str) -> object | None:
        """First non-empty property among ``names``."""
        for name in names:
            value = self.resource.properties.get(name)
            if value not in (None, ""):
                return value
        return None

    def int_prop(self, *names: str) -> int | None:
        value = self.prop(*names)
        if isinstance(value, bool):
            return None
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def str_prop(self, *names: str) -> str | None:
        value = self.prop(*names)
        return str(value) if value is not None else None

    @property
    def alarmed_mount(self) -> tuple[str, str] | None:
        """(path, device) of the filesystem the alarm watches on this very instance (CWAgent disk_used_percent),
        when it is not the root filesystem; None otherwise (or when the path is not a plain absolute path)."""
        dims = dict(self.alarm_dimensions)
        path = dims.get("path", "")
        if dims.get("InstanceId") != self.resource.id or path in ("", "/") or not _MOUNT_PATH.match(path):
            return None
        device = dims.get("device", "")
        return path, device if _DEVICE.match(device) else ""

    @property
    def id_is_valid(self) -> bool:
        pattern = _VALID_IDS.get(self.resource.type)
        return bool(pattern.match(self.resource.id)) if pattern else True

    @property
    def region_is_valid(self) -> bool:
        return bool(_REGION.match(self.region))


def account_guard(facts: RemediationFacts) -> tuple[dict[str, str], tuple[Step, ...]]:
    """Constants and pre-checks that stop the script unless its credentials are for the alarm's account."""
    if not facts.account_id or not _ACCOUNT_ID.match(facts.account_id):
        return {}, ()
    return {"ACCOUNT_ID": facts.account_id}, (
        Call("sts", "GetCallerIdentity", query="Account", capture="CALLER_ACCOUNT",
             label="whose credentials are these"),
        StopIf("ne", "CALLER_ACCOUNT", Var("ACCOUNT_ID"),
               "Pre-check failed: these credentials are not for the incident's account (ACCOUNT_ID above); "
               "switch profile or role first.", 1))


def related_change_text(facts: RemediationFacts) -> str:
    """The newest related change, from its CloudTrail fields (never from log text)."""
    if not facts.changes:
        return ""
    change = facts.changes[-1]
    # scripts are not redacted (their sha256 is what is approved): a user name that is an email address is left out
    who = f" by {change.username}" if change.username and "@" not in change.username else ""
    return one_line(f"{change.event_name} ({change.event_source}) at {change.time.isoformat()}{who}", 200)


def why_text(facts: RemediationFacts, reason: str) -> str:
    """Template reason + the alarm and, when present, the newest related change."""
    place = "first" if facts.rank == 1 else f"#{facts.rank}"
    if facts.confidence is not None:
        place += f" ({facts.confidence:.0%} confidence)"
    parts = [f"Alarm {one_line(facts.alarm_name, 120)} fired; the investigation ranked "
             f"'{facts.category}' {place}. {reason}"]
    change = related_change_text(facts)
    if change:
        parts.append(f"Related change: {change}.")
    cited = [e for e in facts.evidence if re.match(r"^[a-z]\d{1,5}$", e)]
    if cited:
        parts.append("Evidence: " + ", ".join(cited[:10]) + ".")
    return " ".join(parts)


def make_plan(facts: RemediationFacts, *, script_id: str, title: str, risk: str, what: str, reason: str,
              changes: str, constants: dict, prechecks: tuple[Step, ...], apply: tuple[Step, ...] = (),
              verify: tuple[Step, ...] = (), rollback: tuple[Call, ...] = (), rollback_note: str = "",
              prerequisites: tuple[str, ...] = (), notes: tuple[str, ...] = ()) -> Plan:
    """Assemble a Plan with the common constants (REGION, RESOURCE_ID) and validity notes."""
    extra_notes = list(notes)
    if not facts.id_is_valid:
        extra_notes.append("the resource id does not look like a valid AWS identifier; pre-checks will fail")
    if not facts.region_is_valid:
        extra_notes.append("the region does not look like a valid AWS region; pre-checks will fail")
    guard_constants, guard = account_guard(facts)
    if facts.account_id and not guard:
        extra_notes.append("the account id does not look like a 12-digit AWS account id; the account is not checked")
    plan = Plan(
        script_id=script_id, title=one_line(title, 120), risk=risk, category=facts.category,
        investigation_id=one_line(facts.investigation_id, 80), alarm_name=one_line(facts.alarm_name, 120),
        resource_label=one_line(f"{facts.resource.type} {facts.resource.id}", 200), what=what,
        why=why_text(facts, reason), changes=changes,
        constants={"REGION": facts.region, "RESOURCE_ID": facts.resource.id, **guard_constants, **constants},
        account_label=_account_label(facts), prechecks=guard + prechecks, apply=apply, verify=verify,
        rollback=rollback, rollback_note=rollback_note, production=facts.production, prerequisites=prerequisites, notes=tuple(extra_notes))
    plan.validate()
    return plan


def _account_label(facts: RemediationFacts) -> str:
    if not facts.account_id:
        return ""
    return one_line(f"{facts.account} ({facts.account_id})" if facts.account else facts.account_id, 80)


_EC2_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge",
              "12xlarge", "16xlarge", "24xlarge")


def next_size(instance_type: str | None) -> str | None:
    """``m5.large`` -> ``m5.xlarge``; ``db.r6g.large`` -> ``db.r6g.xlarge``; None when unknown/maximal."""
    if not instance_type:
        return None
    prefix, _, size = instance_type.rpartition(".")
    if not prefix or size not in _EC2_SIZES or size == _EC2_SIZES[-1]:
        return None
    return f"{prefix}.{_EC2_SIZES[_EC2_SIZES.index(size) + 1]}"
