"""change_log: a log every search index follows from its own position, instead of an outbox

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The outbox's pending rows are not carried over: an index from before the log has no
    # position in it, so it is rebuilt from the store, which holds every pending change.
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_outbox_item_id'))
    op.drop_table('index_outbox')
    op.create_table('change_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('tx', sa.BigInteger(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_log_tx'), ['tx'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # The writing transaction's id, 64 bits with its epoch, so it never wraps around.
        op.execute("ALTER TABLE change_log ALTER COLUMN tx "
                   "SET DEFAULT (pg_current_xact_id()::text::bigint)")
    op.create_table('change_log_followers',
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('store_marks',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    # The floor exists from the start, so pruning only ever raises it (no race to insert it).
    op.execute("INSERT INTO store_marks (name, value) VALUES ('change_log_floor', 0)")


def downgrade() -> None:
    op.drop_table('store_marks')
    op.drop_table('change_log_followers')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_tx'))
    op.drop_table('change_log')
    op.create_table('index_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('index_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_outbox_item_id'), ['item_id'], unique=False)
