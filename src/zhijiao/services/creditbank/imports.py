"""Bulk import of learning outcomes: all rows or none, every problem reported at once.

Rows arrive as (row number, column key → cell text) from any reader (Excel, CSV, API).
Validation runs over the whole file first; only a file without problems is written, in one
transaction, so an interrupted import leaves the database as it was. Re-importing the same rows
adds nothing: an outcome already in the account (same kind, title, code, issuer, date) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_can_record
from zhijiao.domain.creditbank.ledger import chain_entry
from zhijiao.domain.creditbank.model import (
    SCHOOL_KINDS,
    Grade,
    Institution,
    InstitutionKind,
    LedgerAction,
    Level,
    OutcomeKind,
    source_digest,
)
from zhijiao.domain.creditbank.recording import RecordingRule, check_credits
from zhijiao.domain.creditbank.rows import COLUMN_BY_KEY, OutcomeRow, RowParser
from zhijiao.domain.errors import Forbidden, ValidationFailed
from zhijiao.domain.identity import IdType
from zhijiao.domain.text import clean
from zhijiao.services.bulk import no_cyclic_gc
from zhijiao.services.clock import today, utcnow
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import NewAccount, account_row, open_snapshot
from zhijiao.services.creditbank.outcomes import ImportedOutcome, write_imported
from zhijiao.services.creditbank.recording import derive, rules_in_force, tenth

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # 1-based spreadsheet row (the header is row 1)
    column: str  # Chinese column header, or "" for the whole row
    message: str

    def describe(self, filename: str) -> str:
        where = f"第 {self.row} 行" + (f"“{self.column}”列" if self.column else "")
        return f"{filename}：{where}：{self.message}"


@dataclass(slots=True)
class ImportResult:
    filename: str
    rows_total: int = 0
    outcomes_created: int = 0
    accounts_created: int = 0
    rows_skipped: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    batch_id: int | None = None
    example_rows: list[int] = field(default_factory=list)  # the template's example rows, skipped

    @property
    def ok(self) -> bool:
        return not self.problems

    def notes(self, _: Callable[[str], str] = str) -> list[str]:
        """What the clerk should know besides problems (translated by `_`)."""
        if not self.example_rows:
            return []
        rows = ", ".join(str(r) for r in self.example_rows)
        return [_(EXAMPLE_ROWS_SKIPPED).format(rows=rows)]


OUTSIDE_PROVINCE = "该学习者的学习账号不属本省，省级管理员只能记录本省的学习账号"
EXAMPLE_ROWS_SKIPPED = (
    "第 {rows} 行是模板的示例行（示例身份证号的出生日期为 2 月 30 日，不属于任何人），已跳过"
)


class _IssuerIndex:
    def __init__(self, institutions: list[Institution]) -> None:
        self.by_text: dict[str, Institution] = {}
        for inst in institutions:
            for key in (inst.name, inst.uscc, inst.moe_code):
                if key:
                    self.by_text[key] = inst

    def find(self, text: str) -> Institution | None:
        return self.by_text.get(text.strip()) or self.by_text.get(text.strip().upper())


class _Derivations:
    """Credits and framework level per distinct (rule input), computed once: rows repeat them."""

    def __init__(self, rules: dict[OutcomeKind, RecordingRule]) -> None:
        self.rules = rules
        self._derived: dict[tuple[object, ...], tuple[Decimal, int, Decimal | None] | str] = {}
        self._tenths: dict[Decimal, Decimal | None] = {}

    def tenth(self, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        hit = self._tenths.get(value)
        if hit is None:
            hit = self._tenths[value] = tenth(value)
        return hit

    def get(self, issuer: Institution, r: OutcomeRow) -> tuple[Decimal, int, Decimal | None] | str:
        """(credits, framework level, hours to a tenth), or the problem's message."""
        key = (r.kind, issuer.kind, r.hours, r.credits, r.level)
        found = self._derived.get(key)
        if found is None:
            hours = self.tenth(r.hours)
            try:
                credits, level = derive(self.rules[r.kind], issuer, r.kind, hours, r.credits, r.level)
                found = (credits, level, hours)
            except ValidationFailed as e:
                found = e.message
            self._derived[key] = found
        return found


def _issuer_for(principal: Principal, issuers: _IssuerIndex, text: str) -> Institution | str:
    """The institution named by `text` if `principal` may record in its name, else the problem."""
    issuer = issuers.find(text)
    if issuer is None:
        return f"未登记的颁发机构“{text}”"
    try:
        require_can_record(principal, issuer)
    except Forbidden as e:
        return e.message
    return issuer


def _credit_problem(
    rules: dict[OutcomeKind, RecordingRule], kind: OutcomeKind, credits: Decimal
) -> str | None:
    try:
        check_credits(rules[kind], credits)
    except ValidationFailed as e:
        return e.message
    return None


def _beyond_parsing(
    principal: Principal,
    issuers: _IssuerIndex,
    issuer_of: dict[str, Institution | str],
    rules: dict[OutcomeKind, RecordingRule],
    parser: RowParser,
    cells: dict[str, str],
    errors: list[tuple[str, str]],
) -> list[tuple[str, str]]:
    """For a row that already has problems: the issuer's and the credits' problems too (README: every
    problem of a row is listed, not only the first kind found)."""
    found: list[tuple[str, str]] = []
    failed = {key for key, _ in errors}
    text = clean(cells.get("issuer") or "")
    if text and "issuer" not in failed:
        issuer = issuer_of.get(text)
        if issuer is None:
            issuer = issuer_of[text] = _issuer_for(principal, issuers, text)
        if isinstance(issuer, str):
            found.append(("issuer", issuer))
    kind, credits = parser.value("kind", cells), parser.value("credits", cells)
    if isinstance(kind, OutcomeKind) and isinstance(credits, Decimal) and "credits" not in failed:
        msg = _credit_problem(rules, kind, credits)
        if msg:
            found.append(("credits", msg))
    return found


# what the rule-derived columns of a row come to, shared by every row with the same inputs:
# (kind, issuer, credits, framework level, hours, score, grade, level)
_Spec = tuple[OutcomeKind, Institution, Decimal, int, Decimal | None, Decimal | None, Grade | None, Level | None]
# a checked row, only what writing needs (a million of them must fit a school's server):
# (national id, title, code, obtained on, spec, source key as bytes: `source_digest`)
_Draft = tuple[str, str, str | None, date, _Spec, bytes]
SPEC_LIMIT = 200_000  # distinct specs remembered

OPEN_SLICE = 5_000  # new accounts opened (encrypted, inserted, opening entries written) at a time

_WRITTEN: _Draft = ("", "", None, date.min, (OutcomeKind.course, Institution(None, "", InstitutionKind.higher, ""),
                    Decimal(0), 0, None, None, None, None), b"")  # fmt: skip


def _problem(row: int, key: str, message: str) -> RowProblem:
    return RowProblem(row, COLUMN_BY_KEY[key].header if key else "", message)


def import_outcomes(
    uow: SqlUnitOfWork,
    principal: Principal,
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    filename: str,
    file_sha256: str,
    progress: Progress | None = None,
    on_day: date | None = None,
    file_problems: Sequence[RowProblem] = (),
) -> ImportResult:
    """Import `rows`; `file_problems` (e.g. a bad header found by the reader) also block writing."""
    with no_cyclic_gc():
        return _import(uow, principal, rows, filename, file_sha256, progress, on_day, file_problems)


def _import(
    uow: SqlUnitOfWork,
    principal: Principal,
    rows: Iterable[tuple[int, dict[str, str]]],
    filename: str,
    file_sha256: str,
    progress: Progress | None,
    on_day: date | None,
    file_problems: Sequence[RowProblem],
) -> ImportResult:
    result = ImportResult(filename, problems=list(file_problems))
    on_day = on_day or today()
    now = utcnow()
    parser = RowParser(on_day)
    with uow:
        issuers = _IssuerIndex(uow.institutions.list())
        rules = rules_in_force(uow)
        people: dict[str, tuple[int, str]] = {}  # national id → (first row, name)
        # national id → source key → first row: one small dict per person, not a million (id, key)
        # tuples (~60 MB less for 1,000,000 rows)
        first_seen: dict[str, dict[bytes, int]] = {}
        drafts: list[_Draft] = []  # repeated texts and specs shared
        shared: dict[str, str] = {}
        issuer_of: dict[str, Institution | str] = {}  # issuer text → institution, or the problem
        derived = _Derivations(rules)
        specs: dict[tuple[object, ...], _Spec | str] = {}  # rule inputs → spec, or the problem
        tenth_of = derived.tenth
        # each row is checked as it is read (only the drafts are kept, not the parsed rows as well)
        for row_no, cells in rows:
            result.rows_total += 1
            r, errors = parser.parse(cells)
            if errors:
                result.problems.extend(_problem(row_no, key, msg) for key, msg in errors)
                # every problem of the row: also those that need the registry and the rules
                result.problems.extend(_problem(row_no, k, m) for k, m in _beyond_parsing(
                    principal, issuers, issuer_of, rules, parser, cells, errors))  # fmt: skip
            if r is None:
                continue
            issuer = issuer_of.get(r.issuer)
            if issuer is None:
                issuer = issuer_of[r.issuer] = _issuer_for(principal, issuers, r.issuer)
            if isinstance(issuer, str):
                result.problems.append(_problem(row_no, "issuer", issuer))
                if r.credits is not None and (msg := _credit_problem(rules, r.kind, r.credits)):
                    result.problems.append(_problem(row_no, "credits", msg))
                continue
            nid = r.national_id
            seen = people.get(nid)
            if seen is None:
                people[nid] = (row_no, r.name)
            elif seen[1] != r.name:
                result.problems.append(
                    _problem(
                        row_no, "name", f"同一身份证号在第 {seen[0]} 行的姓名为“{seen[1]}”，与本行不一致"
                    )
                )
            spec_key = (r.kind, issuer.id, r.hours, r.credits, r.level, r.score, r.grade)
            spec = specs.get(spec_key)
            if spec is None:
                got = derived.get(issuer, r)
                spec = got if isinstance(got, str) else (
                    r.kind, issuer, got[0], got[1], got[2], tenth_of(r.score), r.grade, r.level)  # fmt: skip
                if len(specs) < SPEC_LIMIT:
                    specs[spec_key] = spec
            if isinstance(spec, str):
                result.problems.append(_problem(row_no, "credits", spec))
                continue
            assert issuer.id is not None
            key = source_digest(r.kind, r.title, r.code, issuer.id, r.obtained_on)
            keys_of = first_seen.get(nid)
            if keys_of is None:
                keys_of = first_seen[nid] = {}
            first = keys_of.get(key)
            if first is not None:
                result.problems.append(_problem(row_no, "", f"与第 {first} 行重复"))
                continue
            keys_of[key] = row_no
            title = shared.setdefault(r.title, r.title)
            code = r.code if r.code is None else shared.setdefault(r.code, r.code)
            drafts.append((nid, title, code, r.obtained_on, spec, key))
        if progress:
            progress("校验", result.rows_total, result.rows_total)

        first_seen.clear()
        index = {nid: uow.vault.index(IdType.national_id.value, nid) for nid in people}
        existing = uow.accounts.by_indexes(list(index.values()))
        for nid, (row_no, name) in people.items():
            found = existing.get(index[nid])
            if found is not None and found[1] != name:
                # decision 0016: the one answer for a wrong name, never "an account exists"
                result.problems.append(_problem(row_no, "name", f"姓名“{name}”与证件号码不符"))
        if principal.role is Role.province_admin:  # decision 0016: no province writes outside it
            known = {
                hit[0]: nid
                for nid, h in index.items()
                if (hit := existing.get(h)) and hit[1] == people[nid][1]
            }
            for account_id, province, _ in uow.accounts.scopes(list(known)):
                if province != principal.province_code:
                    result.problems.append(
                        _problem(people[known[account_id]][0], "national_id", OUTSIDE_PROVINCE)
                    )
        if progress:
            progress("核对", len(drafts), len(drafts))
        if result.problems:
            result.problems.sort(key=lambda p: (p.row, p.column))
            return result

        # --- write: one transaction; the batch row first takes the write lock ---
        batch_id = uow.import_batches.start(
            filename=filename, file_sha256=file_sha256, actor=principal.actor,
            institution_id=principal.institution_id, rows_total=result.rows_total, now=now,
        )  # fmt: skip
        account_of = {nid: existing[h][0] for nid, h in index.items() if h in existing}
        # a new account belongs to the school whose courses it takes (在校学生); certificates,
        # trainings, online courses or work make no home (社会学习者 until a school enrols them)
        course = OutcomeKind.course
        homes = {d[0]: d[4][1] for d in reversed(drafts) if d[4][0] is course and d[4][1].kind in SCHOOL_KINDS}
        new_numbers = [nid for nid in people if nid not in account_of]
        new_provinces: dict[int, str] = {}
        old_accounts = list(account_of.values())  # only these can already hold any of these outcomes
        heads = uow.ledger.heads(old_accounts)
        # opened a slice at a time, each slice's opening entries written with it: the accounts'
        # rows and entries are not all held at once next to the drafts (peak memory, decision 0020)
        for start in range(0, len(new_numbers), OPEN_SLICE):
            new_people = [
                NewAccount(
                    people[nid][1], IdType.national_id, nid, homes.get(nid), principal.province_code or nid[:2]
                )
                for nid in new_numbers[start : start + OPEN_SLICE]
            ]
            new_rows = [account_row(uow, p, now) for p in new_people]
            new_ids = uow.accounts.add_many(new_rows)
            opening = []
            for person, values, account_id in zip(new_people, new_rows, new_ids, strict=True):
                account_of[person.number] = account_id
                new_provinces[account_id] = values["province_code"]
                entry = chain_entry(
                    account_id=account_id, seq=1, action=LedgerAction.open, outcome_id=None,
                    payload=open_snapshot(account_id, values), actor=principal.actor, recorded_at=now,
                    prev_hash="0" * 64,
                )  # fmt: skip
                heads[account_id] = (entry.seq, entry.hash)
                opening.append(entry)
            uow.ledger.append(opening)
            result.accounts_created += len(new_ids)
        homes.clear()
        index.clear()
        existing.clear()
        if progress:
            progress("开户", result.accounts_created, result.accounts_created)

        present = uow.outcomes.existing_keys(old_accounts)
        province_of = {account_id: province for account_id, province, _ in uow.accounts.scopes(old_accounts)}
        province_of.update(new_provinces)
        # each account's outcomes side by side: one ledger entry per account holds this change set
        drafts.sort(key=lambda d: account_of[d[0]])
        first_id = uow.outcomes.first_free_id()

        def to_write() -> Iterator[ImportedOutcome]:
            """The new outcomes, made as they are written (not all held at once; each draft is let go
            as it is used, so the memory goes to the database's page cache instead)."""
            for i, d in enumerate(drafts):
                drafts[i] = _WRITTEN
                account_id, key = account_of[d[0]], d[5].hex()
                if present and (account_id, key) in present:
                    result.rows_skipped += 1
                    continue
                kind, issuer, credits, framework, hours, score, grade, level = d[4]
                yield (account_id, kind, d[1], d[2], issuer.id or 0, d[3], credits, framework, hours, score, grade,
                       level, key)  # fmt: skip

        result.outcomes_created = write_imported(
            uow, to_write(), first_id=first_id, recorded_by=principal.institution_id, actor=principal.actor,
            now=now, heads=heads, province_of=province_of,
        )  # fmt: skip
        drafts.clear()
        result.batch_id = batch_id
        uow.import_batches.finish(
            batch_id,
            outcomes_created=result.outcomes_created,
            accounts_created=result.accounts_created,
            rows_skipped=result.rows_skipped,
        )
        ledger.take_checkpoint(uow, now)  # every import batch ends with a signed checkpoint
        if progress:
            progress("写入", result.outcomes_created, result.outcomes_created)
        uow.commit()
    return result
