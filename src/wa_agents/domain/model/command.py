"""Slash commands a WhatsApp user can type. One parser for all of them."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from wa_agents.domain.model.errors import ValidationError


class CommandName(enum.StrEnum):
    HELP = "help"
    RESET = "reset"
    AGENT = "agent"
    SEARCH = "search"
    SUMMARIZE = "summarize"
    TASKS = "tasks"
    HUMAN = "human"


HELP_TEXT: dict[CommandName, str] = {
    CommandName.HELP: "/help - list the commands",
    CommandName.RESET: "/reset - forget our conversation so far",
    CommandName.AGENT: "/agent - who am I talking to?",
    CommandName.SEARCH: "/search <words> - find earlier messages in this chat",
    CommandName.SUMMARIZE: "/summarize [n] - summarise the last n messages (default 20)",
    CommandName.TASKS: "/tasks [n] - list the tasks in the last n messages (default 20)",
    CommandName.HUMAN: "/human - talk to a person",
}

ALL_COMMANDS: tuple[str, ...] = tuple(CommandName)

DEFAULT_COUNT = 20
MAX_COUNT = 200


@dataclass(frozen=True, slots=True)
class Command:
    """A parsed command. ``name`` is None for an unknown one; ``raw_name`` keeps what was typed."""

    name: CommandName | None
    raw_name: str
    argument: str = ""
    count: int = DEFAULT_COUNT
    error: str | None = None

    @property
    def is_known(self) -> bool:
        return self.name is not None


def is_command(text: str) -> bool:
    stripped = text.lstrip()
    return len(stripped) > 1 and stripped[0] == "/" and not stripped[1].isspace()


def parse_command(text: str) -> Command | None:
    """Parse ``text``; None when it is not a command at all (ordinary chat)."""
    if not is_command(text):
        return None
    head, _, rest = text.strip()[1:].partition(" ")
    raw_name = head.split("@", 1)[0].lower()  # "/help@bot" is still /help
    argument = rest.strip()
    try:
        name = CommandName(raw_name)
    except ValueError:
        return Command(name=None, raw_name=raw_name, argument=argument)
    if name in (CommandName.SUMMARIZE, CommandName.TASKS) and argument:
        if not (argument.isascii() and argument.isdigit()):  # "²" is a digit to isdigit
            return Command(
                name, raw_name, argument, error=f"/{name} takes a number, e.g. /{name} 10"
            )
        count = max(1, min(int(argument), MAX_COUNT))
        return Command(name, raw_name, argument, count=count)
    if name == CommandName.SEARCH and not argument:
        return Command(name, raw_name, argument, error="/search needs words, e.g. /search invoice")
    return Command(name, raw_name, argument)


def check_commands(names: tuple[str, ...]) -> None:
    """An agent's enabled commands must be known ones (``ValidationError`` otherwise)."""
    unknown = sorted(set(names) - set(ALL_COMMANDS))
    if unknown:
        raise ValidationError(f"unknown commands {unknown}; known: {list(ALL_COMMANDS)}")


def is_enabled(name: CommandName, enabled: tuple[str, ...]) -> bool:
    return name == CommandName.HELP or name in enabled  # /help is never off


def help_text(enabled: tuple[str, ...] = ALL_COMMANDS) -> str:
    lines = [line for name, line in HELP_TEXT.items() if is_enabled(name, enabled)]
    return "Commands:\n" + "\n".join(lines)
