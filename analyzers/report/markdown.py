"""Markdown rendering of a report dict (for files, `aiops-bot report`, and the terminal)."""
from __future__ import annotations

import re
from typing import Any

from ..charts_data import chart_file_name
from .md_text import code_span, fence, inline, prose


_EVIDENCE_ID = re.compile(r"^\[([\w:.-]{1,40})\] ")


def _evidence_line(line: str) -> str:
    """An evidence line with its id ("[l2] ...") as code, which needs no escaping, then the text."""
    found = _EVIDENCE_ID.match(str(line))
    return f"{code_span(found.group(1))} {inline(line[found.end():])}" if found else inline(line)


def _charts_section(report: dict[str, Any]) -> list[str]:
    """Chart images; the PNG files are written beside the report as ``<report id>-<chart id>.png``."""
    charts = report.get("charts") or []
    if not charts:
        return []
    lines = ["", "## Charts", ""]
    for c in charts:
        lines += [f"![{inline(c.get('title', c['id']))}]({chart_file_name(str(report['id']), str(c['id']))})", ""]
    return lines


def _links_section(links: dict[str, Any], alarm: dict[str, Any]) -> list[str]:
    """AWS console deep links (alarm, resources, metrics, log queries, changes), naming their account."""
    if not links:
        return []
    account_id = alarm.get("account_id") or ""
    name = inline(alarm["account"]) if alarm.get("account") else ""
    account = f"{name} ({inline(account_id)})" if name and account_id else name or inline(account_id)
    lines = ["## AWS console links", ""]
    if account:
        lines += [f"Sign in to account {account} first: the console opens these in the signed-in account.", ""]
    if links.get("alarm"):
        lines.append(f"- [alarm]({links['alarm']})")
    for title, key in (("resource", "resources"), ("metric", "metrics"), ("logs", "log_groups"),
                       ("change", "changes")):
        for ident, url in (links.get(key) or {}).items():
            lines.append(f"- [{title} {code_span(ident)}]({url})")
    return lines + [""]


def render_markdown(report: dict[str, Any]) -> str:
    """A complete Markdown document for one investigation report."""
    alarm = report["alarm"]
    root = report["root_cause"]
    lines = [f"# Investigation {inline(report['id'])}: {inline(alarm['name'])}", "",
             f"*Alarm* {code_span(alarm['name'])} in {code_span(alarm['region'])} is "
             f"**{inline(alarm.get('state'))}** - report created {inline(report['created_at'])}", "",
             "## Summary", "", inline(report["summary"]), ""]
    if report.get("degraded"):  # said up front too: a reader must know what the report could not see
        lines += [f"> Some steps ran degraded ({inline(', '.join(report['degraded']))}): see *Degraded steps* "
                  "below.", ""]
    if report.get("llm", {}).get("narrative"):
        lines += ["## Analysis (Claude)", "", prose(report["llm"]["narrative"]), ""]
    lines += ["## Root cause", "",
              f"**{root['category']}** on {root['resource']['type']} "
              f"{code_span(root['resource']['id'])} (confidence {root['confidence']:.0%})", ""]
    lines += [f"- {_evidence_line(e)}" for e in root.get("evidence", [])] + [""]
    lines += ["## Hypotheses", "", "| # | category | resource | confidence |", "|---|---|---|---|"]
    for i, h in enumerate(report["hypotheses"], 1):
        lines.append(f"| {i} | {h['category']} | {h['resource']['type']} {inline(h['resource']['id'])} "
                     f"| {h['confidence']:.0%} |")
    lines += ["", "## Timeline", "", "| time (UTC) | kind | what |", "|---|---|---|"]
    for e in report["timeline"]:
        lines.append(f"| {e['time']} | {e['kind']} | {inline(e['text'])} |")
    lines += _charts_section(report)
    lines += ["", "## Log patterns", "", "| id | count | before -> after /min | new | template |",
              "|---|---|---|---|---|"]
    for p in report["log_patterns"][:15]:
        lines.append(f"| {p.get('id', '')} | {p['count']} | {p.get('rate_before_per_min', 0):.2f} -> "
                     f"{p.get('rate_after_per_min', 0):.2f} | {'yes' if p.get('new') else ''} | "
                     f"{code_span(p['template'][:140], in_table=True)} |")
    if report.get("changes"):
        lines += ["", "## Changes", ""]
        lines += [f"- {inline(c['time'])} {inline(c['event_name'])} on {code_span(c['resource_name'])}"
                  f"{' by ' + inline(c['username']) if c.get('username') else ''}" for c in report["changes"]]
    lines += ["", "## Remediation scripts", "",
              "> Proposed for a human to review. aiops-bot never runs them; approval is only recorded.", ""]
    for s in report["scripts"]:
        approval = s.get("approval")
        who = approval.get("user_name") or approval.get("user_id") if approval else ""
        state = f" - {inline(approval['decision'])} by {inline(who)}" if approval else ""
        lines += [f"### {inline(s['title'])} ({s['language']}, risk: {s['risk']}){state}", ""]
        if s.get("description"):
            lines += [prose(s["description"]), ""]
        lines += [f"**Risk:** {s['risk']}", ""]
        if s.get("changes"):
            lines += ["**What it changes:**", "", prose(s["changes"]), ""]
        if s.get("instructions"):
            lines += ["**How to run it yourself:**", "", prose(s["instructions"]), ""]
        language = "bash" if s["language"] in ("bash", "aws-cli") else "python"
        lines += [*fence(s["body"], language), f"sha256 {code_span(s['sha256'])}", ""]
    bundle = report.get("evidence_bundle") or {}
    if bundle:
        lines += ["## Evidence bundle (re-run these)", ""]
        for q in bundle.get("log_queries", []):
            lines.append(f"- logs {code_span(q.get('log_group'))} {inline(q.get('start'))} -> {inline(q.get('end'))} "
                         f"via {inline(q.get('api'))}{': ' + code_span(q['query']) if q.get('query') else ''}")
        for p in bundle.get("log_stream_probes", []):
            found = f"error {inline(p['error'])}" if p.get("error") else f"{p.get('streams', 0)} stream(s)"
            lines.append(f"- log streams {code_span(p.get('log_group'))} prefix {code_span(p.get('stream_prefix'))} "
                         f"via DescribeLogStreams: {found}")
        if bundle.get("metric_window"):
            w = bundle["metric_window"]
            lines.append(f"- GetMetricData {w.get('start')} -> {w.get('end')}, {w.get('series')} series")
        lines.append("")
    lines += _links_section(report.get("links") or {}, alarm)
    if report.get("warnings"):
        lines += ["## Warnings", ""] + [f"- {inline(w)}" for w in report["warnings"]] + [""]
    if report.get("degraded"):
        lines += ["## Degraded steps", ""]
        lines += [f"- {inline(k)}: {inline(v)}" for k, v in report["degraded"].items()] + [""]
    if report.get("redaction"):
        lines += [f"_redacted: {', '.join(f'{v} {k}' for k, v in report['redaction'].items())}_", ""]
    return "\n".join(lines)
