"""A user program that touches every public method and property of PodmanClient,
ImagesManager and Image, with assert_type on what each call returns.

Type-checked (``mypy --strict``, the Makefile's typecheck target), never executed:
each assert_type below is an assertion about the SDK's public types, so a change that
loosens one (to Any, to a wider union, to Optional) or breaks it fails the check.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import assert_type

import httpx
from libpod_client import SyncSender
from libpod_client.api.volumes import (
    volume_create_libpod,
    volume_delete_libpod,
    volume_list_libpod,
)
from libpod_client.models import (
    ArtifactInspectReport,
    ImageData,
    InspectPodData,
    ListQuadlet,
    NetworkInspectReport,
    Schema2ListPublic,
    SecretInfoReport,
    VolumeConfigResponse,
    VolumeCreateOptions,
)
from libpod_client.types import Response
from podman_sdk import (
    APIError,
    Artifact,
    ArtifactAttrs,
    ArtifactsManager,
    BadRequest,
    BuildError,
    BuildLogLine,
    BuildPruneReport,
    BuildStream,
    Conflict,
    DiskUsage,
    Event,
    EventActor,
    EventHooks,
    HistoryEntry,
    Image,
    ImageAttrs,
    ImageNotFound,
    ImageReference,
    ImagesManager,
    InvalidArgument,
    LocalFileError,
    LoginReport,
    Manifest,
    ManifestAttrs,
    ManifestDescriptor,
    ManifestPlatform,
    ManifestRemoveReport,
    ManifestsManager,
    Network,
    NetworkAttrs,
    NetworkPruneReport,
    NetworksManager,
    NetworkSubnet,
    NotFound,
    OutputStream,
    Pod,
    PodAttrs,
    PodContainerAttrs,
    PodmanClient,
    PodmanConnectionError,
    PodmanError,
    PodmanTimeoutError,
    PodPruneReport,
    PodsManager,
    PodStatsEntry,
    PodTop,
    PruneDeleted,
    PruneError,
    PruneReport,
    PullProgress,
    PullStream,
    PushProgress,
    PushResult,
    PushStream,
    Quadlet,
    QuadletAttrs,
    QuadletInstallReport,
    QuadletsManager,
    RegistryData,
    RemoveReportEntry,
    SavedArchive,
    SaveStream,
    ScpReport,
    SearchResult,
    Secret,
    SecretAttrs,
    SecretDriverAttrs,
    SecretsManager,
    SecretSpecAttrs,
    ServerError,
    StreamError,
    SystemManager,
    UnsupportedServer,
    VersionInfo,
    VersionPlatform,
    Volume,
    VolumeAttrs,
    VolumePruneReport,
    VolumesManager,
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
        assert_type(PodmanClient.from_env(), PodmanClient),
        assert_type(
            PodmanClient.from_env(
                version="auto",
                timeout=10.0,
                first_byte_timeout=100.0,
                idle_timeout=10.0,
                known_hosts_file=None,
            ),
            PodmanClient,
        ),
    ]


def system(client: PodmanClient) -> None:
    alive = assert_type(client.ping(), bool)
    version = assert_type(client.version(), VersionInfo)
    server_version = assert_type(version["Version"], str)
    api = assert_type(version["ApiVersion"], str)
    components = assert_type(version["Components"], list[dict[str, object]])
    info = assert_type(client.info(), dict[str, object])
    api_version = assert_type(client.api_version, str)
    endpoint = assert_type(client.endpoint, str)
    images = assert_type(client.images, ImagesManager)
    base_url = assert_type(client.base_url, str)
    discovery = client.discovery  # None unless from_env() or base_url=None chose
    chosen_from = assert_type(None if discovery is None else discovery.source, str | None)
    print(base_url, chosen_from)
    negotiated = assert_type(client.negotiate(), str)
    print(alive, server_version, api, components, info, api_version, endpoint, negotiated, images)


def system_and_events(client: PodmanClient, stop: threading.Event) -> None:
    manager = assert_type(client.system, SystemManager)
    usage = assert_type(client.df(), DiskUsage)
    assert_type(usage["Images"], list[dict[str, object]])
    assert_type(manager.df()["Volumes"], list[dict[str, object]])
    platform = assert_type(client.version()["Platform"], VersionPlatform)
    assert_type(platform["Name"], str)
    assert_type(manager.version(), VersionInfo)
    assert_type(manager.info(), dict[str, object])
    assert_type(manager.ping(), bool)
    report = assert_type(client.login("user", "secret", registry="registry.example"), LoginReport)
    assert_type(report["Status"], str)
    assert_type(manager.login("user", "secret", identitytoken="t"), LoginReport)
    with client.events(filters={"type": "volume"}, decode=True) as events:
        for event in events:
            actor = assert_type(event["Actor"], EventActor)
            assert_type(actor["Attributes"], dict[str, str])
            assert_type(event["Action"], str)
            assert_type(event["timeNano"], int)
            assert_type(event.get("from"), str | None)
            if stop.is_set():
                events.close()
    lines = assert_type(client.events(since=0, until=datetime.now()), OutputStream[bytes])
    for line in lines:
        assert_type(line, bytes)
    assert_type(client.events(0, 10, None, True), OutputStream[Event])


def generated_api(client: PodmanClient) -> None:
    """client.api is the generated client's own type: every generated function takes it."""
    api = assert_type(client.api, SyncSender)
    # Results are the success type: an error status or a malformed answer raises.
    volumes = volume_list_libpod.sync(client=api, filters={"name": ["v"]})
    assert_type(volumes, list[VolumeConfigResponse])
    created = volume_create_libpod.sync_detailed(client=api, body=VolumeCreateOptions(name="v"))
    assert_type(created, Response[VolumeConfigResponse])
    assert_type(created.parsed, VolumeConfigResponse)
    assert_type(volume_delete_libpod.sync(name="v", client=api), None)
    hooks: EventHooks = {"request": [print], "response": [lambda response: response.status_code]}
    with PodmanClient("unix:///run/podman/podman.sock", event_hooks=hooks) as traced:
        print(assert_type(traced, PodmanClient).api)


def image_data(image: Image) -> None:
    attrs = assert_type(image.attrs, ImageAttrs)
    image_id = assert_type(image.id, str)
    short = assert_type(image.short_id, str)
    tags = assert_type(image.tags, list[str])
    labels = assert_type(image.labels, dict[str, str])
    created = assert_type(attrs["Created"], int)
    size = assert_type(attrs["Size"], int)
    digests = assert_type(attrs["RepoDigests"], list[str])
    architecture = assert_type(attrs["Architecture"], str)
    config = assert_type(attrs.get("Config"), dict[str, object] | None)
    model = assert_type(image.model, ImageData)
    print(image_id, short, tags, labels, created, size, digests, architecture, config)
    print(model)


def image_verbs(image: Image, target: Path) -> None:
    assert_type(image.reload(), None)
    assert_type(image.reload(compatible=True), None)
    history = assert_type(image.history(), list[HistoryEntry])
    created_by = assert_type(history[0]["CreatedBy"], str)
    tagged = assert_type(image.tag("localhost/app", "v2"), bool)
    forced = assert_type(image.tag("localhost/app", tag=None, force=True), bool)
    untagged = assert_type(image.untag("localhost/app", "v2"), bool)
    untagged_all = assert_type(image.untag(), bool)
    chunks = assert_type(image.save(), SaveStream)
    with image.save(chunk_size=None, named=True) as stream:
        assert_type(stream, SaveStream)
        first = assert_type(next(stream), bytes)
    for chunk in image.save(named="localhost/app:v1"):
        size = assert_type(len(assert_type(chunk, bytes)), int)
    saved = assert_type(image.save_to(target, named=False), SavedArchive)
    written = assert_type(saved.path, Path)
    digest = assert_type(saved.sha256, str)
    report = assert_type(image.remove(force=True, noprune=False), list[RemoveReportEntry])
    for entry in report:
        deleted = assert_type(entry.get("Deleted"), str | None)
        exit_code = assert_type(entry.get("ExitCode"), int | None)
    print(created_by, tagged, forced, untagged, untagged_all, chunks, first, size)
    print(written, digest, deleted, exit_code)


def manager_verbs(images: ImagesManager, archive: Path) -> None:
    got = assert_type(images.get("localhost/app:v1"), Image)
    present = assert_type(images.exists("localhost:5000/a/b:c"), bool)
    every = assert_type(images.list(), list[Image])
    filtered = assert_type(
        images.list(
            all=True,
            filters={"dangling": True, "label": {"a": "1", "b": None}, "reference": ["x", "y"]},
            name="localhost/app",
        ),
        list[Image],
    )
    removed = assert_type(images.remove(got, force=True, noprune=True), list[RemoveReportEntry])
    removed_by_name = assert_type(images.remove("localhost/app:v1"), list[RemoveReportEntry])
    pruned = assert_type(
        images.prune(all=True, external=False, filters={"until": "24h"}), PruneReport
    )
    deleted = assert_type(pruned["ImagesDeleted"], list[PruneDeleted])
    reclaimed = assert_type(pruned["SpaceReclaimed"], int)
    loaded = assert_type(images.load(file_path=archive), list[Image])
    loaded_bytes = assert_type(images.load(b"tar bytes"), list[Image])
    loaded_file = assert_type(images.load(io.BytesIO(b"tar bytes")), list[Image])
    loaded_chunks = assert_type(images.load(iter([b"a", b"b"])), list[Image])
    print(present, every, filtered, removed, removed_by_name, deleted, reclaimed)
    print(loaded, loaded_bytes, loaded_file, loaded_chunks)


def registry_verbs(images: ImagesManager) -> None:
    pulled = assert_type(images.pull("quay.io/podman/hello", "latest"), Image)
    all_tags = assert_type(images.pull("quay.io/podman/hello", all_tags=True), list[Image])
    progress = images.pull_stream("quay.io/podman/hello", decode=True)
    for value in assert_type(progress, PullStream[PullProgress]):
        status = assert_type(value.get("status"), str | None)
    for raw in assert_type(images.pull_stream("quay.io/podman/hello"), PullStream[bytes]):
        line = assert_type(raw, bytes)
    pushed = assert_type(images.push("localhost:5000/app", "v1", tls_verify=False), PushResult)
    assert_type(pushed.manifest_digest, str | None)
    events = images.push("localhost:5000/app", "v1", stream=True, decode=True)
    for event in assert_type(events, PushStream[PushProgress]):
        pushed_status = assert_type(event.get("manifestdigest"), str | None)
    for text in assert_type(images.push("localhost:5000/app", stream=True), PushStream[str]):
        assert_type(text, str)
    found = assert_type(images.search("hello", limit=5), list[SearchResult])
    name = assert_type(found[0]["Name"], str)
    stars = assert_type(found[0]["Stars"], int)
    built, logs = assert_type(
        images.build(path=".", tag="localhost/app:v1", labels={"a": "1"}),
        tuple[Image, Iterator[bytes]],
    )
    built_image = assert_type(built, Image)
    for log_line in logs:
        log_text = assert_type(log_line, bytes)
    for streamed in assert_type(images.build_stream(path="."), BuildStream):
        assert_type(streamed, BuildLogLine)
    registry_data = images.get_registry_data("quay.io/podman/hello")
    remote_id = assert_type(assert_type(registry_data, RegistryData).id, str | None)
    print(pulled, all_tags, status, line, pushed, pushed_status, name, stars)
    print(built_image, log_text, remote_id)


def errors(client: PodmanClient) -> str:
    """Every exception class a user catches, with the attributes they read."""
    try:
        assert_type(client.images.get("localhost/app:v1").remove(), list[RemoveReportEntry])
    except ImageNotFound as exc:
        missing: NotFound = exc
        return str(missing)
    except Conflict as exc:
        status = assert_type(exc.status_code, int | None)
        cause = assert_type(exc.explanation, str | None)
        response = assert_type(exc.response, httpx.Response | None)
        return f"{status} {cause} {response}"
    except BadRequest as exc:
        return exc.message
    except ServerError as exc:
        server_side = assert_type(exc.is_server_error(), bool)
        return str(server_side)
    except PruneError as exc:
        kept = assert_type(exc.report, PruneReport)
        why = assert_type(exc.errors, dict[str, str])
        return f"{kept} {why}"
    except APIError as exc:
        client_side = assert_type(exc.is_client_error(), bool)
        return str(client_side)
    except PodmanConnectionError as exc:
        where = assert_type(exc.endpoint, str)
        reason = assert_type(exc.reason, str)
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
        build_log = assert_type(exc.build_log, list[object])
        return exc.msg + str(build_log)
    except StreamError as exc:
        transcript = assert_type(exc.transcript, list[str])
        return exc.message + "".join(transcript)
    except UnsupportedServer as exc:
        return str(exc)
    except PodmanError as exc:
        return str(exc)
    return ""


def references() -> str:
    reference = assert_type(ImageReference.parse("localhost:5000/a/b:c"), ImageReference)
    domain = assert_type(reference.domain, str | None)
    tag = assert_type(reference.tag, str | None)
    digest = assert_type(reference.digest, str | None)
    normalized = assert_type(reference.normalized(), str)
    familiar = assert_type(reference.familiar(), str)
    return f"{domain} {tag} {digest} {normalized} {familiar}"


def volume_verbs(volumes: VolumesManager, archive: Path) -> None:
    created = assert_type(
        volumes.create("v", driver="local", driver_opts={"o": "nodev"}, labels={"a": "b"}), Volume
    )
    got = assert_type(volumes.get("v"), Volume)
    present = assert_type(volumes.exists("v"), bool)
    every = assert_type(volumes.list(filters={"label": {"a": "b"}}), list[Volume])
    pruned = assert_type(volumes.prune(filters={"label": "a"}), VolumePruneReport)
    deleted = assert_type(pruned["VolumesDeleted"], list[str])
    tar = assert_type(volumes.export_archive(got), bytes)
    assert_type(volumes.import_archive("v", data=tar), None)
    assert_type(volumes.import_archive(got, path=archive), None)
    assert_type(volumes.remove(created, force=True), None)
    attrs = assert_type(got.attrs, VolumeAttrs)
    mountpoint = assert_type(attrs["Mountpoint"], str)
    labels = assert_type(attrs["Labels"], dict[str, str] | None)
    name = assert_type(got.name, str)
    volume_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, VolumeConfigResponse)
    assert_type(got.reload(), None)
    inspected = assert_type(got.inspect(), VolumeAttrs)
    assert_type(got.rename("w"), None)
    assert_type(got.remove(force=False), None)
    print(present, every, deleted, mountpoint, labels, name, volume_id, short, model, inspected)


def quadlet_verbs(quadlets: QuadletsManager, unit: Path) -> None:
    every = assert_type(quadlets.list(filters={"name": "web*"}), list[Quadlet])
    got = assert_type(quadlets.get("web.container"), Quadlet)
    present = assert_type(quadlets.exists("web.container"), bool)
    report = assert_type(
        quadlets.install([("web.container", "[Container]\nImage=a\n"), unit], replace=True),
        QuadletInstallReport,
    )
    installed = assert_type(report["InstalledQuadlets"], dict[str, str])
    text = assert_type(quadlets.get_contents(got), str)
    assert_type(quadlets.print_contents("web.container"), None)
    removed = assert_type(quadlets.delete("web.container", force=True), list[str])
    assert_type(quadlets.delete(all=True, ignore=True, reload_systemd=False), list[str])
    attrs = assert_type(got.attrs, QuadletAttrs)
    fields = (got.name, got.id, got.short_id, got.unit_name, got.path, got.status)
    assert_type(fields, tuple[str, str, str, str, str, str])
    application = assert_type(got.application, str)
    model = assert_type(got.model, ListQuadlet)
    assert_type(got.reload(), None)
    assert_type(got.get_contents(), str)
    assert_type(got.print_contents(), None)
    assert_type(got.delete(ignore=True), list[str])
    print(every, present, installed, text, removed, attrs, fields, application, model)


def artifact_verbs(artifacts: ArtifactsManager, file: Path) -> None:
    digest = assert_type(
        artifacts.add("localhost/a:1", path=file, annotations={"k": "v"}, replace=True), str
    )
    more = assert_type(artifacts.add("localhost/a:1", b"x", file_name="b.txt", append=True), str)
    every = assert_type(artifacts.list(), list[Artifact])
    got = assert_type(artifacts.get("localhost/a:1"), Artifact)
    present = assert_type(artifacts.exists("localhost/a:1"), bool)
    tar = assert_type(artifacts.extract(got, title="b.txt"), bytes)
    pulled = assert_type(artifacts.pull("r/a:1", tls_verify=False, retry=1), Artifact)
    pushed = assert_type(artifacts.push(got, auth_config={"username": "u"}, retry_delay="2s"), str)
    removed = assert_type(artifacts.remove(["r/a:1", pulled], ignore=True), list[str])
    assert_type(artifacts.remove(all=True), list[str])
    attrs = assert_type(got.attrs, ArtifactAttrs)
    name = assert_type(got.name, str)
    known = assert_type(got.digest, str | None)
    manifest = assert_type(got.manifest, dict[str, object] | None)
    model = assert_type(got.model, ArtifactInspectReport)
    assert_type(got.reload(), None)
    assert_type(got.extract(digest=digest, exclude_title=True), bytes)
    assert_type(got.push(tls_verify=False, retry=0, retry_delay="1s", auth_config=None), str)
    assert_type(got.remove(), list[str])
    print(more, every, present, tar, pushed, removed, attrs, name, known, manifest, model)


def secret_verbs(secrets: SecretsManager) -> None:
    created = assert_type(secrets.create("s", b"data", labels={"a": "b"}, driver="file"), Secret)
    got = assert_type(secrets.get("s"), Secret)
    present = assert_type(secrets.exists("s"), bool)
    every = assert_type(secrets.list(filters={"name": "s"}), list[Secret])
    assert_type(secrets.remove(created, all=False), None)
    attrs = assert_type(got.attrs, SecretAttrs)
    spec = assert_type(attrs["Spec"], SecretSpecAttrs)
    driver = assert_type(spec["Driver"], SecretDriverAttrs)
    labels = assert_type(spec["Labels"], dict[str, str] | None)
    name = assert_type(got.name, str)
    secret_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, SecretInfoReport)
    assert_type(got.reload(), None)
    assert_type(got.remove(), None)
    print(present, every, driver, labels, name, secret_id, short, model)


def network_verbs(networks: NetworksManager) -> None:
    subnet: NetworkSubnet = {"subnet": "10.11.13.0/24", "gateway": "10.11.13.1"}
    created = assert_type(
        networks.create(
            "n",
            driver="bridge",
            dns_enabled=True,
            network_dns_servers=["10.0.0.53"],
            enable_ipv6=False,
            internal=True,
            labels={"a": "b"},
            options={"mtu": "1500"},
            subnets=[subnet],
        ),
        Network,
    )
    got = assert_type(networks.get("n"), Network)
    present = assert_type(networks.exists("n"), bool)
    every = assert_type(
        networks.list(names=["n"], ids=["x"], filters={"label": "a"}), list[Network]
    )
    pruned = assert_type(networks.prune(filters={"label": "a"}), NetworkPruneReport)
    deleted = assert_type(pruned["NetworksDeleted"], list[str])
    assert_type(networks.remove(created, force=True), None)
    attrs = assert_type(got.attrs, NetworkAttrs)
    internal = assert_type(attrs["internal"], bool)
    name = assert_type(got.name, str)
    network_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, NetworkInspectReport)
    assert_type(got.reload(), None)
    assert_type(
        got.connect(
            "c",
            aliases=["web"],
            driver_opt={"k": "v"},
            ipv4_address="10.11.13.5",
            ipv6_address=None,
        ),
        None,
    )
    assert_type(got.disconnect("c", force=True), None)
    assert_type(got.remove(), None)
    print(present, every, deleted, internal, name, network_id, short, model)


def pod_verbs(pods: PodsManager) -> None:
    created = assert_type(
        pods.create(
            "p",
            labels={"a": "b"},
            no_infra=False,
            infra_image="localhost/pause:v1",
            netns={"nsmode": "none"},
            portmappings=[{"container_port": 80, "host_port": 8080}],
            shm_size=64 * 1024 * 1024,
        ),
        Pod,
    )
    got = assert_type(pods.get("p"), Pod)
    present = assert_type(pods.exists("p"), bool)
    every = assert_type(pods.list(filters={"label": {"a": "b"}}), list[Pod])
    pruned = assert_type(pods.prune(), PodPruneReport)
    deleted = assert_type(pruned["PodsDeleted"], list[str])
    raw = assert_type(pods.stats(all=True), bytes)
    decoded = assert_type(pods.stats(name=["p"], decode=True), list[PodStatsEntry])
    cpu = assert_type(decoded[0]["CPU"], str)
    assert_type(pods.remove(created, force=True), None)
    attrs = assert_type(got.attrs, PodAttrs)
    containers = assert_type(attrs.get("Containers"), list[PodContainerAttrs] | None)
    name = assert_type(got.name, str)
    pod_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, InspectPodData)
    assert_type(got.reload(), None)
    assert_type(got.start(), None)
    assert_type(got.stop(timeout=5), None)
    assert_type(got.restart(), None)
    assert_type(got.kill(signal="SIGTERM"), None)
    assert_type(got.kill(9), None)
    assert_type(got.pause(), None)
    assert_type(got.unpause(), None)
    top = assert_type(got.top(ps_args="pid,comm"), PodTop)
    titles = assert_type(top["Titles"], list[str])
    assert_type(got.remove(force=True), None)
    print(present, every, deleted, raw, cpu, containers, name, pod_id, short, model, titles)


def manifest_verbs(manifests: ManifestsManager, images: ImagesManager) -> None:
    image = images.get("localhost/app:v1")
    created = assert_type(manifests.create("localhost/l:v1", [image, "r/x:1"], all=True), Manifest)
    got = assert_type(manifests.get("localhost/l:v1"), Manifest)
    present = assert_type(manifests.exists("localhost/l:v1"), bool)
    every = assert_type(manifests.list(), list[Manifest])
    attrs = assert_type(got.attrs, ManifestAttrs)
    entries = assert_type(attrs["manifests"], list[ManifestDescriptor])
    platform = assert_type(entries[0]["platform"], ManifestPlatform)
    os_name = assert_type(platform["os"], str)
    values = (got.id, got.short_id, got.name, got.names, got.quoted_name, got.media_type)
    assert_type(values, tuple[str, str, str, str, str, str])
    version = assert_type(got.version, int)
    model = assert_type(got.model, Schema2ListPublic)
    assert_type(got.reload(), None)
    assert_type(got.add([image], annotation={"a": "b"}, arch="arm64", os="linux"), None)
    assert_type(got.remove("sha256:" + "a" * 64), None)
    assert_type(got.push("r/l:v1", all=True, auth_config={"username": "u", "password": "p"}), None)
    removed = assert_type(manifests.remove(created), ManifestRemoveReport)
    assert_type(removed["ExitCode"], int)
    pruned = assert_type(images.prune_builds(), BuildPruneReport)
    copied = assert_type(
        images.scp("user@host::localhost/app:v1", dest=None, quiet=True), ScpReport
    )
    print(present, every, os_name, version, model, pruned, copied["Id"])


def main(client: PodmanClient) -> None:
    with client:
        system(client)
        image = assert_type(client.images.get("localhost/app:v1"), Image)
        image_data(image)
        image_verbs(image, Path("/tmp/app.tar"))
        manager_verbs(client.images, Path("/tmp/app.tar"))
        registry_verbs(client.images)
        volume_verbs(assert_type(client.volumes, VolumesManager), Path("/tmp/volume.tar"))
        secret_verbs(assert_type(client.secrets, SecretsManager))
        quadlet_verbs(assert_type(client.quadlets, QuadletsManager), Path("/tmp/Containerfile"))
        artifact_verbs(assert_type(client.artifacts, ArtifactsManager), Path("/tmp/a.txt"))
        network_verbs(assert_type(client.networks, NetworksManager))
        pod_verbs(assert_type(client.pods, PodsManager))
        manifest_verbs(assert_type(client.manifests, ManifestsManager), client.images)
        print(errors(client), references())
    assert_type(client.close(), None)


if __name__ == "__main__":
    main(assert_type(PodmanClient.from_env(), PodmanClient))
    print(connect())
