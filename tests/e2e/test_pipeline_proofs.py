"""The pipeline's promises, proven against a fake bridge that speaks the real wire format.

The API runs for real (uvicorn, in-process workers, SQLite); webhooks come in signed or by
token; replies leave through BridgeHttpMessagingGateway to the fake bridge, which records every
WhatsApp message it would have sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from dependency_injector import providers

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.webhooks import SECRET, TOKEN, event, signed_headers, text_message
from wa_agents.adapters.bridge import BridgeHttpMessagingGateway
from wa_agents.adapters.memory import SystemClock, TimeOrderedIdGenerator
from wa_agents.adapters.sqlalchemy import Database, SqlAlchemyUnitOfWorkFactory
from wa_agents.entrypoints.http import create_app

ALICE, BOB = "15551230001", "15551230002"


@dataclass
class World:
    api: Api
    admin: httpx.Client
    bridge: FakeBridge

    def signed(self, body: bytes, webhook_id: str) -> httpx.Response:
        return self.api.http.post(
            "/webhooks/bridge", content=body, headers=signed_headers(body, webhook_id)
        )

    def texts_to(self, number: str) -> list[str]:
        return [s.text for s in self.bridge.sends if s.to.split("@")[0] == number]

    def wait(self, predicate: Any, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while not predicate():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.05)


def world_for(tmp_path: Path, bridge: FakeBridge, url: str) -> Iterator[World]:
    settings = api_settings(
        tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'proofs.db'}",
        bridge_url=url,
        bridge_api_key=API_KEY,
        webhook_secrets=(SECRET,),
        webhook_token=TOKEN,
        workers=2,
    )
    container = api_container(settings)
    quick = BridgeHttpMessagingGateway(url, API_KEY, timeout=0.5)  # so a late answer times out
    container.gateway.override(providers.Object(quick))
    with serving(create_app(container)) as base:
        api = Api(base, container)
        admin = api.client(api.token())
        agent = admin.post(
            "/api/v1/agents", json={"name": "E", "model": "m", "system_prompt": "p"}
        ).json()
        assert (
            admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]}).status_code
            == 201
        )
        bridge.scan("shop")
        yield World(api, admin, bridge)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    bridge = FakeBridge()
    with serve(bridge) as server:
        yield from world_for(tmp_path, bridge, server.url)


@pytest.fixture
def zapw_world(tmp_path: Path) -> Iterator[World]:
    bridge = FakeBridge(zapw_only=True)
    with serve(bridge) as server:
        yield from world_for(tmp_path, bridge, server.url)


def test_a_zapw_message_by_token_gets_exactly_one_reply_in_zapw_shape(zapw_world: World) -> None:
    body = text_message("shop", f"{ALICE}@s.whatsapp.net", "hello from zapw", "Z1")
    response = zapw_world.api.http.post(f"/webhooks/bridge/{TOKEN}", content=body)
    assert response.status_code == 200
    zapw_world.wait(lambda: zapw_world.texts_to(ALICE))
    time.sleep(0.3)
    [reply] = zapw_world.texts_to(ALICE)
    assert "hello from zapw" in reply
    posts = [(m, p) for m, p, _ in zapw_world.bridge.requests if p == "/sessions/shop/messages"]
    assert len(posts) == 1


def test_three_in_a_row_and_two_at_once_are_one_message_and_one_reply(world: World) -> None:
    body = text_message("shop", ALICE, "once please", "D1")
    assert [world.signed(body, "d").json()["status"] for _ in range(3)] == [
        "stored",
        "duplicate",
        "duplicate",
    ]
    with ThreadPoolExecutor(2) as pool:
        assert {r.status_code for r in pool.map(lambda _: world.signed(body, "d"), range(2))} == {
            200
        }
    world.wait(lambda: world.texts_to(ALICE))
    time.sleep(0.5)
    assert len(world.texts_to(ALICE)) == 1


def test_a_500_then_200_is_one_reply(world: World) -> None:
    world.bridge.fail_sends(1, status=500)
    world.signed(text_message("shop", ALICE, "flaky bridge", "F1"), "f")
    world.wait(lambda: world.texts_to(ALICE))
    time.sleep(0.3)
    assert len(world.texts_to(ALICE)) == 1
    posts = [h for m, p, h in world.bridge.requests if p == "/sessions/shop/messages"]
    assert len(posts) == 2 and len({h["idempotency-key"] for h in posts}) == 1


def test_an_answer_after_the_client_gave_up_is_still_one_whatsapp_message(world: World) -> None:
    world.bridge.answer_sends_late(1.5)
    world.signed(text_message("shop", ALICE, "slow bridge", "L1"), "l")
    world.wait(
        lambda: len([p for _, p, _ in world.bridge.requests if p == "/sessions/shop/messages"]) >= 2
    )
    time.sleep(0.5)
    assert len(world.texts_to(ALICE)) == 1  # the retry carried the same key: nothing new went out
    path = f"/api/v1/sessions/shop/conversations/{ALICE}@s.whatsapp.net/messages"
    world.api.wait_for(world.admin, path, lambda body: body["items"][0]["status"] == "sent")


def test_replies_wait_while_disconnected_and_go_out_in_order_on_reconnect(world: World) -> None:
    world.bridge.disconnect("shop")
    world.signed(event("shop", "session.disconnected", {"reason": {"shouldReconnect": True}}), "s1")
    for n in range(3):
        world.signed(
            text_message("shop", ALICE, f"/help {n}" if False else f"message {n}", f"W{n}"), f"w{n}"
        )
        time.sleep(0.2)
    time.sleep(1.0)
    assert world.texts_to(ALICE) == []
    world.bridge.scan("shop")
    started = time.monotonic()
    world.signed(event("shop", "session.connected", {"phoneNumber": "15550001111"}), "s2")
    world.wait(lambda: len(world.texts_to(ALICE)) >= 1, seconds=10)
    assert time.monotonic() - started < 5  # woken at once, not at the next 15 s check
    world.wait(lambda: "message 2" in " ".join(world.texts_to(ALICE)))
    numbers = [int(t.rsplit(" ", 1)[-1]) for t in world.texts_to(ALICE)]
    assert numbers == sorted(numbers)


def test_a_poison_job_dies_and_other_conversations_keep_flowing(world: World) -> None:
    async def poison() -> None:  # a turn for a session that does not exist: it can only fail
        database = Database(world.api.container.settings().resolved_database_url)
        uow = SqlAlchemyUnitOfWorkFactory(database, SystemClock(), TimeOrderedIdGenerator())
        async with uow() as u:
            payload = {"session_id": "nope", "contact_jid": "1@s.whatsapp.net"}
            await u.jobs.enqueue("turn", payload, key="nope/1@s.whatsapp.net", max_attempts=2)
            await u.commit()
        await database.close()

    asyncio.run(poison())
    for n in range(3):
        world.signed(text_message("shop", BOB, f"still here {n}", f"B{n}"), f"b{n}")
    world.wait(lambda: "still here 2" in " ".join(world.texts_to(BOB)))
    dead = world.api.wait_for(
        world.admin, "/api/v1/jobs", lambda body: body["total"] == 1, seconds=15
    )
    assert dead["items"][0]["attempts"] == 2 and "nope" in dead["items"][0]["last_error"]
