"""Render a ``Plan`` as a standalone Python (boto3) script, dry run by default.

Fact values appear once, as ``repr`` literals in module constants; the body only
refers to them by name. The script never starts processes: boto3 calls only.
"""
from __future__ import annotations

import logging

from analyzers.remediation.render_shell import header_lines
from analyzers.remediation.steps import (
    Basename, Call, Flag, Grow, Lit, Plan, Say, StopIf, Step, Var, VarList, Waiter, api_to_cli,
    api_to_snake, placeholders, referenced_names,
)

logger = logging.getLogger(__name__)

_PRELUDE = '''import argparse
import json
import os
import shlex
import sys

import boto3
import jmespath

_CLIENTS = {}


def client(service):
    """One boto3 client per service, in REGION."""
    if service not in _CLIENTS:
        _CLIENTS[service] = boto3.client(service, region_name=REGION)
    return _CLIENTS[service]


def show(label, response, query=None):
    """Print a response (or its JMESPath projection) as JSON."""
    data = dict(response)
    data.pop("ResponseMetadata", None)
    if query:
        data = jmespath.search(query, data)
    print("== " + label)
    print(json.dumps(data, indent=2, default=str))


def command_text(words):
    """An equivalent AWS CLI command, safely quoted, for plans and rollback."""
    return "  " + shlex.join(str(word) for word in words)

'''


class _Names:
    """Constants keep their UPPER name; captured values become lower-case locals."""

    def __init__(self, plan: Plan) -> None:
        self.constants = set(plan.constants)

    def ref(self, name: str) -> str:
        return name if name in self.constants else name.lower()


def _kwargs(pairs, names: _Names) -> str:
    parts = []
    for key, value in pairs:
        if isinstance(value, Var):
            parts.append(f"{key}={names.ref(value.name)}")
        elif isinstance(value, VarList):
            parts.append(f"{key}=[{names.ref(value.name)}]")
        elif isinstance(value, Flag):
            parts.append(f"{key}={value.value!r}")
        elif isinstance(value, Lit):
            parts.append(f"{key}={value.value!r}")
    return ", ".join(parts)


def _cli_words(call: Call, names: _Names) -> str:
    words = [repr("aws"), repr(call.service), repr(api_to_cli(call.operation)), repr("--region"), "REGION"]
    for key, value in call.params:
        flag = "--" + api_to_cli(key)
        if isinstance(value, Flag):
            words.append(repr(flag if value.value else "--no-" + flag[2:]))
        elif isinstance(value, (Var, VarList)):
            ref = names.ref(value.name)
            words += [repr(flag), ref if value.name not in names.constants else f"_cli_value({ref})"]
        elif isinstance(value, Lit):
            words += [repr(flag), repr(str(value.value))]
    return f"print(command_text([{', '.join(words)}]))"


def _call(call: Call, names: _Names, indent: str, *, dry_run: bool = False) -> list[str]:
    label = call.label or api_to_snake(call.operation).replace("_", " ")
    kwargs = _kwargs(call.params + ((("DryRun", Flag(True)),) if dry_run else ()), names)
    invoke = f"client({call.service!r}).{api_to_snake(call.operation)}({kwargs})"
    if dry_run:
        return [f"{indent}try:", f"{indent}    {invoke}",
                f"{indent}    print('   dry-run probe returned success unexpectedly')",
                f"{indent}except client({call.service!r}).exceptions.ClientError as error:",
                f"{indent}    if error.response.get('Error', {{}}).get('Code') != 'DryRunOperation':",
                f"{indent}        raise",
                f"{indent}    print('   dry-run probe OK: the request would have succeeded (DryRunOperation)')"]
    lines = [f"{indent}response = {invoke}"]
    if call.capture:
        target = names.ref(call.capture)
        lines += [f"{indent}{target} = jmespath.search({call.query!r}, response)",
                  f"{indent}print({('== ' + label + ': ' + call.capture + '=')!r} + str({target}))"]
    else:
        lines.append(f"{indent}show({label!r}, response, {call.query!r})")
    return lines


def _stop_if(step: StopIf, names: _Names, indent: str) -> list[str]:
    left = names.ref(step.left)
    right = names.ref(step.right.name) if isinstance(step.right, Var) else repr(getattr(step.right, "value", None))
    if step.op == "eq":
        cond = f"str({left}) == str({right})"
    elif step.op == "ne":
        cond = f"str({left}) != str({right})"
    elif step.op == "ge":
        cond = f"str({left}).isdigit() and int({left}) >= int({right})"
    elif step.op == "le":  # both must be numbers (an unset reservation, None, is not "below")
        cond = f"str({left}).isdigit() and str({right}).isdigit() and int({left}) <= int({right})"
    elif step.op == "prefix":
        cond = f"str({left}).startswith({right})"
    elif step.op == "empty":
        cond = f"{left} in (None, '', 'None')"
    elif step.op == "contains":
        cond = f"str({right}) in str({left})"
    else:
        raise ValueError(f"unknown StopIf op {step.op}")
    stream = "" if step.exit_code == 0 else ", file=sys.stderr"
    return [f"{indent}if {cond}:", f"{indent}    print({step.message!r}{stream})", f"{indent}    return {step.exit_code}"]


def _say(text: str, names: _Names) -> str:
    pieces, rest = [], text
    for name in placeholders(text):
        before, rest = rest.split("{" + name + "}", 1)
        pieces += [repr(before), f"str({names.ref(name)})"]
    pieces.append(repr(rest))
    return f"print({' + '.join(pieces)})"


def _step(step: Step, names: _Names, indent: str = "    ") -> list[str]:
    if isinstance(step, Call):
        return _call(step, names, indent)
    if isinstance(step, Waiter):
        return [f"{indent}print('== waiting for the resource to settle')",
                f"{indent}client({step.service!r}).get_waiter({step.name!r}).wait({_kwargs(step.params, names)})"]
    if isinstance(step, StopIf):
        return _stop_if(step, names, indent)
    if isinstance(step, Grow):
        src, dst = names.ref(step.source), names.ref(step.target)
        return [f"{indent}if not str({src}).isdigit():",
                f"{indent}    print('Pre-check failed: {step.source} is not a number: ' + str({src}), file=sys.stderr)",
                f"{indent}    return 1",
                f"{indent}{dst} = min({step.cap}, max(int({src}) * {100 + step.percent} // 100,"
                f" int({src}) + {step.step}))"]
    if isinstance(step, Basename):
        return [f"{indent}{names.ref(step.target)} = str({names.ref(step.source)}).rsplit('/', 1)[-1]"]
    if isinstance(step, Say):
        return [indent + _say(step.text, names)]
    raise TypeError(step)


def render_python(plan: Plan) -> str:
    """A boto3 script: pre-checks, dry run unless --apply, production confirmation, apply, verify, rollback."""
    names = _Names(plan)
    writes = not plan.read_only
    used = referenced_names(plan) | {"REGION", "RESOURCE_ID"}
    out = ["#!/usr/bin/env python3", *header_lines(plan),
           "# Usage: python3 script.py            # dry run: pre-checks and plan, changes nothing",
           "#        python3 script.py --apply    # apply (or APPLY=1); production asks for the resource id"
           if writes else "#        read-only diagnostics: safe to run, changes nothing",
           _PRELUDE.rstrip("\n"), ""]
    out += [f"{name} = os.environ.get({name!r}, '')  # to be given when running: {name}=... python3 script.py"
            if value == "" else f"{name} = {value!r}" for name, value in plan.constants.items() if name in used]
    out += [f"PRODUCTION = {plan.production!r}", "", "",
            "def _cli_value(value):", '    """Constants as the CLI expects them: JSON for structures."""',
            "    return json.dumps(value) if isinstance(value, (dict, list)) else value", "", "",
            "def main():",
            f"    parser = argparse.ArgumentParser(description={plan.title!r})",
            "    parser.add_argument('--apply', action='store_true', help='apply the change (default: dry run)')"
            if writes else "    parser.parse_args()"]
    if writes:
        out += ["    args = parser.parse_args()", "    apply = args.apply or os.environ.get('APPLY') == '1'"]
    out += ["", "    # ---- PRE-CHECKS: read and verify the current state (read-only) ----"]
    for step in plan.prechecks:
        out += _step(step, names)
    if writes:
        out.append("    # ---- DRY RUN: plan (and AWS-side DryRun probes where supported) ----")
        for step in plan.apply:
            if isinstance(step, Call) and step.dry_run_probe:
                out += _call(step, names, "    ", dry_run=True)
        out.append("    print('Plan: the following changes will be made with --apply:')")
        out += ["    " + _cli_words(s, names) for s in plan.apply if isinstance(s, Call) and s.write]
        out += ["    if not apply:",
                "        print('DRY RUN: nothing was changed. Re-run with --apply (or APPLY=1) to apply.')",
                "        return 0",
                "    # ---- CONFIRMATION: production changes need the resource id typed ----",
                "    if PRODUCTION:",
                "        typed = os.environ.get('CONFIRM') or input("
                "'PRODUCTION: type the resource id (' + RESOURCE_ID + ') to apply: ')",
                "        if typed.strip() != RESOURCE_ID:",
                "            print('Confirmation did not match the resource id; nothing was changed.', file=sys.stderr)",
                "            return 1",
                "    # ---- APPLY ----"]
        for step in plan.apply:
            out += _step(step, names)
    out.append("    # ---- VERIFY ----")
    for step in plan.verify:
        out += _step(step, names)
    out.append("    # ---- ROLLBACK ----")
    if not writes:
        out.append("    print('Rollback: not needed (read-only).')")
    else:
        if plan.rollback_note:
            out.append(f"    print({('Rollback: ' + plan.rollback_note)!r})")
        if plan.rollback:
            out.append("    print('Rollback (if needed):')")
            out += ["    " + _cli_words(call, names) for call in plan.rollback]
    out += [f"    print({('Done. Risk: ' + plan.risk + '.')!r})", "    return 0", "", "",
            'if __name__ == "__main__":', "    sys.exit(main())"]
    return "\n".join(out) + "\n"
