"""A tiny language-neutral description of a remediation script (steps, params, sections).

Templates build a ``Plan`` from facts; renderers turn it into bash, python (boto3)
or a plain AWS CLI sequence. Values that come from facts live only in ``Plan.constants``
and are referenced by name, so each renderer quotes them exactly once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Union

from analyzers.report.md_text import flat

Constant = Union[str, int, dict, list]

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Var:
    """Reference to a constant or a value captured/computed earlier."""

    name: str


@dataclass(frozen=True)
class VarList:
    """A one-element list holding a variable (e.g. ``InstanceIds=[INSTANCE_ID]``)."""

    name: str


@dataclass(frozen=True)
class Flag:
    """A boolean parameter (``--apply-immediately`` / ``ApplyImmediately=True``)."""

    value: bool = True


@dataclass(frozen=True)
class Lit:
    """A template constant (never a fact): a JMESPath-free literal such as ``'db-instance'`` or ``120``."""

    value: Union[str, int]


ParamValue = Union[Var, VarList, Flag, Lit]


@dataclass(frozen=True)
class Call:
    """One AWS API call. ``write`` calls are dry-run gated; ``capture`` stores ``query`` into a variable."""

    service: str
    operation: str                                  # API name, e.g. "UpdateAlias"
    params: tuple[tuple[str, ParamValue], ...] = ()
    query: str | None = None                        # JMESPath, template constant
    capture: str | None = None
    write: bool = False
    dry_run_probe: bool = False                     # service supports DryRun (EC2): probe before the gate
    label: str = ""
    cli_extra: tuple[str, ...] = ()                 # template-constant CLI-only args (e.g. --max-items 20)


@dataclass(frozen=True)
class Waiter:
    """Block until a resource settles (``aws <svc> wait <name>`` / ``get_waiter(name).wait``)."""

    service: str
    name: str                                       # snake_case waiter name, e.g. "services_stable"
    params: tuple[tuple[str, ParamValue], ...] = ()


@dataclass(frozen=True)
class StopIf:
    """Pre-check verdict. ops: eq, ne, ge / le (ints), prefix (literal b), contains (var b in a), empty (a unset)."""

    op: str
    left: str                                       # variable name
    right: Union[Var, Lit, None]
    message: str                                    # template text
    exit_code: int = 0                              # 0: nothing to do; 1: cannot proceed


@dataclass(frozen=True)
class Grow:
    """target = min(cap, max(source * (100 + percent) / 100, source + step)); fails if source is not an int."""

    target: str
    source: str
    percent: int
    step: int
    cap: int


@dataclass(frozen=True)
class Basename:
    """target = the part of source after its last '/' (an ARN's name)."""

    target: str
    source: str


@dataclass(frozen=True)
class Say:
    """Print a line; ``{NAME}`` placeholders are variables, the rest is template text."""

    text: str


Step = Union[Call, Waiter, StopIf, Grow, Basename, Say]


@dataclass(frozen=True)
class Plan:
    """Everything a renderer needs for one script."""

    script_id: str
    title: str
    risk: str
    category: str
    investigation_id: str
    alarm_name: str
    resource_label: str                             # display form of the resource (sanitised)
    what: str
    why: str
    changes: str
    constants: Mapping[str, Constant]               # must include REGION and RESOURCE_ID
    prechecks: tuple[Step, ...]
    apply: tuple[Step, ...] = ()
    verify: tuple[Step, ...] = ()
    rollback: tuple[Call, ...] = ()
    rollback_note: str = ""
    production: bool = True
    prerequisites: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    account_label: str = ""                         # "prod (111111111111)" when the alarm's account is known

    @property
    def read_only(self) -> bool:
        return not any(isinstance(s, Call) and s.write for s in self.apply + self.prechecks)

    def validate(self) -> None:
        """Fail fast on template bugs: names, required constants, reads before the gate."""
        for name in self.constants:
            if not _NAME.match(name):
                raise ValueError(f"bad constant name {name!r}")
        for required in ("REGION", "RESOURCE_ID"):
            if required not in self.constants:
                raise ValueError(f"{self.script_id}: missing constant {required}")
        for step in self.prechecks + self.verify:
            if isinstance(step, Call) and step.write:
                raise ValueError(f"{self.script_id}: write call {step.operation} outside the apply section")


def params(**values: ParamValue) -> tuple[tuple[str, ParamValue], ...]:
    """Keyword helper: ``params(FunctionName=Var("FUNCTION_NAME"))``."""
    return tuple(values.items())


def api_to_snake(name: str) -> str:
    """``DBInstanceIdentifier`` -> ``db_instance_identifier`` (botocore's rule)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def api_to_cli(name: str) -> str:
    """``UpdateAlias`` -> ``update-alias``; ``DBInstanceClass`` -> ``db-instance-class``."""
    return api_to_snake(name).replace("_", "-")


def placeholders(text: str) -> list[str]:
    """Variable names referenced as ``{NAME}`` in a Say text."""
    return re.findall(r"\{([A-Z][A-Z0-9_]*)\}", text)


def one_line(text: object, limit: int = 160) -> str:
    """Display form for comments and messages: no control or direction characters, bounded length."""
    line = flat(str(text))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def referenced_names(plan: "Plan") -> set[str]:
    """Every variable name a plan's steps read."""
    names: set[str] = set()

    def from_params(pairs: tuple[tuple[str, ParamValue], ...]) -> None:
        for _, value in pairs:
            if isinstance(value, (Var, VarList)):
                names.add(value.name)

    for step in plan.prechecks + plan.apply + plan.verify + plan.rollback:
        if isinstance(step, (Call, Waiter)):
            from_params(step.params)
        elif isinstance(step, StopIf):
            names.add(step.left)
            if isinstance(step.right, Var):
                names.add(step.right.name)
        elif isinstance(step, (Grow, Basename)):
            names.add(step.source)
        elif isinstance(step, Say):
            names.update(placeholders(step.text))
    return names
