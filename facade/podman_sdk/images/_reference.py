"""Image references: the one parser used by pull, push, tag, save and get.

The grammar is containers/image's docker/reference (the one every Podman release
parses with), read the way libimage's NormalizeName reads it::

    reference := name [ ":" tag ] [ "@" digest ]
    name      := [ domain "/" ] path
    domain    := host [ ":" port ]      host: labels [A-Za-z0-9-] joined by ".", no
                                        label starting or ending with "-"; no IPv6
    path      := component ( "/" component )*
    component := [a-z0-9]+ ( ( [._] | "__" | "-"+ ) [a-z0-9]+ )*
    tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
    digest    := algorithm ":" hex      sha256/64, sha384/96, sha512/128 lowercase hex

Which first component is a registry (NormalizeName): only one followed by "/" that
matches ``domain`` and contains "." or ":" or is "localhost". Anything else is part of
the path, which Podman stores under "localhost/" and which must be lowercase: "MyHost/
app" is the repository "localhost/MyHost/app" to Podman, refused ("repository name must
be lowercase"), not an image on the registry "MyHost"; "a_b.c/x" (not a host name) is
the repository "localhost/a_b.c/x". A first component with ":" that is not a host and
port can be nothing else, so it is refused.

Lengths: a name may have at most 255 characters both as written and once normalised
the way Podman stores it ("localhost/" before a name without registry; "docker.io/
library/" for a one-component docker.io name). A bare 64-digit hex string is an image
ID, not a name. `push_destination` also checks Docker's normalisation
("docker.io/library/" before a name without registry), which a push applies.

Normalisation (`ImageReference.normalized`) follows Docker's rules, which containers/
image shares for fully qualified names: no registry or "index.docker.io" means
"docker.io", a single-component docker.io path gets "library/", and "latest" is added
when there is neither tag nor digest. "localhost/x" stays "localhost/x". Podman
resolves *short* names differently at run time (unqualified-search-registries, short-
name aliases, and "localhost/" for images built locally, see libimage's
NormalizeName), so "x" and "localhost/x" compare unequal here even though a Podman
holding only "localhost/x:latest" finds it by "x". The SDK therefore sends references
to the service exactly as written (`familiar`, `str`) and normalises only to compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NoReturn

from podman_sdk._exceptions import InvalidArgument

__all__ = [
    "ImageReference",
    "parse_reference",
    "push_destination",
    "reference_from_repository_tag",
    "same_image_name",
    "split_repository_tag",
    "tag_target",
]

DEFAULT_DOMAIN = "docker.io"
LOCAL_DOMAIN = "localhost"
_LEGACY_DEFAULT_DOMAIN = "index.docker.io"
_OFFICIAL_PREFIX = "library/"
DEFAULT_TAG = "latest"
NAME_MAX_LENGTH = 255
TAG_MAX_LENGTH = 128

# "-"+ rather than the spec's "-"*: the same language, but with "-"* the regex can split
# a run of letters in exponentially many ways before failing on a bad character.
_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_PATH_CHARS = re.compile(r"[^a-z0-9._/-]")
_DOMAIN_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DNS_HOST = re.compile(rf"{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*")
_DOMAIN = re.compile(rf"{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*(?::[0-9]+)?")
_PORT = re.compile(r"[0-9]+")
# Explicit ASCII classes: Python's \w would also accept non-ASCII letters.
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_TAG_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
_DIGEST_ALGORITHM = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*")
_DIGEST_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_LOWER_HEX = re.compile(r"[0-9a-f]+")
_IMAGE_ID = re.compile(r"[0-9a-f]{64}")

# Long references are quoted in errors only this far.
_QUOTE_MAX = 120


@dataclass(frozen=True)
class ImageReference:
    """A parsed image reference; fields keep the text exactly as written.

    Build one with `ImageReference.parse` (or `parse_reference`); the constructor
    validates too, so every instance satisfies ``parse(str(ref)) == ref``.

    Attributes:
        domain: registry host with optional port ("quay.io", "localhost:5000"), or None.
        path: repository path without the registry ("podman/hello", "alpine").
        tag: tag without ":" or None.
        digest: "algorithm:hex" without "@" or None.
    """

    domain: str | None
    path: str
    tag: str | None = None
    digest: str | None = None

    def __post_init__(self) -> None:
        text = str(self)
        if self.domain is not None:
            _check_domain(self.domain, text)
            if not _is_registry(self.domain):
                _fail(
                    text,
                    f"{self.domain!r} is not a registry host to Podman (no '.' or ':', and "
                    "not 'localhost'), so it cannot be the domain",
                )
            offset = len(self.domain) + 1
        else:
            offset = 0
            if _split_domain(self.path)[0] is not None:
                _fail(text, "the first path component would be read as a registry host")
        _check_path(self.path, text, offset)
        if self.tag is not None:
            _check_tag(self.tag, text, len(self.repository) + 1)
        if self.digest is not None:
            _check_digest(self.digest, text)
        bare = self.domain is None and self.tag is None and self.digest is None
        if bare and _IMAGE_ID.fullmatch(self.path):
            _fail(text, "a 64-digit hexadecimal string is an image ID, not a name")
        if max(len(self.repository), len(self._stored_name())) > NAME_MAX_LENGTH:
            _fail(text, f"repository name must not be more than {NAME_MAX_LENGTH} characters")

    @classmethod
    def parse(cls, text: str) -> ImageReference:
        """Parse ``text``; raises `InvalidArgument` saying what is wrong and where."""
        return parse_reference(text)

    @property
    def repository(self) -> str:
        """Registry and path as written, without tag or digest ("quay.io/podman/hello")."""
        return self.path if self.domain is None else f"{self.domain}/{self.path}"

    def normalized(self) -> str:
        """The fully qualified form used to compare names (see the module docstring).

        ``alpine`` → ``docker.io/library/alpine:latest``;
        ``localhost/x`` → ``localhost/x:latest``; a digest is kept, and suppresses the
        default tag.
        """
        tag = self.tag
        if tag is None and self.digest is None:
            tag = DEFAULT_TAG
        return _join(self._qualified_name(), tag, self.digest)

    def familiar(self) -> str:
        """The reference as written (unlike Docker's FamiliarString, never shortened).

        Podman resolves a short name through its search registries, so turning
        "docker.io/library/alpine" into "alpine" would change what the service pulls.
        """
        return _join(self.repository, self.tag, self.digest)

    def with_tag(self, tag: str) -> ImageReference:
        """The same reference with ``tag`` instead of its tag; a digest is kept."""
        return replace(self, tag=tag)

    def __str__(self) -> str:
        return self.familiar()

    def _stored_name(self) -> str:
        # The repository as libimage's NormalizeName stores it (only its length
        # matters here): "localhost/" before a name without registry.
        if self.domain is None:
            return f"{LOCAL_DOMAIN}/{self.path}"
        return self._qualified_name()

    def _qualified_name(self) -> str:
        domain = self.domain
        path = self.path
        if domain is None or domain == _LEGACY_DEFAULT_DOMAIN:
            domain = DEFAULT_DOMAIN
        if domain == DEFAULT_DOMAIN and "/" not in path:
            path = _OFFICIAL_PREFIX + path
        return f"{domain}/{path}"


def parse_reference(text: str) -> ImageReference:
    """Parse an image reference; raises `InvalidArgument` saying what is wrong and where."""
    if not text:
        raise InvalidArgument("invalid image reference: the reference is empty")
    name_tag, at, digest = text.partition("@")
    if at and not digest:
        _fail(text, "the digest after '@' is empty")
    if "@" in digest:
        _fail(text, "a reference has at most one '@digest'")
    name, tag = _split_tag(name_tag)
    if not name:
        _fail(text, "the repository name is empty")
    domain, path = _split_domain(name)
    return ImageReference(domain, path, tag, digest if at else None)


def same_image_name(a: str, b: str) -> bool:
    """Whether two references name the same image once normalised.

    ``same_image_name("alpine", "docker.io/library/alpine:latest")`` is True. A string
    that is not a valid reference (such as ``"<none>:<none>"`` from an untagged image)
    matches nothing.
    """
    try:
        return parse_reference(a).normalized() == parse_reference(b).normalized()
    except InvalidArgument:
        return False


def reference_from_repository_tag(repository: str, tag: str | None) -> ImageReference:
    """One reference from a podman-py style ``(repository, tag)`` pair.

    ``tag`` may also be a digest ("sha256:<hex>"), which becomes ``@sha256:<hex>``
    rather than being glued on as ``repo:sha256:<hex>`` (a podman-py bug). Without tag
    or digest the tag is "latest". An empty ``tag`` counts as none, as in podman-py.

    Raises:
        InvalidArgument: the repository is invalid, or already has what ``tag`` adds.
    """
    ref = parse_reference(repository)
    if tag:
        if ":" in tag:
            if ref.digest is not None:
                _fail(repository, f"has a digest already, cannot add digest {tag!r}")
            return replace(ref, digest=tag.removeprefix("@"))
        if ref.tag is not None:
            _fail(repository, f"has the tag {ref.tag!r} already, cannot add tag {tag!r}")
        return ref.with_tag(tag)
    if ref.tag is None and ref.digest is None:
        return ref.with_tag(DEFAULT_TAG)
    return ref


def tag_target(repository: str, tag: str | None) -> ImageReference:
    """The reference ``Image.tag(repository, tag)`` gives the image, with its tag
    ("latest" when neither argument has one), or `InvalidArgument` for a target Podman
    refuses: everything `parse_reference` refuses, a digest, and the repository
    "sha256" without registry, since libimage refuses any name starting with
    "sha256:" as ambiguous with an image ID.
    """
    ref = reference_from_repository_tag(repository, tag)
    if ref.digest is not None:
        raise InvalidArgument(f"cannot tag with a digest reference: {repository!r}")
    if ref.domain is None and ref.path == "sha256":
        _fail(str(ref), "Podman refuses a name starting with 'sha256:' (read as an image ID)")
    return ref


def push_destination(text: str) -> ImageReference:
    """A push destination: `parse_reference`, plus the length of the name once Docker
    normalises it ("docker.io/library/" before a name without registry), since a
    push reads the destination with Docker's rules."""
    ref = parse_reference(text)
    if len(ref._qualified_name()) > NAME_MAX_LENGTH:
        _fail(
            text,
            f"repository name must not be more than {NAME_MAX_LENGTH} characters once "
            f"normalised to {DEFAULT_DOMAIN}",
        )
    return ref


def split_repository_tag(repository: str, tag: str | None) -> tuple[str, str | None]:
    """Resolve a podman-py style ``(repository, tag)`` pair into ``(name, tag)``.

    ``name`` is the repository as written plus ``@digest`` when there is one; ``tag``
    is the tag given in either argument, "latest" when there is neither tag nor
    digest, and None for a digest-only reference. Never join the two with ":"
    yourself when a digest may be present; use `reference_from_repository_tag` for a
    single reference string.
    """
    ref = reference_from_repository_tag(repository, tag)
    name = ref.repository if ref.digest is None else f"{ref.repository}@{ref.digest}"
    return name, ref.tag


def _join(name: str, tag: str | None, digest: str | None) -> str:
    text = name if tag is None else f"{name}:{tag}"
    return text if digest is None else f"{text}@{digest}"


def _split_tag(name_tag: str) -> tuple[str, str | None]:
    # A ":" after the last "/" starts the tag; one before it belongs to a port.
    colon = name_tag.rfind(":")
    if colon > name_tag.rfind("/"):
        return name_tag[:colon], name_tag[colon + 1 :]
    return name_tag, None


def _is_registry(domain: str) -> bool:
    # libimage's NormalizeName: anything else goes under "localhost/".
    return any(c in domain for c in ".:") or domain == LOCAL_DOMAIN


def _split_domain(name: str) -> tuple[str | None, str]:
    """``(domain, path)`` as Podman splits ``name`` (a reference without tag or digest).

    The first component is the domain when it matches the host grammar and is a
    registry to Podman. One with "." that is no host name but a valid path component
    ("a_b.c") is part of the path; one with ":" or "." that is neither is returned as
    a domain, for `_check_domain` to refuse with a precise message.
    """
    first, slash, path = name.partition("/")
    if not slash or not _is_registry(first):
        return None, name
    if _DOMAIN.fullmatch(first) or ":" in first or not _COMPONENT.fullmatch(first):
        return first, path
    return None, name


def _check_domain(domain: str, text: str) -> None:
    if not domain:
        _fail(text, "the registry host is empty")
    if domain.startswith("["):
        # distribution/reference accepts "[::1]"; the containers/image copy that every
        # Podman release (4.3 to 6.0) vendors does not.
        _fail(text, f"Podman does not accept an IPv6 address as a registry ({domain!r})")
    host, colon, port = domain.partition(":")
    if colon and not _PORT.fullmatch(port):
        _fail(text, f"invalid port {port!r} in registry {domain!r}")
    if not _DNS_HOST.fullmatch(host):
        _fail(text, f"invalid registry host {host!r}")


def _check_path(path: str, text: str, offset: int) -> None:
    if path != path.lower():
        _fail(text, "repository name must be lowercase")
    bad = _PATH_CHARS.search(path)
    if bad is not None:
        _fail(text, f"invalid character {bad.group()!r} at position {offset + bad.start()}")
    position = offset
    for component in path.split("/"):
        if not component:
            _fail(text, f"empty path component at position {position}")
        if not _COMPONENT.fullmatch(component):
            _fail(
                text,
                f"invalid path component {component!r} at position {position}: components "
                "start and end with a letter or digit, separated only by '.', '_', '__' or "
                "'-'",
            )
        position += len(component) + 1


def _check_tag(tag: str, text: str, offset: int) -> None:
    if not tag:
        _fail(text, "the tag after ':' is empty")
    bad = _TAG_CHARS.search(tag)
    if bad is not None:
        _fail(text, f"invalid character {bad.group()!r} in tag at position {offset + bad.start()}")
    if not _TAG.fullmatch(tag):
        _fail(text, f"tag {tag!r} must start with a letter, digit or '_'")
    if len(tag) > TAG_MAX_LENGTH:
        _fail(text, f"tag must not be more than {TAG_MAX_LENGTH} characters")


def _check_digest(digest: str, text: str) -> None:
    algorithm, colon, hex_digits = digest.partition(":")
    if not colon or not _DIGEST_ALGORITHM.fullmatch(algorithm) or not hex_digits:
        _fail(text, f"invalid digest {digest!r}, expected 'sha256:<64 hex digits>'")
    length = _DIGEST_HEX_LENGTHS.get(algorithm)
    if length is None:
        _fail(text, f"unsupported digest algorithm {algorithm!r}")
    if not _LOWER_HEX.fullmatch(hex_digits):
        _fail(text, f"{algorithm} digest must be lowercase hexadecimal")
    if len(hex_digits) != length:
        _fail(
            text,
            f"{algorithm} digest must have {length} hexadecimal digits, got {len(hex_digits)}",
        )


def _fail(text: str, reason: str) -> NoReturn:
    quoted = text if len(text) <= _QUOTE_MAX else text[:_QUOTE_MAX] + "..."
    raise InvalidArgument(f"invalid image reference {quoted!r}: {reason}")
