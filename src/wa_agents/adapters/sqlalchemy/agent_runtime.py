"""An agent's handoff policy, business hours and enabled commands as JSON (kept in the
agent row's ``functions`` document). Documents written before these existed read back as
the defaults."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.command import ALL_COMMANDS
from wa_agents.domain.model.handoff import HandoffPolicy
from wa_agents.domain.model.hours import hours_document, hours_from


def runtime_document(agent: Agent) -> dict[str, Any]:
    return {
        "handoff": asdict(agent.handoff),
        "hours": hours_document(agent.hours) if agent.hours is not None else None,
        # the commands that are off: a command added in a later version is on by default
        "commands_off": [name for name in ALL_COMMANDS if name not in agent.commands],
    }


def runtime_fields(functions: dict[str, Any]) -> dict[str, Any]:
    hours = functions.get("hours")
    return {
        "handoff": HandoffPolicy(**functions.get("handoff", {})),
        "hours": hours_from(hours) if hours else None,
        "commands": tuple(n for n in ALL_COMMANDS if n not in functions.get("commands_off", ())),
    }
