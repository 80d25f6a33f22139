"""``aiops-bot serve`` (Socket Mode or HTTP) and ``aiops-bot approvals`` (the audit of recorded decisions)."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.error import URLError


log = logging.getLogger(__name__)

EXIT_USAGE = 2


def register(sub: Any, add_common: Callable[..., None]) -> None:
    p = sub.add_parser("serve", help="run the Slack app (Socket Mode by default, or --http)")
    add_common(p)
    p.add_argument("--http", action="store_true", help="HTTP mode: POST /slack/events, GET /healthz")
    p.add_argument("--host", default="0.0.0.0")
    p.add_argument("--port", type=_port, default=3000)
    p.add_argument("--health-port", type=_port, help="Socket Mode: also serve GET /healthz on this port")
    p.add_argument("--watch", action="store_true", help="post proactive alerts (or config slack.watch: true)")
    p.add_argument("--channel", help="alert channel id (default: config slack.channel)")
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("approvals", help="list the approval audit (recorded only, never executed)")
    add_common(p, scenario=False)
    p.add_argument("--investigation", help="only this investigation id")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_approvals)


def _port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 0-65535")
    return port


@dataclass
class SlackStack:
    """Everything ``serve`` runs; ``close()`` stops it all."""

    runtime: Any
    service: Any
    app: Any
    server: Any = None
    socket: Any = None
    scheduler: Any = None

    def close(self) -> None:
        for stop in (lambda: self.scheduler and self.scheduler.shutdown(wait=False),
                     lambda: self.socket and self.socket.close(), lambda: self.server and self.server.stop(),
                     self.service.shutdown, self.runtime.close):
            try:
                stop()
            except Exception:
                log.warning("error while stopping", exc_info=True)


def _require(env: Mapping[str, str], names: tuple[str, ...]) -> None:
    from bot.cli import CliError
    for name in names:
        if not env.get(name):
            raise CliError(f"{name} is not set; `serve` needs {' and '.join(names)} in the environment", EXIT_USAGE)


def build_stack(args: argparse.Namespace, env: Mapping[str, str]) -> SlackStack:
    """Check tokens, build runtime, WebClient, services, Bolt app, runner and (with --watch) the scheduler."""
    from bot.alerts import AlertService, default_poller
    from bot.cli import CliError
    from bot.scheduler import build_scheduler
    from bot.slack import SlackHttpServer, SlackPoster, build_app, build_web_client
    from bot.slack_service import SlackService
    from bot.wiring import build_runtime

    _require(env, ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET") if args.http else ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"))
    from bot.slack_restarts import resume_clock
    from bot.store import Store
    clock = resume_clock(Store.for_reading(args.db), args.scenario)  # interrupted sandbox runs resume on their data
    runtime = build_runtime(args.config, args.scenario, args.db, env=dict(env), scenario_loaded_at=clock)
    try:
        config = runtime.config
        watch = args.watch or config.slack.watch
        channel = args.channel or config.slack.channel
        if watch and not channel:
            raise CliError("--watch needs an alert channel: --channel C0123 or config slack.channel", EXIT_USAGE)
        client = build_web_client(env["SLACK_BOT_TOKEN"], env.get("SLACK_API_BASE_URL"))
        poster = SlackPoster(client)
        service = SlackService(config, runtime.store, runtime.investigator, poster)
        service.alerts = AlertService(runtime.store, poster, channel or "")
        try:
            app = build_app(service, client, env.get("SLACK_SIGNING_SECRET"))
        except Exception as exc:  # BoltError from auth.test, or no way to reach Slack: phrase it, no traceback
            service.shutdown()
            if isinstance(exc, (OSError, URLError)) or isinstance(exc.__cause__, (OSError, URLError)) \
                    or "urlopen error" in str(exc):
                raise CliError(f"could not reach Slack to check SLACK_BOT_TOKEN ({exc})") from None
            raise CliError(f"Slack rejected SLACK_BOT_TOKEN ({exc})", EXIT_USAGE) from None
        stack = SlackStack(runtime, service, app)
        port = args.port if args.http else args.health_port
        try:
            if args.http:
                stack.server = SlackHttpServer(app, args.host, args.port,
                                               signing_secret=env.get("SLACK_SIGNING_SECRET"))
            elif args.health_port:
                stack.server = SlackHttpServer(None, args.host, args.health_port)
        except OSError as exc:  # port taken, no permission, unknown host
            service.shutdown()
            raise CliError(f"cannot listen on {args.host}:{port}: {exc.strerror or exc}", EXIT_USAGE) from None
        if watch:
            if runtime.sandbox is not None and args.scenario:  # a restart reloads the sandbox on this clock
                scenario = str(Path(args.scenario).resolve())
                runtime.store.record_sandbox_clock(scenario, runtime.sandbox.scenario.loaded_at)
            monitoring = config.monitoring
            stack.scheduler = build_scheduler(default_poller(runtime), service.alerts.sync,
                                              monitoring.poll_interval, monitoring.jitter)
        return stack
    except BaseException:
        runtime.close()
        raise


def run_serve(args: argparse.Namespace, env: Mapping[str, str], on_ready: Callable[[SlackStack], None] | None = None,
              stop: threading.Event | None = None) -> int:
    from bot.cli import CliError
    from bot.slack import SocketModeFailure, connect_socket_mode

    stack = build_stack(args, env)
    stop = stop or threading.Event()
    restore = _stop_on_sigterm(stop)
    try:
        if stack.server is not None:
            stack.server.start()
        if not args.http:
            try:
                stack.socket = connect_socket_mode(stack.app, env["SLACK_APP_TOKEN"])
            except SocketModeFailure as exc:
                raise CliError(str(exc)) from None
        if stack.scheduler is not None:
            stack.scheduler.start()
        _resume_interrupted(stack)
        where = f"HTTP on port {stack.server.port} (/slack/events, /healthz)" if args.http else "Socket Mode"
        sys.stderr.write(f"aiops-bot serving Slack via {where}"
                         f"{'; watching for incidents' if stack.scheduler else ''}. Ctrl-C to stop.\n")
        if on_ready:
            on_ready(stack)
        while not stop.wait(1.0):
            if stack.socket is not None and not stack.socket.client.is_connected():
                log.warning("Socket Mode connection lost; the client is reconnecting")
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        restore()
        stack.close()


def _stop_on_sigterm(stop: threading.Event) -> Callable[[], None]:
    """SIGTERM (``docker stop``, systemd, Kubernetes) stops ``serve`` like Ctrl-C: running investigations are
    marked interrupted and resume on the next start. Returns the function restoring the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    return lambda: signal.signal(signal.SIGTERM, previous)


def _resume_interrupted(stack: SlackStack) -> None:
    try:
        resumed = stack.service.resume_interrupted()
    except Exception:  # housekeeping: never keep the bot from serving
        log.warning("could not resume interrupted investigations", exc_info=True)
        return
    if resumed:
        sys.stderr.write(f"resuming {len(resumed)} interrupted investigation(s): {', '.join(resumed)}\n")


def cmd_serve(args: argparse.Namespace) -> int:
    return run_serve(args, os.environ)


def cmd_approvals(args: argparse.Namespace) -> int:
    from bot.store import Store

    from bot.commands import print_rows

    rows = Store.for_reading(args.db).list_approvals(args.investigation)
    table = [[r["decided_at"][:19].replace("T", " "), r["investigation_id"], r["script_id"], r["sha256"][:12],
              r["user_name"] or r["user_id"], r["decision"], r["outcome"]] for r in rows]
    print_rows(rows, args.format, "no approval decisions recorded yet", table,
               ["when (UTC)", "investigation", "script", "sha256", "user", "decision", "outcome"])
    if args.format == "json" or not rows:
        return 0
    sys.stdout.write("Recorded only: the bot never executes scripts.\n")
    return 0
