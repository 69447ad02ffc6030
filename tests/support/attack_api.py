"""The served API for the attack suite: real HTTP, SQLite or PostgreSQL, a clock tests can skip.

``attack_api(backend, tmp_path)`` serves ``create_app`` with uvicorn on a real store: a file
SQLite database, or a private schema on the PostgreSQL server (``WA_TEST_POSTGRES_URL``)
migrated to head and dropped afterwards. The server's clock is the host's plus an offset a
test moves forward (``api.clock.skip(901)``) to reach a token's expiry without waiting.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from dependency_injector import providers
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.databases import postgres_url
from wa_agents.adapters.sqlalchemy import Database
from wa_agents.entrypoints.http import create_app
from wa_agents.entrypoints.http.throttle import Limit, LoginThrottle
from wa_agents.ports.clock import Clock

JID = "15551230000@s.whatsapp.net"
# the suite logs in far more often than a person; the throttle has tests of its own
GENEROUS = LoginThrottle(per_address=Limit(10_000, 60), per_account=Limit(10_000, 60))


class SkewedClock(Clock):
    """The host's clock, plus however far a test has skipped ahead."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def skip(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


class AttackApi(Api):
    clock: SkewedClock


@contextmanager
def _postgres_schema() -> Iterator[str]:
    url = postgres_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    sync_url = make_url(url).set(drivername="postgresql+psycopg")
    admin = create_engine(sync_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = scoped.render_as_string(hide_password=False)
    try:

        async def migrate() -> None:
            database = Database(rendered)
            try:
                await database.migrate()
            finally:
                await database.close()

        asyncio.run(migrate())
        yield rendered
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def _database_url(backend: str, directory: Path) -> Iterator[str]:
    if backend == "postgres":
        with _postgres_schema() as url:
            yield url
    else:
        yield f"sqlite+aiosqlite:///{directory / 'attack.db'}"


@contextmanager
def attack_api(backend: str, directory: Path, **settings: Any) -> Iterator[AttackApi]:
    with _database_url(backend, directory) as url:
        container = api_container(api_settings(directory, database_url=url, **settings))
        clock = SkewedClock()
        container.clock.override(providers.Object(clock))
        with serving(create_app(container, throttle=GENEROUS)) as base:
            api = AttackApi(base, container)
            api.clock = clock
            try:
                yield api
            finally:
                api.http.close()


def linked_session(api: Api, session_id: str = "shop") -> None:
    """A sandbox number, linked, with no agent (so nothing replies)."""
    admin = api.client(api.token())
    assert admin.post("/api/v1/sessions", json={"id": session_id}).status_code == 201
    scanned = admin.post(f"/api/v1/sandbox/sessions/{session_id}/scan")
    assert scanned.json()["status"] == "connected", scanned.text


def say(api: Api, text_: str, session_id: str = "shop") -> None:
    """A WhatsApp user writes to the number: a ``message.new`` event with ``text_``."""
    admin = api.client(api.token())
    sent = admin.post(
        f"/api/v1/sandbox/sessions/{session_id}/inbound", json={"from": JID, "text": text_}
    )
    assert sent.status_code == 202, sent.text


class Listener:
    """Reads a live event stream in a thread; ``lines`` gets every line, ``ended`` is set
    when the server closes it."""

    def __init__(self, url: str, params: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.ended = threading.Event()
        self.status = 0
        self.seen: list[str] = []
        self._opened = threading.Event()
        self._thread = threading.Thread(
            target=self._read, args=(url, params or {}, kwargs), daemon=True
        )
        self._thread.start()
        assert self._opened.wait(10), "the stream did not open"

    def _read(self, url: str, params: dict[str, str], kwargs: dict[str, Any]) -> None:
        try:
            with httpx.stream("GET", url, params=params, timeout=30, **kwargs) as response:
                self.status = response.status_code
                self._opened.set()
                for line in response.iter_lines():
                    self.seen.append(line)
                    self.lines.put(line)
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()
            self.ended.set()

    def wait_for(self, fragment: str, seconds: float = 10) -> str:
        deadline = threading.Event()
        timer = threading.Timer(seconds, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                try:
                    line = self.lines.get(timeout=0.1)
                except queue.Empty:
                    if self.ended.is_set():
                        break
                    continue
                if fragment in line:
                    return line
        finally:
            timer.cancel()
        raise AssertionError(f"{fragment!r} never came; saw {self.seen}")
