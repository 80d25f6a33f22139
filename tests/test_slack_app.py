"""The Slack app through Bolt's real request path (signed requests -> app.dispatch) against the Slack API stub."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import yaml

from bot.wiring import build_runtime
from handlers import ACTIONS, COMMANDS, EVENTS
from handlers import blocks as ui
from tests.stubs import wait_for
from tests.test_slack_support import (APPROVER, CHANNEL, GROUP_MEMBER, STRANGER, action_body, blocks_text,  # noqa: F401
                                      canned, canned_report, command_body, config, dispatch, make_stack,
                                      seed_scripts, slack, write_scenario)

MANIFEST = Path(__file__).resolve().parents[1] / "manifest.yml"


@pytest.fixture(scope="module")
def sandbox_runtime(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("slack-sandbox")
    runtime = build_runtime(scenario=write_scenario(folder / "scenario.yaml"), db_path=folder / "aiops.db",
                            config=config(), env={})
    yield runtime
    runtime.close()




# Investigations -------------------------------------------------------------------------------
def test_investigate_acks_then_threads_progress_findings_hypotheses_and_scripts(slack, sandbox_runtime):
    # GIVEN the app wired to the sandbox AWS (a deploy followed by new errors)
    app, service = make_stack(slack, sandbox_runtime.store, sandbox_runtime.investigator)
    body = command_body("investigate checkout-api-errors 1h", slack.response_url("cmd"))
    # WHEN /aiops investigate is dispatched
    started = time.monotonic()
    response = dispatch(app, body)
    ack_seconds = time.monotonic() - started
    # THEN it is acked at once and the thread fills in
    assert response.status == 200 and ack_seconds < 1.0
    slack.wait_for_call("chat.postMessage")
    assert service.wait_idle(60)
    posts = slack.messages(CHANNEL)
    parent = posts[0]
    assert "thread_ts" not in parent and "checkout-api-errors" in blocks_text(parent["blocks"])
    thread = [p for p in posts[1:] if p.get("thread_ts")]
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    assert all(p["thread_ts"] == parent_ts for p in thread) and len(thread) == len(posts) - 1
    assert "Progress" in thread[0]["text"]
    progress_edits = [c for c in slack.calls("chat.update") if "Progress" in c.params.get("text", "")]
    assert progress_edits and "reading metrics" in progress_edits[-1].params["text"]
    assert "…" not in progress_edits[-1].params["text"]  # the last state shown: every step finished
    assert any("Ranked hypotheses" in blocks_text(p["blocks"]) and "bad deployment" in blocks_text(p["blocks"])
               for p in thread)
    scripts = [p for p in thread if ui.APPROVE in ui.action_ids_in(p["blocks"])]
    assert scripts and all(ui.action_ids_in(p["blocks"]) == {ui.APPROVE, ui.REJECT} for p in scripts)
    final_parent = [c for c in slack.calls("chat.update") if c.params["ts"] == parent_ts][-1]
    assert "complete" in blocks_text(final_parent.params["blocks"])
    service.shutdown()


def test_unknown_alarm_is_answered_to_its_author_and_not_posted(slack, sandbox_runtime):
    # GIVEN the sandbox has no alarm called nope-alarm
    app, service = make_stack(slack, sandbox_runtime.store, sandbox_runtime.investigator)
    # WHEN someone investigates it
    dispatch(app, command_body("investigate nope-alarm", slack.response_url("cmd")))
    reply = slack.wait_for_call("response_url:cmd")[0]
    assert service.wait_idle(30)
    # THEN only the requester is told (the engine's text); nothing is posted in the channel, and the run is failed
    assert "nope-alarm" in reply.params["text"] and reply.params["response_type"] == "ephemeral"
    assert slack.calls("chat.postMessage") == []
    failed = sandbox_runtime.store.list_investigations(1)[0]
    assert failed["alarm_ref"] == "nope-alarm" and failed["status"] == "failed"
    service.shutdown()


@pytest.mark.parametrize("text", ["investigate", "investigate alarm 0h", "investigate alarm 30d", "report", "status extra", "bogus"])
def test_bad_arguments_get_ephemeral_usage_in_the_ack(slack, canned, text):
    app, _, _ = canned
    # WHEN a malformed command is dispatched
    response = dispatch(app, command_body(text, slack.response_url("cmd")))
    # THEN the ack itself carries the usage (ephemeral) and nothing is posted in the channel
    assert response.status == 200 and "/aiops" in response.body
    time.sleep(0.1)
    assert slack.calls("chat.postMessage") == []


def test_second_investigation_of_same_alarm_joins_the_running_one(slack, canned):
    app, service, _ = canned
    gate = threading.Event()
    original = service.investigator.run
    service.investigator.run = lambda inv_id, progress=None, **kw: (gate.wait(5), original(inv_id, progress, **kw))[1]
    # WHEN the same alarm is investigated twice while the first is running
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("first")))
    slack.wait_for_call("chat.postMessage")
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("second"), user=STRANGER))
    joined = slack.wait_for_call("response_url:second")[0]
    gate.set()
    assert service.wait_idle(10)
    # THEN one parent only, and the second requester is pointed at its thread
    parents = [m for m in slack.messages(CHANNEL) if "thread_ts" not in m]
    assert len(parents) == 1
    assert "already running" in joined.params["text"] and "see thread https://" in joined.params["text"]


def test_an_alarm_named_and_given_by_arn_joins_one_run(slack, canned):
    app, service, _ = canned
    gate = threading.Event()
    original = service.investigator.run
    service.investigator.run = lambda inv_id, progress=None, **kw: (gate.wait(5), original(inv_id, progress, **kw))[1]
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-errors"
    # WHEN the alarm is investigated by name, then by its ARN while the first run is going
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("first")))
    slack.wait_for_call("chat.postMessage")
    dispatch(app, command_body(f"investigate {arn}", slack.response_url("second"), user=STRANGER))
    joined = slack.wait_for_call("response_url:second")[0]
    gate.set()
    assert service.wait_idle(10)
    # THEN the ARN request joins the running investigation: one parent message
    assert "already running" in joined.params["text"]
    assert len([m for m in slack.messages(CHANNEL) if "thread_ts" not in m]) == 1


def test_an_arn_of_another_account_does_not_join_a_run_of_its_namesake(slack, canned):
    app, service, store = canned
    gate = threading.Event()
    original = service.investigator.run

    def run(inv_id, progress=None, **kw):  # the alarm step finds the alarm in account 123456789012, then waits
        store.update_investigation(inv_id, alarm_name="checkout-api-errors", alarm_region="us-east-1",
                                   alarm_account="123456789012")
        progress("alarm", "ok", "reading the alarm")
        gate.wait(5)
        return original(inv_id, progress, **kw)

    service.investigator.run = run
    # WHEN the alarm is investigated by name, then by the ARN of another account's namesake and by its own ARN
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("first")))
    wait_for(lambda: any(r.resolved for r in service._running.values()))
    other = "arn:aws:cloudwatch:us-east-1:999999999999:alarm:checkout-api-errors"
    dispatch(app, command_body(f"investigate {other}", slack.response_url("other"), user=STRANGER))
    own = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-errors"
    dispatch(app, command_body(f"investigate {own}", slack.response_url("own"), user=STRANGER))
    joined = slack.wait_for_call("response_url:own")[0]
    gate.set()
    assert service.wait_idle(10)
    # THEN only the own ARN joins; the other account's alarm gets a run (and a parent) of its own
    assert "already running" in joined.params["text"]
    assert not any("already running" in c.params.get("text", "") for c in slack.calls("response_url:other"))
    assert len([m for m in slack.messages(CHANNEL) if "thread_ts" not in m]) == 2


def test_a_channel_the_bot_cannot_post_in_fails_the_investigation_with_a_hint(slack, canned):
    app, service, store = canned
    slack.fail_next("chat.postMessage", error="not_in_channel")
    # WHEN an investigation starts where the bot may not post
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("cmd")))
    reply = slack.wait_for_call("response_url:cmd")[0]
    assert service.wait_idle(10)
    # THEN the requester is told how to fix it, and the stored investigation is failed, not left running
    assert "Invite the bot" in reply.params["text"]
    assert [r["status"] for r in store.list_investigations()] == ["failed"]
    assert service.running() == []


def test_rate_limited_post_is_retried_and_posted_once(slack, canned):
    app, service, _ = canned
    # GIVEN Slack answers the next chat.postMessage with 429 (Retry-After: 0)
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    # WHEN an investigation posts its parent
    dispatch(app, command_body("investigate checkout-api-errors", slack.response_url("cmd")))
    slack.wait_for_call("chat.postMessage", 2)
    assert service.wait_idle(10)
    # THEN the retry handler re-sent it: one 429, then exactly one successful parent
    calls = slack.calls("chat.postMessage")
    assert calls[0].status == 429 and calls[1].ok
    assert len([m for m in slack.messages(CHANNEL) if "thread_ts" not in m]) == 1


# Approvals ------------------------------------------------------------------------------------------
def click(app, slack, action_id, value, user, name="click"):
    response = dispatch(app, action_body(action_id, value, slack.response_url(name), user=user))
    assert response.status == 200
    return response


def test_approver_click_records_and_edits_message_and_double_click_is_duplicate(slack, canned):
    app, service, store = canned
    seed_scripts(store, "inv-a")
    # WHEN the approver approves, then another approver (via group) clicks again
    click(app, slack, ui.APPROVE, "inv-a|s1", APPROVER)
    update = slack.wait_for_call("chat.update")[0]
    click(app, slack, ui.REJECT, "inv-a|s1", GROUP_MEMBER, "late")
    late = slack.wait_for_call("response_url:late")[0]
    # THEN the first decision wins, the message says recorded only, and the audit has both rows
    assert "Approved by <@U0APPROVER> — recorded only, not executed" in blocks_text(update.params["blocks"])
    assert ui.action_ids_in(update.params["blocks"]) == set()
    assert late.params["text"].startswith("Already decided by <@U0APPROVER>")
    rows = store.list_approvals("inv-a")
    assert [(r["user_id"], r["decision"], r["outcome"]) for r in rows] == [
        (APPROVER, "approve", "recorded"), (GROUP_MEMBER, "reject", "duplicate")]
    assert rows[0]["sha256"] == "1" * 64 and rows[0]["user_name"] == "alice"


def test_report_lists_each_script_with_its_recorded_decision(slack, canned):
    app, _, store = canned
    # GIVEN a finished investigation whose first script was approved
    seed_scripts(store, "inv-r")
    store.update_investigation("inv-r", status="complete", report=canned_report("inv-r"))
    dispatch(app, action_body(ui.APPROVE, "inv-r|s1", slack.response_url("click")))
    wait_for(lambda: store.decision_for("inv-r", "s1"))
    # WHEN someone asks for its report
    dispatch(app, command_body("report inv-r", slack.response_url("report")))
    reply = slack.wait_for_call("response_url:report")[0]
    # THEN the script list says who approved s1 and that s2 awaits a decision
    text = blocks_text(reply.params["blocks"])
    assert f"`s1` Script 1 (risk low) — approved by <@{APPROVER}> at " in text
    assert "`s2` Script 2 (risk low) — awaiting a decision" in text
    # AND an id pasted as `code` finds the same report
    dispatch(app, command_body("report `inv-r`", slack.response_url("quoted")))
    assert "awaiting a decision" in blocks_text(slack.wait_for_call("response_url:quoted")[0].params["blocks"])


def test_pasted_words_lose_their_code_quotes_and_link_wrapping():
    from handlers.commands import unwrap
    arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"
    assert [unwrap(w) for w in ("`inv-1`", f"<{arn}>", f"<{arn}|x>", "plain", "<>")] == ["inv-1", arn, arn,
                                                                                        "plain", "<>"]


def test_non_approver_is_refused_ephemerally_and_the_attempt_is_audited(slack, canned):
    app, _, store = canned
    seed_scripts(store, "inv-b")
    click(app, slack, ui.APPROVE, "inv-b|s2", STRANGER, "refused")
    refusal = slack.wait_for_call("response_url:refused")[0]
    assert refusal.params["response_type"] == "ephemeral" and "not allowed" in refusal.params["text"]
    assert [(r["outcome"], r["decision"]) for r in store.list_approvals("inv-b")] == [("refused", "approve")]
    assert slack.calls("chat.update") == [] and store.decision_for("inv-b", "s2") is None


def test_group_member_can_reject(slack, canned):
    app, _, store = canned
    seed_scripts(store, "inv-c")
    click(app, slack, ui.REJECT, "inv-c|s1", GROUP_MEMBER)
    update = slack.wait_for_call("chat.update")[0]
    assert "Rejected by <@U0GROUPIE> — recorded only, not executed" in blocks_text(update.params["blocks"])
    assert store.decision_for("inv-c", "s1")["decision"] == "reject"


def test_no_button_ever_executes_anything(slack, canned, monkeypatch):
    import builtins
    import os
    import subprocess
    app, service, store = canned
    seed_scripts(store, "inv-d")
    service.alerts.sync([])  # warm-up
    from analyzers.incidents import Incident
    from datetime import datetime, timezone
    incident = Incident("alarm:us-east-1:checkout-api-errors:t0", "checkout-api-errors is in ALARM", "us-east-1",
                        "critical", "open", datetime.now(timezone.utc), alarm_name="checkout-api-errors")
    service.alerts.sync([incident])
    attempts: list[str] = []

    def forbid(name):
        def boom(*args, **kwargs):
            attempts.append(name)
            raise AssertionError(f"{name} called")
        return boom
    # GIVEN every way to run a process or code is booby-trapped
    for mod, names in ((subprocess, ("Popen", "run", "call", "check_call", "check_output")),
                       (os, ("system", "popen", "execv", "execve", "execvp", "execvpe", "execl", "execlp",
                             "spawnv", "posix_spawn")), (builtins, ("exec", "eval"))):
        for name in names:
            if hasattr(mod, name):
                monkeypatch.setattr(mod, name, forbid(f"{mod.__name__}.{name}"))
    # WHEN every button is clicked
    key = incident.key
    for action_id, value in ((ui.APPROVE, "inv-d|s1"), (ui.REJECT, "inv-d|s2"), (ui.ALERT_INVESTIGATE, key),
                             (ui.ALERT_SNOOZE, key), (ui.ALERT_MUTE, key)):
        click(app, slack, action_id, value, APPROVER, action_id)
        slack.wait_for_call(f"response_url:{action_id}") if action_id not in (ui.APPROVE, ui.REJECT,
                                                                              ui.ALERT_INVESTIGATE) else None
    assert service.wait_idle(10)
    wait_for(lambda: store.get_incident(key)["investigation_id"])
    monkeypatch.undo()
    # THEN decisions were recorded and nothing was executed
    assert attempts == []
    assert {r["outcome"] for r in store.list_approvals("inv-d")} == {"recorded"}
    row = store.get_incident(key)
    assert row["muted"] == 1 and row["snoozed_until"]


# Manifest ------------------------------------------------------------------------------------------------
def test_manifest_matches_the_registered_listeners(slack, canned):
    app, _, _ = canned
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # THEN the manifest and the handler registry agree, both ways
    assert commands == set(COMMANDS) and events == set(EVENTS)
    assert manifest["settings"]["socket_mode_enabled"] is True and manifest["settings"]["interactivity"]["is_enabled"]
    assert {"commands", "chat:write", "users:read", "usergroups:read", "app_mentions:read"} == scopes
    emitted = ui.action_ids_in(ui.script_blocks("i", {"id": "s", "body": "", "sha256": "0" * 64}))
    emitted |= ui.action_ids_in(ui.alert_parent({"key": "k", "state": "open"}))
    emitted |= ui.action_ids_in(ui.alert_parent({"key": "k", "state": "open", "muted": 1}))
    assert emitted == set(ACTIONS)
    # AND every one of them reaches its own listener, not the catch-all for unknown buttons
    for command in commands:
        assert dispatch(app, command_body("help", slack.response_url("m"))).status == 200
    for action_id in ACTIONS:
        assert dispatch(app, action_body(action_id, "x|y", slack.response_url(action_id))).status == 200
    assert dispatch(app, action_body("not_registered", "x", slack.response_url("unknown"))).status == 200
    told = slack.wait_for_call("response_url:unknown")[0].params["text"]
    assert "not one this version of aiops-bot handles" in told
    for action_id in ACTIONS:  # (their answers, where they give one, are about the incident or script)
        assert all("not one this version" not in c.params.get("text", "")
                   for c in slack.calls(f"response_url:{action_id}"))


def test_summary_is_posted_as_a_markdown_block(slack, canned):
    app, _, _ = canned
    # WHEN someone asks for the week's summary
    dispatch(app, command_body("summary 7d", slack.response_url("summary")))
    reply = slack.wait_for_call("response_url:summary")[0]
    # THEN it comes as Slack's markdown block (standard Markdown, which a mrkdwn section would garble)
    block = reply.params["blocks"][0]
    assert block["type"] == "markdown" and block["text"].startswith("# aiops-bot summary: ")
    assert "Nothing happened in this period." in block["text"]


def test_summary_subcommand_is_routed_and_bad_period_gets_usage():
    # GIVEN the /aiops router
    from handlers.commands import SUBCOMMANDS, UsageError
    spec = SUBCOMMANDS["summary"]
    # WHEN a bad period is validated THEN a usage error names it; a good one passes
    try:
        spec.validate(("yesterday",))
        raised = False
    except UsageError as exc:
        raised = "yesterday" in str(exc) or "period" in str(exc)
    assert raised
    spec.validate(("24h",))
