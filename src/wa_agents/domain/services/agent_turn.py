"""AgentService: one agent turn — history in a token budget, the tool loop, the reply."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole, ImagePart, TokenUsage, ToolCall
from wa_agents.domain.model.conversation import Memory
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.prompt_guard import guard_reply
from wa_agents.domain.model.tools import ToolResult
from wa_agents.domain.model.usage import PriceTable, prompt_version
from wa_agents.domain.services.grounding import ground
from wa_agents.domain.services.memory import MemoryKeeper, context_messages
from wa_agents.domain.services.toolbox import Toolbox, builtin_toolbox
from wa_agents.domain.services.tools import ToolContext, describe
from wa_agents.ports.chat_model import ChatModel

MAX_TOOL_CALLS = 5
FALLBACK_REPLY = "Sorry, I could not come up with an answer just now."
NEEDS_OWN_APPROVAL = "error: not run: this call needs an operator's approval; call it again alone"


@dataclass(frozen=True, slots=True)
class Suspension:
    """A turn stopped before ``call`` (it needs an operator's approval): the transcript up to
    and including the model's tool calls and the results of the calls before this one;
    ``later`` are the calls after it in the same answer (run when the turn resumes)."""

    call: ToolCall
    messages: list[ChatMessage]
    later: tuple[ToolCall, ...]
    made: list[dict[str, Any]]
    usage: TokenUsage


@dataclass(frozen=True, slots=True)
class TurnResult:
    text: str
    model: str
    usage: TokenUsage
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)
    suspended: Suspension | None = None  # waiting for an approval: no reply yet
    prompt_version: str = ""  # the hash of the system prompt this turn ran with
    cost_usd: float = 0.0  # from the price table (0 for a model it does not list)
    memory: Memory | None = None  # a new rolling summary, to store with the reply

    def explained(self) -> dict[str, Any]:
        """What the reply's metadata keeps of this turn (the dashboard shows it under the
        reply): the model's own metadata, the model, prompt version, tool calls, latency,
        tokens and cost."""
        return {
            **self.metadata,
            "model": self.model,
            "prompt_version": self.prompt_version,
            "tool_calls": self.tool_calls,
            "latency_ms": self.latency_ms,
            "prompt_tokens": self.usage.prompt_tokens,
            "completion_tokens": self.usage.completion_tokens,
            "cost_usd": self.cost_usd,
        }


def _record(call: ToolCall, result: ToolResult) -> dict[str, Any]:
    """A tool call as the turn's audit keeps it: arguments, a truncated result, citations."""
    record: dict[str, Any] = {**describe(call), "result": result.text[:500]}
    if result.citations:
        record["citations"] = [asdict(c) for c in result.citations]
    return record


class AgentService:
    def __init__(
        self,
        model: ChatModel,
        max_tool_calls: int = MAX_TOOL_CALLS,
        prices: PriceTable | None = None,
    ) -> None:
        self._model = model
        self._max_tool_calls = max_tool_calls
        self._memory = MemoryKeeper(model)
        self.prices = prices or PriceTable()

    async def reply(
        self,
        agent: Agent,
        history: Sequence[Message],
        ctx: ToolContext,
        toolbox: Toolbox | None = None,
        memory: Memory | None = None,
        images: Mapping[str, tuple[ImagePart, ...]] | None = None,
    ) -> TurnResult:
        """The turn with its cost: what the model is shown (system prompt, rolling summary,
        newest history in the budget), the tool loop (``toolbox``: the agent's tools, the
        built-in ones by default; ``images`` by message id go with their messages as image
        parts), the price of the tokens."""
        started = time.monotonic()
        recall = await self._memory.recall(agent, history, memory or Memory(), ctx.clock.now())
        result = await self._start(agent, context_messages(agent, recall, images), ctx, toolbox)
        return self._priced(agent, result, started, recall.usage, recall.updated)

    def _priced(
        self,
        agent: Agent,
        result: TurnResult,
        started: float,
        extra: TokenUsage | None = None,
        memory: Memory | None = None,
    ) -> TurnResult:
        usage = result.usage + extra if extra is not None else result.usage
        return replace(
            result,
            usage=usage,
            latency_ms=int((time.monotonic() - started) * 1000),
            prompt_version=prompt_version(agent.system_prompt),
            cost_usd=self.prices.cost(result.model, usage.prompt_tokens, usage.completion_tokens),
            memory=memory,
        )

    async def _start(
        self, agent: Agent, messages: list[ChatMessage], ctx: ToolContext, toolbox: Toolbox | None
    ) -> TurnResult:
        """Run the tool loop: at most ``max_tool_calls`` tool calls, then a text answer, or a
        suspension before a call that needs an operator's approval."""
        started = time.monotonic()
        box = toolbox if toolbox is not None else builtin_toolbox(agent.tools)
        made: list[dict[str, Any]] = []
        if agent.knowledge.answer_only_from_knowledge:
            grounding = await ground(agent, messages, ctx)
            made += [_record(call, result) for call, result in grounding.calls]
            messages = grounding.messages
            if grounding.refusal is not None:
                latency = int((time.monotonic() - started) * 1000)
                meta = {"knowledge_gate": "no_match", "handed_off": len(grounding.calls) > 1}
                return TurnResult(
                    grounding.refusal, "knowledge-gate", TokenUsage(), made, latency, meta
                )
        return await self._loop(agent, messages, box, ctx, made, TokenUsage(), started)

    async def resume(
        self,
        agent: Agent,
        suspension: Suspension,
        result: ToolResult,
        ctx: ToolContext,
        toolbox: Toolbox,
    ) -> TurnResult:
        """Go on from a suspension: ``result`` answers the suspended call (its output, or the
        operator's refusal); the calls after it run now; then the loop continues."""
        started = time.monotonic()
        messages = list(suspension.messages)
        made = list(suspension.made)
        made.append(_record(suspension.call, result))
        messages.append(_tool_message(suspension.call, result))
        for call in suspension.later:
            messages.append(_tool_message(call, await self._run(call, toolbox, ctx, made)))
        turn = await self._loop(agent, messages, toolbox, ctx, made, suspension.usage, started)
        return self._priced(agent, turn, started)

    async def _run(
        self, call: ToolCall, box: Toolbox, ctx: ToolContext, made: list[dict[str, Any]]
    ) -> ToolResult:
        if len(made) >= self._max_tool_calls:
            return ToolResult("error: tool call limit reached for this turn", is_error=True)
        if box.requires_approval(call.name):
            result = ToolResult(NEEDS_OWN_APPROVAL, is_error=True)
        else:
            result = await box.run(call, ctx)
        made.append(_record(call, result))
        return result

    async def _loop(
        self,
        agent: Agent,
        messages: list[ChatMessage],
        box: Toolbox,
        ctx: ToolContext,
        made: list[dict[str, Any]],
        usage: TokenUsage,
        started: float,
    ) -> TurnResult:
        metadata: dict[str, Any] = {}
        model_name = agent.model
        tools = box.specs
        while True:
            offered = tools if len(made) < self._max_tool_calls else []
            completion = await self._model.complete(
                messages, offered, model=agent.model, temperature=agent.temperature
            )
            usage, model_name, metadata = (
                usage + completion.usage,
                completion.model or model_name,
                completion.metadata,
            )
            if not completion.tool_calls or not offered:
                break
            messages.append(
                ChatMessage(
                    role=ChatRole.ASSISTANT,
                    content=completion.text,
                    tool_calls=completion.tool_calls,
                )
            )
            calls = completion.tool_calls
            for index, call in enumerate(calls):
                if box.requires_approval(call.name) and len(made) < self._max_tool_calls:
                    pause = Suspension(call, messages, calls[index + 1 :], made, usage)
                    latency = int((time.monotonic() - started) * 1000)
                    return TurnResult("", model_name, usage, made, latency, {}, pause)
                messages.append(_tool_message(call, await self._run(call, box, ctx, made)))
        latency = int((time.monotonic() - started) * 1000)
        text, leaked = guard_reply(completion.text.strip() or FALLBACK_REPLY, agent.system_prompt)
        extra = {"prompt_guard": "blocked"} if leaked else {}
        return TurnResult(text, model_name, usage, made, latency, {**metadata, **extra})


def _tool_message(call: ToolCall, result: ToolResult) -> ChatMessage:
    return ChatMessage(
        role=ChatRole.TOOL, content=result.text, tool_call_id=call.id, name=call.name
    )
