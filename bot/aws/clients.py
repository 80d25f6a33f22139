"""boto3 session and client construction: regions, endpoint URL, retries, assumed roles.

The one place where boto3 sessions are created. Every client gets botocore's
adaptive retry mode (throttling back-off) and short timeouts, and can be pointed
at a local emulator through ``endpoint_url`` — the sandbox uses the very same
code path as real AWS.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

log = logging.getLogger(__name__)

RETRY_CONFIG = BotoConfig(retries={"mode": "adaptive", "max_attempts": 6},
                          connect_timeout=5, read_timeout=30)


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
        raise AwsError(operation, str(err.get("Code", "Error")), str(err.get("Message", exc))) from None
    except NoCredentialsError:
        raise AwsError(operation, "NoCredentials",
                       "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/"
                       "AWS_SECRET_ACCESS_KEY, or use --scenario for the sandbox)") from None
    except BotoCoreError as exc:
        raise AwsError(operation, exc.__class__.__name__, str(exc)) from None


@dataclass
class ClientFactory:
    """Builds (and caches) boto3 clients per (service, region)."""

    endpoint_url: str | None = None
    profile: str | None = None
    role_arn: str | None = None
    static_credentials: dict[str, str] | None = None
    event_hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    default_region: str = "us-east-1"
    _session: Any = field(default=None, init=False, repr=False)
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False)

    def _base_session(self) -> Any:
        if self._session is not None:
            return self._session
        kwargs: dict[str, Any] = {}
        if self.static_credentials:
            kwargs.update(self.static_credentials)
        elif self.profile:
            kwargs["profile_name"] = self.profile
        session = boto3.session.Session(**kwargs)
        if self.role_arn:
            session = self._assume(session, self.role_arn)
        for event, handler in self.event_hooks:
            session.events.register(event, handler)
        self._session = session
        return session

    def _assume(self, session: Any, role_arn: str) -> Any:
        region = session.region_name or self.default_region
        sts = session.client("sts", region_name=region, config=RETRY_CONFIG, endpoint_url=self.endpoint_url)
        creds = call("AssumeRole", sts.assume_role, RoleArn=role_arn,
                     RoleSessionName="aiops-bot")["Credentials"]
        return boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                     aws_secret_access_key=creds["SecretAccessKey"],
                                     aws_session_token=creds["SessionToken"])

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._cache:
            self._cache[key] = self._base_session().client(
                service, region_name=region, endpoint_url=self.endpoint_url, config=RETRY_CONFIG)
        return self._cache[key]
