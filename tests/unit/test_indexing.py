"""Indexing after commit: one coalesced job per conversation burst, replies included,
commands left out; deleting a session or erasing a contact removes their vectors; a rebuild
indexes everything again."""

from __future__ import annotations

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway, MemoryVectorIndex
from wa_agents.domain.model.job import JobKind, JobStatus
from wa_agents.domain.model.knowledge import VectorItem
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.domain.services.rebuild import rebuild

ALICE = "15550000001@s.whatsapp.net"
BOB = "15550000002@s.whatsapp.net"


async def linked(platform: Platform, gateway: MemoryMessagingGateway) -> None:
    agent = await platform.agents.create(name="T", model="m", system_prompt="p")
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")


async def say(platform: Platform, who: str, text: str, wa_id: str) -> None:
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=who, content=text, wa_message_id=wa_id)
    )


def index_jobs(platform: Platform) -> list[str]:
    db = platform.uow.db  # type: ignore[attr-defined]
    return [j.key for j in db.jobs.values() if j.kind == JobKind.INDEX]


def vectors(platform: Platform) -> MemoryVectorIndex:
    assert isinstance(platform.knowledge, MemoryVectorIndex)
    return platform.knowledge


async def test_a_burst_and_its_replies_are_one_index_job_after_commit(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    for n, text in enumerate(["hello", "my order is 77A", "where is it?"]):
        await say(platform, ALICE, text, f"w{n}")
    assert index_jobs(platform) == ["index/shop/" + ALICE]  # coalesced, not yet run
    assert len(vectors(platform)) == 0  # nothing on the webhook path
    await platform.runner.run_until_idle()  # the turn answers; indexing waits its delay
    assert len(index_jobs(platform)) == 1
    clock.advance(5)
    await platform.runner.run_until_idle()
    texts = {h.text for h in await vectors(platform).query("order", 10)}
    assert {"hello", "my order is 77A", "where is it?"} <= texts
    assert any(t.startswith("(scripted demo reply)") for t in texts)  # replies are found too
    assert await vectors(platform).count({"direction": "outbound"}) == 1


async def test_commands_and_their_answers_are_not_indexed(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    await say(platform, ALICE, "/help", "w1")
    await platform.runner.run_until_idle()
    clock.advance(5)
    await platform.runner.run_until_idle()
    assert await vectors(platform).count() == 0
    db = platform.uow.db  # type: ignore[attr-defined]
    assert len(db.indexed_messages) == 2  # looked at and marked, so never tried again


async def test_a_failing_index_retries_like_any_job(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    await vectors(platform).upsert([VectorItem("x", "t", vector=(1.0, 0.0))])  # wrong dimension
    await say(platform, ALICE, "hello", "w1")
    await platform.runner.run_until_idle()  # the turn (its reply joins the index job)
    clock.advance(5)
    await platform.runner.run_until_idle()
    db = platform.uow.db  # type: ignore[attr-defined]
    [job] = [j for j in db.jobs.values() if j.kind == JobKind.INDEX]
    assert job.status == JobStatus.PENDING and "reindex" in (job.last_error or "")
    await vectors(platform).clear()
    clock.advance(600)
    await platform.runner.run_until_idle()
    assert await vectors(platform).count({"contact_jid": ALICE}) == 2  # the message, the reply


async def test_deleting_a_session_or_erasing_a_contact_removes_their_vectors(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    await say(platform, ALICE, "alice's secret", "a1")
    await say(platform, BOB, "bob's secret", "b1")
    await platform.runner.run_until_idle()
    clock.advance(5)
    await platform.runner.run_until_idle()
    assert await vectors(platform).count({"session_id": "shop"}) == 4  # 2 messages, 2 replies
    assert platform.indexing is not None
    await platform.indexing.forget("shop", BOB)
    assert await vectors(platform).count({"session_id": "shop"}) == 2
    await platform.sessions.delete("shop")
    assert await vectors(platform).count() == 0


async def test_a_rebuild_indexes_every_message_and_document_again(
    platform: Platform, gateway: MemoryMessagingGateway, clock: ManualClock
) -> None:
    await linked(platform, gateway)
    agent = await platform.agents.create(name="K", model="m", system_prompt="p")
    await platform.documents.add_text(agent.id, "Hours", "# Hours\nWe open at nine.", actor="t")
    await say(platform, ALICE, "hello there", "a1")
    await platform.runner.run_until_idle()
    clock.advance(5)
    await platform.runner.run_until_idle()
    before = await vectors(platform).count()
    await vectors(platform).clear()
    seen: list[tuple[str, int, int]] = []
    assert platform.indexing is not None
    rebuilt = await rebuild(platform.indexing, progress=lambda *step: seen.append(step))
    assert await vectors(platform).count() == before == 3  # a message, its reply, a chunk
    assert (rebuilt.messages, rebuilt.documents, rebuilt.chunks) == (2, 1, 1)
    assert seen[0] == ("messages", 0, 2) and ("messages", 2, 2) in seen
    assert seen[-1] == ("documents", 1, 1)
    only = await rebuild(platform.indexing, "shop")
    assert only.documents == 0 and await vectors(platform).count() == 3
