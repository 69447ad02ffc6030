"""Users, agents, logs, audit, stats, live events and the protections, over real HTTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import Api, api_container, api_settings, serving
from wa_agents.entrypoints.http import create_app


def test_users_are_managed_by_admins(api: Api, admin: httpx.Client) -> None:
    body = {"username": "dora", "email": "dora@example.com", "password": "a-fine-passphrase"}
    created = admin.post("/api/v1/users", json=body)
    assert created.status_code == 201 and created.json()["role"] == "viewer"
    user_id = created.json()["id"]
    assert admin.post("/api/v1/users", json=body).status_code == 409
    common = {**body, "username": "eve", "email": "eve@example.com", "password": "password123"}
    assert admin.post("/api/v1/users", json=common).status_code == 422
    short = {**common, "password": "short"}
    assert admin.post("/api/v1/users", json=short).status_code == 400
    changed = admin.patch(f"/api/v1/users/{user_id}", json={"role": "operator"})
    assert changed.json()["role"] == "operator"
    reset = admin.post(
        f"/api/v1/users/{user_id}/reset-password", json={"password": "new-passphrase-1"}
    )
    assert reset.status_code == 200
    assert api.token("dora", "new-passphrase-1")
    assert admin.get(f"/api/v1/users/{user_id}").json()["username"] == "dora"
    assert admin.get("/api/v1/users/ghost").status_code == 404
    page = admin.get("/api/v1/users", params={"limit": 1}).json()
    assert (page["total"], page["limit"], len(page["items"])) == (2, 1, 1)
    assert admin.get("/api/v1/users", params={"limit": 0}).status_code == 400


def test_agents_are_validated(admin: httpx.Client) -> None:
    good = {"name": "A", "model": "scripted", "system_prompt": "Hi", "tools": ["current_time"]}
    agent = admin.post("/api/v1/agents", json=good).json()
    bad = [
        {**good, "tools": ["rm_rf"]},
        {**good, "temperature": 2.5},
        {**good, "name": ""},
        {**good, "system_prompt": "x" * 20_001},
        {"name": "no model"},
    ]
    assert [admin.post("/api/v1/agents", json=b).status_code for b in bad] == [400] * 5
    path = f"/api/v1/agents/{agent['id']}"
    changed = admin.patch(path, json={"temperature": 0.1, "tools": []}).json()
    assert (changed["temperature"], changed["tools"], changed["name"]) == (0.1, [], "A")
    assert admin.get("/api/v1/agents").json()["total"] == 1
    admin.post("/api/v1/sessions", json={"id": "s", "agent_id": agent["id"]})
    assert admin.delete(path).status_code == 409  # a session still uses it
    admin.patch("/api/v1/sessions/s", json={"agent_id": None})
    assert admin.delete(path).status_code == 204
    assert admin.get(path).status_code == 404
    assert admin.patch(path, json={"name": "x"}).status_code == 404


def test_audit_logs_and_stats(admin: httpx.Client) -> None:
    admin.post("/api/v1/agents", json={"name": "A", "model": "scripted", "system_prompt": ""})
    audit = admin.get("/api/v1/audit", params={"action": "agent.create"}).json()
    assert [(e["actor"], e["action"]) for e in audit["items"]] == [("root", "agent.create")]
    since = admin.get("/api/v1/audit", params={"since": "2999-01-01T00:00:00"}).json()
    assert since["total"] == 0
    logs = admin.get("/api/v1/logs", params={"level": "error", "source": "x"}).json()
    assert set(logs) == {"items", "total", "limit", "offset"}
    assert admin.get("/api/v1/logs", params={"level": "loud"}).status_code == 400
    stats = admin.get("/api/v1/stats").json()
    assert (stats["users"], stats["agents"], stats["messages"]) == (
        1,
        1,
        {"inbound": 0, "outbound": 0, "failed": 0},
    )


def test_live_events_follow_a_session(api: Api, admin: httpx.Client) -> None:
    events: list[tuple[str, dict[str, object]]] = []
    connected = threading.Event()

    def listen() -> None:
        with admin.stream("GET", "/api/v1/events", timeout=10) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            kind = None
            for line in stream.iter_lines():
                connected.set()
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind:
                    events.append((kind, json.loads(line[6:])))
                    if len(events) == 2:
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert connected.wait(5)
    admin.post("/api/v1/sessions", json={"id": "live"})
    admin.post("/api/v1/sandbox/sessions/live/scan")
    listener.join(10)
    assert [(k, e["status"]) for k, e in events] == [
        ("session.status", "qr_waiting"),
        ("session.status", "connected"),
    ]
    assert api.client(None).get("/api/v1/events").status_code == 401


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[str]:
    settings = api_settings(tmp_path, cors_origins=("https://dash.example",))
    with serving(create_app(api_container(settings))) as url:
        yield url


def test_protections(guarded: str) -> None:
    http = httpx.Client(base_url=guarded)
    health = http.get("/health", headers={"X-Request-ID": "trace-123"})
    assert health.headers["x-request-id"] == "trace-123"
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in health.headers["content-security-policy"]
    unsafe = http.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    missing = http.get("/nowhere")
    assert missing.status_code == 404 and missing.headers["x-request-id"]
    assert missing.json() == {"status_code": 404, "detail": "Not Found"}
    huge = http.post(
        "/api/v1/auth/login",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and set(huge.json()) == {"status_code", "detail"}
    broken = http.post(
        "/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and "Traceback" not in broken.text
    preflight = http.options(
        "/api/v1/agents",
        headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["access-control-allow-origin"] == "https://dash.example"
    foreign = http.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in foreign.headers
    ready = http.get("/ready").json()
    assert ready == {"status": "ready", "checks": {"database": "ok", "llm": "scripted"}}


def test_a_browser_event_stream_opens_with_a_ticket_never_a_token_in_the_url(api: Api) -> None:
    """EventSource cannot send headers: the stream takes a single-use ticket in the query."""
    anonymous = api.client(None)
    token = api.token()
    assert anonymous.get("/api/v1/events", params={"access_token": token}).status_code == 401
    ticket = api.client(token).post("/api/v1/events/ticket")
    assert ticket.status_code == 201 and ticket.json()["expires_in"] == 30
    opened = {"ticket": ticket.json()["ticket"]}
    with anonymous.stream("GET", "/api/v1/events", params=opened, timeout=5) as ok:
        assert ok.status_code == 200
    assert anonymous.get("/api/v1/events", params={"ticket": "forged"}).status_code == 401
    assert anonymous.get("/api/v1/agents", params={"ticket": opened["ticket"]}).status_code == 401
