"""Indexes for queries that fetch what a command shows (issue 23): one workstream's open
actions by due date, unresolved issues by age, processed event ids by age for pruning.

Revision ID: 0008_speed
Revises: 0007_inout
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0008_speed'
down_revision: str | None = '0007_inout'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_actions_workstream_status_due', 'actions', ['workstream_id', 'status', 'due'])
    op.create_index('ix_issues_status_raised_at', 'issues', ['status', 'raised_at'])
    op.create_index('ix_processed_events_seen_at', 'processed_events', ['seen_at'])


def downgrade() -> None:
    op.drop_index('ix_processed_events_seen_at', table_name='processed_events')
    op.drop_index('ix_issues_status_raised_at', table_name='issues')
    op.drop_index('ix_actions_workstream_status_due', table_name='actions')
