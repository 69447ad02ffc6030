"""Shared state on a real Redis (127.0.0.1:6379, or WA_TEST_REDIS_URL): live events fan out
between processes, login limits and send budgets are shared; with Redis down everything keeps
working on local state and says so once in the log, and a webhook never gets a 5xx."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis
from litestar.exceptions import TooManyRequestsException

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import SECRET, signed_headers, text_message
from wa_agents.adapters.memory import ManualClock
from wa_agents.adapters.redis import (
    RedisEventBus,
    RedisGovernorStore,
    RedisHitWindows,
    connect,
)
from wa_agents.domain.model.errors import SendDeferred
from wa_agents.domain.model.governor import SendPolicy
from wa_agents.domain.services.governor import SendGovernor
from wa_agents.entrypoints.http import create_app
from wa_agents.entrypoints.http.throttle import Limit, LoginThrottle
from wa_agents.ports.events import Event

REDIS_URL = os.environ.get("WA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


@pytest.fixture
async def clients() -> AsyncIterator[tuple[aioredis.Redis, aioredis.Redis]]:
    """Two clients, as two processes would have; skipped when no Redis answers."""
    a, b = connect(REDIS_URL), connect(REDIS_URL)
    try:
        await a.ping()
    except Exception:
        await a.aclose()
        await b.aclose()
        pytest.skip(f"no Redis at {REDIS_URL}")
    yield a, b
    await a.aclose()
    await b.aclose()


@pytest.fixture
def prefix() -> str:
    return f"test:{secrets.token_hex(4)}:"


async def test_an_event_published_by_one_process_reaches_a_subscriber_of_another(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    a, b = (RedisEventBus(c, channel=prefix + "events") for c in clients)
    stream = b.subscribe()
    for _ in range(100):  # until B's listener is subscribed
        if b._listening:
            break
        await asyncio.sleep(0.02)
    await a.publish(Event("message.new", {"id": "m1"}))
    got = await stream.next(2.0)
    assert got == Event("message.new", {"id": "m1"})
    assert await stream.next(0.3) is None  # once, not twice
    stream.close()
    await b.aclose()


async def test_login_limits_are_shared_between_replicas(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    limits = {"per_account": Limit(3, 60), "per_address": Limit(100, 60)}
    a, b = (LoginThrottle(windows=RedisHitWindows(c, prefix), **limits) for c in clients)  # type: ignore[arg-type]
    await a.attempt("10.0.0.1", "alice")
    await b.attempt("10.0.0.2", "alice")
    await a.attempt("10.0.0.3", "Alice")
    with pytest.raises(TooManyRequestsException):
        await b.attempt("10.0.0.4", "alice")


async def test_a_numbers_budget_is_shared_by_concurrent_workers(
    clients: tuple[aioredis.Redis, aioredis.Redis], prefix: str
) -> None:
    clock = ManualClock()
    workers = [SendGovernor(RedisGovernorStore(c, prefix), clock) for c in clients]
    policy = SendPolicy(per_minute=4)

    async def one(n: int) -> bool:
        try:
            await workers[n % 2].reserve("shop", policy, first_contact=False, linked_at=clock.now())
        except SendDeferred:
            return False
        return True

    results = await asyncio.gather(*(one(n) for n in range(12)))
    assert sum(results) == 4  # WATCH/MULTI: no two workers spent the same slot


async def test_with_redis_down_everything_degrades_to_local_state(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = connect(closed_port_url())
    bus, windows = RedisEventBus(client), RedisHitWindows(client)
    store = RedisGovernorStore(client)
    with caplog.at_level(logging.WARNING, logger="wa_agents.redis"):
        stream = bus.subscribe()
        await bus.publish(Event("session.status", {"id": "shop"}))
        assert (await stream.next(1.0)) == Event("session.status", {"id": "shop"})
        throttle = LoginThrottle(windows=windows, per_account=Limit(2, 60))
        await throttle.attempt("a", "bob")
        await throttle.attempt("a", "bob")
        with pytest.raises(TooManyRequestsException):
            await throttle.attempt("a", "bob")  # still limited, locally
        clock = ManualClock()
        governor = SendGovernor(store, clock)
        await governor.reserve(
            "s", SendPolicy(per_minute=1), first_contact=False, linked_at=clock.now()
        )
        with pytest.raises(SendDeferred):
            await governor.reserve(
                "s", SendPolicy(per_minute=1), first_contact=False, linked_at=clock.now()
            )
        await bus.aclose()
    assert windows.health.degraded and store.health.degraded and bus.health.degraded
    unavailable = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(unavailable) == 3  # once per component, not once per call
    await client.aclose()


@pytest.fixture
def api_without_redis(tmp_path: Path) -> Iterator[Api]:
    settings = api_settings(
        tmp_path, redis_url=closed_port_url(), webhook_secrets=(SECRET,), webhook_rate_limit=50
    )
    container = api_container(settings)
    with serving(create_app(container, workers=0)) as url:
        yield Api(url, container)


def test_a_webhook_and_a_login_never_fail_because_redis_is_down(api_without_redis: Api) -> None:
    admin = api_without_redis.client(api_without_redis.token())  # the login throttle: local
    assert admin.post("/api/v1/sessions", json={"id": "shop"}).status_code == 201
    for n in range(3):
        body = text_message("shop", "15551230000", f"m{n}", f"WA-{n}")
        response = httpx.post(
            api_without_redis.url + "/webhooks/bridge",
            content=body,
            headers=signed_headers(body, f"evt-{n}"),
        )
        assert response.status_code == 200, response.text
