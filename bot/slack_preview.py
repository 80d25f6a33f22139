"""Terminal preview (rich) of the Slack messages the bot would post for a report: parent, thread, buttons."""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from handlers import blocks as ui

_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_EMOJI = {":white_check_mark:": "✅", ":x:": "❌", ":warning:": "⚠️", ":mag:": "🔎", ":rotating_light:": "🚨",
          ":hourglass_flowing_sand:": "⏳", ":heavy_minus_sign:": "➖", ":no_entry_sign:": "🚫",
          ":large_green_circle:": "🟢", ":large_yellow_circle:": "🟡", ":red_circle:": "🔴"}


def _plain(mrkdwn: str) -> str:
    """mrkdwn -> readable text: entities decoded, mentions shown as @id, zero-width spaces dropped."""
    text = _MENTION.sub(r"@\1", mrkdwn).replace("\u200b", "")
    for code, emoji in _EMOJI.items():
        text = text.replace(code, emoji)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def render_blocks(blocks: Iterable[Mapping[str, Any]], max_code_lines: int = 12) -> Group:
    parts: list[Any] = []
    code_shown = False
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            text = _plain(block["text"]["text"])
            if text.startswith("```") and code_shown:
                continue
            if text.startswith("```"):
                code_shown = True
                lines = text.strip("`").splitlines()
                shown = lines[:max_code_lines] + ([f"... ({len(lines) - max_code_lines} more lines)"]
                                                  if len(lines) > max_code_lines else [])
                parts.append(Text("\n".join(shown), style="dim cyan"))
            else:
                parts.append(Text(text))
        elif kind == "context":
            parts.append(Text(" · ".join(_plain(e.get("text", "")) for e in block["elements"]), style="dim"))
        elif kind == "actions":
            buttons = Text()
            for el in block["elements"]:
                style = {"primary": "bold white on green", "danger": "bold white on red"}.get(el.get("style"),
                                                                                          "bold on grey23")
                buttons.append(f" {el['text']['text']} ", style=style)
                buttons.append("  ")
            parts.append(buttons)
    return Group(*parts)


def print_slack_preview(report: Mapping[str, Any], console: Console | None = None, user_id: str = "U0ONCALL",
                        max_scripts: int = 3) -> None:
    """Print the parent message and its thread as the bot would post them for ``report``."""
    console = console or Console()
    inv_id, alarm = str(report["id"]), report["alarm"]["name"]
    console.rule("[bold]Slack preview[/] (what the bot posts in the incident channel)")
    parent = ui.investigation_parent(alarm, user_id, "complete", ui.esc(report.get("summary"), 1500))
    console.print(Panel(render_blocks(parent), title="#incident · aiops-bot", title_align="left",
                        border_style="magenta"))
    steps = [(name, (s or {}).get("status") or "ok", name) for name, s in (report.get("steps") or {}).items()]
    thread: list[tuple[str, list[dict]]] = [
        ("progress (edited in place)", [ui.section(ui.progress_text(steps))]),
        ("findings", ui.findings_blocks(report)),
        ("ranked hypotheses", ui.hypotheses_blocks(report)),
    ]
    scripts = list(report.get("scripts") or [])
    for script in scripts[:max_scripts]:
        thread.append((f"script {script['id']}", ui.script_blocks(inv_id, script)))
    for title, blocks in thread:
        console.print(Panel(render_blocks(blocks), title=f"  ↳ thread · {escape(title)}", title_align="left",
                            border_style="grey50", padding=(0, 1)))
    if len(scripts) > max_scripts:
        console.print(f"  ↳ [dim]... and {len(scripts) - max_scripts} more script messages, each with "
                      "Approve / Reject[/]")
    console.print("[dim]Approve / Reject only records who, when and the script's sha256; nothing is executed.[/]")
