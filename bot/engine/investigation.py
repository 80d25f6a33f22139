"""The investigation engine: persisted, resumable steps from an alarm reference to a report.

``alarm -> resources -> metrics -> logs -> changes -> analysis -> llm -> scripts -> report``.
Each step's output is stored before the next starts, so ``resume`` skips what
is done. Steps return a :class:`StepResult` (ok / degraded / failed) instead of
raising; only the alarm step is required. Progress is reported through a
callback; the engine does not know whether a terminal or Slack listens.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from analyzers.llm_evidence import apply_llm_ranking
from analyzers.model import Alarm, Change, LogPattern, ResourceRef, Series
from bot.aws import AwsError, AwsGateway, GatewayProvider, gateway_of
from bot.codec import dump, load
from bot.config import MAX_WINDOW_HOURS, Config
from bot.store import Store

from . import collect, collect_logs, regions
from .alarm_ref import InvestigationError, parse_alarm_ref
from .analysis import SCRIPTED_CAUSES, analyse, fallback_analysis, make_report, make_scripts

log = logging.getLogger(__name__)

Progress = Callable[[str, str, str], None]  # (step, status, message)

STEP_LABELS = {"alarm": "reading the alarm", "resources": "finding related resources",
               "metrics": "reading metrics", "logs": "reading logs", "changes": "reading changes",
               "analysis": "ranking root causes", "llm": "asking Claude", "scripts": "writing remediation scripts",
               "report": "writing the report"}


_CONCURRENCY_CAUSES = ("throttling", "traffic_surge", "db_connection_exhaustion")  # scripts that change it


@dataclass(frozen=True)
class InvestigationRequest:
    alarm_ref: str
    time_window_hours: float | None = None
    resources: tuple[str, ...] = ()
    description: str | None = None
    requested_by: str | None = None


@dataclass(frozen=True)
class StepResult:
    status: str  # ok | degraded | failed | skipped
    data: Any = None
    error: str | None = None


class InvestigationInterrupted(Exception):
    """The run was asked to stop (shutdown, Ctrl-C): the finished steps are kept, the investigation is
    marked ``interrupted`` and resumes from the first unfinished step."""


def process_owner() -> dict[str, Any]:
    """Who runs an investigation: this host and process (see :func:`owner_is_gone`)."""
    return {"host": socket.gethostname(), "pid": os.getpid()}


def owner_is_gone(owner: Any) -> bool:
    """Whether the process that ran an investigation (its ``params["owner"]``) is known to be gone: it ran on
    this host and its pid is ours (a restarted container reuses pid 1) or no longer exists. An owner on
    another host, or none recorded, is not known to be gone."""
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # e.g. no permission: a process with that pid exists
        return False
    return False


def owner_is_alive(owner: Any) -> bool:
    """Whether the process that runs an investigation is known to be alive: another process of this host."""
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    return isinstance(pid, int) and pid > 0 and pid != os.getpid() and not owner_is_gone(owner)


def new_investigation_id(now: datetime) -> str:
    return f"inv-{now.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


@dataclass
class _Context:
    inv_id: str
    params: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)


class Investigator:
    """Runs investigations against a region-aware AWS gateway provider and persists every step."""

    STEPS = ("alarm", "resources", "metrics", "changes", "logs", "analysis", "llm", "scripts", "report")

    def __init__(self, config: Config, provider: GatewayProvider, store: Store,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
                 llm: Any = None, redactor_factory: Callable[[], Any] | None = None,
                 origin: dict[str, Any] | None = None):
        """``origin``: parameters recorded with every investigation started here (e.g. the sandbox
        ``scenario`` file, so that a resume from any door runs against the same sandbox)."""
        self.origin = dict(origin or {})
        self.config = config
        self.provider = provider
        self.store = store
        self.clock = clock
        self.llm = llm
        self.redactor_factory = redactor_factory

    # Public API -----------------------------------------------------------
    def start(self, request: InvestigationRequest) -> str:
        """Validate the request, create the investigation record, return its id (no AWS calls)."""
        parse_alarm_ref(request.alarm_ref, self.provider.regions)
        now = self.clock()
        hours = request.time_window_hours
        hours = self.config.analysis.time_window if hours is None else hours
        if not 0 < hours <= MAX_WINDOW_HOURS:
            raise InvestigationError(f"time window must be more than 0 and at most {MAX_WINDOW_HOURS} hours "
                                     f"(got {hours:g})")
        inv_id = new_investigation_id(now)
        params = {"alarm_ref": request.alarm_ref, "window_end": now.isoformat(),
                  "window_start": (now - timedelta(hours=hours)).isoformat(), "resources": list(request.resources),
                  "description": request.description, "requested_by": request.requested_by,
                  **self.origin, "owner": process_owner()}
        self.store.create_investigation(inv_id, request.alarm_ref, params)
        return inv_id

    def investigate(self, request: InvestigationRequest, progress: Progress | None = None) -> dict[str, Any]:
        return self.run(self.start(request), progress)

    def run(self, inv_id: str, progress: Progress | None = None,
            should_stop: Callable[[], bool] | None = None) -> dict[str, Any]:
        """Run (or resume) every unfinished step; returns the report. Raises InvestigationError on failure,
        and InvestigationInterrupted when ``should_stop()`` turns true: checked before each step and after it
        (a step that ran while the stop was asked, e.g. against a closing sandbox, is not saved)."""
        record = self._record(inv_id)
        if record["status"] == "complete" and record.get("report"):
            return record["report"]
        ctx = self._run_steps(record, self.STEPS, progress or (lambda *_: None), should_stop or (lambda: False))
        report = ctx.outputs["report"]
        root = report["root_cause"]
        self.store.update_investigation(record["id"], status="complete", report=report, summary=report["summary"],
                                        root_category=root["category"], root_resource=root["resource"]["id"])
        return report

    def find_alarm(self, inv_id: str) -> None:
        """Run only the alarm step (saved, so :meth:`run` goes on after it): a door can check that the alarm
        exists before it announces the investigation. Raises InvestigationError (the investigation is then
        ``failed``) when it cannot be found or read."""
        self._run_steps(self._record(inv_id), ("alarm",), lambda *_: None, lambda: False)

    def _record(self, inv_id: str) -> dict[str, Any]:
        record = self.store.get_investigation(inv_id)
        if record is None:
            raise InvestigationError(f"no investigation with id {inv_id}")
        return record

    def _run_steps(self, record: dict[str, Any], names: tuple[str, ...], notify: Progress,
                   stop: Callable[[], bool]) -> _Context:
        """Run the unfinished steps among ``names`` (in order), loading the finished ones; see :meth:`run`."""
        inv_id = record["id"]
        ctx = _Context(inv_id, record["params"])
        done = self.store.get_steps(inv_id)
        self.store.update_investigation(inv_id, status="running", error=None,
                                        params={**record["params"], "owner": process_owner()})
        for name in names:
            previous = done.get(name)
            if previous and previous["status"] in ("ok", "degraded", "skipped"):
                ctx.outputs[name] = self._load(name, previous["output"])
                ctx.statuses[name] = {"status": previous["status"], "error": previous.get("error")}
                self._after_step(name, ctx)
                notify(name, "resumed", STEP_LABELS[name])
                continue
            self._stop_if_asked(inv_id, stop)
            notify(name, "started", STEP_LABELS[name])
            started = datetime.now(timezone.utc).isoformat()
            result = self._run_step(name, ctx)
            self._stop_if_asked(inv_id, stop)
            self.store.save_step(inv_id, name, result.status, self._dump(name, result.data), result.error, started)
            ctx.outputs[name] = result.data
            ctx.statuses[name] = {"status": result.status, "error": result.error}
            self._after_step(name, ctx)
            note = result.data.get("note") if result.status == "skipped" and isinstance(result.data, dict) else None
            notify(name, result.status, result.error or note or STEP_LABELS[name])
            if result.status == "failed" and name in ("alarm", "report"):  # no report without these
                self.store.update_investigation(inv_id, status="failed", error=result.error)
                raise InvestigationError(result.error or "investigation failed")
        return ctx

    def _stop_if_asked(self, inv_id: str, stop: Callable[[], bool]) -> None:
        if stop():
            self.store.update_investigation(inv_id, status="interrupted")
            raise InvestigationInterrupted(inv_id)

    @staticmethod
    def _after_step(name: str, ctx: _Context) -> None:
        """A valid LLM answer may re-rank hypotheses (only among evidence-backed ones)."""
        if name == "llm" and ctx.outputs.get("analysis") is not None and ctx.outputs.get("llm"):
            analysis = ctx.outputs["analysis"]
            ranked = apply_llm_ranking(analysis.hypotheses, ctx.outputs["llm"])
            ctx.outputs["analysis"] = replace(analysis, hypotheses=tuple(ranked))

    # Steps ----------------------------------------------------------------
    def _run_step(self, name: str, ctx: _Context) -> StepResult:
        try:
            return getattr(self, f"_step_{name}")(ctx)
        except InvestigationError as exc:
            return StepResult("failed", None, str(exc))
        except AwsError as exc:
            log.warning("step %s of %s: %s", name, ctx.inv_id, exc)
            return StepResult("failed" if name == "alarm" else "degraded", self._fallback(name, ctx),
                              f"AWS {exc.operation} failed: {exc.code}: {exc.message}")
        except Exception as exc:  # a bug in one step must not lose the investigation
            log.error("step %s of %s crashed (%s); run with -v for the traceback", name, ctx.inv_id,
                      exc.__class__.__name__)
            log.debug("step %s of %s crashed", name, ctx.inv_id, exc_info=exc)
            return StepResult("failed" if name in ("alarm", "report") else "degraded", self._fallback(name, ctx),
                              f"internal error in step {name}: {exc.__class__.__name__}")

    def _fallback(self, name: str, ctx: _Context) -> Any:
        return {"resources": lambda: collect.fallback_resources(ctx.outputs["alarm"]),
                "metrics": lambda: [], "logs": lambda: collect.LogsOutput(), "changes": lambda: [],
                "llm": lambda: None, "scripts": lambda: [],
                "analysis": lambda: fallback_analysis(ctx.outputs["alarm"], ctx.outputs.get("metrics") or []),
                }.get(name, lambda: None)()

    def _window(self, ctx: _Context) -> tuple[datetime, datetime]:
        return (datetime.fromisoformat(ctx.params["window_start"]), datetime.fromisoformat(ctx.params["window_end"]))

    def _step_alarm(self, ctx: _Context) -> StepResult:
        ref = parse_alarm_ref(ctx.params["alarm_ref"], self.provider.regions)
        start, end = self._window(ctx)
        found = collect.resolve_alarm(self.provider, ref, start, end)
        self.store.update_investigation(ctx.inv_id, alarm_name=found.alarm.name, alarm_region=found.alarm.region,
                                        alarm_account=found.alarm.account_id)
        return StepResult("ok" if not found.warning else "degraded", found, found.warning)

    def _gateway(self, alarm: Alarm) -> AwsGateway:
        """Every step after the alarm reads the alarm's own account and region."""
        return gateway_of(self.provider, alarm.region, alarm.account)

    def _regional(self, alarm: Alarm) -> regions.Regional:
        """The alarm's account in any of its configured regions (where a dependency may live)."""
        return lambda region: gateway_of(self.provider, region, alarm.account)

    def _step_resources(self, ctx: _Context) -> StepResult:
        alarm = ctx.outputs["alarm"].alarm
        gateway = self._gateway(alarm)
        inventory = collect.with_metric_only_resources(gateway, gateway.list_resources())
        skipped = list(getattr(gateway, "inventory_skipped", None) or [])
        inventory += regions.other_region_resources(self._regional(alarm),
                                                    regions.account_regions(self.provider, alarm.account),
                                                    alarm.region, inventory)
        error = f"inventory of {', '.join(skipped)} in {alarm.region} skipped" if skipped else None
        return StepResult("degraded" if skipped else "ok", collect.with_alarm_resource(inventory, alarm), error)

    def _step_metrics(self, ctx: _Context) -> StepResult:
        start, end = self._window(ctx)
        alarm = ctx.outputs["alarm"].alarm
        series = collect.fetch_metrics(self._gateway(alarm), alarm, ctx.outputs["resources"], self.config, start, end,
                                       regional=self._regional(alarm))
        return StepResult("ok", series)

    def _step_logs(self, ctx: _Context) -> StepResult:
        start, end = self._window(ctx)
        found = ctx.outputs["alarm"]
        onset = collect.incident_onset(found, ctx.outputs["metrics"])
        out = collect_logs.fetch_logs(self._gateway(found.alarm), ctx.outputs["resources"], self.config,
                                 onset, start, end, extra_groups=ctx.params.get("resources") or [],
                                 alarm=found.alarm, changes=ctx.outputs.get("changes") or [],
                                 regional=self._regional(found.alarm))
        status = "degraded" if out.errors else "ok"
        return StepResult(status, out, "; ".join(out.errors) or None)

    def _step_changes(self, ctx: _Context) -> StepResult:
        start, end = self._window(ctx)
        found = ctx.outputs["alarm"]
        onset = collect.incident_onset(found, ctx.outputs["metrics"])
        global_gateway = gateway_of(self.provider, collect.GLOBAL_EVENTS_REGION, found.alarm.account)
        changes, errors = collect.fetch_changes(self._gateway(found.alarm), ctx.outputs["resources"],
                                                onset, self.config, start, end, global_gateway,
                                                regional=self._regional(found.alarm))
        return StepResult("degraded" if errors else "ok", changes, "; ".join(errors) or None)

    def _step_analysis(self, ctx: _Context) -> StepResult:
        found = ctx.outputs["alarm"]
        return StepResult("ok", analyse(found, ctx.outputs["resources"], ctx.outputs["metrics"], ctx.outputs["logs"],
                                        ctx.outputs["changes"], ctx.params))

    def _step_llm(self, ctx: _Context) -> StepResult:
        if self.llm is None:
            return StepResult("skipped", {"status": "offline",
                                          "note": "no LLM configured (set ANTHROPIC_API_KEY); deterministic analysis only"})
        result = self.llm.explain(ctx.inv_id, ctx.outputs["analysis"], ctx.outputs["logs"])
        return StepResult(result.get("step_status", "ok"), result, result.get("error"))

    def _step_scripts(self, ctx: _Context) -> StepResult:
        scripts = make_scripts(ctx.inv_id, ctx.outputs["alarm"], ctx.outputs["analysis"], ctx.outputs["changes"],
                               self._script_facts(ctx))
        self.store.save_scripts(ctx.inv_id, [s.to_dict() for s in scripts])
        return StepResult("ok", scripts)

    def _script_facts(self, ctx: _Context) -> dict[tuple[str, str], dict[str, object]]:
        """Facts the scripts need that the inventory does not hold (read-only calls): the alias and previous
        version of a Lambda blamed for a deployment, the reserved concurrency of one whose concurrency a
        script would change."""
        out: dict[tuple[str, str], dict[str, object]] = {}
        for hyp in list(ctx.outputs["analysis"].hypotheses)[:SCRIPTED_CAUSES]:
            if hyp.resource.type != "lambda" or hyp.category not in ("bad_deployment", *_CONCURRENCY_CAUSES):
                continue
            alarm = ctx.outputs["alarm"].alarm
            gateway = gateway_of(self.provider, hyp.resource.region or alarm.region, alarm.account)
            try:
                if hyp.category == "bad_deployment":
                    out[hyp.resource.key] = gateway.get_lambda_release(hyp.resource.id)
                elif hyp.resource.properties.get("reserved_concurrency") is None:
                    out[hyp.resource.key] = {"reserved_concurrency": gateway.get_lambda_concurrency(hyp.resource.id)}
            except AwsError as exc:
                log.info("script facts of %s not readable: %s", hyp.resource.id, exc.code)
        return out

    def _step_report(self, ctx: _Context) -> StepResult:
        record = self.store.get_investigation(ctx.inv_id) or {}
        created = datetime.fromisoformat(record.get("created_at", "").replace("Z", "+00:00")) \
            if record.get("created_at") else self.clock()
        redactor = self.redactor_factory() if self.redactor_factory else None
        report = make_report(ctx.inv_id, created, ctx.params, ctx.outputs, ctx.statuses, redactor)
        return StepResult("ok", report)

    # Persistence of step outputs ------------------------------------------
    _TYPES: dict[str, Any] = {"resources": list[ResourceRef], "metrics": list[Series], "changes": list[Change]}

    def _dump(self, name: str, data: Any) -> Any:
        if data is None:
            return None
        if name == "alarm":
            return dump(data, collect.ResolvedAlarm)
        if name == "logs":
            return dump(data, collect.LogsOutput)
        if name == "analysis":
            return dump(data, collect.AnalysisOutput)
        if name == "scripts":
            return [s.to_dict() for s in data]
        if name in self._TYPES:
            return dump(data, self._TYPES[name])
        return data

    def _load(self, name: str, data: Any) -> Any:
        if data is None:
            return None
        if name == "alarm":
            return load(data, collect.ResolvedAlarm)
        if name == "logs":
            return load(data, collect.LogsOutput)
        if name == "analysis":
            return load(data, collect.AnalysisOutput)
        if name == "scripts":
            from analyzers.model import Script
            return [Script(**s) for s in data]
        if name in self._TYPES:
            return load(data, self._TYPES[name])
        return data


__all__ = ["Investigator", "InvestigationRequest", "InvestigationError", "StepResult", "STEP_LABELS",
           "Alarm", "LogPattern"]
