"""SecretsManager and Secret (both clients, through the `client` fixture's flavours)
against the real services of every selected major. (tests/live/test_secrets.py is about
credentials never leaking; this file is about ``client.secrets``.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from podman_sdk import InvalidArgument, NotFound, PodmanClient, SecretAttrs

REQUIRED = SecretAttrs.__required_keys__


@pytest.fixture
def secret_name(client: PodmanClient) -> Iterator[str]:
    """A fresh name; the secret, if a test made it, is removed afterwards."""
    name = f"sdk-secret-{uuid.uuid4().hex[:10]}"
    yield name
    if client.secrets.exists(name):
        client.secrets.remove(name)


def test_create_get_list_remove(client: PodmanClient, secret_name: str) -> None:
    created = client.secrets.create(secret_name, b"s3cr3t", labels={"sdk.test": "yes"})
    assert created.name == secret_name
    assert len(created.id) >= 10
    assert created.short_id == created.id[:10]
    assert set(created.attrs) >= REQUIRED
    assert created.attrs["Spec"]["Driver"]["Name"] == "file"
    # The labels are sent (podman-py drops them) and read back on every major.
    assert created.attrs["Spec"]["Labels"] == {"sdk.test": "yes"}
    assert "SecretData" not in created.attrs  # the secret itself never comes back
    assert created.model.spec.name == secret_name

    by_name = client.secrets.get(secret_name)
    by_id = client.secrets.get(created.id)
    assert by_name == by_id == created
    assert client.secrets.exists(secret_name) is True
    assert client.secrets.exists(created.id) is True

    listed = client.secrets.list()
    mine = [secret for secret in listed if secret.id == created.id]
    assert [secret.name for secret in mine] == [secret_name]
    assert mine[0].model.id == created.id
    filtered = client.secrets.list(filters={"name": [secret_name]})
    assert [secret.id for secret in filtered] == [created.id]
    assert client.secrets.list(filters={"name": ["sdk-secret-none-such"]}) == []

    by_name.reload()
    assert by_name.attrs["ID"] == created.id
    by_name.remove()
    assert client.secrets.exists(secret_name) is False
    with pytest.raises(NotFound):
        client.secrets.get(secret_name)
    with pytest.raises(NotFound):
        client.secrets.remove(secret_name)
    with pytest.raises(NotFound):
        created.reload()


def test_remove_by_object(client: PodmanClient, secret_name: str) -> None:
    secret = client.secrets.create(secret_name, b"x", driver="file")
    client.secrets.remove(secret)
    assert not client.secrets.exists(secret.id)


def test_bad_input_is_refused(client: PodmanClient) -> None:
    with pytest.raises(InvalidArgument, match="bytes"):
        client.secrets.create("x", "text")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="labels"):
        client.secrets.create("x", b"x", labels={"a": 1})  # type: ignore[dict-item]
    with pytest.raises(InvalidArgument, match="name"):
        client.secrets.get("")
