"""The domain model: frozen records that flow from evidence to report.

Everything an investigation sees or concludes is one of these immutable records.
Adapters in ``bot/`` build them from vendor responses; analyzers consume and
produce them; the report renders them. Times are timezone-aware UTC datetimes.
Evidence items carry stable ids (``m3`` metric, ``l17`` log pattern, ``c2``
change, ``a1`` anomaly) that hypotheses, the LLM and the report cite.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Mapping

RESOURCE_TYPES = ("ec2", "lambda", "rds", "ecs", "apigateway", "alb", "other")

CATEGORIES = (
    "bad_deployment",
    "config_change",
    "permission_denied",
    "dependency_failure",
    "db_connection_exhaustion",
    "cpu_saturation",
    "memory_exhaustion",
    "storage_exhaustion",
    "throttling",
    "function_timeout",
    "traffic_surge",
    "application_error",
    "unknown",
)

# Which CloudWatch dimension names identify which resource type.
DIMENSION_RESOURCE_TYPES: Mapping[str, str] = {
    "FunctionName": "lambda",
    "InstanceId": "ec2",
    "DBInstanceIdentifier": "rds",
    "ServiceName": "ecs",
    "ApiName": "apigateway",
    "ApiId": "apigateway",
    "LoadBalancer": "alb",
    "TableName": "other",  # a DynamoDB table (see analyzers.catalog)
}


# Resource properties holding domains clients use to reach it (a string, or a list of them)
DOMAIN_PROPERTIES = ("dns", "domain_name", "custom_domain", "hostname", "fqdn", "hostnames", "domains",
                     "domain_names", "custom_domains")


# Resource properties naming attached things (role, parameter group...) that a change may target.
# "<cluster>.cluster-ro-<id>" (an Aurora reader endpoint) as it is written where resources are matched by name
READER_ENDPOINT_SUFFIX = "_cluster_ro"
READER_ENDPOINT = re.compile(r"\b([a-z][a-z0-9-]*)\.cluster-ro(?:-[a-z0-9]+)?\b", re.I)
ASG_PROPERTIES = ("autoscaling_group", "auto_scaling_group", "asg")  # an instance's Auto Scaling group
ATTACHMENT_PROPERTIES = ("role", "task_role", "execution_role", "iam_role", "instance_profile",
                         "iam_instance_profile", *ASG_PROPERTIES, "launch_template", "security_groups",
                         "vpc_security_groups", "parameter_group", "parameter_groups", "option_group",
                         "task_definition_family", "config_refs",
                         "deployment_group", "codedeploy_deployment_group", "codedeploy_group")  # its CodeDeploy group


@dataclass(frozen=True)
class ResourceRef:
    """One AWS resource as a user names it (function name, instance id...)."""

    type: str
    id: str
    region: str | None = None
    properties: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.id)

    @property
    def aliases(self) -> frozenset[str]:
        """Every string a log line or change might use to name this resource."""
        names = {self.id}
        for prop in ("name", "arn", "private_ip", "private_dns", "api_id"):  # addresses name instances too
            value = self.properties.get(prop)
            if isinstance(value, str) and value:
                names.add(value)
        ip = self.properties.get("private_ip")
        if self.type == "ec2" and isinstance(ip, str) and ip.count(".") == 3:
            names.add("ip-" + ip.replace(".", "-"))  # its default host name (ip-10-0-1-7.<region>.compute.internal)
        if self.type == "ecs" and "/" in self.id:
            names.add(self.id.split("/", 1)[1])
        if self.type == "alb" and "/" in self.id:
            parts = self.id.split("/")
            if len(parts) >= 2:
                names.add(parts[1])
        cluster = self.db_cluster
        if self.type == "rds" and cluster \
                and str(self.properties.get("role") or "writer").lower() != "reader":
            names.add(cluster)  # the cluster endpoint ("<cluster>.cluster-...") reaches its writer
        elif self.type == "rds" and cluster:  # its reader endpoint ("<cluster>.cluster-ro-...") reaches the readers
            names.add(f"{cluster}{READER_ENDPOINT_SUFFIX}")
        dns = self.properties.get("dns_name")
        if isinstance(dns, str) and "." in dns:  # clients name a balancer by its DNS name
            names.update({dns, dns.split(".", 1)[0]})
        for prop in DOMAIN_PROPERTIES:  # or by a domain of its own (one, or a list of them)
            value = self.properties.get(prop)
            for domain in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                if isinstance(domain, str) and "." in domain and " " not in domain:
                    names.add(domain)
        return frozenset(names)

    @property
    def db_cluster(self) -> str | None:
        """The database cluster an RDS instance belongs to (``cluster``, ``cluster_identifier`` or
        ``db_cluster_identifier`` as inventories and scenario authors write it)."""
        for prop in ("cluster", "cluster_identifier", "db_cluster_identifier"):
            value = self.properties.get(prop)
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def attached_names(self) -> frozenset[str]:
        """Names of things attached to this resource whose changes change it: IAM roles,
        DB parameter groups, the ECS task definition family (full ARNs and their last part)."""
        names: set[str] = set()
        for prop in ATTACHMENT_PROPERTIES:
            value = self.properties.get(prop)
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if isinstance(item, str) and item:
                    names.update({item, item.rsplit("/", 1)[-1], item.rsplit(":", 1)[-1]})
                    if not item.startswith("arn:"):  # "pricing-api-lt:v42": the template, at a version
                        names.add(item.split(":", 1)[0])
                    names.update(t for t in re.split(r"[\s(),]+", item) if t)  # "sg-0b7c... (orders-db-sg)"
        return frozenset(n for n in names if n)

    def to_dict(self) -> dict:
        return {"type": self.type, "id": self.id, "region": self.region}


@dataclass(frozen=True)
class MetricKey:
    """Identity of a CloudWatch metric series (namespace, name, dimensions, statistic)."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]
    stat: str = "Average"
    region: str | None = None

    @staticmethod
    def of(namespace: str, name: str, dimensions: Mapping[str, str], stat: str = "Average",
           region: str | None = None) -> "MetricKey":
        return MetricKey(namespace, name, tuple(sorted((str(k), str(v)) for k, v in dimensions.items())),
                         stat, region)

    @property
    def dimension_map(self) -> dict[str, str]:
        return dict(self.dimensions)

    @property
    def label(self) -> str:
        dims = ",".join(f"{k}={v}" for k, v in self.dimensions)
        return f"{self.namespace} {self.name} [{dims}] {self.stat}"

    def resource(self) -> ResourceRef | None:
        """The resource this series measures, from its identifying dimension."""
        dims = self.dimension_map
        if "ClusterName" in dims and "ServiceName" in dims:
            return ResourceRef("ecs", f"{dims['ClusterName']}/{dims['ServiceName']}", self.region)
        for dim, rtype in DIMENSION_RESOURCE_TYPES.items():
            if dim in dims:
                return ResourceRef(rtype, dims[dim], self.region)
        return None


@dataclass(frozen=True)
class Series:
    """A metric series: parallel tuples of epoch seconds and values."""

    id: str
    key: MetricKey
    timestamps: tuple[float, ...]
    values: tuple[float, ...]
    unit: str | None = None

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Alarm:
    """A CloudWatch metric alarm and its current state."""

    name: str
    region: str
    arn: str | None = None
    state: str | None = None
    state_reason: str | None = None
    state_changed: datetime | None = None
    namespace: str | None = None
    metric: str | None = None
    dimensions: tuple[tuple[str, str], ...] = ()
    statistic: str | None = None
    period: int = 60
    evaluation_periods: int = 1
    threshold: float | None = None
    comparison: str | None = None
    description: str | None = None
    account: str | None = None  # the configured account name (aws.accounts); None with a single account

    @property
    def account_id(self) -> str | None:
        """The 12-digit account of the alarm's ARN (None without one)."""
        parts = (self.arn or "").split(":")
        account = parts[4] if len(parts) > 6 and parts[0] == "arn" else ""
        return account if len(account) == 12 and account.isdigit() else None

    @property
    def metric_key(self) -> MetricKey | None:
        if not self.namespace or not self.metric:
            return None
        return MetricKey(self.namespace, self.metric, self.dimensions, self.statistic or "Average", self.region)

    @property
    def resource(self) -> ResourceRef | None:
        key = self.metric_key
        return key.resource() if key else None

    def to_dict(self) -> dict:
        out = {
            "name": self.name, "arn": self.arn, "region": self.region, "state": self.state,
            "state_reason": self.state_reason,
            "state_changed": iso(self.state_changed) if self.state_changed else None,
            "namespace": self.namespace, "metric": self.metric, "dimensions": dict(self.dimensions),
            "statistic": self.statistic, "period": self.period,
            "evaluation_periods": self.evaluation_periods, "threshold": self.threshold,
            "comparison": self.comparison, "description": self.description,
        }
        if self.account:
            out["account"] = self.account
        if self.account_id:
            out["account_id"] = self.account_id
        return out


@dataclass(frozen=True)
class LogRecord:
    """One raw CloudWatch Logs event."""

    group: str
    stream: str
    timestamp: float
    message: str


@dataclass(frozen=True)
class Change:
    """A management event (deployment, configuration change) from CloudTrail or resource metadata."""

    id: str
    time: datetime
    event_source: str
    event_name: str
    resource_type: str | None
    resource_name: str | None
    username: str | None = None
    region: str | None = None
    source: str = "cloudtrail"

    def to_dict(self) -> dict:
        return {"id": self.id, "time": iso(self.time), "event_source": self.event_source,
                "event_name": self.event_name, "resource_type": self.resource_type,
                "resource_name": self.resource_name, "username": self.username,
                "region": self.region, "source": self.source}


ERROR_LEVELS = ("ERROR", "FATAL", "CRITICAL")  # the levels of a line that reports a failure


@dataclass(frozen=True)
class LogPattern:
    """A mined log template with its counts before and after the incident onset."""

    id: str
    template: str
    count: int
    log_group: str
    first_seen: datetime
    last_seen: datetime
    samples: tuple[str, ...]
    count_before: int
    count_after: int
    rate_before: float  # events per minute before onset
    rate_after: float   # events per minute after onset
    new: bool
    level: str | None = None
    kind: str = "app"
    exception_type: str | None = None
    frame: str | None = None
    keywords: tuple[str, ...] = ()
    source: str = ""  # resource whose streams these are, when several resources write the group

    @property
    def is_error(self) -> bool:
        return self.level in ERROR_LEVELS or self.kind in ("exception", "timeout")

    def to_dict(self) -> dict:
        return {"id": self.id, "template": self.template, "count": self.count,
                "first_seen": iso(self.first_seen), "last_seen": iso(self.last_seen),
                "log_group": self.log_group, "new": self.new, "samples": list(self.samples),
                "count_before": self.count_before, "count_after": self.count_after,
                "rate_before_per_min": round(self.rate_before, 4),
                "rate_after_per_min": round(self.rate_after, 4), "level": self.level,
                "kind": self.kind, "exception_type": self.exception_type, "frame": self.frame,
                "keywords": list(self.keywords), **({"source": self.source} if self.source else {})}


@dataclass(frozen=True)
class Anomaly:
    """A metric series that departs from its learned baseline, with its onset."""

    id: str
    series_id: str
    key: MetricKey
    resource: ResourceRef | None
    onset: datetime
    score: float
    baseline: float
    peak: float
    direction: str  # "up" | "down"

    def to_dict(self) -> dict:
        return {"id": self.id, "series": self.series_id, "metric": self.key.label,
                "namespace": self.key.namespace, "name": self.key.name,
                "dimensions": self.key.dimension_map,
                "resource": self.resource.to_dict() if self.resource else None,
                "onset": iso(self.onset), "score": round(self.score, 4),
                "baseline": self.baseline, "peak": self.peak, "direction": self.direction}


@dataclass(frozen=True)
class TimelineEvent:
    time: datetime
    kind: str  # change | anomaly_start | log_pattern_start | alarm
    text: str
    evidence_id: str | None = None

    def to_dict(self) -> dict:
        return {"time": iso(self.time), "kind": self.kind, "text": self.text,
                "evidence_id": self.evidence_id}


@dataclass(frozen=True)
class Hypothesis:
    """One candidate root cause: category, origin resource, confidence and cited evidence."""

    category: str
    resource: ResourceRef
    confidence: float
    evidence: tuple[str, ...]
    rationale: str = ""
    evidence_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {"category": self.category, "resource": self.resource.to_dict(),
                "confidence": round(self.confidence, 3), "evidence": list(self.evidence),
                "evidence_ids": list(self.evidence_ids), "rationale": self.rationale}


@dataclass(frozen=True)
class Script:
    """A remediation script proposed to a human. Stored with its sha256; never executed."""

    id: str
    language: str  # bash | python | aws-cli
    title: str
    body: str
    sha256: str
    risk: str  # low | medium | high
    category: str = "unknown"
    description: str = ""
    instructions: str = ""
    changes: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "language": self.language, "title": self.title, "body": self.body,
                "sha256": self.sha256, "risk": self.risk, "category": self.category,
                "description": self.description, "instructions": self.instructions,
                "changes": self.changes}


def iso(value: datetime) -> str:
    """ISO 8601 in UTC with a trailing Z."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
