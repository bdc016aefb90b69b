"""Request extensions the SDK's transports read."""

#: Marks a large download without a request body: a Unix-socket transport reads it on a
#: connection of its own, past httpx's HTTP/1.1 parser (``bulk_read``).
BULK_READ = "podman_sdk.bulk_read"
