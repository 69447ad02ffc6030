"""PostgreSQL: ``pg_dump`` and ``pg_restore`` (custom format), run with the configured URL.

The password travels in ``PGPASSWORD``, never on the command line. A URL that names a schema
(``?options=-csearch_path%3Dmyschema``) backs up and restores that schema only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from wa_agents.entrypoints.backup.files import BackupError, owner_only

_SEARCH_PATH = re.compile(r"search_path\s*=\s*([A-Za-z_][A-Za-z0-9_$]*)")
GUIDANCE = (
    "install the PostgreSQL client tools of the server's major version (Debian: "
    "apt-get install postgresql-client-15), or run them where they are, e.g. "
    "`docker compose exec postgres pg_dump --format=custom -U wa wa > wa.dump`"
)


@dataclass(frozen=True, slots=True)
class Target:
    conninfo: str
    password: str | None
    schema: str | None

    @classmethod
    def from_url(cls, url: str) -> Target:
        parsed = make_url(url)
        query = {k: v if isinstance(v, str) else v[-1] for k, v in parsed.query.items()}
        found = _SEARCH_PATH.search(query.get("options", ""))
        given = {"host": parsed.host, "port": parsed.port, "dbname": parsed.database}
        given |= {"user": parsed.username, **query}
        conninfo = make_conninfo(**{k: str(v) for k, v in given.items() if v})
        return cls(conninfo, parsed.password, found.group(1) if found else None)

    @property
    def dbname(self) -> str:
        return f"--dbname={self.conninfo}"

    def run(self, tool: str, *args: str) -> None:
        binary = shutil.which(tool)
        if binary is None:
            raise BackupError(f"{tool} is not on PATH: {GUIDANCE}")
        env = {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}
        command = [binary, *args, "--no-owner", "--no-privileges"]
        result = subprocess.run(
            command, env=env, capture_output=True, text=True, umask=0o077, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")

    def holds_data(self) -> bool:
        try:
            with psycopg.connect(self.conninfo, password=self.password, connect_timeout=10) as db:
                row = db.execute("SELECT to_regclass('alembic_version')").fetchone()
        except psycopg.Error as exc:
            raise BackupError(f"cannot reach the target database: {exc}") from None
        return row is not None and row[0] is not None


def backup(url: str, output: Path) -> None:
    """Dump the database (or the URL's schema, with its ``CREATE SCHEMA``) into ``output``."""
    target = Target.from_url(url)
    scope = [f"--schema={target.schema}"] if target.schema else []
    with owner_only(output) as temporary:
        target.run("pg_dump", "--format=custom", f"--file={temporary}", *scope, target.dbname)


def restore(file: Path, url: str, *, force: bool) -> None:
    """Restore a ``wa-agents backup`` dump, dropping what it replaces (needs ``force``)."""
    if not file.is_file():
        raise BackupError(f"there is no backup file at {file}")
    target = Target.from_url(url)
    if not force and target.holds_data():
        raise BackupError(
            "the target database already holds wa_agents tables: stop every server and worker "
            "using it, then pass --force to replace them"
        )
    target.run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        target.dbname,
        str(file),
    )
