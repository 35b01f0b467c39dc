"""Meetings end to end: attendance, minutes, standing items, agenda order and presenters, non-member deputies, minutes approval.

Revision ID: 0005_meetings
Revises: 0004_privacy
Create Date: 2026-12-01 20:42:51.741951
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005_meetings'
down_revision: str | None = '0004_privacy'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('standing_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('duration', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['presenter_id'], ['members.id'], name=op.f('fk_standing_items_presenter_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_items'))
    )
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('guest', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_attendance_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minute_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_minute_entries_author_id_members')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_minute_entries_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minute_entries_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minute_entries'))
    )
    with op.batch_alter_table('minute_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minute_entries_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duration', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('standing_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agenda_items_standing_id_standing_items'), 'standing_items', ['standing_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_agenda_items_presenter_id_members'), 'members', ['presenter_id'], ['id'])

    with op.batch_alter_table('apologies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deputy_name', sa.String(), nullable=True))

    with op.batch_alter_table('workstreams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('minutes_approved_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_meetings_minutes_approved_by_members'), 'members', ['minutes_approved_by'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_minutes_approved_by_members'), type_='foreignkey')
        batch_op.drop_column('minutes_approved_by')
        batch_op.drop_column('minutes_approved_at')

    with op.batch_alter_table('workstreams', schema=None) as batch_op:
        batch_op.drop_column('closed')

    with op.batch_alter_table('apologies', schema=None) as batch_op:
        batch_op.drop_column('deputy_name')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_presenter_id_members'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_standing_id_standing_items'), type_='foreignkey')
        batch_op.drop_column('standing_id')
        batch_op.drop_column('position')
        batch_op.drop_column('duration')
        batch_op.drop_column('presenter_id')

    with op.batch_alter_table('minute_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minute_entries_meeting_id'))

    op.drop_table('minute_entries')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
    op.drop_table('standing_items')
