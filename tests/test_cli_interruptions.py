"""The CLI when things go wrong around an investigation: SIGTERM, a database it cannot write, report files on a
full disk or a device, output it cannot write, a profile this machine lacks, a run another process holds."""
from __future__ import annotations

import json
import time

import pytest

from bot.cli import main
from tests.test_cli import ALARM, assert_one_line_error, env, run, workspace  # noqa: F401 - fixtures


def test_sigterm_stops_an_investigation_like_ctrl_c(env, monkeypatch):
    import os
    import signal

    from bot.engine.investigation import Investigator
    from bot.store import Store

    def terminated(self, inv_id, progress=None):
        os.kill(os.getpid(), signal.SIGTERM)  # `timeout`, `docker stop`, a cancelled CI job
        time.sleep(5)

    monkeypatch.setattr(Investigator, "run", terminated)
    before = signal.getsignal(signal.SIGTERM)
    # WHEN SIGTERM arrives during an investigation
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--db", str(env["root"] / "t.db")])
    # THEN it stops as Ctrl-C does: exit 130, the id to resume, "interrupted" in history, the handler put back
    assert code == 130 and out == ""
    inv_id = err.split("--resume ")[1].split("`")[0]
    assert Store(env["root"] / "t.db").get_investigation(inv_id)["status"] == "interrupted"
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_failure_the_engine_cannot_record_leaves_the_run_resumable_with_a_plain_message(env, monkeypatch):
    import sqlite3

    from bot.engine.investigation import Investigator
    from bot.store import Store

    def locked(self, inv_id, progress=None):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(Investigator, "run", locked)
    # WHEN the database stays locked by another process past the wait
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--db", str(env["root"] / "l.db")])
    # THEN one plain line says so (no "internal error"), and the run is resumable, not "running" for ever
    assert code == 1 and "internal error" not in err
    assert "could not be used: database is locked (another process holds a write lock" in err
    inv_id = err.split("--resume ")[1].split("`")[0]
    assert Store(env["root"] / "l.db").get_investigation(inv_id)["status"] == "interrupted"


def test_a_report_that_cannot_be_written_whole_leaves_no_truncated_file(tmp_path, monkeypatch):
    from pathlib import Path

    from analyzers.report import build_report
    from bot.cli import CliError
    from bot.commands import write_report_files
    from tests.test_reports import make_input

    report = build_report(make_input())
    real = Path.write_text

    def disk_full(self, text, *args, **kwargs):  # half the bytes land, then the disk is full
        real(self, text[: len(text) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    # WHEN the report is written to a full disk
    with pytest.raises(CliError, match="No space left on device"):
        write_report_files(report, tmp_path / "out.json")
    # THEN nothing is left in the folder: no truncated report, no temporary file
    assert list(tmp_path.iterdir()) == []


def test_output_to_a_device_is_refused_before_the_run(env):
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--output", "/dev/null"])
    assert_one_line_error(code, out, err, "/dev/null is not a regular file or a folder")


def test_a_sandbox_run_ignores_an_aws_profile_this_machine_lacks(env, monkeypatch):
    # GIVEN AWS_PROFILE naming a profile that does not exist here (a shell set up for another account)
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-here")
    # WHEN an investigation runs on the sandbox THEN it completes as without it
    code, out, err = run(["investigate", ALARM, "--scenario", str(env["scenario"]), "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["root_cause"]["category"] == "bad_deployment"


def test_resume_refuses_a_run_another_live_process_is_running(env):
    import os

    from bot.engine.investigation import process_owner
    from bot.store import Store

    # GIVEN an investigation another process of this host (our parent, alive) is running
    db = env["root"] / "live.db"
    store = Store(db)
    store.create_investigation("inv-live", ALARM, {"owner": {**process_owner(), "pid": os.getppid()}})
    # WHEN it is resumed from here THEN that is refused in one line, and the run is left alone
    code, out, err = run(["investigate", "--resume", "inv-live", "--db", str(db)])
    assert_one_line_error(code, out, err, "is still running (process")
    assert Store(db).get_investigation("inv-live")["status"] == "running"


def test_output_that_cannot_be_written_is_one_plain_line(env, capsys, monkeypatch):
    import errno
    import sys

    class Full:
        def write(self, _text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):
            pass

    # WHEN stdout is a full disk (`> /dev/full`) THEN one line says so, not an internal error
    monkeypatch.setattr(sys, "stdout", Full())
    assert main(["history", "--db", str(env["root"] / "h.db")]) == 1
    assert capsys.readouterr().err.strip() == "error: could not write the output: No space left on device"


def test_an_alarm_and_resume_together_are_refused(env):
    code, out, err = run(["investigate", ALARM, "--resume", "inv-x"])
    assert_one_line_error(code, out, err, "give an alarm or --resume ID, not both")
