"""A user program that touches every public method and property of PodmanClient,
ImagesManager and Image, with the types a user would write down.

Type-checked (``mypy --strict``, the Makefile's typecheck target), never executed:
each annotation below is an assertion about the SDK's public types, so a change that
loosens one (to Any, to a wider union, to Optional) or breaks it fails the check.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import assert_type

import httpx
from libpod_client import Client as GeneratedClient
from libpod_client.api.volumes import volume_create_libpod, volume_list_libpod
from libpod_client.models import (
    ErrorModel,
    ImageData,
    VolumeConfigResponse,
    VolumeCreateOptions,
)
from podman_sdk import (
    APIError,
    BadRequest,
    BuildError,
    Conflict,
    EventHooks,
    HistoryEntry,
    Image,
    ImageAttrs,
    ImageNotFound,
    ImageReference,
    ImagesManager,
    InvalidArgument,
    LocalFileError,
    NotFound,
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    PruneDeleted,
    PruneError,
    PruneReport,
    RemoveReportEntry,
    SavedArchive,
    SaveStream,
    ServerError,
    StreamError,
    UnsupportedServer,
    VersionInfo,
)


def connect() -> list[PodmanClient]:
    """Every way to build a client."""
    return [
        PodmanClient(),
        PodmanClient("unix:///run/podman/podman.sock"),
        PodmanClient("http+unix://%2Frun%2Fpodman%2Fpodman.sock", version="4.3.1"),
        PodmanClient("tcp://127.0.0.1:8888", timeout=30.0, connect_timeout=5.0),
        PodmanClient("https://podman.example:8443", tls_verify="/etc/ca.pem"),
        PodmanClient(
            "https://podman.example:8443",
            tls_verify=True,
            client_cert=("/etc/cert.pem", "/etc/key.pem"),
        ),
        PodmanClient(
            "ssh://core@host:22/run/user/1000/podman/podman.sock",
            identity="/root/.ssh/id_ed25519",
            known_hosts_file="/root/.ssh/known_hosts",
            first_byte_timeout=600.0,
            idle_timeout=60.0,
        ),
        PodmanClient(transport=httpx.MockTransport(lambda request: httpx.Response(200))),
        PodmanClient.from_env(),
        PodmanClient.from_env(
            version="auto",
            timeout=10.0,
            first_byte_timeout=100.0,
            idle_timeout=10.0,
            known_hosts_file=None,
        ),
    ]


def system(client: PodmanClient) -> None:
    alive: bool = client.ping()
    version: VersionInfo = client.version()
    server_version: str = version["Version"]
    api: str = version["ApiVersion"]
    components: list[dict[str, object]] = version["Components"]
    info: dict[str, object] = client.info()
    api_version: str = client.api_version
    endpoint: str = client.endpoint
    images: ImagesManager = client.images
    base_url: str = client.base_url
    discovery = client.discovery  # None unless from_env() or base_url=None chose
    chosen_from: str | None = None if discovery is None else discovery.source
    print(base_url, chosen_from)
    negotiated: str = client.negotiate()
    print(alive, server_version, api, components, info, api_version, endpoint, negotiated, images)


def generated_api(client: PodmanClient) -> None:
    """client.api is the generated client's own type: every generated function takes it."""
    api: GeneratedClient = client.api
    # The generated types keep ErrorModel (the spec documents error bodies); through
    # client.api an error status raises instead, so it never arrives.
    volumes = volume_list_libpod.sync(client=api)
    assert_type(volumes, ErrorModel | list[VolumeConfigResponse] | None)
    created = volume_create_libpod.sync_detailed(client=api, body=VolumeCreateOptions(name="v"))
    assert_type(created.parsed, ErrorModel | VolumeConfigResponse | None)
    hooks: EventHooks = {"request": [print], "response": [lambda response: response.status_code]}
    with PodmanClient("unix:///run/podman/podman.sock", event_hooks=hooks) as traced:
        print(traced.api)


def image_data(image: Image) -> None:
    attrs: ImageAttrs = image.attrs
    image_id: str = image.id
    short: str = image.short_id
    tags: list[str] = image.tags
    labels: dict[str, str] = image.labels
    created: int = attrs["Created"]
    size: int = attrs["Size"]
    digests: list[str] = attrs["RepoDigests"]
    architecture: str = attrs["Architecture"]
    config: dict[str, object] | None = attrs.get("Config")
    model: ImageData = image.model
    print(image_id, short, tags, labels, created, size, digests, architecture, config)
    print(model)


def image_verbs(image: Image, target: Path) -> None:
    image.reload()
    image.reload(compatible=True)
    history: list[HistoryEntry] = image.history()
    created_by: str = history[0]["CreatedBy"]
    tagged: bool = image.tag("localhost/app", "v2")
    forced: bool = image.tag("localhost/app", tag=None, force=True)
    untagged: bool = image.untag("localhost/app", "v2")
    untagged_all: bool = image.untag()
    chunks: SaveStream = image.save()
    with image.save(chunk_size=None, named=True) as stream:
        first: bytes = next(stream)
    for chunk in image.save(named="localhost/app:v1"):
        size: int = len(chunk)
    saved: SavedArchive = image.save_to(target, named=False)
    written: Path = saved.path
    digest: str = saved.sha256
    report: list[RemoveReportEntry] = image.remove(force=True, noprune=False)
    for entry in report:
        deleted: str | None = entry.get("Deleted")
        exit_code: int | None = entry.get("ExitCode")
    print(created_by, tagged, forced, untagged, untagged_all, chunks, first, size)
    print(written, digest, deleted, exit_code)


def manager_verbs(images: ImagesManager, archive: Path) -> None:
    got: Image = images.get("localhost/app:v1")
    present: bool = images.exists("localhost:5000/a/b:c")
    every: list[Image] = images.list()
    filtered: list[Image] = images.list(
        all=True,
        filters={"dangling": True, "label": {"a": "1", "b": None}, "reference": ["x", "y"]},
        name="localhost/app",
    )
    removed: list[RemoveReportEntry] = images.remove(got, force=True, noprune=True)
    removed_by_name: list[RemoveReportEntry] = images.remove("localhost/app:v1")
    pruned: PruneReport = images.prune(all=True, external=False, filters={"until": "24h"})
    deleted: list[PruneDeleted] = pruned["ImagesDeleted"]
    reclaimed: int = pruned["SpaceReclaimed"]
    loaded: list[Image] = images.load(file_path=archive)
    loaded_bytes: list[Image] = images.load(b"tar bytes")
    loaded_file: list[Image] = images.load(io.BytesIO(b"tar bytes"))
    loaded_chunks: list[Image] = images.load(iter([b"a", b"b"]))
    print(present, every, filtered, removed, removed_by_name, deleted, reclaimed)
    print(loaded, loaded_bytes, loaded_file, loaded_chunks)


def registry_verbs(images: ImagesManager) -> None:
    pulled: Image = images.pull("quay.io/podman/hello", "latest")
    all_tags: list[Image] = images.pull("quay.io/podman/hello", all_tags=True)
    for value in images.pull("quay.io/podman/hello", stream=True, decode=True):
        status: str | None = value.get("status")
    for raw in images.pull("quay.io/podman/hello", stream=True):
        line: bytes = raw
    pushed: str = images.push("localhost:5000/app", "v1", tls_verify=False)
    for event in images.push("localhost:5000/app", "v1", stream=True, decode=True):
        pushed_status: str | None = event.get("manifestdigest")
    found = images.search("hello", limit=5)
    name: str = found[0]["Name"]
    stars: int = found[0]["Stars"]
    built, logs = images.build(path=".", tag="localhost/app:v1", labels={"a": "1"})
    built_image: Image = built
    for log_line in logs:
        log_text: str | None = log_line.get("stream")
    registry_data = images.get_registry_data("quay.io/podman/hello")
    remote_id: str | None = registry_data.id
    print(pulled, all_tags, status, line, pushed, pushed_status, name, stars)
    print(built_image, log_text, remote_id)


def errors(client: PodmanClient) -> str:
    """Every exception class a user catches, with the attributes they read."""
    try:
        client.images.get("localhost/app:v1").remove()
    except ImageNotFound as exc:
        missing: NotFound = exc
        return str(missing)
    except Conflict as exc:
        status: int | None = exc.status_code
        cause: str | None = exc.explanation
        response: httpx.Response | None = exc.response
        return f"{status} {cause} {response}"
    except BadRequest as exc:
        return exc.message
    except ServerError as exc:
        server_side: bool = exc.is_server_error()
        return str(server_side)
    except PruneError as exc:
        kept: PruneReport = exc.report
        why: dict[str, str] = exc.errors
        return f"{kept} {why}"
    except APIError as exc:
        client_side: bool = exc.is_client_error()
        return str(client_side)
    except PodmanConnectionError as exc:
        where: str = exc.endpoint
        reason: str = exc.reason
        return where + reason
    except PodmanTimeoutError as exc:
        return exc.endpoint + exc.reason
    except LocalFileError as exc:
        os_error: OSError = exc
        code: int | None = exc.errno
        assert_type(exc.strerror, str | None)
        return f"{os_error} {code} {exc.filename} {exc.action}"
    except InvalidArgument as exc:
        value_error: ValueError = exc
        return str(value_error)
    except BuildError as exc:
        build_log: list[object] = exc.build_log
        return exc.msg + str(build_log)
    except StreamError as exc:
        transcript: list[str] = exc.transcript
        return exc.message + "".join(transcript)
    except UnsupportedServer as exc:
        return str(exc)
    except PodmanError as exc:
        return str(exc)
    return ""


def references() -> str:
    reference = ImageReference.parse("localhost:5000/a/b:c")
    domain: str | None = reference.domain
    tag: str | None = reference.tag
    digest: str | None = reference.digest
    normalized: str = reference.normalized()
    return f"{domain} {tag} {digest} {normalized} {reference.familiar()}"


def main(client: PodmanClient) -> None:
    with client:
        system(client)
        image = client.images.get("localhost/app:v1")
        image_data(image)
        image_verbs(image, Path("/tmp/app.tar"))
        manager_verbs(client.images, Path("/tmp/app.tar"))
        registry_verbs(client.images)
        print(errors(client), references())
    client.close()


if __name__ == "__main__":
    main(PodmanClient.from_env())
    print(connect())
