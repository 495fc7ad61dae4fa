"""Transcripts (学习成果记录): an account, its visible outcomes with issuer names, and its totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role, visible_outcomes
from zhijiao.domain.creditbank.ledger import LedgerEntry
from zhijiao.domain.creditbank.model import Institution, LearningAccount, Outcome
from zhijiao.domain.creditbank.transcript import Accumulation, accumulate
from zhijiao.domain.errors import Forbidden, NotFound
from zhijiao.services.clock import utcnow
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import (
    account_id_in,
    account_not_found,
    account_number,
    issued_view,
    load_account,
    relation_to,
)

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class Transcript:
    account: LearningAccount
    home: Institution | None
    outcomes: list[Outcome]
    issuers: dict[int, Institution]
    accumulation: Accumulation
    complete: bool  # False when the caller sees only the outcomes its institution issued
    generated_at: datetime
    # the inclusion proof of the account's newest ledger entry in a published checkpoint
    ledger_proof: ledger.InclusionProof | None = None


def transcript(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> Transcript:
    number = account_number(account_no)
    with uow.read(autocommit=True):  # one statement: the account, its home, its outcomes and their issuers
        found = uow.accounts.with_outcomes(account_id_in(number))
        if found is None or found[0].account_no != number:
            raise account_not_found()
        account, home, outcomes, issuers, newest = found
        relation = relation_to(uow, principal, account, outcomes)
    shown = visible_outcomes(principal, relation, outcomes)
    if relation != "full":  # decision 0016: only its own outcomes, not the learner's home school
        issuers = {o.issuer_id: issuers[o.issuer_id] for o in shown}
        account, home = issued_view(account), None
    proof = ledger.entry_inclusion(uow, *newest) if newest is not None else None
    return Transcript(account, home, shown, issuers, accumulate(shown), relation == "full", utcnow(), proof)


def own_transcript(uow: SqlUnitOfWork, principal: Principal) -> Transcript:
    """A learner's own transcript (the learner need not know their account number)."""
    require_role(principal, Role.learner)
    with uow.read():
        account = uow.accounts.get(principal.account_id) if principal.account_id is not None else None
    if account is None:
        raise account_not_found()
    return transcript(uow, principal, account.account_no)


def account_history(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> list[LedgerEntry]:
    """The account's ledger, for those who may see the whole account."""
    with uow.read():
        account, relation = load_account(uow, principal, account_no)
        assert account.id is not None
        entries = uow.ledger.for_account(account.id)
    if relation != "full":
        raise Forbidden("只有账号本人、所属院校和主管部门可查看完整台账", code="ledger_forbidden")
    return entries


@dataclass(frozen=True, slots=True)
class EntryProof:
    entry: LedgerEntry
    entry_bytes: bytes
    proof: ledger.InclusionProof


def entry_proof(uow: SqlUnitOfWork, principal: Principal, account_no: str, seq: int) -> EntryProof:
    """One ledger entry of an account (for those who may see the whole account), its bytes and the
    proof that it is in the newest published checkpoint."""
    with uow.read():
        account, relation = load_account(uow, principal, account_no)
        assert account.id is not None
        found = uow.ledger.entry(account.id, seq) if relation == "full" else None
    if relation != "full":
        raise Forbidden("只有账号本人、所属院校和主管部门可查看完整台账", code="ledger_forbidden")
    if found is None:
        raise NotFound("台账记录不存在", code="ledger_entry_not_found")
    entry_id, e = found
    return EntryProof(e, ledger.bytes_of(e), ledger.inclusion_proof(uow, entry_id, e.hash))
