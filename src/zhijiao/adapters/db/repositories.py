"""Repositories: translate between table rows and domain objects. No business rules here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy import false as sa_false

from zhijiao.adapters.db import overview_summary
from zhijiao.adapters.db.bulk import allocate_ids, insert_rows, timestamp_value
from zhijiao.adapters.db.tables import (
    import_batches,
    institutions,
    learning_accounts,
    ledger_checkpoints,
    ledger_entries,
    outcomes,
    recording_rules,
    users,
)
from zhijiao.adapters.db.values import as_date, as_decimal
from zhijiao.domain.creditbank.ledger import LedgerEntry
from zhijiao.domain.creditbank.model import (
    Grade,
    Institution,
    InstitutionKind,
    LearnerType,
    LearningAccount,
    LedgerAction,
    Level,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from zhijiao.domain.creditbank.recording import RecordingRule
from zhijiao.domain.identity import IdType, make_account_no

CHUNK = 900  # stays under SQLite's bound-parameter limit
BULK_ACCOUNTS = 100  # accounts opened at once from here on are written in bulk


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# The statements of the hot read paths (transcript, account lookup) are built once: SQLAlchemy then
# reuses their memoised cache key and compiled form instead of rebuilding both on every call.
# The columns each `_to_domain` reads, in the order it unpacks them (never the encrypted identity
# number, an outcome's source key or its creation time).
INSTITUTION_COLUMNS = [institutions.c[n] for n in ("id", "name", "kind", "region_code", "moe_code", "uscc")]
ACCOUNT_COLUMNS = [learning_accounts.c[n] for n in (
    "id", "province_code", "name", "learner_type", "id_type", "id_masked", "institution_id", "birth_date",
    "created_at",
)]  # fmt: skip
OUTCOME_COLUMNS = [outcomes.c[n] for n in (
    "id", "account_id", "kind", "title", "issuer_id", "obtained_on", "credits", "framework_level", "code",
    "hours", "score", "grade", "level", "evidence_ref", "status", "recorded_by",
)]  # fmt: skip
_ACCOUNT_BY_ID = select(*ACCOUNT_COLUMNS).where(learning_accounts.c.id == bindparam("id"))
_OUTCOMES_OF_ACCOUNT = (
    select(*OUTCOME_COLUMNS)
    .where(outcomes.c.account_id == bindparam("account_id"))
    .order_by(outcomes.c.obtained_on, outcomes.c.id)
)
_INSTITUTIONS_BY_IDS = select(*INSTITUTION_COLUMNS).where(
    institutions.c.id.in_(bindparam("ids", expanding=True))
)

_home, _issuer = institutions.alias("home"), institutions.alias("issuer")
_N_ACCOUNT, _N_INSTITUTION = len(ACCOUNT_COLUMNS), len(INSTITUTION_COLUMNS)


# An account, its home institution, and its outcomes with their issuers: one statement, one snapshot,
# one round trip (the transcript's hot path). One row per outcome; the account's columns repeat.
def _newest_entry(column: str) -> Any:
    e = ledger_entries.c
    return (
        select(e[column]).where(e.account_id == learning_accounts.c.id).order_by(e.seq.desc()).limit(1)
    ).scalar_subquery()


_ACCOUNT_WITH_OUTCOMES = (
    select(
        *ACCOUNT_COLUMNS,
        *(_home.c[c.name] for c in INSTITUTION_COLUMNS),
        *OUTCOME_COLUMNS,
        *(_issuer.c[c.name] for c in INSTITUTION_COLUMNS),
        _newest_entry("id"),  # the account's newest ledger entry, for the transcript's inclusion proof
        _newest_entry("hash"),
    )
    .select_from(
        learning_accounts.outerjoin(_home, _home.c.id == learning_accounts.c.institution_id)
        .outerjoin(outcomes, outcomes.c.account_id == learning_accounts.c.id)
        .outerjoin(_issuer, _issuer.c.id == outcomes.c.issuer_id)
    )
    .where(learning_accounts.c.id == bindparam("id"))
    .order_by(outcomes.c.obtained_on, outcomes.c.id)
)


class InstitutionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _to_domain(r: Sequence[Any]) -> Institution:
        """From the values of `INSTITUTION_COLUMNS`, in that order."""
        id_, name, kind, region_code, moe_code, uscc = r
        return Institution(id_, name, InstitutionKind(kind), region_code, moe_code, uscc)

    def add(self, inst: Institution, now: datetime) -> int:
        values = {
            "name": inst.name,
            "kind": inst.kind.value,
            "region_code": inst.region_code,
            "moe_code": inst.moe_code,
            "uscc": inst.uscc,
            "created_at": now,
        }
        return int(
            self.conn.execute(insert(institutions).values(values).returning(institutions.c.id)).scalar_one()
        )

    def get(self, inst_id: int) -> Institution | None:
        r = self.conn.execute(select(*INSTITUTION_COLUMNS).where(institutions.c.id == inst_id)).first()
        return self._to_domain(r) if r else None

    def get_many(self, ids: Iterable[int]) -> dict[int, Institution]:
        """id → institution, in one query (for the ids that exist)."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {r[0]: self._to_domain(r) for r in self.conn.execute(_INSTITUTIONS_BY_IDS, {"ids": wanted})}

    def find_by_codes(self, *, moe_code: str | None, uscc: str | None) -> Institution | None:
        conds = []
        if moe_code:
            conds.append(institutions.c.moe_code == moe_code)
        if uscc:
            conds.append(institutions.c.uscc == uscc)
        if not conds:
            return None
        r = self.conn.execute(select(*INSTITUTION_COLUMNS).where(or_(*conds))).first()
        return self._to_domain(r) if r else None

    def list(
        self, *, province_code: str | None = None, kind: InstitutionKind | None = None
    ) -> list[Institution]:
        q = select(*INSTITUTION_COLUMNS).order_by(institutions.c.id)
        if province_code:
            q = q.where(institutions.c.region_code.startswith(province_code))
        if kind:
            q = q.where(institutions.c.kind == kind.value)
        return [self._to_domain(r) for r in self.conn.execute(q)]


class AccountRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _to_domain(r: Sequence[Any]) -> LearningAccount:
        """From the values of `ACCOUNT_COLUMNS`, in that order."""
        id_, province_code, name, learner_type, id_type, id_masked, institution_id, birth_date, created_at = r
        return LearningAccount(
            id=id_,
            account_no=make_account_no(province_code, id_),
            name=name,
            learner_type=LearnerType(learner_type),
            id_type=IdType(id_type),
            id_masked=id_masked,
            province_code=province_code,
            institution_id=institution_id,
            birth_date=as_date(birth_date) if birth_date else None,
            created_at=created_at,
        )

    def get(self, account_id: int) -> LearningAccount | None:
        r = self.conn.execute(_ACCOUNT_BY_ID, {"id": account_id}).first()
        return self._to_domain(r) if r else None

    def get_many(self, ids: Iterable[int]) -> dict[int, LearningAccount]:
        """id → account, for the ids that exist."""
        found: dict[int, LearningAccount] = {}
        for part in chunks(sorted(set(ids))):
            q = select(*ACCOUNT_COLUMNS).where(learning_accounts.c.id.in_(part))
            found.update((r[0], self._to_domain(r)) for r in self.conn.execute(q))
        return found

    def with_outcomes(
        self, account_id: int
    ) -> (
        tuple[
            LearningAccount, Institution | None, list[Outcome], dict[int, Institution], tuple[int, str] | None
        ]
        | None
    ):
        """The account, its home institution, its outcomes (by date), their issuers by id, and the
        (id, hash) of its newest ledger entry."""
        rows = self.conn.execute(_ACCOUNT_WITH_OUTCOMES, {"id": account_id}).all()
        if not rows:
            return None
        first = rows[0]
        a, h = _N_ACCOUNT, _N_ACCOUNT + _N_INSTITUTION
        o = h + len(OUTCOME_COLUMNS)
        i = o + _N_INSTITUTION
        home = InstitutionRepository._to_domain(first[a:h]) if first[a] is not None else None
        found: list[Outcome] = []
        issuers: dict[int, Institution] = {}
        if first[h] is not None:  # an account without outcomes gives one row of nulls for them
            for r in rows:
                found.append(OutcomeRepository._to_domain(r[h:o]))
                if r[o] not in issuers:
                    issuers[r[o]] = InstitutionRepository._to_domain(r[o:i])
        newest = (first[i], first[i + 1]) if first[i] is not None else None
        return self._to_domain(first[:a]), home, found, issuers, newest

    def by_index(self, id_hmac: str) -> LearningAccount | None:
        r = self.conn.execute(
            select(*ACCOUNT_COLUMNS).where(learning_accounts.c.id_number_hmac == id_hmac)
        ).first()
        return self._to_domain(r) if r else None

    def by_indexes(self, hmacs: Sequence[str]) -> dict[str, tuple[int, str]]:
        """hmac → (account id, name) for the accounts that exist."""
        found: dict[str, tuple[int, str]] = {}
        c = learning_accounts.c
        for part in chunks(list(hmacs)):
            for r in self.conn.execute(
                select(c.id_number_hmac, c.id, c.name).where(c.id_number_hmac.in_(part))
            ):
                found[r.id_number_hmac] = (r.id, r.name)
        return found

    def add_many(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert accounts; return their ids in the given order."""
        if not rows:
            return []
        if len(rows) >= BULK_ACCOUNTS:
            ids = self._add_bulk(rows)
        else:
            result = self.conn.execute(
                insert(learning_accounts).returning(learning_accounts.c.id, sort_by_parameter_order=True),
                list(rows),
            )
            ids = [r.id for r in result]
        overview_summary.learners_changed(self.conn, (), [
            overview_summary.learner_key(r["province_code"], r.get("institution_id"), r["learner_type"],
                                         r.get("cohort_year"))
            for r in rows
        ])  # fmt: skip
        return ids

    def _add_bulk(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Many accounts at once (an import, whose transaction already holds the write lock): ids taken
        from the table's sequence (PostgreSQL) or after the largest (SQLite), then executemany/COPY —
        not one INSERT … RETURNING per row."""
        n = len(rows)
        if self.conn.dialect.name == "postgresql":
            q = text(
                "SELECT nextval(pg_get_serial_sequence('learning_accounts', 'id')) FROM generate_series(1, :n)"
            )
            ids = [int(i) for (i,) in self.conn.execute(q, {"n": n})]
        else:
            first = allocate_ids(self.conn, learning_accounts, n)
            ids = list(range(first, first + n))
        columns = ("id", *rows[0])
        insert_rows(
            self.conn, learning_accounts, columns, [(i, *r.values()) for i, r in zip(ids, rows, strict=True)]
        )
        return ids

    def scopes(self, account_ids: Sequence[int]) -> list[tuple[int, str, int | None]]:
        """(account id, province code, institution id) of each account."""
        c = learning_accounts.c
        found: list[tuple[int, str, int | None]] = []
        for part in chunks(list(account_ids)):
            q = select(c.id, c.province_code, c.institution_id).where(c.id.in_(part))
            found.extend((r.id, r.province_code, r.institution_id) for r in self.conn.execute(q))
        return found

    def set_enrolments(self, items: Sequence[tuple[int, str, int]]) -> None:
        """Set (account id, major code, cohort year) on many accounts at once."""
        if not items:
            return
        before = overview_summary.learner_keys(self.conn, [a for a, _, _ in items])
        cohort = {a: y for a, _, y in items}
        after = {a: (*k[:3], cohort[a] or 0) for a, k in before.items()}
        overview_summary.learners_changed(self.conn, list(before.values()), list(after.values()))
        c = learning_accounts.c
        stmt = (
            update(learning_accounts)
            .where(c.id == bindparam("aid"))
            .values(major_code=bindparam("major"), cohort_year=bindparam("cohort"))
        )
        self.conn.execute(stmt, [{"aid": a, "major": m, "cohort": y} for a, m, y in items])

    def list(
        self,
        *,
        institution_id: int | None = None,
        province_code: str | None = None,
        account_ids: Iterable[int] | None = None,
        name_prefix: str | None = None,
        learner_type: str | None = None,
        opened_year: int | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[LearningAccount], int]:
        c = learning_accounts.c
        conds = []
        if learner_type is not None:
            conds.append(c.learner_type == learner_type)
        if opened_year is not None:  # the account was opened in that year (UTC+8, as people count years)
            start = datetime(opened_year, 1, 1, tzinfo=UTC) - timedelta(hours=8)
            conds.extend([c.created_at >= start, c.created_at < start.replace(year=opened_year + 1)])
        if institution_id is not None:
            conds.append(c.institution_id == institution_id)
        if province_code is not None:
            conds.append(c.province_code == province_code)
        if account_ids is not None:
            conds.append(c.id.in_(list(account_ids)))
        if name_prefix:
            conds.append(c.name.startswith(name_prefix))
        where = and_(*conds) if conds else None
        q = select(*ACCOUNT_COLUMNS).order_by(c.id).offset(offset).limit(limit)
        cq = select(func.count()).select_from(learning_accounts)
        if where is not None:
            q, cq = q.where(where), cq.where(where)
        total = int(self.conn.execute(cq).scalar_one())
        return [self._to_domain(r) for r in self.conn.execute(q)], total


class OutcomeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _to_domain(r: Sequence[Any]) -> Outcome:
        """From the values of `OUTCOME_COLUMNS`, in that order."""
        (id_, account_id, kind, title, issuer_id, obtained_on, credits, framework_level, code, hours, score,
         grade, level, evidence_ref, status, recorded_by) = r  # fmt: skip
        return Outcome(
            id=id_,
            account_id=account_id,
            kind=OutcomeKind(kind),
            title=title,
            issuer_id=issuer_id,
            obtained_on=as_date(obtained_on),
            credits=as_decimal(credits) or Decimal(0),
            framework_level=framework_level,
            code=code,
            hours=as_decimal(hours),
            score=as_decimal(score),
            grade=Grade(grade) if grade else None,
            level=Level(level) if level else None,
            evidence_ref=evidence_ref,
            status=OutcomeStatus(status),
            recorded_by=recorded_by,
        )

    def get(self, outcome_id: int) -> Outcome | None:
        r = self.conn.execute(select(*OUTCOME_COLUMNS).where(outcomes.c.id == outcome_id)).first()
        return self._to_domain(r) if r else None

    def get_many(self, ids: Iterable[int]) -> dict[int, Outcome]:
        """id → outcome, for the ids that exist."""
        found: dict[int, Outcome] = {}
        for part in chunks(sorted(set(ids))):
            q = select(*OUTCOME_COLUMNS).where(outcomes.c.id.in_(part))
            found.update((r[0], self._to_domain(r)) for r in self.conn.execute(q))
        return found

    def for_account(self, account_id: int) -> list[Outcome]:
        return [
            self._to_domain(r) for r in self.conn.execute(_OUTCOMES_OF_ACCOUNT, {"account_id": account_id})
        ]

    COLUMNS = (
        "id", "account_id", "kind", "title", "code", "issuer_id", "obtained_on", "hours", "credits", "score",
        "grade", "level", "framework_level", "evidence_ref", "status", "recorded_by", "source_key", "created_at",
    )  # fmt: skip

    def first_free_id(self) -> int:
        """The first id for new outcomes (the transaction must already hold the write lock)."""
        return allocate_ids(self.conn, outcomes, 1)

    def add_many(self, new: Sequence[Outcome], keys: Sequence[str], now: datetime) -> None:
        """Insert outcomes that already have their ids (from `first_free_id`), with their source keys."""
        at = timestamp_value(self.conn, now)
        rows = [
            (o.id, o.account_id, str(o.kind), o.title, o.code, o.issuer_id, o.obtained_on.isoformat(),
             None if o.hours is None else str(o.hours), str(o.credits), None if o.score is None else str(o.score),
             None if o.grade is None else str(o.grade), None if o.level is None else int(o.level),
             o.framework_level, o.evidence_ref, str(o.status), o.recorded_by, key, at)
            for o, key in zip(new, keys, strict=True)
        ]  # fmt: skip
        insert_rows(self.conn, outcomes, self.COLUMNS, rows, plain=True)
        overview_summary.outcomes_changed(self.conn, (), [self._facts(o) for o in new])

    def timestamp(self, moment: datetime) -> Any:
        """`moment` as `insert_plain` takes it in the `created_at` column."""
        return timestamp_value(self.conn, moment)

    def insert_plain(self, rows: Sequence[Sequence[Any]]) -> None:
        """Insert outcome rows given in `COLUMNS` order as plain values (`insert_rows(plain=True)`): an
        import's, which counts them in the overview summary itself (`count_in_summary`)."""
        insert_rows(self.conn, outcomes, self.COLUMNS, rows, plain=True)

    def count_in_summary(self, sums: dict[overview_summary.OutcomeKey, list[Any]]) -> None:
        """Add new active outcomes to the overview summary, already summed per summary key as
        [outcomes, credits, hours]."""
        overview_summary.add_outcome_sums(self.conn, sums)

    @staticmethod
    def _facts(o: Outcome) -> overview_summary.OutcomeFacts:
        assert o.id is not None
        return (o.account_id, o.issuer_id, str(o.kind), o.obtained_on, o.framework_level, o.credits, o.hours,
                str(o.status))  # fmt: skip

    def has_issued(self, account_id: int, issuer_id: int) -> bool:
        c = outcomes.c
        q = select(c.id).where(c.account_id == account_id, c.issuer_id == issuer_id).limit(1)
        return self.conn.execute(q).first() is not None

    def issued_by(self, issuer_id: int, *, offset: int, limit: int) -> tuple[list[Outcome], int]:
        """A page of the outcomes an institution issued (newest first) and how many there are."""
        c = outcomes.c
        q = (
            select(*OUTCOME_COLUMNS)
            .where(c.issuer_id == issuer_id)
            .order_by(c.obtained_on.desc(), c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        total = self.conn.execute(select(func.count()).where(c.issuer_id == issuer_id)).scalar_one()
        return [self._to_domain(r) for r in self.conn.execute(q)], int(total)

    def existing_keys(self, account_ids: Sequence[int]) -> set[tuple[int, str]]:
        keys: set[tuple[int, str]] = set()
        c = outcomes.c
        for part in chunks(list(account_ids)):
            keys.update(
                (r[0], r[1])
                for r in self.conn.execute(select(c.account_id, c.source_key).where(c.account_id.in_(part)))
            )
        return keys

    def set_state(self, outcome: Outcome) -> None:
        """Bring the projection row in line with the outcome's latest ledger snapshot."""
        assert outcome.id is not None
        before = overview_summary.outcome_facts(self.conn, outcome.id)
        self.conn.execute(
            update(outcomes)
            .where(outcomes.c.id == outcome.id)
            .values(
                title=outcome.title,
                code=outcome.code,
                obtained_on=outcome.obtained_on,
                hours=outcome.hours,
                credits=outcome.credits,
                score=outcome.score,
                grade=outcome.grade.value if outcome.grade else None,
                level=int(outcome.level) if outcome.level else None,
                framework_level=outcome.framework_level,
                evidence_ref=outcome.evidence_ref,
                status=outcome.status.value,
            )
        )
        if before is not None:
            after = (*before[:3], outcome.obtained_on, outcome.framework_level, outcome.credits, outcome.hours,
                     outcome.status.value)  # fmt: skip
            overview_summary.outcomes_changed(self.conn, [before], [after])

    def iter_all(self, batch: int = 20000) -> Iterator[Outcome]:
        result = self.conn.execution_options(yield_per=batch).execute(
            select(*OUTCOME_COLUMNS).order_by(outcomes.c.id)
        )
        for r in result:
            yield self._to_domain(r)


class LedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _to_domain(r: Row[Any]) -> LedgerEntry:
        return LedgerEntry(
            r.account_id,
            r.seq,
            LedgerAction(r.action),
            r.outcome_id,
            r.payload,
            r.actor,
            r.recorded_at,
            r.prev_hash,
            r.hash,
            r.note,
        )

    def heads(self, account_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """account id → (last seq, last hash)."""
        c = ledger_entries.c
        heads: dict[int, tuple[int, str]] = {}
        for part in chunks(list(account_ids)):
            last = (
                select(c.account_id, func.max(c.seq).label("seq"))
                .where(c.account_id.in_(part))
                .group_by(c.account_id)
                .subquery()
            )
            q = select(c.account_id, c.seq, c.hash).join(
                last, and_(c.account_id == last.c.account_id, c.seq == last.c.seq)
            )
            heads.update({r.account_id: (r.seq, r.hash) for r in self.conn.execute(q)})
        return heads

    COLUMNS = (
        "id", "account_id", "seq", "action", "outcome_id", "payload", "note", "actor", "recorded_at", "prev_hash",
        "hash",
    )  # fmt: skip

    def append(self, entries: Sequence[LedgerEntry]) -> None:
        first = allocate_ids(self.conn, ledger_entries, len(entries))
        rows = [
            (
                first + i,
                e.account_id,
                e.seq,
                e.action.value,
                e.outcome_id,
                e.payload,
                e.note,
                e.actor,
                e.recorded_at,
                e.prev_hash,
                e.hash,
            )
            for i, e in enumerate(entries)
        ]
        insert_rows(self.conn, ledger_entries, self.COLUMNS, rows)

    def append_records(
        self,
        rows: Sequence[tuple[int, int, int | None, str, str, str]],
        *,
        action: str,
        actor: str,
        recorded_at: datetime,
    ) -> None:
        """Append note-less entries sharing action, actor and time, given as
        (account id, seq, outcome id, payload, prev hash, hash)."""
        if not rows:
            return
        first = allocate_ids(self.conn, ledger_entries, len(rows))
        at = timestamp_value(self.conn, recorded_at)
        action = str(action)
        full = [
            (first + i, a, seq, action, oid, payload, None, actor, at, prev, h)
            for i, (a, seq, oid, payload, prev, h) in enumerate(rows)
        ]
        insert_rows(self.conn, ledger_entries, self.COLUMNS, full, plain=True)

    def for_account(self, account_id: int) -> list[LedgerEntry]:
        q = (
            select(ledger_entries)
            .where(ledger_entries.c.account_id == account_id)
            .order_by(ledger_entries.c.seq)
        )
        return [self._to_domain(r) for r in self.conn.execute(q)]

    def iter_log(self, batch: int = 5000) -> Iterator[tuple[int, LedgerEntry]]:
        """(id, entry) of every entry in log order (the entry with id i is leaf i − 1 of the tree)."""
        q = select(ledger_entries).order_by(ledger_entries.c.id)
        for r in self.conn.execution_options(yield_per=batch).execute(q):
            yield r.id, self._to_domain(r)

    def entry(self, account_id: int, seq: int) -> tuple[int, LedgerEntry] | None:
        c = ledger_entries.c
        r = self.conn.execute(select(ledger_entries).where(c.account_id == account_id, c.seq == seq)).first()
        return (r.id, self._to_domain(r)) if r else None

    def latest_of(self, account_id: int) -> tuple[int, int, str] | None:
        """(id, seq, hash) of the account's newest entry."""
        c = ledger_entries.c
        q = select(c.id, c.seq, c.hash).where(c.account_id == account_id).order_by(c.seq.desc()).limit(1)
        r = self.conn.execute(q).first()
        return (r[0], r[1], r[2]) if r else None

    def size(self) -> int:
        """How many entries the log holds (ids are dense from 1)."""
        return int(self.conn.execute(select(func.coalesce(func.max(ledger_entries.c.id), 0))).scalar_one())

    def leaf_hashes(self, after: int, upto: int) -> list[bytes]:
        """The hashes of leaves [after, upto) — entries with ids after + 1 … upto — in log order."""
        c = ledger_entries.c
        q = select(c.hash).where(c.id > after, c.id <= upto).order_by(c.id)
        return [bytes.fromhex(h) for (h,) in self.conn.execute(q)]

    # --- checkpoints (signed tree heads), an append-only history a witness can fetch ---

    def latest_checkpoint(self) -> Row[Any] | None:
        c = ledger_checkpoints.c
        return self.conn.execute(select(ledger_checkpoints).order_by(c.tree_size.desc()).limit(1)).first()

    def checkpoint_covering(self, size: int) -> Row[Any] | None:
        """The newest checkpoint, if its tree holds at least `size` entries."""
        found = self.latest_checkpoint()
        return found if found is not None and found.tree_size >= size else None

    def checkpoint_at(self, size: int) -> Row[Any] | None:
        c = ledger_checkpoints.c
        return self.conn.execute(select(ledger_checkpoints).where(c.tree_size == size)).first()

    def checkpoints(self, *, since: int = 0, limit: int = 1000) -> list[Row[Any]]:
        c = ledger_checkpoints.c
        q = select(ledger_checkpoints).where(c.tree_size > since).order_by(c.tree_size).limit(limit)
        return list(self.conn.execute(q))

    def add_checkpoint(
        self, *, tree_size: int, root_hash: str, frontier: str, note: str, now: datetime
    ) -> None:
        self.conn.execute(
            insert(ledger_checkpoints).values(
                tree_size=tree_size, root_hash=root_hash, frontier=frontier, note=note, created_at=now
            )
        )

    def lock(self) -> None:
        """Serialise with every writer of the log (PostgreSQL; SQLite's write lock is taken on write)."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('ledger_entries'))"))


class RecordingRuleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> dict[OutcomeKind, RecordingRule]:
        rules = {}
        for r in self.conn.execute(select(recording_rules)):
            rules[OutcomeKind(r.kind)] = RecordingRule(
                OutcomeKind(r.kind),
                as_decimal(r.hours_per_credit) or Decimal(1),
                as_decimal(r.step) or Decimal("0.5"),
                as_decimal(r.max_credits),
                tuple((int(k), Decimal(v)) for k, v in sorted(r.credits_by_level.items())),
            )
        return rules

    def save(self, rule: RecordingRule, now: datetime) -> None:
        values = {
            "hours_per_credit": rule.hours_per_credit,
            "step": rule.step,
            "max_credits": rule.max_credits,
            "credits_by_level": {str(k): str(v) for k, v in rule.credits_by_level},
            "updated_at": now,
        }
        done = self.conn.execute(
            update(recording_rules).where(recording_rules.c.kind == rule.kind.value).values(values)
        )
        if done.rowcount == 0:
            self.conn.execute(insert(recording_rules).values(kind=rule.kind.value, **values))


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, values: dict[str, Any]) -> int:
        return int(self.conn.execute(insert(users).values(values).returning(users.c.id)).scalar_one())

    def by_username(self, username: str) -> Row[Any] | None:
        return self.conn.execute(select(users).where(users.c.username == username)).first()

    def get(self, user_id: int) -> Row[Any] | None:
        return self.conn.execute(select(users).where(users.c.id == user_id)).first()

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(users)).scalar_one())


class ImportBatchRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def start(self, *, filename: str, file_sha256: str, actor: str, institution_id: int | None, rows_total: int,
              now: datetime) -> int:  # fmt: skip
        values = {
            "filename": filename, "file_sha256": file_sha256, "actor": actor, "institution_id": institution_id,
            "rows_total": rows_total, "outcomes_created": 0, "accounts_created": 0, "rows_skipped": 0,
            "created_at": now,
        }  # fmt: skip
        return int(
            self.conn.execute(
                insert(import_batches).values(values).returning(import_batches.c.id)
            ).scalar_one()
        )

    def finish(self, batch_id: int, **counts: int) -> None:
        self.conn.execute(update(import_batches).where(import_batches.c.id == batch_id).values(**counts))

    def refused(self, *, filename: str, file_sha256: str, actor: str, institution_id: int | None,
                rows_total: int, cells: list[tuple[int, str]], problems: int, now: datetime) -> int:  # fmt: skip
        """Record a run that imported nothing because of its problems (where they were, not what)."""
        values = {
            "filename": filename, "file_sha256": file_sha256, "actor": actor, "institution_id": institution_id,
            "rows_total": rows_total, "outcomes_created": 0, "accounts_created": 0, "rows_skipped": 0,
            "created_at": now, "status": "refused", "problems_count": problems,
            "problem_cells": [list(c) for c in cells[:200]],
        }  # fmt: skip
        return int(
            self.conn.execute(insert(import_batches).values(values).returning(import_batches.c.id)).scalar_one()
        )

    def history(
        self, *, institution_ids: list[int] | None, actor: str | None, offset: int, limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Import runs, newest first: those of the institutions given, or (None) all; `actor` adds the
        runs of that actor (an authority's own)."""
        c = import_batches.c
        conds = []
        if institution_ids is not None:
            scope = c.institution_id.in_(institution_ids) if institution_ids else sa_false()
            conds.append(or_(scope, c.actor == actor) if actor else scope)
        q = select(import_batches).order_by(c.id.desc()).offset(offset).limit(limit)
        cq = select(func.count()).select_from(import_batches)
        if conds:
            q, cq = q.where(*conds), cq.where(*conds)
        total = int(self.conn.execute(cq).scalar_one())
        return [dict(r._mapping) for r in self.conn.execute(q)], total

    def get(self, batch_id: int) -> dict[str, Any] | None:
        r = self.conn.execute(select(import_batches).where(import_batches.c.id == batch_id)).first()
        return dict(r._mapping) if r else None
