"""aws.accounts end to end: one assumed read-only role per account, against the local moto server.

moto lets an AssumeRole into another account's role act in that account, so one
emulator holds three accounts: the bot's own (where it starts) and the two it
watches, ``prod`` and ``staging``. Each has alarms seeded through its own role.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from botocore.config import Config as BotoConfig
from moto.sts.exceptions import STSClientError
from moto.sts.models import STSBackend, sts_backends

from bot.aws import AccountsProvider, ClientFactory, GatewayProvider
from bot.config import Config, ConfigError
from bot.engine import InvestigationError, InvestigationRequest
from bot.poller import Poller
from bot.sandbox.server import SANDBOX_CREDENTIALS, EmulatorServer
from bot.wiring import build_provider, build_runtime
from tests.conftest import assert_valid_report

EAST, WEST = "us-east-1", "eu-west-1"
PROD_ID, STAGING_ID = "111111111111", "222222222222"
PROD_ROLE = f"arn:aws:iam::{PROD_ID}:role/aiops-bot-readonly"
STAGING_ROLE = f"arn:aws:iam::{STAGING_ID}:role/aiops-bot-readonly"
EXTERNAL_ID_ENV = "AIOPS_STAGING_EXTERNAL_ID"
EXTERNAL_ID = "ext-0f5e-SECRET-9a71"
SHARED = "orders-api-errors"  # the same alarm name in both accounts (one stack deployed twice)


def _arn(account_id: str, region: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{region}:{account_id}:alarm:{name}"


def _seed_alarm(endpoint: str, role: str, region: str, name: str, function: str) -> None:
    cloudwatch = ClientFactory(endpoint_url=endpoint, static_credentials=dict(SANDBOX_CREDENTIALS),
                               role_arn=role).client("cloudwatch", region)
    cloudwatch.put_metric_alarm(AlarmName=name, Namespace="AWS/Lambda", MetricName="Errors",
                                Dimensions=[{"Name": "FunctionName", "Value": function}], Statistic="Sum",
                                Period=60, EvaluationPeriods=3, Threshold=5,
                                ComparisonOperator="GreaterThanThreshold")
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="Threshold Crossed: 3 datapoints")


@pytest.fixture(scope="module")
def emulator():
    """prod: SHARED in us-east-1; staging: SHARED in us-east-1 and billing-lag in eu-west-1."""
    server = EmulatorServer().start()
    try:
        _seed_alarm(server.endpoint_url, PROD_ROLE, EAST, SHARED, "orders-api")
        _seed_alarm(server.endpoint_url, STAGING_ROLE, EAST, SHARED, "orders-api")
        _seed_alarm(server.endpoint_url, STAGING_ROLE, WEST, "billing-lag", "billing")
        yield server
    finally:
        server.stop()


def _config(endpoint: str, accounts: bool = True) -> Config:
    aws: dict = {"regions": [EAST, WEST], "endpoint_url": endpoint}
    if accounts:
        aws["accounts"] = [{"name": "prod", "role_arn": PROD_ROLE},
                           {"name": "staging", "role_arn": STAGING_ROLE, "external_id_env": EXTERNAL_ID_ENV}]
    return Config.model_validate({"aws": aws, "monitoring": {"services": {"lambda": {"resources": ["orders-api"]}}},
                                  "llm": {"provider": "none"}})


@pytest.fixture
def runtime(emulator, monkeypatch):
    """A runtime built from config (no scenario): the bot's identity is the emulator's default account."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", SANDBOX_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SANDBOX_CREDENTIALS["aws_secret_access_key"])
    # one attempt: the emulator answers 500 for the few APIs it lacks (CloudTrail, alarm history)
    monkeypatch.setattr("bot.aws.clients.RETRY_CONFIG",
                        BotoConfig(retries={"mode": "standard", "max_attempts": 1}, connect_timeout=5, read_timeout=30))
    built = build_runtime(config=_config(emulator.endpoint_url), memory_db=True, env={EXTERNAL_ID_ENV: EXTERNAL_ID})
    yield built
    built.close()


@pytest.fixture
def deny_staging(monkeypatch):
    """The staging role's trust policy does not allow the bot: AssumeRole answers AccessDenied."""
    original = STSBackend.assume_role

    def assume_role(self, *args, **kwargs):
        if kwargs.get("role_arn") == STAGING_ROLE:
            raise STSClientError("AccessDenied", f"User: arn:aws:iam::123456789012:user/bot is not authorized to "
                                                 f"perform: sts:AssumeRole on resource: {STAGING_ROLE}")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(STSBackend, "assume_role", assume_role)


def _investigate(runtime, ref: str) -> dict:
    inv_id = runtime.investigator.start(InvestigationRequest(ref, 1.0))
    return runtime.investigator.run(inv_id)


def _record_gateways(monkeypatch, provider: AccountsProvider) -> list[tuple[str, str | None]]:
    used: list[tuple[str, str | None]] = []
    original = provider.region

    def region(name: str, account: str | None = None):
        used.append((name, account))
        return original(name, account)

    monkeypatch.setattr(provider, "region", region)
    return used


def test_without_accounts_the_default_credentials_serve_one_provider(emulator):
    # GIVEN a config without aws.accounts WHEN the provider is built
    provider = build_provider(_config(emulator.endpoint_url, accounts=False), env={})
    # THEN it is today's single-account provider: no role, no account name on its gateways
    assert isinstance(provider, GatewayProvider) and provider.factory.role_arn is None
    assert provider.account is None and provider.region(EAST).account is None


def test_every_account_and_region_is_polled_and_incidents_name_their_account(runtime):
    # GIVEN two accounts x two regions, an alarm firing in prod/us-east-1, staging/us-east-1, staging/eu-west-1
    poller = Poller(runtime)
    # WHEN polled
    incidents = poller.poll()
    # THEN all four account x region pairs were polled and none failed
    assert poller.last_stats.regions == 4 and poller.last_stats.failed_regions == []
    # AND each firing alarm is one incident of its own account, keyed, titled and linked (ARN) per account
    seen = {(i.account, i.region, i.alarm_name) for i in incidents if i.state == "open"}
    assert seen == {("prod", EAST, _arn(PROD_ID, EAST, SHARED)), ("staging", EAST, _arn(STAGING_ID, EAST, SHARED)),
                    ("staging", WEST, _arn(STAGING_ID, WEST, "billing-lag"))}
    by_account = {(i.account, i.region): i for i in incidents}
    prod = by_account[("prod", EAST)]
    assert prod.key.startswith(f"alarm:prod:{EAST}:{SHARED}:") and prod.title.startswith("[prod] ")
    assert prod.to_dict()["account"] == "prod"
    assert len({i.key for i in incidents}) == 3  # the shared alarm name does not merge the two accounts
    # AND a second poll keeps the same keys (nothing new, nothing resolved)
    again = poller.poll()
    assert {i.key for i in again if i.state == "open"} == {i.key for i in incidents}
    assert not poller.last_changes.new and not poller.last_changes.resolved


def test_an_arn_picks_its_account_and_every_later_step_reads_that_account(runtime, monkeypatch, report_schema):
    # GIVEN the staging alarm's ARN (prod has an alarm of the same name)
    used = _record_gateways(monkeypatch, runtime.provider)
    arn = _arn(STAGING_ID, EAST, SHARED)
    # WHEN investigated
    report = _investigate(runtime, arn)
    # THEN the report's alarm is staging's, named by account, and the report still fits the schema
    assert report["alarm"]["arn"] == arn and report["alarm"]["account"] == "staging"
    assert report["alarm"]["region"] == EAST
    assert_valid_report(report, report_schema)
    # AND every gateway the investigation used was staging's: the ARN's region, and staging's other
    # configured region only for its inventory (where a dependency might live; none is linked here)
    assert used and {account for _, account in used} == {"staging"} and used[0] == (EAST, "staging")
    assert set(used) <= {(EAST, "staging"), (WEST, "staging")} and used.count((WEST, "staging")) <= 1


def test_a_name_in_two_accounts_is_an_error_naming_both_arns(runtime):
    # GIVEN the shared alarm name WHEN investigated by name
    with pytest.raises(InvestigationError) as error:
        _investigate(runtime, SHARED)
    # THEN the error lists both ARNs to use instead
    message = str(error.value)
    assert "2 places" in message and "by ARN" in message
    assert _arn(PROD_ID, EAST, SHARED) in message and _arn(STAGING_ID, EAST, SHARED) in message


def test_a_name_in_one_account_is_found_by_searching_every_account_and_region(runtime):
    # GIVEN an alarm only staging has, in eu-west-1 WHEN investigated by name
    report = _investigate(runtime, "billing-lag")
    # THEN it was found there
    assert report["alarm"]["account"] == "staging" and report["alarm"]["region"] == WEST
    assert report["alarm"]["arn"] == _arn(STAGING_ID, WEST, "billing-lag")


def test_an_arn_of_an_unconfigured_account_is_a_clear_error(runtime):
    with pytest.raises(InvestigationError, match="account 333333333333, which is not configured"):
        _investigate(runtime, _arn("333333333333", EAST, SHARED))


def test_an_account_whose_role_cannot_be_assumed_is_reported_and_skipped(runtime, deny_staging):
    # GIVEN staging's role refuses the bot WHEN polled
    poller = Poller(runtime)
    incidents = poller.poll()
    # THEN prod is still polled and staging is reported (role and AccessDenied), both its regions skipped
    assert {(i.account, i.region) for i in incidents} == {("prod", EAST)}
    stats = poller.last_stats
    assert stats.failed_regions == [f"staging/{EAST}", f"staging/{WEST}"] and stats.regions == 4
    assert "cannot assume" in stats.failed_accounts["staging"] and STAGING_ROLE in stats.failed_accounts["staging"]
    assert "AccessDenied" in stats.failed_accounts["staging"]
    # AND searching by name still works in prod, with a warning that staging was not searched
    report = _investigate(runtime, SHARED)
    assert report["alarm"]["account"] == "prod"
    assert report["steps"]["alarm"]["status"] == "degraded"
    assert f"skipped account staging: cannot assume {STAGING_ROLE} (AccessDenied" in report["steps"]["alarm"]["error"]
    # AND investigating a staging ARN fails with the reason, not a traceback
    with pytest.raises(InvestigationError, match="account staging: cannot assume .*AccessDenied"):
        _investigate(runtime, _arn(STAGING_ID, EAST, SHARED))


def test_an_unreadable_account_does_not_keep_the_others_incidents_open(runtime, monkeypatch):
    # GIVEN a poll that saw all three alarms, then staging's role starts refusing the bot
    poller = Poller(runtime)
    first = poller.poll()
    assert len(first) == 3
    original = STSBackend.assume_role

    def deny(self, *args, **kwargs):
        if kwargs.get("role_arn") == STAGING_ROLE:
            raise STSClientError("AccessDenied", "not authorized")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(STSBackend, "assume_role", deny)
    for account in runtime.provider.accounts():  # drop cached sessions: the next poll assumes the roles again
        account.factory._session = None
        account.factory._cache.clear()
    prod_cw = runtime.provider.region(EAST, "prod").factory.client("cloudwatch", EAST)
    prod_cw.set_alarm_state(AlarmName=SHARED, StateValue="OK", StateReason="recovered")  # a read-only bot never
    try:                                                                                    # does this; the test does
        # WHEN polled again
        second = poller.poll()
    finally:
        prod_cw.set_alarm_state(AlarmName=SHARED, StateValue="ALARM", StateReason="Threshold Crossed")
    # THEN prod's recovered alarm resolves, while staging's incidents stay open (not seen, not resolved)
    states = {(i.account, i.region): i.state for i in second}
    assert states == {("prod", EAST): "resolved", ("staging", EAST): "open", ("staging", WEST): "open"}


def test_external_id_is_sent_with_assume_role_and_never_logged(runtime, caplog):
    # GIVEN staging's external id in the environment, and every log record of the bot captured
    caplog.set_level(logging.DEBUG, logger="bot")
    before = {account: len(sts_backends[account]["aws"].assumed_roles) for account in (PROD_ID, STAGING_ID)}
    # WHEN the bot polls and investigates
    Poller(runtime).poll()
    report = _investigate(runtime, "billing-lag")
    # THEN moto received the external id with the bot's AssumeRole into staging, and none into prod
    staging = sts_backends[STAGING_ID]["aws"].assumed_roles[before[STAGING_ID]:]
    prod = sts_backends[PROD_ID]["aws"].assumed_roles[before[PROD_ID]:]
    assert staging and all(r.external_id == EXTERNAL_ID for r in staging)
    assert prod and all(r.external_id is None for r in prod)
    # AND it appears in no log record, no repr and no report
    assert caplog.records and not [r for r in caplog.records if EXTERNAL_ID in r.getMessage()]
    factory = runtime.provider.account("staging").factory
    assert EXTERNAL_ID not in repr(factory) and EXTERNAL_ID not in repr(runtime.provider.account("staging"))
    assert EXTERNAL_ID not in str(report)


def test_assumed_role_credentials_refresh_before_they_expire(runtime):
    # GIVEN staging's session WHEN its credentials are read
    credentials = runtime.provider.account("staging").factory._base_session().get_credentials()
    # THEN they are botocore's refreshable kind, expiring (moto: one hour) in the future, UTC
    assert credentials.method == "sts-assume-role"
    assert credentials._expiry_time > datetime.now(timezone.utc) + timedelta(minutes=30)


def test_config_errors_name_the_account(emulator):
    # GIVEN a missing external id, then an account listed twice WHEN the provider is built THEN a ConfigError
    with pytest.raises(ConfigError, match=f"'staging'.*{EXTERNAL_ID_ENV}"):
        build_provider(_config(emulator.endpoint_url), env={})
    twice = _config(emulator.endpoint_url).model_dump()
    twice["aws"]["accounts"][1]["role_arn"] = PROD_ROLE.replace("readonly", "other")
    with pytest.raises(ConfigError, match=f"account id {PROD_ID} is listed twice"):
        build_provider(Config.model_validate(twice), env={EXTERNAL_ID_ENV: EXTERNAL_ID})


def test_each_account_watches_its_own_regions(emulator, monkeypatch):
    # GIVEN prod configured for us-east-1 only and staging for eu-west-1 only (aws.regions has both)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", SANDBOX_CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SANDBOX_CREDENTIALS["aws_secret_access_key"])
    config = _config(emulator.endpoint_url)
    aws = config.aws.model_dump()
    aws["accounts"][0]["regions"] = [EAST]
    aws["accounts"][1]["regions"] = [WEST]
    config = Config.model_validate({**config.model_dump(), "aws": aws})
    built = build_runtime(config=config, memory_db=True, env={EXTERNAL_ID_ENV: EXTERNAL_ID})
    try:
        # WHEN polled
        poller = Poller(built)
        incidents = poller.poll()
        # THEN only prod/us-east-1 and staging/eu-west-1 were read: staging's us-east-1 alarm is not watched
        assert poller.last_stats.regions == 2
        assert {(i.account, i.region) for i in incidents} == {("prod", EAST), ("staging", WEST)}
        # AND the shared name is found once (prod's), not reported as ambiguous
        assert _investigate(built, SHARED)["alarm"]["account"] == "prod"
        # AND a name only in an unwatched account x region is an error naming what was searched
        with pytest.raises(InvestigationError, match=rf"prod \({EAST}\), staging \({WEST}\)"):
            _investigate(built, "no-such-alarm")
    finally:
        built.close()
