"""Tool implementations. Authorisation lives here, in code: a tool receives a ``ToolContext``
bound to the current session and contact, and nothing the model sends can change them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from wa_agents.domain.model import json_schema
from wa_agents.domain.model.chat import ToolCall
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.handoff import ModeRequest, TurnEffects
from wa_agents.domain.model.tools import BUILTIN_TOOLS, ToolResult
from wa_agents.domain.services import search_tools
from wa_agents.ports.clock import Clock
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ToolContext:
    session_id: str
    contact_jid: str
    agent_id: str
    uow: UnitOfWorkFactory
    clock: Clock
    knowledge: VectorIndex | None = None
    effects: TurnEffects = field(default_factory=TurnEffects)  # applied with the turn's reply


ToolFunction = Callable[[ToolContext, dict[str, Any]], Awaitable[ToolResult]]


async def _current_time(ctx: ToolContext, _args: dict[str, Any]) -> ToolResult:
    return ToolResult(ctx.clock.now().isoformat(timespec="seconds"))


async def _search_history(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    return await search_tools.search_history(
        ctx.uow, ctx.knowledge, ctx.session_id, ctx.contact_jid, args["query"]
    )


async def _search_knowledge(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    return await search_tools.search_knowledge(ctx.uow, ctx.knowledge, ctx.agent_id, args["query"])


async def _handoff_to_human(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Asks for the switch; the turn applies it when it writes this reply (both or neither)."""
    reason = str(args.get("reason") or "the agent handed off")[:200]
    ctx.effects.mode = ModeRequest(HandoffMode.HUMAN, f"agent:{ctx.agent_id}", reason)
    return ToolResult(
        "handed off: a person will answer from now on, and the user is told so. "
        "Reply with one short sentence for the user."
    )


IMPLEMENTATIONS: dict[str, ToolFunction] = {
    "current_time": _current_time,
    "search_history": _search_history,
    "search_knowledge": _search_knowledge,
    "handoff_to_human": _handoff_to_human,
}


async def run_tool(call: ToolCall, enabled: tuple[str, ...], ctx: ToolContext) -> ToolResult:
    """Run one tool call; every refusal becomes a result the model can read, never a crash."""
    if call.name not in enabled or call.name not in IMPLEMENTATIONS:
        return ToolResult(f"error: tool {call.name!r} is not available", is_error=True)
    try:
        json_schema.check(call.arguments, BUILTIN_TOOLS[call.name].parameters)
    except ValidationError as exc:
        return ToolResult(f"error: bad arguments: {exc}", is_error=True)
    return await IMPLEMENTATIONS[call.name](ctx, call.arguments)


def describe(call: ToolCall) -> dict[str, Any]:
    return {"name": call.name, "arguments": json.dumps(call.arguments, sort_keys=True)}
