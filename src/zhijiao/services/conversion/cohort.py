"""`zhijiao convert suggest`: the exemptions every learner of a cohort could claim, set-based in DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import duckdb

from zhijiao.adapters.analytics.conversion_batch import SuggestedExemption, load_outcomes, suggest_exemptions
from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.permissions import require_can_manage
from zhijiao.domain.conversion.plan import CurriculumPlan, PlanKey
from zhijiao.domain.identity import make_account_no
from zhijiao.services import clock
from zhijiao.services.conversion.plans import load_plan
from zhijiao.services.conversion.rules import rule_set_of

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class CohortSuggestions:
    plan: CurriculumPlan
    on: date
    learners: int  # learners on the plan
    suggestions: list[SuggestedExemption]
    accounts: dict[int, tuple[str, str]]  # account id → (account number, name)


def suggest_for_cohort(
    uow: SqlUnitOfWork, principal: Principal, key: PlanKey, on: date | None = None
) -> CohortSuggestions:
    """Every learner on the plan against every rule in force on `on` (today): for schools to notify learners.
    Prior exemptions are not considered (docs/decisions/0004-conversion-allocation.md)."""
    on = on or clock.today()
    with uow.read():
        stored = load_plan(uow, key)
        institution = uow.institutions.get(key.institution_id)
        assert institution is not None
        require_can_manage(principal, institution)
        rule_set = rule_set_of(uow, stored.id, stored.plan)
        rows = uow.conversion.cohort_outcome_rows(key)
        members = uow.conversion.cohort_accounts(key)
    con = duckdb.connect()
    try:
        suggestions = suggest_exemptions(con, load_outcomes(con, rows), stored.plan, rule_set, on)
    finally:
        con.close()
    accounts = {i: (make_account_no(province, i), name) for i, (province, name) in members.items()}
    return CohortSuggestions(stored.plan, on, len(members), suggestions, accounts)
