"""Business hours per agent: time zone, weekly ranges, holidays, and what happens outside."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from wa_agents.adapters.memory import ManualClock, MemoryMessagingGateway
from wa_agents.adapters.scripted import ScriptedChatModel
from wa_agents.domain.model.chat import Completion
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.hours import (
    BusinessHours,
    OpenRange,
    OutsideHours,
    hours_document,
    hours_from,
)
from wa_agents.domain.model.page import PageRequest
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.logs import AuditFilter

USER = "15551230000@s.whatsapp.net"
NINE_TO_FIVE = (OpenRange(time(9), time(17)),)


def berlin(**overrides: object) -> BusinessHours:
    fields: dict[str, object] = {
        "time_zone": "Europe/Berlin",
        "weekly": {d: NINE_TO_FIVE for d in ("mon", "tue", "wed", "thu", "fri")},
        "holidays": frozenset({date(2026, 12, 25)}),
    }
    return BusinessHours(**{**fields, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        (datetime(2026, 1, 5, 7, 59, tzinfo=UTC), False),  # Mon 08:59 in Berlin (UTC+1)
        (datetime(2026, 1, 5, 8, 0, tzinfo=UTC), True),  # Mon 09:00
        (datetime(2026, 1, 5, 15, 59, tzinfo=UTC), True),  # Mon 16:59
        (datetime(2026, 1, 5, 16, 0, tzinfo=UTC), False),  # Mon 17:00: ranges end exclusive
        (datetime(2026, 7, 6, 7, 0, tzinfo=UTC), True),  # Mon 09:00 in summer (UTC+2)
        (datetime(2026, 7, 6, 15, 30, tzinfo=UTC), False),  # Mon 17:30 in summer
        (datetime(2026, 1, 3, 10, 0, tzinfo=UTC), False),  # Saturday: no range
        (datetime(2026, 12, 25, 10, 0, tzinfo=UTC), False),  # a Friday, but a holiday
        (datetime(2026, 1, 4, 23, 30, tzinfo=UTC), True),  # Sunday UTC is Monday 00:30 Berlin…
    ],
)
def test_open_follows_the_agents_zone_daylight_saving_and_holidays(
    utc: datetime, is_open: bool
) -> None:
    hours = berlin()
    if utc.day == 4:  # …open at night on Mondays in this case only
        hours = berlin(weekly={"mon": (OpenRange(time(0), time(1)),)})
    assert hours.is_open(utc) is is_open


def test_a_range_may_end_at_midnight_and_documents_round_trip() -> None:
    late = hours_from({"time_zone": "America/Sao_Paulo", "weekly": {"fri": [["22:00", "24:00"]]}})
    assert late.is_open(datetime(2026, 1, 10, 2, 59, tzinfo=UTC))  # Fri 23:59 in São Paulo
    assert not late.is_open(datetime(2026, 1, 10, 3, 0, tzinfo=UTC))  # Sat 00:00
    assert hours_from(hours_document(berlin())) == berlin()


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"time_zone": "../etc/passwd"}, "unknown time zone"),
        ({"time_zone": "UTC", "weekly": {"funday": []}}, "unknown days"),
        ({"time_zone": "UTC", "weekly": {"mon": [["17:00", "09:00"]]}}, "start before it ends"),
        ({"time_zone": "UTC", "weekly": {"mon": [["9am", "5pm"]]}}, "HH:MM"),
        ({"time_zone": "UTC", "weekly": {"mon": [["24:30", "25:00"]]}}, "HH:MM"),
        ({"time_zone": "UTC", "holidays": ["2026-13-01"]}, "hours"),
        ({"time_zone": "UTC", "outside": "handoff", "message": " "}, "hours.message"),
    ],
)
def test_bad_hours_are_validation_errors(document: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        hours_from(document)


async def _linked(
    platform: Platform, gateway: MemoryMessagingGateway, hours: BusinessHours
) -> None:
    agent = await platform.agents.create(name="Shop", model="m", system_prompt="p", hours=hours)
    await platform.sessions.create("shop", agent_id=agent.id)
    gateway.connect("shop")
    await platform.sessions.refresh("shop")


async def _say(platform: Platform, text: str, wa_id: str) -> None:
    await platform.inbound.accept(
        InboundMessage(session_id="shop", from_jid=USER, content=text, wa_message_id=wa_id)
    )
    await platform.runner.run_until_idle()


async def test_outside_hours_the_agent_says_so_and_hands_off(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    closed = "We are closed; a person will answer at 9."
    await _linked(platform, gateway, berlin(outside=OutsideHours.HANDOFF, message=closed))
    clock.set(datetime(2026, 1, 5, 19, 0, tzinfo=UTC))  # Monday 20:00 in Berlin
    await _say(platform, "is anyone there?", "H1")
    assert [m.text for m in gateway.sent] == [closed]
    assert model.calls == []  # the model was not asked
    async with platform.uow() as uow:
        conversation = await uow.conversations.get("shop", USER)
        audit = await uow.audit.query(AuditFilter(action="conversation.mode"), PageRequest())
    assert conversation.mode == HandoffMode.HUMAN and conversation.mode_by == "hours"
    assert [(a.actor, a.details["reason"]) for a in audit.items] == [
        ("hours", "outside business hours")
    ]


async def test_within_hours_or_when_set_to_answer_the_agent_answers(
    platform: Platform,
    gateway: MemoryMessagingGateway,
    clock: ManualClock,
    model: ScriptedChatModel,
) -> None:
    await _linked(platform, gateway, berlin(outside=OutsideHours.HANDOFF))
    clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))  # Monday 10:00 in Berlin
    model.queue(Completion(text="Hello!"))
    await _say(platform, "hi", "H2")
    assert [m.text for m in gateway.sent] == ["Hello!"]
    agent = (await platform.agents.list(PageRequest())).items[0]
    await platform.agents.update(agent.id, hours=berlin(outside=OutsideHours.ANSWER))
    clock.set(datetime(2026, 12, 25, 10, 0, tzinfo=UTC))  # a holiday: closed, but answers
    model.queue(Completion(text="Merry Christmas!"))
    await _say(platform, "open today?", "H3")
    assert [m.text for m in gateway.sent][-1] == "Merry Christmas!"


def test_more_than_twelve_ranges_a_day_or_a_range_that_is_not_a_pair_is_refused() -> None:
    from wa_agents.domain.model.hours import hours_from

    with pytest.raises(ValidationError, match="at most 12"):
        hours_from({"time_zone": "UTC", "weekly": {"mon": [["09:00", "09:30"]] * 13}})
    with pytest.raises(ValidationError):
        hours_from({"time_zone": "UTC", "weekly": {"mon": [["09:00"]]}})
    with pytest.raises(ValidationError):
        hours_from({"time_zone": "UTC", "holidays": [""]})
