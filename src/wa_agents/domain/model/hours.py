"""Business hours of an agent: an IANA time zone, weekly opening ranges, holidays.

Times are wall-clock times in the agent's zone (``zoneinfo``, so daylight saving is right).
A day with no range is closed; a holiday (a date in that zone) is closed all day. Ranges are
``start < end`` within one day; ``24:00`` ends a range at midnight (write a night shift as
two ranges, ``22:00-24:00`` and ``00:00-06:00`` on the next day).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wa_agents.domain.model.errors import ValidationError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order
DEFAULT_OUT_OF_HOURS = (
    "Thanks for your message. We are closed right now; a person will answer when we open."
)
END_OF_DAY = time(23, 59, 59, 999_999)


class OutsideHours(enum.StrEnum):
    ANSWER = "answer"  # the agent answers anyway
    HANDOFF = "handoff"  # the out-of-hours message, then a person takes over


def parse_clock(text: str) -> time:
    """``HH:MM`` (``24:00`` is the end of the day)."""
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValidationError(f"hours: {text!r} is not a HH:MM time")
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return END_OF_DAY
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValidationError(f"hours: {text!r} is not a HH:MM time")
    return time(h, m)


@dataclass(frozen=True, slots=True)
class OpenRange:
    start: time
    end: time  # exclusive (END_OF_DAY for 24:00)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValidationError(f"hours: a range must start before it ends ({self})")

    def __str__(self) -> str:
        end = "24:00" if self.end == END_OF_DAY else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}-{end}"

    def contains(self, moment: time) -> bool:
        return self.start <= moment < self.end or (self.end == END_OF_DAY and moment >= self.start)


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessHours:
    time_zone: str
    weekly: dict[str, tuple[OpenRange, ...]] = field(default_factory=dict)  # "mon" -> ranges
    holidays: frozenset[date] = frozenset()
    outside: OutsideHours = OutsideHours.ANSWER
    message: str = DEFAULT_OUT_OF_HOURS

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"hours: unknown time zone {self.time_zone!r}") from None
        unknown = sorted(set(self.weekly) - set(WEEKDAYS))
        if unknown:
            raise ValidationError(f"hours: unknown days {unknown}; use {list(WEEKDAYS)}")
        if len(self.message) > 1_000:
            raise ValidationError("hours.message must be at most 1000 characters")
        if self.outside == OutsideHours.HANDOFF and not self.message.strip():
            raise ValidationError("hours.message is needed when outside hours hands off")

    def is_open(self, now: datetime) -> bool:
        """Is the business open at the aware instant ``now``?"""
        local = now.astimezone(ZoneInfo(self.time_zone))
        if local.date() in self.holidays:
            return False
        ranges = self.weekly.get(WEEKDAYS[local.weekday()], ())
        moment = local.time().replace(tzinfo=None)
        return any(r.contains(moment) for r in ranges)


def hours_document(hours: BusinessHours) -> dict[str, Any]:
    """Plain JSON: ``{"time_zone", "weekly": {"mon": [["09:00", "17:00"]]}, "holidays":
    ["2026-12-25"], "outside": "answer"|"handoff", "message"}``; ``hours_from`` reads it
    back (``ValidationError`` on a bad value)."""
    return {
        "time_zone": hours.time_zone,
        "weekly": {
            day: [str(r).split("-") for r in ranges] for day, ranges in hours.weekly.items()
        },
        "holidays": sorted(d.isoformat() for d in hours.holidays),
        "outside": hours.outside.value,
        "message": hours.message,
    }


MAX_RANGES_A_DAY = 12


def hours_from(document: dict[str, Any]) -> BusinessHours:
    try:
        weekly = {
            day: tuple(OpenRange(parse_clock(start), parse_clock(end)) for start, end in ranges)
            for day, ranges in document.get("weekly", {}).items()
        }
        if any(len(ranges) > MAX_RANGES_A_DAY for ranges in weekly.values()):
            raise ValueError(f"at most {MAX_RANGES_A_DAY} opening ranges a day")
        holidays = frozenset(date.fromisoformat(d) for d in document.get("holidays", ()))
        outside = OutsideHours(document.get("outside", OutsideHours.ANSWER))
    except (TypeError, ValueError) as exc:  # a range that is not a pair, a bad date or policy
        raise ValidationError(f"hours: {exc}") from None
    return BusinessHours(
        time_zone=document["time_zone"],
        weekly=weekly,
        holidays=holidays,
        outside=outside,
        message=document.get("message", DEFAULT_OUT_OF_HOURS),
    )
