"""Tool implementations. Authorisation lives here, in code: a tool receives a ``ToolContext``
bound to the current session and contact, and nothing the model sends can change them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from wa_agents.domain.model import json_schema
from wa_agents.domain.model.chat import ToolCall, ToolSpec
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.tools import BUILTIN_TOOLS
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


ToolFunction = Callable[[ToolContext, dict[str, Any]], Awaitable[str]]


async def _current_time(ctx: ToolContext, _args: dict[str, Any]) -> str:
    return ctx.clock.now().isoformat(timespec="seconds")


async def _search_history(ctx: ToolContext, args: dict[str, Any]) -> str:
    async with ctx.uow() as uow:
        hits = await uow.messages.search_text(
            ctx.session_id, ctx.contact_jid, args["query"], limit=5
        )
    if not hits:
        return "no earlier message mentions that"
    return "\n".join(f"[{m.timestamp:%Y-%m-%d %H:%M}] {m.direction}: {m.content}" for m in hits)


async def _search_knowledge(ctx: ToolContext, args: dict[str, Any]) -> str:
    if ctx.knowledge is None:
        return "this agent has no knowledge base"
    hits = await ctx.knowledge.query(args["query"], 3, {"agent_id": ctx.agent_id})
    return "\n---\n".join(h.text for h in hits) or "nothing relevant in the knowledge base"


async def _handoff_to_human(ctx: ToolContext, args: dict[str, Any]) -> str:
    async with ctx.uow() as uow:
        conversation = await uow.conversations.get_or_create(
            ctx.session_id, ctx.contact_jid, ctx.clock.now()
        )
        await uow.conversations.update(conversation.with_mode(HandoffMode.HUMAN))
        await uow.commit()
    return "handed off to a human operator"


IMPLEMENTATIONS: dict[str, ToolFunction] = {
    "current_time": _current_time,
    "search_history": _search_history,
    "search_knowledge": _search_knowledge,
    "handoff_to_human": _handoff_to_human,
}


def specs_for(enabled: tuple[str, ...]) -> list[ToolSpec]:
    return [BUILTIN_TOOLS[name] for name in enabled if name in BUILTIN_TOOLS]


async def run_tool(call: ToolCall, enabled: tuple[str, ...], ctx: ToolContext) -> str:
    """Run one tool call; every refusal becomes a result the model can read, never a crash."""
    if call.name not in enabled or call.name not in IMPLEMENTATIONS:
        return f"error: tool {call.name!r} is not available"
    try:
        json_schema.check(call.arguments, BUILTIN_TOOLS[call.name].parameters)
    except ValidationError as exc:
        return f"error: bad arguments: {exc}"
    return await IMPLEMENTATIONS[call.name](ctx, call.arguments)


def describe(call: ToolCall) -> dict[str, Any]:
    return {"name": call.name, "arguments": json.dumps(call.arguments, sort_keys=True)}
