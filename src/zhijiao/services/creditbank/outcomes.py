"""Recording, correcting and revoking learning outcomes; every change goes through the ledger."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from zhijiao.domain.access import Principal, require_can_record
from zhijiao.domain.creditbank.ledger import (
    GENESIS_HASH,
    LedgerEntry,
    active_snapshot,
    outcome_snapshot,
    record_hasher,
    records_payload,
)
from zhijiao.domain.creditbank.model import (
    Grade,
    LedgerAction,
    Level,
    Outcome,
    OutcomeDraft,
    OutcomeKind,
    OutcomeStatus,
)
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.services.clock import today, utcnow
from zhijiao.services.conversion.exemptions import flag_for_revoked_outcome
from zhijiao.services.credentials.issuance import withdraw_for_revoked_outcome
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import PersonProof, find_account, require_can_record_into
from zhijiao.services.creditbank.recording import derive, rules_in_force, tenth

if TYPE_CHECKING:
    from zhijiao.adapters.db.overview_summary import OutcomeKey
    from zhijiao.adapters.db.uow import SqlUnitOfWork


WRITE_CHUNK = 10_000  # outcomes written (and their ledger entries hashed) at a time, to bound memory


def write_outcomes(
    uow: SqlUnitOfWork,
    new: Iterable[tuple[Outcome, str]],
    *,
    actor: str,
    now: datetime,
    heads: dict[int, tuple[int, str]],
    extra_entries: Sequence[LedgerEntry] = (),
) -> int:
    """Insert `new` outcomes with their source keys (ids from `uow.outcomes.first_free_id()`, each
    account's outcomes next to each other; read a chunk at a time, so a generator keeps memory
    bounded) and chain one `record` entry per account — this change set — holding their snapshots
    onto `heads` (account id → last seq and hash, updated in place). Returns how many were written.
    The caller's transaction must hold the write lock."""
    if extra_entries:
        uow.ledger.append(extra_entries)
    hash_ = record_hasher(LedgerAction.record, actor, now)
    start_of_chain = (0, GENESIS_HASH)
    rows: list[tuple[int, int, None, str, str, str]] = []
    account_id, snapshots = -1, list[str]()  # the account whose snapshots are being gathered
    written = 0

    def close() -> None:
        seq, prev = heads.get(account_id, start_of_chain)
        payload = records_payload(snapshots)
        h = hash_(account_id, seq + 1, None, prev, payload)
        heads[account_id] = (seq + 1, h)
        rows.append((account_id, seq + 1, None, payload, prev, h))

    items = iter(new)
    while part := list(islice(items, WRITE_CHUNK)):
        outcomes_ = [o for o, _ in part]
        uow.outcomes.add_many(outcomes_, [k for _, k in part], now)
        written += len(part)
        for o in outcomes_:
            if o.account_id != account_id:
                if snapshots:
                    close()
                account_id, snapshots = o.account_id, []
            snapshots.append(outcome_snapshot(o))
        if len(rows) * 20 >= WRITE_CHUNK:
            uow.ledger.append_records(rows, action=LedgerAction.record, actor=actor, recorded_at=now)
            rows = []
    if snapshots:
        close()
    uow.ledger.append_records(rows, action=LedgerAction.record, actor=actor, recorded_at=now)
    ledger.after_append(uow, now)
    return written


# what an import writes of one new outcome: (account id, kind, title, code, issuer id, obtained on,
# credits, framework level, hours, score, grade, level, source key)
ImportedOutcome = tuple[
    int, OutcomeKind, str, str | None, int, date, Decimal, int, Decimal | None, Decimal | None, Grade | None,
    Level | None, str,
]  # fmt: skip


def write_imported(
    uow: SqlUnitOfWork,
    new: Iterable[ImportedOutcome],
    *,
    first_id: int,
    recorded_by: int | None,
    actor: str,
    now: datetime,
    heads: dict[int, tuple[int, str]],
    province_of: dict[int, str],
    extra_entries: Sequence[LedgerEntry] = (),
) -> int:
    """`write_outcomes` for an import's new active outcomes, given as plain values (each account's next
    to each other), with ids from `first_id` on: the same rows, snapshots, entries and summary counts,
    built without an `Outcome` per row (decision 0020). `province_of`: account id → province (for the overview summary).
    Returns how many were written. The caller's transaction must hold the write lock."""
    if extra_entries:
        uow.ledger.append(extra_entries)
    hash_ = record_hasher(LedgerAction.record, actor, now)
    at = uow.outcomes.timestamp(now)
    active = str(OutcomeStatus.active)
    start_of_chain = (0, GENESIS_HASH)
    sums: dict[OutcomeKey, list[Any]] = {}
    written = 0
    entries: list[tuple[int, int, None, str, str, str]] = []
    account_id, snapshots = -1, list[str]()  # the account whose snapshots are being gathered

    def close_entry(account_id: int, snapshots: list[str]) -> None:
        """The account's one ledger entry of this change set: every snapshot it recorded, chained."""
        seq, prev = heads.get(account_id, start_of_chain)
        payload = records_payload(snapshots)
        h = hash_(account_id, seq + 1, None, prev, payload)
        heads[account_id] = (seq + 1, h)
        entries.append((account_id, seq + 1, None, payload, prev, h))

    next_id = first_id
    items = iter(new)
    while part := list(islice(items, WRITE_CHUNK)):
        rows = []
        for account, kind_e, title, code, issuer, obtained, credits, framework, hours, score, grade_e, level_e, key in part:  # fmt: skip
            if account != account_id:
                if snapshots:
                    close_entry(account_id, snapshots)
                account_id, snapshots = account, []
                province = province_of[account]
            # plain str and int, not the enums (a driver may adapt an enum by its name)
            kind = kind_e.value
            grade = None if grade_e is None else grade_e.value
            level = None if level_e is None else int(level_e)
            rows.append((
                next_id, account, kind, title, code, issuer, obtained.isoformat(),
                None if hours is None else str(hours), str(credits), None if score is None else str(score),
                grade, level, framework, None, active, recorded_by, key, at,
            ))  # fmt: skip
            snapshots.append(active_snapshot(
                next_id, kind, title, code, issuer, obtained, credits, framework, hours, score, grade, level
            ))  # fmt: skip
            k = (province, issuer, kind, obtained.year, framework)
            total = sums.get(k)
            if total is None:
                total = sums[k] = [0, Decimal(0), Decimal(0)]
            total[0] += 1
            total[1] += credits
            if hours is not None:
                total[2] += hours
            next_id += 1
        uow.outcomes.insert_plain(rows)
        written += len(rows)
        if len(entries) * 20 >= WRITE_CHUNK:
            uow.ledger.append_records(entries, action=LedgerAction.record, actor=actor, recorded_at=now)
            entries = []
    if snapshots:
        close_entry(account_id, snapshots)
    uow.ledger.append_records(entries, action=LedgerAction.record, actor=actor, recorded_at=now)
    uow.outcomes.count_in_summary(sums)
    ledger.after_append(uow, now)
    return written


def _build(
    uow: SqlUnitOfWork, outcome_id: int, account_id: int, draft: OutcomeDraft, recorded_by: int | None
) -> Outcome:
    issuer = uow.institutions.get(draft.issuer_id)
    if issuer is None:
        raise ValidationFailed("颁发机构不存在", field="issuer_id")
    if draft.obtained_on > today():
        raise ValidationFailed("获得日期不得晚于今天", field="obtained_on")
    if draft.hours is not None and draft.hours < 0:
        raise ValidationFailed("学时不能为负数", field="hours")
    if draft.score is not None and not Decimal(0) <= draft.score <= Decimal(100):
        raise ValidationFailed("成绩超出范围（百分制 0—100）", field="score")
    rule = rules_in_force(uow)[draft.kind]
    hours = tenth(draft.hours)
    credits, level = derive(rule, issuer, draft.kind, hours, draft.credits, draft.level)
    return Outcome(
        id=outcome_id,
        account_id=account_id,
        kind=draft.kind,
        title=draft.title.strip(),
        issuer_id=issuer.id or 0,
        obtained_on=draft.obtained_on,
        credits=credits,
        framework_level=level,
        code=draft.code,
        hours=hours,
        score=tenth(draft.score),
        grade=draft.grade,
        level=draft.level,
        evidence_ref=draft.evidence_ref,
        recorded_by=recorded_by,
    )


def record_outcome(
    uow: SqlUnitOfWork,
    principal: Principal,
    account_no: str,
    draft: OutcomeDraft,
    proof: PersonProof | None = None,
) -> Outcome:
    """Record one outcome in an account, in the issuer's name. The account must be one the caller
    may read in full, or the caller proves it knows the person (`proof`: name and identity number);
    otherwise the answer is the same 404 as for an account that does not exist (decision 0016)."""
    if not draft.title.strip():
        raise ValidationFailed("成果名称不能为空", field="title")
    with uow:
        account = find_account(uow, account_no)
        require_can_record_into(uow, principal, account, proof)
        issuer = uow.institutions.get(draft.issuer_id)
        if issuer is None:
            raise ValidationFailed("颁发机构不存在", field="issuer_id")
        require_can_record(principal, issuer)
        assert account.id is not None
        outcome = _build(uow, uow.outcomes.first_free_id(), account.id, draft, principal.institution_id)
        key = outcome.source_key
        if (account.id, key) in uow.outcomes.existing_keys([account.id]):
            raise Conflict("该学习成果已记录", code="outcome_exists")
        heads = uow.ledger.heads([account.id])
        write_outcomes(uow, [(outcome, key)], actor=principal.actor, now=utcnow(), heads=heads)
        uow.commit()
    return outcome


def _load_outcome(uow: SqlUnitOfWork, principal: Principal, outcome_id: int) -> Outcome:
    outcome = uow.outcomes.get(outcome_id)
    if outcome is None:
        raise NotFound("学习成果不存在", code="outcome_not_found")
    issuer = uow.institutions.get(outcome.issuer_id)
    assert issuer is not None
    try:
        require_can_record(principal, issuer)
    except Forbidden:
        raise NotFound("学习成果不存在", code="outcome_not_found") from None
    return outcome


def _change(
    uow: SqlUnitOfWork, principal: Principal, new: Outcome, action: LedgerAction, reason: str, now: datetime
) -> None:
    """Append the change to the account's ledger and bring the outcome row in line with it."""
    assert new.id is not None
    ledger.append(
        uow,
        account_id=new.account_id,
        action=action,
        outcome_id=new.id,
        payload=outcome_snapshot(new),
        note=reason,
        actor=principal.actor,
        now=now,
    )
    uow.outcomes.set_state(new)


_CORRECTABLE = ("title", "code", "obtained_on", "hours", "credits", "score", "grade", "level", "evidence_ref")


def correct_outcome(
    uow: SqlUnitOfWork, principal: Principal, outcome_id: int, changes: dict[str, Any], reason: str
) -> Outcome:
    """Correct an outcome: a `correct` ledger entry holds the new state; the old stays in the ledger."""
    if not reason.strip():
        raise ValidationFailed("更正须说明原因", field="reason")
    unknown = set(changes) - set(_CORRECTABLE)
    if unknown:
        raise ValidationFailed("不可更正的字段：" + "、".join(sorted(unknown)), field="changes")
    with uow:
        old = _load_outcome(uow, principal, outcome_id)
        if old.status is OutcomeStatus.revoked:
            raise Conflict("已撤销的学习成果不能更正", code="outcome_revoked")
        merged = {f: changes.get(f, getattr(old, f)) for f in _CORRECTABLE}
        draft = OutcomeDraft(
            kind=old.kind,
            title=str(merged["title"]),
            issuer_id=old.issuer_id,
            obtained_on=_as_date(merged["obtained_on"]),
            code=merged["code"],
            hours=_as_dec(merged["hours"]),
            credits=_as_dec(merged["credits"]) if "credits" in changes else None,
            score=_as_dec(merged["score"]),
            grade=Grade(merged["grade"]) if merged["grade"] else None,
            level=Level(int(merged["level"])) if merged["level"] else None,
            evidence_ref=merged["evidence_ref"],
        )
        assert old.id is not None
        new = _build(uow, old.id, old.account_id, draft, old.recorded_by)
        _change(uow, principal, new, LedgerAction.correct, reason.strip(), utcnow())
        uow.commit()
    return new


def revoke_outcome(uow: SqlUnitOfWork, principal: Principal, outcome_id: int, reason: str) -> Outcome:
    if not reason.strip():
        raise ValidationFailed("撤销须说明原因", field="reason")
    with uow:
        old = _load_outcome(uow, principal, outcome_id)
        if old.status is OutcomeStatus.revoked:
            raise Conflict("该学习成果已撤销", code="outcome_revoked")
        now = utcnow()
        new = dataclasses.replace(old, status=OutcomeStatus.revoked)
        _change(uow, principal, new, LedgerAction.revoke, reason.strip(), now)
        # in this same transaction: exemptions that used this outcome are flagged for review, the
        # credentials issued for the outcome are revoked and those of the flagged exemptions suspended
        flagged = flag_for_revoked_outcome(
            uow, old.account_id, outcome_id, reason.strip(), principal.actor, now
        )
        withdraw_for_revoked_outcome(
            uow, old.account_id, outcome_id, [e.id for e in flagged], reason.strip(), principal.actor
        )
        uow.commit()
    return new


def _as_dec(v: Any) -> Decimal | None:
    return None if v is None or v == "" else Decimal(str(v))


def _as_date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def outcome_for_change(uow: SqlUnitOfWork, principal: Principal, outcome_id: int) -> tuple[Outcome, str]:
    """An outcome `principal` may correct or revoke, with its account number (for the form that
    does it); anything else answers like an unknown outcome (404)."""
    with uow.read():
        outcome = _load_outcome(uow, principal, outcome_id)
        account = uow.accounts.get(outcome.account_id)
        assert account is not None
    return outcome, account.account_no
