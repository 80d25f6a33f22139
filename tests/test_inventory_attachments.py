"""Inventory of attached things through the emulator: ECS task definitions (awslogs groups, roles),
RDS parameter groups, Lambda roles — what change correlation and log sources rely on."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzers.topology import log_group_prefixes
from tests.conftest import REGION, build_scenario, write_scenario

SERVICE = "core/tickets"


@pytest.fixture(scope="module")
def resources(tmp_path_factory: pytest.TempPathFactory):
    from bot.sandbox import Sandbox

    base = build_scenario()
    ecs = {"type": "ecs", "id": SERVICE, "properties": {
        "desired_count": 2, "task_role": "shared-task-role",
        "environment": {"FULFILLMENT_URL": "http://internal-fulfil-alb-77120.eu-central-1.elb.amazonaws.com",
                        "DB_PASSWORD_PARAM": "/tickets/prod/db-password", "POOL_SIZE": "20"}}}
    logs = base["logs"] + [{"group": "/ecs/tickets", "stream": "web/tickets/1", "events": [[-600, "GET /x 200"]]}]
    path = write_scenario(Path(tmp_path_factory.mktemp("attach")),
                          build_scenario(resources=base["resources"] + [ecs], logs=logs))
    box = Sandbox.start(path)
    try:
        yield {r.key: r for r in box.provider([REGION]).region(REGION).list_resources()}
    finally:
        box.stop()


def test_ecs_log_group_and_task_role_come_from_the_task_definition(resources):
    # GIVEN an ECS service whose scenario declares no log group, only the awslogs convention /ecs/<service>
    service = resources[("ecs", SERVICE)]
    # THEN the inventory read the task definition: its awslogs group, family and task role
    assert service.properties["awslogs_groups"] == ["/ecs/tickets"]
    assert service.properties["task_definition_family"] == "tickets"
    assert "/ecs/tickets" in log_group_prefixes(service)
    assert {"shared-task-role", "tickets"} <= service.attached_names


def test_ecs_environment_names_and_references_come_from_the_task_definition(resources):
    # GIVEN a service whose container environment names a balancer's host, a parameter and a plain value
    props = resources[("ecs", SERVICE)].properties
    # THEN the inventory keeps the names and the references, never the values
    assert props["env_names"] == ["DB_PASSWORD_PARAM", "FULFILLMENT_URL", "POOL_SIZE"]
    assert props["env_refs"] == ["internal-fulfil-alb-77120"]
    assert props["config_refs"] == ["/tickets/prod/db-password"]


def test_the_task_definition_reader_keeps_no_environment_values():
    from bot.aws.inventory import describe_task_definition

    class Ecs:  # a DescribeTaskDefinition answer, as AWS gives it
        def describe_task_definition(self, **_):
            return {"taskDefinition": {"family": "tickets", "containerDefinitions": [{
                "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "POOL_SIZE", "value": "20"}],
                "secrets": [{"name": "API_KEY", "valueFrom": "arn:aws:secretsmanager:eu-west-1:1:secret:tickets-key"}]}]}}

    props = describe_task_definition(Ecs(), "tickets:3")
    assert props["env_names"] == ["DB_PASSWORD", "POOL_SIZE"]
    assert props["config_refs"] == ["arn:aws:secretsmanager:eu-west-1:1:secret:tickets-key"]
    assert "hunter2" not in str(props) and "'20'" not in str(props)


def test_lambda_role_is_an_attached_name(resources):
    function = next(r for key, r in resources.items() if key[0] == "lambda")
    assert str(function.properties["role"]).startswith("arn:aws:iam::")
    assert function.properties["role"].rsplit("/", 1)[-1] in function.attached_names


def test_lambda_release_names_the_alias_and_the_version_to_roll_back_to(tmp_path: Path):
    from bot.sandbox import Sandbox

    # GIVEN a function with three published versions and an alias serving version 2
    box = Sandbox.start(write_scenario(tmp_path, build_scenario()))
    try:
        gateway = box.provider([REGION]).region(REGION)
        function = next(r.id for r in gateway.list_resources() if r.type == "lambda")
        client = gateway.factory.client("lambda", REGION)
        for n in range(3):
            client.update_function_configuration(FunctionName=function, Description=f"release {n + 1}")
            client.get_waiter("function_updated").wait(FunctionName=function)
            client.publish_version(FunctionName=function, Description=f"release {n + 1}")
        client.create_alias(FunctionName=function, Name="live", FunctionVersion="2")
        # WHEN the release is read for a rollback script
        release = gateway.get_lambda_release(function)
    finally:
        box.stop()
    # THEN the alias serves 2 and the version before it is 1 (not the newer, unserved 3)
    assert release == {"alias": "live", "current_version": "2", "previous_version": "1"}
