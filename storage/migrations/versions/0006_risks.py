"""Risk register (risks, their events and mitigating actions) and dashboard measures with their values

Revision ID: 0006_risks
Revises: 0005_meetings
Create Date: 2026-12-01 20:42:44.715782
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_risks'
down_revision: str | None = '0005_meetings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('every_months', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Boolean(), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=True),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['members.id'], name=op.f('fk_measures_created_by_members')),
    sa.ForeignKeyConstraint(['owner_id'], ['members.id'], name=op.f('fk_measures_owner_id_members')),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstreams.id'], name=op.f('fk_measures_workstream_id_workstreams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measures'))
    )
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measures_owner_id'), ['owner_id'], unique=False)

    op.create_table('risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('impact', sa.String(), nullable=False),
    sa.Column('strategy', sa.String(length=20), nullable=False),
    sa.Column('score', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_due', sa.Date(), nullable=False),
    sa.Column('review_months', sa.Integer(), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('mitigation', sa.String(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['members.id'], name=op.f('fk_risks_created_by_members')),
    sa.ForeignKeyConstraint(['owner_id'], ['members.id'], name=op.f('fk_risks_owner_id_members')),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstreams.id'], name=op.f('fk_risks_workstream_id_workstreams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_status'), ['status'], unique=False)

    op.create_table('measure_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_values_measure_id_measures')),
    sa.ForeignKeyConstraint(['recorded_by'], ['members.id'], name=op.f('fk_measure_values_recorded_by_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_values'))
    )
    with op.batch_alter_table('measure_values', schema=None) as batch_op:
        batch_op.create_index('ix_measure_values_measure_id_period', ['measure_id', 'period'], unique=False)

    op.create_table('risk_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_risk_events_actor_id_members')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_risk_events_risk_id_risks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_events'))
    )
    with op.batch_alter_table('risk_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_events_risk_id'), ['risk_id'], unique=False)

    op.create_table('risk_actions',
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_risk_actions_action_id_actions')),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_risk_actions_risk_id_risks')),
    sa.PrimaryKeyConstraint('risk_id', 'action_id', name=op.f('pk_risk_actions'))
    )
    with op.batch_alter_table('risk_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_actions_action_id'), ['action_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('risk_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_actions_action_id'))

    op.drop_table('risk_actions')
    with op.batch_alter_table('risk_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_events_risk_id'))
        batch_op.drop_index(batch_op.f('ix_risk_events_at'))

    op.drop_table('risk_events')
    with op.batch_alter_table('measure_values', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_values_measure_id_period')

    op.drop_table('measure_values')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_status'))
        batch_op.drop_index(batch_op.f('ix_risks_owner_id'))

    op.drop_table('risks')
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measures_owner_id'))

    op.drop_table('measures')
