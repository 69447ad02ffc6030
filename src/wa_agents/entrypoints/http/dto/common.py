"""Shared DTO pieces: bounded strings, pagination, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import msgspec
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


def aware(value: datetime | None) -> datetime | None:
    """A query's timestamp without a zone is taken as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Deleted(msgspec.Struct):
    deleted: bool = True
