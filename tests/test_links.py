"""Console deep links: host and region for every service, URL encoding, the exact Logs Insights query and range."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from analyzers.links import (alarm_url, build_links, change_url, log_events_url, logs_insights_url, metric_url,
                             resource_url, tilde_value)
from analyzers.model import Alarm, Change, MetricKey, ResourceRef

REGION = "eu-west-1"
START = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)
END = datetime(2026, 1, 5, 12, 30, 15, 250000, tzinfo=timezone.utc)
RESOURCES = [
    (ResourceRef("lambda", "orders-api", REGION), "/lambda/home", "#/functions/orders-api"),
    (ResourceRef("rds", "orders-db", REGION), "/rds/home", "#database:id=orders-db;is-cluster=false"),
    (ResourceRef("ec2", "i-0abc123", REGION), "/ec2/home", "#InstanceDetails:instanceId=i-0abc123"),
    (ResourceRef("ecs", "shop/web", REGION), "/ecs/v2/clusters/shop/services/web/health", ""),
    (ResourceRef("apigateway", "orders-public", REGION, {"api_id": "abc123defg"}),
     "/apigateway/main/apis/abc123defg/resources", ""),
    (ResourceRef("apigateway", "orders public", REGION), "/apigateway/main/apis", ""),
    (ResourceRef("alb", "app/shop-alb/50dc6c495c0c9188", REGION), "/ec2/home", "#LoadBalancers:search=shop-alb"),
]


def _decode_tilde(value: str) -> str:
    """Inverse of the console's value encoding (*hh bytes)."""
    assert value.startswith("'")
    raw = re.sub(rb"\*([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), value[1:].encode("ascii"))
    return raw.decode("utf-8")


def _check_host_and_region(url: str, region: str = REGION) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == f"{region}.console.aws.amazon.com"
    assert parse_qs(parts.query)["region"] == [region]
    assert " " not in url and "\n" not in url


@pytest.mark.parametrize("resource,path,fragment", RESOURCES, ids=lambda v: getattr(v, "type", None))
def test_resource_links_for_every_service(resource, path, fragment):
    # GIVEN a resource WHEN its console link is built THEN it opens that service's page in its own region
    url = resource_url(resource, "us-east-1")
    _check_host_and_region(url)
    parts = urlsplit(url)
    assert parts.path == path
    if fragment:
        assert "#" + parts.fragment == fragment
    if resource.type == "apigateway" and resource.properties.get("api_id"):
        assert parse_qs(parts.query)["api"] == ["abc123defg"]
    if resource.id == "orders public":
        assert parse_qs(parts.query)["search"] == ["orders public"] and "orders%20public" in url


def test_resource_without_region_uses_the_default_and_unknown_types_have_none():
    assert resource_url(ResourceRef("lambda", "f"), "ap-south-1").startswith("https://ap-south-1.console.")
    assert resource_url(ResourceRef("other", "x"), "us-east-1") is None


def test_alarm_link_encodes_the_name():
    url = alarm_url(REGION, "orders api/errors #1")
    _check_host_and_region(url)
    assert url.endswith("#alarmsV2:alarm/orders%20api%2Ferrors%20%231")


def test_metric_link_names_namespace_metric_dimensions_stat_and_range():
    # GIVEN an ECS metric with two dimensions
    key = MetricKey.of("AWS/ECS", "CPUUtilization", {"ClusterName": "shop", "ServiceName": "web"}, "Average", REGION)
    # WHEN linked
    url = metric_url(key, START, END, 300)
    # THEN the graph fragment carries every part in the console's ~( ) notation
    _check_host_and_region(url)
    fragment = urlsplit(url).fragment
    assert fragment.startswith("metricsV2:graph=~(metrics~(~(~'AWS*2fECS~'CPUUtilization~'ClusterName~'shop"
                               "~'ServiceName~'web))")
    assert "~stat~'Average~period~300" in fragment and f"~region~'{REGION}" in fragment
    assert "~start~'2026-01-05T10*3a00*3a00.000Z~end~'2026-01-05T12*3a30*3a15.250Z)" in fragment


def test_logs_insights_link_opens_the_exact_query_and_time_range():
    # GIVEN the query and range an investigation used
    query = "fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 500"
    url = logs_insights_url(REGION, ["/aws/lambda/orders-api"], query, "2026-01-05T10:00:00+00:00",
                            "2026-01-05T12:30:15.250000+00:00")
    # WHEN the fragment is decoded as the console does
    _check_host_and_region(url)
    fragment = urlsplit(url).fragment
    assert fragment.startswith("logsV2:logs-insights$3FqueryDetail$3D~(")
    fields = dict(re.findall(r"[~(](end|start|timeType|tz|editorString)~('[^~]*)", fragment))
    # THEN query, time range (absolute, UTC) and log group round-trip exactly
    assert _decode_tilde(fields["editorString"]) == query
    assert _decode_tilde(fields["start"]) == "2026-01-05T10:00:00.000Z"
    assert _decode_tilde(fields["end"]) == "2026-01-05T12:30:15.250Z"
    assert fields["timeType"] == "'ABSOLUTE" and fields["tz"] == "'UTC"
    assert fragment.endswith("~source~(~'*2faws*2flambda*2forders-api))")
    assert not re.search(r"[ @|/,]", fragment.split("$3D", 1)[1])  # every special char is *hh-encoded


def test_tilde_value_escapes_delimiters_and_unicode():
    assert tilde_value("a~b'c(d)*é") == "'a*7eb*27c*28d*29*2a*c3*a9"


def test_log_events_link_for_filter_log_events_double_encodes_the_group():
    url = log_events_url(REGION, "/aws/lambda/orders-api", START, END)
    _check_host_and_region(url)
    fragment = urlsplit(url).fragment
    assert fragment == ("logsV2:log-groups/log-group/$252Faws$252Flambda$252Forders-api/log-events"
                        f"$3Fstart$3D{int(START.timestamp() * 1000)}$26end$3D{int(END.timestamp() * 1000)}")
    assert unquote(unquote(fragment.split("/")[2].replace("$", "%"))) == "/aws/lambda/orders-api"


def test_change_links_by_event_id_or_resource_name():
    real = Change("6c1c6d0e-3b1e-4c3a-9b43-2a0e1f1d2c3b", START, "lambda.amazonaws.com", "UpdateFunctionCode",
                  None, "orders-api", region="us-west-2")
    meta = Change("lambda:orders-api:7", START, "lambda.amazonaws.com", "PublishVersion:7", None, "orders api",
                  region=None, source="lambda-metadata")
    url = change_url(real, REGION)
    _check_host_and_region(url, "us-west-2")
    assert urlsplit(url).path == "/cloudtrailv2/home" and url.endswith("#/events/6c1c6d0e-3b1e-4c3a-9b43-2a0e1f1d2c3b")
    url = change_url(meta, REGION)
    _check_host_and_region(url)
    assert url.endswith("#/events?ResourceName=orders%20api")


def test_build_links_shape():
    # GIVEN an alarm, resources, metrics, two log windows of one group and a change
    alarm = Alarm("orders-api-errors", REGION)
    fn = ResourceRef("lambda", "orders-api", REGION)
    key = MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": "orders-api"}, "Sum", REGION)
    queries = [{"log_group": "/aws/lambda/orders-api", "window": "baseline", "start": "2026-01-05T10:00:00+00:00",
                "end": "2026-01-05T11:00:00+00:00", "query": "fields @message"},
               {"log_group": "/aws/lambda/orders-api", "window": "incident", "start": "2026-01-05T11:00:00+00:00",
                "end": "2026-01-05T12:00:00+00:00", "query": "fields @message"}]
    change = Change("c1", START, "lambda.amazonaws.com", "UpdateFunctionCode", None, "orders-api")
    # WHEN built
    links = build_links(alarm, [fn], [("m1", key, 60)], queries, [change], START, END)
    # THEN the documented keys, one URL per id, and the group link spans both windows with the same query
    assert set(links) == {"alarm", "resources", "metrics", "log_groups", "log_queries", "changes"}
    assert list(links["resources"]) == ["orders-api"] and list(links["metrics"]) == ["m1"]
    assert list(links["changes"]) == ["c1"] and len(links["log_queries"]) == 2
    group = links["log_groups"]["/aws/lambda/orders-api"]
    assert "~(end~'2026-01-05T12*3a00*3a00.000Z~start~'2026-01-05T10*3a00*3a00.000Z" in group
    for url in [links["alarm"], group, *links["resources"].values(), *links["metrics"].values(),
                *links["changes"].values()]:
        _check_host_and_region(url)
