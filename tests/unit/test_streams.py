"""StreamAccess on memory adapters: tickets work once and briefly; grants follow the user."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wa_agents.adapters.memory import ManualClock
from wa_agents.domain.model.errors import AuthenticationFailed
from wa_agents.domain.model.user import Role
from wa_agents.domain.services import streams
from wa_agents.domain.services.platform import Platform

PASSWORD = "s3cret-enough!"


@pytest.fixture
async def login(platform: Platform) -> tuple[str, str, str]:
    user = await platform.users.create("vera", "vera@example.com", PASSWORD, Role.VIEWER)
    pair = await platform.auth.login("vera", PASSWORD)
    return user.id, pair.access_token, pair.refresh_token


async def test_a_ticket_is_redeemed_once(platform: Platform, login: tuple[str, str, str]) -> None:
    _, access, _ = login
    ticket, ttl = await platform.streams.ticket(access)
    assert ttl == 30
    grant = await platform.streams.redeem(ticket)
    assert await platform.streams.allows(grant)
    with pytest.raises(AuthenticationFailed):
        await platform.streams.redeem(ticket)


async def test_a_ticket_expires(
    platform: Platform, login: tuple[str, str, str], clock: ManualClock
) -> None:
    ticket, _ = await platform.streams.ticket(login[1])
    clock.advance(timedelta(seconds=30))
    with pytest.raises(AuthenticationFailed):
        await platform.streams.redeem(ticket)


async def test_a_grant_ends_with_its_token_user_and_login(
    platform: Platform, login: tuple[str, str, str], clock: ManualClock
) -> None:
    _, access, refresh = login
    grant = await platform.streams.grant(access)
    assert platform.streams.remaining(grant) == pytest.approx(900, abs=1)
    await platform.auth.logout(refresh)
    assert not await platform.streams.allows(grant)
    again = await platform.auth.login("vera", PASSWORD)
    grant = await platform.streams.grant(again.access_token)
    assert await platform.streams.allows(grant)
    clock.advance(timedelta(seconds=900))
    assert not await platform.streams.allows(grant)


async def test_unredeemed_tickets_are_capped(
    platform: Platform, login: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streams, "MAX_TICKETS", 3)
    tickets = [(await platform.streams.ticket(login[1]))[0] for _ in range(4)]
    with pytest.raises(AuthenticationFailed):
        await platform.streams.redeem(tickets[0])  # the oldest made room
    assert await platform.streams.redeem(tickets[3])
