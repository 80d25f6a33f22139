"""The facts the real AWS inventory reads for remediation scripts: an API's stage, the max_connections a custom
parameter group sets, the Auto Scaling group that launched an instance (Stubber and the in-process emulator);
and an error page in an AWS error."""
from __future__ import annotations

import pytest

from bot.aws import AwsError
from tests.test_aws_adapter import REGION, factory, stub  # noqa: F401 - the factory fixture


def test_an_apis_only_stage_is_its_stage_and_several_unthrottled_ones_name_none(factory):
    from bot.aws.inventory import stage_settings

    api = stub(factory, "apigateway")
    api.add_response("get_stages", {"item": [{"stageName": "prod"}]}, {"restApiId": "one"})
    api.add_response("get_stages", {"item": [{"stageName": "prod"}, {"stageName": "test"}]}, {"restApiId": "two"})
    client = factory.client("apigateway", REGION)
    assert stage_settings(client, "one")["stage"] == "prod"
    assert "stage" not in stage_settings(client, "two")  # which one is meant is not known: scripts ask for it


def test_the_inventory_reads_max_connections_a_custom_parameter_group_sets(factory):
    # GIVEN (in the emulator) a database whose custom parameter group sets max_connections, one on a formula,
    # and one on its engine's default group
    from moto import mock_aws

    from bot.aws.inventory import list_rds
    with mock_aws():
        rds = factory.client("rds", REGION)
        for group, value in (("orders-pg", "150"), ("formula-pg", "{DBInstanceClassMemory/12582880}")):
            rds.create_db_parameter_group(DBParameterGroupName=group, DBParameterGroupFamily="postgres15",
                                          Description=group)
            rds.modify_db_parameter_group(DBParameterGroupName=group, Parameters=[
                {"ParameterName": "max_connections", "ParameterValue": value, "ApplyMethod": "pending-reboot"}])
        for name, group in (("orders-db", "orders-pg"), ("formula-db", "formula-pg"), ("plain-db", None)):
            rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.medium", Engine="postgres",
                                   AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="secret-123",
                                   **({"DBParameterGroupName": group} if group else {}))
        # WHEN the inventory lists them
        caps = {r.id: r.properties.get("max_connections") for r in list_rds(factory, REGION)}
    # THEN only the number a group sets is a fact
    assert caps == {"orders-db": 150, "formula-db": None, "plain-db": None}


def test_an_instance_an_auto_scaling_group_launched_names_its_group(factory):
    from moto import mock_aws

    from bot.aws.inventory import list_ec2
    with mock_aws():
        ec2 = factory.client("ec2", REGION)
        ec2.create_launch_template(LaunchTemplateName="web-template",
                                   LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
        factory.client("autoscaling", REGION).create_auto_scaling_group(
            AutoScalingGroupName="web-asg", LaunchTemplate={"LaunchTemplateName": "web-template"}, MinSize=1,
            MaxSize=2, DesiredCapacity=1, AvailabilityZones=["us-east-1a"])
        ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro")
        groups = sorted(str(r.properties.get("autoscaling_group")) for r in list_ec2(factory, REGION))
    assert groups == ["None", "web-asg"]


def test_an_error_page_in_an_aws_error_becomes_one_line_of_its_text():
    from botocore.exceptions import ClientError

    from bot.aws.clients import call

    page = ("<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>"
            "\n<p>The server encountered an internal error.</p>")

    def proxy_page(**_):  # what botocore hands over when a proxy answers with its own error page
        raise ClientError({"Error": {"Code": "500", "Message": page}}, "GetMetricData")

    with pytest.raises(AwsError) as caught:
        call("GetMetricData", proxy_page)
    assert caught.value.message == ("500 Internal Server Error Internal Server Error The server encountered an "
                                    "internal error.")
