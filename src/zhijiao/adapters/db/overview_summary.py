"""Keep the overview summaries (`overview_tables`) in step with outcomes and learning accounts.

The repositories call these functions in the same transaction as the change they make, so the
summaries are never behind: `outcomes_changed` when outcomes are inserted or change state (a
correction, a revocation), `learners_changed` when accounts are opened or change home institution
or cohort. `rebuild` recomputes both from scratch (the migration's back-fill; tests compare it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, delete, extract, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from zhijiao.adapters.db.overview_tables import overview_learners, overview_outcomes
from zhijiao.adapters.db.tables import learning_accounts, outcomes

ACTIVE = "active"
OutcomeKey = tuple[str, int, str, int, int]  # province, issuer, kind, year, framework level
LearnerKey = tuple[str, int, str, int]  # province, institution (0: none), learner type, cohort (0: none)
# one outcome as the summary sees it: (account id, issuer id, kind, obtained on, framework level,
# credits, hours, status)
OutcomeFacts = tuple[int, int, str, date, int, Decimal, Decimal | None, str]


def _upsert(
    conn: Connection, table: Any, keys: Sequence[str], counters: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: table.c[c] + stmt.excluded[c] for c in counters}
    )
    for i in range(0, len(rows), 500):
        conn.execute(stmt, rows[i : i + 500])


def _provinces(conn: Connection, account_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(account_ids))
    found: dict[int, str] = {}
    c = learning_accounts.c
    for i in range(0, len(ids), 900):
        found.update(
            (r[0], r[1])
            for r in conn.execute(select(c.id, c.province_code).where(c.id.in_(ids[i : i + 900])))
        )
    return found


def outcomes_changed(
    conn: Connection, removed: Sequence[OutcomeFacts], added: Sequence[OutcomeFacts]
) -> None:
    """Subtract the active outcomes in `removed`, add the active ones in `added`."""
    facts = [(f, -1) for f in removed if f[7] == ACTIVE] + [(f, 1) for f in added if f[7] == ACTIVE]
    if not facts:
        return
    province = _provinces(conn, (f[0] for f, _ in facts))
    sums: dict[OutcomeKey, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for (account, issuer, kind, obtained, level, credits, hours, _), sign in facts:
        s = sums[(province[account], issuer, kind, obtained.year, level)]
        s[0] += sign
        s[1] += sign * credits
        s[2] += sign * (hours or 0)
    add_outcome_sums(conn, sums)


def add_outcome_sums(conn: Connection, sums: dict[OutcomeKey, list[Any]]) -> None:
    """Add [outcomes, credits, hours] per summary key (negative to subtract)."""
    rows = [
        {"province_code": k[0], "issuer_id": k[1], "kind": k[2], "year": k[3], "framework_level": k[4],
         "outcomes": n, "credits": c, "hours": h}
        for k, (n, c, h) in sums.items()
    ]  # fmt: skip
    _upsert(conn, overview_outcomes, ("province_code", "issuer_id", "kind", "year", "framework_level"),
            ("outcomes", "credits", "hours"), rows)  # fmt: skip


def learners_changed(conn: Connection, removed: Sequence[LearnerKey], added: Sequence[LearnerKey]) -> None:
    counts: dict[LearnerKey, int] = defaultdict(int)
    for k in removed:
        counts[k] -= 1
    for k in added:
        counts[k] += 1
    rows = [
        {
            "province_code": k[0],
            "institution_id": k[1],
            "learner_type": k[2],
            "cohort_year": k[3],
            "learners": n,
        }
        for k, n in counts.items()
        if n
    ]
    _upsert(conn, overview_learners, ("province_code", "institution_id", "learner_type", "cohort_year"),
            ("learners",), rows)  # fmt: skip


def learner_key(
    province: str, institution_id: int | None, learner_type: Any, cohort_year: int | None
) -> LearnerKey:
    return (province, institution_id or 0, str(learner_type), cohort_year or 0)


def learner_keys(conn: Connection, account_ids: Sequence[int]) -> dict[int, LearnerKey]:
    """The summary key of each account as it stands now (before a change)."""
    c = learning_accounts.c
    found: dict[int, LearnerKey] = {}
    ids = list(account_ids)
    for i in range(0, len(ids), 900):
        q = select(c.id, c.province_code, c.institution_id, c.learner_type, c.cohort_year).where(
            c.id.in_(ids[i : i + 900])
        )
        for r in conn.execute(q):
            found[r.id] = learner_key(r.province_code, r.institution_id, r.learner_type, r.cohort_year)
    return found


def outcome_facts(conn: Connection, outcome_id: int) -> OutcomeFacts | None:
    c = outcomes.c
    r = conn.execute(
        select(
            c.account_id, c.issuer_id, c.kind, c.obtained_on, c.framework_level, c.credits, c.hours, c.status
        ).where(c.id == outcome_id)
    ).first()
    if r is None:
        return None
    obtained = r.obtained_on if isinstance(r.obtained_on, date) else date.fromisoformat(str(r.obtained_on))
    credits = r.credits if isinstance(r.credits, Decimal) else Decimal(str(r.credits))
    hours = None if r.hours is None else Decimal(str(r.hours))
    return (r.account_id, r.issuer_id, r.kind, obtained, r.framework_level, credits, hours, r.status)


def rebuild(conn: Connection) -> None:
    """Recompute both summaries from outcomes and learning accounts (set-based, one statement each)."""
    conn.execute(delete(overview_outcomes))
    conn.execute(delete(overview_learners))
    a, o = learning_accounts.c, outcomes.c
    year = extract("year", o.obtained_on)
    q = (
        select(a.province_code, o.issuer_id, o.kind, year, o.framework_level, func.count(),
               func.sum(o.credits), func.coalesce(func.sum(o.hours), 0))
        .select_from(outcomes.join(learning_accounts, a.id == o.account_id))
        .where(o.status == ACTIVE)
        .group_by(a.province_code, o.issuer_id, o.kind, year, o.framework_level)
    )  # fmt: skip
    conn.execute(overview_outcomes.insert().from_select(
        ["province_code", "issuer_id", "kind", "year", "framework_level", "outcomes", "credits", "hours"], q
    ))  # fmt: skip
    inst = func.coalesce(a.institution_id, literal(0))
    cohort = func.coalesce(a.cohort_year, literal(0))
    q2 = select(a.province_code, inst, a.learner_type, cohort, func.count()).group_by(
        a.province_code, inst, a.learner_type, cohort
    )
    conn.execute(overview_learners.insert().from_select(
        ["province_code", "institution_id", "learner_type", "cohort_year", "learners"], q2
    ))  # fmt: skip
