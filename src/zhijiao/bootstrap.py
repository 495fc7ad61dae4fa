"""The composition root: settings → engine, identity vault and unit-of-work factory."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine

from zhijiao.adapters.crypto import IdentityVault
from zhijiao.adapters.db.engine import make_engine
from zhijiao.adapters.db.uow import SqlUnitOfWork
from zhijiao.config import Settings, get_settings


@dataclass
class Platform:
    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def vault(self) -> IdentityVault:
        return IdentityVault(self.settings.secret_key.get_secret_value())

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.vault)


def platform(settings: Settings | None = None) -> Platform:
    return Platform(settings or get_settings())
