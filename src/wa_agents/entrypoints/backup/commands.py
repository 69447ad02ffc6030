"""What ``wa-agents backup`` and ``restore`` do, once the command line is read."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from wa_agents.entrypoints.backup import postgres, sqlite
from wa_agents.entrypoints.backup.files import BackupError, default_name
from wa_agents.entrypoints.keys import KEY_FILE
from wa_agents.entrypoints.settings import Settings


def execute(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if settings.storage != "sql":
            raise BackupError("WA_DATABASE_URL=memory keeps nothing: there is nothing to back up")
        url = settings.resolved_database_url
        message = (_backup if args.command == "backup" else _restore)(settings, url, args)
    except BackupError as exc:
        print(f"wa-agents: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database or "") if parsed.get_backend_name() == "sqlite" else None


def _backup(settings: Settings, url: str, args: argparse.Namespace) -> str:
    database = _sqlite_file(url)
    if database is None:
        output = args.output or default_name(".dump")
        postgres.backup(url, output)
        return f"backup written to {output} (pg_dump custom format)" + _key_note(settings)
    output = args.output or default_name(".sqlite3")
    revision = sqlite.backup(database, output)
    return f"backup written to {output} (SQLite, revision {revision})" + _key_note(settings)


def _restore(settings: Settings, url: str, args: argparse.Namespace) -> str:
    database = _sqlite_file(url)
    if database is None:
        postgres.restore(args.file, url, force=args.force)
        return f"restored {args.file}; run `wa-agents migrate` if this release is newer"
    revision, safety = sqlite.restore(args.file, database, force=args.force)
    kept = f"; the database it replaced is kept at {safety}" if safety else ""
    return f"restored {args.file} into {database} (revision {revision}){kept}"


def _key_note(settings: Settings) -> str:
    key = Path(settings.data_dir) / KEY_FILE
    if settings.secret_key or not key.is_file():
        return ""
    return f"\nthe signing key is not in the backup: keep {key} (or set WA_SECRET_KEY) apart"
