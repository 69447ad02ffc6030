"""CommandService: answers slash commands. Unknown commands never reach the model."""

from __future__ import annotations

from dataclasses import dataclass

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.chat import ChatMessage, ChatRole
from wa_agents.domain.model.command import Command, CommandName, help_text
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.history import conversational
from wa_agents.domain.model.message import Direction, Message
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

SUMMARY_PROMPT = "Summarize this WhatsApp conversation in a few short sentences."
TASKS_PROMPT = "Extract the tasks (action items) from this WhatsApp conversation as a short list."
DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True, slots=True)
class CommandContext:
    session_id: str
    contact_jid: str
    agent: Agent | None
    message: Message  # the message that carried the command


class CommandService:
    def __init__(self, uow: UnitOfWorkFactory, model: ChatModel, clock: Clock) -> None:
        self._uow = uow
        self._model = model
        self._clock = clock

    async def execute(self, command: Command, ctx: CommandContext) -> str:
        if command.name is None:
            return f"I don't know the command /{command.raw_name}.\n{help_text()}"
        if command.error is not None:
            return command.error
        match command.name:
            case CommandName.HELP:
                return help_text()
            case CommandName.AGENT:
                return self._describe(ctx.agent)
            case CommandName.RESET:
                await self._update_conversation(ctx, reset=True)
                return "Done: I have forgotten our conversation so far."
            case CommandName.HUMAN:
                await self._update_conversation(ctx, mode=HandoffMode.HUMAN)
                return "OK, a person will answer you here as soon as possible."
            case CommandName.SEARCH:
                return await self._search(command.argument, ctx)
            case CommandName.SUMMARIZE:
                return await self._ask_model(SUMMARY_PROMPT, command.count, ctx)
            case CommandName.TASKS:
                return await self._ask_model(TASKS_PROMPT, command.count, ctx)

    @staticmethod
    def _describe(agent: Agent | None) -> str:
        if agent is None:
            return "No agent is assigned to this number yet."
        about = f"\n{agent.description}" if agent.description else ""
        return f"I am {agent.name} (model {agent.model}).{about}"

    async def _update_conversation(
        self, ctx: CommandContext, *, reset: bool = False, mode: HandoffMode | None = None
    ) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            conversation = await uow.conversations.get_or_create(
                ctx.session_id, ctx.contact_jid, now
            )
            if reset:
                conversation = conversation.reset_memory(now)
            if mode is not None:
                conversation = conversation.with_mode(mode)
            await uow.conversations.update(conversation)
            await uow.commit()

    async def _search(self, query: str, ctx: CommandContext) -> str:
        async with self._uow() as uow:
            hits = await uow.messages.search_text(ctx.session_id, ctx.contact_jid, query, limit=6)
        hits = [m for m in hits if m.id != ctx.message.id][:5]
        if not hits:
            return f"Nothing in this chat mentions {query!r}."
        lines = [f"{m.timestamp:%Y-%m-%d %H:%M} {_speaker(m)}: {m.content}" for m in hits]
        return "Found:\n" + "\n".join(lines)

    async def _ask_model(self, instruction: str, count: int, ctx: CommandContext) -> str:
        async with self._uow() as uow:
            recent = await uow.messages.recent(ctx.session_id, ctx.contact_jid, limit=count * 3)
        recent = [m for m in conversational(recent) if m.content][-count:]
        if not recent:
            return "There is nothing to work on yet."
        transcript = "\n".join(
            f"{'User' if m.direction == Direction.INBOUND else 'Agent'}: {m.content}"
            for m in recent
        )
        completion = await self._model.complete(
            [
                ChatMessage(role=ChatRole.SYSTEM, content=instruction),
                ChatMessage(role=ChatRole.USER, content=transcript),
            ],
            model=ctx.agent.model if ctx.agent else DEFAULT_MODEL,
            temperature=0.2,
        )
        return completion.text.strip() or "I could not produce that just now."


def _speaker(message: Message) -> str:
    return "you" if message.direction == Direction.INBOUND else "me"
