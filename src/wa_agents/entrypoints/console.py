"""``wa-agents chat``: a console where you play a WhatsApp user talking to an agent.

It runs the real pipeline (inbound -> turn job -> agent or command -> send job) on the
sandbox gateway, so what you read here is what a phone would receive.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TextIO

from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.message import Direction
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.container import build_container
from wa_agents.entrypoints.settings import Settings

SESSION = "console"
BANNER = (
    "wa_agents console chat: you are a WhatsApp user, the agent answers.\n"
    "Model: {model}. Type /help for the commands, /quit or Ctrl-D to leave."
)


def _print(text: str) -> None:
    print(text, flush=True)


async def run_console(
    settings: Settings,
    *,
    contact: str,
    model: str,
    prompt: str,
    stdin: TextIO | None = None,
    write: Callable[[str], None] = _print,
) -> int:
    # The console is the phone: replies go out at once, through the sandbox gateway.
    # Nothing is kept: each console run starts a fresh conversation in memory.
    container = build_container(
        replace(settings, debounce_ms=0, bridge_url=None, database_url="memory")
    )
    platform: Platform = container.platform()
    agent = await platform.agents.create(
        name="Console agent",
        model=model if settings.llm == "openai" else "scripted",
        system_prompt=prompt,
        tools=tuple(BUILTIN_TOOLS),
        description="A demo agent with every built-in tool.",
    )
    await platform.sessions.create(SESSION, agent_id=agent.id)
    if platform.sandbox is not None:  # the console user is the phone: scan the QR at once
        await platform.sandbox.scan(SESSION)
    jid = normalize_jid(contact)
    label = f"OpenAI {model}" if settings.llm == "openai" else "offline scripted model (no LLM)"
    write(BANNER.format(model=label))
    seen: set[str] = set()
    for turn, line in enumerate(_lines(stdin or sys.stdin), start=1):
        text = line.strip()
        if text in ("/quit", "/exit"):
            break
        if not text:
            continue
        await platform.inbound.accept(
            InboundMessage(session_id=SESSION, from_jid=jid, content=text, wa_message_id=f"C{turn}")
        )
        await platform.runner.run_until_idle()
        for reply in await _new_replies(platform, jid, seen):
            write(f"agent> {reply}")
    return 0


def _lines(stdin: TextIO) -> Iterator[str]:
    """Lines the user types; a prompt is shown only on a terminal."""
    interactive = stdin.isatty()
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = stdin.readline()
        if not line:
            return
        yield line


async def _new_replies(platform: Platform, jid: str, seen: set[str]) -> list[str]:
    async with platform.uow() as uow:
        recent = await uow.messages.recent(SESSION, jid, limit=50)
    fresh = [m for m in recent if m.direction == Direction.OUTBOUND and m.id not in seen]
    seen.update(m.id for m in fresh)
    return [m.content for m in fresh]
