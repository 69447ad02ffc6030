"""``wa-agents backup`` and ``restore``: a live SQLite database, and PostgreSQL with pg_dump."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.databases import postgres_database
from tests.support.server_process import ServerProcess
from wa_agents.adapters.sqlalchemy import Database
from wa_agents.adapters.sqlalchemy.migrations.runner import head_revision
from wa_agents.entrypoints.cli import main

ROWS_PER_BATCH = 5
# Writes batches of log rows, one transaction each, until told to stop (bounded in time).
WRITER = f"""
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
stop, deadline, batch = sys.argv[2], time.monotonic() + 60, 0
while time.monotonic() < deadline:
    db.execute("BEGIN IMMEDIATE")
    for row in range({ROWS_PER_BATCH}):
        db.execute(
            "INSERT INTO logs (id, level, source, message, details, timestamp) "
            "VALUES (?, 'info', 'backup-test', ?, '{{}}', '2026-01-01 00:00:00')",
            (f"{{batch}}-{{row}}", f"batch {{batch}}"),
        )
    db.execute("COMMIT")
    batch += 1
    try:
        open(stop).close()
        break
    except FileNotFoundError:
        time.sleep(0.002)
"""


def batches(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT message, count(*) FROM logs WHERE source = 'backup-test' GROUP BY message"
        ).fetchall()
    return dict(rows)


def wa_agents(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WA_DATABASE_URL", "WA_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WA_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


async def migrations(database: Path) -> str:
    handle = Database(f"sqlite+aiosqlite:///{database}")
    try:
        return str((await handle.readiness())["migrations"])
    finally:
        await handle.close()


@pytest.mark.slow
def test_a_live_database_is_backed_up_while_written_and_restored(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, backup, stop = data_dir / "wa_agents.db", tmp_path / "b.sqlite3", tmp_path / "stop"
    server = ServerProcess({"WA_DATA_DIR": str(data_dir)}, tmp_path / "server.log")
    server.start()  # it migrates the file and holds it open
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(database), str(stop)])
    try:
        while len(batches(database)) < 20:
            time.sleep(0.05)
        code, out = wa_agents(capsys, "backup", "--output", str(backup))
        time.sleep(0.3)  # the writer goes on after the snapshot
        stop.touch()
        assert writer.wait(timeout=60) == 0
        assert code == 0, out
        assert f"backup written to {backup} (SQLite, revision {head_revision()})" in out
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        saved, final = batches(backup), batches(database)
        assert set(saved.values()) == {ROWS_PER_BATCH}, "a transaction was split by the backup"
        assert 20 <= len(saved) < len(final)

        code, out = wa_agents(capsys, "restore", str(backup))
        assert code == 1 and "is open in another process" in out
        assert batches(database) == final
    finally:
        stop.touch()
        writer.kill()
        server.stop()

    code, out = wa_agents(capsys, "restore", str(backup))
    assert code == 0, out
    assert batches(database) == saved
    [kept] = data_dir.glob("wa_agents.db.before-restore-*")
    assert batches(kept) == final and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert asyncio.run(migrations(database)) == "current"


def test_restore_refuses_a_file_that_is_not_a_backup(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    code, out = wa_agents(capsys, "restore", str(junk))
    assert code == 1 and "not a wa_agents SQLite database" in out
    assert not (data_dir / "wa_agents.db").exists()


def test_a_backup_never_overwrites_a_file_and_needs_a_database(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "exists.sqlite3"
    code, out = wa_agents(capsys, "backup", "--output", str(target))
    assert code == 1 and "there is no SQLite database" in out
    assert main(["migrate"]) == 0
    target.write_text("keep me")
    code, out = wa_agents(capsys, "backup", "--output", str(target))
    assert code == 1 and "exists already" in out
    assert target.read_text() == "keep me"
    assert list(tmp_path.glob(".exists.sqlite3*")) == []


def test_memory_storage_has_nothing_to_back_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WA_DATABASE_URL", "memory")
    code, out = wa_agents(capsys, "backup")
    assert code == 1 and "nothing to back up" in out


async def test_postgres_without_pg_dump_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WA_DATABASE_URL", "postgresql+psycopg://wa@127.0.0.1:9/wa")
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out = wa_agents(capsys, "backup", "--output", str(tmp_path / "x.dump"))
    assert code == 1 and "pg_dump is not on PATH" in out and "postgresql-client" in out
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.postgres
async def test_postgres_backup_and_restore_of_a_private_schema(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not on PATH")
    dump = tmp_path / "wa.dump"
    async with postgres_database(migrate=True) as database:
        monkeypatch.setenv("WA_DATABASE_URL", database.url)

        async def messages() -> list[str]:
            async with database.engine.connect() as connection:
                rows = await connection.execute(text("SELECT message FROM logs ORDER BY id"))
                return [row[0] for row in rows]

        async def write(statement: str) -> None:
            async with database.engine.begin() as connection:
                await connection.execute(text(statement))

        await write(
            "INSERT INTO logs (id, level, source, message, details, timestamp) VALUES "
            "('a', 'info', 't', 'first', '{}', now()), ('b', 'info', 't', 'second', '{}', now())"
        )
        code, out = wa_agents(capsys, "backup", "--output", str(dump))
        assert code == 0, out
        assert stat.S_IMODE(dump.stat().st_mode) == 0o600
        await write("DELETE FROM logs WHERE id = 'a'")

        code, out = wa_agents(capsys, "restore", str(dump))
        assert code == 1 and "already holds wa_agents tables" in out
        assert await messages() == ["second"]
        await database.engine.dispose()  # pg_restore --clean drops tables: no open connections
        code, out = wa_agents(capsys, "restore", "--force", str(dump))
        assert code == 0, out
        assert await messages() == ["first", "second"]
