"""Scale-out on one machine: two ``wa-agents serve`` and two ``wa-agents worker`` processes on
one PostgreSQL schema and one Redis.

1,000 signed webhooks from 50 contacts go to both APIs (each contact's in order, as a bridge
delivers them), one worker is SIGKILLed midway, and then: every inbound message is answered by
exactly one reply and no reply reaches WhatsApp twice, each contact's replies keep its order, an
SSE client on API B sees an event caused through API A, the login throttle counts attempts on
both APIs together, and the send governor's pacing of the one number holds across every process
(measured from the fake bridge's receive times).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import re
import secrets
import signal
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy.engine import make_url

from tests.support.databases import postgres_url
from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.server_process import WA_AGENTS, ServerProcess
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.domain.model.message import Direction, MessageStatus

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
CONTACTS, PER_CONTACT = 50, 20  # 1,000 webhooks
INTERVAL_MS = 300  # the number's pacing: ≥ 0.3 s between sends (plus jitter), all processes
ADMIN, PASSWORD = "scale", "scale-passphrase-123"
ECHO = re.compile(r"You said: c(\d+)-m(\d+)")
REDIS_URL = os.environ.get("WA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def database_url() -> Iterator[str]:
    admin_url = postgres_url()  # skips without WA_TEST_POSTGRES_URL
    schema = f"scale_{secrets.token_hex(4)}"
    psql = ["psql", _libpq(admin_url), "-qc"]
    subprocess.run([*psql, f'CREATE SCHEMA "{schema}"'], check=True, capture_output=True)
    yield (
        make_url(admin_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    subprocess.run([*psql, f'DROP SCHEMA "{schema}" CASCADE'], check=True, capture_output=True)


@pytest.fixture
def redis_url() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    # Redis outlives the test: an earlier run's failed logins from this address (within the
    # minute) would count against this one's login throttle check.
    for name in client.scan_iter("wa:hits:login-*:127.0.0.1"):
        client.delete(name)
    return REDIS_URL


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(WA_AGENTS), "worker", "--concurrency", "3"], env=env, stdout=out, stderr=out
            )

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def test_two_apis_and_two_workers_share_one_database_and_redis(
    database_url: str, redis_url: str, tmp_path: Path
) -> None:
    session = f"shop{secrets.token_hex(3)}"  # Redis outlives the test: a number of its own
    bridge = FakeBridge()
    with serve(bridge) as bridge_server:
        env = {
            "WA_DATABASE_URL": database_url,
            "WA_REDIS_URL": redis_url,
            "WA_DATA_DIR": str(tmp_path / "data"),
            "WA_BRIDGE_URL": bridge_server.url,
            "WA_BRIDGE_API_KEY": API_KEY,
            "WA_WEBHOOK_SECRET": SECRET,
            "WA_ADMIN_USERNAME": ADMIN,
            "WA_ADMIN_PASSWORD": PASSWORD,
            "WA_SECRET_KEY": "s" * 40,
            "WA_DEBOUNCE_MS": "0",
            "WA_SEND_MIN_INTERVAL_MS": str(INTERVAL_MS),
            "WA_WORKERS": "1",
            "WA_LOG_LEVEL": "warning",
            "WA_LOG_FORMAT": "json",
            "WA_EMBEDDER": "hashing",
            "WA_VECTOR_STORE": "memory",
        }
        base = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
        migrate = subprocess.run(
            [str(WA_AGENTS), "migrate"], env={**base, **env}, capture_output=True, text=True
        )
        assert migrate.returncode == 0, migrate.stderr
        api_a = ServerProcess(env, tmp_path / "api-a.log")
        api_b = ServerProcess(env, tmp_path / "api-b.log")
        workers = [Worker({**base, **env}, tmp_path / f"worker-{n}.log") for n in (1, 2)]
        try:
            start_together(api_a, api_b, tmp_path)
            token = setup(api_a.url, session)
            bridge.scan(session)
            check_login_limits_are_shared(api_a.url, api_b.url)
            check_events_fan_out(api_a.url, api_b.url, token, session)
            started = time.monotonic()
            deliver_all(api_a.url, api_b.url, session, kill=workers[0].kill)
            wait_for_replies(bridge, deadline=started + 300)
            elapsed = time.monotonic() - started
        finally:
            for worker in workers:
                worker.stop()
            api_a.stop()
            api_b.stop()
    assert workers[0].process.returncode == -signal.SIGKILL
    check_pacing(bridge)
    asyncio.run(check_exactly_once(database_url, bridge, session))
    print(f"\nscale-out: {len(bridge.sends)} replies to 1000 messages in {elapsed:.1f} s")


def start_together(api_a: ServerProcess, api_b: ServerProcess, logs: Path) -> None:
    """Both APIs start at once (a loaded machine takes long to import everything)."""
    starters = [
        threading.Thread(target=api.start, kwargs={"timeout": 240}) for api in (api_a, api_b)
    ]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    for api, name in ((api_a, "api-a"), (api_b, "api-b")):
        try:
            up = httpx.get(api.url + "/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            up = False
        assert up, (logs / f"{name}.log").read_text()[-3000:]


def setup(url: str, session: str) -> str:
    client = httpx.Client(base_url=url, timeout=30)
    token = str(
        client.post("/api/v1/auth/login", json={"username": ADMIN, "password": PASSWORD}).json()[
            "access_token"
        ]
    )
    client.headers["Authorization"] = f"Bearer {token}"
    agent = client.post(
        "/api/v1/agents", json={"name": "Echo", "model": "m", "system_prompt": "p"}
    ).json()
    created = client.post("/api/v1/sessions", json={"id": session, "agent_id": agent["id"]})
    assert created.status_code == 201, created.text
    return token


def check_login_limits_are_shared(url_a: str, url_b: str) -> None:
    """10 attempts a minute per account, counted on both APIs together (not 10 on each)."""
    ghost = f"ghost-{secrets.token_hex(3)}"
    statuses = []
    for n in range(12):
        url = url_a if n % 2 == 0 else url_b
        response = httpx.post(
            url + "/api/v1/auth/login", json={"username": ghost, "password": "wrong-password"}
        )
        statuses.append(response.status_code)
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429], statuses


def check_events_fan_out(url_a: str, url_b: str, token: str, session: str) -> None:
    """A message stored through API A appears on API B's event stream."""
    seen: list[dict[str, object]] = []
    ready, got = threading.Event(), threading.Event()

    def listen() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.stream("GET", url_b + "/api/v1/events", headers=headers, timeout=30) as stream:
            kind = ""
            for line in stream.iter_lines():
                if line.startswith(": connected"):
                    ready.set()
                elif line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "message.new":
                    seen.append(json.loads(line[6:]))
                    if seen[-1].get("content") == "fan-out probe":
                        got.set()
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(20), "API B's event stream did not open"
    time.sleep(0.5)  # B's Redis listener subscribes when its first stream opens
    body = text_message(session, "15559990000", "fan-out probe", "WA-probe")
    response = httpx.post(
        url_a + "/webhooks/bridge", content=body, headers=signed_headers(body, "evt-probe")
    )
    assert response.status_code == 200, response.text
    assert got.wait(20), f"API B never saw the message stored through API A: {seen}"


def deliver_all(url_a: str, url_b: str, session: str, *, kill: object) -> None:
    """Each contact's messages in order (redelivered until accepted), alternating APIs;
    contacts in parallel; one worker SIGKILLed when half are in."""
    delivered = 0
    lock = threading.Lock()
    killed = threading.Event()

    def contact(c: int) -> None:
        nonlocal delivered
        rng = random.Random(c)
        with httpx.Client(timeout=10) as client:
            for m in range(PER_CONTACT):
                url = url_a if rng.random() < 0.5 else url_b
                body = text_message(session, f"1555000{c:04d}", f"c{c}-m{m}", f"WA-{c}-{m}")
                for _attempt in range(50):
                    try:
                        sent = client.post(
                            url + "/webhooks/bridge",
                            content=body,
                            headers=signed_headers(body, f"evt-{c}-{m}"),
                        )
                    except httpx.HTTPError:
                        time.sleep(0.1)
                        continue
                    assert sent.status_code < 500, sent.text  # never a 5xx on the webhook
                    if sent.status_code == 200:
                        break
                    assert sent.status_code == 429, sent.text
                    time.sleep(0.2)
                else:
                    raise AssertionError(f"c{c}-m{m} was never accepted")
                with lock:
                    delivered += 1
                    if delivered == CONTACTS * PER_CONTACT // 2 and not killed.is_set():
                        killed.set()
                        kill()  # type: ignore[operator]

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(contact, range(CONTACTS)))
    assert killed.is_set()


def wait_for_replies(bridge: FakeBridge, deadline: float) -> None:
    """Every contact's last message answered (a reply names the newest message it saw)."""
    while time.monotonic() < deadline:
        answered = {m.group(1): int(m.group(2)) for s in bridge.sends if (m := ECHO.search(s.text))}
        if len(answered) == CONTACTS and all(n == PER_CONTACT - 1 for n in answered.values()):
            time.sleep(1.0)  # and nothing more arrives after
            return
        time.sleep(0.2)
    raise AssertionError("not every contact got an answer to its last message in time")


def check_pacing(bridge: FakeBridge) -> None:
    """One number, every process: no second holds more sends than its pacing allows."""
    times = sorted(s.received_at for s in bridge.sends)
    allowed = 1000 // INTERVAL_MS + 1  # the interval alone; jitter only lowers the rate
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    short = sum(1 for gap in gaps if gap < INTERVAL_MS / 2000)  # under half the interval
    print(
        f"\nscale-out: busiest second {busiest} sends (pacing allows {allowed}); "
        f"{short} of {len(gaps)} gaps under half the interval"
    )
    # Four processes pacing on their own would allow four times this; arrival times wobble a
    # little around the granted slots on a loaded machine, hence the small margins.
    assert busiest <= allowed + 2, f"{busiest} sends in one second: the pacing was not shared"
    assert short <= max(2, len(gaps) // 10), f"{short} gaps under half the interval"


async def check_exactly_once(database_url: str, bridge: FakeBridge, session: str) -> None:
    keys = [s.idempotency_key for s in bridge.sends]
    assert len(keys) == len(set(keys)), "a reply reached WhatsApp twice"
    per_contact: dict[str, list[int]] = defaultdict(list)
    for send in bridge.sends:
        if match := ECHO.search(send.text):
            per_contact[match.group(1)].append(int(match.group(2)))
    for numbers in per_contact.values():
        assert numbers == sorted(set(numbers)), f"out of order or repeated: {numbers}"
    database = Database(database_url)
    uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
    try:
        async with uow() as u:
            assert await u.messages.count(direction=Direction.INBOUND) == CONTACTS * PER_CONTACT + 1
            for c in range(CONTACTS):
                history = await u.messages.recent(
                    session, f"1555000{c:04d}@s.whatsapp.net", limit=200
                )
                inbound = {m.id for m in history if m.direction == Direction.INBOUND}
                answered: list[str] = []
                for m in history:
                    if m.direction == Direction.OUTBOUND:
                        assert m.status != MessageStatus.QUEUED, "a reply never went out"
                        answered += m.metadata.get("in_reply_to", [])
                assert sorted(answered) == sorted(inbound), f"contact {c}: not one reply each"
    finally:
        await database.close()
