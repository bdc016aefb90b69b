"""Image IDs, read without assuming SHA-256 hex: the SDK's decisions about them.

Podman up to 6.0 names an image by the SHA-256 digest of its config: libpod routes
show 64 lowercase hex digits, the Docker-compatible ones "sha256:<hex>". Podman 6.0's
release notes announce IDs for other digest algorithms, in a format not decided yet,
that may not be valid hashes. So an ID is read with the OCI digest grammar and
nothing more::

    id         := [ algorithm ":" ] encoded
    algorithm  := component ( [+._-] component )*     component := [a-z0-9]+
    encoded    := [a-zA-Z0-9=_-]+

- `image_id_key`: what identifies the image, the encoded part. The algorithm is not
  compared: one ID is shown with and without "sha256:" depending on the route, and a
  future algorithm may be shown the same way; two algorithms giving the same encoded
  string does not happen.
- `short_id`: the algorithm as shown, plus the first 12 characters of the encoded part
  (``podman images`` shows 12).
- `looks_like_image_id`: whether a string given where a name or ID is expected can be
  an ID: lowercase hex of 1 to 64 digits (a full or short SHA-256 ID as libpod shows
  it); for the registered algorithms (sha256, sha384, sha512) "algorithm:" and the
  full lowercase hex digest; for any other algorithm "algorithm:" and an encoded part
  of at least 32 characters (distribution/reference's bound for a digest).
- `lookup_name`: the check before a name or ID goes to a lookup route (get, exists,
  remove): an ID as above, else a valid reference; "sha256:" followed by anything but
  64 lowercase hex digits is refused, as every Podman lookup refuses it (unless it is
  a tagged and digested reference, whose tag a lookup drops first).
- `full_image_id`: the ID a pull or build reports, in the form libpod routes take
  (no "sha256:", the algorithm kept for any other), or None for anything else.
"""

from __future__ import annotations

import re

from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._reference import parse_reference

__all__ = [
    "full_image_id",
    "image_id_key",
    "looks_like_image_id",
    "lookup_name",
    "short_id",
    "split_image_id",
]

SHORT_ID_LENGTH = 12
DEFAULT_ALGORITHM = "sha256"
_ALGORITHM = re.compile(r"[a-z0-9]+(?:[+._-][a-z0-9]+)*")
_ENCODED = re.compile(r"[a-zA-Z0-9=_-]+")
_LOWER_HEX = re.compile(r"[0-9a-f]+")
# The algorithms the OCI image spec registers, with the length of their hex encoding.
_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
# distribution/reference accepts a digest's encoded part from 32 characters on.
_MIN_ENCODED_LENGTH = 32


def split_image_id(image_id: str) -> tuple[str | None, str]:
    """``(algorithm, encoded)``: ``"sha512:ab.."`` -> ``("sha512", "ab..")``, and
    ``(None, image_id)`` when there is no "algorithm:" prefix."""
    algorithm, colon, encoded = image_id.partition(":")
    if colon and _ALGORITHM.fullmatch(algorithm):
        return algorithm, encoded
    return None, image_id


def image_id_key(image_id: str) -> str:
    """What identifies the image: the encoded part ("sha256:X" and "X" are one image)."""
    return split_image_id(image_id)[1]


def short_id(image_id: str) -> str:
    """The algorithm prefix as given, then 12 characters of the encoded part:
    ``"sha256:0123456789abcdef.."`` -> ``"sha256:0123456789ab"``."""
    algorithm, encoded = split_image_id(image_id)
    prefix = "" if algorithm is None else f"{algorithm}:"
    return prefix + encoded[:SHORT_ID_LENGTH]


def _is_digest(algorithm: str, encoded: str) -> bool:
    length = _HEX_LENGTHS.get(algorithm)
    if length is not None:
        return len(encoded) == length and _LOWER_HEX.fullmatch(encoded) is not None
    return len(encoded) >= _MIN_ENCODED_LENGTH and _ENCODED.fullmatch(encoded) is not None


def looks_like_image_id(text: str) -> bool:
    """Whether ``text`` can be an image ID, full or short (see the module docstring)."""
    algorithm, encoded = split_image_id(text)
    if algorithm is None:
        return 0 < len(text) <= _HEX_LENGTHS[DEFAULT_ALGORITHM] and bool(_LOWER_HEX.fullmatch(text))
    return _is_digest(algorithm, encoded)


def full_image_id(text: str) -> str | None:
    """A complete ID as a pull or build reports it, as libpod routes take it: 64 hex
    digits with or without "sha256:" give the bare digits; another algorithm's digest
    is kept whole. None for anything else."""
    algorithm, encoded = split_image_id(text)
    if algorithm is None:
        algorithm = DEFAULT_ALGORITHM
    if not _is_digest(algorithm, encoded):
        return None
    return encoded if algorithm == DEFAULT_ALGORITHM else f"{algorithm}:{encoded}"


def _is_tagged_and_digested(name: str) -> bool:
    try:
        ref = parse_reference(name)
    except InvalidArgument:
        return False
    return ref.tag is not None and ref.digest is not None


def lookup_name(name: str) -> str:
    """``name`` if a lookup route can take it: an image ID or a valid reference.

    Raises:
        InvalidArgument: neither; or "sha256:" with anything but 64 lowercase hex
            digits, which Podman's lookups read as a malformed ID.
    """
    if not isinstance(name, str) or not name:
        raise InvalidArgument(f"expected a non-empty image name or id, not {name!r}")
    algorithm, encoded = split_image_id(name)
    if algorithm == DEFAULT_ALGORITHM and not _is_digest(algorithm, encoded):
        # A lookup drops the tag of a tagged and digested reference first, so
        # "sha256:x@<digest>" is the repository "sha256" by digest, not an id.
        if _is_tagged_and_digested(name):
            return name
        raise InvalidArgument(
            f"invalid image id {name[:80]!r}: after 'sha256:' Podman expects 64 lowercase "
            "hexadecimal digits"
        )
    if not looks_like_image_id(name):
        parse_reference(name)
    return name
