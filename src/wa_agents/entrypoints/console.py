"""``wa-agents chat``: a console where you play a WhatsApp user talking to an agent.

It runs the real pipeline (inbound -> turn job -> agent or command -> send job) on the
sandbox gateway, so what you read here is what a phone would receive.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TextIO

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.message import Direction
from wa_agents.domain.model.tools import BUILTIN_TOOLS
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.agent_source import agent_fields, stored_agent
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
    agent_name: str | None = None,
    stdin: TextIO | None = None,
    write: Callable[[str], None] = _print,
) -> int:
    """With ``agent_name``, a copy of that agent of the configured database answers."""
    try:
        spec = await _agent_spec(settings, agent_name, model, prompt)
    except NotFound:
        write(f"wa-agents chat: no agent named {agent_name!r} in the configured database")
        return 2
    # The console is the phone: replies go out at once, through the sandbox gateway.
    # Nothing is kept: each console run starts a fresh conversation in memory.
    container = build_container(
        replace(settings, debounce_ms=0, bridge_url=None, database_url="memory")
    )
    platform: Platform = container.platform()
    agent = await platform.agents.create(**spec)
    await platform.sessions.create(SESSION, agent_id=agent.id)
    if platform.sandbox is not None:  # the console user is the phone: scan the QR at once
        await platform.sandbox.scan(SESSION)
    jid = normalize_jid(contact)
    label = (
        f"OpenAI {agent.model}" if settings.llm == "openai" else "offline scripted model (no LLM)"
    )
    write(BANNER.format(model=label) + (f"\nAgent: {agent.name}." if agent_name else ""))
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


async def _agent_spec(
    settings: Settings, agent_name: str | None, model: str, prompt: str
) -> dict[str, Any]:
    if agent_name is not None:
        return agent_fields(await stored_agent(settings, agent_name))
    return {
        "name": "Console agent",
        "model": model if settings.llm == "openai" else "scripted",
        "system_prompt": prompt,
        # no knowledge documents here: looking every line up in an empty knowledge base
        # would only answer "nothing relevant"
        "tools": tuple(t for t in BUILTIN_TOOLS if t != "search_knowledge"),
        "description": "A demo agent with the built-in tools (no knowledge base).",
    }


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
