"""Knowledge documents and search over real HTTP: uploads of every kind, the index status,
replacing, deleting, and /api/v1/search over messages and chunks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from dependency_injector import providers

from tests.support.api import Api, api_container, api_settings, serving
from tests.unit.test_document_reading import tiny_pdf
from wa_agents.adapters.memory.outbound import MemoryOutboundHttp
from wa_agents.entrypoints.http import create_app

JID = "15551230000@s.whatsapp.net"
WEB = MemoryOutboundHttp(dns={"docs.example.com": ["93.184.216.34"], "intranet": ["10.0.0.5"]})


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    container = api_container(api_settings(tmp_path))
    container.outbound.override(providers.Object(WEB))
    with serving(create_app(container)) as url:
        harness = Api(url, container)
        yield harness
        harness.http.close()


@pytest.fixture
def operator(api: Api) -> httpx.Client:
    return api.user("operator")


def make_agent(client: httpx.Client) -> str:
    body = {"name": "Shop", "model": "scripted", "system_prompt": "Help."}
    created = client.post("/api/v1/agents", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def indexed(api: Api, client: httpx.Client, agent: str, count: int) -> list[dict[str, object]]:
    page = api.wait_for(
        client,
        f"/api/v1/agents/{agent}/documents",
        lambda b: b["total"] == count and all(d["status"] == "indexed" for d in b["items"]),
    )
    return list(page["items"])


def test_every_kind_of_upload_is_read_chunked_and_indexed(api: Api, operator: httpx.Client) -> None:
    agent = make_agent(operator)
    docs = f"/api/v1/agents/{agent}/documents"
    WEB.serve(
        "https://docs.example.com/hours.html",
        body=b"<h1>Hours</h1><p>Open 9 to 5.</p>",
        headers={"content-type": "text/html; charset=utf-8"},
    )
    uploads = [
        operator.post(
            docs, files={"file": ("faq.md", b"# FAQ\nWe ship in two days.", "text/markdown")}
        ),
        operator.post(
            docs,
            files={"file": ("page.html", b"<h2>Returns</h2><p>Thirty days.</p>", "text/html")},
            data={"title": "Returns"},
        ),
        operator.post(
            docs,
            files={"file": ("terms.pdf", tiny_pdf("Warranty lasts two years."), "application/pdf")},
        ),
        operator.post(docs, json={"title": "Notes", "content": "Parking is free for customers."}),
        operator.post(docs, json={"url": "https://docs.example.com/hours.html"}),
    ]
    assert [u.status_code for u in uploads] == [201] * 5, [u.text for u in uploads]
    assert uploads[0].json()["status"] == "pending" and uploads[0].json()["chunk_count"] == 1
    items = indexed(api, operator, agent, 5)
    titles = {d["title"]: d for d in items}
    assert set(titles) == {"faq", "Returns", "terms", "Notes", "hours"}
    assert titles["hours"]["source"] == "url" and titles["hours"]["media_type"] == "text/html"
    assert titles["terms"]["media_type"] == "application/pdf"
    found = operator.get("/api/v1/search", params={"q": "warranty years", "kind": "chunk"}).json()
    assert found["items"][0]["title"] == "terms" and "two years" in found["items"][0]["content"]
    assert found["items"][0]["document_id"] == titles["terms"]["id"]


def test_refusals_name_their_reason(api: Api, operator: httpx.Client) -> None:
    docs = f"/api/v1/agents/{make_agent(operator)}/documents"
    big = operator.post(
        docs, files={"file": ("big.txt", b"x" * (10 * 1024 * 1024 + 1), "text/plain")}
    )
    assert big.status_code == 413
    plain = operator.post(docs, content=b"hello", headers={"content-type": "text/plain"})
    assert plain.status_code == 415 and "multipart" in plain.json()["detail"]
    private = operator.post(docs, json={"url": "http://intranet/wiki"})
    assert private.status_code == 422 and "refused" in private.json()["detail"]
    missing = operator.post(docs, json={"url": "https://docs.example.com/nothing"})
    assert missing.status_code == 422 and "404" in missing.json()["detail"]
    nofile = operator.post(docs, files={"other": ("a.txt", b"x", "text/plain")})
    assert nofile.status_code == 400 and "file" in nofile.json()["detail"]


def test_same_title_replaces_and_delete_removes(api: Api, operator: httpx.Client) -> None:
    agent = make_agent(operator)
    docs = f"/api/v1/agents/{agent}/documents"
    operator.post(docs, json={"title": "FAQ", "content": "Old answer about llamas."})
    indexed(api, operator, agent, 1)
    new = operator.post(docs, json={"title": "FAQ", "content": "New answer about parking."}).json()
    [item] = indexed(api, operator, agent, 1)
    assert item["id"] == new["id"]
    hits = operator.get(
        "/api/v1/search", params={"q": "llamas", "kind": "chunk", "agent_id": agent}
    )
    assert all(h["document_id"] == new["id"] for h in hits.json()["items"])
    assert operator.delete(f"{docs}/{new['id']}").status_code == 204
    assert operator.get(docs).json()["total"] == 0
    gone = operator.get("/api/v1/search", params={"q": "parking", "kind": "chunk"}).json()
    assert gone["items"] == []


def test_search_finds_messages_with_their_conversation(api: Api, operator: httpx.Client) -> None:
    agent = make_agent(operator)
    operator.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent})
    operator.post("/api/v1/sandbox/sessions/shop/scan")
    sent = operator.post(
        "/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "my invoice is 4411"}
    )
    assert sent.status_code == 202
    viewer = api.user("viewer")
    body = api.wait_for(
        viewer,
        "/api/v1/search?q=invoice&direction=inbound&contact=15551230000",
        lambda b: b["total"] >= 1,
        seconds=20,
    )
    hit = body["items"][0]
    assert (hit["kind"], hit["session_id"], hit["contact_jid"], hit["direction"]) == (
        "message",
        "shop",
        JID,
        "inbound",
    )
    assert hit["content"] == "my invoice is 4411" and hit["message_id"] and hit["score"] > 0
    other = viewer.get("/api/v1/search", params={"q": "invoice", "session_id": "elsewhere"})
    assert other.json()["items"] == []
