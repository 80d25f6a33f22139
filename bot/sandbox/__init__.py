"""The sandbox AWS account: a local moto server seeded from a scenario file."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bot.aws.clients import ClientFactory
from bot.aws.gateway import GatewayProvider

from .gateway import SandboxGateway
from .loader import seed
from .scenario import Scenario, ScenarioError, load_scenario
from .server import SANDBOX_CREDENTIALS, EmulatorServer

log = logging.getLogger(__name__)

__all__ = ["Sandbox", "Scenario", "ScenarioError", "load_scenario", "SandboxGateway", "EmulatorServer"]


@dataclass
class Sandbox:
    """A running emulator seeded with one scenario; ``provider`` hands out its gateways."""

    scenario: Scenario
    server: EmulatorServer
    factory: ClientFactory
    counts: dict[str, int] = field(default_factory=dict)
    seeded_at: datetime | None = None  # when the emulator was seeded (moto's stamps), in real time

    @classmethod
    def start(cls, scenario_path: str | Path, loaded_at: datetime | None = None) -> "Sandbox":
        """Start the emulator seeded with the scenario, its relative times measured from ``loaded_at``
        (default: now, to the minute; a resumed investigation passes its own so old and new steps agree).
        An AWS profile in the environment is set aside for this process: the sandbox has its own credentials,
        and botocore (in the bot and in the emulator it runs) would fail on a profile this machine lacks."""
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            if os.environ.pop(name, None) is not None:
                log.info("sandbox: %s ignored (the sandbox has its own credentials)", name)
        scenario = load_scenario(scenario_path, loaded_at)
        server = EmulatorServer().start()
        factory = ClientFactory(endpoint_url=server.endpoint_url, static_credentials=dict(SANDBOX_CREDENTIALS),
                                emulator=True)
        try:
            counts = seed(factory, scenario)
        except Exception:
            server.stop()
            raise
        log.info("sandbox %s seeded: %s", scenario.name, counts)
        return cls(scenario, server, factory, counts, datetime.now(timezone.utc))

    def provider(self, regions: list[str] | None = None) -> GatewayProvider:
        return GatewayProvider(self.factory, regions or self.scenario.regions, SandboxGateway,
                               scenario=self.scenario, seeded_at=self.seeded_at)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
