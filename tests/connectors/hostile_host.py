"""A host that reads each request and answers it as a test or a benchmark says: one byte at a
time, without end, or not at all. A real socket on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from typing import Any


class HostileHost:
    """Reads each request, then answers it with `answer(connection)`; counts connections."""

    def __init__(self, answer: Any) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.sent = 0
        self._answer = answer
        self._closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                data = connection.recv(65536)
                if not data:
                    return
                request += data
            try:
                self._answer(self, connection)
            except OSError:
                return  # the client hung up: what a bounded client does

    def send(self, connection: socket.socket, data: bytes) -> None:
        connection.sendall(data)
        self.sent += len(data)

    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()
        self.server.close()
