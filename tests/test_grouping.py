"""Tests for analyzers.grouping: related signals -> one incident, unrelated -> separate, stable keys."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from analyzers.grouping import Relations, bucket, carry_keys, diff, group_signals, name_tokens
from analyzers.incidents import Signal
from analyzers.model import Alarm, MetricKey, ResourceRef

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
REGION = "us-east-1"


def _signal(rtype: str, rid: str, metric: str, minutes_ago: float, kind: str = "anomaly",
            score: float = 0.9, region: str = REGION) -> Signal:
    resource = ResourceRef(rtype, rid, region)
    dim = {"lambda": "FunctionName", "rds": "DBInstanceIdentifier", "apigateway": "ApiName",
           "ec2": "InstanceId", "alb": "LoadBalancer"}[rtype]
    key = MetricKey.of("AWS/X", metric, {dim: rid}, "Sum", region)
    return Signal(kind, resource, key, NOW - timedelta(minutes=minutes_ago), score, 1.0, f"{metric} odd")


def test_related_anomalies_on_function_and_its_database_make_one_incident():
    # GIVEN anomalies on checkout-api and checkout-db five minutes apart
    signals = [_signal("lambda", "checkout-api", "Errors", 20), _signal("rds", "checkout-db", "DatabaseConnections", 25)]
    # WHEN grouped
    incidents = group_signals(signals, now=NOW)
    # THEN one incident, keyed on the earliest resource and the 30-minute onset bucket
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident.key == "anomaly:us-east-1:checkout-db:2026-03-01T11:30:00Z"
    assert {r.id for r in incident.resources} == {"checkout-api", "checkout-db"}
    assert len(incident.signals) == 2 and incident.state == "open"


def test_unrelated_resources_make_two_incidents():
    # GIVEN anomalies at the same time on unrelated names
    signals = [_signal("lambda", "checkout-api", "Errors", 20), _signal("lambda", "email-digest", "Errors", 20)]
    # WHEN grouped
    incidents = group_signals(signals, now=NOW)
    # THEN two incidents with distinct keys
    assert sorted(i.key.split(":")[2] for i in incidents) == ["checkout-api", "email-digest"]


def test_related_names_far_apart_in_time_are_separate():
    # GIVEN related resources whose anomalies start 40 minutes apart (window is 15)
    signals = [_signal("lambda", "orders-worker", "Errors", 5), _signal("rds", "orders-db", "CPUUtilization", 45)]
    # WHEN grouped
    incidents = group_signals(signals, now=NOW)
    # THEN they stay separate incidents
    assert len(incidents) == 2


def test_alarm_groups_with_signals_on_its_resource_and_keys_on_the_episode():
    # GIVEN an alarm in ALARM on checkout-api and an anomaly on the same function much earlier
    alarm = Alarm("checkout-api-errors", REGION, state="ALARM", state_changed=NOW - timedelta(minutes=3),
                  namespace="AWS/Lambda", metric="Errors", dimensions=(("FunctionName", "checkout-api"),),
                  statistic="Sum", state_reason="Threshold Crossed. more")
    signals = [_signal("lambda", "checkout-api", "Duration", 50)]
    # WHEN grouped
    incidents = group_signals(signals, [alarm], now=NOW)
    # THEN one critical incident with the alarm episode key
    assert len(incidents) == 1
    assert incidents[0].key == "alarm:us-east-1:checkout-api-errors:2026-03-01T11:57:00Z"
    assert incidents[0].severity == "critical" and incidents[0].alarm_name == "checkout-api-errors"
    assert {s.kind for s in incidents[0].signals} == {"alarm", "anomaly"}


def test_alarms_not_in_alarm_state_make_no_incident():
    # GIVEN only an OK alarm
    alarm = Alarm("quiet", REGION, state="OK", state_changed=NOW)
    # WHEN grouped THEN nothing
    assert group_signals([], [alarm], now=NOW) == []


def test_keys_are_stable_across_polls_and_regions_never_mix():
    # GIVEN the same anomaly seen at two polls, and a same-named resource in another region
    first = group_signals([_signal("lambda", "pay-api", "Errors", 10)], now=NOW)
    later = group_signals([_signal("lambda", "pay-api", "Errors", 15)], now=NOW + timedelta(minutes=5))
    other = group_signals([_signal("lambda", "pay-api", "Errors", 10),
                           _signal("lambda", "pay-api", "Errors", 10, region="eu-west-1")], now=NOW)
    # THEN the key does not change, and regions give separate incidents
    assert first[0].key == later[0].key
    assert len(other) == 2


def test_configured_groups_and_front_doors_relate_resources():
    # GIVEN unrelated names, a configured group, and a small-inventory region with an API in front
    signals = [_signal("lambda", "resizer", "Throttles", 10), _signal("apigateway", "uploads", "4XXError", 12)]
    # WHEN grouped without and with relations
    plain = group_signals(signals, now=NOW)
    grouped = group_signals(signals, now=NOW, relations=Relations(groups={"media": ("resizer", "upl*")}))
    fronted = group_signals(signals, now=NOW, relations=Relations(front_door_regions=frozenset({REGION})))
    # THEN only the related variants give one incident
    assert len(plain) == 2 and len(grouped) == 1 and len(fronted) == 1


def test_name_tokens_drop_generic_words_and_hashes():
    # GIVEN an ALB id and a prefixed function name
    alb = ResourceRef("alb", "app/web-alb/50dc6c495c0c9188")
    fn = ResourceRef("lambda", "prod-checkout-api")
    # THEN only meaningful words remain
    assert name_tokens(alb) == {"web"}
    assert name_tokens(fn) == {"checkout"}
    # AND hosts named by role and a generic word share nothing (cache-node and files-node are not related)
    assert not name_tokens(ResourceRef("ec2", "i-1", properties={"name": "cache-node"})) & name_tokens(
        ResourceRef("ec2", "i-2", properties={"name": "files-node-host"}))


def test_carry_keys_keeps_the_open_key_when_the_onset_crosses_a_bucket():
    # GIVEN an open incident whose onset was 11:29, now seen with onset 11:31 (next bucket)
    before = group_signals([_signal("lambda", "pay-api", "Errors", 31)], now=NOW)
    now_seen = group_signals([_signal("lambda", "pay-api", "Errors", 29)], now=NOW)
    assert before[0].key != now_seen[0].key
    # WHEN keys are carried over
    carried = carry_keys(before, now_seen)
    # THEN the previous key (and earlier onset) is kept, and the diff reports no new incident
    assert carried[0].key == before[0].key and carried[0].onset == before[0].onset
    changes = diff({i.key: i for i in before}, carried, [])
    assert not changes.new and not changes.resolved


def _errors_alarm(state: str = "ALARM", minutes_ago: float = 3) -> Alarm:
    return Alarm("pay-api-errors", REGION, state=state, state_changed=NOW - timedelta(minutes=minutes_ago),
                 namespace="AWS/Lambda", metric="Errors", dimensions=(("FunctionName", "pay-api"),), statistic="Sum")


def test_an_alarm_firing_on_an_open_anomaly_keeps_its_incident_and_back_again():
    # GIVEN an open anomaly incident on pay-api
    anomaly = [_signal("lambda", "pay-api", "Errors", 20)]
    before = group_signals(anomaly, now=NOW)
    # WHEN pay-api's alarm fires too THEN the incident (and its Slack message) keeps its key
    fired = carry_keys(before, group_signals(anomaly, [_errors_alarm()], now=NOW))
    assert [i.key for i in fired] == [before[0].key] and fired[0].severity == "critical"
    # AND when the alarm returns to OK while the errors go on, the key is still the same
    calmer = carry_keys(fired, group_signals(anomaly, [_errors_alarm("OK")], now=NOW))
    assert [i.key for i in calmer] == [before[0].key]
    assert not diff({i.key: i for i in fired}, calmer, []).new


def test_an_alarm_restamped_while_in_alarm_keeps_its_incident():
    # GIVEN an open alarm incident WHEN the alarm's state timestamp moves while it stays in ALARM
    before = group_signals([], [_errors_alarm(minutes_ago=10)], now=NOW)
    after = carry_keys(before, group_signals([], [_errors_alarm(minutes_ago=2)], now=NOW))
    # THEN it is the same incident
    assert [i.key for i in after] == [before[0].key]


def test_a_new_problem_on_another_resource_is_a_new_incident():
    before = group_signals([_signal("lambda", "pay-api", "Errors", 20)], now=NOW)
    current = group_signals([_signal("lambda", "pay-api", "Errors", 20), _signal("lambda", "mail-digest", "Errors", 5)],
                            now=NOW)
    carried = carry_keys(before, current)
    assert len(carried) == 2 and len({i.key for i in carried}) == 2 and before[0].key in {i.key for i in carried}


def test_diff_reports_new_updated_resolved():
    # GIVEN a previous incident and a current one with an extra related resource
    before = group_signals([_signal("lambda", "shop-api", "Errors", 10)], now=NOW)
    after = group_signals([_signal("lambda", "shop-api", "Errors", 10), _signal("rds", "shop-db", "CPUUtilization", 8)],
                          now=NOW)
    # WHEN diffed
    changes = diff({i.key: i for i in before}, after, [])
    # THEN it is an update, not a new incident
    assert [i.key for i in changes.updated] == [before[0].key] and not changes.new
    assert bucket(NOW - timedelta(minutes=1)) == datetime(2026, 3, 1, 11, 30, tzinfo=timezone.utc)


def test_an_alarm_signal_keeps_the_whole_first_sentence_of_its_reason():
    from analyzers.grouping import alarm_signal
    reason = ("Threshold Crossed: 1 datapoint [95.0 (07/12/26 18:00:00)] was greater than the threshold (90.0). "
              "Second sentence.")
    alarm = Alarm("cpu-high", REGION, state="ALARM", state_changed=NOW, state_reason=reason)
    text = alarm_signal(alarm, NOW).text
    assert text.endswith("was greater than the threshold (90.0)") and "Second" not in text


def test_a_threshold_only_incident_says_so_and_an_instance_is_named_by_its_name_tag():
    from dataclasses import replace

    # GIVEN a CPU threshold breach on an instance tagged web-1, and an anomaly on a function
    web = replace(_signal("ec2", "i-0abc1234", "CPUUtilization", 10, kind="threshold"),
                  resource=ResourceRef("ec2", "i-0abc1234", REGION, {"name": "web-1"}))
    # WHEN grouped THEN the titles say which kind of signal it is, and name the instance
    (breach,) = group_signals([web], now=NOW)
    (odd,) = group_signals([_signal("lambda", "mailer", "Errors", 10)], now=NOW)
    assert breach.title == "CPUUtilization breaching its threshold on i-0abc1234 (web-1)"
    assert odd.title == "Errors anomalous on mailer"
