"""Request extensions the SDK's transports read."""

#: Marks a large download without a request body: a Unix-socket transport reads it on a
#: connection of its own, past httpx's HTTP/1.1 parser (``bulk_read``).
BULK_READ = "podman_sdk.bulk_read"

#: The generated client's mark on a streamed raw answer (``libpod_client._streams.RAW_BODY``:
#: an export, an archive). A Unix-socket transport reads it as a `BULK_READ` when the
#: request has no body; measured on a 1 GiB export: 0.78x curl through h11, at least
#: curl's pace past it (tests/bench/bench_streams.py).
RAW_BODY = "libpod_client.raw_body"
