"""Access grants (decision 0016): which institutions a learner lets record into their account."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, insert, select, update

from zhijiao.adapters.db.tables import access_grants, institutions
from zhijiao.adapters.db.values import as_utc


class AccessGrantRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def grant(self, account_id: int, institution_id: int, now: datetime) -> None:
        """Grant (again): a revoked grant becomes active with a new time."""
        key = and_(access_grants.c.account_id == account_id, access_grants.c.institution_id == institution_id)
        if self.conn.execute(select(access_grants.c.account_id).where(key)).first() is None:
            self.conn.execute(
                insert(access_grants).values(
                    account_id=account_id, institution_id=institution_id, granted_at=now, revoked_at=None
                )
            )
        else:
            self.conn.execute(update(access_grants).where(key).values(granted_at=now, revoked_at=None))

    def revoke(self, account_id: int, institution_id: int, now: datetime) -> bool:
        """Revoke an active grant; False when there was none."""
        c = access_grants.c
        done = self.conn.execute(
            update(access_grants)
            .where(c.account_id == account_id, c.institution_id == institution_id, c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return bool(done.rowcount)

    def is_granted(self, account_id: int, institution_id: int) -> bool:
        c = access_grants.c
        q = select(c.account_id).where(
            c.account_id == account_id, c.institution_id == institution_id, c.revoked_at.is_(None)
        )
        return self.conn.execute(q).first() is not None

    def for_account(self, account_id: int) -> list[tuple[int, str, datetime]]:
        """(institution id, institution name, granted at) of the account's active grants."""
        c = access_grants.c
        q = (
            select(c.institution_id, institutions.c.name, c.granted_at)
            .join(institutions, institutions.c.id == c.institution_id)
            .where(c.account_id == account_id, c.revoked_at.is_(None))
            .order_by(c.granted_at, c.institution_id)
        )
        return [(r.institution_id, r.name, as_utc(r.granted_at)) for r in self.conn.execute(q)]
