"""overview summaries (overview_outcomes, overview_learners), back-filled from the data present

Revision ID: 0012_charts
Revises: 0011_access
Create Date: 2026-12-02 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_charts"
down_revision = "0011_access"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "overview_outcomes",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("issuer_id", ID, autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("year", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("framework_level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("outcomes", sa.BigInteger(), nullable=False),
        sa.Column("credits", sa.Numeric(16, 1), nullable=False),
        sa.Column("hours", sa.Numeric(18, 1), nullable=False),
        sa.PrimaryKeyConstraint(
            "province_code", "issuer_id", "kind", "year", "framework_level", name=op.f("pk_overview_outcomes")
        ),
        comment="no_pii",
    )
    op.create_table(
        "overview_learners",
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("institution_id", ID, autoincrement=False, nullable=False),
        sa.Column("learner_type", sa.String(length=16), nullable=False),
        sa.Column("cohort_year", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("learners", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "province_code",
            "institution_id",
            "learner_type",
            "cohort_year",
            name=op.f("pk_overview_learners"),
        ),
        comment="no_pii",
    )
    # back-fill from the outcomes and accounts already present (the same code the tests compare with)
    from zhijiao.adapters.db.overview_summary import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("overview_learners")
    op.drop_table("overview_outcomes")
