"""items.date_precision: how much of a publication date is known

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows already stored were written with whole dates, so "day" is what they hold.
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_precision', sa.String(length=5), server_default='day',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('date_precision')
