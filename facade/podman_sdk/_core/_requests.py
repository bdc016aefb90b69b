"""The requests a client sends for itself (ping, version, info), built by their
generated endpoint modules, imported when first called (see `images._requests`)."""

from __future__ import annotations

from libpod_client.types import RequestArguments

#: What a generated ``request_kwargs`` returns: httpx's build_request arguments.
RequestKwargs = RequestArguments


def ping_request() -> RequestKwargs:
    from libpod_client.api.system_compat import system_ping

    return system_ping.request_kwargs()


def version_request() -> RequestKwargs:
    from libpod_client.api.system import system_version_libpod

    return system_version_libpod.request_kwargs()


def info_request() -> RequestKwargs:
    from libpod_client.api.system import system_info_libpod

    return system_info_libpod.request_kwargs()
