"""The composition root: settings → engine, identity vault and unit-of-work factory."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine

from zhijiao.adapters.crypto import IdentityVault, derive_key
from zhijiao.adapters.db.engine import make_engine
from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.config import Settings, get_settings
from zhijiao.domain.creditbank.checkpoint import NoteSigner


@dataclass
class Platform:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def autocommit_engine(self) -> Engine | None:
        """PostgreSQL: a second pool whose connections never open a transaction, for
        `uow.read(autocommit=True)` (no BEGIN/ROLLBACK round trips, no switching modes per use)."""
        if self.engine.dialect.name != "postgresql":
            return None
        return make_engine(
            self.settings.database_url, isolation_level="AUTOCOMMIT", pool_size=5, max_overflow=10
        )

    @cached_property
    def vault(self) -> IdentityVault:
        return IdentityVault(self.settings.secret_key.get_secret_value())

    @cached_property
    def log_signer(self) -> NoteSigner:
        """The key that signs the ledger's checkpoints: configured beside the secret key, or derived from it."""
        s = self.settings
        configured = s.ledger_key.get_secret_value()
        seed = (
            base64.b64decode(configured)
            if configured
            else derive_key(s.secret_key.get_secret_value(), "ledger-checkpoint-v1")
        )
        return NoteSigner.from_seed(s.ledger_origin_line, seed)

    def dispose(self) -> None:
        """Close every pooled connection (both pools)."""
        self.engine.dispose()
        if "autocommit_engine" in self.__dict__ and self.autocommit_engine is not None:
            self.autocommit_engine.dispose()

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.engine,
            self.vault,
            self.autocommit_engine,
            self.log_signer,
            self.settings.ledger_checkpoint_seconds,
        )


def platform(settings: Settings | None = None) -> Platform:
    return Platform(settings or get_settings())
