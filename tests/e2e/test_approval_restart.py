"""Approvals survive a restart of ``wa-agents serve`` (SQLite, the sandbox, the scripted
model): one left pending while the server is down expires when it comes back, one approved
after a SIGKILL runs, one rejected after a SIGKILL tells the model; each ends in exactly one
reply."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server_process import ServerProcess

ADMIN, PASSWORD = "root", "root-passphrase-for-tests"
JID = "15551230000@s.whatsapp.net"
START = 300  # seconds: a loaded CI machine imports slowly
MESSAGES = f"/api/v1/sessions/shop/conversations/{JID}/messages"


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    env = {
        "WA_DATA_DIR": str(tmp_path / "data"),
        "WA_ADMIN_USERNAME": ADMIN,
        "WA_ADMIN_PASSWORD": PASSWORD,
        "WA_SECRET_KEY": "s" * 40,
        "WA_LLM": "scripted",
        "WA_DEBOUNCE_MS": "0",
        "WA_SEND_MIN_INTERVAL_MS": "0",
        "WA_WORKERS": "2",
        "WA_LOG_LEVEL": "warning",
        "WA_EMBEDDER": "hashing",
        "WA_VECTOR_STORE": "memory",
        "WA_APPROVAL_EXPIRY_SECONDS": str(getattr(request, "param", 600)),
    }
    process = ServerProcess(env, tmp_path / "server.log")
    process.start(timeout=START)
    try:
        yield process
    finally:
        process.stop()


def _client(server: ServerProcess) -> httpx.Client:
    login = httpx.post(
        server.url + "/api/v1/auth/login", json={"username": ADMIN, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})


def _wait(client: httpx.Client, path: str, predicate: object, seconds: float = 30) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while True:
        body = client.get(path).json()
        if predicate(body):  # type: ignore[operator]
            return dict(body)
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never matched; last: {body}")
        time.sleep(0.1)


def _pending(client: httpx.Client) -> str:
    agent = client.post(
        "/api/v1/agents",
        json={"name": "Shop", "model": "m", "system_prompt": "Help.", "tools": ["current_time"]},
    ).json()["id"]
    policy = client.put(
        f"/api/v1/agents/{agent}/tools/current_time/approval", json={"requires_approval": True}
    )
    assert policy.status_code == 200, policy.text
    client.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent})
    client.post("/api/v1/sandbox/sessions/shop/scan")
    client.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "what time?"})
    page = _wait(client, "/api/v1/approvals?status=pending", lambda b: b["total"] == 1)
    return str(page["items"][0]["id"])


def _outbound(client: httpx.Client) -> list[dict]:  # type: ignore[type-arg]
    items = client.get(MESSAGES).json()["items"]
    return [m for m in items if m["direction"] == "outbound"]


@pytest.mark.parametrize("server", [4], indirect=True)  # expires in 4 s
def test_an_approval_pending_across_a_restart_expires_with_one_reply(
    server: ServerProcess,
) -> None:
    with _client(server) as client:
        approval = _pending(client)
    server.stop()
    time.sleep(5)  # past the 4 s expiry while nothing runs
    server.start(timeout=START)
    with _client(server) as client:
        client.post("/api/v1/sandbox/sessions/shop/scan")  # the sandbox phone forgot the link
        done = _wait(client, f"/api/v1/approvals/{approval}", lambda b: b["status"] != "pending")
        assert done["status"] == "expired" and done["decided_by"] == "system"
        _wait(client, MESSAGES, lambda b: any(m["direction"] == "outbound" for m in b["items"]))
        time.sleep(1.5)  # a doubled reply would have time to appear
        [reply] = _outbound(client)
        assert "not run" in reply["content"] or "approved" in reply["content"]


def _decide_after_a_crash(
    server: ServerProcess, decision: str, outcome: str, body: dict[str, str]
) -> str:
    """SIGKILL the server while an approval is pending, restart it, decide, and return the
    one reply; a second decision is refused."""
    with _client(server) as client:
        approval = _pending(client)
    server.kill()
    server.start(timeout=START)
    with _client(server) as client:
        client.post("/api/v1/sandbox/sessions/shop/scan")
        decided = client.post(f"/api/v1/approvals/{approval}/{decision}", json=body)
        assert decided.status_code == 200, decided.text
        assert decided.json()["status"] == outcome
        _wait(client, MESSAGES, lambda b: any(m["direction"] == "outbound" for m in b["items"]))
        time.sleep(1.5)  # a doubled reply would have time to appear
        [reply] = _outbound(client)
        again = client.post(f"/api/v1/approvals/{approval}/approve")
        assert again.status_code == 409
        content: str = reply["content"]
        return content


def test_an_approval_approved_after_a_crash_runs_once_with_one_reply(
    server: ServerProcess,
) -> None:
    reply = _decide_after_a_crash(server, "approve", "approved", {})
    assert reply.startswith("Here is what I found:\ncurrent_time: ")


def test_an_approval_rejected_after_a_crash_tells_the_model_with_one_reply(
    server: ServerProcess,
) -> None:
    reply = _decide_after_a_crash(server, "reject", "rejected", {"reason": "not for this customer"})
    assert "rejected this call" in reply and "not run" in reply
