"""QuadletsManager (both clients) against the real services. Podman 4.3.1 and 5.4.2 have
no quadlet routes: every verb raises `UnsupportedServer` naming the release that added
them, with no request sent. Podman 6 has them, but this host's root service installs
into the host's own /etc/containers/systemd and lists through systemd, which the test
service runs without: only what reads nothing of the host's is called there
(tests/unit/test_quadlets.py checks the rest on a mock transport)."""

from __future__ import annotations

import pytest
from podman_sdk import NotFound, UnsupportedServer

from tests.harness import PodmanService
from tests.harness.both_clients import client_for

WITHOUT_QUADLETS = {"podman4", "podman5"}
MISSING = "podman-sdk-test-none-such.container"


def test_quadlets_are_refused_before_sending_or_answer(
    podman_service: PodmanService, flavour: str
) -> None:
    sent: list[str] = []
    hooks = {"request": [lambda request: sent.append(request.url.path)]}
    with client_for(flavour, podman_service.url, event_hooks=hooks) as client:
        client.version()
        sent.clear()
        if podman_service.name in WITHOUT_QUADLETS:
            for verb in (
                client.quadlets.list,
                lambda: client.quadlets.exists(MISSING),
                lambda: client.quadlets.install(("web.container", "[Container]\n")),
                lambda: client.quadlets.delete(all=True),
            ):
                with pytest.raises(UnsupportedServer, match=r"Podman \d\.\d\.\d, whose API has no"):
                    verb()
            assert sent == []
            return
        assert client.quadlets.exists(MISSING) is False
        with pytest.raises(NotFound):
            client.quadlets.get_contents(MISSING)
        assert len(sent) == 2
