"""webui: import history (refused runs recorded, with where their problems were)

Revision ID: 0008_webui
Revises: 0007_exemption_preference
Create Date: 2026-12-02 14:20:00

Plain ADD/DROP COLUMN (no batch copy: import_batches is referenced once data exists).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_webui"
down_revision = "0007_exemption_preference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "import_batches", sa.Column("status", sa.String(length=16), server_default="imported", nullable=False)
    )
    op.add_column(
        "import_batches", sa.Column("problems_count", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column("import_batches", sa.Column("problem_cells", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_batches", "problem_cells")
    op.drop_column("import_batches", "problems_count")
    op.drop_column("import_batches", "status")
