"""Block Kit builders (pure functions returning dicts) and mrkdwn escaping of untrusted text."""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from analyzers.report.md_text import BIDI, flat

APPROVE, REJECT = "approve_script", "reject_script"
ALERT_INVESTIGATE, ALERT_SNOOZE, ALERT_MUTE = "alert_investigate", "alert_snooze", "alert_mute"
ALERT_UNMUTE = "alert_unmute"
ACTION_IDS = (APPROVE, REJECT, ALERT_INVESTIGATE, ALERT_SNOOZE, ALERT_MUTE, ALERT_UNMUTE)
SECTION_LIMIT = 2900
MAX_CODE_SECTIONS = 12
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_NO_EMPHASIS = str.maketrans({"*": "\u2217", "~": "\u223c"})  # look-alikes of mrkdwn markers
_BIDI = re.compile(f"[{BIDI}\x1b]")  # text-direction overrides, terminal escapes
STEP_MARK = {"started": ":hourglass_flowing_sand:", "ok": ":white_check_mark:", "resumed": ":white_check_mark:",
             "skipped": ":heavy_minus_sign:", "degraded": ":warning:", "failed": ":x:"}
RISK_MARK = {"low": ":large_green_circle:", "medium": ":large_yellow_circle:", "high": ":red_circle:"}


def esc(text: Any, limit: int | None = None) -> str:
    """Escape untrusted text for mrkdwn: & < > (so no <!here>, <@U..> or links) and defuse @channel/@here."""
    value = "" if text is None else str(text)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    value = _BIDI.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@\u200b" + m.group(1), value)


def esc_line(text: Any, limit: int | None = None) -> str:
    """`esc` of untrusted text as one line: a newline in a log line or a CloudTrail field cannot start a line
    of its own in the message (a fake list item, heading or command)."""
    return esc(flat(text), limit)


def tick(text: Any, limit: int | None = None) -> str:
    """Untrusted text as inline code: one line, and a backtick in it cannot close the code span."""
    return "`" + esc_line(text, limit).replace("`", "\u02cb") + "`"


def internal_error(error_id: str) -> str:
    """What a user sees when a listener fails: an error id to quote, never a stack trace."""
    return f":warning: Something went wrong on our side (error id `{error_id}`). The details are in the bot's log."


def clip_lines(text: str, limit: int, where_all: str) -> str:
    """``text`` cut at a line boundary to fit ``limit`` characters, with a last line saying how many lines
    were cut and ``where_all`` (where to read everything)."""
    if len(text) <= limit:
        return text
    room = max(limit - len(where_all) - 40, 0)
    cut = text.rfind("\n", 0, room)
    kept = text[: cut if cut > 0 else room]
    dropped = text[len(kept):].strip("\n").count("\n") + 1
    return f"{kept}\n\n_{dropped} more line(s) not shown: {where_all}_"


def code(text: str) -> str:
    return "```" + esc(text).replace("```", "`\u200b``") + "```"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def markdown(text: str) -> dict:
    """Slack's ``markdown`` block: standard Markdown (headings, **bold**, tables), translated by Slack."""
    return {"type": "markdown", "text": text[:12000]}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t[:3000]} for t in texts[:10]]}


def button(text: str, action_id: str, value: str, style: str | None = None, confirm: dict | None = None) -> dict:
    out: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": text[:75]},
                           "action_id": action_id, "value": value[:2000]}
    if style:
        out["style"] = style
    if confirm:
        out["confirm"] = confirm
    return out


def actions(block_id: str, *elements: dict) -> dict:
    return {"type": "actions", "block_id": block_id, "elements": list(elements)}


def chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    """Split on line boundaries into pieces of at most ``size`` characters (long lines are cut)."""
    out: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > size:
            line, rest = line[:size], line[size:]
            if current:
                out.append(current)
                current = ""
            out.append(line)
            line = rest
        if len(current) + len(line) > size:
            out.append(current)
            current = ""
        current += line
    if current:
        out.append(current)
    return out or [""]


def _code_parts(body: str, size: int = 2400) -> list[str]:
    """Code blocks that each fit a section once escaped (entities make text longer)."""
    out: list[str] = []
    for part in chunks(body, size):
        rendered = code(part)
        if len(rendered) > 3000 and size > 200:
            out += _code_parts(part, size // 2)
        else:
            out.append(rendered)
    return out


# Investigations -----------------------------------------------------------------------------
def investigation_parent(alarm: str, user_id: str | None, status: str, detail: str = "") -> list[dict]:
    who = f" requested by <@{user_id}>" if user_id else ""
    icon = {"running": ":mag:", "complete": ":white_check_mark:", "failed": ":x:",
            "interrupted": ":double_vertical_bar:"}.get(status, ":mag:")
    blocks = [section(f"{icon} *Investigation of {tick(alarm, 200)}*{who} — {status}")]
    if detail:
        blocks.append(section(detail))
    blocks.append(context("Progress, findings, ranked hypotheses and proposed scripts are in the thread."))
    return blocks


def progress_text(steps: Sequence[tuple[str, str, str]]) -> str:
    """``steps``: (step, status, label) in order; the last status of each step wins."""
    lines = [f"{STEP_MARK.get(status, '•')} {esc(label)}{'…' if status == 'started' else ''}"
             for _, status, label in steps]
    return "*Progress*\n" + "\n".join(lines)


def findings_blocks(report: Mapping[str, Any]) -> list[dict]:
    root = report.get("root_cause") or {}
    blocks = [section(f"*Summary*\n{esc_line(report.get('summary'), 1500)}")]
    evidence = [f"• {esc_line(line, 300)}" for line in (root.get("evidence") or [])[:6]]
    if evidence:
        blocks.append(section("*Evidence for the root cause*\n" + "\n".join(evidence)))
    patterns = [p for p in report.get("log_patterns") or [] if p.get("new")][:4]
    if patterns:
        lines = [f"• {p.get('count')}× {tick(p.get('template'), 200)}" for p in patterns]
        blocks.append(section("*New log patterns*\n" + "\n".join(lines)))
    changes = sorted(report.get("changes") or [], key=lambda c: str(c.get("time") or ""))
    if changes:  # the newest (nearest the onset: the likely triggers), oldest of them first
        lines = [f"• {esc_line(c.get('time'))} {esc_line(c.get('event_name'))} on {esc_line(c.get('resource_name'))} "
                 f"by {esc_line(c.get('username'))}" for c in changes[-4:]]
        if len(changes) > 4:
            lines.insert(0, f"_{len(changes) - 4} earlier change(s) are in the report_")
        blocks.append(section("*Recent changes*\n" + "\n".join(lines)))
    narrative = (report.get("llm") or {}).get("narrative")
    if narrative:
        text = esc(narrative, 2500).replace("```", "`\u200b``")  # Claude's words are shown, never as code to copy
        blocks.append(section(f"*Claude's reading*\n{text}"))
    for warning in (report.get("warnings") or [])[:3]:
        blocks.append(context(f":warning: {esc_line(warning, 500)}"))
    degraded = {k: v for k, v in (report.get("degraded") or {}).items() if v}
    if degraded:
        blocks.append(context(":warning: Degraded steps: " + esc_line("; ".join(f"{k}: {v}" for k, v in
                                                                          degraded.items()), 1500)))
    return blocks


def hypotheses_blocks(report: Mapping[str, Any]) -> list[dict]:
    lines = []
    home = (report.get("alarm") or {}).get("region")
    for i, h in enumerate((report.get("hypotheses") or [])[:5], 1):
        res = h.get("resource") or {}
        elsewhere = f" in {esc_line(res['region'])}" if res.get("region") and res.get("region") != home else ""
        lines.append(f"{i}. *{esc_line(h.get('category', '')).replace('_', ' ')}* on {esc_line(res.get('type'))} "
                     f"{tick(res.get('id'), 120)}{elsewhere} — {float(h.get('confidence', 0)):.0%}")
    return [section("*Ranked hypotheses*\n" + ("\n".join(lines) or "none"))]


def _verdict(decision: Mapping[str, Any]) -> str:
    return "approved" if decision.get("decision") == "approve" else "rejected"


def script_blocks(inv_id: str, script: Mapping[str, Any], decision: Mapping[str, Any] | None = None) -> list[dict]:
    sid, sha = str(script.get("id") or script.get("script_id")), str(script.get("sha256", ""))
    risk = str(script.get("risk", ""))
    head = (f"*Script {tick(sid, 100)}* — {esc_line(script.get('title'), 200)}\n"
            f"{RISK_MARK.get(risk, '')} risk *{esc(risk)}* · {esc(script.get('language'))} · sha256 `{sha[:16]}…`")
    if script.get("description"):
        head += f"\n{esc(script['description'], 1000)}"
    blocks = [section(head)]
    parts = _code_parts(str(script.get("body", "")))
    blocks += [section(p) for p in parts[:MAX_CODE_SECTIONS]]
    if len(parts) > MAX_CODE_SECTIONS:
        blocks.append(context(f"Script truncated here; full text: `aiops-bot report {esc(inv_id)}`"))
    if decision:
        verb = _verdict(decision).capitalize()
        icon = ":white_check_mark:" if verb == "Approved" else ":no_entry_sign:"
        blocks.append(context(f"{icon} {verb} by <@{esc(decision.get('user_id'))}> — recorded only, not executed "
                              f"· {esc(decision.get('decided_at', ''))[:19]} UTC"))
        return blocks
    value = f"{inv_id}|{sid}"
    confirm = {"title": {"type": "plain_text", "text": "Record approval?"},
               "text": {"type": "mrkdwn", "text": f"Approve script `{esc(sid, 100)}` (sha256 `{sha[:16]}…`). "
                                                  "The bot records your decision; it never runs the script."},
               "confirm": {"type": "plain_text", "text": "Approve"}, "deny": {"type": "plain_text", "text": "Cancel"}}
    blocks.append(context("Proposed only. Approving records who/when/sha256; nothing is executed by the bot."))
    blocks.append(actions("script_decision", button("Approve", APPROVE, value, "primary", confirm),
                          button("Reject", REJECT, value, "danger")))
    return blocks


def decision_note(decision: Mapping[str, Any] | None) -> str:
    """A script's state in a list: undecided, or approved/rejected by whom and when (recorded only)."""
    if not decision:
        return "awaiting a decision"
    return (f"{_verdict(decision)} by <@{esc(decision.get('user_id'))}> at "
            f"{esc(decision.get('decided_at', ''))[:16]} UTC")


def script_text(script: Mapping[str, Any], decision: Mapping[str, Any] | None = None) -> str:
    sid = script.get("id") or script.get("script_id")
    if decision:
        return (f"Script {esc(sid)}: {_verdict(decision).capitalize()} by {esc(decision.get('user_name'))} — "
                "recorded only, not executed")
    return f"Proposed script {esc(sid)}: {esc(script.get('title'))}"


# Incidents (proactive alerts) ------------------------------------------------------------------
def _alert_title(row: Mapping[str, Any], resolved: bool) -> str:
    """The incident's title; once resolved, an alarm's "in ALARM" is told in the past."""
    title = str(row.get("title") or "")
    return title.replace(" in ALARM", " was in ALARM", 1) if resolved else title


def alert_parent(row: Mapping[str, Any]) -> list[dict]:
    resolved = row.get("state") == "resolved" or bool(row.get("resolved_at"))
    icon = ":white_check_mark:" if resolved else ":rotating_light:"
    status = f"resolved {str(row.get('resolved_at') or '')[:19]} UTC" if resolved else f"{esc(row.get('state'))}"
    title = esc_line(_alert_title(row, resolved), 250).translate(_NO_EMPHASIS)  # a * or ~ in a name cannot
    blocks = [section(f"{icon} *{title}* ({esc_line(row.get('region'))}) — {status}")]  # end the bold early
    notes = [f"key {tick(row.get('key'), 200)} · opened {esc(row.get('opened_at', ''))[:19]} UTC"]
    by = f" by <@{esc(row['silenced_by'], 40)}>" if row.get("silenced_by") else ""
    silenced = bool(row.get("muted") or row.get("snoozed_until"))
    if row.get("muted"):
        notes.append(f":mute: muted{by}")
    elif row.get("snoozed_until"):
        notes.append(f":zzz: snoozed until {esc(row['snoozed_until'])[:16]}{by}")
    if row.get("investigation_id"):
        notes.append(f"investigation `{esc(row['investigation_id'])}`")
    blocks.append(context(*notes))
    if not resolved:
        key = str(row.get("key"))
        quiet = button("Unmute", ALERT_UNMUTE, key) if silenced else button("Mute", ALERT_MUTE, key)
        blocks.append(actions("alert_actions", button("Investigate", ALERT_INVESTIGATE, key, "primary"),
                              button("Snooze 1h", ALERT_SNOOZE, key), quiet))
    return blocks


def alert_text(row: Mapping[str, Any]) -> str:
    resolved = row.get("state") == "resolved" or bool(row.get("resolved_at"))
    state = "resolved" if resolved else row.get("state")
    return f"Incident {esc_line(_alert_title(row, resolved))} ({esc_line(row.get('region'))}): {esc(state)}"


def alert_details(details: Iterable[str], signals: Iterable[Mapping[str, Any]], limit: int = 12,
                  heading: str = "Details") -> list[dict]:
    """The incident's signals, one line each (the first `limit`, then how many more); its `details` (one line per
    signal, so the same facts) only when it has no signals."""
    items = list(signals)
    lines = [f"• {esc(s.get('kind'))}: {esc_line(s.get('metric') or '')} {esc_line(s.get('text'), 300)}"
             for s in items[:limit]]
    if not items:
        items = list(details)
        lines = [f"• {esc_line(d, 400)}" for d in items[:limit]]
    if len(items) > limit:
        lines.append(f"• … and {len(items) - limit} more signals")
    return [section(f"*{heading}*\n" + ("\n".join(lines) or "no details"))]


def action_ids_in(blocks: Iterable[Mapping[str, Any]]) -> set[str]:
    return {el["action_id"] for b in blocks if b.get("type") == "actions" for el in b.get("elements", [])}
