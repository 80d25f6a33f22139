"""A bot restart in the middle of investigations: shutdown interrupts them at a step boundary, the next start
resumes them in their Slack threads, SIGTERM stops `serve` like Ctrl-C."""
from __future__ import annotations

import argparse
import os
from datetime import datetime, timedelta, timezone
import signal
import threading
from pathlib import Path

import pytest

from bot.engine import InvestigationInterrupted
from bot.slack_cli import run_serve
from bot.slack_restarts import resume_clock
from bot.store import Store
from bot.wiring import build_runtime
from tests.stubs import SlackApiStub
from tests.test_slack_support import (CHANNEL, SECRET, CannedInvestigator, blocks_text, command_body,  # noqa: F401
                                      config, dispatch, make_stack, slack, write_scenario)


@pytest.fixture
def runtime(tmp_path: Path):
    """A bot process whose sandbox was loaded five minutes ago (a restart then comes in another minute)."""
    started = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=5)
    runtime = build_runtime(scenario=write_scenario(tmp_path / "scenario.yaml"), db_path=tmp_path / "aiops.db",
                            config=config(), env={}, scenario_loaded_at=started)
    yield runtime
    runtime.close()


def _parent_updates(slack: SlackApiStub, parent_ts: str) -> list[str]:
    return [blocks_text(c.params["blocks"]) for c in slack.calls("chat.update") if c.params["ts"] == parent_ts]


def test_shutdown_interrupts_at_a_step_boundary_and_the_next_start_resumes_in_the_same_thread(slack, runtime):
    # GIVEN a Slack investigation whose metrics step is still running when the bot is stopped
    app, service = make_stack(slack, runtime.store, runtime.investigator)
    gate, inside = threading.Event(), threading.Event()
    original = runtime.investigator._step_metrics
    runtime.investigator._step_metrics = lambda ctx: (inside.set(), gate.wait(10), original(ctx))[2]
    dispatch(app, command_body("investigate checkout-api-errors 1h", slack.response_url("cmd")))
    assert inside.wait(10)
    inv_id = runtime.store.list_investigations(1)[0]["id"]
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # WHEN the bot shuts down (the step ends only after the stop was asked)
    threading.Timer(0.2, gate.set).start()
    service.shutdown(wait=5)
    # THEN the run is interrupted, the step that ran during the stop is not kept, and the thread says so
    record = runtime.store.get_investigation(inv_id)
    assert record["status"] == "interrupted"
    assert set(runtime.store.get_steps(inv_id)) == {"alarm", "resources"}
    assert "interrupted by a bot restart" in _parent_updates(slack, parent_ts)[-1]
    assert record["params"]["scenario"].endswith("scenario.yaml")  # a CLI --resume finds the same sandbox
    assert record["params"]["slack"]["parent_ts"] == parent_ts
    # WHEN a new bot process starts on the same database and scenario (its sandbox on the clock serve picks)
    scenario = record["params"]["scenario"]
    runtime.close()
    clock = resume_clock(Store.for_reading(runtime.store.path), scenario)
    again = build_runtime(scenario=scenario, db_path=runtime.store.path, config=config(), env={},
                          scenario_loaded_at=clock)
    app2, service2 = make_stack(slack, again.store, again.investigator)
    try:
        assert service2.resume_interrupted() == [inv_id]
        assert service2.wait_idle(60)
    finally:
        service2.shutdown()
        again.close()
    # THEN it finishes from the first unfinished step, in the original thread, and the parent says complete
    record = again.store.get_investigation(inv_id)
    assert record["status"] == "complete" and record["report"]["root_cause"]["category"] == "bad_deployment"
    later = [p for p in slack.messages(CHANNEL) if p.get("thread_ts") == parent_ts]
    assert any("Ranked hypotheses" in blocks_text(p.get("blocks")) for p in later)
    assert len([p for p in later if "Progress" in (p.get("text") or "")]) == 1  # the resumed run edits it
    updates = _parent_updates(slack, parent_ts)
    assert any("resumed after a restart" in u for u in updates) and "complete" in updates[-1]


def test_start_up_resumes_runs_of_a_dead_process_but_not_of_a_live_one(slack, tmp_path):
    # GIVEN two Slack investigations left "running": one by a process that is gone (our own pid: a restarted
    # container reuses it), one by a process still alive (our parent), and one interrupted run from the CLI
    store = Store(tmp_path / "aiops.db")
    app, service = make_stack(slack, store, CannedInvestigator(store))
    host = os.uname().nodename
    for inv_id, pid, where in (("inv-dead", os.getpid(), True), ("inv-live", os.getppid(), True),
                               ("inv-cli", os.getpid(), False)):
        params = {"owner": {"host": host, "pid": pid}}
        if where:
            params["slack"] = {"channel": CHANNEL, "thread_ts": f"17.{pid}", "parent_ts": f"17.{pid}",
                               "user_id": "U0ASKER"}
        store.create_investigation(inv_id, f"alarm-{inv_id}", params)
    store.update_investigation("inv-cli", status="interrupted")
    try:
        # WHEN the bot starts
        resumed = service.resume_interrupted()
        assert service.wait_idle(30)
    finally:
        service.shutdown()
    # THEN only the dead process's Slack run is resumed, in its thread
    assert resumed == ["inv-dead"]
    assert store.get_investigation("inv-live")["status"] == "running"
    assert store.get_investigation("inv-cli")["status"] == "interrupted"
    assert all(p.get("thread_ts") == f"17.{os.getpid()}" for p in slack.messages(CHANNEL))


def test_the_engine_stops_before_the_next_step_and_keeps_what_is_done(runtime):
    # GIVEN an investigation asked to stop once its alarm step is done
    from bot.engine import InvestigationRequest
    inv_id = runtime.investigator.start(InvestigationRequest("checkout-api-errors", 1))
    seen: list[str] = []
    # WHEN it runs
    with pytest.raises(InvestigationInterrupted):
        runtime.investigator.run(inv_id, lambda step, status, _: seen.append(f"{step}:{status}"),
                                 should_stop=lambda: "alarm:ok" in seen)
    # THEN it is interrupted after the alarm step, and a resume finishes it without redoing that step
    assert runtime.store.get_investigation(inv_id)["status"] == "interrupted"
    assert set(runtime.store.get_steps(inv_id)) == {"alarm"}
    seen.clear()
    report = runtime.investigator.run(inv_id, lambda step, status, _: seen.append(f"{step}:{status}"))
    assert "alarm:resumed" in seen and report["root_cause"]["category"] == "bad_deployment"


def test_sigterm_stops_serve_like_ctrl_c(tmp_path: Path):
    # GIVEN `serve --http` running in the main thread
    cfg = tmp_path / "config.yaml"
    cfg.write_text("llm:\n  provider: none\n")
    with SlackApiStub() as stub:
        env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_BASE_URL": stub.base_url}
        args = argparse.Namespace(http=True, host="127.0.0.1", port=0, health_port=None, config=str(cfg),
                                  db=str(tmp_path / "aiops.db"), scenario=None, watch=False, channel=None)
        before = signal.getsignal(signal.SIGTERM)
        # WHEN it receives SIGTERM (docker stop, systemd)
        code = run_serve(args, env, on_ready=lambda stack: os.kill(os.getpid(), signal.SIGTERM))
    # THEN it stops cleanly with exit 0 and puts the previous handler back
    assert code == 0 and signal.getsignal(signal.SIGTERM) == before


def test_a_restarted_watching_serve_edits_the_open_alerts_instead_of_posting_them_again(slack, tmp_path: Path,
                                                                                     monkeypatch):
    # GIVEN `serve --http --watch --scenario` whose first poll posted the alarm's incident
    from bot.alerts import default_poller
    from bot.slack_cli import build_stack

    cfg = tmp_path / "config.yaml"
    cfg.write_text("llm:\n  provider: none\n")
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_BASE_URL": slack.base_url}
    args = argparse.Namespace(http=True, host="127.0.0.1", port=0, health_port=None, config=str(cfg),
                              db=str(tmp_path / "aiops.db"), scenario=str(write_scenario(tmp_path / "scenario.yaml")),
                              watch=True, channel=CHANNEL)

    def poll_once() -> tuple[datetime, list[str]]:
        stack = build_stack(args, env)
        try:
            stack.service.alerts.sync(default_poller(stack.runtime)())  # the scheduler's job, run once
            return stack.runtime.sandbox.scenario.loaded_at, [c.params.get("text", "") for c in
                                                             slack.calls("chat.postMessage")]
        finally:
            stack.close()

    import bot.slack_restarts
    earlier = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=7)
    with monkeypatch.context() as patch:  # the first process started seven minutes ago
        patch.setattr(bot.slack_restarts, "resume_clock", lambda *_: earlier)
        first_clock, posted = poll_once()
    parents = [t for t in posted if t.startswith("Incident")]
    assert len(parents) == 1
    # WHEN the process restarts (a new clock would shift every alarm's state time, and so the incident keys)
    second_clock, posted_after = poll_once()
    # THEN the sandbox is loaded on the first process's clock and nothing is posted again
    assert second_clock == first_clock
    assert [t for t in posted_after if t.startswith("Incident")] == parents
