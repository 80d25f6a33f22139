"""Markdown rendering of a report dict (for files, `aiops-bot report`, and the terminal)."""
from __future__ import annotations

from typing import Any

from ..charts_data import chart_file_name


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _charts_section(report: dict[str, Any]) -> list[str]:
    """Chart images; the PNG files are written beside the report as ``<report id>-<chart id>.png``."""
    charts = report.get("charts") or []
    if not charts:
        return []
    lines = ["", "## Charts", ""]
    for c in charts:
        lines += [f"![{_md_escape(c.get('title', c['id']))}]({chart_file_name(str(report['id']), str(c['id']))})", ""]
    return lines


def _links_section(links: dict[str, Any], alarm: dict[str, Any]) -> list[str]:
    """AWS console deep links (alarm, resources, metrics, log queries, changes), naming their account."""
    if not links:
        return []
    account_id = alarm.get("account_id") or ""
    name = _md_escape(alarm["account"]) if alarm.get("account") else ""
    account = f"{name} ({account_id})" if name and account_id else name or account_id
    lines = ["## AWS console links", ""]
    if account:
        lines += [f"Sign in to account {account} first: the console opens these in the signed-in account.", ""]
    if links.get("alarm"):
        lines.append(f"- [alarm]({links['alarm']})")
    for title, key in (("resource", "resources"), ("metric", "metrics"), ("logs", "log_groups"),
                       ("change", "changes")):
        for ident, url in (links.get(key) or {}).items():
            lines.append(f"- [{title} `{_md_escape(ident)}`]({url})")
    return lines + [""]


def render_markdown(report: dict[str, Any]) -> str:
    """A complete Markdown document for one investigation report."""
    alarm = report["alarm"]
    root = report["root_cause"]
    lines = [f"# Investigation {report['id']}: {alarm['name']}", "",
             f"*Alarm* `{alarm['name']}` in `{alarm['region']}` is **{alarm.get('state')}** "
             f"- report created {report['created_at']}", "", "## Summary", "", report["summary"], ""]
    if report.get("llm", {}).get("narrative"):
        lines += ["## Analysis (Claude)", "", report["llm"]["narrative"], ""]
    lines += ["## Root cause", "",
              f"**{root['category']}** on {root['resource']['type']} `{root['resource']['id']}` "
              f"(confidence {root['confidence']:.0%})", ""]
    lines += [f"- {_md_escape(e)}" for e in root.get("evidence", [])] + [""]
    lines += ["## Hypotheses", "", "| # | category | resource | confidence |", "|---|---|---|---|"]
    for i, h in enumerate(report["hypotheses"], 1):
        lines.append(f"| {i} | {h['category']} | {h['resource']['type']} {_md_escape(h['resource']['id'])} "
                     f"| {h['confidence']:.0%} |")
    lines += ["", "## Timeline", "", "| time (UTC) | kind | what |", "|---|---|---|"]
    for e in report["timeline"]:
        lines.append(f"| {e['time']} | {e['kind']} | {_md_escape(e['text'])} |")
    lines += _charts_section(report)
    lines += ["", "## Log patterns", "", "| id | count | before -> after /min | new | template |",
              "|---|---|---|---|---|"]
    for p in report["log_patterns"][:15]:
        lines.append(f"| {p.get('id', '')} | {p['count']} | {p.get('rate_before_per_min', 0):.2f} -> "
                     f"{p.get('rate_after_per_min', 0):.2f} | {'yes' if p.get('new') else ''} | "
                     f"`{_md_escape(p['template'][:140])}` |")
    if report.get("changes"):
        lines += ["", "## Changes", ""]
        lines += [f"- {c['time']} {c['event_name']} on `{c['resource_name']}`"
                  f"{' by ' + c['username'] if c.get('username') else ''}" for c in report["changes"]]
    lines += ["", "## Remediation scripts", "",
              "> Proposed for a human to review. aiops-bot never runs them; approval is only recorded.", ""]
    for s in report["scripts"]:
        approval = s.get("approval")
        state = f" - {approval['decision']} by {approval.get('user_name') or approval.get('user_id')}" if approval else ""
        lines += [f"### {s['title']} ({s['language']}, risk: {s['risk']}){state}", ""]
        if s.get("description"):
            lines += [s["description"], ""]
        lines += [f"**Risk:** {s['risk']}", ""]
        if s.get("changes"):
            lines += ["**What it changes:**", "", s["changes"], ""]
        if s.get("instructions"):
            lines += ["**How to run it yourself:**", "", s["instructions"], ""]
        fence = "bash" if s["language"] in ("bash", "aws-cli") else "python"
        lines += [f"```{fence}", s["body"].rstrip(), "```", f"sha256 `{s['sha256']}`", ""]
    bundle = report.get("evidence_bundle") or {}
    if bundle:
        lines += ["## Evidence bundle (re-run these)", ""]
        for q in bundle.get("log_queries", []):
            lines.append(f"- logs `{q.get('log_group')}` {q.get('start')} -> {q.get('end')} via {q.get('api')}"
                         f"{': `' + q['query'] + '`' if q.get('query') else ''}")
        for p in bundle.get("log_stream_probes", []):
            found = f"error {p['error']}" if p.get("error") else f"{p.get('streams', 0)} stream(s)"
            lines.append(f"- log streams `{p.get('log_group')}` prefix `{p.get('stream_prefix')}` "
                         f"via DescribeLogStreams: {found}")
        if bundle.get("metric_window"):
            w = bundle["metric_window"]
            lines.append(f"- GetMetricData {w.get('start')} -> {w.get('end')}, {w.get('series')} series")
        lines.append("")
    lines += _links_section(report.get("links") or {}, alarm)
    if report.get("warnings"):
        lines += ["## Warnings", ""] + [f"- {w}" for w in report["warnings"]] + [""]
    if report.get("degraded"):
        lines += ["## Degraded steps", ""] + [f"- {k}: {v}" for k, v in report["degraded"].items()] + [""]
    if report.get("redaction"):
        lines += [f"_redacted: {', '.join(f'{v} {k}' for k, v in report['redaction'].items())}_", ""]
    return "\n".join(lines)
