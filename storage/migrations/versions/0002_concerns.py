"""Parents' concerns: guests (not yet on the board), the HWB summary and decision,
themes and shareable outcomes, and messages held until their sender chooses.

Revision ID: 0002_concerns
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_concerns'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ISSUE_TEXTS = ('summary', 'theme', 'outcome', 'decision')


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy), so SQLite keeps the lower(email) index.
    op.add_column('members', sa.Column('guest', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('issues', sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    for name in ISSUE_TEXTS:
        op.add_column('issues', sa.Column(name, sa.String(), nullable=True))
    op.create_table('held_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('issue_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_held_messages_issue_id_issues')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_held_messages_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_messages'))
    )
    op.create_index('ix_held_messages_member_id', 'held_messages', ['member_id'])


def downgrade() -> None:
    op.drop_index('ix_held_messages_member_id', table_name='held_messages')
    op.drop_table('held_messages')
    with op.batch_alter_table('issues') as batch:
        for name in ('closed_at', *ISSUE_TEXTS):
            batch.drop_column(name)
    with op.batch_alter_table('members') as batch:
        batch.drop_column('guest')
