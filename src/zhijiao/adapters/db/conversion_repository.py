"""Conversion repository: rows of the conversion tables ⇄ plain data and domain objects. No business rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, select, update

from zhijiao.adapters.db import overview_summary
from zhijiao.adapters.db.conversion_tables import (
    application_transitions,
    conversion_agreements,
    conversion_applications,
    conversion_rule_sets,
    conversion_rules,
    curriculum_plans,
    exemptions,
)
from zhijiao.adapters.db.tables import institutions, learning_accounts, outcomes
from zhijiao.adapters.db.values import as_date, as_utc
from zhijiao.domain.conversion.allocation import Exemption
from zhijiao.domain.conversion.application import ApplicationState, ConversionApplication, Transition
from zhijiao.domain.conversion.plan import CourseCategory, CurriculumPlan, PlanKey, parse_plan, plan_to_dict


def _credits(v: Any) -> Decimal:
    """NUMERIC(7,2) back as the plan wrote it: 4.00 → 4, 3.50 → 3.5."""
    d = Decimal(str(v))
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _opt_date(v: Any) -> date | None:
    return None if v is None else as_date(v)


@dataclass(frozen=True, slots=True)
class StoredPlan:
    id: int
    plan: CurriculumPlan
    published_by: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class StoredExemption:
    id: int
    account_id: int
    plan_id: int
    application_id: int
    exemption: Exemption
    status: str  # active / flagged
    flagged_reason: str | None


@dataclass(frozen=True, slots=True)
class StoredApplication:
    id: int
    plan_id: int
    application: ConversionApplication
    precheck: list[dict[str, Any]]
    actors: tuple[str, ...]  # who made each transition, as named in the ledger


class ConversionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ---- plans -------------------------------------------------------------------------------

    @staticmethod
    def _plan(r: Row[Any]) -> StoredPlan:
        return StoredPlan(r.id, parse_plan(r.document), r.published_by, r.published_at)

    def save_plan(self, plan: CurriculumPlan, actor: str, now: datetime) -> tuple[int, bool]:
        """Insert or replace the plan with this key; returns (id, created)."""
        c = curriculum_plans.c
        values = {
            "name": plan.name,
            "document": plan_to_dict(plan),
            "published_by": actor,
            "published_at": now,
        }
        existing = self.plan_id(plan.key)
        if existing is not None:
            self.conn.execute(update(curriculum_plans).where(c.id == existing).values(values))
            return existing, False
        key = {"institution_id": plan.institution_id, "major_code": plan.major_code}
        new_id = self.conn.execute(
            insert(curriculum_plans).values(cohort_year=plan.cohort_year, **key, **values).returning(c.id)
        ).scalar_one()
        return int(new_id), True

    def plan_id(self, key: PlanKey) -> int | None:
        c = curriculum_plans.c
        found = self.conn.execute(
            select(c.id).where(
                c.institution_id == key.institution_id,
                c.major_code == key.major_code,
                c.cohort_year == key.cohort_year,
            )
        ).scalar()
        return None if found is None else int(found)

    def plan(self, plan_id: int) -> StoredPlan | None:
        r = self.conn.execute(select(curriculum_plans).where(curriculum_plans.c.id == plan_id)).first()
        return self._plan(r) if r else None

    def plans(
        self, *, institution_id: int | None = None, major_code: str | None = None
    ) -> list[tuple[StoredPlan, str]]:
        """Plans with their institution's name, newest cohort first."""
        c = curriculum_plans.c
        q = (
            select(curriculum_plans, institutions.c.name.label("institution_name"))
            .join(institutions, institutions.c.id == c.institution_id)
            .order_by(c.institution_id, c.major_code, c.cohort_year.desc())
        )
        if institution_id is not None:
            q = q.where(c.institution_id == institution_id)
        if major_code:
            q = q.where(c.major_code == major_code)
        return [(self._plan(r), r.institution_name) for r in self.conn.execute(q)]

    # ---- learners on plans (columns of learning_accounts) ------------------------------------

    def membership(self, account_id: int) -> PlanKey | None:
        c = learning_accounts.c
        r = self.conn.execute(
            select(c.institution_id, c.major_code, c.cohort_year).where(c.id == account_id)
        ).first()
        if r is None or r.institution_id is None or not r.major_code or r.cohort_year is None:
            return None
        return PlanKey(int(r.institution_id), str(r.major_code), int(r.cohort_year))

    def set_membership(self, account_id: int, key: PlanKey) -> None:
        before = overview_summary.learner_keys(self.conn, [account_id])
        after = [(*k[:1], key.institution_id, k[2], key.cohort_year) for k in before.values()]
        overview_summary.learners_changed(self.conn, list(before.values()), after)
        self.conn.execute(
            update(learning_accounts)
            .where(learning_accounts.c.id == account_id)
            .values(institution_id=key.institution_id, major_code=key.major_code, cohort_year=key.cohort_year)
        )

    def lock_account(self, account_id: int) -> None:
        """Serialise writers of one account (SELECT … FOR UPDATE; SQLite's writers are serial anyway)."""
        c = learning_accounts.c
        self.conn.execute(select(c.id).where(c.id == account_id).with_for_update())

    def cohort_outcome_rows(self, key: PlanKey) -> list[tuple[Any, ...]]:
        """Outcomes of the plan's cohort as `conversion_batch.OUTCOME_COLUMNS` rows."""
        a, o = learning_accounts.c, outcomes.c
        q = (
            select(o.account_id, o.id, o.kind, o.code, o.issuer_id, o.obtained_on, o.level, o.score, o.grade,
                   o.status)
            .join(learning_accounts, a.id == o.account_id)
            .where(a.institution_id == key.institution_id, a.major_code == key.major_code,
                   a.cohort_year == key.cohort_year)
            .order_by(o.account_id, o.id)
        )  # fmt: skip
        return [
            (r[0], r[1], r[2], r[3], r[4], as_date(r[5]), r[6], None if r[7] is None else Decimal(str(r[7])),
             r[8], r[9])
            for r in self.conn.execute(q)
        ]  # fmt: skip

    def cohort_accounts(self, key: PlanKey) -> dict[int, tuple[str, str]]:
        """account id → (province code, name) of the learners on the plan."""
        c = learning_accounts.c
        q = select(c.id, c.province_code, c.name).where(
            c.institution_id == key.institution_id,
            c.major_code == key.major_code,
            c.cohort_year == key.cohort_year,
        )
        return {int(r.id): (r.province_code, r.name) for r in self.conn.execute(q)}

    # ---- rules, caps, agreements -------------------------------------------------------------

    def rule_documents(self, plan_id: int) -> list[tuple[dict[str, Any], str, datetime]]:
        c = conversion_rules.c
        q = select(c.document, c.published_by, c.published_at).where(c.plan_id == plan_id)
        return [
            (r.document, r.published_by, r.published_at)
            for r in self.conn.execute(q.order_by(c.rule_id, c.version))
        ]

    def rule_document(self, plan_id: int, rule_id: str, version: int) -> dict[str, Any] | None:
        c = conversion_rules.c
        q = select(c.document).where(c.plan_id == plan_id, c.rule_id == rule_id, c.version == version)
        found: dict[str, Any] | None = self.conn.execute(q).scalar()
        return found

    def add_rule(self, plan_id: int, document: dict[str, Any], actor: str, now: datetime) -> None:
        self.conn.execute(
            insert(conversion_rules).values(
                plan_id=plan_id,
                rule_id=document["id"],
                version=document["version"],
                effective_from=date.fromisoformat(document["effective_from"]),
                effective_to=_opt_date(document.get("effective_to")),
                document=document,
                published_by=actor,
                published_at=now,
            )
        )

    def caps(self, plan_id: int) -> dict[str, Any]:
        found = self.conn.execute(
            select(conversion_rule_sets.c.caps).where(conversion_rule_sets.c.plan_id == plan_id)
        ).scalar()
        return dict(found or {})

    def save_caps(self, plan_id: int, caps: dict[str, Any], actor: str, now: datetime) -> None:
        values = {"caps": caps, "updated_by": actor, "updated_at": now}
        c = conversion_rule_sets.c
        done = self.conn.execute(update(conversion_rule_sets).where(c.plan_id == plan_id).values(values))
        if done.rowcount == 0:
            self.conn.execute(insert(conversion_rule_sets).values(plan_id=plan_id, **values))

    def agreement_documents(self, institution_id: int) -> list[dict[str, Any]]:
        c = conversion_agreements.c
        q = select(conversion_agreements).where(c.institution_id == institution_id).order_by(c.code)
        return [
            {
                "id": r.code,
                "partner_id": int(r.partner_id),
                "effective_from": as_date(r.effective_from).isoformat(),
                "effective_to": None if r.effective_to is None else as_date(r.effective_to).isoformat(),
                "rule_ids": sorted(r.rule_ids),
            }
            for r in self.conn.execute(q)
        ]

    def save_agreement(
        self, institution_id: int, document: dict[str, Any], actor: str, now: datetime
    ) -> None:
        c = conversion_agreements.c
        values = {
            "partner_id": document["partner_id"],
            "effective_from": date.fromisoformat(document["effective_from"]),
            "effective_to": _opt_date(document.get("effective_to")),
            "rule_ids": sorted(document.get("rule_ids") or []),
            "updated_by": actor,
            "updated_at": now,
        }
        where = and_(c.institution_id == institution_id, c.code == document["id"])
        if self.conn.execute(update(conversion_agreements).where(where).values(values)).rowcount == 0:
            self.conn.execute(
                insert(conversion_agreements).values(
                    institution_id=institution_id, code=document["id"], **values
                )
            )

    # ---- applications ------------------------------------------------------------------------

    def add_application(self, plan_id: int, app: ConversionApplication, precheck: list[dict[str, Any]],
                        now: datetime) -> int:  # fmt: skip
        c = conversion_applications.c
        new_id = self.conn.execute(
            insert(conversion_applications)
            .values(
                account_id=app.account_id,
                plan_id=plan_id,
                outcome_ids=list(app.outcome_ids),
                target_courses=list(app.target_courses),
                preferred_courses=list(app.preferred_courses),
                precheck=precheck,
                state=app.state.value,
                submitted_on=app.submitted_on,
                review_deadline=app.review_deadline,
                updated_at=now,
            )
            .returning(c.id)
        ).scalar_one()
        return int(new_id)

    def add_transition(self, application_id: int, account_id: int, step: Transition, actor: str) -> None:
        self.conn.execute(
            insert(application_transitions).values(
                application_id=application_id,
                account_id=account_id,
                from_state=None if step.from_state is None else step.from_state.value,
                to_state=step.to_state.value,
                by_user_id=step.by,
                by_actor=actor,
                at=step.at,
                reason=step.reason,
            )
        )

    def move_application(
        self, application_id: int, from_state: ApplicationState, to_state: ApplicationState, now: datetime
    ) -> bool:
        """The conditional UPDATE … WHERE state = from_state: False when another writer moved it first."""
        c = conversion_applications.c
        done = self.conn.execute(
            update(conversion_applications)
            .where(c.id == application_id, c.state == from_state.value)
            .values(state=to_state.value, updated_at=now)
        )
        return done.rowcount == 1

    def application_account(self, application_id: int) -> int | None:
        c = conversion_applications.c
        found = self.conn.execute(select(c.account_id).where(c.id == application_id)).scalar()
        return None if found is None else int(found)

    def _histories(self, ids: Sequence[int]) -> dict[int, list[Row[Any]]]:
        t = application_transitions.c
        out: dict[int, list[Row[Any]]] = {i: [] for i in ids}
        if not ids:
            return out
        q = select(application_transitions).where(t.application_id.in_(list(ids))).order_by(t.at, t.id)
        for r in self.conn.execute(q):
            out[int(r.application_id)].append(r)
        return out

    def _applications(self, rows: list[Row[Any]]) -> list[StoredApplication]:
        histories = self._histories([int(r.id) for r in rows])
        result = []
        for r in rows:
            steps = histories[int(r.id)]
            history = tuple(
                Transition(
                    None if s.from_state is None else ApplicationState(s.from_state),
                    ApplicationState(s.to_state),
                    int(s.by_user_id),
                    as_utc(s.at),
                    s.reason,
                )
                for s in steps
            )
            app = ConversionApplication(
                application_id=int(r.id),
                account_id=int(r.account_id),
                plan_key=str(PlanKey(int(r.plan_institution_id), r.plan_major_code, int(r.plan_cohort_year))),
                outcome_ids=tuple(int(i) for i in r.outcome_ids),
                target_courses=tuple(str(t) for t in r.target_courses),
                submitted_on=as_date(r.submitted_on),
                state=ApplicationState(r.state),
                history=history,
                review_deadline=as_date(r.review_deadline),
                preferred_courses=tuple(str(t) for t in (r.preferred_courses or ())),
            )
            result.append(
                StoredApplication(
                    int(r.id), int(r.plan_id), app, list(r.precheck), tuple(s.by_actor for s in steps)
                )
            )
        return result

    def _application_query(self) -> Any:
        p = curriculum_plans.c
        return select(
            conversion_applications,
            p.institution_id.label("plan_institution_id"),
            p.major_code.label("plan_major_code"),
            p.cohort_year.label("plan_cohort_year"),
        ).join(curriculum_plans, p.id == conversion_applications.c.plan_id)

    def application(self, application_id: int) -> StoredApplication | None:
        q = self._application_query().where(conversion_applications.c.id == application_id)
        rows = list(self.conn.execute(q))
        return self._applications(rows)[0] if rows else None

    def applications(
        self,
        *,
        account_id: int | None = None,
        institution_ids: Iterable[int] | None = None,
        plan_id: int | None = None,
        states: Iterable[ApplicationState] | None = None,
        deadline_before: date | None = None,
        course_code: str | None = None,
        limit: int = 200,
    ) -> list[StoredApplication]:
        c, p = conversion_applications.c, curriculum_plans.c
        q = self._application_query().order_by(c.review_deadline, c.id)
        if account_id is not None:
            q = q.where(c.account_id == account_id)
        if institution_ids is not None:
            q = q.where(p.institution_id.in_(list(institution_ids)))
        if plan_id is not None:
            q = q.where(c.plan_id == plan_id)
        if states is not None:
            q = q.where(c.state.in_([s.value for s in states]))
        if deadline_before is not None:
            q = q.where(c.review_deadline < deadline_before)
        rows = list(self.conn.execute(q))
        if course_code:  # JSON lists are matched in Python: portable across SQLite and PostgreSQL
            rows = [r for r in rows if course_code in r.target_courses]
        return self._applications(rows[:limit])

    # ---- exemptions --------------------------------------------------------------------------

    @staticmethod
    def _exemption(r: Row[Any]) -> StoredExemption:
        e = Exemption(
            course_code=r.course_code,
            credits=_credits(r.credits),
            category=CourseCategory(r.category),
            rule_id=r.rule_id,
            rule_version=int(r.rule_version),
            outcome_ids=tuple(int(i) for i in r.outcome_ids),
            granted_on=as_date(r.granted_on),
            reuse_sources=bool(r.reuse_sources),
        )
        return StoredExemption(
            int(r.id), int(r.account_id), int(r.plan_id), int(r.application_id), e, r.status, r.flagged_reason
        )

    def exemptions(self, account_id: int, plan_id: int | None = None) -> list[StoredExemption]:
        c = exemptions.c
        q = select(exemptions).where(c.account_id == account_id).order_by(c.plan_id, c.course_code)
        if plan_id is not None:
            q = q.where(c.plan_id == plan_id)
        return [self._exemption(r) for r in self.conn.execute(q)]

    def exemption(self, exemption_id: int) -> StoredExemption | None:
        r = self.conn.execute(select(exemptions).where(exemptions.c.id == exemption_id)).first()
        return self._exemption(r) if r else None

    def cohort_exemptions(
        self, institution_id: int, cohort_year: int, major_code: str | None
    ) -> list[StoredExemption]:
        """Active exemptions granted on the institution's plans to its learners of `cohort_year` (one major)."""
        e, a, p = exemptions.c, learning_accounts.c, curriculum_plans.c
        conds = [
            p.institution_id == institution_id, a.institution_id == institution_id,
            a.cohort_year == cohort_year, e.status == "active",
        ]  # fmt: skip
        if major_code:
            conds.append(a.major_code == major_code)
        q = (
            select(exemptions)
            .join(curriculum_plans, p.id == e.plan_id)
            .join(learning_accounts, a.id == e.account_id)
            .where(*conds)
            .order_by(e.account_id, e.id)
        )
        return [self._exemption(r) for r in self.conn.execute(q)]

    def add_exemptions(
        self, account_id: int, plan_id: int, application_id: int, new: Sequence[Exemption]
    ) -> None:
        self.conn.execute(
            insert(exemptions),
            [
                {
                    "account_id": account_id,
                    "plan_id": plan_id,
                    "course_code": e.course_code,
                    "credits": e.credits,
                    "category": e.category.value,
                    "rule_id": e.rule_id,
                    "rule_version": e.rule_version,
                    "outcome_ids": list(e.outcome_ids),
                    "reuse_sources": e.reuse_sources,
                    "application_id": application_id,
                    "granted_on": e.granted_on,
                    "status": "active",
                }
                for e in new
            ],
        )

    def flag_exemption(self, exemption_id: int, reason: str, now: datetime) -> None:
        self.conn.execute(
            update(exemptions)
            .where(exemptions.c.id == exemption_id)
            .values(status="flagged", flagged_reason=reason, flagged_at=now)
        )
