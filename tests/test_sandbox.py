"""bot.sandbox: scenario validation, seeding moto, reading back through AwsGateway, emulator gaps."""
from __future__ import annotations

from datetime import timedelta

import pytest

from analyzers.model import MetricKey
from bot.aws import AwsError, AwsGateway, MetricQuery
from bot.sandbox import SandboxGateway, ScenarioError, load_scenario
from tests.conftest import (ALARM, ALARM_AT, DATABASE, DEPLOY_AT, DEPLOYED, HEALTHY, NEW_ERROR, OLD_CHANGE_AT,
                            ONSET, REGION, START, build_scenario, invocations_at, write_scenario)

# Scenario validation ---------------------------------------------------------------


def test_missing_scenario_file(tmp_path):
    with pytest.raises(ScenarioError, match="scenario file not found") as err:
        load_scenario(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(err.value)


def test_a_json_scenario_is_read_as_strict_json(tmp_path):
    # GIVEN a .json scenario with a trailing comma (YAML would read it, as the wrong value)
    path = tmp_path / "bad.json"
    path.write_text('{"format": "aiops-scenario/v1",\n "name": "x",\n}', encoding="utf-8")
    # WHEN it is loaded THEN the error names the file, JSON and the line
    with pytest.raises(ScenarioError, match=r"bad.json: not valid JSON at line 3"):
        load_scenario(path)


def test_scenario_bad_yaml_has_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: aiops-scenario/v1\nname: x\nmetrics: [\n  {a: 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"not valid YAML at line \d+"):
        load_scenario(path)


def test_scenario_wrong_format_string(tmp_path):
    path = write_scenario(tmp_path, build_scenario(format="aiops-scenario/v9"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "'format'" in str(err.value) and str(path) in str(err.value)


def test_scenario_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not a scenario"):
        load_scenario(path)


@pytest.mark.parametrize("overrides, where", [
    ({"metrics": [{"namespace": "AWS/Lambda", "name": "Errors", "points": [["soon", 1]]}]}, "metrics.0.points.0.0"),
    ({"resources": [{"type": "mainframe", "id": "x"}]}, "resources.0.type"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": "high"}]}, "alarms.0.threshold"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": 1, "state": "RED"}]}, "alarms.0.state"),
    ({"region": "moon"}, "region"),
    ({"changes": [{"event_source": "s", "event_name": "e"}]}, "changes.0.time"),
    ({"region": "mars-north-1"}, "region"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": 1, "region": "mars-north-1"}]},
     "alarms.0.region"),
    ({"resources": [{"type": "lambda", "id": "f", "properties": {"timeout": "abc"}}]}, "resources.0.properties"),
    ({"resources": [{"type": "lambda", "id": "f", "properties": {"memory_size": -5}}]}, "resources.0.properties"),
    ({"metrics": [{"namespace": "AWS/Lambda", "name": "Errors", "points": [[0, float("nan")]]}]},
     "metrics.0.points.0.1"),
    ({"metrics": [{"namespace": "AWS/Lambda", "name": "Errors", "points": [[1e15, 1]]}]}, "metrics.0.points.0.0"),
    ({"logs": [{"group": "g", "stream": "s", "events": [[float("nan"), "x"]]}]}, "logs.0.events.0.0"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": 1, "state_changed": 1e12}]},
     "alarms.0.state_changed"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": 1, "period": 0}]}, "alarms.0.period"),
    ({"alarms": [{"name": "a", "namespace": "n", "metric": "m", "threshold": float("inf")}]}, "alarms.0.threshold"),
    ({"changes": [{"time": -1e12, "event_source": "s", "event_name": "e"}]}, "changes.0.time"),
    ({"loaded_at": "2020-01-01T00:00:00"}, "loaded_at"),
])
def test_scenario_wrong_types_name_the_field(tmp_path, overrides, where):
    # GIVEN a scenario with one wrong field WHEN loaded THEN ScenarioError names that field
    path = write_scenario(tmp_path, build_scenario(**overrides))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert f"'{where}'" in str(err.value)


def test_an_aurora_style_database_with_no_allocated_storage_loads(tmp_path):
    db = [{"type": "rds", "id": "orders-aurora", "properties": {"engine": "aurora-mysql", "allocated_storage_gb": 0}}]
    assert load_scenario(write_scenario(tmp_path, build_scenario(resources=db))).resources[0].id == "orders-aurora"


def test_a_resource_or_alarm_listed_twice_is_refused(tmp_path):
    twice = [{"type": "lambda", "id": "f"}, {"type": "lambda", "id": "f"}]
    with pytest.raises(ScenarioError, match="lambda 'f' is listed twice in us-east-1"):
        load_scenario(write_scenario(tmp_path, build_scenario(resources=twice)))


def test_scenario_expect_block_is_ignored_and_times_are_relative(scenario_file):
    scenario = load_scenario(scenario_file)
    assert not hasattr(scenario, "expect")
    assert scenario.loaded_at.second == 0 and scenario.loaded_at.microsecond == 0
    assert scenario.at(-60) == scenario.loaded_at - timedelta(minutes=1)
    assert scenario.regions == [REGION]


# Seeding and reading back (one emulator for the module) ----------------------------


@pytest.fixture(scope="module")
def gateway(sandbox) -> AwsGateway:
    return sandbox.provider().region(REGION)


def test_seed_counts(sandbox):
    assert sandbox.counts["resources"] == 3
    assert sandbox.counts["alarms"] == 2
    assert sandbox.counts["datapoints"] == 7 * 90
    assert sandbox.counts["log_events"] > 0


def test_metrics_read_back_at_the_right_absolute_minutes(sandbox, gateway):
    # GIVEN the scenario's Invocations series, whose value differs minute to minute
    scenario = sandbox.scenario
    key = MetricKey.of("AWS/Lambda", "Invocations", {"FunctionName": DEPLOYED}, "Sum", REGION)
    # WHEN read through the real AwsGateway code (GetMetricData against the emulator)
    [series] = gateway.get_metric_data([MetricQuery(key, 60)], scenario.at(START), scenario.at(0))
    # THEN every point sits at loaded_at + its relative time, with its value
    got = dict(zip(series.timestamps, series.values))
    assert len(got) == 90
    for rel in (START, -3000, ONSET, -60):
        assert got[scenario.at(rel).timestamp()] == invocations_at(rel)


def test_metric_window_is_honoured(sandbox, gateway):
    scenario = sandbox.scenario
    key = MetricKey.of("AWS/Lambda", "Errors", {"FunctionName": DEPLOYED}, "Sum", REGION)
    [series] = gateway.get_metric_data([MetricQuery(key, 60)], scenario.at(ONSET), scenario.at(0))
    assert min(series.timestamps) >= scenario.at(ONSET).timestamp()
    assert len(series.values) == -ONSET // 60
    assert min(series.values) >= 9


def test_logs_read_back_with_absolute_times(sandbox, gateway):
    scenario = sandbox.scenario
    group = f"/aws/lambda/{DEPLOYED}"
    assert group in gateway.describe_log_groups()
    records, truncated = gateway.filter_log_events(group, scenario.at(START), scenario.at(0), 10000)
    assert not truncated
    errors = [r for r in records if NEW_ERROR in r.message]
    assert errors and min(r.timestamp for r in errors) >= scenario.at(ONSET).timestamp()
    # AND a narrower window returns only its own events
    before, _ = gateway.filter_log_events(group, scenario.at(START), scenario.at(ONSET), 10000)
    assert before and not [r for r in before if NEW_ERROR in r.message]
    assert max(r.timestamp for r in before) < scenario.at(ONSET).timestamp()


def test_alarms_read_back(gateway):
    [alarm] = gateway.describe_alarms(names=[ALARM])
    assert alarm.state == "ALARM"
    assert alarm.metric_key.name == "Errors" and alarm.dimensions == (("FunctionName", DEPLOYED),)
    assert alarm.threshold == 5 and alarm.evaluation_periods == 3
    assert {a.name for a in gateway.describe_alarms(state="ALARM")} == {ALARM}


def test_alarms_changed_state_when_the_scenario_says(sandbox, gateway):
    # GIVEN the scenario's alarm fired ALARM_AT seconds before loading (the emulator stamps its seeding time)
    [alarm] = gateway.describe_alarms(names=[ALARM])
    # THEN DescribeAlarms agrees with the alarm history: incidents and reports date the alarm alike
    assert alarm.state_changed == sandbox.scenario.at(ALARM_AT)


def test_resources_listed_with_scenario_properties(gateway):
    resources = {r.key: r for r in gateway.list_resources()}
    assert set(resources) == {("lambda", DEPLOYED), ("lambda", HEALTHY), ("rds", DATABASE)}
    assert resources[("rds", DATABASE)].properties["max_connections"] == 100
    assert resources[("lambda", DEPLOYED)].properties["timeout"] == 30


def test_lookup_events_honours_its_window(sandbox, gateway):
    # GIVEN a deploy 25 min ago and an unrelated change 83 min ago
    scenario = sandbox.scenario
    assert isinstance(gateway, SandboxGateway)
    # WHEN changes are looked up for the last 40 minutes
    changes = gateway.lookup_events(scenario.at(-2400), scenario.at(0))
    # THEN the deploy is there and the out-of-window change is EXCLUDED
    assert [(c.resource_name, c.time) for c in changes] == [(DEPLOYED, scenario.at(DEPLOY_AT))]
    # AND a wider window includes both, oldest first
    wide = gateway.lookup_events(scenario.at(START), scenario.at(0))
    assert [c.time for c in wide] == [scenario.at(OLD_CHANGE_AT), scenario.at(DEPLOY_AT)]
    # AND another region sees none
    assert sandbox.provider(["eu-west-1"]).region("eu-west-1").lookup_events(scenario.at(START), scenario.at(0)) == []


def test_alarm_history_from_the_scenario(sandbox, gateway):
    scenario = sandbox.scenario
    [transition] = gateway.describe_alarm_history(ALARM, scenario.at(START), scenario.at(0))
    assert transition.new_state == "ALARM" and transition.old_state == "OK"
    assert transition.time == scenario.at(ALARM_AT)
    # outside the window: nothing; unknown alarm: an AwsError
    assert gateway.describe_alarm_history(ALARM, scenario.at(START), scenario.at(-3000)) == []
    with pytest.raises(AwsError):
        gateway.describe_alarm_history("no-such-alarm", scenario.at(START), scenario.at(0))


def test_insights_is_reported_unavailable(sandbox, gateway):
    assert gateway.insights_available is False
    with pytest.raises(AwsError, match="Unavailable"):
        gateway.run_insights_query(["g"], "fields @message", sandbox.scenario.at(-60), sandbox.scenario.at(0), 10)


def test_two_sandboxes_in_one_process_start_clean(tmp_path):
    # GIVEN a sandbox that was started and stopped
    from bot.sandbox import Sandbox

    small = build_scenario()
    small.update(resources=small["resources"][:1], metrics=[], changes=[], alarms=small["alarms"][:1],
                 logs=[{"group": "/aws/lambda/x", "stream": "s", "events": [[-60, "hello"]]}])
    path = write_scenario(tmp_path, small)
    Sandbox.start(path).stop()
    # WHEN another one starts on the same scenario (same IAM role, function and log group names)
    # THEN seeding does not collide with the old state
    with Sandbox.start(path) as again:
        assert again.counts == {"resources": 1, "datapoints": 0, "log_events": 1, "alarms": 1}


def test_empty_log_messages_are_skipped_not_fatal(tmp_path):
    # GIVEN a scenario whose stream has blank lines between messages (CloudWatch Logs rejects empty ones)
    from bot.sandbox import Sandbox

    small = build_scenario()
    small.update(resources=small["resources"][:1], metrics=[], changes=[], alarms=small["alarms"][:1],
                 logs=[{"group": "/aws/lambda/x", "stream": "s", "events": [[-120, "a"], [-90, ""], [-60, "b"]]}])
    # WHEN it is loaded THEN the two messages are there and the blank one is counted as skipped
    with Sandbox.start(write_scenario(tmp_path, small)) as box:
        assert box.counts["log_events"] == 2 and box.counts["empty_log_events_skipped"] == 1


def test_a_stream_listed_twice_is_merged_not_fatal(tmp_path):
    # GIVEN a scenario that lists the same group and stream in two entries (events split across them)
    from bot.sandbox import Sandbox

    small = build_scenario()
    small.update(resources=small["resources"][:1], metrics=[], changes=[], alarms=small["alarms"][:1],
                 logs=[{"group": "/ecs/web", "stream": "ecs/web/1", "events": [[-120, "first"]]},
                       {"group": "/ecs/web", "stream": "ecs/web/2", "events": [[-100, "other"]]},
                       {"group": "/ecs/web", "stream": "ecs/web/1", "events": [[-60, "second"], [-90, "between"]]}])
    # WHEN it is loaded THEN every event is there, in time order within the merged stream
    with Sandbox.start(write_scenario(tmp_path, small)) as box:
        assert box.counts["log_events"] == 4
        records, _ = box.provider().region(REGION).filter_log_events("/ecs/web", box.scenario.at(-180), box.scenario.at(0), 100)
        assert [r.message for r in records if r.stream == "ecs/web/1"] == ["first", "between", "second"]


@pytest.mark.parametrize("engine", ["aurora-postgresql", "aurora-mysql", "docdb"])
def test_database_engines_the_emulator_lacks_still_load(tmp_path, engine):
    # GIVEN a scenario whose database is Aurora (no default version in the emulator) or an engine it rejects
    from bot.sandbox import Sandbox

    scenario = build_scenario()
    scenario["resources"][2]["properties"]["engine"] = engine
    box = Sandbox.start(write_scenario(tmp_path, scenario))
    try:
        # WHEN its inventory is read THEN the database is there, showing the scenario's engine
        [db] = [r for r in box.provider().region(REGION).list_resources() if r.id == DATABASE]
        assert db.type == "rds" and db.properties["engine"] == engine
    finally:
        box.stop()


def test_an_environment_written_as_a_list_of_names_or_assignments_is_read():
    from bot.sandbox.loader import environment_of
    # GIVEN environments as scenario authors write them
    assert environment_of({"environment": {"A": 1, "B": None}}) == {"A": "1", "B": ""}
    assert environment_of({"environment": ["WEBHOOK_SECRET_ARN", "LOG_LEVEL=debug"]}) == {
        "WEBHOOK_SECRET_ARN": "", "LOG_LEVEL": "debug"}
    # THEN anything else is no environment, never a crash
    assert environment_of({"environment": "oops"}) == {} and environment_of({}) == {}
    assert environment_of({"env": {"DB_HOST": "fleet-aurora.cluster-c3v8.us-east-2.rds.amazonaws.com"}}) == {
        "DB_HOST": "fleet-aurora.cluster-c3v8.us-east-2.rds.amazonaws.com"}  # "env", as authors also write it


def test_a_service_runs_the_task_definition_family_its_scenario_names(tmp_path):
    # GIVEN an ECS service "storefront/web" that runs task definition storefront-web:89
    from analyzers.changes import touches
    from analyzers.model import Change
    from bot.sandbox import Sandbox

    small = build_scenario()
    small["resources"] = [{"type": "ecs", "id": "storefront/web", "properties": {"task_definition": "storefront-web:89"}},
                          {"type": "ecs", "id": "storefront/recs", "properties": {}}]
    with Sandbox.start(write_scenario(tmp_path, small)) as box:
        services = {r.id: r for r in box.provider().region(REGION).list_resources() if r.type == "ecs"}
    # WHEN its inventory is read THEN its family is the one named, so a registration of it touches the service;
    # a service named no task definition runs one named after itself
    assert services["storefront/web"].properties["task_definition_family"] == "storefront-web"
    assert services["storefront/recs"].properties["task_definition_family"] == "recs"
    registered = Change("c1", box.scenario.at(-60), "ecs.amazonaws.com", "RegisterTaskDefinition", None,
                        "storefront-web:90")
    assert touches(registered, services["storefront/web"]) and not touches(registered, services["storefront/recs"])


def test_a_service_logs_to_the_one_group_its_scenario_names(tmp_path):
    # GIVEN an ECS service whose scenario names its log group in the singular, a group not named after it
    from bot.sandbox import Sandbox

    small = build_scenario()
    small["resources"] = [{"type": "ecs", "id": "leagues/standings", "properties": {"log_group": "/ecs/leagues-board"}}]
    with Sandbox.start(write_scenario(tmp_path, small)) as box:
        [service] = [r for r in box.provider().region(REGION).list_resources() if r.type == "ecs"]
    # WHEN its inventory is read THEN its task definition's awslogs group is that one
    assert service.properties["awslogs_groups"] == ["/ecs/leagues-board"]


def test_an_alarm_with_insufficient_data_is_seeded_in_that_state(tmp_path):
    from bot.sandbox import Sandbox

    alarm = {"name": "quiet", "namespace": "AWS/Lambda", "metric": "Errors", "threshold": 1,
             "dimensions": {"FunctionName": DEPLOYED}, "state": "INSUFFICIENT_DATA", "state_changed": -300}
    with Sandbox.start(write_scenario(tmp_path, build_scenario(alarms=[alarm]))) as box:
        (found,) = box.provider().region(REGION).describe_alarms(["quiet"])
    assert found.state == "INSUFFICIENT_DATA"
    assert found.state_changed == box.scenario.at(-300)


def test_what_the_emulator_stamped_while_seeding_is_not_a_change(tmp_path):
    from bot.sandbox import Sandbox

    # GIVEN a function the emulator created while seeding (its LastModified is the seeding time)
    with Sandbox.start(write_scenario(tmp_path, build_scenario())) as box:
        gateway = box.provider().region(REGION)
        function = next(r for r in gateway.list_resources() if r.id == DEPLOYED)
        now = box.scenario.loaded_at
        # WHEN its metadata changes around the seeding are read THEN that stamp is not reported as a change
        changes = gateway.resource_metadata_changes(function, now - timedelta(hours=1), now + timedelta(hours=1))
    assert not [c for c in changes if c.event_name == "LastModified"]


def test_the_emulator_holds_its_port_from_the_start_so_no_other_process_can_take_it():
    import errno
    import socket

    from bot.sandbox import EmulatorServer

    # GIVEN an emulator that has a port but has not started yet
    server = EmulatorServer()
    try:
        # WHEN another program tries to listen on that port THEN it cannot
        with socket.socket() as other, pytest.raises(OSError) as err:
            other.bind(("127.0.0.1", server.port))
        assert err.value.errno == errno.EADDRINUSE
        # AND once started, the emulator answers there
        server.start()
        import urllib.request
        with urllib.request.urlopen(f"{server.endpoint_url}/moto-api/", timeout=10) as resp:
            assert resp.status == 200
    finally:
        server.stop()


def test_unknown_scenario_keys_are_named_in_a_warning(tmp_path, caplog):
    # GIVEN a scenario with a misspelt alarm field (state_change for state_changed) and a made-up one
    path = tmp_path / "typo.yaml"
    path.write_text("format: aiops-scenario/v1\nname: typo\nresources: [{type: lambda, id: fn-a}]\nalarms:\n"
                    "  - {name: fn-a-errors, namespace: AWS/Lambda, metric: Errors, dimensions: {FunctionName: fn-a},"
                    " threshold: 1, state: ALARM, state_change: -600, colour: red}\n")
    # WHEN it is loaded THEN it loads (other tools' fields are allowed) and the warning names both keys
    with caplog.at_level("WARNING"):
        load_scenario(path)
    assert "unknown key(s) ignored: alarms.0.state_change, alarms.0.colour" in caplog.text
