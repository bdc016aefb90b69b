"""A real HTTP/1.1 server on a Unix socket (or TCP) that can be slow on purpose: it waits
before sending headers, and can stall in the middle of a chunked body; or it plays
exact bytes (`RawScript`), to put malformed or cut responses on a real socket. Runs in
a thread; tests use it to prove the client's timeouts and framing checks."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

PIECE = 32 * 1024  # podman sends exports in 32 KiB chunks


@dataclass(frozen=True)
class Script:
    """What every response does: wait ``header_delay`` seconds, send ``before_stall``
    bytes of body, wait ``stall`` seconds, send ``after_stall`` more bytes, end."""

    header_delay: float = 0.0
    before_stall: int = 0
    stall: float = 0.0
    after_stall: int = 0

    def body(self) -> bytes:
        return body_bytes(self.before_stall + self.after_stall)


@dataclass(frozen=True)
class RawScript:
    """What every response does, byte for byte: send each bytes item, sleep for each
    float (seconds), then close the connection."""

    steps: tuple[bytes | float, ...]


def body_bytes(size: int) -> bytes:
    """A deterministic body, so a test can compare what it received."""
    pattern = bytes(range(251))  # a prime length: chunk boundaries never line up with it
    return (pattern * (size // len(pattern) + 1))[:size]


class StallServer:
    """Serve ``script`` on ``path`` until closed; use as a context manager."""

    def __init__(self, path: Path | None, script: Script | RawScript) -> None:
        """Listen on the Unix socket ``path``, or with None on a free TCP port of
        127.0.0.1 (`url` says where)."""
        self.path = path
        self.script = script
        self.requests: list[bytes] = []  # each request's head, as received
        self.request_seen = threading.Event()  # set once a request's head is in
        self.sends_refused = 0  # RawScript sends that failed: the client had hung up
        self.accepted = 0  # connections
        self._closing = threading.Event()
        if path is None:
            self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._listener.bind(("127.0.0.1", 0))
            self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        else:
            self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._listener.bind(str(path))
            self.url = f"unix://{path}"
        self._listener.listen(4)
        self._listener.settimeout(0.05)
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            self.requests.append(head.split(b"\r\n\r\n", 1)[0])
            self.request_seen.set()
            if isinstance(self.script, RawScript):
                self._play(conn, self.script)
                return
            body = self.script.body()
            try:
                if self._closing.wait(self.script.header_delay):
                    return
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\n"
                    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                )
                self._send_chunks(conn, body[: self.script.before_stall])
                if self._closing.wait(self.script.stall):
                    return
                self._send_chunks(conn, body[self.script.before_stall :])
                conn.sendall(b"0\r\n\r\n")
            except OSError:
                return  # the client gave up: that is what the tests provoke

    def _play(self, conn: socket.socket, script: RawScript) -> None:
        try:
            for step in script.steps:
                if isinstance(step, bytes):
                    conn.sendall(step)
                elif self._closing.wait(step):
                    return
        except OSError:
            self.sends_refused += 1

    @staticmethod
    def _send_chunks(conn: socket.socket, data: bytes) -> None:
        for start in range(0, len(data), PIECE):
            piece = data[start : start + PIECE]
            conn.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")

    def close(self) -> None:
        self._closing.set()
        self._listener.close()
        self._acceptor.join()
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> StallServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
