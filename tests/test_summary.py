"""`aiops-bot summary`: a period's incidents and investigations, impact, root causes, scripts and approvals."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from analyzers.summary import PeriodError, parse_period, render_summary_markdown
from bot.summary_cli import load_summary

NOW = datetime.now(timezone.utc)


def _report(inv_id: str) -> dict:
    return {
        "id": inv_id, "summary": "Most likely root cause: bad deployment on lambda orders-api.",
        "alarm": {"name": "orders-api-errors", "region": "us-east-1", "namespace": "AWS/Lambda", "metric": "Errors",
                  "threshold": 5.0},
        "window": {"onset": "2026-01-05T11:00:00Z"},
        "affected_resources": [{"type": "lambda", "id": "orders-api", "region": "us-east-1"}],
        "root_cause": {"category": "bad_deployment", "resource": {"type": "lambda", "id": "orders-api"},
                       "confidence": 0.78},
        "metrics": [{"id": "m1", "metric": "Errors", "namespace": "AWS/Lambda", "stat": "Sum", "median_before": 0.0,
                     "max_after": 12.0}],
        "scripts": [{"id": "rollback", "title": "Roll back alias live", "language": "bash", "risk": "medium",
                     "sha256": "a" * 64},
                    {"id": "rollback-py", "title": "Roll back alias live", "language": "python", "risk": "medium",
                     "sha256": "b" * 64},
                    {"id": "diag", "title": "Read-only diagnostics", "language": "bash", "risk": "low",
                     "sha256": "c" * 64}],
    }


def _fill(store) -> None:
    """One finished investigation with approvals, one old one (outside 24h), one incident each."""
    store.create_investigation("inv-new", "orders-api-errors", {})
    store.update_investigation("inv-new", status="complete", alarm_name="orders-api-errors", alarm_region="us-east-1",
                               report=_report("inv-new"), root_category="bad_deployment", root_resource="orders-api")
    store.record_approval(investigation_id="inv-new", script_id="rollback", sha256="a" * 64, user_id="U1",
                          user_name="alice", decision="approve", outcome="recorded")
    store.record_approval(investigation_id="inv-new", script_id="rollback", sha256="a" * 64, user_id="U2",
                          user_name="bob", decision="reject", outcome="duplicate")
    store.record_approval(investigation_id="inv-new", script_id="diag", sha256="c" * 64, user_id="U3",
                          user_name="mallory", decision="approve", outcome="refused")
    store.record_approval(investigation_id="inv-new", script_id="rollback-py", sha256="b" * 64, user_id="U1",
                          user_name="alice", decision="reject", outcome="recorded")
    store.create_investigation("inv-old", "old-alarm", {})
    old = (NOW - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    store.db["investigations"].update("inv-old", {"created_at": old, "status": "complete"})
    store.upsert_incident("alarm:us-east-1:orders-api-errors:1", title="orders-api errors", region="us-east-1",
                          alarm_name="orders-api-errors", state="open",
                          opened_at=(NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          investigation_id="inv-new")
    store.upsert_incident("alarm:us-east-1:old-alarm:1", title="old", region="us-east-1", state="resolved",
                          opened_at=(NOW - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          resolved_at=(NOW - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))


@pytest.mark.parametrize("text,expected", [("30m", timedelta(minutes=30)), ("24h", timedelta(hours=24)),
                                           ("7d", timedelta(days=7)), ("2w", timedelta(weeks=2)),
                                           (" 12H ", timedelta(hours=12))])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["", "24", "h", "3x", "-1d", "0h", "1.5h", "9999w"])
def test_parse_period_rejects(text):
    with pytest.raises(PeriodError):
        parse_period(text)


def test_summary_of_the_last_day(store):
    # GIVEN a store with a recent investigation (scripts, approvals) and older records
    _fill(store)
    # WHEN summarizing 24h
    summary = load_summary(store, "24h", now=NOW)
    # THEN only the recent records count, with what/where/impact/root cause/actions/approval states
    assert summary["totals"] == {"incidents": 1, "open_incidents": 1, "resolved_incidents": 0, "investigations": 1,
                                 "scripts": 3, "approved": 1, "rejected": 1, "pending": 1}
    assert summary["root_causes"] == {"bad_deployment": 1}
    inv = summary["investigations"][0]
    assert inv["id"] == "inv-new" and inv["alarm"] == "orders-api-errors" and inv["where"] == ["lambda orders-api"]
    assert inv["impact"] == "Errors peaked at 12 Sum (baseline median 0); alarm threshold 5; 1 affected resource"
    assert inv["root_cause"] == {"category": "bad_deployment", "resource": "lambda orders-api", "confidence": 0.78}
    assert inv["actions"] == ["Roll back alias live", "Read-only diagnostics"]
    states = {s["id"]: (s["state"], s["by"]) for s in inv["scripts"]}
    assert states == {"rollback": ("approved", "alice"), "rollback-py": ("rejected", "alice"),
                      "diag": ("pending", None)}  # refused/duplicate clicks are not decisions
    assert summary["incidents"][0]["investigation_id"] == "inv-new"
    # AND a week covers the old ones too
    week = load_summary(store, "7d", now=NOW)
    assert week["totals"]["investigations"] == 2 and week["totals"]["incidents"] == 2
    assert week["totals"]["resolved_incidents"] == 1
    old = next(i for i in week["investigations"] if i["id"] == "inv-old")
    assert old["scripts"] == [] and old["root_cause"] is None


def test_markdown_rendering(store):
    _fill(store)
    md = render_summary_markdown(load_summary(store, "24h", now=NOW))
    assert md.startswith("# aiops-bot summary:")
    assert "**1** incident (1 open, 0 resolved), **1** investigation, **3** scripts proposed" in md
    assert "- root cause: bad_deployment on lambda orders-api (78%)" in md
    assert "- script `rollback`: Roll back alias live (bash, risk medium) - **approved** by alice" in md
    assert "- script `diag`: Read-only diagnostics (bash, risk low) - **pending**" in md


def test_empty_database_gives_an_empty_well_formed_summary(store):
    summary = load_summary(store, "24h", now=NOW)
    assert summary["incidents"] == [] and summary["investigations"] == []
    assert set(summary["totals"].values()) == {0}
    assert json.loads(json.dumps(summary)) == summary
    assert "Nothing happened in this period." in render_summary_markdown(summary)


def _cli(argv, capsys):
    from bot.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_formats_and_bad_since(tmp_path, isolated_env, capsys):
    # GIVEN a database file with records
    from bot.store import Store

    db = tmp_path / "aiops.db"
    _fill(Store(db))
    # WHEN the command runs in each format THEN it prints that format
    code, out, _ = _cli(["summary", "--db", str(db), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["totals"]["investigations"] == 1
    code, out, _ = _cli(["summary", "--db", str(db), "--since", "7d", "--format", "table"], capsys)
    assert code == 0 and "inv-new" in out and "inv-old" in out and "1 approved" in out and "opened (UTC)" in out
    code, out, _ = _cli(["summary", "--db", str(db)], capsys)
    assert code == 0 and out.startswith("# aiops-bot summary:")
    # AND an unknown period is one line on stderr and exit 2
    code, out, err = _cli(["summary", "--db", str(db), "--since", "3x"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "unknown period '3x'" in err


def test_cli_on_an_empty_database(tmp_path, isolated_env, capsys):
    code, out, _ = _cli(["summary", "--db", str(tmp_path / "empty.db"), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["investigations"] == []
