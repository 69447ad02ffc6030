"""``wa-agents chat`` as a user runs it: a real process, typed lines in, replies out."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from wa_agents.entrypoints.cli import main
from wa_agents.entrypoints.console import run_console
from wa_agents.entrypoints.settings import load_settings

WA_AGENTS = Path(sys.executable).parent / "wa-agents"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WA_", "OPENAI_"))}
    return {**env, **extra}


def test_the_console_answers_each_line_through_the_real_process() -> None:
    result = subprocess.run(
        [str(WA_AGENTS), "chat"],
        input="hello\n/agent\n/nope\n/quit\nnever read\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
        check=True,
    )
    replies = [line for line in result.stdout.splitlines() if line.startswith("agent> ")]
    assert replies[0] == "agent> (scripted demo reply) You said: hello"
    assert replies[1].startswith("agent> I am Console agent")
    assert replies[2].startswith("agent> I don't know the command /nope")
    assert "never read" not in result.stdout
    assert "offline scripted model" in result.stdout


def test_a_bad_setting_stops_the_console_with_one_line() -> None:
    result = subprocess.run(
        [str(WA_AGENTS), "chat"],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(WA_DEBOUNCE_MS="soon"),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "wa-agents: WA_DEBOUNCE_MS='soon' is not valid: expected a whole number from 0 to 60000"
    ]


async def test_the_console_uses_openai_when_a_key_is_set() -> None:
    fake = FakeOpenAI()
    fake.answer_text("Olá! How can I help?")
    with serve(fake) as server:
        settings = load_settings(
            {"WA_OPENAI_API_KEY": API_KEY, "WA_OPENAI_BASE_URL": server.url + "/v1"}
        )
        lines: list[str] = []
        await run_console(
            settings,
            contact="+1 555 000 2222",
            model="gpt-4o-mini",
            prompt="Be nice.",
            stdin=io.StringIO("oi\n"),
            write=lines.append,
        )
    assert lines[-1] == "agent> Olá! How can I help?"
    assert "OpenAI gpt-4o-mini" in lines[0]
    [request] = fake.requests
    assert request["model"] == "gpt-4o-mini"
    assert request["messages"][0] == {"role": "system", "content": "Be nice."}
    assert {t["function"]["name"] for t in request["tools"]} >= {"current_time", "search_history"}


def test_main_runs_the_chat_in_process(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    for name in list(os.environ):
        if name.startswith(("WA_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/help\n"))
    assert main(["chat"]) == 0
    assert "/summarize" in capsys.readouterr().out
