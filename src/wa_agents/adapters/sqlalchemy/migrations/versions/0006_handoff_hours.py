"""Handoff: when a conversation last changed hands, and who switched it.

(An agent's handoff policy, business hours and enabled commands live in its ``functions``
JSON document beside its tools, so they need no column.)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as conversations:
        conversations.add_column(sa.Column("mode_changed_at", UtcDateTime(), nullable=True))
        conversations.add_column(sa.Column("mode_by", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as conversations:
        conversations.drop_column("mode_by")
        conversations.drop_column("mode_changed_at")
