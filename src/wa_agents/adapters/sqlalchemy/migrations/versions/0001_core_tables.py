"""The original design's tables: users, agents, sessions, messages, logs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("hashed_password", sa.String(512), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("failed_login_attempts", sa.Integer(), nullable=False),
        _when("last_failed_login", True),
        _when("locked_until", True),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True)
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    op.create_index("ix_users_created", "users", ["created_at", "id"])
    op.create_table(
        "agents",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("system_prompt", sa.Text(), nullable=False),
        sa.Column("functions", JsonDocument, nullable=False),
        sa.Column("temperature", sa.Float(), nullable=False),
        sa.Column("max_history_tokens", sa.Integer(), nullable=False),
        sa.Column("unsupported_media_reply", sa.Text(), nullable=False),
        sa.Column("debounce_ms", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_agents"),
    )
    op.create_index("ix_agents_created", "agents", ["created_at", "id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("phone_number", sa.String(32), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("qr_code", sa.Text(), nullable=True),
        _when("qr_expires_at", True),
        sa.Column("agent_id", sa.String(40), nullable=True),
        _when("connected_at", True),
        _when("disconnected_at", True),
        sa.Column("send_min_interval_ms", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name="fk_sessions_agent_id_agents", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("contact_jid", sa.String(128), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("message_type", sa.String(16), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("media_url", sa.Text(), nullable=True),
        sa.Column("metadata", JsonDocument, nullable=False),
        sa.Column("wa_message_id", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _when("timestamp"),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name="fk_messages_session_id_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.UniqueConstraint("session_id", "direction", "wa_message_id", name="uq_messages_wa_id"),
    )
    op.create_index(
        "ix_messages_history", "messages", ["session_id", "contact_jid", "timestamp", "id"]
    )
    op.create_index(
        "ix_messages_pending", "messages", ["session_id", "contact_jid", "direction", "status"]
    )
    op.create_table(
        "logs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", JsonDocument, nullable=False),
        sa.Column("session_id", sa.String(64), nullable=True),
        _when("timestamp"),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_logs_session_id_sessions", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_logs"),
    )
    op.create_index("ix_logs_time", "logs", ["timestamp", "id"])
    op.create_index("ix_logs_level_time", "logs", ["level", "timestamp"])
    op.create_index("ix_logs_session_time", "logs", ["session_id", "timestamp"])


def downgrade() -> None:
    for table in ("logs", "messages", "sessions", "agents", "users"):
        op.drop_table(table)
