"""Image reference parsing, normalisation and podman-py style (repository, tag) pairs."""

from __future__ import annotations

import pytest
from podman_sdk._exceptions import InvalidArgument
from podman_sdk.images._reference import (
    ImageReference,
    parse_reference,
    push_destination,
    reference_from_repository_tag,
    same_image_name,
    split_repository_tag,
    tag_target,
)

SHA = "sha256:" + "0123456789abcdef" * 4
SHA512 = "sha512:" + "ab" * 64

# text -> (domain, path, tag, digest)
VALID = {
    "alpine": (None, "alpine", None, None),
    "alpine:3.20": (None, "alpine", "3.20", None),
    "library/alpine": (None, "library/alpine", None, None),
    "docker.io/library/alpine:latest": ("docker.io", "library/alpine", "latest", None),
    "quay.io/podman/hello": ("quay.io", "podman/hello", None, None),
    "localhost/x": ("localhost", "x", None, None),
    "localhost/x:1": ("localhost", "x", "1", None),
    "localhost:5000/a/b:c": ("localhost:5000", "a/b", "c", None),
    "localhost:5000": (None, "localhost", "5000", None),  # a tag, as in Docker
    "127.0.0.1:5000/x": ("127.0.0.1:5000", "x", None, None),
    "registry-1.example.com:443/team/app": ("registry-1.example.com:443", "team/app", None, None),
    f"img@{SHA}": (None, "img", None, SHA),
    f"img:tag@{SHA}": (None, "img", "tag", SHA),
    f"quay.io/a/b@{SHA512}": ("quay.io", "a/b", None, SHA512),
    "a__b": (None, "a__b", None, None),
    "a--b": (None, "a--b", None, None),
    "a---b.c_d": (None, "a---b.c_d", None, None),
    "x/a---b.c__d/e": (None, "x/a---b.c__d/e", None, None),
    # A dot in the first component makes it a registry host, as in Docker.
    "a.b/c": ("a.b", "c", None, None),
    "Quay.IO/podman/hello": ("Quay.IO", "podman/hello", None, None),
    # libimage's NormalizeName: a first component without "." or ":" that is not
    # "localhost" is part of the path (stored under localhost/), even if it is a host.
    "myhost/app": (None, "myhost/app", None, None),
    "my-host:1/app": ("my-host:1", "app", None, None),
    # A first component with "." that is no host name is a path component to Podman.
    "a_b.c/x": (None, "a_b.c/x", None, None),
    "a.b__c/x:1": (None, "a.b__c/x", "1", None),
    "LOCALHOST.x/a": ("LOCALHOST.x", "a", None, None),
    "x:_Tag.With-Caps": (None, "x", "_Tag.With-Caps", None),
    "0/1/2": (None, "0/1/2", None, None),
}


@pytest.mark.parametrize(("text", "parts"), VALID.items())
def test_valid(text: str, parts: tuple[str | None, str, str | None, str | None]) -> None:
    ref = parse_reference(text)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == parts
    assert str(ref) == ref.familiar() == text
    assert ImageReference.parse(text) == ref
    assert ImageReference(*parts) == ref


@pytest.mark.parametrize(
    ("text", "repository"),
    [
        ("alpine:3", "alpine"),
        ("localhost:5000/a/b:c", "localhost:5000/a/b"),
        (f"quay.io/a/b:t@{SHA}", "quay.io/a/b"),
    ],
)
def test_repository(text: str, repository: str) -> None:
    assert parse_reference(text).repository == repository


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("Alpine", "must be lowercase"),
        ("docker.io/Library/alpine", "must be lowercase"),
        ("quay.io/podman/Hello:1", "must be lowercase"),
        ("a b", "invalid character ' ' at position 1"),
        ("quay.io/a!b", "invalid character '!' at position 9"),
        ("café", "invalid character 'é' at position 3"),
        ("a//b", "empty path component at position 2"),
        ("a/", "empty path component at position 2"),
        ("/a", "empty path component at position 0"),
        ("a..b", "invalid path component 'a..b'"),
        ("-a", "invalid path component '-a'"),
        ("a-", "invalid path component 'a-'"),
        ("a___b", "invalid path component"),
        ("x/a._b", "invalid path component 'a._b' at position 2"),
        ("alpine:", "tag after ':' is empty"),
        ("alpine:.x", "must start with a letter, digit or '_'"),
        ("alpine:-x", "must start with a letter, digit or '_'"),
        ("alpine:a+b", "invalid character '+' in tag at position 8"),
        ("alpine:é", "invalid character 'é' in tag"),
        ("alpine:" + "t" * 129, "tag must not be more than 128 characters"),
        ("a@", "digest after '@' is empty"),
        ("a@sha256", "invalid digest"),
        ("a@sha256:", "invalid digest"),
        ("a@sha256:abc", "must have 64 hexadecimal digits, got 3"),
        ("a@" + SHA.upper().replace("SHA256", "sha256"), "lowercase hexadecimal"),
        ("a@sha256:" + "g" * 64, "lowercase hexadecimal"),
        ("a@md5:" + "a" * 32, "unsupported digest algorithm 'md5'"),
        (f"a@{SHA}@{SHA}", "at most one '@digest'"),
        ("a:b/c", "invalid port 'b'"),
        ("host:/x", "invalid port ''"),
        ("-host.io/x", "invalid registry host '-host.io'"),
        ("a.-b.io/x", "invalid registry host"),
        ("[::1]:5000/x", "IPv6 address"),
        ("[fe80::1]/x:y", "IPv6 address"),
        # Podman stores "MyHost/app" as "localhost/MyHost/app" and refuses it.
        ("MyHost/app", "must be lowercase"),
        ("Localhost/app", "must be lowercase"),
        ("a_b:1/x", "invalid registry host 'a_b'"),
        ("a_b.c:1/x", "invalid registry host 'a_b.c'"),
        ("-a.b/x", "invalid registry host '-a.b'"),
        ("a.b-/x", "invalid registry host 'a.b-'"),
        ("quay.io/", "empty path component"),
        (":tag", "repository name is empty"),
        ("0123456789abcdef" * 4, "image ID, not a name"),
    ],
)
def test_invalid(text: str, reason: str) -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_reference(text)
    assert reason in str(info.value)
    assert isinstance(info.value, ValueError)


def test_image_id_with_tag_is_a_name() -> None:
    # Only a bare 64-digit string is an ID; with a registry or tag it is a valid name.
    assert parse_reference("0123456789abcdef" * 4 + ":1").tag == "1"
    assert parse_reference("quay.io/" + "0123456789abcdef" * 4).domain == "quay.io"


@pytest.mark.parametrize(
    ("prefix", "longest"),
    [
        # Podman stores a name without registry under "localhost/" (NormalizeName).
        ("", 255 - len("localhost/")),
        ("x/", 255 - len("localhost/x/")),
        ("localhost/", 255 - len("localhost/")),
        ("quay.io/", 255 - len("quay.io/")),
        ("127.0.0.1:5000/", 255 - len("127.0.0.1:5000/")),
        # A one-component docker.io name is stored as "docker.io/library/<name>".
        ("docker.io/", 255 - len("docker.io/library/")),
        ("index.docker.io/", 255 - len("docker.io/library/")),
        ("docker.io/x/", 255 - len("docker.io/x/")),
    ],
)
def test_name_length_counts_written_and_stored_name(prefix: str, longest: int) -> None:
    name = prefix + "a" * longest
    assert str(parse_reference(name)) == name
    assert parse_reference(name + ":tag").tag == "tag"
    with pytest.raises(InvalidArgument, match="more than 255 characters"):
        parse_reference(name + "a")


def test_longest_tag() -> None:
    assert parse_reference("alpine:" + "t" * 128).tag == "t" * 128


def test_long_reference_is_quoted_briefly() -> None:
    with pytest.raises(InvalidArgument) as info:
        parse_reference("A" * 10_000)
    assert len(str(info.value)) < 400


@pytest.mark.timeout(10)
def test_bad_component_fails_fast() -> None:
    # With the spec's literal "-"* separator the component regex backtracks
    # exponentially on a long run of letters that does not match at the end.
    with pytest.raises(InvalidArgument, match="invalid path component"):
        parse_reference("a" * 64 + ".")


def test_constructor_validates() -> None:
    with pytest.raises(InvalidArgument, match="must be lowercase"):
        ImageReference(None, "Alpine")
    with pytest.raises(InvalidArgument, match="read as a registry host"):
        ImageReference(None, "localhost/x")
    with pytest.raises(InvalidArgument, match="registry host is empty"):
        ImageReference("", "x")
    with pytest.raises(InvalidArgument, match="'myhost' is not a registry host to Podman"):
        ImageReference("myhost", "app")
    with pytest.raises(InvalidArgument, match="read as a registry host"):
        ImageReference(None, "a.b/x")
    assert str(ImageReference(None, "a_b.c/x")) == "a_b.c/x"
    with pytest.raises(InvalidArgument, match="invalid digest"):
        ImageReference("quay.io", "x", digest="nope")


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("alpine", "docker.io/library/alpine:latest"),
        ("alpine:3", "docker.io/library/alpine:3"),
        ("docker.io/alpine", "docker.io/library/alpine:latest"),
        ("index.docker.io/alpine", "docker.io/library/alpine:latest"),
        ("index.docker.io/user/app:1", "docker.io/user/app:1"),
        ("user/app", "docker.io/user/app:latest"),
        ("docker.io/library/alpine:latest", "docker.io/library/alpine:latest"),
        ("localhost/x", "localhost/x:latest"),
        ("localhost/x:1", "localhost/x:1"),
        ("localhost:5000/x", "localhost:5000/x:latest"),
        ("quay.io/podman/hello", "quay.io/podman/hello:latest"),
        ("quay.io/hello", "quay.io/hello:latest"),  # "library/" is for Docker Hub only
        (f"alpine@{SHA}", f"docker.io/library/alpine@{SHA}"),
        (f"alpine:3@{SHA}", f"docker.io/library/alpine:3@{SHA}"),
    ],
)
def test_normalized(text: str, normalized: str) -> None:
    assert parse_reference(text).normalized() == normalized
    # Normalising is idempotent, and what is sent to the service is left as written.
    assert parse_reference(normalized).normalized() == normalized
    assert str(parse_reference(text)) == text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("alpine", "docker.io/library/alpine:latest"),
        ("alpine", "alpine:latest"),
        ("docker.io/alpine:3", "library/alpine:3"),
        ("index.docker.io/user/app", "docker.io/user/app:latest"),
        ("localhost/x:1", "localhost/x:1"),
        (f"img@{SHA}", f"docker.io/library/img@{SHA}"),
    ],
)
def test_same_image_name(a: str, b: str) -> None:
    assert same_image_name(a, b)
    assert same_image_name(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("alpine", "alpine:3"),
        ("alpine", "quay.io/alpine"),
        # Podman finds localhost/x by "x" in local storage, but the names differ.
        ("x", "localhost/x"),
        ("localhost/x:1", "localhost/x:2"),
        ("localhost:5000/x", "localhost/x"),
        (f"img@{SHA}", f"img:latest@{SHA}"),
        ("<none>:<none>", "<none>:<none>"),
        ("alpine", ""),
    ],
)
def test_different_image_names(a: str, b: str) -> None:
    assert not same_image_name(a, b)


def test_with_tag() -> None:
    ref = parse_reference("localhost:5000/a/b:c")
    assert str(ref.with_tag("d")) == "localhost:5000/a/b:d"
    assert str(parse_reference(f"img@{SHA}").with_tag("v1")) == f"img:v1@{SHA}"
    assert ref.tag == "c"  # frozen: with_tag returns a new reference
    with pytest.raises(InvalidArgument, match="invalid character ':' in tag"):
        ref.with_tag("a:b")
    with pytest.raises(InvalidArgument, match="tag after ':' is empty"):
        ref.with_tag("")


@pytest.mark.parametrize(
    ("repository", "tag", "expected"),
    [
        ("alpine", None, ("alpine", "latest")),
        ("alpine", "", ("alpine", "latest")),
        ("alpine", "3", ("alpine", "3")),
        ("alpine:3", None, ("alpine", "3")),
        ("localhost:5000/x", None, ("localhost:5000/x", "latest")),
        ("localhost:5000/x", "1", ("localhost:5000/x", "1")),
        ("localhost:5000/x:2", None, ("localhost:5000/x", "2")),
        (f"img@{SHA}", None, (f"img@{SHA}", None)),
        ("img", SHA, (f"img@{SHA}", None)),
        ("img", "@" + SHA, (f"img@{SHA}", None)),
        (f"img:1@{SHA}", None, (f"img@{SHA}", "1")),
        (f"img@{SHA}", "1", (f"img@{SHA}", "1")),
    ],
)
def test_split_repository_tag(
    repository: str, tag: str | None, expected: tuple[str, str | None]
) -> None:
    assert split_repository_tag(repository, tag) == expected


def test_digest_given_as_tag_is_not_glued_with_a_colon() -> None:
    # podman-py builds f"{repository}:{tag}", giving "img:sha256:..." for a digest.
    ref = reference_from_repository_tag("quay.io/img", SHA)
    assert str(ref) == f"quay.io/img@{SHA}"
    assert ref.tag is None


@pytest.mark.parametrize(
    ("repository", "tag", "text"),
    [
        ("alpine", None, "alpine:latest"),
        ("alpine:3", None, "alpine:3"),
        ("alpine", "3", "alpine:3"),
        (f"img@{SHA}", None, f"img@{SHA}"),
        (f"img@{SHA}", "1", f"img:1@{SHA}"),
        ("img:1", SHA, f"img:1@{SHA}"),
    ],
)
def test_reference_from_repository_tag(repository: str, tag: str | None, text: str) -> None:
    assert str(reference_from_repository_tag(repository, tag)) == text


@pytest.mark.parametrize(
    ("repository", "tag", "reason"),
    [
        ("alpine:3", "4", "has the tag '3' already"),
        (f"img@{SHA}", SHA, "has a digest already"),
        ("Alpine", None, "must be lowercase"),
        ("alpine", "bad tag", "invalid character ' ' in tag"),
        ("alpine", "sha256:abc", "must have 64 hexadecimal digits"),
    ],
)
def test_repository_tag_conflicts(repository: str, tag: str | None, reason: str) -> None:
    with pytest.raises(InvalidArgument, match=reason):
        split_repository_tag(repository, tag)


@pytest.mark.parametrize(
    ("repository", "tag", "text"),
    [
        ("localhost/app", None, "localhost/app:latest"),
        ("app", "v1", "app:v1"),
        ("quay.io/a/b:2", None, "quay.io/a/b:2"),
        ("a_b.c/x", None, "a_b.c/x:latest"),
        ("sha256/x", "1", "sha256/x:1"),
        ("localhost/sha256", "1", "localhost/sha256:1"),
    ],
)
def test_tag_target(repository: str, tag: str | None, text: str) -> None:
    assert str(tag_target(repository, tag)) == text


@pytest.mark.parametrize(
    ("repository", "tag", "reason"),
    [
        ("MyHost/app", None, "must be lowercase"),
        ("localhost/app", SHA, "cannot tag with a digest"),
        (f"app@{SHA}", None, "cannot tag with a digest"),
        ("sha256", "abc", "starting with 'sha256:'"),
        ("sha256:abc", None, "starting with 'sha256:'"),
        ("a" * 246, None, "more than 255 characters"),
    ],
)
def test_tag_target_refuses(repository: str, tag: str | None, reason: str) -> None:
    with pytest.raises(InvalidArgument, match=reason):
        tag_target(repository, tag)


def test_push_destination_counts_docker_normalisation() -> None:
    # A push reads its destination with Docker's rules: "docker.io/library/<name>".
    longest = "a" * (255 - len("docker.io/library/"))
    assert str(push_destination(longest)) == longest
    assert str(push_destination("quay.io/" + "a" * 247)) == "quay.io/" + "a" * 247
    with pytest.raises(InvalidArgument, match=r"normalised to docker\.io"):
        push_destination(longest + "a")
    assert str(parse_reference(longest + "a")) == longest + "a"  # fine to tag
    with pytest.raises(InvalidArgument, match="must be lowercase"):
        push_destination("MyHost/app")
