"""Podman's reference parsing, transliterated from its Go code, for tests to compare with.

`podman_parse` copies containers/image's docker/reference (regexp.go's expressions and
`Parse`), `podman_normalize_name` libimage's `NormalizeName` with `ParseNormalizedNamed`
and `splitDockerDomain`, and `podman_tag_target` libimage's `Image.Tag` behind the
libpod tag route (``repo + ":" + tag``). The digest check is go-digest's `Validate`.
The code is the same in the vendored copies of Podman 4.3.1, 5.4.2 and 6.0.0-rc1. It is
written from that Go code, not from `_reference.py`, so the two can disagree.
"""

from __future__ import annotations

import re

__all__ = [
    "IDENTIFIER",
    "parse_normalized_named",
    "podman_normalize_name",
    "podman_parse",
    "podman_tag_target",
]

# regexp.go, with two changes that keep the language: "[-]*" as "-+" (an empty
# separator between two alphanumeric runs adds nothing; "*" makes Python's backtracking
# exponential), and ASCII classes for Go's \w and [[:xdigit:]].
_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|-+)"
_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"
_NAME = rf"(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*"
REFERENCE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?")
ANCHORED_NAME = re.compile(rf"(?:({_DOMAIN})/)?({_COMPONENT}(?:/{_COMPONENT})*)")
IDENTIFIER = re.compile(r"[a-f0-9]{64}")
NAME_TOTAL_LENGTH_MAX = 255
# go-digest: the algorithms Podman links, with the length of their hex encoding.
DIGEST_SIZES = {"sha256": 64, "sha384": 96, "sha512": 128}


def go_digest_valid(digest: str) -> bool:
    algorithm, _, encoded = digest.partition(":")
    size = DIGEST_SIZES.get(algorithm)
    return (
        size is not None and len(encoded) == size and re.fullmatch("[a-f0-9]+", encoded) is not None
    )


def podman_parse(s: str) -> tuple[str | None, str, str | None, str | None] | None:
    """reference.Parse: (domain, path, tag, digest), or None where it errs."""
    match = REFERENCE.fullmatch(s)
    if match is None:
        return None
    name, tag, digest = match.groups()
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        return None
    if digest is not None and not go_digest_valid(digest):
        return None
    named = ANCHORED_NAME.fullmatch(name)
    assert named is not None
    return named.group(1), named.group(2), tag, digest


def split_docker_domain(name: str) -> tuple[str, str]:
    i = name.find("/")
    if i == -1 or (not any(c in name[:i] for c in ".:") and name[:i] != "localhost"):
        domain, remainder = "docker.io", name
    else:
        domain, remainder = name[:i], name[i + 1 :]
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def parse_normalized_named(s: str) -> bool:
    if IDENTIFIER.fullmatch(s):
        return False
    domain, remainder = split_docker_domain(s)
    remote_name = remainder.partition(":")[0]
    if remote_name.lower() != remote_name:
        return False
    return podman_parse(f"{domain}/{remainder}") is not None


def podman_normalize_name(s: str) -> bool:
    """libimage.NormalizeName succeeds."""
    parsed = podman_parse(s)
    if parsed is None:
        return False
    registry = parsed[0] or ""
    if not any(c in registry for c in ".:") and registry != "localhost":
        s = "localhost/" + s.lstrip("/")
    return parse_normalized_named(s)


def podman_tag_target(s: str) -> bool:
    """POST /libpod/images/{id}/tag?repo=&tag= succeeds for the reference ``s`` split
    the way the SDK sends it (no tag: "latest")."""
    parsed = podman_parse(s)
    if parsed is None or parsed[3] is not None:
        return False
    domain, path, tag, _ = parsed
    repo = path if domain is None else f"{domain}/{path}"
    name = f"{repo}:{tag or 'latest'}"
    return not name.startswith("sha256:") and podman_normalize_name(name)
