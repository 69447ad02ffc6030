"""Jobs committed in one process wake idle workers in another: PostgreSQL LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import psycopg

from tests.support.databases import postgres_database
from wa_agents.adapters.memory import ManualClock, SystemClock
from wa_agents.adapters.sqlalchemy.job_signals import PostgresJobSignals, channel_for, libpq_url
from wa_agents.domain.services.job_bell import JobBell


async def started(url: str, bell: JobBell) -> PostgresJobSignals:
    signals = PostgresJobSignals(url, bell)
    await signals.start()
    await asyncio.wait_for(signals.listening.wait(), 10)
    return signals


async def test_a_commit_in_one_process_rings_the_other_and_not_itself_twice() -> None:
    async with postgres_database() as database:
        clock = SystemClock()
        here, there = JobBell(clock), JobBell(clock)
        a, b = await started(database.url, here), await started(database.url, there)
        try:
            here.enqueued([clock.now()])
            assert await here.wait(1) is True  # its own ring, at once
            assert await there.wait(5) is True  # through NOTIFY
            await asyncio.sleep(0.3)
            assert await here.wait(0.2) is False  # its own notification was skipped
        finally:
            await a.stop()
            await b.stop()


async def test_a_job_due_later_rings_the_other_process_when_due() -> None:
    async with postgres_database() as database:
        clock = SystemClock()
        here, there = JobBell(clock), JobBell(clock)
        a, b = await started(database.url, here), await started(database.url, there)
        try:
            here.enqueued([clock.now() + timedelta(seconds=0.5)])
            assert await there.wait(0.3) is False
            assert await there.wait(5) is True
        finally:
            await a.stop()
            await b.stop()


async def test_malformed_notifications_and_other_schemas_are_ignored() -> None:
    async with postgres_database() as database, postgres_database() as elsewhere:
        assert channel_for(database.url) != channel_for(elsewhere.url)
        bell = JobBell(ManualClock(datetime(2026, 1, 1, tzinfo=UTC)))
        signals = await started(database.url, bell)
        try:
            other = JobBell(SystemClock())
            noisy = await started(elsewhere.url, other)
            other.enqueued([datetime.now(UTC)])
            async with await psycopg.AsyncConnection.connect(
                libpq_url(database.url), autocommit=True
            ) as connection:
                await connection.execute("SELECT pg_notify(%s, %s)", (signals.channel, "not json"))
            assert await bell.wait(0.5) is False
            await noisy.stop()
        finally:
            await signals.stop()
