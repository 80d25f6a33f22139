"""A period's summary: incidents and investigations, their impact, root causes, scripts and approvals (pure).

Input is what the store returns (incident rows, investigation rows with their
report and approval rows); output is a JSON-ready dict and its Markdown (files,
terminal, Slack's ``markdown`` block). ``parse_period`` reads ``30m``, ``24h``, ``7d``, ``2w``.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from .model import iso
from .report.md_text import flat, inline

_PERIOD = re.compile(r"^\s*(\d{1,5})\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_PERIOD = timedelta(days=366)


class PeriodError(ValueError):
    """A ``--since`` value that is not ``<number><m|h|d|w>``."""


def parse_period(text: str) -> timedelta:
    """``30m`` / ``24h`` / ``7d`` / ``2w`` -> timedelta; anything else raises :class:`PeriodError`."""
    match = _PERIOD.match(str(text or ""))
    if not match or int(match.group(1)) == 0:
        raise PeriodError(f"unknown period {text!r}: use a number and m, h, d or w (e.g. 30m, 24h, 7d, 2w)")
    period = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    if period > MAX_PERIOD:
        raise PeriodError(f"period {text!r} is longer than {MAX_PERIOD.days} days")
    return period


def script_state(script_id: str, approvals: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The recorded decision on a script (first recorded wins), else pending."""
    for row in approvals:
        if row.get("script_id") == script_id and row.get("outcome") == "recorded":
            return {"state": "approved" if row.get("decision") == "approve" else "rejected",
                    "by": row.get("user_name") or row.get("user_id"), "at": row.get("decided_at")}
    return {"state": "pending", "by": None, "at": None}


def _impact(report: Mapping[str, Any]) -> str:
    alarm = report.get("alarm") or {}
    own = next((m for m in report.get("metrics") or [] if m.get("metric") == alarm.get("metric")
                and m.get("namespace") == alarm.get("namespace")), None)
    parts = []
    if own and own.get("max_after") is not None:
        base = f" (baseline median {own['median_before']:g})" if own.get("median_before") is not None else ""
        parts.append(f"{own['metric']} peaked at {own['max_after']:g} {own.get('stat') or ''}".rstrip() + base)
    if alarm.get("threshold") is not None:
        parts.append(f"alarm threshold {alarm['threshold']:g}")
    count = len(report.get("affected_resources") or [])
    parts.append(f"{count} affected resource{'s' if count != 1 else ''}")
    return "; ".join(parts)


def investigation_entry(row: Mapping[str, Any], report: Mapping[str, Any] | None,
                        approvals: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One investigation of the period: what happened, where, impact, root cause, actions and approvals."""
    entry: dict[str, Any] = {"id": row.get("id"), "created_at": row.get("created_at"), "status": row.get("status"),
                             "alarm": row.get("alarm_name") or row.get("alarm_ref"), "region": row.get("alarm_region"),
                             "what": row.get("summary"), "where": [], "impact": None, "root_cause": None,
                             "actions": [], "scripts": []}
    if not report:
        if row.get("root_category"):
            entry["root_cause"] = {"category": row["root_category"], "resource": row.get("root_resource"),
                                   "confidence": None}
        return entry
    root = report.get("root_cause") or {}
    resource = root.get("resource") or {}
    entry.update(
        what=report.get("summary") or entry["what"],
        region=(report.get("alarm") or {}).get("region") or entry["region"],
        where=[f"{r.get('type')} {r.get('id')}" for r in report.get("affected_resources") or []],
        impact=_impact(report), onset=(report.get("window") or {}).get("onset"),
        root_cause={"category": root.get("category"), "resource": f"{resource.get('type')} {resource.get('id')}"
                    if resource else None, "confidence": root.get("confidence")})
    for script in report.get("scripts") or []:
        if script.get("title") not in entry["actions"]:
            entry["actions"].append(script.get("title"))
        entry["scripts"].append({"id": script.get("id"), "title": script.get("title"),
                                 "language": script.get("language"), "risk": script.get("risk"),
                                 "sha256": script.get("sha256"), **script_state(script.get("id"), approvals)})
    return entry


def incident_entry(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"key": row.get("key"), "title": row.get("title"), "alarm": row.get("alarm_name"),
            "region": row.get("region"), "state": row.get("state"), "opened_at": row.get("opened_at"),
            "resolved_at": row.get("resolved_at"), "investigation_id": row.get("investigation_id")}


def build_summary(incidents: Sequence[Mapping[str, Any]], investigations: Sequence[Mapping[str, Any]],
                  since: datetime, until: datetime, period: str = "") -> dict[str, Any]:
    """``investigations`` items: ``{"row": store row, "report": dict | None, "approvals": [rows]}``."""
    inv = [investigation_entry(i["row"], i.get("report"), i.get("approvals") or []) for i in investigations]
    inc = [incident_entry(r) for r in incidents]
    scripts = [s for i in inv for s in i["scripts"]]
    categories: dict[str, int] = {}
    for i in inv:
        if i["root_cause"] and i["root_cause"].get("category"):
            categories[i["root_cause"]["category"]] = categories.get(i["root_cause"]["category"], 0) + 1
    return {
        "period": period, "since": iso(since), "until": iso(until),
        "totals": {"incidents": len(inc), "open_incidents": sum(1 for i in inc if not i["resolved_at"]),
                   "resolved_incidents": sum(1 for i in inc if i["resolved_at"]),
                   "investigations": len(inv), "scripts": len(scripts),
                   "approved": sum(1 for s in scripts if s["state"] == "approved"),
                   "rejected": sum(1 for s in scripts if s["state"] == "rejected"),
                   "pending": sum(1 for s in scripts if s["state"] == "pending")},
        "root_causes": dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))),
        "incidents": inc, "investigations": inv,
    }


def plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _clean(text: Any) -> str:
    """Untrusted text (alarm names, titles, log lines) as one inert line of Markdown."""
    return inline(text)


def render_summary_markdown(summary: Mapping[str, Any]) -> str:
    """Markdown for files and the terminal (and Slack's ``markdown`` block)."""
    t = summary["totals"]
    lines = [f"# aiops-bot summary: {summary['since']} → {summary['until']}", "",
             f"**{t['incidents']}** {plural(t['incidents'], 'incident')} ({t['open_incidents']} open, "
             f"{t['resolved_incidents']} resolved), **{t['investigations']}** "
             f"{plural(t['investigations'], 'investigation')}, **{t['scripts']}** {plural(t['scripts'], 'script')} "
             "proposed "
             f"({t['approved']} approved, {t['rejected']} rejected, {t['pending']} pending).", ""]
    if not t["incidents"] and not t["investigations"]:
        return "\n".join(lines + ["Nothing happened in this period.", ""])
    if summary.get("root_causes"):
        lines += ["Root causes: " + ", ".join(f"{k} x{v}" for k, v in summary["root_causes"].items()), ""]
    if summary["incidents"]:
        lines += ["## Incidents", "", "| opened (UTC) | state | region | title | investigation |", "|---|---|---|---|---|"]
        for i in summary["incidents"]:
            lines.append(f"| {_clean(i['opened_at'])[:19]} | {_clean(i['state'])} | {_clean(i['region'])} "
                         f"| {_clean(i['title'] or i['alarm'])} | {_clean(i['investigation_id'])} |")
        lines.append("")
    if summary["investigations"]:
        lines += ["## Investigations", ""]
    for i in summary["investigations"]:
        rc = i.get("root_cause") or {}
        conf = f" ({rc['confidence']:.0%})" if isinstance(rc.get("confidence"), (int, float)) else ""
        lines += [f"### {_clean(i['alarm'])} - {i['id']} ({i['status']}, {_clean(i['created_at'])[:19]})", ""]
        if i.get("what"):
            lines += [_clean(i["what"]), ""]
        lines.append(f"- where: {', '.join(i['where']) or 'unknown'} ({i.get('region') or '?'})")
        if i.get("impact"):
            lines.append(f"- impact: {_clean(i['impact'])}")
        if rc:
            lines.append(f"- root cause: {rc.get('category')} on {rc.get('resource')}{conf}")
        if i["actions"]:
            lines.append(f"- recommended: {'; '.join(_clean(a) for a in i['actions'])}")
        for s in i["scripts"]:
            who = f" by {s['by']} at {s['at']}" if s.get("by") else ""
            lines.append(f"- script `{_clean(s['id'])}`: {_clean(s['title'])} ({s.get('language')}, risk {s['risk']})"
                         f" - **{s['state']}**{who}")
        lines.append("")
    return "\n".join(lines)


def render_summary_table(summary: Mapping[str, Any]) -> list[list[Any]]:
    """Rows for a terminal table: one per investigation."""
    rows = []
    for i in summary["investigations"]:
        rc = i.get("root_cause") or {}
        states = [s["state"] for s in i["scripts"]]
        rows.append([i["id"], flat(i["created_at"])[:19].replace("T", " "), flat(i["alarm"]), i["status"],
                     rc.get("category") or "", flat(rc.get("resource") or ""),
                     f"{len(states)} ({states.count('approved')} approved, {states.count('pending')} pending)"])
    return rows


__all__ = ["parse_period", "PeriodError", "build_summary", "render_summary_markdown", "render_summary_table",
           "script_state", "investigation_entry", "incident_entry"]
