"""Data protection: the audit trail becomes a hash chain with field-level changes.

Entries already in ``audit_log`` are chained in id order with the same
canonical form storage.audit uses (frozen here: migrations never import
application code), so ``partnerbot audit verify`` passes on an upgraded board.

Revision ID: 0004_privacy
Revises: 0002_concerns
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_privacy'
down_revision: str | None = '0002_concerns'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
NEW_COLUMNS = ('command', 'entity', 'entity_id', 'changes', 'seq', 'prev_hash', 'digest', 'hash')


def _iso(at: dt.datetime) -> str:
    return (at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)).isoformat()


def _chain_existing(conn: sa.Connection) -> tuple[int, str]:
    log = sa.table('audit_log', sa.column('at', sa.DateTime(timezone=True)), sa.column('changes', sa.JSON()),
                   *(sa.column(n) for n in ('id', 'actor_id', 'verb', 'ref', 'detail', 'seq', 'prev_hash', 'digest',
                                            'hash')))
    rows = conn.execute(sa.select(log.c.id, log.c.at, log.c.actor_id, log.c.verb, log.c.ref, log.c.detail)
                        .order_by(log.c.id)).all()
    prev, seq = GENESIS, 0
    for row in rows:
        seq += 1
        content = {"at": _iso(row.at), "actor_id": row.actor_id, "verb": row.verb, "ref": row.ref,
                   "detail": row.detail, "command": None, "entity": None, "entity_id": None, "changes": {}}
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"),
                                           ensure_ascii=False).encode()).hexdigest()
        prev_hash, prev = prev, hashlib.sha256((prev + digest).encode()).hexdigest()
        conn.execute(sa.update(log).where(log.c.id == row.id).values(
            seq=seq, changes={}, prev_hash=prev_hash, digest=digest, hash=prev))
    return seq, prev


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.add_column(sa.Column('command', sa.String(), nullable=True))
        batch.add_column(sa.Column('entity', sa.String(), nullable=True))
        batch.add_column(sa.Column('entity_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('changes', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('prev_hash', sa.String(), nullable=True))
        batch.add_column(sa.Column('digest', sa.String(), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(), nullable=True))
    op.create_table('trail_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trail_head'))
    )
    seq, head = _chain_existing(op.get_bind())
    if seq:
        op.get_bind().execute(sa.text("INSERT INTO trail_head (id, seq, hash) VALUES (1, :seq, :hash)"),
                              {"seq": seq, "hash": head})
    with op.batch_alter_table('audit_log') as batch:
        for name in ('changes', 'seq', 'prev_hash', 'digest', 'hash'):
            batch.alter_column(name, nullable=False)
        batch.create_unique_constraint(op.f('uq_audit_log_seq'), ['seq'])
        batch.create_index(op.f('ix_audit_log_actor_id'), ['actor_id'])
        batch.create_index(op.f('ix_audit_log_ref'), ['ref'])
        batch.create_index('ix_audit_log_entity', ['entity', 'entity_id'])


def downgrade() -> None:
    op.drop_table('trail_head')
    with op.batch_alter_table('audit_log') as batch:
        batch.drop_index('ix_audit_log_entity')
        batch.drop_index(op.f('ix_audit_log_ref'))
        batch.drop_index(op.f('ix_audit_log_actor_id'))
        batch.drop_constraint(op.f('uq_audit_log_seq'), type_='unique')
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
