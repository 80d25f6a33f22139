"""The local AWS emulator: a moto ThreadedMotoServer on 127.0.0.1 with a free port."""
from __future__ import annotations

import logging
import socket

from moto.moto_api._internal.models import moto_api_backend
from moto.server import ThreadedMotoServer

from . import metric_index

log = logging.getLogger(__name__)

SANDBOX_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmulatorServer:
    """Start/stop a moto server; ``endpoint_url`` is where boto3 clients point."""

    def __init__(self, port: int | None = None):
        self.port = port or _free_port()
        self._server: ThreadedMotoServer | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "EmulatorServer":
        for noisy in ("werkzeug", "moto"):  # an emulator error reaches the bot as an AWS error: no traceback
            if not logging.getLogger(noisy).isEnabledFor(logging.DEBUG):
                logging.getLogger(noisy).setLevel(logging.CRITICAL)
        moto_api_backend.reset()  # moto's state is process-global: each emulator starts empty
        metric_index.install()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        log.info("AWS emulator listening on %s", self.endpoint_url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
