"""Alembic migrations, shipped inside the package (``wa-agents migrate``)."""
