"""``wa-agents backup`` and ``wa-agents restore``: the configured database, to and from a file.

SQLite is copied online (consistent while the server runs); PostgreSQL goes through
``pg_dump``/``pg_restore``. Backup files are owner-only (0600). The signing key
(``$WA_DATA_DIR/secret_key``) is deliberately not inside: keep it, or ``WA_SECRET_KEY``, apart.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wa_agents.entrypoints.settings import Settings

__all__ = ["COMMANDS", "add_commands", "run"]
COMMANDS = ("backup", "restore")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup", help="copy the database into an owner-only file (online for SQLite)"
    )
    backup.add_argument("--output", type=Path, help="default: wa-agents-<UTC time>.sqlite3|.dump")
    restore = commands.add_parser("restore", help="replace the database with a backup file")
    restore.add_argument("file", type=Path, help="a file written by `wa-agents backup`")
    restore.add_argument(
        "--force",
        action="store_true",
        help="restore even though a server holds the database (SQLite) or it has data (PostgreSQL)",
    )


def run(settings: Settings, args: argparse.Namespace) -> int:
    from wa_agents.entrypoints.backup.commands import execute  # pg/SQLAlchemy only when used

    return execute(settings, args)
