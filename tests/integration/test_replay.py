"""``wa-agents replay``: the shipped golden conversations pass, a failing one exits 1, and
``--agent NAME`` / ``chat --agent NAME`` use a copy of an agent of the configured database."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from wa_agents.entrypoints.console import run_console
from wa_agents.entrypoints.container import build_container, close_resources, open_resources
from wa_agents.entrypoints.replay import replay
from wa_agents.entrypoints.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.*"))
FAILING = ROOT / "tests" / "fixtures" / "golden_failing.yaml"
WA_AGENTS = Path(sys.executable).parent / "wa-agents"


def offline(tmp_path: Path, **extra: str) -> Settings:
    return load_settings({"WA_DATA_DIR": str(tmp_path), "WA_EMBEDDER": "hashing", **extra})


def test_there_are_examples_in_json_and_yaml() -> None:
    assert {p.suffix for p in EXAMPLES} >= {".json", ".yaml"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
async def test_every_shipped_example_passes(example: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    code = await replay(offline(tmp_path), example, write=lines.append)
    assert code == 0, "\n".join(lines)
    checks = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert checks and all(line.startswith("PASS") for line in checks)
    assert lines[-1].endswith(f"{len(checks)} passed, 0 failed")


def test_a_failing_conversation_prints_each_failure_and_exits_1(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "WA_DATA_DIR": str(tmp_path), "WA_EMBEDDER": "hashing"}
    result = subprocess.run(
        [str(WA_AGENTS), "replay", str(FAILING)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "FAIL  turn 1: reply contains 'banana'" in lines[0]
    assert "(got replies ['(scripted demo reply) You said: hello'])" in lines[0]
    assert lines[2] == "PASS  turn 1: no reply: no"
    assert 'FAIL  turn 2: calls tool current_time with {"zone": "Lisbon"}' in lines[3]
    assert lines[-1] == "failing on purpose: 1 passed, 4 failed"


async def test_a_bad_file_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("turns:\n  - user: hi\n    expect:\n      - sings: loudly\n")
    lines: list[str] = []
    assert await replay(offline(tmp_path), broken, write=lines.append) == 2
    assert lines == [
        "wa-agents replay: turns[0].expect[0]: unknown expectation 'sings'; known: "
        "calls_tool, reply_contains, reply_not_contains, hands_off, no_reply"
    ]
    lines.clear()
    assert await replay(offline(tmp_path), tmp_path / "missing.json", write=lines.append) == 2
    assert "cannot read" in lines[0]


async def stored_bakery(settings: Settings) -> None:
    container = build_container(settings)
    await open_resources(container)
    try:
        await container.platform().agents.create(
            name="Stored Bakery",
            model="gpt-4o-mini",
            system_prompt="Stored prompt: answer for the bakery.",
            tools=("current_time",),
        )
    finally:
        await close_resources(container)


async def test_replay_and_chat_use_a_copy_of_a_stored_agent(tmp_path: Path) -> None:
    fake = FakeOpenAI()
    fake.answer_text("We open at seven.")
    fake.answer_text("Hello from the stored agent.")
    with serve(fake) as server:
        settings = offline(
            tmp_path,
            WA_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
            WA_OPENAI_API_KEY=API_KEY,
            WA_OPENAI_BASE_URL=server.url + "/v1",
        )
        await stored_bakery(settings)
        golden = tmp_path / "stored.yaml"
        golden.write_text("turns:\n  - user: when do you open?\n    expect:\n"
                          "      - reply_contains: seven\n")  # fmt: skip
        lines: list[str] = []
        code = await replay(
            settings, golden, agent_name="stored bakery", llm="openai", write=lines.append
        )
        assert code == 0, lines
        chat: list[str] = []
        await run_console(
            settings,
            contact="+1 555 000 2222",
            model="ignored",
            prompt="ignored",
            agent_name="Stored Bakery",
            stdin=io.StringIO("hi\n"),
            write=chat.append,
        )
        missing: list[str] = []
        assert await run_console(
            settings, contact="1555", model="m", prompt="p", agent_name="Nobody",
            stdin=io.StringIO(""), write=missing.append,
        ) == 2  # fmt: skip
    first, second = fake.requests
    assert first["model"] == "gpt-4o-mini"
    assert first["messages"][0] == {
        "role": "system",
        "content": "Stored prompt: answer for the bakery.",
    }
    assert [t["function"]["name"] for t in first["tools"]] == ["current_time"]
    assert second["messages"][0]["content"] == "Stored prompt: answer for the bakery."
    assert chat[-1] == "agent> Hello from the stored agent." and "Stored Bakery" in chat[0]
    assert "no agent named 'Nobody'" in missing[0]
