"""The real AWS adapter (bot/aws) against botocore Stubber, with AWS's documented response shapes.

These cover the APIs the emulator lacks (CloudTrail LookupEvents, DescribeAlarmHistory,
Logs Insights) and the call patterns that matter for cost (GetMetricData batching).
No network: every client call is answered by a Stubber or a before-call hook.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.stub import ANY, Stubber

from analyzers.model import MetricKey
from bot.aws import AwsError, AwsGateway, ClientFactory, MetricQuery
from bot.aws import logs as aws_logs
from bot.aws.clients import RETRY_CONFIG

REGION = "us-east-1"
T0 = datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc)
START, END = T0 - timedelta(hours=2), T0


@pytest.fixture
def factory(monkeypatch) -> ClientFactory:
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    return ClientFactory(static_credentials={"aws_access_key_id": "test", "aws_secret_access_key": "test"})


@pytest.fixture
def gateway(factory) -> AwsGateway:
    return AwsGateway(factory, REGION)


def stub(factory: ClientFactory, service: str) -> Stubber:
    stubber = Stubber(factory.client(service, REGION))
    stubber.activate()
    return stubber


# CloudTrail LookupEvents ------------------------------------------------------------

def _event(event_id: str, name: str, when: datetime, resources=None, payload=None, read_only="false") -> dict:
    event = {"EventId": event_id, "EventName": name, "ReadOnly": read_only, "AccessKeyId": "ASIAEXAMPLE",
             "EventTime": when, "EventSource": "lambda.amazonaws.com", "Username": "ci-deployer",
             "Resources": resources or []}
    event["CloudTrailEvent"] = json.dumps(payload or {"eventVersion": "1.08", "requestParameters": None})
    return event


def test_lookup_events_paginates_filters_read_only_and_finds_resource_names(factory, gateway):
    # GIVEN two pages of CloudTrail events (the first carries a NextToken)
    ct = stub(factory, "cloudtrail")
    base = {"StartTime": START, "EndTime": END, "MaxResults": 50,
            "LookupAttributes": [{"AttributeKey": "ReadOnly", "AttributeValue": "false"}]}
    ct.add_response("lookup_events", {"NextToken": "page-2", "Events": [
        _event("e1", "UpdateFunctionCode20150331v2", T0 - timedelta(minutes=30),
               resources=[{"ResourceType": "AWS::Lambda::Function", "ResourceName": "checkout-api"}]),
        _event("e2", "GetFunction20150331v2", T0 - timedelta(minutes=29), read_only="true"),
    ]}, expected_params=base)
    ct.add_response("lookup_events", {"Events": [
        _event("e3", "UpdateFunctionConfiguration20150331v2", T0 - timedelta(minutes=90),
               payload={"requestParameters": {
                   "functionName": "arn:aws:lambda:us-east-1:123456789012:function:billing"}}),
        _event("e4", "ModifyDBInstance", T0 - timedelta(minutes=10),
               payload={"requestParameters": {"dBInstanceIdentifier": "orders-db"}}),
    ]}, expected_params={**base, "NextToken": "page-2"})
    # WHEN changes are looked up
    changes = gateway.lookup_events(START, END)
    # THEN both pages were requested (with the ReadOnly=false attribute), read-only calls are dropped,
    # names come from Resources or from the CloudTrailEvent payload, oldest first
    ct.assert_no_pending_responses()
    assert [(c.id, c.event_name, c.resource_name) for c in changes] == [
        ("e3", "UpdateFunctionConfiguration20150331v2", "billing"),
        ("e1", "UpdateFunctionCode20150331v2", "checkout-api"),
        ("e4", "ModifyDBInstance", "orders-db"),
    ]
    assert changes[1].resource_type == "AWS::Lambda::Function"
    assert all(c.region == REGION and c.time.tzinfo is not None and c.source == "cloudtrail" for c in changes)


def test_lookup_events_access_denied_becomes_aws_error(factory, gateway):
    ct = stub(factory, "cloudtrail")
    ct.add_client_error("lookup_events", service_error_code="AccessDeniedException",
                        service_message="User is not authorized to perform: cloudtrail:LookupEvents",
                        http_status_code=400)
    with pytest.raises(AwsError) as err:
        gateway.lookup_events(START, END)
    assert err.value.code == "AccessDeniedException" and err.value.operation == "LookupEvents"


# CloudWatch DescribeAlarmHistory ---------------------------------------------------

def _history(when: datetime, old: str, new: str) -> dict:
    data = {"version": "1.0", "oldState": {"stateValue": old, "stateReason": "r"},
            "newState": {"stateValue": new, "stateReason": "Threshold Crossed"}}
    return {"AlarmName": "checkout-errors", "AlarmType": "MetricAlarm", "Timestamp": when,
            "HistoryItemType": "StateUpdate", "HistorySummary": f"Alarm updated from {old} to {new}",
            "HistoryData": json.dumps(data)}


def test_alarm_history_parses_history_data_and_paginates(factory, gateway):
    cw = stub(factory, "cloudwatch")
    base = {"AlarmName": "checkout-errors", "HistoryItemType": "StateUpdate", "StartDate": START,
            "EndDate": END, "ScanBy": "TimestampAscending"}
    cw.add_response("describe_alarm_history", {"AlarmHistoryItems": [
        _history(T0 - timedelta(minutes=50), "OK", "ALARM")], "NextToken": "n2"}, expected_params=base)
    cw.add_response("describe_alarm_history", {"AlarmHistoryItems": [
        _history(T0 - timedelta(minutes=20), "ALARM", "OK"),
        {**_history(T0 - timedelta(minutes=5), "OK", "ALARM"), "HistoryData": "not json"}]},
        expected_params={**base, "NextToken": "n2"})
    history = gateway.describe_alarm_history("checkout-errors", START, END)
    cw.assert_no_pending_responses()
    assert [(h.old_state, h.new_state) for h in history] == [("OK", "ALARM"), ("ALARM", "OK"), (None, None)]
    assert history[0].time == T0 - timedelta(minutes=50)
    assert history[1].summary == "Alarm updated from ALARM to OK"


def test_describe_alarms_access_denied(factory, gateway):
    cw = stub(factory, "cloudwatch")
    cw.add_client_error("describe_alarms", service_error_code="AccessDenied", service_message="no",
                        http_status_code=403)
    with pytest.raises(AwsError) as err:
        gateway.describe_alarms(names=["x"])
    assert err.value.code == "AccessDenied"
    assert "DescribeAlarms" in str(err.value)


# CloudWatch GetMetricData ------------------------------------------------------------

def _queries(n: int) -> list[MetricQuery]:
    return [MetricQuery(MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": f"fn-{i}"}, "Sum", REGION))
            for i in range(n)]


def test_get_metric_data_batches_1234_queries_into_3_calls(factory, gateway):
    # GIVEN 1,234 series to fetch and a counter on the API parameters
    cw = stub(factory, "cloudwatch")
    sizes: list[int] = []
    ids: list[str] = []

    def count(params, **_):
        sizes.append(len(params["MetricDataQueries"]))
        ids.extend(q["Id"] for q in params["MetricDataQueries"])

    cw.client.meta.events.register("before-parameter-build.cloudwatch.GetMetricData", count)
    for _ in range(3):
        cw.add_response("get_metric_data", {"MetricDataResults": [
            {"Id": "q0", "Label": "x", "Timestamps": [T0], "Values": [1.0], "StatusCode": "Complete"}]},
            expected_params={"MetricDataQueries": ANY, "StartTime": START, "EndTime": END,
                             "ScanBy": "TimestampAscending"})
    # WHEN fetched
    series = gateway.get_metric_data(_queries(1234), START, END)
    # THEN exactly 3 calls of at most 500 queries, with unique ids, and one series per query
    cw.assert_no_pending_responses()
    assert sizes == [500, 500, 234]
    assert len(set(ids)) == 1234
    assert len(series) == 1234 and series[0].values == (1.0,) and series[1].values == ()
    assert [s.key for s in series] == [q.key for q in _queries(1234)]


def test_get_metric_data_follows_next_token_and_merges(factory, gateway):
    cw = stub(factory, "cloudwatch")
    t = [T0 - timedelta(minutes=m) for m in (3, 2, 1)]
    base = {"MetricDataQueries": ANY, "StartTime": START, "EndTime": END, "ScanBy": "TimestampAscending"}
    cw.add_response("get_metric_data", {"NextToken": "more", "MetricDataResults": [
        {"Id": "q0", "Timestamps": [t[1], t[0]], "Values": [2.0, 1.0], "StatusCode": "PartialData"}]},
        expected_params=base)
    cw.add_response("get_metric_data", {"MetricDataResults": [
        {"Id": "q0", "Timestamps": [t[2]], "Values": [3.0], "StatusCode": "Complete"},
        {"Id": "q1", "Timestamps": [t[0]], "Values": [7.0], "StatusCode": "Complete"}]},
        expected_params={**base, "NextToken": "more"})
    first, second = gateway.get_metric_data(_queries(2), START, END)
    cw.assert_no_pending_responses()
    assert first.timestamps == tuple(x.timestamp() for x in t) and first.values == (1.0, 2.0, 3.0)
    assert second.values == (7.0,)
    assert (first.id, second.id) == ("m1", "m2")


# Logs Insights -------------------------------------------------------------------------

def _row(ts: str, message: str) -> list[dict]:
    return [{"field": "@timestamp", "value": ts}, {"field": "@message", "value": message},
            {"field": "@ptr", "value": "CmAKJgoi"}]


def test_insights_query_polls_until_complete(factory):
    logs_client = factory.client("logs", REGION)
    stubber = stub(factory, "logs")
    stubber.add_response("start_query", {"queryId": "q-123"}, expected_params={
        "logGroupNames": ["/aws/lambda/checkout-api"], "queryString": "fields @timestamp, @message",
        "startTime": int(START.timestamp()), "endTime": int(END.timestamp()), "limit": 100})
    running = {"status": "Running", "results": [], "statistics": {"recordsMatched": 0.0, "recordsScanned": 10.0,
                                                                 "bytesScanned": 100.0}}
    stubber.add_response("get_query_results", running, expected_params={"queryId": "q-123"})
    stubber.add_response("get_query_results", {"status": "Scheduled", "results": []})
    stubber.add_response("get_query_results", {"status": "Complete", "results": [
        _row("2026-01-10 11:58:00.000", "ERROR boom"), _row("2026-01-10 11:59:00.000", "ERROR again")],
        "statistics": {"recordsMatched": 2.0, "recordsScanned": 500.0, "bytesScanned": 4096.0}})
    sleeps: list[float] = []
    result = aws_logs.run_insights_query(logs_client, ["/aws/lambda/checkout-api"], "fields @timestamp, @message",
                                         START, END, 100, sleep=sleeps.append)
    stubber.assert_no_pending_responses()
    assert sleeps == [0.5, 1.0]  # two polls before completion, with back-off, and no real sleeping
    assert result.status == "Complete" and result.query_id == "q-123"
    assert [r["@message"] for r in result.rows] == ["ERROR boom", "ERROR again"]
    assert result.rows[0]["@timestamp"] == "2026-01-10 11:58:00.000"
    assert result.bytes_scanned == 4096.0 and result.records_matched == 2.0


def test_insights_query_failed_is_an_aws_error(factory):
    stubber = stub(factory, "logs")
    stubber.add_response("start_query", {"queryId": "q-9"})
    stubber.add_response("get_query_results", {"status": "Failed", "results": []})
    with pytest.raises(AwsError) as err:
        aws_logs.run_insights_query(factory.client("logs", REGION), ["g"], "fields @message", START, END, 10,
                                    sleep=lambda _: None)
    assert err.value.code == "Failed" and "q-9" in err.value.message


def test_insights_query_times_out_and_stops_the_query(factory):
    stubber = stub(factory, "logs")
    stubber.add_response("start_query", {"queryId": "q-slow"})
    for _ in range(3):
        stubber.add_response("get_query_results", {"status": "Running", "results": []})
    stubber.add_response("stop_query", {"success": True}, expected_params={"queryId": "q-slow"})
    with pytest.raises(AwsError, match="Timeout"):
        aws_logs.run_insights_query(factory.client("logs", REGION), ["g"], "q", START, END, 10, timeout_s=1.0,
                                    sleep=lambda _: None)
    stubber.assert_no_pending_responses()


def test_insights_query_over_its_byte_cap_is_stopped_with_partial_rows(factory, gateway):
    # GIVEN a query still running whose statistics already show more bytes scanned than the cap
    stubber = stub(factory, "logs")
    stubber.add_response("start_query", {"queryId": "q-big"})
    stubber.add_response("get_query_results", {"status": "Running", "results": [],
                                               "statistics": {"bytesScanned": 400.0, "recordsMatched": 0.0}})
    stubber.add_response("get_query_results", {"status": "Running", "results": [
        _row("2026-01-10 11:59:00.000", "ERROR partial")],
        "statistics": {"bytesScanned": 1500.0, "recordsMatched": 1.0, "recordsScanned": 90.0}},
        expected_params={"queryId": "q-big"})
    stubber.add_response("stop_query", {"success": True}, expected_params={"queryId": "q-big"})
    # WHEN it is run through the gateway with a 1000-byte cap
    result = gateway.run_insights_query(["g"], "fields @message", START, END, 10, max_bytes=1000)
    # THEN StopQuery was sent after the page over the cap, and the partial rows come back, flagged capped
    stubber.assert_no_pending_responses()
    assert result.capped is True and result.query_id == "q-big"
    assert [r["@message"] for r in result.rows] == ["ERROR partial"]
    assert result.bytes_scanned == 1500.0 and result.records_matched == 1.0


def test_insights_query_that_completes_is_not_capped_and_stop_errors_are_tolerated(factory):
    # GIVEN a query that finishes under its cap
    logs_client = factory.client("logs", REGION)
    stubber = stub(factory, "logs")
    stubber.add_response("start_query", {"queryId": "q-ok"})
    stubber.add_response("get_query_results", {"status": "Complete", "statistics": {"bytesScanned": 900.0},
                                               "results": [_row("2026-01-10 11:59:00.000", "x")]})
    # WHEN run with a 1000-byte cap THEN it is complete and not capped
    done = aws_logs.run_insights_query(logs_client, ["g"], "q", START, END, 10, max_bytes=1000, sleep=lambda _: None)
    assert (done.status, done.capped, done.bytes_scanned) == ("Complete", False, 900.0)
    # GIVEN a capped query whose StopQuery fails (it finished meanwhile)
    stubber.add_response("start_query", {"queryId": "q-gone"})
    stubber.add_response("get_query_results", {"status": "Running", "results": [],
                                               "statistics": {"bytesScanned": 2000.0}})
    stubber.add_client_error("stop_query", "InvalidParameterException", "query is not running")
    # WHEN run THEN the partial (empty) result still comes back capped instead of raising
    stopped = aws_logs.run_insights_query(logs_client, ["g"], "q", START, END, 10, max_bytes=1000,
                                          sleep=lambda _: None)
    stubber.assert_no_pending_responses()
    assert stopped.capped is True and stopped.rows == ()


def test_filter_log_events_paginates_and_clips_to_window(factory, gateway):
    stubber = stub(factory, "logs")
    ms = lambda d: int(d.timestamp() * 1000)  # noqa: E731
    stubber.add_response("filter_log_events", {"nextToken": "t2", "events": [
        {"logStreamName": "s", "timestamp": ms(T0 - timedelta(minutes=5)), "message": "a", "eventId": "1"}]})
    stubber.add_response("filter_log_events", {"events": [
        {"logStreamName": "s", "timestamp": ms(END), "message": "at end: excluded", "eventId": "2"},
        {"logStreamName": "s", "timestamp": ms(T0 - timedelta(minutes=9)), "message": "b", "eventId": "3"}]})
    records, truncated = gateway.filter_log_events("g", START, END, 100)
    assert [r.message for r in records] == ["b", "a"] and not truncated


# Client configuration -------------------------------------------------------------------

def test_clients_use_adaptive_retries_and_endpoint(factory):
    # throttling is retried by botocore's adaptive mode; assert every client gets that config
    client = factory.client("cloudwatch", REGION)
    assert RETRY_CONFIG.retries["mode"] == "adaptive"
    assert client.meta.config.retries["mode"] == "adaptive"
    assert client.meta.config.retries.get("max_attempts", client.meta.config.retries.get("total_max_attempts")) >= 3
    assert factory.client("cloudwatch", REGION) is client  # cached per (service, region)
    local = ClientFactory(endpoint_url="http://127.0.0.1:1", static_credentials={"aws_access_key_id": "a",
                                                                                  "aws_secret_access_key": "b"})
    assert local.client("logs", REGION).meta.endpoint_url == "http://127.0.0.1:1"
    assert local.client("logs", REGION).meta.config.read_timeout == 30


def test_the_sandbox_waits_for_its_slow_emulator_instead_of_retrying_the_same_work():
    # GIVEN the sandbox's factory (a local moto answers a large GetMetricData slowly, not flakily)
    emulator = ClientFactory(endpoint_url="http://127.0.0.1:1", emulator=True,
                             static_credentials={"aws_access_key_id": "a", "aws_secret_access_key": "b"})
    # WHEN a client is built THEN it waits minutes for an answer and asks at most twice
    config = emulator.client("cloudwatch", REGION).meta.config
    assert config.read_timeout >= 300 and config.retries["total_max_attempts"] == 2


# Front doors: what is behind them ----------------------------------------------------

def test_api_integrations_and_load_balancer_target_groups_link_front_doors_to_backends(factory):
    # GIVEN an API whose methods integrate with a Lambda (two pages) and an ALB with a target group
    from bot.aws.inventory import lambda_integrations, target_groups

    api = stub(factory, "apigateway")
    uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:{}/invocations"
    api.add_response("get_resources", {"position": "p2", "items": [
        {"id": "r1", "path": "/quotes", "resourceMethods": {"GET": {"methodIntegration": {
            "type": "AWS_PROXY", "uri": uri.format("quote-pricer")}}}}]},
        {"restApiId": "k2x9", "embed": ["methods"], "limit": 500})
    api.add_response("get_resources", {"items": [
        {"id": "r2", "path": "/health", "resourceMethods": {"GET": {"methodIntegration": {"type": "MOCK"}}}},
        {"id": "r3", "path": "/quotes/{id}", "resourceMethods": {"PUT": {"methodIntegration": {
            "type": "AWS_PROXY", "uri": uri.format("quote-pricer")}}}}]},
        {"restApiId": "k2x9", "embed": ["methods"], "limit": 500, "position": "p2"})
    elb = stub(factory, "elbv2")
    lb_arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/abc"
    tg_arn = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/web-tg/def"
    elb.add_response("describe_target_groups", {"TargetGroups": [{"TargetGroupArn": tg_arn}]},
                     {"LoadBalancerArn": lb_arn})
    elb.add_client_error("describe_target_groups", "AccessDenied", expected_params={"LoadBalancerArn": "x"})
    # WHEN read
    apis = lambda_integrations(factory.client("apigateway", REGION), "k2x9")
    groups = target_groups(factory.client("elbv2", REGION), lb_arn)
    denied = target_groups(factory.client("elbv2", REGION), "x")
    # THEN each Lambda is named once, the target group is found, and AccessDenied degrades to "unknown"
    assert apis == ["quote-pricer"]
    assert groups == [tg_arn] and denied == []
    api.assert_no_pending_responses()
    elb.assert_no_pending_responses()


def test_an_apis_stages_name_the_log_groups_of_its_access_logs_and_its_throttle(factory):
    # GIVEN an API with a stage logging its access log to a custom group and throttling every method at
    # 100 requests/s, and one stage without access logs or throttle
    from bot.aws.inventory import stage_settings

    api = stub(factory, "apigateway")
    api.add_response("get_stages", {"item": [
        {"stageName": "live", "accessLogSettings": {
            "destinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/apigateway/gacha-live-access",
            "format": "$context.requestId $context.status"},
         "methodSettings": {"*/*": {"throttlingRateLimit": 100.0, "throttlingBurstLimit": 200}}},
        {"stageName": "dev"}]}, {"restApiId": "g2m7"})
    api.add_client_error("get_stages", "AccessDeniedException", expected_params={"restApiId": "x"})
    # WHEN read
    client = factory.client("apigateway", REGION)
    read, denied = stage_settings(client, "g2m7"), stage_settings(client, "x")
    # THEN the live stage's group and throttle are named (and it is the stage a throttle script raises), and
    # AccessDenied degrades to none
    assert read == {"access_log_groups": ["/aws/apigateway/gacha-live-access"], "throttle_rate_limit": 100.0,
                    "throttle_burst_limit": 200, "stages": ["dev", "live"], "stage": "live"}
    assert denied == {"access_log_groups": []}
    api.assert_no_pending_responses()


def test_aurora_cluster_members_are_read_as_writer_or_reader(factory):
    # GIVEN a cluster with a writer and a reader, and a caller not allowed to describe clusters
    from bot.aws.inventory import cluster_roles

    rds = stub(factory, "rds")
    rds.add_response("describe_db_clusters", {"DBClusters": [{"DBClusterIdentifier": "atlas", "DBClusterMembers": [
        {"DBInstanceIdentifier": "atlas-1", "IsClusterWriter": True},
        {"DBInstanceIdentifier": "atlas-2", "IsClusterWriter": False}]}]}, {})
    rds.add_client_error("describe_db_clusters", "AccessDenied")
    client = factory.client("rds", REGION)
    # WHEN read THEN each member has its role, and a refusal degrades to no roles
    assert cluster_roles(client) == {"atlas-1": "writer", "atlas-2": "reader"}
    assert cluster_roles(client) == {}
    rds.assert_no_pending_responses()


def test_an_unreadable_answer_becomes_an_aws_error_not_a_crash():
    from botocore.parsers import ResponseParserError

    from bot.aws.clients import call

    def broken(**_):  # what botocore raises when an emulator answers an unknown region with an HTML error page
        raise ResponseParserError("Unable to parse response")

    with pytest.raises(AwsError) as caught:
        call("DescribeAlarms", broken)
    assert caught.value.code == "UnreadableResponse" and "region" in caught.value.message
