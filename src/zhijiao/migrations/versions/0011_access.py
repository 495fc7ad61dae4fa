"""access grants: a learner lets an institution record into their account (decision 0016)

Revision ID: 0011_access
Revises: 0010_ledger_lz4
Create Date: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0011_access"
down_revision = "0010_ledger_lz4"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('access_grants',
    sa.Column('account_id', _ID, nullable=False),
    sa.Column('institution_id', _ID, nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['learning_accounts.id'], name=op.f('fk_access_grants_account_id_learning_accounts')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_access_grants_institution_id_institutions')),
    sa.PrimaryKeyConstraint('account_id', 'institution_id', name=op.f('pk_access_grants')),
    comment='pii: which institutions a learner lets record into their account'
    )


def downgrade() -> None:
    op.drop_table('access_grants')
