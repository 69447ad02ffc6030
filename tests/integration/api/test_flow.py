"""The vertical slice over real HTTP: agent, sandbox session, scan, inbound, scripted reply."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import Api

JID = "15551230000@s.whatsapp.net"


def make_agent(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": "Helper", "model": "scripted", "system_prompt": "Be brief.", **fields}
    response = client.post("/api/v1/agents", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def linked_session(client: httpx.Client, session_id: str = "shop") -> dict[str, Any]:
    agent = make_agent(client)
    created = client.post("/api/v1/sessions", json={"id": session_id, "agent_id": agent["id"]})
    assert created.status_code == 201, created.text
    scanned = client.post(f"/api/v1/sandbox/sessions/{session_id}/scan")
    assert scanned.status_code == 200, scanned.text
    body: dict[str, Any] = scanned.json()
    return body


def test_a_sandbox_user_gets_the_scripted_reply(api: Api, admin: httpx.Client) -> None:
    agent = make_agent(admin, tools=["current_time"])
    created = admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent["id"]})
    assert created.status_code == 201
    session = created.json()
    assert session["status"] == "qr_waiting"
    assert session["qr_code"].startswith("data:image/png;base64,")
    assert session["qr_expires_at"] and session["agent_id"] == agent["id"]

    scanned = admin.post("/api/v1/sandbox/sessions/shop/scan").json()
    assert scanned["status"] == "connected" and scanned["qr_code"] is None
    assert scanned["phone_number"].startswith("1555")

    sent = admin.post(
        "/api/v1/sandbox/sessions/shop/inbound", json={"from": "+1 555 123 0000", "text": "hello"}
    )
    assert sent.status_code == 202, sent.text
    assert (sent.json()["contact_jid"], sent.json()["direction"]) == (JID, "inbound")

    history = api.wait_for(
        admin,
        f"/api/v1/sessions/shop/conversations/{JID}/messages",
        lambda page: page["total"] == 2 and page["items"][0]["status"] == "sent",
    )
    reply, question = history["items"]
    assert reply["direction"] == "outbound"
    assert reply["content"] == "(scripted demo reply) You said: hello"
    assert question["content"] == "hello" and question["status"] == "processed"
    assert set(history) == {"items", "total", "limit", "offset"}

    [conversation] = admin.get("/api/v1/sessions/shop/conversations").json()["items"]
    assert conversation["mode"] == "ai" and conversation["last_message"]["id"] == reply["id"]


def test_an_operator_takes_over_and_answers(api: Api, admin: httpx.Client) -> None:
    linked_session(admin)
    admin.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "hi"})
    path = f"/api/v1/sessions/shop/conversations/{JID}"
    api.wait_for(admin, path + "/messages", lambda page: page["total"] == 2)

    human = admin.patch(path, json={"mode": "human"})
    assert human.status_code == 200 and human.json()["mode"] == "human"
    admin.post("/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "a person?"})
    answer = admin.post(path + "/messages", json={"text": "Yes, Ana here."})
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "queued"
    page = api.wait_for(
        admin, path + "/messages", lambda p: p["total"] == 5 and p["items"][0]["status"] == "sent"
    )
    assert [m["content"] for m in page["items"][:3]] == [
        "Yes, Ana here.",
        "a person?",
        "OK, a person will answer you here as soon as possible.",  # the switch told the user
    ]
    assert page["items"][0]["metadata"]["operator"] == "root"

    paged = admin.get(path + "/messages", params={"limit": 1, "offset": 1}).json()
    assert (paged["total"], paged["limit"], paged["offset"]) == (5, 1, 1)
    assert [m["content"] for m in paged["items"]] == ["a person?"]


def test_session_lifecycle(admin: httpx.Client) -> None:
    linked_session(admin)
    assert admin.get("/api/v1/sessions").json()["total"] == 1
    out = admin.post("/api/v1/sessions/shop/logout")
    assert out.status_code == 200 and out.json()["status"] == "logged_out"
    refused = admin.post("/api/v1/sandbox/sessions/shop/scan")
    assert refused.status_code == 409
    again = admin.post("/api/v1/sessions/shop/reconnect").json()
    assert again["status"] == "qr_waiting" and again["qr_code"]
    assert admin.get("/api/v1/sessions/shop").json()["qr_code"] == again["qr_code"]
    assert admin.patch("/api/v1/sessions/shop", json={"agent_id": None}).json()["agent_id"] is None
    assert admin.delete("/api/v1/sessions/shop").status_code == 204
    assert admin.get("/api/v1/sessions/shop").status_code == 404


def test_session_errors(admin: httpx.Client) -> None:
    def status(response: httpx.Response) -> tuple[int, set[str]]:
        return response.status_code, set(response.json())

    shape = {"status_code", "detail"}
    assert status(admin.post("/api/v1/sessions", json={"id": "bad id!"})) == (400, shape)
    assert status(admin.post("/api/v1/sessions", json={"id": "s", "agent_id": "ghost"})) == (
        404,
        shape,
    )
    admin.post("/api/v1/sessions", json={"id": "s"})
    assert status(admin.post("/api/v1/sessions", json={"id": "s"})) == (409, shape)
    assert status(admin.patch("/api/v1/sessions/s", json={"agent_id": "ghost"})) == (404, shape)
    for path in ("/reconnect", "/logout"):
        assert admin.post("/api/v1/sessions/ghost" + path).status_code == 404
    assert admin.delete("/api/v1/sessions/ghost").status_code == 404
    inbound = admin.post("/api/v1/sandbox/sessions/s/inbound", json={"from": JID, "text": "x"})
    assert inbound.status_code == 409  # not scanned yet
    admin.post("/api/v1/sandbox/sessions/s/scan")
    bad_jid = admin.post("/api/v1/sandbox/sessions/s/inbound", json={"from": "nobody", "text": "x"})
    assert bad_jid.status_code == 422
    assert admin.post("/api/v1/sandbox/sessions/ghost/scan").status_code == 404
    assert admin.get("/api/v1/sessions/ghost/conversations").status_code == 404
    conv = "/api/v1/sessions/s/conversations/15550000000@s.whatsapp.net"
    assert admin.get(conv + "/messages").status_code == 404
    assert admin.patch(conv, json={"mode": "human"}).status_code == 404
    assert admin.patch(conv, json={"mode": "robot"}).status_code == 400
    assert admin.post(conv + "/messages", json={"text": ""}).status_code == 400
    assert (
        admin.post(
            "/api/v1/sessions/ghost/conversations/1555/messages", json={"text": "x"}
        ).status_code
        == 404
    )
