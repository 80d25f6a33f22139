"""bot.cli: the commands end to end (sandbox AWS, SQLite in tmp_path), and one-line errors."""
from __future__ import annotations

import contextlib
import io
import json
import time
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from tests.conftest import ALARM, DEPLOYED, ENV_VARS, assert_valid_report, build_scenario, write_scenario

REPO = Path(__file__).resolve().parents[1]


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, err
    assert "Traceback" not in err and "Traceback" not in out
    for needle in needles:
        assert needle in errors[0], errors[0]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory):
    """A scenario, a database and one finished investigation (made through the CLI)."""
    root = tmp_path_factory.mktemp("cli")
    scenario = write_scenario(root)
    with pytest.MonkeyPatch.context() as mp:
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(root)
        mp.setenv("AIOPS_DB", str(root / "aiops.db"))
        code, out, err = run(["investigate", ALARM, "--scenario", str(scenario), "--format", "json",
                              "--output", str(root / "out" / "report.json")])
        yield {"root": root, "scenario": scenario, "code": code, "out": out, "err": err}


@pytest.fixture
def env(workspace, monkeypatch) -> dict[str, Any]:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(workspace["root"])
    monkeypatch.setenv("AIOPS_DB", str(workspace["root"] / "aiops.db"))
    return workspace


def test_investigate_json_on_stdout_progress_on_stderr(env, report_schema):
    # GIVEN `aiops-bot investigate ALARM --scenario F --format json` (run by the fixture)
    # THEN it exits 0, stdout is exactly the JSON report and progress went to stderr
    assert env["code"] == 0, env["err"]
    report = json.loads(env["out"])
    assert_valid_report(report, report_schema)
    assert report["root_cause"]["category"] == "bad_deployment"
    assert report["root_cause"]["resource"]["id"] == DEPLOYED
    assert "reading metrics" in env["err"] and "[ok] alarm" in env["err"]
    assert f"investigation {report['id']}" in env["err"]
    assert "reading metrics" not in env["out"]
    # AND --output x.json wrote the same report
    written = json.loads((env["root"] / "out" / "report.json").read_text())
    assert written["id"] == report["id"] and written["root_cause"] == report["root_cause"]
    assert (env["root"] / "aiops.db").exists()  # $AIOPS_DB was used


def test_resume_without_scenario_reuses_the_investigations_sandbox(env):
    from bot.store import Store

    # GIVEN a sandbox investigation that stopped before its analysis (as after a crash)
    inv_id = json.loads(env["out"])["id"]
    store = Store(env["root"] / "aiops.db")
    store.db["steps"].delete_where("investigation_id = ? and name in ('analysis', 'llm', 'scripts', 'report')",
                                   [inv_id])
    store.update_investigation(inv_id, status="running", report=None)
    # WHEN it is resumed by id alone
    code, out, err = run(["investigate", "--resume", inv_id, "--format", "json"])
    # THEN it runs on the scenario it started on (no trip to real AWS) and finds the same cause
    assert code == 0, err
    assert "resuming on the investigation's sandbox scenario" in err and "NoCredentials" not in out
    assert "  [done earlier] alarm\n" in err  # a step done earlier has no duration of its own
    assert json.loads(out)["root_cause"]["resource"]["id"] == DEPLOYED


def test_a_resume_reloads_the_sandbox_on_the_investigations_own_clock(env):
    from datetime import datetime, timedelta, timezone

    from bot.engine import InvestigationInterrupted, InvestigationRequest
    from bot.wiring import build_runtime

    def deploy_before_alarm(report: dict) -> float:  # the alarm is read first, the deploy (CloudTrail) later
        deploy = next(c["time"] for c in report["changes"] if c.get("resource_name") == DEPLOYED)
        return (datetime.fromisoformat(report["alarm"]["state_changed"].replace("Z", "+00:00"))
                - datetime.fromisoformat(deploy.replace("Z", "+00:00"))).total_seconds()

    # GIVEN a sandbox investigation (gap: how long before its alarm the deploy was), and one started 20 minutes
    # ago (its sandbox loaded then) that was interrupted after reading its alarm
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json"])
    gap = deploy_before_alarm(json.loads(out))
    then = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=20)
    runtime = build_runtime(None, env["scenario"], env["root"] / "aiops.db", scenario_loaded_at=then)
    try:
        inv_id = runtime.investigator.start(InvestigationRequest(ALARM))
        with pytest.raises(InvestigationInterrupted):
            runtime.investigator.run(inv_id, should_stop=lambda: "alarm" in runtime.store.get_steps(inv_id))
    finally:
        runtime.close()
    # WHEN it is resumed now
    code, out, err = run(["investigate", "--resume", inv_id, "--format", "json"])
    # THEN the sandbox is seeded on the investigation's clock, so the data still sits in its window: same cause
    assert code == 0, err
    report = json.loads(out)
    assert report["root_cause"]["category"] == "bad_deployment" and report["root_cause"]["resource"]["id"] == DEPLOYED
    assert deploy_before_alarm(report) == gap


def test_ctrl_c_names_the_investigation_to_resume_and_marks_it_interrupted(env, monkeypatch):
    from bot.engine.investigation import Investigator
    from bot.store import Store

    def interrupted(self, inv_id, progress=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(Investigator, "run", interrupted)
    # WHEN Ctrl-C arrives during an investigation
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--db", str(env["root"] / "i.db")])
    # THEN the exit is 130 and the message names the id to resume, which history shows as interrupted
    assert code == 130 and out == ""
    inv_id = err.split("--resume ")[1].split("`")[0]
    assert Store(env["root"] / "i.db").get_investigation(inv_id)["status"] == "interrupted"


def test_history_json_lists_it(env):
    code, out, _ = run(["history", "--format", "json"])
    rows = json.loads(out)
    assert code == 0
    inv_id = json.loads(env["out"])["id"]
    row = next(r for r in rows if r["id"] == inv_id)
    assert row["status"] == "complete" and row["alarm_name"] == ALARM
    assert row["root_category"] == "bad_deployment" and row["root_resource"] == DEPLOYED


def test_history_table(env):
    code, out, _ = run(["history"])
    assert code == 0 and json.loads(env["out"])["id"] in out and "bad_deployment" in out


def test_report_markdown_by_id_prefix(env):
    inv_id = json.loads(env["out"])["id"]
    code, out, _ = run(["report", inv_id[:-1], "--format", "markdown"])
    assert code == 0
    assert out.startswith(f"# Investigation {inv_id}: {ALARM}")
    for section in ("## Summary", "## Root cause", "## Hypotheses", "## Timeline", "## Log patterns",
                    "## Remediation scripts"):
        assert section in out


def test_report_json(env):
    inv_id = json.loads(env["out"])["id"]
    code, out, _ = run(["report", inv_id, "--format", "json"])
    assert code == 0 and json.loads(out)["id"] == inv_id


def test_report_unknown_id(env):
    assert_one_line_error(*run(["report", "inv-does-not-exist"]), "no investigation")


def test_purge(env):
    code, out, _ = run(["purge"])
    assert code == 0 and out.startswith("purged 0 investigations older than 30 days")


def test_investigate_markdown_output_file(env):
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "markdown",
                          "--output", str(env["root"] / "x.md"), "--time-window", "2"])
    assert code == 0, err
    text = (env["root"] / "x.md").read_text()
    assert text.startswith("# Investigation ") and "bad_deployment" in text
    assert out.startswith("# Investigation ")
    assert f"wrote {env['root'] / 'x.md'}" in err
    assert "reading metrics" in err  # progress of a second run reaches the current stderr


def test_unknown_alarm(env):
    assert_one_line_error(*run(["investigate", "no-such-alarm", "--scenario", str(env["scenario"]),
                                "--format", "json"]), "unknown alarm 'no-such-alarm'")


def test_malformed_arn(env):
    code, out, err = run(["investigate", "arn:aws:cloudwatch:us-east-1:nope", "--scenario", str(env["scenario"])])
    assert_one_line_error(code, out, err, "malformed alarm ARN")
    assert out == ""


def test_missing_scenario_file(env):
    assert_one_line_error(*run(["investigate", ALARM, "--scenario", str(env["root"] / "missing.yaml")]),
                          "scenario file not found")


def test_malformed_scenario(env):
    bad = write_scenario(env["root"], build_scenario(alarms=[{"name": "a"}]), name="bad.yaml")
    assert_one_line_error(*run(["investigate", ALARM, "--scenario", str(bad)]), "bad.yaml", "alarms.0")


def test_bad_config_file(env):
    config = env["root"] / "bad-config.yaml"
    config.write_text("analysis:\n  time_window: -1\n", encoding="utf-8")
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--config", str(config)])
    assert_one_line_error(code, out, err, "bad-config.yaml", "analysis.time_window")
    assert code == 2


@pytest.mark.parametrize("command", [["history"], ["report", "inv-x"], ["approvals"], ["summary"], ["purge"]])
def test_a_bad_config_is_refused_by_every_command(env, command):
    # GIVEN a config file that does not exist WHEN a database-only command is given it
    code, out, err = run([*command, "--config", str(env["root"] / "nowhere.yaml")])
    # THEN it is a usage error naming the file, not silently ignored
    assert_one_line_error(code, out, err, "nowhere.yaml")
    assert code == 2


def test_an_unusable_database_is_a_one_line_error(env):
    garbage = env["root"] / "garbage.db"
    garbage.write_text("not sqlite\n" * 100, encoding="utf-8")
    for db, needle in ((env["root"], "unable to open database file"), (garbage, "file is not a database")):
        code, out, err = run(["history", "--db", str(db)])
        assert_one_line_error(code, out, err, "cannot open the database", needle)
        assert code == 2


def test_no_alarm_given(env):
    assert_one_line_error(*run(["investigate"]), "alarm")


def test_no_command_prints_help(env):
    code, out, err = run([])
    assert code == 2 and "usage:" in err


def test_python_dash_m_bot_help():
    environment = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=REPO, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "investigate" in result.stdout and "history" in result.stdout
    assert "Traceback" not in result.stderr



@pytest.mark.parametrize("hours,needle", [("0", "more than 0"), ("-3", "more than 0"), ("400", "at most 336"),
                                          ("abc", "not a number")])
def test_a_bad_time_window_is_a_usage_error(env, hours, needle, capsys):
    # WHEN --time-window is zero, negative, beyond two weeks or not a number
    with pytest.raises(SystemExit) as stop:
        main(["investigate", ALARM, "--scenario", str(env["scenario"]), "--time-window", hours])
    # THEN argparse rejects it (exit 2) with the reason, before any sandbox starts
    err = capsys.readouterr().err
    assert stop.value.code == 2 and needle in err and "Traceback" not in err and "sandbox AWS" not in err


@pytest.mark.parametrize("argv", [["-v", "history"], ["history", "-v"], ["investigate", "x", "--verbose"]])
def test_verbose_goes_before_or_after_the_subcommand(argv):
    from bot.cli import build_parser
    assert build_parser().parse_args(argv).verbose is True
    assert build_parser().parse_args([a for a in argv if a not in ("-v", "--verbose")]).verbose is False


def test_a_misspelt_aws_profile_is_a_one_line_configuration_error(env, monkeypatch, tmp_path):
    # GIVEN AWS_PROFILE names a profile that is not configured
    (tmp_path / "aws_config").write_text("[profile real]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws_config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws_credentials"))
    monkeypatch.setenv("AWS_PROFILE", "does-not-exist")
    # WHEN an investigation or a watch poll starts against real AWS
    for argv in (["investigate", "foo", "--db", str(tmp_path / "p.db")],
                 ["watch", "--once", "--db", str(tmp_path / "p.db")]):
        code, out, err = run(argv)
        # THEN it exits 2 with one line naming the profile, before any AWS call
        assert code == 2
        assert_one_line_error(code, out, err, "profile (does-not-exist) could not be found", "AWS_PROFILE")


@pytest.mark.parametrize("argv, needle", [
    (["investigate", "arn:aws:sns:us-east-1:123456789012:topic"], "malformed alarm ARN"),
    (["investigate", "a" * 300], "1-255 printable characters"),
    (["watch", "--once", "--duration", "nan"], "--duration must be a number of minutes"),
    (["watch", "--duration", "inf"], "--duration must be a number of minutes"),
])
def test_bad_arguments_exit_2_before_anything_starts(env, argv, needle):
    code, out, err = run(argv)
    assert code == 2
    assert_one_line_error(code, out, err, needle)
    assert "sandbox AWS at" not in err


def test_history_limit_out_of_range_is_a_usage_error(env, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["history", "--limit", "99999999999999999999"])
    assert exit_.value.code == 2 and "outside 1-10000" in capsys.readouterr().err


def test_output_to_a_folder_and_to_an_unwritable_place(env, tmp_path):
    # WHEN --output names a folder (trailing slash) THEN the report is written inside it, named by its id
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json",
                          "--output", f"{tmp_path / 'reports'}/"])
    inv_id = json.loads(out)["id"]
    assert code == 0 and (tmp_path / "reports" / f"{inv_id}.json").exists()
    assert (tmp_path / "reports" / f"{inv_id}.md").exists()
    # WHEN it cannot be written THEN one line says so before anything is investigated
    (tmp_path / "file").write_text("x")
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json",
                          "--output", str(tmp_path / "file" / "r.json")])
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and "Traceback" not in err and len(errors) == 1 and out == ""
    assert "is a file, not a folder" in errors[0] and "investigation inv-" not in err


def test_resuming_a_complete_investigation_prints_its_stored_report(env):
    inv_id = json.loads(env["out"])["id"]
    code, out, err = run(["investigate", "--resume", inv_id, "--format", "json"])
    assert code == 0 and json.loads(out)["id"] == inv_id
    assert "already complete" in err and "sandbox AWS at" not in err


def test_a_window_that_starts_inside_the_incident_is_flagged(env):
    # WHEN the window read (10 minutes) starts after the errors began (20 minutes ago)
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json",
                          "--time-window", "0.1667"])
    # THEN the report warns that the incident was already under way, and the full window has no such warning
    assert code == 0, err
    (warning,) = json.loads(out)["warnings"]
    assert "already under way" in warning and "longer time window" in warning
    assert json.loads(env["out"])["warnings"] == []


def test_a_broad_custom_redaction_pattern_does_not_garble_the_categories(env, tmp_path, report_schema):
    # GIVEN a custom pattern that happens to match category names
    config = tmp_path / "config.yaml"
    config.write_text("llm: {provider: none}\nredaction:\n  extra_patterns: ['[a-z]+_[a-z]+']\n")
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json",
                          "--config", str(config)])
    # THEN the report still names its categories and matches the schema
    report = json.loads(out)
    assert code == 0 and report["root_cause"]["category"] == "bad_deployment"
    assert_valid_report(report, report_schema)


def test_reading_commands_never_create_a_database(env, tmp_path):
    where = tmp_path / "absent" / "aiops.db"
    # WHEN history, report, summary and approvals read a database that does not exist
    assert run(["history", "--db", str(where)])[0] == 0
    assert run(["report", "inv-x", "--db", str(where)])[0] == 1
    assert run(["summary", "--db", str(where)])[0] == 0
    assert run(["approvals", "--db", str(where)])[0] == 0
    code, out, err = run(["investigate", "--resume", "inv-nope", "--db", str(where)])
    assert_one_line_error(code, out, err, "no investigation with id inv-nope")
    # THEN they answer as for an empty one, and nothing was created
    assert not (tmp_path / "absent").exists()


def test_output_suffixes_are_appended_unless_json_or_md_in_any_case(tmp_path):
    from analyzers.report import build_report
    from bot.commands import write_report_files
    from tests.test_reports import make_input

    report = build_report(make_input())
    # WHEN --output names files with other suffixes, or .JSON in capitals
    v1 = write_report_files(report, tmp_path / "run.v1")
    v2 = write_report_files(report, tmp_path / "run.v2")
    upper = write_report_files(report, tmp_path / "f.JSON")
    # THEN the suffix is kept (nothing overwrites anything) and .JSON is one JSON file
    names = [p.name for p in v1 + v2 + upper if p.suffix in (".json", ".md", ".JSON")]
    assert names == ["run.v1.json", "run.v1.md", "run.v2.json", "run.v2.md", "f.JSON"]
    assert json.loads((tmp_path / "f.JSON").read_text())["id"] == report["id"]
