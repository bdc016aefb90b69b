"""The parser against an independent transliteration of the code Podman parses with
(`tests.harness.podman_grammar`), on the strings the live differential test sends."""

from __future__ import annotations

import pytest
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._reference import parse_reference, push_destination, tag_target

from tests.harness.podman_grammar import (
    IDENTIFIER,
    parse_normalized_named,
    podman_normalize_name,
    podman_tag_target,
)
from tests.harness.reference_strings import generate_references


def sdk_accepts(check: object, s: str) -> bool:
    try:
        check(s)  # type: ignore[operator]
    except InvalidArgument:
        return False
    return True


STRINGS = generate_references(20_000)


def test_the_generator_is_reproducible_and_varied() -> None:
    assert generate_references(500) == STRINGS[:500]
    assert len(set(STRINGS)) == len(STRINGS)
    verdicts = [podman_normalize_name(s) for s in STRINGS]
    # Both sides of the boundary are well covered.
    assert 0.2 < sum(verdicts) / len(verdicts) < 0.8


def test_parser_agrees_with_normalize_name() -> None:
    # The one refusal of our own: a bare 64-digit hex string is an image ID to every
    # lookup, so the SDK does not take it for a name (Docker refuses it the same way).
    disagreements = [
        s
        for s in STRINGS
        if sdk_accepts(parse_reference, s)
        != (podman_normalize_name(s) and not IDENTIFIER.fullmatch(s))
    ]
    assert disagreements == []


def test_tag_target_agrees_with_the_tag_route() -> None:
    disagreements = [
        s
        for s in STRINGS
        if sdk_accepts(lambda text: tag_target(text, None), s)
        != (podman_tag_target(s) and not IDENTIFIER.fullmatch(s))
    ]
    assert disagreements == []


def test_push_destination_fits_docker_normalisation() -> None:
    for s in STRINGS:
        if sdk_accepts(push_destination, s):
            assert podman_normalize_name(s)
            assert parse_normalized_named(s), s


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("MyHost/app", False),
        ("myhost/app", True),
        ("a_b.c/x", True),
        ("[::1]:5000/x", False),
        ("localhost/X", False),
        ("sha256:abc", True),  # a name with a tag to NormalizeName
        ("a" * 245, True),
        ("a" * 246, False),
    ],
)
def test_oracle_itself(text: str, accepted: bool) -> None:
    # The transliteration reads the cases the issue and Podman's code describe.
    assert podman_normalize_name(text) is accepted
