"""``agents.tools_version``: moved by every change to an agent's tools or policies, read with
the agent, so a process's cache of tool definitions knows when it is stale.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, never a batch copy (see 0008: SQLite would recreate ``agents``).
def upgrade() -> None:
    op.add_column(
        "agents", sa.Column("tools_version", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("agents", "tools_version")
