"""Button listeners: approve / reject a script (recorded only), and the alert buttons."""
from __future__ import annotations

import logging
from typing import Any, Callable

log = logging.getLogger(__name__)


def _tell(respond: Callable[..., Any], text: str) -> None:
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except ValueError:  # a payload without response_url: nobody to tell
        log.warning("could not answer a button click (no response_url): %s", text[:200])


def _part(body: dict, name: str) -> dict:
    """A sub-object of the payload, {} when absent or not an object (payloads are untrusted)."""
    value = body.get(name)
    return value if isinstance(value, dict) else {}


def _who(body: dict) -> tuple[str, str]:
    user = _part(body, "user")
    return str(user.get("id", "")), str(user.get("username") or user.get("name") or "")


def _where(body: dict) -> tuple[str | None, str | None]:
    channel = _part(body, "channel").get("id") or _part(body, "container").get("channel_id")
    ts = _part(body, "message").get("ts") or _part(body, "container").get("message_ts")
    return channel, ts


def decision(services: Any, verdict: str) -> Callable[..., None]:
    def on_click(ack: Callable[..., Any], body: dict, action: dict, respond: Callable[..., Any]) -> None:
        ack()
        inv_id, _, script_id = str(action.get("value", "")).partition("|")
        if not inv_id or not script_id:
            _tell(respond, "This button carries no script reference.")
            return
        user_id, name = _who(body)
        channel, ts = _where(body)

        def decide() -> None:
            outcome = services.decide(inv_id, script_id, verdict, user_id, channel, ts, fallback_name=name)
            if outcome.status != "recorded":
                _tell(respond, outcome.message)
        services.after_ack(decide, respond)
    return on_click


def alert_investigate(services: Any) -> Callable[..., None]:
    def on_click(ack: Callable[..., Any], body: dict, action: dict, respond: Callable[..., Any]) -> None:
        ack()
        services.after_ack(lambda: _investigate_incident(services, str(action.get("value", "")), body, respond),
                           respond)
    return on_click


def _investigate_incident(services: Any, key: str, body: dict, respond: Callable[..., Any]) -> None:
    row = services.alerts.incident(key)
    if row is None or not row.get("alarm_name"):
        _tell(respond, "This incident is not known to the bot." if row is None else
              "This incident has no CloudWatch alarm to investigate.")
        return
    user_id, _ = _who(body)
    channel = row.get("channel") or _where(body)[0]
    outcome = services.start_investigation(row["alarm_name"], None, channel, user_id, thread_ts=row.get("thread_ts"))
    if outcome.status == "started":
        services.alerts.attach_investigation(row["key"], outcome.investigation_id)
    else:
        _tell(respond, outcome.message)


def alert_snooze(services: Any) -> Callable[..., None]:
    def on_click(ack: Callable[..., Any], body: dict, action: dict, respond: Callable[..., Any]) -> None:
        ack()
        services.after_ack(lambda: _tell(respond, services.alerts.snooze(str(action.get("value", "")), _who(body)[0])),
                           respond)
    return on_click


def alert_mute(services: Any) -> Callable[..., None]:
    def on_click(ack: Callable[..., Any], body: dict, action: dict, respond: Callable[..., Any]) -> None:
        ack()
        services.after_ack(lambda: _tell(respond, services.alerts.mute(str(action.get("value", "")), _who(body)[0])),
                           respond)
    return on_click


def alert_unmute(services: Any) -> Callable[..., None]:
    def on_click(ack: Callable[..., Any], body: dict, action: dict, respond: Callable[..., Any]) -> None:
        ack()
        services.after_ack(
            lambda: _tell(respond, services.alerts.unmute(str(action.get("value", "")), _who(body)[0])), respond)
    return on_click


def unknown_action(services: Any) -> Callable[..., None]:
    """Any other button (a message from an older version, a hand-made payload): acked, and the clicker told."""
    def on_click(ack: Callable[..., Any], action: dict, respond: Callable[..., Any]) -> None:
        ack()
        log.info("unknown button %r clicked", str(action.get("action_id", ""))[:80])
        services.after_ack(lambda: _tell(respond, "This button is not one this version of aiops-bot handles; "
                                                  "nothing was done."), respond)
    return on_click
