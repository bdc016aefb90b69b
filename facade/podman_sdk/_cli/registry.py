"""``images pull``, ``push``, ``search`` and ``build``: the registry verbs, with the
server's progress shown live on stderr, one line per layer step as it happens."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from podman_sdk import BuildLogLine, Image, PullProgress, PushProgress, SearchResult
from podman_sdk._cli.connect import Settings, settings
from podman_sdk._cli.images import complete_image, filter_option, parse_filters
from podman_sdk._cli.layers import LayerBars
from podman_sdk._cli.output import emit, emit_json, note, render_table, truncate
from podman_sdk.images._image_id import full_image_id

# Podman names layers and configs by full digest; 12 hex characters identify them.
_DIGEST = re.compile(r"(?:sha256:)?([0-9a-f]{12})[0-9a-f]{52}")
DESCRIPTION_WIDTH = 45


def short_digests(line: str) -> str:
    """``Copying blob sha256:<64 hex>`` -> ``Copying blob <12 hex>``."""
    return _DIGEST.sub(lambda match: match.group(1), line)


def parse_creds(creds: str | None, state: Settings) -> dict[str, str] | None:
    """``--creds USER[:PASSWORD]`` as an auth config; without the password, ask for it
    (hidden). The password is registered as a secret, so ``--trace`` masks it."""
    if creds is None:
        return None
    username, sep, password = creds.partition(":")
    if not username:
        raise click.BadParameter("expected USER[:PASSWORD]", param_hint="--creds")
    if not sep:
        password = click.prompt(f"Password for {username}", hide_input=True, err=True)
    state.add_secret(password)
    return {"username": username, "password": password}


def parse_pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """Repeated ``KEY=VALUE`` options as a dict."""
    pairs = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not key or not sep:
            raise click.BadParameter(f"{value!r}: expected KEY=VALUE", param_hint=option)
        pairs[key] = rest
    return pairs


class LiveLog:
    """Prints each progress line of the server on stderr as it arrives, unless quiet
    (through ``write``: above a pull's layer bars)."""

    def __init__(self, quiet: bool, write: Callable[[str], None] = note) -> None:
        self.quiet = quiet
        self.lines = 0
        self._write = write

    def __call__(self, event: PullProgress | PushProgress | BuildLogLine) -> None:
        text = event.get("stream")
        if not isinstance(text, str) or self.quiet:
            return
        for line in text.splitlines():
            # A build ends with the bare image id, which the command prints on stdout.
            if line.strip() and full_image_id(line.strip()) is None:
                self.lines += 1
                self._write(short_digests(line.rstrip()))


class PullDisplay:
    """A pull's events on stderr: the log lines, and on Podman 6 a byte bar per layer
    (its ``pullProgress`` events, whose own ``stream`` is no log line)."""

    def __init__(self, quiet: bool, bars: LayerBars | None = None) -> None:
        self.bars = bars if bars is not None else LayerBars()
        self.log = LiveLog(quiet, self.bars.note)

    def __call__(self, event: PullProgress) -> None:
        layer = event.get("pullProgress")
        if layer is None:
            self.log(event)
        elif not self.log.quiet:
            self.bars.update(layer)


def image_summary(image: Image) -> dict[str, object]:
    return {"Id": image.id, "RepoTags": image.tags}


creds_option = click.option(
    "--creds", metavar="USER[:PASSWORD]", help="Registry credentials (asks for a missing password)."
)
tls_option = click.option(
    "--tls-verify/--no-tls-verify",
    default=True,
    show_default=True,
    help="Verify the registry's TLS.",
)
quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress lines.")


@click.command(short_help="Pull an image, showing each layer.")
@click.argument("reference")
@click.option("-a", "--all-tags", is_flag=True, help="Every tag of the repository.")
@click.option("--platform", metavar="OS[/ARCH[/VARIANT]]")
@click.option("--policy", type=click.Choice(["always", "missing", "never", "newer"]))
@creds_option
@tls_option
@quiet_option
def pull(
    *,
    reference: str,
    all_tags: bool,
    platform: str | None,
    policy: str | None,
    creds: str | None,
    tls_verify: bool,
    quiet: bool,
) -> None:
    """Pull an image from a registry (POST /libpod/images/pull), showing each layer
    (with a byte bar per layer from Podman 6)."""
    state = settings()
    auth = parse_creds(creds, state)
    manager = state.client().images
    show = PullDisplay(quiet)
    # A decoded stream: the one a Podman 6 service sends each layer's progress to.
    with manager.pull_stream(
        reference,
        None,
        all_tags,
        decode=True,
        platform=platform,
        policy=policy,
        auth_config=auth,
        tls_verify=tls_verify,
    ) as events:
        for event in events:
            show(event)
        ids = events.image_ids if all_tags else events.image_ids[-1:]
    images = [manager.get(image_id) for image_id in ids]
    if state.as_json:
        emit_json([image_summary(image) for image in images])
        return
    emit("\n".join(image.id for image in images))


@click.command(short_help="Push an image, showing each layer.")
@click.argument("name", shell_complete=complete_image)
@click.argument("destination", required=False)
@click.option("--format", "format_", type=click.Choice(["oci", "v2s1", "v2s2"]))
@creds_option
@tls_option
@quiet_option
def push(
    *,
    name: str,
    destination: str | None,
    format_: str | None,
    creds: str | None,
    tls_verify: bool,
    quiet: bool,
) -> None:
    """Push an image to a registry (POST /libpod/images/{name}/push), showing each
    layer; prints the manifest digest when the server or registry tells it."""
    state = settings()
    auth = parse_creds(creds, state)
    result = state.client().images.push(
        name,
        destination=destination,
        auth_config=auth,
        tls_verify=tls_verify,
        format=format_,
        progress=LiveLog(quiet),
    )
    pushed = {"Name": name, "Destination": destination or name, "Digest": result.manifest_digest}
    if state.as_json:
        emit_json(pushed)
        return
    where = name if destination is None else f"{name} to {destination}"
    digest = f": {result.manifest_digest}" if result.manifest_digest else ""
    emit(f"Pushed {where}{digest}")


def search_rows(
    results: Sequence[SearchResult], *, list_tags: bool, no_trunc: bool
) -> list[list[str]]:
    if list_tags:
        return [[str(entry["Name"]), str(entry["Tag"])] for entry in results]
    rows = []
    for entry in results:
        description = str(entry["Description"])
        if not no_trunc:
            description = truncate(description, DESCRIPTION_WIDTH)
        rows.append([str(entry["Name"]), description, str(entry["Stars"]), str(entry["Official"])])
    return rows


@click.command(short_help="Search registries, or list a repository's tags.")
@click.argument("term")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many results per registry.")
@filter_option("is-official, is-automated, stars.")
@click.option("--list-tags", is_flag=True, help="The tags of the repository TERM names.")
@click.option("--no-trunc", is_flag=True, help="Full descriptions.")
@tls_option
def search(
    *,
    term: str,
    limit: int | None,
    filters: tuple[str, ...],
    list_tags: bool,
    no_trunc: bool,
    tls_verify: bool,
) -> None:
    """Search registries for images (GET /libpod/images/search)."""
    state = settings()
    results = state.client().images.search(
        term,
        limit=limit,
        filters=parse_filters(filters),
        list_tags=list_tags,
        tls_verify=tls_verify,
    )
    if state.as_json:
        emit_json(results)
        return
    headers = ["NAME", "TAG"] if list_tags else ["NAME", "DESCRIPTION", "STARS", "OFFICIAL"]
    rows = search_rows(results, list_tags=list_tags, no_trunc=no_trunc)
    emit(render_table(headers, rows))


@click.command(short_help="Build an image, showing the log as it runs.")
@click.argument(
    "context", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "-f",
    "--file",
    "containerfile",
    metavar="FILE",
    help="Containerfile (default: Containerfile or Dockerfile in CONTEXT); '-' reads stdin.",
)
@click.option("-t", "--tag", "tags", multiple=True, help="Name the image (repeatable).")
@click.option("--build-arg", "build_args", multiple=True, metavar="KEY=VALUE")
@click.option("--label", "labels", multiple=True, metavar="KEY=VALUE")
@click.option("--target", help="Build up to this stage.")
@click.option("--no-cache", is_flag=True)
@click.option("--platform", metavar="OS[/ARCH[/VARIANT]]")
@quiet_option
def build(
    *,
    context: Path | None,
    containerfile: str | None,
    tags: tuple[str, ...],
    build_args: tuple[str, ...],
    labels: tuple[str, ...],
    target: str | None,
    no_cache: bool,
    platform: str | None,
    quiet: bool,
) -> None:
    """Build an image (POST /libpod/build), showing the build log as it runs; prints
    the image id."""
    state = settings()
    if context is None and containerfile is None:
        raise click.UsageError("give a CONTEXT directory, or -f FILE (or -f - for stdin)")
    fileobj: bytes | None = None
    if containerfile == "-":
        if context is not None:
            raise click.UsageError("-f - (a Containerfile on stdin) builds without a CONTEXT")
        fileobj = sys.stdin.buffer.read()
        containerfile = None
    elif context is None and containerfile is not None:
        fileobj = Path(containerfile).read_bytes()
        containerfile = None
    image, _ = state.client().images.build(
        context,
        fileobj,
        dockerfile=containerfile,
        tag=list(tags) or None,
        buildargs=parse_pairs(build_args, "--build-arg") or None,
        labels=parse_pairs(labels, "--label") or None,
        target=target,
        nocache=no_cache,
        platform=platform,
        progress=LiveLog(quiet),
    )
    if state.as_json:
        emit_json(image_summary(image))
        return
    emit(image.id)
