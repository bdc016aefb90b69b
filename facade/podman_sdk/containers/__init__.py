"""Containers: ``client.containers`` (`ContainersManager`, `AsyncContainersManager`)
and the `Container` / `AsyncContainer` it hands out."""

from podman_sdk.containers._container import AsyncContainer, Container
from podman_sdk.containers._create_options import CreateKeywords, RunKeywords
from podman_sdk.containers._data import (
    ArchiveStat,
    ChangeEntry,
    ContainerAttrs,
    ContainerConfigAttrs,
    ContainersPruneReport,
    ContainerStateAttrs,
    ExecResult,
    TopAnswer,
    UpdateKeywords,
)
from podman_sdk.containers._manager import AsyncContainersManager, ContainersManager
from podman_sdk.containers._streams import AsyncOutputStream, OutputStream

__all__ = [
    "ArchiveStat",
    "AsyncContainer",
    "AsyncContainersManager",
    "AsyncOutputStream",
    "ChangeEntry",
    "Container",
    "ContainerAttrs",
    "ContainerConfigAttrs",
    "ContainerStateAttrs",
    "ContainersManager",
    "ContainersPruneReport",
    "CreateKeywords",
    "ExecResult",
    "OutputStream",
    "RunKeywords",
    "TopAnswer",
    "UpdateKeywords",
]
