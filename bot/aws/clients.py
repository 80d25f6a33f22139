"""boto3 session and client construction: regions, endpoint URL, retries, assumed roles.

The one place where boto3 sessions are created. Every client gets botocore's
adaptive retry mode (throttling back-off) and short timeouts, and can be pointed
at a local emulator through ``endpoint_url`` — the sandbox uses the very same
code path as real AWS. Assumed-role credentials refresh themselves before they
expire; an ``ExternalId`` is sent with AssumeRole but never logged or shown.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import boto3
import botocore.session
from botocore.config import Config as BotoConfig
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, ProfileNotFound
from botocore.parsers import ResponseParserError

log = logging.getLogger(__name__)

RETRY_CONFIG = BotoConfig(retries={"mode": "adaptive", "max_attempts": 6},
                          connect_timeout=5, read_timeout=30)
# A local emulator answers slowly rather than flakily (moto computes a large GetMetricData in Python): wait for
# it instead of abandoning the call after 30 s and asking again for the same work five more times.
EMULATOR_CONFIG = BotoConfig(retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=600)


class AwsError(Exception):
    """An AWS call failed; ``code`` is AWS's error code (AccessDenied, Throttling...)."""

    def __init__(self, operation: str, code: str, message: str):
        super().__init__(f"{operation}: {code}: {message}")
        self.operation = operation
        self.code = code
        self.message = message


def call(operation: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a boto3 method and translate botocore errors into :class:`AwsError`."""
    try:
        return fn(**kwargs)
    except ClientError as exc:
        err = exc.response.get("Error", {})
        raise AwsError(operation, _plain(str(err.get("Code", "Error"))), _plain(str(err.get("Message", exc)))) \
            from None
    except NoCredentialsError:
        raise AwsError(operation, "NoCredentials",
                       "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                       "AWS_SECRET_ACCESS_KEY, or use --scenario for the sandbox)") from None
    except BotoCoreError as exc:
        raise AwsError(operation, exc.__class__.__name__, str(exc)) from None
    except ResponseParserError:  # e.g. an emulator asked for a region it does not know
        raise AwsError(operation, "UnreadableResponse", "the endpoint's answer could not be read (is the "
                                                        "region right?)") from None


_MARKUP = re.compile(r"<[^>]*>")


def _plain(text: str) -> str:
    """An error field as one line: a proxy's or server's HTML/XML error page (botocore hands its body over as
    the code or message) becomes its text, cut short."""
    if "<" not in text:
        return text
    words = " ".join(_MARKUP.sub(" ", text).split())
    return (words[:157] + "...") if len(words) > 160 else (words or "an error page with no text")


@dataclass
class ClientFactory:
    """Builds (and caches) boto3 clients per (service, region).

    With ``source``, ``role_arn`` is assumed with the source factory's credentials
    (one factory per watched account, all assuming from the bot's own identity).
    """

    endpoint_url: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    static_credentials: dict[str, str] | None = field(default=None, repr=False)
    event_hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    default_region: str = "us-east-1"
    external_id: str | None = field(default=None, repr=False)
    source: ClientFactory | None = field(default=None, repr=False)
    emulator: bool = False  # a local emulator: patient timeouts (EMULATOR_CONFIG) instead of RETRY_CONFIG
    _session: Any = field(default=None, init=False, repr=False)
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)

    def profile_problem(self) -> str | None:
        """Why the AWS profile in use (``profile``, else ``AWS_PROFILE``) cannot be used, or None: checked at
        start-up so that a misspelt profile is a configuration error, not a failure of every AWS call."""
        if self.static_credentials or self.source is not None:
            return None
        try:
            boto3.session.Session(profile_name=self.profile) if self.profile else boto3.session.Session()
        except ProfileNotFound as exc:
            return f"{exc} (set by aws.credentials.profile or AWS_PROFILE; `aws configure list-profiles` lists them)"
        return None

    def _base_session(self) -> Any:
        if self._session is not None:
            return self._session
        kwargs: dict[str, Any] = {}
        if self.static_credentials:
            kwargs.update(self.static_credentials)
        elif self.profile:
            kwargs["profile_name"] = self.profile
        try:
            session = self.source._base_session() if self.source is not None else boto3.session.Session(**kwargs)
        except ProfileNotFound as exc:
            raise AwsError("Session", "ProfileNotFound", str(exc)) from None
        if self.role_arn:
            session = self._assume(session, self.role_arn)
        for event, handler in self.event_hooks:
            session.events.register(event, handler)
        self._session = session
        return session

    def _assume(self, session: Any, role_arn: str) -> Any:
        """A session on ``role_arn``'s credentials, re-assumed by botocore before they expire."""
        region = session.region_name or self.default_region
        sts = session.client("sts", region_name=region, config=self._config(), endpoint_url=self.endpoint_url)
        params = {"RoleArn": role_arn, "RoleSessionName": "aiops-bot"}
        if self.external_id:
            params["ExternalId"] = self.external_id

        def fetch() -> dict[str, str]:
            creds = call("AssumeRole", sts.assume_role, **params)["Credentials"]
            return {"access_key": creds["AccessKeyId"], "secret_key": creds["SecretAccessKey"],
                    "token": creds["SessionToken"], "expiry_time": creds["Expiration"].isoformat()}

        credentials = RefreshableCredentials.create_from_metadata(fetch(), fetch, "sts-assume-role")
        core = botocore.session.get_session()
        core._credentials = credentials  # no public setter: the usual way to plug refreshable credentials in
        log.info("assumed role %s", role_arn)
        return boto3.session.Session(botocore_session=core)

    def _config(self) -> BotoConfig:
        return EMULATOR_CONFIG if self.emulator else RETRY_CONFIG

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._cache:
            self._cache[key] = self._base_session().client(
                service, region_name=region, endpoint_url=self.endpoint_url, config=self._config())
        return self._cache[key]
