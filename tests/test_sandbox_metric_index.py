"""The emulator's GetMetricData speed-up answers exactly as moto does (bot.sandbox.metric_index)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import boto3
from moto import mock_aws
from moto.cloudwatch.models import CloudWatchBackend, cloudwatch_backends

from bot.sandbox import metric_index

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _query(qid: str, namespace: str, name: str, dims: dict[str, str], stat: str = "Average") -> dict:
    return {"Id": qid, "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": name,
                                                 "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()]},
                                      "Period": 60, "Stat": stat}}


@mock_aws
def test_filtered_queries_return_what_moto_returns():
    # GIVEN CPU of two instances and a database (same metric name, other namespace), requests without dimensions
    client = boto3.client("cloudwatch", region_name="us-east-1")
    for minute in range(90):
        at = START + timedelta(minutes=minute)
        data = [("AWS/EC2", "CPUUtilization", {"InstanceId": "i-1"}, 10 + minute % 7),
                ("AWS/EC2", "CPUUtilization", {"InstanceId": "i-2"}, 50 + minute % 3),
                ("AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "db-1"}, 30.0),
                ("Custom/App", "Requests", {}, float(minute))]
        for namespace, name, dims, value in data:
            client.put_metric_data(Namespace=namespace, MetricData=[{
                "MetricName": name, "Timestamp": at, "Value": value,
                "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()]}])
    queries = [_query("a", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-1"}),
               _query("b", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-2"}, "Maximum"),
               _query("c", "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": "db-1"}),
               _query("d", "Custom/App", "Requests", {}, "Sum"),
               _query("e", "AWS/EC2", "CPUUtilization", {"InstanceId": "i-missing"})]
    backend = cloudwatch_backends["123456789012"]["us-east-1"]
    start, end = START.replace(tzinfo=None), (START + timedelta(minutes=90)).replace(tzinfo=None)  # moto's own form
    # WHEN the same queries are answered by moto's own method and by the filtered one
    plain = metric_index.MOTO_GET_METRIC_DATA(backend, queries, start, end)
    metric_index.install()
    metric_index.install()  # idempotent
    fast = CloudWatchBackend.get_metric_data(backend, queries, start, end)
    # THEN the answers are identical, and each series holds only its own datapoints
    assert fast == plain and CloudWatchBackend.get_metric_data is not metric_index.MOTO_GET_METRIC_DATA
    by_id = {r["id"]: r for r in fast}
    assert len(by_id["a"]["values"]) == 90 and max(by_id["a"]["values"]) <= 16
    assert by_id["b"]["values"][0] == 50 and by_id["e"]["values"] == []
