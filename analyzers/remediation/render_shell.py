"""Render a ``Plan`` as a bash script (dry run by default) or a plain AWS CLI sequence.

Fact values appear once, as single-quoted (``shlex.quote``) assignments; every
later use is a double-quoted ``"$NAME"`` expansion, so a resource id such as
``$(rm -rf /)`` stays an inert string.
"""
from __future__ import annotations

import json
import logging
import shlex

from analyzers.remediation.steps import (
    Basename, Call, Flag, Grow, Lit, Plan, Say, StopIf, Step, Var, VarList, Waiter, api_to_cli,
    api_to_snake, one_line, placeholders, referenced_names,
)

logger = logging.getLogger(__name__)

# Single quotes are deliberate: fact values and JMESPath queries must never expand.
_SHELLCHECK_DIRECTIVE = "# shellcheck disable=SC2016"
GATE_LINE = 'if [[ "$APPLY" != "1" ]]; then'


def header_lines(plan: Plan, prefix: str = "# ") -> list[str]:
    """The what/why block shared by every language (comment syntax ``#``)."""
    rule = prefix + "=" * 72
    lines = [
        rule,
        f"{prefix}aiops-bot remediation: {one_line(plan.title)}",
        f"{prefix}Script id: {plan.script_id}",
        f"{prefix}Investigation: {one_line(plan.investigation_id)}   Alarm: {one_line(plan.alarm_name)}",
        f"{prefix}Resource: {plan.resource_label}   Region: {one_line(plan.constants['REGION'])}"
        + (f"   Account: {plan.account_label}" if plan.account_label else ""),
        f"{prefix}Category: {plan.category}   RISK: {plan.risk.upper()}",
        f"{prefix}WHAT: {one_line(plan.what, 400)}",
        f"{prefix}WHY: {one_line(plan.why, 400)}",
        f"{prefix}CHANGES: {one_line(plan.changes, 400)}",
    ]
    lines += [f"{prefix}NOTE: {one_line(note, 400)}" for note in plan.notes]
    lines += [
        f"{prefix}Generated from a reviewed template by aiops-bot, which never runs it.",
        f"{prefix}Read it, run it yourself with your own credentials, dry run first.",
        rule,
    ]
    return lines


def constant_literal(value: object) -> str:
    """Shell literal for a constant: JSON for structures, the string itself otherwise, single-quoted."""
    text = json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else str(value)
    return shlex.quote(one_line(text, 100_000))


def _param_args(pairs) -> list[str]:
    args: list[str] = []
    for name, value in pairs:
        flag = "--" + api_to_cli(name)
        if isinstance(value, Flag):
            args.append(flag if value.value else "--no-" + flag[2:])
        elif isinstance(value, (Var, VarList)):
            args += [flag, f'"${value.name}"']
        elif isinstance(value, Lit):
            args += [flag, shlex.quote(str(value.value))]
    return args


def call_command(call: Call, *, dry_run: bool = False) -> str:
    parts = ["aws", call.service, api_to_cli(call.operation), "--region", '"$REGION"']
    parts += _param_args(call.params)
    parts += [shlex.quote(arg) for arg in call.cli_extra]
    if dry_run:
        parts.append("--dry-run")
    if call.query:
        parts += ["--query", shlex.quote(call.query)]
    parts += ["--output", "text" if call.capture else "json"]
    return " ".join(parts)


def printf_command(call: Call) -> str:
    """A printf line that shows the exact command with values safely quoted (%q), for plans and rollback."""
    fmt = ["aws", call.service, api_to_cli(call.operation), "--region", "%q"]
    args = ['"$REGION"']
    for name, value in call.params:
        flag = "--" + api_to_cli(name)
        if isinstance(value, Flag):
            fmt.append(flag if value.value else "--no-" + flag[2:])
        elif isinstance(value, (Var, VarList)):
            fmt += [flag, "%q"]
            args.append(f'"${value.name}"')
        elif isinstance(value, Lit):
            fmt += [flag, shlex.quote(str(value.value)).replace("\\", "\\\\").replace("%", "%%")]
    text = "  " + " ".join(fmt) + "\\n"
    return f"printf {shlex.quote(text)} {' '.join(args)}"


def _say(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
    for name in placeholders(text):
        escaped = escaped.replace("{" + name + "}", "${" + name + "}")
    return f'echo "{escaped}"'


def _stop_if(step: StopIf) -> list[str]:
    left = f'"${step.left}"'
    if step.op in ("eq", "ne"):
        right = f'"${step.right.name}"' if isinstance(step.right, Var) else shlex.quote(str(step.right.value))
        cond = f"[[ {left} {'==' if step.op == 'eq' else '!='} {right} ]]"
    elif step.op == "ge":
        right = step.right.name if isinstance(step.right, Var) else str(int(step.right.value))
        cond = f"[[ {left} =~ ^[0-9]+$ ]] && (( {step.left} >= {right} ))"
    elif step.op == "le":  # both must be numbers (an unset reservation, "None", is not "below")
        right = step.right.name if isinstance(step.right, Var) else str(int(step.right.value))
        right_ok = f' && "${right}" =~ ^[0-9]+$' if isinstance(step.right, Var) else ""
        cond = f"[[ {left} =~ ^[0-9]+${right_ok} ]] && (( {step.left} <= {right} ))"
    elif step.op == "prefix":
        cond = f"[[ {left} == {shlex.quote(str(step.right.value))}* ]]"
    elif step.op == "empty":
        cond = f'[[ -z {left} || {left} == "None" ]]'
    elif step.op == "contains":
        cond = f'[[ {left} == *"${step.right.name}"* ]]'
    else:
        raise ValueError(f"unknown StopIf op {step.op}")
    stream = "" if step.exit_code == 0 else " >&2"
    return [f"if {cond}; then", f"  echo {shlex.quote(step.message)}{stream}", f"  exit {step.exit_code}", "fi"]


def _grow(step: Grow) -> list[str]:
    src, dst = step.source, step.target
    return [
        f'if ! [[ "${src}" =~ ^[0-9]+$ ]]; then',
        f'  echo "Pre-check failed: {src} is not a number: ${src}" >&2',
        "  exit 1",
        "fi",
        f"{dst}=$(( {src} * {100 + step.percent} / 100 ))",
        f"if (( {dst} < {src} + {step.step} )); then {dst}=$(( {src} + {step.step} )); fi",
        f"if (( {dst} > {step.cap} )); then {dst}={step.cap}; fi",
    ]


def _waiter(step: Waiter) -> str:
    parts = ["aws", step.service, "wait", step.name.replace("_", "-"), "--region", '"$REGION"']
    return " ".join(parts + _param_args(step.params))


def step_lines(step: Step, *, executable_writes: bool = True) -> list[str]:
    """Shell lines for one step; with ``executable_writes=False`` writes become comments."""
    if isinstance(step, Call):
        lines = [f"echo {shlex.quote('== ' + (step.label or api_to_snake(step.operation).replace('_', ' ')))}"]
        command = call_command(step)
        if step.capture:
            command = f'{step.capture}="$({command})"'
        if step.write and not executable_writes:
            return [f"# APPLY> {command}"]
        lines.append(command)
        if step.capture:
            lines.append(f'echo "   {step.capture}=${step.capture}"')
        return lines
    if isinstance(step, Waiter):
        line = _waiter(step)
        return [f"# APPLY> {line}"] if not executable_writes else ["echo '== waiting for the resource to settle'", line]
    if isinstance(step, StopIf):
        return _stop_if(step)
    if isinstance(step, Grow):
        return _grow(step)
    if isinstance(step, Basename):
        return [f'{step.target}="${{{step.source}##*/}}"']
    if isinstance(step, Say):
        return [_say(step.text)]
    raise TypeError(step)


def _probe_lines(call: Call) -> list[str]:
    return [
        f'if PROBE_OUT="$({call_command(call, dry_run=True)} 2>&1)"; then',
        '  echo "Dry-run probe returned success unexpectedly: $PROBE_OUT"',
        "elif grep -q DryRunOperation <<<\"$PROBE_OUT\"; then",
        "  echo '   dry-run probe OK: the request would have succeeded (DryRunOperation)'",
        "else",
        '  echo "$PROBE_OUT" >&2',
        "  exit 1",
        "fi",
    ]


def _constants(plan: Plan, always: tuple[str, ...]) -> list[str]:
    used = referenced_names(plan) | set(always)
    return [f'{name}="${{{name}:-}}"  # to be given when running: {name}=... bash script.sh' if value == ""
            else f"{name}={constant_literal(value)}" for name, value in plan.constants.items() if name in used]


def render_bash(plan: Plan) -> str:
    """A bash script: pre-checks, dry run by default, production confirmation, apply, verify, rollback."""
    writes = not plan.read_only
    out = ["#!/usr/bin/env bash", _SHELLCHECK_DIRECTIVE, *header_lines(plan)]
    out += ["# Usage: bash script.sh            # dry run: pre-checks and plan, changes nothing",
            "#        bash script.sh --apply    # apply (or APPLY=1); production asks for the resource id"
            if writes else "#        read-only diagnostics: safe to run, changes nothing",
            "set -euo pipefail", ""]
    out += _constants(plan, ("REGION", "RESOURCE_ID") if writes else ("REGION",))
    if writes:
        out += [f"PRODUCTION={'1' if plan.production else '0'}", 'APPLY="${APPLY:-0}"',
                'for arg in "$@"; do', '  case "$arg" in', "    --apply) APPLY=1 ;;", "    --dry-run) APPLY=0 ;;",
                '    *) echo "unknown argument: $arg (use --apply or --dry-run)" >&2; exit 2 ;;', "  esac", "done"]
    out += ["", "# ---- PRE-CHECKS: read and verify the current state (read-only) ----"]
    for step in plan.prechecks:
        out += step_lines(step)
    if writes:
        out += ["", "# ---- DRY RUN: plan (and AWS-side --dry-run probes where supported) ----"]
        for step in plan.apply:
            if isinstance(step, Call) and step.dry_run_probe:
                out += _probe_lines(step)
        out.append("echo 'Plan: the following commands will run with --apply:'")
        out += [printf_command(s) for s in plan.apply if isinstance(s, Call) and s.write]
        out += [GATE_LINE, "  echo 'DRY RUN: nothing was changed. Re-run with --apply (or APPLY=1) to apply.'",
                "  exit 0", "fi",
                "", "# ---- CONFIRMATION: production changes need the resource id typed ----",
                'if [[ "$PRODUCTION" == "1" ]]; then', '  CONFIRM="${CONFIRM:-}"',
                '  if [[ -z "$CONFIRM" ]]; then',
                '    read -r -p "PRODUCTION: type the resource id ($RESOURCE_ID) to apply: " CONFIRM', "  fi",
                '  if [[ "$CONFIRM" != "$RESOURCE_ID" ]]; then',
                "    echo 'Confirmation did not match the resource id; nothing was changed.' >&2", "    exit 1",
                "  fi", "fi", "", "# ---- APPLY ----"]
        for step in plan.apply:
            out += step_lines(step)
    out += ["", "# ---- VERIFY ----"]
    for step in plan.verify:
        out += step_lines(step)
    out += ["", "# ---- ROLLBACK ----"] + _rollback_lines(plan)
    out.append(f"echo {shlex.quote('Done. Risk: ' + plan.risk + '.')}")
    return "\n".join(out) + "\n"


def _rollback_lines(plan: Plan) -> list[str]:
    if plan.read_only:
        return ["# Read-only script: nothing to roll back.", "echo 'Rollback: not needed (read-only).'"]
    lines = [f"# {one_line(plan.rollback_note, 400)}"] if plan.rollback_note else []
    if plan.rollback:
        lines.append("# To undo, run the command(s) printed below (values captured before the change):")
        lines += [f"#   {call_command(call)}" for call in plan.rollback]
        lines.append("echo 'Rollback (if needed):'")
        lines += [printf_command(call) for call in plan.rollback]
    else:
        lines.append(f"echo {shlex.quote('Rollback: ' + (plan.rollback_note or 'see the ROLLBACK section.'))}")
    return lines


def render_aws_cli(plan: Plan) -> str:
    """A plain AWS CLI sequence to paste step by step; every change is a commented ``# APPLY>`` line."""
    out = [_SHELLCHECK_DIRECTIVE + ",SC2034  # values used by the commented APPLY lines", *header_lines(plan)]
    out += ["# Plain AWS CLI sequence: paste the commands one by one into a shell and read each output.",
            "# DRY RUN BY DEFAULT: nothing below changes anything; changes are commented '# APPLY>' lines.",
            "# Read-only sequence: every command only reads." if plan.read_only else
            f"# PRODUCTION: before un-commenting an APPLY line, confirm the resource id '{plan.resource_label}'."
            if plan.production else "# Non-production resource: still review each APPLY line.", ""]
    out += _constants(plan, ("REGION",))
    out += ["", "# ---- PRE-CHECKS: read and verify the current state (read-only) ----"]
    for step in plan.prechecks:
        if isinstance(step, StopIf):
            out.append(f"# CHECK: {one_line(step.message)} (stop if {step.left} {step.op} "
                       f"{getattr(step.right, 'name', getattr(step.right, 'value', ''))})")
        else:
            out += step_lines(step, executable_writes=False)
    if not plan.read_only:
        out += ["", "# ---- DRY RUN probes (AWS --dry-run: 'DryRunOperation' means it would succeed) ----"]
        out += [call_command(s, dry_run=True) + " || true" for s in plan.apply
                if isinstance(s, Call) and s.dry_run_probe]
        out += ["", "# ---- APPLY (un-comment deliberately, one line at a time) ----"]
        for step in plan.apply:
            out += step_lines(step, executable_writes=False)
    out += ["", "# ---- VERIFY (after applying) ----"]
    for step in plan.verify:
        out += [f"# {line}" if not line.startswith("#") else line for line in step_lines(step)]
    out += ["", "# ---- ROLLBACK ----"]
    if plan.read_only:
        out.append("# Read-only sequence: nothing to roll back.")
    else:
        if plan.rollback_note:
            out.append(f"# {one_line(plan.rollback_note, 400)}")
        out += [f"# ROLLBACK> {call_command(call)}" for call in plan.rollback]
    out.append(f"# RISK: {plan.risk.upper()}")
    return "\n".join(out) + "\n"
