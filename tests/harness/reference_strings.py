"""Seeded generator of image-reference strings, biased toward the edges of the grammar.

Shared by the unit test that checks the parser against a transliteration of Podman's
grammar and the live test that checks it against each service. The same seed gives the
same strings on every machine and Python version (only `random.Random` with a fixed
seed, whose sequence Python keeps stable, and fixed tables).
"""

from __future__ import annotations

import random
import string

__all__ = ["DEFAULT_SEED", "generate_references"]

DEFAULT_SEED = 20261130

_LOWER = string.ascii_lowercase + string.digits
_HEX = "0123456789abcdef"
_ODD = " !\"#$%&'()*+,;<=>?[\\]^`{|}~\t"
_UNICODE = "\u00e9\u00df\u00c9\u01c5\u0130\u0131\u017f\u212a\U0001d51e\u4e2d\u30fc\u200b\u00a0"
_TRANSPORTS = ("dir", "oci", "docker", "docker-archive", "oci-archive", "containers-storage")

_DOMAINS = (
    "localhost",
    "localhost:5000",
    "LOCALHOST",
    "Localhost",
    "quay.io",
    "Quay.IO",
    "docker.io",
    "index.docker.io",
    "127.0.0.1:5000",
    "127.0.0.1",
    "[::1]:5000",
    "[fe80::1]",
    "MyHost",
    "myhost",
    "my-host",
    "MY_HOST",
    "a_b.c",
    "a.b_c",
    "a__b.c",
    "-a.b",
    "a.b-",
    "a..b",
    "a.b:",
    "a.b:x",
    "host:5000",
    "Host:5000",
    "registry-1.example.com:443",
    "sha256",
    "",
)


def _component(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return "".join(rng.choice(_LOWER) for _ in range(rng.randint(1, 8)))
    if roll < 0.6:
        separator = rng.choice([".", "_", "__", "___", "-", "--", "---", "..", "._", "-_"])
        parts = ["".join(rng.choice(_LOWER) for _ in range(rng.randint(1, 4))) for _ in "ab"]
        return separator.join(parts)
    if roll < 0.7:
        edge = rng.choice([".", "_", "-", "__"])
        core = "".join(rng.choice(_LOWER) for _ in range(rng.randint(1, 5)))
        return rng.choice([edge + core, core + edge])
    if roll < 0.78:
        core = "".join(rng.choice(_LOWER) for _ in range(rng.randint(1, 8)))
        i = rng.randrange(len(core))
        return core[:i] + core[i].upper() + core[i + 1 :]
    if roll < 0.84:
        return "a" * rng.choice([60, 120, 200, 230, 236, 237, 238, 244, 245, 246, 250, 255, 256])
    if roll < 0.88:
        return "".join(rng.choice(_HEX) for _ in range(rng.choice([12, 63, 64, 65])))
    if roll < 0.92:
        return rng.choice(["sha256", "latest", "library", "localhost", "x"])
    if roll < 0.96:
        core = "".join(rng.choice(_LOWER) for _ in range(rng.randint(1, 5)))
        i = rng.randrange(len(core) + 1)
        return core[:i] + rng.choice(_UNICODE + _ODD) + core[i:]
    return ""


def _tag(rng: random.Random) -> str:
    roll = rng.random()
    chars = string.ascii_letters + string.digits + "_.-"
    if roll < 0.5:
        return rng.choice(["latest", "1", "v1.2.3", "1.0-rc1", "_x", "Tag_With.Caps-1"])
    if roll < 0.65:
        return "".join(rng.choice(chars) for _ in range(rng.randint(1, 12)))
    if roll < 0.75:
        return "t" * rng.choice([127, 128, 129])
    if roll < 0.85:
        return rng.choice([".x", "-x", "", "a+b", "a:b", "a/b", "é", "x y"])
    return "".join(rng.choice(chars + _ODD) for _ in range(rng.randint(1, 6)))


def _digest(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return "sha256:" + "".join(rng.choice(_HEX) for _ in range(64))
    if roll < 0.4:
        return "sha512:" + "".join(rng.choice(_HEX) for _ in range(128))
    if roll < 0.45:
        return "sha384:" + "".join(rng.choice(_HEX) for _ in range(96))
    if roll < 0.55:
        return "sha256:" + "".join(rng.choice(_HEX.upper()) for _ in range(64))
    if roll < 0.7:
        length = rng.choice([0, 1, 31, 32, 33, 63, 65, 96, 128])
        return rng.choice(["sha256", "sha512", "sha384"]) + ":" + "a" * length
    if roll < 0.8:
        return rng.choice(["md5", "SHA256", "sha-256", "blake3", "sha256+b64", ""]) + ":" + "a" * 64
    if roll < 0.9:
        return "sha256:" + "g" * 64
    return rng.choice(["", "sha256", ":", "sha256:" + "a" * 64 + "@x"])


def _assemble(rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.45:
        parts.append(rng.choice(_DOMAINS))
    parts.extend(_component(rng) for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])))
    text = "/".join(parts)
    if rng.random() < 0.45:
        text += ":" + _tag(rng)
    if rng.random() < 0.25:
        text += "@" + _digest(rng)
    return text


def _special(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return "".join(rng.choice(_HEX) for _ in range(rng.choice([3, 12, 63, 64, 65, 128])))
    if roll < 0.45:
        algorithm = rng.choice(["sha256", "sha512", "sha384", "SHA256"])
        return f"{algorithm}:" + "".join(rng.choice(_HEX) for _ in range(rng.choice([3, 64, 128])))
    if roll < 0.65:
        return rng.choice(_TRANSPORTS) + rng.choice([":", "://"]) + _assemble(rng)
    if roll < 0.8:
        return "/" + _assemble(rng) if rng.random() < 0.5 else _assemble(rng) + "/"
    return "".join(rng.choice(_LOWER + "/:@._-" + _UNICODE[:3]) for _ in range(rng.randint(1, 20)))


def _mutate(rng: random.Random, text: str) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    roll = rng.random()
    if roll < 0.3:
        return text[:i] + text[i + 1 :]
    if roll < 0.55:
        return text[:i] + text[i].upper() + text[i + 1 :]
    if roll < 0.8:
        return text[:i] + rng.choice("/:@._-" + _ODD[:4] + _UNICODE[:2]) + text[i:]
    return text[:i] + text[i] + text[i:]


def sendable(text: str) -> bool:
    """Whether ``text`` can be put in a URL path and reach the handler: not empty, and
    not "." or ".." (which the router resolves as path segments)."""
    return text not in ("", ".", "..") and "\x00" not in text


def generate_references(count: int, seed: int = DEFAULT_SEED) -> list[str]:
    """``count`` distinct sendable strings, the same list for the same seed."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        roll = rng.random()
        if roll < 0.6:
            text = _assemble(rng)
        elif roll < 0.8:
            text = _mutate(rng, _assemble(rng))
        else:
            text = _special(rng)
        if sendable(text):
            found.setdefault(text, None)
    return list(found)
