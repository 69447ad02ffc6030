"""The tools an agent may be given, as the model sees them, and what a call gives back."""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.chat import ToolSpec


@dataclass(frozen=True, slots=True)
class Citation:
    """A piece of knowledge a tool result was built from (recorded in the turn's audit)."""

    document_id: str
    chunk_id: str
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A tool call's outcome: ``text`` is what the model reads; ``citations`` what it drew on.
    A refusal or failure is a result too (``is_error``), never an exception out of the turn."""

    text: str
    citations: tuple[Citation, ...] = ()
    is_error: bool = False


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
            "Search earlier messages of this conversation by meaning (not only exact words).",
            {
                "type": "object",
                "properties": {"query": _QUERY},
                "required": ["query"],
                "additionalProperties": False,
            },
        ),
        ToolSpec(
            "search_knowledge",
            "Search the agent's knowledge documents; cite the titles of the passages you use.",
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
