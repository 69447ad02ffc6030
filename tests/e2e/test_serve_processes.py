"""``wa-agents serve --workers N``: N server processes on one port, one PostgreSQL, every
message answered exactly once whichever process took its webhook; SQLite refuses it."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_kill_drill import ADMIN, PASSWORD, database_url, setup  # noqa: F401
from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.server_process import WA_AGENTS, ServerProcess
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus

pytestmark = pytest.mark.slow
CONTACTS, PER_CONTACT = 10, 4
ECHO = re.compile(r"You said: c(\d+)-m(\d+)")


def settle(bridge: FakeBridge) -> None:
    """Until the replies stop coming (a contact's quick messages may share one reply)."""
    deadline, seen, quiet_since = time.monotonic() + 120, -1, time.monotonic()
    while time.monotonic() < deadline:
        if len(bridge.sends) != seen:
            seen, quiet_since = len(bridge.sends), time.monotonic()
        elif seen >= CONTACTS and time.monotonic() - quiet_since > 4:
            return
        time.sleep(0.1)


async def verify(url: str, bridge: FakeBridge) -> None:
    """Every message answered exactly once, whichever process took its webhook; each
    WhatsApp reply sent once; per-contact order kept; nothing dead or left behind."""
    keys = [s.idempotency_key for s in bridge.sends]
    assert len(keys) == len(set(keys)), "a reply went out twice"
    per_contact: dict[int, list[int]] = defaultdict(list)
    for send in bridge.sends:
        match = ECHO.search(send.text)
        assert match, send.text
        per_contact[int(match.group(1))].append(int(match.group(2)))
    for numbers in per_contact.values():
        assert numbers == sorted(set(numbers)), f"out of order or repeated: {numbers}"
    database = Database(url)
    uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
    try:
        async with uow() as u:
            covered: list[str] = []
            for c in range(CONTACTS):
                history = await u.messages.recent("shop", f"1555{c:07d}@s.whatsapp.net", limit=100)
                inbound = [m for m in history if m.direction == Direction.INBOUND]
                outbound = [m for m in history if m.direction == Direction.OUTBOUND]
                assert len(inbound) == PER_CONTACT
                assert all(m.status == MessageStatus.PROCESSED for m in inbound)
                assert all(m.status == MessageStatus.SENT for m in outbound)
                replied_to = [i for m in outbound for i in m.metadata["in_reply_to"]]
                assert sorted(replied_to) == sorted(m.id for m in inbound)  # each once
                covered += replied_to
            assert len(covered) == len(set(covered)) == CONTACTS * PER_CONTACT
            assert len(bridge.sends) == await u.messages.count(direction=Direction.OUTBOUND)
        counts = await SqlAlchemyJobQueue(database).counts()
        assert counts[JobStatus.DEAD] == 0
    finally:
        await database.close()


def env_for(url: str, bridge_url: str, data: Path) -> dict[str, str]:
    return {
        "WA_DATABASE_URL": url,
        "WA_DATA_DIR": str(data),
        "WA_BRIDGE_URL": bridge_url,
        "WA_BRIDGE_API_KEY": API_KEY,
        "WA_WEBHOOK_SECRET": SECRET,
        "WA_ADMIN_USERNAME": ADMIN,
        "WA_ADMIN_PASSWORD": PASSWORD,
        "WA_SECRET_KEY": "s" * 40,
        "WA_DEBOUNCE_MS": "0",
        "WA_SEND_MIN_INTERVAL_MS": "0",
        "WA_WORKERS": "2",
        "WA_LOG_LEVEL": "warning",
        "WA_EMBEDDER": "hashing",
        "WA_VECTOR_STORE": "memory",
    }


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_server_processes_answer_every_message_once_in_order(
    database_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    bridge = FakeBridge()
    with serve(bridge) as bridge_server:
        env = env_for(database_url, bridge_server.url, tmp_path / "data")
        migrate = subprocess.run(
            [str(WA_AGENTS), "migrate"], env={**os.environ, **env}, capture_output=True, text=True
        )
        assert migrate.returncode == 0, migrate.stderr
        server = ServerProcess(env, tmp_path / "server.log", "--workers", "2")
        server.start(timeout=180)  # each process imports and opens everything
        try:
            assert server.process is not None
            pid = server.process.pid
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            assert len(children) >= 2, "uvicorn's supervisor runs one process per --workers"
            setup(server.url)
            bridge.scan("shop")

            def contact(c: int) -> None:  # each contact's messages in order, on new connections
                for m in range(PER_CONTACT):
                    body = text_message("shop", f"1555{c:07d}", f"c{c}-m{m}", f"W{c}-{m}")
                    response = httpx.post(
                        server.url + "/webhooks/bridge",
                        content=body,
                        headers=signed_headers(body, f"evt-{c}-{m}"),
                        timeout=30,
                    )
                    assert response.status_code == 200, response.text

            with ThreadPoolExecutor(CONTACTS) as pool:
                list(pool.map(contact, range(CONTACTS)))
            settle(bridge)
        finally:
            server.stop()
    asyncio.run(verify(database_url, bridge))
    log = (tmp_path / "server.log").read_text()
    assert "2 server processes" in log and "Traceback" not in log


def test_sqlite_refuses_several_processes_and_says_why(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    env["WA_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [str(WA_AGENTS), "serve", "--workers", "2"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "PostgreSQL" in done.stderr and "one process" in done.stderr
