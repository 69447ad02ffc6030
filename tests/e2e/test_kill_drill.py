"""The kill drill: SIGKILL the server five times while 200 messages arrive; lose nothing,
double nothing, keep each contact's order.

A real bridge keeps redelivering an event until it gets a 2xx; the sender here does the
same, in per-contact order. Replies go to a fake bridge that records every WhatsApp message
and honours idempotency keys, as ours does.
"""

from __future__ import annotations

import asyncio
import random
import re
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.support.databases import postgres_url
from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.server_process import WA_AGENTS, ServerProcess
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyJobQueue, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.job import JobKind, JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest

pytestmark = pytest.mark.slow
CONTACTS, PER_CONTACT, KILLS = 20, 10, 5
ADMIN, PASSWORD = "drill", "drill-passphrase-123"
ECHO = re.compile(r"You said: c(\d+)-m(\d+)")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'drill.db'}"
        return
    schema = f"drill_{random.randrange(16**8):08x}"
    admin_url = postgres_url()
    subprocess.run(
        ["psql", _libpq(admin_url), "-qc", f'CREATE SCHEMA "{schema}"'],
        check=True,
        capture_output=True,
    )
    yield (
        make_url(admin_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    subprocess.run(
        ["psql", _libpq(admin_url), "-qc", f'DROP SCHEMA "{schema}" CASCADE'],
        check=True,
        capture_output=True,
    )


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def deliver_until_accepted(url: str, body: bytes, webhook_id: str, deadline: float) -> None:
    """What a bridge does: redeliver until a 2xx, whatever happens to the server."""
    while time.monotonic() < deadline:
        try:
            response = httpx.post(
                url + "/webhooks/bridge",
                content=body,
                headers=signed_headers(body, webhook_id),
                timeout=5,
            )
            if response.status_code == 200:
                return
            assert response.status_code >= 500, response.text  # never a 4xx for a good event
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{webhook_id} was never accepted")


def test_kill_drill(database_url: str, tmp_path: Path) -> None:
    bridge = FakeBridge()
    with serve(bridge) as bridge_server:
        env = {
            "WA_DATABASE_URL": database_url,
            "WA_DATA_DIR": str(tmp_path / "data"),
            "WA_BRIDGE_URL": bridge_server.url,
            "WA_BRIDGE_API_KEY": API_KEY,
            "WA_WEBHOOK_SECRET": SECRET,
            "WA_ADMIN_USERNAME": ADMIN,
            "WA_ADMIN_PASSWORD": PASSWORD,
            "WA_SECRET_KEY": "s" * 40,
            "WA_DEBOUNCE_MS": "0",
            "WA_SEND_MIN_INTERVAL_MS": "0",
            "WA_WORKERS": "4",
            "WA_LOG_LEVEL": "warning",
            "WA_EMBEDDER": "hashing",  # search is not what this drill is about: keep it cheap
            "WA_VECTOR_STORE": "memory",
        }
        migrate = subprocess.run(
            [str(WA_AGENTS), "migrate"],
            env={**env, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr
        server = ServerProcess(env, tmp_path / "server.log")
        server.start()
        try:
            setup(server.url)
            bridge.scan("shop")
            run_drill(server, bridge)
        finally:
            server.stop()
    asyncio.run(verify(database_url, bridge))


def setup(url: str) -> None:
    client = httpx.Client(base_url=url, timeout=30)
    token = client.post(
        "/api/v1/auth/login", json={"username": ADMIN, "password": PASSWORD}
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    agent = client.post(
        "/api/v1/agents", json={"name": "Echo", "model": "m", "system_prompt": "p"}
    ).json()
    created = client.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]})
    assert created.status_code == 201, created.text


def run_drill(server: ServerProcess, bridge: FakeBridge) -> None:
    rng = random.Random(7)
    deadline = time.monotonic() + 240
    plan = [(c, m) for m in range(PER_CONTACT) for c in range(CONTACTS)]  # per-contact order
    kill_after = sorted(rng.sample(range(10, len(plan) - 10), KILLS))
    killer_done = threading.Event()

    def killer() -> None:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.3, 1.5))
            server.kill()
            time.sleep(rng.uniform(0.0, 0.5))  # the bridge keeps redelivering meanwhile
            server.start()
        killer_done.set()

    thread: threading.Thread | None = None
    for index, (contact, number) in enumerate(plan):
        if thread is None and index == kill_after[0]:
            thread = threading.Thread(target=killer, daemon=True)
            thread.start()
        body = text_message(
            "shop", f"1555000{contact:04d}", f"c{contact}-m{number}", f"WA-{contact}-{number}"
        )
        deliver_until_accepted(server.url, body, f"evt-{contact}-{number}", deadline)
        time.sleep(0.01)
    assert thread is not None
    thread.join(timeout=120)
    assert killer_done.is_set() and server.starts == KILLS + 1
    wait_for_replies(bridge, deadline)


def wait_for_replies(bridge: FakeBridge, deadline: float) -> None:
    """Every contact's last message answered (each reply names the newest message it saw)."""
    while time.monotonic() < deadline:
        answered = {m.group(1): int(m.group(2)) for s in bridge.sends if (m := ECHO.search(s.text))}
        if len(answered) == CONTACTS and all(n == PER_CONTACT - 1 for n in answered.values()):
            time.sleep(1.0)  # and nothing more arrives after
            return
        time.sleep(0.1)
    raise AssertionError("not every contact got an answer to its last message")


async def verify(database_url: str, bridge: FakeBridge) -> None:
    # Exactly one WhatsApp message per reply, in per-contact order.
    keys = [s.idempotency_key for s in bridge.sends]
    assert len(keys) == len(set(keys)), "a reply went out twice"
    per_contact: dict[str, list[int]] = defaultdict(list)
    for send in bridge.sends:
        match = ECHO.search(send.text)
        assert match, send.text
        per_contact[match.group(1)].append(int(match.group(2)))
    for numbers in per_contact.values():
        assert numbers == sorted(set(numbers)), f"out of order or repeated: {numbers}"
    database = Database(database_url)
    uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
    try:
        async with uow() as u:
            assert await u.messages.count(direction=Direction.INBOUND) == CONTACTS * PER_CONTACT
            covered: list[str] = []
            for contact in range(CONTACTS):
                history = await u.messages.recent(
                    "shop", f"1555000{contact:04d}@s.whatsapp.net", limit=100
                )
                inbound = [m for m in history if m.direction == Direction.INBOUND]
                outbound = [m for m in history if m.direction == Direction.OUTBOUND]
                assert all(m.status == MessageStatus.PROCESSED for m in inbound)
                assert all(m.status == MessageStatus.SENT for m in outbound)
                replied_to = [i for m in outbound for i in m.metadata["in_reply_to"]]
                assert sorted(replied_to) == sorted(m.id for m in inbound)  # each once, none lost
                covered += replied_to
            assert len(covered) == len(set(covered)) == CONTACTS * PER_CONTACT
            assert len(bridge.sends) == await u.messages.count(direction=Direction.OUTBOUND)
        queue = SqlAlchemyJobQueue(database)
        counts = await queue.counts()
        pending = await queue.list(JobStatus.PENDING, PageRequest(limit=500))
        # nothing dead, no turn or send left behind; index jobs may wait their few seconds
        assert counts[JobStatus.DEAD] == 0
        assert [j.kind for j in pending.items if j.kind != JobKind.INDEX] == []
    finally:
        await database.close()
