"""The backend-neutral rules of indexing/store/core.py, without any store."""

from __future__ import annotations

import itertools
import random

import pytest

from indexing.store import core
from indexing.store.core import ScoreRow, current_score


def row(as_of: str, seq: int, index: float, version: str = "m1") -> ScoreRow:
    return ScoreRow(as_of, seq, index, "x", version, key=f"{as_of}/{seq}")


def test_current_is_newest_as_of_then_last_saved_and_rise_is_against_an_earlier_day() -> None:
    rows = [row("2024-01-01", 1, 40.0), row("2024-02-01", 2, 70.0), row("2024-02-01", 3, 65.0, "m2"),
            row("2024-01-15", 4, 50.0)]  # saved last, an older day: the one before the current
    cs = current_score(rows)
    assert cs is not None
    assert (cs.row.as_of, cs.row.seq, cs.row.smoke_index) == ("2024-02-01", 3, 65.0)
    assert cs.rise == 65.0 - 50.0  # the newest score of an earlier day, not the other one of 2024-02-01
    assert cs.company_fields() == {"smoke_index": 65.0, "level": "x", "score_as_of": "2024-02-01", "rise": 15.0}


def test_no_rows_no_score_and_one_day_no_rise() -> None:
    assert current_score([]) is None
    cs = current_score([row("2024-02-01", 1, 70.0), row("2024-02-01", 2, 60.0)])
    assert cs is not None and cs.row.seq == 2 and cs.rise is None


def test_any_order_gives_the_same_decision_and_newest_first_reads_two_rows() -> None:
    rng = random.Random(7)
    rows = [row(f"2024-0{1 + rng.randrange(5)}-01", seq, float(rng.randrange(100))) for seq in range(12)]
    want = current_score(sorted(rows, key=lambda r: (r.as_of, r.seq), reverse=True), newest_first=True)
    for perm in itertools.islice(itertools.permutations(rows), 0, 2000, 97):
        assert current_score(perm) == want
    read: list[ScoreRow] = []

    def lazy():
        for r in sorted(rows, key=lambda r: (r.as_of, r.seq), reverse=True):
            read.append(r)
            yield r

    assert current_score(lazy(), newest_first=True) == want
    newest_day = max(r.as_of for r in rows)
    assert len(read) == sum(r.as_of == newest_day for r in rows) + 1  # stops at the first earlier day


def test_a_bad_cursor_is_refused_alike() -> None:
    for bad in ([1], ["a", 2], [True, "x"], [{"x": 1}, "id"], "abc", [1, "x" * 2000]):
        with pytest.raises(core.BadCursor):
            core.check_cursor(bad)
    assert core.check_cursor(None) is None and core.check_cursor([]) is None
    assert core.check_cursor([1.5, "id"]) == [1.5, "id"]
