"""No credential is reachable from what the SDK hands out, against real services and
registries: a distinctive password and identity token go with every credential-carrying
call (pull, push, their streams, get_registry_data) to the htpasswd registry (wrong
password) and to a registry that is not there; the exception with its chain, response
and request, the stream and client reprs, every log record at DEBUG and the CLI's
``--trace`` output are searched for them in every encoding (tests/harness/secret_search.py)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import pytest
from podman_sdk import PodmanClient, PodmanError

from tests.harness import ImageFactory, PodmanService, Registry, remove_image
from tests.harness.both_clients import client_for, sdk_object
from tests.harness.secret_search import exception_texts, leaks, record_texts
from tests.live.test_cli import PLAIN_HTTP, run

PASSWORD = f"pw-{secrets.token_hex(6)}+/live~secret"
TOKEN = f"tok-{secrets.token_hex(8)}-identity"
SECRETS = (PASSWORD, TOKEN)

# Each call runs for both clients (tests/harness/both_clients.py): an async client's streams are
# read through its view, as the sync ones are.
Call = Callable[[PodmanClient, str, dict[str, str]], object]

CALLS: dict[str, Call] = {
    "pull": lambda c, ref, auth: c.images.pull(ref, auth_config=auth, tls_verify=False),
    "pull stream": lambda c, ref, auth: list(
        c.images.pull_stream(ref, auth_config=auth, tls_verify=False)
    ),
    "push": lambda c, ref, auth: c.images.push(ref, auth_config=auth, tls_verify=False),
    "push stream": lambda c, ref, auth: list(
        c.images.push(ref, auth_config=auth, tls_verify=False, stream=True)
    ),
    "get_registry_data": lambda c, ref, auth: c.images.get_registry_data(
        ref, auth_config=auth, tls_verify=False
    ),
}


CASES = [
    (call, target, credentials)
    for call in sorted(CALLS)
    for target in ("auth registry", "no registry")
    for credentials in ("password", "identity token")
]


@pytest.mark.parametrize("case", CASES, ids=["-".join(case) for case in CASES])
def test_no_credential_reachable_from_a_failed_registry_call(  # noqa: PLR0917 - pytest passes fixtures by name
    podman_service: PodmanService,
    auth_registry: Registry,
    image_factory: ImageFactory,
    caplog: pytest.LogCaptureFixture,
    case: tuple[str, str, str],
    flavour: str,
) -> None:
    call, target, credentials = case
    caplog.set_level(logging.DEBUG)
    host = auth_registry.host if target == "auth registry" else "127.0.0.1:1"
    reference = f"{host}/sdk/secret-{podman_service.name}:1"
    auth = (
        {"username": str(auth_registry.username), "password": PASSWORD}
        if credentials == "password"
        else {"identitytoken": TOKEN}
    )
    if call.startswith("push"):
        image_factory(podman_service, reference)
    try:
        with client_for(flavour, podman_service.url) as client:
            with pytest.raises(PodmanError) as info:
                CALLS[call](client, reference, auth)
            texts = [*exception_texts(info.value), repr(sdk_object(client))]
    finally:
        remove_image(podman_service, reference)
    texts += record_texts(caplog.records)
    assert any(record.name == "httpx" for record in caplog.records)  # DEBUG was heard
    assert leaks(texts, SECRETS) == []


@pytest.mark.parametrize("verb", ["pull", "push"])
def test_cli_trace_never_shows_the_password(
    podman_service: PodmanService,
    auth_registry: Registry,
    image_factory: ImageFactory,
    verb: str,
) -> None:
    reference = f"{auth_registry.host}/sdk/cli-secret-{podman_service.name}:1"
    if verb == "push":
        image_factory(podman_service, reference)
    creds = f"{auth_registry.username}:{PASSWORD}"
    try:
        done = run(
            podman_service, "--trace", "images", verb, PLAIN_HTTP, "--creds", creds, reference,
            expect=1,
        )  # fmt: skip
    finally:
        remove_image(podman_service, reference)
    output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert "x-registry-auth: <redacted>" in output
    assert leaks([output], SECRETS) == []
