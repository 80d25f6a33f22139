"""Remediation guards: scripts that must not make an incident worse (wrong target, riskier fallback, a raise that
lowers, values that break the approved sha256, secrets in the body) and templates that must stay out."""
from __future__ import annotations

import dataclasses

from analyzers.model import ResourceRef
from analyzers.remediation import build_scripts
from tests.test_remediation import CHANGE, IDS, PROPS, THROTTLED, facts, script


def test_throttling_without_a_reservation_asks_for_a_higher_account_limit_never_a_cap():
    # GIVEN a throttled function that has no reserved concurrency (it draws on the account's unreserved pool)
    props = {k: v for k, v in PROPS["lambda"].items() if k != "reserved_concurrency"}
    scripts = build_scripts(facts("lambda", "throttling", props=props, evidence=THROTTLED))
    ids = [s.id for s in scripts]
    # THEN no script sets a reservation (which would cap it); one requests a higher regional limit
    assert "lambda-raise-concurrency" not in ids
    quota = script(scripts, "lambda-raise-account-concurrency")
    assert "aws service-quotas request-service-quota-increase" in quota.body
    assert "L-B99A9384" in quota.body and "NEW_LIMIT" in quota.body
    # AND a raise of a reserved function stops when the reservation is already at or above the target
    raise_ = script(build_scripts(facts("lambda", "throttling", evidence=THROTTLED)), "lambda-raise-concurrency")
    assert '(( CURRENT_CONCURRENCY >= NEW_CONCURRENCY ))' in raise_.body


def test_ecs_rollback_lists_candidates_compares_exact_revisions_and_works_during_a_rollout():
    body = script(build_scripts(facts("ecs", "bad_deployment")), "ecs-rollback-task-definition").body
    assert "aws ecs list-task-definitions" in body and "--sort DESC" in body
    assert '[[ "$CURRENT_TASK_DEFINITION" == "$TARGET_ARN" ]]' in body  # :1 is not :12
    assert "already rolling out" not in body


def test_previous_environment_values_never_enter_a_script():
    # GIVEN a config change whose previous environment (with a password) is known
    props = {**PROPS["lambda"], "previous_environment": {"DB_PASSWORD": "hunter2-supersecret", "MODE": "fast"}}
    scripts = [s for s in build_scripts(facts("lambda", "config_change", props=props))
               if s.id.startswith("lambda-restore-environment")]
    # THEN the scripts name the variables but carry none of their values, and stop until they are filled in
    assert scripts
    for s in scripts:
        assert "hunter2-supersecret" not in s.body and "hunter2" not in s.description
        assert "DB_PASSWORD" in s.body and "PREVIOUS_ENVIRONMENT is empty" in s.body


def test_a_full_data_disk_is_not_grown_through_the_root_volume():
    # GIVEN the alarm watches /data (device nvme1n1) on the instance, not its root filesystem
    ec2 = facts("ec2", "storage_exhaustion", props={k: v for k, v in PROPS["ec2"].items() if k != "volume_id"})
    ec2 = dataclasses.replace(ec2, alarm_dimensions=(("InstanceId", ec2.resource.id), ("path", "/data"),
                                                     ("device", "nvme1n1"), ("fstype", "xfs")))
    scripts = build_scripts(ec2)
    grow = script(scripts, "ec2-grow-ebs-volume").body
    # THEN the grow script does not pick the first block device: it stops until VOLUME_ID names the data disk
    assert "BlockDeviceMappings[0].Ebs.VolumeId' --output text" not in grow and 'VOLUME_ID="${VOLUME_ID:-}"' in grow
    assert "the alarm watches /data (device nvme1n1), not the root disk" in grow
    # AND the inspection looks inside /data
    inspect = script(scripts, "ec2-investigate-processes-ssm-cli").body
    assert "du -xh /data" in inspect and "du -xh / " not in inspect
    # AND a hostile path is never used
    odd = dataclasses.replace(ec2, alarm_dimensions=(("InstanceId", ec2.resource.id), ("path", "/x; rm -rf /")))
    assert odd.alarmed_mount is None


def test_a_user_name_that_is_an_email_stays_out_of_scripts():
    change = dataclasses.replace(CHANGE, username="carol@example.com")
    scripts = build_scripts(dataclasses.replace(facts("lambda", "bad_deployment"), changes=(change,)))
    assert scripts and all("carol" not in s.body and "carol" not in s.description for s in scripts)


def test_no_scripts_for_an_unlikely_runner_up():
    from types import SimpleNamespace

    from analyzers.model import Alarm, Hypothesis
    from bot.engine.analysis import make_scripts

    fn = ResourceRef("lambda", IDS["lambda"], "us-east-1", properties=PROPS["lambda"])
    db = ResourceRef("rds", IDS["rds"], "us-east-1", properties=PROPS["rds"])
    found = SimpleNamespace(alarm=Alarm("checkout-api-errors", "us-east-1"))

    def scripts_for(runner_up: float) -> set[str]:
        analysis = SimpleNamespace(hypotheses=(Hypothesis("application_error", fn, 0.8, ()),
                                               Hypothesis("cpu_saturation", db, runner_up, ())), related_changes=())
        return {s.id for s in make_scripts("inv-1", found, analysis, ())}

    # GIVEN a database hypothesis ranked second WHEN it is unlikely THEN no database change is proposed
    assert not any(i.startswith("rds-") for i in scripts_for(0.11))
    assert any(i.startswith("rds-") for i in scripts_for(0.34))


def test_rollback_values_are_checked_live_before_a_change():
    # RDS max_connections and the API Gateway stage throttle restore values the investigation read: the scripts
    # stop unless the live value is still that one, and a raise never lowers a value already above the target
    rds = script(build_scripts(facts("rds", "db_connection_exhaustion")), "rds-raise-max-connections").body
    assert "LIVE_MAX_CONNECTIONS" in rds and '"$LIVE_MAX_CONNECTIONS" != ' in rds
    assert "(( LIVE_MAX_CONNECTIONS >= " in rds
    api = script(build_scripts(facts("apigateway", "throttling")), "apigateway-raise-stage-throttle").body
    assert '"$LIVE_RATE" != ' in api and "throttlingRateLimit" in api


def test_an_auto_scaling_member_is_not_stopped_for_a_resize():
    body = next(s.body for s in build_scripts(facts("ec2", "cpu_saturation")) if s.id.startswith("ec2-resize"))
    assert "aws:autoscaling:groupName" in body and "belongs to an Auto Scaling group" in body


def test_a_database_disk_full_seen_in_a_function_log_does_not_grow_its_tmp():
    relayed = ("[l1] psycopg2.errors.DiskFull: could not extend file \"base/16215/47452\": No space left on device",)
    ids = [s.id for s in build_scripts(facts("lambda", "storage_exhaustion", evidence=relayed))]
    assert not any(i.startswith("lambda-raise-ephemeral-storage") for i in ids)
    own = ("[l1] OSError: [Errno 28] No space left on device: '/tmp/render-1.pdf'",)
    ids = [s.id for s in build_scripts(facts("lambda", "storage_exhaustion", evidence=own))]
    assert "lambda-raise-ephemeral-storage" in ids


def test_a_config_change_followed_by_out_of_memory_errors_gets_more_memory_first():
    oom = ("[l1] FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",)
    first = build_scripts(facts("lambda", "config_change", evidence=oom))[0]
    assert first.id == "lambda-raise-memory"
    timeouts = ("[l1] Task timed out after 3.00 seconds",)
    assert build_scripts(facts("lambda", "config_change", evidence=timeouts))[0].id == "lambda-raise-timeout"
    assert build_scripts(facts("lambda", "config_change"))[0].id == "lambda-restore-environment"


def test_downstream_throttling_or_a_surge_without_a_reservation_gets_no_concurrency_change():
    dynamo = ("[l1] ProvisionedThroughputExceededException: UpdateItem on payouts-ledger throttled",)
    props = {k: v for k, v in PROPS["lambda"].items() if k != "reserved_concurrency"}
    for category, evidence in (("throttling", dynamo), ("traffic_surge", THROTTLED)):
        ids = [s.id for s in build_scripts(facts("lambda", category, props=props, evidence=evidence))]
        assert not any("concurrency" in i for i in ids), (category, ids)


def test_a_risky_fallback_is_never_the_ready_to_run_script():
    # GIVEN RDS connection exhaustion where max_connections is unknown (the preferred fix cannot be written)
    props = {k: v for k, v in PROPS["rds"].items() if k != "max_connections"}
    scripts = build_scripts(facts("rds", "db_connection_exhaustion", props=props))
    # THEN the executable scripts are read-only diagnostics; the reboot is only a commented CLI sequence
    assert [s.language for s in scripts][:2] == ["bash", "python"] and scripts[0].risk == "low"
    assert scripts[-1].language == "aws-cli" and "reboot" in scripts[-1].id


def test_a_value_to_fill_in_is_given_when_running_so_the_approved_body_runs_unchanged():
    # GIVEN a rollback whose target version is unknown
    scripts = build_scripts(facts("lambda", "bad_deployment", props={}))
    bash = script(scripts, "lambda-rollback-alias").body
    python = script(scripts, "lambda-rollback-alias-py").body
    # THEN both read it from the environment (TARGET_VERSION=7 bash script.sh), and refuse to run without it
    assert 'TARGET_VERSION="${TARGET_VERSION:-}"' in bash
    assert "TARGET_VERSION = os.environ.get('TARGET_VERSION', '')" in python


def test_a_cap_never_raises_a_reservation():
    scripts = build_scripts(facts("lambda", "db_connection_exhaustion"))
    bash = script(scripts, "lambda-cap-concurrency").body
    python = script(scripts, "lambda-cap-concurrency-py").body
    assert '[[ "$CURRENT_CONCURRENCY" =~ ^[0-9]+$ && "$NEW_CONCURRENCY" =~ ^[0-9]+$ ]] && ' \
           '(( CURRENT_CONCURRENCY <= NEW_CONCURRENCY ))' in bash
    assert "int(current_concurrency) <= int(NEW_CONCURRENCY)" in python


def test_templates_that_cannot_help_a_resource_stay_out():
    # an alias is never invented: without one the rollback asks for it
    body = script(build_scripts(facts("lambda", "bad_deployment", props={"previous_version": "3"})),
                  "lambda-rollback-alias").body
    assert 'ALIAS="${ALIAS:-}"' in body and "give ALIAS" in body
    # a Trainium instance is not a burstable one
    ids = [s.id for s in build_scripts(facts("ec2", "throttling", props={"instance_type": "trn1.2xlarge"}))]
    assert not any("unlimited-cpu-credits" in i for i in ids)
    # Aurora storage is not allocated; gp3 I/O is not bought with size
    aurora = {**PROPS["rds"], "engine": "aurora-postgresql"}
    assert not any(s.id.startswith("rds-grow-storage") for s in build_scripts(facts("rds", "storage_exhaustion",
                                                                                    props=aurora)))
    gp3 = {**PROPS["rds"], "storage_type": "gp3"}
    assert not any(s.id.startswith("rds-grow-storage") for s in build_scripts(facts("rds", "throttling", props=gp3)))
