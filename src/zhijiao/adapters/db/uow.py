"""The unit of work: one database transaction per service call."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction

from zhijiao.adapters.analytics.creditbank_overview import CreditbankOverview
from zhijiao.adapters.crypto import IdentityVault
from zhijiao.adapters.db.access_repository import AccessGrantRepository
from zhijiao.adapters.db.admissions_repository import AdmissionsRepository
from zhijiao.adapters.db.conversion_repository import ConversionRepository
from zhijiao.adapters.db.credential_repository import CredentialRepository
from zhijiao.adapters.db.exports import OutcomeExportQuery
from zhijiao.adapters.db.quality_repository import QualityRepository
from zhijiao.adapters.db.repositories import (
    AccountRepository,
    ImportBatchRepository,
    InstitutionRepository,
    LedgerRepository,
    OutcomeRepository,
    RecordingRuleRepository,
    UserRepository,
)
from zhijiao.domain.creditbank.checkpoint import NoteSigner


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    conn: Connection
    _tx: RootTransaction | None

    def __init__(
        self,
        engine: Engine,
        vault: IdentityVault,
        autocommit_engine: Engine | None = None,
        log_signer: NoteSigner | None = None,
        checkpoint_seconds: int = 3600,
    ) -> None:
        self.engine = engine
        self.vault = vault
        self.log_signer = log_signer
        self.checkpoint_seconds = checkpoint_seconds
        self.autocommit_engine = autocommit_engine
        self._write = True
        self._autocommit = False

    def read(self, *, autocommit: bool = False) -> Self:
        """`with uow.read():` — a transaction that only reads (SQLite need not take the write lock).

        `autocommit`: no transaction where the platform has an autocommit engine (PostgreSQL) — each
        statement reads its own snapshot, and the BEGIN and ROLLBACK round trips are saved. For
        look-ups done in one statement, or whose statements need no common snapshot; not for
        server-side cursors (`yield_per`), which live in a transaction."""
        self._write = False
        self._autocommit = autocommit
        return self

    def __enter__(self) -> Self:
        if self._autocommit and self.autocommit_engine is not None:
            self.conn = self.autocommit_engine.connect()
            self._tx = None
        else:
            self.conn = self.engine.connect().execution_options(zhijiao_write=self._write)
            self._tx = self.conn.begin()
        self._write, self._autocommit = True, False
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
        self.admissions = AdmissionsRepository(self.conn)
        self.quality = QualityRepository(self.conn)
        self.grants = AccessGrantRepository(self.conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()

    def commit(self) -> None:
        if self._tx is None:
            raise RuntimeError("自动提交的只读工作单元没有可提交的事务")
        self._tx.commit()

    def rollback(self) -> None:
        if self._tx is not None:
            self._tx.rollback()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
