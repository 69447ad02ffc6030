from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wa_agents.domain.model.command import (
    MAX_COUNT,
    CommandName,
    help_text,
    is_command,
    parse_command,
)


@pytest.mark.parametrize(
    ("text", "name", "argument", "count"),
    [
        ("/help", CommandName.HELP, "", 20),
        ("  /HELP  ", CommandName.HELP, "", 20),
        ("/help@bot", CommandName.HELP, "", 20),
        ("/search  invoice 42 ", CommandName.SEARCH, "invoice 42", 20),
        ("/summarize 5", CommandName.SUMMARIZE, "5", 5),
        ("/tasks", CommandName.TASKS, "", 20),
        ("/tasks 9999", CommandName.TASKS, "9999", MAX_COUNT),
        ("/reset", CommandName.RESET, "", 20),
        ("/agent", CommandName.AGENT, "", 20),
        ("/human", CommandName.HUMAN, "", 20),
    ],
)
def test_known_commands(text: str, name: CommandName, argument: str, count: int) -> None:
    command = parse_command(text)
    assert command is not None
    assert (command.name, command.argument, command.count, command.error) == (
        name,
        argument,
        count,
        None,
    )


@pytest.mark.parametrize("text", ["hello", "", "/", "/ help", "a /help", "  "])
def test_ordinary_text_is_not_a_command(text: str) -> None:
    assert parse_command(text) is None


def test_unknown_and_malformed_commands_say_why() -> None:
    unknown = parse_command("/pizza now")
    assert unknown is not None and unknown.name is None and unknown.raw_name == "pizza"
    bad_count = parse_command("/summarize lots")
    assert bad_count is not None and bad_count.error and "number" in bad_count.error
    empty_search = parse_command("/search")
    assert empty_search is not None and empty_search.error


def test_help_lists_every_command() -> None:
    text = help_text()
    assert all(f"/{name}" in text for name in CommandName)


@given(st.text(max_size=60))
def test_parser_is_total_and_agrees_with_is_command(text: str) -> None:
    command = parse_command(text)
    assert (command is not None) == is_command(text)
    if command is not None:
        assert command.raw_name == command.raw_name.lower()
        assert 1 <= command.count <= MAX_COUNT


@given(
    st.sampled_from(list(CommandName)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
)
def test_every_known_name_parses_with_any_argument(name: CommandName, argument: str) -> None:
    command = parse_command(f"/{name.value} {argument}")
    assert command is not None and command.name == name
    assert command.argument == argument.strip()
