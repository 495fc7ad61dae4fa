"""Migrations build exactly the tables the code declares, on both databases, and go down again."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from zhijiao.adapters.db import migrate
from zhijiao.adapters.db.tables import metadata


def test_upgrade_matches_the_models_and_downgrades(database_url: str) -> None:
    migrate.check(database_url)  # alembic check: no drift between tables.py and the migrations
    migrate.command.downgrade(migrate.alembic_config(database_url), "base")
    eng = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
    eng.dispose()
    migrate.upgrade(database_url)
    migrate.check(database_url)


def test_every_table_declares_its_personal_data() -> None:
    for table in metadata.sorted_tables:
        assert table.comment, f"{table.name} says nothing about personal data"
        assert table.comment == "no_pii" or table.comment.startswith("pii: "), table.name


def test_the_ledger_refuses_update_and_delete(database_url: str) -> None:
    eng = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    with eng.begin() as c:
        c.execute(
            text(
                "insert into institutions (id, name, kind, region_code, created_at) values (1, 'x', 'higher', '440100', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            text(
                "insert into learning_accounts (id, province_code, name, learner_type, id_type, id_number_enc, id_number_hmac, id_masked, created_at) "
                "values (1, '44', 'n', 'adult', 'passport', :b, 'h', 'm', CURRENT_TIMESTAMP)"
            ),
            {"b": b"x"},
        )
        c.execute(
            text(
                "insert into ledger_entries (id, account_id, seq, action, payload, actor, recorded_at, prev_hash, hash) "
                "values (1, 1, 1, 'open', '{}', 'a', CURRENT_TIMESTAMP, 'p', 'h')"
            )
        )
    for sql in ("update ledger_entries set payload = 'tampered'", "delete from ledger_entries"):
        with pytest.raises(Exception, match="台账只能追加"), eng.begin() as c:
            c.execute(text(sql))
    eng.dispose()


def test_ledger_payloads_are_compressed_with_lz4_on_postgresql(database_url: str) -> None:
    """Decision 0020: pglz made writing an import's ledger entries several times slower than lz4."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite does not compress values")
    eng = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    query = text(
        "SELECT attcompression FROM pg_attribute WHERE attrelid = 'ledger_entries'::regclass AND attname = 'payload'"
    )
    with eng.connect() as c:
        lz4 = c.execute(
            text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        ).scalar()
        if not lz4:
            pytest.skip("this PostgreSQL server was built without lz4")
        assert c.execute(query).scalar() == "l"
    try:
        migrate.command.downgrade(migrate.alembic_config(database_url), "0006_admissions")
        with eng.connect() as c:
            assert c.execute(query).scalar() == ""  # the server's default again
    finally:
        migrate.upgrade(database_url)
        eng.dispose()
    with eng.connect() as c:
        assert c.execute(query).scalar() == "l"
    eng.dispose()
