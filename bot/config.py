"""Configuration: the YAML file's schema, its validation and the resolution order.

Settings resolve argument > environment > file > default. The file never holds
secrets: tokens and keys come only from environment variables (see
:func:`Secrets.from_env`). A bad file gives one :class:`ConfigError` naming the
key and the file, never a traceback.
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, StringConstraints, field_validator

from bot.yaml_files import read_yaml_file

log = logging.getLogger(__name__)

MAX_WINDOW_HOURS = 24 * 14  # the longest history an investigation reads (two weeks)
SERVICES = ("ec2", "lambda", "rds", "ecs", "apigateway", "alb")
SECRET_KEYS = {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "access_key",
               "secret_key", "token", "bot_token", "app_token", "signing_secret", "api_key",
               "password"}


class ConfigError(Exception):
    """A configuration problem, phrased for the user (names the key and the file)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "true" is no number of days


_REGION = re.compile(r"^[a-z]{2,4}(-[a-z]+)?-(north|south|east|west|central|northeast|northwest|southeast|"
                     r"southwest)-[1-9]$")  # us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1


FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]  # .nan or .inf in YAML would silently break a rule


def check_region(region: str) -> str:
    """`region` if it is shaped like an AWS region name (us-east-1, us-gov-west-1...), else ValueError."""
    if not _REGION.match(region or ""):
        raise ValueError(f"'{region}' is not an AWS region name (like us-east-1)")
    return region


def check_http_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host (and a numeric port, if any), else ValueError."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{value}' is not an http(s) URL with a host (like http://localhost:5000)")
    return value


def _check_regions(regions: list[str]) -> list[str]:
    for region in regions:
        check_region(region)
    if len(set(regions)) != len(regions):
        raise ValueError(f"a region is listed twice: {', '.join(regions)}")
    return regions


Regions = Annotated[list[str], AfterValidator(_check_regions), Field(min_length=1)]


def _check_role_arn(arn: str) -> str:
    if not re.match(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$", arn):
        raise ValueError(f"'{arn}' is not an IAM role ARN (like arn:aws:iam::123456789012:role/aiops-bot-readonly)")
    return arn


class AccountConfig(_Strict):
    name: str
    role_arn: Annotated[str, AfterValidator(_check_role_arn)]
    external_id_env: str | None = None
    regions: Regions | None = None  # this account's regions (default: aws.regions)


class CredentialsConfig(_Strict):
    profile: str | None = None
    role_arn: str | None = Field(default=None, pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


class AwsConfig(_Strict):
    regions: Regions = Field(default_factory=lambda: ["us-east-1"])
    credentials: CredentialsConfig = CredentialsConfig()
    accounts: list[AccountConfig] = Field(default_factory=list)
    endpoint_url: Annotated[str, AfterValidator(check_http_url)] | None = None



class ServiceConfig(_Strict):
    enabled: bool = True
    resources: list[str] = Field(default_factory=list)


class MetricRule(_Strict):
    threshold: FiniteFloat | None = None
    comparison: Literal["GreaterThanThreshold", "GreaterThanOrEqualToThreshold",
                        "LessThanThreshold", "LessThanOrEqualToThreshold"] | None = Field(
        default=None, description="default: the metric's bad side (below for free memory, storage, credits)")
    period: int = Field(default=60, ge=60)
    statistic: Literal["Average", "Sum", "Minimum", "Maximum", "SampleCount"] | Annotated[
        str, StringConstraints(pattern=r"^p(\d{1,2}(\.\d{1,3})?|100)$")] | None = Field(
        default=None, description="a statistic, or a percentile such as p99 or p99.9")
    resources: dict[str, FiniteFloat] = Field(default_factory=dict, description="per-resource threshold")

    @field_validator("period")
    @classmethod
    def _period_multiple(cls, period: int) -> int:
        if period % 60:
            raise ValueError("period must be a multiple of 60 seconds")
        return period


class MonitoringConfig(_Strict):
    services: dict[str, ServiceConfig] = Field(default_factory=lambda: {s: ServiceConfig() for s in SERVICES})
    metrics: dict[str, dict[str, MetricRule]] = Field(default_factory=dict)
    groups: dict[str, list[str]] = Field(
        default_factory=dict, description="named groups of related resources: ids, or prefixes ending in *")
    poll_interval: int = Field(default=300, ge=30, description="seconds between polls")
    history_hours: float = Field(default=3, ge=1, le=72, description="hours of metrics each poll reads: 26 or "
                                 "more lets the detector learn daily patterns, at more GetMetricData datapoints")
    jitter: int = Field(default=15, ge=0)

    @field_validator("services", "metrics")
    @classmethod
    def _known_services(cls, value: dict) -> dict:
        for name in value:
            if name not in SERVICES:
                raise ValueError(f"unknown service '{name}' (expected one of {', '.join(SERVICES)})")
        return value


class AnalysisConfig(_Strict):
    time_window: float = Field(default=6, gt=0, le=MAX_WINDOW_HOURS, description="hours of history")
    log_query_limit: int = Field(default=10000, ge=1, le=10000)  # Logs Insights returns at most 10,000 rows
    cache_retention: int = Field(default=30, ge=1, description="days")
    change_lookback: float = Field(default=6, gt=0, le=24 * 7, description="hours before onset")
    insights_max_bytes: int = Field(default=5 * 1024**3, ge=0, description="cap on Logs Insights data scanned")


def _check_slack_ids(ids: list[str]) -> list[str]:
    for slack_id in ids:
        if not re.match(r"^[UWS][A-Z0-9]{2,}$", slack_id or ""):
            raise ValueError(f"'{slack_id}' is not a Slack user id (U..., W...) or user-group id (S...); "
                             "names do not work")
    return ids


class SlackConfig(_Strict):
    channel: str | None = None
    approvers: Annotated[list[str], AfterValidator(_check_slack_ids)] = Field(default_factory=list)
    watch: bool = False
    digest_hour_utc: int | None = Field(default=None, ge=0, le=23)


class RedactionSettings(_Strict):
    emails: bool = True
    ip_addresses: bool = True
    extra_patterns: list[str] = Field(default_factory=list)

    @field_validator("extra_patterns")
    @classmethod
    def _patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{pattern}' is not a regular expression ({exc})") from None
            if compiled.search("") is not None:
                raise ValueError(f"'{pattern}' matches the empty string, so it would redact everything")
        return patterns


class LlmConfig(_Strict):
    provider: Literal["anthropic", "bedrock", "none"] = "anthropic"
    model: str = "claude-sonnet-5-5"
    max_input_tokens: int = Field(default=8000, ge=2000)  # prompt, tools and hypotheses take ~1,500
    max_output_tokens: int = Field(default=1500, ge=100)
    budget_usd: FiniteFloat = Field(default=0.50, ge=0)
    timeout: FiniteFloat = Field(default=60, gt=0, le=3600)
    max_retries: int = Field(default=3, ge=0, le=10)


class Config(_Strict):
    """The whole validated configuration file."""

    aws: AwsConfig = AwsConfig()
    monitoring: MonitoringConfig = MonitoringConfig()
    analysis: AnalysisConfig = AnalysisConfig()
    slack: SlackConfig = SlackConfig()
    llm: LlmConfig = LlmConfig()
    redaction: RedactionSettings = RedactionSettings()


def _find_secret_keys(node: object, path: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if str(key).lower() in SECRET_KEYS and value not in (None, ""):
                found.append(here)
            found.extend(_find_secret_keys(value, here))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_find_secret_keys(value, f"{path}[{i}]"))
    return found


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    if first["type"] == "extra_forbidden":
        return f"unknown key '{key}'"
    return f"'{key}': {first['msg']}"


def parse_config(data: object, source: str = "<config>") -> Config:
    """Validate an already-parsed mapping. Raises ConfigError naming key and source."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the top level must be a mapping of sections (aws, monitoring, ...)")
    secrets = _find_secret_keys(data)
    if secrets:
        raise ConfigError(f"{source}: '{secrets[0]}' looks like a secret; secrets come only from "
                          "environment variables, never from the config file")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_describe(exc)}") from None


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Load and validate the config: ``path`` > ``$AIOPS_CONFIG`` > ./config.yaml > defaults."""
    chosen = path or os.environ.get("AIOPS_CONFIG")
    if not chosen:
        default = Path("config.yaml")
        if not default.exists():
            log.debug("no config file; using defaults")
            return Config()
        chosen = default
    file = Path(chosen)
    data = read_yaml_file(file, "config", ConfigError)
    return parse_config(data, str(file))


class Secrets(BaseModel):
    """Secrets, read only from the environment. Never logged (repr hides values)."""

    model_config = ConfigDict(frozen=True)

    slack_bot_token: str | None = Field(default=None, repr=False)
    slack_app_token: str | None = Field(default=None, repr=False)
    slack_signing_secret: str | None = Field(default=None, repr=False)
    anthropic_api_key: str | None = Field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Secrets":
        env = dict(os.environ) if env is None else env
        return cls(slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
                   slack_app_token=env.get("SLACK_APP_TOKEN") or None,
                   slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
                   anthropic_api_key=env.get("ANTHROPIC_API_KEY") or None)
