"""Managed memory and cost: conversation summaries, per-turn usage, contact JID aliases.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as conversations:
        conversations.add_column(sa.Column("summary", sa.Text(), nullable=True))
        conversations.add_column(_when("summary_through_at", True))
        conversations.add_column(sa.Column("summary_through_id", sa.String(40), nullable=True))
        conversations.add_column(_when("summary_updated_at", True))
    op.create_table(
        "turn_usage",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=True),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("contact_jid", sa.String(128), nullable=False),
        sa.Column("message_id", sa.String(40), nullable=True),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("prompt_version", sa.String(32), nullable=False),
        sa.Column("tokens_in", sa.Integer(), nullable=False),
        sa.Column("tokens_out", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("tool_calls", JsonDocument, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_turn_usage"),
    )
    op.create_index("ix_turn_usage_time", "turn_usage", ["created_at"])
    op.create_index("ix_turn_usage_agent_time", "turn_usage", ["agent_id", "created_at"])
    op.create_index("ix_turn_usage_contact", "turn_usage", ["session_id", "contact_jid"])
    op.create_table(
        "contact_aliases",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("alias_jid", sa.String(128), nullable=False),
        sa.Column("contact_jid", sa.String(128), nullable=False),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_contact_aliases_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "alias_jid", name="pk_contact_aliases"),
    )


def downgrade() -> None:
    op.drop_table("contact_aliases")
    op.drop_table("turn_usage")
    with op.batch_alter_table("conversations") as conversations:
        conversations.drop_column("summary_updated_at")
        conversations.drop_column("summary_through_id")
        conversations.drop_column("summary_through_at")
        conversations.drop_column("summary")
