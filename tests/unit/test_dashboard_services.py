"""The use cases behind the dashboard: conversations, stats, the sandbox, the first admin."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.memory_platform import memory_platform
from wa_agents.adapters.memory import (
    ManualClock,
    MemoryEventBus,
)
from wa_agents.adapters.sandbox import SandboxMessagingGateway
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import InvalidTransition, NotFound, ValidationError
from wa_agents.domain.model.job import JobStatus
from wa_agents.domain.model.message import Direction, MessageStatus
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.password import common_passwords, validate_password
from wa_agents.domain.model.session import SessionStatus
from wa_agents.domain.model.user import Role
from wa_agents.domain.services.bootstrap import ensure_first_admin
from wa_agents.domain.services.job_runner import JobRunner, RunnerSettings
from wa_agents.domain.services.platform import Platform

USER = "15551230000@s.whatsapp.net"


@pytest.fixture
def bus() -> MemoryEventBus:
    return MemoryEventBus()


@pytest.fixture
def sandbox(clock: ManualClock) -> SandboxMessagingGateway:
    return SandboxMessagingGateway(clock)


@pytest.fixture
def live(clock: ManualClock, bus: MemoryEventBus, sandbox: SandboxMessagingGateway) -> Platform:
    return memory_platform(clock, sandbox, events=bus, phone=sandbox)


async def test_the_sandbox_flow_from_qr_to_reply(
    live: Platform, bus: MemoryEventBus, sandbox: SandboxMessagingGateway
) -> None:
    agent = await live.agents.create(name="Helper", model="scripted", system_prompt="Hi")
    created = await live.sessions.create("shop", agent_id=agent.id)
    assert created.status == SessionStatus.QR_WAITING
    assert created.qr_code and created.qr_code.startswith("data:image/png;base64,")
    assert live.sandbox is not None
    with pytest.raises(InvalidTransition):
        await live.sandbox.inbound("shop", "15551230000", "too early")
    scanned = await live.sandbox.scan("shop")
    assert scanned.status == SessionStatus.CONNECTED and scanned.phone_number
    await live.sandbox.inbound("shop", "15551230000", "hello")
    await live.runner.run_until_idle()
    page = await live.conversations.history("shop", USER, PageRequest())
    assert [(m.direction, m.status) for m in page.items] == [
        (Direction.OUTBOUND, MessageStatus.SENT),
        (Direction.INBOUND, MessageStatus.PROCESSED),
    ]
    assert [s.text for s in sandbox.sent] == [page.items[0].content]
    kinds = [e.kind for e in bus.published]
    assert kinds == [
        "session.status",
        "session.status",
        "message.new",
        "message.new",
        "message.status",
    ]


async def test_a_logged_out_session_cannot_be_scanned_until_reconnected(live: Platform) -> None:
    await live.sessions.create("shop")
    assert live.sandbox is not None
    await live.sandbox.scan("shop")
    await live.sessions.logout("shop")
    with pytest.raises(InvalidTransition):
        await live.sandbox.scan("shop")
    again = await live.sessions.reconnect("shop")
    assert again.status == SessionStatus.QR_WAITING and again.qr_code
    assert (await live.sandbox.scan("shop")).status == SessionStatus.CONNECTED


async def test_an_unscanned_qr_is_replaced_when_it_expires(
    live: Platform, clock: ManualClock
) -> None:
    first = (await live.sessions.create("shop")).qr_code
    assert (await live.sessions.current("shop")).qr_code == first
    clock.advance(61)
    assert (await live.sessions.current("shop")).qr_code not in (None, first)


async def test_an_operator_message_is_queued_and_sent_like_a_reply(live: Platform) -> None:
    await live.sessions.create("shop")
    assert live.sandbox is not None
    await live.sandbox.scan("shop")
    sent = await live.conversations.send("shop", "+1 555 123 0000", "Hi, Ana here", actor="ana")
    assert (sent.status, sent.contact_jid) == (MessageStatus.QUEUED, USER)
    await live.runner.run_until_idle()
    [summary] = (await live.conversations.list("shop", PageRequest())).items
    assert summary.last_message is not None
    assert (summary.last_message.content, summary.last_message.status) == (
        "Hi, Ana here",
        MessageStatus.SENT,
    )
    with pytest.raises(ValidationError):
        await live.conversations.send("shop", USER, "   ", actor="ana")
    with pytest.raises(NotFound):
        await live.conversations.send("ghost", USER, "hi", actor="ana")


async def test_the_handoff_mode_changes_and_is_audited(live: Platform, bus: MemoryEventBus) -> None:
    await live.sessions.create("shop")
    with pytest.raises(NotFound):
        await live.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="ana")
    await live.conversations.send("shop", USER, "hello", actor="ana")
    changed = await live.conversations.set_mode("shop", USER, HandoffMode.HUMAN, actor="ana")
    assert changed.conversation.mode == HandoffMode.HUMAN
    assert changed.last_message is not None and changed.last_message.content == "hello"
    assert bus.published[-1].data["mode"] == "human"
    with pytest.raises(NotFound):
        await live.conversations.history("shop", "15559999999", PageRequest())


async def test_stats_count_what_the_dashboard_shows(live: Platform) -> None:
    await live.users.create("ana", "ana@example.com", "a-long-passphrase", Role.ADMIN)
    agent = await live.agents.create(name="A", model="scripted", system_prompt="")
    await live.sessions.create("one", agent_id=agent.id)
    await live.sessions.create("two")
    assert live.sandbox is not None
    await live.sandbox.scan("one")
    await live.sandbox.inbound("one", "15551230000", "hi")
    stats = await live.stats.collect()
    assert (stats.users, stats.agents, stats.messages_inbound, stats.messages_outbound) == (
        1,
        1,
        1,
        0,
    )
    assert stats.sessions[SessionStatus.CONNECTED] == 1
    assert stats.sessions[SessionStatus.QR_WAITING] == 1
    assert stats.jobs[JobStatus.PENDING] == 2  # the turn, and indexing the message for search


async def test_the_first_admin_is_made_once(platform: Platform) -> None:
    made = await ensure_first_admin(platform.users)
    assert made is not None and made.generated_password
    assert made.user.role == Role.ADMIN and made.user.username == "admin"
    assert await platform.auth.login("admin", made.generated_password)
    assert await ensure_first_admin(platform.users, "other", "another-passphrase") is None


async def test_two_replicas_starting_together_make_one_first_admin(platform: Platform) -> None:
    both = await asyncio.gather(
        ensure_first_admin(platform.users, "root", "a-long-passphrase-1"),
        ensure_first_admin(platform.users, "root", "a-long-passphrase-1"),
    )
    assert sum(made is not None for made in both) == 1  # the other replica starts normally
    assert await platform.users.count() == 1


async def test_the_first_admin_can_be_given(platform: Platform) -> None:
    made = await ensure_first_admin(platform.users, "root-user", "a-given-passphrase")
    assert made is not None and made.generated_password is None
    assert made.user.username == "root-user"
    assert await platform.auth.login("root-user", "a-given-passphrase")


def test_the_shipped_common_password_list_is_large_and_lower_case() -> None:
    words = common_passwords()
    assert len(words) > 3_000
    assert all(w == w.lower() and 8 <= len(w) <= 128 for w in words)
    for weak in ("whatsapp123", "Summer2024!", "1q2w3e4r5t", "11111111", "Flamengo123"):
        with pytest.raises(ValidationError, match="too common"):
            validate_password(weak)
    validate_password("a sentence nobody else uses")


async def test_a_cancelled_worker_hands_its_job_back(platform: Platform) -> None:
    started, never = asyncio.Event(), asyncio.Event()

    async def slow(_job: object) -> None:
        started.set()
        await never.wait()

    runner = JobRunner(platform.queue, {"turn": slow}, platform.clock, RunnerSettings("w1"))
    async with platform.uow() as uow:
        job = await uow.jobs.enqueue("turn", {"session_id": "s", "contact_jid": USER})
        await uow.commit()
    task = asyncio.create_task(runner.run_once())
    await started.wait()
    assert (await platform.queue.get(job.id)).status == JobStatus.RUNNING
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    back = await platform.queue.get(job.id)
    assert (back.status, back.attempts, back.worker_id) == (JobStatus.PENDING, 0, None)


async def test_an_agent_in_use_cannot_be_deleted(live: Platform) -> None:
    agent = await live.agents.create(name="A", model="scripted", system_prompt="")
    await live.sessions.create("shop", agent_id=agent.id)
    with pytest.raises(InvalidTransition, match="shop"):
        await live.agents.delete(agent.id)
    await live.sessions.assign_agent("shop", None)
    await live.agents.delete(agent.id)
    with pytest.raises(NotFound):
        await live.agents.get(agent.id)
