"""The service layer behind the Slack handlers: investigations in worker threads, progress, approvals.

No Slack SDK here: messages go through a small :class:`Poster` protocol
(implemented by :class:`bot.slack.SlackPoster`). Approving a script only
records the decision (who, when, sha256) in the append-only audit table;
nothing is ever executed.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from bot.config import Config
from bot.engine import InvestigationError, InvestigationInterrupted, InvestigationRequest, Investigator, owner_is_gone
from bot.engine.alarm_ref import parse_alarm_ref
from bot.slack_progress import ProgressMessage
from bot.slack_restarts import RESUME_WITHIN_HOURS, unfinished_slack_runs
from bot.store import Store
from handlers import blocks as ui

log = logging.getLogger(__name__)

DECISIONS = ("approve", "reject")
JOIN_WAIT_SECONDS = 5.0
AFTER_ACK_THREADS = 16  # threads for the slow part of listeners (Slack and AWS calls after the ack)
STOP_WAIT_SECONDS = 10.0  # on shutdown, how long running investigations get to reach the end of their step
INTERRUPTED = "interrupted by a bot restart; it resumes in this thread when the bot is back"


class Poster(Protocol):
    def post(self, channel: str, text: str, blocks: list[dict] | None = None,
             thread_ts: str | None = None) -> str: ...
    def update(self, channel: str, ts: str, text: str, blocks: list[dict] | None = None) -> None: ...
    def ephemeral(self, channel: str, user: str, text: str, blocks: list[dict] | None = None,
                  thread_ts: str | None = None) -> None: ...
    def permalink(self, channel: str, ts: str) -> str | None: ...
    def usergroup_members(self, group_id: str) -> list[str]: ...
    def user_name(self, user_id: str) -> str: ...


@dataclass(frozen=True)
class Outcome:
    """What the handler tells the requester (ephemeral), if anything."""

    status: str  # started | joined | error | recorded (shown in the script's message) | recorded_unshown | refused
    # | duplicate | unknown
    message: str = ""
    investigation_id: str | None = None


@dataclass
class _Running:
    alarm: str
    channel: str
    user_id: str | None
    inv_id: str | None = None
    thread_ts: str | None = None
    parent_ts: str | None = None
    ready: threading.Event = field(default_factory=threading.Event)
    in_foreign_thread: bool = False  # posted under someone else's message (an alert), not under its own parent
    resolved: tuple[str | None, str | None] | None = None  # (account, region) of the alarm, once the run found it
    progress_ts: str | None = None  # its progress message, once posted (a resumed run edits it again)


def _either_open(mine: str | None, theirs: str | None) -> bool:
    """An account or region matches when equal or when either side leaves it open (None)."""
    return mine is None or theirs is None or mine == theirs


class SlackService:
    """Everything the Slack handlers do, minus Slack itself."""

    def __init__(self, config: Config, store: Store, investigator: Investigator, poster: Poster,
                 workers: int = 4, alerts: Any = None):
        self.config = config
        self.store = store
        self.investigator = investigator
        self.poster = poster
        self.alerts = alerts
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="investigation")
        self._after_ack = ThreadPoolExecutor(max_workers=AFTER_ACK_THREADS, thread_name_prefix="after-ack")
        self._running: dict[tuple[str | None, str | None, str], _Running] = {}
        self._lock = threading.Lock()
        self._futures: list[Any] = []
        self._stopping = threading.Event()

    def after_ack(self, work: Callable[[], None], respond: Callable[..., Any]) -> None:
        """Run a listener's slow part (its Slack and AWS calls) on the service's threads: Bolt's listener threads
        only acknowledge, so a slow Slack API never delays the acks of later requests past Slack's 3 seconds.
        A failure is logged with an error id and the user is told that id (``respond``: the request's
        response_url)."""
        def guarded() -> None:
            try:
                work()
            except Exception as exc:
                error_id = secrets.token_hex(4)
                log.error("listener error %s (%s)", error_id, exc.__class__.__name__, exc_info=exc)
                try:
                    respond(text=ui.internal_error(error_id), response_type="ephemeral", replace_original=False)
                except Exception:  # the error report itself must never raise
                    log.warning("could not tell the user about error %s", error_id)
        self._track(self._after_ack.submit(guarded))

    def _track(self, future: Any) -> None:
        with self._lock:
            self._futures = [f for f in self._futures if not f.done()] + [future]

    # Investigations -------------------------------------------------------------------
    def start_investigation(self, alarm_ref: str, hours: float | None, channel: str, user_id: str | None,
                            thread_ts: str | None = None) -> Outcome:
        """Post the parent (or use ``thread_ts``) and run the investigation in a worker; join a running one."""
        try:
            ref = parse_alarm_ref(alarm_ref, self.investigator.provider.regions)
        except InvestigationError as exc:
            return Outcome("error", ui.esc(exc))
        key = (ref.account_id, ref.region, ref.name)  # one account's alarm, not its namesake
        with self._lock:
            running = self._running_for(key)
            if running is None:
                running = self._running[key] = _Running(ref.name, channel, user_id)
                owner = True
            else:
                owner = False
        if not owner:
            return self._joined(running)
        try:
            request = InvestigationRequest(alarm_ref, hours, requested_by=user_id)
            running.inv_id = self.investigator.start(request)
            self.investigator.find_alarm(running.inv_id)  # a typo is answered to its author, not posted
            self._resolved(running)  # from now on only this account's and region's requests join it
            parent_blocks = ui.investigation_parent(ref.name, user_id, "running", f"`{running.inv_id}`")
            text = f"Investigating {ui.esc(ref.name)} ({running.inv_id})"
            running.parent_ts = self.poster.post(channel, text, parent_blocks, thread_ts=thread_ts)
            running.thread_ts = thread_ts or running.parent_ts
            running.in_foreign_thread = thread_ts is not None
            self._remember_thread(running)
        except InvestigationError as exc:
            self._finish(key, running)
            return Outcome("error", ui.esc(exc))
        except Exception as exc:  # e.g. the bot may not post in this channel: the record must not stay "running"
            self._finish(key, running)
            if running.inv_id is None:
                raise
            self.store.update_investigation(running.inv_id, status="failed",
                                            error=f"could not post to Slack: {exc.__class__.__name__}")
            log.warning("investigation %s abandoned: its first Slack post failed (%s)", running.inv_id, exc)
            hint = ("Invite the bot to the channel (`/invite @aiops-bot`) and try again."
                    if any(code in str(exc) for code in ("not_in_channel", "channel_not_found", "is_archived"))
                    else f"Slack did not take the message ({exc.__class__.__name__}); try again.")
            return Outcome("error", f"Could not post in this channel, so investigation {running.inv_id} was "
                                    f"stopped. {hint}", running.inv_id)
        running.ready.set()
        try:
            self._track(self._pool.submit(self._run, key, running))
        except RuntimeError:  # the bot is shutting down: the run waits for the next start
            self.store.update_investigation(str(running.inv_id), status="interrupted")
            self._update_parent(running, "interrupted", INTERRUPTED)
            self._finish(key, running)
            return Outcome("started", f"Investigating `{ui.esc(ref.name)}` ({running.inv_id}); the bot is "
                                      "restarting, so it goes on when the bot is back.", running.inv_id)
        return Outcome("started", f"Investigating `{ui.esc(ref.name)}` ({running.inv_id}).", running.inv_id)

    def _running_for(self, key: tuple[str | None, str | None, str]) -> _Running | None:
        """The running investigation of the alarm `key` names (account, region, name; None: any, as a plain
        name leaves them open), so a name and its ARN join one run. Call with the lock held."""
        for (account, region, name), running in self._running.items():
            account, region = running.resolved or (account, region)  # a plain name, once resolved, is one alarm
            if name == key[2] and _either_open(account, key[0]) and _either_open(region, key[1]):
                return running
        return None

    def _joined(self, running: _Running) -> Outcome:
        running.ready.wait(JOIN_WAIT_SECONDS)
        link = self.poster.permalink(running.channel, running.thread_ts) if running.thread_ts else None
        where = f"see thread {link}" if link else "see its thread"
        return Outcome("joined", f"An investigation of `{ui.esc(running.alarm)}` is already running "
                                 f"({running.inv_id}); {where}", running.inv_id)

    def _finish(self, key: tuple[str | None, str | None, str], running: _Running) -> None:
        running.ready.set()
        with self._lock:
            if self._running.get(key) is running:
                del self._running[key]

    def _resolved(self, running: _Running) -> None:
        """Note which account and region the run's alarm turned out to be in (see :meth:`_running_for`)."""
        record = self.store.get_investigation(str(running.inv_id))
        if record is not None and record.get("alarm_region"):
            with self._lock:
                running.resolved = (record.get("alarm_account"), record["alarm_region"])

    def _remember_thread(self, running: _Running, progress_ts: str | None = None) -> None:
        """Store where the run posts (and its progress message), so a restarted bot resumes it in the same
        thread."""
        running.progress_ts = progress_ts or running.progress_ts
        record = self.store.get_investigation(str(running.inv_id))
        if record is not None:
            where = {"channel": running.channel, "thread_ts": running.thread_ts, "parent_ts": running.parent_ts,
                     "user_id": running.user_id, "in_foreign_thread": running.in_foreign_thread,
                     "progress_ts": running.progress_ts}
            self.store.update_investigation(record["id"], params={**record["params"], "slack": where})

    def _run(self, key: tuple[str | None, str | None, str], running: _Running) -> None:
        channel, thread, inv_id = running.channel, running.thread_ts, str(running.inv_id)
        shown = ProgressMessage(self.poster, channel, thread, inv_id, quiet=self._stopping.is_set,
                                ts=running.progress_ts, on_posted=lambda ts: self._remember_thread(running, ts))

        def progress(step: str, status: str, message: str) -> None:
            if step == "alarm" and status != "started":
                self._resolved(running)
            shown.step(step, status, message)

        try:
            try:
                report = self.investigator.run(inv_id, progress, should_stop=self._stopping.is_set)
            finally:
                shown.flush()
            self._post_report(channel, thread, inv_id, report)
            self._update_parent(running, "complete", ui.esc(report.get("summary"), 1500))
        except InvestigationInterrupted:
            log.info("investigation %s interrupted by shutdown; it resumes when the bot starts again", inv_id)
            self._update_parent(running, "interrupted", INTERRUPTED)
        except InvestigationError as exc:
            self._update_parent(running, "failed", f"Could not investigate: {ui.esc(exc)}")
            if running.user_id:
                self.poster.ephemeral(channel, running.user_id,
                                      f"Investigation of {ui.esc(running.alarm)} failed: {ui.esc(exc)}")
        except Exception as exc:
            error_id = secrets.token_hex(4)
            log.error("investigation %s crashed (error id %s)", inv_id, error_id, exc_info=exc)
            self._update_parent(running, "failed", f"Internal error (error id `{error_id}`); see the bot's log.")
        finally:
            self._finish(key, running)

    def _update_parent(self, running: _Running, status: str, detail: str) -> None:
        if not running.parent_ts:
            return
        try:
            text = f"Investigation of {ui.esc(running.alarm)}: {status}"
            self.poster.update(running.channel, running.parent_ts, text,
                               ui.investigation_parent(running.alarm, running.user_id, status, detail))
        except Exception as exc:
            log.warning("could not update the parent message of %s (%s: %s)", running.inv_id,
                        exc.__class__.__name__, str(exc)[:200])

    def _post_report(self, channel: str, thread: str | None, inv_id: str, report: dict[str, Any]) -> None:
        self.poster.post(channel, f"Findings for {inv_id}", ui.findings_blocks(report), thread_ts=thread)
        self.poster.post(channel, "Ranked hypotheses", ui.hypotheses_blocks(report), thread_ts=thread)
        for script in report.get("scripts") or []:
            self.poster.post(channel, ui.script_text(script), ui.script_blocks(inv_id, script), thread_ts=thread)

    def running(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"alarm": r.alarm, "investigation_id": r.inv_id, "channel": r.channel,
                     "thread_ts": r.thread_ts} for r in self._running.values()]

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until no investigation is running or queued (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                busy = bool(self._running) or any(not f.done() for f in self._futures)
            if not busy:
                return True
            time.sleep(0.02)
        return False

    def shutdown(self, wait: float = STOP_WAIT_SECONDS) -> None:
        """Stop: running investigations stop at the end of their current step (waiting up to ``wait`` seconds)
        and are marked ``interrupted``, like the queued ones; :meth:`resume_interrupted` picks them up."""
        self._stopping.set()
        self._after_ack.shutdown(wait=False, cancel_futures=True)
        self._pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + wait
        with self._lock:
            futures = list(self._futures)
        for future in futures:
            try:
                future.result(timeout=max(deadline - time.monotonic(), 0.0))
            except Exception:  # cancelled, still running, or crashed (already logged by _run)
                pass
        with self._lock:
            left = list(self._running.values())
        for running in left:  # queued and never started, or still inside a step
            record = self.store.get_investigation(str(running.inv_id)) if running.inv_id else None
            if record is not None and record["status"] == "running":
                self.store.update_investigation(record["id"], status="interrupted")
                self._update_parent(running, "interrupted", INTERRUPTED)

    def resume_interrupted(self, within_hours: float = RESUME_WITHIN_HOURS) -> list[str]:
        """On start-up: resume, each in its Slack thread, the investigations a previous run of the bot left
        unfinished (``interrupted``, or ``running`` by a process that is gone) within the last
        ``within_hours``; one still ``running`` elsewhere is left alone. Returns the resumed ids."""
        resumed = []
        for record in unfinished_slack_runs(self.store, within_hours):
            params, where = record["params"], record["params"]["slack"]
            if record["status"] == "running" and not owner_is_gone(params.get("owner")):
                continue
            origin = getattr(self.investigator, "origin", {})
            if any(params.get(name) != origin.get(name) for name in ("scenario", "scenario_loaded_at")):
                continue  # another sandbox (or its clock): `aiops-bot investigate --resume` reloads the right one
            try:
                ref = parse_alarm_ref(record["alarm_ref"], self.investigator.provider.regions)
            except InvestigationError:
                continue
            running = _Running(ref.name, where["channel"], where.get("user_id"), record["id"], where.get("thread_ts"),
                               where.get("parent_ts"), in_foreign_thread=bool(where.get("in_foreign_thread")),
                               progress_ts=where.get("progress_ts"))
            running.ready.set()
            key = (ref.account_id, ref.region, ref.name)
            with self._lock:
                if self._running_for(key) is not None:
                    continue
                self._running[key] = running
            self._update_parent(running, "running", f"`{record['id']}` resumed after a restart of the bot")
            self._track(self._pool.submit(self._run, key, running))
            resumed.append(record["id"])
        if resumed:
            log.info("resumed %d interrupted investigation(s): %s", len(resumed), ", ".join(resumed))
        return resumed

    # Read-only views ------------------------------------------------------------------
    def summary(self, since: str) -> str:
        """Markdown summary of the period's incidents and investigations (raises PeriodError on a bad period)."""
        from analyzers.summary import render_summary_markdown
        from bot.summary_cli import load_summary
        return render_summary_markdown(load_summary(self.store, since))

    def history(self, limit: int = 10) -> list[dict[str, Any]]:
        return self.store.list_investigations(limit=limit)

    def report(self, inv_id: str) -> dict[str, Any] | None:
        return self.store.get_investigation(inv_id)

    def decision(self, inv_id: str, script_id: str) -> dict[str, Any] | None:
        """The recorded approve/reject of a script (who, when, sha256), or None while undecided."""
        return self.store.decision_for(inv_id, script_id)

    def open_incidents(self) -> list[dict[str, Any]]:
        return self.store.list_incidents(open_only=True)

    # Approvals (recorded only, never executed) ----------------------------------------
    def is_approver(self, user_id: str) -> bool:
        approvers = self.config.slack.approvers
        if user_id in approvers:
            return True
        return any(user_id in self.poster.usergroup_members(g) for g in approvers if g.startswith("S"))

    def decide(self, inv_id: str, script_id: str, decision: str, user_id: str, channel: str | None,
               message_ts: str | None, fallback_name: str = "") -> Outcome:
        """Record an approve/reject click in the audit table and edit the script message. First decision wins."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}")
        script = self.store.get_script(inv_id, script_id)
        if script is None:
            return Outcome("unknown", f"Script {ui.esc(script_id)} of {ui.esc(inv_id)} is not known to this bot.")
        name = self.poster.user_name(user_id) or fallback_name or user_id
        audit = {"investigation_id": inv_id, "script_id": script_id, "sha256": script["sha256"],
                 "user_id": user_id, "user_name": name, "decision": decision}
        if not self.is_approver(user_id):
            self.store.record_approval(**audit, outcome="refused", note="not in slack.approvers")
            return Outcome("refused", "You are not allowed to approve or reject scripts (only users or groups in "
                                      "`slack.approvers`). Your attempt was recorded.")
        outcome, recorded = self.store.record_decision(**audit)
        if outcome == "duplicate":
            verb = "approved" if recorded["decision"] == "approve" else "rejected"
            return Outcome("duplicate", f"Already decided by <@{recorded['user_id']}> ({verb} at "
                                        f"{recorded['decided_at'][:19]} UTC).")
        script_view = dict(script, id=script_id)
        verb = "Approved" if decision == "approve" else "Rejected"
        told = f"{verb} — recorded only, not executed (sha256 {script['sha256'][:16]}…)."
        if not (channel and message_ts):
            return Outcome("recorded_unshown", f"{told} (This click came without its message, so the message is unchanged.)")
        try:
            self.poster.update(channel, message_ts, ui.script_text(script_view, recorded),
                               ui.script_blocks(inv_id, script_view, recorded))
        except Exception as exc:  # the decision is recorded: say so, and that the message could not show it
            log.warning("decision on %s/%s recorded; its message was not updated (%s)", inv_id, script_id, exc)
            return Outcome("recorded_unshown", f"{told} Slack did not take the edit of the script's message "
                                       f"({exc.__class__.__name__}), so it still shows the buttons; "
                                       f"`/aiops report {inv_id}` shows the decision.")
        return Outcome("recorded", told)
