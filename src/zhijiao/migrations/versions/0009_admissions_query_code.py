"""admissions: 查询码 (a keyed HMAC of 考生号 + code) as the look-up's second factor

Revision ID: 0009_admissions_query_code
Revises: 0008_webui
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_admissions_query_code"
down_revision = "0008_webui"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("admission_results", sa.Column("query_hmac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("admission_results", "query_hmac")
