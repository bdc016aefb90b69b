"""Searching what the SDK hands out for a secret, in every encoding it could take.

Credentials travel as base64url JSON (``X-Registry-Auth``), or base64 of a JSON map
(``X-Registry-Config``). Base64 of any text holding the secret contains, whatever the
text around it, the encoding of the secret's whole 3-byte groups at one of three
alignments: `needles` holds those fragments for both alphabets (so padding or its
absence changes nothing), plus the secret raw, JSON-escaped and percent-encoded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import httpx


def base64_fragments(secret: bytes) -> set[str]:
    """For each alignment k of the secret within a longer text: the base64 characters
    that depend on the secret's bytes only (standard and URL-safe alphabets)."""
    found: set[str] = set()
    for k in range(3):
        first = -(-k // 3)  # the first 3-byte group wholly inside the secret
        last = (k + len(secret)) // 3
        if last <= first:
            continue
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * k + secret).decode("ascii")
            found.add(text[4 * first : 4 * last])
    return found


def needles(*secrets: str) -> set[str]:
    """Every form in which each secret could show."""
    found: set[str] = set()
    for secret in secrets:
        raw = secret.encode("utf-8")
        found |= {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}
        found |= base64_fragments(raw)
        found |= base64_fragments(json.dumps(secret)[1:-1].encode("utf-8"))
    return {needle for needle in found if len(needle) >= 8}


def request_texts(request: httpx.Request) -> Iterator[str]:
    yield repr(request)
    yield str(request.url)
    yield repr(request.headers)
    yield repr(request.headers.raw)
    for name, value in request.headers.multi_items():
        yield f"{name}: {value}"
    yield repr(request.extensions)
    with contextlib.suppress(httpx.RequestNotRead):
        yield repr(request.content)


def response_texts(response: httpx.Response) -> Iterator[str]:
    yield repr(response)
    yield repr(response.headers)
    with contextlib.suppress(httpx.ResponseNotRead):
        yield response.text
    try:
        request = response.request
    except RuntimeError:
        return
    yield from request_texts(request)


def object_texts(value: object, depth: int = 0) -> Iterator[str]:
    """``value``'s repr, and what it holds that could carry a request or a response."""
    yield repr(value)
    if isinstance(value, httpx.Response):
        yield from response_texts(value)
    elif isinstance(value, httpx.Request):
        yield from request_texts(value)
    elif isinstance(value, BaseException):
        yield from exception_texts(value)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from object_texts(item, depth + 1)
    elif isinstance(value, list | tuple | set) and depth < 3:
        for item in value:
            yield from object_texts(item, depth + 1)


def exception_texts(exc: BaseException) -> Iterator[str]:
    """The exception and its whole chain: messages, reprs, args, every attribute
    (responses and their requests included), an httpx error's request."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        yield repr(current.args)
        for value in vars(current).values():
            if isinstance(value, BaseException):
                pending.append(value)
            else:
                yield from object_texts(value)
        if isinstance(current, httpx.RequestError):
            with contextlib.suppress(RuntimeError):
                yield from request_texts(current.request)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                pending.append(linked)


def record_texts(records: Iterable[logging.LogRecord]) -> Iterator[str]:
    formatter = logging.Formatter()
    for record in records:
        yield record.getMessage()
        yield repr(record.args)
        yield formatter.format(record)


def leaks(texts: Iterable[str], secrets: Iterable[str]) -> list[str]:
    """Each (needle, where) found: an empty list means nothing leaked."""
    forms = needles(*secrets)
    found = []
    for text in texts:
        for needle in forms:
            if needle in text:
                start = max(text.index(needle) - 60, 0)
                found.append(f"{needle!r} in ...{text[start : start + 160]!r}")
    return found
