"""Checking 技能拔尖 awards and certificate exemptions against the credit bank, for candidates who give
their learning-account number (学习账号; never an identity number), through the credit bank's own
transcript service, so its scope rules apply: an account the caller may not see counts as not found.

Where a candidate has an account, the credit bank's active outcomes are what counts: a competition award
(技能竞赛获奖) whose title names the tier and prize, and the highest level of a 职业技能等级证书 / 职业资格证书.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal
from zhijiao.domain.admissions.model import Candidate
from zhijiao.domain.admissions.policy import TIER_RANK, Category
from zhijiao.domain.admissions.rows import parse_award
from zhijiao.domain.creditbank.model import CERTIFICATE_KINDS, OutcomeKind, OutcomeStatus
from zhijiao.domain.errors import NotFound
from zhijiao.services.creditbank.transcripts import transcript

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class CheckSummary:
    accounts: int  # candidates with an account number
    found: int  # accounts found (and visible to the caller)
    awards_confirmed: int
    certificates_confirmed: int


def check_with_credit_bank(
    uow: SqlUnitOfWork, principal: Principal, candidates: Sequence[Candidate]
) -> CheckSummary:
    """Replace each account holder's claims by what the credit bank holds; note the finding."""
    accounts = found = awards = certs = 0
    for c in candidates:
        if not c.account_no:
            continue
        accounts += 1
        claimed_award, claimed_level = c.award, c.certificate_level
        try:
            record = transcript(uow, principal, c.account_no)
        except NotFound:
            c.award, c.certificate_level = None, None
            c.check_note = "学分银行中未找到该学习账号（或无权查看），获奖与证书不予认定"
            continue
        found += 1
        active = [o for o in record.outcomes if o.status is OutcomeStatus.active]
        prizes = [
            a for o in active if o.kind is OutcomeKind.competition_award and (a := parse_award(o.title))
        ]
        c.award = max(prizes, key=lambda a: (TIER_RANK[a[0]], -a[1])) if prizes else None
        levels = [int(o.level) for o in active if o.kind in CERTIFICATE_KINDS and o.level is not None]
        c.certificate_level = max(levels) if levels else None
        notes = []
        if c.category is Category.champion or claimed_award is not None:
            notes.append("学分银行已核验竞赛获奖" if c.award else "学分银行中无可认定的竞赛获奖")
        if claimed_level is not None or c.certificate_level is not None:
            notes.append(
                "学分银行已核验职业技能等级证书" if c.certificate_level else "学分银行中无可认定的证书"
            )
        awards += c.award is not None
        certs += c.certificate_level is not None
        c.check_note = "，".join(notes)
    return CheckSummary(accounts, found, awards, certs)
