"""The local AWS emulator: a moto ThreadedMotoServer on 127.0.0.1 with a free port."""
from __future__ import annotations

import logging
import socket

from moto.moto_api._internal.models import moto_api_backend
from moto.moto_server.threaded_moto_server import (DomainDispatcherApplication, MotoRequestHandler,
                                                   ThreadedMotoServer, create_backend_app, make_server)

from . import metric_index

log = logging.getLogger(__name__)

SANDBOX_CREDENTIALS = {"aws_access_key_id": "sandbox", "aws_secret_access_key": "sandbox"}


class _OwnSocketMotoServer(ThreadedMotoServer):
    """moto's threaded server on a socket this process bound and listens on before the server starts: with
    "find a free port, then bind it", another process starting an emulator at the same moment could take the
    port in between, and this process's clients would talk to that emulator (its scenario, not ours)."""

    def __init__(self, sock: socket.socket):
        super().__init__(ip_address="127.0.0.1", port=int(sock.getsockname()[1]), verbose=False)
        self._socket = sock
        self.failure: BaseException | None = None

    def _server_entry(self) -> None:
        try:
            app = DomainDispatcherApplication(create_backend_app)
            self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler,
                                       fd=self._socket.fileno())
        except BaseException as exc:  # werkzeug exits on a bind problem: report it instead of hanging start()
            self.failure = exc
            self._server_ready_event.set()
            return
        self._server_ready_event.set()
        self._server.serve_forever()


class EmulatorServer:
    """Start/stop a moto server on a port of its own; ``endpoint_url`` is where boto3 clients point."""

    def __init__(self, port: int | None = None):
        """``port``: a fixed port (default: any free one, bound before the server starts)."""
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if port:
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port or 0))
        self.port = int(self._socket.getsockname()[1])
        self._server: _OwnSocketMotoServer | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "EmulatorServer":
        for noisy in ("werkzeug", "moto"):  # an emulator error reaches the bot as an AWS error: no traceback
            if not logging.getLogger(noisy).isEnabledFor(logging.DEBUG):
                logging.getLogger(noisy).setLevel(logging.CRITICAL)
        moto_api_backend.reset()  # moto's state is process-global: each emulator starts empty
        metric_index.install()
        self._socket.listen(128)
        self._server = _OwnSocketMotoServer(self._socket)
        self._server.start()
        if self._server.failure is not None:
            raise RuntimeError(f"the AWS emulator could not start: {self._server.failure!r}")
        log.info("AWS emulator listening on %s", self.endpoint_url)
        return self

    def stop(self) -> None:
        if self._server is not None:
            inner = self._server._server
            self._server.stop()
            if inner is not None:
                inner.server_close()  # its duplicate of our socket
            self._server = None
        self._socket.close()

    def __enter__(self) -> "EmulatorServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
