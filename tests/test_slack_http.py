"""`serve --http` end to end on a free port, the CLI's token checks and the approvals audit listing."""
from __future__ import annotations

import argparse
import logging
import json
import threading
import urllib.error
import urllib.request
from urllib.parse import quote
from pathlib import Path

import pytest

from bot.cli import main
from bot.slack_cli import run_serve
from bot.store import Store
from handlers import blocks as ui
from tests.stubs import SlackApiStub
from tests.test_slack_support import APPROVER, SECRET, action_body, command_body, seed_scripts, signed_headers


def post(url: str, body: str, headers: dict[str, list[str]]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), method="POST",
                                     headers={k: v[0] for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_http_handles_signed_requests_and_health(tmp_path: Path):
    config = tmp_path / "config.yaml"
    config.write_text(f"slack:\n  approvers: [{APPROVER}]\nllm:\n  provider: none\n")
    db = tmp_path / "aiops.db"
    seed_scripts(Store(db), "inv-http")
    with SlackApiStub() as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_BASE_URL": slack.base_url}
        args = argparse.Namespace(http=True, host="127.0.0.1", port=0, health_port=None, config=str(config),
                                  db=str(db), scenario=None, watch=False, channel=None)
        ready, stop, stacks = threading.Event(), threading.Event(), []
        thread = threading.Thread(target=run_serve, args=(args, env, lambda s: (stacks.append(s), ready.set()), stop))
        thread.start()
        try:
            assert ready.wait(10)
            base = f"http://127.0.0.1:{stacks[0].server.port}"
            # WHEN the health endpoint and signed Slack requests arrive over HTTP
            with urllib.request.urlopen(base + "/healthz", timeout=5) as resp:
                health = (resp.status, json.loads(resp.read()))
            body = command_body("help", slack.response_url("help"))
            status_help, _ = post(base + "/slack/events", body, signed_headers(body))
            click = action_body(ui.APPROVE, "inv-http|s1", slack.response_url("click"))
            status_click, _ = post(base + "/slack/events", click, signed_headers(click))
            status_bad, _ = post(base + "/slack/events", body, signed_headers(body, secret="forged"))
            # THEN health is 200 JSON, good requests are handled, the forged one is rejected
            assert health[0] == 200 and health[1]["ok"] is True and health[1]["mode"] == "http"
            assert (status_help, status_click, status_bad) == (200, 200, 401)
            assert "/aiops investigate" in json.dumps(slack.wait_for_call("response_url:help")[0].params)
            update = slack.wait_for_call("chat.update")[0]
            assert "recorded only, not executed" in json.dumps(update.params["blocks"])
        finally:
            stop.set()
            thread.join(10)
    assert Store(db).decision_for("inv-http", "s1")["user_id"] == APPROVER


@pytest.mark.parametrize("argv,missing", [(["serve"], "SLACK_APP_TOKEN"), (["serve", "--http"], "SLACK_SIGNING_SECRET")])
def test_missing_tokens_name_the_variable_and_exit_2(monkeypatch, capsys, argv, missing):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    for name in ("SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert missing in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_approvals_lists_the_audit(tmp_path, capsys):
    store = Store(tmp_path / "aiops.db")
    seed_scripts(store, "inv-z")
    store.record_approval(investigation_id="inv-z", script_id="s1", sha256="1" * 64, user_id="U1", user_name="al",
                          decision="approve", outcome="recorded")
    assert main(["approvals", "--db", str(tmp_path / "aiops.db"), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["outcome"] == "recorded" and rows[0]["user_name"] == "al"
    assert main(["approvals", "--db", str(tmp_path / "aiops.db")]) == 0
    assert "never executes" in capsys.readouterr().out


def test_the_bot_token_in_the_environment_does_not_make_bolt_warn(monkeypatch, caplog):
    from slack_sdk import WebClient

    from bot.slack import build_app

    # GIVEN the standard SLACK_BOT_TOKEN in the environment and a client built from it
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    with caplog.at_level(logging.WARNING):
        build_app(object(), WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/"), SECRET,
                  token_verification=False)
    # THEN starting the app prints no warning about an unused token
    assert not [r for r in caplog.records if "token" in r.getMessage()]


def test_unreadable_requests_are_refused_without_reaching_the_listeners():
    from bot.slack.runners import SlackHttpServer
    from tests.test_slack_support import CannedInvestigator, make_stack

    store = Store(memory=True)
    with SlackApiStub() as slack:
        app, _ = make_stack(slack, store, CannedInvestigator(store))
        server = SlackHttpServer(app, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{server.port}/slack/events"
        try:
            # GIVEN a command with a non-numeric timestamp and a forged signature
            body = command_body("help", slack.response_url("help"))
            odd_clock = {**signed_headers(body), "x-slack-request-timestamp": ["abc"], "x-slack-signature": ["v0=0"]}
            # AND correctly signed bodies that are not JSON objects
            garbled = ["payload={not json", "payload=%5B1%2C2%5D", "payload=%22x%22",
                       "payload=" + quote('{"type": "block_actions", "actions": "x"}'),
                       "payload=" + quote('{"type": "block_actions", "actions": [1]}'),
                       "payload=" + quote('{"type": "block_actions", "actions": []}'),
                       "payload=" + quote('{"type": "view_submission", "view": {"id": "V1"}}')]
            # WHEN they are posted
            status_clock, _ = post(url, body, odd_clock)
            garbled_statuses = [post(url, b, signed_headers(b))[0] for b in garbled]
            json_status, _ = post(url, "{{{", signed_headers("{{{", content_type="application/json"))
            odd_event = '{"type": "event_callback", "event": "x"}'
            event_status, _ = post(url, odd_event, signed_headers(odd_event, content_type="application/json"))
            status_ok, _ = post(url, body, signed_headers(body))
            answered = slack.wait_for_call("response_url:help")
        finally:
            server.stop()
    # THEN the odd clock is refused like a bad signature, garbage is a 400, and the server still answers
    assert status_clock == 401
    assert garbled_statuses == [400] * 7 and json_status == 400 and event_status == 400
    assert status_ok == 200
    assert len(answered) == 1 and len(slack.calls("response_url:help")) == 1  # only the good request


def test_a_port_in_use_or_out_of_range_is_a_one_line_usage_error(monkeypatch, capsys, tmp_path):
    import socket

    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with SlackApiStub() as slack:
            monkeypatch.setenv("SLACK_API_BASE_URL", slack.base_url)
            # WHEN serve is asked for a port another process holds
            code = main(["serve", "--http", "--host", "127.0.0.1", "--port", str(taken.getsockname()[1]),
                         "--db", str(tmp_path / "aiops.db")])
    finally:
        taken.close()
    err = capsys.readouterr().err
    # THEN one line says which address could not be used
    assert code == 2 and "cannot listen on 127.0.0.1:" in err and "Traceback" not in err
    # AND a port outside 0-65535 is refused by the argument parser
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--http", "--port", "99999"])
    assert exited.value.code == 2 and "outside 0-65535" in capsys.readouterr().err


def _status_of_announced_body(port: int, length: int) -> int:
    """The status a request announcing a `length`-byte body gets before any of it is sent."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
        return int(sock.recv(100).split(b" ", 2)[1])


def test_unsigned_requests_are_refused_before_their_body_is_read_and_huge_ones_are_too_large():
    from bot.slack.runners import MAX_BODY, SlackHttpServer
    from tests.test_slack_support import CannedInvestigator, make_stack

    store = Store(memory=True)
    with SlackApiStub() as slack:
        app, _ = make_stack(slack, store, CannedInvestigator(store))
        server = SlackHttpServer(app, "127.0.0.1", 0, signing_secret=SECRET).start()
        url = f"http://127.0.0.1:{server.port}/slack/events"
        try:
            # GIVEN garbage with a fresh timestamp but a forged signature, and a signed body over the limit
            garbage = "payload={not json"
            forged = {**signed_headers(garbage), "x-slack-signature": ["v0=" + "0" * 64]}
            # WHEN they are posted (the huge one announces its size and is answered before it is sent)
            forged_status, _ = post(url, garbage, forged)
            huge_status = _status_of_announced_body(server.port, MAX_BODY + 1)
            signed_garbage_status, _ = post(url, garbage, signed_headers(garbage))
        finally:
            server.stop()
    # THEN the forged one is a 401 (not a 400 that tells how the body was read), the huge one a 413,
    # and only the signed garbage reaches the body check
    assert forged_status == 401 and huge_status == 413 and signed_garbage_status == 400


def test_a_request_body_that_never_arrives_is_dropped_after_the_read_timeout(monkeypatch):
    import socket

    from bot.slack import runners
    from bot.slack.runners import SlackHttpServer
    from tests.test_slack_support import CannedInvestigator, make_stack

    monkeypatch.setattr(runners._Handler, "timeout", 0.5)
    store = Store(memory=True)
    with SlackApiStub() as slack:
        app, _ = make_stack(slack, store, CannedInvestigator(store))
        server = SlackHttpServer(app, "127.0.0.1", 0, signing_secret=SECRET).start()
        try:
            # GIVEN a client that announces 500 bytes and sends 10
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n0123456789")
                # WHEN it waits THEN the server closes the connection (an empty read) instead of holding it
                assert sock.recv(100) == b""
        finally:
            server.stop()
