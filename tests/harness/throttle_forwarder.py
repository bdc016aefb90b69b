"""The forwarder `tests.harness.throttle` runs: ``python throttle_forwarder.py
UPSTREAM_PORT RATE MARKER`` prints the port it listens on (127.0.0.1) and forwards there
to UPSTREAM_PORT, at most RATE bytes a second each way per connection, until killed.
Standard library only: it runs as a script. MARKER only names the process (its PID file
says which registry it belongs to)."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time

PIECE = 64 * 1024


def _pump(source: socket.socket, sink: socket.socket, rate: float) -> None:
    try:
        while data := source.recv(PIECE):
            sink.sendall(data)
            time.sleep(len(data) / rate)
    except OSError:
        pass
    # One side ended: end both, as a dead registry's connections end.
    for sock in (source, sink):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _connect(client: socket.socket, upstream: int, rate: float) -> None:
    try:
        server = socket.create_connection(("127.0.0.1", upstream), timeout=10)
    except OSError:
        client.close()  # the registry is gone: so is this connection
        return
    server.settimeout(None)
    back = threading.Thread(target=_pump, args=(server, client, rate), daemon=True)
    back.start()
    _pump(client, server, rate)
    back.join()
    client.close()
    server.close()


def serve(upstream: int, rate: float) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=_connect, args=(client, upstream, rate), daemon=True).start()


if __name__ == "__main__":
    serve(int(sys.argv[1]), float(sys.argv[2]))
