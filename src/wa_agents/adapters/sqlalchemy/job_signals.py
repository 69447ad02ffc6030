"""Jobs committed in one process wake idle workers in the others: PostgreSQL LISTEN/NOTIFY.

Each process listens on the ``wa_jobs`` channel with a connection of its own and, after a
commit that enqueued jobs, notifies it with the jobs' due times (``{"from": <this process>,
"due": [epoch seconds, ...]}``); a listener rings its ``JobBell`` for each due time, skipping
its own notifications (its bell rang already). A notification is only a hint: a lost one
(a dropped connection, a process restarting) costs at most a worker's periodic look at the
queue, never a job. Both connections reconnect with backoff and say so in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import psycopg
from sqlalchemy.engine import make_url

from wa_agents.domain.services.job_bell import JobBell

CHANNEL = "wa_jobs"
MOST_DUE_TIMES = 200  # NOTIFY payloads stay far below PostgreSQL's 8000-byte limit
log = logging.getLogger("wa_agents.jobs")


def libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def channel_for(url: str) -> str:
    """Channels span a database, schemas do not: deployments sharing one database in separate
    schemas (``options=-csearch_path=...``) get a channel each."""
    options = str(make_url(url).query.get("options", ""))
    if not options:
        return CHANNEL
    return f"{CHANNEL}_{hashlib.sha256(options.encode()).hexdigest()[:12]}"


class PostgresJobSignals:
    def __init__(self, url: str, bell: JobBell) -> None:
        self._url, self._bell = libpq_url(url), bell
        self.channel = channel_for(url)
        self._me = secrets.token_hex(8)
        self._outgoing: asyncio.Queue[str] = asyncio.Queue(maxsize=1000)
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()  # set while the listener is subscribed

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._listen(), name="job-signals-listen"),
            asyncio.create_task(self._notify(), name="job-signals-notify"),
        ]
        self._bell.connect(self.publish)

    async def stop(self) -> None:
        self._bell.connect(None)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def publish(self, due: Sequence[datetime]) -> None:
        payload = {"from": self._me, "due": [t.timestamp() for t in due[:MOST_DUE_TIMES]]}
        with contextlib.suppress(asyncio.QueueFull):  # a hint: the workers' look finds them
            self._outgoing.put_nowait(json.dumps(payload, separators=(",", ":")))

    def _heard(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            if message.get("from") == self._me:
                return
            due = [datetime.fromtimestamp(float(t), UTC) for t in message["due"]]
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("ignored a malformed %s notification", self.channel)
            return
        for at in due:
            self._bell.ring(at)

    async def _listen(self) -> None:
        pause = 1.0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {self.channel}")
                    self.listening.set()
                    pause = 1.0
                    async for notification in connection.notifies():
                        self._heard(notification.payload)
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("job signals: listening failed (%s); again in %.0f s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)

    async def _notify(self) -> None:
        pause = 1.0
        while True:
            payload = await self._outgoing.get()
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True
                ) as connection:
                    pause = 1.0
                    while True:
                        await connection.execute(
                            "SELECT pg_notify(%s, %s)", (self.channel, payload)
                        )
                        payload = await self._outgoing.get()
            except psycopg.Error as exc:
                log.warning("job signals: notifying failed (%s); again in %.0f s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)
