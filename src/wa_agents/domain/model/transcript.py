"""A turn's chat transcript as plain JSON (an approval keeps the turn it suspended)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wa_agents.domain.model.chat import ChatMessage, ChatRole, ToolCall


def call_to_json(call: ToolCall) -> dict[str, Any]:
    return {"id": call.id, "name": call.name, "arguments": call.arguments}


def call_from_json(data: dict[str, Any]) -> ToolCall:
    return ToolCall(str(data["id"]), str(data["name"]), dict(data["arguments"]))


def to_json(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    return [
        {
            "role": m.role.value,
            "content": m.content,
            "tool_calls": [call_to_json(c) for c in m.tool_calls],
            "tool_call_id": m.tool_call_id,
            "name": m.name,
        }
        for m in messages
    ]


def from_json(data: Sequence[dict[str, Any]]) -> list[ChatMessage]:
    return [
        ChatMessage(
            role=ChatRole(m["role"]),
            content=m.get("content") or "",
            tool_calls=tuple(call_from_json(c) for c in m.get("tool_calls") or ()),
            tool_call_id=m.get("tool_call_id"),
            name=m.get("name"),
        )
        for m in data
    ]
