"""docs/operations.md and the data behind it, without a service.

The live pass (tests/live/operations) fills the table's cells; these checks hold what
needs no service: a row for every generated operation and no other, a call or a reason
for every operation on every major, and reasons and pending entries that name real
operations.
"""

from __future__ import annotations

import pytest

from tests.live.operations.calls import CALLS
from tests.live.operations.table import (
    BEGIN,
    END,
    GAP,
    MAJORS,
    NOT_CALLED,
    PENDING_FILE,
    TABLE_FILE,
    load_reasons,
    operations,
    read_column,
    render,
    totals,
)

KINDS = ("libpod", "compat")


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_has_a_row_for_every_operation_and_no_other(kind: str) -> None:
    text = TABLE_FILE.read_text()
    wanted = {op.key for op in operations() if op.kind == kind}
    for major in MAJORS:
        rows = set(read_column(text, kind, major)) - {"total"}
        assert rows == wanted, (major, sorted(rows ^ wanted))


def test_every_operation_has_a_call_or_a_reason_on_every_major() -> None:
    reasons = load_reasons()
    gaps = [
        (op.key, major)
        for op in operations()
        for major in MAJORS
        if op.key not in CALLS and major not in reasons.get(op.key, {})
    ]
    assert gaps == []


def test_reasons_and_calls_name_generated_operations() -> None:
    keys = {op.key for op in operations()}
    assert set(load_reasons()) <= keys, sorted(set(load_reasons()) - keys)
    assert set(load_reasons(PENDING_FILE)) <= keys
    assert set(CALLS) <= keys, sorted(set(CALLS) - keys)


def test_a_called_operation_that_streams_reads_its_stream_too() -> None:
    missing = [op.key for op in operations() if op.streams and op.key in CALLS]
    assert [key for key in missing if CALLS[key].stream is None] == []


def test_a_rendered_column_reads_back_with_its_totals() -> None:
    ops = [op for op in operations() if op.kind == "compat"][:3]
    cells = {ops[0].key: "200", ops[1].key: NOT_CALLED + "no ssh"}
    table = render("compat", ops, {"podman5": cells})
    column = read_column(
        f"{BEGIN.format(kind='compat')}\n{table}\n{END.format(kind='compat')}", "compat", "podman5"
    )
    assert column[ops[0].key] == "200"
    assert column[ops[1].key] == "not called: no ssh"
    assert column[ops[2].key] == ""
    assert column["total"] == "1 called, 1 with a reason, 1 gaps"


def test_totals_count_gaps_and_reasons_apart() -> None:
    assert totals(["200", GAP, NOT_CALLED + "x", "204, stream"]) == (
        "2 called, 1 with a reason, 1 gaps"
    )
