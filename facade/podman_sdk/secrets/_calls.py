"""The calls of the secret verbs, both clients' (`Call`: the request from its generated
builder, the answer decoded here), and the argument checks before them: everything a
secret verb decides, none of its I/O."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, cast

import httpx

from podman_sdk._core._answers import json_array, json_object, model_answer, unexpected
from podman_sdk._core._arguments import optional_bool, optional_name, required_name, string_map
from podman_sdk._core._calls import Call
from podman_sdk._core._filters import Filters, filter_values
from podman_sdk._exceptions import APIError, InvalidArgument, NotFound
from podman_sdk.secrets._types import SecretAttrs

if TYPE_CHECKING:
    from libpod_client.models import SecretInfoReport

#: A secret's answer: its attrs and the typed model parsed from them.
Inspected = tuple[SecretAttrs, "SecretInfoReport"]


def secret_key(key: object) -> str:
    return required_name(key, "secret name or id")


def secret_model(attrs: SecretAttrs, what: str, endpoint: str) -> SecretInfoReport:
    from libpod_client.models import SecretInfoReport

    return model_answer(SecretInfoReport, cast("dict[str, object]", attrs), what, endpoint)


def _inspected(response: httpx.Response, what: str, endpoint: str) -> Inspected:
    attrs = cast(SecretAttrs, json_object(response, what, endpoint))
    return attrs, secret_model(attrs, what, endpoint)


def _listed(response: httpx.Response, endpoint: str) -> list[SecretAttrs]:
    # JSON only (each model is made on first use of ``model``); every Secret reads its
    # ID and name, so those are checked here.
    entries = json_array(response, "secrets", endpoint, null_is_empty=True)
    for entry in entries:
        spec = entry.get("Spec") if isinstance(entry, dict) else None
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("ID"), str)
            and isinstance(spec, dict)
            and isinstance(spec.get("Name"), str)
        ):
            raise unexpected("secrets", endpoint, "a JSON array of secrets with ID and Spec.Name")
    return cast("list[SecretAttrs]", entries)


def _created_id(response: httpx.Response, endpoint: str) -> str:
    created = json_object(response, "secret creation", endpoint).get("ID")
    if not isinstance(created, str) or not created:
        raise unexpected("secret creation", endpoint, 'an object with the new "ID"')
    return created


def _done(response: httpx.Response, endpoint: str) -> None:
    return None


def _found(response: httpx.Response, endpoint: str) -> bool:
    return True


def _absent_is_false(error: APIError) -> bool:
    if isinstance(error, NotFound):
        return False
    raise error


def create_call(name: object, data: object, labels: object, driver: object) -> Call[str]:
    """POST /libpod/secrets/create: the new secret's ID (the secret is read after)."""
    from libpod_client.api.secrets import secret_create_libpod
    from libpod_client.types import UNSET, File

    checked_name = required_name(name, "secret name")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        # A str has no single byte form the caller would agree on: encode it first.
        raise InvalidArgument(f"data must be bytes, not {type(data).__name__}")
    checked_driver = optional_name(driver, "driver")
    checked_labels = string_map(labels, "labels")
    payload = bytes(data)
    request = secret_create_libpod.request_kwargs(
        body=File(payload=io.BytesIO(payload)),
        name=checked_name,
        # Unset, not the builder's default "file": the server chooses, as podman does.
        driver=UNSET if checked_driver is None else checked_driver,
        labels=UNSET if checked_labels is None else checked_labels,
    )
    # Bytes as they are: an async client cannot send a file object as a body.
    request["content"] = payload
    return Call(request, _created_id)


def get_call(key: object) -> Call[Inspected]:
    """GET /libpod/secrets/{name}/json; a missing secret raises `NotFound`."""
    from libpod_client.api.secrets import secret_inspect_libpod

    checked = secret_key(key)
    what = f"secret {checked}"
    return Call(
        secret_inspect_libpod.request_kwargs(checked),
        lambda answer, endpoint: _inspected(answer, what, endpoint),
    )


def exists_call(key: object) -> Call[bool]:
    """GET /libpod/secrets/{name}/json, False on 404: Podman 4.3 has no ``exists`` route
    for secrets, and inspect answers the same question on every release."""
    from libpod_client.api.secrets import secret_inspect_libpod

    return Call(secret_inspect_libpod.request_kwargs(secret_key(key)), _found, _absent_is_false)


def list_call(filters: Filters | None) -> Call[list[SecretAttrs]]:
    """GET /libpod/secrets/json (filters: name, id, ... as libpod reads them)."""
    from libpod_client.api.secrets import secret_list_libpod
    from libpod_client.types import UNSET

    encoded = filter_values(filters)
    request = secret_list_libpod.request_kwargs(filters=UNSET if encoded is None else encoded)
    return Call(request, _listed)


def remove_call(key: object, all_: object) -> Call[None]:
    """DELETE /libpod/secrets/{name}; ``all_`` removes every secret."""
    from libpod_client.api.secrets import secret_delete_libpod
    from libpod_client.types import UNSET

    checked_all = optional_bool(all_, "all")
    request = secret_delete_libpod.request_kwargs(
        secret_key(key), all_=UNSET if checked_all is None else checked_all
    )
    return Call(request, _done)
