"""The SQLite store (sqlite-utils): investigations, their steps, scripts, approvals, incidents.

Schema changes are named migrations applied once, in order, and recorded in
``_migrations``. File databases use WAL. Approvals are append-only: there is no
method that updates or deletes an approval row. The default path is
``$AIOPS_DB`` or ``./.aiops/aiops.db``; tests pass ``memory=True``.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import random
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlite_utils

log = logging.getLogger(__name__)


def default_db_path() -> Path:
    return Path(os.environ.get("AIOPS_DB") or Path(".aiops") / "aiops.db")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _m001_initial(db: sqlite_utils.Database) -> None:
    db["investigations"].create({
        "id": str, "alarm_name": str, "alarm_region": str, "alarm_ref": str, "status": str,
        "created_at": str, "updated_at": str, "params": str, "summary": str,
        "root_category": str, "root_resource": str, "report": str, "error": str,
    }, pk="id", if_not_exists=True)
    db["investigations"].create_index(["created_at"], if_not_exists=True)
    db["steps"].create({
        "investigation_id": str, "name": str, "status": str, "started_at": str, "finished_at": str,
        "output": str, "error": str,
    }, pk=("investigation_id", "name"), foreign_keys=[("investigation_id", "investigations", "id")],
        if_not_exists=True)
    db["scripts"].create({
        "investigation_id": str, "script_id": str, "language": str, "title": str, "body": str,
        "sha256": str, "risk": str, "created_at": str,
    }, pk=("investigation_id", "script_id"), foreign_keys=[("investigation_id", "investigations", "id")],
        if_not_exists=True)


def _m002_approvals_incidents(db: sqlite_utils.Database) -> None:
    db["approvals"].create({
        "id": int, "investigation_id": str, "script_id": str, "sha256": str, "user_id": str,
        "user_name": str, "decision": str, "outcome": str, "decided_at": str, "note": str,
    }, pk="id", if_not_exists=True)
    db["approvals"].create_index(["investigation_id", "script_id"], if_not_exists=True)
    db["incidents"].create({
        "key": str, "alarm_name": str, "region": str, "state": str, "title": str, "details": str,
        "channel": str, "thread_ts": str, "opened_at": str, "updated_at": str, "resolved_at": str,
        "snoozed_until": str, "muted": int, "investigation_id": str,
    }, pk="key", if_not_exists=True)


def _m003_usage(db: sqlite_utils.Database) -> None:
    db["llm_usage"].create({
        "id": int, "investigation_id": str, "model": str, "input_tokens": int, "output_tokens": int,
        "cost_usd": float, "created_at": str, "status": str,
    }, pk="id", if_not_exists=True)


def _m004_script_descriptions(db: sqlite_utils.Database) -> None:
    if "description" not in db["scripts"].columns_dict:
        db["scripts"].add_column("description", str)


def _m005_alarm_account(db: sqlite_utils.Database) -> None:
    if "alarm_account" not in db["investigations"].columns_dict:
        db["investigations"].add_column("alarm_account", str)


def _m006_incident_silenced_by(db: sqlite_utils.Database) -> None:
    if "silenced_by" not in db["incidents"].columns_dict:
        db["incidents"].add_column("silenced_by", str)


def _m007_incident_slack_pending(db: sqlite_utils.Database) -> None:
    columns = db["incidents"].columns_dict
    if "slack_pending" not in columns:
        db["incidents"].add_column("slack_pending", int)
    if "announced_state" not in columns:
        db["incidents"].add_column("announced_state", str)


def _m008_sandbox_clocks(db: sqlite_utils.Database) -> None:
    db["sandbox_clocks"].create({"scenario": str, "loaded_at": str, "recorded_at": str}, pk="scenario",
                                if_not_exists=True)


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_approvals_incidents", _m002_approvals_incidents),
    ("003_llm_usage", _m003_usage),
    ("004_script_descriptions", _m004_script_descriptions),  # shown again when a decision edits the message
    ("005_alarm_account", _m005_alarm_account),  # the resolved alarm's account, next to its name and region
    ("006_incident_silenced_by", _m006_incident_silenced_by),  # who muted or snoozed an incident
    ("007_incident_slack_pending", _m007_incident_slack_pending),  # a Slack edit or thread note still to make,
    # and the state the thread last announced (both retried on the next poll after a failed Slack call)
    ("008_sandbox_clocks", _m008_sandbox_clocks),  # the clock a watching `serve --scenario` loaded its sandbox on
]


def _when_unlocked(step: Callable[[], Any], attempts: int = 12) -> Any:
    """Run a schema step, retrying while another process holds the write lock: several processes opening a
    new database at once race for it, and SQLite answers "database is locked" at once in that case instead
    of waiting out the busy timeout."""
    for attempt in range(attempts):
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(min(0.05 * 2 ** attempt, 1.0) * (0.5 + random.random()))
    return None


class StoreError(Exception):
    """The database cannot be opened or read (bad path, a directory, not an SQLite file); phrased for the user."""


class Store:
    """All persistence. Thread-safe for the bot's worker threads (one lock around writes)."""

    def __init__(self, path: str | os.PathLike | None = None, memory: bool = False):
        if memory:
            self.db = sqlite_utils.Database(memory=True)
            self.path: Path | None = None
        else:
            self.path = Path(path) if path else default_db_path()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
                self.db = sqlite_utils.Database(conn)
                _when_unlocked(self.db.enable_wal)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(f"cannot open the database {self.path}: {exc}") from None
        if memory:
            self.db.conn.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()
        try:
            _when_unlocked(self.migrate)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use the database {self.path or ':memory:'}: {exc}") from None

    @classmethod
    def for_reading(cls, path: str | os.PathLike | None = None) -> "Store":
        """The database at ``path`` (default: $AIOPS_DB or ./.aiops/aiops.db) for commands that only read: an
        empty in-memory one when it does not exist yet, so that reading never creates folders or files."""
        where = Path(path) if path else default_db_path()
        return cls(where) if where.exists() else cls(memory=True)

    # Schema -----------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending named migrations, all in one write transaction (one process at a time: others
        opening the same new database wait, then find them done); returns the names applied now."""
        with self._lock:
            self.db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
            if {row["name"] for row in self.db["_migrations"].rows} >= {name for name, _ in MIGRATIONS}:
                return []
            applied = []
            with self._write_transaction():
                done = {row["name"] for row in self.db["_migrations"].rows}  # again, under the write lock
                for name, fn in MIGRATIONS:
                    if name not in done:
                        fn(self.db)
                        self.db["_migrations"].insert({"name": name, "applied_at": _now()})
                        applied.append(name)
            return applied

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT (ROLLBACK on error): the write lock is taken first, so another process
        doing the same waits (busy timeout) instead of reading a state about to change. Call with the lock."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if conn.in_transaction:
            conn.execute("COMMIT")

    # Investigations ------------------------------------------------------------
    def create_investigation(self, inv_id: str, alarm_ref: str, params: dict[str, Any]) -> None:
        with self._lock:
            now = _now()
            self.db["investigations"].insert({
                "id": inv_id, "alarm_ref": alarm_ref, "alarm_name": None, "alarm_region": None,
                "status": "running", "created_at": now, "updated_at": now,
                "params": json.dumps(params, default=str)})

    def update_investigation(self, inv_id: str, **fields: Any) -> None:
        with self._lock:
            fields["updated_at"] = _now()
            for name in ("report", "params"):  # JSON columns
                if name in fields and not isinstance(fields[name], str) and fields[name] is not None:
                    fields[name] = json.dumps(fields[name], default=str)
            self.db["investigations"].update(inv_id, fields)

    def get_investigation(self, inv_id: str) -> dict[str, Any] | None:
        rows = list(self.db["investigations"].rows_where("id = ?", [inv_id], limit=1))
        if not rows:
            rows = list(self.db["investigations"].rows_where("id like ?", [f"{inv_id}%"], limit=2))
            if len(rows) != 1:
                return None
        row = dict(rows[0])
        row["params"] = json.loads(row["params"] or "{}")
        row["report"] = json.loads(row["report"]) if row.get("report") else None
        return row

    def list_investigations(self, limit: int = 20, since: datetime | None = None,
                            statuses: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The newest investigations (created since ``since``, with one of ``statuses``), newest first."""
        clauses, args = [], []
        if since:
            clauses.append("created_at >= ?")
            args.append(since.strftime("%Y-%m-%dT%H:%M:%S"))
        if statuses:
            clauses.append(f"status in ({', '.join('?' * len(statuses))})")
            args.extend(statuses)
        where = " and ".join(clauses) or None
        rows = self.db["investigations"].rows_where(where, args, order_by="created_at desc", limit=limit,
                                                    select="id, alarm_name, alarm_region, alarm_ref, status, "
                                                           "created_at, summary, root_category, root_resource, "
                                                           "json_extract(report, '$.degraded') as degraded")
        out = []
        for row in rows:
            row = dict(row)
            try:  # the steps that ran degraded (e.g. Claude unavailable), by name
                row["degraded"] = sorted(json.loads(row["degraded"] or "{}"))
            except (TypeError, ValueError):
                row["degraded"] = []
            out.append(row)
        return out

    def find_running(self, alarm_name: str) -> dict[str, Any] | None:
        rows = list(self.db["investigations"].rows_where(
            "alarm_name = ? and status = 'running'", [alarm_name], order_by="created_at desc", limit=1))
        return dict(rows[0]) if rows else None

    # Steps ---------------------------------------------------------------------------
    def save_step(self, inv_id: str, name: str, status: str, output: Any = None, error: str | None = None,
                  started_at: str | None = None) -> None:
        with self._lock:
            self.db["steps"].upsert({
                "investigation_id": inv_id, "name": name, "status": status, "started_at": started_at or _now(),
                "finished_at": _now(), "output": json.dumps(output, default=str), "error": error,
            }, pk=("investigation_id", "name"))

    def get_steps(self, inv_id: str) -> dict[str, dict[str, Any]]:
        rows = self.db["steps"].rows_where("investigation_id = ?", [inv_id])
        out = {}
        for row in rows:
            row = dict(row)
            row["output"] = json.loads(row["output"]) if row.get("output") else None
            out[row["name"]] = row
        return out

    # Scripts ---------------------------------------------------------------------------
    def save_scripts(self, inv_id: str, scripts: Iterable[dict[str, Any]]) -> None:
        with self._lock:
            now = _now()
            self.db["scripts"].upsert_all([{
                "investigation_id": inv_id, "script_id": s["id"], "language": s["language"], "title": s["title"],
                "body": s["body"], "sha256": s["sha256"], "risk": s["risk"], "description": s.get("description"),
                "created_at": now}
                for s in scripts], pk=("investigation_id", "script_id"))

    def get_script(self, inv_id: str, script_id: str) -> dict[str, Any] | None:
        rows = list(self.db["scripts"].rows_where("investigation_id = ? and script_id = ?", [inv_id, script_id]))
        return dict(rows[0]) if rows else None

    # Approvals (append-only) ---------------------------------------------------------
    def record_approval(self, **row: Any) -> int:
        with self._lock:
            row.setdefault("decided_at", _now())
            return int(self.db["approvals"].insert(row).last_pk)

    def record_decision(self, **row: Any) -> tuple[str, dict[str, Any]]:
        """Record an approver's click; the first decision on a script wins, across processes.

        The check and the insert run in one ``BEGIN IMMEDIATE`` transaction, so two bot
        processes sharing the database file cannot both record a decision. A later click is
        kept as outcome ``duplicate``. Returns ``(outcome, the winning decision row)``.
        """
        inv_id, script_id = row["investigation_id"], row["script_id"]
        with self._lock, self._write_transaction():
            previous = self.decision_for(inv_id, script_id)
            row["outcome"] = "duplicate" if previous else "recorded"
            self.record_approval(**row)
        return row["outcome"], previous or self.decision_for(inv_id, script_id) or row

    def decision_for(self, inv_id: str, script_id: str) -> dict[str, Any] | None:
        rows = list(self.db["approvals"].rows_where(
            "investigation_id = ? and script_id = ? and outcome = 'recorded'", [inv_id, script_id],
            order_by="id", limit=1))
        return dict(rows[0]) if rows else None

    def list_approvals(self, inv_id: str | None = None) -> list[dict[str, Any]]:
        where, args = ("investigation_id = ?", [inv_id]) if inv_id else (None, [])
        return [dict(r) for r in self.db["approvals"].rows_where(where, args, order_by="id")]

    # Incidents ---------------------------------------------------------------------------
    def get_incident(self, key: str) -> dict[str, Any] | None:
        rows = list(self.db["incidents"].rows_where("key = ?", [key]))
        return dict(rows[0]) if rows else None

    def upsert_incident(self, key: str, **fields: Any) -> None:
        with self._lock:
            fields["key"] = key
            fields["updated_at"] = _now()
            self.db["incidents"].upsert(fields, pk="key")

    def incidents_pending_slack(self, channel: str) -> list[dict[str, Any]]:
        """Incidents of `channel` whose Slack message or thread is behind their row (a Slack call failed)."""
        return [dict(r) for r in self.db["incidents"].rows_where("slack_pending = 1 and channel = ?", [channel],
                                                                 order_by="opened_at")]

    def list_incidents(self, since: datetime | None = None, open_only: bool = False) -> list[dict[str, Any]]:
        clauses, args = [], []
        if since:
            clauses.append("opened_at >= ?")
            args.append(since.strftime("%Y-%m-%dT%H:%M:%S"))
        if open_only:
            clauses.append("resolved_at is null")
        where = " and ".join(clauses) or None
        return [dict(r) for r in self.db["incidents"].rows_where(where, args, order_by="opened_at desc")]

    # Sandbox clocks --------------------------------------------------------------------------
    def record_sandbox_clock(self, scenario: str, loaded_at: datetime) -> None:
        """Remember the instant a watching ``serve`` loaded the sandbox scenario file ``scenario`` at."""
        with self._lock:
            self.db["sandbox_clocks"].upsert({"scenario": scenario, "loaded_at": loaded_at.isoformat(),
                                              "recorded_at": _now()}, pk="scenario")

    def sandbox_clock(self, scenario: str) -> tuple[datetime, datetime] | None:
        """(the instant ``scenario`` was last loaded at by a watching ``serve``, when that was recorded), or None."""
        if not self.db["sandbox_clocks"].exists():  # a database read before migration 008
            return None
        rows = list(self.db["sandbox_clocks"].rows_where("scenario = ?", [scenario]))
        try:
            return (datetime.fromisoformat(rows[0]["loaded_at"]),
                    datetime.fromisoformat(rows[0]["recorded_at"])) if rows else None
        except (TypeError, ValueError):
            return None

    # LLM usage -----------------------------------------------------------------------------
    def record_llm_usage(self, **row: Any) -> None:
        with self._lock:
            row.setdefault("created_at", _now())
            self.db["llm_usage"].insert(row)

    # Retention ------------------------------------------------------------------------------
    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete investigations (and their steps/scripts) older than the retention. Approvals stay."""
        cutoff = ((now or datetime.now(timezone.utc)) - timedelta(days=retention_days)).strftime("%Y-%m-%dT%H:%M:%S")
        with self._lock, self.db.conn:
            old = [r["id"] for r in self.db["investigations"].rows_where("created_at < ?", [cutoff], select="id")]
            for inv_id in old:
                self.db["steps"].delete_where("investigation_id = ?", [inv_id])
                self.db["scripts"].delete_where("investigation_id = ?", [inv_id])
                self.db["investigations"].delete(inv_id)
            self.db["incidents"].delete_where("updated_at < ? and resolved_at is not null", [cutoff])
        return len(old)
