""" "Answer only from knowledge": an agent's question is looked up before the model sees it.

When no passage of the agent's documents scores at least the policy's ``min_score``, the turn
answers the policy's fallback text without a model call (and hands off when asked to).
Otherwise the search goes into the conversation as a ``search_knowledge`` call the assistant
made, with its results, and the system prompt tells the model to answer from them only. Both
calls are returned so the turn's audit records them (with the citations).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole, ToolCall
from wa_agents.domain.model.tools import ToolResult
from wa_agents.domain.services import search_tools
from wa_agents.domain.services.tools import ToolContext, run_tool

INSTRUCTION = (
    "\n\nAnswer only from the knowledge search results in this conversation, and name the "
    "titles you used. If they do not contain the answer, reply exactly: {fallback}"
)


@dataclass(frozen=True, slots=True)
class Grounding:
    messages: list[ChatMessage]  # what the model should see (unchanged on a refusal)
    calls: list[tuple[ToolCall, ToolResult]] = field(default_factory=list)
    refusal: str | None = None  # set: answer this, without the model


def _question(messages: list[ChatMessage]) -> str:
    return next((m.content for m in reversed(messages) if m.role == ChatRole.USER), "")


async def ground(agent: Agent, messages: list[ChatMessage], ctx: ToolContext) -> Grounding:
    policy = agent.knowledge
    question = _question(messages)[:500]
    call = ToolCall("knowledge-gate", "search_knowledge", {"query": question})
    result = await search_tools.search_knowledge(ctx.uow, ctx.knowledge, ctx.agent_id, question)
    best = max((c.score for c in result.citations), default=-1.0)
    if best < policy.min_score:
        calls = [(call, result)]
        if policy.handoff:
            handoff = ToolCall(
                "knowledge-gate-handoff", "handoff_to_human", {"reason": "no answer"}
            )
            calls.append((handoff, await run_tool(handoff, ("handoff_to_human",), ctx)))
        return Grounding(messages, calls, refusal=policy.fallback_reply)
    system, *rest = messages
    instructed = replace(
        system, content=system.content + INSTRUCTION.format(fallback=policy.fallback_reply)
    )
    asked = ChatMessage(role=ChatRole.ASSISTANT, tool_calls=(call,))
    answered = ChatMessage(
        role=ChatRole.TOOL, content=result.text, tool_call_id=call.id, name=call.name
    )
    return Grounding([instructed, *rest, asked, answered], [(call, result)])
