"""A user program on AsyncPodmanClient that touches every public method and property of
AsyncPodmanClient, AsyncImagesManager and AsyncImage, with ``assert_type`` on the
result of each call.

Type-checked (``mypy --strict``, the Makefile's typecheck target), never executed:
each ``assert_type`` states what a call gives once awaited, so a return type loosened
to Any, widened, or left un-awaitable fails the check.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import assert_type

import httpx
from libpod_client import AsyncSender
from libpod_client.api.volumes import volume_list_libpod
from libpod_client.models import (
    ArtifactInspectReport,
    ImageData,
    InspectPodData,
    ListQuadlet,
    NetworkInspectReport,
    SecretInfoReport,
    VolumeConfigResponse,
)
from podman_sdk import (
    ArtifactAttrs,
    AsyncArtifact,
    AsyncArtifactsManager,
    AsyncBuildStream,
    AsyncImage,
    AsyncImagesManager,
    AsyncManifest,
    AsyncManifestsManager,
    AsyncNetwork,
    AsyncNetworksManager,
    AsyncOutputStream,
    AsyncPod,
    AsyncPodmanClient,
    AsyncPodsManager,
    AsyncPullStream,
    AsyncPushStream,
    AsyncQuadlet,
    AsyncQuadletsManager,
    AsyncRegistryData,
    AsyncSaveStream,
    AsyncSecret,
    AsyncSecretsManager,
    AsyncSystemManager,
    AsyncVolume,
    AsyncVolumesManager,
    BuildError,
    BuildLogLine,
    BuildPruneReport,
    DiscoveryResult,
    DiskUsage,
    Event,
    EventHooks,
    HistoryEntry,
    ImageAttrs,
    ImageNotFound,
    LoginReport,
    ManifestAttrs,
    ManifestRemoveReport,
    NetworkAttrs,
    NetworkPruneReport,
    PodAttrs,
    PodmanConnectionError,
    PodPruneReport,
    PodStatsEntry,
    PodTop,
    PruneReport,
    PullError,
    PullNotFound,
    PullProgress,
    PushError,
    PushProgress,
    PushResult,
    QuadletAttrs,
    QuadletInstallReport,
    RegistryDataAttrs,
    RemoveReportEntry,
    SavedArchive,
    ScpReport,
    SearchResult,
    SecretAttrs,
    VersionInfo,
    VolumeAttrs,
    VolumePruneReport,
)


async def answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200)


def connect() -> list[AsyncPodmanClient]:
    """Every way to build a client: PodmanClient's arguments."""
    hooks: EventHooks = {"request": [print], "response": [lambda response: response.status_code]}
    return [
        AsyncPodmanClient(),
        AsyncPodmanClient("unix:///run/podman/podman.sock", version="4.3.1"),
        AsyncPodmanClient("tcp://127.0.0.1:8888", timeout=30.0, connect_timeout=5.0),
        AsyncPodmanClient(
            "https://podman.example:8443",
            tls_verify="/etc/ca.pem",
            client_cert=("/etc/cert.pem", "/etc/key.pem"),
        ),
        AsyncPodmanClient(
            "ssh://core@host:22/run/user/1000/podman/podman.sock",
            identity="/root/.ssh/id_ed25519",
            known_hosts_file="/root/.ssh/known_hosts",
            first_byte_timeout=600.0,
            idle_timeout=60.0,
            event_hooks=hooks,
        ),
        AsyncPodmanClient(transport=httpx.MockTransport(answer)),
        assert_type(AsyncPodmanClient.from_env(timeout=10.0), AsyncPodmanClient),
    ]


async def system(client: AsyncPodmanClient) -> None:
    assert_type(await client.ping(), bool)
    assert_type(await client.version(), VersionInfo)
    assert_type(await client.info(), dict[str, object])
    assert_type(await client.negotiate(), str)
    assert_type(await client.api_version, str)
    assert_type(client.endpoint, str)
    assert_type(client.base_url, str)
    assert_type(client.discovery, DiscoveryResult | None)
    assert_type(client.images, AsyncImagesManager)
    api = assert_type(client.api, AsyncSender)
    volumes = await volume_list_libpod.asyncio(client=api)
    assert_type(volumes, list[VolumeConfigResponse])


async def system_and_events(client: AsyncPodmanClient) -> None:
    manager = assert_type(client.system, AsyncSystemManager)
    assert_type((await client.df())["Containers"], list[dict[str, object]])
    assert_type(await manager.df(), DiskUsage)
    assert_type(await manager.version(), VersionInfo)
    assert_type(await manager.info(), dict[str, object])
    assert_type(await manager.ping(), bool)
    assert_type(await client.login("user", "secret", None, "registry.example"), LoginReport)
    assert_type(await manager.login("user", registrytoken="t"), LoginReport)
    async with client.events(filters={"type": "volume"}, decode=True) as events:
        async for event in events:
            assert_type(event, Event)
            assert_type(event["Actor"]["ID"], str)
            await events.aclose()
    lines = assert_type(client.events(since=0, until=10), AsyncOutputStream[bytes])
    async for line in lines:
        assert_type(line, bytes)


def image_data(image: AsyncImage) -> None:
    assert_type(image.attrs, ImageAttrs)
    assert_type(image.id, str)
    assert_type(image.short_id, str)
    assert_type(image.tags, list[str])
    assert_type(image.labels, dict[str, str])
    assert_type(image.model, ImageData)


async def image_verbs(image: AsyncImage, target: Path) -> None:
    assert_type(await image.reload(), None)
    assert_type(await image.reload(compatible=True), None)
    assert_type(await image.history(), list[HistoryEntry])
    assert_type(await image.tag("localhost/app", "v2", force=True), bool)
    assert_type(await image.untag("localhost/app", "v2"), bool)
    assert_type(await image.untag(), bool)
    stream = assert_type(image.save(chunk_size=None, named=True), AsyncSaveStream)
    async with stream as opened:
        assert_type(opened, AsyncSaveStream)
        async for chunk in opened:
            assert_type(chunk, bytes)
    assert_type(await anext(image.save()), bytes)
    saved = assert_type(await image.save_to(target, named=False, progress=print), SavedArchive)
    assert_type(saved.path, Path)
    assert_type(saved.sha256, str)
    assert_type(await image.remove(force=True, noprune=False), list[RemoveReportEntry])


async def archive_chunks() -> AsyncIterator[bytes]:
    yield b"tar bytes"


async def manager_verbs(images: AsyncImagesManager, archive: Path) -> None:
    got = assert_type(await images.get("localhost/app:v1"), AsyncImage)
    assert_type(await images.exists("localhost:5000/a/b:c"), bool)
    assert_type(await images.list(), list[AsyncImage])
    filtered = await images.list(all=True, filters={"label": {"a": "1"}}, name="localhost/app")
    assert_type(filtered, list[AsyncImage])
    assert_type(await images.remove(got, force=True, noprune=True), list[RemoveReportEntry])
    assert_type(await images.remove("localhost/app:v1"), list[RemoveReportEntry])
    assert_type(await images.prune(all=True, filters={"until": "24h"}), PruneReport)
    assert_type(await images.load(file_path=archive), list[AsyncImage])
    assert_type(await images.load(b"tar bytes", progress=print), list[AsyncImage])
    assert_type(await images.load(io.BytesIO(b"tar bytes")), list[AsyncImage])
    assert_type(await images.load(iter([b"a", b"b"])), list[AsyncImage])
    assert_type(await images.load(archive_chunks()), list[AsyncImage])
    found = assert_type(await images.search("hello", limit=5), list[SearchResult])
    assert_type(found[0]["Name"], str)


async def registry_verbs(images: AsyncImagesManager) -> None:
    pulled = assert_type(await images.pull("quay.io/podman/hello", "latest"), AsyncImage)
    every = assert_type(await images.pull("quay.io/podman/hello", all_tags=True), list[AsyncImage])
    events = await images.pull_stream("quay.io/podman/hello", decode=True, tls_verify=False)
    async with assert_type(events, AsyncPullStream[PullProgress]) as opened_events:
        async for value in opened_events:
            assert_type(value.get("status"), str | None)
        assert_type(opened_events.image_ids, list[str])
        assert_type(opened_events.finished, bool)
    raw = assert_type(await images.pull_stream("quay.io/podman/hello"), AsyncPullStream[bytes])
    async for line in raw:
        assert_type(line, bytes)
    assert_type(await raw.aclose(), None)
    pushed = assert_type(await images.push("localhost:5000/app", "v1", progress=print), PushResult)
    assert_type(pushed.manifest_digest, str | None)
    push_events = await images.push("localhost:5000/app", "v1", stream=True, decode=True)
    async with assert_type(push_events, AsyncPushStream[PushProgress]) as opened_push:
        async for event in opened_push:
            assert_type(event.get("manifestdigest"), str | None)
        assert_type(opened_push.manifest_digest, str | None)
    push_text = await images.push("localhost:5000/app", destination="r/app:v1", stream=True)
    async for text in assert_type(push_text, AsyncPushStream[str]):
        assert_type(text, str)
    built, logs = await images.build(path=".", tag="localhost/app:v1", labels={"a": "1"})
    assert_type(built, AsyncImage)
    for log_line in assert_type(logs, Iterator[bytes]):
        assert_type(log_line, bytes)
    build = await images.build_stream(fileobj="FROM scratch\n", nocache=True)
    async with assert_type(build, AsyncBuildStream) as opened_build:
        async for built_line in opened_build:
            assert_type(built_line, BuildLogLine)
        assert_type(opened_build.image_id, str | None)
        assert_type(await opened_build.image(), AsyncImage)
    data = await images.get_registry_data("quay.io/podman/hello", tls_verify=False)
    assert_type(data, AsyncRegistryData)
    assert_type(data.id, str | None)
    assert_type(data.short_id, str | None)
    assert_type(data.attrs, RegistryDataAttrs)
    assert_type(data.has_platform("linux/amd64"), bool)
    assert_type(await data.pull(platform="linux/amd64"), AsyncImage)
    print(pulled, every)


async def volume_verbs(volumes: AsyncVolumesManager, archive: Path) -> None:
    created = assert_type(
        await volumes.create("v", driver="local", driver_opts={"o": "nodev"}, labels={"a": "b"}),
        AsyncVolume,
    )
    got = assert_type(await volumes.get("v"), AsyncVolume)
    present = assert_type(await volumes.exists("v"), bool)
    every = assert_type(await volumes.list(filters={"label": {"a": "b"}}), list[AsyncVolume])
    pruned = assert_type(await volumes.prune(filters={"label": "a"}), VolumePruneReport)
    reclaimed = assert_type(pruned["SpaceReclaimed"], int)
    tar = assert_type(await volumes.export_archive(got), bytes)
    assert_type(await volumes.import_archive("v", data=tar), None)
    assert_type(await volumes.import_archive(got, path=archive), None)
    assert_type(await volumes.remove(created, force=True), None)
    attrs = assert_type(got.attrs, VolumeAttrs)
    name = assert_type(got.name, str)
    volume_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, VolumeConfigResponse)
    assert_type(await got.reload(), None)
    inspected = assert_type(await got.inspect(), VolumeAttrs)
    assert_type(await got.rename("w"), None)
    assert_type(await got.remove(force=False), None)
    print(present, every, reclaimed, attrs, name, volume_id, short, model, inspected)


async def quadlet_verbs(quadlets: AsyncQuadletsManager, unit: Path) -> None:
    every = assert_type(await quadlets.list(filters={"name": "web*"}), list[AsyncQuadlet])
    got = assert_type(await quadlets.get("web.container"), AsyncQuadlet)
    present = assert_type(await quadlets.exists("web.container"), bool)
    report = assert_type(
        await quadlets.install([("web.container", b"[Container]\n"), unit], reload_systemd=False),
        QuadletInstallReport,
    )
    text = assert_type(await quadlets.get_contents(got), str)
    assert_type(await quadlets.print_contents("web.container"), None)
    removed = assert_type(await quadlets.delete(got, ignore=True), list[str])
    assert_type(await quadlets.delete(all=True, force=True), list[str])
    attrs = assert_type(got.attrs, QuadletAttrs)
    fields = (got.name, got.id, got.short_id, got.unit_name, got.path, got.status)
    assert_type(fields, tuple[str, str, str, str, str, str])
    application = assert_type(got.application, str)
    model = assert_type(got.model, ListQuadlet)
    assert_type(await got.reload(), None)
    assert_type(await got.get_contents(), str)
    assert_type(await got.print_contents(), None)
    assert_type(await got.delete(force=True, reload_systemd=False), list[str])
    print(every, present, report, text, removed, attrs, fields, application, model)


async def artifact_verbs(artifacts: AsyncArtifactsManager, file: Path) -> None:
    digest = assert_type(await artifacts.add("localhost/a:1", path=file, replace=True), str)
    every = assert_type(await artifacts.list(), list[AsyncArtifact])
    got = assert_type(await artifacts.get("localhost/a:1"), AsyncArtifact)
    present = assert_type(await artifacts.exists("localhost/a:1"), bool)
    tar = assert_type(await artifacts.extract(got, digest=digest), bytes)
    pulled = assert_type(await artifacts.pull("r/a:1", tls_verify=False), AsyncArtifact)
    pushed = assert_type(await artifacts.push(got, retry=1), str)
    removed = assert_type(await artifacts.remove(pulled, ignore=True), list[str])
    attrs = assert_type(got.attrs, ArtifactAttrs)
    fields = assert_type(
        (got.name, got.digest, got.manifest), tuple[str, str | None, dict[str, object] | None]
    )
    model = assert_type(got.model, ArtifactInspectReport)
    assert_type(await got.reload(), None)
    assert_type(await got.extract(title="a.txt", exclude_title=True), bytes)
    assert_type(await got.push(tls_verify=False, retry_delay="1s", auth_config={"u": "p"}), str)
    assert_type(await got.remove(), list[str])
    print(every, present, tar, pushed, removed, attrs, fields, model)


async def secret_verbs(secrets: AsyncSecretsManager) -> None:
    created = assert_type(await secrets.create("s", b"data", labels={"a": "b"}), AsyncSecret)
    got = assert_type(await secrets.get("s"), AsyncSecret)
    present = assert_type(await secrets.exists("s"), bool)
    every = assert_type(await secrets.list(filters={"name": "s"}), list[AsyncSecret])
    assert_type(await secrets.remove(created, all=False), None)
    attrs = assert_type(got.attrs, SecretAttrs)
    name = assert_type(got.name, str)
    secret_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, SecretInfoReport)
    assert_type(await got.reload(), None)
    assert_type(await got.remove(), None)
    print(present, every, attrs, name, secret_id, short, model)


async def network_verbs(networks: AsyncNetworksManager) -> None:
    created = assert_type(
        await networks.create("n", dns_enabled=False, subnets=[{"subnet": "10.11.13.0/24"}]),
        AsyncNetwork,
    )
    got = assert_type(await networks.get("n"), AsyncNetwork)
    present = assert_type(await networks.exists("n"), bool)
    every = assert_type(await networks.list(names=["n"]), list[AsyncNetwork])
    pruned = assert_type(await networks.prune(), NetworkPruneReport)
    assert_type(await networks.remove(created, force=True), None)
    attrs = assert_type(got.attrs, NetworkAttrs)
    name = assert_type(got.name, str)
    network_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, NetworkInspectReport)
    assert_type(await got.reload(), None)
    assert_type(await got.connect("c", aliases=["web"]), None)
    assert_type(await got.disconnect("c"), None)
    assert_type(await got.remove(), None)
    print(present, every, pruned, attrs, name, network_id, short, model)


async def pod_verbs(pods: AsyncPodsManager) -> None:
    created = assert_type(await pods.create("p", labels={"a": "b"}, no_infra=True), AsyncPod)
    got = assert_type(await pods.get("p"), AsyncPod)
    present = assert_type(await pods.exists("p"), bool)
    every = assert_type(await pods.list(filters={"name": "p"}), list[AsyncPod])
    pruned = assert_type(await pods.prune(), PodPruneReport)
    raw = assert_type(await pods.stats(name="p"), bytes)
    decoded = assert_type(await pods.stats(all=True, decode=True), list[PodStatsEntry])
    assert_type(await pods.remove(created, force=True), None)
    attrs = assert_type(got.attrs, PodAttrs)
    name = assert_type(got.name, str)
    pod_id = assert_type(got.id, str)
    short = assert_type(got.short_id, str)
    model = assert_type(got.model, InspectPodData)
    assert_type(await got.reload(), None)
    assert_type(await got.start(), None)
    assert_type(await got.stop(timeout=1), None)
    assert_type(await got.restart(), None)
    assert_type(await got.kill(), None)
    assert_type(await got.pause(), None)
    assert_type(await got.unpause(), None)
    top = assert_type(await got.top(), PodTop)
    assert_type(await got.remove(), None)
    print(present, every, pruned, raw, decoded, attrs, name, pod_id, short, model, top)


async def manifest_verbs(manifests: AsyncManifestsManager, images: AsyncImagesManager) -> None:
    image = await images.get("localhost/app:v1")
    created = assert_type(await manifests.create("localhost/l:v1", [image]), AsyncManifest)
    got = assert_type(await manifests.get("localhost/l:v1"), AsyncManifest)
    present = assert_type(await manifests.exists("localhost/l:v1"), bool)
    every = assert_type(await manifests.list(), list[AsyncManifest])
    attrs = assert_type(got.attrs, ManifestAttrs)
    assert_type(await got.reload(), None)
    assert_type(await got.add(["r/x:1"], variant="v8"), None)
    assert_type(await got.remove("sha256:" + "a" * 64), None)
    assert_type(await got.push("r/l:v1", tls_verify=False), None)
    removed = assert_type(await manifests.remove(created), ManifestRemoveReport)
    pruned = assert_type(await images.prune_builds(), BuildPruneReport)
    copied = assert_type(await images.scp("user@host::localhost/app:v1"), ScpReport)
    print(present, every, attrs, got.id, got.name, got.version, removed, pruned, copied)


async def main(client: AsyncPodmanClient) -> None:
    async with client as opened:
        assert_type(opened, AsyncPodmanClient)
        try:
            await system(client)
            image = assert_type(await client.images.get("localhost/app:v1"), AsyncImage)
            image_data(image)
            await image_verbs(image, Path("/tmp/app.tar"))
            await manager_verbs(client.images, Path("/tmp/app.tar"))
            await registry_verbs(client.images)
            await network_verbs(assert_type(client.networks, AsyncNetworksManager))
            await manifest_verbs(
                assert_type(client.manifests, AsyncManifestsManager), client.images
            )
            await secret_verbs(assert_type(client.secrets, AsyncSecretsManager))
            await pod_verbs(assert_type(client.pods, AsyncPodsManager))
            await quadlet_verbs(
                assert_type(client.quadlets, AsyncQuadletsManager), Path("/tmp/Containerfile")
            )
            await artifact_verbs(
                assert_type(client.artifacts, AsyncArtifactsManager), Path("/tmp/a.txt")
            )
            await volume_verbs(
                assert_type(client.volumes, AsyncVolumesManager), Path("/tmp/volume.tar")
            )
        except PullNotFound as exc:
            assert_type(exc.reference, str)
        except ImageNotFound as exc:
            assert_type(exc.explanation, str | None)
        except (PullError, PushError, BuildError) as exc:
            assert_type(exc.transcript, list[str])
        except PodmanConnectionError as exc:
            assert_type(exc.endpoint, str)
    assert_type(await client.aclose(), None)
    print(connect())
