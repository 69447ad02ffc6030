"""``wa-agents worker`` as a separate process: it answers what another process stored."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.server_process import WA_AGENTS
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.session import Session, SessionStatus
from wa_agents.domain.services.inbound import InboundMessage, InboundService

pytestmark = pytest.mark.slow


async def store_messages(url: str, count: int) -> None:
    """What the API process does on a webhook: store the message and its turn job."""
    database = Database(url)
    await database.migrate()
    clock, ids = SystemClock(), TimeOrderedIdGenerator()
    uow = SqlAlchemyUnitOfWorkFactory(database, clock, ids)
    now = clock.now()
    async with uow() as u:
        agent = Agent(
            id="a1", name="A", model="m", system_prompt="p", created_at=now, updated_at=now
        )
        await u.agents.add(agent)
        await u.sessions.add(
            Session(
                id="shop",
                status=SessionStatus.CONNECTED,
                agent_id="a1",
                created_at=now,
                updated_at=now,
            )
        )
        await u.commit()
    inbound = InboundService(uow, clock, ids, debounce_ms=0)
    for n in range(count):
        await inbound.accept(
            InboundMessage(
                session_id="shop",
                from_jid=f"1555000{n:04d}",
                content=f"hi {n}",
                wa_message_id=f"W{n}",
            )
        )
    await database.close()


def test_a_worker_process_answers_and_stops_gracefully(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    asyncio.run(store_messages(url, 5))
    bridge = FakeBridge()
    bridge.sessions["shop"] = {
        "id": "shop",
        "status": "connected",
        "createdAt": "2026-01-01T00:00:00Z",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    with serve(bridge) as server:
        env |= {
            "WA_DATABASE_URL": url,
            "WA_BRIDGE_URL": server.url,
            "WA_BRIDGE_API_KEY": API_KEY,
            "WA_SEND_MIN_INTERVAL_MS": "0",
            "WA_WORKERS": "2",
            "WA_DATA_DIR": str(tmp_path),
        }
        worker = subprocess.Popen(
            [str(WA_AGENTS), "worker"], env=env, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + 30
            while len(bridge.sends) < 5:
                assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
                assert time.monotonic() < deadline, "the worker did not answer"
                time.sleep(0.05)
        finally:
            worker.send_signal(signal.SIGTERM)
            code = worker.wait(timeout=30)
    assert code == 0
    assert sorted(s.text.rsplit(" ", 1)[-1] for s in bridge.sends) == [str(n) for n in range(5)]
    assert "2 workers running" in (worker.stderr.read() if worker.stderr else "")
