"""Status broadcasts, broadcast lists and newsletters are never answered, whichever way they
arrive: the zapw token route, the signed route, the sandbox; nor can an operator write to them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from tests.support.webhooks import SECRET, TOKEN, signed_headers, text_message
from wa_agents.entrypoints.http import create_app

ALICE = "15551230001@s.whatsapp.net"
NOT_CHATS = ["status@broadcast", "120363012345678901@broadcast", "120363099999999999@newsletter"]


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[Api, httpx.Client]]:
    settings = api_settings(tmp_path, webhook_secrets=(SECRET,), webhook_token=TOKEN)
    container = api_container(settings)
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        admin = harness.client(harness.token())
        agent = admin.post(
            "/api/v1/agents", json={"name": "Shop", "model": "m", "system_prompt": "Hi"}
        ).json()
        assert admin.post(
            "/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]}
        ).is_success
        assert admin.post("/api/v1/sandbox/sessions/shop/scan").is_success
        yield harness, admin
        harness.http.close()


def conversations(admin: httpx.Client) -> list[dict[str, Any]]:
    return list(admin.get("/api/v1/sessions/shop/conversations").json()["items"])


def test_non_chat_senders_are_never_answered_by_any_route(api: tuple[Api, httpx.Client]) -> None:
    harness, admin = api
    for n, jid in enumerate(NOT_CHATS):
        by_token = text_message("shop", jid, "a status update", f"tok-{n}", participant=ALICE)
        answer = harness.http.post(f"/webhooks/bridge/{TOKEN}", content=by_token)
        assert answer.status_code == 200 and answer.json() == {"status": "ignored"}, answer.text
        signed = text_message("shop", jid, "a status update", f"sig-{n}", participant=ALICE)
        answer = harness.http.post(
            "/webhooks/bridge", content=signed, headers=signed_headers(signed, f"evt-{n}")
        )
        assert answer.status_code == 200 and answer.json() == {"status": "ignored"}, answer.text
        sandbox = admin.post(
            "/api/v1/sandbox/sessions/shop/inbound", json={"from": jid, "text": "a status"}
        )
        assert sandbox.status_code == 202, sandbox.text
        sent = admin.post(
            f"/api/v1/sessions/shop/conversations/{jid}/messages", json={"text": "hello status"}
        )
        assert sent.status_code in (404, 422), sent.text  # never queued to a non-chat
    # a real chat afterwards is answered: the worker runs, so silence above means refusal
    alice = text_message("shop", ALICE, "hi", "alice-1")
    assert harness.http.post(f"/webhooks/bridge/{TOKEN}", content=alice).json() == {
        "status": "stored"
    }
    deadline = time.monotonic() + 20
    path = f"/api/v1/sessions/shop/conversations/{ALICE}/messages"
    while admin.get(path).json()["total"] < 2:
        assert time.monotonic() < deadline, "the chat was never answered"
        time.sleep(0.05)
    time.sleep(0.5)  # any turn for the others would have run by now (one worker, FIFO)
    assert [c["contact_jid"] for c in conversations(admin)] == [ALICE]
    for jid in NOT_CHATS:
        assert admin.get(f"/api/v1/sessions/shop/conversations/{jid}/messages").status_code == 404
