"""A ``podman`` package that serves podman-py's names from podman_sdk (test infrastructure).

:data:`NAMES` is the whole shim: for each podman-py module the tests import from, which
of its names they use and the podman_sdk name that stands for each. A name podman_sdk
lacks becomes a stand-in class (:class:`MissingInPodmanSdk`) that raises, naming it, as
soon as it is used; ``except`` and ``isinstance`` accept it, so the tests that never
touch it still run. The tests' own helpers (``podman.tests``) are not shimmed: the
suite links them in from podman-py's source tree.
"""

from __future__ import annotations

import importlib
from pathlib import Path

# podman-py module -> {podman-py name: podman_sdk top-level name}.
NAMES: dict[str, dict[str, str]] = {
    "podman": {"PodmanClient": "PodmanClient"},
    "podman.domain": {},
    "podman.domain.containers": {"Container": "Container"},
    "podman.domain.images": {"Image": "Image"},
    "podman.domain.ipam": {"IPAMConfig": "IPAMConfig", "IPAMPool": "IPAMPool"},
    "podman.errors": {
        "APIError": "APIError",
        "ContainerError": "ContainerError",
        "ImageNotFound": "ImageNotFound",
        "NotFound": "NotFound",
        "PodmanError": "PodmanError",
    },
}

RUNTIME = '''\
"""Written by the podman-sdk compatibility suite: binds podman-py names to podman_sdk."""

import podman_sdk


class MissingInPodmanSdk(Exception):
    """Stands for a podman-py name that podman_sdk lacks; using it raises."""


def stand_in(module, name, ours):
    message = f"podman_sdk lacks {ours!r}, which stands for podman-py's {module}.{name}"

    def refuse(*args, **kwargs):
        raise MissingInPodmanSdk(message)

    return type(name, (MissingInPodmanSdk,), {"__init__": refuse, "__module__": module,
                                              "__doc__": message})


def bind(namespace, module, names):
    for name, ours in names.items():
        if hasattr(podman_sdk, ours):
            namespace[name] = getattr(podman_sdk, ours)
        else:
            namespace[name] = stand_in(module, name, ours)
    namespace["__all__"] = sorted(names)
'''

MODULE = '''\
"""{module}, served by podman_sdk (written by the podman-sdk compatibility suite)."""

from podman._podman_sdk_shim import bind

bind(globals(), {module!r}, {names!r})
'''


def write_shim(package: Path) -> None:
    """Write the shim's modules into ``package`` (a directory named ``podman``)."""
    package.mkdir(parents=True, exist_ok=True)
    (package / "_podman_sdk_shim.py").write_text(RUNTIME)
    parents = {module.rpartition(".")[0] for module in NAMES}
    for module, names in NAMES.items():
        parts = module.split(".")[1:]
        if module in parents:  # a package: its names go in its __init__
            target = package.joinpath(*parts, "__init__.py")
        else:
            target = package.joinpath(*parts[:-1], f"{parts[-1]}.py")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(MODULE.format(module=module, names=names))


def missing_names() -> list[str]:
    """The podman-py names in :data:`NAMES` that podman_sdk does not have (yet)."""
    sdk = importlib.import_module("podman_sdk")
    return sorted(
        f"{module}.{name}"
        for module, names in NAMES.items()
        for name, ours in names.items()
        if not hasattr(sdk, ours)
    )
