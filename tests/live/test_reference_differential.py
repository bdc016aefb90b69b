"""The reference parser against each live service, on generated strings (issue #11).

``GET /libpod/images/{name}/exists`` parses the name before looking it up: an invalid
one answers 404 with the parser's error as the cause ("invalid reference format",
"repository name must be lowercase", ...), a valid absent one 404 "failed to find
image <name>" with nothing after it. The requests go out with plain httpx, not through
the SDK, so the SDK cannot shape what the server is asked.

The lookup reads names more loosely than Podman stores them (see README.md, "Where
the exists endpoint disagrees with the parser"), so some disagreements are expected;
each belongs to a class below, which says why and which servers show it. A
disagreement outside every class fails the test.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from urllib.parse import quote

import httpx
import pytest
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._image_id import looks_like_image_id, lookup_name
from podman_sdk.images._reference import parse_reference

from tests.harness import LIBPOD, PodmanService, uds_client
from tests.harness.podman_grammar import IDENTIFIER, podman_normalize_name, podman_parse
from tests.harness.reference_strings import generate_references

COUNT = 2_500
STRINGS = generate_references(COUNT)
# containers/image's transports (alltransports), which a lookup tries first.
TRANSPORTS = (
    "containers-storage",
    "dir",
    "docker",
    "docker-archive",
    "docker-daemon",
    "oci",
    "oci-archive",
    "sif",
    "tarball",
)


def accepts(check: Callable[[str], object], text: str) -> bool:
    try:
        check(text)
    except InvalidArgument:
        return False
    return True


def server_verdict(client: httpx.Client, name: str) -> tuple[bool, str]:
    """(valid, cause) as the service reads ``name``."""
    response = client.get(f"{LIBPOD}/images/{quote(name, safe='')}/exists")
    if response.status_code == 204:
        return True, "exists"
    assert response.status_code == 404, (name, response.status_code, response.text)
    body = response.json()
    absent = f"failed to find image {name}"
    if body["message"] == absent and body["cause"] == absent:
        return True, "absent"
    return False, str(body["cause"])


# name -> (the server's verdict it explains, None for either; whom it applies to)
Explanation = tuple[bool | None, Callable[[str], bool]]
# A lookup first tries "transport:rest" (alltransports): it refuses every transport but
# containers-storage, which reads the rest by its own rules; to the grammar "oci:x" is
# the repository "oci" tagged "x".
TRANSPORT: Explanation = (None, lambda s: s.partition(":")[0] in TRANSPORTS and ":" in s)
# reference.Parse accepts the name, but Podman could never store it (NormalizeName
# refuses it): a first component that is no registry ("MyHost/app") goes under
# localhost/ and must be lowercase, and the stored name must fit in 255 characters. A
# lookup swallows that refusal and answers "not known".
NEVER_STORED: Explanation = (
    True,
    lambda s: podman_parse(s) is not None and not podman_normalize_name(s),
)
PARSER_EXPLANATIONS: dict[str, Explanation] = {
    # A lookup reads a bare 64-digit hex string as an image ID; `parse_reference`
    # refuses it as a name (`lookup_name` takes it as an ID).
    "image ID": (True, lambda s: IDENTIFIER.fullmatch(s) is not None),
    # A lookup reads "sha256:..." as an ID, which must then be 64 hex digits; to the
    # grammar it is the repository "sha256" with a tag (`lookup_name` refuses it as
    # the server does, `tag_target` as tagging does).
    "sha256: prefix": (False, lambda s: s.startswith("sha256:")),
    "transport prefix": TRANSPORT,
    "never stored": NEVER_STORED,
}
LOOKUP_EXPLANATIONS: dict[str, Explanation] = {
    "transport prefix": TRANSPORT,
    "never stored": NEVER_STORED,
    # "algorithm:encoded" with 32 or more characters may be a future image ID, which
    # the SDK lets through although no Podman up to 6.0 reads it as one.
    "possible future id": (False, looks_like_image_id),
}


def explain(explanations: dict[str, Explanation], text: str, server_valid: bool) -> str | None:
    for name, (direction, applies) in explanations.items():
        if direction in (None, server_valid) and applies(text):
            return name
    return None


@pytest.fixture
def http(podman_service: PodmanService) -> Iterator[httpx.Client]:
    with uds_client(podman_service.socket_path) as client:
        yield client


def report(config: pytest.Config, line: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(scope="module")
def verdicts(podman_service: PodmanService) -> dict[str, tuple[bool, str]]:
    """The service's verdict on every generated string, asked once per service."""
    with uds_client(podman_service.socket_path) as client:
        return {text: server_verdict(client, text) for text in STRINGS}


def compare(  # noqa: PLR0917 - one call per check, each argument named by its role
    config: pytest.Config,
    service: PodmanService,
    verdicts: dict[str, tuple[bool, str]],
    what: str,
    check: Callable[[str], object],
    explanations: dict[str, Explanation],
) -> list[tuple[str, bool, str]]:
    """Compare ``check`` with the service on every string; report the counts in the
    run's output and return the disagreements no explanation covers."""
    agreed = 0
    explained: collections.Counter[str] = collections.Counter()
    unexplained: list[tuple[str, bool, str]] = []
    for text, (server_valid, cause) in verdicts.items():
        if accepts(check, text) == server_valid:
            agreed += 1
            continue
        reason = explain(explanations, text, server_valid)
        if reason is None:
            unexplained.append((text, server_valid, cause))
        else:
            explained[reason] += 1
    summary = ", ".join(f"{name} {n}" for name, n in sorted(explained.items())) or "none"
    report(
        config,
        f"reference differential, {what}, on {service.name} {service.version}: "
        f"{len(verdicts)} strings, {agreed} agree; explained: {summary}; "
        f"unexplained: {len(unexplained)}",
    )
    return unexplained


def test_the_strings_cover_both_verdicts(verdicts: dict[str, tuple[bool, str]]) -> None:
    # Agreement is not a matter of one answer: both verdicts are well represented.
    assert len(verdicts) >= 2_000
    valid = sum(1 for server_valid, _ in verdicts.values() if server_valid)
    assert len(verdicts) // 5 < valid < len(verdicts) * 4 // 5


def test_parser_agrees_with_the_service(
    request: pytest.FixtureRequest,
    podman_service: PodmanService,
    verdicts: dict[str, tuple[bool, str]],
) -> None:
    unexplained = compare(
        request.config,
        podman_service,
        verdicts,
        "parse_reference",
        parse_reference,
        PARSER_EXPLANATIONS,
    )
    assert unexplained == []


def test_lookup_check_agrees_with_the_service(
    request: pytest.FixtureRequest,
    podman_service: PodmanService,
    verdicts: dict[str, tuple[bool, str]],
) -> None:
    # lookup_name is what get/exists/remove check before sending.
    unexplained = compare(
        request.config, podman_service, verdicts, "lookup_name", lookup_name, LOOKUP_EXPLANATIONS
    )
    assert unexplained == []


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("alpine", True),
        ("localhost/x:1", True),
        ("a_b.c/x", True),
        ("Alpine", False),
        ("localhost/X", False),
        ("[::1]:5000/x", False),
        ("x@sha256:" + "A" * 64, False),
        ("x@md5:" + "a" * 32, False),
        ("a" * 256, False),
    ],
)
def test_the_service_reads_known_cases(http: httpx.Client, text: str, valid: bool) -> None:
    # The oracle's own reading on cases whose answer Podman's code makes plain, so a
    # change in how the endpoint reports (the premise of the test above) shows here.
    assert server_verdict(http, text)[0] is valid
    assert accepts(parse_reference, text) is valid
    assert accepts(lookup_name, text) is valid
