"""The table (docs/versions.md) of what differs between Podman majors, checked cell by cell
against each live service with plain httpx (what the server does, not what the SDK
makes of it), and the SDK's column against the SDK.

A row of the table is ``| what | 4.3.1 | 5.4.2 | 6.0.0-rc1 | the SDK |``; each row's
name maps to a probe below that returns the cell's text for a service. A changed
server or a stale page fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from podman_sdk import APIError, NotFound, PullError, PullNotFound

from tests.harness import PodmanService, Registry, uds_client
from tests.harness.both_clients import client_for
from tests.harness.docs import page_path

PAGE = page_path("versions.md")
HEADING = "# Supported Podman versions"
COLUMN_OF = {"podman4": 1, "podman5": 2, "podman6": 3}
UNREACHABLE = "127.0.0.1:9"  # the discard port: nothing listens there


def table_rows() -> dict[str, list[str]]:
    """The version table under HEADING: row name -> its cells."""
    text = PAGE.read_text(encoding="utf-8")
    assert HEADING in text, f"{PAGE.name} has no {HEADING!r} section"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        # cells[0] empty: the header row (its first cell is blank).
        if (
            line.startswith("|")
            and len(cells) == 5
            and cells[0]
            and not set(cells[1]) <= set("-: ")
        ):
            rows[cells[0]] = cells[1:]
    return rows


def failed_pull(service: PodmanService, reference: str) -> str:
    """How the service reports a failed pull: a status, or an error inside a 200."""
    with uds_client(service.socket_path, timeout=60) as client:
        response = client.post(
            f"/v{service.version}/libpod/images/pull",
            params={"reference": reference, "tlsVerify": "false", "quiet": "false"},
        )
    if response.status_code != 200:
        return str(response.status_code)
    assert '"error"' in response.text, response.text[:500]
    return "200, `error` in the stream"


def ping_header(service: PodmanService, name: str) -> str:
    with uds_client(service.socket_path) as client:
        return f"`{client.get('/_ping').headers[name]}`"


def info_has_config_file(service: PodmanService) -> str:
    with uds_client(service.socket_path) as client:
        info = client.get(f"/v{service.version}/libpod/info").json()
    return "yes" if "configFile" in info["store"] else "no"


PROBES: dict[str, Callable[[PodmanService, Registry], str]] = {
    "`Libpod-Api-Version` (the SDK's path prefix)": lambda s, r: ping_header(
        s, "Libpod-Api-Version"
    ),
    "`Api-Version` (Docker API)": lambda s, r: ping_header(s, "Api-Version"),
    "A pull of a missing tag answers": lambda s, r: failed_pull(s, f"{r.host}/no/such:tag"),
    "A pull from an unreachable registry answers": lambda s, r: failed_pull(
        s, f"{UNREACHABLE}/x:1"
    ),
    "`store.configFile` in `/libpod/info`": lambda s, r: info_has_config_file(s),
}


def test_every_row_has_a_probe_and_every_probe_a_row() -> None:
    assert set(table_rows()) == set(PROBES)


@pytest.mark.parametrize("row", sorted(PROBES))
def test_the_table_says_what_the_server_does(
    podman_service: PodmanService, registry: Registry, row: str
) -> None:
    expected = table_rows()[row][COLUMN_OF[podman_service.name] - 1]
    assert PROBES[row](podman_service, registry) == expected


def test_the_sdk_column_holds_on_this_service(
    podman_service: PodmanService, registry: Registry, flavour: str
) -> None:
    """The SDK's column: the same classes and values whatever the server did, from
    both clients (tests/harness/both_clients.py)."""
    rows = table_rows()
    with client_for(flavour, podman_service.url) as client:
        version = client.negotiate()
        assert rows["`Libpod-Api-Version` (the SDK's path prefix)"][3] == "the prefix, as announced"
        assert ping_header(podman_service, "Libpod-Api-Version") == f"`{version}`"
        with pytest.raises(PullNotFound) as missing:
            client.images.pull(f"{registry.host}/no/such", "tag", tls_verify=False)
        assert isinstance(missing.value, APIError)
        assert isinstance(missing.value, NotFound)
        assert "`PullNotFound`" in rows["A pull of a missing tag answers"][3]
        with pytest.raises(PullError) as unreachable:
            client.images.pull(f"{UNREACHABLE}/x", "1", tls_verify=False)
        assert not isinstance(unreachable.value, NotFound)
        assert isinstance(unreachable.value, APIError)
        assert re.search(r"`PullError`", rows["A pull from an unreachable registry answers"][3])
        assert "store" in client.info()
