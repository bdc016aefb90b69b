"""``images save`` and ``images load``: archives to and from files or pipes, with a
progress line (bytes and rate) and, for save, the archive's sha256."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

import click

from podman_sdk import Image
from podman_sdk._cli.connect import settings
from podman_sdk._cli.images import complete_image
from podman_sdk._cli.output import Progress, emit, emit_json, note

READ_BLOCK = 1024 * 1024
_SUFFIXES = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_byte_size(ctx: click.Context, param: click.Parameter, value: str | int) -> int:
    """``--chunk-size``: ``65536``, ``64K``, ``2M`` or ``1G`` (binary units)."""
    if isinstance(value, int):
        return value
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    unit = text[-1:] if text[-1:] in _SUFFIXES else ""
    number = text[: len(text) - len(unit)]
    if not number.isdigit() or int(number) < 1:
        raise click.BadParameter(f"{value!r} is not a positive byte count such as 65536, 64K or 2M")
    return int(number) * _SUFFIXES[unit]


def save_name(image: Image, given: str, named: bool) -> bool | str:
    """What ``--named`` exports under: the name typed, when it is one of the image's
    tags, else its first tag. Without it the archive carries the id only."""
    if not named:
        return False
    if any(tag == given or tag.endswith("/" + given) for tag in image.tags):
        return given
    return True


def advance_to(progress: Progress) -> Callable[[int, int | None], None]:
    """The SDK's ``progress=`` callback (bytes so far) driving a progress line."""

    def report(done: int, total: int | None) -> None:
        progress.advance(done - progress.done)

    return report


def write_to_pipe(chunks: Iterable[bytes], out: IO[bytes], progress: Progress) -> tuple[int, str]:
    digest = hashlib.sha256()
    for chunk in chunks:
        out.write(chunk)
        digest.update(chunk)
        progress.advance(len(chunk))
    out.flush()
    return progress.done, digest.hexdigest()


@click.command(short_help="Save an image to a file or pipe, with its sha256.")
@click.argument("name", shell_complete=complete_image)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Archive file (default: stdout, when it is not a terminal).",
)
@click.option(
    "--named", is_flag=True, help="Keep the image's name in the archive (default: the id only)."
)
@click.option(
    "--chunk-size",
    type=click.STRING,
    metavar="SIZE",
    callback=parse_byte_size,
    default="2M",
    show_default=True,
    help="Bytes per write to stdout, e.g. 64K or 2M.",
)
def save(name: str, output: Path | None, named: bool, chunk_size: int) -> None:
    """Save an image to a docker-archive (GET /libpod/images/{name}/get), printing
    its size and sha256."""
    state = settings()
    stdout = sys.stdout.buffer
    if output is None and stdout.isatty():
        raise click.UsageError("give -o FILE, or redirect stdout to a file or pipe")
    if output is not None and not output.parent.is_dir():
        raise click.BadParameter(f"{output.parent} is not a directory", param_hint="--output")
    image = state.client().images.get(name)
    export_as = save_name(image, name, named)
    with Progress("saving", image.attrs["Size"] or None) as progress:
        if output is None:
            with image.save(chunk_size=chunk_size, named=export_as) as chunks:
                size, sha256 = write_to_pipe(chunks, stdout, progress)
        else:
            saved = image.save_to(output, named=export_as, progress=advance_to(progress))
            size, sha256 = saved.size, saved.sha256
        progress.finish()
    result = {
        "Id": image.id,
        "Path": str(output) if output else "-",
        "Size": size,
        "Sha256": sha256,
    }
    if output is None:
        note(f"sha256:{sha256}  {size} bytes")  # stdout carries the archive
    elif state.as_json:
        emit_json(result)
    else:
        emit(f"Saved {name} to {output}: {size} bytes, sha256:{sha256}")


def read_blocks(file: IO[bytes]) -> Iterator[bytes]:
    while block := file.read(READ_BLOCK):
        yield block


@click.command(short_help="Load images from an archive file or stdin.")
@click.option(
    "-i",
    "--input",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Archive file (default: stdin).",
)
def load(source: Path | None) -> None:
    """Load images from an archive (POST /libpod/images/load)."""
    state = settings()
    stdin = sys.stdin.buffer
    if source is None and stdin.isatty():
        raise click.UsageError("give -i FILE, or pipe an archive on stdin")
    client = state.client()
    total = None if source is None else source.stat().st_size
    with Progress("loading", total) as progress:
        if source is None:
            loaded = client.images.load(read_blocks(stdin), progress=advance_to(progress))
        else:
            loaded = client.images.load(file_path=source, progress=advance_to(progress))
        progress.finish()
    if state.as_json:
        emit_json([{"Id": image.id, "RepoTags": image.tags} for image in loaded])
        return
    emit("\n".join(f"Loaded image: {', '.join(image.tags) or image.id}" for image in loaded))
