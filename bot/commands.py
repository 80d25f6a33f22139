"""CLI command implementations (argument parsing lives in :mod:`bot.cli`)."""
from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from tabulate import tabulate

from analyzers.report import render_markdown
from bot.engine import InvestigationRequest
from bot.engine.investigation import owner_is_alive
from bot.wiring import build_runtime

log = logging.getLogger(__name__)

BUNDLED_SCENARIO = Path(__file__).parent / "scenarios" / "demo-checkout-outage.yaml"


def register_extra_commands(sub: Any, add_common: Callable[..., None]) -> None:
    """Commands that live in their own modules (watch, serve, approvals, summary) register here."""
    for module_name in ("bot.watch_cli", "bot.slack_cli", "bot.summary_cli"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ImportError:
            continue
        module.register(sub, add_common)


def print_rows(rows: list[dict[str, Any]], fmt: str, empty: str, table: list[list[Any]],
               headers: list[str]) -> None:
    """Rows as JSON, or as a table (with a friendly line when there are none)."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
    elif not rows:
        sys.stdout.write(empty + "\n")
    else:
        sys.stdout.write(tabulate(table, headers=headers) + "\n")


def _progress_printer(stream=None) -> Callable[[str, str, str], None]:
    started: dict[str, float] = {}
    stream = stream or sys.stderr  # resolved per call: a default argument would pin the stderr of import time

    def show(step: str, status: str, message: str) -> None:
        if status == "started":
            started[step] = time.monotonic()
            stream.write(f"  ... {message}\n")
        else:
            now = time.monotonic()
            took = f" ({now - started[step]:.1f}s)" if step in started else ""  # none for a step done earlier
            mark = {"ok": "ok", "resumed": "done earlier", "skipped": "skipped", "degraded": "DEGRADED",
                    "failed": "FAILED"}.get(status, status)
            detail = ": " + message if status in ("degraded", "failed", "skipped") else ""
            stream.write(f"  [{mark}] {step}{took}{detail}\n")
        stream.flush()
    return show


def _emit(report: dict[str, Any], fmt: str | None) -> None:
    if fmt is None:
        fmt = "text" if sys.stdout.isatty() else "markdown"
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(render_markdown(report) + "\n")
    else:
        from bot.terminal import print_report
        print_report(report)


def write_report_files(report: dict[str, Any], path: Path | str) -> list[Path]:
    """Write the report to ``path`` (.json or .md; other suffixes get both) and its charts beside it; a folder
    (existing, or written with a trailing slash) gets ``<id>.json`` and ``<id>.md``. A file that cannot be
    written is a CliError naming it (the report itself is stored: ``aiops-bot report ID`` shows it)."""
    from bot.cli import CliError

    target = Path(path)
    if str(path).endswith(("/", "\\")) or target.is_dir():
        target = target / str(report.get("id") or "report")
    try:
        written = _write_documents(report, target)
        try:
            from bot.charts import write_charts_for_report
            written += write_charts_for_report(report, written[0].parent)
        except ImportError:
            pass
    except OSError as exc:
        raise CliError(f"could not write the report to {exc.filename or target}: {exc.strerror or exc} (it is "
                       f"stored; `aiops-bot report {report.get('id')}` shows it)") from None
    return written


def _write_documents(report: dict[str, Any], path: Path) -> list[Path]:
    """PATH.json or PATH.md (any case) by its suffix; any other PATH gets PATH.json and PATH.md (the suffix is
    appended, never replaced, so `run.v1` and `run.v2` do not overwrite each other)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".json":
        _write_whole(path, json.dumps(report, indent=2, default=str))
        return [path]
    if suffix == ".md":
        _write_whole(path, render_markdown(report))
        return [path]
    written: list[Path] = []
    for extension in (".json", ".md"):
        written += _write_documents(report, path.with_name(path.name + extension))
    return written


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file beside it, renamed over it): a full disk
    leaves no truncated report behind; only regular files are written (not /dev/full or a FIFO)."""
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def cmd_investigate(args: argparse.Namespace) -> int:
    from bot.cli import CliError

    if not args.alarm and not args.resume:
        raise CliError("give an alarm name or ARN, or --resume ID", 2)
    if args.alarm and args.resume:
        raise CliError("give an alarm or --resume ID, not both (a resumed investigation keeps its own alarm)", 2)
    if args.alarm:  # a malformed name or ARN is bad input: say so before starting anything
        from bot.engine.alarm_ref import InvestigationError, parse_alarm_ref
        try:
            parse_alarm_ref(args.alarm, None)
        except InvestigationError as exc:
            raise CliError(str(exc), 2) from None
    if args.output and (problem := _output_problem(args.output)):  # before minutes of work, not after
        raise CliError(f"cannot write the report to {args.output}: {problem}", 2)
    if args.resume and (done := _finished_report(args)) is not None:
        sys.stderr.write(f"{args.resume} is already complete: its stored report follows (nothing was re-run)\n")
        _emit(done, args.format)
        for path in write_report_files(done, args.output) if args.output else []:
            sys.stderr.write(f"wrote {path}\n")
        return 0
    scenario, loaded_at = _scenario_for(args)
    runtime = build_runtime(args.config, scenario, args.db, scenario_loaded_at=loaded_at)
    try:
        progress = _progress_printer()
        if runtime.sandbox is not None:
            sys.stderr.write(f"sandbox AWS at {runtime.sandbox.server.endpoint_url} "
                             f"(scenario {runtime.sandbox.scenario.name})\n")
        if args.resume:
            inv_id = args.resume
            sys.stderr.write(f"resuming {inv_id}\n")
        else:
            resources = tuple(r.strip() for r in (args.resources or "").split(",") if r.strip())
            request = InvestigationRequest(args.alarm, args.time_window, resources, args.description)
            inv_id = runtime.investigator.start(request)
            sys.stderr.write(f"investigation {inv_id}: {args.alarm}\n")
        try:
            with _sigterm_as_interrupt():  # `timeout`, `docker stop`, a cancelled CI job: as Ctrl-C
                report = runtime.investigator.run(inv_id, progress)
        except KeyboardInterrupt:
            record = runtime.store.get_investigation(inv_id)
            if record is not None and record["status"] == "running":
                runtime.store.update_investigation(record["id"], status="interrupted")
                raise CliError(f"interrupted; resume with `aiops-bot investigate --resume {record['id']}`",
                               130) from None
            raise
        except Exception:  # a failure the engine could not record (the database locked or full): leave the run
            _mark_interrupted(runtime.store, inv_id)  # resumable, not "running" for ever, where the database lets us
            raise
        _emit(report, args.format)
        if args.output:
            for path in write_report_files(report, args.output):
                sys.stderr.write(f"wrote {path}\n")
        return 0
    finally:
        runtime.close()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt in the main thread while the block runs (the previous handler after)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _mark_interrupted(store: Any, inv_id: str) -> None:
    """Mark a run the engine left "running" as interrupted (resumable); best effort (the database may be why)."""
    try:
        record = store.get_investigation(inv_id)
        if record is not None and record["status"] == "running":
            store.update_investigation(inv_id, status="interrupted")
            sys.stderr.write(f"investigation {inv_id} stopped; resume with "
                             f"`aiops-bot investigate --resume {inv_id}`\n")
    except Exception:  # noqa: BLE001 - the database itself failing is what is being reported
        log.debug("could not mark %s interrupted", inv_id, exc_info=True)


def _output_problem(path: str) -> str | None:
    """Why --output PATH could not be written (the nearest existing folder is a file or not writable), or None."""
    target = Path(path)
    if target.exists() and not target.is_dir() and not target.is_file():
        return f"{target} is not a regular file or a folder (a device or a pipe)"
    probe = target if str(path).endswith(("/", "\\")) or target.is_dir() else target.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, not a folder"
    if not os.access(probe, os.W_OK):
        return f"{probe} is not writable"
    return None


def _finished_report(args: argparse.Namespace) -> dict[str, Any] | None:
    """The stored report of a complete investigation being resumed (nothing to run again), else None."""
    from bot.store import Store

    record = Store.for_reading(args.db).get_investigation(args.resume)
    if record is None or record.get("status") != "complete" or not record.get("report"):
        return None
    return record["report"]


def _scenario_for(args: argparse.Namespace) -> tuple[str | None, datetime | None]:
    """(--scenario, None), else (resuming) the sandbox scenario the investigation started on and the instant
    it was loaded at: resuming a sandbox investigation against real AWS would only degrade every step, and
    reloading it at a new "now" would move its data away from the steps already done."""
    from bot.cli import CliError
    from bot.store import Store

    if not args.resume:
        return args.scenario, None
    record = Store.for_reading(args.db).get_investigation(args.resume)
    if record is None:  # before anything is started or created
        raise CliError(f"no investigation with id {args.resume} (see `aiops-bot history`)")
    params = record.get("params") or {}
    owner = params.get("owner") or {}
    if record.get("status") == "running" and owner_is_alive(owner):
        raise CliError(f"investigation {args.resume} is still running (process {owner.get('pid')} on this host); "
                       "wait for it to finish, or stop it (it can then be resumed)", 2)
    if args.scenario:
        if params.get("scenario") and Path(args.scenario).resolve() != Path(params["scenario"]):
            sys.stderr.write(f"warning: investigation {args.resume} started on the scenario {params['scenario']}; "
                             f"its remaining steps read {args.scenario}\n")
        return args.scenario, None
    scenario = params.get("scenario")
    if scenario and not Path(scenario).is_file():
        raise CliError(f"investigation {args.resume} ran on the sandbox scenario {scenario}, which is gone; "
                       "pass --scenario FILE", 2)
    if not scenario:
        return None, None
    sys.stderr.write(f"resuming on the investigation's sandbox scenario {scenario}\n")
    try:
        loaded_at = datetime.fromisoformat(params["scenario_loaded_at"])
    except (KeyError, TypeError, ValueError):
        loaded_at = None
    return scenario, loaded_at


def cmd_history(args: argparse.Namespace) -> int:
    from bot.store import Store

    from bot.cli import CliError
    if args.limit < 1:
        raise CliError("--limit must be at least 1", 2)
    rows = Store.for_reading(args.db).list_investigations(limit=args.limit)
    table = [[r["id"], r["created_at"][:19].replace("T", " "), r.get("alarm_name") or r.get("alarm_ref"),
              r["status"] + (f" (degraded: {', '.join(r['degraded'])})" if r.get("degraded") else ""),
              r.get("root_category") or "", r.get("root_resource") or ""] for r in rows]
    print_rows(rows, args.format, "no investigations yet; try `aiops-bot demo`", table,
               ["id", "created (UTC)", "alarm", "status", "root cause", "resource"])
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from bot.cli import CliError
    from bot.store import Store

    store = Store.for_reading(args.db)
    record = store.get_investigation(args.id)
    if record is None:
        raise CliError(f"no investigation with id {args.id} (see `aiops-bot history`)")
    if not record.get("report"):
        raise CliError(f"investigation {record['id']} has no report yet (status {record['status']}); "
                       f"resume it with `aiops-bot investigate --resume {record['id']}`")
    report = record["report"]
    approvals = {(a["script_id"]): a for a in store.list_approvals(record["id"]) if a["outcome"] == "recorded"}
    for script in report.get("scripts", []):
        if script["id"] in approvals:
            script["approval"] = approvals[script["id"]]
    _emit(report, args.format)
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.config import load_config
    from bot.store import Store

    config = load_config(args.config)
    removed = Store(args.db).purge(config.analysis.cache_retention)
    sys.stdout.write(f"purged {removed} investigations older than {config.analysis.cache_retention} days\n")
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import Sandbox

    sandbox = Sandbox.start(args.scenario)
    region = sandbox.scenario.region
    print(f"sandbox AWS for scenario '{sandbox.scenario.name}' is up at {sandbox.server.endpoint_url}")
    print(f"seeded: {sandbox.counts}")
    print("try:")
    print("  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox "
          f"AWS_DEFAULT_REGION={region}")
    print(f"  aws --endpoint-url {sandbox.server.endpoint_url} cloudwatch describe-alarms")
    print("Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.cli import CliError
    from bot.terminal import print_report

    scenario = Path(args.scenario) if args.scenario else BUNDLED_SCENARIO
    if not scenario.exists():
        raise CliError(f"scenario {scenario} not found", 2)
    from bot.sandbox import load_scenario
    alarm = next((a.name for a in load_scenario(scenario).alarms if a.state == "ALARM"), None)
    if alarm is None:
        raise CliError(f"scenario {scenario} has no alarm in ALARM state", 2)
    runtime = build_runtime(None, scenario, None)
    try:
        sys.stderr.write(f"aiops-bot demo: sandbox AWS at {runtime.sandbox.server.endpoint_url}, "
                         f"scenario '{runtime.sandbox.scenario.name}': {runtime.sandbox.scenario.description}\n")
        request = InvestigationRequest(alarm, None, (), "aiops-bot demo")
        inv_id = runtime.investigator.start(request)
        report = runtime.investigator.run(inv_id, _progress_printer())
        print_report(report)
        written = write_report_files(report, Path(args.out) / inv_id)
        try:
            from bot.slack_preview import print_slack_preview
            print_slack_preview(report)
        except ImportError:
            pass
        sys.stdout.write("\nReports written:\n" + "".join(f"  {p}\n" for p in written))
        sys.stdout.write(f"History: aiops-bot history   |   Re-open: aiops-bot report {inv_id}\n")
        return 0
    finally:
        runtime.close()
