"""The progress message of an investigation: few edits, the last state always shown, failures harmless."""
from __future__ import annotations

from typing import Any

from bot.slack_progress import ProgressMessage


class Recorder:
    def __init__(self, fail: bool = False):
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def post(self, channel: str, text: str, blocks: Any = None, thread_ts: str | None = None) -> str:
        self.calls.append(("post", text))
        return "1.000"

    def update(self, channel: str, ts: str, text: str, blocks: Any = None) -> None:
        if self.fail:
            raise RuntimeError("ratelimited")
        self.calls.append(("update", text))


def test_a_fast_run_is_shown_in_one_post_and_one_final_edit():
    # GIVEN a clock that does not move (every step within the edit interval)
    poster = Recorder()
    shown = ProgressMessage(poster, "C1", "1.0", "inv-1", clock=lambda: 100.0)
    # WHEN nine steps start and finish, then the run ends
    for step in ("alarm", "resources", "metrics", "changes", "logs", "analysis", "llm", "scripts", "report"):
        shown.step(step, "started", f"doing {step}")
        shown.step(step, "ok", f"doing {step}")
    shown.flush()
    # THEN the message is posted once and edited once, to the final state
    assert [kind for kind, _ in poster.calls] == ["post", "update"]
    assert "doing report" in poster.calls[-1][1] and "…" not in poster.calls[-1][1]


def test_a_slow_run_is_edited_at_most_every_interval():
    now = [0.0]
    poster = Recorder()
    shown = ProgressMessage(poster, "C1", "1.0", "inv-1", clock=lambda: now[0], edit_seconds=2.0)
    # WHEN a step event comes every half second for ten seconds
    for i in range(20):
        shown.step(f"s{i}", "started", f"step {i}")
        now[0] += 0.5
    # THEN there is one post and an edit at most every two seconds
    assert len(poster.calls) <= 1 + 10 / 2


def test_a_failing_edit_is_logged_in_one_line_and_does_not_raise(caplog):
    poster = Recorder(fail=True)
    shown = ProgressMessage(poster, "C1", "1.0", "inv-1", clock=lambda: 0.0)
    shown.step("alarm", "started", "reading the alarm")
    shown.step("alarm", "ok", "reading the alarm")
    shown.flush()  # the edit fails
    assert "progress message of inv-1 not updated (RuntimeError: ratelimited)" in caplog.text
    assert "Traceback" not in caplog.text


def test_while_the_bot_stops_nothing_is_sent_and_a_resumed_run_edits_its_old_message():
    poster, stopping = Recorder(), [False]
    posted: list[str] = []
    # GIVEN the progress of a run resumed with its earlier message (ts 9.9)
    shown = ProgressMessage(poster, "C1", "1.0", "inv-1", clock=lambda: 0.0, quiet=lambda: stopping[0], ts="9.9",
                            on_posted=posted.append)
    shown.step("alarm", "resumed", "reading the alarm")
    # THEN it edits that message instead of posting a new one
    assert [kind for kind, _ in poster.calls] == ["update"] and posted == []
    # WHEN the bot starts stopping THEN no more Slack calls are made (they could outlast the grace period)
    stopping[0] = True
    shown.step("metrics", "started", "reading metrics")
    shown.flush()
    assert len(poster.calls) == 1
