"""Search scoped to a contact (and to what came after /reset), knowledge documents
(chunked, replaced by title, deleted with their vectors), citations, and the
answer-only-from-knowledge gate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.documents import DocumentStatus, KnowledgePolicy
from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import AuditFilter

ALICE = "15550000001@s.whatsapp.net"
BOB = "15550000002@s.whatsapp.net"
FAQ = """# Shipping
We ship every order within two working days. Express delivery costs five euros.

# Returns
## Refunds
You may return any item within thirty days. The refund reaches your card in five days.
"""


async def agent_on_shop(platform: Platform, gateway: MemoryMessagingGateway, **fields: object):  # type: ignore[no-untyped-def]
    agent = await platform.agents.create(name="K", model="m", system_prompt="Help.", **fields)
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    return agent


async def say(platform: Platform, who: str, text: str, wa_id: str) -> None:
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=who, content=text, wa_message_id=wa_id)
    )
    await platform.runner.run_until_idle()


async def test_search_finds_only_this_contacts_messages_since_reset_newest_first(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await agent_on_shop(platform, gateway)
    await say(platform, BOB, "my parcel number is 55", "b1")
    await say(platform, ALICE, "my parcel number is 11", "a1")
    clock.advance(10)
    await say(platform, ALICE, "/reset", "a2")
    clock.advance(10)
    await say(platform, ALICE, "my parcel\nnumber is 22\n(second line)", "a3")
    clock.advance(10)
    await say(platform, ALICE, "my parcel\nnumber is 22\n(second line)", "a4")
    await say(platform, ALICE, "/search parcel number", "a5")
    found = gateway.sent[-1].text
    assert "is 55" not in found and "is 11" not in found, found  # another contact; pre-/reset
    assert found.count("number is 22\n(second line)") == 2  # full multi-line messages
    lines = found.splitlines()
    assert lines[0] == "Found:" and "12:00" in lines[1]
    assert platform.search is not None
    hits = await platform.search.conversation("shop", ALICE, "parcel number", limit=5)
    same = [h for h in hits if h.message.content.startswith("my parcel\nnumber is 22")]
    assert len(same) == 2 and same[0].score == pytest.approx(same[1].score)
    assert [h.message.timestamp for h in same] == sorted(
        (h.message.timestamp for h in same), reverse=True
    )  # equal scores: the newest first


async def test_a_document_is_chunked_on_headings_and_replaced_by_title(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    agent = await agent_on_shop(platform, gateway)
    first = await platform.documents.add_text(agent.id, "FAQ", FAQ, actor="ana")
    assert first.status == DocumentStatus.PENDING and first.chunk_count == 2
    await platform.runner.run_until_idle()
    page = await platform.documents.list(agent.id, PageRequest())
    assert [(d.title, d.status) for d in page.items] == [("FAQ", DocumentStatus.INDEXED)]
    assert platform.search is not None
    [hit] = await platform.search.knowledge(agent.id, "refund card thirty days", limit=1)
    assert hit.chunk.heading == "Returns > Refunds" and hit.title == "FAQ"
    assert hit.chunk.text.startswith("Returns > Refunds\nYou may return")
    second = await platform.documents.add_text(agent.id, "FAQ", "# Hours\nOpen at 9.", actor="ana")
    await platform.runner.run_until_idle()
    page = await platform.documents.list(agent.id, PageRequest())
    assert [d.id for d in page.items] == [second.id]
    hits = await platform.search.knowledge(agent.id, "refund card thirty days", limit=5)
    assert {h.chunk.document_id for h in hits} == {second.id}  # the old one's vectors are gone
    assert platform.knowledge is not None
    assert await platform.knowledge.count({"document_id": first.id}) == 0
    await platform.documents.delete(agent.id, second.id, actor="ana")
    assert await platform.knowledge.count({"kind": "chunk"}) == 0
    with pytest.raises(NotFound):
        await platform.documents.delete(agent.id, second.id, actor="ana")
    with pytest.raises(ValidationError, match="no text"):
        await platform.documents.add_text(agent.id, "Empty", " \n ", actor="ana")


async def test_deleting_an_agent_removes_its_knowledge_vectors_and_keeps_others(
    platform: Platform,
) -> None:
    kept = await platform.agents.create(name="Kept", model="m", system_prompt="Help.")
    gone = await platform.agents.create(name="Gone", model="m", system_prompt="Help.")
    await platform.documents.add_text(kept.id, "FAQ", FAQ, actor="ana")
    await platform.documents.add_text(gone.id, "FAQ", FAQ, actor="ana")
    await platform.runner.run_until_idle()
    assert platform.knowledge is not None
    assert await platform.knowledge.count({"agent_id": gone.id}) == 2
    await platform.agents.delete(gone.id, actor="ana")
    assert await platform.knowledge.count({"agent_id": gone.id}) == 0
    assert await platform.knowledge.count({"agent_id": kept.id}) == 2


async def test_search_knowledge_cites_titles_and_chunks_in_text_and_audit(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    agent = await agent_on_shop(platform, gateway, tools=["search_knowledge"])
    document = await platform.documents.add_text(agent.id, "FAQ", FAQ, actor="ana")
    await platform.runner.run_until_idle()
    model.queue(
        Completion(tool_calls=(ToolCall("k", "search_knowledge", {"query": "express delivery"}),))
    )
    await say(platform, ALICE, "how fast do you ship?", "a1")
    [result] = [m.content for m in model.calls[-1][0] if m.role == "tool"]
    assert "«FAQ» (chunk " + document.id + "-0" in result and "Express delivery" in result
    async with platform.uow() as uow:
        audit = await uow.audit.query(AuditFilter(), PageRequest())
    [reply] = [a for a in audit.items if a.action == "ai.reply"]
    [call] = reply.details["tool_calls"]
    assert call["name"] == "search_knowledge"
    assert call["citations"][0]["document_id"] == document.id
    assert call["citations"][0]["chunk_id"] == f"{document.id}-0"
    assert call["citations"][0]["title"] == "FAQ"


async def test_answer_only_from_knowledge_says_it_does_not_know_and_can_hand_off(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    policy = KnowledgePolicy(
        answer_only_from_knowledge=True, min_score=0.3, fallback_reply="I don't know.", handoff=True
    )
    agent = await agent_on_shop(platform, gateway, knowledge=policy)
    await platform.documents.add_text(agent.id, "FAQ", FAQ, actor="ana")
    await platform.runner.run_until_idle()
    await say(platform, ALICE, "what is the capital of Mongolia", "a1")
    assert [m.text for m in gateway.sent[-2:]] == [
        "I don't know.",  # sent, although it handed off, and then the handoff notice
        "OK, a person will answer you here as soon as possible.",
    ]
    assert model.calls == []  # the model was never asked
    async with platform.uow() as uow:
        assert (await uow.conversations.get("shop", ALICE)).mode == HandoffMode.HUMAN


async def test_answer_only_from_knowledge_gives_the_model_the_passages(
    platform: Platform, gateway: MemoryMessagingGateway, model: ScriptedChatModel
) -> None:
    policy = KnowledgePolicy(answer_only_from_knowledge=True, min_score=0.2)
    agent = await agent_on_shop(platform, gateway, knowledge=policy)
    await platform.documents.add_text(agent.id, "FAQ", FAQ, actor="ana")
    await platform.runner.run_until_idle()
    await say(platform, ALICE, "express delivery costs", "a1")
    prompt = model.calls[0][0]
    assert "Answer only from the knowledge search results" in prompt[0].content
    assert prompt[-1].role == "tool" and "Express delivery costs five euros" in prompt[-1].content
    assert "FAQ" in gateway.sent[-1].text
    changed = await platform.agents.update(
        agent.id, knowledge=replace(policy, answer_only_from_knowledge=False)
    )
    assert not changed.knowledge.answer_only_from_knowledge
