"""Alembic environment: always run on a connection handed in by ``runner``."""

from __future__ import annotations

from alembic import context

from wa_agents.adapters.sqlalchemy.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - we never run the alembic CLI directly
    raise RuntimeError("run migrations with `wa-agents migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
