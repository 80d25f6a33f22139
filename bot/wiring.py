"""The composition root: the one place that builds the object graph (config, store, AWS, LLM, engine).

Every door (CLI, Slack app, scheduler) asks :func:`build_runtime` for a
:class:`Runtime` and closes it when done. With a scenario, AWS is the local
sandbox; otherwise boto3's normal credential chain (profile, role, env), and
with ``aws.accounts`` one assumed read-only role per watched account.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.aws import AccountsProvider, ClientFactory, GatewayProvider
from bot.config import Config, ConfigError, Secrets, check_http_url, load_config
from bot.engine import Investigator
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    secrets: Secrets
    store: Store
    provider: GatewayProvider | AccountsProvider
    investigator: Investigator
    sandbox: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def _redactor_factory(config: Config):
    try:
        from analyzers.redaction import RedactionConfig, Redactor
    except ImportError:  # pragma: no cover - redaction ships with the package
        return None
    settings = RedactionConfig(emails=config.redaction.emails, ip_addresses=config.redaction.ip_addresses,
                               extra_patterns=tuple(config.redaction.extra_patterns))
    return lambda: Redactor(settings)


def build_provider(config: Config, env: dict[str, str] | None = None) -> GatewayProvider | AccountsProvider:
    """The real AWS door: the default credentials, or one assumed role per ``aws.accounts`` entry."""
    aws = config.aws
    base = ClientFactory(endpoint_url=aws.endpoint_url, profile=aws.credentials.profile,
                         role_arn=aws.credentials.role_arn, default_region=aws.regions[0])
    problem = base.profile_problem()
    if problem:
        raise ConfigError(problem)
    if not aws.accounts:
        return GatewayProvider(base, aws.regions)
    env = dict(os.environ) if env is None else env
    for what, values in (("name", [a.name for a in aws.accounts]),
                         ("account id", [a.role_arn.split(":")[4] for a in aws.accounts])):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise ConfigError(f"aws.accounts: {what} {repeated[0]} is listed twice")
    providers = []
    for account in aws.accounts:
        external_id = None
        if account.external_id_env:
            external_id = env.get(account.external_id_env) or None
            if external_id is None:
                raise ConfigError(f"aws.accounts '{account.name}': the environment variable "
                                  f"{account.external_id_env} (its external id) is not set")
        factory = ClientFactory(endpoint_url=aws.endpoint_url, role_arn=account.role_arn, external_id=external_id,
                                source=base, default_region=aws.regions[0])
        providers.append(GatewayProvider(factory, account.regions or aws.regions, account=account.name,
                                         account_id=account.role_arn.split(":")[4]))
    log.info("watching %d accounts: %s", len(providers), ", ".join(a.name for a in aws.accounts))
    return AccountsProvider(providers)


def _base_url(value: str | None) -> str | None:
    """ANTHROPIC_BASE_URL checked up front: a malformed one is a configuration error, not a failed step."""
    if value is None:
        return None
    try:
        return check_http_url(value)
    except ValueError as exc:
        raise ConfigError(f"ANTHROPIC_BASE_URL: {exc}") from None


def build_llm(config: Config, secrets: Secrets, store: Store, redactor_factory: Any,
              env: dict[str, str] | None = None) -> Any:
    """The LLM adapter when configured (API key, or bedrock), else None (offline)."""
    if config.llm.provider == "none":
        return None
    if config.llm.provider == "anthropic" and not secrets.anthropic_api_key:
        return None
    try:
        from bot.llm import LlmAnalyst
    except ImportError:
        return None
    base_url = _base_url((os.environ if env is None else env).get("ANTHROPIC_BASE_URL") or None)
    return LlmAnalyst.from_config(config, secrets, store, redactor_factory, base_url=base_url)


def build_runtime(config_path: str | os.PathLike | None = None, scenario: str | os.PathLike | None = None,
                  db_path: str | os.PathLike | None = None, memory_db: bool = False,
                  config: Config | None = None, env: dict[str, str] | None = None,
                  scenario_loaded_at: datetime | None = None) -> Runtime:
    """Build everything. Raises ConfigError / ScenarioError with user-facing messages."""
    config = config or load_config(config_path)
    secrets = Secrets.from_env(env)
    provider = None if scenario else build_provider(config, env)  # config errors before opening anything
    store = Store(memory=True) if memory_db else Store(db_path)
    sandbox = None
    if scenario:
        from bot.sandbox import Sandbox
        sandbox = Sandbox.start(Path(scenario), scenario_loaded_at)
        regions = list(dict.fromkeys([*config.aws.regions, *sandbox.scenario.regions]))  # config order first
        provider = sandbox.provider(regions)
    redactor_factory = _redactor_factory(config)
    llm = build_llm(config, secrets, store, redactor_factory, env)
    origin = {}  # a resume finds the same sandbox, on the same clock
    if sandbox is not None:
        origin = {"scenario": str(Path(str(scenario)).resolve()),
                  "scenario_loaded_at": sandbox.scenario.loaded_at.isoformat()}
    investigator = Investigator(config, provider, store, llm=llm, redactor_factory=redactor_factory, origin=origin)
    try:
        purged = store.purge(config.analysis.cache_retention)
        if purged:
            log.info("purged %d investigations older than %d days", purged, config.analysis.cache_retention)
    except Exception as exc:  # retention is housekeeping; never block start-up on it (one line, no traceback)
        log.warning("purge of old investigations skipped: %s: %s", exc.__class__.__name__, exc)
        log.debug("purge on start failed", exc_info=True)
    return Runtime(config, secrets, store, provider, investigator, sandbox)
