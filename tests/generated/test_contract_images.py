"""Contract: the generated models parse the real responses of both live services.

For every image operation the SDK uses, call the generated `sync_detailed` function
against the real service and check that the response parses into the declared model,
with the fields a user needs present. A spec that disagrees with the server shows up
here first (history's array, Go's null slices and maps, search's list).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from libpod_client import Client, errors
from libpod_client.api.images import (
    image_changes_libpod,
    image_delete_all_libpod,
    image_delete_libpod,
    image_exists_libpod,
    image_get_libpod,
    image_history_libpod,
    image_inspect_libpod,
    image_list_libpod,
    image_load_libpod,
    image_prune_libpod,
    image_pull_libpod,
    image_search_libpod,
    image_tag_libpod,
    image_tree_libpod,
    image_untag_libpod,
)
from libpod_client.api.images_compat import image_history, image_inspect, image_list
from libpod_client.models import (
    HistoryResponse,
    ImageData,
    ImageInspect,
    ImageLoadReport,
    ImageTreeReport,
    LibpodImagesPullReport,
    LibpodImagesRemoveReport,
    LibpodImageSummary,
    PruneReport,
    Summary,
)
from libpod_client.types import File

from tests.harness import PodmanService, Registry, build_test_image, push_image, remove_image


@dataclass(frozen=True)
class Built:
    service: PodmanService
    tag: str
    id: str


def generated_client(service: PodmanService) -> Client:
    transport = httpx.HTTPTransport(uds=str(service.socket_path))
    # libpod routes exist only under a version prefix (/libpod/... alone is a 404).
    return Client(
        base_url=f"http://d/v{service.version}",
        httpx_args={"transport": transport},
        timeout=httpx.Timeout(120),
    )


@pytest.fixture
def client(podman_service: PodmanService) -> Iterator[Client]:
    with generated_client(podman_service) as generated:
        yield generated


@pytest.fixture
def built(podman_service: PodmanService) -> Iterator[Built]:
    tag = f"localhost/contract-{uuid.uuid4().hex[:8]}:v1"
    image = build_test_image(podman_service, tag, labels={"org.example.role": "contract"})
    yield Built(podman_service, tag, image)
    remove_image(podman_service, image)


def test_list_parses(client: Client, built: Built) -> None:
    response = image_list_libpod.sync_detailed(client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, list)
    (summary,) = [s for s in response.parsed if s.id == built.id]
    assert isinstance(summary, LibpodImageSummary)
    assert summary.repo_tags == [built.tag]
    assert summary.labels is not None
    assert summary.labels["org.example.role"] == "contract"
    assert summary.size > 0
    assert summary.created > 0


def test_inspect_parses(client: Client, built: Built) -> None:
    response = image_inspect_libpod.sync_detailed(built.tag, client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, ImageData)
    assert response.parsed.id == built.id
    assert response.parsed.repo_tags == [built.tag]
    assert response.parsed.labels is not None
    assert response.parsed.labels["org.example.role"] == "contract"


def test_history_parses(client: Client, built: Built) -> None:
    """Override: the spec declares one object; the server sends an array."""
    response = image_history_libpod.sync_detailed(built.tag, client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, list)
    assert response.parsed
    assert all(isinstance(entry, HistoryResponse) for entry in response.parsed)
    top = response.parsed[0]
    assert top.id == built.id
    assert top.tags in (None, [built.tag])  # Go's nil slice: 4.3.1 sends null here
    assert top.created_by


def test_compat_history_parses(client: Client, built: Built) -> None:
    response = image_history.sync_detailed(built.tag, client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, list)
    assert all(isinstance(entry, HistoryResponse) for entry in response.parsed)


def test_tree_parses(client: Client, built: Built) -> None:
    response = image_tree_libpod.sync_detailed(built.tag, client=client)
    assert response.status_code == 200
    assert isinstance(response.parsed, ImageTreeReport)
    assert built.id[:12] in response.parsed.tree


def test_exists_answers_204_and_404(client: Client, built: Built) -> None:
    assert image_exists_libpod.sync_detailed(built.tag, client=client).status_code == 204
    # An error status raises, with the server's ErrorModel parsed.
    with pytest.raises(errors.StatusError) as info:
        image_exists_libpod.sync_detailed("localhost/absent-image:none", client=client)
    assert info.value.status_code == 404
    assert info.value.error is not None
    assert "absent-image" in str(info.value.error.message)


def test_changes_answers(client: Client, built: Built) -> None:
    response = image_changes_libpod.sync_detailed(built.tag, client=client)
    assert response.status_code == 200
    assert isinstance(response.content, bytes)


def test_tag_untag_and_remove_parse(client: Client, built: Built) -> None:
    tagged = image_tag_libpod.sync_detailed(
        built.id, client=client, repo="localhost/contract-extra", tag="t2"
    )
    assert tagged.status_code == 201
    untagged = image_untag_libpod.sync_detailed(
        built.id, client=client, repo="localhost/contract-extra", tag="t2"
    )
    assert untagged.status_code == 201
    removed = image_delete_libpod.sync_detailed(built.id, client=client, force=True)
    assert removed.status_code == 200
    assert isinstance(removed.parsed, LibpodImagesRemoveReport)
    assert removed.parsed.deleted == [built.id]
    assert removed.parsed.untagged == [built.tag]


def test_batch_remove_parses(client: Client, built: Built) -> None:
    response = image_delete_all_libpod.sync_detailed(
        client=client, images=[built.id], all_=False, force=True
    )
    assert response.status_code == 200
    assert isinstance(response.parsed, LibpodImagesRemoveReport)
    assert response.parsed.deleted == [built.id]


def test_prune_parses_with_nothing_and_with_something(
    client: Client, podman_service: PodmanService
) -> None:
    nothing = image_prune_libpod.sync_detailed(
        client=client, filters={"label": ["no-such-label=x"]}
    )
    assert nothing.status_code == 200
    assert nothing.parsed in ([], None)  # the server answers `null` when nothing is pruned
    tag = f"localhost/prunable-{uuid.uuid4().hex[:8]}:v1"
    image = build_test_image(podman_service, tag, labels={"prune-me": tag})
    try:
        image_untag_libpod.sync_detailed(image, client=client)
        pruned = image_prune_libpod.sync_detailed(
            client=client, filters={"label": [f"prune-me={tag}"]}
        )
        assert pruned.status_code == 200
        assert isinstance(pruned.parsed, list)
        assert [report.id for report in pruned.parsed] == [image]
        assert all(isinstance(report, PruneReport) for report in pruned.parsed)
    finally:
        remove_image(podman_service, image)


def test_export_and_load_parse(client: Client, built: Built) -> None:
    exported = image_get_libpod.sync_detailed(built.tag, client=client, format_="docker-archive")
    assert exported.status_code == 200
    assert isinstance(exported.parsed, File)
    archive = exported.parsed.payload.read()
    assert len(archive) > 1024
    image_delete_libpod.sync_detailed(built.id, client=client, force=True)
    loaded = image_load_libpod.sync_detailed(client=client, body=File(payload=io.BytesIO(archive)))
    assert loaded.status_code == 200
    assert isinstance(loaded.parsed, ImageLoadReport)
    assert loaded.parsed.names
    assert built.tag in loaded.parsed.names[0] or built.id in loaded.parsed.names[0]


def test_pull_quiet_and_search_parse(client: Client, built: Built, registry: Registry) -> None:
    remote = f"{registry.host}/contract/{built.tag.split('/')[-1]}"
    push_image(built.service, built.tag, remote)
    repository = remote.rsplit(":", 1)[0]
    searched = image_search_libpod.sync_detailed(
        client=client, term=f"{registry.host}/contract", tls_verify=False
    )
    assert searched.status_code == 200, searched.content
    assert isinstance(searched.parsed, list)
    assert repository in [entry.name for entry in searched.parsed]
    tags = image_search_libpod.sync_detailed(
        client=client, term=repository, tls_verify=False, list_tags=True
    )
    assert tags.status_code == 200, tags.content
    assert isinstance(tags.parsed, list)
    assert [(entry.name, entry.tag) for entry in tags.parsed] == [(repository, "v1")]
    remove_image(built.service, built.id)
    pulled = image_pull_libpod.sync_detailed(
        client=client, reference=remote, quiet=True, tls_verify=False
    )
    assert pulled.status_code == 200
    # JSON lines (spec/streams.yaml): a quiet pull writes the final report alone.
    (report,) = pulled.parsed
    assert isinstance(report, LibpodImagesPullReport)
    assert report.id == built.id.removeprefix("sha256:")
    remove_image(built.service, built.id)


def test_compat_list_and_inspect_parse(client: Client, built: Built) -> None:
    listed = image_list.sync_detailed(client=client)
    assert listed.status_code == 200
    assert isinstance(listed.parsed, list)
    (summary,) = [s for s in listed.parsed if s.id.removeprefix("sha256:") == built.id]
    assert isinstance(summary, Summary)
    assert summary.repo_tags == [built.tag]
    inspected = image_inspect.sync_detailed(built.tag, client=client)
    assert inspected.status_code == 200
    assert isinstance(inspected.parsed, ImageInspect)
    assert inspected.parsed.id.removeprefix("sha256:") == built.id
    assert inspected.parsed.repo_tags == [built.tag]
