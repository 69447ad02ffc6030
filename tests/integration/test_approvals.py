"""Approvals through real turns: the turn stops before the call, the approval is stored and
published; approve -> the call runs once and exactly one reply; reject or expiry -> the model
is told, the call never runs, exactly one reply; a second decision is refused; a resumed turn
that runs again writes nothing more."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.support.http_server import LocalServer, Response, json_response
from tests.support.tool_world import USER, World, tool_world
from wa_agents.domain.model.approval import ApprovalStatus
from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.page import PageRequest


class Refunds:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        self.calls.append(body.decode())
        return json_response(200, {"refunded": True})


@pytest.fixture
def refunds() -> Iterator[tuple[Refunds, str]]:
    site = Refunds()
    with LocalServer(site.route) as server:
        yield site, server.url


async def _ask_for_refund(world: World, url: str) -> str:
    await world.link(tools=("current_time",))
    await world.platform.agent_tools.add_http(
        world.agent_id,
        actor="op",
        name="refund",
        description="Refund an order",
        parameters={
            "type": "object",
            "properties": {"order_id": {"type": "string"}},
            "required": ["order_id"],
        },
        method="POST",
        url=url + "/refunds",
    )
    await world.platform.agent_tools.set_approval(world.agent_id, "refund", True, actor="op")
    world.fake.answer_tool_calls(("c1", "refund", {"order_id": "42"}))
    await world.say("refund order 42 please")
    page = await world.platform.approvals.list(ApprovalStatus.PENDING, PageRequest())
    [approval] = page.items
    return approval.id


async def test_the_turn_stops_before_the_call_and_the_approval_is_published(
    refunds: tuple[Refunds, str],
) -> None:
    site, url = refunds
    async with tool_world() as world:
        approval_id = await _ask_for_refund(world, url)
        approval = await world.platform.approvals.get(approval_id)
        replies = await world.replies()
        presence = [state for _, jid, state in world.gateway.presence if jid == USER]
    assert site.calls == [] and replies == []  # nothing ran, nothing was said yet
    assert presence[-1] == "paused"  # "typing…" does not hang while an operator decides
    assert (approval.tool, approval.arguments) == ("refund", {"order_id": "42"})
    assert approval.conversation_id == "shop/15551230000@s.whatsapp.net"
    assert approval.expires_at - approval.created_at == timedelta(hours=1)
    [event] = [e for e in world.bus.events if e.kind == "approval.requested"]
    assert event.data["id"] == approval_id and event.data["status"] == "pending"


async def test_approved_the_call_runs_once_and_there_is_one_reply(
    refunds: tuple[Refunds, str],
) -> None:
    site, url = refunds
    async with tool_world() as world:
        approval_id = await _ask_for_refund(world, url)
        world.fake.answer_text("Your refund is on its way.")
        decided = await world.platform.approvals.approve(approval_id, by="alice")
        await world.platform.runner.run_until_idle()
        with pytest.raises(InvalidTransition):
            await world.platform.approvals.reject(approval_id, by="bob")
        await world.platform.approvals.resume({"approval_id": approval_id})  # a rerun
        await world.platform.runner.run_until_idle()
        replies = await world.replies()
        async with world.platform.uow() as uow:
            usage = await uow.usage.for_contact("shop", [USER])
    assert decided.status == ApprovalStatus.APPROVED and decided.decided_by == "alice"
    assert site.calls == ['{"order_id": "42"}']
    assert [r.content for r in replies] == ["Your refund is on its way."]
    [record] = usage  # the resumed turn's tokens count, as any turn's do
    assert record.message_id == replies[0].id and record.tokens_in > 0
    assert replies[0].metadata["approval_id"] == approval_id
    assert world.tool_messages() == ['HTTP 200\n{"refunded": true}']
    assert "approval.decided" in world.bus.kinds()


async def test_rejected_the_model_is_told_and_answers_once(refunds: tuple[Refunds, str]) -> None:
    site, url = refunds
    async with tool_world() as world:
        approval_id = await _ask_for_refund(world, url)
        world.fake.answer_text("I'm sorry, the refund was not approved.")
        await world.platform.approvals.reject(approval_id, by="alice", reason="order too old")
        await world.platform.runner.run_until_idle()
        replies = await world.replies()
    assert site.calls == []
    [told] = world.tool_messages()
    assert "rejected" in told and "order too old" in told
    assert [r.content for r in replies] == ["I'm sorry, the refund was not approved."]


async def test_expired_the_model_is_told_and_answers_once(refunds: tuple[Refunds, str]) -> None:
    site, url = refunds
    async with tool_world(approval_expiry_seconds=60) as world:
        approval_id = await _ask_for_refund(world, url)
        world.fake.answer_text("Nobody could approve the refund in time.")
        world.clock.advance(30)
        await world.platform.runner.run_until_idle()
        assert (await world.platform.approvals.get(approval_id)).status == "pending"
        world.clock.advance(31)
        await world.platform.runner.run_until_idle()
        with pytest.raises(InvalidTransition):
            await world.platform.approvals.approve(approval_id, by="late")
        approval = await world.platform.approvals.get(approval_id)
        replies = await world.replies()
    assert approval.status == ApprovalStatus.EXPIRED and approval.decided_by == "system"
    assert site.calls == []
    assert "no operator approved this call in time" in world.tool_messages()[0]
    assert [r.content for r in replies] == ["Nobody could approve the refund in time."]


async def test_a_built_in_tool_can_need_approval_too() -> None:
    async with tool_world() as world:
        await world.link(tools=("current_time",))
        await world.platform.agent_tools.set_approval(
            world.agent_id, "current_time", True, actor="op"
        )
        world.fake.answer_tool_calls(("c1", "current_time", {}))
        await world.say("what time is it?")
        [approval] = (await world.platform.approvals.list(None, PageRequest())).items
        world.fake.answer_text("It is noon.")
        await world.platform.approvals.approve(approval.id, by="alice")
        await world.platform.runner.run_until_idle()
        replies = await world.replies()
    assert world.tool_messages()[0].startswith("2026-01-01T12:00")
    assert [r.content for r in replies] == ["It is noon."]


async def test_late_calls_in_the_same_answer_run_after_the_decision() -> None:
    async with tool_world() as world:
        await world.link(tools=("current_time", "search_history"))
        await world.platform.agent_tools.set_approval(
            world.agent_id, "current_time", True, actor="op"
        )
        world.fake.answer_tool_calls(
            ("c1", "search_history", {"query": "order"}),
            ("c2", "current_time", {}),
            ("c3", "search_history", {"query": "refund"}),
        )
        await world.say("what time is it, and what did I order?")
        [approval] = (await world.platform.approvals.list(None, PageRequest())).items
        world.fake.answer_text("Noon; you ordered nothing yet.")
        await world.platform.approvals.reject(approval.id, by="alice")
        await world.platform.runner.run_until_idle()
        replies = await world.replies()
    last = world.fake.requests[-1]["messages"]
    answered = [m["tool_call_id"] for m in last if m["role"] == "tool"]
    assert answered == ["c1", "c2", "c3"]  # every call of the answer has its result
    assert [r.content for r in replies] == ["Noon; you ordered nothing yet."]
