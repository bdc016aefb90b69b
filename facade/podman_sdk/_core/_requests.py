"""The requests a client sends for itself (its ping, which negotiation sends), built by their
generated endpoint modules, imported when first called (see `images._requests`)."""

from __future__ import annotations

from libpod_client.types import RequestArguments

#: What a generated ``request_kwargs`` returns: httpx's build_request arguments.
RequestKwargs = RequestArguments


def ping_request() -> RequestKwargs:
    from libpod_client.api.system_compat import system_ping

    return system_ping.request_kwargs()
