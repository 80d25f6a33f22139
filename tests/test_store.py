"""bot.store: migrations, WAL, investigations, steps, scripts, append-only approvals, incidents, purge."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from bot.store import MIGRATIONS, Store

NAMES = [name for name, _ in MIGRATIONS]


def _script(script_id: str, body: str = "echo hi\n") -> dict:
    return {"id": script_id, "language": "bash", "title": f"script {script_id}", "body": body,
            "sha256": hashlib.sha256(body.encode()).hexdigest(), "risk": "low"}


def test_migrations_applied_once_on_a_file_db(tmp_path):
    # GIVEN a new file database
    path = tmp_path / "sub" / "aiops.db"
    first = Store(path)
    # THEN every named migration was applied, in order, and recorded
    recorded = [r["name"] for r in first.db["_migrations"].rows]
    assert recorded == NAMES
    assert {"investigations", "steps", "scripts", "approvals", "incidents", "llm_usage"} <= set(first.db.table_names())
    # WHEN it is opened again THEN nothing is re-applied
    second = Store(path)
    assert second.migrate() == []
    assert [r["name"] for r in second.db["_migrations"].rows] == NAMES


def test_file_db_uses_wal(tmp_path):
    store = Store(tmp_path / "aiops.db")
    assert store.db.journal_mode == "wal"


def test_default_path_from_env(tmp_path, monkeypatch):
    # GIVEN $AIOPS_DB WHEN a Store is opened without a path THEN that file is used
    monkeypatch.setenv("AIOPS_DB", str(tmp_path / "env.db"))
    store = Store()
    assert store.path == tmp_path / "env.db"
    assert (tmp_path / "env.db").exists()


def test_memory_db_is_migrated_and_isolated():
    a, b = Store(memory=True), Store(memory=True)
    a.create_investigation("inv-a", "alarm-a", {})
    assert a.path is None
    assert b.get_investigation("inv-a") is None
    assert a.migrate() == []


def test_investigation_create_update_get(store):
    # GIVEN a new investigation
    store.create_investigation("inv-20260101-000000-abcdef", "checkout-errors", {"window_start": "x", "n": 1})
    # WHEN it is updated with a report
    store.update_investigation("inv-20260101-000000-abcdef", status="complete", report={"summary": "s", "k": [1]},
                               root_category="bad_deployment", alarm_name="checkout-errors")
    # THEN get returns decoded params and report
    row = store.get_investigation("inv-20260101-000000-abcdef")
    assert row["status"] == "complete"
    assert row["params"] == {"window_start": "x", "n": 1}
    assert row["report"] == {"summary": "s", "k": [1]}
    assert row["root_category"] == "bad_deployment"
    assert row["updated_at"] >= row["created_at"]


def test_investigation_prefix_lookup(store):
    store.create_investigation("inv-1-aaa", "a", {})
    store.create_investigation("inv-1-abb", "b", {})
    store.create_investigation("inv-2-ccc", "c", {})
    # a unique prefix finds it; an ambiguous or unknown one does not
    assert store.get_investigation("inv-2")["id"] == "inv-2-ccc"
    assert store.get_investigation("inv-1-ab")["id"] == "inv-1-abb"
    assert store.get_investigation("inv-1") is None
    assert store.get_investigation("nope") is None


def test_list_and_find_running(store):
    store.create_investigation("inv-1", "a", {})
    store.update_investigation("inv-1", alarm_name="a")
    store.create_investigation("inv-2", "b", {})
    store.update_investigation("inv-2", alarm_name="b", status="complete")
    ids = [r["id"] for r in store.list_investigations()]
    assert set(ids) == {"inv-1", "inv-2"}
    assert store.find_running("a")["id"] == "inv-1"
    assert store.find_running("b") is None


def test_steps_upsert(store):
    store.create_investigation("inv-1", "a", {})
    # WHEN a step is saved twice THEN the second replaces the first
    store.save_step("inv-1", "logs", "failed", None, "boom")
    store.save_step("inv-1", "logs", "ok", {"patterns": 3})
    store.save_step("inv-1", "alarm", "ok", ["x"])
    steps = store.get_steps("inv-1")
    assert set(steps) == {"logs", "alarm"}
    assert steps["logs"]["status"] == "ok"
    assert steps["logs"]["output"] == {"patterns": 3}
    assert steps["logs"]["error"] is None
    assert store.db["steps"].count == 2


def test_scripts_keep_sha256(store):
    store.create_investigation("inv-1", "a", {})
    store.save_scripts("inv-1", [_script("rollback"), _script("restart", "echo restart\n")])
    got = store.get_script("inv-1", "restart")
    assert got["sha256"] == hashlib.sha256(b"echo restart\n").hexdigest()
    assert got["body"] == "echo restart\n"
    assert store.get_script("inv-1", "missing") is None


def test_scripts_keep_their_description_for_the_decided_message(store):
    store.create_investigation("inv-1", "a", {})
    store.save_scripts("inv-1", [dict(_script("rollback"), description="Points the alias back at version 7.")])
    assert store.get_script("inv-1", "rollback")["description"] == "Points the alias back at version 7."


def test_approvals_are_append_only_and_first_decision_wins(store):
    # GIVEN two recorded decisions on the same script and one rejected attempt
    store.create_investigation("inv-1", "a", {})
    first = store.record_approval(investigation_id="inv-1", script_id="rollback", sha256="a" * 64, user_id="U1",
                                  user_name="ana", decision="approved", outcome="recorded")
    store.record_approval(investigation_id="inv-1", script_id="rollback", sha256="a" * 64, user_id="U2",
                          user_name="bo", decision="rejected", outcome="recorded")
    store.record_approval(investigation_id="inv-1", script_id="rollback", sha256="a" * 64, user_id="U3",
                          decision="approved", outcome="not_authorized")
    # THEN every attempt is kept, and decision_for returns the first recorded one
    assert len(store.list_approvals("inv-1")) == 3
    decision = store.decision_for("inv-1", "rollback")
    assert decision["id"] == first and decision["user_name"] == "ana" and decision["decision"] == "approved"
    assert decision["decided_at"]
    # AND the store offers no way to change or delete an approval
    assert not [m for m in dir(store) if "approval" in m and m.startswith(("update", "delete"))]


def test_incidents_upsert(store):
    store.upsert_incident("us-east-1:alarm-a", alarm_name="alarm-a", state="ALARM", opened_at="2026-01-01T00:00:00")
    store.upsert_incident("us-east-1:alarm-a", state="OK", resolved_at="2026-01-01T01:00:00")
    row = store.get_incident("us-east-1:alarm-a")
    assert row["state"] == "OK" and row["alarm_name"] == "alarm-a" and row["resolved_at"]
    assert store.list_incidents(open_only=True) == []
    assert len(store.list_incidents()) == 1


def test_purge_by_retention_keeps_approvals(store):
    # GIVEN an old investigation with steps, scripts and an approval, and a recent one
    store.create_investigation("inv-old", "a", {})
    store.save_step("inv-old", "alarm", "ok", {})
    store.save_scripts("inv-old", [_script("s1")])
    store.record_approval(investigation_id="inv-old", script_id="s1", sha256="b" * 64, user_id="U1",
                          decision="approved", outcome="recorded")
    store.create_investigation("inv-new", "b", {})
    store.db["investigations"].update("inv-old", {"created_at": "2020-01-01T00:00:00.000000Z"})
    # WHEN purged with a 30-day retention
    removed = store.purge(30, now=datetime(2026, 1, 1, tzinfo=timezone.utc))
    # THEN only the old one and its steps/scripts are gone; the approval survives
    assert removed == 1
    assert store.get_investigation("inv-old") is None
    assert store.get_investigation("inv-new") is not None
    assert store.get_steps("inv-old") == {}
    assert store.get_script("inv-old", "s1") is None
    assert len(store.list_approvals("inv-old")) == 1


def test_purge_keeps_recent_and_open_incidents(store):
    now = datetime.now(timezone.utc)
    store.create_investigation("inv-1", "a", {})
    store.upsert_incident("open", state="ALARM")
    assert store.purge(1, now=now + timedelta(hours=1)) == 0
    assert store.get_incident("open") is not None


@pytest.mark.parametrize("retention", [30, 1])
def test_purge_on_empty_store(store, retention):
    assert store.purge(retention) == 0


def _decide_in_process(path: str, user: str, barrier) -> str:
    store = Store(path)
    barrier.wait()
    outcome, _ = store.record_decision(investigation_id="inv-race", script_id="rollback", sha256="a" * 64,
                                       user_id=user, user_name=user, decision="approve")
    return outcome


def test_first_decision_wins_across_processes(tmp_path):
    # GIVEN one database file shared by several bot processes and a script to decide
    import multiprocessing
    path = str(tmp_path / "shared.db")
    Store(path).create_investigation("inv-race", "a", {})
    ctx = multiprocessing.get_context("spawn")  # no inherited SQLite state in the children
    users = [f"U{i}" for i in range(6)]
    with ctx.Manager() as manager:
        barrier = manager.Barrier(len(users))
        # WHEN every process records a decision at the same moment
        with ctx.Pool(len(users)) as pool:
            outcomes = pool.starmap(_decide_in_process, [(path, u, barrier) for u in users])
    # THEN exactly one decision is recorded, the others are kept as duplicates
    assert sorted(outcomes) == ["duplicate"] * 5 + ["recorded"]
    store = Store(path)
    rows = store.list_approvals("inv-race")
    assert len(rows) == 6 and sum(r["outcome"] == "recorded" for r in rows) == 1
    assert store.decision_for("inv-race", "rollback")["user_id"] == next(
        r["user_id"] for r in rows if r["outcome"] == "recorded")


def test_record_decision_returns_the_winner(store):
    # GIVEN a first decision by ana
    store.create_investigation("inv-1", "a", {})
    first = store.record_decision(investigation_id="inv-1", script_id="s", sha256="a" * 64, user_id="U1",
                                  user_name="ana", decision="approve")
    # WHEN bo clicks reject afterwards
    second = store.record_decision(investigation_id="inv-1", script_id="s", sha256="a" * 64, user_id="U2",
                                   user_name="bo", decision="reject")
    # THEN ana's decision stands and bo's click is kept as a duplicate
    assert first[0] == "recorded" and first[1]["user_name"] == "ana"
    assert second[0] == "duplicate" and second[1]["user_name"] == "ana" and second[1]["decision"] == "approve"
    assert [r["outcome"] for r in store.list_approvals("inv-1")] == ["recorded", "duplicate"]


def _open_and_write(path: str, n: int) -> str:
    store = Store(path)
    store.create_investigation(f"inv-{n}", "a", {})
    return "ok"


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path):
    from concurrent.futures import ProcessPoolExecutor
    # GIVEN no database yet WHEN 8 processes open it (and migrate it) at the same moment
    path = str(tmp_path / "shared.db")
    with ProcessPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_open_and_write, [path] * 8, range(8)))
    # THEN none fails with "database is locked" or a duplicate migration, and each migration ran once
    assert results == ["ok"] * 8
    store = Store(path)
    assert [r["name"] for r in store.db["_migrations"].rows] == NAMES
    assert len(store.list_investigations(limit=20)) == 8


def test_history_rows_name_the_degraded_steps():
    store = Store(memory=True)
    store.create_investigation("inv-a", "a", {})
    store.update_investigation("inv-a", status="complete", report={"degraded": {"llm": "Claude unavailable"}})
    store.create_investigation("inv-b", "b", {})
    store.update_investigation("inv-b", status="complete", report={"degraded": {}})
    store.create_investigation("inv-c", "c", {})  # no report yet
    rows = {r["id"]: r["degraded"] for r in store.list_investigations()}
    assert rows == {"inv-a": ["llm"], "inv-b": [], "inv-c": []}
