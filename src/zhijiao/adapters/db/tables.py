"""SQLAlchemy Core tables of the credit bank.

Every table's `comment` declares its personal data: `pii: <columns>` or `no_pii`.
Learner-owned tables carry `account_id` so they can be distributed by account (Citus).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

CREDITS = Numeric(6, 1)
HOURS = Numeric(9, 1)
ID = BigInteger().with_variant(Integer(), "sqlite")  # SQLite needs INTEGER for rowid aliasing

institutions = Table(
    "institutions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("region_code", String(6), nullable=False, index=True),
    Column("moe_code", String(10), unique=True),
    Column("uscc", String(18), unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # quality monitoring: 综合/工科/医学/… (教发〔2004〕2号's school types); set by the quality pillar
    Column("discipline_type", String(16)),
    comment="no_pii",
)

users = Table(
    "users",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("institution_id", ID, ForeignKey("institutions.id")),
    Column("province_code", String(2)),
    Column("account_id", ID, ForeignKey("learning_accounts.id")),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="pii: username, display_name, password_hash",
)

learning_accounts = Table(
    "learning_accounts",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("province_code", String(2), nullable=False),
    Column("name", String(100), nullable=False),
    Column("learner_type", String(16), nullable=False),
    Column("id_type", String(24), nullable=False),
    Column("id_number_enc", LargeBinary, nullable=False),
    Column("id_number_hmac", String(64), nullable=False, unique=True),
    Column("id_masked", String(32), nullable=False),
    Column("birth_date", Date),
    Column("institution_id", ID, ForeignKey("institutions.id"), index=True),
    Column("major_code", String(16)),
    Column("cohort_year", SmallInteger),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="pii: name, id_number_enc, id_number_hmac, id_masked, birth_date",
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("title", String(200), nullable=False),
    Column("code", String(64)),
    Column("issuer_id", ID, ForeignKey("institutions.id"), nullable=False, index=True),
    Column("obtained_on", Date, nullable=False),
    Column("hours", HOURS),
    Column("credits", CREDITS, nullable=False),
    Column("score", Numeric(5, 1)),
    Column("grade", String(8)),
    Column("level", SmallInteger),
    Column("framework_level", SmallInteger, nullable=False),
    Column("evidence_ref", String(300)),
    Column("status", String(16), nullable=False),
    Column("recorded_by", ID, ForeignKey("institutions.id")),
    Column("source_key", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("account_id", "source_key", name="uq_outcomes_account_source"),
    comment="no_pii",
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=False),
    Column("account_id", ID, ForeignKey("learning_accounts.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("action", String(16), nullable=False),
    Column("outcome_id", ID),
    Column("payload", Text, nullable=False),
    Column("note", Text),
    Column("actor", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("account_id", "seq", name="uq_ledger_entries_account_seq"),
    comment="pii: payload (learner name in account snapshots)",
)

ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("root_hash", String(64), nullable=False),
    Column("frontier", Text, nullable=False),  # the compact range: the next checkpoint needs only new leaves
    Column("note", Text, nullable=False),  # the signed checkpoint (C2SP signed note)
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

recording_rules = Table(
    "recording_rules",
    metadata,
    Column("kind", String(32), primary_key=True),
    Column("hours_per_credit", Numeric(7, 1), nullable=False),
    Column("step", Numeric(3, 1), nullable=False),
    Column("max_credits", CREDITS),
    Column("credits_by_level", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="no_pii",
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("filename", String(255), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("institution_id", ID, ForeignKey("institutions.id")),
    Column("rows_total", Integer, nullable=False),
    Column("outcomes_created", Integer, nullable=False),
    Column("accounts_created", Integer, nullable=False),
    Column("rows_skipped", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # import history (decision 0018): runs refused for problems are recorded too, with where the
    # problems were (row and column only: messages can quote names from the file, so they are not kept)
    Column("status", String(16), nullable=False, server_default="imported"),  # imported / refused
    Column("problems_count", Integer, nullable=False, server_default="0"),
    Column("problem_cells", JSON, nullable=True),  # [[row, column], …], the first 200
    comment="no_pii",
)

# A learner lets an institution record into their account (decision 0016); revoking keeps the row.
access_grants = Table(
    "access_grants",
    metadata,
    Column("account_id", ID, ForeignKey("learning_accounts.id"), primary_key=True),
    Column("institution_id", ID, ForeignKey("institutions.id"), primary_key=True),
    Column("granted_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    comment="pii: which institutions a learner lets record into their account",
)

# Other areas' tables live in their own modules on the same metadata; importing them here lets
# Alembic and the tests see every table.
from zhijiao.adapters.db import (  # noqa: E402, F401
    admissions_tables,
    conversion_tables,
    credential_tables,
    overview_tables,
    quality_tables,
)
