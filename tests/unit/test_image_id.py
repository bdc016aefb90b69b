"""Image IDs without the SHA-256 hex assumption: the pure decisions and where they are
used (Image equality and short_id, lookups, push by id, pull and build reports)."""

from __future__ import annotations

import pytest
from podman_sdk import Image, InvalidArgument
from podman_sdk.images._answers import image_name as _check_name
from podman_sdk.images._image import save_name
from podman_sdk.images._image_id import (
    full_image_id,
    image_id_key,
    looks_like_image_id,
    lookup_name,
    short_id,
    split_image_id,
)
from podman_sdk.images._progress import build_image_id, pulled_image_ids
from podman_sdk.images._registry_requests import push_name

HEX256 = "0123456789abcdef" * 4
HEX384 = "89abcdef01234567" * 6
HEX512 = "fedcba9876543210" * 8
# A future id need not be hex: base64url, as the OCI grammar allows ([a-zA-Z0-9=_-]).
B64 = "q83vEjRWeJBxy-_AbCdEf0123456789abcdefGHIJ="


@pytest.mark.parametrize(
    ("image_id", "parts"),
    [
        (HEX256, (None, HEX256)),
        (f"sha256:{HEX256}", ("sha256", HEX256)),
        (f"sha512:{HEX512}", ("sha512", HEX512)),
        (f"blake3:{B64}", ("blake3", B64)),
        (f"sha256+b64u:{B64}", ("sha256+b64u", B64)),
        ("Upper:x", (None, "Upper:x")),  # not an OCI algorithm: no split
        ("opaque-id", (None, "opaque-id")),
    ],
)
def test_split_image_id(image_id: str, parts: tuple[str | None, str]) -> None:
    assert split_image_id(image_id) == parts
    assert image_id_key(image_id) == parts[1]


@pytest.mark.parametrize(
    ("image_id", "short"),
    [
        (HEX256, HEX256[:12]),
        (f"sha256:{HEX256}", f"sha256:{HEX256[:12]}"),
        (f"sha512:{HEX512}", f"sha512:{HEX512[:12]}"),
        (f"sha384:{HEX384}", f"sha384:{HEX384[:12]}"),
        (f"blake3:{B64}", f"blake3:{B64[:12]}"),
        ("short", "short"),
    ],
)
def test_short_id(image_id: str, short: str) -> None:
    assert short_id(image_id) == short


def image(image_id: str) -> Image:
    return Image({"Id": image_id, "RepoTags": []})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (HEX256, f"sha256:{HEX256}"),
        (HEX512, f"sha512:{HEX512}"),  # a future route may show it bare, another not
        (f"blake3:{B64}", B64),
    ],
)
def test_one_image_under_both_spellings(a: str, b: str) -> None:
    assert image(a) == image(b)
    assert hash(image(a)) == hash(image(b))
    assert len({image(a), image(b)}) == 1


def test_different_ids_are_different_images() -> None:
    assert image(f"sha512:{HEX512}") != image(f"sha512:{HEX512[:-1]}1")
    assert image(HEX256) != image(HEX256[:12])


def test_image_short_id_any_algorithm() -> None:
    assert image(f"sha512:{HEX512}").short_id == f"sha512:{HEX512[:12]}"
    assert repr(image(f"blake3:{B64}")) == f"<Image: blake3:{B64[:12]} (untagged)>"


@pytest.mark.parametrize(
    ("text", "is_id"),
    [
        (HEX256, True),
        (HEX256[:12], True),
        ("a", True),
        (f"sha256:{HEX256}", True),
        (f"sha384:{HEX384}", True),
        (f"sha512:{HEX512}", True),
        (f"blake3:{B64}", True),
        (HEX256 + "0", False),
        (f"sha256:{HEX256[:12]}", False),  # a registered algorithm has its full length
        (f"sha512:{HEX256}", False),
        (f"sha256:{HEX256.upper()}", False),
        ("blake3:tooshort", False),
        ("alpine:3", False),
        ("localhost/x", False),
        ("", False),
    ],
)
def test_looks_like_image_id(text: str, is_id: bool) -> None:
    assert looks_like_image_id(text) is is_id


@pytest.mark.parametrize(
    "name",
    [
        HEX256,
        HEX256[:6],
        f"sha256:{HEX256}",
        f"sha512:{HEX512}",
        f"blake3:{B64}",  # not a reference ("=" in a tag), but a possible future id
        "alpine:3",
        "localhost/x",
        "sha512:abc",  # the repository "sha512" with a tag
        # A lookup drops the tag of a tagged and digested reference before it looks
        # for "sha256:": this is the repository "sha256" by digest.
        f"sha256:x@sha256:{HEX256}",
    ],
)
def test_lookup_name_accepts_ids_and_references(name: str) -> None:
    assert lookup_name(name) == name
    assert _check_name(name) == name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (f"sha256:{HEX256[:12]}", "64 lowercase hexadecimal"),
        (f"sha256:{HEX256.upper()}", "64 lowercase hexadecimal"),
        ("sha256:", "64 lowercase hexadecimal"),
        ("blake3:short=", "invalid image reference"),
        ("Alpine", "must be lowercase"),
        ("", "non-empty"),
    ],
)
def test_lookup_name_refuses(name: str, reason: str) -> None:
    with pytest.raises(InvalidArgument, match=reason):
        lookup_name(name)


def test_push_by_id_of_any_algorithm_is_sent_as_given() -> None:
    assert push_name(f"blake3:{B64}", None) == f"blake3:{B64}"
    assert push_name(f"sha512:{HEX512}", None) == f"sha512:{HEX512}"
    assert push_name(HEX256[:12], None) == HEX256[:12]
    assert push_name("localhost/x", None) == "localhost/x:latest"


@pytest.mark.parametrize(
    ("text", "full"),
    [
        (HEX256, HEX256),
        (f"sha256:{HEX256}", HEX256),  # libpod routes take the bare digits
        (f"sha512:{HEX512}", f"sha512:{HEX512}"),
        (f"blake3:{B64}", f"blake3:{B64}"),
        (HEX256[:12], None),  # a short id (a layer in compat output) never counts
        (HEX512, None),  # bare digits are sha256's
        ("Writing manifest to image destination", None),
        ("", None),
    ],
)
def test_full_image_id(text: str, full: str | None) -> None:
    assert full_image_id(text) == full


def test_pull_and_build_report_ids_of_any_algorithm() -> None:
    event: dict[str, object] = {"images": [f"sha512:{HEX512}", f"sha512:{HEX512}"]}
    assert pulled_image_ids(event) == [f"sha512:{HEX512}"]
    assert pulled_image_ids({"id": f"blake3:{B64}"}) == [f"blake3:{B64}"]
    assert pulled_image_ids({"id": HEX256[:12]}) is None
    assert build_image_id({"aux": {"ID": f"sha512:{HEX512}"}}) == f"sha512:{HEX512}"
    assert build_image_id({"stream": f"sha256:{HEX256}\n"}) == HEX256
    assert build_image_id({"stream": "STEP 1/2: FROM scratch\n"}) is None


def test_save_by_id_and_named_checks_with_another_algorithm() -> None:
    image_id = f"sha512:{HEX512}"
    assert save_name(image_id, ["localhost/x:1"], False) == image_id
    assert save_name(image_id, ["localhost/x:1"], "localhost/x:1") == "localhost/x:1"
    with pytest.raises(InvalidArgument, match=f"image sha512:{HEX512[:12]} has no tag"):
        save_name(image_id, [], True)
