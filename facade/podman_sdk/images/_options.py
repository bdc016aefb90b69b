"""The keyword options of the registry verbs (``**options: Unpack[...]``)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from typing import TypedDict

from podman_sdk.images._progress import BuildLogLine, PullProgress, PushProgress


class PullOptions(TypedDict, total=False):
    """Keyword options of `ImagesManager.pull` (see there)."""

    platform: str | None
    policy: str | None
    auth_config: Mapping[str, str] | None
    tls_verify: bool
    progress: Callable[[PullProgress], None] | None


class PushOptions(TypedDict, total=False):
    """Keyword options of `ImagesManager.push` (see there)."""

    destination: str | None
    auth_config: Mapping[str, str] | None
    tls_verify: bool
    format: str | None
    progress: Callable[[PushProgress], None] | None


class ContainerLimits(TypedDict, total=False):
    """``build(container_limits=...)``: the limits of each container a build runs."""

    memory: int
    memswap: int
    cpushares: int
    cpusetcpus: str
    cpuperiod: int
    cpuquota: int


class BuildOptions(TypedDict, total=False):
    """Keyword options of `ImagesManager.build`, as podman-py documents them. A keyword
    the server cannot honour (``encoding``, ``gzip=True``, ``output``, ``timeout``,
    ``use_config_proxy``) raises `InvalidArgument` naming it; an unknown one too."""

    dockerfile: str | None
    tag: str | builtins.list[str] | None
    buildargs: Mapping[str, str] | None
    labels: Mapping[str, str] | None
    target: str | None
    pull: bool | None
    nocache: bool
    rm: bool
    forcerm: bool
    platform: str | None
    squash: bool | None
    network_mode: str | None
    shmsize: int | None
    layers: bool | None
    quiet: bool
    custom_context: bool
    manifest: str | None
    secrets: builtins.list[str] | None
    container_limits: ContainerLimits | None
    cache_from: builtins.list[str] | None
    extra_hosts: Mapping[str, str] | None
    http_proxy: bool | None
    outputformat: str | None
    isolation: str | None
    timeout: float | None
    encoding: str | None
    gzip: bool
    output: str | None
    use_config_proxy: bool | None
    progress: Callable[[BuildLogLine], None] | None
