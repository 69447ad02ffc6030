"""Agent tools: HTTP tools, MCP servers, approval policies, and approvals of tool calls.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def _definitions(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("definition", JsonDocument, nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=f"fk_{table}_agent_id_agents", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("agent_id", "name", name=f"uq_{table}_name"),
    )


def upgrade() -> None:
    _definitions("agent_http_tools")
    _definitions("agent_mcp_servers")
    op.create_table(
        "agent_tool_policies",
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("tool_name", sa.String(128), nullable=False),
        sa.Column("requires_approval", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name="fk_agent_tool_policies_agent_id_agents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", "tool_name", name="pk_agent_tool_policies"),
    )
    op.create_table(
        "approvals",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("contact_jid", sa.String(128), nullable=False),
        sa.Column("tool", sa.String(128), nullable=False),
        sa.Column("arguments", JsonDocument, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        _when("created_at"),
        _when("expires_at"),
        _when("decided_at", True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("state", JsonDocument, nullable=False),
        sa.Column("result", JsonDocument, nullable=True),
        _when("finished_at", True),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
    )
    op.create_index("ix_approvals_status", "approvals", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_approvals_status", table_name="approvals")
    op.drop_table("approvals")
    op.drop_table("agent_tool_policies")
    op.drop_table("agent_mcp_servers")
    op.drop_table("agent_http_tools")
