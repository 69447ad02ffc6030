"""Knowledge: documents and chunks per agent; messages remember when they were indexed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from wa_agents.adapters.sqlalchemy.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("messages") as messages:
        messages.add_column(_when("indexed_at", True))
    op.create_index(
        "ix_messages_unindexed", "messages", ["session_id", "contact_jid", "indexed_at"]
    )
    op.create_table(
        "knowledge_documents",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(255), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("indexed_at", True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name="fk_knowledge_documents_agent_id_agents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_documents"),
        sa.UniqueConstraint("agent_id", "title", name="uq_knowledge_documents_title"),
    )
    op.create_index(
        "ix_knowledge_documents_created",
        "knowledge_documents",
        ["agent_id", "created_at", "id"],
    )
    op.create_table(
        "knowledge_chunks",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("document_id", sa.String(40), nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["knowledge_documents.id"],
            name="fk_knowledge_chunks_document_id_knowledge_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_knowledge_chunks"),
    )
    op.create_index("ix_knowledge_chunks_document", "knowledge_chunks", ["document_id", "position"])


def downgrade() -> None:
    op.drop_table("knowledge_chunks")
    op.drop_table("knowledge_documents")
    op.drop_index("ix_messages_unindexed", table_name="messages")
    with op.batch_alter_table("messages") as messages:
        messages.drop_column("indexed_at")
