"""NUL characters anywhere (path, JSON body, webhook field) and values the database refuses,
on SQLite and PostgreSQL: a 4xx or the text stored without the NUL, never a 5xx (PostgreSQL
used to answer 503, "a service we depend on is unavailable")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.databases import BACKENDS, database_for
from tests.support.webhooks import TOKEN, text_message
from wa_agents.entrypoints.http import create_app

ALICE = "15551230001@s.whatsapp.net"


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    async with database_for(request.param, tmp_path, migrate=True) as database:
        yield database.url


@pytest.fixture
def admin(database_url: str, tmp_path: Path) -> Iterator[tuple[Api, httpx.Client]]:
    settings = api_settings(tmp_path, database_url=database_url, webhook_token=TOKEN)
    container = api_container(settings)
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        client = harness.client(harness.token())
        yield harness, client
        client.close()
        harness.http.close()


def test_nul_anywhere_is_never_a_5xx(admin: tuple[Api, httpx.Client]) -> None:
    harness, client = admin
    assert client.get("/api/v1/agents/%00").status_code == 404
    assert client.get("/api/v1/sessions/%00/conversations").status_code in (404, 422)
    created = client.post(
        "/api/v1/agents",
        json={"name": "Sh\x00op", "model": "scri\x00pted", "system_prompt": "Be\x00 brief"},
    )
    assert created.status_code == 201, created.text
    agent = created.json()["id"]
    stored = client.get(f"/api/v1/agents/{agent}").json()
    assert (stored["name"], stored["system_prompt"]) == ("Shop", "Be brief")
    patched = client.patch(f"/api/v1/agents/{agent}", json={"description": "a\x00b"})
    assert patched.status_code == 200, patched.text
    assert client.get(f"/api/v1/agents/{agent}").json()["description"] == "ab"

    assert client.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent}).is_success
    assert client.post("/api/v1/sandbox/sessions/shop/scan").is_success
    inbound = client.post(
        "/api/v1/sandbox/sessions/shop/inbound", json={"from": ALICE, "text": "hi\x00 there"}
    )
    assert inbound.status_code == 202, inbound.text
    sent = client.post(
        f"/api/v1/sessions/shop/conversations/{ALICE}/messages", json={"text": "op\x00erator"}
    )
    assert sent.status_code in (201, 202), sent.text
    body = harness.wait_for(
        client,
        f"/api/v1/sessions/shop/conversations/{ALICE}/messages",
        lambda page: any(m["content"] == "operator" for m in page["items"]),
    )
    contents = {m["content"] for m in body["items"]}
    assert "hi there" in contents and not any("\x00" in c for c in contents)


def test_a_value_the_database_refuses_is_a_422_not_a_503(
    admin: tuple[Api, httpx.Client],
) -> None:
    harness, _ = admin
    # a WhatsApp id longer than its column (128): PostgreSQL refuses it, SQLite keeps it
    body = text_message("shop", ALICE, "hello", "m" * 300)
    answer = harness.http.post(f"/webhooks/bridge/{TOKEN}", content=body)
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 422:
        assert answer.json()["detail"].startswith("a value cannot be stored")
    assert harness.http.get("/ready").status_code == 200
