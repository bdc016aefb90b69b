"""Registry credentials for one request: the ``X-Registry-Auth`` header, and what
becomes of them once the request was sent.

Podman reads the header as base64url (with padding) of a JSON object, the same one
Docker defines (``types.AuthConfig``): ``username``, ``password``, and optionally
``email``, ``serveraddress``, ``identitytoken``, ``registrytoken``. Standard base64 would
put ``+`` and ``/`` in the header, which the server's URL-safe decoder rejects for some
passwords and not others, so everything goes through `encode_registry_auth`.

A sent request stays reachable from what the SDK hands out: ``exc.response.request``,
an httpx error's ``request`` in an exception's ``__cause__``, a response hook's
response. httpx masks only ``Authorization`` in a headers repr, and ``headers[...]``
masks nothing, so the send path (`ServiceHttpClient.send`) calls `redact_credentials`
on every request once it is sent: from then on it holds no credential in any encoding.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

import httpx

from podman_sdk._exceptions import InvalidArgument

__all__ = [
    "AUTH_KEYS",
    "CREDENTIAL_HEADERS",
    "REDACTED",
    "encode_registry_auth",
    "redact_credentials",
    "registry_auth_headers",
]

#: The keys Podman's AuthConfig understands (case as Docker documents them).
AUTH_KEYS = ("username", "password", "email", "serveraddress", "identitytoken", "registrytoken")

#: Request headers that carry credentials, lower-case. X-Registry-Config holds a map of
#: registry credentials (a build's), X-Registry-Auth one set (base64url JSON).
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-registry-auth", "x-registry-config", "cookie"}
)
#: What a credential header holds once its request was sent.
REDACTED = "<redacted>"


def encode_registry_auth(auth_config: Mapping[str, str]) -> str:
    """The ``X-Registry-Auth`` value for ``auth_config``: URL-safe base64 of its JSON.

    Raises:
        InvalidArgument: an unknown key, a value that is not a str, or neither a
            username with a password nor a token.
    """
    if not isinstance(auth_config, Mapping):
        raise InvalidArgument(
            f"auth_config must be a mapping such as {{'username': ..., 'password': ...}}, "
            f"not {type(auth_config).__name__}"
        )
    unknown = sorted(str(key) for key in auth_config if key not in AUTH_KEYS)
    if unknown:
        raise InvalidArgument(f"auth_config: unknown key(s) {unknown}; known: {list(AUTH_KEYS)}")
    for key, value in auth_config.items():
        if not isinstance(value, str):
            raise InvalidArgument(f"auth_config[{key!r}] must be a str, not {type(value).__name__}")
    has_login = "username" in auth_config and "password" in auth_config
    has_token = bool(auth_config.get("identitytoken") or auth_config.get("registrytoken"))
    if not (has_login or has_token):
        raise InvalidArgument(
            "auth_config needs 'username' and 'password' (or 'identitytoken'/'registrytoken')"
        )
    # ensure_ascii=False: the JSON is UTF-8, as Go's decoder expects; the base64 layer
    # keeps the header itself ASCII.
    document = json.dumps(dict(auth_config), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode("utf-8")).decode("ascii")


def registry_auth_headers(auth_config: Mapping[str, str] | None) -> dict[str, str]:
    """``{"X-Registry-Auth": ...}`` for ``auth_config``, or ``{}`` without one (the
    service then uses its own auth file)."""
    if auth_config is None:
        return {}
    return {"X-Registry-Auth": encode_registry_auth(auth_config)}


def redact_credentials(request: httpx.Request) -> None:
    """Replace, in place, every credential header of a request that has been sent
    (its value is on the wire already; the object only serves diagnosis from now on).
    The header stays, so a reader still sees that credentials went with it."""
    headers = request.headers
    for name in CREDENTIAL_HEADERS:
        if name in headers:
            headers[name] = REDACTED
