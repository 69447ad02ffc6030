"""Replaying a golden conversation against an agent and checking each expectation.

The caller gives a ``Platform`` (memory storage, the sandbox) whose session already has the
agent, a way to queue the scripted model's answers (None with a real model), and the user's
JID. Each turn is sent as a WhatsApp user would send it and runs through the real pipeline;
its replies, their recorded tool calls and the conversation's mode are then checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wa_agents.domain.model.chat import Completion
from wa_agents.domain.model.conversation import HandoffMode
from wa_agents.domain.model.golden import Expectation, GoldenConversation
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform


@dataclass(frozen=True, slots=True)
class Check:
    turn: int
    expectation: Expectation
    passed: bool
    detail: str = ""  # what was seen, when it failed


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    replies: list[str]
    tool_calls: list[dict[str, Any]]
    mode: HandoffMode


def _matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and isinstance(actual, str):
        return expected.lower() in actual.lower()
    return bool(expected == actual)


def _called(outcome: TurnOutcome, name: str, args: dict[str, Any]) -> bool:
    for call in outcome.tool_calls:
        if call.get("name") != name:
            continue
        try:
            actual = json.loads(call.get("arguments") or "{}")
        except ValueError:
            actual = {}
        if all(k in actual and _matches(v, actual[k]) for k, v in args.items()):
            return True
    return False


def check(expectation: Expectation, outcome: TurnOutcome) -> tuple[bool, str]:
    text = "\n".join(outcome.replies)
    seen = f"replies {outcome.replies!r}"
    match expectation.kind:
        case "calls_tool":
            name, args = expectation.value
            made = [f"{c.get('name')}({c.get('arguments')})" for c in outcome.tool_calls]
            return _called(outcome, name, args), f"tool calls {made or 'none'}"
        case "reply_contains":
            return expectation.value.lower() in text.lower(), seen
        case "reply_not_contains":
            return expectation.value.lower() not in text.lower(), seen
        case "hands_off":
            handed = outcome.mode != HandoffMode.AI
            return handed == expectation.value, f"mode {outcome.mode.value}"
        case _:  # no_reply
            return (not outcome.replies) == expectation.value, seen


class GoldenRunner:
    def __init__(
        self,
        platform: Platform,
        session_id: str,
        contact_jid: str,
        queue: Callable[..., None] | None = None,
    ) -> None:
        self._platform, self._session, self._jid = platform, session_id, contact_jid
        self._queue = queue  # ScriptedChatModel.queue, or None for a real model
        self._seen: set[str] = set()

    async def run(self, golden: GoldenConversation) -> list[Check]:
        checks: list[Check] = []
        for number, turn in enumerate(golden.turns, start=1):
            outcome = await self._say(number, turn.user, turn.model)
            for expectation in turn.expect:
                passed, detail = check(expectation, outcome)
                checks.append(Check(number, expectation, passed, "" if passed else detail))
        return checks

    async def _say(self, number: int, text: str, script: tuple[Completion, ...]) -> TurnOutcome:
        if self._queue is not None and script:
            self._queue(*script)
        inbound = InboundMessage(
            session_id=self._session,
            from_jid=self._jid,
            content=text,
            wa_message_id=f"golden-{number}",
        )
        await self._platform.inbound.accept(inbound)
        await self._platform.runner.run_until_idle()
        async with self._platform.uow() as uow:
            recent = await uow.messages.recent(self._session, self._jid, limit=200)
            mode = (await uow.conversations.get(self._session, self._jid)).mode
        fresh = [m for m in recent if m.direction == Direction.OUTBOUND and m.id not in self._seen]
        self._seen.update(m.id for m in fresh)
        return TurnOutcome([m.content for m in fresh], _tool_calls(fresh), mode)


def _tool_calls(replies: list[Message]) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    for reply in replies:
        calls += [c for c in reply.metadata.get("tool_calls", []) if isinstance(c, dict)]
    return calls
