"""What ``containers.run()`` decides, for both clients: what to create, when to pull,
what the output is, and what a failure raises. The managers only do the I/O between.

A run creates the container (pulling the image when the policy says so), starts it,
waits for it without any call timeout, reads its log (Podman keeps it for every log
driver until the container is removed, so the output is there for ``k8s-file``, its
default, as much as for ``json-file``), and with ``remove`` removes it whatever ended
the run: the command failing, the wait interrupted (KeyboardInterrupt, a cancelled
task), or the output failing to arrive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from libpod_client.models import SpecGenerator

from podman_sdk._exceptions import InvalidArgument, NotFound, PodmanError
from podman_sdk.containers._decisions import creation_spec

PullPolicy = Literal["missing", "always", "never", "newer"]
_POLICIES = ("missing", "always", "never", "newer")

#: A run's cleanup does not wait for a graceful stop: the run is over.
CLEANUP_STOP_TIMEOUT = 0


def run_spec(
    image: str,
    command: str | Sequence[str] | None,
    spec: SpecGenerator | None,
    keywords: Mapping[str, object],
    *,
    detach: bool,
    remove: bool,
    policy: str,
) -> SpecGenerator:
    """What ``run()`` creates. Detached with ``remove``, Podman removes the container
    when it exits (podman-py starts a thread for that)."""
    if policy not in _POLICIES:
        raise InvalidArgument(f"policy must be one of {', '.join(_POLICIES)}, not {policy!r}")
    body = creation_spec(image, command, spec, keywords)
    if detach and remove:
        body.remove = True
    return body


def pulls_first(policy: str) -> bool:
    """Pull before creating: ``always`` and ``newer`` ask the registry every time."""
    return policy in ("always", "newer")


def pulls_after(policy: str, error: PodmanError) -> bool:
    """Pull after the create failed: under ``missing`` when the image is missing."""
    return policy == "missing" and isinstance(error, NotFound)


def image_name(image: object) -> str:
    """An image's name: a string as given, an `Image`'s id."""
    if isinstance(image, str):
        return image
    identity = getattr(image, "id", None)
    if isinstance(identity, str):
        return identity
    raise InvalidArgument(f"image must be a name or an Image, not {image!r}")


def note_failed_cleanup(
    in_flight: BaseException | None, container_id: str, problem: PodmanError
) -> None:
    """A removal that failed while another error was on its way: that error stays the
    one raised, and says the container may be left. Otherwise the failure raises."""
    if in_flight is None:
        raise problem
    in_flight.add_note(f"removing container {container_id[:12]} afterwards failed too: {problem}")


def still_in_flight(error: BaseException) -> BaseException | None:
    """The error a streamed run ended with; closing the stream early is none."""
    return None if isinstance(error, GeneratorExit) else error


def with_remove(keywords: Mapping[str, object], remove: bool) -> Mapping[str, object]:
    """``create(remove=True)``, as podman-py reads it: the container is removed when it
    exits, which is the ``auto_remove`` keyword."""
    if not remove:
        return keywords
    if keywords.get("auto_remove") is False:
        raise InvalidArgument("remove=True and auto_remove=False contradict each other")
    return {**keywords, "auto_remove": True}
