"""The tools an agent may be given, as the model sees them."""

from __future__ import annotations

from wa_agents.domain.model.chat import ToolSpec

_QUERY = {"type": "string", "minLength": 1, "maxLength": 500}

BUILTIN_TOOLS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec(
            "current_time",
            "The current date and time (UTC).",
            {"type": "object", "properties": {}, "additionalProperties": False},
        ),
        ToolSpec(
            "search_history",
            "Search earlier messages of this conversation for words.",
            {
                "type": "object",
                "properties": {"query": _QUERY},
                "required": ["query"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            "search_knowledge",
            "Search the agent's knowledge documents.",
            {
                "type": "object",
                "properties": {"query": _QUERY},
                "required": ["query"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            "handoff_to_human",
            "Hand this conversation to a human operator.",
            {
                "type": "object",
                "properties": {"reason": {"type": "string", "maxLength": 500}},
                "additionalProperties": False,
            },
        ),
    )
}
