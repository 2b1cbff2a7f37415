"""A real SMTP server on loopback that keeps what it receives (aiosmtpd), for the tests and the
benchmarks: the outbox talks to it through Django's own SMTP backend, as to a clinic's server."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy
from email.message import Message


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        self.sink.add(envelope.rcpt_tos, envelope.original_content or envelope.content)
        return "250 OK"


class SmtpSink:
    """Start with `start()`, stop with `stop()`; `messages` holds (recipients, raw bytes)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[tuple[list[str], bytes]] = []
        self._lock = threading.Lock()
        self._controller = None

    def add(self, recipients, raw: bytes) -> None:
        with self._lock:
            self.messages.append((list(recipients), raw))

    def parsed(self) -> list[Message]:
        with self._lock:
            return [message_from_bytes(raw, policy=policy.default) for _, raw in self.messages]

    def message_ids(self) -> list[str]:
        """Return the Message-ID of every message received, in order (cheap: headers only)."""
        ids = []
        with self._lock:
            raws = [raw for _, raw in self.messages]
        for raw in raws:
            head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
            for line in head.splitlines():
                if line[:11].lower() == b"message-id:":
                    ids.append(line[11:].strip().decode())
                    break
        return ids

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
