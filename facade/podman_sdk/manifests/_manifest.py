"""`Manifest` and `AsyncManifest`: one manifest list and its instance verbs (podman-py's
names). Their data (`ManifestBase`) and the verbs' calls (``_calls``) are shared; the
twins differ only in awaiting the I/O."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.manifests import _calls as calls
from podman_sdk.manifests._types import ManifestAttrs

if TYPE_CHECKING:
    from libpod_client.models import Schema2ListPublic

    from podman_sdk.images._image import AsyncImage, Image


class ManifestBase(Attached[ConnectionT]):
    """A manifest list's data, as both clients hand it out, and the connection of the
    client that did. ``Manifest(attrs)`` alone is detached: its data reads, its verbs
    raise `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: ManifestAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(ManifestAttrs, dict(attrs or {}))
        self._model: Schema2ListPublic | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("Manifest", self.id))

    @property
    def id(self) -> str:
        """podman-py's id: the digest (without ``sha256:``) of the list's first entry,
        or the name for an empty list."""
        entries = self.attrs.get("manifests") or []
        if entries:
            return entries[0]["digest"].removeprefix("sha256:")
        return self.name

    @property
    def short_id(self) -> str:
        """The first 12 characters of `id`, as podman-py gives them."""
        return self.id[:12]

    @property
    def name(self) -> str:
        """The name the list was asked for (``attrs["names"]``)."""
        return self.attrs["names"]

    @property
    def names(self) -> str:
        """podman-py's ``names``: the same str as `name` (documented as a list there,
        returned as the name)."""
        return self.name

    @property
    def quoted_name(self) -> str:
        """`name` quoted for a URL path, as podman-py's ``quote_plus`` gives it."""
        return urllib.parse.quote_plus(self.name)

    @property
    def media_type(self) -> str:
        """The list's media type (an OCI index or a Docker manifest list)."""
        return self.attrs["mediaType"]

    @property
    def version(self) -> int:
        """The schema version (2)."""
        return self.attrs["schemaVersion"]

    @property
    def model(self) -> Schema2ListPublic:
        """``attrs`` as the generated typed model, checked field by field on first use
        (`MalformedAnswerError` when the server's data is not what the spec says)."""
        if self._model is None:
            self._model = calls.manifest_model(
                self.attrs, f"manifest list {self.name}", self._endpoint()
            )
        return self._model

    def _store(self, attrs: ManifestAttrs, model: Schema2ListPublic | None) -> None:
        self.attrs = attrs
        self._model = model


class Manifest(ManifestBase[Connection]):
    """A manifest list (image index). ``attrs`` holds the server's data in the
    documented `ManifestAttrs` shape; `model` gives the generated typed model."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/manifests/{name}/json. Raises `NotFound`."""
        self._store(*perform(self._api(), calls.get_call(self.name)))

    def add(
        self,
        images: Sequence[Image | str],
        *,
        all: bool | None = None,
        annotation: Mapping[str, str] | None = None,
        arch: str | None = None,
        features: Sequence[str] | None = None,
        os: str | None = None,
        os_version: str | None = None,
        variant: str | None = None,
        tls_verify: bool | None = None,
    ) -> None:
        """PUT /libpod/manifests/{name}: add ``images`` (an `Image` by its first tag;
        a name without a transport is read from its registry), then reload.
        ``tls_verify`` (beyond podman-py): False reaches a registry without TLS
        verification. Raises `ImageNotFound`, `APIError`."""
        call = calls.add_call(
            self.name,
            images,
            all=all,
            annotation=annotation,
            arch=arch,
            features=features,
            os=os,
            os_version=os_version,
            variant=variant,
            tls_verify=tls_verify,
        )
        perform(self._api(), call)
        self.reload()

    def remove(self, digest: str) -> None:
        """PUT /libpod/manifests/{name}: remove the entry of ``digest`` (a reference's
        digest is taken from after its ``@``), then reload. Raises `ImageNotFound`."""
        perform(self._api(), calls.remove_digest_call(self.name, digest))
        self.reload()

    def push(
        self,
        destination: str,
        all: bool | None = None,
        *,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool | None = None,
    ) -> None:
        """POST /libpod/manifests/{name}/registry/{destination}: push the list (with
        ``all``, every image it names too), read as the stream the server writes.
        Raises `PushError` for a failure the server reports, even under HTTP 200
        (`PushNotFound` for a missing list)."""
        from podman_sdk.images._registry_ops import run_to_end

        operation = calls.push_operation(self.name, destination, all, auth_config, tls_verify)
        run_to_end(self._api(), operation)


class AsyncManifest(ManifestBase[AsyncConnection]):
    """A manifest list from an `AsyncPodmanClient`: `Manifest`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Manifest.reload`: GET /libpod/manifests/{name}/json. Raises `NotFound`."""
        self._store(*await perform_async(self._api(), calls.get_call(self.name)))

    async def add(
        self,
        images: Sequence[AsyncImage | str],
        *,
        all: bool | None = None,
        annotation: Mapping[str, str] | None = None,
        arch: str | None = None,
        features: Sequence[str] | None = None,
        os: str | None = None,
        os_version: str | None = None,
        variant: str | None = None,
        tls_verify: bool | None = None,
    ) -> None:
        """`Manifest.add`: PUT /libpod/manifests/{name}, then reload."""
        call = calls.add_call(
            self.name,
            images,
            all=all,
            annotation=annotation,
            arch=arch,
            features=features,
            os=os,
            os_version=os_version,
            variant=variant,
            tls_verify=tls_verify,
        )
        await perform_async(self._api(), call)
        await self.reload()

    async def remove(self, digest: str) -> None:
        """`Manifest.remove`: PUT /libpod/manifests/{name}, then reload."""
        await perform_async(self._api(), calls.remove_digest_call(self.name, digest))
        await self.reload()

    async def push(
        self,
        destination: str,
        all: bool | None = None,
        *,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool | None = None,
    ) -> None:
        """`Manifest.push`: POST /libpod/manifests/{name}/registry/{destination}, the
        stream read to its end. Raises `PushError`."""
        from podman_sdk.images._registry_ops import async_run_to_end

        operation = calls.push_operation(self.name, destination, all, auth_config, tls_verify)
        await async_run_to_end(self._api(), operation)
