"""admissions: the majors of each published group with their 计划数, so that a school can move an admitted
candidate to another major of the same group only where that major has a free place

Revision ID: 0013_admission_majors
Revises: 0012_charts
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_admission_majors"
down_revision = "0012_charts"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "admission_majors",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("run_id", ID, nullable=False),
        sa.Column("group_code", sa.String(length=20), nullable=False),
        sa.Column("major_code", sa.String(length=20), nullable=False),
        sa.Column("major_name", sa.String(length=200), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["admission_runs.id"], name=op.f("fk_admission_majors_run_id_admission_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission_majors")),
        comment="no_pii",
    )
    op.create_index(
        "uq_admission_majors_run_group_major",
        "admission_majors",
        ["run_id", "group_code", "major_code"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_admission_majors_run_group_major", table_name="admission_majors")
    op.drop_table("admission_majors")
