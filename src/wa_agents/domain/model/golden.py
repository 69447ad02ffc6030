"""Golden conversations: a recorded chat with what each agent turn must do.

Read from plain data (the YAML or JSON of ``wa-agents replay``)::

    name: order status
    agent: {name: Shop, system_prompt: "...", tools: [current_time]}   # or --agent NAME
    turns:
      - user: what time is it?
        model:                        # optional: what the scripted model answers this turn
          - tool_calls: [{name: current_time, arguments: {}}]
          - text: It is noon.
        expect:
          - calls_tool: current_time                     # or {name: X, with: {arg: value}}
          - reply_contains: noon
          - reply_not_contains: sorry
          - hands_off: true                             # the conversation went to a person
          - no_reply: true

Argument values in ``with`` match exactly, except strings, which match as case-insensitive
substrings. A bad file is a ``ValidationError`` naming the place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wa_agents.domain.model.chat import Completion, ToolCall
from wa_agents.domain.model.errors import ValidationError

KINDS = ("calls_tool", "reply_contains", "reply_not_contains", "hands_off", "no_reply")


@dataclass(frozen=True, slots=True)
class Expectation:
    kind: str
    value: Any

    def describe(self) -> str:
        if self.kind == "calls_tool":
            name, args = self.value
            return f"calls tool {name}" + (
                f" with {json.dumps(args, sort_keys=True)}" if args else ""
            )
        if self.kind in ("hands_off", "no_reply"):
            return self.kind.replace("_", " ") + ("" if self.value else ": no")
        verb = "reply does not contain" if self.kind == "reply_not_contains" else "reply contains"
        return f"{verb} {self.value!r}"


@dataclass(frozen=True, slots=True)
class GoldenTurn:
    user: str
    expect: tuple[Expectation, ...] = ()
    model: tuple[Completion, ...] = ()  # played by the scripted model, ignored by a real one


@dataclass(frozen=True, slots=True)
class GoldenConversation:
    name: str
    turns: tuple[GoldenTurn, ...]
    agent: dict[str, Any] = field(default_factory=dict)  # agent fields, when the file has one


def _expectation(raw: Any, where: str) -> Expectation:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise ValidationError(f"{where}: an expectation is one of {', '.join(KINDS)}")
    [(kind, value)] = raw.items()
    if kind not in KINDS:
        raise ValidationError(f"{where}: unknown expectation {kind!r}; known: {', '.join(KINDS)}")
    if kind == "calls_tool":
        if isinstance(value, str):
            return Expectation(kind, (value, {}))
        if isinstance(value, Mapping) and isinstance(value.get("name"), str):
            args = value.get("with", {})
            if not isinstance(args, Mapping):
                raise ValidationError(f"{where}: calls_tool 'with' must be an object")
            return Expectation(kind, (value["name"], dict(args)))
        raise ValidationError(f"{where}: calls_tool takes a tool name or {{name, with}}")
    if kind in ("hands_off", "no_reply"):
        if not isinstance(value, bool):
            raise ValidationError(f"{where}: {kind} takes true or false")
        return Expectation(kind, value)
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{where}: {kind} takes a non-empty text")
    return Expectation(kind, value)


def _completion(raw: Any, where: str) -> Completion:
    if not isinstance(raw, Mapping):
        raise ValidationError(f"{where}: a model answer is {{text}} or {{tool_calls: [...]}}")
    calls = []
    for n, call in enumerate(raw.get("tool_calls", []) or []):
        if not isinstance(call, Mapping) or not isinstance(call.get("name"), str):
            raise ValidationError(f"{where}.tool_calls[{n}]: needs a name")
        arguments = call.get("arguments", {}) or {}
        if not isinstance(arguments, Mapping):
            raise ValidationError(f"{where}.tool_calls[{n}]: arguments must be an object")
        calls.append(ToolCall(f"golden-{n}", call["name"], dict(arguments)))
    return Completion(text=str(raw.get("text", "") or ""), tool_calls=tuple(calls))


def _turn(raw: Any, where: str) -> GoldenTurn:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("user"), str):
        raise ValidationError(f"{where}: a turn needs 'user' (what the user sends)")
    expect = raw.get("expect", []) or []
    model = raw.get("model", []) or []
    if not isinstance(expect, list) or not isinstance(model, list):
        raise ValidationError(f"{where}: 'expect' and 'model' are lists")
    return GoldenTurn(
        raw["user"],
        tuple(_expectation(e, f"{where}.expect[{n}]") for n, e in enumerate(expect)),
        tuple(_completion(c, f"{where}.model[{n}]") for n, c in enumerate(model)),
    )


def parse_golden(raw: Any, default_name: str = "conversation") -> GoldenConversation:
    """A golden conversation from decoded YAML/JSON; ``ValidationError`` names what is wrong."""
    if not isinstance(raw, Mapping):
        raise ValidationError("a golden conversation is an object with 'turns'")
    turns = raw.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ValidationError("'turns' must be a non-empty list")
    agent = raw.get("agent", {}) or {}
    if not isinstance(agent, Mapping):
        raise ValidationError("'agent' must be an object of agent fields")
    return GoldenConversation(
        str(raw.get("name") or default_name),
        tuple(_turn(t, f"turns[{n}]") for n, t in enumerate(turns)),
        dict(agent),
    )
