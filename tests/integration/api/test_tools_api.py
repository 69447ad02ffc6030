"""The tools and approvals routes over real HTTP: CRUD with clear 4xx, roles, the tool list,
approval policies, and approvals decided through the API (one reply each, 409 the second time)."""

from __future__ import annotations

import httpx

from tests.support.api import Api

JID = "15551230000@s.whatsapp.net"
TOOL = {
    "name": "order_status",
    "description": "Look up an order",
    "url": "https://api.example.com/orders/{order_id}",
    "parameters": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}},
        "required": ["order_id"],
    },
    "headers": {"Authorization": "Bearer ${WA_TOOL_SECRET_CRM}"},
}


def _agent(client: httpx.Client, tools: list[str] | None = None) -> str:
    body = {"name": "Shop", "model": "scripted", "system_prompt": "Help.", "tools": tools or []}
    created = client.post("/api/v1/agents", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_http_tools_crud(api: Api, admin: httpx.Client) -> None:
    agent = _agent(admin)
    base = f"/api/v1/agents/{agent}/http-tools"
    created = admin.post(base, json=TOOL)
    assert created.status_code == 201, created.text
    tool = created.json()
    assert tool["secrets"] == ["WA_TOOL_SECRET_CRM"]
    assert tool["allowed_hosts"] == ["api.example.com"]  # defaults to the URL's own host
    assert admin.post(base, json=TOOL).status_code == 409
    listed = admin.get(base).json()
    assert set(listed) == {"items", "total", "limit", "offset"} and listed["total"] == 1
    changed = admin.put(f"{base}/{tool['id']}", json={**TOOL, "method": "POST"})
    assert changed.status_code == 200 and changed.json()["method"] == "POST"
    assert admin.get(f"{base}/{tool['id']}").json()["method"] == "POST"
    assert admin.delete(f"{base}/{tool['id']}").status_code == 204
    assert admin.get(f"{base}/{tool['id']}").status_code == 404
    assert admin.get("/api/v1/agents/nope/http-tools").status_code == 404


def test_bad_definitions_are_4xx_with_a_detail(api: Api, admin: httpx.Client) -> None:
    base = f"/api/v1/agents/{_agent(admin)}/http-tools"
    cases = [
        ({**TOOL, "url": "http://{host}/x"}, 422, "written out"),
        ({**TOOL, "headers": {"X": "${AWS_SECRET_ACCESS_KEY}"}}, 422, "WA_TOOL_SECRET_"),
        ({**TOOL, "method": "TRACE"}, 400, "method"),
        ({**TOOL, "allowed_hosts": [""]}, 422, "not a host name"),
        ({**TOOL, "timeout_seconds": 600}, 400, "timeout_seconds"),
        ({**TOOL, "parameters": {"type": "object", "oneOf": []}}, 422, "unsupported"),
    ]
    for body, status, detail in cases:
        response = admin.post(base, json=body)
        assert response.status_code == status, (body, response.text)
        assert detail in response.json()["detail"], response.text


def test_viewers_read_but_do_not_write(api: Api, admin: httpx.Client) -> None:
    agent = _agent(admin)
    viewer = api.user("viewer")
    assert viewer.post(f"/api/v1/agents/{agent}/http-tools", json=TOOL).status_code == 403
    assert viewer.get(f"/api/v1/agents/{agent}/http-tools").status_code == 200
    body = {"name": "crm", "url": "https://mcp.example.com/mcp", "allowed_tools": ["a"]}
    assert viewer.post(f"/api/v1/agents/{agent}/mcp-servers", json=body).status_code == 403
    assert viewer.post("/api/v1/approvals/x/approve").status_code == 403


def test_mcp_servers_crud_and_the_tool_list(api: Api, admin: httpx.Client) -> None:
    agent = _agent(admin, ["current_time"])
    base = f"/api/v1/agents/{agent}/mcp-servers"
    body = {"name": "crm", "url": "https://mcp.example.com/mcp", "allowed_tools": ["lookup"]}
    created = admin.post(base, json=body)
    assert created.status_code == 201, created.text
    assert admin.post(base, json={**body, "allowed_tools": []}).status_code == 422
    assert admin.post(f"/api/v1/agents/{agent}/http-tools", json=TOOL).status_code == 201
    tools = admin.get(f"/api/v1/agents/{agent}/tools").json()
    assert [(t["name"], t["kind"]) for t in tools["items"]] == [
        ("current_time", "builtin"),
        ("order_status", "http"),
    ]
    assert tools["items"][1]["parameters"] == TOOL["parameters"]
    assert "crm" in tools["unavailable"]  # mcp.example.com is not reachable from a test
    policy = admin.put(
        f"/api/v1/agents/{agent}/tools/order_status/approval", json={"requires_approval": True}
    )
    assert policy.status_code == 200 and policy.json()["requires_approval"] is True
    mcp_policy = admin.put(
        f"/api/v1/agents/{agent}/tools/crm__lookup/approval", json={"requires_approval": True}
    )
    assert mcp_policy.status_code == 200 and mcp_policy.json()["kind"] == "mcp"
    unknown = admin.put(
        f"/api/v1/agents/{agent}/tools/crm__drop/approval", json={"requires_approval": True}
    )
    assert unknown.status_code == 404
    assert admin.delete(f"{base}/{created.json()['id']}").status_code == 204


def _pending(api: Api, admin: httpx.Client) -> dict[str, object]:
    agent = _agent(admin, ["current_time"])
    admin.put(
        f"/api/v1/agents/{agent}/tools/current_time/approval", json={"requires_approval": True}
    )
    admin.post("/api/v1/sessions", json={"id": "shop", "agent_id": agent})
    admin.post("/api/v1/sandbox/sessions/shop/scan")
    sent = admin.post(
        "/api/v1/sandbox/sessions/shop/inbound", json={"from": JID, "text": "what time is it?"}
    )
    assert sent.status_code == 202, sent.text
    page = api.wait_for(admin, "/api/v1/approvals?status=pending", lambda b: b["total"] == 1)
    return dict(page["items"][0])


def _replies(api: Api, admin: httpx.Client) -> list[str]:
    path = f"/api/v1/sessions/shop/conversations/{JID}/messages"
    page = api.wait_for(admin, path, lambda b: b["total"] == 2)
    return [m["content"] for m in page["items"] if m["direction"] == "outbound"]


def test_an_approval_approved_through_the_api(api: Api, admin: httpx.Client) -> None:
    approval = _pending(api, admin)
    assert set(approval) == {
        "id",
        "agent_id",
        "session_id",
        "contact_jid",
        "conversation_id",
        "tool",
        "arguments",
        "status",
        "reason",
        "created_at",
        "expires_at",
        "decided_at",
        "decided_by",
    }
    assert (approval["tool"], approval["arguments"], approval["contact_jid"]) == (
        "current_time",
        {},
        JID,
    )
    operator = api.user("operator")
    decided = operator.post(f"/api/v1/approvals/{approval['id']}/approve")
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    assert decided.json()["decided_by"] == "operator-user"
    again = operator.post(f"/api/v1/approvals/{approval['id']}/reject")
    assert again.status_code == 409 and "already" in again.json()["detail"]
    [reply] = _replies(api, admin)
    assert reply.startswith("Here is what I found:\ncurrent_time: 20")  # the call ran
    assert admin.get("/api/v1/approvals?status=approved").json()["total"] == 1


def test_an_approval_rejected_with_a_reason(api: Api, admin: httpx.Client) -> None:
    approval = _pending(api, admin)
    rejected = admin.post(f"/api/v1/approvals/{approval['id']}/reject", json={"reason": "not now"})
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "not now")
    assert len(_replies(api, admin)) == 1
    assert admin.post(f"/api/v1/approvals/{approval['id']}/approve").status_code == 409
    assert admin.post("/api/v1/approvals/nope/approve").status_code == 404
    bad = admin.post(f"/api/v1/approvals/{approval['id']}/reject", content=b"{not json")
    assert bad.status_code == 400
    assert admin.get("/api/v1/approvals?status=bogus").status_code == 400
