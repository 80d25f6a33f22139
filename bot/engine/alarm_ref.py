"""Alarm references: a plain name or a CloudWatch alarm ARN (whose region and account win)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_ARN = re.compile(r"^arn:aws[a-z-]*:cloudwatch:(?P<region>[a-z]{2}(-[a-z]+)+-\d):(?P<account>\d{12}):"
                  r"alarm:(?P<name>.+)$")


class InvestigationError(Exception):
    """A problem the user can act on (unknown alarm, bad ARN, region not configured...)."""


@dataclass(frozen=True)
class AlarmRef:
    name: str
    region: str | None = None
    arn: str | None = None
    account_id: str | None = None  # the 12-digit account of an ARN


def parse_alarm_ref(text: str, configured_regions: list[str] | None) -> AlarmRef:
    """Parse ``text``; an ARN's region must be one of the configured regions (None: only check the form)."""
    text = (text or "").strip()
    if not text:
        raise InvestigationError("no alarm given: pass an alarm name or ARN")
    if text.startswith("arn:"):
        match = _ARN.match(text)
        if not match:
            raise InvestigationError(f"malformed alarm ARN '{text}' (expected "
                                     "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)")
        region = match.group("region")
        if configured_regions is not None and region not in configured_regions:
            raise InvestigationError(f"alarm {match.group('name')} is in region {region}, which is not configured "
                                     f"(aws.regions: {', '.join(configured_regions)})")
        return AlarmRef(match.group("name"), region, text, match.group("account"))
    if len(text) > 255 or any(ord(ch) < 32 for ch in text):
        raise InvestigationError("alarm names are 1-255 printable characters")
    return AlarmRef(text)
