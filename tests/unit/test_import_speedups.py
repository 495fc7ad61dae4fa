"""What the import's speed-ups restructured: a reused row parser, primitive ledger snapshots,
and column-wise SQLite value conversion give the same results as before."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Column, Date, DateTime, Integer, MetaData, Numeric, String, Table

from zhijiao.adapters.db.bulk import _sqlite_rows
from zhijiao.domain.creditbank import rows as rows_module
from zhijiao.domain.creditbank.ledger import (
    active_snapshot,
    canonical_json,
    entry_hash,
    outcome_snapshot,
    record_hasher,
    utc_timestamp,
)
from zhijiao.domain.creditbank.model import (
    Grade,
    LedgerAction,
    Level,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    source_digest,
    source_key,
)
from zhijiao.domain.creditbank.rows import RowParser, parse_row
from zhijiao.domain.identity import make_national_id

TODAY = date(2025, 9, 1)
GOOD_ID = make_national_id("440103", date(2004, 5, 6), 1)
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def _row(**cells: str) -> dict[str, str]:
    base = {"national_id": GOOD_ID, "name": "李明", "kind": "课程", "title": "Python程序设计", "issuer": "学校",
            "hours": "64", "score": "88", "obtained_on": "2024-06-30"}  # fmt: skip
    return {**base, **cells}


ROWS = [
    _row(),
    _row(national_id=BAD_ID),
    _row(),
    _row(national_id=BAD_ID, hours="-1"),
    _row(kind="职业技能等级证书", hours="", level=""),
    _row(kind="职业技能等级证书", hours="", level="中级"),
    _row(score="优"),
    _row(score="101", obtained_on="2030-01-01"),
    _row(hours="", credits="2.5"),
    _row(hours="", credits=""),
    _row(title="长" * 201, kind="未知"),
    _row(national_id=" " + GOOD_ID.lower() + " "),
    _row(kind="course", level="3", code=" C-1 ", score=" 60 ", credits="1.5", hours=""),
    _row(kind="职业资格证书", hours="", credits="", level="技师", obtained_on="2024/6/30"),
    _row(kind="职业资格证书", hours="", level="大师"),
    _row(kind="职业技能等级证书", level="初级", hours="", credits="0.5", score="良"),
    _row(code="c" * 65),
    _row(name="名" * 51, issuer=""),
    _row(name="", title="", obtained_on=""),
    _row(hours="abc", credits="1e3"),
    _row(hours="NaN"),
    _row(obtained_on="2024-02-30"),
]


def test_a_reused_parser_answers_every_row_as_a_fresh_one_would() -> None:
    reused = RowParser(TODAY)
    for cells in ROWS * 2:
        assert reused.parse(cells) == parse_row(cells, TODAY)


def test_the_straight_path_answers_as_the_full_check() -> None:
    parser = RowParser(TODAY)
    for cells in ROWS * 2:
        assert parser.parse(cells) == RowParser(TODAY).parse_reporting(cells)
    assert sum(parser.parse(cells)[0] is not None for cells in ROWS) == 9


def test_a_remembered_error_is_reported_on_every_row_that_has_it() -> None:
    parser = RowParser(TODAY)
    for _ in range(3):
        row, errors = parser.parse(_row(national_id=BAD_ID))
        assert row is None and errors == [("national_id", "身份证号校验码错误")]


def _old_snapshot(o: Outcome) -> str:
    """The snapshot as it was first written (the ledger's hashes were computed over this text)."""
    return canonical_json(
        {"id": o.id, "kind": o.kind, "title": o.title, "code": o.code, "issuer_id": o.issuer_id,
         "obtained_on": o.obtained_on, "hours": o.hours, "credits": o.credits, "score": o.score, "grade": o.grade,
         "level": int(o.level) if o.level is not None else None, "framework_level": o.framework_level,
         "evidence_ref": o.evidence_ref, "status": o.status}
    )  # fmt: skip


OUTCOMES = [
    Outcome(1, 2, OutcomeKind.course, 'Python"程序"\\设计', 3, date(2024, 6, 30), Decimal("4.0"), 5,
            code="C1", hours=Decimal("72.0"), score=Decimal("88.5")),
    Outcome(9, 2, OutcomeKind.skill_certificate, "Web前端开发", 4, date(2023, 1, 2), Decimal("10"), 4,
            level=Level.intermediate, grade=Grade.good, evidence_ref="e/1", status=OutcomeStatus.revoked),
    Outcome(None, 0, OutcomeKind.work_experience, "t", 1, date(2020, 12, 31), Decimal("0.5"), 3,
            hours=Decimal("2000.0")),
    Outcome(12, 3, OutcomeKind.online_course, "\u2028\x00\t\n😀</script>", 5, date(1999, 1, 1), Decimal("0.0"), 2,
            code='"', hours=Decimal("1E+1"), score=Decimal("100.00"), evidence_ref="\\"),
]  # fmt: skip


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_snapshot_text_is_unchanged(outcome: Outcome) -> None:
    assert outcome_snapshot(outcome) == _old_snapshot(outcome)


def _old_entry_hash(
    account_id: int,
    seq: int,
    action: str,
    outcome_id: int | None,
    payload: str,
    actor: str,
    recorded_at: datetime,
    prev_hash: str,
    note: str | None,
) -> str:
    """The leaf hash SHA-256(0x00 ‖ header ‖ "\n" ‖ payload), the header as `canonical_json` writes it
    (the definition the f-string keeps)."""
    header = canonical_json(
        {
            "account_id": account_id,
            "seq": seq,
            "action": action,
            "outcome_id": outcome_id,
            "actor": actor,
            "recorded_at": utc_timestamp(recorded_at),
            "prev_hash": prev_hash,
            "note": note,
        }
    )
    return hashlib.sha256(b"\x00" + (header + "\n" + payload).encode("utf-8")).hexdigest()


ENTRIES = [
    (7, 1, LedgerAction.open, None, '{"a":1}', "system", datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=UTC), "0" * 64, None),
    (123456789012, 42, LedgerAction.correct, 9, "载荷\n\"", 'ad"m\\in\u2028', datetime(2025, 1, 2),
     "x\ty", "原因：\x01打错"),
]  # fmt: skip


@pytest.mark.parametrize("fields", ENTRIES)
def test_entry_hash_is_over_the_canonical_json_header(fields: tuple[Any, ...]) -> None:
    a, seq, action, oid, payload, actor, at, prev, note = fields
    expected = _old_entry_hash(*fields)
    assert entry_hash(account_id=a, seq=seq, action=action, outcome_id=oid, payload=payload, actor=actor,
                      recorded_at=at, prev_hash=prev, note=note) == expected  # fmt: skip
    assert entry_hash(account_id=a, seq=seq, action=str(action), outcome_id=oid, payload=payload, actor=actor,
                      recorded_at=at, prev_hash=prev, note=note) == expected  # fmt: skip
    if note is None:
        assert record_hasher(action, actor, at)(a, seq, oid, prev, payload) == expected


def test_record_hasher_equals_entry_hash() -> None:
    at = datetime(2025, 3, 4, 5, 6, 7, tzinfo=timezone(timedelta(hours=8)))
    hash_ = record_hasher(LedgerAction.record, 'im"port\\', at)
    for a, seq, oid, prev in [(1, 1, 1, "0" * 64), (2**40, 99, 7, 'a"b'), (5, 2, 0, "")]:
        assert hash_(a, seq, oid, prev, '{"title":"x"}') == _old_entry_hash(
            a, seq, LedgerAction.record, oid, '{"title":"x"}', 'im"port\\', at, prev, None
        )


def test_utc_timestamp_of_aware_and_naive_moments() -> None:
    aware = datetime(2025, 1, 2, 11, 4, 5, 6, tzinfo=timezone(timedelta(hours=8)))
    assert utc_timestamp(aware) == "2025-01-02T03:04:05.000006Z"
    assert utc_timestamp(datetime(2025, 1, 2, 3, 4, 5, 6)) == "2025-01-02T03:04:05.000006Z"


def test_sqlite_rows_convert_numeric_date_and_time_columns_only() -> None:
    t = Table(
        "t", MetaData(), Column("id", Integer), Column("n", Numeric(6, 1)), Column("d", Date),
        Column("at", DateTime(timezone=True)), Column("s", String),
    )  # fmt: skip
    now = datetime(2025, 1, 2, 11, 0, tzinfo=timezone(timedelta(hours=8)))
    rows = [(1, Decimal("4.5"), date(2024, 6, 30), now, "x"), (2, None, date(2024, 6, 30), now, None)]
    assert _sqlite_rows(t, ["id", "n", "d", "at", "s"], rows) == [
        (1, "4.5", "2024-06-30", "2025-01-02 03:00:00.000000", "x"),
        (2, None, "2024-06-30", "2025-01-02 03:00:00.000000", None),
    ]
    assert _sqlite_rows(t, ["id", "s"], [(1, "a")]) == [(1, "a")]
    assert _sqlite_rows(t, ["at"], [(datetime(2025, 1, 2, tzinfo=UTC),)]) == [("2025-01-02 00:00:00.000000",)]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_an_imported_outcomes_snapshot_is_made_as_outcome_snapshot_makes_it(outcome: Outcome) -> None:
    """Decision 0020: the import builds snapshots from plain values, without an `Outcome` per row."""
    o = dataclasses.replace(outcome, id=outcome.id or 1, evidence_ref=None, status=OutcomeStatus.active)
    made = active_snapshot(
        o.id or 1, o.kind.value, o.title, o.code, o.issuer_id, o.obtained_on, o.credits, o.framework_level,
        o.hours, o.score, None if o.grade is None else o.grade.value, None if o.level is None else int(o.level),
    )  # fmt: skip
    assert made == outcome_snapshot(o) == _old_snapshot(o)


def test_cells_that_need_normalising_parse_as_their_clean_forms_every_time() -> None:
    """Each distinct cell text is normalised once per file (a remembered `clean`), on every row."""
    messy = _row(national_id=" " + "".join(chr(ord(c) + 0xFEE0) for c in GOOD_ID) + "\u200b",
                 title="Ｐｙｔｈｏｎ程序设计\u00ad", issuer=" 学校\ufeff", hours="６４", obtained_on="2024－06－30")  # fmt: skip
    parser = RowParser(TODAY)
    for _ in range(3):
        assert parser.parse(messy) == parse_row(_row(), TODAY)
    assert parser.parse(_row(name="\u200b")) == parse_row(_row(name=""), TODAY)
    assert parser.parse(_row(name="\u200b"))[1] == [("name", "“姓名”不能为空")]


def test_past_the_text_cache_limit_cells_are_still_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows_module, "TEXT_CACHE_LIMIT", 3)
    parser = RowParser(TODAY)
    for n in range(5):
        row, errors = parser.parse(_row(title=f"课程{n}\u200b", hours=f"{60 + n}"))
        assert not errors and row is not None and row.title == f"课程{n}" and row.hours == Decimal(60 + n)
    assert len(parser._texts) <= 3


def test_the_source_key_is_unchanged_and_its_digest_is_its_bytes() -> None:
    """Re-importing finds outcomes stored before by their source key: its text must not change."""
    for kind, title, code, issuer, on in [(OutcomeKind.course, "Python程序设计", None, 3, date(2024, 6, 30)),
                                          (OutcomeKind.skill_certificate, 'W"eb|', "X-1", 12, date(2001, 1, 2))]:  # fmt: skip
        text = f"{kind}|{title}|{code or ''}|{issuer}|{on.isoformat()}"
        old = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        assert source_key(kind, title, code, issuer, on) == old == source_digest(kind, title, code, issuer, on).hex()
