"""``wa-agents replay FILE``: run a golden conversation against an agent, check it.

The agent is the file's own ``agent`` block, or ``--agent NAME`` from the configured
database. The model is the offline scripted one (each turn's ``model`` answers are played),
or with ``--llm openai`` the configured OpenAI-compatible model. One line per expectation,
PASS or FAIL; the exit code is 1 when any failed, 2 when the file or the agent is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from wa_agents.domain.model.errors import ValidationError, WaAgentsError
from wa_agents.domain.model.golden import GoldenConversation, parse_golden
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.services.golden import Check, GoldenRunner
from wa_agents.domain.services.platform import Platform
from wa_agents.entrypoints.agent_source import agent_fields, stored_agent
from wa_agents.entrypoints.container import build_container
from wa_agents.entrypoints.settings import Settings

SESSION = "replay"
CONTACT = "15550009999"


def load_golden(path: Path) -> GoldenConversation:
    """A golden conversation from a ``.json``, ``.yaml`` or ``.yml`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        kind = "JSON" if path.suffix == ".json" else "YAML"
        raise ValidationError(f"{path} is not valid {kind}: {exc}") from None
    return parse_golden(raw, default_name=path.stem)


def _sandbox(settings: Settings, llm: str) -> Settings:
    # the replay is the phone: replies at once, nothing kept
    return replace(
        settings,
        debounce_ms=0,
        bridge_url=None,
        database_url="memory",
        vector_store="memory",
        chroma_url=None,
        llm=llm,
    )


async def _agent_spec(
    settings: Settings, golden: GoldenConversation, name: str | None
) -> dict[str, Any]:
    if name is not None:
        return agent_fields(await stored_agent(settings, name))
    if not golden.agent:
        raise ValidationError("the file has no 'agent' block: give one, or --agent NAME")
    spec = {"name": golden.name, "model": "scripted", "system_prompt": "", **golden.agent}
    if "tools" in spec:
        spec["tools"] = tuple(spec["tools"])
    return spec


async def replay(
    settings: Settings,
    path: Path,
    *,
    agent_name: str | None = None,
    llm: str = "scripted",
    write: Callable[[str], None] = print,
) -> int:
    try:
        golden = load_golden(path)
        spec = await _agent_spec(settings, golden, agent_name)
        checks = await _run(_sandbox(settings, llm), golden, spec)
    except WaAgentsError as exc:
        write(f"wa-agents replay: {exc}")
        return 2
    for c in checks:
        line = f"{'PASS' if c.passed else 'FAIL'}  turn {c.turn}: {c.expectation.describe()}"
        write(line + (f"  (got {c.detail})" if c.detail else ""))
    failed = sum(not c.passed for c in checks)
    write(f"{golden.name}: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


async def _run(settings: Settings, golden: GoldenConversation, spec: dict[str, Any]) -> list[Check]:
    container = build_container(settings)
    platform: Platform = container.platform()
    agent = await platform.agents.create(**spec)
    await platform.sessions.create(SESSION, agent_id=agent.id)
    if platform.sandbox is not None:
        await platform.sandbox.scan(SESSION)
    # the scripted model plays each turn's recorded answers; a real model ignores them
    queue = getattr(container.chat_model(), "queue", None) if settings.llm == "scripted" else None
    runner = GoldenRunner(platform, SESSION, normalize_jid(CONTACT), queue)
    return await runner.run(golden)
