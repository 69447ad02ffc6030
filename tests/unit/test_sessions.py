"""SessionService over the memory gateway."""

from __future__ import annotations

import pytest

from wa_agents.adapters.memory import MemoryMessagingGateway
from wa_agents.domain.model.errors import AlreadyExists, NotFound, ValidationError
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.model.session import SessionStatus
from wa_agents.domain.services.platform import Platform


async def test_create_shows_a_qr_and_links_on_scan(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    session = await platform.sessions.create("shop")
    assert session.status == SessionStatus.QR_WAITING and session.qr_code
    gateway.connect("shop", "5511999990000")
    linked = await platform.sessions.refresh("shop")
    assert (linked.status, linked.phone_number, linked.qr_code) == (
        SessionStatus.CONNECTED,
        "5511999990000",
        None,
    )


async def test_bad_ids_duplicates_and_unknown_agents_are_refused(platform: Platform) -> None:
    with pytest.raises(ValidationError):
        await platform.sessions.create("../etc")
    await platform.sessions.create("shop")
    with pytest.raises(AlreadyExists):
        await platform.sessions.create("shop")
    with pytest.raises(NotFound):
        await platform.sessions.create("other", agent_id="missing")


async def test_logout_reconnect_assign_and_delete(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    agent = await platform.agents.create(name="A", model="m", system_prompt="p")
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    assert (await platform.sessions.logout("shop")).status == SessionStatus.LOGGED_OUT
    assert (await platform.sessions.reconnect("shop")).status == SessionStatus.QR_WAITING
    assert (await platform.sessions.assign_agent("shop", agent.id)).agent_id == agent.id
    with pytest.raises(NotFound):
        await platform.sessions.assign_agent("shop", "ghost")
    await platform.sessions.delete("shop")
    assert (await platform.sessions.list(PageRequest())).total == 0
    with pytest.raises(NotFound):
        await platform.sessions.delete("shop")


async def test_a_session_the_gateway_lost_shows_disconnected_and_reconnects(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await platform.sessions.create("shop")
    gateway.connect("shop")
    await platform.sessions.refresh("shop")
    await gateway.delete_session("shop")  # as a restarted sandbox or a bridge that lost it
    lost = await platform.sessions.refresh("shop")
    assert (lost.status, lost.qr_code) == (SessionStatus.DISCONNECTED, None)
    again = await platform.sessions.reconnect("shop")
    assert again.status == SessionStatus.QR_WAITING and again.qr_code
    with pytest.raises(NotFound):  # a session that is not ours stays a 404
        await platform.sessions.refresh("ghost")


async def test_bridge_status_events_are_applied(platform: Platform) -> None:
    await platform.sessions.create("shop")
    connected = await platform.sessions.apply_status(
        "shop", SessionStatus.CONNECTED, phone_number="1555", display_name="Shop"
    )
    assert connected.display_name == "Shop"
    dropped = await platform.sessions.apply_status("shop", SessionStatus.DISCONNECTED)
    assert dropped.disconnected_at is not None


async def test_a_session_the_gateway_already_knows_is_adopted(
    platform: Platform, gateway: MemoryMessagingGateway
) -> None:
    await gateway.create_session("restored")
    gateway.connect("restored")
    session = await platform.sessions.create("restored")
    assert session.status == SessionStatus.CONNECTED
