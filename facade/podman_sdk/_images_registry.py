"""The registry verbs of `ImagesManager`: pull, push, search, build and registry data.

A mixin: `ImagesManager` provides ``self._session`` (the `Session`), ``self.client`` and
``self.get(name)``. Pull, push and build stream with httpx through `Session.stream`
(long wait for the first byte, idle timeout after) and read their progress with
`iter_progress`: an ``error`` value raises even under HTTP 200, and an error status
raises in the session's hook with the server's message. Arguments are checked by the
pure functions of `_registry_requests` before any request.
"""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING, Any, Literal, TypeVar, cast, overload
from urllib.parse import quote

from libpod_client.api.images import image_search_libpod
from libpod_client.api.manifests import manifest_inspect_libpod

from podman_sdk._build_context import BuildContext, context_from_directory, context_from_dockerfile
from podman_sdk._errors import (
    APIError,
    BuildError,
    ImageNotFound,
    InvalidArgument,
    NotFound,
    PodmanError,
)
from podman_sdk._filters import Filters
from podman_sdk._json_stream import Transcript
from podman_sdk._progress import (
    BuildLogLine,
    BuildStream,
    Outcome,
    PullError,
    PullNotFound,
    PullProgress,
    PullStream,
    PushError,
    PushProgress,
    PushResult,
    PushStream,
    build_image_id,
    iter_progress,
    pulled_image_ids,
)
from podman_sdk._reference import parse_reference
from podman_sdk._registry_auth import registry_auth_headers
from podman_sdk._registry_data import (
    RegistryData,
    attrs_from_list,
    attrs_from_manifest,
    manifest_in_refusal,
)
from podman_sdk._registry_requests import (
    SearchResult,
    build_params,
    pull_params,
    push_name,
    push_params,
    search_params,
    search_result,
)

if TYPE_CHECKING:
    import httpx

    from podman_sdk._client import PodmanClient
    from podman_sdk._image import Image
    from podman_sdk._session import Session

# SearchResult is re-exported: the CLI imports it from here.
__all__ = ["RegistryOperations", "SearchResult"]

T = TypeVar("T")
PullCallback = Callable[[PullProgress], None]
PushCallback = Callable[[PushProgress], None]
BuildCallback = Callable[[BuildLogLine], None]


class RegistryOperations:
    """pull, push, search, build, get_registry_data (see each method)."""

    if TYPE_CHECKING:
        _session: Session
        client: PodmanClient | None

        def get(self, name: str) -> Image: ...

    # -- pull ---------------------------------------------------------------------------

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: Literal[False] = False,
        *,
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: Literal[False] = False,
        decode: bool = False,
        progress: PullCallback | None = None,
    ) -> Image: ...

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None,
        all_tags: Literal[True],
        *,
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: Literal[False] = False,
        decode: bool = False,
        progress: PullCallback | None = None,
    ) -> builtins.list[Image]: ...

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        *,
        all_tags: Literal[True],
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: Literal[False] = False,
        decode: bool = False,
        progress: PullCallback | None = None,
    ) -> builtins.list[Image]: ...

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: Literal[True],
        decode: Literal[False] = False,
        progress: PullCallback | None = None,
    ) -> PullStream[bytes]: ...

    @overload
    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: Literal[True],
        decode: Literal[True],
        progress: PullCallback | None = None,
    ) -> PullStream[PullProgress]: ...

    def pull(
        self,
        repository: str,
        tag: str | None = None,
        all_tags: bool = False,
        *,
        platform: str | None = None,
        policy: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        stream: bool = False,
        decode: bool = False,
        progress: PullCallback | None = None,
    ) -> Image | builtins.list[Image] | PullStream[bytes] | PullStream[PullProgress]:
        """POST /libpod/images/pull: pull ``repository[:tag]`` ("latest" without tag or
        digest; ``name@sha256:...`` by digest), or every tag with ``all_tags=True``.

        Returns the pulled `Image` (looked up by the full id the server reports), a
        list with ``all_tags``, or with ``stream=True`` a `PullStream` of each progress
        value's bytes (``decode=True``: `PullProgress` dicts). ``progress`` is called
        with every event as it arrives. ``platform`` is "os[/arch[/variant]]";
        ``policy`` one of "always", "missing", "never", "newer"; ``auth_config``
        {"username", "password"} for this request only.

        Raises:
            PullError: the server reported a failure (even under HTTP 200: missing tag or
                repository, unreachable registry, refused credentials, TLS), or the
                stream ended without reporting an image.
            PullNotFound: a 404 with the server's message (Podman 5 answers some
                failures that way); both a `PullError` and an `ImageNotFound`.
            APIError: another error status. InvalidArgument: bad arguments (before
                any request).
        """
        params = pull_params(
            repository, tag, all_tags, platform=platform, policy=policy, tls_verify=tls_verify
        )
        headers = registry_auth_headers(auth_config)
        reference = cast(str, params["reference"])
        outcome = Outcome()
        stack = ExitStack()
        with stack:
            try:
                response = stack.enter_context(
                    self._session.stream(
                        "POST", "/libpod/images/pull", params=params, headers=headers
                    )
                )
            except ImageNotFound as exc:
                raise PullNotFound(exc, reference) from exc
            owned = stack.pop_all()
        events = self._pull_events(response, reference, outcome, progress, owned)
        if stream:
            items: Generator[Any, None, None] = (
                (event for event, _ in events) if decode else (raw for _, raw in events)
            )
            return PullStream(_closing(items, events), outcome, owned.close)
        for _ in events:
            pass
        images = [self.get(image_id) for image_id in outcome.image_ids]
        return images if all_tags else images[-1]

    def _pull_events(
        self,
        response: httpx.Response,
        reference: str,
        outcome: Outcome,
        progress: PullCallback | None,
        stack: ExitStack,
    ) -> Generator[tuple[PullProgress, bytes], None, None]:
        transcript = Transcript()
        with stack:

            def fail(message: str, lines: builtins.list[str]) -> PullError:
                return PullError(f"pull {reference}: {message}", reference, lines)

            for event, raw in iter_progress(self._session.iter_body(response), fail):
                transcript.append(raw.decode("utf-8", errors="replace"))
                ids = pulled_image_ids(event)
                if ids is not None:
                    outcome.image_ids = ids
                typed = cast(PullProgress, event)
                if progress is not None:
                    progress(typed)
                yield typed, raw
        if not outcome.image_ids:
            raise PullError(
                f"pull {reference}: the stream ended without reporting the pulled image",
                reference,
                transcript,
            )

    # -- push ---------------------------------------------------------------------------

    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        destination: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        format: str | None = None,
        stream: Literal[False] = False,
        decode: bool = False,
        progress: PushCallback | None = None,
    ) -> PushResult: ...

    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        destination: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        format: str | None = None,
        stream: Literal[True],
        decode: Literal[False] = False,
        progress: PushCallback | None = None,
    ) -> PushStream[str]: ...

    @overload
    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        destination: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        format: str | None = None,
        stream: Literal[True],
        decode: Literal[True],
        progress: PushCallback | None = None,
    ) -> PushStream[PushProgress]: ...

    def push(
        self,
        repository: str,
        tag: str | None = None,
        *,
        destination: str | None = None,
        auth_config: Mapping[str, str] | None = None,
        tls_verify: bool = True,
        format: str | None = None,
        stream: bool = False,
        decode: bool = False,
        progress: PushCallback | None = None,
    ) -> PushResult | PushStream[str] | PushStream[PushProgress]:
        """POST /libpod/images/{name}/push: push the local image ``repository[:tag]``
        (or an image id) to ``destination`` (default: its own name).

        Returns the server's own progress: a `PushResult` (a str, one JSON value a
        line, with ``manifest_digest``), or with ``stream=True`` a `PushStream` of each
        value as a str (``decode=True``: `PushProgress` dicts). ``progress`` is called
        with every event. ``format`` is "oci", "v2s1" or "v2s2". The digest comes from
        the server (Podman 5); on Podman 4, which does not report it, the non-streaming
        push asks the registry through the service and leaves None if it cannot.
        Bounded by the idle timeout, not the call timeout.

        Raises:
            PushError: the server reported a failure (unreachable registry, refused
                credentials, unknown image), even under HTTP 200.
            APIError: an error status. InvalidArgument: bad arguments.
        """
        name = push_name(repository, tag)
        params = push_params(destination, tls_verify, format)
        headers = registry_auth_headers(auth_config)
        outcome = Outcome()
        stack = ExitStack()
        with stack:
            response = stack.enter_context(
                self._session.stream(
                    "POST",
                    f"/libpod/images/{quote(name, safe='')}/push",
                    params=params,
                    headers=headers,
                )
            )
            owned = stack.pop_all()
        events = self._push_events(response, name, outcome, progress, owned)
        if stream:
            items: Generator[Any, None, None] = (
                (event for event, _ in events)
                if decode
                else (raw.decode("utf-8", errors="replace") for _, raw in events)
            )
            return PushStream(_closing(items, events), outcome, owned.close)
        lines = [raw.decode("utf-8", errors="replace") for _, raw in events]
        digest = outcome.manifest_digest
        if digest is None:
            digest = self._remote_digest(destination or name, tls_verify)
        return PushResult("".join(line + "\n" for line in lines), digest)

    def _push_events(
        self,
        response: httpx.Response,
        name: str,
        outcome: Outcome,
        progress: PushCallback | None,
        stack: ExitStack,
    ) -> Generator[tuple[PushProgress, bytes], None, None]:
        with stack:

            def fail(message: str, lines: builtins.list[str]) -> PushError:
                return PushError(f"push {name}: {message}", name, lines)

            for event, raw in iter_progress(self._session.iter_body(response), fail):
                digest = event.get("manifestdigest")
                if isinstance(digest, str) and digest:
                    outcome.manifest_digest = digest
                typed = cast(PushProgress, event)
                if progress is not None:
                    progress(typed)
                yield typed, raw

    def _remote_digest(self, name: str, tls_verify: bool) -> str | None:
        try:
            return self.get_registry_data(name, tls_verify=tls_verify).id
        except PodmanError:
            return None

    # -- search -------------------------------------------------------------------------

    def search(
        self,
        term: str,
        *,
        limit: int | None = None,
        filters: Filters | None = None,
        list_tags: bool = False,
        tls_verify: bool = True,
    ) -> builtins.list[SearchResult]:
        """GET /libpod/images/search: repositories matching ``term`` on the registries
        (``"host:port/name"`` searches one registry), or with ``list_tags=True`` the
        tags of the repository ``term`` names (one result per tag). ``filters``:
        ``is-official``, ``is-automated``, ``stars``.

        Raises:
            ServerError: the registry could not be searched (the server's message says
                why: unreachable, TLS, credentials, unknown repository for list_tags).
            InvalidArgument: bad arguments.
        """
        arguments = search_params(term, limit, filters, list_tags)
        response = self._session.call_raw(
            lambda api: image_search_libpod.sync_detailed(
                client=api, tls_verify=tls_verify, **arguments
            )
        )
        entries: Any = json.loads(response.content or b"null")
        if entries is None:
            return []
        if not isinstance(entries, list):
            raise APIError(f"search from {self._session.endpoint}: expected a JSON array")
        return [search_result(entry) for entry in entries]

    # -- build --------------------------------------------------------------------------

    @overload
    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        dockerfile: str | None = None,
        tag: str | builtins.list[str] | None = None,
        buildargs: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        target: str | None = None,
        pull: bool | None = None,
        nocache: bool = False,
        rm: bool = True,
        forcerm: bool = False,
        platform: str | None = None,
        squash: bool | None = None,
        network_mode: str | None = None,
        shmsize: int | None = None,
        layers: bool | None = None,
        quiet: bool = False,
        stream: Literal[False] = False,
        progress: BuildCallback | None = None,
    ) -> tuple[Image, Iterator[BuildLogLine]]: ...

    @overload
    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        dockerfile: str | None = None,
        tag: str | builtins.list[str] | None = None,
        buildargs: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        target: str | None = None,
        pull: bool | None = None,
        nocache: bool = False,
        rm: bool = True,
        forcerm: bool = False,
        platform: str | None = None,
        squash: bool | None = None,
        network_mode: str | None = None,
        shmsize: int | None = None,
        layers: bool | None = None,
        quiet: bool = False,
        stream: Literal[True],
        progress: BuildCallback | None = None,
    ) -> BuildStream: ...

    def build(
        self,
        path: str | os.PathLike[str] | None = None,
        fileobj: bytes | str | IO[bytes] | IO[str] | None = None,
        *,
        dockerfile: str | None = None,
        tag: str | builtins.list[str] | None = None,
        buildargs: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
        target: str | None = None,
        pull: bool | None = None,
        nocache: bool = False,
        rm: bool = True,
        forcerm: bool = False,
        platform: str | None = None,
        squash: bool | None = None,
        network_mode: str | None = None,
        shmsize: int | None = None,
        layers: bool | None = None,
        quiet: bool = False,
        stream: bool = False,
        progress: BuildCallback | None = None,
    ) -> tuple[Image, Iterator[BuildLogLine]] | BuildStream:
        """POST /libpod/build from the directory ``path`` (streamed as a tar in bounded
        memory, honouring .containerignore / .dockerignore) or from ``fileobj``, a
        Containerfile as bytes, text or a file.

        ``dockerfile`` None finds Containerfile or Dockerfile in ``path``; a relative
        one is relative to ``path``; one outside it is sent inside the stream (nothing
        is written to disk). Returns ``(Image, log)`` like podman-py, where ``log``
        iterates `BuildLogLine` events; ``progress`` sees each event as it happens, and
        ``stream=True`` returns a `BuildStream` of them instead (then ``.image()``).

        Raises:
            BuildError: a step failed (the server's message; ``build_log`` holds the
                events so far), or the build ended without an image id.
            APIError: an error status. InvalidArgument: bad arguments.
        """
        context = _build_context(path, fileobj, dockerfile)
        params = build_params(
            context.dockerfile,
            tag=tag,
            buildargs=buildargs,
            labels=labels,
            target=target,
            pull=pull,
            nocache=nocache,
            rm=rm,
            forcerm=forcerm,
            platform=platform,
            squash=squash,
            network_mode=network_mode,
            shmsize=shmsize,
            layers=layers,
            quiet=quiet,
        )
        outcome = Outcome()
        stack = ExitStack()
        with stack:
            response = stack.enter_context(
                self._session.stream(
                    "POST",
                    "/libpod/build",
                    params=params,
                    headers={"Content-Type": "application/x-tar"},
                    content=context.chunks(),
                )
            )
            owned = stack.pop_all()
        events = self._build_events(response, outcome, progress, owned)
        if stream:
            return BuildStream(events, outcome, owned.close, self.get)
        for _ in events:
            pass
        assert outcome.image_id is not None
        return self.get(outcome.image_id), iter(outcome.log)

    def _build_events(
        self,
        response: httpx.Response,
        outcome: Outcome,
        progress: BuildCallback | None,
        stack: ExitStack,
    ) -> Generator[BuildLogLine, None, None]:
        with stack:

            def fail(message: str, lines: builtins.list[str]) -> BuildError:
                return BuildError(message, outcome.log, lines)

            for event, _ in iter_progress(self._session.iter_body(response), fail):
                typed = cast(BuildLogLine, event)
                outcome.log.append(typed)
                found = build_image_id(event)
                if found is not None:
                    outcome.image_id = found
                if progress is not None:
                    progress(typed)
                yield typed
        if outcome.image_id is None:
            raise BuildError("the build ended without reporting an image id", outcome.log)

    # -- registry data ------------------------------------------------------------------

    def get_registry_data(
        self,
        name: str,
        auth_config: Mapping[str, str] | None = None,
        *,
        tls_verify: bool = True,
    ) -> RegistryData:
        """The registry's manifest for the reference ``name``, read by the service:
        GET /libpod/manifests/{name}/json?tlsVerify= (see `RegistryData` for what the
        servers allow). Never local data.

        Raises:
            NotFound: the registry has no such manifest, refused the credentials, or
                could not be reached (the server's message says which).
            InvalidArgument: ``name`` is not a reference.
        """
        parse_reference(name)
        headers = registry_auth_headers(auth_config)
        request = manifest_inspect_libpod._get_kwargs(name, tls_verify=tls_verify)
        _ = self._session.version
        try:
            with self._session.translating():
                response = self._session.http.request(
                    request["method"], request["url"], params=request["params"], headers=headers
                )
        except NotFound as exc:
            found = manifest_in_refusal(exc.message)
            if found is None:
                raise
            raw, media_type = found
            return RegistryData(name, attrs_from_manifest(raw, media_type), self._manager())
        body: Any = json.loads(response.content)
        if not isinstance(body, dict):
            raise APIError(f"manifest of {name} from {self._session.endpoint}: not an object")
        return RegistryData(name, attrs_from_list(body), self._manager())

    def _manager(self) -> Any:
        return self  # the ImagesManager this mixin is part of


def _closing(
    items: Generator[T, None, None], source: Generator[Any, None, None]
) -> Generator[T, None, None]:
    """``items`` (a view of ``source``) that closes ``source`` when closed early."""
    try:
        yield from items
    finally:
        source.close()


def _build_context(
    path: str | os.PathLike[str] | None,
    fileobj: bytes | str | IO[bytes] | IO[str] | None,
    dockerfile: str | None,
) -> BuildContext:
    if (path is None) == (fileobj is None):
        raise InvalidArgument("build takes exactly one of path= or fileobj=")
    if path is not None:
        return context_from_directory(path, dockerfile)
    assert fileobj is not None
    if dockerfile is not None:
        raise InvalidArgument("dockerfile= names a file in path=; with fileobj= leave it out")
    return context_from_dockerfile(fileobj)
