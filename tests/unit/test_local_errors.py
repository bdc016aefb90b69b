"""Local file failures in save_to, load and build raise `LocalFileError`: a PodmanError
and an OSError with the system's errno, naming the caller's path; nothing is left
behind, and the CLI exits 2. Permissions are denied for real (see ``file_faults``);
a full disk is simulated here and real in tests/live/test_local_faults.py."""

from __future__ import annotations

import errno
import io
import pickle
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from podman_sdk import LocalFileError, PodmanClient, PodmanError
from podman_sdk._cli import cli
from podman_sdk._cli.connect import Settings
from podman_sdk.images._archive import _receive_into, _writer

from tests.harness import both_clients
from tests.harness.click_runner import cli_runner
from tests.unit.file_faults import assert_denied, denied
from tests.unit.test_archive import ARCHIVE, Chunks, LoadServer, client_for, image_of, leftovers


def check(error: LocalFileError, code: int, filename: Path | str) -> None:
    assert isinstance(error, PodmanError)
    assert isinstance(error, OSError)
    assert error.errno == code
    assert error.filename == str(filename)
    assert str(filename) in str(error)
    assert ".part" not in str(error)
    assert ".part" not in repr(error)
    cause = error.__cause__
    if cause is not None:  # the system's own error, renamed to the caller's path
        assert isinstance(cause, OSError)
        assert cause.filename == str(filename)


def no_request(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


# -- save_to ----------------------------------------------------------------------------


def test_save_to_a_missing_directory_raises_before_any_request(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.tar"
    with client_for(export=no_request) as client, pytest.raises(LocalFileError) as info:
        image_of(client).save_to(target)
    check(info.value, errno.ENOENT, target)
    assert leftovers(tmp_path) == []


def test_save_to_a_directory_raises_eisdir(tmp_path: Path) -> None:
    with client_for(export=no_request) as client, pytest.raises(LocalFileError) as info:
        image_of(client).save_to(tmp_path)
    check(info.value, errno.EISDIR, tmp_path)


def test_save_to_below_a_file_raises_enotdir(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    target = tmp_path / "file" / "out.tar"
    with client_for(export=no_request) as client, pytest.raises(LocalFileError) as info:
        image_of(client).save_to(target)
    check(info.value, errno.ENOTDIR, target)


def test_save_to_an_unwritable_directory_names_the_target_not_the_part_file(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "locked"
    directory.mkdir()
    target = directory / "out.tar"
    with client_for(export=no_request) as client:
        image = image_of(client)
        with denied(directory):
            assert_denied(directory)
            with pytest.raises(LocalFileError) as info:
                image.save_to(target)
    check(info.value, errno.EACCES, target)
    assert leftovers(directory) == []


def test_a_full_disk_while_writing_names_the_target(tmp_path: Path) -> None:
    class FullDisk(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".x.part"))

    target = tmp_path / "out.tar"
    write = _writer(FullDisk(), target)  # type: ignore[arg-type]
    with pytest.raises(LocalFileError) as info:
        write(b"data")
    check(info.value, errno.ENOSPC, target)


def test_a_full_disk_during_save_to_leaves_nothing(tmp_path: Path) -> None:
    """/dev/full answers every write with ENOSPC: the save's own file is swapped for
    it by a writer that writes there, so the whole path runs with a real ENOSPC."""
    body = Chunks([b"x" * 40_000] * 20)
    target = tmp_path / "out.tar"
    with (
        client_for(export=lambda r: httpx.Response(200, stream=body)) as client,
        open("/dev/full", "wb", buffering=0) as full,
    ):
        write = _writer(full, target)
        with pytest.raises(LocalFileError) as info:
            _receive_into(client.images._api(), "x", write, None)
    check(info.value, errno.ENOSPC, target)
    assert body.closed
    assert body.yielded == 1
    assert leftovers(tmp_path) == []


# -- load -------------------------------------------------------------------------------


def test_load_of_a_missing_file_raises_before_any_request(tmp_path: Path) -> None:
    source = tmp_path / "absent.tar"
    with client_for(load=no_request) as client, pytest.raises(LocalFileError) as info:
        client.images.load(file_path=source)
    check(info.value, errno.ENOENT, source)


def test_load_of_a_directory_raises_eisdir(tmp_path: Path) -> None:
    with client_for(load=no_request) as client, pytest.raises(LocalFileError) as info:
        client.images.load(file_path=tmp_path)
    check(info.value, errno.EISDIR, tmp_path)


def test_load_of_an_unreadable_file_raises_eacces(tmp_path: Path) -> None:
    source = tmp_path / "archive.tar"
    source.write_bytes(ARCHIVE)
    with (
        client_for(load=no_request) as client,
        denied(source, mode=0o000),
        pytest.raises(LocalFileError) as info,
    ):
        client.images.load(file_path=source)
    check(info.value, errno.EACCES, source)


def test_a_read_error_from_a_callers_file_names_it(tmp_path: Path) -> None:
    class Broken(io.RawIOBase):
        name = str(tmp_path / "broken.tar")

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            raise OSError(errno.EIO, "Input/output error")

    server = LoadServer()
    with client_for(load=server) as client, pytest.raises(LocalFileError) as info:
        client.images.load(Broken())
    check(info.value, errno.EIO, tmp_path / "broken.tar")


# -- build ------------------------------------------------------------------------------


def build_client(bodies: list[bytes], flavour: str) -> AbstractContextManager[PodmanClient]:
    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.read())  # reads the context, as a server would
        return httpx.Response(200, text='{"stream": "ok"}\n')

    transport = httpx.MockTransport(handler)
    return both_clients.client_for(flavour, None, transport=transport, version="4.3.1")


def test_build_of_a_missing_context_directory_raises_enoent(tmp_path: Path, flavour: str) -> None:
    bodies: list[bytes] = []
    with build_client(bodies, flavour) as client, pytest.raises(LocalFileError) as info:
        client.images.build(tmp_path / "nope")
    check(info.value, errno.ENOENT, tmp_path / "nope")
    assert bodies == []


def test_build_with_an_unreadable_context_file_names_that_file(
    tmp_path: Path, flavour: str
) -> None:
    (tmp_path / "Containerfile").write_text("FROM scratch\nCOPY secret.txt /\n")
    unreadable = tmp_path / "secret.txt"
    unreadable.write_text("s")
    bodies: list[bytes] = []
    with (
        build_client(bodies, flavour) as client,
        denied(unreadable, mode=0o000),
        pytest.raises(LocalFileError) as info,
    ):
        client.images.build(tmp_path)
    check(info.value, errno.EACCES, unreadable)
    assert bodies == []  # the upload broke off: nothing reached the server


def test_build_with_an_unreadable_ignore_file(tmp_path: Path, flavour: str) -> None:
    (tmp_path / "Containerfile").write_text("FROM scratch\n")
    ignore = tmp_path / ".containerignore"
    ignore.write_text("*.log\n")
    with (
        build_client([], flavour) as client,
        denied(ignore, mode=0o000),
        pytest.raises(LocalFileError) as info,
    ):
        client.images.build(tmp_path)
    check(info.value, errno.EACCES, ignore)


# -- CLI --------------------------------------------------------------------------------


def run_cli(*args: str, handler: httpx.MockTransport) -> tuple[int, str]:
    settings = Settings(transport=handler)
    result = cli_runner().invoke(cli, ["--url", "http://podman.test", *args], obj=settings)
    return result.exit_code, result.stderr


def ping_and_inspect(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/_ping"):
        return httpx.Response(200, text="OK", headers={"Libpod-Api-Version": "4.3.1"})
    if request.url.path.endswith("/json"):
        return httpx.Response(200, json={"Id": "ab" * 32, "RepoTags": ["localhost/a:1"]})
    raise AssertionError(f"no request expected, got {request.method} {request.url}")


def test_cli_exits_2_naming_the_path_for_an_unwritable_target(tmp_path: Path) -> None:
    directory = tmp_path / "locked"
    directory.mkdir()
    target = directory / "out.tar"
    with denied(directory):
        code, stderr = run_cli(
            "images", "save", "localhost/a:1", "-o", str(target),
            handler=httpx.MockTransport(ping_and_inspect),
        )  # fmt: skip
    assert code == 2, stderr
    assert f"cannot save to {target}: Permission denied" in stderr
    assert ".part" not in stderr
    assert list(directory.iterdir()) == []


def test_cli_exits_2_for_an_unreadable_build_context_file(tmp_path: Path) -> None:
    (tmp_path / "Containerfile").write_text("FROM scratch\n")
    unreadable = tmp_path / "data.bin"
    unreadable.write_bytes(b"x")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/_ping"):
            return ping_and_inspect(request)
        request.read()
        raise AssertionError("the context cannot be read: nothing may arrive")

    with denied(unreadable, mode=0o000):
        code, stderr = run_cli(
            "images", "build", str(tmp_path), "-t", "localhost/b:1",
            handler=httpx.MockTransport(handler),
        )  # fmt: skip
    assert code == 2, stderr
    assert f"{unreadable}: Permission denied" in stderr


def test_the_error_survives_pickling() -> None:
    """As it must to cross a process pool: an OSError pickles its args only."""
    error = LocalFileError(
        errno.ENOSPC, "No space left on device", "/x.tar", action="cannot save to"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.errno, copy.filename, str(copy)) == (error.errno, error.filename, str(error))
