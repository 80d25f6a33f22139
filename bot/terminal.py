"""Terminal rendering of a report with rich: what a person enjoys reading in a shell."""
from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.panel import Panel
from rich.table import Table

from analyzers.redaction import clip
from analyzers.report.md_text import printable


def escape(text: Any) -> str:
    """Untrusted text for rich: no markup and no control characters (a log line cannot drive the terminal)."""
    return escape_markup(printable(text))


RISK_STYLE = {"low": "green", "medium": "yellow", "high": "red"}


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    alarm, root = report["alarm"], report["root_cause"]
    console.print(Panel(escape(report["summary"]),
                        title=f"[bold]{escape(alarm['name'])}[/] ({alarm['region']}, {alarm.get('state')}) "
                              f"- {report['id']}", border_style="red" if alarm.get("state") == "ALARM" else "blue"))
    table = Table(title="Ranked hypotheses", show_lines=False)
    for col in ("#", "category", "resource", "confidence"):
        table.add_column(col)
    for i, h in enumerate(report["hypotheses"], 1):
        where = h["resource"].get("region")  # a dependency in another region says so
        elsewhere = f" ({where})" if where and where != alarm["region"] else ""
        table.add_row(str(i), h["category"], f"{h['resource']['type']} {escape(h['resource']['id'])}{elsewhere}",
                      f"{h['confidence']:.0%}")
    console.print(table)
    if root.get("evidence"):
        console.print("[bold]Evidence for the root cause[/]")
        for line in root["evidence"][:8]:
            console.print(f"  - {escape(line)}")
    if report.get("llm", {}).get("narrative"):
        console.print(Panel(escape(report["llm"]["narrative"]), title="Claude's reading"))
    tl = Table(title="Timeline (UTC)")
    tl.add_column("time")
    tl.add_column("kind")
    tl.add_column("what")
    for e in report["timeline"][:25]:
        tl.add_row(e["time"][11:19], e["kind"], escape(clip(e["text"], 110)))
    console.print(tl)
    pt = Table(title="Log patterns (new or surging first)")
    for col in ("id", "count", "/min before->after", "new", "template"):
        pt.add_column(col)
    for p in report["log_patterns"][:8]:
        pt.add_row(p.get("id", ""), str(p["count"]),
                   f"{p.get('rate_before_per_min', 0):.2f} -> {p.get('rate_after_per_min', 0):.2f}",
                   "yes" if p.get("new") else "", escape(clip(p["template"], 90)))
    console.print(pt)
    for s in report["scripts"]:
        style = RISK_STYLE.get(s["risk"], "white")
        console.print(Panel(escape(s.get("description") or s["title"]),
                            title=f"Script {escape(s['id'])} ({s['language']}) risk [{style}]{s['risk']}[/]",
                            subtitle=f"sha256 {s['sha256'][:16]}... - proposed only, never executed",
                            border_style=style))
    _print_links(report.get("links") or {}, console)
    for warning in report.get("warnings") or []:
        console.print(f"[yellow]Warning:[/] {escape(warning)}")
    if report.get("degraded"):
        degraded = "; ".join(f"{k}: {v}" for k, v in report["degraded"].items())
        console.print(f"[yellow]Degraded steps:[/] {escape(degraded)}")
    if report.get("redaction_receipt"):
        console.print(f"[dim]{escape(report['redaction_receipt'])}[/]")


def _print_links(links: dict[str, Any], console: Console) -> None:
    """Console deep links: short ones printed in full, long (metric graph, Logs Insights) as hyperlinks."""
    if not links:
        return
    console.print("[bold]AWS console[/]")
    if links.get("alarm"):
        console.print(f"  alarm: {escape(links['alarm'])}", soft_wrap=True)
    for ident, url in (links.get("resources") or {}).items():
        console.print(f"  resource {escape(ident)}: {escape(url)}", soft_wrap=True)
    for label, key in (("metric", "metrics"), ("logs", "log_groups")):
        for ident, url in (links.get(key) or {}).items():
            console.print(f"  {label} [link={url}]{escape(ident)}[/link] (open in the console)", soft_wrap=True)
    for ident, url in (links.get("changes") or {}).items():
        console.print(f"  change {escape(ident)}: {escape(url)}", soft_wrap=True)
