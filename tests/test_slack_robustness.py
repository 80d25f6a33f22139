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
