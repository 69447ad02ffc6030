"""``wa-agents serve`` on the real defaults (MiniLM on ONNX, embedded chromadb, SQLite, the
scripted model, the sandbox): a document uploaded to an agent answers a WhatsApp question
with a citation in the audit, and /search and /api/v1/search find paraphrases."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.server_process import ServerProcess

JID = "15551230000@s.whatsapp.net"
POLICY = """# Returns policy

## Refunds
You can send back any purchase within 30 days, and we pay the full amount back to the card
you used. Items must be unused and in their original box.

## Shipping
Orders leave our warehouse within two working days.
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[httpx.Client]:
    env = {  # nothing about embedders or stores: the defaults
        "WA_DATA_DIR": str(tmp_path / "var"),
        "WA_DEBOUNCE_MS": "0",
        "WA_SEND_MIN_INTERVAL_MS": "0",
        "WA_ADMIN_USERNAME": "admin",
        "WA_ADMIN_PASSWORD": "an-admin-passphrase-for-e2e",
    }
    server = ServerProcess(env, tmp_path / "serve.log")
    server.start(timeout=120)
    try:
        http = httpx.Client(base_url=server.url, timeout=60)
        token = http.post(
            "/api/v1/auth/login",
            json={"username": "admin", "password": "an-admin-passphrase-for-e2e"},
        ).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        yield http
        http.close()
    finally:
        server.stop()
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
    assert (tmp_path / "var" / "chroma").is_dir()  # the embedded chromadb was used


def until(get: Callable[[], Any], ok: Callable[[Any], bool], seconds: float = 90) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = get()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never matched: {value}")
        time.sleep(0.2)


def test_an_uploaded_document_answers_with_a_citation(served: httpx.Client) -> None:
    http = served
    agent = http.post(
        "/api/v1/agents",
        json={
            "name": "Shop",
            "model": "scripted",
            "system_prompt": "Answer from the shop's documents.",
            "tools": ["search_knowledge"],
        },
    ).json()
    docs = f"/api/v1/agents/{agent['id']}/documents"
    upload = http.post(
        docs, files={"file": ("Returns policy.md", POLICY.encode(), "text/markdown")}
    )
    assert upload.status_code == 201, upload.text
    document = upload.json()
    until(lambda: http.get(docs).json()["items"][0]["status"], lambda s: s == "indexed")

    assert http.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]}).is_success
    assert http.post("/api/v1/sandbox/sessions/shop/scan").is_success
    question = "Is it possible to get a refund if I return something I bought?"
    http.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": question})
    messages = f"/api/v1/sessions/shop/conversations/{JID}/messages"
    page = until(lambda: http.get(messages).json(), lambda p: p["total"] == 2)
    reply = page["items"][0]["content"]
    assert "«Returns policy»" in reply and "full amount back to the card" in reply, reply

    audit = until(
        lambda: http.get("/api/v1/audit", params={"action": "ai.reply"}).json()["items"],
        lambda items: bool(items),
    )
    [call] = audit[0]["details"]["tool_calls"]
    assert call["name"] == "search_knowledge"
    cited = call["citations"][0]
    assert (cited["document_id"], cited["title"]) == (document["id"], "Returns policy")
    assert cited["chunk_id"].startswith(document["id"]) and cited["score"] > 0.3

    # /search in the chat finds the question by meaning (no word in common with "refund")
    http.post(
        "/api/v1/sandbox/sessions/shop/inbound",
        json={"from": JID, "text": "/search sending back a purchase for my money"},
    )
    page = until(lambda: http.get(messages).json(), lambda p: p["total"] == 4)
    assert (
        page["items"][0]["content"].startswith("Found:") and question in page["items"][0]["content"]
    )

    found = until(
        lambda: http.get(
            "/api/v1/search", params={"q": "customer wants a reimbursement", "direction": "inbound"}
        ).json()["items"],
        lambda items: bool(items),
    )
    assert found[0]["content"] == question and found[0]["contact_jid"] == JID
