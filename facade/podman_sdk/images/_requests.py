"""The requests of the local image verbs and of the system calls, each built by its
generated endpoint module, as pure functions shared by every client.

Each function imports its endpoint module when first called: an endpoint module brings
its models, and importing the twenty the facade uses cost more than `import httpx`
itself (tests/bench/bench_startup.py measures it).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TypeVar

from libpod_client.types import UNSET, File, Unset

from podman_sdk._core._requests import RequestKwargs

#: podman-py's export format.
ARCHIVE_FORMAT = "docker-archive"


def inspect_request(name: str, *, compatible: bool = False) -> RequestKwargs:
    """GET /libpod/images/{name}/json, or Docker's GET /images/{name}/json."""
    if compatible:
        from libpod_client.api.images_compat import image_inspect

        return image_inspect.request_kwargs(name)
    from libpod_client.api.images import image_inspect_libpod

    return image_inspect_libpod.request_kwargs(name)


def exists_request(name: str) -> RequestKwargs:
    from libpod_client.api.images import image_exists_libpod

    return image_exists_libpod.request_kwargs(name)


#: libpod's ``filters``: each filter name with its values (sent as JSON).
FilterValues = Mapping[str, Sequence[str]]


def list_request(all_: bool, filters: FilterValues | None) -> RequestKwargs:
    from libpod_client.api.images import image_list_libpod

    return image_list_libpod.request_kwargs(all_=all_, filters=_given(filters))


def prune_request(all_: bool, external: bool, filters: FilterValues | None) -> RequestKwargs:
    from libpod_client.api.images import image_prune_libpod

    return image_prune_libpod.request_kwargs(all_=all_, external=external, filters=_given(filters))


def history_request(image_id: str) -> RequestKwargs:
    from libpod_client.api.images import image_history_libpod

    return image_history_libpod.request_kwargs(image_id)


def tag_request(image_id: str, repository: str, tag: str) -> RequestKwargs:
    from libpod_client.api.images import image_tag_libpod

    return image_tag_libpod.request_kwargs(image_id, repo=repository, tag=tag)


def untag_request(image_id: str, repository: str | None, tag: str | None) -> RequestKwargs:
    """One tag, or every tag with ``repository`` None."""
    from libpod_client.api.images import image_untag_libpod

    return image_untag_libpod.request_kwargs(image_id, repo=_given(repository), tag=_given(tag))


def remove_request(name: str, *, force: bool, noprune: bool) -> RequestKwargs:
    """DELETE /libpod/images/{name}; with ``noprune`` the Docker-compatible route, the
    only one that can keep untagged parents."""
    if noprune:
        from libpod_client.api.images_compat import image_delete

        return image_delete.request_kwargs(name, force=force, noprune=True)
    from libpod_client.api.images import image_delete_libpod

    return image_delete_libpod.request_kwargs(name, force=force)


def export_request(name: str) -> RequestKwargs:
    """GET /libpod/images/{name}/get as a docker-archive (podman-py's format)."""
    from libpod_client.api.images import image_get_libpod

    return image_get_libpod.request_kwargs(name, format_=ARCHIVE_FORMAT)


def load_request() -> RequestKwargs:
    """POST /libpod/images/load; the builder wants a file, which the stream that sends
    it replaces with the caller's blocks."""
    from libpod_client.api.images import image_load_libpod

    return image_load_libpod.request_kwargs(body=File(payload=io.BytesIO()))


_T = TypeVar("_T")


def _given(value: _T | None) -> _T | Unset:
    return UNSET if value is None else value
