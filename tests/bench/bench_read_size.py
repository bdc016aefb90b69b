"""Read rate of a large response over a Unix socket: httpx defaults vs build_transport,
through httpcore and h11 and through the bulk path exports take (``_bulk_read``).

Starts its own tiny HTTP server (a child process) on a socket in a temporary
directory, serving SIZE_MIB of zeros, chunked in 32 KiB pieces like podman's
export (default) or with a Content-Length, and downloads it several times with
each transport. Prints the medians and the ratio.

    .venv/bin/python tests/bench/bench_read_size.py [SIZE_MIB] [RUNS] [chunked|length] [sweep]

``sweep`` adds build_transport at several read sizes.
"""

from __future__ import annotations

import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from podman_sdk._transport import UnixEndpoint, build_transport
from podman_sdk._transport.bulk_read import BULK_READ

CHUNK = b"\0" * (1024 * 1024)
WRITE_SIZE = 32 * 1024
SWEEP_KIB = (64, 128, 256, 384, 512, 768, 1024)


def serve(path: str, size_mib: int, chunked: bool) -> None:
    """Answer every request on ``path`` with ``size_mib`` MiB; keep-alive.

    Like podman's export, the body is chunked (no Content-Length), in 32 KiB
    chunks: Go's io.Copy writes 32 KiB at a time and each write becomes a chunk.
    With ``chunked`` False it sends a Content-Length and raw 1 MiB writes.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(8)
    framing = (
        "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size_mib * len(CHUNK)}"
    )
    header = f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n{framing}\r\n\r\n"
    piece = b"\0" * WRITE_SIZE
    framed = b"%x\r\n" % len(piece) + piece + b"\r\n"
    block = framed * (len(CHUNK) // WRITE_SIZE) if chunked else CHUNK
    trailer = b"0\r\n\r\n" if chunked else b""
    while True:
        conn, _ = listener.accept()
        with conn:
            buffered = b""
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                buffered += data
                while b"\r\n\r\n" in buffered:
                    _, buffered = buffered.split(b"\r\n\r\n", 1)
                    conn.sendall(header.encode())
                    for _ in range(size_mib):
                        conn.sendall(block)
                    conn.sendall(trailer)


def download(transport: httpx.BaseTransport, base_url: str, bulk: bool) -> tuple[float, int]:
    with httpx.Client(transport=transport, base_url=base_url, trust_env=False) as client:
        started = time.perf_counter()
        total = 0
        request = client.build_request("GET", "/blob", extensions={BULK_READ: bulk})
        response = client.send(request, stream=True)
        try:
            for chunk in response.iter_raw():
                total += len(chunk)
        finally:
            response.close()
        return time.perf_counter() - started, total


Contender = tuple[httpx.BaseTransport, str, bool]


def transports(path: str, sweep: bool) -> dict[str, Contender]:
    """Fresh transports, one per contender: httpx's default, ours through h11, ours on
    the bulk path, and the sweep."""
    made: dict[str, Contender] = {
        "httpx default": (httpx.HTTPTransport(uds=path), "http://d", False),
        "build_transport": (*build_transport(UnixEndpoint(path)), False),
        "bulk read": (*build_transport(UnixEndpoint(path)), True),
    }
    for kib in SWEEP_KIB if sweep else ():
        transport, base = build_transport(UnixEndpoint(path), unix_read_size=kib * 1024)
        made[f"read {kib} KiB"] = (transport, base, False)
    return made


def main() -> None:
    size_mib = int(sys.argv[1]) if len(sys.argv) > 1 else 512
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    chunked = (sys.argv[3] if len(sys.argv) > 3 else "chunked") == "chunked"
    sweep = "sweep" in sys.argv[4:]
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sock")
        server = multiprocessing.Process(target=serve, args=(path, size_mib, chunked), daemon=True)
        server.start()
        try:
            while not Path(path).exists():
                time.sleep(0.01)
            rates: dict[str, list[float]] = {}
            for _ in range(runs):
                # Alternate contenders within each run: the machine's noise drifts.
                for name, (transport, base, bulk) in transports(path, sweep).items():
                    seconds, total = download(transport, base, bulk)
                    assert total == size_mib * len(CHUNK), total
                    rates.setdefault(name, []).append(size_mib / seconds)
            for name, values in rates.items():
                runs_text = ", ".join(f"{value:.0f}" for value in values)
                print(f"{name:16} median {statistics.median(values):6.0f} MiB/s  ({runs_text})")
            default = statistics.median(rates["httpx default"])
            for name in ("build_transport", "bulk read"):
                ratio = statistics.median(rates[name]) / default
                print(f"ratio {name} / httpx default: {ratio:.2f}")
        finally:
            server.terminate()
            server.join()


if __name__ == "__main__":
    main()
