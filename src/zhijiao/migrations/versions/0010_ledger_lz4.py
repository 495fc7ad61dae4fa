"""ledger payloads compressed with lz4 on PostgreSQL

Revision ID: 0010_ledger_lz4
Revises: 0009_admissions_query_code
Create Date: 2026-12-02 14:30:00

A `record` entry holds the snapshots of every outcome an import recorded for one account (a few
kilobytes), so PostgreSQL compresses nearly every payload into TOAST. The default method, pglz, made
writing the ledger of a 1,000,000-row import cost 2.6—8.3 s; lz4 ~1.4 s (benchmarks/import_outcomes.py,
decision 0020). Only new values are written with lz4; stored ones stay as they are, and both read
the same. SQLite does not compress: nothing to do there. A server built without lz4 keeps pglz.
"""

from alembic import op
import sqlalchemy as sa


revision = "0010_ledger_lz4"
down_revision = "0009_admissions_query_code"
branch_labels = None
depends_on = None


def _lz4_available(bind: sa.Connection) -> bool:
    found = bind.execute(
        sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return bool(found)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and _lz4_available(bind):
        op.execute("ALTER TABLE ledger_entries ALTER COLUMN payload SET COMPRESSION lz4")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE ledger_entries ALTER COLUMN payload SET COMPRESSION default")
