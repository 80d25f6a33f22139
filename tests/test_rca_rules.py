"""analyzers.rca ranking on hand-built evidence: decoys, unrelated deploys, dependency origins, weak evidence."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from analyzers.model import Alarm, Anomaly, Change, LogPattern, MetricKey, ResourceRef
from analyzers.rca import EvidenceSet, log_categories, rank_hypotheses
from analyzers.topology import Candidate

ONSET = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
REGION = "us-east-1"
API = ResourceRef("lambda", "orders-api", REGION, {"timeout": 30})
OTHER = ResourceRef("lambda", "report-builder", REGION)
DB = ResourceRef("rds", "orders-db", REGION, {"max_connections": 100})
API_GROUP, OTHER_GROUP = "/aws/lambda/orders-api", "/aws/lambda/report-builder"


def alarm_on(resource: ResourceRef, metric: str = "Errors") -> Alarm:
    return Alarm(f"{resource.id}-errors", REGION, state="ALARM", namespace="AWS/Lambda", metric=metric,
                 dimensions=(("FunctionName", resource.id),), statistic="Sum", threshold=5,
                 comparison="GreaterThanThreshold")


def pattern(pid: str, text: str, before: int, after: int, group: str = API_GROUP, level: str = "ERROR",
            exception: str | None = None) -> LogPattern:
    minutes_before, minutes_after = 60.0, 20.0
    return LogPattern(pid, text, before + after, group, ONSET - timedelta(minutes=60 if before else -1),
                      ONSET + timedelta(minutes=19), (text,), before, after, before / minutes_before,
                      after / minutes_after, before == 0, level, "exception" if exception else "app", exception)


def deploy(resource: ResourceRef, minutes_before: int = 10, cid: str = "c1") -> Change:
    return Change(cid, ONSET - timedelta(minutes=minutes_before), "lambda.amazonaws.com",
                  "UpdateFunctionCode20150331v2", "AWS::Lambda::Function", resource.id, "ci", REGION)


def evidence(candidates, patterns=(), changes=(), anomalies=(), alarm=None, owners=None) -> EvidenceSet:
    owners = owners if owners is not None else {API_GROUP: API, OTHER_GROUP: OTHER}
    return EvidenceSet(alarm=alarm or alarm_on(API), onset=ONSET, candidates=list(candidates), series=[],
                       anomalies=list(anomalies), patterns=list(patterns), group_owner=owners, changes=list(changes))


CANDIDATES = [Candidate(API, "alarm", 1.0), Candidate(OTHER, "context", 0.35)]

DECOY = "ERROR Timed out connecting to cache-cluster after 2000 ms"


def test_decoy_pre_existing_error_at_the_same_rate_is_ignored():
    # GIVEN a loud error that was already there at the same rate before onset (60/h before, 20/20min after)
    decoy = pattern("l1", DECOY, before=60, after=20)
    # WHEN ranked with nothing else
    ranked = rank_hypotheses(evidence(CANDIDATES, [decoy]))
    # THEN it is not taken as a cause: the answer is unknown and nothing cites the decoy
    assert ranked[0].category == "unknown"
    assert not [h for h in ranked if "l1" in h.evidence_ids]


def test_decoy_does_not_outrank_the_new_error():
    # GIVEN the same decoy plus a NEW exception after onset
    decoy = pattern("l1", DECOY, before=60, after=20)
    new = pattern("l2", "TypeError: unsupported operand type(s) for +: 'NoneType' and 'float'", 0, 40,
                  exception="TypeError")
    ranked = rank_hypotheses(evidence(CANDIDATES, [decoy, new]))
    # THEN the new error decides, and the decoy's dependency-timeout vocabulary is not evidence
    assert ranked[0].category == "application_error" and ranked[0].resource.key == API.key
    assert "l2" in ranked[0].evidence_ids
    assert not [h for h in ranked if "l1" in h.evidence_ids]
    assert "dependency_failure" not in [h.category for h in ranked]


def test_deploy_of_the_alarmed_function_with_a_new_error_is_bad_deployment():
    new = pattern("l2", "KeyError: 'shipping_address'", 0, 40, exception="KeyError")
    ranked = rank_hypotheses(evidence(CANDIDATES, [new], [deploy(API)]))
    assert (ranked[0].category, ranked[0].resource.key) == ("bad_deployment", API.key)
    assert "c:c1" in ranked[0].evidence_ids
    assert ranked[0].confidence > ranked[1].confidence
    # the new error is the runner-up explanation on the same function
    assert (ranked[1].category, ranked[1].resource.key) == ("application_error", API.key)
    assert "l2" in ranked[1].evidence_ids


def test_unrelated_deploy_on_another_resource_is_not_the_cause():
    # GIVEN a new error on the alarmed function and a deploy of ANOTHER function just before onset
    new = pattern("l2", "KeyError: 'shipping_address'", 0, 40, exception="KeyError")
    ranked = rank_hypotheses(evidence(CANDIDATES, [new], [deploy(OTHER, minutes_before=5)]))
    # THEN the other function is never blamed, and the cause stays on the alarmed function
    assert ranked[0].resource.key == API.key
    assert ranked[0].category != "bad_deployment"
    assert not [h for h in ranked if h.resource.key == OTHER.key]


def test_deploy_long_before_onset_without_errors_is_not_the_cause():
    ranked = rank_hypotheses(evidence(CANDIDATES, [], [deploy(API, minutes_before=600)]))
    assert ranked[0].category == "unknown"


def test_dependency_named_in_errors_becomes_the_origin():
    # GIVEN the alarmed function's new errors name the database, whose connections hit the limit
    candidates = [Candidate(API, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "named in its logs"),
                  Candidate(OTHER, "context", 0.35)]
    errors = pattern("l1", "OperationalError: FATAL: sorry, too many clients already "
                           "(host orders-db.abc123.us-east-1.rds.amazonaws.com)", 0, 80, exception="OperationalError")
    key = MetricKey.of("AWS/RDS", "DatabaseConnections", {"DBInstanceIdentifier": "orders-db"}, "Maximum", REGION)
    connections = Anomaly("a1", "m2", key, DB, ONSET - timedelta(minutes=2), 0.95, 20.0, 99.0, "up")
    ranked = rank_hypotheses(evidence(candidates, [errors], anomalies=[connections]))
    # THEN the root cause is db connection exhaustion ON THE DATABASE, not on the function
    assert (ranked[0].category, ranked[0].resource.key) == ("db_connection_exhaustion", DB.key)
    assert {"l1", "a1"} <= set(ranked[0].evidence_ids)
    assert "dependency_failure" not in [h.category for h in ranked[:1]]


def test_dependency_failure_points_at_the_named_dependency():
    candidates = [Candidate(API, "alarm", 1.0), Candidate(DB, "dependency", 1.0, "named in its logs")]
    errors = pattern("l1", "ERROR could not connect to orders-db: Connection refused", 0, 50)
    ranked = rank_hypotheses(evidence(candidates, [errors]))
    assert (ranked[0].category, ranked[0].resource.key) == ("dependency_failure", DB.key)


def test_weak_evidence_is_unknown():
    # GIVEN only a new INFO line and an anomaly that started long after onset
    info = pattern("l1", "Cache warmed in <*> ms", 0, 3, level="INFO")
    key = MetricKey.of("AWS/Lambda", "Duration", {"FunctionName": "orders-api"}, "Average", REGION)
    late = Anomaly("a1", "m1", key, API, ONSET + timedelta(minutes=45), 0.6, 100.0, 29000.0, "up")
    ranked = rank_hypotheses(evidence(CANDIDATES, [info], anomalies=[late]))
    # THEN the root cause is unknown, on the alarmed resource, with low confidence
    assert ranked[0].category == "unknown"
    assert ranked[0].resource.key == API.key
    assert ranked[0].confidence <= 0.4


def test_no_evidence_at_all_is_unknown():
    ranked = rank_hypotheses(evidence(CANDIDATES))
    assert [h.category for h in ranked] == ["unknown"]


def test_log_rules_vocabulary():
    assert "db_connection_exhaustion" in log_categories("FATAL: remaining connection slots are reserved")
    assert "throttling" in log_categories("Rate Exceeded (Service: Lambda; Status Code: 429)")
    assert "permission_denied" in log_categories("User: arn:aws:sts::1:assumed-role/x is not authorized to perform")
    assert log_categories("Created order ord_1 total=12.5 USD") == []
    assert log_categories("HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s).") == [
        "cpu_saturation"]
