"""Tokens and deliveries: users' token generation, the bridge time of a session's last
status, and the webhook deliveries already applied.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (SQLite >= 3.35 has both): a batch copy of ``users`` or ``sessions``
# would drop the old table, and its ON DELETE CASCADE children with it.
def upgrade() -> None:
    op.add_column(
        "users", sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("sessions", sa.Column("status_reported_at", UtcDateTime(), nullable=True))
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(256), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
    )
    op.create_index("ix_webhook_deliveries_received", "webhook_deliveries", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_received", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_column("sessions", "status_reported_at")
    op.drop_column("users", "token_generation")
