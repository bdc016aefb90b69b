"""Local file failures against real services: a full disk (a 1 MiB tmpfs) during
``save_to`` of a bigger image, a directory the SDK may not write to, a missing one, and
an unreadable build context file. Each raises `LocalFileError` naming the caller's
path, leaves nothing behind, leaks no descriptor, and the client keeps working."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from podman_sdk import LocalFileError, PodmanClient, PodmanError

from tests.harness import ImageFactory, PodmanService
from tests.harness.mounts import mounts_below, run_mount, unmount_below
from tests.live.test_cli import run
from tests.unit.file_faults import assert_denied, denied

TMPFS_SIZE = 1024 * 1024
IMAGE_SIZE = 4 * TMPFS_SIZE  # its archive cannot fit


def open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, unmounted (and checked gone) before tmp_path can be deleted."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    directory = tmp_path / "tiny"
    directory.mkdir()
    run_mount("-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "sdk-tiny-disk", str(directory))
    try:
        yield directory
    finally:
        unmount_below(directory)
        assert mounts_below(directory) == []


@pytest.fixture
def client(client: PodmanClient) -> PodmanClient:
    """The shared fixture's (tests/conftest.py: both clients), negotiated and connected
    before the descriptors are counted."""
    client.ping()
    return client


def check(error: LocalFileError, code: int, filename: Path) -> None:
    assert isinstance(error, PodmanError)
    assert isinstance(error, OSError)
    assert error.errno == code
    assert error.filename == str(filename)
    assert ".part" not in str(error)


def test_a_full_disk_during_save_to_raises_local_file_error_and_leaves_nothing(
    podman_service: PodmanService,
    image_factory: ImageFactory,
    client: PodmanClient,
    tiny_disk: Path,
) -> None:
    tag = f"localhost/sdk-full-disk-{podman_service.name}:1"
    image_factory(podman_service, tag, size_bytes=IMAGE_SIZE)
    image = client.images.get(tag)
    target = tiny_disk / "out.tar"
    before = open_descriptors()
    with pytest.raises(LocalFileError) as info:
        image.save_to(target)
    check(info.value, errno.ENOSPC, target)
    assert list(tiny_disk.iterdir()) == []
    assert open_descriptors() <= before
    assert client.images.get(tag).id == image.id  # the client still works


def test_save_to_an_unwritable_or_missing_directory(
    podman_service: PodmanService,
    image_factory: ImageFactory,
    client: PodmanClient,
    tmp_path: Path,
) -> None:
    tag = f"localhost/sdk-denied-{podman_service.name}:1"
    image_factory(podman_service, tag)
    image = client.images.get(tag)
    locked = tmp_path / "locked"
    locked.mkdir()
    before = open_descriptors()
    with denied(locked):
        assert_denied(locked)
        with pytest.raises(LocalFileError) as info:
            image.save_to(locked / "out.tar")
    check(info.value, errno.EACCES, locked / "out.tar")
    with pytest.raises(LocalFileError) as missing:
        image.save_to(tmp_path / "missing" / "out.tar")
    check(missing.value, errno.ENOENT, tmp_path / "missing" / "out.tar")
    assert list(locked.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["locked"]
    assert open_descriptors() <= before


def test_load_of_an_unreadable_or_missing_file(client: PodmanClient, tmp_path: Path) -> None:
    source = tmp_path / "archive.tar"
    source.write_bytes(b"not read")
    before = open_descriptors()
    with denied(source, mode=0o000), pytest.raises(LocalFileError) as info:
        client.images.load(file_path=source)
    check(info.value, errno.EACCES, source)
    with pytest.raises(LocalFileError) as missing:
        client.images.load(file_path=tmp_path / "absent.tar")
    check(missing.value, errno.ENOENT, tmp_path / "absent.tar")
    assert open_descriptors() <= before


def test_build_with_an_unreadable_context_file_breaks_off_and_the_client_goes_on(
    client: PodmanClient, tmp_path: Path
) -> None:
    (tmp_path / "Containerfile").write_text("FROM scratch\nCOPY data.bin /data.bin\n")
    unreadable = tmp_path / "data.bin"
    unreadable.write_bytes(b"x" * 100_000)
    before = open_descriptors()
    with denied(unreadable, mode=0o000), pytest.raises(LocalFileError) as info:
        client.images.build(tmp_path, tag="localhost/sdk-unreadable:1")
    check(info.value, errno.EACCES, unreadable)
    assert open_descriptors() <= before
    assert not client.images.exists("localhost/sdk-unreadable:1")


def test_cli_save_to_a_full_disk_exits_2_naming_the_file(
    podman_service: PodmanService, image_factory: ImageFactory, tiny_disk: Path
) -> None:
    tag = f"localhost/sdk-full-disk-cli-{podman_service.name}:1"
    image_factory(podman_service, tag, size_bytes=IMAGE_SIZE)
    target = tiny_disk / "out.tar"
    done = run(podman_service, "images", "save", tag, "-o", str(target), expect=2)
    stderr = done.stderr.decode()
    assert f"cannot save to {target}: No space left on device" in stderr
    assert "Traceback" not in stderr
    assert list(tiny_disk.iterdir()) == []
