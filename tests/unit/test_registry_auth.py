"""X-Registry-Auth: URL-safe base64 of UTF-8 JSON, checked before any request."""

from __future__ import annotations

import base64
import json

import pytest
from podman_sdk import InvalidArgument
from podman_sdk._core._registry_auth import encode_registry_auth, registry_auth_headers

# Chosen so that standard base64 of the JSON would contain "+" and "/".
HARD = {"username": "ü~ser", "password": "p+a/s=s?~~~>>>ö€𝄞"}


def test_header_is_urlsafe_base64_of_utf8_json() -> None:
    header = encode_registry_auth(HARD)
    assert "+" not in header
    assert "/" not in header
    assert base64.b64encode(base64.urlsafe_b64decode(header)) != header.encode()  # differs
    assert json.loads(base64.urlsafe_b64decode(header).decode("utf-8")) == HARD


def test_tokens_are_accepted_without_password() -> None:
    header = encode_registry_auth({"identitytoken": "tok"})
    assert json.loads(base64.urlsafe_b64decode(header)) == {"identitytoken": "tok"}


@pytest.mark.parametrize(
    "config",
    [
        {"username": "u"},
        {"user": "u", "password": "p"},
        {"username": "u", "password": 3},
        {},
        "u:p",
    ],
)
def test_bad_configs_are_refused(config: object) -> None:
    with pytest.raises(InvalidArgument):
        encode_registry_auth(config)  # type: ignore[arg-type]


def test_no_config_sends_no_header() -> None:
    assert registry_auth_headers(None) == {}
    assert set(registry_auth_headers({"username": "u", "password": "p"})) == {"X-Registry-Auth"}
