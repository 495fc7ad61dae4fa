"""exemption preference: the courses a learner wants exempted first (issue 13)

Revision ID: 0007_exemption_preference
Revises: 0006_admissions
Create Date: 2026-12-02 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_exemption_preference"
down_revision = "0006_admissions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no batch copy: conversion_applications is referenced by other tables)
    op.add_column(
        "conversion_applications",
        sa.Column("preferred_courses", sa.JSON(), server_default="[]", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("conversion_applications", "preferred_courses")
