"""The Slack adapter: the only package that imports slack_sdk / slack_bolt.

``build_web_client`` (WebClient with retry handlers), ``SlackPoster`` (the
:class:`bot.slack_service.Poster` implementation), ``build_app`` (Bolt app with
signature verification and a global error handler) and the runners
(``run_socket_mode``, ``SlackHttpServer``).
"""
from .app import build_app
from .client import SlackPoster, build_web_client
from .runners import SlackHttpServer, SocketModeFailure, connect_socket_mode

__all__ = ["build_app", "build_web_client", "SlackPoster", "SlackHttpServer", "SocketModeFailure",
           "connect_socket_mode"]
