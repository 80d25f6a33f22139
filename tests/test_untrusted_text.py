"""Untrusted text (log lines, CloudTrail fields, Claude's words) stays inert in every rendering:
Markdown reports, the Markdown summary, Slack blocks and the terminal."""
from __future__ import annotations

import dataclasses
import io

from rich.console import Console

from analyzers.report import build_report, render_markdown
from analyzers.report.md_text import code_span, fence, inline, prose
from analyzers.summary import render_summary_markdown
from bot.terminal import print_report
from handlers import blocks as ui
from tests.test_reports import make_input

HOSTILE_USER = "dev\n```bash\naws iam delete-role --role-name prod-admin\n```"
HOSTILE_LOG = "ERROR email=` ![t](https://evil.example/b.png) [reset](https://evil.example/login) <img src=x> # h"


def _hostile_report() -> dict:
    base = make_input()
    change = dataclasses.replace(base.changes[0], username=HOSTILE_USER)
    pattern = dataclasses.replace(base.patterns[0], template=HOSTILE_LOG)
    hypotheses = (dataclasses.replace(base.hypotheses[0], evidence=(f"[c1] change by {HOSTILE_USER}",
                                                                    f"[l1] {HOSTILE_LOG}")),
                  base.hypotheses[1])
    report = build_report(dataclasses.replace(base, changes=[change], patterns=[pattern], hypotheses=hypotheses))
    report["llm"] = {"narrative": "**Deploy** broke it.\n```bash\nrm -rf /\n```\nSee [docs](https://evil.example) "
                                  "<script>x</script> ![i](https://evil.example/i.png)"}
    return report


def test_inline_text_cannot_open_links_images_html_code_or_headings():
    # GIVEN a hostile log line WHEN it is made inline Markdown
    text = inline("# " + HOSTILE_LOG + "\nsecond line")
    # THEN it is one line whose metacharacters are all escaped
    assert "\n" not in text
    assert text.startswith("\\# ")
    assert "!\\[t\\](https://evil.example/b.png)" in text and "\\[reset\\]" in text and "\\<img src=x>" in text
    assert "\\`" in text
    # AND an arrow stays readable
    assert inline("0 -> 42") == "0 -> 42"


def test_code_spans_and_fences_outlast_the_backticks_inside():
    assert code_span("a``b") == "```a``b```"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span("a|b", in_table=True) == "`a\\|b`"
    assert fence("echo ````", "bash") == ["`````bash", "echo ````", "`````"]


def test_prose_keeps_formatting_but_not_links_html_fences_or_quotes():
    text = prose("**bold** and _it_\n```bash\nrm\n```\n> quoted\n[x](https://e) <b>")
    assert "**bold** and _it_" in text
    assert "\n\\```bash\n" in text and "\n\\> quoted\n" in text
    assert "\\[x\\](https://e) \\<b>" in text


def test_markdown_report_keeps_hostile_fields_on_their_line():
    # GIVEN a report whose CloudTrail user name, log pattern, evidence and narrative are hostile
    md = render_markdown(_hostile_report())
    # WHEN it is read line by line
    lines = md.split("\n")
    # THEN before the scripts (the only real code blocks) no line opens a fence or a heading of the data's
    before_scripts = md[: md.index("## Remediation scripts")].split("\n")
    assert not any(line.startswith(("```", "# ", "## aws")) and "Investigation" not in line
                   for line in before_scripts), before_scripts
    assert not any(line.startswith("aws iam") for line in lines)
    # AND no link, image or HTML of the data is live
    outside_code = "\n".join(line for line in lines if not line.startswith("| l1 |"))  # there: in a code span
    assert "](https://evil.example" not in outside_code.replace("\\](https://evil.example", "")
    assert "<img" not in outside_code.replace("\\<img", "")
    assert "<script>" not in outside_code.replace("\\<script>", "")
    # AND the narrative keeps its emphasis but its fence is inert
    assert "**Deploy** broke it." in md and "\n\\```bash\nrm -rf /\n\\```\n" in md
    # AND the change is one list item naming the user
    change_lines = [line for line in lines if line.startswith("- ") and "UpdateFunctionCode" in line]
    assert len(change_lines) == 1 and "by dev \\`\\`\\`bash aws iam delete-role" in change_lines[0]


def test_script_body_with_backticks_keeps_its_fence():
    # GIVEN a script whose body holds a run of backticks (e.g. from a resource name in a comment)
    report = build_report(make_input())
    report["scripts"][0]["body"] = "#!/usr/bin/env bash\n# name: ```\necho ok\n"
    # WHEN rendered THEN the fence is longer than the run, so the body cannot close it
    md = render_markdown(report)
    assert "````bash\n#!/usr/bin/env bash\n# name: ```\necho ok\n````" in md


def test_summary_markdown_escapes_titles_and_actions():
    # GIVEN a summary whose incident title and investigation text are hostile
    summary = {"since": "s", "until": "u", "root_causes": {},
               "totals": {"incidents": 1, "open_incidents": 1, "resolved_incidents": 0, "investigations": 0,
                          "scripts": 0, "approved": 0, "rejected": 0, "pending": 0},
               "incidents": [{"opened_at": "2026-01-01T00:00:00", "state": "open", "region": "us-east-1",
                              "title": "x\n# [click](https://evil.example)", "alarm": "a", "investigation_id": ""}],
               "investigations": []}
    # WHEN rendered THEN the title stays in its table cell with its link inert
    md = render_summary_markdown(summary)
    row = next(line for line in md.split("\n") if line.startswith("| 2026"))
    assert "x \\# \\[click\\](https://evil.example)" in row


def test_slack_findings_keep_hostile_fields_on_one_line():
    # GIVEN the hostile report WHEN its findings are built for Slack
    report = _hostile_report()
    text = "\n".join(b["text"]["text"] for b in ui.findings_blocks(report) if b.get("type") == "section")
    # THEN the injected command never starts a line of its own, and no code span is closed early
    assert not any(line.lstrip().startswith(("aws ", "```")) for line in text.split("\n"))
    patterns = next(b["text"]["text"] for b in ui.findings_blocks(report) if "New log patterns" in b["text"]["text"])
    assert patterns.count("`") == 2  # the template's own backtick is shown as ˋ
    assert "&lt;img" in patterns


def test_terminal_report_drops_control_sequences():
    # GIVEN a report whose log pattern carries terminal escape sequences
    report = build_report(make_input())
    report["log_patterns"][0]["template"] = "boom \x1b[2J\x1b]0;owned\x07 end"
    report["summary"] = "clear \x1b[2J screen"
    out = io.StringIO()
    # WHEN printed to a terminal
    print_report(report, Console(file=out, force_terminal=True, width=200))
    # THEN no escape sequence from the data reaches it (rich's own styling codes are all "ESC [ ... m")
    printed = out.getvalue()
    assert "\x07" not in printed and "\x1b]" not in printed and "\x1b[2J" not in printed
    assert "owned" in printed and "screen" in printed


def test_direction_overrides_and_narrative_headings_and_tables_are_inert():
    # GIVEN Claude's text with a heading, a table row and a right-to-left override
    text = prose("# PWNED\n| a | b |\nsafe \u202etxt.exe")
    # THEN none of them renders as structure or reorders the text
    assert text == "\\# PWNED\n\\| a \\| b \\|\nsafe  txt.exe"
    assert inline("x\u202ey") == "x y"
