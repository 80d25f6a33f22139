"""The Slack and Messages API stubs work with the real slack_sdk and anthropic clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import anthropic
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from tests.stubs import MessagesApiStub, SlackApiStub, wait_for

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*CPU alarm* on `api-prod`"}}]


@pytest.fixture
def slack() -> Iterator[SlackApiStub]:
    with SlackApiStub() as stub:
        yield stub


@pytest.fixture
def llm() -> Iterator[MessagesApiStub]:
    with MessagesApiStub() as stub:
        yield stub


def web(slack: SlackApiStub, **kwargs: object) -> WebClient:
    return WebClient(token="xoxb-test", base_url=slack.base_url, **kwargs)  # type: ignore[arg-type]


def claude(llm: MessagesApiStub, **kwargs: object) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="test", base_url=llm.base_url, **kwargs)  # type: ignore[arg-type]


def ask(client: anthropic.Anthropic) -> anthropic.types.Message:
    return client.messages.create(model="claude-test", max_tokens=256,
                                  messages=[{"role": "user", "content": "Why is CPU high?"}])


# ----------------------------------------------------------------------------- Slack
def test_chat_calls_are_recorded_with_blocks_parsed(slack: SlackApiStub) -> None:
    # GIVEN a real WebClient pointed at the stub
    client = web(slack)
    # WHEN the bot posts, updates and posts an ephemeral message
    posted = client.chat_postMessage(channel="C1", text="CPU alarm", blocks=BLOCKS)
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=posted["ts"])
    client.chat_update(channel="C1", ts=posted["ts"], text="resolved", blocks=BLOCKS)
    ephemeral = client.chat_postEphemeral(channel="C1", user="U7", text="only you", blocks=BLOCKS)
    # THEN every call is recorded with decoded blocks and realistic responses
    call = slack.calls("chat.postMessage")[0]
    assert call.params["blocks"] == BLOCKS and call.params["channel"] == "C1"
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert posted["channel"] == "C1" and posted["message"]["text"] == "CPU alarm"
    assert float(second["ts"]) > float(posted["ts"]) and slack.calls("chat.postMessage")[1].params["thread_ts"]
    update = slack.calls("chat.update")[0]
    assert update.params["ts"] == posted["ts"] and update.params["blocks"] == BLOCKS
    assert slack.calls("chat.postEphemeral")[0].params["blocks"] == BLOCKS
    assert ephemeral["message_ts"]
    assert [c.method for c in slack.calls()] == ["chat.postMessage"] * 2 + ["chat.update", "chat.postEphemeral"]


def test_form_encoded_and_get_calls_and_lookup_methods(slack: SlackApiStub) -> None:
    # GIVEN a configured usergroup and user
    slack.set_usergroup("S123", ["U1", "U2"])
    slack.set_user("U1", name="alice", real_name="Alice Ops", display_name="alice.o")
    client = web(slack)
    # WHEN lookup methods are called (form-encoded POSTs) and one via GET
    auth = client.auth_test()
    group = client.usergroups_users_list(usergroup="S123")
    user = client.users_info(user="U1")
    info = client.api_call("conversations.info", http_verb="GET", params={"channel": "C9"})
    link = client.chat_getPermalink(channel="C9", message_ts="1732500000.000100")
    other = client.api_call("reactions.add", params={"name": "eyes"})
    # THEN the responses are realistic and params recorded
    assert auth["user_id"] == slack.bot_user_id and auth["bot_id"] and auth["team_id"]
    assert group["users"] == ["U1", "U2"]
    assert user["user"]["profile"]["display_name"] == "alice.o" and user["user"]["real_name"] == "Alice Ops"
    assert info["channel"]["id"] == "C9" and slack.calls("conversations.info")[0].params == {"channel": "C9"}
    assert link["permalink"].endswith("/archives/C9/p1732500000000100")
    assert other.data == {"ok": True}
    with pytest.raises(SlackApiError, match="no_such_subteam"):
        client.usergroups_users_list(usergroup="S404")


def test_rate_limited_post_is_retried_and_recorded_once_as_successful(slack: SlackApiStub) -> None:
    # GIVEN chat.postMessage answers 429 once and the client has a rate-limit retry handler
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client = web(slack, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    # WHEN the bot posts
    response = client.chat_postMessage(channel="C1", text="hello")
    # THEN the SDK retried after the 429 and exactly one successful post is recorded
    attempts = slack.calls("chat.postMessage")
    assert [c.status for c in attempts] == [429, 200]
    assert len(slack.calls("chat.postMessage", ok=True)) == 1 and response["ok"] is True


def test_error_5xx_and_delay_faults(slack: SlackApiStub) -> None:
    # GIVEN three kinds of faults queued
    slack.fail_next("chat.postMessage", error="channel_not_found")
    slack.fail_next("chat.update", status=503)
    slack.fail_next("users.info", delay=0.3)
    client = web(slack)
    # WHEN/THEN the ok:false error surfaces as SlackApiError
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C404", text="x")
    assert err.value.response["error"] == "channel_not_found"
    # AND the 5xx surfaces with its status code
    with pytest.raises(SlackApiError) as err5:
        client.chat_update(channel="C1", ts="1.0", text="x")
    assert err5.value.response.status_code == 503
    # AND the delay slows the call down but still succeeds
    started = time.monotonic()
    assert client.users_info(user="U1")["ok"] is True
    assert time.monotonic() - started >= 0.25
    # AND faults are one-shot
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True


def test_files_upload_v2_end_to_end(slack: SlackApiStub) -> None:
    # GIVEN a remediation script to attach
    script = "#!/bin/bash\naws ecs update-service --force-new-deployment\n"
    # WHEN the real files_upload_v2 helper runs against the stub
    response = web(slack).files_upload_v2(channel="C1", content=script, filename="fix.sh", title="Fix")
    # THEN all three steps were recorded and the upload bytes kept
    methods = [c.method for c in slack.calls()]
    assert methods == ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]
    upload = slack.calls("file_upload")[0].params
    assert upload["filename"] == "fix.sh" and upload["length"] == len(script.encode())
    assert slack.uploads[upload["file_id"]] == script.encode()
    complete = slack.calls("files.completeUploadExternal")[0].params
    assert complete["files"][0]["title"] == "Fix" and complete["channel_id"] == "C1"
    assert response["file"]["id"] == upload["file_id"] and response["file"]["name"] == "fix.sh"


def test_response_url_posts_are_recorded(slack: SlackApiStub) -> None:
    # GIVEN a response_url served by the stub
    url = slack.response_url("approve-1")
    # WHEN a message is posted to it from another thread (as Bolt's respond() would)
    threading.Thread(target=lambda: WebhookClient(url).send(text="Approved", replace_original=True)).start()
    # THEN wait_for sees it and it is recorded under its name
    calls = slack.wait_for_call("response_url:approve-1")
    assert calls[0].params == {"text": "Approved", "replace_original": True}
    assert slack.wait_for(lambda all_calls: len(all_calls) == 1)


def test_wait_for_times_out_with_assertion_error(slack: SlackApiStub) -> None:
    # GIVEN no calls WHEN waiting briefly THEN an AssertionError explains the timeout
    with pytest.raises(AssertionError, match="not met"):
        wait_for(lambda: slack.calls("chat.postMessage"), timeout=0.05)


def test_reset_forgets_calls_and_faults(slack: SlackApiStub) -> None:
    # GIVEN a recorded call and a pending fault
    client = web(slack)
    client.auth_test()
    slack.fail_next("auth.test", error="invalid_auth")
    # WHEN reset THEN both are gone
    slack.reset()
    assert slack.calls() == [] and client.auth_test()["ok"] is True


# ----------------------------------------------------------------------------- Messages API
def test_tool_use_response_parses_with_real_sdk(llm: MessagesApiStub) -> None:
    # GIVEN a scripted tool_use answer
    tool_id = llm.enqueue_tool_use("get_metric_stats", {"metric": "CPUUtilization"}, usage=(321, 45))
    # WHEN the real client asks
    message = ask(claude(llm))
    # THEN the SDK parses the tool_use block and usage
    block = message.content[0]
    assert block.type == "tool_use" and block.id == tool_id and tool_id.startswith("toolu_")
    assert block.name == "get_metric_stats" and block.input == {"metric": "CPUUtilization"}
    assert message.stop_reason == "tool_use" and message.model == "claude-test"
    assert (message.usage.input_tokens, message.usage.output_tokens) == (321, 45)
    call = llm.calls()[0]
    assert call.body["messages"][0]["content"] == "Why is CPU high?" and call.api_key == "test"
    assert call.raw.startswith(b"{")


def test_text_default_and_count_tokens(llm: MessagesApiStub) -> None:
    # GIVEN one scripted text answer
    llm.enqueue_text("The deploy at 10:02 caused it.")
    client = claude(llm)
    # WHEN asked twice and tokens counted
    first, second = ask(client), ask(client)
    counted = client.messages.count_tokens(model="claude-test", messages=[{"role": "user", "content": "hi"}])
    # THEN the script is used first, then the default answer; count_tokens follows len(json)//4
    assert first.content[0].text == "The deploy at 10:02 caused it." and first.stop_reason == "end_turn"
    assert second.content[0].text == llm.default_text and second.usage.input_tokens > 0
    body = llm.calls("/v1/messages/count_tokens")[0].body
    assert counted.input_tokens == len(__import__("json").dumps(body)) // 4
    assert len(llm.calls()) == 2


def test_overloaded_then_success_is_retried(llm: MessagesApiStub) -> None:
    # GIVEN a 529 overloaded error followed by a tool_use answer
    llm.enqueue_status(529, retry_after=0)
    llm.enqueue_tool_use("describe_alarm", {"name": "cpu-high"})
    # WHEN the client (max_retries=2) asks
    message = ask(claude(llm, max_retries=2))
    # THEN it retried once and got the tool_use; both requests were recorded
    assert message.content[0].type == "tool_use"
    assert [c.status for c in llm.calls()] == [529, 200]


def test_error_body_shape_surfaces_in_sdk_exception(llm: MessagesApiStub) -> None:
    # GIVEN a 529 with no retries allowed
    llm.enqueue_status(529)
    # WHEN asked THEN the SDK raises its overloaded error with the documented body
    with pytest.raises(anthropic.InternalServerError) as err:
        ask(claude(llm, max_retries=0))
    assert err.value.status_code == 529
    assert err.value.body["error"]["type"] == "overloaded_error"  # type: ignore[index]


def test_delayed_answer_triggers_client_timeout(llm: MessagesApiStub) -> None:
    # GIVEN a 2 s delay and a client with a 0.5 s timeout and no retries
    llm.enqueue_delay(2.0)
    client = claude(llm, timeout=0.5, max_retries=0)
    # WHEN asked THEN the SDK times out quickly
    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        ask(client)
    assert time.monotonic() - started < 1.9


def test_streaming_tool_use_is_accumulated_by_sdk(llm: MessagesApiStub) -> None:
    # GIVEN a scripted tool_use with a leading text block
    llm.enqueue_tool_use("run_query", {"q": "errors"}, usage=(10, 7), text="Let me check.")
    # WHEN the SDK streams the answer
    with claude(llm).messages.stream(model="claude-test", max_tokens=64,
                                     messages=[{"role": "user", "content": "go"}]) as stream:
        final = stream.get_final_message()
    # THEN the accumulated message matches the script
    assert [b.type for b in final.content] == ["text", "tool_use"]
    assert final.content[1].input == {"q": "errors"} and final.usage.output_tokens == 7
    assert llm.calls()[0].body["stream"] is True
