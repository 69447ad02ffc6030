"""The routes the dashboard reads over real HTTP: the inbox, stats, a number's settings."""

from __future__ import annotations

import httpx

from tests.support.api import Api
from wa_agents.adapters.sandbox.gateway import PAIRING_ALPHABET, sandbox_pairing_code

JID = "15551230000@s.whatsapp.net"


def linked(admin: httpx.Client) -> None:
    agent = admin.post("/api/v1/agents", json={"name": "A", "model": "m", "system_prompt": "p"})
    admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent.json()["id"]})
    admin.post("/api/v1/sandbox/sessions/shop/scan")


def test_the_inbox_lists_conversations_of_every_number(api: Api, admin: httpx.Client) -> None:
    linked(admin)
    admin.post("/api/v1/sessions", json={"id": "other"})
    admin.post("/api/v1/sandbox/sessions/other/scan")
    for session in ("shop", "other"):
        sent = admin.post(
            f"/api/v1/sandbox/sessions/{session}/inbound", json={"from": JID, "text": "hi"}
        )
        assert sent.status_code == 202
    page = api.wait_for(admin, "/api/v1/conversations", lambda b: b["total"] == 2)
    assert {c["session_id"] for c in page["items"]} == {"shop", "other"}
    other = api.wait_for(
        admin, "/api/v1/conversations?session_id=other", lambda b: b["items"][0]["unread"] == 1
    )
    assert other["items"][0]["last_message"]["content"] == "hi"  # no agent: nobody answers
    shop = api.wait_for(
        admin, "/api/v1/conversations?session_id=shop", lambda b: b["items"][0]["unread"] == 0
    )
    reply = shop["items"][0]["last_message"]
    assert reply["direction"] == "outbound" and reply["metadata"]["tool_calls"] == []
    assert admin.get("/api/v1/conversations", params={"mode": "human"}).json()["total"] == 0
    assert admin.get("/api/v1/conversations", params={"contact": "1555123"}).json()["total"] == 2


def test_stats_tell_today_and_the_queue(api: Api, admin: httpx.Client) -> None:
    linked(admin)
    admin.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "hi"})
    stats = api.wait_for(
        admin, "/api/v1/stats?tz=America/Sao_Paulo", lambda b: b["today"]["outbound"] == 1
    )
    assert stats["today"]["inbound"] == 1 and len(stats["daily"]) == 7
    assert stats["daily"][-1] == stats["today"]
    assert set(stats["queue"]) == {"depth", "oldest_run_at", "oldest_kind"}
    assert stats["messages"]["failed"] == 0 and stats["failed_today"] == 0
    assert stats["sessions"]["connected"] == 1


def test_a_numbers_pacing_and_agent_change_apart(admin: httpx.Client) -> None:
    linked(admin)
    before = admin.get("/api/v1/sessions/shop").json()
    assert before["send_min_interval_ms"] is None
    paced = admin.patch("/api/v1/sessions/shop", json={"send_min_interval_ms": 2500}).json()
    assert paced["send_min_interval_ms"] == 2500 and paced["agent_id"] == before["agent_id"]
    unassigned = admin.patch("/api/v1/sessions/shop", json={"agent_id": None}).json()
    assert unassigned["agent_id"] is None and unassigned["send_min_interval_ms"] == 2500
    default = admin.patch("/api/v1/sessions/shop", json={"send_min_interval_ms": None}).json()
    assert default["send_min_interval_ms"] is None
    too_slow = admin.patch("/api/v1/sessions/shop", json={"send_min_interval_ms": 600_001})
    assert too_slow.status_code == 400 and "send_min_interval_ms" in too_slow.json()["detail"]


def test_a_pairing_code_links_by_number_instead_of_the_qr(admin: httpx.Client) -> None:
    assert admin.post("/api/v1/sessions", json={"id": "shop"}).status_code == 201
    asked = admin.post(
        "/api/v1/sessions/shop/pairing-code", json={"phone_number": "+55 11 98888-7777"}
    )
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["session_id"] == "shop" and body["phone_number"] == "5511988887777"
    assert body["code"] == sandbox_pairing_code("shop", "5511988887777")  # the sandbox's own
    assert len(body["code"]) == 8 and set(body["code"]) <= set(PAIRING_ALPHABET)
    again = admin.post("/api/v1/sessions/shop/pairing-code", json={"phone_number": "5511988887777"})
    assert again.json()["code"] == body["code"]  # deterministic: the same number, the same code
    other = admin.post("/api/v1/sessions/shop/pairing-code", json={"phone_number": "5511977776666"})
    assert other.json()["code"] != body["code"]
    admin.post("/api/v1/sandbox/sessions/shop/scan")
    linked_already = admin.post(
        "/api/v1/sessions/shop/pairing-code", json={"phone_number": "5511988887777"}
    )
    assert linked_already.status_code == 409
    assert "waits for a scan" in linked_already.json()["detail"]
