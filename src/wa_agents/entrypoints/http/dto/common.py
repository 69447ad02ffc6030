"""Shared DTO pieces: bounded strings, pagination, timestamps."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import msgspec
from litestar.exceptions import ClientException
from litestar.params import Parameter

from wa_agents.domain.model.page import MAX_LIMIT, PageRequest

MAX_OFFSET = 1_000_000_000


def text(max_length: int, min_length: int = 0) -> msgspec.Meta:
    return msgspec.Meta(min_length=min_length, max_length=max_length)


Name = Annotated[str, text(100, 1)]


def provide_page(
    limit: Annotated[int, Parameter(ge=1, le=MAX_LIMIT, description="page size")] = 50,
    offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET, description="items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


T = TypeVar("T")
Out = TypeVar("Out")


def page_items(found: Sequence[T], page: PageRequest, out: Callable[[T], Out]) -> list[Out]:
    """The requested page of a list the use case returned whole, each item as its DTO."""
    return [out(item) for item in found[page.offset : page.offset + page.limit]]


def aware(value: datetime | None) -> datetime | None:
    """A query's timestamp without a zone is taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# RFC 3339 date-time, the zone optional (then UTC). Litestar would also take "0.5" or "1e9"
# (as epoch seconds), which the schema's ``format: date-time`` does not allow.
_DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)?$")


DATE_TIME = {"format": "date-time"}  # a query parameter's schema: read it with timestamp()


def timestamp(raw: str | None, name: str) -> datetime | None:
    """``raw`` as an aware datetime (a missing zone is UTC); 400 unless RFC 3339."""
    if raw is None:
        return None
    try:
        if not _DATE_TIME.fullmatch(raw):
            raise ValueError(raw)
        return aware(datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00")))
    except ValueError:
        raise ClientException(f"{name}: expected an RFC 3339 date-time, got {raw!r}") from None


class Deleted(msgspec.Struct):
    deleted: bool = True
