"""The ``watch`` command: poll CloudWatch on a schedule and print incidents as they change.

``--once`` runs one poll and prints its incidents (``--format json``: a list of
``Incident.to_dict()``). Otherwise an APScheduler 3.x BackgroundScheduler runs the
poller every ``monitoring.poll_interval`` seconds (coalesced, one at a time, with
jitter) and each new / updated / resolved incident is printed (JSON Lines with
``--format json``) until Ctrl-C or ``--duration`` minutes.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Callable, Sequence

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from analyzers.grouping import Changes
from analyzers.incidents import Incident
from analyzers.model import ResourceRef, iso
from bot.alerts import record_changes
from bot.config import check_region

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USAGE = 0, 2


class _ResourceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(pattern=r"^(ec2|lambda|rds|ecs|apigateway|alb)$")
    id: str = Field(min_length=1)
    region: Annotated[str, AfterValidator(check_region)] | None = None


def register(sub: Any, add_common: Callable[..., None]) -> None:
    p = sub.add_parser("watch", help="poll CloudWatch and print incidents as they open, change and resolve")
    add_common(p)
    p.add_argument("--once", action="store_true", help="poll once, print the incidents and exit")
    p.add_argument("--duration", type=float, metavar="MIN", help="stop after this many minutes")
    p.add_argument("--resources-file", metavar="FILE",
                   help='JSON list of {"type", "id", "region"?} to watch instead of discovered resources (alarms '
                        'too: only those on listed resources)')
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_watch)


def load_resources_file(path: str) -> list[ResourceRef]:
    """Parse ``--resources-file``; raises CliError (one line) when it is unusable."""
    from bot.cli import CliError
    file = Path(path).expanduser()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(f"{file}: resources file not found", EXIT_USAGE) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{file}: cannot read resources file ({exc.__class__.__name__})", EXIT_USAGE) from None
    except json.JSONDecodeError as exc:
        raise CliError(f"{file}: not valid JSON (line {exc.lineno})", EXIT_USAGE) from None
    try:
        entries = TypeAdapter(list[_ResourceEntry]).validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise CliError(f"{file}: '{where}': {first['msg']} (expected a list of {{type, id, region?}})",
                       EXIT_USAGE) from None
    out = []
    for n, entry in enumerate(entries):
        problem, ref = resource_of(entry.type, entry.id, entry.region)
        if problem:
            raise CliError(f"{file}: '{n}.id': {problem}", EXIT_USAGE)
        out.append(ref)
    return out


_ARN = re.compile(r"^arn:aws[a-z-]*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):\d*:(?P<rest>.+)$")
_ARN_IDS = {  # (type, ARN service) -> the resource id in the rest of the ARN
    ("lambda", "lambda"): re.compile(r"^function:([^:]+)(?::[^:]+)?$"),
    ("alb", "elasticloadbalancing"): re.compile(r"^loadbalancer/(app/[^/]+/[^/]+)$"),
    ("rds", "rds"): re.compile(r"^db:(.+)$"),
    ("ecs", "ecs"): re.compile(r"^service/([^/]+/[^/]+)$"),
    ("ec2", "ec2"): re.compile(r"^instance/(i-[0-9a-f]+)$"),
}


def resource_of(kind: str, rid: str, region: str | None) -> tuple[str | None, ResourceRef | None]:
    """(a one-line problem, or None and the resource) for one resources-file entry: an ARN is read for its id
    and region; ids the poller could not match (an ALB or ECS service by bare name) are refused with the form
    they need."""
    arn = _ARN.match(rid)
    if arn:
        pattern = _ARN_IDS.get((kind, arn["service"]))
        found = pattern.match(arn["rest"]) if pattern else None
        if found is None:
            return f"{rid!r} is not the ARN of a {kind} resource", None
        if region and arn["region"] and region != arn["region"]:
            return f"region {region!r} does not match the ARN's {arn['region']!r}", None
        return None, ResourceRef(kind, found[1], region or arn["region"] or None)
    if kind == "alb" and not rid.startswith(("app/", "net/")):
        return f"an ALB is 'app/NAME/ID' (its ARN after 'loadbalancer/') or its ARN, not {rid!r}", None
    if kind == "ecs" and "/" not in rid:
        return f"an ECS service is 'CLUSTER/SERVICE' or its ARN, not {rid!r}", None
    return None, ResourceRef(kind, rid, region)


def _row(change: str, incident: Incident) -> str:
    top = max(incident.signals, key=lambda s: s.score, default=None)
    score = f"{top.score:.2f}" if top else "-"
    return (f"{iso(datetime.now(timezone.utc))}  {change.upper():8} {incident.severity:8} {score:>5}  "
            f"{incident.title} (since {iso(incident.onset)})  [{incident.key}]")


def print_changes(changes: Changes, fmt: str, stream=None) -> None:
    out = stream or sys.stdout
    for kind, incidents in (("new", changes.new), ("updated", changes.updated), ("resolved", changes.resolved)):
        for incident in incidents:
            if fmt == "json":
                out.write(json.dumps({"change": kind, "at": iso(datetime.now(timezone.utc)),
                                      "incident": incident.to_dict()}, default=str) + "\n")
            else:
                out.write(_row(kind, incident) + "\n")
    out.flush()


def print_incidents(incidents: Sequence[Incident], fmt: str, stream=None) -> None:
    out = stream or sys.stdout
    if fmt == "json":
        out.write(json.dumps([i.to_dict() for i in incidents], indent=2, default=str) + "\n")
    elif not incidents:
        out.write("no incidents\n")
    else:
        for incident in incidents:
            out.write(_row(incident.state, incident) + "\n")
    out.flush()


def cmd_watch(args: argparse.Namespace) -> int:
    from bot.cli import CliError
    from bot.poller import Poller
    from bot.wiring import build_runtime

    if args.duration is not None and not 0 < args.duration <= MAX_DURATION_MIN:  # also refuses nan and inf
        raise CliError(f"--duration must be a number of minutes above 0 and at most {MAX_DURATION_MIN} "
                       "(leave it out to run until Ctrl-C)", EXIT_USAGE)
    if args.once and args.duration is not None:
        raise CliError("--once polls once and exits: --duration goes with the continuous mode", EXIT_USAGE)
    resources = load_resources_file(args.resources_file) if args.resources_file else None
    if resources == []:
        raise CliError(f"{args.resources_file}: lists no resources (give at least one, or leave the option out "
                       "to watch every discovered resource)", EXIT_USAGE)
    keep = args.db is not None or bool(os.environ.get("AIOPS_DB"))  # a database named: incidents are kept
    runtime = build_runtime(args.config, args.scenario, db_path=args.db, memory_db=not keep)
    try:
        poller = Poller(runtime, resources=resources)
        record = (lambda: record_changes(runtime.store, poller.last_changes, datetime.now(timezone.utc))) \
            if keep else (lambda: None)
        outside = _outside_regions(runtime, resources or ())
        if args.once:
            incidents = poller.poll()
            _warn_silent(poller, outside)
            record()
            print_incidents(incidents, args.format)
            return EXIT_OK
        return _run_scheduled(poller, runtime.config.monitoring, args.format, args.duration, record, outside)
    finally:
        runtime.close()


def _outside_regions(runtime: Any, resources: Sequence[ResourceRef]) -> list[str]:
    """The --resources-file entries in a region no account watches (said now: no poll will look there)."""
    from bot.aws import accounts_of

    watched = {region for account in accounts_of(runtime.provider) for region in account.regions}
    outside = [f"{r.type} {r.id} in {r.region}" for r in resources if r.region and r.region not in watched]
    if outside:
        print(f"warning: {', '.join(outside[:5])}: not in a watched region (aws.regions: "
              f"{', '.join(sorted(watched))})", file=sys.stderr)
    return outside


def _warn_silent(poller: Any, outside: Sequence[str] = ()) -> None:
    """Say which --resources-file entries had no CloudWatch data at all (once, after the first poll; not those
    in a region no poll reads, already named)."""
    silent = getattr(getattr(poller, "last_stats", None), "silent_resources", None) or []
    silent = [s for s in silent if s not in outside]
    if silent:
        shown = ", ".join(silent[:5]) + (f" and {len(silent) - 5} more" if len(silent) > 5 else "")
        print(f"warning: no CloudWatch data for {shown}: check the id, type and region in the resources file",
              file=sys.stderr)


MAX_DURATION_MIN = 60 * 24 * 366  # a year: longer is "until Ctrl-C"


def _run_scheduled(poller: Any, monitoring: Any, fmt: str, duration: float | None,
                   record: Any = lambda: None, outside: Sequence[str] = ()) -> int:
    from apscheduler.schedulers.background import BackgroundScheduler

    stop, warned = threading.Event(), threading.Event()

    def poll_once() -> None:
        try:
            poller.poll()
        except Exception as exc:  # one failed poll must not stop the watch
            print(f"warning: poll failed: {exc}", file=sys.stderr)
            return
        if not warned.is_set():
            warned.set()
            _warn_silent(poller, outside)
        try:
            record()
        except Exception as exc:  # the database is a record; the terminal still gets the changes
            print(f"warning: incidents not stored: {exc}", file=sys.stderr)
        print_changes(poller.last_changes, fmt)

    scheduler = BackgroundScheduler(timezone=timezone.utc)
    scheduler.add_job(poll_once, "interval", seconds=monitoring.poll_interval, jitter=monitoring.jitter or None,
                      coalesce=True, max_instances=1, id="poll", next_run_time=datetime.now(timezone.utc))
    scheduler.start()
    print(f"watching every {monitoring.poll_interval}s"
          + (f" for {duration:g} min" if duration else " (Ctrl-C to stop)"), file=sys.stderr)
    try:
        stop.wait(timeout=duration * 60 if duration else None)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        scheduler.shutdown(wait=True)
    return EXIT_OK


__all__ = ["register", "cmd_watch", "load_resources_file", "print_changes", "print_incidents"]
