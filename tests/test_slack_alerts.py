"""Proactive alerts: one parent per incident key, edits instead of re-posts, dedup across a restart."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from analyzers.incidents import Incident
from bot.alerts import AlertService
from bot.scheduler import JOB_ID, build_scheduler, poll_once
from bot.slack import SlackPoster, build_web_client
from bot.store import Store
from handlers import blocks as ui
from tests.stubs import SlackApiStub
from tests.test_slack_support import CHANNEL

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def slack() -> Iterator[SlackApiStub]:
    with SlackApiStub() as stub:
        yield stub


def incident(state: str = "open", title: str = "checkout-api-errors is in ALARM") -> Incident:
    return Incident("alarm:us-east-1:checkout-api-errors:2026-01-01T11:55:00Z", title, "us-east-1", "critical",
                    state, T0, alarm_name="checkout-api-errors", details=("Errors > 5 <!here>",))


def service(slack: SlackApiStub, db: Path) -> AlertService:
    return AlertService(Store(db), SlackPoster(build_web_client("xoxb-test", slack.base_url)), CHANNEL,
                        clock=lambda: T0)


def parents(slack: SlackApiStub) -> list[dict]:
    return [m for m in slack.messages(CHANNEL) if "thread_ts" not in m]


def test_one_parent_per_incident_and_no_repost_after_restart(slack, tmp_path):
    db = tmp_path / "aiops.db"
    # GIVEN an incident posted by a first process
    first = service(slack, db)
    assert first.sync([incident()]).posted == 1
    first.sync([incident()])
    # WHEN a new process (same DB file) polls the same incident
    second = service(slack, db)
    result = second.sync([incident()])
    # THEN there is still one parent (with buttons) and its details are in the thread
    assert result.posted == 0 and len(parents(slack)) == 1
    assert ui.action_ids_in(parents(slack)[0]["blocks"]) == {ui.ALERT_INVESTIGATE, ui.ALERT_SNOOZE, ui.ALERT_MUTE}
    details = [m for m in slack.messages(CHANNEL) if m.get("thread_ts")]
    assert len(details) == 1 and "&lt;!here&gt;" in details[0]["blocks"][0]["text"]["text"]
    row = Store(db).get_incident(incident().key)
    assert row["channel"] == CHANNEL and row["thread_ts"] == slack.calls("chat.postMessage")[0].response["ts"]


def test_change_and_resolution_edit_the_parent(slack, tmp_path):
    alerts = service(slack, tmp_path / "aiops.db")
    alerts.sync([incident()])
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # WHEN the incident changes, then disappears from the polls (a poller that does not know it any more, e.g.
    # after a restart: one absent poll is not enough, it could be a region that could not be read)
    alerts.sync([incident(title="checkout-api-errors is in ALARM (worse)")])
    assert alerts.sync([]).resolved == 0
    result = alerts.sync([])
    # THEN the parent is edited (never re-posted) and ends resolved without buttons
    updates = [c for c in slack.calls("chat.update") if c.params["ts"] == parent_ts]
    assert result.resolved == 1 and len(parents(slack)) == 1 and len(updates) == 2
    assert "worse" in updates[0].params["blocks"][0]["text"]["text"]
    assert "resolved" in updates[-1].params["blocks"][0]["text"]["text"]
    assert ui.action_ids_in(updates[-1].params["blocks"]) == set()
    assert alerts.sync([]).resolved == 0
    # AND the resolution is said in the thread, once
    replies = [m["text"] for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
    assert replies.count("State changed: open → resolved") == 1


def test_resolved_state_from_poller_and_mute_silences_thread(slack, tmp_path):
    alerts = service(slack, tmp_path / "aiops.db")
    alerts.sync([incident()])
    alerts.mute(incident().key, "U1")
    before = len(slack.calls("chat.postMessage"))
    alerts.sync([incident(state="resolved")])
    assert len(slack.calls("chat.postMessage")) == before
    assert Store(tmp_path / "aiops.db").get_incident(incident().key)["resolved_at"]


def test_scheduler_job_is_coalesced_single_instance_and_poll_errors_are_skipped():
    scheduler = build_scheduler(lambda: [], lambda incidents: None, 60, 5)
    job = scheduler.get_job(JOB_ID)
    assert job.coalesce is True and job.max_instances == 1 and job.trigger.jitter == 5
    seen = []
    assert poll_once(lambda: 1 / 0, seen.append) is False and seen == []
    assert poll_once(lambda: ["i"], seen.append) is True and seen == [["i"]]


def test_details_list_each_signal_once_and_say_how_many_more():
    signals = [{"kind": "anomaly", "metric": f"AWS/Lambda Errors fn-{i}", "text": "up"} for i in range(15)]
    text = ui.alert_details([f"anomaly: up #{i}" for i in range(15)], signals)[0]["text"]["text"]
    assert text.count("\n• ") == 13 and "fn-11 up" in text and "fn-12" not in text
    assert text.endswith("… and 3 more signals") and "#" not in text


def test_new_scores_alone_do_not_edit_the_message(slack, tmp_path):
    from dataclasses import replace
    alerts = service(slack, tmp_path / "aiops.db")
    alerts.sync([incident()])
    # WHEN the next poll sees the same incident with other details (scores, onsets move a little)
    alerts.sync([replace(incident(), details=("Errors > 6",))])
    # THEN what the message shows is unchanged, so Slack is not called (no chat.update churn every poll)
    assert slack.calls("chat.update") == []
    assert Store(tmp_path / "aiops.db").get_incident(incident().key)["details"].count("Errors > 6") == 1


def test_an_alarm_joining_an_incident_makes_it_investigable_and_a_resolved_one_is_not_snoozed(slack, tmp_path):
    from dataclasses import replace
    alerts = service(slack, tmp_path / "aiops.db")
    # GIVEN an anomaly incident (no alarm) WHEN its resource's alarm joins it on a later poll
    alerts.sync([replace(incident(), alarm_name=None)])
    alerts.sync([incident(title="checkout-api-errors in ALARM (+1 related)")])
    # THEN the stored incident names the alarm, so its Investigate button works
    assert alerts.incident(incident().key)["alarm_name"] == "checkout-api-errors"
    # AND once resolved, it cannot be snoozed
    alerts.sync([incident(state="resolved")])
    assert "already resolved" in alerts.snooze(incident().key, "U1")


def test_mute_names_who_muted_and_unmute_brings_thread_updates_back(tmp_path):
    from tests.test_slack_support import APPROVER, CannedInvestigator, action_body, blocks_text, dispatch, make_stack

    with SlackApiStub() as slack:
        store = Store(tmp_path / "aiops.db")
        app, svc = make_stack(slack, store, CannedInvestigator(store))
        svc.alerts.clock = lambda: T0
        svc.alerts.sync([incident()])
        key = incident().key
        parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
        try:
            # WHEN an approver mutes the incident from its button
            dispatch(app, action_body(ui.ALERT_MUTE, key, slack.response_url("mute")))
            slack.wait_for_call("response_url:mute")
            muted = [c for c in slack.calls("chat.update") if c.params["ts"] == parent_ts][-1].params["blocks"]
            # THEN the alert says who muted it and offers Unmute instead of Mute
            assert f"muted by <@{APPROVER}>" in blocks_text(muted)
            assert ui.ALERT_UNMUTE in ui.action_ids_in(muted) and ui.ALERT_MUTE not in ui.action_ids_in(muted)
            # WHEN it is unmuted and the incident resolves
            dispatch(app, action_body(ui.ALERT_UNMUTE, key, slack.response_url("unmute")))
            reply = slack.wait_for_call("response_url:unmute")[0]
            svc.alerts.sync([incident(state="resolved")])
            # THEN the thread hears about it again
            assert "Unmuted by" in reply.params["text"]
            replies = [m["text"] for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
            assert "State changed: open → resolved" in replies
            assert store.get_incident(key)["silenced_by"] is None
        finally:
            svc.shutdown()


def test_a_failed_edit_is_retried_on_the_next_poll_and_does_not_stop_the_others(slack, tmp_path):
    from dataclasses import replace
    alerts = service(slack, tmp_path / "aiops.db")
    other = replace(incident(), key="alarm:us-east-1:orders-errors:2026-01-01T11:50:00Z", title="orders in ALARM")
    alerts.sync([incident(), other])
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # GIVEN Slack refuses the next edit WHEN the first incident resolves (and the other one changes)
    slack.fail_next("chat.update", error="internal_error")
    alerts.sync([incident(state="resolved"), replace(other, title="orders in ALARM (worse)")])
    # THEN the other incident is still brought up to date in that poll
    assert any("worse" in c.params["text"] and c.response.get("ok") for c in slack.calls("chat.update"))
    assert Store(tmp_path / "aiops.db").get_incident(incident().key)["slack_pending"] == 1
    # WHEN Slack answers again on the next poll
    alerts.sync([replace(other, title="orders in ALARM (worse)")])
    # THEN the resolved incident's parent is edited to resolved and its thread told, once
    edits = [c for c in slack.calls("chat.update") if c.params["ts"] == parent_ts]
    assert "resolved" in edits[-1].params["blocks"][0]["text"]["text"]
    replies = [m["text"] for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
    assert replies.count("State changed: open → resolved") == 1
    assert Store(tmp_path / "aiops.db").get_incident(incident().key)["slack_pending"] == 0
    # AND a later poll makes no further edit of it
    count = len(edits)
    alerts.sync([replace(other, title="orders in ALARM (worse)")])
    assert len([c for c in slack.calls("chat.update") if c.params["ts"] == parent_ts]) == count


def test_signals_that_join_an_incident_are_told_in_its_thread(slack, tmp_path):
    from dataclasses import replace

    from analyzers.incidents import Signal
    from analyzers.model import MetricKey, ResourceRef
    alerts = service(slack, tmp_path / "aiops.db")
    fn, db = ResourceRef("lambda", "checkout-api", "us-east-1"), ResourceRef("rds", "orders-db", "us-east-1")
    first = Signal("alarm", fn, None, T0, 1.0, text="checkout-api-errors is ALARM")
    cpu = Signal("anomaly", db, MetricKey.of("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "orders-db"},
                                             "Average", "us-east-1"), T0, 0.9, 97.0, "CPUUtilization up to 97")
    alerts.sync([replace(incident(), signals=(first,))])
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # WHEN the database's CPU anomaly joins the incident on the next poll
    alerts.sync([replace(incident(title="checkout-api-errors in ALARM (+1 related)"), signals=(first, cpu))])
    # THEN the thread names what joined (and only that)
    replies = [m for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
    joined = [m for m in replies if "Joined the incident" in m["blocks"][0]["text"]["text"]]
    assert len(joined) == 1 and "CPUUtilization up to 97" in joined[0]["blocks"][0]["text"]["text"]
    assert "checkout-api-errors is ALARM" not in joined[0]["blocks"][0]["text"]["text"]


def test_a_resolved_alarm_incident_is_told_in_the_past_and_cannot_be_muted(slack, tmp_path):
    alerts = service(slack, tmp_path / "aiops.db")
    alerts.sync([incident(title="checkout-api-errors in ALARM on checkout-api")])
    alerts.sync([incident(state="resolved", title="checkout-api-errors in ALARM on checkout-api")])
    parent = slack.calls("chat.update")[-1].params
    assert "checkout-api-errors was in ALARM on checkout-api" in parent["blocks"][0]["text"]["text"]
    assert parent["text"].startswith("Incident checkout-api-errors was in ALARM")
    assert "already resolved" in alerts.mute(incident().key, "U1")


def test_after_a_restart_an_incident_the_first_poll_misses_is_not_resolved_at_once(slack, tmp_path):
    db = tmp_path / "aiops.db"
    service(slack, db).sync([incident()])
    # GIVEN a new process (restart) whose first poll does not mention the open incident (say, its region failed)
    restarted = service(slack, db)
    # WHEN it polls once THEN the incident stays open; only a second poll without it resolves it
    assert restarted.sync([]).resolved == 0 and not Store(db).get_incident(incident().key)["resolved_at"]
    assert restarted.sync([]).resolved == 1


def test_an_alarm_that_clears_while_its_anomalies_go_on_is_told_in_the_thread(slack, tmp_path):
    from dataclasses import replace

    from analyzers.incidents import Signal
    from analyzers.model import MetricKey, ResourceRef
    alerts = service(slack, tmp_path / "aiops.db")
    fn = ResourceRef("lambda", "checkout-api", "us-east-1")
    alarm = Signal("alarm", fn, None, T0, 1.0, text="alarm checkout-api-errors is ALARM: Threshold Crossed")
    errors = Signal("anomaly", fn, MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, "Sum",
                                                "us-east-1"), T0, 0.9, 40.0, "Errors up from ~0 to 40")
    alerts.sync([replace(incident(), signals=(alarm, errors))])
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # WHEN the alarm returns to OK but the errors go on
    alerts.sync([replace(incident(title="Errors anomalous on checkout-api"), signals=(errors,))])
    # THEN the thread says so
    replies = [m["text"] for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
    assert "Alarm checkout-api-errors is no longer in ALARM; the incident's other signals go on." in replies


@pytest.mark.parametrize("carries_name", [True, False], ids=["signal-names-alarm", "row-stored-before-names"])
def test_a_cleared_alarm_whose_name_contains_is_is_named_whole(slack, tmp_path, carries_name):
    from dataclasses import replace

    from analyzers.incidents import Signal
    from analyzers.model import MetricKey, ResourceRef
    alerts = service(slack, tmp_path / "aiops.db")
    fn = ResourceRef("lambda", "checkout-api", "us-east-1")
    # GIVEN an alarm whose name has " is " in it, and a reason that has it too
    alarm = Signal("alarm", fn, None, T0, 1.0, text="alarm queue is stuck is ALARM: depth is 40: Threshold Crossed",
                   alarm="queue is stuck" if carries_name else "")
    errors = Signal("anomaly", fn, MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": "checkout-api"}, "Sum",
                                                "us-east-1"), T0, 0.9, 40.0, "Errors up from ~0 to 40")
    alerts.sync([replace(incident(), signals=(alarm, errors))])
    parent_ts = slack.calls("chat.postMessage")[0].response["ts"]
    # WHEN the alarm clears while the errors go on
    alerts.sync([replace(incident(title="Errors anomalous on checkout-api"), signals=(errors,))])
    # THEN the thread names the whole alarm
    replies = [m["text"] for m in slack.messages(CHANNEL) if m.get("thread_ts") == parent_ts]
    assert "Alarm queue is stuck is no longer in ALARM; the incident's other signals go on." in replies


def test_emphasis_marks_in_an_alarm_name_do_not_break_the_bold_title():
    text = ui.alert_parent({"title": "billing *URGENT* ~x~ in ALARM", "region": "us-east-1", "state": "open",
                            "key": "k"})[0]["text"]["text"]
    inner = text.split("*", 1)[1].rsplit("*", 1)[0]
    assert "*" not in inner and "~" not in inner and "URGENT" in inner
