"""Slack listeners (thin: parse, call the service, render Block Kit). ``register(app, services)`` wires them.

``COMMANDS``, ``ACTIONS`` and ``EVENTS`` are the registry the manifest test
compares with ``manifest.yml`` and with the action ids the blocks emit.
"""
from __future__ import annotations

import re
from typing import Any

from . import actions, blocks, commands, events

COMMANDS = (commands.COMMAND,)
ACTIONS = blocks.ACTION_IDS
EVENTS = ("app_mention",)


def register(app: Any, services: Any) -> dict[str, tuple[str, ...]]:
    """Register every listener on a Bolt app; returns the registry."""
    app.command(commands.COMMAND)(
        lambda ack, command, respond: commands.handle(services, ack, command, respond))
    app.action(blocks.APPROVE)(actions.decision(services, "approve"))
    app.action(blocks.REJECT)(actions.decision(services, "reject"))
    app.action(blocks.ALERT_INVESTIGATE)(actions.alert_investigate(services))
    app.action(blocks.ALERT_SNOOZE)(actions.alert_snooze(services))
    app.action(blocks.ALERT_MUTE)(actions.alert_mute(services))
    app.action(blocks.ALERT_UNMUTE)(actions.alert_unmute(services))
    app.action(re.compile(".+"))(actions.unknown_action(services))  # last: only what no listener above takes
    app.event("app_mention")(events.on_mention)
    return {"commands": COMMANDS, "actions": ACTIONS, "events": EVENTS}
