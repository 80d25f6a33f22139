"""DNS changes as triggers. A hosted zone's records changed (Route 53 ChangeResourceRecordSets) shortly
before services began failing to reach an endpoint that no resource of the account answers for
(connection refused, unknown host, unreachable): the new records sent them to the wrong place, so the
change is the cause and the zone its origin, although the zone is none of the monitored resources."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from ..model import Change, ResourceRef
from ..topology import Candidate

DNS_CHANGE = re.compile(r"ChangeResourceRecordSets|ChangeCidrCollection|UpdateHealthCheck", re.I)
DNS_FRESH = timedelta(minutes=45)  # a record change acts within its TTL: later failures are not its doing


def is_dns_change(change: Change, onset: datetime) -> bool:
    """A record change on a hosted zone recent enough to explain failures from ``onset``."""
    return bool(DNS_CHANGE.search(change.event_name)) and onset - DNS_FRESH <= change.time


def zone_candidate(change: Change, region: str) -> Candidate:
    """The hosted zone a DNS change edited, as a root-cause candidate."""
    ref = ResourceRef("route53", change.resource_name or "hosted-zone", region,
                      {"resource_type": change.resource_type or "AWS::Route53::HostedZone"})
    return Candidate(ref, "dependency", 1.0, "its records changed just before endpoints became unreachable")
