"""The Slack app's robustness on Bolt's real request path: forged, stale, redelivered and oddly shaped
requests, listener errors and untrusted text."""
from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlencode

import pytest

from handlers import blocks as ui
from tests.test_slack_support import (APPROVER, CHANNEL, action_body, blocks_text, canned, canned_report,  # noqa: F401
                                      command_body, dispatch, seed_scripts, signed_headers, slack)


def test_a_redelivered_mention_is_answered_once(slack, canned):
    app, _, _ = canned
    event = {"token": "legacy", "team_id": "T0STUB001", "api_app_id": "A0AIOPS", "type": "event_callback",
             "event_id": "Ev0REDELIVER", "event_time": int(time.time()),
             "event": {"type": "app_mention", "user": APPROVER, "text": "<@U0BOT> help", "ts": "1732500000.000200",
                       "channel": CHANNEL}}
    body = json.dumps(event)
    # WHEN Slack delivers the same event twice (the second is a retry)
    first = dispatch(app, body, signed_headers(body, content_type="application/json"))
    slack.wait_for_call("chat.postMessage")
    retry = signed_headers(body, content_type="application/json") | {"x-slack-retry-num": ["1"],
                                                                      "x-slack-retry-reason": ["http_timeout"]}
    second = dispatch(app, body, retry)
    time.sleep(0.3)
    # THEN both are acknowledged and the usage is posted once, in the mention's thread
    assert (first.status, second.status) == (200, 200)
    posts = slack.calls("chat.postMessage")
    assert len(posts) == 1 and posts[0].params["thread_ts"] == "1732500000.000200"


@pytest.mark.parametrize("tamper", ["stale", "body", "secret"])
def test_stale_or_tampered_requests_are_rejected(slack, canned, tamper):
    app, _, _ = canned
    body = command_body("help", slack.response_url("cmd"))
    headers = {"stale": lambda: signed_headers(body, timestamp=int(time.time()) - 600),
               "body": lambda: signed_headers(body),
               "secret": lambda: signed_headers(body, secret="wrong")}[tamper]()
    sent = body.replace("help", "status") if tamper == "body" else body
    assert dispatch(app, sent, headers).status == 401


def test_listener_error_shows_an_error_id_not_a_trace(slack, canned):
    app, service, _ = canned
    service.history = lambda limit: 1 / 0
    dispatch(app, command_body("history", slack.response_url("err")))
    reply = slack.wait_for_call("response_url:err")[0]
    assert "error id" in reply.params["text"] and "ZeroDivision" not in reply.params["text"]
    assert "Traceback" not in reply.params["text"]


def test_untrusted_text_is_escaped_for_mrkdwn():
    blocks = ui.findings_blocks(canned_report("inv-x"))
    text = blocks_text(blocks)
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; friends" in text
    assert ui.esc("ping @here and @channel") == "ping @\u200bhere and @\u200bchannel"
    code = ui.script_blocks("inv-x", {"id": "s", "body": "a > b && c < d ```", "sha256": "0" * 64})
    assert "a &gt; b &amp;&amp; c &lt; d" in blocks_text(code) and "``````" not in blocks_text(code)
    # the plain `text` of a message (its notification) is escaped too
    assert "<!channel>" not in ui.script_text({"id": "s", "title": "<!channel> fix"})
    assert "<!here>" not in ui.alert_text({"title": "<!here> errors", "region": "us-east-1", "state": "open"})



def test_a_click_whose_user_is_not_an_object_is_refused_not_crashed(slack, canned):
    app, _, store = canned
    seed_scripts(store, "inv-odd")
    # GIVEN a signed click whose "user" is a bare string instead of an object
    payload = json.loads(parse_qs(action_body(ui.APPROVE, "inv-odd|s1", slack.response_url("odd")))["payload"][0])
    payload["user"] = APPROVER
    body = urlencode({"payload": json.dumps(payload)})
    # WHEN it arrives THEN nobody is identified, so nothing is approved and the attempt is audited as refused
    assert dispatch(app, body).status == 200
    reply = slack.wait_for_call("response_url:odd")[0]
    assert "not allowed" in reply.params["text"] and store.decision_for("inv-odd", "s1") is None


def test_a_decision_whose_message_cannot_be_edited_is_still_reported_as_recorded(slack, canned):
    app, _, store = canned
    seed_scripts(store, "inv-edit")
    slack.fail_next("chat.update", error="message_not_found")
    # WHEN an approver clicks Approve and Slack refuses the edit of the script's message
    dispatch(app, action_body(ui.APPROVE, "inv-edit|s1", slack.response_url("click")))
    reply = slack.wait_for_call("response_url:click")[0]
    # THEN the decision is recorded and the approver is told so, with where to see it
    assert store.decision_for("inv-edit", "s1")["user_id"] == APPROVER
    assert "recorded only, not executed" in reply.params["text"] and "/aiops report inv-edit" in reply.params["text"]
    assert "went wrong" not in reply.params["text"]


def test_a_click_without_response_url_or_message_and_a_mention_without_channel_do_not_crash(slack, canned, caplog):
    app, _, store = canned
    seed_scripts(store, "inv-bare")
    # GIVEN a signed click that names neither its message nor a response_url, and a mention with no channel
    payload = json.loads(parse_qs(action_body(ui.APPROVE, "inv-bare|s1", "http://unused"))["payload"][0])
    for name in ("response_url", "channel", "container", "message"):
        payload.pop(name)
    mention = json.dumps({"type": "event_callback", "event_id": "Ev0BARE", "team_id": "T0STUB001",
                          "event": {"type": "app_mention", "user": APPROVER, "text": "<@U0BOT> hi", "ts": "1.2"}})
    # WHEN they arrive
    click = dispatch(app, urlencode({"payload": json.dumps(payload)}))
    event = dispatch(app, mention, signed_headers(mention, content_type="application/json"))
    time.sleep(0.2)
    # THEN both are acknowledged without a listener error; the decision is recorded
    assert (click.status, event.status) == (200, 200)
    assert "listener error" not in caplog.text
    assert store.decision_for("inv-bare", "s1")["decision"] == "approve"
    assert slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("pasted,meant", [
    ("<https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/checkout-errors"
     "|checkout-errors>", "checkout-errors"),
    ("<https://console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/api%2Dlatency>", "api-latency"),
    ("<https://wiki.example.com/runbook|checkout-errors>", "checkout-errors"),
    ("<arn:aws:cloudwatch:us-east-1:123456789012:alarm:x|arn:aws:cloudwatch:us-east-1:123456789012:alarm:x>",
     "arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"),
    ("`inv-20261207-1`", "inv-20261207-1")])
def test_pasted_links_and_code_are_read_as_the_user_meant(pasted, meant):
    from handlers.commands import unwrap
    assert unwrap(pasted) == meant


def test_a_long_summary_is_cut_at_a_line_with_a_pointer_to_the_cli(slack, canned):
    app, _, store = canned
    # GIVEN 60 investigations in the last day, each with a long summary
    for i in range(60):
        store.create_investigation(f"inv-long-{i:02d}", f"alarm-{i}", {})
        store.update_investigation(f"inv-long-{i:02d}", status="complete", summary="Root cause: " + "x" * 300)
    # WHEN /aiops summary is asked for
    dispatch(app, command_body("summary", slack.response_url("sum")))
    text = slack.wait_for_call("response_url:sum")[0].params["blocks"][0]["text"]
    # THEN it fits Slack's markdown block, ends at a whole line and says where the rest is
    assert len(text) <= 12000
    assert text.rstrip().endswith("run `aiops-bot summary --since 24h` for all of it_")
    assert "more line(s) not shown" in text


def test_findings_show_the_changes_nearest_the_onset():
    report = dict(canned_report("inv-ch"), changes=[
        {"time": f"2026-12-07T1{h}:00:00+00:00", "event_name": f"Change{h}", "resource_name": "api",
         "username": "ci"} for h in range(6)])
    # WHEN the findings are rendered THEN the four newest changes are listed and the two older ones counted
    text = blocks_text(ui.findings_blocks(report))
    assert "Change5" in text and "Change2" in text and "Change1" not in text
    assert "2 earlier change(s)" in text


def test_acks_stay_fast_while_the_slack_api_is_slow(slack, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from bot.slack import SlackPoster, build_app, build_web_client
    from bot.slack_service import SlackService
    from bot.store import Store
    from tests.test_slack_support import SECRET, CannedInvestigator, config

    # GIVEN an app with two listener threads and a Slack API that takes 1.5 s per chat.postMessage
    store = Store(tmp_path / "aiops.db")
    client = build_web_client("xoxb-test", slack.base_url)
    service = SlackService(config(), store, CannedInvestigator(store), SlackPoster(client))
    app = build_app(service, client, SECRET, listener_threads=2)
    slack.fail_next("chat.postMessage", delay=1.5, times=12)

    def timed(i: int) -> tuple[int, float]:
        started = time.monotonic()
        response = dispatch(app, command_body(f"investigate alarm-{i}", slack.response_url(f"c{i}")))
        return response.status, time.monotonic() - started

    try:
        # WHEN six investigations are asked for at once
        with ThreadPoolExecutor(6) as pool:
            results = list(pool.map(timed, range(6)))
        # THEN every request is acknowledged at once (Slack gives 3 s), and every investigation still starts
        assert all(status == 200 for status, _ in results)
        assert max(seconds for _, seconds in results) < 1.0
        assert service.wait_idle(30)
        assert len([m for m in slack.messages(CHANNEL) if "thread_ts" not in m]) == 6
    finally:
        service.shutdown()
