"""Members' chat accounts move to their own table (issue 21): one row per member
and platform, so a platform is a key an adapter passes, not a column here.
The Slack and Teams ids members already have are copied across, then their
columns go.

Revision ID: 0009_identities
Revises: 0008_speed
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_identities'
down_revision: str | None = '0008_speed'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns the accounts came from, by the platform key their adapters pass.
OLD_COLUMNS = {'slack': 'slack_user_id', 'teams': 'teams_aad_id'}


def upgrade() -> None:
    op.create_table('member_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(), nullable=False),
    sa.Column('external_id', sa.String(), nullable=False),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_identities_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_identities')),
    sa.UniqueConstraint('member_id', 'platform', name=op.f('uq_member_identities_member_id_platform')),
    sa.UniqueConstraint('platform', 'external_id', name=op.f('uq_member_identities_platform_external_id'))
    )
    for platform, column in OLD_COLUMNS.items():
        op.execute(sa.text(
            f"INSERT INTO member_identities (member_id, platform, external_id, email) "
            f"SELECT id, :platform, {column}, email FROM members WHERE {column} IS NOT NULL"
        ).bindparams(platform=platform))
    # Batch mode without the copy SQLite batch mode would make of ``members``: with foreign keys on,
    # dropping a table other rows refer to fails, and a copy would lose the lower(email) index.
    # SQLite (3.35 and later) drops an unindexed column in place.
    with op.batch_alter_table('members', recreate='never') as batch:
        for column in OLD_COLUMNS.values():
            batch.drop_index(f'ix_members_{column}')
            batch.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table('members', recreate='never') as batch:
        for column in OLD_COLUMNS.values():
            batch.add_column(sa.Column(column, sa.String(), nullable=True))
            batch.create_index(f'ix_members_{column}', [column])
    for platform, column in OLD_COLUMNS.items():
        op.execute(sa.text(
            f"UPDATE members SET {column} = (SELECT external_id FROM member_identities AS i "
            f"WHERE i.member_id = members.id AND i.platform = :platform)"
        ).bindparams(platform=platform))
    op.drop_table('member_identities')
