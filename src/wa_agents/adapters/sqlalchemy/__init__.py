"""SQLAlchemy 2.0 adapters: SQLite (embedded default) and PostgreSQL (psycopg)."""

from wa_agents.adapters.sqlalchemy.database import Database, DatabaseUnavailable, sqlite_url
from wa_agents.adapters.sqlalchemy.jobs import SqlAlchemyJobOutbox, SqlAlchemyJobQueue
from wa_agents.adapters.sqlalchemy.unit_of_work import (
    SqlAlchemyUnitOfWork,
    SqlAlchemyUnitOfWorkFactory,
)

__all__ = [
    "Database",
    "DatabaseUnavailable",
    "SqlAlchemyJobOutbox",
    "SqlAlchemyJobQueue",
    "SqlAlchemyUnitOfWork",
    "SqlAlchemyUnitOfWorkFactory",
    "sqlite_url",
]
