"""Hypothesis strategies for the property tests: random text, and text shaped like image
references (registry, path, tag, digest pieces with odd characters mixed in), so that
both the SDK's checks and the server's own parsing are reached."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.harness.reference_strings import generate_references

_PIECE = st.text(
    alphabet=st.sampled_from("abcxyz019._-:/@+ %\\\"'#?[]{}<>ABCé\u200b\n\t"), max_size=12
)

reference_like = st.builds(
    lambda domain, parts, tag, digest: (
        domain + "/".join(parts) + (":" + tag if tag else "") + (f"@{digest}" if digest else "")
    ),
    st.sampled_from(["", "localhost/", "localhost:5000/", "127.0.0.1:1/", "quay.io/", "a_b/"]),
    st.lists(_PIECE, min_size=1, max_size=3),
    st.one_of(st.none(), _PIECE),
    st.one_of(st.none(), st.just("sha256:" + "a" * 64), _PIECE.map(lambda s: "sha256:" + s)),
)

#: Any text, reference-shaped text, and the edge cases of the differential test.
random_names = st.one_of(
    st.text(max_size=80),
    reference_like,
    st.sampled_from(generate_references(400)),
)
