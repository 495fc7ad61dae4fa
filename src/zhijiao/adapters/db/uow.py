"""The unit of work: one database transaction per service call."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from zhijiao.adapters.analytics.creditbank_overview import CreditbankOverview
from zhijiao.adapters.crypto import IdentityVault
from zhijiao.adapters.db.conversion_repository import ConversionRepository
from zhijiao.adapters.db.credential_repository import CredentialRepository
from zhijiao.adapters.db.exports import OutcomeExportQuery
from zhijiao.adapters.db.repositories import (
    AccountRepository,
    ImportBatchRepository,
    InstitutionRepository,
    LedgerRepository,
    OutcomeRepository,
    RecordingRuleRepository,
    UserRepository,
)


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    conn: Connection

    def __init__(self, engine: Engine, vault: IdentityVault) -> None:
        self.engine = engine
        self.vault = vault
        self._write = True

    def read(self) -> Self:
        """`with uow.read():` — a transaction that only reads (SQLite need not take the write lock)."""
        self._write = False
        return self

    def __enter__(self) -> Self:
        self.conn = self.engine.connect().execution_options(zhijiao_write=self._write)
        self._write = True
        self._tx = self.conn.begin()
        self.institutions = InstitutionRepository(self.conn)
        self.accounts = AccountRepository(self.conn)
        self.outcomes = OutcomeRepository(self.conn)
        self.ledger = LedgerRepository(self.conn)
        self.recording_rules = RecordingRuleRepository(self.conn)
        self.users = UserRepository(self.conn)
        self.import_batches = ImportBatchRepository(self.conn)
        self.credentials = CredentialRepository(self.conn)
        self.creditbank_overview = CreditbankOverview(self.conn)
        self.outcome_exports = OutcomeExportQuery(self.conn)
        self.conversion = ConversionRepository(self.conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()

    def commit(self) -> None:
        self._tx.commit()

    def rollback(self) -> None:
        self._tx.rollback()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
