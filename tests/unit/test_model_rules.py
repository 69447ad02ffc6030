"""Validation rules of the entities and the tool-argument checker."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_agent, make_message, make_user
from wa_agents.domain.model import json_schema
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.message import Direction, MessageStatus, MessageType
from wa_agents.domain.model.page import PageRequest

SCHEMA = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "minLength": 1, "maxLength": 5},
        "n": {"type": "integer", "minimum": 1, "maximum": 3},
        "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
        "flag": {"type": "boolean"},
        "ratio": {"type": "number"},
    },
    "required": ["query"],
    "additionalProperties": False,
}


@pytest.mark.parametrize(
    "value",
    [{"query": "ok"}, {"query": "ok", "n": 2, "tags": ["a"], "flag": True, "ratio": 0.5}],
)
def test_valid_arguments_pass(value: dict[str, object]) -> None:
    json_schema.check(value, SCHEMA)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({}, "required"),
        ({"query": ""}, "too short"),
        ({"query": "toolong"}, "too long"),
        ({"query": "x", "n": 9}, "<= 3"),
        ({"query": "x", "n": 0}, ">= 1"),
        ({"query": "x", "n": True}, "integer"),
        ({"query": "x", "tags": ["c"]}, "one of"),
        ({"query": "x", "other": 1}, "not allowed"),
        ([], "object"),
    ],
)
def test_invalid_arguments_are_named(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        json_schema.check(value, SCHEMA)


@given(
    st.dictionaries(
        st.text(max_size=5), st.one_of(st.integers(), st.text(), st.booleans(), st.none())
    )
)
def test_the_checker_never_crashes(value: dict[str, object]) -> None:
    with contextlib.suppress(ValidationError):
        json_schema.check(value, SCHEMA)


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"model": ""},
        {"temperature": 2.5},
        {"system_prompt": "x" * 20_001},
        {"tools": ("shell",)},
        {"max_history_tokens": 10},
    ],
)
def test_agents_are_validated(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        make_agent(**fields)


@pytest.mark.parametrize("fields", [{"username": "a b"}, {"username": "ab"}, {"email": "nope"}])
def test_users_are_validated(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        make_user(**fields)


def test_outbound_status_never_moves_backwards() -> None:
    message = make_message(direction=Direction.OUTBOUND, status=MessageStatus.READ)
    assert message.with_status(MessageStatus.SENT).status == MessageStatus.READ
    assert message.with_status(MessageStatus.DELIVERED).status == MessageStatus.READ
    queued = make_message(direction=Direction.OUTBOUND, status=MessageStatus.QUEUED)
    assert queued.with_status(MessageStatus.DELIVERED).status == MessageStatus.DELIVERED


def test_message_types_parse_leniently() -> None:
    assert MessageType.parse("image") == MessageType.IMAGE
    assert MessageType.parse("hologram") == MessageType.UNKNOWN
    assert MessageType.parse(None) == MessageType.UNKNOWN


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_page_requests_are_bounded(limit: int, offset: int) -> None:
    with pytest.raises(ValidationError):
        PageRequest(limit, offset)
