"""Network path changes as triggers. A security group lost an ingress/egress rule, or a network ACL entry
changed, shortly before a balancer's targets went unhealthy or callers could no longer reach an endpoint:
the instances are fine but nothing can reach them, so the change is the cause and the group (or ACL) its
origin, although it is none of the monitored resources. Opening a rule (Authorize) breaks nothing. Likewise
a VPC endpoint whose policy was edited just before AWS refused calls "because no VPC endpoint policy
allows" them: the endpoint is the origin of that permission fault."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Sequence

from ..model import Anomaly, Change, ResourceRef
from ..topology import Candidate

NETWORK_CHANGE = re.compile(r"RevokeSecurityGroup(?:Ingress|Egress)|ModifySecurityGroupRules|"
                            r"(?:Create|Replace|Delete)NetworkAclEntry|ReplaceNetworkAclAssociation", re.I)
NETWORK_FRESH = timedelta(minutes=45)  # a closed port bites at once (the next health check)
ENDPOINT_POLICY_CHANGE = re.compile(r"ModifyVpcEndpoint\b", re.I)  # sets (or resets) its policy document
ENDPOINT_DENIAL = re.compile(r"VPC endpoint policy", re.I)  # "because no VPC endpoint policy allows ..."
# a listener's certificate swapped, and clients that no longer trust what it serves
CERTIFICATE_CHANGE = re.compile(r"ModifyListener|(?:Add|Remove)ListenerCertificates|"
                                r"SetLoadBalancerListenerSSLCertificate|(?:Create|Update)DomainName", re.I)
UNTRUSTED = re.compile(r"certificate (?:chain|verify failed|has expired|is (?:invalid|not trusted|not valid))|"
                       r"PartialChain|unable to (?:get local issuer|verify the first) certificate|PKIX path|"
                       r"SSLHandshakeException|SSL connection could not be established|x509: certificate|"
                       r"CERTIFICATE_VERIFY_FAILED|does not match certificate's altnames|"
                       r"certificate is not valid for", re.I)


def is_network_change(change: Change, onset: datetime) -> bool:
    """A rule removed from a network path recently enough to explain failures from ``onset``."""
    return bool(NETWORK_CHANGE.search(change.event_name)) and onset - NETWORK_FRESH <= change.time


def is_certificate_change(change: Change, onset: datetime) -> bool:
    """A listener's certificate (or a custom domain's) changed recently enough to explain failed handshakes."""
    return bool(CERTIFICATE_CHANGE.search(change.event_name)) and onset - NETWORK_FRESH <= change.time


def is_endpoint_policy_change(change: Change, onset: datetime) -> bool:
    """A VPC endpoint's settings (its policy) edited recently enough to explain refusals from ``onset``."""
    return bool(ENDPOINT_POLICY_CHANGE.search(change.event_name)) and onset - NETWORK_FRESH <= change.time


def unhealthy_targets(anomalies: Sequence[Anomaly]) -> list[Anomaly]:
    """A balancer's targets failing their health checks: fewer healthy hosts, more unhealthy ones."""
    return [a for a in anomalies if (a.key.name, a.direction) in (("UnHealthyHostCount", "up"),
                                                                  ("HealthyHostCount", "down"))]


def rule_set_candidate(change: Change, region: str) -> Candidate:
    """The security group or network ACL a change edited, as a root-cause candidate."""
    ref = ResourceRef("network", change.resource_name or "security-group", region,
                      {"resource_type": change.resource_type or "AWS::EC2::SecurityGroup"})
    return Candidate(ref, "dependency", 1.0, "a rule on its network path was removed just before it became unreachable")


def endpoint_candidate(change: Change, region: str) -> Candidate:
    """The VPC endpoint whose policy a change edited, as a root-cause candidate."""
    ref = ResourceRef("network", change.resource_name or "vpc-endpoint", region,
                      {"resource_type": change.resource_type or "AWS::EC2::VPCEndpoint"})
    return Candidate(ref, "dependency", 1.0, "its policy changed just before calls through it were refused")
