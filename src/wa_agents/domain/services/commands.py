"""CommandService: answers slash commands. Unknown commands never reach the model."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole
from wa_agents.domain.model.command import ALL_COMMANDS, Command, CommandName, help_text, is_enabled
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.errors import NotFound, WaAgentsError
from wa_agents.domain.model.handoff import HandoffPolicy, ModeRequest, TurnEffects
from wa_agents.domain.model.history import conversational
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.services.command_usage import UsageRecorder
from wa_agents.domain.services.search import SearchService
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock
from wa_agents.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory

SUMMARY_PROMPT = "Summarize this WhatsApp conversation in a few short sentences."
TASKS_PROMPT = "Extract the tasks (action items) from this WhatsApp conversation as a short list."
DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True, slots=True)
class CommandContext:
    session_id: str
    contact_jid: str
    agent: Agent | None
    message: Message  # the message that carried the command
    mode: HandoffMode = HandoffMode.AI  # who answers the conversation right now
    effects: TurnEffects = field(default_factory=TurnEffects)  # e.g. /human's handoff

    @property
    def enabled(self) -> tuple[str, ...]:
        return self.agent.commands if self.agent is not None else ALL_COMMANDS

    @property
    def handoff(self) -> HandoffPolicy:
        return self.agent.handoff if self.agent is not None else HandoffPolicy()


def back_hint(policy: HandoffPolicy) -> str:
    if policy.resume_word:
        return f"Send {policy.resume_word} to talk to the assistant again."
    return "A person will hand you back to the assistant when you are done."


class CommandService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        model: ChatModel,
        clock: Clock,
        search: SearchService | None = None,
        fixed_model: str | None = None,
        usage: UsageRecorder | None = None,
    ) -> None:
        self._uow = uow
        self._model = model
        self._clock = clock
        self._semantic = search  # semantic /search; without one, a substring match
        self._fixed_model = fixed_model  # set when one model answers every agent (scripted)
        self._usage = usage  # /summarize and /tasks cost tokens too

    async def execute(self, command: Command, ctx: CommandContext) -> str:
        """The reply to ``command``; '' when a switch it asked for (``/human``) answers it."""
        if command.name is None or not is_enabled(command.name, ctx.enabled):
            return f"I don't know the command /{command.raw_name}.\n{help_text(ctx.enabled)}"
        if ctx.mode != HandoffMode.AI:
            return self._while_human(command.name, ctx)
        if command.error is not None:
            return command.error
        match command.name:
            case CommandName.HELP:
                return help_text(ctx.enabled)
            case CommandName.AGENT:
                return self._describe(ctx.agent)
            case CommandName.RESET:
                await self._reset(ctx)
                return "Done: I have forgotten our conversation so far."
            case CommandName.HUMAN:
                ctx.effects.mode = ModeRequest(HandoffMode.HUMAN, "user", "the user sent /human")
                return "" if ctx.handoff.message else "OK, a person will answer you here."
            case CommandName.SEARCH:
                return await self._search(command.argument, ctx)
            case CommandName.SUMMARIZE:
                return await self._ask_model(SUMMARY_PROMPT, command.count, ctx)
            case CommandName.TASKS:
                return await self._ask_model(TASKS_PROMPT, command.count, ctx)

    @staticmethod
    def _while_human(name: CommandName, ctx: CommandContext) -> str:
        """A person answers this chat: /help still works and says how to get back."""
        hint = back_hint(ctx.handoff)
        if name == CommandName.HELP:
            return f"A person is answering this chat.\n{hint}\n{help_text(ctx.enabled)}"
        if name == CommandName.HUMAN:
            return f"A person is already answering this chat.\n{hint}"
        return f"A person is answering this chat, so /{name} is not available now.\n{hint}"

    def _describe(self, agent: Agent | None) -> str:
        if agent is None:
            return "No agent is assigned to this number yet."
        about = f"\n{agent.description}" if agent.description else ""
        if self._fixed_model and self._fixed_model != agent.model:
            model = f"model {self._fixed_model}, standing in for {agent.model}"
        else:
            model = f"model {agent.model}"
        return f"I am {agent.name} ({model}).{about}"

    async def _reset(self, ctx: CommandContext) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            conversation = await uow.conversations.get_or_create(
                ctx.session_id, ctx.contact_jid, now
            )
            await uow.conversations.update(conversation.reset_memory(now))
            await uow.commit()

    async def _search(self, query: str, ctx: CommandContext) -> str:
        """This contact's messages closest in meaning (since its last /reset), newest first
        among equals, each in full."""
        try:
            hits = await self._found(query, ctx)
        except WaAgentsError:
            return "Search is unavailable right now; please try again in a moment."
        if not hits:
            return f"Nothing in this chat is about {query!r}."
        lines = [f"{m.timestamp:%Y-%m-%d %H:%M} {_speaker(m)}: {m.content}" for m in hits]
        return "Found:\n" + "\n".join(lines)

    async def _found(self, query: str, ctx: CommandContext) -> list[Message]:
        if self._semantic is not None:
            hits = await self._semantic.conversation(
                ctx.session_id, ctx.contact_jid, query, limit=5, exclude_id=ctx.message.id
            )
            return [h.message for h in hits]
        async with self._uow() as uow:
            since = await self._reset_at(uow, ctx)
            found = await uow.messages.search_text(ctx.session_id, ctx.contact_jid, query, limit=50)
        fresh = [m for m in found if since is None or m.timestamp >= since]
        return [m for m in fresh if m.id != ctx.message.id][:5]

    @staticmethod
    async def _reset_at(uow: UnitOfWork, ctx: CommandContext) -> datetime | None:
        """Where this conversation's memory starts (its last /reset), if anywhere."""
        try:
            return (await uow.conversations.get(ctx.session_id, ctx.contact_jid)).memory_reset_at
        except NotFound:
            return None

    async def _ask_model(self, instruction: str, count: int, ctx: CommandContext) -> str:
        async with self._uow() as uow:
            since = await self._reset_at(uow, ctx)
            recent = await uow.messages.recent(
                ctx.session_id, ctx.contact_jid, limit=count * 3, since=since
            )
        recent = [m for m in conversational(recent) if m.content][-count:]
        if not recent:
            return "There is nothing to work on yet."
        transcript = "\n".join(
            f"{'User' if m.direction == Direction.INBOUND else 'Agent'}: {m.content}"
            for m in recent
        )
        started = time.monotonic()
        completion = await self._model.complete(
            [
                ChatMessage(role=ChatRole.SYSTEM, content=instruction),
                ChatMessage(role=ChatRole.USER, content=transcript),
            ],
            model=ctx.agent.model if ctx.agent else DEFAULT_MODEL,
            temperature=0.2,
        )
        if self._usage is not None:
            latency = int((time.monotonic() - started) * 1000)
            await self._usage.record(ctx, instruction, completion, latency)
        return completion.text.strip() or "I could not produce that just now."


def _speaker(message: Message) -> str:
    return "you" if message.direction == Direction.INBOUND else "me"
