"""``images``: ls, inspect, history, tag, untag, rm, prune (save and load are in
`transfer`, the registry verbs in `registry`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click
from click.shell_completion import CompletionItem

from podman_sdk._cli.connect import choose_from_os, settings
from podman_sdk._cli.output import (
    emit,
    emit_json,
    human_age,
    human_size,
    render_table,
    truncate,
)
from podman_sdk._client import PodmanClient
from podman_sdk._exceptions import PodmanError
from podman_sdk.images._image import Image
from podman_sdk.images._image_id import short_id
from podman_sdk.images._types import HistoryEntry

F = TypeVar("F", bound=Callable[..., Any])

CREATED_BY_WIDTH = 45


def complete_image(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Local image names for shell completion; nothing when the service is unreachable.
    (The group's callback does not run while completing, so read its options here.)"""
    options = ctx.find_root().params
    try:
        choice = choose_from_os(options.get("url"), options.get("connection"))
        with PodmanClient(choice.url, identity=choice.identity, timeout=3) as client:
            names = [tag for image in client.images.list() for tag in image.tags]
    except PodmanError:
        return []
    return [CompletionItem(name) for name in sorted(names) if name.startswith(incomplete)]


def filter_option(help_text: str) -> Callable[[F], F]:
    """``-f/--filter KEY=VALUE``, repeatable, into the ``filters`` parameter (read by
    `parse_filters`); ``help_text`` names the keys the command's route knows."""
    return click.option(
        "-f", "--filter", "filters", multiple=True, metavar="KEY=VALUE", help=help_text
    )


def parse_filters(values: Sequence[str], *, bare_keys: bool = True) -> dict[str, list[str]]:
    """``--filter key=value`` (repeatable) as libpod's filter map: ``label=a=b`` keeps
    ``a=b`` whole; a value-less key (``dangling``) means ``true`` where ``bare_keys``
    allows it (image filters), and is a usage error elsewhere (events: ``type`` alone
    would ask for events of type "true", and match none)."""
    filters: dict[str, list[str]] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not key or (not sep and not bare_keys):
            raise click.BadParameter(f"{value!r}: expected KEY=VALUE", param_hint="--filter")
        filters.setdefault(key, []).append(rest if sep else "true")
    return filters


def split_tag(reference: str) -> tuple[str, str]:
    """``registry:5000/name:tag`` -> (``registry:5000/name``, ``tag``)."""
    name, sep, tag = reference.rpartition(":")
    if not sep or "/" in tag:
        return reference, "<none>"
    return name, tag


def image_rows(images: Sequence[Image], *, no_trunc: bool) -> list[list[str]]:
    rows = []
    for image in images:
        shown_id = image.id.removeprefix("sha256:") if no_trunc else image.short_id
        age = human_age(image.attrs["Created"])
        size = human_size(image.attrs["Size"])
        for reference in image.tags or ["<none>:<none>"]:
            repository, tag = split_tag(reference)
            rows.append([repository, tag, shown_id, age, size])
    return rows


def history_rows(entries: Sequence[HistoryEntry], *, no_trunc: bool) -> list[list[str]]:
    rows = []
    for entry in entries:
        layer = entry["Id"] if no_trunc or entry["Id"] == "<missing>" else short_id(entry["Id"])
        created_by = (
            entry["CreatedBy"] if no_trunc else truncate(entry["CreatedBy"], CREATED_BY_WIDTH)
        )
        rows.append(
            [
                layer,
                human_age(entry["Created"]),
                created_by,
                human_size(entry["Size"]),
                entry["Comment"],
            ]
        )
    return rows


@click.group(short_help="Images: list, inspect, tag, save, load, pull, push, build...")
def images() -> None:
    """Images: ls, inspect, history, tag, untag, rm, prune, save, load, and with a
    registry pull, push, search, build."""


@images.command("ls", short_help="List images, like `podman images`.")
@click.option("-a", "--all", "all_", is_flag=True, help="Include intermediate images.")
@filter_option("dangling, label, reference, before, since...")
@click.option("-q", "--quiet", is_flag=True, help="Print image ids only.")
@click.option("--no-trunc", is_flag=True, help="Full ids.")
def list_images(all_: bool, filters: tuple[str, ...], quiet: bool, no_trunc: bool) -> None:
    """List images (GET /libpod/images/json), like `podman images`."""
    state = settings()
    found = state.client().images.list(all=all_, filters=parse_filters(filters))
    if state.as_json:
        emit_json([image.attrs for image in found])
    elif quiet:
        ids = [image.id if no_trunc else image.short_id for image in found]
        emit("\n".join(dict.fromkeys(ids)))
    else:
        rows = image_rows(found, no_trunc=no_trunc)
        emit(render_table(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"], rows))


@images.command(short_help="Full details of images, as JSON.")
@click.argument("names", nargs=-1, required=True, shell_complete=complete_image)
@click.option(
    "--compat", is_flag=True, help="The Docker-compatible view (GET /images/{name}/json)."
)
def inspect(names: tuple[str, ...], compat: bool) -> None:
    """Full details of images, as JSON (GET /libpod/images/{name}/json)."""
    client = settings().client()
    details = []
    for name in names:
        image = client.images.get(name)
        if compat:
            image.reload(compatible=True)
        details.append(image.attrs)
    emit_json(details)


@images.command(short_help="The layers of an image, newest first.")
@click.argument("name", shell_complete=complete_image)
@click.option("--no-trunc", is_flag=True, help="Full ids and commands.")
def history(name: str, no_trunc: bool) -> None:
    """The layers of an image, newest first (GET /libpod/images/{name}/history)."""
    state = settings()
    entries = state.client().images.get(name).history()
    if state.as_json:
        emit_json(entries)
        return
    rows = history_rows(entries, no_trunc=no_trunc)
    emit(render_table(["ID", "CREATED", "CREATED BY", "SIZE", "COMMENT"], rows))


@images.command(short_help="Add names to an image.")
@click.argument("name", shell_complete=complete_image)
@click.argument("targets", nargs=-1, required=True)
def tag(name: str, targets: tuple[str, ...]) -> None:
    """Add names to an image (POST /libpod/images/{name}/tag)."""
    state = settings()
    image = state.client().images.get(name)
    for target in targets:
        image.tag(target)
    if state.as_json:
        emit_json({"Id": image.id, "Tagged": list(targets)})
        return
    emit("\n".join(f"Tagged {image.short_id} as {target}" for target in targets))


@images.command(short_help="Remove names from an image.")
@click.argument("name", shell_complete=complete_image)
@click.argument("targets", nargs=-1)
def untag(name: str, targets: tuple[str, ...]) -> None:
    """Remove names from an image; all of them when none is given
    (POST /libpod/images/{name}/untag)."""
    state = settings()
    image = state.client().images.get(name)
    removed = list(targets) or image.tags
    if targets:
        for target in targets:
            image.untag(target)
    else:
        image.untag()
    if state.as_json:
        emit_json({"Id": image.id, "Untagged": removed})
        return
    emit("\n".join(f"Untagged: {target}" for target in removed))


@images.command(short_help="Remove images.")
@click.argument("names", nargs=-1, required=True, shell_complete=complete_image)
@click.option("-f", "--force", is_flag=True, help="Also remove images in use.")
def rm(names: tuple[str, ...], force: bool) -> None:
    """Remove images (DELETE /libpod/images/{name})."""
    state = settings()
    client = state.client()
    report = []
    for name in names:
        report += client.images.remove(name, force=force)
    if state.as_json:
        emit_json(report)
        return
    lines = [
        f"{key}: {value}" for entry in report for key, value in entry.items() if key != "ExitCode"
    ]
    emit("\n".join(lines))


@images.command(short_help="Remove dangling or unused images.")
@click.option(
    "-a", "--all", "all_", is_flag=True, help="Every unused image, not only dangling ones."
)
@click.option("-f", "--filter", "filters", multiple=True, metavar="KEY=VALUE")
def prune(all_: bool, filters: tuple[str, ...]) -> None:
    """Remove dangling (or with -a, all unused) images (POST /libpod/images/prune)."""
    state = settings()
    report = state.client().images.prune(all=all_, filters=parse_filters(filters))
    if state.as_json:
        emit_json(report)
        return
    lines = [f"Deleted: {entry['Deleted']}" for entry in report["ImagesDeleted"]]
    lines.append(f"Total reclaimed space: {human_size(report['SpaceReclaimed'])}")
    emit("\n".join(lines))
