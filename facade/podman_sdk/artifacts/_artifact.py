"""`Artifact` and `AsyncArtifact`: one OCI artifact in the service's store and its
instance verbs. Their data (`ArtifactBase`) and the verbs' calls (``_calls``) are shared;
the twins differ only in awaiting the I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from podman_sdk._core._attached import Attached, ConnectionT
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.artifacts._calls import (
    artifact_model,
    extract_call,
    get_call,
    push_call,
    remove_call,
)
from podman_sdk.artifacts._types import ArtifactAttrs

if TYPE_CHECKING:
    from libpod_client.models import ArtifactInspectReport


class ArtifactBase(Attached[ConnectionT]):
    """An artifact's data, as both clients hand it out. ``Artifact(attrs)`` alone is
    detached: its data reads, its verbs raise `InvalidArgument`."""

    #: The server's data, in the documented shape.
    attrs: ArtifactAttrs

    def __init__(self, attrs: Mapping[str, object] | None = None) -> None:
        self.attrs = cast(ArtifactAttrs, dict(attrs or {}))
        self._model: ArtifactInspectReport | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("Artifact", self.name))

    @property
    def name(self) -> str:
        """The artifact's reference (``registry/repository:tag``)."""
        return self.attrs["Name"]

    @property
    def digest(self) -> str | None:
        """The manifest's digest; None for a list entry not inspected yet (`reload`)."""
        return self.attrs.get("Digest")

    @property
    def manifest(self) -> dict[str, object] | None:
        """The OCI image manifest; its ``layers`` are the artifact's files."""
        return self.attrs["Manifest"]

    @property
    def model(self) -> ArtifactInspectReport:
        """``attrs`` as the generated typed model, checked on first use
        (`MalformedAnswerError` for data not as the spec says, or a list entry without
        the Digest that inspect adds: `reload` first)."""
        if self._model is None:
            self._model = artifact_model(self.attrs, f"artifact {self.name}", self._endpoint())
        return self._model

    def _store(self, attrs: ArtifactAttrs) -> None:
        self.attrs = attrs
        self._model = None


class Artifact(ArtifactBase[Connection]):
    """An OCI artifact. ``attrs`` holds the server's data in the documented
    `ArtifactAttrs` shape; `model` gives the generated typed model behind it."""

    def reload(self) -> None:
        """Refresh ``attrs``: GET /libpod/artifacts/{name}/json. Raises `NotFound`."""
        self._store(perform(self._api(), get_call(self.name)))

    def remove(self) -> list[str]:
        """DELETE /libpod/artifacts/{name}: the digests removed. Raises `NotFound`."""
        return perform(self._api(), remove_call([self.name], False, False))

    def extract(
        self, *, title: str | None = None, digest: str | None = None, exclude_title: bool = False
    ) -> bytes:
        """GET /libpod/artifacts/{name}/extract: a tar archive of its files."""
        return perform(self._api(), extract_call(self.name, title, digest, exclude_title))

    def push(
        self,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> str:
        """POST /libpod/artifacts/{name}/push: the digest pushed."""
        call = push_call(self.name, tls_verify, retry, retry_delay, auth_config)
        return perform(self._api(), call)


class AsyncArtifact(ArtifactBase[AsyncConnection]):
    """An artifact from an `AsyncPodmanClient`: `Artifact`'s data and verbs, awaited."""

    async def reload(self) -> None:
        """`Artifact.reload`: GET /libpod/artifacts/{name}/json."""
        self._store(await perform_async(self._api(), get_call(self.name)))

    async def remove(self) -> list[str]:
        """`Artifact.remove`: DELETE /libpod/artifacts/{name}."""
        return await perform_async(self._api(), remove_call([self.name], False, False))

    async def extract(
        self, *, title: str | None = None, digest: str | None = None, exclude_title: bool = False
    ) -> bytes:
        """`Artifact.extract`: GET /libpod/artifacts/{name}/extract."""
        return await perform_async(
            self._api(), extract_call(self.name, title, digest, exclude_title)
        )

    async def push(
        self,
        *,
        tls_verify: bool = True,
        retry: int | None = None,
        retry_delay: str | None = None,
        auth_config: Mapping[str, str] | None = None,
    ) -> str:
        """`Artifact.push`: POST /libpod/artifacts/{name}/push."""
        call = push_call(self.name, tls_verify, retry, retry_delay, auth_config)
        return await perform_async(self._api(), call)
