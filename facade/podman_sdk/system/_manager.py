"""`SystemManager` (``client.system``) and its asyncio twin `AsyncSystemManager`: df,
info, login, ping and version, podman-py's names and parameters. The client's own
``df()``, ``info()``, ``login()``, ``ping()`` and ``version()`` are these. Each verb's
decisions are the `Call` of ``_calls``; the twins differ only in awaiting it."""

from __future__ import annotations

from podman_sdk._core._attached import Attached
from podman_sdk._core._calls import perform, perform_async
from podman_sdk._core._connection import AsyncConnection, Connection
from podman_sdk.system import _calls as calls
from podman_sdk.system._types import DiskUsage, LoginReport, VersionInfo


class SystemManager(Attached[Connection]):
    """``client.system``: df, info, login, ping, version."""

    def df(self) -> DiskUsage:
        """GET /libpod/system/df: disk usage by images, containers and volumes."""
        return perform(self._api(), calls.df_call())

    def info(self) -> dict[str, object]:
        """GET /libpod/info: host, store, registries and version details, as the server
        sent them (``host``, ``store``, ``registries``, ``version``...)."""
        return perform(self._api(), calls.info_call())

    def login(
        self,
        username: str,
        password: str | None = None,
        email: str | None = None,
        registry: str | None = None,
        *,
        reauth: bool | None = False,
        dockercfg_path: str | None = None,
        auth: str | None = None,
        identitytoken: str | None = None,
        registrytoken: str | None = None,
        tls_verify: bool | str | None = None,
    ) -> LoginReport:
        """POST /auth: whether the service can log in to ``registry`` with these
        credentials (it keeps none). A refusal raises `APIError` (`ServerError`) with
        the registry's reason. ``dockercfg_path`` and ``tls_verify``, which podman-py
        ignores, raise `InvalidArgument`."""
        call = calls.login_call(
            username,
            password,
            email,
            registry,
            reauth=reauth,
            dockercfg_path=dockercfg_path,
            auth=auth,
            identitytoken=identitytoken,
            registrytoken=registrytoken,
            tls_verify=tls_verify,
        )
        return perform(self._api(), call)

    def ping(self) -> bool:
        """GET /libpod/_ping: True when the service answers. Connection errors raise."""
        return calls.ping_answered(self._api().ping())

    def version(self, *, api_version: bool = True) -> VersionInfo:
        """GET /libpod/version: server and API versions, ``Platform`` included.
        ``api_version=False`` raises `InvalidArgument` (see `version_call`)."""
        return perform(self._api(), calls.version_call(api_version))


class AsyncSystemManager(Attached[AsyncConnection]):
    """``client.system`` of an `AsyncPodmanClient`: `SystemManager`'s verbs, awaited."""

    async def df(self) -> DiskUsage:
        """`SystemManager.df`: GET /libpod/system/df."""
        return await perform_async(self._api(), calls.df_call())

    async def info(self) -> dict[str, object]:
        """`SystemManager.info`: GET /libpod/info."""
        return await perform_async(self._api(), calls.info_call())

    async def login(
        self,
        username: str,
        password: str | None = None,
        email: str | None = None,
        registry: str | None = None,
        *,
        reauth: bool | None = False,
        dockercfg_path: str | None = None,
        auth: str | None = None,
        identitytoken: str | None = None,
        registrytoken: str | None = None,
        tls_verify: bool | str | None = None,
    ) -> LoginReport:
        """`SystemManager.login`: POST /auth."""
        call = calls.login_call(
            username,
            password,
            email,
            registry,
            reauth=reauth,
            dockercfg_path=dockercfg_path,
            auth=auth,
            identitytoken=identitytoken,
            registrytoken=registrytoken,
            tls_verify=tls_verify,
        )
        return await perform_async(self._api(), call)

    async def ping(self) -> bool:
        """`SystemManager.ping`: GET /libpod/_ping."""
        return calls.ping_answered(await self._api().ping())

    async def version(self, *, api_version: bool = True) -> VersionInfo:
        """`SystemManager.version`: GET /libpod/version."""
        return await perform_async(self._api(), calls.version_call(api_version))
