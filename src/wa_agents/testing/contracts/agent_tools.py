"""Contracts of ``ToolRepository`` and ``ApprovalRepository``.

Fixture: ``backend`` -> ``StorageBackend``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from wa_agents.domain.model.agent_tools import HttpTool, McpServer, ToolPolicy
from wa_agents.domain.model.approval import Approval, ApprovalStatus
from wa_agents.domain.model.errors import AlreadyExists, NotFound
from wa_agents.domain.model.page import PageRequest
from wa_agents.ports.unit_of_work import UnitOfWork
from wa_agents.testing.factories import at, make_agent, make_session
from wa_agents.testing.harness import StorageBackend


def make_http_tool(**overrides: object) -> HttpTool:
    fields: dict[str, object] = {
        "id": "t1",
        "agent_id": "a1",
        "name": "order_status",
        "description": "An order",
        "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}},
        "method": "GET",
        "url": "https://crm.example.com/orders/{order_id}",
        "headers": {"Authorization": "Bearer ${WA_TOOL_SECRET_CRM}"},
        "allowed_hosts": ("crm.example.com",),
        "created_at": at(1),
        "updated_at": at(1),
    }
    return HttpTool(**{**fields, **overrides})  # type: ignore[arg-type]


def make_mcp_server(**overrides: object) -> McpServer:
    fields: dict[str, object] = {
        "id": "m1",
        "agent_id": "a1",
        "name": "crm",
        "url": "https://mcp.example.com/mcp",
        "allowed_tools": ("lookup",),
        "created_at": at(1),
        "updated_at": at(1),
    }
    return McpServer(**{**fields, **overrides})  # type: ignore[arg-type]


def make_approval(**overrides: object) -> Approval:
    fields: dict[str, object] = {
        "id": "p1",
        "agent_id": "a1",
        "session_id": "s1",
        "contact_jid": "15551230000@s.whatsapp.net",
        "tool": "refund",
        "arguments": {"order_id": "42"},
        "created_at": at(1),
        "expires_at": at(1) + timedelta(hours=1),
        "state": {"messages": [{"role": "user", "content": "hi"}]},
    }
    return Approval(**{**fields, **overrides})  # type: ignore[arg-type]


class ToolRepositoryContract:
    @pytest.fixture(autouse=True)
    async def _agents(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.agents.add(make_agent(id="a1"))
            await uow.agents.add(make_agent(id="a2"))
            await uow.commit()

    async def test_every_change_moves_the_agents_tools_version(
        self, backend: StorageBackend
    ) -> None:
        async def versions() -> tuple[int, int]:
            async with backend.uow() as uow:
                a1, a2 = await uow.agents.get("a1"), await uow.agents.get("a2")
                _, with_agent = await uow.sessions.with_agent("s1")
            assert with_agent is not None and with_agent.tools_version == a1.tools_version
            return a1.tools_version, a2.tools_version

        async with backend.uow() as uow:
            await uow.sessions.add(make_session(id="s1", agent_id="a1"))
            await uow.commit()
        seen = [await versions()]
        changes: list[Callable[[UnitOfWork], Awaitable[None]]] = [
            lambda uow: uow.tools.add_http(make_http_tool()),
            lambda uow: uow.tools.update_http(make_http_tool(method="POST")),
            lambda uow: uow.tools.delete_http("t1"),
            lambda uow: uow.tools.add_mcp(make_mcp_server()),
            lambda uow: uow.tools.update_mcp(make_mcp_server(allowed_tools=("a",))),
            lambda uow: uow.tools.delete_mcp("m1"),
            lambda uow: uow.tools.set_policy(ToolPolicy("a1", "refund", True)),
            lambda uow: uow.agents.update(make_agent(id="a1", name="renamed")),  # not a tool
        ]
        for change in changes:
            async with backend.uow() as uow:
                await change(uow)
                await uow.commit()
            seen.append(await versions())
        a1 = [v for v, _ in seen]
        assert a1 == [*sorted(set(a1)), a1[-1]] and len(set(a1)) == 8, seen  # all new, then kept
        assert {v for _, v in seen} == {seen[0][1]}, seen  # the other agent's never moved
        async with backend.uow() as uow:
            await uow.tools.add_http(make_http_tool(id="t9"))  # rolled back: not moved
        assert await versions() == seen[-1]

    async def test_http_tools_round_trip_and_clash_by_name(self, backend: StorageBackend) -> None:
        tool = make_http_tool()
        async with backend.uow() as uow:
            await uow.tools.add_http(tool)
            await uow.tools.add_http(make_http_tool(id="t2", agent_id="a2"))  # other agent
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.tools.get_http("t1") == tool
            assert [t.id for t in await uow.tools.http_tools("a1")] == ["t1"]
            with pytest.raises(AlreadyExists):
                await uow.tools.add_http(make_http_tool(id="t3"))
            changed = replace(tool, method="POST", updated_at=at(2))
            await uow.tools.update_http(changed)
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.tools.get_http("t1")).method == "POST"
            await uow.tools.delete_http("t1")
            with pytest.raises(NotFound):
                await uow.tools.get_http("t1")
            with pytest.raises(NotFound):
                await uow.tools.delete_http("t1")

    async def test_mcp_servers_round_trip(self, backend: StorageBackend) -> None:
        server = make_mcp_server()
        async with backend.uow() as uow:
            await uow.tools.add_mcp(server)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.tools.get_mcp("m1") == server
            assert await uow.tools.mcp_servers("a1") == [server]
            with pytest.raises(AlreadyExists):
                await uow.tools.add_mcp(make_mcp_server(id="m2"))
            await uow.tools.update_mcp(replace(server, allowed_tools=("a", "b")))
            await uow.commit()
        async with backend.uow() as uow:
            assert (await uow.tools.get_mcp("m1")).allowed_tools == ("a", "b")
            await uow.tools.delete_mcp("m1")
            assert await uow.tools.mcp_servers("a1") == []

    async def test_a_policy_is_replaced_not_doubled(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.tools.set_policy(ToolPolicy("a1", "refund", True))
            await uow.tools.set_policy(ToolPolicy("a1", "refund", False))
            await uow.tools.set_policy(ToolPolicy("a1", "current_time", True))
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.tools.policies("a1") == [
                ToolPolicy("a1", "current_time", True),
                ToolPolicy("a1", "refund", False),
            ]
            assert await uow.tools.policies("a2") == []


class ApprovalRepositoryContract:
    async def test_an_approval_round_trips_and_is_decided_once(
        self, backend: StorageBackend
    ) -> None:
        approval = make_approval()
        async with backend.uow() as uow:
            await uow.approvals.add(approval)
            await uow.commit()
        async with backend.uow() as uow:
            assert await uow.approvals.get("p1") == approval
            assert (await uow.approvals.get("p1")).state == approval.state
            yes = approval.decide(ApprovalStatus.APPROVED, by="alice", now=at(2))
            no = approval.decide(ApprovalStatus.REJECTED, by="bob", now=at(2))
            assert await uow.approvals.decide(yes) is True
            assert await uow.approvals.decide(no) is False  # the first decision stands
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.approvals.get("p1")
            assert (stored.status, stored.decided_by) == (ApprovalStatus.APPROVED, "alice")
            with pytest.raises(NotFound):
                await uow.approvals.get("nope")

    async def test_results_and_finishing_happen_once(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            await uow.approvals.add(make_approval())
            await uow.approvals.save_result("p1", {"text": "ok", "is_error": False})
            assert await uow.approvals.finish("p1", at(3)) is True
            assert await uow.approvals.finish("p1", at(4)) is False
            await uow.commit()
        async with backend.uow() as uow:
            stored = await uow.approvals.get("p1")
            assert stored.result == {"text": "ok", "is_error": False}
            assert stored.finished_at == at(3)

    async def test_the_list_filters_by_status_newest_first(self, backend: StorageBackend) -> None:
        async with backend.uow() as uow:
            for n in range(3):
                await uow.approvals.add(make_approval(id=f"p{n}", created_at=at(n)))
            decided = make_approval(id="p1", created_at=at(1)).decide(
                ApprovalStatus.EXPIRED, by="system", now=at(5)
            )
            await uow.approvals.decide(decided)
            await uow.commit()
        async with backend.uow() as uow:
            pending = await uow.approvals.list(ApprovalStatus.PENDING, PageRequest())
            every = await uow.approvals.list(None, PageRequest(limit=2))
        assert [a.id for a in pending.items] == ["p2", "p0"]
        assert ([a.id for a in every.items], every.total) == (["p2", "p1"], 3)
