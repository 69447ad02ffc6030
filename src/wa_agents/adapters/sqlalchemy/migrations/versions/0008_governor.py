"""The send governor: each number's budget overrides (``sessions.send_policy``, JSON).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import JsonDocument

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch copy: SQLite would recreate ``sessions`` and its
# ON DELETE CASCADE would empty every table that refers to it.
def upgrade() -> None:
    op.add_column("sessions", sa.Column("send_policy", JsonDocument, nullable=True))


def downgrade() -> None:
    op.drop_column("sessions", "send_policy")  # SQLite 3.35+ drops a column in place
